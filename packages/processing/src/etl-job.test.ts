import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, TerraformOutput } from 'cdktf';
import {
  documentStatements,
  EnvironmentConfig,
  EnvironmentInput,
  JobConfig,
  LOG_RETENTION_DAYS,
  PlatformStack,
  problemsOf,
  PROCESSING_DEFAULTS,
  rolePolicies,
  synthesize,
  synthesizedResource,
} from '@data-platform/core';
import { DataLake, stackWithLake } from '@data-platform/lake';
import { PolicyPack } from '@data-platform/policy';
import {
  ETL_JOB_FIXED_ARGUMENTS,
  ETL_JOB_SETTINGS,
  EtlJob,
  JOB_HELPERS_FILE,
  PLATFORM_JOB_ARGUMENTS,
  RESERVED_JOB_ARGUMENTS,
} from './etl-job';
import { GlueConnection } from './glue-connection';
import { GlueScript, SCRIPTS_DIR } from './glue-script';
import {
  ARTIFACTS_ARN,
  devEnvironment,
  glueArn,
  jobOf,
  KEY_ARN,
  lakeRead,
  lakeWrite,
  layeredStacks,
  NETWORK,
  OFFLINE,
  PARTITION,
  prefixHash,
  PROCESSED_ARN,
  processingConfig,
  ProcessingInput,
  RAW_ARN,
  scriptHash,
  SECURITY_NAME,
  synthesized,
  withSecurity,
} from './test-support';

type JobInput = ProcessingInput<'jobs'>;

/** The dev environment with the network, with `overrides` applied before validation. */
const env = (overrides: Partial<EnvironmentInput> = {}): EnvironmentConfig => devEnvironment({ network: NETWORK, ...overrides });

/** The job `orders-clean` of environments/dev.yaml. */
const ORDERS_CLEAN: JobInput = {
  script: 'orders_clean.py',
  source: { zone: 'raw', prefix: 'orders/public/orders/' },
  target: { zone: 'processed', prefix: 'orders/' },
  workerType: 'G.1X',
  workers: 2,
};
/** The job `orders-curate` of environments/dev.yaml. */
const ORDERS_CURATE: JobInput = {
  script: 'orders_curate.py',
  source: { zone: 'processed', prefix: 'orders/' },
  target: { zone: 'curated', prefix: 'daily_revenue/' },
};

/** A job config as the loader produces it: `input` validated, defaults filled in. */
const jobConfig = (input: JobInput = ORDERS_CLEAN): JobConfig => processingConfig('jobs', input);

const RAW_DB = '${aws_glue_catalog_database.lake_raw_database.name}';
const PROCESSED_DB = '${aws_glue_catalog_database.lake_processed_database.name}';

interface BuildOptions {
  readonly config?: JobConfig;
  readonly environment?: EnvironmentConfig;
  readonly name?: string;
  readonly connection?: boolean;
  readonly app?: App;
}

/** The layer's shared module of job helpers, as the processing layer uploads it once. */
const jobHelpers = (stack: PlatformStack, lake: DataLake) => new GlueScript(stack, 'helpers', { lake, file: JOB_HELPERS_FILE });

/** The lake, the security configuration, the helpers and the job (and a connection, if asked) in one stack. */
function build(options: BuildOptions = {}) {
  const { stack, lake, security } = withSecurity(stackWithLake(options.environment ?? env(), { app: options.app }));
  const connection = options.connection
    ? new GlueConnection(stack, 'connection', { lake, name: 'orders-db', config: { type: 'network' }, network: NETWORK })
    : undefined;
  const name = options.name ?? 'orders-clean';
  const helpers = jobHelpers(stack, lake);
  const job = new EtlJob(stack, `job-${name}`, { lake, name, config: options.config ?? jobConfig(), security, connection, helpers });
  return { stack, lake, security, connection, job, helpers };
}

const synth = (options?: BuildOptions) => synthesized(build(options));

describe('EtlJob', () => {
  test('defines a Glue Spark job from config, under the security configuration, one run at a time', () => {
    const built = build();
    new TerraformOutput(built.stack, 'job-name', { value: built.job.name });
    const { tf } = synthesize(built.stack);
    const { job } = built;
    const hash = scriptHash('orders_clean.py');
    expect({ ...jobOf(tf, job), depends_on: undefined, default_arguments: undefined }).toEqual({
      name: 'adp-dev-processing-orders-clean-job',
      description: 'Moves raw/orders/public/orders/ to processed/orders/ with orders_clean.py (adp-dev)',
      role_arn: `\${aws_iam_role.${job.role.role.friendlyUniqueId}.arn}`,
      command: {
        name: 'glueetl',
        python_version: '3',
        script_location: `s3://\${aws_s3_bucket.lake_artifacts_bucket.bucket}/scripts/${hash}/orders_clean.py`,
      },
      glue_version: '4.0',
      worker_type: 'G.1X',
      number_of_workers: 2,
      timeout: 60,
      max_retries: 1,
      security_configuration: SECURITY_NAME,
      execution_property: { max_concurrent_runs: 1 },
    });
    expect(tf.output).toMatchObject({ 'job-name': { value: `\${aws_glue_job.${job.job.friendlyUniqueId}.name}` } });
  });

  test('passes the platform arguments: bookmarks, logging, metrics, temporary directory, where to read and write, the shared helpers', () => {
    const built = build();
    new TerraformOutput(built.stack, 'temp-dir', { value: built.job.tempDir });
    const { tf } = synthesize(built.stack);
    const { job } = built;
    expect(jobOf(tf, job).default_arguments).toEqual({
      '--job-bookmark-option': 'job-bookmark-enable',
      '--enable-continuous-cloudwatch-log': 'true',
      '--enable-metrics': 'true',
      '--enable-observability-metrics': 'true',
      '--enable-job-insights': 'true',
      '--enable-spark-ui': 'false',
      '--TempDir': 's3://${aws_s3_bucket.lake_artifacts_bucket.bucket}/tmp/orders-clean/',
      '--source_path': 's3://${aws_s3_bucket.lake_raw_bucket.bucket}/orders/public/orders/',
      '--target_path': 's3://${aws_s3_bucket.lake_processed_bucket.bucket}/orders/',
      '--source_database': RAW_DB,
      '--target_database': PROCESSED_DB,
      '--extra-py-files': `s3://\${aws_s3_bucket.lake_artifacts_bucket.bucket}/scripts/${built.helpers.hash}/lake_io.py`,
    });
    expect(tf.output).toMatchObject({ 'temp-dir': { value: 's3://${aws_s3_bucket.lake_artifacts_bucket.bucket}/tmp/orders-clean/' } });
  });

  test('documents its fixed settings and arguments as constants', () => {
    expect(ETL_JOB_SETTINGS).toEqual({ command: 'glueetl', pythonVersion: '3', maxConcurrentRuns: 1, tempDirPrefix: 'tmp/', metricsNamespace: 'Glue' });
    expect(ETL_JOB_FIXED_ARGUMENTS).toEqual({
      '--enable-continuous-cloudwatch-log': 'true',
      '--enable-metrics': 'true',
      '--enable-observability-metrics': 'true',
      '--enable-job-insights': 'true',
      '--enable-spark-ui': 'false',
    });
    expect(PLATFORM_JOB_ARGUMENTS).toEqual([
      '--enable-continuous-cloudwatch-log', '--enable-metrics', '--enable-observability-metrics', '--enable-job-insights', '--enable-spark-ui',
      '--job-bookmark-option', '--TempDir', '--source_path', '--target_path', '--source_database', '--target_database', '--extra-py-files',
    ]);
    expect(JOB_HELPERS_FILE).toBe('lake_io.py');
    expect(RESERVED_JOB_ARGUMENTS).toEqual(['--JOB_NAME', '--debug', '--mode', '--continuous-log-logGroup', '--custom-logGroup-prefix', '--spark-event-logs-path']);
  });

  test('takes the config defaults when the environment file sets nothing', () => {
    const config = jobConfig({ script: 'orders_clean.py', source: ORDERS_CLEAN.source, target: ORDERS_CLEAN.target });
    const { tf, job } = synth({ config });
    const d = PROCESSING_DEFAULTS.job;
    expect(jobOf(tf, job)).toMatchObject({
      glue_version: d.glueVersion,
      worker_type: d.workerType,
      number_of_workers: d.workers,
      timeout: d.timeoutMinutes,
      max_retries: d.maxRetries,
      default_arguments: expect.objectContaining({ '--job-bookmark-option': 'job-bookmark-enable' }),
    });
    expect(jobOf(tf, job).connections).toBeUndefined();
  });

  test('sets the sizes, retries and bookmark option the config asks for', () => {
    const config = jobConfig({ ...ORDERS_CLEAN, glueVersion: '5.0', workerType: 'G.2X', workers: 10, timeoutMinutes: 120, maxRetries: 0, bookmarks: false });
    const { tf, job } = synth({ config });
    expect(jobOf(tf, job)).toMatchObject({
      glue_version: '5.0',
      worker_type: 'G.2X',
      number_of_workers: 10,
      timeout: 120,
      max_retries: 0,
      default_arguments: expect.objectContaining({ '--job-bookmark-option': 'job-bookmark-disable' }),
    });
  });

  test('adds the config\'s own arguments after the platform\'s', () => {
    const { tf, job } = synth({ config: jobConfig({ ...ORDERS_CLEAN, arguments: { '--target_table': 'orders', '--enable-auto-scaling': 'true' } }) });
    expect(jobOf(tf, job).default_arguments).toMatchObject({ '--target_table': 'orders', '--enable-auto-scaling': 'true', '--TempDir': expect.any(String) });
  });

  test('uploads the script to the artifacts bucket under its content hash', () => {
    const { tf, job } = synth();
    const hash = scriptHash('orders_clean.py');
    expect(job.script.keyPrefix).toBe(`scripts/${hash}/`);
    expect(synthesizedResource(tf, 'aws_s3_object', job.script.object.friendlyUniqueId)).toMatchObject({
      bucket: '${aws_s3_bucket.lake_artifacts_bucket.bucket}',
      key: `scripts/${hash}/orders_clean.py`,
      source_hash: hash,
    });
  });

  test('creates the encrypted log groups Glue writes driver output and errors to under the security configuration', () => {
    const { tf, job } = synth();
    const roleName = `\${aws_iam_role.${job.role.role.friendlyUniqueId}.name}`;
    for (const stream of ['output', 'error'] as const) {
      expect(synthesizedResource(tf, 'aws_cloudwatch_log_group', job.logGroups[stream].logGroup.friendlyUniqueId)).toEqual({
        name: `/aws-glue/jobs/${SECURITY_NAME}-role/${roleName}/${stream}`,
        kms_key_id: KEY_ARN,
        retention_in_days: LOG_RETENTION_DAYS,
      });
    }
  });

  test('has a role only Glue assumes, for this account only', () => {
    const { tf, job } = synth();
    const role = synthesizedResource(tf, 'aws_iam_role', job.role.role.friendlyUniqueId);
    expect(role).toMatchObject({ name: 'adp-dev-processing-orders-clean-job' });
    expect(role.managed_policy_arns).toBeUndefined();
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

  test('grants exactly what the job needs: its prefixes, script and helpers, temporary directory, catalog, bookmarks, logs and metrics', () => {
    const { tf, job, helpers } = synth();
    const scriptPrefix = job.script.keyPrefix;
    const roleName = `\${aws_iam_role.${job.role.role.friendlyUniqueId}.name}`;
    const group = (stream: string) => `\${aws_cloudwatch_log_group.${job.logGroups[stream as 'output'].logGroup.friendlyUniqueId}.arn}`;
    const continuous = `arn:${PARTITION}:logs:eu-west-1:111111111111:log-group:/aws-glue/jobs/logs-v2-${SECURITY_NAME}`;
    expect(roleName).toContain('aws_iam_role');
    expect(rolePolicies(tf, job)).toEqual({
      [`adp-dev-lake-read-raw-${prefixHash('orders/public/orders/')}`]: lakeRead(RAW_ARN, 'orders/public/orders/'),
      [`adp-dev-lake-read-processed-${prefixHash('orders/')}`]: lakeRead(PROCESSED_ARN, 'orders/'),
      [`adp-dev-lake-write-processed-${prefixHash('orders/')}`]: lakeWrite(PROCESSED_ARN, 'orders/'),
      [`adp-dev-lake-read-artifacts-${prefixHash(scriptPrefix)}`]: lakeRead(ARTIFACTS_ARN, scriptPrefix),
      [`adp-dev-lake-read-artifacts-${prefixHash(helpers.keyPrefix)}`]: lakeRead(ARTIFACTS_ARN, helpers.keyPrefix),
      [`adp-dev-lake-read-artifacts-${prefixHash('tmp/orders-clean/')}`]: lakeRead(ARTIFACTS_ARN, 'tmp/orders-clean/'),
      [`adp-dev-lake-write-artifacts-${prefixHash('tmp/orders-clean/')}`]: lakeWrite(ARTIFACTS_ARN, 'tmp/orders-clean/'),
      'delete-objects': [
        { sid: 'ReplaceTargetObjects', effect: 'Allow', actions: ['s3:DeleteObject'], resources: [`${PROCESSED_ARN}/orders/*`] },
        { sid: 'CleanTempDir', effect: 'Allow', actions: ['s3:DeleteObject'], resources: [`${ARTIFACTS_ARN}/tmp/orders-clean/*`] },
      ],
      'catalog': [
        {
          sid: 'ReadZoneDatabases',
          effect: 'Allow',
          actions: ['glue:GetDatabase'],
          resources: [glueArn('catalog'), glueArn(`database/${RAW_DB}`), glueArn(`database/${PROCESSED_DB}`)],
        },
        {
          sid: 'ReadZoneTables',
          effect: 'Allow',
          actions: ['glue:GetTable', 'glue:GetTables', 'glue:GetPartition', 'glue:GetPartitions', 'glue:BatchGetPartition'],
          resources: [
            glueArn('catalog'),
            glueArn(`database/${RAW_DB}`),
            glueArn(`database/${PROCESSED_DB}`),
            glueArn(`table/${RAW_DB}/*`),
            glueArn(`table/${PROCESSED_DB}/*`),
          ],
        },
        {
          sid: 'CatalogTargetTables',
          effect: 'Allow',
          actions: ['glue:CreateTable', 'glue:UpdateTable', 'glue:CreatePartition', 'glue:BatchCreatePartition', 'glue:UpdatePartition'],
          resources: [glueArn('catalog'), glueArn(`database/${PROCESSED_DB}`), glueArn(`table/${PROCESSED_DB}/*`)],
        },
        {
          sid: 'UseLakeKeyThroughGlue',
          effect: 'Allow',
          actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
          resources: [KEY_ARN],
          condition: [{ test: 'StringEquals', variable: 'kms:ViaService', values: ['glue.eu-west-1.amazonaws.com'] }],
        },
      ],
      'bookmarks': [{ sid: 'EncryptJobBookmarks', effect: 'Allow', actions: ['kms:Encrypt', 'kms:Decrypt'], resources: [KEY_ARN] }],
      'write-logs': [
        {
          sid: 'WriteJobLogs',
          effect: 'Allow',
          actions: ['logs:CreateLogGroup', 'logs:AssociateKmsKey', 'logs:CreateLogStream', 'logs:PutLogEvents'],
          resources: [group('output'), `${group('output')}:*`, group('error'), `${group('error')}:*`, continuous, `${continuous}:*`],
        },
      ],
      'metrics': [
        {
          sid: 'PublishGlueMetrics',
          effect: 'Allow',
          actions: ['cloudwatch:PutMetricData'],
          resources: ['*'],
          condition: [{ test: 'StringEquals', variable: 'cloudwatch:namespace', values: ['Glue'] }],
        },
      ],
    });
  });

  test('names a database once when the job reads and writes the same zone', () => {
    const config = jobConfig({ script: 'orders_curate.py', source: { zone: 'curated', prefix: 'orders/' }, target: { zone: 'curated', prefix: 'daily_revenue/' } });
    const { tf, job } = synth({ config, name: 'orders-curate' });
    const curated = '${aws_glue_catalog_database.lake_curated_database.name}';
    expect(rolePolicies(tf, job)['catalog'][0].resources).toEqual([glueArn('catalog'), glueArn(`database/${curated}`)]);
  });

  test('curates processed orders into curated daily revenue with its own script and prefixes', () => {
    const { tf, job } = synth({ config: jobConfig(ORDERS_CURATE), name: 'orders-curate' });
    expect(jobOf(tf, job)).toMatchObject({
      name: 'adp-dev-processing-orders-curate-job',
      command: { script_location: `s3://\${aws_s3_bucket.lake_artifacts_bucket.bucket}/scripts/${scriptHash('orders_curate.py')}/orders_curate.py` },
      default_arguments: expect.objectContaining({
        '--source_path': 's3://${aws_s3_bucket.lake_processed_bucket.bucket}/orders/',
        '--target_path': 's3://${aws_s3_bucket.lake_curated_bucket.bucket}/daily_revenue/',
        '--source_database': PROCESSED_DB,
        '--target_database': '${aws_glue_catalog_database.lake_curated_database.name}',
        '--TempDir': 's3://${aws_s3_bucket.lake_artifacts_bucket.bucket}/tmp/orders-curate/',
      }),
    });
  });

  test('uses a connection when given: lists it and lets the role use it', () => {
    const { tf, job, connection } = synth({ connection: true });
    expect(jobOf(tf, job).connections).toEqual([`\${aws_glue_connection.${connection!.connection.friendlyUniqueId}.name}`]);
    expect(Object.keys(rolePolicies(tf, job))).toContain('use-orders-db-connection');
    expect(rolePolicies(tf, job)['use-orders-db-connection'].map((s) => s.sid)).toEqual([
      'ReadConnection', 'CreateWorkerInterfaces', 'DeleteWorkerInterfaces', 'TagWorkerInterfaces', 'DescribeNetwork',
    ]);
  });

  test('is created after its permissions, its script, the helpers and its log groups', () => {
    const { tf, job, helpers } = synth();
    const policies = Object.keys(tf.resource!.aws_iam_role_policy).filter((id) => id.startsWith('job-orders-clean_role_')).map((id) => `aws_iam_role_policy.${id}`);
    expect(policies).toHaveLength(12);
    expect(jobOf(tf, job).depends_on).toEqual(expect.arrayContaining([
      ...policies,
      `aws_s3_object.${job.script.object.friendlyUniqueId}`,
      `aws_s3_object.${helpers.object.friendlyUniqueId}`,
      `aws_cloudwatch_log_group.${job.logGroups.output.logGroup.friendlyUniqueId}`,
      `aws_cloudwatch_log_group.${job.logGroups.error.logGroup.friendlyUniqueId}`,
    ]));
  });

  test('pins no address: a job holds no data', () => {
    const { stack } = synth({ environment: env({ protect: true }) });
    expect([...stack.statefulAddresses].filter((a) => !a.includes('lake_'))).toEqual([]);
    const { tf, job } = synth({ environment: env({ protect: true }) });
    expect(jobOf(tf, job).lifecycle).toBeUndefined();
  });

  describe('validation', () => {
    test('rejects a malformed name', () => {
      expect(problemsOf(() => build({ name: 'Orders_Clean' }))).toEqual([
        'EtlJob dev/job-Orders_Clean: name is "Orders_Clean"; use 2-40 lowercase letters and digits, words joined by "-", starting with a letter (e.g. "clickstream")',
      ]);
    });

    test('rejects a script that is not in packages/processing/scripts, before creating anything', () => {
      const { stack, lake, security } = withSecurity(stackWithLake(env()));
      const helpers = jobHelpers(stack, lake);
      const before = stack.node.findAll().length;
      expect(problemsOf(() => new EtlJob(stack, 'job', { lake, name: 'orders-clean', config: { ...jobConfig(), script: 'missing_job.py' }, security, helpers }))).toEqual([
        'EtlJob dev/job: config.script is "missing_job.py", which is not in packages/processing/scripts; add the script there or fix the name',
      ]);
      expect(stack.node.findAll().length).toBe(before + 1);
    });

    test('rejects a script name that is not a Python file name', () => {
      expect(problemsOf(() => build({ config: { ...jobConfig(), script: '../etc/passwd' } }))).toEqual([
        'EtlJob dev/job-orders-clean: config.script is "../etc/passwd"; use the file name of a PySpark script in packages/processing/scripts/, e.g. "orders_clean.py"',
      ]);
    });

    test('rejects unknown zones, malformed prefixes and a target inside the source', () => {
      const config = jobConfig();
      expect(problemsOf(() => build({ config: { ...config, source: { zone: 'athena-results' as 'raw', prefix: '/orders' }, target: { zone: 'raw', prefix: 'orders/*/' } } }))).toEqual([
        'EtlJob dev/job-orders-clean: config.source.zone is "athena-results"; use one of raw, processed, curated',
        'EtlJob dev/job-orders-clean: config.source.prefix is "/orders"; use a key prefix of lowercase letters, digits, "_", "-", "=" and "/", ending with "/" (e.g. "orders/")',
        'EtlJob dev/job-orders-clean: config.target.prefix is "orders/*/"; use a key prefix of lowercase letters, digits, "_", "-", "=" and "/", ending with "/" (e.g. "orders/")',
      ]);
      expect(problemsOf(() => build({ config: { ...config, source: { zone: 'raw', prefix: 'orders/' }, target: { zone: 'raw', prefix: 'orders/clean/' } } }))).toEqual([
        'EtlJob dev/job-orders-clean: config.target is raw/orders/clean/, which overlaps the source raw/orders/; write where the job does not read, or each run reads its own output',
      ]);
    });

    test('rejects an unknown Glue version, a streaming-only worker type and sizes out of range', () => {
      const config = { ...jobConfig(), glueVersion: '3.0' as '4.0', workerType: 'G.025X' as 'G.1X', workers: 1, timeoutMinutes: 2881, maxRetries: 1.5 };
      expect(problemsOf(() => build({ config }))).toEqual([
        'EtlJob dev/job-orders-clean: config.glueVersion is "3.0"; use one of 4.0, 5.0',
        'EtlJob dev/job-orders-clean: config.workerType is "G.025X", which Glue offers only to streaming jobs; use G.1X or larger',
        'EtlJob dev/job-orders-clean: config.workers is 1; use a whole number from 2 to 299',
        'EtlJob dev/job-orders-clean: config.timeoutMinutes is 2881; use a whole number from 1 to 2880',
        'EtlJob dev/job-orders-clean: config.maxRetries is 1.5; use a whole number from 0 to 10',
      ]);
      expect(problemsOf(() => build({ config: { ...jobConfig(), workerType: 'Z.9X' as 'G.1X' } }))).toEqual([
        'EtlJob dev/job-orders-clean: config.workerType is "Z.9X"; use one of G.1X, G.2X, G.4X, G.8X',
      ]);
    });

    test('rejects arguments that override the platform\'s, that Glue reserves, or that are not argument names', () => {
      const config = {
        ...jobConfig(),
        arguments: { '--target_path': 's3://elsewhere/', '--tempdir': 's3://elsewhere/', '--continuous-log-logGroup': '/mine', 'source_table': 'x', '--ok': 'yes' },
      };
      expect(problemsOf(() => build({ config }))).toEqual([
        'EtlJob dev/job-orders-clean: config.arguments.--target_path sets --target_path, which the platform sets for every job; remove it (the job\'s role may reach only what the platform\'s value names)',
        'EtlJob dev/job-orders-clean: config.arguments.--tempdir sets --TempDir, which the platform sets for every job; remove it (the job\'s role may reach only what the platform\'s value names)',
        'EtlJob dev/job-orders-clean: config.arguments.--continuous-log-logGroup sets --continuous-log-logGroup, which Glue reserves or which moves the job\'s logs where its role may not write; remove it',
        'EtlJob dev/job-orders-clean: config.arguments.source_table is not an argument name; use "--" and a name of letters, digits, "_", "-" and ".", e.g. "--source_table"',
      ]);
    });

    test('rejects a config that names a connection the caller did not pass', () => {
      expect(problemsOf(() => build({ config: jobConfig({ ...ORDERS_CLEAN, connection: 'orders-db' }) }))).toEqual([
        'EtlJob dev/job-orders-clean: connection is missing, but config.connection is "orders-db"; pass the GlueConnection built for it',
      ]);
      expect(() => build({ config: jobConfig({ ...ORDERS_CLEAN, connection: 'orders-db' }), connection: true })).not.toThrow();
    });

    test('reports every platform and reserved argument', () => {
      const every = [...PLATFORM_JOB_ARGUMENTS, ...RESERVED_JOB_ARGUMENTS];
      const config = { ...jobConfig(), arguments: Object.fromEntries(every.map((key) => [key, 'x'])) };
      expect(problemsOf(() => build({ config }))).toHaveLength(every.length);
    });
  });

  describe('policy pack', () => {
    test('passes every rule in the layered layout: the lake in dev-lake, the job in dev-processing', () => {
      const pack = new PolicyPack();
      const { lakeStack, lake, stack, security } = withSecurity(layeredStacks(env(), { aspects: [pack] }));
      const connection = new GlueConnection(stack, 'connection', { lake, name: 'orders-db', config: { type: 'network' }, network: NETWORK });
      const helpers = jobHelpers(stack, lake);
      const clean = new EtlJob(stack, 'orders-clean', { lake, name: 'orders-clean', config: jobConfig(), security, connection, helpers });
      const curate = new EtlJob(stack, 'orders-curate', { lake, name: 'orders-curate', config: jobConfig(ORDERS_CURATE), security, helpers });
      const { tf } = synthesize(stack);
      synthesize(lakeStack);
      expect(pack.reports.get('dev-processing')!.findings.filter((f) => f.status === 'fail')).toEqual([]);
      expect(pack.reports.get('dev-lake')!.findings.filter((f) => f.status === 'fail')).toEqual([]);
      // The lake's buckets, key and databases reach the job through remote state.
      expect(jobOf(tf, clean).default_arguments).toMatchObject({ '--source_path': expect.stringMatching(/^s3:\/\/\$\{data\.terraform_remote_state\./) });
      expect(jobOf(tf, curate).security_configuration).toBe(`\${aws_glue_security_configuration.${security.configuration.friendlyUniqueId}.name}`);
    });

    test('passes every rule in the offline single-stack layout', () => {
      const pack = new PolicyPack();
      const { stack, lake, security } = withSecurity(stackWithLake(env({ ...OFFLINE, protect: false }), { aspects: [pack] }));
      const helpers = jobHelpers(stack, lake);
      new EtlJob(stack, 'orders-clean', { lake, name: 'orders-clean', config: jobConfig(), security, helpers });
      new EtlJob(stack, 'orders-curate', { lake, name: 'orders-curate', config: jobConfig(ORDERS_CURATE), security, helpers });
      expect(() => synthesize(stack)).not.toThrow();
      expect(pack.reports.get('local')!.findings.filter((f) => f.status === 'fail')).toEqual([]);
    });
  });
});

describe('job scripts', () => {
  test.each(['orders_clean.py', 'orders_curate.py', 'customer_features.py', 'lake_io.py'])('%s compiles with python3', (file) => {
    // Compiled into a temporary folder: no __pycache__ is left beside the scripts (they are uploaded as they are).
    const dir = mkdtempSync(join(tmpdir(), 'py-compile-'));
    try {
      const compile = 'import py_compile, sys; py_compile.compile(sys.argv[1], cfile=sys.argv[2], doraise=True)';
      expect(() => execFileSync('python3', ['-c', compile, join(SCRIPTS_DIR, file), join(dir, `${file}c`)], { stdio: 'pipe' })).not.toThrow();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test.each([
    ['orders_clean.py', ['JOB_NAME', 'source_path', 'target_path', 'target_database']],
    ['orders_curate.py', ['JOB_NAME', 'source_path', 'source_database', 'target_path', 'target_database']],
  ])('%s reads only arguments the job passes, initializes and commits its bookmark', (file, names) => {
    const text = readFileSync(join(SCRIPTS_DIR, file), 'utf8');
    const required = /args = getResolvedOptions\(sys\.argv, \[([^\]]*)\]\)/.exec(text)![1].split(',').map((s) => s.trim().replace(/"/g, ''));
    expect(required).toEqual(names);
    for (const name of required.filter((n) => n !== 'JOB_NAME')) expect(PLATFORM_JOB_ARGUMENTS).toContain(`--${name}`);
    expect(text).toContain('job.init(args["JOB_NAME"], args)');
    expect(text).toContain('job.commit()');
    expect(text).toMatch(/transformation_ctx="[a-z_]+"/);
    expect(text).toContain('enableUpdateCatalog=True');
  });

  it('customer_features.py reads only arguments the job passes and rebuilds its table without bookmarks or catalog updates', () => {
    const text = readFileSync(join(SCRIPTS_DIR, 'customer_features.py'), 'utf8');
    const required = /args = getResolvedOptions\(sys\.argv, \[([^\]]*)\]\)/.exec(text)![1].split(',').map((s) => s.trim().replace(/"/g, ''));
    expect(required).toEqual(['JOB_NAME', 'source_path', 'source_database', 'target_path', 'target_database']);
    for (const name of required.filter((n) => n !== 'JOB_NAME')) expect(PLATFORM_JOB_ARGUMENTS).toContain(`--${name}`);
    expect(text).toContain('job.init(args["JOB_NAME"], args)');
    expect(text).toContain('job.commit()');
    // The table's schema belongs to lake.tables: the script never updates the catalog.
    expect(text).not.toContain('enableUpdateCatalog');
    expect(text).not.toMatch(/transformation_ctx=/);
  });
});
