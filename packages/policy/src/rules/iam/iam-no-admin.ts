import { Rule, fail, notApplicable, pass } from '../../rule';
import { Statement } from '../../iam';
import { StackView } from '../../stack-view';
import { IDENTITY_POLICY_TYPES, checkIdentityStatements, quoted } from './policies';

/** Attachments of a managed policy to a role, user or group. */
const ATTACHMENT_TYPES = [
  'aws_iam_role_policy_attachment',
  'aws_iam_user_policy_attachment',
  'aws_iam_group_policy_attachment',
  'aws_iam_policy_attachment',
] as const;

/** AWS managed policies that amount to administrator access, and why. */
const ADMIN_POLICIES: Readonly<Record<string, string>> = {
  AdministratorAccess: 'every action on every resource',
  IAMFullAccess: 'it can grant itself any permission',
  PowerUserAccess: 'every action but IAM and Organizations management',
};

/** `arn:<partition>:iam::aws:policy/<name>`; the partition may be an expression. */
const AWS_MANAGED_ARN = /^arn:[^:]+:iam::aws:policy\/([^/:]+)$/;

/** The admin policy an ARN names, literally or through a `data.aws_iam_policy` in the stack. */
function adminPolicy(arn: unknown, stack: StackView): string | undefined {
  if (typeof arn !== 'string') return undefined;
  const name = AWS_MANAGED_ARN.exec(arn)?.[1];
  if (name !== undefined) return Object.hasOwn(ADMIN_POLICIES, name) ? name : undefined;
  const data = stack.resolveReference(arn);
  if (data?.type !== 'data.aws_iam_policy') return undefined;
  if (data.config.arn !== undefined) return adminPolicy(data.config.arn, stack);
  const byName = data.config.name;
  return typeof byName === 'string' && Object.hasOwn(ADMIN_POLICIES, byName) ? byName : undefined;
}

const describe = (name: string) => `the AWS managed ${name} policy (${ADMIN_POLICIES[name]})`;

/** What of administrator access an Allow statement grants on every resource. */
function adminGrants(s: Statement): string[] {
  const everywhere = s.resources.includes('*') ? '"*"' : s.notResources.length > 0 ? `every resource but ${quoted(s.notResources)}` : undefined;
  if (!everywhere) return [];
  const issues: string[] = [];
  if (s.actions.includes('*')) issues.push(`"*" on ${everywhere}`);
  else if (s.actions.some((a) => a.toLowerCase() === 'iam:*')) issues.push(`"iam:*" on ${everywhere} (it can grant itself anything)`);
  if (s.notActions.length > 0) issues.push(`every action but ${quoted(s.notActions)} (NotAction) on ${everywhere}`);
  return issues;
}

const FIX = 'grant only the actions and resources it needs';

/**
 * No identity gets administrator access: no inline or customer managed policy allowing `*` (or
 * `iam:*`, or everything but a NotAction list) on every resource, and no attachment of the AWS
 * managed AdministratorAccess, IAMFullAccess or PowerUserAccess policies (attachment resources
 * or a role's `managed_policy_arns`).
 */
export const iamNoAdmin: Rule = {
  id: 'iam-no-admin',
  severity: 'critical',
  resourceTypes: [...IDENTITY_POLICY_TYPES, ...ATTACHMENT_TYPES],
  description: 'No identity gets administrator access: no "*" on "*" policy, no AdministratorAccess, IAMFullAccess or PowerUserAccess attached.',
  rationale:
    'An administrator identity turns any leak of its credentials, or any bug in what runs as it, into control of the whole account; the platform needs no such identity.',
  check(resource, stack) {
    if ((ATTACHMENT_TYPES as readonly string[]).includes(resource.type)) {
      const name = adminPolicy(resource.config.policy_arn, stack);
      return name ? fail(`attaches ${describe(name)}; attach a policy that lists the actions and resources the identity needs`) : pass();
    }
    const inline = checkIdentityStatements(resource, stack, adminGrants, 'grants administrator access', FIX);
    if (resource.type !== 'aws_iam_role') return inline;

    const arns = resource.config.managed_policy_arns;
    const managed = Array.isArray(arns) ? arns : [];
    const admins = managed.map((a) => adminPolicy(a, stack)).filter((n): n is string => n !== undefined);
    if (admins.length > 0) return fail(`has ${admins.map(describe).join(' and ')} in managed_policy_arns; ${FIX}`);
    if (inline.status !== 'not-applicable') return inline;
    return managed.length > 0
      ? pass()
      : notApplicable('has no inline_policy blocks and no managed_policy_arns; its other policies are separate resources, checked on their own');
  },
};
