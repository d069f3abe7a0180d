/**
 * Setup shared by the tests of the Lake Formation constructs: environments, the layered stacks a
 * construct is built in, catalog tables to tag and filter, and lookups of the synthesized grants.
 * Only `*.test.ts` files import it; it is not exported from index.ts. Generic lookups into
 * synthesized JSON come from `@data-platform/core`, the lake's stack builders from
 * `@data-platform/lake`.
 *
 * Stacks take the policy pack as an aspect from the test: lint lets only `*.test.ts` files import
 * `@data-platform/policy`.
 */
import { TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { GlueCatalogTable } from '@cdktf/provider-aws/lib/glue-catalog-table';
import {
  EnvironmentConfig,
  EnvironmentInput,
  GovernanceConfig,
  PersonaConfig,
  SynthesizedStack,
  SynthesizedStatement,
  Zone,
  stateful,
  synthesize,
  testEnvironment,
} from '@data-platform/core';
import { DataLake, LakeTestStackOptions, layeredStacks } from '@data-platform/lake';

/** The test environment's account. */
export const ACCOUNT = '111111111111';
/** The deploy role of core's test environment. */
export const DEPLOY_ROLE = 'arn:aws:iam::111111111111:role/adp-deploy';
/** A data lake administrator of the test account. */
export const ADMIN_ROLE = 'arn:aws:iam::111111111111:role/data-platform-admin';

/** An existing VPC with private subnets in two availability zones (the offline environment needs one). */
export const NETWORK = {
  vpcId: 'vpc-0a1b2c3d4e5f60001',
  vpcCidr: '10.10.0.0/16',
  subnets: { 'eu-west-1a': 'subnet-0a1b2c3d4e5f60001', 'eu-west-1b': 'subnet-0a1b2c3d4e5f61001' },
};

/**
 * What makes an environment the offline one of environments/local.yaml: one stack, a local
 * account, unprotected, no deploy role and no remote state.
 */
export const OFFLINE = {
  name: 'local', offline: true, layout: 'single', account: '000000000000', protect: false, network: NETWORK, deployRole: undefined, state: undefined,
} as const;

/** The AWS partition, as a reference within any stack. */
export const PARTITION = '${data.aws_partition.partition.partition}';

/** The name of the zone database `zone`, as a reference within the lake's stack. */
export const databaseName = (zone: Zone) => `\${aws_glue_catalog_database.lake_${zone}_database.name}`;
/** The ARN of the zone bucket `zone`, as a reference within the lake's stack. */
export const bucketArn = (zone: Zone) => `\${aws_s3_bucket.lake_${zone}_bucket.arn}`;

/** The `governance` section of an environment file, as written (before defaults). */
export type GovernanceInput = NonNullable<EnvironmentInput['governance']>;
/** One persona of `governance.personas`, as written. */
export type PersonaInput = NonNullable<GovernanceInput['personas']>[string];

/** The LF-tags of environments/dev.yaml. */
export const DEV_TAGS = { domain: ['sales', 'customer'], sensitivity: ['public', 'internal', 'pii'] };

/** Core's test environment named `dev`, with `overrides` applied before validation. */
export function devEnvironment(overrides: Partial<EnvironmentInput> = {}): EnvironmentConfig {
  return testEnvironment({ name: 'dev', ...overrides });
}

/** The `governance` section as the loader produces it from `input` (validated, defaults filled in). */
export function governanceConfig(input: GovernanceInput): GovernanceConfig {
  return devEnvironment({ governance: input }).governance as GovernanceConfig;
}

/** One persona as the loader produces it from `input`, beside the tags of environments/dev.yaml. */
export function personaConfig(input: PersonaInput): PersonaConfig {
  return governanceConfig({ tags: DEV_TAGS, personas: { sample: input } }).personas.sample;
}

/**
 * The lake in `<prefix>-lake` and an empty `<prefix>-governance` stack of one app: the construct
 * under test goes in `stack` and reaches the lake across stacks.
 */
export function governanceStacks(environment: EnvironmentConfig, options: LakeTestStackOptions & { readonly prefix?: string } = {}) {
  return layeredStacks(environment, 'governance', options);
}

/** The columns of the table `customer_features` of environments/dev.yaml. */
export const CUSTOMER_FEATURES_COLUMNS = ['customer_id', 'country', 'first_order_date', 'tenure_days', 'orders_90d', 'revenue_90d', 'days_since_last_order'];

/**
 * A Parquet catalog table `name` in the `zone` database of `lake`, created in `scope` (the lake's
 * stack) and pinned like the lake's managed tables (`lake_<name>_table`).
 */
export function catalogTable(scope: Construct, lake: DataLake, name: string, zone: Zone = 'curated', columns: readonly string[] = CUSTOMER_FEATURES_COLUMNS): GlueCatalogTable {
  return stateful(
    new GlueCatalogTable(scope, `table-${name}`, {
      name,
      databaseName: lake.databases[zone].name,
      tableType: 'EXTERNAL_TABLE',
      storageDescriptor: {
        location: `s3://${lake.zones[zone].name}/${name}/`,
        inputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat',
        outputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat',
        serDeInfo: { serializationLibrary: 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe' },
        columns: columns.map((column) => ({ name: column, type: 'string' })),
      },
    }),
    `lake_${name}_table`,
  );
}

/** `built` with its `stack` synthesized: the JSON string and its parse beside what was built. */
export function synthesized<Built extends { readonly stack: TerraformStack }>(built: Built) {
  return { ...built, ...synthesize(built.stack) };
}

/** The synthesized `aws_lakeformation_permissions` of a stack, by construct-derived id. */
export function lfGrants(tf: SynthesizedStack): Record<string, Record<string, unknown>> {
  return tf.resource?.aws_lakeformation_permissions ?? {};
}

/** A remote-state reference of a value read across stacks from `<prefix>-lake`. */
export const REMOTE = /^\$\{data\.terraform_remote_state\.cross-stack-reference-input-[\w-]+\.outputs\.cross-stack-output-[\w.-]+\}$/;

/** The condition of a lake grant's KMS statement: the key is used only through S3, in eu-west-1. */
export const VIA_S3 = [{ test: 'StringEquals', variable: 'kms:ViaService', values: ['s3.eu-west-1.amazonaws.com'] }];
/** The lake key's ARN, as a reference within the lake's stack. */
export const KEY_ARN = '${aws_kms_key.lake_key.arn}';

/** The statements of `DataLake.grantRead` on the whole bucket `bucket` (an ARN). */
export const lakeReadAll = (bucket: string): SynthesizedStatement[] => [
  { sid: 'ReadObjects', effect: 'Allow', actions: ['s3:GetObject', 's3:GetObjectVersion'], resources: [`${bucket}/*`] },
  { sid: 'ListObjects', effect: 'Allow', actions: ['s3:ListBucket'], resources: [bucket] },
  { sid: 'LocateBucket', effect: 'Allow', actions: ['s3:GetBucketLocation'], resources: [bucket] },
  { sid: 'DecryptWithLakeKey', effect: 'Allow', actions: ['kms:Decrypt'], resources: [KEY_ARN], condition: VIA_S3 },
];

/** The statements of `DataLake.grantWrite` on the whole bucket `bucket` (an ARN). */
export const lakeWriteAll = (bucket: string): SynthesizedStatement[] => [
  { sid: 'WriteObjects', effect: 'Allow', actions: ['s3:PutObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'], resources: [`${bucket}/*`] },
  { sid: 'LocateBucketAndUploads', effect: 'Allow', actions: ['s3:GetBucketLocation', 's3:ListBucketMultipartUploads'], resources: [bucket] },
  { sid: 'EncryptWithLakeKey', effect: 'Allow', actions: ['kms:GenerateDataKey', 'kms:Decrypt'], resources: [KEY_ARN], condition: VIA_S3 },
];

/** The `governance` section of environments/dev.yaml (Lake Formation parts), with an administrator and a share. */
export const DEV_GOVERNANCE: GovernanceInput = {
  administrators: [ADMIN_ROLE],
  tags: DEV_TAGS,
  databases: {
    raw: { domain: 'sales', sensitivity: 'pii' },
    processed: { domain: 'sales', sensitivity: 'internal' },
    curated: { domain: 'sales', sensitivity: 'internal' },
  },
  tables: { 'curated.customer_features': { tags: { domain: 'customer' }, columns: { customer_id: { sensitivity: 'pii' } } } },
  personas: {
    'data-engineers': {
      description: 'Build and run the pipelines; query and change every zone.',
      grants: [{ tags: { domain: ['sales', 'customer'], sensitivity: ['public', 'internal', 'pii'] }, access: 'write' }],
    },
    analysts: {
      description: 'Business analysts; query sales data, never personal data.',
      grants: [{ tags: { domain: ['sales'], sensitivity: ['public', 'internal'] }, access: 'read' }],
    },
    marketing: { description: 'Marketing; EU customers\' features only, without identifiers.', filters: ['eu-customers'] },
    'data-scientists': {
      description: 'Data scientists; the execution role of their SageMaker Studio apps.',
      assumedBy: ['sagemaker.amazonaws.com'],
      grants: [{ tags: { domain: ['sales', 'customer'], sensitivity: ['public', 'internal'] }, access: 'read' }],
    },
    bi: {
      description: 'The role QuickSight queries Athena with.',
      assumedBy: ['quicksight.amazonaws.com'],
      grants: [{ tags: { domain: ['sales'], sensitivity: ['public', 'internal'] }, access: 'read' }],
    },
    auditors: {
      description: 'Auditors; see which data exists, read none of it.',
      grants: [{ tags: { domain: ['sales', 'customer'], sensitivity: ['public', 'internal', 'pii'] }, access: 'describe' }],
    },
  },
  filters: {
    'eu-customers': {
      table: 'curated.customer_features',
      rowFilter: "country IN ('DE', 'FR', 'NL', 'ES', 'IT')",
      columns: ['country', 'first_order_date', 'tenure_days', 'orders_90d', 'revenue_90d', 'days_since_last_order'],
    },
  },
  sharing: { 'finance-reporting': { account: '444444444444', database: 'curated', access: 'read' } },
};
