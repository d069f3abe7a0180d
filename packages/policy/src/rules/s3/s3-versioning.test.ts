import { runRule, stackOf } from '../../testing';
import { s3Versioning } from './s3-versioning';

const bucket = { 'aws_s3_bucket.raw': { bucket: 'adp-dev-lake-raw-111111111111' } };
const versioning = (status: string, bucketRef = '${aws_s3_bucket.raw.id}') => ({
  'aws_s3_bucket_versioning.raw': { bucket: bucketRef, versioning_configuration: [{ status }] },
});

describe('s3-versioning', () => {
  test('passes a bucket with versioning enabled', () => {
    const stack = stackOf({ ...bucket, ...versioning('Enabled') });
    expect(runRule(s3Versioning, stack, 'aws_s3_bucket.raw')).toEqual({ status: 'pass' });
  });

  test('passes versioning that names the bucket by its literal name', () => {
    const stack = stackOf({ ...bucket, ...versioning('Enabled', 'adp-dev-lake-raw-111111111111') });
    expect(runRule(s3Versioning, stack, 'aws_s3_bucket.raw')).toEqual({ status: 'pass' });
  });

  test('fails a bucket without versioning', () => {
    expect(runRule(s3Versioning, stackOf(bucket), 'aws_s3_bucket.raw')).toEqual({
      status: 'fail',
      message: 'has no aws_s3_bucket_versioning; add one with versioning_configuration.status "Enabled"',
    });
  });

  test('fails a bucket whose only versioning belongs to another bucket', () => {
    const stack = stackOf({ ...bucket, 'aws_s3_bucket.raw_copy': { bucket: 'copy' }, ...versioning('Enabled', '${aws_s3_bucket.raw_copy.id}') });
    expect(runRule(s3Versioning, stack, 'aws_s3_bucket.raw')).toEqual({
      status: 'fail',
      message: 'has no aws_s3_bucket_versioning; add one with versioning_configuration.status "Enabled"',
    });
  });

  test('fails suspended versioning', () => {
    const stack = stackOf({ ...bucket, ...versioning('Suspended') });
    expect(runRule(s3Versioning, stack, 'aws_s3_bucket.raw')).toEqual({
      status: 'fail',
      message: 'is not versioned (aws_s3_bucket_versioning.raw has status "Suspended"); set versioning_configuration.status to "Enabled"',
    });
  });
});
