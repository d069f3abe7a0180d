import { runRule, stackOf } from '../../testing';
import { s3KmsEncryption } from './s3-kms-encryption';

const bucket = { 'aws_s3_bucket.raw': { bucket: 'raw' } };
const encryption = (sse: Record<string, unknown>) => ({
  'aws_s3_bucket_server_side_encryption_configuration.raw': {
    bucket: '${aws_s3_bucket.raw.id}',
    rule: [{ apply_server_side_encryption_by_default: sse, bucket_key_enabled: true }],
  },
});

describe('s3-kms-encryption', () => {
  test('passes a bucket encrypted with a KMS key of ours', () => {
    const stack = stackOf({ ...bucket, ...encryption({ sse_algorithm: 'aws:kms', kms_master_key_id: '${aws_kms_key.lake_key.arn}' }) });
    expect(runRule(s3KmsEncryption, stack, 'aws_s3_bucket.raw')).toEqual({ status: 'pass' });
  });

  test('fails a bucket without an encryption configuration', () => {
    expect(runRule(s3KmsEncryption, stackOf(bucket), 'aws_s3_bucket.raw')).toEqual({
      status: 'fail',
      message: 'has no aws_s3_bucket_server_side_encryption_configuration; add one with sse_algorithm "aws:kms" and the lake key',
    });
  });

  test('fails SSE-S3', () => {
    const stack = stackOf({ ...bucket, ...encryption({ sse_algorithm: 'AES256' }) });
    expect(runRule(s3KmsEncryption, stack, 'aws_s3_bucket.raw')).toEqual({
      status: 'fail',
      message: 'is encrypted with AES256; use sse_algorithm "aws:kms" with the lake key',
    });
  });

  test('fails aws:kms with the AWS-managed key', () => {
    const stack = stackOf({ ...bucket, ...encryption({ sse_algorithm: 'aws:kms' }) });
    expect(runRule(s3KmsEncryption, stack, 'aws_s3_bucket.raw')).toMatchObject({ status: 'fail', message: expect.stringContaining('without kms_master_key_id') });
  });
});

describe('s3-kms-encryption edge cases', () => {
  test('passes a configuration that names the bucket by its literal name', () => {
    const stack = stackOf({
      ...bucket,
      'aws_s3_bucket_server_side_encryption_configuration.raw': {
        bucket: 'raw',
        rule: [{ apply_server_side_encryption_by_default: { sse_algorithm: 'aws:kms', kms_master_key_id: '${aws_kms_key.lake_key.arn}' } }],
      },
    });
    expect(runRule(s3KmsEncryption, stack, 'aws_s3_bucket.raw')).toEqual({ status: 'pass' });
  });

  test('fails aws:kms naming the AWS-managed key by its alias', () => {
    const stack = stackOf({ ...bucket, ...encryption({ sse_algorithm: 'aws:kms', kms_master_key_id: 'alias/aws/s3' }) });
    expect(runRule(s3KmsEncryption, stack, 'aws_s3_bucket.raw')).toEqual({
      status: 'fail',
      message: 'uses aws:kms with the AWS-managed key alias/aws/s3; set kms_master_key_id to the lake key',
    });
  });

  test('fails a second rule that falls back to SSE-S3', () => {
    const stack = stackOf({
      ...bucket,
      'aws_s3_bucket_server_side_encryption_configuration.raw': {
        bucket: '${aws_s3_bucket.raw.id}',
        rule: [
          { apply_server_side_encryption_by_default: { sse_algorithm: 'aws:kms', kms_master_key_id: '${aws_kms_key.lake_key.arn}' } },
          { apply_server_side_encryption_by_default: { sse_algorithm: 'AES256' } },
        ],
      },
    });
    expect(runRule(s3KmsEncryption, stack, 'aws_s3_bucket.raw')).toEqual({
      status: 'fail',
      message: 'is encrypted with AES256; use sse_algorithm "aws:kms" with the lake key',
    });
  });

  test('fails a rule without a default encryption', () => {
    const stack = stackOf({
      ...bucket,
      'aws_s3_bucket_server_side_encryption_configuration.raw': { bucket: '${aws_s3_bucket.raw.id}', rule: [{ bucket_key_enabled: true }] },
    });
    expect(runRule(s3KmsEncryption, stack, 'aws_s3_bucket.raw')).toEqual({
      status: 'fail',
      message: 'has an encryption rule without apply_server_side_encryption_by_default; add it with sse_algorithm "aws:kms" and the lake key',
    });
  });
});
