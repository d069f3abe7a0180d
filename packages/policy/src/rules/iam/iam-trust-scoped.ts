import { Rule, fail, pass } from '../../rule';
import { Statement, allowsAnyone, exact, readPolicy, restricts, statementLabel, unreadableMessage } from '../../iam';
import { StackView, isExpression } from '../../stack-view';

/** The audience every workload of GitHub Actions, EKS and other issuers gets by default: it scopes nothing. */
const SHARED_AUDIENCE = 'sts.amazonaws.com';

/** A `:sub` value that admits any subject (`*`, `repo:*`, `repo:*\/*`). */
const matchesAnyone = (value: string): boolean => /^([a-z_]+:)?[*?/:]*$/i.test(value);

/**
 * The prefix of the condition keys of a federated principal: the OIDC issuer host and path
 * (`token.actions.githubusercontent.com`), `saml` for a SAML provider, or the identity provider
 * itself (`cognito-identity.amazonaws.com`); undefined when the pack cannot tell.
 */
function issuerOf(identifier: string, stack: StackView): string | undefined {
  const ref = stack.resolveReference(identifier);
  if (ref?.type === 'aws_iam_openid_connect_provider') {
    const url = ref.config.url;
    return typeof url === 'string' && !isExpression(url) ? url.replace(/^https:\/\//, '').replace(/\/$/, '') : undefined;
  }
  if (ref?.type === 'aws_iam_saml_provider') return 'saml';
  const oidc = /:oidc-provider\/(.+)$/.exec(identifier);
  if (oidc) return oidc[1];
  if (/:saml-provider\//.test(identifier)) return 'saml';
  return !identifier.startsWith('arn:') && !isExpression(identifier) ? identifier : undefined;
}

/**
 * True when `s` limits a federated principal of `issuer` to named subjects: a condition on
 * `<issuer>:sub`, or on `<issuer>:aud` with an audience of its own (not the shared
 * sts.amazonaws.com).
 */
function scopesFederated(s: Statement, issuer: string | undefined): boolean {
  return s.conditions.some((c) => {
    const m = /^(.*):(sub|aud)$/i.exec(c.variable);
    if (!m || (issuer !== undefined && m[1].toLowerCase() !== issuer.toLowerCase())) return false;
    if (!restricts(c, [c.variable], (v) => !matchesAnyone(v))) return false;
    return m[2].toLowerCase() === 'sub' || c.values.some((v) => v.toLowerCase() !== SHARED_AUDIENCE);
  });
}

/** The account of an AWS principal given as an account id or an IAM/STS ARN; undefined for references. */
function accountOf(identifier: string): string | undefined {
  if (/^\d{12}$/.test(identifier)) return identifier;
  return /^arn:[^:]+:(?:iam|sts)::(\d{12}):/.exec(identifier)?.[1];
}

const FIXES = {
  anyone: 'name the principals that may assume it',
  federated: 'add a StringEquals or StringLike condition on the provider\'s :sub (e.g. token.actions.githubusercontent.com:sub = "repo:<owner>/<repo>:ref:refs/heads/main") or on an audience of its own',
  foreign: 'add a StringEquals condition on sts:ExternalId or aws:PrincipalOrgID for the other account',
} as const;

/**
 * A role's trust policy lets in only named principals: no `*` (or NotPrincipal) in an Allow;
 * a federated (OIDC, SAML) principal only with a condition on the token's subject or an
 * audience of its own; an AWS principal of another account only with `sts:ExternalId` or
 * `aws:PrincipalOrgID`. Service principals and principals of the stack's own account are fine.
 */
export const iamTrustScoped: Rule = {
  id: 'iam-trust-scoped',
  severity: 'critical',
  resourceTypes: ['aws_iam_role'],
  description: 'A role\'s trust policy admits named principals only: no "*", federated principals scoped by subject, other accounts by external id or organization.',
  rationale:
    'A trust policy decides who can become the role: "*", an OIDC provider without a subject condition (any GitHub repository) or an unscoped foreign account hands the role\'s permissions to strangers.',
  check(role, stack) {
    const read = readPolicy(role.config.assume_role_policy, stack);
    if ('unreadable' in read) return fail(unreadableMessage('its assume_role_policy', read.unreadable));

    const issues: string[] = [];
    const fixes = new Set<string>();
    const add = (issue: string, fix: keyof typeof FIXES) => {
      issues.push(issue);
      fixes.add(FIXES[fix]);
    };
    const own = stack.context.account;
    read.statements.forEach((s, i) => {
      if (s.effect !== 'Allow') return;
      const where = statementLabel(s, i);
      if (allowsAnyone(s.principals)) add(`principal "*" in ${where} lets anyone assume it`, 'anyone');
      if (s.notPrincipals.length > 0) add(`NotPrincipal in the Allow ${where} lets everyone else assume it`, 'anyone');
      for (const p of s.principals) {
        for (const id of p.identifiers) {
          if (p.type === 'Federated') {
            const issuer = issuerOf(id, stack);
            if (!scopesFederated(s, issuer)) {
              const key = issuer === undefined ? 'its :sub' : `${issuer === 'saml' ? 'SAML' : issuer}:sub`;
              const shown = issuer !== undefined && issuer !== 'saml' ? issuer : id;
              add(`federated principal ${JSON.stringify(shown)} in ${where} has no condition on ${key} or an audience of its own`, 'federated');
            }
          } else if (p.type === 'AWS' && id !== '*') {
            const account = accountOf(id);
            const foreign = account !== undefined && own !== '' && account !== own;
            const scoped = s.conditions.some((c) => restricts(c, ['sts:ExternalId', 'aws:PrincipalOrgID'], exact));
            if (foreign && !scoped) add(`AWS principal ${JSON.stringify(id)} of account ${account} in ${where} has no sts:ExternalId or aws:PrincipalOrgID condition`, 'foreign');
          }
        }
      }
    });
    return issues.length > 0 ? fail(`can be assumed too broadly: ${issues.join('; ')}; ${[...fixes].join('; ')}`) : pass();
  },
};
