import { Rule, fail, pass } from '../../rule';
import { block } from '../../stack-view';
import { companionsOf } from './companions';

/** Every bucket owns its objects and ignores ACLs (object ownership "BucketOwnerEnforced"). */
export const s3OwnershipEnforced: Rule = {
  id: 's3-ownership-enforced',
  severity: 'medium',
  resourceTypes: ['aws_s3_bucket'],
  description: 'A bucket has aws_s3_bucket_ownership_controls with rule.object_ownership "BucketOwnerEnforced" (ACLs disabled).',
  rationale:
    'With ACLs disabled, only policies grant access and the bucket owns every object, so objects written by other accounts or services cannot escape the bucket policy.',
  check(bucket, stack) {
    const controls = companionsOf(stack, 'aws_s3_bucket_ownership_controls', bucket);
    if (controls.length === 0) {
      return fail('has no aws_s3_bucket_ownership_controls; add one with rule.object_ownership "BucketOwnerEnforced" (disables ACLs)');
    }
    for (const c of controls) {
      const ownership = block(c.config.rule)?.object_ownership;
      if (ownership !== 'BucketOwnerEnforced') {
        return fail(`keeps ACLs enabled (${c.address} has object_ownership ${JSON.stringify(ownership ?? null)}); set rule.object_ownership to "BucketOwnerEnforced"`);
      }
    }
    return pass();
  },
};
