/**
 * Setup shared by the tests of the ingestion constructs: environments, the stacks a construct is
 * built in, and lookups into synthesized Terraform JSON. Only `*.test.ts` files import it; it is
 * not exported from index.ts.
 *
 * Stacks take the policy pack as an aspect from the test rather than creating it here: lint lets
 * only `*.test.ts` files import `@data-platform/policy`, and this module cannot be named like a
 * test without jest running it as one.
 */
import { App, IAspect, TerraformResource } from 'cdktf';
import {
  EnvironmentConfig,
  EnvironmentInput,
  PlatformError,
  PlatformStack,
  policyStatements,
  ServiceRole,
  synthesizedResource,
  SynthesizedStack,
  SynthesizedStatement,
  testApp,
  testEnvironment,
} from '@data-platform/core';
import { DataLake, DataLakeProps } from '@data-platform/lake';

/** One dataset of the environment's `ingestion.<section>`, as <env>.yaml holds it (before defaults). */
export type IngestionInput<Section extends keyof NonNullable<EnvironmentInput['ingestion']>> =
  NonNullable<NonNullable<EnvironmentInput['ingestion']>[Section]>[string];

/** An existing VPC with private subnets in two availability zones (a DMS subnet group needs two). */
export const NETWORK = {
  vpcId: 'vpc-0a1b2c3d4e5f60001',
  vpcCidr: '10.10.0.0/16',
  subnets: { 'eu-west-1a': 'subnet-0a1b2c3d4e5f60001', 'eu-west-1b': 'subnet-0a1b2c3d4e5f61001' },
};

/** What makes an environment the offline one of environments/local.yaml: one stack, a local account. */
export const OFFLINE = { name: 'local', offline: true, layout: 'single', account: '000000000000' } as const;

/** The lake key's ARN, as a reference within the lake's stack. */
export const KEY_ARN = '${aws_kms_key.lake_key.arn}';
/** The raw bucket's ARN, as a reference within the lake's stack. */
export const RAW_ARN = '${aws_s3_bucket.lake_raw_bucket.arn}';
/** The raw bucket's name, as a reference within the lake's stack. */
export const RAW_NAME = '${aws_s3_bucket.lake_raw_bucket.bucket}';

/** Core's test environment named `dev`, with `overrides` applied before validation. */
export function devEnvironment(overrides: Partial<EnvironmentInput> = {}): EnvironmentConfig {
  return testEnvironment({ name: 'dev', ...overrides });
}

/** Where {@link stackWithLake} and {@link layeredStacks} build their stacks. */
export interface TestStackOptions {
  /**
   * The app the stacks join.
   * @default a fresh `testApp()`
   */
  readonly app?: App;
  /**
   * Aspects of every stack built, e.g. `[new PolicyPack()]` from the test file.
   * @default none
   */
  readonly aspects?: readonly IAspect[];
  /**
   * Props of the lake besides its config, which is the environment's `lake` section.
   * @default none
   */
  readonly lake?: Omit<DataLakeProps, 'config'>;
}

/**
 * One stack holding the environment's lake (id `lake`), for the construct under test to join.
 * The stack's id is `id`, by default the environment's name.
 */
export function stackWithLake(environment: EnvironmentConfig, options: TestStackOptions & { readonly id?: string } = {}) {
  const stack = new PlatformStack(options.app ?? testApp(), options.id ?? environment.name, { env: environment, aspects: options.aspects });
  const lake = new DataLake(stack, 'lake', { config: environment.lake, ...options.lake });
  return { stack, lake };
}

/**
 * The lake in `<prefix>-lake` and an empty `<prefix>-ingestion` stack of one app, as the layered
 * layout builds them: the construct under test goes in `stack` and reaches the lake across stacks.
 * `prefix` is by default the environment's name.
 */
export function layeredStacks(environment: EnvironmentConfig, options: TestStackOptions & { readonly prefix?: string } = {}) {
  const app = options.app ?? testApp();
  const prefix = options.prefix ?? environment.name;
  const { stack: lakeStack, lake } = stackWithLake(environment, { ...options, app, id: `${prefix}-lake` });
  const stack = new PlatformStack(app, `${prefix}-ingestion`, { env: environment, aspects: options.aspects });
  return { app, lakeStack, lake, stack };
}

/** The only resource of `type` in the stack; throws unless there is exactly one. */
export function only(tf: SynthesizedStack, type: string): Record<string, unknown> {
  const found = Object.values(tf.resource?.[type] ?? {});
  if (found.length !== 1) throw new Error(`expected one ${type}, found ${found.length}`);
  return found[0];
}

/** The Terraform address `<type>.<id>` of a resource construct. */
export const addressOf = (resource: TerraformResource) => `${resource.terraformResourceType}.${resource.friendlyUniqueId}`;

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

/** Statements of every inline role policy in the stack, by policy name. */
export function rolePolicies(tf: SynthesizedStack): Record<string, SynthesizedStatement[]> {
  return Object.fromEntries(
    Object.values(tf.resource?.aws_iam_role_policy ?? {}).map((p) => [p.name as string, documentStatements(tf, p.policy)]),
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
