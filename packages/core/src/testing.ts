import { App, Testing, TerraformStack } from 'cdktf';
import { environmentSchema, EnvironmentConfig, EnvironmentInput } from './config/schema';

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
