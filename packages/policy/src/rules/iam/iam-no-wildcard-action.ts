import { Rule } from '../../rule';
import { Statement, isWildcardAction } from '../../iam';
import { IDENTITY_POLICY_TYPES, checkIdentityStatements, quoted } from './policies';

/** `*`, `s3:*`, and the odd forms IAM also expands to whole services (`*:GetObject`, `s3:**`). */
const isBroadAction = (action: string): boolean =>
  isWildcardAction(action) || /^[^:]*[*?][^:]*:/.test(action) || /:[*?]+$/.test(action);

/** The wildcard actions an Allow statement grants, and its NotAction if it has one. */
function wildcardActions(s: Statement): string[] {
  const issues = s.actions.filter(isBroadAction).map((a) => JSON.stringify(a));
  if (s.notActions.length > 0) issues.push(`every action but ${quoted(s.notActions)} (NotAction)`);
  return issues;
}

/**
 * Identity policies list their actions: no `*`, no service-wide `<service>:*`, and no `NotAction`
 * in an Allow statement (which allows every action but the listed ones). Partial wildcards such
 * as `s3:Get*` are allowed here; iam-no-wildcard-resource-data checks what they reach.
 */
export const iamNoWildcardAction: Rule = {
  id: 'iam-no-wildcard-action',
  severity: 'high',
  resourceTypes: [...IDENTITY_POLICY_TYPES],
  description: 'An identity policy allows no "*" or service-wide ("s3:*") action, and uses no NotAction in an Allow statement.',
  rationale:
    'A wildcard grants every action of a service, including ones that change permissions, delete data or are added later; least privilege lists what the caller needs.',
  check(resource, stack) {
    return checkIdentityStatements(resource, stack, wildcardActions, 'allows wildcard actions', 'list the specific actions each statement needs');
  },
};
