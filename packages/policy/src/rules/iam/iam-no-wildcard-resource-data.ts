import { Rule } from '../../rule';
import { DATA_ACTION_EXAMPLES, Statement, globToRegExp, isDataAction } from '../../iam';
import { IDENTITY_POLICY_TYPES, checkIdentityStatements, quoted, serviceOf, wildcardResourceService } from './policies';

/**
 * The actions of `statement` that read or write data of `service` (`*`: any service): its data
 * actions (partial wildcards included), or, for a NotAction statement, a description of it when
 * it leaves some data action of the service allowed.
 */
function dataGrants(statement: Statement, service: string): string[] {
  const ofService = (action: string) => service === '*' || serviceOf(action) === '*' || serviceOf(action) === service;
  if (statement.notActions.length > 0) {
    const excluded = statement.notActions.map(globToRegExp);
    const allowed = DATA_ACTION_EXAMPLES.some((e) => ofService(e) && !excluded.some((re) => re.test(e)));
    return allowed ? [`every action but ${quoted(statement.notActions)} (NotAction)`] : [];
  }
  return statement.actions.filter((a) => isDataAction(a) && ofService(a));
}

/** The data actions an Allow statement grants on wildcard resources or through NotResource. */
function dataOnWildcardResources(s: Statement): string[] {
  const issues: string[] = [];
  for (const r of s.resources) {
    const service = wildcardResourceService(r);
    const actions = service === undefined ? [] : dataGrants(s, service);
    if (actions.length > 0) issues.push(`${actions.join(', ')} on ${JSON.stringify(r)}`);
  }
  if (s.notResources.length > 0) {
    const actions = dataGrants(s, '*');
    if (actions.length > 0) issues.push(`${actions.join(', ')} on every resource but ${quoted(s.notResources)} (NotResource)`);
  }
  return issues;
}

/**
 * Identity policies grant data actions (reading or writing objects, items, records, secrets;
 * see `DATA_ACTIONS`) only on named resources: not on `*`, not on every resource of a kind
 * (`arn:aws:s3:::*`, `table/*`), and not through NotResource. Metadata actions on `*` (e.g.
 * `s3:ListAllMyBuckets`) are left alone.
 */
export const iamNoWildcardResourceData: Rule = {
  id: 'iam-no-wildcard-resource-data',
  severity: 'high',
  resourceTypes: [...IDENTITY_POLICY_TYPES],
  description: 'An identity policy grants data actions (object, item, record, secret reads and writes) only on named resources, never on "*".',
  rationale:
    'A data action on every resource opens every object, table, stream and secret in the account, including data added later by other teams.',
  check(resource, stack) {
    return checkIdentityStatements(
      resource,
      stack,
      dataOnWildcardResources,
      'grants data actions on every resource',
      'scope the resources to the buckets (and prefixes), keys, tables or streams it needs',
    );
  },
};
