import { runRule, stackOf } from '../../testing';
import { statefulNoForceDestroy } from './stateful-no-force-destroy';

const bucket = (config: Record<string, unknown>) => stackOf({ 'aws_s3_bucket.lake_raw_bucket': { bucket: 'raw', ...config } });

describe('stateful-no-force-destroy', () => {
  test('passes a bucket with force_destroy false or unset', () => {
    expect(runRule(statefulNoForceDestroy, bucket({ force_destroy: false }), 'aws_s3_bucket.lake_raw_bucket')).toEqual({ status: 'pass' });
    expect(runRule(statefulNoForceDestroy, bucket({}), 'aws_s3_bucket.lake_raw_bucket')).toEqual({ status: 'pass' });
  });

  test('fails a bucket with force_destroy, in an unprotected environment too', () => {
    expect(runRule(statefulNoForceDestroy, bucket({ force_destroy: true }), 'aws_s3_bucket.lake_raw_bucket')).toEqual({
      status: 'fail',
      message: 'has force_destroy = true (destroying it deletes every object in it); remove force_destroy or set it to false',
    });
  });

  test('fails a bucket whose force_destroy is computed', () => {
    expect(runRule(statefulNoForceDestroy, bucket({ force_destroy: '${var.ephemeral}' }), 'aws_s3_bucket.lake_raw_bucket')).toEqual({
      status: 'fail',
      message: 'has force_destroy set from an expression, which may be true (destroying it would delete every object in it); set force_destroy to false',
    });
  });

  test('checks S3 directory buckets, which have force_destroy too', () => {
    const stack = stackOf({ 'aws_s3_directory_bucket.scratch': { bucket: 'scratch--euw1-az1--x-s3', force_destroy: 'true' } });
    expect(runRule(statefulNoForceDestroy, stack, 'aws_s3_directory_bucket.scratch')).toEqual({
      status: 'fail',
      message: 'has force_destroy = true (destroying it deletes every object in it); remove force_destroy or set it to false',
    });
  });
});
