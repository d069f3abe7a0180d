import { z } from 'zod';
import { ingestionSchema } from './ingestion';
import { processingSchema } from './processing';
import { observabilitySchema } from './observability';
import { governanceSchema } from './governance';
import { biSchema } from './bi';
import { mlSchema } from './ml';

/**
 * The environment file's schema: one source for the TypeScript types, the runtime validation
 * and `environments/schema.json` (generated, so editors complete and check the YAML).
 *
 * Every field has a description (shown by editors and used in "missing" messages) and every
 * optional field's default is an exported constant that tests assert.
 */

/** The layers an environment is split into; later layers extend this list. */
export const LAYERS = ['lake', 'ingestion', 'processing', 'governance', 'bi', 'ml', 'observability'] as const;
export type Layer = (typeof LAYERS)[number];

/** The lake's data zones, in the order data flows through them. */
export const ZONES = ['raw', 'processed', 'curated'] as const;
export type Zone = (typeof ZONES)[number];

export const STAGES = ['development', 'staging', 'production'] as const;
export type Stage = (typeof STAGES)[number];

/** Defaults of the top-level fields. */
export const ENVIRONMENT_DEFAULTS = {
  project: 'adp',
  stage: 'development',
  layout: 'layered',
  protect: true,
  offline: false,
} as const;

/** Defaults of one zone's lifecycle. */
export const ZONE_LIFECYCLE_DEFAULTS = {
  infrequentAccessDays: 90,
  noncurrentVersionExpirationDays: 90,
} as const;

/** Defaults of the `lake` section. */
export const LAKE_DEFAULTS = {
  keyDeletionWindowDays: 30,
  abortIncompleteUploadDays: 7,
  athenaResultsExpirationDays: 30,
  accessLogsExpirationDays: 365,
} as const;

/** Tag keys the platform sets itself; an environment cannot override them. */
export const RESERVED_TAG_KEYS = ['project', 'environment', 'stage', 'managed-by'] as const;

const ACCOUNT_RE = /^\d{12}$/;
const REGION_RE = /^(us|eu|ap|sa|ca|me|af|il|mx)(-gov)?-(central|north|south|east|west|northeast|northwest|southeast|southwest)-\d$/;
const ROLE_ARN_RE = /^arn:aws(-cn|-us-gov)?:iam::\d{12}:role\/[\w+=,.@\-/]{1,64}$/;
const BUCKET_RE = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const CIDR_RE = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

/** An integer in [min, max]; the message says the allowed range. */
function intRange(min: number, max: number, description: string) {
  const fix = `use a whole number from ${min} to ${max}`;
  return z.number({ error: fix }).int({ error: fix }).min(min, { error: fix }).max(max, { error: fix }).describe(description);
}

const ACCOUNT_FIX = 'use the 12-digit AWS account id, quoted ("012345678901") so YAML keeps leading zeros';
// The type error carries the fix too: an unquoted id is a YAML number, its leading zeros already lost.
const accountId = z.string({ error: ACCOUNT_FIX }).regex(ACCOUNT_RE, { error: ACCOUNT_FIX });

const roleArn = z
  .string()
  .regex(ROLE_ARN_RE, { error: 'use an IAM role ARN, e.g. "arn:aws:iam::111111111111:role/data-platform-deploy"' });

const zoneLifecycle = z
  .strictObject({
    infrequentAccessDays: intRange(30, 3650, 'Days before current objects move to S3 Standard-IA (S3 requires at least 30).')
      .default(ZONE_LIFECYCLE_DEFAULTS.infrequentAccessDays),
    archiveDays: intRange(60, 3650, 'Days before current objects move to Glacier Instant Retrieval; at least 30 days after infrequentAccessDays. Unset: never archived.')
      .optional(),
    expirationDays: intRange(1, 36500, 'Days before current objects expire (are deleted). Unset: kept forever.').optional(),
    noncurrentVersionExpirationDays: intRange(1, 3650, 'Days a replaced or deleted object version is kept before it is removed.')
      .default(ZONE_LIFECYCLE_DEFAULTS.noncurrentVersionExpirationDays),
  })
  .describe('Lifecycle of one zone bucket.');

/** Glue table names: lowercase letters, digits and "_" (Athena needs no quoting). */
export const TABLE_NAME_RE = /^[a-z][a-z0-9_]{0,52}$/;
/** Column types of managed tables: Glue/Hive primitives, or decimal(precision,scale). */
export const TABLE_COLUMN_TYPES = ['string', 'int', 'bigint', 'smallint', 'tinyint', 'double', 'float', 'boolean', 'date', 'timestamp', 'binary'] as const;
const DECIMAL_RE = /^decimal\((\d{1,2}),(\d{1,2})\)$/;
/** Complex Hive types (array<...>, map<...,...>, struct<...>), checked for shape only. */
const COMPLEX_RE = /^(array|map|struct)<[a-z0-9_<>,:() ]+>$/;
const COLUMN_TYPE_FIX = `use one of ${TABLE_COLUMN_TYPES.join(', ')}, decimal(<precision>,<scale>) (e.g. decimal(18,2)) or a complex type such as map<string,bigint>`;
const tableColumn = z.strictObject({
  name: z.string().regex(/^[a-z_][a-z0-9_]{0,127}$/, { error: 'use a lowercase column name of letters, digits and "_"' }).describe('Column name.'),
  type: z
    .string({ error: COLUMN_TYPE_FIX })
    .refine((t) => (TABLE_COLUMN_TYPES as readonly string[]).includes(t) || COMPLEX_RE.test(t) || (DECIMAL_RE.test(t) && Number(DECIMAL_RE.exec(t)![1]) <= 38 && Number(DECIMAL_RE.exec(t)![2]) <= Number(DECIMAL_RE.exec(t)![1])), { error: COLUMN_TYPE_FIX })
    .describe('Column type (Glue/Hive).'),
  comment: z.string().max(255, { error: 'use at most 255 characters' }).optional().describe('Shown in the catalog and Athena.'),
});

const table = z
  .strictObject({
    zone: z.enum(ZONES, { error: `use one of ${ZONES.join(', ')}` }).describe('Zone whose database and bucket hold the table.'),
    prefix: z.string().regex(/^[a-z0-9][a-z0-9_\-/=]*\/$/, { error: 'use a key prefix of lowercase letters, digits, "_", "-", "=" and "/", ending with "/" (e.g. "daily_revenue/")' })
      .describe('Key prefix of the table\'s Parquet files in the zone bucket.'),
    description: z.string().max(2048, { error: 'use at most 2048 characters' }).optional().describe('What the table holds; shown in the catalog.'),
    format: z.enum(['parquet', 'csv'], { error: 'use "parquet" or "csv"' }).default('parquet')
      .describe('parquet (what Glue jobs write), or csv: headerless comma-separated text (e.g. batch transform output).'),
    columns: z.array(tableColumn).min(1, { error: 'list at least one column (name, type)' }).max(1000, { error: 'use at most 1000 columns' }).describe('Columns, in order.'),
    partitionKeys: z.array(tableColumn).max(10, { error: 'use at most 10 partition keys' }).default([]).describe('Partition columns (Hive-style key=value prefixes).'),
  })
  .describe('A catalog table managed here (a data product\'s contract); a crawler may only add its partitions (recrawl: new-folders-only).');

const lake = z
  .strictObject({
    keyDeletionWindowDays: intRange(7, 30, 'Waiting period before the lake KMS key is deleted after it is scheduled for deletion.')
      .default(LAKE_DEFAULTS.keyDeletionWindowDays),
    abortIncompleteUploadDays: intRange(1, 365, 'Days before incomplete multipart uploads are aborted, in every lake bucket.')
      .default(LAKE_DEFAULTS.abortIncompleteUploadDays),
    athenaResultsExpirationDays: intRange(1, 3650, 'Days before Athena query results expire.')
      .default(LAKE_DEFAULTS.athenaResultsExpirationDays),
    accessLogsExpirationDays: intRange(90, 3650, 'Days S3 access logs are kept (at least 90 for audits).')
      .default(LAKE_DEFAULTS.accessLogsExpirationDays),
    zones: z
      .strictObject({
        raw: zoneLifecycle.prefault({}),
        processed: zoneLifecycle.prefault({}),
        curated: zoneLifecycle.prefault({}),
      })
      .prefault({})
      .describe('Lifecycle per zone.'),
    tables: z
      .record(z.string().regex(TABLE_NAME_RE, { error: 'use a table name of 1-53 lowercase letters, digits and "_", starting with a letter (the table\'s Terraform address lake_<name>_table has at most 64 characters)' }), table)
      .default({})
      .describe('Catalog tables managed by the lake (Parquet), by table name; governance refers to them as "<zone>.<table>".'),
  })
  .describe('The data lake: KMS key, zone buckets, Athena results, access logs, Glue databases.');

const AZ_RE = /^[a-z]{2}(-gov)?-[a-z]+-\d[a-z]$/;

const network = z
  .strictObject({
    vpcId: z.string().regex(/^vpc-[0-9a-f]{8,17}$/, { error: 'use a VPC id such as "vpc-0a1b2c3d4e5f67890"' })
      .describe('The existing VPC the platform\'s VPC-bound services (DMS, Fargate imports, Glue connections, SageMaker) run in.'),
    vpcCidr: z
      .string()
      .regex(CIDR_RE, { error: 'use an IPv4 CIDR block such as "10.20.0.0/16"' })
      .describe('CIDR of that VPC (security group rules between the platform\'s own services).'),
    subnets: z
      .record(
        z.string().regex(AZ_RE, { error: 'use an availability zone name such as "eu-west-1a" as the key' }),
        z.string().regex(/^subnet-[0-9a-f]{8,17}$/, { error: 'use a subnet id such as "subnet-0a1b2c3d4e5f67890"' }),
      )
      .describe('Private subnets by availability zone, in this environment\'s region (taken from here: offline plans cannot look them up).'),
  })
  .describe('The existing network of the environment\'s account, for VPC-bound services.');

const state = z
  .strictObject({
    bucket: z
      .string()
      .regex(BUCKET_RE, { error: 'use an S3 bucket name: 3-63 lowercase letters, digits, dots and hyphens' })
      .describe('S3 bucket holding Terraform state (created by apps/bootstrap).'),
    region: z.string().regex(REGION_RE, { error: 'use an AWS region name such as "eu-west-1"' }).optional()
      .describe('Region of the state bucket. Default: the environment\'s region.'),
    keyPrefix: z
      .string()
      .regex(/^[a-z0-9][a-z0-9/_-]*[a-z0-9]$/, { error: 'use lowercase letters, digits, "/", "_" and "-", not starting or ending with "/"' })
      .optional()
      .describe('Prefix of state keys; the key is <keyPrefix>/<stack>.tfstate. Default: the environment name.'),
    role: roleArn.optional().describe('Role assumed to read and write state. Default: deployRole.'),
  })
  .describe('Remote state: S3 backend, encrypted, with S3 native locking.');

const GITHUB_REPO_RE = /^[A-Za-z0-9_.-]{1,100}\/[A-Za-z0-9_.-]{1,100}$/;

const ci = z
  .strictObject({
    repository: z.string().regex(GITHUB_REPO_RE, { error: 'use the GitHub repository as "owner/name"' })
      .describe('GitHub repository whose workflows deploy this environment (trusted through GitHub OIDC).'),
    githubEnvironment: z.string().regex(/^[A-Za-z0-9_.-]{1,255}$/, { error: 'use a GitHub environment name (letters, digits, "_", "." and "-")' }).optional()
      .describe('GitHub environment (with required reviewers) whose jobs may assume the deploy role. Default: the environment name.'),
    planRole: roleArn.optional().describe('Read-only role pull requests (and the scheduled drift check) assume to plan (apps/bootstrap creates it). Unset: pull requests do not plan this environment.'),
    defaultBranch: z.string().regex(/^[A-Za-z0-9._/-]{1,255}$/, { error: 'use a branch name such as "main"' }).default('main')
      .describe('Branch deploys and drift checks run on; the plan role trusts its jobs (drift).'),
    createOidcProvider: z.boolean({ error: 'use true or false' }).default(true)
      .describe('Bootstrap creates the account\'s GitHub OIDC provider; false when the account already has one.'),
  })
  .describe('Continuous delivery from GitHub: bootstrap trusts these workflows; CI reads the roles from here.');

/** The schema of one `environments/<env>.yaml`. */
export const environmentSchema = z
  .strictObject({
    name: z
      .string()
      .regex(/^[a-z][a-z0-9-]{0,10}[a-z0-9]$/, { error: 'use 2-12 lowercase letters, digits and hyphens, starting with a letter (the file name without .yaml)' })
      .describe('Environment name; must equal the file name without .yaml. Part of every resource name.'),
    project: z
      .string()
      .regex(/^[a-z][a-z0-9]{1,9}$/, { error: 'use 2-10 lowercase letters and digits, starting with a letter' })
      .default(ENVIRONMENT_DEFAULTS.project)
      .describe('Short project name, the first part of every resource name.'),
    stage: z.enum(STAGES, { error: `use one of ${STAGES.join(', ')}` }).default(ENVIRONMENT_DEFAULTS.stage)
      .describe('What the environment is for. staging and production must be protected and online.'),
    account: accountId.describe('AWS account id of this environment, 12 digits in quotes (one account per environment).'),
    region: z.string().regex(REGION_RE, { error: 'use an AWS region name such as "eu-west-1"' })
      .describe('AWS region the environment is deployed to.'),
    deployRole: roleArn.optional()
      .describe('IAM role the AWS provider assumes to deploy; in the environment\'s account. Required unless offline.'),
    state: state.optional(),
    layout: z.enum(['single', 'layered'], { error: 'use "single" (one stack) or "layered" (one stack per layer)' })
      .default(ENVIRONMENT_DEFAULTS.layout)
      .describe('single: one stack <env>; layered: one stack per layer, <env>-<layer>.'),
    protect: z.boolean({ error: 'use true or false' }).default(ENVIRONMENT_DEFAULTS.protect)
      .describe('Protect stateful resources (buckets, keys, databases, streams, tables) from destroy.'),
    offline: z.boolean({ error: 'use true or false' }).default(ENVIRONMENT_DEFAULTS.offline)
      .describe('Mock credentials, provider skip flags and a local backend: plans run without an AWS account.'),
    tags: z
      .record(
        z.string().regex(/^[\w.:/=+@ -]{1,128}$/, { error: 'use a tag key of 1-128 letters, digits, spaces and _.:/=+-@' }),
        z.string().regex(/^[\w.:/=+@ -]{0,256}$/, { error: 'use a tag value of at most 256 letters, digits, spaces and _.:/=+-@' }),
      )
      .default({})
      .describe('Extra tags on every resource (the platform adds project, environment, stage and managed-by).'),
    network: network.optional(),
    lake: lake.prefault({}),
    ingestion: ingestionSchema.prefault({}),
    processing: processingSchema.prefault({}),
    governance: governanceSchema.optional(),
    bi: biSchema.optional(),
    ml: mlSchema.optional(),
    observability: observabilitySchema.prefault({}),
    ci: ci.optional(),
  })
  .describe('One environment of the data platform: one AWS account, one region.');

/** A validated environment with defaults applied. */
export type EnvironmentConfig = z.output<typeof environmentSchema>;
/** An environment file as written (defaults not yet applied). */
export type EnvironmentInput = z.input<typeof environmentSchema>;
export type LakeConfig = EnvironmentConfig['lake'];
export type ZoneLifecycle = LakeConfig['zones']['raw'];

/** Prefix lengths a VPC accepts. */
export const VPC_PREFIXES = { min: 16, max: 28, why: 'the VPC limits' } as const;
/** Prefix lengths accepted for a source database's network: a range, not the internet. */
export const SOURCE_PREFIXES = { min: 8, max: 32, why: 'a private range, never the whole internet' } as const;

/** Validates a CIDR's numbers (the regex checks only its shape). */
export function cidrProblem(cidr: string, prefixRange: { min: number; max: number; why: string } = VPC_PREFIXES): string | undefined {
  const m = CIDR_RE.exec(cidr);
  if (!m) return 'use an IPv4 CIDR block such as "10.20.0.0/16"';
  const octets = m.slice(1, 5).map(Number);
  const prefix = Number(m[5]);
  if (octets.some((o) => o > 255)) return 'has an octet over 255; use an IPv4 CIDR block such as "10.20.0.0/16"';
  if (prefix < prefixRange.min || prefix > prefixRange.max) {
    return `has a prefix outside /${prefixRange.min} to /${prefixRange.max} (${prefixRange.why}); use e.g. /${prefixRange.min === 16 ? 16 : 24}`;
  }
  const ip = octets.reduce((acc, o) => acc * 256 + o, 0);
  const size = 2 ** (32 - prefix);
  if (ip % size !== 0) {
    const base = ip - (ip % size);
    const baseText = [24, 16, 8, 0].map((s) => Math.floor(base / 2 ** s) % 256).join('.');
    return `has host bits set; use "${baseText}/${prefix}"`;
  }
  return undefined;
}

/** Returns the ARN's account id. */
export function arnAccount(arn: string): string | undefined {
  return arn.split(':')[4];
}
