/**
 * Helpers of the IAM rules on identity policies: the policies a role, user, group or policy
 * resource holds, a walk over their Allow statements, and what a wildcard resource covers.
 */
import { Outcome, ResourceView, fail, notApplicable, pass } from '../../rule';
import { ReadPolicy, Statement, readPolicy, statementLabel, unreadableMessage } from '../../iam';
import { StackView, blocks } from '../../stack-view';

/** `"a", "b"`: values quoted for a message. */
export const quoted = (values: readonly string[]): string => values.map((v) => JSON.stringify(v)).join(', ');

/** The service of an action (`s3` of `s3:GetObject`), lowercase; `*` for `*`. */
export const serviceOf = (action: string): string => (action === '*' ? '*' : action.split(':')[0].toLowerCase());

/**
 * The service of a wildcard resource when `resource` names every resource of a kind rather than
 * named ones: `*` (every service), `arn:aws:s3:::*` and `arn:aws:s3:::*\/*` (every bucket), or a
 * resource id that is only wildcards (`table/*`, `key/*`, `secret:*`, `arn:aws:sqs:r:a:*`).
 * Undefined for scoped resources such as `arn:aws:s3:::my-bucket/*` or `table/orders`.
 */
export function wildcardResourceService(resource: string): string | undefined {
  if (resource === '*') return '*';
  const m = /^arn:[^:]*:([^:]*):[^:]*:[^:]*:(.*)$/.exec(resource);
  if (!m) return undefined;
  const [, service, rest] = m;
  const onlyWildcards = (segment: string | undefined) => segment !== undefined && /^[*?]+$/.test(segment);
  const segments = rest.split(/[/:]/);
  // S3 ARNs carry no resource type: the first segment is the bucket. Others lead with a type
  // (`table/<name>`), or are the bare name (SQS, SNS).
  const named = service === 's3' || segments.length === 1 ? segments[0] : segments[1];
  return onlyWildcards(named) || onlyWildcards(service) ? service.toLowerCase() : undefined;
}

/** Types whose policies are attached to identities. */
export const IDENTITY_POLICY_TYPES = ['aws_iam_policy', 'aws_iam_role_policy', 'aws_iam_user_policy', 'aws_iam_group_policy', 'aws_iam_role'] as const;

/** One identity policy of a resource, as read. */
export interface IdentityPolicy {
  /** `policy`, or `inline_policy "<name>"` of a role. */
  readonly where: string;
  readonly policy: ReadPolicy;
}

/**
 * The identity policies a resource holds: the `policy` of a standalone or inline policy resource,
 * the `inline_policy` blocks of a role (an empty block, which removes inline policies, is skipped).
 */
export function identityPolicies(resource: ResourceView, stack: StackView): IdentityPolicy[] {
  if (resource.type === 'aws_iam_role') {
    return blocks(resource.config.inline_policy)
      .filter((b) => b.policy !== undefined && b.policy !== null && b.policy !== '')
      .map((b) => ({ where: `inline_policy ${JSON.stringify(String(b.name ?? ''))}`, policy: readPolicy(b.policy, stack) }));
  }
  return [{ where: 'policy', policy: readPolicy(resource.config.policy, stack) }];
}

/** Why a role without inline policies is not checked by a rule on policy content. */
export const ROLE_WITHOUT_INLINE_POLICIES = 'has no inline_policy blocks; its other policies are separate resources, checked on their own';

/**
 * Runs `issuesOf` on every Allow statement of every identity policy of `resource` (Deny
 * statements grant nothing) and fails with all issues, each followed by where it is:
 * `<lead>: <issue> in statement "X"; ...; <fix>`. Fails first on a policy that cannot be read.
 */
export function checkIdentityStatements(
  resource: ResourceView,
  stack: StackView,
  issuesOf: (allow: Statement) => string[],
  lead: string,
  fix: string,
): Outcome {
  const policies = identityPolicies(resource, stack);
  if (policies.length === 0) return notApplicable(ROLE_WITHOUT_INLINE_POLICIES);
  const issues: string[] = [];
  for (const { where, policy } of policies) {
    if ('unreadable' in policy) return fail(unreadableMessage(`its ${where}`, policy.unreadable));
    const prefix = where === 'policy' ? '' : `${where} `;
    policy.statements.forEach((s, i) => {
      if (s.effect !== 'Allow') return;
      for (const issue of issuesOf(s)) issues.push(`${issue} in ${prefix}${statementLabel(s, i)}`);
    });
  }
  return issues.length > 0 ? fail(`${lead}: ${issues.join('; ')}; ${fix}`) : pass();
}
