import { ResourceView, Rule, fail, pass } from '../../rule';
import { Condition, Statement, allowsAnyone, globToRegExp, readPolicy, unreadableMessage } from '../../iam';
import { companionsOf, literalName } from './companions';

/** Stand-ins for the bucket's ARN and one of its objects, to match policy resources against. */
const BUCKET_ARN = 'arn:aws:s3:::@bucket';
const OBJECT_ARN = `${BUCKET_ARN}/@key`;

/**
 * A policy resource in terms of the stand-ins: references to the bucket (`${aws_s3_bucket.x.arn}`,
 * `arn:aws:s3:::${aws_s3_bucket.x.id}`) and its literal name become `@bucket`, any partition `aws`.
 */
function normalize(resource: string, bucket: ResourceView): string {
  let r = resource.split(`\${${bucket.address}.arn}`).join(BUCKET_ARN);
  for (const attribute of ['id', 'bucket']) r = r.split(`\${${bucket.address}.${attribute}}`).join('@bucket');
  r = r.replace(/^arn:[^:]*:s3:::/, 'arn:aws:s3:::');
  const name = literalName(bucket);
  if (name !== undefined && (r === `arn:aws:s3:::${name}` || r.startsWith(`arn:aws:s3:::${name}/`))) {
    r = BUCKET_ARN + r.slice(`arn:aws:s3:::${name}`.length);
  }
  return r;
}

/** `Bool aws:SecureTransport = false` (BoolIfExists is the same: the key is always present). */
const insecureTransport = (c: Condition) =>
  /^Bool(IfExists)?$/i.test(c.test) && c.variable.toLowerCase() === 'aws:securetransport' && c.values.some((v) => v.toLowerCase() === 'false');

/**
 * A statement that denies every S3 action to everyone when the request is not over TLS, and only
 * on that condition (another condition would narrow it).
 */
const deniesInsecureTransport = (s: Statement) =>
  s.effect === 'Deny' &&
  allowsAnyone(s.principals) &&
  s.notPrincipals.length === 0 &&
  s.notActions.length === 0 &&
  s.actions.some((a) => a === '*' || a.toLowerCase() === 's3:*') &&
  s.notResources.length === 0 &&
  s.conditions.length > 0 &&
  s.conditions.every(insecureTransport);

const FIX = 'a Deny of s3:* for principal "*" on the bucket and its objects, with condition Bool aws:SecureTransport = "false"';

/**
 * Every bucket policy refuses requests without TLS: a Deny of `s3:*` for every principal on the
 * bucket and its objects when `aws:SecureTransport` is false. The policy must be one the pack can
 * read (an aws_iam_policy_document in the stack, or literal JSON).
 */
export const s3TlsOnly: Rule = {
  id: 's3-tls-only',
  severity: 'high',
  resourceTypes: ['aws_s3_bucket'],
  description: 'A bucket\'s policy denies every request that does not use TLS (aws:SecureTransport = false), on the bucket and its objects.',
  rationale: 'S3 accepts plain HTTP; only a bucket policy makes it refuse requests whose data and credentials would travel unencrypted.',
  check(bucket, stack) {
    const policies = companionsOf(stack, 'aws_s3_bucket_policy', bucket);
    if (policies.length === 0) return fail(`has no aws_s3_bucket_policy; add one with ${FIX}`);
    for (const policy of policies) {
      const read = readPolicy(policy.config.policy, stack);
      if ('unreadable' in read) return fail(unreadableMessage(`its bucket policy (${policy.address})`, read.unreadable));
      const resources = read.statements.filter(deniesInsecureTransport).flatMap((s) => s.resources.map((r) => globToRegExp(normalize(r, bucket))));
      const onBucket = resources.some((re) => re.test(BUCKET_ARN));
      const onObjects = resources.some((re) => re.test(OBJECT_ARN));
      if (!onBucket && !onObjects) return fail(`accepts requests without TLS (${policy.address} does not deny them); add ${FIX}`);
      if (!onObjects) return fail(`accepts requests without TLS to its objects (${policy.address} denies them on the bucket only); add the objects ("<bucket ARN>/*") to the resources of that Deny`);
      if (!onBucket) return fail(`accepts requests without TLS to the bucket itself (${policy.address} denies them on its objects only); add the bucket ARN to the resources of that Deny`);
    }
    return pass();
  },
};
