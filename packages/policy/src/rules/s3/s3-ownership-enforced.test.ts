import { runRule, stackOf } from '../../testing';
import { s3OwnershipEnforced } from './s3-ownership-enforced';

const bucket = { 'aws_s3_bucket.raw': { bucket: 'raw' } };
const ownership = (objectOwnership: string) => ({
  'aws_s3_bucket_ownership_controls.raw': { bucket: '${aws_s3_bucket.raw.id}', rule: [{ object_ownership: objectOwnership }] },
});

describe('s3-ownership-enforced', () => {
  test('passes a bucket with ACLs disabled (BucketOwnerEnforced)', () => {
    expect(runRule(s3OwnershipEnforced, stackOf({ ...bucket, ...ownership('BucketOwnerEnforced') }), 'aws_s3_bucket.raw')).toEqual({ status: 'pass' });
  });

  test('fails a bucket without ownership controls', () => {
    expect(runRule(s3OwnershipEnforced, stackOf(bucket), 'aws_s3_bucket.raw')).toEqual({
      status: 'fail',
      message: 'has no aws_s3_bucket_ownership_controls; add one with rule.object_ownership "BucketOwnerEnforced" (disables ACLs)',
    });
  });

  test('fails BucketOwnerPreferred, which keeps ACLs', () => {
    expect(runRule(s3OwnershipEnforced, stackOf({ ...bucket, ...ownership('BucketOwnerPreferred') }), 'aws_s3_bucket.raw')).toEqual({
      status: 'fail',
      message: 'keeps ACLs enabled (aws_s3_bucket_ownership_controls.raw has object_ownership "BucketOwnerPreferred"); set rule.object_ownership to "BucketOwnerEnforced"',
    });
  });
});
