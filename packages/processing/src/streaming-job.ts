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
  EnvironmentConfig,
  GLUE_VERSIONS,
  GLUE_WORKER_TYPES,
  JOB_ZONES,
  NAME_LIMITS,
  PlatformStack,
  ServiceRole,
  StreamingJobConfig,
  Validator,
  describeValue,
} from '@data-platform/core';
import { DataLake } from '@data-platform/lake';
import { GlueScript, SCRIPTS_DIR } from './glue-script';
import { ProcessingSecurity } from './security-configuration';

/** Defaults of the optional props of {@link StreamingJob}. */
export const STREAMING_JOB_DEFAULTS = {
  /**
   * When Glue may restart the job for its maintenance (day:hour, UTC): early Sunday, when the
   * fewest events arrive. A restart resumes from the checkpoint.
   */
  maintenanceWindow: 'Sun:3',
} as const;

/**
 * Fixed settings of every {@link StreamingJob}: not configurable, asserted by tests so these docs
 * and the code cannot drift.
 */
export const STREAMING_JOB_SETTINGS = {
  /** Glue's command for Spark Structured Streaming jobs. */
  command: 'gluestreaming',
  pythonVersion: '3',
  /**
   * A failed run is not retried by Glue: it stops with its checkpoint intact, the failure alarm
   * fires, and an operator restarts it once the cause is fixed (a retry loop would hide it).
   */
  maxRetries: 0,
  /** One run at a time: two runs sharing a checkpoint would corrupt it. */
  maxConcurrentRuns: 1,
  /** Streaming jobs keep their position in checkpoints, not job bookmarks. */
  jobBookmark: 'job-bookmark-disable',
  /** Key prefix of every job's checkpoints in the artifacts bucket: `checkpoints/<job>/`. */
  checkpointsPrefix: 'checkpoints/',
  /** Key prefix of every job's temporary files in the artifacts bucket: `tmp/<job>/`. */
  tmpPrefix: 'tmp/',
  /** Namespace Glue publishes job metrics in (the only one the role may publish to). */
  metricsNamespace: 'Glue',
} as const;

/** A Kinesis data stream the job reads. */
export interface StreamRef {
  readonly arn: string;
  readonly name: string;
}

/** Props of {@link StreamingJob}. */
export interface StreamingJobProps {
  /** The lake: the job writes to `config.target` and keeps its checkpoints in the artifacts bucket. */
  readonly lake: DataLake;
  /** Job name (the key under `processing.streamingJobs`): part of resource names. */
  readonly name: string;
  /** The job's `processing.streamingJobs.<name>` section, validated and defaulted by the config loader. */
  readonly config: StreamingJobConfig;
  /** The layer's Glue security configuration (encrypts what the job writes and logs). */
  readonly security: ProcessingSecurity;
  /** The Kinesis data stream the job reads (the ingestion stream `config.stream`), encrypted with the lake key. */
  readonly stream: StreamRef;
  /**
   * Weekly window in which Glue may restart the job for maintenance, `Ddd:H` in UTC (e.g. `Sun:3`).
   * @default "Sun:3" (STREAMING_JOB_DEFAULTS.maintenanceWindow)
   * @see https://docs.aws.amazon.com/glue/latest/dg/glue-streaming-maintenance.html
   */
  readonly maintenanceWindow?: string;
}

/**
 * The catalog table the job adds partitions to: the last folder of `prefix`, lowercased, with
 * every character other than letters, digits and "_" replaced by "_" (the name a crawler gives
 * a table whose include path is that folder, e.g. `clickstream/` -> `clickstream`).
 */
export function catalogTableName(prefix: string): string {
  const folder = prefix.split('/').filter((s) => s !== '').pop() ?? '';
  return folder.toLowerCase().replace(/[^a-z0-9_]/g, '_');
}

const MAINTENANCE_WINDOW_RE = /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun):([01]?\d|2[0-3])$/;
const SCRIPT_RE = /^[a-z][a-z0-9_]*\.py$/;
const PREFIX_RE = /^[a-z0-9][a-z0-9_\-/=]*\/$/;
const STREAM_ARN_RE = /^arn:aws(-cn|-us-gov)?:kinesis:([a-z0-9-]+):(\d{12}):stream\/([A-Za-z0-9_.-]{1,128})$/;

/**
 * A Glue streaming job: reads a Kinesis data stream in micro-batches (Spark Structured
 * Streaming), cleans each batch with its PySpark script and appends Parquet to a zone of the lake.
 *
 * - Job: command `gluestreaming`, Glue version, worker type and count from config, the layer's
 *   security configuration (S3 writes, logs encrypted with the lake key), no timeout (a streaming
 *   run lasts until it is stopped; Glue restarts it in the weekly maintenance window), no retries
 *   and one run at a time ({@link STREAMING_JOB_SETTINGS}). Nothing starts it at apply: an
 *   operator (or the deploy pipeline) starts the run, which resumes from its checkpoint.
 * - Arguments the script reads: `--stream_arn`; `--target_path` (`s3://<zone bucket>/<prefix>`);
 *   `--checkpoint_location` (`s3://<artifacts>/checkpoints/<job>/`); `--window_size`
 *   (`"<windowSeconds> seconds"`); `--target_database` and `--target_table`, the catalog table it
 *   adds each batch's partitions to once a crawler has created it (see {@link catalogTableName}).
 *   Glue's own: `--TempDir` (`s3://<artifacts>/tmp/<job>/`), continuous logging, job and
 *   observability metrics on; the Spark UI off (its event logs would be one more copy of query
 *   plans and sample values to keep).
 * - Logs: three log groups encrypted with the lake key, with the platform's retention, created
 *   before Glue would create them without either: the continuous log group (driver and executor
 *   logs while the run is going; Glue appends the security configuration's name to the group it
 *   is given) and the output and error groups Glue names after the security configuration and
 *   the job's role. The continuous group is the job's own, not the default layer-wide
 *   `logs-v2-<security configuration>`: a run lasts for weeks, and this group is what its alarms
 *   watch.
 * - Role (trusted by glue.amazonaws.com in this account only): read the one stream (and decrypt
 *   its records through Kinesis), read, write and delete under the target prefix (Spark's commit
 *   protocol lists and removes its temporary files), read, write and delete its checkpoints and
 *   temporary files, read its script, read the target table and add partitions to it (with the
 *   lake key through Glue, for a catalog encrypted with it), write its three log groups, publish
 *   metrics in the `Glue` namespace. The job depends on all of it, its script and its log groups,
 *   so a run started right after apply finds them in place.
 *
 * No resource here is stateful (the data lands in the lake's buckets), so none has a pinned address.
 *
 * @see https://docs.aws.amazon.com/glue/latest/dg/add-job-streaming.html
 * @see https://docs.aws.amazon.com/glue/latest/dg/monitor-continuous-logging-enable.html
 */
export class StreamingJob extends Construct {
  /** The Glue job. */
  readonly job: GlueJob;
  /** The role the job runs as. */
  readonly role: ServiceRole;
  /** The job's PySpark script in the artifacts bucket. */
  readonly script: GlueScript;
  /** The job's physical name (also its folder under `checkpoints/` and `tmp/`). */
  readonly jobName: string;
  /** Continuous logs of the driver and executors: `/aws-glue/jobs/<job>-<security configuration>`. */
  readonly logGroup: EncryptedLogGroup;
  /** Standard output of the role's runs: `/aws-glue/jobs/<security configuration>-role/<role>/output`. */
  readonly outputLogGroup: EncryptedLogGroup;
  /** Errors and Spark logs of the role's runs: `/aws-glue/jobs/<security configuration>-role/<role>/error`. */
  readonly errorLogGroup: EncryptedLogGroup;
  /** `s3://<target zone bucket>/<prefix>`, where the job appends Parquet. */
  readonly targetPath: string;
  /** `s3://<artifacts bucket>/checkpoints/<job>/`, the Spark checkpoint. */
  readonly checkpointLocation: string;

  constructor(scope: Construct, id: string, props: StreamingJobProps) {
    super(scope, id);
    const v = new Validator(`StreamingJob ${this.node.path}`);
    checkStreamingJobProps(v, props, PlatformStack.of(this).env);
    v.throwIfAny();

    const { lake, name, config, security, stream } = props;
    const stack = PlatformStack.of(this);
    const { region, account } = stack.env;
    const settings = STREAMING_JOB_SETTINGS;
    this.jobName = stack.resourceName('processing', `${name}-streaming`, { maxLength: NAME_LIMITS.glueDatabase });
    const checkpointsPrefix = `${settings.checkpointsPrefix}${this.jobName}/`;
    const tmpPrefix = `${settings.tmpPrefix}${this.jobName}/`;
    const target = lake.zones[config.target.zone];
    const database = lake.databases[config.target.zone];
    const table = catalogTableName(config.target.prefix);
    this.targetPath = `s3://${target.name}/${config.target.prefix}`;
    this.checkpointLocation = `s3://${lake.artifacts.name}/${checkpointsPrefix}`;

    this.script = new GlueScript(this, 'script', { lake, file: config.script });
    this.role = new ServiceRole(this, 'role', {
      layer: 'processing',
      service: 'glue.amazonaws.com',
      name: `${name}-streaming`,
      description: `Glue streaming job ${name}: reads its Kinesis stream, writes ${config.target.zone}/${config.target.prefix}`,
    });

    const continuousLogGroup = `/aws-glue/jobs/${this.jobName}`;
    this.logGroup = new EncryptedLogGroup(this, 'log-group', { name: `${continuousLogGroup}-${security.name}`, key: lake.key });
    const roleLogs = `/aws-glue/jobs/${security.name}-role/${this.role.name}`;
    this.outputLogGroup = new EncryptedLogGroup(this, 'output-log-group', { name: `${roleLogs}/output`, key: lake.key });
    this.errorLogGroup = new EncryptedLogGroup(this, 'error-log-group', { name: `${roleLogs}/error`, key: lake.key });

    const kinesisKey = [
      { test: 'StringEquals', variable: 'kms:ViaService', values: [`kinesis.${region}.amazonaws.com`] },
      { test: 'StringEquals', variable: 'kms:EncryptionContext:aws:kinesis:arn', values: [stream.arn] },
    ];
    const readStream = this.role.allow('read-stream', [
      {
        sid: 'ReadStream',
        effect: 'Allow',
        // SubscribeToShard authorizes on a consumer of the stream: listed for enhanced fan-out,
        // which the script does not use (it polls with GetRecords).
        actions: [
          'kinesis:DescribeStream',
          'kinesis:DescribeStreamSummary',
          'kinesis:GetRecords',
          'kinesis:GetShardIterator',
          'kinesis:ListShards',
          'kinesis:SubscribeToShard',
        ],
        resources: [stream.arn],
      },
      { sid: 'DecryptStream', effect: 'Allow', actions: ['kms:Decrypt'], resources: [lake.key.arn], condition: kinesisKey },
    ]);

    const role = this.role.role;
    const glue = (resource: string) => `arn:${stack.partition}:glue:${region}:${account}:${resource}`;
    const logGroups = [this.logGroup, this.outputLogGroup, this.errorLogGroup];
    const policies: IamRolePolicy[] = [
      readStream,
      lake.grantRead(role, 'artifacts', this.script.keyPrefix),
      lake.grantRead(role, 'artifacts', checkpointsPrefix),
      lake.grantWrite(role, 'artifacts', checkpointsPrefix),
      lake.grantRead(role, 'artifacts', tmpPrefix),
      lake.grantWrite(role, 'artifacts', tmpPrefix),
      lake.grantRead(role, config.target.zone, config.target.prefix),
      lake.grantWrite(role, config.target.zone, config.target.prefix),
      this.role.allow('delete-objects', [
        {
          // The lake's write grant never deletes. Spark renames by copy and delete: the checkpoint
          // replaces its offset and commit files, the commit protocol removes its `_temporary`
          // files under the target, Glue cleans its temporary directory.
          sid: 'DeleteOwnObjects',
          effect: 'Allow',
          actions: ['s3:DeleteObject'],
          resources: [
            `${target.arn}/${config.target.prefix}*`,
            `${lake.artifacts.arn}/${checkpointsPrefix}*`,
            `${lake.artifacts.arn}/${tmpPrefix}*`,
          ],
        },
      ]),
      this.role.allow('catalog', [
        {
          // The script adds each batch's partitions to the target table once a crawler has
          // created it; Glue authorizes table actions on the catalog, the database and the table.
          sid: 'AddPartitionsToTargetTable',
          effect: 'Allow',
          actions: ['glue:GetTable', 'glue:BatchCreatePartition'],
          resources: [glue('catalog'), database.arn, glue(`table/${database.name}/${table}`)],
        },
        {
          // Reading and writing a catalog encrypted with the lake key takes the key, through Glue only.
          sid: 'UseLakeKeyThroughGlue',
          effect: 'Allow',
          actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
          resources: [lake.key.arn],
          condition: [{ test: 'StringEquals', variable: 'kms:ViaService', values: [`glue.${region}.amazonaws.com`] }],
        },
      ]),
      this.role.allow('write-logs', [
        {
          // Glue creates each group unless it exists (here it does) and associates the security
          // configuration's key with it before a run (continuous logging is turned off without
          // AssociateKmsKey), then writes one stream per driver and executor.
          sid: 'WriteJobLogs',
          effect: 'Allow',
          actions: ['logs:CreateLogGroup', 'logs:AssociateKmsKey', 'logs:CreateLogStream', 'logs:PutLogEvents'],
          // Each group, and its streams (`<group arn>:log-stream:<name>`).
          resources: logGroups.flatMap((g) => [g.arn, `${g.arn}:*`]),
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
          condition: [{ test: 'StringEquals', variable: 'cloudwatch:namespace', values: [settings.metricsNamespace] }],
        },
      ]),
    ];

    this.job = new GlueJob(this, 'job', {
      name: this.jobName,
      description: `Streams ${stream.name} into ${config.target.zone}/${config.target.prefix} (Parquet, every ${config.windowSeconds} seconds)`,
      roleArn: this.role.arn,
      command: { name: settings.command, scriptLocation: this.script.location, pythonVersion: settings.pythonVersion },
      glueVersion: config.glueVersion,
      workerType: config.workerType,
      numberOfWorkers: config.workers,
      maxRetries: settings.maxRetries,
      executionProperty: { maxConcurrentRuns: settings.maxConcurrentRuns },
      maintenanceWindow: props.maintenanceWindow ?? STREAMING_JOB_DEFAULTS.maintenanceWindow,
      securityConfiguration: security.name,
      defaultArguments: {
        '--job-language': 'python',
        '--stream_arn': stream.arn,
        '--target_path': this.targetPath,
        '--checkpoint_location': this.checkpointLocation,
        '--window_size': `${config.windowSeconds} seconds`,
        '--target_database': database.name,
        '--target_table': table,
        '--TempDir': `s3://${lake.artifacts.name}/${tmpPrefix}`,
        '--job-bookmark-option': settings.jobBookmark,
        '--enable-continuous-cloudwatch-log': 'true',
        '--enable-continuous-log-filter': 'true',
        '--continuous-log-logGroup': continuousLogGroup,
        '--enable-metrics': 'true',
        '--enable-observability-metrics': 'true',
        '--enable-spark-ui': 'false',
      },
      // A first run may start right after apply: it must find its permissions, its script and
      // its encrypted log groups in place.
      dependsOn: [...policies, this.script.object, ...logGroups.map((g) => g.logGroup)],
    });
  }
}

/** Checks the props of a {@link StreamingJob} into `v`; values that are still tokens are skipped. */
export function checkStreamingJobProps(v: Validator, props: StreamingJobProps, env: Pick<EnvironmentConfig, 'account' | 'region'>): void {
  const { name, config, stream } = props;
  const known = (value: unknown) => !(typeof value === 'string' && Token.isUnresolved(value));
  if (known(name)) v.check(DATASET_NAME_RE.test(name), 'name', `is ${describeValue(name)}; ${DATASET_NAME_FIX}`);

  if (known(config.script)) {
    if (!SCRIPT_RE.test(config.script ?? '')) {
      v.add('config.script', `is ${describeValue(config.script)}; use the file name of a PySpark script in packages/processing/scripts/, e.g. "clickstream_stream.py"`);
    } else if (!existsSync(join(SCRIPTS_DIR, config.script))) {
      v.add('config.script', `is ${describeValue(config.script)}, which is not in packages/processing/scripts; add the script there or fix the name`);
    }
  }
  const zone = config.target?.zone;
  v.check((JOB_ZONES as readonly string[]).includes(zone), 'config.target.zone', `is ${describeValue(zone)}; use one of ${JOB_ZONES.join(', ')}`);
  const prefix = config.target?.prefix;
  if (known(prefix)) {
    v.check(
      typeof prefix === 'string' && PREFIX_RE.test(prefix),
      'config.target.prefix',
      `is ${describeValue(prefix)}; use a key prefix of lowercase letters, digits, "_", "-", "=" and "/", ending with "/" (e.g. "clickstream/")`,
    );
  }
  v.check((GLUE_VERSIONS as readonly string[]).includes(config.glueVersion), 'config.glueVersion',
    `is ${describeValue(config.glueVersion)}; use one of ${GLUE_VERSIONS.join(', ')}`);
  v.check((GLUE_WORKER_TYPES as readonly string[]).includes(config.workerType), 'config.workerType',
    `is ${describeValue(config.workerType)}; use one of ${GLUE_WORKER_TYPES.join(', ')}`);
  const whole = (value: unknown, min: number, max: number, path: string, why: string) => {
    if (typeof value === 'number' && Token.isUnresolved(value)) return;
    v.check(Number.isInteger(value) && (value as number) >= min && (value as number) <= max, path,
      `is ${describeValue(value)}; use a whole number from ${min} to ${max} (${why})`);
  };
  whole(config.workers, 2, 299, 'config.workers', 'Glue runs a streaming job on at least 2 workers');
  whole(config.windowSeconds, 1, 3600, 'config.windowSeconds', 'the micro-batch window');

  if (known(stream.arn)) {
    const m = STREAM_ARN_RE.exec(stream.arn ?? '');
    if (!m) {
      v.add('stream.arn', `is ${describeValue(stream.arn)}; use the ARN of a Kinesis data stream, e.g. "arn:aws:kinesis:eu-west-1:111111111111:stream/clicks"`);
    } else if (m[3] !== env.account || m[2] !== env.region) {
      v.add('stream.arn', `is in ${m[2]}, account ${m[3]}; use a stream of the environment's region and account, ${env.region}, ${env.account} (where the job runs and the lake key is)`);
    }
  }
  if (known(stream.name)) {
    v.check(typeof stream.name === 'string' && /^[A-Za-z0-9_.-]{1,128}$/.test(stream.name), 'stream.name',
      `is ${describeValue(stream.name)}; use the Kinesis stream's name (1-128 letters, digits, "_", "-", ".")`);
  }
  const window = props.maintenanceWindow;
  if (window !== undefined && known(window)) {
    v.check(MAINTENANCE_WINDOW_RE.test(window), 'maintenanceWindow',
      `is ${describeValue(window)}; use a day and an hour in UTC as "Ddd:H", e.g. "Sun:3"`);
  }
}
