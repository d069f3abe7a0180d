/**
 * Setup shared by the tests of the ingestion constructs: environments, the layered stacks a
 * construct is built in, and references into the lake's stack. Only `*.test.ts` files import it; it
 * is not exported from index.ts. Generic lookups into synthesized JSON and error helpers come from
 * `@data-platform/core`, the lake's stack builders from `@data-platform/lake`.
 *
 * Stacks take the policy pack as an aspect from the test rather than creating it here: lint lets
 * only `*.test.ts` files import `@data-platform/policy`, and this module cannot be named like a
 * test without jest running it as one.
 */
import { EnvironmentConfig, EnvironmentInput, testEnvironment } from '@data-platform/core';
import { LakeTestStackOptions, layeredStacks as layeredLakeStacks } from '@data-platform/lake';

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

/**
 * The lake in `<prefix>-lake` and an empty `<prefix>-ingestion` stack of one app, as the layered
 * layout builds them: the construct under test goes in `stack` and reaches the lake across stacks.
 * `prefix` is by default the environment's name.
 */
export function layeredStacks(environment: EnvironmentConfig, options: LakeTestStackOptions & { readonly prefix?: string } = {}) {
  return layeredLakeStacks(environment, 'ingestion', options);
}
