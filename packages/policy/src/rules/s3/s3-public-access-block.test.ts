import { runRule, stackOf } from '../../testing';
import { s3PublicAccessBlock } from './s3-public-access-block';

const bucket = { 'aws_s3_bucket.raw': { bucket: 'raw' } };
const pab = (settings: Record<string, unknown>) => ({
  'aws_s3_bucket_public_access_block.raw': { bucket: '${aws_s3_bucket.raw.id}', ...settings },
});
const ALL = { block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: true };

describe('s3-public-access-block', () => {
  test('passes a bucket blocking public access all four ways', () => {
    expect(runRule(s3PublicAccessBlock, stackOf({ ...bucket, ...pab(ALL) }), 'aws_s3_bucket.raw')).toEqual({ status: 'pass' });
  });

  test('accepts Terraform\'s string form "true"', () => {
    const stack = stackOf({ ...bucket, ...pab({ ...ALL, restrict_public_buckets: 'true' }) });
    expect(runRule(s3PublicAccessBlock, stack, 'aws_s3_bucket.raw')).toEqual({ status: 'pass' });
  });

  test('fails a bucket without a public access block', () => {
    expect(runRule(s3PublicAccessBlock, stackOf(bucket), 'aws_s3_bucket.raw')).toEqual({
      status: 'fail',
      message: 'has no aws_s3_bucket_public_access_block; add one with block_public_acls, block_public_policy, ignore_public_acls and restrict_public_buckets all true',
    });
  });

  test('names every setting left open', () => {
    const stack = stackOf({ ...bucket, ...pab({ block_public_acls: true, block_public_policy: false, ignore_public_acls: true }) });
    expect(runRule(s3PublicAccessBlock, stack, 'aws_s3_bucket.raw')).toEqual({
      status: 'fail',
      message: 'does not block all public access (aws_s3_bucket_public_access_block.raw leaves block_public_policy and restrict_public_buckets unset or false); set them to true',
    });
  });

  test('fails a single setting left unset', () => {
    const stack = stackOf({ ...bucket, ...pab({ ...ALL, ignore_public_acls: undefined }) });
    expect(runRule(s3PublicAccessBlock, stack, 'aws_s3_bucket.raw')).toEqual({
      status: 'fail',
      message: 'does not block all public access (aws_s3_bucket_public_access_block.raw leaves ignore_public_acls unset or false); set it to true',
    });
  });
});
