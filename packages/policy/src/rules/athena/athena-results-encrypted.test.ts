import { runRule, stackOf } from '../../testing';
import { athenaResultsEncrypted } from './athena-results-encrypted';

const ADDRESS = 'aws_athena_workgroup.analysts';
const withEncryption = (encryption: Record<string, unknown>) =>
  stackOf({
    [ADDRESS]: {
      name: 'analysts',
      configuration: [{ result_configuration: [{ output_location: 's3://athena-results/analysts/', encryption_configuration: [encryption] }] }],
    },
  });

describe('athena-results-encrypted', () => {
  test('passes results encrypted with SSE_KMS and our key, with blocks written as objects the way cdktf does', () => {
    const stack = stackOf({
      [ADDRESS]: {
        name: 'analysts',
        configuration: { result_configuration: { encryption_configuration: { encryption_option: 'SSE_KMS', kms_key_arn: '${aws_kms_key.lake_key.arn}' } } },
      },
    });
    expect(runRule(athenaResultsEncrypted, stack, ADDRESS)).toEqual({ status: 'pass' });
  });

  test('passes results encrypted client-side with CSE_KMS and our key', () => {
    const stack = withEncryption({ encryption_option: 'CSE_KMS', kms_key_arn: '${aws_kms_key.lake_key.arn}' });
    expect(runRule(athenaResultsEncrypted, stack, ADDRESS)).toEqual({ status: 'pass' });
  });

  test('fails a workgroup without result encryption', () => {
    expect(runRule(athenaResultsEncrypted, stackOf({ [ADDRESS]: { name: 'analysts', configuration: [{ enforce_workgroup_configuration: true }] } }), ADDRESS)).toEqual({
      status: 'fail',
      message:
        'has no result encryption configuration; set configuration.result_configuration.encryption_configuration with encryption_option "SSE_KMS" and kms_key_arn set to the lake key',
    });
  });

  test('fails results encrypted with SSE_S3', () => {
    expect(runRule(athenaResultsEncrypted, withEncryption({ encryption_option: 'SSE_S3' }), ADDRESS)).toEqual({
      status: 'fail',
      message: 'encrypts query results with SSE_S3; use encryption_option "SSE_KMS" with kms_key_arn set to the lake key',
    });
  });

  test('fails SSE_KMS without kms_key_arn', () => {
    expect(runRule(athenaResultsEncrypted, withEncryption({ encryption_option: 'SSE_KMS' }), ADDRESS)).toEqual({
      status: 'fail',
      message: 'uses SSE_KMS without kms_key_arn; set kms_key_arn to the lake key',
    });
  });

  test('fails SSE_KMS with the AWS-managed aws/s3 key', () => {
    const stack = withEncryption({ encryption_option: 'SSE_KMS', kms_key_arn: 'arn:aws:kms:eu-west-1:111111111111:alias/aws/s3' });
    expect(runRule(athenaResultsEncrypted, stack, ADDRESS)).toEqual({
      status: 'fail',
      message: 'encrypts query results with the AWS-managed key alias/aws/s3; set kms_key_arn to the lake key',
    });
  });
});
