import { Rule, fail, pass } from '../../rule';
import { isExpression, isTrue } from '../../stack-view';

/**
 * No bucket has `force_destroy`: with it, destroying the bucket first deletes every object (and
 * every version) in it instead of failing on a non-empty bucket. Among the stateful types only
 * buckets have the argument in AWS provider 5.100 (S3 directory buckets share it), so the rule
 * checks only those. It applies in every environment: an unprotected environment that must be
 * torn down with its data suppresses it with that reason.
 */
export const statefulNoForceDestroy: Rule = {
  id: 'stateful-no-force-destroy',
  severity: 'high',
  resourceTypes: ['aws_s3_bucket', 'aws_s3_directory_bucket'],
  description: 'A bucket does not set force_destroy.',
  rationale:
    'S3 refuses to delete a non-empty bucket, the last safeguard when a destroy or replacement slips through; force_destroy removes it and deletes every object version with the bucket.',
  check(bucket) {
    const force = bucket.config.force_destroy;
    if (isTrue(force)) {
      return fail('has force_destroy = true (destroying it deletes every object in it); remove force_destroy or set it to false');
    }
    if (isExpression(force)) {
      return fail('has force_destroy set from an expression, which may be true (destroying it would delete every object in it); set force_destroy to false');
    }
    return pass();
  },
};
