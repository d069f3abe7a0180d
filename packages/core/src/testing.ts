import { App, Testing, TerraformResource, TerraformStack } from 'cdktf';
import { environmentSchema, EnvironmentConfig, EnvironmentInput } from './config/schema';
import { PlatformError } from './errors';
import { ServiceRole } from './primitives/service-role';

/** The synthesized Terraform JSON of one stack, parsed. */
export interface SynthesizedStack {
  readonly resource?: Record<string, Record<string, Record<string, unknown>>>;
  readonly data?: Record<string, Record<string, Record<string, unknown>>>;
  readonly provider?: Record<string, Array<Record<string, unknown>>>;
  readonly terraform?: Record<string, unknown>;
  readonly output?: Record<string, unknown>;
  readonly [key: string]: unknown;
}

/**
 * Synthesizes `stack` the way `cdktf synth` does, for tests.
 *
 * `Testing.synth` alone skips validations and aspects' errors and leaves cross-stack references
 * unresolved; this prepares the stack (aspects, cross-stack wiring) and runs its validations
 * first, throwing if any fails. Returns the JSON string (for the cdktf matchers) and its parse.
 */
export function synthesize(stack: TerraformStack): { json: string; tf: SynthesizedStack } {
  stack.prepareStack();
  const json = Testing.synth(stack, true);
  return { json, tf: JSON.parse(json) as SynthesizedStack };
}

/** A fresh cdktf App for a test, writing to a temporary directory. */
export function testApp(): App {
  return Testing.app();
}

/**
 * A valid environment for tests: an online dev environment in account 111111111111, with
 * `overrides` applied before validation (so defaults fill in as the loader would).
 */
export function testEnvironment(overrides: Partial<EnvironmentInput> = {}): EnvironmentConfig {
  return environmentSchema.parse({
    name: 'test',
    account: '111111111111',
    region: 'eu-west-1',
    deployRole: 'arn:aws:iam::111111111111:role/adp-deploy',
    state: { bucket: 'adp-tfstate-111111111111' },
    ...overrides,
  });
}

/** One statement of a synthesized `aws_iam_policy_document`, as Terraform JSON holds it. */
export interface SynthesizedStatement {
  readonly sid: string;
  readonly effect: string;
  readonly actions: string[];
  readonly resources: string[];
  readonly principals?: Array<{ type: string; identifiers: string[] }>;
  readonly condition?: Array<{ test: string; variable: string; values: string[] }>;
}

/** The statements of the policy document data source `document` in a synthesized stack. */
export function policyStatements(tf: SynthesizedStack, document: string): SynthesizedStatement[] {
  const doc = tf.data?.aws_iam_policy_document?.[document];
  if (!doc) throw new Error(`no data.aws_iam_policy_document.${document} in the synthesized stack`);
  return doc.statement as SynthesizedStatement[];
}

/** The resource `<type>.<name>` of a synthesized stack; throws listing what exists when absent. */
export function synthesizedResource(tf: SynthesizedStack, type: string, name: string): Record<string, unknown> {
  const found = tf.resource?.[type]?.[name];
  if (!found) throw new Error(`no ${type}.${name}; ${type} has: ${Object.keys(tf.resource?.[type] ?? {}).join(', ') || 'nothing'}`);
  return found;
}

/** The only resource of `type` whose id contains `part`; throws unless there is exactly one. */
export function only(tf: SynthesizedStack, type: string, part = ''): Record<string, unknown> {
  const found = Object.entries(tf.resource?.[type] ?? {}).filter(([id]) => id.includes(part));
  if (found.length !== 1) throw new Error(`expected one ${type}${part ? ` with "${part}"` : ''}, found ${found.length}`);
  return found[0][1];
}

/** The Terraform address `<type>.<id>` of a resource construct. */
export const addressOf = (resource: TerraformResource) => `${resource.terraformResourceType}.${resource.friendlyUniqueId}`;

/** A Terraform reference: `${<expression>}`, or `${<type>.<id>.<attribute>}` of a resource construct. */
export function ref(expression: string): string;
export function ref(resource: TerraformResource, attribute: string): string;
export function ref(target: string | TerraformResource, attribute?: string): string {
  return typeof target === 'string' ? `\${${target}}` : `\${${addressOf(target)}.${attribute}}`;
}

/** The id of the policy document a `${data.aws_iam_policy_document.<id>.json}` reference names. */
export function documentOf(reference: unknown): string {
  const document = /^\$\{data\.aws_iam_policy_document\.(.+)\.json\}$/.exec(String(reference))?.[1];
  if (!document) throw new Error(`${String(reference)} is not a policy document's JSON`);
  return document;
}

/** The statements of the policy document a `${data.aws_iam_policy_document.<id>.json}` reference names. */
export function documentStatements(tf: SynthesizedStack, reference: unknown): SynthesizedStatement[] {
  return policyStatements(tf, documentOf(reference));
}

/**
 * Statements of the inline role policies in the stack, by policy name: those of `owner`'s role,
 * or every one when no owner is given.
 */
export function rolePolicies(tf: SynthesizedStack, owner?: { readonly role: ServiceRole }): Record<string, SynthesizedStatement[]> {
  const role = owner && ref(owner.role.role, 'name');
  return Object.fromEntries(
    Object.values(tf.resource?.aws_iam_role_policy ?? {})
      .filter((p) => role === undefined || p.role === role)
      .map((p) => [p.name as string, documentStatements(tf, p.policy)]),
  );
}

/** The statements of a service role's trust policy. */
export function trustOf(tf: SynthesizedStack, role: ServiceRole): SynthesizedStatement[] {
  return documentStatements(tf, synthesizedResource(tf, 'aws_iam_role', role.role.friendlyUniqueId).assume_role_policy);
}

/** What `fn` throws, or undefined when it returns. */
export function thrownBy(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  return undefined;
}

/** The PlatformError `fn` throws; rethrows any other error and fails when it throws none. */
export function errorOf(fn: () => unknown): PlatformError {
  const error = thrownBy(fn);
  if (error instanceof PlatformError) return error;
  if (error !== undefined) throw error;
  throw new Error('expected a PlatformError');
}

/** The lines of the PlatformError `fn` throws: one problem a line. */
export function problemsOf(fn: () => unknown): string[] {
  return errorOf(fn).message.split('\n');
}
