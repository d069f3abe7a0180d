/** Helpers of the S3 rules: the resources that configure a bucket, and message wording. */
import { ResourceView } from '../../rule';
import { StackView, isExpression, refersTo } from '../../stack-view';

/** The bucket's literal name, when it has one (not `bucket_prefix`, not an expression). */
export function literalName(bucket: ResourceView): string | undefined {
  const name = bucket.config.bucket;
  return typeof name === 'string' && name !== '' && !isExpression(name) ? name : undefined;
}

/** True when `value` (a `bucket` or `target_bucket` argument) is `bucket`: a reference to it, or its literal name. */
export function namesBucket(value: unknown, bucket: ResourceView): boolean {
  const name = literalName(bucket);
  return refersTo(value, bucket.address) || (name !== undefined && value === name);
}

/**
 * The resources of `type` (e.g. `aws_s3_bucket_versioning`) whose `bucket` is `bucket`, by
 * reference (`${aws_s3_bucket.raw.id}`) or by its literal name.
 */
export function companionsOf(stack: StackView, type: string, bucket: ResourceView): ResourceView[] {
  return stack.ofType(type).filter((r) => namesBucket(r.config.bucket, bucket));
}
