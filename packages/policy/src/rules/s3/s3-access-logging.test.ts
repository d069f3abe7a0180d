import { runRule, stackOf } from '../../testing';
import { s3AccessLogging } from './s3-access-logging';

const buckets = { 'aws_s3_bucket.raw': { bucket: 'raw' }, 'aws_s3_bucket.logs': { bucket: 'logs' } };
const rawLogging = {
  'aws_s3_bucket_logging.raw': { bucket: '${aws_s3_bucket.raw.id}', target_bucket: '${aws_s3_bucket.logs.id}', target_prefix: 'raw/' },
};

describe('s3-access-logging', () => {
  test('passes a bucket logging its access to the access-logs bucket', () => {
    expect(runRule(s3AccessLogging, stackOf({ ...buckets, ...rawLogging }), 'aws_s3_bucket.raw')).toEqual({ status: 'pass' });
  });

  test('does not apply to a bucket that receives access logs', () => {
    expect(runRule(s3AccessLogging, stackOf({ ...buckets, ...rawLogging }), 'aws_s3_bucket.logs')).toEqual({
      status: 'not-applicable',
      reason: 'receives the access logs of other buckets (aws_s3_bucket_logging.raw); a log bucket does not log its own access',
    });
  });

  test('recognizes a log bucket named by its literal name in target_bucket', () => {
    const stack = stackOf({ ...buckets, 'aws_s3_bucket_logging.raw': { bucket: 'raw', target_bucket: 'logs', target_prefix: 'raw/' } });
    expect(runRule(s3AccessLogging, stack, 'aws_s3_bucket.logs')).toMatchObject({ status: 'not-applicable' });
  });

  test('fails a bucket without access logging', () => {
    expect(runRule(s3AccessLogging, stackOf(buckets), 'aws_s3_bucket.raw')).toEqual({
      status: 'fail',
      message: 'has no aws_s3_bucket_logging; add one with target_bucket the access-logs bucket and target_prefix "<bucket role>/"',
    });
  });

  test('fails a bucket logging into itself', () => {
    const stack = stackOf({
      ...buckets,
      'aws_s3_bucket_logging.raw': { bucket: '${aws_s3_bucket.raw.id}', target_bucket: '${aws_s3_bucket.raw.id}', target_prefix: 'logs/' },
    });
    expect(runRule(s3AccessLogging, stack, 'aws_s3_bucket.raw')).toEqual({
      status: 'fail',
      message: 'logs its access into itself (aws_s3_bucket_logging.raw), so each log delivery is logged again; set target_bucket to the access-logs bucket',
    });
  });
});
