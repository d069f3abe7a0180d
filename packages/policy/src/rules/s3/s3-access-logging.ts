import { Rule, fail, notApplicable, pass } from '../../rule';
import { companionsOf, namesBucket } from './companions';

/**
 * Every bucket sends its server access logs to the access-logs bucket, except that bucket itself:
 * a bucket that receives another bucket's access logs (the `target_bucket` of an
 * aws_s3_bucket_logging) is not concerned. No bucket logs into itself.
 */
export const s3AccessLogging: Rule = {
  id: 's3-access-logging',
  severity: 'medium',
  resourceTypes: ['aws_s3_bucket'],
  description: 'A bucket has an aws_s3_bucket_logging sending its server access logs to another bucket (log buckets excepted).',
  rationale: 'Access logs record every request to the data (who, what, when, from where): what audits and incident investigations start from.',
  check(bucket, stack) {
    const loggings = companionsOf(stack, 'aws_s3_bucket_logging', bucket);
    const intoItself = loggings.find((l) => namesBucket(l.config.target_bucket, bucket));
    if (intoItself) {
      return fail(`logs its access into itself (${intoItself.address}), so each log delivery is logged again; set target_bucket to the access-logs bucket`);
    }
    if (loggings.length > 0) return pass();
    const received = stack.ofType('aws_s3_bucket_logging').filter((l) => namesBucket(l.config.target_bucket, bucket));
    if (received.length > 0) {
      return notApplicable(`receives the access logs of other buckets (${received.map((l) => l.address).join(', ')}); a log bucket does not log its own access`);
    }
    return fail('has no aws_s3_bucket_logging; add one with target_bucket the access-logs bucket and target_prefix "<bucket role>/"');
  },
};
