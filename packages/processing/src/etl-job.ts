import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Token } from 'cdktf';
import { Construct } from 'constructs';
import { GlueJob } from '@cdktf/provider-aws/lib/glue-job';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import {
  DATASET_NAME_FIX,
  DATASET_NAME_RE,
  EncryptedLogGroup,
  GLUE_VERSIONS,
  GLUE_WORKER_TYPES,
  JOB_ZONES,
  JobConfig,
  JobLocation,
  NAME_LIMITS,
  PlatformStack,
  ServiceRole,
  Validator,
} from '@data-platform/core';
import { DataLake } from '@data-platform/lake';
import { GlueConnection } from './glue-connection';
import { GlueScript, SCRIPTS_DIR } from './glue-script';
import { ProcessingSecurity } from './security-configuration';

/**
 * Fixed settings of every {@link EtlJob}: not configurable, asserted by tests so these docs and
 * the code cannot drift.
 */
export const ETL_JOB_SETTINGS = {
  /** A Spark ETL job (`glueetl`), its script in Python 3. */
  command: 'glueetl',
  pythonVersion: '3',
  /**
   * One run at a time: runs of a job read and rewrite the same prefix and share one bookmark, so
   * a second concurrent run would read half-written output (Glue refuses to start it instead).
   */
  maxConcurrentRuns: 1,
  /** Key prefix of a job's Glue temporary directory in the artifacts bucket: `tmp/<job>/`. */
  tempDirPrefix: 'tmp/',
  /** CloudWatch namespace of the job metrics and observability metrics Glue publishes. */
  metricsNamespace: 'Glue',
} as const;

/**
 * Job arguments every {@link EtlJob} sets to the same value: continuous logging, job metrics,
 * observability metrics and job run insights on; the Spark UI off (its event logs would be one
 * more copy of query plans and sample values to keep, and the role would need a place to write
 * them).
 * @see https://docs.aws.amazon.com/glue/latest/dg/aws-glue-programming-etl-glue-arguments.html
 */
export const ETL_JOB_FIXED_ARGUMENTS = {
  '--enable-continuous-cloudwatch-log': 'true',
  '--enable-metrics': 'true',
  '--enable-observability-metrics': 'true',
  '--enable-job-insights': 'true',
  '--enable-spark-ui': 'false',
} as const;

/**
 * Job arguments the platform sets for every job, which `config.arguments` may not set: the fixed
 * ones ({@link ETL_JOB_FIXED_ARGUMENTS}), the bookmark option, the temporary directory, and
 * where the job reads and writes (`--source_path`, `--target_path`, `--source_database`,
 * `--target_database`; its role may reach only those).
 */
export const PLATFORM_JOB_ARGUMENTS = [
  ...Object.keys(ETL_JOB_FIXED_ARGUMENTS),
  '--job-bookmark-option',
  '--TempDir',
  '--source_path',
  '--target_path',
  '--source_database',
  '--target_database',
  '--extra-py-files',
] as const;

/**
 * Job arguments `config.arguments` may not set besides {@link PLATFORM_JOB_ARGUMENTS}: those
 * Glue uses internally (`--JOB_NAME`, `--debug`, `--mode`), and those that move the job's logs
 * or Spark event logs elsewhere than the places its role may write
 * (`--continuous-log-logGroup`, `--custom-logGroup-prefix`, `--spark-event-logs-path`).
 * @see https://docs.aws.amazon.com/glue/latest/dg/aws-glue-programming-etl-glue-arguments.html
 */
export const RESERVED_JOB_ARGUMENTS = [
  '--JOB_NAME',
  '--debug',
  '--mode',
  '--continuous-log-logGroup',
  '--custom-logGroup-prefix',
  '--spark-event-logs-path',
] as const;

/** Worker types Glue offers only to streaming jobs. */
const STREAMING_ONLY_WORKER_TYPES: readonly string[] = ['G.025X'];
const PREFIX_RE = /^[a-z0-9][a-z0-9_\-/=]*\/$/;
const PREFIX_FIX = 'use a key prefix of lowercase letters, digits, "_", "-", "=" and "/", ending with "/" (e.g. "orders/")';
const SCRIPT_RE = /^[a-z][a-z0-9_]*\.py$/;
const ARGUMENT_RE = /^--[A-Za-z][A-Za-z0-9_.-]*$/;

/** What an {@link EtlJob} needs of a connection: its name and a grant for the job's role ({@link GlueConnection}). */
export type JobConnection = Pick<GlueConnection, 'name' | 'grantUse'>;

/** The module of helpers every ETL job script may import (packages/processing/scripts/lake_io.py). */
export const JOB_HELPERS_FILE = 'lake_io.py';

/** Props of {@link EtlJob}. */
export interface EtlJobProps {
  /** The lake the job reads from and writes to; its artifacts bucket holds the script and temporary files. */
  readonly lake: DataLake;
  /** Job name (the key under `processing.jobs`): part of resource names and of the temporary directory. */
  readonly name: string;
  /** The job's `processing.jobs.<name>` section, validated and defaulted by the config loader. */
  readonly config: JobConfig;
  /** The layer's Glue security configuration: encrypts what the job writes to S3, its logs and its bookmarks. */
  readonly security: ProcessingSecurity;
  /**
   * The layer's shared Python module ({@link JOB_HELPERS_FILE}, uploaded once by the layer): the
   * job gets it with `--extra-py-files` and its role may read it, so job scripts import it.
   */
  readonly helpers: GlueScript;
  /**
   * The connection the job uses to reach a VPC (`config.connection`, resolved by the caller): the
   * job lists it in `connections` and its role gets {@link GlueConnection.grantUse}.
   * @default none: the job runs in Glue's own network and reaches only AWS APIs
   */
  readonly connection?: JobConnection;
}

/**
 * A Glue Spark ETL job that runs one PySpark script of `packages/processing/scripts/` and moves
 * data from one lake zone prefix (`config.source`) to another (`config.target`).
 *
 * - The script is uploaded to the artifacts bucket under a key carrying its content hash
 *   ({@link GlueScript}): changing the script changes `script_location` and redeploys the job.
 * - Glue version, worker type and count, timeout and retries come from config. One run at a
 *   time ({@link ETL_JOB_SETTINGS}). Runs under the layer's security configuration, so the S3
 *   objects it writes, its CloudWatch logs and its job bookmarks are encrypted with the lake key.
 * - Arguments: the bookmark option from `config.bookmarks`; continuous logging, job metrics,
 *   observability metrics and job run insights on, the Spark UI off
 *   ({@link ETL_JOB_FIXED_ARGUMENTS}); `--TempDir` `s3://<artifacts>/tmp/<name>/`;
 *   `--source_path` / `--target_path` (`s3://<zone bucket>/<prefix>`) and `--source_database` /
 *   `--target_database` (the zones' catalog databases) for the script; then `config.arguments`,
 *   which may not set any of these ({@link PLATFORM_JOB_ARGUMENTS}, {@link RESERVED_JOB_ARGUMENTS}).
 * - Its role (trusted by glue.amazonaws.com for this account only; no AWS managed policy) may:
 *   read the source prefix; read, write and delete under the target prefix (Spark lists and
 *   checks its output path, and the platform's scripts replace the files of the partitions they
 *   rewrite: new files first, then the old ones deleted); read the script; read, write and delete
 *   under its temporary directory; read the catalog of the source and target databases and create
 *   or update tables and partitions of the target database only, with the lake key through Glue
 *   (for a catalog encrypted with it); encrypt and decrypt its job bookmarks with the lake key
 *   (bookmark encryption is client-side, not through S3); write its log groups; publish metrics to
 *   the `Glue` namespace only; and use `connection` when given.
 * - Log groups: with a security configuration that encrypts CloudWatch logs, Glue writes a run's
 *   driver output and errors to `/aws-glue/jobs/<security configuration>-role/<role name>/output`
 *   and `/error`, which this construct creates beforehand, encrypted and with a retention (Glue
 *   would create them with none), and continuous logs to the layer-wide
 *   `/aws-glue/jobs/logs-v2-<security configuration>` (one group for every job under the
 *   configuration), which the role may write but this construct does not create.
 *
 * A job is not stateful (its output lives in the lake's buckets): no address is pinned.
 *
 * @see https://docs.aws.amazon.com/glue/latest/dg/monitor-continuous-logging-enable.html
 * @see https://docs.aws.amazon.com/glue/latest/dg/set-up-encryption.html
 * @see https://docs.aws.amazon.com/glue/latest/dg/monitoring-awsglue-with-cloudwatch-metrics.html
 */
export class EtlJob extends Construct {
  /** The Glue job. */
  readonly job: GlueJob;
  /** The job's role. */
  readonly role: ServiceRole;
  /** The job's script in the artifacts bucket. */
  readonly script: GlueScript;
  /** Physical name of the job, for workflow triggers and alerting (a Terraform reference). */
  readonly name: string;
  /**
   * The groups Glue writes each run's driver output and errors to under the security
   * configuration: `/aws-glue/jobs/<security configuration>-role/<role name>/output` and `/error`.
   */
  readonly logGroups: { readonly output: EncryptedLogGroup; readonly error: EncryptedLogGroup };
  /** The job's temporary directory, `s3://<artifacts bucket>/tmp/<name>/`. */
  readonly tempDir: string;

  constructor(scope: Construct, id: string, props: EtlJobProps) {
    super(scope, id);
    checkEtlJobProps(new Validator(`EtlJob ${this.node.path}`), props).throwIfAny();
    const { lake, name, config, security, connection, helpers } = props;

    const stack = PlatformStack.of(this);
    const { env } = stack;
    const source = lake.zones[config.source.zone];
    const target = lake.zones[config.target.zone];
    const sourceDatabase = lake.databases[config.source.zone];
    const targetDatabase = lake.databases[config.target.zone];
    const tempPrefix = `${ETL_JOB_SETTINGS.tempDirPrefix}${name}/`;
    this.tempDir = `s3://${lake.artifacts.name}/${tempPrefix}`;

    this.script = new GlueScript(this, 'script', { lake, file: config.script });
    this.role = new ServiceRole(this, 'role', {
      layer: 'processing',
      service: 'glue.amazonaws.com',
      name: `${name}-job`,
      description: `Glue job ${name}: ${config.source.zone}/${config.source.prefix} to ${config.target.zone}/${config.target.prefix} (${env.project}-${env.name})`,
    });

    const logGroup = (stream: 'output' | 'error') =>
      new EncryptedLogGroup(this, `${stream}-logs`, { name: `/aws-glue/jobs/${security.name}-role/${this.role.name}/${stream}`, key: lake.key });
    this.logGroups = { output: logGroup('output'), error: logGroup('error') };

    const arn = (service: string, resource: string) => `arn:${stack.partition}:${service}:${env.region}:${env.account}:${resource}`;
    const catalog = arn('glue', 'catalog');
    const databaseArn = (database: string) => arn('glue', `database/${database}`);
    const tablesArn = (database: string) => arn('glue', `table/${database}/*`);
    const continuousLogs = arn('logs', `log-group:/aws-glue/jobs/logs-v2-${security.name}`);
    const role = this.role.role;
    // A job reading and writing one zone names its database once.
    const readDatabases = config.source.zone === config.target.zone ? [targetDatabase.name] : [sourceDatabase.name, targetDatabase.name];

    const policies: IamRolePolicy[] = [
      lake.grantRead(role, config.source.zone, config.source.prefix),
      lake.grantRead(role, config.target.zone, config.target.prefix),
      lake.grantWrite(role, config.target.zone, config.target.prefix),
      lake.grantRead(role, 'artifacts', this.script.keyPrefix),
      lake.grantRead(role, 'artifacts', helpers.keyPrefix),
      lake.grantRead(role, 'artifacts', tempPrefix),
      lake.grantWrite(role, 'artifacts', tempPrefix),
      this.role.allow('delete-objects', [
        {
          // The lake's write grant never deletes. The platform's scripts replace a partition by
          // writing its new files and then deleting the old ones, and Spark's output committer
          // deletes its `_temporary` files under the output path.
          sid: 'ReplaceTargetObjects',
          effect: 'Allow',
          actions: ['s3:DeleteObject'],
          resources: [`${target.arn}/${config.target.prefix}*`],
        },
        {
          // Glue and Spark remove their temporary files when a stage is done.
          sid: 'CleanTempDir',
          effect: 'Allow',
          actions: ['s3:DeleteObject'],
          resources: [`${lake.artifacts.arn}/${tempPrefix}*`],
        },
      ]),
      this.role.allow('catalog', [
        {
          sid: 'ReadZoneDatabases',
          effect: 'Allow',
          actions: ['glue:GetDatabase'],
          resources: [catalog, ...readDatabases.map(databaseArn)],
        },
        {
          sid: 'ReadZoneTables',
          effect: 'Allow',
          actions: ['glue:GetTable', 'glue:GetTables', 'glue:GetPartition', 'glue:GetPartitions', 'glue:BatchGetPartition'],
          // Glue authorizes table actions on the catalog, the database and the table.
          resources: [catalog, ...readDatabases.map(databaseArn), ...readDatabases.map(tablesArn)],
        },
        {
          // The sink creates the target table on the first run, then updates its schema and
          // adds partitions (enableUpdateCatalog): in the target database only.
          sid: 'CatalogTargetTables',
          effect: 'Allow',
          actions: ['glue:CreateTable', 'glue:UpdateTable', 'glue:CreatePartition', 'glue:BatchCreatePartition', 'glue:UpdatePartition'],
          resources: [catalog, databaseArn(targetDatabase.name), tablesArn(targetDatabase.name)],
        },
        {
          // Reading and writing a catalog encrypted with the lake key (the platform's catalog
          // encryption rule asks for it) takes the key, through Glue only.
          sid: 'UseLakeKeyThroughGlue',
          effect: 'Allow',
          actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
          resources: [lake.key.arn],
          condition: [{ test: 'StringEquals', variable: 'kms:ViaService', values: [`glue.${env.region}.amazonaws.com`] }],
        },
      ]),
      this.role.allow('bookmarks', [
        {
          // Bookmarks are encrypted client-side (CSE-KMS) before Glue stores them, so the lake
          // grants' S3-only key use does not cover them.
          sid: 'EncryptJobBookmarks',
          effect: 'Allow',
          actions: ['kms:Encrypt', 'kms:Decrypt'],
          resources: [lake.key.arn],
        },
      ]),
      this.role.allow('write-logs', [
        {
          // Glue creates each group if missing and associates the security configuration's key
          // with it before a run (continuous logging is turned off without AssociateKmsKey),
          // then writes one stream per driver and executor.
          sid: 'WriteJobLogs',
          effect: 'Allow',
          actions: ['logs:CreateLogGroup', 'logs:AssociateKmsKey', 'logs:CreateLogStream', 'logs:PutLogEvents'],
          // Each group, and its streams (`<group arn>:log-stream:<name>`).
          resources: [
            this.logGroups.output.arn,
            `${this.logGroups.output.arn}:*`,
            this.logGroups.error.arn,
            `${this.logGroups.error.arn}:*`,
            continuousLogs,
            `${continuousLogs}:*`,
          ],
        },
      ]),
      this.role.allow('metrics', [
        {
          // cloudwatch:PutMetricData has no resource type: AWS defines it only on "*". The
          // condition keeps the job to Glue's namespace.
          sid: 'PublishGlueMetrics',
          effect: 'Allow',
          actions: ['cloudwatch:PutMetricData'],
          resources: ['*'],
          condition: [{ test: 'StringEquals', variable: 'cloudwatch:namespace', values: [ETL_JOB_SETTINGS.metricsNamespace] }],
        },
      ]),
    ];
    if (connection) policies.push(connection.grantUse(this.role));

    this.job = new GlueJob(this, 'job', {
      // NAME_LIMITS.glueDatabase: every Glue name (database, crawler, job) has the same 255-character limit.
      name: stack.resourceName('processing', `${name}-job`, { maxLength: NAME_LIMITS.glueDatabase }),
      description: `Moves ${config.source.zone}/${config.source.prefix} to ${config.target.zone}/${config.target.prefix} with ${config.script} (${env.project}-${env.name})`,
      roleArn: this.role.arn,
      command: { name: ETL_JOB_SETTINGS.command, pythonVersion: ETL_JOB_SETTINGS.pythonVersion, scriptLocation: this.script.location },
      glueVersion: config.glueVersion,
      workerType: config.workerType,
      numberOfWorkers: config.workers,
      timeout: config.timeoutMinutes,
      maxRetries: config.maxRetries,
      securityConfiguration: security.name,
      executionProperty: { maxConcurrentRuns: ETL_JOB_SETTINGS.maxConcurrentRuns },
      connections: connection ? [connection.name] : undefined,
      defaultArguments: {
        '--job-bookmark-option': config.bookmarks ? 'job-bookmark-enable' : 'job-bookmark-disable',
        ...ETL_JOB_FIXED_ARGUMENTS,
        '--TempDir': this.tempDir,
        '--source_path': `s3://${source.name}/${config.source.prefix}`,
        '--target_path': `s3://${target.name}/${config.target.prefix}`,
        '--source_database': sourceDatabase.name,
        '--target_database': targetDatabase.name,
        '--extra-py-files': helpers.location,
        ...config.arguments,
      },
      // A first run must find its permissions, its script and its encrypted log groups in place.
      dependsOn: [...policies, this.script.object, helpers.object, this.logGroups.output.logGroup, this.logGroups.error.logGroup],
    });
    this.name = this.job.name;
  }
}

/** Records problems with the props of an {@link EtlJob} (values still tokens are skipped). */
export function checkEtlJobProps(v: Validator, { name, config, connection }: EtlJobProps): Validator {
  const known = (value: unknown) => !Token.isUnresolved(value);
  const shown = (value: unknown) => JSON.stringify(value);
  if (known(name)) v.check(DATASET_NAME_RE.test(name), 'name', `is ${shown(name)}; ${DATASET_NAME_FIX}`);

  if (known(config.script)) {
    if (!SCRIPT_RE.test(config.script)) {
      v.add('config.script', `is ${shown(config.script)}; use the file name of a PySpark script in packages/processing/scripts/, e.g. "orders_clean.py"`);
    } else if (!existsSync(join(SCRIPTS_DIR, config.script))) {
      v.add('config.script', `is ${shown(config.script)}, which is not in packages/processing/scripts; add the script there or fix the name`);
    }
  }

  const checkLocation = (location: JobLocation, field: 'source' | 'target') => {
    v.check((JOB_ZONES as readonly string[]).includes(location.zone), `config.${field}.zone`,
      `is ${shown(location.zone)}; use one of ${JOB_ZONES.join(', ')}`);
    if (known(location.prefix)) v.check(PREFIX_RE.test(location.prefix), `config.${field}.prefix`, `is ${shown(location.prefix)}; ${PREFIX_FIX}`);
  };
  checkLocation(config.source, 'source');
  checkLocation(config.target, 'target');
  const { source, target } = config;
  if (source.zone === target.zone && known(source.prefix) && known(target.prefix) &&
    (source.prefix.startsWith(target.prefix) || target.prefix.startsWith(source.prefix))) {
    v.add('config.target', `is ${target.zone}/${target.prefix}, which overlaps the source ${source.zone}/${source.prefix}; write where the job does not read, or each run reads its own output`);
  }

  v.check((GLUE_VERSIONS as readonly string[]).includes(config.glueVersion), 'config.glueVersion',
    `is ${shown(config.glueVersion)}; use one of ${GLUE_VERSIONS.join(', ')}`);
  if (STREAMING_ONLY_WORKER_TYPES.includes(config.workerType)) {
    v.add('config.workerType', `is ${shown(config.workerType)}, which Glue offers only to streaming jobs; use G.1X or larger`);
  } else {
    v.check((GLUE_WORKER_TYPES as readonly string[]).includes(config.workerType), 'config.workerType',
      `is ${shown(config.workerType)}; use one of ${GLUE_WORKER_TYPES.filter((t) => !STREAMING_ONLY_WORKER_TYPES.includes(t)).join(', ')}`);
  }
  const checkInt = (value: number, field: string, min: number, max: number) => {
    if (known(value)) v.check(Number.isInteger(value) && value >= min && value <= max, field, `is ${shown(value)}; use a whole number from ${min} to ${max}`);
  };
  checkInt(config.workers, 'config.workers', 2, 299);
  checkInt(config.timeoutMinutes, 'config.timeoutMinutes', 1, 2880);
  checkInt(config.maxRetries, 'config.maxRetries', 0, 10);

  if (config.connection !== undefined && connection === undefined) {
    v.add('connection', `is missing, but config.connection is ${shown(config.connection)}; pass the GlueConnection built for it`);
  }

  const reserved = new Map([...PLATFORM_JOB_ARGUMENTS, ...RESERVED_JOB_ARGUMENTS].map((key) => [key.toLowerCase(), key]));
  for (const key of Object.keys(config.arguments)) {
    if (!ARGUMENT_RE.test(key)) {
      v.add(`config.arguments.${key}`, 'is not an argument name; use "--" and a name of letters, digits, "_", "-" and ".", e.g. "--source_table"');
      continue;
    }
    const own = reserved.get(key.toLowerCase());
    if (own === undefined) continue;
    v.add(`config.arguments.${key}`, (PLATFORM_JOB_ARGUMENTS as readonly string[]).includes(own)
      ? `sets ${own}, which the platform sets for every job; remove it (the job's role may reach only what the platform's value names)`
      : `sets ${own}, which Glue reserves or which moves the job's logs where its role may not write; remove it`);
  }
  return v;
}
