/** Helpers for rule tests: a stack view from a few resources, and running one rule on one of them. */
import { Outcome, Rule, RuleContext } from './rule';
import { StackJson, StackView } from './stack-view';

/** Context of an unprotected dev environment; override what a test needs. */
export const TEST_CONTEXT: RuleContext = { environment: 'dev', stage: 'development', protect: false, account: '111111111111', region: 'eu-west-1' };

/**
 * A stack view from resources keyed by address:
 * `{ 'aws_s3_bucket.raw': {...}, 'data.aws_iam_policy_document.p': {...} }`.
 */
export function stackOf(resources: Record<string, Record<string, unknown>>, context: Partial<RuleContext> = {}): StackView {
  const json: { resource: Record<string, Record<string, Record<string, unknown>>>; data: Record<string, Record<string, Record<string, unknown>>> } = { resource: {}, data: {} };
  for (const [address, config] of Object.entries(resources)) {
    const parts = address.split('.');
    const [kind, type, name] = parts[0] === 'data' ? ['data', parts[1], parts[2]] : ['resource', parts[0], parts[1]];
    const group = kind === 'data' ? json.data : json.resource;
    group[type] ??= {};
    group[type][name] = { '//': { metadata: { path: `test/${name}` } }, ...config };
  }
  return new StackView('test', json as StackJson, { ...TEST_CONTEXT, ...context });
}

/** Runs `rule` on the resource at `address` of `stack`. */
export function runRule(rule: Rule, stack: StackView, address: string): Outcome {
  const resource = stack.get(address);
  if (!resource) throw new Error(`no ${address} in the test stack`);
  if (!rule.resourceTypes.includes(resource.type)) throw new Error(`${rule.id} does not check ${resource.type}`);
  return rule.check(resource, stack);
}
