import { z } from 'zod';

/**
 * The `ingestion` section: every path that lands data in the lake's raw zone, declared per
 * dataset. Keys of each map are dataset names (part of resource names and Terraform addresses).
 */

/** Defaults of the ingestion paths. */
export const INGESTION_DEFAULTS = {
  stream: {
    mode: 'on-demand',
    retentionHours: 24,
    format: 'parquet',
    bufferSizeMb: 128,
    bufferIntervalSeconds: 300,
    source: 'kinesis',
  },
  database: {
    instanceClass: 'dms.t3.medium',
    allocatedStorageGb: 50,
    multiAz: false,
    migrationType: 'full-load-and-cdc',
  },
  saas: { connector: 'salesforce', schedule: 'rate(1 day)' },
  events: { memoryMb: 256, timeoutSeconds: 30, reservedConcurrency: 5, maxRetryAttempts: 2 },
  batch: { cpu: 512, memoryMb: 1024, maxRetryAttempts: 2 },
} as const;

/** Dataset names: lowercase words joined by hyphens (they become parts of names and addresses). */
export const DATASET_NAME_RE = /^(?=.{2,40}$)[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
export const DATASET_NAME_FIX = 'use 2-40 lowercase letters and digits, words joined by "-", starting with a letter (e.g. "clickstream")';
/** Partition keys every stream gets after its `partitionBy` keys. */
export const DATE_PARTITIONS = ['year', 'month', 'day'] as const;
const PREFIX_RE = /^[a-z0-9][a-z0-9_\-/=]*\/$/;
const PREFIX_FIX = 'use a raw-zone key prefix of lowercase letters, digits, "_", "-", "=" and "/", ending with "/" (e.g. "orders/")';
const COLUMN_RE = /^[a-z_][a-z0-9_]{0,127}$/;
/** Glue/Hive column types accepted for Parquet conversion. */
export const COLUMN_TYPES = ['string', 'int', 'bigint', 'smallint', 'tinyint', 'double', 'float', 'boolean', 'date', 'timestamp', 'binary'] as const;
export const DMS_ENGINES = ['postgres', 'mysql', 'aurora', 'aurora-postgresql', 'mariadb'] as const;
/** Engines whose TLS connections DMS can only make with a CA certificate. */
export const CERTIFICATE_ENGINES = ['mysql', 'mariadb', 'aurora'] as const;
export const MIGRATION_TYPES = ['full-load', 'cdc', 'full-load-and-cdc'] as const;
const SECRET_ARN_RE = /^arn:aws(-cn|-us-gov)?:secretsmanager:[a-z0-9-]+:\d{12}:secret:[A-Za-z0-9/_+=.@-]+$/;
const IMAGE_RE = /^(\d{12}\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com\/)?[a-z0-9][a-z0-9._/-]*(:[\w.-]{1,128}|@sha256:[a-f0-9]{64})$/;

/** Problem with an EventBridge schedule expression, or undefined when it is valid. */
export function scheduleProblem(expression: string): string | undefined {
  const rate = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/.exec(expression);
  if (rate) {
    const n = Number(rate[1]);
    if (n < 1) return 'has a rate below 1; use e.g. "rate(1 day)"';
    if ((n === 1) !== !rate[2].endsWith('s')) return `says "${n} ${rate[2]}"; use the singular unit for 1 and the plural otherwise ("rate(1 day)", "rate(2 days)")`;
    return undefined;
  }
  const cron = /^cron\(([^)]*)\)$/.exec(expression);
  if (cron) {
    const fields = cron[1].trim().split(/\s+/).filter((f) => f !== '');
    if (fields.length !== 6) return `has ${fields.length} cron field${fields.length === 1 ? '' : 's'}; use 6: minutes hours day-of-month month day-of-week year, e.g. "cron(0 2 * * ? *)"`;
    const [, , dom, , dow] = fields;
    if ((dom === '?') === (dow === '?')) return 'must have "?" in exactly one of day-of-month and day-of-week, e.g. "cron(0 2 * * ? *)"';
    return undefined;
  }
  return 'is not a schedule; use "rate(<n> <minute|minutes|hour|hours|day|days>)" or "cron(<6 fields>)", e.g. "cron(0 2 * * ? *)"';
}

/**
 * A schedule field; with `onDemand`, also the word "on-demand". One string schema rather than a
 * union with a literal: a failed union reports zod's generic "Invalid input", not our fix.
 */
function scheduleField(onDemand: boolean) {
  const also = onDemand ? '"on-demand", ' : '';
  return z.string({ error: `use ${also}a rate or cron expression, e.g. "rate(1 day)" or "cron(0 2 * * ? *)"` }).superRefine((value, ctx) => {
    if (onDemand && value === 'on-demand') return;
    const problem = scheduleProblem(value);
    if (problem) {
      const message = problem.replace(/^is not a schedule; use /, `use ${also}`).replace(/^(has|says|must)/, 'it $1');
      ctx.addIssue({ code: 'custom', message, input: value });
    }
  });
}

const prefix = z.string().regex(PREFIX_RE, { error: PREFIX_FIX });
const int = (min: number, max: number, description: string) => {
  const fix = `use a whole number from ${min} to ${max}`;
  return z.number({ error: fix }).int({ error: fix }).min(min, { error: fix }).max(max, { error: fix }).describe(description);
};

const column = z.strictObject({
  name: z.string().regex(COLUMN_RE, { error: 'use a lowercase column name of letters, digits and "_"' }).describe('Column name.'),
  type: z.enum(COLUMN_TYPES, { error: `use one of ${COLUMN_TYPES.join(', ')}` }).describe('Column type (Glue/Hive).'),
});

const stream = z
  .strictObject({
    source: z.enum(['kinesis', 'direct-put'], { error: 'use "kinesis" (a Kinesis stream feeds Firehose) or "direct-put" (producers write to Firehose)' })
      .default(INGESTION_DEFAULTS.stream.source)
      .describe('kinesis: a Kinesis Data Stream feeds the Firehose stream; direct-put: producers write to Firehose.'),
    mode: z.enum(['on-demand', 'provisioned'], { error: 'use "on-demand" or "provisioned"' }).default(INGESTION_DEFAULTS.stream.mode)
      .describe('Kinesis capacity mode.'),
    shards: int(1, 500, 'Shards of a provisioned stream.').optional(),
    retentionHours: int(24, 8760, 'Hours records stay in the Kinesis stream.').default(INGESTION_DEFAULTS.stream.retentionHours),
    prefix: prefix.optional().describe('Raw-zone prefix. Default: "<dataset>/".'),
    partitionBy: z
      .array(z.string().regex(COLUMN_RE, { error: 'use a top-level JSON field name of the records (lowercase letters, digits, "_")' }))
      .max(5, { error: 'use at most 5 partition keys' })
      .default([])
      .describe('Record fields extracted with JQ for dynamic partitioning (then by date).'),
    format: z.enum(['json', 'parquet'], { error: 'use "json" or "parquet"' }).default(INGESTION_DEFAULTS.stream.format)
      .describe('Object format in the raw zone; parquet converts records against `columns`.'),
    columns: z.array(column).max(500, { error: 'use at most 500 columns' }).default([]).describe('Record schema (a Glue table); required for parquet.'),
    bufferSizeMb: int(1, 128, 'Firehose buffer size in MiB (at least 64 with dynamic partitioning or parquet).')
      .default(INGESTION_DEFAULTS.stream.bufferSizeMb),
    bufferIntervalSeconds: int(0, 900, 'Firehose buffer interval in seconds.').default(INGESTION_DEFAULTS.stream.bufferIntervalSeconds),
  })
  // Messages follow the loader's "<path> is <value>; " (the loader shows a field left out as missing or its default).
  .superRefine((s, ctx) => {
    if (s.mode === 'on-demand' && s.shards !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['shards'], input: s.shards, message: 'an on-demand stream scales by itself; remove shards, or set mode: provisioned' });
    }
    if (s.mode === 'provisioned' && s.shards === undefined && s.source === 'kinesis') {
      ctx.addIssue({ code: 'custom', path: ['shards'], message: 'a provisioned stream needs a shard count; set shards (1 to 500), or use mode: on-demand' });
    }
    if (s.format === 'parquet' && s.columns.length === 0) {
      ctx.addIssue({ code: 'custom', path: ['columns'], input: s.columns, message: 'format is parquet, which converts records against their columns; list them (name, type), or set format: json' });
    }
    if ((s.format === 'parquet' || s.partitionBy.length > 0) && s.bufferSizeMb < 64) {
      const needs = [s.format === 'parquet' ? 'parquet conversion' : '', s.partitionBy.length > 0 ? 'dynamic partitioning (partitionBy)' : ''].filter(Boolean).join(' and ');
      ctx.addIssue({ code: 'custom', path: ['bufferSizeMb'], input: s.bufferSizeMb, message: `use 64 to 128; Firehose needs a buffer of at least 64 MiB for ${needs}` });
    }
    if (s.partitionBy.length > 0 && s.bufferIntervalSeconds < 60) {
      ctx.addIssue({ code: 'custom', path: ['bufferIntervalSeconds'], input: s.bufferIntervalSeconds, message: 'use 60 to 900; Firehose buffers at least 60 seconds with dynamic partitioning (partitionBy)' });
    }
    s.partitionBy.forEach((key, i) => {
      if ((DATE_PARTITIONS as readonly string[]).includes(key)) {
        ctx.addIssue({ code: 'custom', path: ['partitionBy', i], input: key, message: `is a date partition the platform adds itself (${DATE_PARTITIONS.join(', ')}); partition by another field` });
      } else if (s.partitionBy.indexOf(key) !== i) {
        ctx.addIssue({ code: 'custom', path: ['partitionBy', i], input: key, message: 'is listed twice; list each partition key once' });
      }
    });
    if (s.format === 'parquet' && s.columns.length > 0 && s.columns.every((c) => s.partitionBy.includes(c.name))) {
      ctx.addIssue({ code: 'custom', path: ['columns'], input: s.columns, message: 'holds only partition keys; Parquet files need at least one data column besides partitionBy' });
    }
  })
  .describe('A streaming dataset: Kinesis Data Stream (optional) and Firehose into the raw zone.');

const tableMapping = z.strictObject({
  schema: z.string().regex(/^[A-Za-z0-9_$%]+$/, { error: 'use a schema name of letters, digits, "_", "$", or "%" as a wildcard' }).describe('Source schema; % is a wildcard.'),
  table: z.string().regex(/^[A-Za-z0-9_$%]+$/, { error: 'use a table name of letters, digits, "_", "$", or "%" as a wildcard' }).describe('Source table; % is a wildcard.'),
});

const database = z
  .strictObject({
    engine: z.enum(DMS_ENGINES, { error: `use one of ${DMS_ENGINES.join(', ')}` }).describe('Source database engine.'),
    host: z.string().regex(/^[a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?$/, { error: 'use the database host name' }).describe('Source host name.'),
    port: int(1, 65535, 'Source port.'),
    databaseName: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,62}$/, { error: 'use a database name of letters, digits and "_"' }).describe('Database to replicate from.'),
    secretArn: z.string().regex(SECRET_ARN_RE, { error: 'use the ARN of a Secrets Manager secret holding username and password' })
      .describe('Secrets Manager secret with the source credentials (referenced, never copied into config or state).'),
    sourceCidr: z.string().describe('CIDR of the source database; the replication instance may reach only this range on `port`.'),
    instanceClass: z.string().regex(/^dms\.[a-z0-9]+\.[a-z0-9]+$/, { error: 'use a DMS instance class such as "dms.t3.medium"' })
      .default(INGESTION_DEFAULTS.database.instanceClass).describe('Replication instance class.'),
    allocatedStorageGb: int(5, 6144, 'Replication instance storage in GiB.').default(INGESTION_DEFAULTS.database.allocatedStorageGb),
    multiAz: z.boolean({ error: 'use true or false' }).default(INGESTION_DEFAULTS.database.multiAz).describe('Standby replication instance in a second AZ.'),
    migrationType: z.enum(MIGRATION_TYPES, { error: `use one of ${MIGRATION_TYPES.join(', ')}` })
      .default(INGESTION_DEFAULTS.database.migrationType).describe('Full load, change data capture, or both.'),
    tables: z.array(tableMapping).min(1, { error: 'list at least one schema/table to replicate' }).describe('Tables to replicate (selection rules).'),
    prefix: prefix.optional().describe('Raw-zone prefix. Default: "<dataset>/".'),
    certificateArn: z.string().regex(/^arn:aws(-cn|-us-gov)?:dms:[a-z0-9-]+:\d{12}:cert:[A-Z0-9]+$/, { error: 'use the ARN of a DMS certificate holding the source\'s CA bundle' })
      .optional()
      .describe('DMS certificate with the source\'s CA bundle: TLS with full verification. Required for MySQL-family engines (DMS has no encrypt-only mode for them).'),
  })
  .superRefine((d, ctx) => {
    if ((CERTIFICATE_ENGINES as readonly string[]).includes(d.engine) && !d.certificateArn) {
      ctx.addIssue({ code: 'custom', path: ['certificateArn'], message: `is required for engine ${d.engine}: DMS connects to MySQL-family sources over TLS only with the CA certificate; import it (aws_dms_certificate or the console) and set its ARN` });
    }
  })
  .describe('An operational database replicated by DMS into the raw zone as Parquet.');

const saas = z
  .strictObject({
    connector: z.enum(['salesforce'], { error: 'use "salesforce"' }).default(INGESTION_DEFAULTS.saas.connector).describe('SaaS connector type.'),
    connectorProfile: z.string().regex(/^[\w/!@#+=.-]{1,256}$/, { error: 'use the name of an existing AppFlow connector profile' })
      .describe('Existing AppFlow connector profile (its credentials stay in AppFlow).'),
    object: z.string().regex(/^[A-Za-z][A-Za-z0-9_]*$/, { error: 'use the SaaS object name, e.g. "Account"' }).describe('Object to import.'),
    fields: z.array(z.string().regex(/^[A-Za-z][A-Za-z0-9_]*$/, { error: 'use field names of letters, digits and "_"' }))
      .min(1, { error: 'list at least one field' }).describe('Fields to import.'),
    schedule: scheduleField(true).default(INGESTION_DEFAULTS.saas.schedule).describe('"on-demand", or a rate/cron schedule.'),
    prefix: prefix.optional().describe('Raw-zone prefix. Default: "<dataset>/".'),
  })
  .describe('A SaaS object imported by AppFlow into the raw zone as Parquet.');

const events = z
  .strictObject({
    prefix: prefix.describe('Raw-zone prefix whose new objects are cataloged.'),
    suffixes: z.array(z.string().regex(/^\.[a-z0-9]{1,10}$/, { error: 'use a file extension such as ".jpg"' })).default([])
      .describe('Only objects with these extensions (default: all).'),
    memoryMb: int(128, 10240, 'Lambda memory in MiB.').default(INGESTION_DEFAULTS.events.memoryMb),
    timeoutSeconds: int(1, 900, 'Lambda timeout in seconds.').default(INGESTION_DEFAULTS.events.timeoutSeconds),
    reservedConcurrency: int(0, 1000, 'Lambda reserved concurrency.').default(INGESTION_DEFAULTS.events.reservedConcurrency),
    maxRetryAttempts: int(0, 185, 'EventBridge retries before the event goes to the dead-letter queue.').default(INGESTION_DEFAULTS.events.maxRetryAttempts),
  })
  .describe('Serverless cataloging: new raw-zone objects -> EventBridge -> Lambda -> DynamoDB.');

const batch = z
  .strictObject({
    image: z.string().regex(IMAGE_RE, { error: 'use a container image with a tag or digest, e.g. "111111111111.dkr.ecr.eu-west-1.amazonaws.com/import:1.4.2"' })
      .describe('Container image of the import job (pinned by tag or digest).'),
    schedule: scheduleField(false).describe('When it runs: a rate or cron expression.'),
    command: z.array(z.string()).default([]).describe('Command override.'),
    environment: z.record(z.string().regex(/^[A-Z_][A-Z0-9_]*$/, { error: 'use an UPPER_SNAKE_CASE variable name' }), z.string()).default({})
      .describe('Plain (non-secret) environment variables.'),
    cpu: z.union([z.literal(256), z.literal(512), z.literal(1024), z.literal(2048), z.literal(4096)], { error: 'use a Fargate CPU size: 256, 512, 1024, 2048 or 4096' })
      .default(INGESTION_DEFAULTS.batch.cpu).describe('Fargate CPU units.'),
    memoryMb: int(512, 30720, 'Fargate memory in MiB (must fit the CPU size).').default(INGESTION_DEFAULTS.batch.memoryMb),
    maxRetryAttempts: int(0, 185, 'Scheduler retries before the run goes to the dead-letter queue.').default(INGESTION_DEFAULTS.batch.maxRetryAttempts),
    prefix: prefix.optional().describe('Raw-zone prefix the job may write. Default: "<dataset>/".'),
  })
  .superRefine((b, ctx) => {
    if (!fargateMemoryFits(b.cpu, b.memoryMb)) {
      const [min, max] = FARGATE_MEMORY[b.cpu];
      const sizes = b.cpu === 256 ? '512, 1024 or 2048 MiB' : `${min} to ${max} MiB in steps of 1024`;
      ctx.addIssue({ code: 'custom', path: ['memoryMb'], input: b.memoryMb, message: `use ${sizes} with cpu ${b.cpu}, or another cpu (Fargate task sizes)` });
    }
  })
  .describe('A scheduled batch import on Fargate.');

/** Memory range (MiB) Fargate allows for each CPU size. */
export const FARGATE_MEMORY: Readonly<Record<256 | 512 | 1024 | 2048 | 4096, readonly [number, number]>> = {
  256: [512, 2048],
  512: [1024, 4096],
  1024: [2048, 8192],
  2048: [4096, 16384],
  4096: [8192, 30720],
};

/**
 * Whether Fargate runs a task of `cpu` units with `memoryMb`: within FARGATE_MEMORY's range, in
 * whole GiB (512 MiB only with cpu 256).
 * @see https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-tasks-services.html#fargate-tasks-size
 */
export function fargateMemoryFits(cpu: keyof typeof FARGATE_MEMORY, memoryMb: number): boolean {
  const [min, max] = FARGATE_MEMORY[cpu];
  if (memoryMb < min || memoryMb > max) return false;
  return memoryMb % 1024 === 0 || (cpu === 256 && memoryMb === 512);
}

const datasets = <T extends z.ZodType>(value: T, description: string) =>
  z.record(z.string().regex(DATASET_NAME_RE, { error: DATASET_NAME_FIX }), value).default({}).describe(description);

export const ingestionSchema = z
  .strictObject({
    streams: datasets(stream, 'Streaming datasets by name.'),
    databases: datasets(database, 'Databases replicated by DMS, by dataset name.'),
    saas: datasets(saas, 'SaaS objects imported by AppFlow, by dataset name.'),
    events: datasets(events, 'Serverless object cataloging, by dataset name.'),
    batch: datasets(batch, 'Scheduled Fargate imports, by dataset name.'),
  })
  .describe('Ingestion paths into the raw zone.');

export type IngestionConfig = z.output<typeof ingestionSchema>;
export type StreamConfig = IngestionConfig['streams'][string];
export type DatabaseConfig = IngestionConfig['databases'][string];
export type SaasConfig = IngestionConfig['saas'][string];
export type EventsConfig = IngestionConfig['events'][string];
export type BatchConfig = IngestionConfig['batch'][string];

/** The raw-zone prefix a dataset lands in: its `prefix`, or `<dataset>/`. */
export function rawPrefix(name: string, config: { readonly prefix?: string }): string {
  return config.prefix ?? `${name}/`;
}

