import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TerraformOutput, TerraformVariable } from 'cdktf';
import { GlueJob } from '@cdktf/provider-aws/lib/glue-job';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import {
  addressOf,
  documentStatements,
  EnvironmentConfig,
  EnvironmentInput,
  LOG_RETENTION_DAYS,
  PlatformError,
  problemsOf,
  PROCESSING_DEFAULTS,
  ref,
  rolePolicies,
  StreamingJobConfig,
  synthesize,
  synthesizedResource,
} from '@data-platform/core';
import { stackWithLake } from '@data-platform/lake';
import { PolicyPack } from '@data-platform/policy';
import { SCRIPTS_DIR } from './glue-script';
import { ProcessingSecurity } from './security-configuration';
import {
  STREAMING_JOB_DEFAULTS,
  STREAMING_JOB_SETTINGS,
  StreamRef,
  StreamingJob,
  StreamingJobProps,
  catalogTableName,
} from './streaming-job';
import {
  ARTIFACTS_ARN,
  devEnvironment,
  jobOf,
  KEY_ARN,
  layeredStacks,
  OFFLINE,
  PARTITION,
  prefixHash,
  PROCESSED_ARN,
  ProcessingInput,
  scriptHash,
  synthesized,
  VIA_S3,
  withSecurity,
} from './test-support';

type StreamingJobInput = ProcessingInput<'streamingJobs'>;

/** The streaming job of environments/*.yaml. */
const CLICKSTREAM = {
  script: 'clickstream_stream.py',
  stream: 'clickstream',
  target: { zone: 'processed', prefix: 'clickstream/' },
} satisfies StreamingJobInput;

const STREAM: StreamRef = {
  arn: 'arn:aws:kinesis:eu-west-1:111111111111:stream/adp-dev-ingestion-clickstream-stream',
  name: 'adp-dev-ingestion-clickstream-stream',
};

const SCRIPT = join(SCRIPTS_DIR, 'clickstream_stream.py');
const SCRIPT_HASH = scriptHash('clickstream_stream.py');
const JOB = 'adp-dev-processing-clickstream-streaming';
const ARTIFACTS = ref('aws_s3_bucket.lake_artifacts_bucket.bucket');
const PROCESSED = ref('aws_s3_bucket.lake_processed_bucket.bucket');

/** A dev environment with the clickstream job (`input` validated, defaults filled in as the loader would). */
function env(input: StreamingJobInput = CLICKSTREAM, overrides: Partial<EnvironmentInput> = {}): EnvironmentConfig {
  return devEnvironment({ processing: { streamingJobs: { clickstream: input } }, ...overrides });
}

const configOf = (environment: EnvironmentConfig): StreamingJobConfig => environment.processing.streamingJobs.clickstream;

/** The lake, the security configuration and the job in one stack `dev-processing`. */
function build(environment = env(), props: Partial<StreamingJobProps> = {}) {
  const { stack, lake, security } = withSecurity(stackWithLake(environment, { id: 'dev-processing' }));
  const job = new StreamingJob(stack, 'clickstream', { lake, name: 'clickstream', config: configOf(environment), security, stream: STREAM, ...props });
  return { stack, lake, security, job };
}

const synth = (environment?: EnvironmentConfig, props?: Partial<StreamingJobProps>) => synthesized(build(environment, props));

const securityName = (security: ProcessingSecurity) => ref(`${addressOf(security.configuration)}.name`);

/** The lake's name of a grant: `adp-dev-lake-<verb>-<zone>-<sha256(prefix)[0..8]>`. */
const grantName = (verb: 'read' | 'write', zone: string, prefix: string) => `adp-dev-lake-${verb}-${zone}-${prefixHash(prefix)}`;

describe('catalogTableName', () => {
  it("names the table after the prefix's last folder, as a crawler does", () => {
    expect(catalogTableName('clickstream/')).toBe('clickstream');
    expect(catalogTableName('events/click-stream/')).toBe('click_stream');
    expect(catalogTableName('web/v=2/')).toBe('v_2');
  });
});

describe('StreamingJob', () => {
  describe('fixed settings and defaults', () => {
    it('documents its fixed settings and defaults as constants', () => {
      expect(STREAMING_JOB_SETTINGS).toEqual({
        command: 'gluestreaming',
        pythonVersion: '3',
        maxRetries: 0,
        maxConcurrentRuns: 1,
        jobBookmark: 'job-bookmark-disable',
        checkpointsPrefix: 'checkpoints/',
        tmpPrefix: 'tmp/',
        metricsNamespace: 'Glue',
      });
      expect(STREAMING_JOB_DEFAULTS).toEqual({ maintenanceWindow: 'Sun:3' });
    });

    it('applies the loader defaults: Glue 4.0, 2 G.1X workers, 100-second windows', () => {
      expect(PROCESSING_DEFAULTS.streamingJob).toEqual({ glueVersion: '4.0', workerType: 'G.1X', workers: 2, windowSeconds: 100 });
      const { tf, job } = synth();
      expect(jobOf(tf, job)).toMatchObject({ glue_version: '4.0', worker_type: 'G.1X', number_of_workers: 2, maintenance_window: 'Sun:3' });
      expect((jobOf(tf, job).default_arguments as Record<string, string>)['--window_size']).toBe('100 seconds');
    });
  });

  describe('job', () => {
    it('is a gluestreaming job under the security configuration, with its script, arguments and no timeout', () => {
      const { tf, job, security, json } = synth();
      const logGroups = [job.logGroup, job.outputLogGroup, job.errorLogGroup].map((g) => addressOf(g.logGroup));
      const policies = job.role.node.children.filter((c): c is IamRolePolicy => c instanceof IamRolePolicy).map(addressOf);
      expect(policies).toHaveLength(12);
      expect(jobOf(tf, job)).toEqual({
        name: JOB,
        description: 'Streams adp-dev-ingestion-clickstream-stream into processed/clickstream/ (Parquet, every 100 seconds)',
        role_arn: ref(`${addressOf(job.role.role)}.arn`),
        command: { name: 'gluestreaming', script_location: `s3://${ARTIFACTS}/scripts/${SCRIPT_HASH}/clickstream_stream.py`, python_version: '3' },
        glue_version: '4.0',
        worker_type: 'G.1X',
        number_of_workers: 2,
        max_retries: 0,
        execution_property: { max_concurrent_runs: 1 },
        maintenance_window: 'Sun:3',
        security_configuration: securityName(security),
        default_arguments: {
          '--job-language': 'python',
          '--stream_arn': STREAM.arn,
          '--target_path': `s3://${PROCESSED}/clickstream/`,
          '--checkpoint_location': `s3://${ARTIFACTS}/checkpoints/${JOB}/`,
          '--window_size': '100 seconds',
          '--target_database': ref('aws_glue_catalog_database.lake_processed_database.name'),
          '--target_table': 'clickstream',
          '--TempDir': `s3://${ARTIFACTS}/tmp/${JOB}/`,
          '--job-bookmark-option': 'job-bookmark-disable',
          '--enable-continuous-cloudwatch-log': 'true',
          '--enable-continuous-log-filter': 'true',
          '--continuous-log-logGroup': `/aws-glue/jobs/${JOB}`,
          '--enable-metrics': 'true',
          '--enable-observability-metrics': 'true',
          '--enable-spark-ui': 'false',
        },
        depends_on: [...policies, addressOf(job.script.object), ...logGroups],
      });
      expect(jobOf(tf, job).timeout).toBeUndefined();
      expect(json).toHaveResourceWithProperties(GlueJob, { security_configuration: securityName(security) });
    });

    it('takes Glue version, worker type, workers and window from config', () => {
      const { tf, job } = synth(env({ ...CLICKSTREAM, glueVersion: '5.0', workerType: 'G.025X', workers: 4, windowSeconds: 30 }));
      expect(jobOf(tf, job)).toMatchObject({ glue_version: '5.0', worker_type: 'G.025X', number_of_workers: 4 });
      expect((jobOf(tf, job).default_arguments as Record<string, string>)['--window_size']).toBe('30 seconds');
    });

    it('writes to the zone and prefix of config, into the table named after the prefix', () => {
      const { tf, job } = synth(env({ ...CLICKSTREAM, target: { zone: 'curated', prefix: 'web/click-events/' } }));
      expect(jobOf(tf, job).default_arguments).toMatchObject({
        '--target_path': `s3://${ref('aws_s3_bucket.lake_curated_bucket.bucket')}/web/click-events/`,
        '--target_database': ref('aws_glue_catalog_database.lake_curated_database.name'),
        '--target_table': 'click_events',
      });
    });

    it('exposes the job, its role, script, name, log groups, target path and checkpoint location', () => {
      const { stack, job } = build();
      expect(job.job).toBeInstanceOf(GlueJob);
      expect(job.jobName).toBe(JOB);
      new TerraformOutput(stack, 'target', { value: job.targetPath });
      new TerraformOutput(stack, 'checkpoint', { value: job.checkpointLocation });
      new TerraformOutput(stack, 'script', { value: job.script.location });
      const { tf } = synthesize(stack);
      expect(tf.output).toEqual({
        target: { value: `s3://${PROCESSED}/clickstream/` },
        checkpoint: { value: `s3://${ARTIFACTS}/checkpoints/${JOB}/` },
        script: { value: `s3://${ARTIFACTS}/scripts/${SCRIPT_HASH}/clickstream_stream.py` },
      });
    });

    it('takes a maintenance window', () => {
      const { tf, job } = synth(env(), { maintenanceWindow: 'Wed:22' });
      expect(jobOf(tf, job).maintenance_window).toBe('Wed:22');
    });
  });

  describe('logs', () => {
    it('creates the continuous and the role log groups Glue writes to, encrypted with the lake key and kept 30 days', () => {
      const { tf, job, security } = synth();
      const role = ref(`${addressOf(job.role.role)}.name`);
      const groups = [job.logGroup, job.outputLogGroup, job.errorLogGroup].map((g) => synthesizedResource(tf, 'aws_cloudwatch_log_group', g.logGroup.friendlyUniqueId));
      expect(LOG_RETENTION_DAYS).toBe(30);
      expect(groups).toEqual([
        { name: `/aws-glue/jobs/${JOB}-${securityName(security)}`, kms_key_id: KEY_ARN, retention_in_days: 30 },
        { name: `/aws-glue/jobs/${securityName(security)}-role/${role}/output`, kms_key_id: KEY_ARN, retention_in_days: 30 },
        { name: `/aws-glue/jobs/${securityName(security)}-role/${role}/error`, kms_key_id: KEY_ARN, retention_in_days: 30 },
      ]);
    });
  });

  describe('role', () => {
    it('is assumed by Glue on behalf of this account only', () => {
      const { tf, job } = synth();
      const role = synthesizedResource(tf, 'aws_iam_role', job.role.role.friendlyUniqueId);
      expect(role.name).toBe('adp-dev-processing-clickstream-streaming');
      const trust = documentStatements(tf, role.assume_role_policy);
      expect(trust).toEqual([
        {
          effect: 'Allow',
          principals: [{ type: 'Service', identifiers: ['glue.amazonaws.com'] }],
          actions: ['sts:AssumeRole'],
          condition: [{ test: 'StringEquals', variable: 'aws:SourceAccount', values: ['111111111111'] }],
        },
      ]);
    });

    it('has exactly these policies: stream, lake grants, deletes, catalog, logs, metrics', () => {
      const { tf, job } = synth();
      expect(Object.keys(rolePolicies(tf, job)).sort()).toEqual(
        [
          'read-stream',
          'delete-objects',
          'catalog',
          'write-logs',
          'metrics',
          grantName('read', 'artifacts', `scripts/${SCRIPT_HASH}/`),
          grantName('read', 'artifacts', `checkpoints/${JOB}/`),
          grantName('write', 'artifacts', `checkpoints/${JOB}/`),
          grantName('read', 'artifacts', `tmp/${JOB}/`),
          grantName('write', 'artifacts', `tmp/${JOB}/`),
          grantName('read', 'processed', 'clickstream/'),
          grantName('write', 'processed', 'clickstream/'),
        ].sort(),
      );
    });

    it('reads only its stream, decrypting records only through Kinesis for that stream', () => {
      const { tf, job } = synth();
      expect(rolePolicies(tf, job)['read-stream']).toEqual([
        {
          sid: 'ReadStream',
          effect: 'Allow',
          actions: [
            'kinesis:DescribeStream',
            'kinesis:DescribeStreamSummary',
            'kinesis:GetRecords',
            'kinesis:GetShardIterator',
            'kinesis:ListShards',
            'kinesis:SubscribeToShard',
          ],
          resources: [STREAM.arn],
        },
        {
          sid: 'DecryptStream',
          effect: 'Allow',
          actions: ['kms:Decrypt'],
          resources: [KEY_ARN],
          condition: [
            { test: 'StringEquals', variable: 'kms:ViaService', values: ['kinesis.eu-west-1.amazonaws.com'] },
            { test: 'StringEquals', variable: 'kms:EncryptionContext:aws:kinesis:arn', values: [STREAM.arn] },
          ],
        },
      ]);
    });

    it('reads and writes only its target prefix, checkpoints, temporary files and script through the lake grants', () => {
      const { tf, job } = synth();
      const policies = rolePolicies(tf, job);
      const objects = (name: string) => policies[name].find((s) => s.sid === 'ReadObjects' || s.sid === 'WriteObjects')?.resources;
      expect(objects(grantName('read', 'artifacts', `scripts/${SCRIPT_HASH}/`))).toEqual([`${ARTIFACTS_ARN}/scripts/${SCRIPT_HASH}/*`]);
      for (const verb of ['read', 'write'] as const) {
        expect(objects(grantName(verb, 'artifacts', `checkpoints/${JOB}/`))).toEqual([`${ARTIFACTS_ARN}/checkpoints/${JOB}/*`]);
        expect(objects(grantName(verb, 'artifacts', `tmp/${JOB}/`))).toEqual([`${ARTIFACTS_ARN}/tmp/${JOB}/*`]);
        expect(objects(grantName(verb, 'processed', 'clickstream/'))).toEqual([`${PROCESSED_ARN}/clickstream/*`]);
      }
      expect(policies[grantName('write', 'processed', 'clickstream/')]).toContainEqual({
        sid: 'EncryptWithLakeKey', effect: 'Allow', actions: ['kms:GenerateDataKey', 'kms:Decrypt'], resources: [KEY_ARN], condition: VIA_S3,
      });
    });

    it('deletes objects only under its target prefix, checkpoints and temporary files', () => {
      const { tf, job } = synth();
      expect(rolePolicies(tf, job)['delete-objects']).toEqual([
        {
          sid: 'DeleteOwnObjects',
          effect: 'Allow',
          actions: ['s3:DeleteObject'],
          resources: [`${PROCESSED_ARN}/clickstream/*`, `${ARTIFACTS_ARN}/checkpoints/${JOB}/*`, `${ARTIFACTS_ARN}/tmp/${JOB}/*`],
        },
      ]);
    });

    it('reads its target table and adds partitions to it, nothing else in the catalog, using the lake key only through Glue', () => {
      const { tf, job } = synth();
      const database = 'aws_glue_catalog_database.lake_processed_database';
      expect(rolePolicies(tf, job)['catalog']).toEqual([
        {
          sid: 'AddPartitionsToTargetTable',
          effect: 'Allow',
          actions: ['glue:GetTable', 'glue:BatchCreatePartition'],
          resources: [
            `arn:${PARTITION}:glue:eu-west-1:111111111111:catalog`,
            ref(`${database}.arn`),
            `arn:${PARTITION}:glue:eu-west-1:111111111111:table/${ref(`${database}.name`)}/clickstream`,
          ],
        },
        {
          sid: 'UseLakeKeyThroughGlue',
          effect: 'Allow',
          actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
          resources: [KEY_ARN],
          condition: [{ test: 'StringEquals', variable: 'kms:ViaService', values: ['glue.eu-west-1.amazonaws.com'] }],
        },
      ]);
    });

    it('writes only its three log groups and publishes metrics only in the Glue namespace', () => {
      const { tf, job } = synth();
      const arns = [job.logGroup, job.outputLogGroup, job.errorLogGroup].map((g) => ref(`${addressOf(g.logGroup)}.arn`));
      const policies = rolePolicies(tf, job);
      expect(policies['write-logs']).toEqual([
        {
          sid: 'WriteJobLogs',
          effect: 'Allow',
          actions: ['logs:CreateLogGroup', 'logs:AssociateKmsKey', 'logs:CreateLogStream', 'logs:PutLogEvents'],
          resources: arns.flatMap((arn) => [arn, `${arn}:*`]),
        },
      ]);
      expect(policies['metrics']).toEqual([
        {
          sid: 'PublishGlueMetrics',
          effect: 'Allow',
          actions: ['cloudwatch:PutMetricData'],
          resources: ['*'],
          condition: [{ test: 'StringEquals', variable: 'cloudwatch:namespace', values: ['Glue'] }],
        },
      ]);
    });
  });

  describe('script', () => {
    const source = readFileSync(SCRIPT, 'utf8');

    it('compiles', () => {
      const cfile = join(mkdtempSync(join(tmpdir(), 'clickstream-stream-')), 'script.pyc');
      expect(() =>
        execFileSync('python3', ['-c', 'import py_compile, sys; py_compile.compile(sys.argv[1], cfile=sys.argv[2], doraise=True)', SCRIPT, cfile], { stdio: 'pipe' }),
      ).not.toThrow();
    });

    it('reads exactly the arguments the job passes it', () => {
      const { tf, job } = synth();
      const resolved = /getResolvedOptions\(\s*sys\.argv,\s*\[([^\]]*)\]/.exec(source)?.[1] ?? '';
      const names = [...resolved.matchAll(/"([A-Za-z_]+)"/g)].map((m) => m[1]);
      const passed = Object.keys(jobOf(tf, job).default_arguments as Record<string, string>)
        .filter((k) => /^--[a-z_]+$/.test(k) && !['--job-language', '--TempDir'].includes(k))
        .map((k) => k.slice(2));
      // JOB_NAME is passed by Glue itself.
      expect(names.sort()).toEqual(['JOB_NAME', ...passed].sort());
    });

    it('reads the stream by ARN from the oldest record, in windows with a checkpoint, and writes partitioned Parquet', () => {
      expect(source).toContain('connection_type="kinesis"');
      expect(source).toMatch(/"streamARN": ARGS\["stream_arn"\]/);
      expect(source).toContain('"startingPosition": "TRIM_HORIZON"');
      expect(source).toContain('"inferSchema": "true"');
      expect(source).toContain('"classification": "json"');
      expect(source).toMatch(/glue_context\.forEachBatch\(/);
      expect(source).toContain('"windowSize": ARGS["window_size"]');
      expect(source).toContain('"checkpointLocation": ARGS["checkpoint_location"]');
      expect(source).toContain('PARTITION_COLUMNS = ("event_date", "event_type")');
      expect(source).toContain('.partitionBy(*PARTITION_COLUMNS).parquet(TARGET_PATH)');
    });
  });

  describe('validation', () => {
    const prefix = 'StreamingJob dev-processing/clickstream: ';

    it('rejects a bad name, script, target and sizes, all at once', () => {
      const config = {
        ...configOf(env()),
        script: 'missing_stream.py',
        target: { zone: 'landing', prefix: '/clicks' },
        glueVersion: '3.0',
        workerType: 'Standard',
        workers: 1,
        windowSeconds: 0,
      } as unknown as StreamingJobConfig;
      expect(problemsOf(() => build(env(), { name: 'Click_Stream', config }))).toEqual([
        `${prefix}name is "Click_Stream"; use 2-40 lowercase letters and digits, words joined by "-", starting with a letter (e.g. "clickstream")`,
        `${prefix}config.script is "missing_stream.py", which is not in packages/processing/scripts; add the script there or fix the name`,
        `${prefix}config.target.zone is "landing"; use one of raw, processed, curated`,
        `${prefix}config.target.prefix is "/clicks"; use a key prefix of lowercase letters, digits, "_", "-", "=" and "/", ending with "/" (e.g. "clickstream/")`,
        `${prefix}config.glueVersion is "3.0"; use one of 4.0, 5.0`,
        `${prefix}config.workerType is "Standard"; use one of G.1X, G.2X, G.4X, G.8X, G.025X`,
        `${prefix}config.workers is 1; use a whole number from 2 to 299 (Glue runs a streaming job on at least 2 workers)`,
        `${prefix}config.windowSeconds is 0; use a whole number from 1 to 3600 (the micro-batch window)`,
      ]);
    });

    it('rejects a script name that is not a Python file name', () => {
      expect(problemsOf(() => build(env(), { config: { ...configOf(env()), script: 'Clicks.scala' } }))).toEqual([
        `${prefix}config.script is "Clicks.scala"; use the file name of a PySpark script in packages/processing/scripts/, e.g. "clickstream_stream.py"`,
      ]);
    });

    it('rejects a stream that is not a Kinesis stream of the environment', () => {
      expect(problemsOf(() => build(env(), { stream: { arn: 'arn:aws:sqs:eu-west-1:111111111111:clicks', name: 'clicks stream' } }))).toEqual([
        `${prefix}stream.arn is "arn:aws:sqs:eu-west-1:111111111111:clicks"; use the ARN of a Kinesis data stream, e.g. "arn:aws:kinesis:eu-west-1:111111111111:stream/clicks"`,
        `${prefix}stream.name is "clicks stream"; use the Kinesis stream's name (1-128 letters, digits, "_", "-", ".")`,
      ]);
      expect(problemsOf(() => build(env(), { stream: { arn: 'arn:aws:kinesis:us-east-1:222222222222:stream/clicks', name: 'clicks' } }))).toEqual([
        `${prefix}stream.arn is in us-east-1, account 222222222222; use a stream of the environment's region and account, eu-west-1, 111111111111 (where the job runs and the lake key is)`,
      ]);
    });

    it('rejects a maintenance window Glue does not accept', () => {
      expect(problemsOf(() => build(env(), { maintenanceWindow: 'Sunday 03:00' }))).toEqual([
        `${prefix}maintenanceWindow is "Sunday 03:00"; use a day and an hour in UTC as "Ddd:H", e.g. "Sun:3"`,
      ]);
    });

    it('creates nothing when the props are invalid', () => {
      const environment = env();
      const { stack, lake, security } = withSecurity(stackWithLake(environment, { id: 'dev-processing' }));
      expect(() => new StreamingJob(stack, 'clickstream', { lake, name: 'clickstream', config: { ...configOf(environment), workers: 1 }, security, stream: STREAM })).toThrow(PlatformError);
      expect(stack.node.tryFindChild('clickstream')?.node.children ?? []).toEqual([]);
    });

    it('skips values that are still tokens', () => {
      const environment = env();
      const { stack, lake, security } = withSecurity(stackWithLake(environment, { id: 'dev-processing' }));
      const workers = new TerraformVariable(stack, 'workers', { type: 'number' }).numberValue;
      const arn = new TerraformVariable(stack, 'stream_arn', { type: 'string' }).stringValue;
      const name = new TerraformVariable(stack, 'stream_name', { type: 'string' }).stringValue;
      expect(() => new StreamingJob(stack, 'clickstream', {
        lake, name: 'clickstream', config: { ...configOf(environment), workers }, security, stream: { arn, name },
      })).not.toThrow();
    });
  });

  describe('state', () => {
    it('has no stateful resource (nothing to pin)', () => {
      const { stack } = synth();
      expect([...stack.statefulAddresses].filter((a) => !a.includes('.lake_'))).toEqual([]);
    });
  });

  describe('policy pack', () => {
    it('passes every rule in layered stacks dev-lake and dev-processing, referencing the lake across stacks', () => {
      const environment = env();
      const { lakeStack, lake, stack, security } = withSecurity(layeredStacks(environment, { aspects: [new PolicyPack()] }));
      const job = new StreamingJob(stack, 'clickstream', { lake, name: 'clickstream', config: configOf(environment), security, stream: STREAM });
      expect(() => synthesize(lakeStack)).not.toThrow();
      const { tf } = synthesize(stack);
      const remote = /^s3:\/\/\$\{data\.terraform_remote_state\.cross-stack-reference-input-dev-lake\.outputs\./;
      expect((jobOf(tf, job).default_arguments as Record<string, string>)['--target_path']).toMatch(remote);
      expect((jobOf(tf, job).command as Record<string, string>).script_location).toMatch(remote);
    });

    it('passes every rule in a protected production environment', () => {
      const environment = env(CLICKSTREAM, { name: 'prod', stage: 'production' });
      const { lakeStack, lake, stack, security } = withSecurity(layeredStacks(environment, { aspects: [new PolicyPack()] }));
      new StreamingJob(stack, 'clickstream', {
        lake, name: 'clickstream', config: configOf(environment), security,
        stream: { arn: 'arn:aws:kinesis:eu-west-1:111111111111:stream/adp-prod-ingestion-clickstream-stream', name: 'adp-prod-ingestion-clickstream-stream' },
      });
      expect(() => synthesize(lakeStack)).not.toThrow();
      expect(() => synthesize(stack)).not.toThrow();
    });

    it('passes every rule in a single offline stack', () => {
      const environment = env(CLICKSTREAM, { ...OFFLINE, protect: false });
      const { stack, lake, security } = withSecurity(stackWithLake(environment, { aspects: [new PolicyPack()] }));
      const job = new StreamingJob(stack, 'clickstream', {
        lake, name: 'clickstream', config: configOf(environment), security,
        stream: { arn: 'arn:aws:kinesis:eu-west-1:000000000000:stream/adp-local-ingestion-clickstream-stream', name: 'adp-local-ingestion-clickstream-stream' },
      });
      const { tf } = synthesize(stack);
      expect(jobOf(tf, job).name).toBe('adp-local-processing-clickstream-streaming');
    });
  });
});
