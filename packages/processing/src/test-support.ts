/**
 * Setup shared by the tests of the processing constructs: environments and their processing
 * configs, the layered stacks a construct is built in (and the security configuration jobs,
 * crawlers and sessions run under), and what processing tests expect of the lake's grants. Only
 * `*.test.ts` files import it; it is not exported from index.ts. Generic lookups into synthesized
 * JSON and error helpers come from `@data-platform/core`, the lake's stack builders from
 * `@data-platform/lake`.
 *
 * Stacks take the policy pack as an aspect from the test rather than creating it here: lint lets
 * only `*.test.ts` files import `@data-platform/policy`, and this module cannot be named like a
 * test without jest running it as one.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TerraformResource, TerraformStack } from 'cdktf';
import {
  EnvironmentConfig,
  EnvironmentInput,
  PlatformStack,
  ProcessingConfig,
  synthesize,
  synthesizedResource,
  SynthesizedStack,
  SynthesizedStatement,
  testEnvironment,
} from '@data-platform/core';
import { DataLake, LakeTestStackOptions, layeredStacks as layeredLakeStacks } from '@data-platform/lake';
import { SCRIPTS_DIR } from './glue-script';
import { ProcessingSecurity } from './security-configuration';

/** A section of the environment's `processing` that holds datasets by name. */
export type ProcessingSection = Exclude<keyof ProcessingConfig, 'interactiveSessions'>;

/** One dataset of the environment's `processing.<section>`, as <env>.yaml holds it (before defaults). */
export type ProcessingInput<Section extends ProcessingSection> = NonNullable<NonNullable<EnvironmentInput['processing']>[Section]>[string];

/** An existing VPC with private subnets in two availability zones. */
export const NETWORK = {
  vpcId: 'vpc-0a1b2c3d4e5f60001',
  vpcCidr: '10.10.0.0/16',
  subnets: { 'eu-west-1a': 'subnet-0a1b2c3d4e5f60001', 'eu-west-1b': 'subnet-0a1b2c3d4e5f61001' },
};

/** What makes an environment the offline one of environments/local.yaml: one stack, a local account. */
export const OFFLINE = { name: 'local', offline: true, layout: 'single', account: '000000000000' } as const;

/** The AWS partition, as a reference within any stack. */
export const PARTITION = '${data.aws_partition.partition.partition}';
/** The lake key's ARN, as a reference within the lake's stack. */
export const KEY_ARN = '${aws_kms_key.lake_key.arn}';
/** The raw bucket's ARN, as a reference within the lake's stack. */
export const RAW_ARN = '${aws_s3_bucket.lake_raw_bucket.arn}';
/** The processed bucket's ARN, as a reference within the lake's stack. */
export const PROCESSED_ARN = '${aws_s3_bucket.lake_processed_bucket.arn}';
/** The artifacts bucket's ARN, as a reference within the lake's stack. */
export const ARTIFACTS_ARN = '${aws_s3_bucket.lake_artifacts_bucket.arn}';
/** The name of the security configuration {@link withSecurity} adds, as a reference within its stack. */
export const SECURITY_NAME = '${aws_glue_security_configuration.security_configuration_3832C311.name}';

/** The condition of a lake grant's KMS statement: the key is used only through S3, in eu-west-1. */
export const VIA_S3 = [{ test: 'StringEquals', variable: 'kms:ViaService', values: ['s3.eu-west-1.amazonaws.com'] }];

/** The ARN of a Glue `resource` (`catalog`, `database/<name>`, ...) of the test account in eu-west-1. */
export const glueArn = (resource: string) => `arn:${PARTITION}:glue:eu-west-1:111111111111:${resource}`;

/** Core's test environment named `dev`, with `overrides` applied before validation. */
export function devEnvironment(overrides: Partial<EnvironmentInput> = {}): EnvironmentConfig {
  return testEnvironment({ name: 'dev', ...overrides });
}

/** The config of one dataset of `processing.<section>` as the loader produces it: `input` validated, defaults filled in. */
export function processingConfig<Section extends ProcessingSection>(section: Section, input: ProcessingInput<Section>): ProcessingConfig[Section][string] {
  const processing = { [section]: { sample: input } } as EnvironmentInput['processing'];
  return devEnvironment({ processing }).processing[section].sample as ProcessingConfig[Section][string];
}

/**
 * The lake in `<prefix>-lake` and an empty `<prefix>-processing` stack of one app, as the layered
 * layout builds them: the construct under test goes in `stack` and reaches the lake across stacks.
 * `prefix` is by default the environment's name.
 */
export function layeredStacks(environment: EnvironmentConfig, options: LakeTestStackOptions & { readonly prefix?: string } = {}) {
  return layeredLakeStacks(environment, 'processing', options);
}

/** `built` and the processing security configuration (id `security`) in its `stack`, over its `lake`. */
export function withSecurity<Built extends { readonly stack: PlatformStack; readonly lake: DataLake }>(built: Built) {
  return { ...built, security: new ProcessingSecurity(built.stack, 'security', { lake: built.lake }) };
}

/** `built` with its `stack` synthesized: the JSON string and its parse beside what was built. */
export function synthesized<Built extends { readonly stack: TerraformStack }>(built: Built) {
  return { ...built, ...synthesize(built.stack) };
}

/** The synthesized `aws_glue_job` of an ETL or streaming job. */
export const jobOf = (tf: SynthesizedStack, job: { readonly job: TerraformResource }) => synthesizedResource(tf, 'aws_glue_job', job.job.friendlyUniqueId);

/** The 8 hex digits of sha256(`prefix`) that the lake's grant names carry. */
export const prefixHash = (prefix: string) => createHash('sha256').update(prefix).digest('hex').slice(0, 8);

/** The 12 hex digits of sha256 of a script of packages/processing/scripts that key its upload. */
export const scriptHash = (file: string) => createHash('sha256').update(readFileSync(join(SCRIPTS_DIR, file))).digest('hex').slice(0, 12);

/** The statements of `DataLake.grantRead` on `bucketArn` under `prefix` ("" for the whole bucket). */
export const lakeRead = (bucketArn: string, prefix = ''): SynthesizedStatement[] => [
  { sid: 'ReadObjects', effect: 'Allow', actions: ['s3:GetObject', 's3:GetObjectVersion'], resources: [`${bucketArn}/${prefix}*`] },
  {
    sid: 'ListObjects',
    effect: 'Allow',
    actions: ['s3:ListBucket'],
    resources: [bucketArn],
    ...(prefix ? { condition: [{ test: 'StringLike', variable: 's3:prefix', values: [`${prefix}*`] }] } : {}),
  },
  { sid: 'LocateBucket', effect: 'Allow', actions: ['s3:GetBucketLocation'], resources: [bucketArn] },
  { sid: 'DecryptWithLakeKey', effect: 'Allow', actions: ['kms:Decrypt'], resources: [KEY_ARN], condition: VIA_S3 },
];

/** The statements of `DataLake.grantWrite` on `bucketArn` under `prefix`. */
export const lakeWrite = (bucketArn: string, prefix: string): SynthesizedStatement[] => [
  {
    sid: 'WriteObjects',
    effect: 'Allow',
    actions: ['s3:PutObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'],
    resources: [`${bucketArn}/${prefix}*`],
  },
  { sid: 'LocateBucketAndUploads', effect: 'Allow', actions: ['s3:GetBucketLocation', 's3:ListBucketMultipartUploads'], resources: [bucketArn] },
  { sid: 'EncryptWithLakeKey', effect: 'Allow', actions: ['kms:GenerateDataKey', 'kms:Decrypt'], resources: [KEY_ARN], condition: VIA_S3 },
];
