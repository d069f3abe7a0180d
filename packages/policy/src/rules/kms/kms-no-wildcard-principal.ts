import { Rule, fail, listing, pass } from '../../rule';
import { allowsAnyone, exact, readPolicy, restricts, statementLabel, unreadableMessage } from '../../iam';

/** Condition keys that pin a request to named accounts or an organization. */
const SCOPING_KEYS = ['aws:PrincipalAccount', 'aws:SourceAccount', 'kms:CallerAccount', 'aws:PrincipalOrgID'] as const;

/**
 * A key policy does not let anyone use the key: no Allow statement for principal `*` (or with a
 * NotPrincipal) unless a condition pins it to named accounts or an organization. A key without
 * a `policy` gets the AWS default policy (the account, through IAM), which passes; so does the
 * usual delegation statement to the account root.
 */
export const kmsNoWildcardPrincipal: Rule = {
  id: 'kms-no-wildcard-principal',
  severity: 'critical',
  resourceTypes: ['aws_kms_key'],
  description: 'A key policy allows no principal "*" unless restricted by aws:PrincipalAccount, aws:SourceAccount, kms:CallerAccount or aws:PrincipalOrgID.',
  rationale:
    'A key policy is the only gate to a KMS key: "*" without an account condition lets any AWS account decrypt (or manage) with it.',
  check(key, stack) {
    const read = readPolicy(key.config.policy, stack);
    if ('unreadable' in read) return fail(unreadableMessage('its key policy', read.unreadable));
    const open = read.statements.flatMap((s, i) => {
      if (s.effect !== 'Allow' || s.conditions.some((c) => restricts(c, SCOPING_KEYS, exact))) return [];
      const where = statementLabel(s, i);
      if (allowsAnyone(s.principals)) return [`${where} allows principal "*"`];
      if (s.notPrincipals.length > 0) return [`${where} allows every principal but its NotPrincipal`];
      return [];
    });
    if (open.length === 0) return pass();
    return fail(
      `has a key policy that lets anyone use the key: ${listing(open)} without a condition naming the accounts or organization (${listing([...SCOPING_KEYS], 'or')}); name the principals, or add a StringEquals condition on one of those keys`,
    );
  },
};
