import { runRule, stackOf } from '../../testing';
import { glueSecurityConfigurationKms } from './glue-security-configuration-kms';

const ADDRESS = 'aws_glue_security_configuration.processing';
const LAKE_KEY = '${aws_kms_key.lake_key.arn}';
const FIX =
  'set s3_encryption_mode "SSE-KMS", cloudwatch_encryption_mode "SSE-KMS" and job_bookmarks_encryption_mode "CSE-KMS", each with kms_key_arn set to the lake key';
const encrypted = {
  s3_encryption: [{ s3_encryption_mode: 'SSE-KMS', kms_key_arn: LAKE_KEY }],
  cloudwatch_encryption: [{ cloudwatch_encryption_mode: 'SSE-KMS', kms_key_arn: LAKE_KEY }],
  job_bookmarks_encryption: [{ job_bookmarks_encryption_mode: 'CSE-KMS', kms_key_arn: LAKE_KEY }],
};
const configuration = (parts: Record<string, unknown>) => stackOf({ [ADDRESS]: { name: 'processing', encryption_configuration: [parts] } });

describe('glue-security-configuration-kms', () => {
  test('passes a configuration that encrypts S3, logs and bookmarks with our key', () => {
    expect(runRule(glueSecurityConfigurationKms, configuration(encrypted), ADDRESS)).toEqual({ status: 'pass' });
  });

  test('reads blocks written as objects, the way cdktf synthesizes them', () => {
    const stack = stackOf({
      [ADDRESS]: {
        name: 'processing',
        encryption_configuration: {
          s3_encryption: { s3_encryption_mode: 'SSE-KMS', kms_key_arn: LAKE_KEY },
          cloudwatch_encryption: { cloudwatch_encryption_mode: 'SSE-KMS', kms_key_arn: LAKE_KEY },
          job_bookmarks_encryption: {},
        },
      },
    });
    expect(runRule(glueSecurityConfigurationKms, stack, ADDRESS)).toEqual({
      status: 'fail',
      message: `does not encrypt everything with a KMS key of ours (job_bookmarks_encryption_mode is DISABLED); ${FIX}`,
    });
  });

  test('fails S3 encryption with SSE-S3', () => {
    const stack = configuration({ ...encrypted, s3_encryption: [{ s3_encryption_mode: 'SSE-S3' }] });
    expect(runRule(glueSecurityConfigurationKms, stack, ADDRESS)).toEqual({
      status: 'fail',
      message: `does not encrypt everything with a KMS key of ours (s3_encryption_mode is SSE-S3); ${FIX}`,
    });
  });

  test('fails disabled CloudWatch and bookmark encryption, naming both', () => {
    const stack = configuration({
      ...encrypted,
      cloudwatch_encryption: [{ cloudwatch_encryption_mode: 'DISABLED' }],
      job_bookmarks_encryption: [{}],
    });
    expect(runRule(glueSecurityConfigurationKms, stack, ADDRESS)).toEqual({
      status: 'fail',
      message: `does not encrypt everything with a KMS key of ours (cloudwatch_encryption_mode is DISABLED, job_bookmarks_encryption_mode is DISABLED); ${FIX}`,
    });
  });

  test('fails a KMS mode without kms_key_arn', () => {
    const stack = configuration({ ...encrypted, job_bookmarks_encryption: [{ job_bookmarks_encryption_mode: 'CSE-KMS' }] });
    expect(runRule(glueSecurityConfigurationKms, stack, ADDRESS)).toEqual({
      status: 'fail',
      message: `does not encrypt everything with a KMS key of ours (job_bookmarks_encryption has no kms_key_arn); ${FIX}`,
    });
  });

  test('fails a part encrypted with an AWS-managed key', () => {
    const stack = configuration({
      ...encrypted,
      s3_encryption: [{ s3_encryption_mode: 'SSE-KMS', kms_key_arn: 'arn:aws:kms:eu-west-1:111111111111:alias/aws/s3' }],
    });
    expect(runRule(glueSecurityConfigurationKms, stack, ADDRESS)).toEqual({
      status: 'fail',
      message: `does not encrypt everything with a KMS key of ours (s3_encryption uses the AWS-managed alias/aws/s3); ${FIX}`,
    });
  });

  test('fails a configuration without encryption_configuration', () => {
    const stack = stackOf({ [ADDRESS]: { name: 'processing' } });
    expect(runRule(glueSecurityConfigurationKms, stack, ADDRESS)).toEqual({
      status: 'fail',
      message: `does not encrypt everything with a KMS key of ours (s3_encryption_mode is DISABLED, cloudwatch_encryption_mode is DISABLED, job_bookmarks_encryption_mode is DISABLED); ${FIX}`,
    });
  });
});
