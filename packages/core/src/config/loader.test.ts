import { join, relative } from 'node:path';
import { PlatformError, isPlatformError } from '../errors';
import { BI_DEFAULTS } from './bi';
import { GOVERNANCE_DEFAULTS } from './governance';
import { INGESTION_DEFAULTS } from './ingestion';
import { PROCESSING_DEFAULTS } from './processing';
import { ALARM_DEFAULTS } from './observability';
import { listEnvironments, loadEnvironment, loadEnvironments, parseEnvironment } from './loader';

const FIXTURES = join(__dirname, '__fixtures__');

/** A fixture path as a user would pass it (relative to the working directory); messages show it as given. */
function fixture(...parts: string[]): string {
  return relative(process.cwd(), join(FIXTURES, ...parts));
}

/** Each `invalid/<case>/dev.yaml` is a file named dev.yaml, so `name: dev` is right unless the case is about it. */
function invalidFile(name: string): string {
  return fixture('invalid', name, 'dev.yaml');
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Matches exactly `lines` as the whole message: nothing before, after or between them. */
function exactly(lines: readonly string[]): RegExp {
  return new RegExp(`^${lines.map(escapeRegExp).join('\\n')}$`);
}

/** Runs `load`, asserts it throws a PlatformError and returns it. */
function rejection(load: () => unknown): PlatformError {
  let thrown: unknown;
  try {
    load();
  } catch (e) {
    thrown = e;
  }
  expect(isPlatformError(thrown)).toBe(true);
  return thrown as PlatformError;
}

/** A message a user can act on: every line names its file, no stack trace, no zod default wording. */
function expectReadable(error: PlatformError, ...files: string[]): void {
  const lines = error.message.split('\n');
  for (const line of lines) {
    expect(files.some((f) => line.startsWith(`${f}: `))).toBe(true);
  }
  expect(error.message).not.toMatch(/^ {4}at /m);
  expect(error.message).not.toMatch(/Invalid input|expected \w+, received/i);
  expect(lines).toHaveLength(error.problems.length);
}

const TOP_LEVEL_KEYS = 'name, project, stage, account, region, deployRole, state, layout, protect, offline, tags, network, lake, ingestion, processing, governance, bi, ml, observability, ci';
/** The processing section of a file without one: every kind empty, interactive sessions off. */
const NO_PROCESSING = {
  jobs: {},
  streamingJobs: {},
  connections: {},
  classifiers: {},
  crawlers: {},
  workflows: {},
  dataQuality: {},
  interactiveSessions: PROCESSING_DEFAULTS.interactiveSessions,
};
/** The observability section of a file without one: no subscriptions, default thresholds, no budget. */
const NO_OBSERVABILITY = { alerts: { email: [], https: [] }, alarms: { ...ALARM_DEFAULTS } };
const JOB_WORKER_FIX = 'use one of G.1X, G.2X, G.4X, G.8X (G.025X is for streaming jobs only)';
const NO_NETWORK = 'which run in a VPC, but the file has no network section; add network.vpcId, network.vpcCidr and network.subnets';
const ACCOUNT_FIX = 'use the 12-digit AWS account id, quoted ("012345678901") so YAML keeps leading zeros';

/** One malformed file, the behaviour it shows and the exact problems (field path, message) it must report. */
interface InvalidCase {
  readonly fixture: string;
  readonly behaviour: string;
  readonly problems: ReadonlyArray<readonly [path: string, message: string]>;
}

const INVALID: readonly InvalidCase[] = [
  {
    fixture: 'missing-account',
    behaviour: 'rejects a file without account, describing the field',
    problems: [['account', 'is missing; add it: AWS account id of this environment, 12 digits in quotes (one account per environment)']],
  },
  {
    fixture: 'account-number',
    behaviour: 'rejects an unquoted account (a YAML number that lost its leading zero), asking to quote it',
    problems: [['account', `is 11111111111 (a number); ${ACCOUNT_FIX}`]],
  },
  {
    fixture: 'account-empty',
    behaviour: 'rejects an account key with no value as empty',
    problems: [['account', `is empty; ${ACCOUNT_FIX}`]],
  },
  {
    fixture: 'account-short',
    behaviour: 'rejects an account of 11 digits once, without comparing it to the deploy role',
    problems: [['account', `is "11111111111"; ${ACCOUNT_FIX}`]],
  },
  {
    fixture: 'bad-region',
    behaviour: 'rejects a region that is not an AWS region name',
    problems: [['region', 'is "europe-west1"; use an AWS region name such as "eu-west-1"']],
  },
  {
    fixture: 'unknown-key',
    behaviour: 'rejects a misspelt top-level key with a did-you-mean suggestion, and the field it misses',
    problems: [
      ['region', 'is missing; add it: AWS region the environment is deployed to'],
      ['regoin', `is not a known field; did you mean "region"? (allowed here: ${TOP_LEVEL_KEYS})`],
    ],
  },
  {
    fixture: 'unknown-key-no-guess',
    behaviour: 'rejects an unknown key unlike any field, asking to remove it',
    problems: [['colour', `is not a known field; remove it (allowed here: ${TOP_LEVEL_KEYS})`]],
  },
  {
    fixture: 'unknown-nested-key',
    behaviour: 'rejects a misspelt nested key with its full path and a suggestion from its own section',
    problems: [
      [
        'lake.zones.raw.infrequentAcessDays',
        'is not a known field; did you mean "infrequentAccessDays"? (allowed here: infrequentAccessDays, archiveDays, expirationDays, noncurrentVersionExpirationDays)',
      ],
    ],
  },
  {
    fixture: 'unknown-zone',
    behaviour: 'rejects a zone that does not exist, listing the zones',
    problems: [['lake.zones.bronze', 'is not a known field; remove it (allowed here: raw, processed, curated)']],
  },
  {
    fixture: 'number-as-text',
    behaviour: 'rejects text where a number is expected, giving the allowed range',
    problems: [['lake.keyDeletionWindowDays', 'is "thirty" (text); use a whole number from 7 to 30']],
  },
  {
    fixture: 'fractional-number',
    behaviour: 'rejects a fractional number of days',
    problems: [['lake.abortIncompleteUploadDays', 'is 2.5 (a number); use a whole number from 1 to 365']],
  },
  {
    fixture: 'boolean-as-text',
    behaviour: 'rejects yes where a boolean is expected (YAML 1.2 reads it as text)',
    problems: [['protect', 'is "yes" (text); use true or false']],
  },
  {
    fixture: 'text-as-number',
    behaviour: 'rejects a number where text is expected, showing how to quote it',
    problems: [['tags.cost-center', 'is 1234 (a number); use text: quote it ("1234")']],
  },
  {
    fixture: 'mapping-as-list',
    behaviour: 'rejects a list where a section (mapping) is expected',
    problems: [['lake', 'is ["raw","curated"] (a list); use a mapping of fields (key: value lines, indented under this key)']],
  },
  {
    fixture: 'missing-name',
    behaviour: 'rejects a file without name, giving the name to add',
    problems: [['name', 'is missing; add name: dev (the file name without .yaml)']],
  },
  {
    fixture: 'missing-state-bucket',
    behaviour: 'rejects a state section without its bucket',
    problems: [['state.bucket', 'is missing; add it: S3 bucket holding Terraform state (created by apps/bootstrap)']],
  },
  {
    fixture: 'unknown-stage',
    behaviour: 'rejects a stage outside the list, listing the stages',
    problems: [['stage', 'is "prod"; use one of development, staging, production']],
  },
  {
    fixture: 'cidr-shape',
    behaviour: 'rejects a VPC CIDR without prefix length',
    problems: [['network.vpcCidr', 'is "10.20.0.0"; use an IPv4 CIDR block such as "10.20.0.0/16"']],
  },
  {
    fixture: 'cidr-octet',
    behaviour: 'rejects a VPC CIDR with an octet over 255',
    problems: [['network.vpcCidr', 'is "10.256.0.0/16"; it has an octet over 255; use an IPv4 CIDR block such as "10.20.0.0/16"']],
  },
  {
    fixture: 'cidr-host-bits',
    behaviour: 'rejects a VPC CIDR with host bits set, giving the network address to use',
    problems: [['network.vpcCidr', 'is "10.20.1.0/16"; it has host bits set; use "10.20.0.0/16"']],
  },
  {
    fixture: 'cidr-prefix',
    behaviour: 'rejects a VPC CIDR prefix outside the /16 to /28 VPC limits',
    problems: [['network.vpcCidr', 'is "10.0.0.0/8"; it has a prefix outside /16 to /28 (the VPC limits); use e.g. /16']],
  },
  {
    fixture: 'key-deletion-window',
    behaviour: 'rejects a KMS key deletion window below 7 days',
    problems: [['lake.keyDeletionWindowDays', 'is 3; use a whole number from 7 to 30']],
  },
  {
    fixture: 'infrequent-access-days',
    behaviour: 'rejects a Standard-IA transition before the 30 days S3 requires',
    problems: [['lake.zones.raw.infrequentAccessDays', 'is 10; use a whole number from 30 to 3650']],
  },
  {
    fixture: 'archive-too-close',
    behaviour: 'rejects archiveDays less than 30 days after infrequentAccessDays',
    problems: [
      [
        'lake.zones.processed.archiveDays',
        'is 80; use 90 or more, 30 days after the move to Standard-IA (infrequentAccessDays 60): S3 keeps objects in Standard-IA at least 30 days before Glacier',
      ],
    ],
  },
  {
    fixture: 'archive-default-ia',
    behaviour: 'rejects archiveDays too close to the default infrequentAccessDays, saying it is the default',
    problems: [
      [
        'lake.zones.curated.archiveDays',
        'is 100; use 120 or more, 30 days after the move to Standard-IA (infrequentAccessDays, default 90): S3 keeps objects in Standard-IA at least 30 days before Glacier',
      ],
    ],
  },
  {
    fixture: 'expiration-early',
    behaviour: 'rejects expirationDays before the archive transition',
    problems: [
      [
        'lake.zones.raw.expirationDays',
        'is 120; use more than 180, the day of the last transition (archiveDays 180): S3 expires objects only after their transitions',
      ],
    ],
  },
  {
    fixture: 'expiration-before-ia',
    behaviour: 'rejects expirationDays before the default Standard-IA transition',
    problems: [
      [
        'lake.zones.raw.expirationDays',
        'is 60; use more than 90, the day of the last transition (infrequentAccessDays, default 90): S3 expires objects only after their transitions',
      ],
    ],
  },
  {
    fixture: 'prod-unprotected',
    behaviour: 'rejects a production environment with protect: false',
    problems: [
      ['protect', 'is false in a production environment; set protect: true (stateful resources of staging and production must never be destroyed by a plan)'],
    ],
  },
  {
    fixture: 'prod-offline',
    behaviour: 'rejects an offline production environment',
    problems: [['offline', 'is true in a production environment; set offline: false (a production plan must run against its real account)']],
  },
  {
    fixture: 'offline-layered',
    behaviour: 'rejects an offline environment with layout: layered',
    problems: [['layout', 'is "layered" in an offline environment; set layout: single (offline plans have no remote state to read other layers from)']],
  },
  {
    fixture: 'offline-default-layout',
    behaviour: 'rejects an offline environment left on the default layered layout, saying it is the default',
    problems: [
      ['layout', 'is "layered" (the default) in an offline environment; set layout: single (offline plans have no remote state to read other layers from)'],
    ],
  },
  {
    fixture: 'online-incomplete',
    behaviour: 'rejects an online environment without deployRole and state',
    problems: [
      ['deployRole', 'is missing; add the ARN of the role the provider assumes to deploy (apps/bootstrap creates it), or set offline: true'],
      ['state', 'is missing; add state.bucket (the state bucket apps/bootstrap creates), or set offline: true'],
    ],
  },
  {
    fixture: 'role-other-account',
    behaviour: 'rejects a deploy role in another account than the environment',
    problems: [['deployRole', "is in account 222222222222, not this environment's account 111111111111; use the deploy role of account 111111111111"]],
  },
  {
    fixture: 'bad-role-arn',
    behaviour: 'rejects a deploy role that is not an IAM role ARN',
    problems: [['deployRole', 'is "adp-deploy"; use an IAM role ARN, e.g. "arn:aws:iam::111111111111:role/data-platform-deploy"']],
  },
  {
    fixture: 'reserved-tag',
    behaviour: 'rejects a tag the platform sets itself',
    problems: [['tags.environment', 'is set, but the platform sets this tag itself; remove it (reserved: project, environment, stage, managed-by)']],
  },
  {
    fixture: 'tag-key-invalid',
    behaviour: 'rejects a tag key with characters AWS does not allow',
    problems: [['tags.owner{team}', 'is not an allowed key; use a tag key of 1-128 letters, digits, spaces and _.:/=+-@']],
  },
  {
    fixture: 'subnet-zone-outside-region',
    behaviour: "rejects a subnet in a zone outside the environment's region",
    problems: [['network.subnets.us-east-1b', 'is in zone us-east-1b, outside region eu-west-1; use subnets of eu-west-1 (e.g. eu-west-1a)']],
  },
  {
    fixture: 'subnet-duplicate-id',
    behaviour: 'rejects the same subnet listed under two zones, at the second zone',
    problems: [['network.subnets.eu-west-1b', 'is "subnet-0a1b2c3d4e5f67890", already listed for eu-west-1a; give each zone its own subnet']],
  },
  {
    fixture: 'subnet-too-few',
    behaviour: 'rejects a single subnet',
    problems: [['network.subnets', 'lists 1 subnet; list private subnets in at least 2 availability zones, for redundancy']],
  },
  {
    fixture: 'subnet-id-invalid',
    behaviour: 'rejects a subnet id that is not one',
    problems: [['network.subnets.eu-west-1b', 'is "sn-0b1c2d3e"; use a subnet id such as "subnet-0a1b2c3d4e5f67890"']],
  },
  {
    fixture: 'vpc-id-invalid',
    behaviour: 'rejects a VPC id that is not one',
    problems: [['network.vpcId', 'is "vpc-12345"; use a VPC id such as "vpc-0a1b2c3d4e5f67890"']],
  },
  {
    fixture: 'network-without-vpc',
    behaviour: 'rejects a network section without vpcId, describing the field',
    problems: [
      [
        'network.vpcId',
        "is missing; add it: The existing VPC the platform's VPC-bound services (DMS, Fargate imports, Glue connections, SageMaker) run in",
      ],
    ],
  },
  {
    fixture: 'ingestion-retention-hours',
    behaviour: 'rejects stream retention below 24 hours',
    problems: [['ingestion.streams.clicks.retentionHours', 'is 2; use a whole number from 24 to 8760']],
  },
  {
    fixture: 'ingestion-shards-on-demand',
    behaviour: 'rejects shards on an on-demand stream',
    problems: [['ingestion.streams.clicks.shards', 'is 2; an on-demand stream scales by itself; remove shards, or set mode: provisioned']],
  },
  {
    fixture: 'ingestion-provisioned-no-shards',
    behaviour: 'rejects a provisioned stream without shards, as missing',
    problems: [['ingestion.streams.clicks.shards', 'is missing; a provisioned stream needs a shard count; set shards (1 to 500), or use mode: on-demand']],
  },
  {
    fixture: 'ingestion-parquet-no-columns',
    behaviour: 'rejects a parquet stream without columns, saying the empty list is the default',
    problems: [
      [
        'ingestion.streams.clicks.columns',
        'is [] (the default); format is parquet, which converts records against their columns; list them (name, type), or set format: json',
      ],
    ],
  },
  {
    fixture: 'ingestion-buffer-parquet',
    behaviour: 'rejects a Firehose buffer below 64 MiB with parquet (the default format)',
    problems: [['ingestion.streams.clicks.bufferSizeMb', 'is 32; use 64 to 128; Firehose needs a buffer of at least 64 MiB for parquet conversion']],
  },
  {
    fixture: 'ingestion-buffer-partitioned',
    behaviour: 'rejects a Firehose buffer below 64 MiB with dynamic partitioning',
    problems: [
      ['ingestion.streams.clicks.bufferSizeMb', 'is 32; use 64 to 128; Firehose needs a buffer of at least 64 MiB for dynamic partitioning (partitionBy)'],
    ],
  },
  {
    fixture: 'ingestion-column-type',
    behaviour: 'rejects a column type Glue does not know, listing the types',
    problems: [
      [
        'ingestion.streams.clicks.columns.1.type',
        'is "varchar"; use one of string, int, bigint, smallint, tinyint, double, float, boolean, date, timestamp, binary',
      ],
    ],
  },
  {
    fixture: 'ingestion-unknown-stream-key',
    behaviour: "rejects a misspelt key in a stream with a suggestion from the stream's fields",
    problems: [
      [
        'ingestion.streams.clicks.retentionHour',
        'is not a known field; did you mean "retentionHours"? (allowed here: source, mode, shards, retentionHours, prefix, partitionBy, format, columns, bufferSizeMb, bufferIntervalSeconds)',
      ],
    ],
  },
  {
    fixture: 'ingestion-dataset-name',
    behaviour: 'rejects a dataset name with capitals and underscores',
    problems: [
      [
        'ingestion.databases.Orders_DB',
        'is not an allowed key; use 2-40 lowercase letters and digits, words joined by "-", starting with a letter (e.g. "clickstream")',
      ],
    ],
  },
  {
    fixture: 'ingestion-unknown-engine',
    behaviour: 'rejects a database engine DMS ingestion does not support, listing the engines',
    problems: [['ingestion.databases.orders.engine', 'is "oracle"; use one of postgres, mysql, aurora, aurora-postgresql, mariadb']],
  },
  {
    fixture: 'ingestion-secret-arn',
    behaviour: 'rejects database credentials given as a name instead of a secret ARN',
    problems: [
      ['ingestion.databases.orders.secretArn', 'is "orders-db-credentials"; use the ARN of a Secrets Manager secret holding username and password'],
    ],
  },
  {
    fixture: 'ingestion-source-cidr-open',
    behaviour: 'rejects a source database range of the whole internet',
    problems: [
      [
        'ingestion.databases.orders.sourceCidr',
        'is "0.0.0.0/0"; it has a prefix outside /8 to /32 (a private range, never the whole internet); use e.g. /24',
      ],
    ],
  },
  {
    fixture: 'ingestion-source-cidr-shape',
    behaviour: 'rejects a source database host name where a CIDR block is expected',
    problems: [['ingestion.databases.orders.sourceCidr', 'is "orders.db.internal"; use an IPv4 CIDR block such as "10.20.0.0/16"']],
  },
  {
    fixture: 'ingestion-tables-empty',
    behaviour: 'rejects a database replicating no tables',
    problems: [['ingestion.databases.orders.tables', 'is []; list at least one schema/table to replicate']],
  },
  {
    fixture: 'ingestion-table-name',
    behaviour: 'rejects a table name with a hyphen',
    problems: [
      ['ingestion.databases.orders.tables.0.table', 'is "order-lines"; use a table name of letters, digits, "_", "$", or "%" as a wildcard'],
    ],
  },
  {
    fixture: 'ingestion-schedule-cron-fields',
    behaviour: 'rejects a cron expression with 5 fields (EventBridge needs 6)',
    problems: [
      [
        'ingestion.batch.rates.schedule',
        'is "cron(0 2 * * ?)"; it has 5 cron fields; use 6: minutes hours day-of-month month day-of-week year, e.g. "cron(0 2 * * ? *)"',
      ],
    ],
  },
  {
    fixture: 'ingestion-schedule-cron-question',
    behaviour: 'rejects a cron expression with "?" in both day fields',
    problems: [
      [
        'ingestion.batch.rates.schedule',
        'is "cron(0 2 ? * ? *)"; it must have "?" in exactly one of day-of-month and day-of-week, e.g. "cron(0 2 * * ? *)"',
      ],
    ],
  },
  {
    fixture: 'ingestion-schedule-rate-unit',
    behaviour: 'rejects a rate of 1 with a plural unit',
    problems: [
      [
        'ingestion.saas.accounts.schedule',
        'is "rate(1 days)"; it says "1 days"; use the singular unit for 1 and the plural otherwise ("rate(1 day)", "rate(2 days)")',
      ],
    ],
  },
  {
    fixture: 'ingestion-schedule-text',
    behaviour: 'rejects a SaaS schedule in words, listing on-demand, rate and cron',
    problems: [
      [
        'ingestion.saas.accounts.schedule',
        'is "every day"; use "on-demand", "rate(<n> <minute|minutes|hour|hours|day|days>)" or "cron(<6 fields>)", e.g. "cron(0 2 * * ? *)"',
      ],
    ],
  },
  {
    fixture: 'ingestion-fargate-cpu',
    behaviour: 'rejects a CPU size Fargate does not offer',
    problems: [['ingestion.batch.rates.cpu', 'is 300; use a Fargate CPU size: 256, 512, 1024, 2048 or 4096']],
  },
  {
    fixture: 'ingestion-fargate-memory',
    behaviour: 'rejects memory that does not fit the CPU size',
    problems: [['ingestion.batch.rates.memoryMb', 'is 4096; use 512, 1024 or 2048 MiB with cpu 256, or another cpu (Fargate task sizes)']],
  },
  {
    fixture: 'ingestion-fargate-memory-step',
    behaviour: 'rejects memory within the range of the CPU size but not in whole GiB',
    problems: [['ingestion.batch.rates.memoryMb', 'is 1536; use 1024 to 4096 MiB in steps of 1024 with cpu 512, or another cpu (Fargate task sizes)']],
  },
  {
    fixture: 'ingestion-image-tag',
    behaviour: 'rejects a container image without a tag or digest',
    problems: [
      [
        'ingestion.batch.rates.image',
        'is "111111111111.dkr.ecr.eu-west-1.amazonaws.com/rates-import"; use a container image with a tag or digest, e.g. "111111111111.dkr.ecr.eu-west-1.amazonaws.com/import:1.4.2"',
      ],
    ],
  },
  {
    fixture: 'ingestion-without-network',
    behaviour: 'rejects databases and batch imports in a file without a network section',
    problems: [
      [
        'ingestion.databases',
        'declares orders, which runs in a VPC, but the file has no network section; add network.vpcId, network.vpcCidr and network.subnets',
      ],
      [
        'ingestion.batch',
        'declares rates, which runs in a VPC, but the file has no network section; add network.vpcId, network.vpcCidr and network.subnets',
      ],
    ],
  },
  {
    fixture: 'ingestion-prefix-shared',
    behaviour: "rejects two datasets landing under one raw prefix, whether written or the dataset name's default",
    problems: [
      [
        'ingestion.saas.orders.prefix',
        'is "orders/" (the default, from the dataset name), where ingestion.streams.clicks lands too; give each dataset its own raw-zone prefix',
      ],
      ['ingestion.events.scans.prefix', 'is "media/", where ingestion.events.photos lands too; give each dataset its own raw-zone prefix'],
    ],
  },
  {
    fixture: 'processing-worker-type',
    behaviour: 'rejects a Glue worker type that does not exist, listing the types',
    problems: [['processing.jobs.orders-clean.workerType', `is "G.3X"; ${JOB_WORKER_FIX}`]],
  },
  {
    fixture: 'processing-worker-type-streaming-only',
    behaviour: 'rejects the streaming-only worker type G.025X on an ETL job',
    problems: [['processing.jobs.orders-clean.workerType', `is "G.025X"; ${JOB_WORKER_FIX}`]],
  },
  {
    fixture: 'processing-glue-version-number',
    behaviour: 'rejects an unquoted Glue version (YAML reads 4.0 as the number 4), asking to quote it',
    problems: [['processing.jobs.orders-clean.glueVersion', 'is 4 (a number); use "4.0", quoted: YAML reads 4.0 unquoted as the number 4']],
  },
  {
    fixture: 'processing-workers-one',
    behaviour: 'rejects a job of 1 worker',
    problems: [['processing.jobs.orders-clean.workers', 'is 1; use a whole number from 2 to 299']],
  },
  {
    fixture: 'processing-script-not-python',
    behaviour: 'rejects a job script that is not a .py file',
    problems: [
      [
        'processing.jobs.orders-clean.script',
        'is "orders_clean.scala"; use the file name of a PySpark script in packages/processing/scripts/, e.g. "orders_clean.py"',
      ],
    ],
  },
  {
    fixture: 'processing-source-athena-results',
    behaviour: 'rejects a job reading the Athena results bucket, listing the zones',
    problems: [['processing.jobs.orders-clean.source.zone', 'is "athena-results"; use one of raw, processed, curated']],
  },
  {
    fixture: 'processing-job-connection-undeclared',
    behaviour: 'rejects a job using a connection that is not declared, listing those that are',
    problems: [['processing.jobs.orders-clean.connection', 'is "orders-db", which is not in processing.connections (vpc); declare it there']],
  },
  {
    fixture: 'processing-streaming-stream-undeclared',
    behaviour: 'rejects a streaming job reading a stream that is not declared, listing the streams',
    problems: [['processing.streamingJobs.views-live.stream', 'is "views", which is not in ingestion.streams (clicks); name a declared stream']],
  },
  {
    fixture: 'processing-streaming-direct-put',
    behaviour: 'rejects a streaming job reading a direct-put stream, which has no Kinesis stream',
    problems: [
      [
        'processing.streamingJobs.orders-live.stream',
        'is "orders", a direct-put stream without a Kinesis stream to read; use a stream with source: kinesis',
      ],
    ],
  },
  {
    fixture: 'processing-jdbc-without-secret',
    behaviour: 'rejects a JDBC connection without its secret, describing the field',
    problems: [['processing.connections.orders-db.secretArn', 'is missing; add it: Secrets Manager secret with the credentials (never a password in config)']],
  },
  {
    fixture: 'processing-jdbc-url',
    behaviour: 'rejects a JDBC URL without the jdbc: scheme',
    problems: [['processing.connections.orders-db.url', 'is "postgresql://orders.db.internal:5432/shop"; use a JDBC URL such as "jdbc:postgresql://host:5432/db"']],
  },
  {
    fixture: 'processing-jdbc-password',
    behaviour: 'rejects a password in a JDBC connection, listing the fields of a JDBC connection',
    problems: [['processing.connections.orders-db.password', 'is not a known field; remove it (allowed here: type, url, secretArn)']],
  },
  {
    fixture: 'processing-connection-kafka',
    behaviour: 'rejects a connection type other than jdbc and network, showing the type written',
    problems: [['processing.connections.events.type', 'is "kafka"; use type: jdbc (with url and secretArn) or type: network']],
  },
  {
    fixture: 'processing-connections-without-network',
    behaviour: 'rejects connections in a file without a network section, naming them',
    problems: [['processing.connections', `declares orders-db, vpc, ${NO_NETWORK}`]],
  },
  {
    fixture: 'processing-classifier-type',
    behaviour: 'rejects a classifier type other than csv, json and grok',
    problems: [['processing.classifiers.partner-xml.type', 'is "xml"; use type: csv, json or grok']],
  },
  {
    fixture: 'processing-csv-delimiter',
    behaviour: 'rejects a csv delimiter of two characters',
    problems: [['processing.classifiers.partner-csv.delimiter', 'is ";;"; use one character']],
  },
  {
    fixture: 'processing-crawler-classifier-undeclared',
    behaviour: 'rejects a crawler classifier that is not declared, at its position in the list',
    problems: [
      ['processing.crawlers.raw-orders.classifiers.1', 'is "partner-csv", which is not in processing.classifiers (apache-logs); declare it there'],
    ],
  },
  {
    fixture: 'processing-crawler-without-prefixes',
    behaviour: 'rejects a crawler without prefixes, describing the field',
    problems: [['processing.crawlers.raw-orders.prefixes', 'is missing; add it: Prefixes to crawl']],
  },
  {
    fixture: 'processing-crawler-recrawl',
    behaviour: 'rejects a recrawl mode Glue does not have, listing the three',
    problems: [['processing.crawlers.raw-orders.recrawl', 'is "on-events"; use new-folders-only, everything or events']],
  },
  {
    fixture: 'processing-crawler-events-prefixes',
    behaviour: 'rejects a crawler in S3 event mode with more than one prefix (Glue takes a single S3 target)',
    problems: [
      [
        'processing.crawlers.raw-orders.prefixes',
        'is ["orders/","returns/"]; recrawl: events takes exactly one prefix (Glue\'s S3 event mode crawls a single S3 target); '
          + 'keep one and give each other prefix a crawler of its own, or use recrawl: new-folders-only',
      ],
    ],
  },
  {
    fixture: 'processing-crawler-events-overlap',
    behaviour: 'rejects two crawlers in S3 event mode whose prefixes overlap in one zone, and accepts the same prefix in another zone',
    problems: [
      [
        'processing.crawlers.raw-orders-daily.prefixes.0',
        'is "orders/daily/", which overlaps "orders/" of crawler raw-orders, also recrawl: events in the raw zone; '
          + 'S3 sends the events of one object to one queue only: crawl prefixes that do not contain one another, or use recrawl: new-folders-only for one of them',
      ],
    ],
  },
  {
    fixture: 'processing-workflow-job-undeclared',
    behaviour: 'rejects a workflow step naming a job that is not declared, listing the jobs',
    problems: [['processing.workflows.nightly.steps.1.job', 'is "orders-curate", which is not in processing.jobs (orders-clean); declare the job']],
  },
  {
    fixture: 'processing-workflow-crawler-undeclared',
    behaviour: 'rejects a workflow step naming a crawler that is not declared',
    problems: [['processing.workflows.nightly.steps.0.crawler', 'is "raw-orders", which is not in processing.crawlers (none declared); declare the crawler']],
  },
  {
    fixture: 'processing-workflow-after-not-step',
    behaviour: 'rejects an "after" naming a crawler that is declared but not a step of the workflow',
    problems: [
      [
        'processing.workflows.nightly.steps.0.after.0',
        'is "raw-orders", which is not a step of this workflow (orders-clean); name a step listed in steps',
      ],
    ],
  },
  {
    fixture: 'processing-workflow-no-trigger',
    behaviour: 'rejects a workflow nothing starts',
    problems: [['processing.workflows.nightly', 'has neither schedule nor onNewObjects; add one so something starts it']],
  },
  {
    fixture: 'processing-workflow-two-triggers',
    behaviour: 'rejects a workflow with both a schedule and onNewObjects (Glue allows one start trigger)',
    problems: [['processing.workflows.nightly', 'has both schedule and onNewObjects; a Glue workflow has one start trigger: keep one']],
  },
  {
    fixture: 'processing-workflow-loop',
    behaviour: 'rejects workflow steps that wait for each other, naming the loop',
    problems: [
      [
        'processing.workflows.nightly.steps',
        'run in a loop (raw-orders -> orders-clean -> raw-orders); remove one of these "after" links',
      ],
    ],
  },
  {
    fixture: 'processing-quality-no-rules',
    behaviour: 'rejects a data quality ruleset without rules',
    problems: [['processing.dataQuality.orders-complete.rules', 'is []; list at least one DQDL rule']],
  },
  {
    fixture: 'processing-quality-empty-rule',
    behaviour: 'rejects an empty data quality rule, at its position in the list',
    problems: [['processing.dataQuality.orders-complete.rules.1', 'is ""; write a DQDL rule, e.g. IsComplete "order_id"']],
  },
  {
    fixture: 'name-mismatch',
    behaviour: 'rejects a name that differs from the file name',
    problems: [['name', 'is "prod" but the file is dev.yaml; make them equal (name: dev) or rename the file']],
  },
  {
    fixture: 'yaml-syntax',
    behaviour: 'rejects invalid YAML once, with its line and column',
    problems: [['', 'is not valid YAML at line 3, column 9: Nested mappings are not allowed in compact mappings; check the indentation of this line and the next']],
  },
  {
    fixture: 'yaml-duplicate-key',
    behaviour: 'rejects a key written twice, naming the key and its line',
    problems: [['', 'is not valid YAML at line 7, column 1: key "region" appears twice in the same mapping; keep one']],
  },
  {
    fixture: 'empty-file',
    behaviour: 'rejects an empty file, pointing at the smallest valid file',
    problems: [['', 'is empty; start from environments/local.yaml, the smallest valid file']],
  },
  {
    fixture: 'comments-only',
    behaviour: 'rejects a file of comments only as empty',
    problems: [['', 'is empty; start from environments/local.yaml, the smallest valid file']],
  },
  {
    fixture: 'top-level-list',
    behaviour: 'rejects a file whose top level is a list',
    problems: [['', 'is a list, not a mapping of fields (key: value lines); start from environments/local.yaml']],
  },
  {
    fixture: 'top-level-text',
    behaviour: 'rejects a file whose top level is a single word',
    problems: [['', 'is text ("dev"), not a mapping of fields (key: value lines); start from environments/local.yaml']],
  },
];

describe('loadEnvironment', () => {
  describe('valid files', () => {
    it('loads the smallest offline file, filling every default', () => {
      expect(loadEnvironment(fixture('valid', 'local.yaml'))).toEqual({
        name: 'local',
        project: 'adp',
        stage: 'development',
        account: '000000000000',
        region: 'eu-west-1',
        layout: 'single',
        protect: true,
        offline: true,
        tags: {},
        lake: {
          keyDeletionWindowDays: 30,
          abortIncompleteUploadDays: 7,
          athenaResultsExpirationDays: 30,
          accessLogsExpirationDays: 365,
          zones: {
            raw: { infrequentAccessDays: 90, noncurrentVersionExpirationDays: 90 },
            processed: { infrequentAccessDays: 90, noncurrentVersionExpirationDays: 90 },
            curated: { infrequentAccessDays: 90, noncurrentVersionExpirationDays: 90 },
          },
          tables: {},
        },
        ingestion: { streams: {}, databases: {}, saas: {}, events: {}, batch: {} },
        processing: NO_PROCESSING,
        observability: NO_OBSERVABILITY,
      });
    });

    it('loads a file setting every field, keeping each value as written', () => {
      expect(loadEnvironment(fixture('valid', 'dev.yaml'))).toEqual({
        name: 'dev',
        project: 'shop',
        stage: 'development',
        account: '011111111111',
        region: 'eu-central-1',
        deployRole: 'arn:aws:iam::011111111111:role/shop-deploy',
        state: {
          bucket: 'shop-tfstate-011111111111',
          region: 'eu-west-1',
          keyPrefix: 'platform/dev',
          role: 'arn:aws:iam::999999999999:role/shop-state',
        },
        layout: 'layered',
        protect: false,
        offline: false,
        tags: { 'cost-center': 'data-platform' },
        network: {
          vpcId: 'vpc-0a1b2c3d4e5f67890',
          vpcCidr: '10.10.0.0/16',
          subnets: { 'eu-central-1a': 'subnet-0a1b2c3d4e5f67890', 'eu-central-1b': 'subnet-0b1c2d3e4f5a67890' },
        },
        lake: {
          keyDeletionWindowDays: 7,
          abortIncompleteUploadDays: 3,
          athenaResultsExpirationDays: 7,
          accessLogsExpirationDays: 90,
          zones: {
            raw: { infrequentAccessDays: 30, archiveDays: 60, expirationDays: 365, noncurrentVersionExpirationDays: 14 },
            processed: { infrequentAccessDays: 90, noncurrentVersionExpirationDays: 90 },
            curated: { infrequentAccessDays: 60, noncurrentVersionExpirationDays: 90 },
          },
          tables: {},
        },
        ingestion: {
          streams: {
            clicks: {
              source: 'kinesis',
              mode: 'provisioned',
              shards: 2,
              retentionHours: 48,
              prefix: 'clickstream/',
              partitionBy: ['country'],
              format: 'parquet',
              columns: [
                { name: 'user_id', type: 'string' },
                { name: 'country', type: 'string' },
                { name: 'ts', type: 'timestamp' },
              ],
              bufferSizeMb: 64,
              bufferIntervalSeconds: 60,
            },
          },
          databases: {
            orders: {
              engine: 'mysql',
              host: 'orders.db.internal',
              port: 3306,
              databaseName: 'shop',
              secretArn: 'arn:aws:secretsmanager:eu-central-1:011111111111:secret:orders-db-AbCdEf',
              sourceCidr: '10.30.0.0/24',
              instanceClass: 'dms.r5.large',
              allocatedStorageGb: 100,
              multiAz: true,
              migrationType: 'cdc',
              tables: [
                { schema: 'shop', table: 'orders' },
                { schema: 'shop', table: 'order_lines' },
              ],
              prefix: 'orders-db/',
              certificateArn: 'arn:aws:dms:eu-central-1:011111111111:cert:ORDERSCA01',
            },
          },
          saas: {
            accounts: {
              connector: 'salesforce',
              connectorProfile: 'salesforce-dev',
              object: 'Account',
              fields: ['Id', 'Name', 'Industry'],
              schedule: 'on-demand',
              prefix: 'crm/accounts/',
            },
          },
          events: {
            documents: { prefix: 'uploads/', suffixes: ['.pdf', '.png'], memoryMb: 512, timeoutSeconds: 60, reservedConcurrency: 2, maxRetryAttempts: 4 },
          },
          batch: {
            rates: {
              image: '011111111111.dkr.ecr.eu-central-1.amazonaws.com/rates-import:1.4.2',
              schedule: 'cron(0 2 * * ? *)',
              command: ['python', 'import.py'],
              environment: { SOURCE_URL: 'https://rates.example.com/daily' },
              cpu: 1024,
              memoryMb: 4096,
              maxRetryAttempts: 0,
              prefix: 'rates/',
            },
          },
        },
        // Every processing field is set, and asserted, by valid/processing.yaml.
        processing: NO_PROCESSING,
        observability: NO_OBSERVABILITY,
      });
    });

    it('loads one dataset of each ingestion path, filling the defaults of INGESTION_DEFAULTS', () => {
      expect(loadEnvironment(fixture('valid', 'ingest.yaml')).ingestion).toStrictEqual({
        streams: {
          clicks: {
            ...INGESTION_DEFAULTS.stream,
            partitionBy: [],
            columns: [
              { name: 'user_id', type: 'string' },
              { name: 'ts', type: 'timestamp' },
            ],
          },
        },
        databases: {
          orders: {
            ...INGESTION_DEFAULTS.database,
            engine: 'postgres',
            host: 'orders.db.internal',
            port: 5432,
            databaseName: 'shop',
            secretArn: 'arn:aws:secretsmanager:eu-west-1:000000000000:secret:orders-db-AbCdEf',
            sourceCidr: '10.30.0.0/24',
            tables: [{ schema: 'public', table: 'orders' }],
          },
        },
        saas: { accounts: { ...INGESTION_DEFAULTS.saas, connectorProfile: 'salesforce-prod', object: 'Account', fields: ['Id', 'Name'] } },
        events: { documents: { ...INGESTION_DEFAULTS.events, prefix: 'uploads/', suffixes: [] } },
        batch: {
          rates: {
            ...INGESTION_DEFAULTS.batch,
            image: '000000000000.dkr.ecr.eu-west-1.amazonaws.com/rates-import:1.4.2',
            schedule: 'rate(1 day)',
            command: [],
            environment: {},
          },
        },
      });
    });

    it('loads every kind of the processing section, keeping each field as written and filling PROCESSING_DEFAULTS', () => {
      expect(loadEnvironment(fixture('valid', 'processing.yaml')).processing).toStrictEqual({
        jobs: {
          'orders-clean': {
            script: 'orders_clean.py',
            source: { zone: 'raw', prefix: 'orders/public/orders/' },
            target: { zone: 'processed', prefix: 'orders/' },
            glueVersion: '5.0',
            workerType: 'G.2X',
            workers: 10,
            timeoutMinutes: 120,
            maxRetries: 0,
            bookmarks: false,
            arguments: { '--source_table': 'orders', '--target_format': 'parquet' },
            connection: 'orders-db',
          },
          'orders-curate': {
            ...PROCESSING_DEFAULTS.job,
            script: 'orders_curate.py',
            source: { zone: 'processed', prefix: 'orders/' },
            target: { zone: 'curated', prefix: 'daily_revenue/' },
            arguments: {},
          },
        },
        streamingJobs: {
          'clicks-live': {
            script: 'clicks_live.py',
            stream: 'clicks',
            target: { zone: 'processed', prefix: 'clicks/' },
            glueVersion: '5.0',
            workerType: 'G.025X',
            workers: 4,
            windowSeconds: 30,
          },
          'clicks-sessions': {
            ...PROCESSING_DEFAULTS.streamingJob,
            script: 'clicks_sessions.py',
            stream: 'clicks',
            target: { zone: 'curated', prefix: 'sessions/' },
          },
        },
        connections: {
          'orders-db': {
            type: 'jdbc',
            url: 'jdbc:postgresql://orders.db.internal:5432/shop',
            secretArn: 'arn:aws:secretsmanager:eu-west-1:000000000000:secret:orders-glue-AbCdEf',
          },
          vpc: { type: 'network' },
        },
        classifiers: {
          'partner-csv': { type: 'csv', delimiter: ';', header: 'absent', quoteSymbol: "'" },
          'plain-csv': { type: 'csv', ...PROCESSING_DEFAULTS.csvClassifier },
          'events-json': { type: 'json', jsonPath: '$.records[*]' },
          'apache-logs': { type: 'grok', classification: 'apache-log', pattern: '%{COMMONAPACHELOG}' },
        },
        crawlers: {
          'raw-partners': {
            zone: 'raw',
            prefixes: ['partner-import/', 'partner-archive/'],
            schedule: 'cron(0 1 * * ? *)',
            recrawl: 'everything',
            classifiers: ['partner-csv', 'plain-csv', 'events-json', 'apache-logs'],
          },
          'processed-orders': { ...PROCESSING_DEFAULTS.crawler, zone: 'processed', prefixes: ['orders/'], classifiers: [] },
          'raw-returns': { zone: 'raw', prefixes: ['returns/'], recrawl: 'events', classifiers: [] },
        },
        workflows: {
          nightly: {
            schedule: 'cron(0 2 * * ? *)',
            steps: [
              { job: 'orders-clean', after: [] },
              { crawler: 'processed-orders', after: ['orders-clean'] },
              { job: 'orders-curate', after: ['orders-clean', 'processed-orders'] },
            ],
          },
          'on-orders': {
            onNewObjects: { zone: 'raw', prefix: 'orders/public/orders/' },
            steps: [{ job: 'orders-clean', after: [] }],
          },
        },
        dataQuality: {
          'orders-complete': { zone: 'processed', table: 'orders', rules: ['IsComplete "order_id"', 'ColumnValues "amount" >= 0'] },
          'revenue-rows': { ...PROCESSING_DEFAULTS.dataQuality, table: 'daily_revenue', rules: ['RowCount > 0'] },
        },
        interactiveSessions: true,
      });
    });

    it('documents the processing defaults the schema applies', () => {
      expect(PROCESSING_DEFAULTS).toEqual({
        job: { glueVersion: '4.0', workerType: 'G.1X', workers: 2, timeoutMinutes: 60, maxRetries: 1, bookmarks: true },
        streamingJob: { glueVersion: '4.0', workerType: 'G.1X', workers: 2, windowSeconds: 100 },
        crawler: { recrawl: 'new-folders-only' },
        csvClassifier: { delimiter: ',', header: 'present', quoteSymbol: '"' },
        dataQuality: { zone: 'curated' },
        interactiveSessions: false,
      });
    });

    it('loads a production file, protected by default', () => {
      const env = loadEnvironment(fixture('valid', 'prod.yaml'));
      expect(env).toMatchObject({ name: 'prod', stage: 'production', protect: true, offline: false, layout: 'layered' });
    });
  });

  describe('malformed files', () => {
    it('gives each of at least 20 malformed cases its own message', () => {
      expect(INVALID.length).toBeGreaterThanOrEqual(20);
      // comments-only is the empty-file mistake in disguise and shares its message on purpose.
      const messages = INVALID.filter((c) => c.fixture !== 'comments-only').map((c) => JSON.stringify(c.problems));
      expect(new Set(messages).size).toBe(messages.length);
    });

    it.each(INVALID)('$behaviour ($fixture)', ({ fixture: name, problems }) => {
      const file = invalidFile(name);
      const lines = problems.map(([path, message]) => `${file}: ${path ? `${path} ` : ''}${message}`);

      expect(() => loadEnvironment(file)).toThrow(exactly(lines));
      const error = rejection(() => loadEnvironment(file));
      expect(error.source).toBe(file);
      expect(error.problems.map((p) => p.path)).toEqual(problems.map(([path]) => path));
      expectReadable(error, file);
    });

    it('rejects a file that does not exist, saying how to create it', () => {
      const file = invalidFile('does-not-exist');
      expect(() => loadEnvironment(file)).toThrow(
        exactly([`${file}: does not exist; create it (copy environments/local.yaml) or pick an existing environment`]),
      );
      expectReadable(rejection(() => loadEnvironment(file)), file);
    });

    it('reports every problem of one file in one error, one line each', () => {
      const file = invalidFile('many-problems');
      const error = rejection(() => loadEnvironment(file));

      expect(error.message.split('\n')).toHaveLength(9);
      expect(error.problems.map((p) => p.path).sort()).toEqual(
        [
          'account',
          'lake.keyDeletionWindowDays',
          'lake.zones.raw.infrequentAcessDays',
          'regoin',
          'protect',
          'tags.project',
          'network.vpcCidr',
          'network.subnets.eu-west-1b',
          'lake.zones.raw.archiveDays',
        ].sort(),
      );
      expect(error.message).toMatch(
        new RegExp(`^${escapeRegExp(file)}: network\\.vpcCidr is "10\\.20\\.0\\.1/16"; it has host bits set; use "10\\.20\\.0\\.0/16"$`, 'm'),
      );
      expect(error.message).toMatch(/^.*: regoin is not a known field; did you mean "region"\?/m);
      expectReadable(error, file);
    });
  });
});

describe('parseEnvironment', () => {
  it('prefixes every message with the file name it is given', () => {
    expect(() => parseEnvironment('name: qa\naccount: 1\n', 'environments/qa.yaml')).toThrow(
      /^environments\/qa\.yaml: account is 1 \(a number\); use the 12-digit AWS account id/,
    );
  });

  it('reports a value .inf as Infinity, not null', () => {
    const text = 'name: qa\naccount: "111111111111"\nregion: eu-west-1\noffline: true\nlayout: single\nlake:\n  keyDeletionWindowDays: .inf\n';
    expect(() => parseEnvironment(text, 'qa.yaml')).toThrow(
      exactly(['qa.yaml: lake.keyDeletionWindowDays is Infinity (a number); use a whole number from 7 to 30']),
    );
  });

  const OFFLINE = 'name: qa\naccount: "111111111111"\nregion: eu-west-1\noffline: true\nlayout: single\n';
  const NETWORK = 'network:\n  vpcId: vpc-0a1b2c3d4e5f67890\n  vpcCidr: 10.20.0.0/16\n  subnets: { eu-west-1a: subnet-0a1b2c3d4e5f67890, eu-west-1b: subnet-0b1c2d3e4f5a67890 }\n';
  const BATCH = 'ingestion:\n  batch:\n    rates:\n      image: rates-import:1.4.2\n';

  it('does not compare subnet zones with a region that is itself invalid', () => {
    const text = OFFLINE.replace('region: eu-west-1', 'region: europe-west1') + NETWORK;
    expect(() => parseEnvironment(text, 'qa.yaml')).toThrow(exactly(['qa.yaml: region is "europe-west1"; use an AWS region name such as "eu-west-1"']));
  });

  it('reports a memory size left at its default that does not fit the CPU size as the default', () => {
    const text = `${OFFLINE}${NETWORK}${BATCH}      schedule: rate(1 day)\n      cpu: 4096\n`;
    expect(() => parseEnvironment(text, 'qa.yaml')).toThrow(
      exactly(['qa.yaml: ingestion.batch.rates.memoryMb is 1024 (the default); use 8192 to 30720 MiB in steps of 1024 with cpu 4096, or another cpu (Fargate task sizes)']),
    );
  });

  it.each([
    ['a batch schedule', `${NETWORK}${BATCH}      schedule: 5\n`, 'ingestion.batch.rates.schedule is 5 (a number); use a rate or cron expression, e.g. "rate(1 day)" or "cron(0 2 * * ? *)"'],
    [
      'a SaaS schedule',
      'ingestion:\n  saas:\n    accounts: { connectorProfile: p, object: Account, fields: [Id], schedule: 5 }\n',
      'ingestion.saas.accounts.schedule is 5 (a number); use "on-demand", a rate or cron expression, e.g. "rate(1 day)" or "cron(0 2 * * ? *)"',
    ],
    ['a stream retention', 'ingestion:\n  streams:\n    clicks: { format: json, retentionHours: a day }\n', 'ingestion.streams.clicks.retentionHours is "a day" (text); use a whole number from 24 to 8760'],
    ['the streams section', 'ingestion:\n  streams: [clicks]\n', 'ingestion.streams is ["clicks"] (a list); use a mapping (key: value lines, indented under this key)'],
  ])('rejects a value of the wrong type in %s with its own fix', (_, body, message) => {
    expect(() => parseEnvironment(OFFLINE + body, 'qa.yaml')).toThrow(exactly([`qa.yaml: ${message}`]));
  });

  it('accepts on-demand as a SaaS schedule, and not as a batch schedule', () => {
    const saas = 'ingestion:\n  saas:\n    accounts: { connectorProfile: p, object: Account, fields: [Id], schedule: on-demand }\n';
    expect(parseEnvironment(OFFLINE + saas, 'qa.yaml').ingestion.saas.accounts.schedule).toBe('on-demand');
    expect(() => parseEnvironment(`${OFFLINE}${NETWORK}${BATCH}      schedule: on-demand\n`, 'qa.yaml')).toThrow(
      exactly([
        'qa.yaml: ingestion.batch.rates.schedule is "on-demand"; use "rate(<n> <minute|minutes|hour|hours|day|days>)" or "cron(<6 fields>)", e.g. "cron(0 2 * * ? *)"',
      ]),
    );
  });

  const JOB = 'processing:\n  jobs:\n    orders-clean: { script: orders_clean.py, source: { zone: raw, prefix: orders/ }, target: { zone: processed, prefix: orders/ } }\n';
  const withJob = (fields: string) => JOB.replace(' }\n', `, ${fields} }\n`);

  it.each([
    ['a quoted version Glue does not offer', withJob('glueVersion: "3.0"'), 'glueVersion is "3.0"; use "4.0" or "5.0"'],
    ['an unquoted version Glue does not offer', withJob('glueVersion: 3.0'), 'glueVersion is 3 (a number); use "4.0" or "5.0", quoted: YAML reads an unquoted version as a number'],
    ['an unquoted 5.0', withJob('glueVersion: 5.0'), 'glueVersion is 5 (a number); use "5.0", quoted: YAML reads 5.0 unquoted as the number 5'],
  ])('rejects %s as a Glue version, saying what to write', (_, body, message) => {
    expect(() => parseEnvironment(OFFLINE + body, 'qa.yaml')).toThrow(exactly([`qa.yaml: processing.jobs.orders-clean.${message}`]));
  });

  it('rejects an unquoted Glue version of a streaming job, asking to quote it', () => {
    const body = 'ingestion:\n  streams:\n    clicks: { format: json }\nprocessing:\n  streamingJobs:\n    live: { script: live.py, stream: clicks, target: { zone: processed, prefix: live/ }, glueVersion: 5.0 }\n';
    expect(() => parseEnvironment(OFFLINE + body, 'qa.yaml')).toThrow(
      exactly(['qa.yaml: processing.streamingJobs.live.glueVersion is 5 (a number); use "5.0", quoted: YAML reads 5.0 unquoted as the number 5']),
    );
  });

  it('rejects a connection without a type as missing its type', () => {
    const body = `${NETWORK}processing:\n  connections:\n    orders-db: { url: "jdbc:postgresql://h:5432/db" }\n`;
    expect(() => parseEnvironment(OFFLINE + body, 'qa.yaml')).toThrow(
      exactly(['qa.yaml: processing.connections.orders-db.type is missing; use type: jdbc (with url and secretArn) or type: network']),
    );
  });

  it('describes a missing field of a classifier, from the option its type names', () => {
    const body = 'processing:\n  classifiers:\n    apache-logs: { type: grok, classification: apache }\n';
    expect(() => parseEnvironment(OFFLINE + body, 'qa.yaml')).toThrow(
      exactly(['qa.yaml: processing.classifiers.apache-logs.pattern is missing; add it: Grok pattern of one line, e.g. "%{COMMONAPACHELOG}"']),
    );
  });

  it('reports a workflow step naming both a job and a crawler once, without checking the names', () => {
    const body = 'processing:\n  workflows:\n    nightly: { schedule: rate(1 day), steps: [{ job: orders-clean, crawler: raw-orders }] }\n';
    expect(() => parseEnvironment(OFFLINE + body, 'qa.yaml')).toThrow(
      exactly([
        'qa.yaml: processing.workflows.nightly.steps.0 is {"job":"orders-clean","crawler":"raw-orders"}; use { job: <name> } or { crawler: <name> }, optionally with after: [<names>]',
      ]),
    );
  });

  it('rejects a workflow step waiting for itself as a loop', () => {
    const body = `${JOB}  workflows:\n    nightly: { schedule: rate(1 day), steps: [{ job: orders-clean, after: [orders-clean] }] }\n`;
    expect(() => parseEnvironment(OFFLINE + body, 'qa.yaml')).toThrow(
      exactly(['qa.yaml: processing.workflows.nightly.steps run in a loop (orders-clean -> orders-clean); remove one of these "after" links']),
    );
  });

  describe('managed lake tables', () => {
    const table = (name: string, zone: string, prefix: string) => `    ${name}: { zone: ${zone}, prefix: ${prefix}, columns: [{ name: id, type: bigint }] }\n`;

    it('rejects two tables of one zone whose prefixes overlap, and accepts the same prefix in another zone', () => {
      const body = `lake:\n  tables:\n${table('orders', 'curated', 'orders/')}${table('orders_daily', 'curated', 'orders/daily/')}${table('orders_raw', 'raw', 'orders/')}${table('returns', 'curated', 'returns/')}`;
      expect(() => parseEnvironment(OFFLINE + body, 'qa.yaml')).toThrow(
        exactly([
          'qa.yaml: lake.tables.orders_daily.prefix is "orders/daily/", which overlaps "orders/" of table orders in the curated zone; '
            + "Athena reads every file under a table's prefix: give each table a prefix that neither contains nor is inside another's",
        ]),
      );
    });

    it('rejects crawlers that would rewrite a managed table of their zone, and accepts them in another zone', () => {
      const body = [
        `lake:\n  tables:\n${table('daily_revenue', 'curated', 'sales/daily_revenue/')}processing:`,
        '  crawlers:',
        '    curated-sales: { zone: curated, prefixes: [returns/, sales/], recrawl: everything }',
        '    curated-revenue-2026: { zone: curated, prefixes: [sales/daily_revenue/year=2026/], recrawl: everything }',
        '    processed-sales: { zone: processed, prefixes: [sales/], recrawl: everything }',
        '',
      ].join('\n');
      const fix = 'a crawler with recrawl: everything would rewrite a table Terraform manages: use recrawl: new-folders-only (it only adds partitions), remove the prefix from the crawler, or the table from lake.tables';
      expect(() => parseEnvironment(OFFLINE + body, 'qa.yaml')).toThrow(
        exactly([
          `qa.yaml: processing.crawlers.curated-sales.prefixes.1 is "sales/", which overlaps "sales/daily_revenue/" of table daily_revenue of lake.tables in the curated zone; ${fix}`,
          `qa.yaml: processing.crawlers.curated-revenue-2026.prefixes.0 is "sales/daily_revenue/year=2026/", which overlaps "sales/daily_revenue/" of table daily_revenue of lake.tables in the curated zone; ${fix}`,
        ]),
      );
    });

    it('accepts a crawler over a managed table when it only adds partitions (recrawl: new-folders-only, the default)', () => {
      const body = `lake:\n  tables:\n${table('churn_predictions', 'curated', 'churn_predictions/')}processing:\n  crawlers:\n    curated-predictions: { zone: curated, prefixes: [churn_predictions/] }\n`;
      expect(parseEnvironment(OFFLINE + body, 'qa.yaml').processing.crawlers['curated-predictions'].recrawl).toBe('new-folders-only');
    });

    it('reports a malformed table prefix once, by the schema', () => {
      const body = `lake:\n  tables:\n${table('orders', 'curated', 'orders/')}${table('orders_daily', 'curated', 'orders')}`;
      expect(() => parseEnvironment(OFFLINE + body, 'qa.yaml')).toThrow(
        exactly([
          'qa.yaml: lake.tables.orders_daily.prefix is "orders"; use a key prefix of lowercase letters, digits, "_", "-", "=" and "/", ending with "/" (e.g. "daily_revenue/")',
        ]),
      );
    });
  });

  describe('ci', () => {
    it("rejects a plan role outside the environment's account", () => {
      const body = 'ci:\n  repository: acme/data-platform\n  planRole: arn:aws:iam::222222222222:role/adp-plan\n';
      expect(() => parseEnvironment(OFFLINE + body, 'qa.yaml')).toThrow(
        exactly(["qa.yaml: ci.planRole is in account 222222222222, not this environment's account 111111111111; use the plan role of account 111111111111 (apps/bootstrap creates it)"]),
      );
    });

    it('creates the GitHub OIDC provider by default, deploys from main and leaves the GitHub environment and plan role unset', () => {
      expect(parseEnvironment(`${OFFLINE}ci:\n  repository: acme/data-platform\n`, 'qa.yaml').ci).toEqual({ repository: 'acme/data-platform', createOidcProvider: true, defaultBranch: 'main' });
    });
  });

  describe('a file using every section', () => {
    // The first entry of each kind sets every field; the second, where there is one, only its required fields.
    const EVERY_SECTION = `${OFFLINE}${NETWORK}lake:
  tables:
    daily_revenue:
      zone: curated
      prefix: daily_revenue/
      description: Revenue per day.
      columns:
        - { name: order_date, type: date, comment: Day of the orders. }
        - { name: revenue, type: "decimal(18,2)" }
      partitionKeys:
        - { name: order_month, type: string }
    customers:
      zone: curated
      prefix: customers/
      columns: [{ name: customer_id, type: bigint }, { name: country, type: string }]
processing:
  crawlers:
    curated-predictions: { zone: curated, prefixes: [predictions/] }
governance:
  administrators: [arn:aws:iam::111111111111:role/lake-admin]
  hybridAccess: true
  tags:
    domain: [sales, customer]
    sensitivity: [internal, pii]
  databases:
    curated: { domain: sales, sensitivity: internal }
  tables:
    curated.customers:
      tags: { domain: customer }
      columns:
        customer_id: { sensitivity: pii }
  personas:
    analysts:
      description: Analysts.
      assumedBy: [account, arn:aws:iam::111111111111:role/analyst-sso]
      grants: [{ tags: { domain: [sales], sensitivity: [internal] }, access: read }]
      filters: [eu-customers]
      bytesScannedCutoffMb: 10
    bi: { description: QuickSight., assumedBy: [quicksight.amazonaws.com], grants: [{ tags: { domain: [sales] } }] }
    scientists: { description: Data scientists., assumedBy: [sagemaker.amazonaws.com] }
  filters:
    eu-customers: { table: curated.customers, rowFilter: "country = 'DE'", columns: [country] }
    all-revenue: { table: curated.daily_revenue, rowFilter: "TRUE" }
  queries:
    revenue: { file: revenue.sql, database: curated, description: Revenue., personas: [analysts] }
    customers: { file: customers.sql, database: curated, personas: [analysts, scientists] }
  statements:
    revenue-for-day: { file: revenue_for_day.sql, description: One day., personas: [analysts] }
    customer: { file: customer.sql, personas: [scientists] }
  sharing:
    finance: { account: "222222222222", database: curated, access: describe }
    audit: { account: "333333333333", database: processed }
bi:
  persona: bi
  namespace: sales
  vpcConnection: true
  groups:
    analysts: { description: Readers., role: READER, members: [alice, DataAnalyst/bob@example.com] }
    authors: { role: AUTHOR }
  datasets:
    revenue:
      table: curated.daily_revenue
      columns: [{ name: order_date, type: DATETIME }, { name: revenue, type: DECIMAL }, { name: order_month, type: STRING }]
      importMode: spice
      calculatedFields: [{ name: revenue_k, expression: "{revenue} / 1000" }]
      rowLevelSecurity: permissions
      groups: [analysts, authors]
      refresh: { interval: daily, time: "05:30", incrementalColumn: order_date, lookbackDays: 3 }
    permissions:
      sql: SELECT group_name, order_month FROM permissions
      columns: [{ name: group_name, type: STRING }, { name: order_month, type: STRING }]
  dashboards:
    revenue: { definition: revenue.json, datasets: [revenue], groups: [analysts] }
ml:
  persona: scientists
  users: [alice, bob-smith]
  models:
    churn:
      description: Churn in the next 90 days.
      image: 141502667606.dkr.ecr.eu-west-1.amazonaws.com/sagemaker-xgboost:1.7-1
      artifact: ml/churn/model.tar.gz
      endpoint: { instanceType: ml.m5.large, instances: 2, maxInstances: 4, targetInvocationsPerInstance: 500, dataCapturePercent: 0 }
      batch:
        schedule: cron(0 4 * * ? *)
        input: features/churn/
        output: predictions/churn/
        crawler: curated-predictions
        instanceType: ml.c5.xlarge
        instances: 2
        contentType: application/x-parquet
        timeoutMinutes: 120
    upsell:
      image: 141502667606.dkr.ecr.eu-west-1.amazonaws.com/sagemaker-xgboost:1.7-1
      artifact: ml/upsell/model.tar.gz
ci:
  repository: acme/data-platform
  githubEnvironment: qa-deploy
  planRole: arn:aws:iam::111111111111:role/adp-plan
  createOidcProvider: false
`;
    const env = parseEnvironment(EVERY_SECTION, 'qa.yaml');

    it('keeps the managed tables as written, with no partition keys by default', () => {
      expect(env.lake.tables).toEqual({
        daily_revenue: {
          zone: 'curated',
          prefix: 'daily_revenue/',
          description: 'Revenue per day.',
          columns: [
            { name: 'order_date', type: 'date', comment: 'Day of the orders.' },
            { name: 'revenue', type: 'decimal(18,2)' },
          ],
          partitionKeys: [{ name: 'order_month', type: 'string' }],
          format: 'parquet',
        },
        customers: {
          zone: 'curated',
          format: 'parquet',
          prefix: 'customers/',
          columns: [
            { name: 'customer_id', type: 'bigint' },
            { name: 'country', type: 'string' },
          ],
          partitionKeys: [],
        },
      });
    });

    it('keeps the governance section as written, filling the defaults of GOVERNANCE_DEFAULTS', () => {
      expect(env.governance).toEqual({
        administrators: ['arn:aws:iam::111111111111:role/lake-admin'],
        hybridAccess: true,
        tags: { domain: ['sales', 'customer'], sensitivity: ['internal', 'pii'] },
        databases: { curated: { domain: 'sales', sensitivity: 'internal' } },
        tables: { 'curated.customers': { tags: { domain: 'customer' }, columns: { customer_id: { sensitivity: 'pii' } } } },
        personas: {
          analysts: {
            description: 'Analysts.',
            assumedBy: ['account', 'arn:aws:iam::111111111111:role/analyst-sso'],
            grants: [{ tags: { domain: ['sales'], sensitivity: ['internal'] }, access: 'read' }],
            filters: ['eu-customers'],
            bytesScannedCutoffMb: 10,
          },
          bi: {
            description: 'QuickSight.',
            assumedBy: ['quicksight.amazonaws.com'],
            grants: [{ tags: { domain: ['sales'] }, access: GOVERNANCE_DEFAULTS.access }],
            filters: [],
            bytesScannedCutoffMb: GOVERNANCE_DEFAULTS.bytesScannedCutoffMb,
          },
          scientists: {
            description: 'Data scientists.',
            assumedBy: ['sagemaker.amazonaws.com'],
            grants: [],
            filters: [],
            bytesScannedCutoffMb: GOVERNANCE_DEFAULTS.bytesScannedCutoffMb,
          },
        },
        filters: {
          'eu-customers': { table: 'curated.customers', rowFilter: "country = 'DE'", columns: ['country'] },
          'all-revenue': { table: 'curated.daily_revenue', rowFilter: 'TRUE' },
        },
        queries: {
          revenue: { file: 'revenue.sql', database: 'curated', description: 'Revenue.', personas: ['analysts'] },
          customers: { file: 'customers.sql', database: 'curated', personas: ['analysts', 'scientists'] },
        },
        statements: {
          'revenue-for-day': { file: 'revenue_for_day.sql', description: 'One day.', personas: ['analysts'] },
          customer: { file: 'customer.sql', personas: ['scientists'] },
        },
        sharing: {
          finance: { account: '222222222222', database: 'curated', access: 'describe' },
          audit: { account: '333333333333', database: 'processed', access: 'read' },
        },
      });
    });

    it('keeps the bi section as written, filling the defaults of BI_DEFAULTS', () => {
      expect(env.bi).toEqual({
        persona: 'bi',
        namespace: 'sales',
        vpcConnection: true,
        groups: {
          analysts: { description: 'Readers.', role: 'READER', members: ['alice', 'DataAnalyst/bob@example.com'] },
          authors: { role: 'AUTHOR', members: [] },
        },
        datasets: {
          revenue: {
            table: 'curated.daily_revenue',
            columns: [
              { name: 'order_date', type: 'DATETIME' },
              { name: 'revenue', type: 'DECIMAL' },
              { name: 'order_month', type: 'STRING' },
            ],
            importMode: 'spice',
            calculatedFields: [{ name: 'revenue_k', expression: '{revenue} / 1000' }],
            rowLevelSecurity: 'permissions',
            groups: ['analysts', 'authors'],
            refresh: { interval: 'daily', time: '05:30', incrementalColumn: 'order_date', lookbackDays: 3 },
          },
          permissions: {
            sql: 'SELECT group_name, order_month FROM permissions',
            columns: [
              { name: 'group_name', type: 'STRING' },
              { name: 'order_month', type: 'STRING' },
            ],
            importMode: BI_DEFAULTS.importMode,
            calculatedFields: [],
            groups: [],
          },
        },
        dashboards: { revenue: { definition: 'revenue.json', datasets: ['revenue'], groups: ['analysts'] } },
      });
    });

    it('keeps the ml section as written, leaving out the endpoint and batch predictions of a model without them', () => {
      expect(env.ml).toEqual({
        persona: 'scientists',
        users: ['alice', 'bob-smith'],
        models: {
          churn: {
            description: 'Churn in the next 90 days.',
            image: '141502667606.dkr.ecr.eu-west-1.amazonaws.com/sagemaker-xgboost:1.7-1',
            artifact: 'ml/churn/model.tar.gz',
            endpoint: { instanceType: 'ml.m5.large', instances: 2, maxInstances: 4, targetInvocationsPerInstance: 500, dataCapturePercent: 0 },
            batch: {
              schedule: 'cron(0 4 * * ? *)',
              input: 'features/churn/',
              output: 'predictions/churn/',
              crawler: 'curated-predictions',
              instanceType: 'ml.c5.xlarge',
              instances: 2,
              contentType: 'application/x-parquet',
              timeoutMinutes: 120,
            },
          },
          upsell: { image: '141502667606.dkr.ecr.eu-west-1.amazonaws.com/sagemaker-xgboost:1.7-1', artifact: 'ml/upsell/model.tar.gz' },
        },
      });
    });

    it('keeps the ci section as written', () => {
      expect(env.ci).toEqual({
        repository: 'acme/data-platform',
        githubEnvironment: 'qa-deploy',
        planRole: 'arn:aws:iam::111111111111:role/adp-plan',
        createOidcProvider: false,
        defaultBranch: 'main',
      });
    });
  });

  it('asks to indent with spaces when YAML is indented with a tab', () => {
    expect(() => parseEnvironment('name: qa\nlake:\n\tkeyDeletionWindowDays: 7\n', 'qa.yaml')).toThrow(
      /^qa\.yaml: is not valid YAML at line 3, column 1: .*; indent with spaces$/,
    );
  });
});

describe('listEnvironments', () => {
  it('lists the <env>.yaml files of a directory by name, sorted, ignoring other files', () => {
    expect(listEnvironments(fixture('sets', 'valid'))).toEqual(['dev', 'local', 'prod', 'sandbox']);
    expect(listEnvironments(fixture('sets', 'empty'))).toEqual([]);
  });
});

describe('loadEnvironments', () => {
  it('loads every environment of a directory; offline environments may share an account', () => {
    const envs = loadEnvironments(fixture('sets', 'valid'));
    expect(envs.map((e) => [e.name, e.account])).toEqual([
      ['dev', '111111111111'],
      ['local', '000000000000'],
      ['prod', '333333333333'],
      ['sandbox', '000000000000'],
    ]);
  });

  it('loads only the environments named, each once', () => {
    expect(loadEnvironments(fixture('sets', 'valid'), ['prod', 'dev', 'prod']).map((e) => e.name)).toEqual(['prod', 'dev']);
  });

  it('reads only the named files, so a broken neighbour does not stop them', () => {
    expect(loadEnvironments(fixture('sets', 'broken'), ['dev']).map((e) => e.name)).toEqual(['dev']);
  });

  it('rejects two online environments in one account', () => {
    const dir = fixture('sets', 'shared-account');
    const file = join(dir, 'staging.yaml');
    expect(() => loadEnvironments(dir)).toThrow(
      exactly([`${file}: account is "111111111111", the account of environment "dev" too; give each environment its own AWS account`]),
    );
    const error = rejection(() => loadEnvironments(dir));
    expect(error.problems).toEqual([expect.objectContaining({ source: file, path: 'account' })]);
    expectReadable(error, file);
  });

  it('rejects two environments keeping state under the same bucket and key prefix', () => {
    const dir = fixture('sets', 'shared-state');
    const file = join(dir, 'staging.yaml');
    expect(() => loadEnvironments(dir)).toThrow(
      exactly([`${file}: state.keyPrefix puts state at s3://shared-tfstate/platform/, where environment "dev" keeps its state; use a distinct keyPrefix`]),
    );
    expectReadable(rejection(() => loadEnvironments(dir)), file);
  });

  it('reports the problems of every file in one error, each line prefixed with its own file', () => {
    const dir = fixture('sets', 'broken');
    const qa = join(dir, 'qa.yaml');
    const staging = join(dir, 'staging.yaml');
    expect(() => loadEnvironments(dir)).toThrow(
      exactly([
        `${qa}: region is "eu-west-9x"; use an AWS region name such as "eu-west-1"`,
        `${staging}: protect is "maybe" (text); use true or false`,
      ]),
    );
    expectReadable(rejection(() => loadEnvironments(dir)), qa, staging);
  });

  it('rejects an environment name that has no file, listing the names there are', () => {
    const dir = fixture('sets', 'valid');
    expect(() => loadEnvironments(dir, ['dev', 'qa', 'uat'])).toThrow(
      exactly([`${dir}: has no environment "qa", "uat"; choose from dev, local, prod, sandbox`]),
    );
    expectReadable(rejection(() => loadEnvironments(dir, ['qa'])), dir);
  });

  it('rejects a directory without environment files', () => {
    const dir = fixture('sets', 'empty');
    expect(() => loadEnvironments(dir)).toThrow(
      exactly([`${dir}: holds no <env>.yaml files; add one (see environments/local.yaml in the repository)`]),
    );
    expectReadable(rejection(() => loadEnvironments(dir)), dir);
  });

  it('rejects a directory that does not exist', () => {
    const dir = fixture('sets', 'missing');
    expect(() => loadEnvironments(dir)).toThrow(
      exactly([`${dir}: does not exist; pass the directory holding the <env>.yaml files (environments/ in the repository)`]),
    );
    expectReadable(rejection(() => loadEnvironments(dir)), dir);
  });
});
