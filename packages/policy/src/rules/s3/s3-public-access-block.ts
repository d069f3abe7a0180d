import { Rule, fail, listing, pass } from '../../rule';
import { isTrue } from '../../stack-view';
import { companionsOf } from './companions';

/** The four switches of a public access block; each defaults to false. */
const SWITCHES = ['block_public_acls', 'block_public_policy', 'ignore_public_acls', 'restrict_public_buckets'] as const;

/** Every bucket blocks public access at the bucket level, all four ways. */
export const s3PublicAccessBlock: Rule = {
  id: 's3-public-access-block',
  severity: 'critical',
  resourceTypes: ['aws_s3_bucket'],
  description: 'A bucket has an aws_s3_bucket_public_access_block with all four settings true.',
  rationale:
    'The public access block is the backstop against a policy or ACL that makes data public by mistake; each setting closes a different path.',
  check(bucket, stack) {
    const blocks = companionsOf(stack, 'aws_s3_bucket_public_access_block', bucket);
    if (blocks.length === 0) {
      return fail(`has no aws_s3_bucket_public_access_block; add one with ${listing([...SWITCHES])} all true`);
    }
    for (const b of blocks) {
      const off = SWITCHES.filter((s) => !isTrue(b.config[s]));
      if (off.length > 0) {
        return fail(`does not block all public access (${b.address} leaves ${listing(off)} unset or false); set ${off.length === 1 ? 'it' : 'them'} to true`);
      }
    }
    return pass();
  },
};
