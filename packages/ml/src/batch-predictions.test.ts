import { Token } from 'cdktf';
import { GlueCrawler } from '@cdktf/provider-aws/lib/glue-crawler';
import { SchedulerSchedule } from '@cdktf/provider-aws/lib/scheduler-schedule';
import { SfnStateMachine } from '@cdktf/provider-aws/lib/sfn-state-machine';
import {
  EnvironmentInput,
  LOG_RETENTION_DAYS,
  ML_DEFAULTS,
  ModelConfig,
  QUEUE_RETENTION_SECONDS,
  addressOf,
  problemsOf,
  ref,
  rolePolicies,
  synthesize,
  synthesizedResource,
  trustOf,
} from '@data-platform/core';
import { stackWithLake } from '@data-platform/lake';
import { PolicyPack } from '@data-platform/policy';
import {
  BATCH_PREDICTION_SETTINGS,
  BatchPredictionConfig,
  BatchPredictions,
  STATE_MACHINE_NAME_MAX,
  TRANSFORM_JOB_PREFIX_MAX,
} from './batch-predictions';
import { Model } from './model';
import {
  CHURN, CURATED, KEY_ARN, ModelInput, NETWORK, OFFLINE, PARTITION, crawler, devEnvironment, grantName, layeredStacks, modelConfig, readStatements, singleStack, writeStatements,
} from './test-support';

type BatchInput = NonNullable<ModelInput['batch']>;

const batchInput = (overrides: Partial<BatchInput> = {}): ModelInput => ({ ...CHURN, batch: { ...(CHURN.batch as BatchInput), ...overrides } });
const batchConfig = (overrides: Partial<BatchInput> = {}): BatchPredictionConfig => modelConfig(batchInput(overrides)).batch as BatchPredictionConfig;

/** Everything in one stack, `dev`: the lake, the crawler, the model and its batch predictions. */
function single(config: BatchPredictionConfig = batchConfig(), overrides: Partial<EnvironmentInput> = {}, name = 'churn') {
  const { stack, lake, crawler } = singleStack(devEnvironment(overrides));
  const model = new Model(stack, 'model', { lake, name, config: modelConfig(CHURN), network: NETWORK });
  const batch = new BatchPredictions(stack, 'batch', { lake, model, crawler, config });
  return { stack, lake, crawler, model, batch, ...synthesize(stack) };
}

type States = Record<string, Record<string, unknown>>;
function definitionOf({ tf, batch }: ReturnType<typeof single>): { Comment: string; StartAt: string; States: States } {
  return JSON.parse(synthesizedResource(tf, 'aws_sfn_state_machine', batch.stateMachine.friendlyUniqueId).definition as string);
}

const arn = (service: string, resource: string) => `arn:${PARTITION}:${service}:eu-west-1:111111111111:${resource}`;
const trustedService = (service: string) => [
  {
    effect: 'Allow',
    principals: [{ type: 'Service', identifiers: [service] }],
    actions: ['sts:AssumeRole'],
    condition: [{ test: 'StringEquals', variable: 'aws:SourceAccount', values: ['111111111111'] }],
  },
];

describe('BatchPredictions', () => {
  it('runs a STANDARD state machine encrypted with the lake key, logging every event without execution data, traced', () => {
    const result = single();
    const { definition, ...machine } = synthesizedResource(result.tf, 'aws_sfn_state_machine', result.batch.stateMachine.friendlyUniqueId);
    expect(machine).toEqual({
      name: 'adp-dev-ml-churn-predictions',
      type: 'STANDARD',
      role_arn: ref(result.batch.role.role, 'arn'),
      encryption_configuration: { type: 'CUSTOMER_MANAGED_KMS_KEY', kms_key_id: KEY_ARN, kms_data_key_reuse_period_seconds: 300 },
      logging_configuration: { level: 'ALL', include_execution_data: false, log_destination: `${ref(result.batch.logGroup.logGroup, 'arn')}:*` },
      tracing_configuration: { enabled: true },
      depends_on: [`aws_iam_role_policy.${Object.entries(result.tf.resource?.aws_iam_role_policy ?? {}).find(([, p]) => p.name === 'pipeline')?.[0]}`],
    });
    expect(typeof definition).toBe('string');
    expect(result.batch.stateMachine).toBeInstanceOf(SfnStateMachine);
  });

  it('transforms the features, then starts the crawler; any error ends in a Fail state with the original error and cause', () => {
    const result = single();
    const { Comment, StartAt, States: states } = definitionOf(result);
    expect(Comment).toBe('Batch predictions of model churn: transform s3://<curated>/churn_features/, write s3://<curated>/churn_scores/<date>/, then crawl');
    expect(StartAt).toBe('Transform');
    expect(Object.keys(states)).toEqual(['Transform', 'Catalog', 'Failed']);
    const catchAll = [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'Failed' }];
    expect(states.Transform).toEqual({
      Type: 'Task',
      Resource: `arn:${PARTITION}:states:::sagemaker:createTransformJob.sync`,
      Parameters: {
        'TransformJobName.$': 'States.Format(\'adp-dev-ml-churn-{}\', States.Hash(States.Format(\'{}/{}\', $$.Execution.Name, $$.State.RetryCount), \'MD5\'))',
        ModelName: ref(result.model.model, 'name'),
        BatchStrategy: 'MultiRecord',
        TransformInput: {
          DataSource: { S3DataSource: { S3DataType: 'S3Prefix', S3Uri: `s3://${CURATED.name}/churn_features/` } },
          ContentType: 'text/csv',
          SplitType: 'Line',
          CompressionType: 'None',
        },
        TransformOutput: {
          'S3OutputPath.$': `States.Format('s3://${CURATED.name}/churn_scores/{}/', States.ArrayGetItem(States.StringSplit($$.Execution.StartTime, 'T'), 0))`,
          KmsKeyId: KEY_ARN,
          AssembleWith: 'Line',
        },
        TransformResources: { InstanceType: 'ml.m5.large', InstanceCount: 1, VolumeKmsKeyId: KEY_ARN },
      },
      TimeoutSeconds: 3600,
      ResultPath: null,
      Retry: [{ ErrorEquals: ['States.TaskFailed'], IntervalSeconds: 300, MaxAttempts: 1, BackoffRate: 1 }],
      Catch: catchAll,
      Next: 'Catalog',
    });
    expect(states.Catalog).toEqual({
      Type: 'Task',
      Resource: `arn:${PARTITION}:states:::aws-sdk:glue:startCrawler`,
      Parameters: { Name: ref(result.crawler, 'name') },
      ResultPath: null,
      Retry: [{ ErrorEquals: ['Glue.CrawlerRunningException'], IntervalSeconds: 60, MaxAttempts: 6, BackoffRate: 2 }],
      Catch: catchAll,
      End: true,
    });
    expect(states.Failed).toEqual({ Type: 'Fail', ErrorPath: '$.error.Error', CausePath: '$.error.Cause' });
  });

  it('takes the config defaults: one ml.m5.large, CSV split by line, a 60-minute timeout', () => {
    const config = batchConfig();
    expect([config.instanceType, config.instances, config.contentType, config.timeoutMinutes]).toEqual([
      ML_DEFAULTS.batch.instanceType, ML_DEFAULTS.batch.instances, ML_DEFAULTS.batch.contentType, ML_DEFAULTS.batch.timeoutMinutes,
    ]);
    expect(ML_DEFAULTS.batch).toEqual({ instanceType: 'ml.m5.large', instances: 1, contentType: 'text/csv', splitType: 'Line', timeoutMinutes: 60 });
    const transform = definitionOf(single(config)).States.Transform as { Parameters: { TransformInput: { SplitType: string } }; TimeoutSeconds: number };
    expect([transform.Parameters.TransformInput.SplitType, transform.TimeoutSeconds]).toEqual([ML_DEFAULTS.batch.splitType, 60 * 60]);
  });

  it('sizes the job and its timeout from the config, and sends Parquet files whole', () => {
    const states = definitionOf(single(batchConfig({ instanceType: 'ml.c5.2xlarge', instances: 3, timeoutMinutes: 240, contentType: 'application/x-parquet' }))).States;
    const parameters = (states.Transform as { Parameters: Record<string, Record<string, unknown>> }).Parameters;
    expect([parameters.BatchStrategy, parameters.TransformInput.ContentType, parameters.TransformInput.SplitType, parameters.TransformOutput.AssembleWith]).toEqual([
      'SingleRecord', 'application/x-parquet', 'None', 'None',
    ]);
    expect(parameters.TransformResources).toEqual({ InstanceType: 'ml.c5.2xlarge', InstanceCount: 3, VolumeKmsKeyId: KEY_ARN });
    expect(states.Transform.TimeoutSeconds).toBe(240 * 60);
  });

  it('splits JSON Lines by line', () => {
    const parameters = (definitionOf(single(batchConfig({ contentType: 'application/jsonlines' }))).States.Transform as { Parameters: Record<string, Record<string, unknown>> }).Parameters;
    expect([parameters.BatchStrategy, parameters.TransformInput.SplitType, parameters.TransformOutput.AssembleWith]).toEqual(['MultiRecord', 'Line', 'Line']);
  });

  it('sets no volume key, and grants no key use for volumes, on instance types with local storage', () => {
    const result = single(batchConfig({ instanceType: 'ml.g4dn.xlarge' }));
    const parameters = (definitionOf(result).States.Transform as { Parameters: Record<string, Record<string, unknown>> }).Parameters;
    expect(parameters.TransformResources).toEqual({ InstanceType: 'ml.g4dn.xlarge', InstanceCount: 1 });
    expect(rolePolicies(result.tf, result.batch).pipeline.map((s) => s.sid)).not.toContain('EncryptJobVolumes');
  });

  it('names transform jobs within SageMaker\'s 63 characters, replacing all after <project>-<env>- with a stable hash when the names are long', () => {
    expect(TRANSFORM_JOB_PREFIX_MAX).toBe(30);
    expect(STATE_MACHINE_NAME_MAX).toBe(80);
    const long = () => single(batchConfig(), { project: 'retailplat', name: 'staging-eu01' }, 'next-best-offer').batch.jobPrefix;
    expect(long()).toMatch(/^retailplat-staging-eu01-[0-9a-f]{6}$/);
    expect(long()).toHaveLength(TRANSFORM_JOB_PREFIX_MAX);
    expect(long()).toBe(long());
    expect(`${long()}-${'0'.repeat(32)}`).toHaveLength(63);
    expect(single().batch.jobPrefix).toBe('adp-dev-ml-churn');
  });

  it('lets the state machine run only this model\'s transform jobs, pass only the model\'s role, start only the crawler and use the key for itself', () => {
    const result = single();
    expect(trustOf(result.tf, result.batch.role)).toEqual(trustedService('states.amazonaws.com'));
    expect(synthesizedResource(result.tf, 'aws_iam_role', result.batch.role.role.friendlyUniqueId).name).toBe('adp-dev-ml-churn-predictions');
    const jobs = arn('sagemaker', 'transform-job/adp-dev-ml-churn-*');
    expect(rolePolicies(result.tf, result.batch)).toEqual({
      pipeline: [
        { sid: 'FollowTransformJobs', effect: 'Allow', actions: ['sagemaker:DescribeTransformJob', 'sagemaker:ListTags', 'sagemaker:StopTransformJob'], resources: [jobs] },
        {
          sid: 'CreateTransformJobs',
          effect: 'Allow',
          actions: ['sagemaker:CreateTransformJob'],
          resources: [jobs],
          condition: [{ test: 'ArnEquals', variable: 'sagemaker:ModelArn', values: [ref(result.model.model, 'arn')] }],
        },
        {
          sid: 'PassModelRole',
          effect: 'Allow',
          actions: ['iam:PassRole'],
          resources: [ref(result.model.role.role, 'arn')],
          condition: [{ test: 'StringEquals', variable: 'iam:PassedToService', values: ['sagemaker.amazonaws.com'] }],
        },
        {
          sid: 'ReceiveJobEvents',
          effect: 'Allow',
          actions: ['events:DescribeRule', 'events:PutRule', 'events:PutTargets'],
          resources: [arn('events', 'rule/StepFunctionsGetEventsForSageMakerTransformJobsRule')],
        },
        {
          sid: 'EncryptJobVolumes',
          effect: 'Allow',
          actions: ['kms:CreateGrant', 'kms:DescribeKey'],
          resources: [KEY_ARN],
          condition: [{ test: 'StringEquals', variable: 'kms:ViaService', values: ['sagemaker.eu-west-1.amazonaws.com'] }],
        },
        { sid: 'StartCrawler', effect: 'Allow', actions: ['glue:StartCrawler'], resources: [ref(result.crawler, 'arn')] },
        {
          sid: 'DeliverLogs',
          effect: 'Allow',
          actions: [
            'logs:CreateLogDelivery', 'logs:DeleteLogDelivery', 'logs:DescribeLogGroups', 'logs:DescribeResourcePolicies',
            'logs:GetLogDelivery', 'logs:ListLogDeliveries', 'logs:PutResourcePolicy', 'logs:UpdateLogDelivery',
          ],
          resources: ['*'],
        },
        {
          sid: 'SendTraces',
          effect: 'Allow',
          actions: ['xray:GetSamplingRules', 'xray:GetSamplingTargets', 'xray:PutTelemetryRecords', 'xray:PutTraceSegments'],
          resources: ['*'],
        },
        {
          sid: 'EncryptExecutions',
          effect: 'Allow',
          actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
          resources: [KEY_ARN],
          condition: [{ test: 'StringEquals', variable: 'kms:EncryptionContext:aws:states:stateMachineArn', values: [arn('states', 'stateMachine:adp-dev-ml-churn-predictions')] }],
        },
        {
          sid: 'EncryptLogDelivery',
          effect: 'Allow',
          actions: ['kms:GenerateDataKey'],
          resources: [KEY_ARN],
          condition: [{ test: 'StringEquals', variable: 'kms:EncryptionContext:SourceArn', values: [arn('logs', '*')] }],
        },
      ],
    });
  });

  it('lets the model\'s role read the input and write the output prefix of the curated zone', () => {
    const result = single();
    const policies = rolePolicies(result.tf, result.model);
    expect(policies[grantName('read', 'curated', 'churn_features/')]).toEqual(readStatements(CURATED.arn, 'churn_features/'));
    expect(policies[grantName('write', 'curated', 'churn_scores/')]).toEqual(writeStatements(CURATED.arn, 'churn_scores/'));
  });

  it('keeps the state machine\'s logs 30 days in /aws/vendedlogs/states/<state machine>, encrypted with the lake key', () => {
    const result = single();
    expect(synthesizedResource(result.tf, 'aws_cloudwatch_log_group', result.batch.logGroup.logGroup.friendlyUniqueId)).toEqual({
      name: '/aws/vendedlogs/states/adp-dev-ml-churn-predictions',
      retention_in_days: LOG_RETENTION_DAYS,
      kms_key_id: KEY_ARN,
    });
  });

  it('starts the state machine on the schedule, in UTC without a flexible window, retrying for an hour before the dead-letter queue', () => {
    const result = single();
    const policy = Object.entries(result.tf.resource?.aws_iam_role_policy ?? {}).find(([, p]) => p.name === 'start-pipeline')?.[0];
    expect(synthesizedResource(result.tf, 'aws_scheduler_schedule', result.batch.schedule.friendlyUniqueId)).toEqual({
      name: 'adp-dev-ml-churn-predictions',
      description: 'Runs batch predictions of model churn into the curated zone under churn_scores/',
      schedule_expression: 'cron(0 4 * * ? *)',
      schedule_expression_timezone: 'UTC',
      flexible_time_window: { mode: 'OFF' },
      target: {
        arn: ref(result.batch.stateMachine, 'arn'),
        role_arn: ref(result.batch.schedulerRole.role, 'arn'),
        input: '{}',
        retry_policy: { maximum_retry_attempts: 3, maximum_event_age_in_seconds: 3600 },
        dead_letter_config: { arn: ref(result.batch.deadLetterQueue.queue, 'arn') },
      },
      depends_on: [`aws_iam_role_policy.${policy}`],
    });
    expect(result.batch.schedule).toBeInstanceOf(SchedulerSchedule);
    expect(BATCH_PREDICTION_SETTINGS).toEqual({
      scheduleTimezone: 'UTC',
      maximumRetryAttempts: 3,
      maximumEventAgeSeconds: 3600,
      kmsDataKeyReusePeriodSeconds: 300,
      transform: { retries: 1, retryIntervalSeconds: 300 },
      crawler: { retries: 6, retryIntervalSeconds: 60, backoffRate: 2 },
      states: { transform: 'Transform', catalog: 'Catalog', failed: 'Failed' },
    });
  });

  it('lets the scheduler start only this state machine and report to its queue', () => {
    const result = single();
    expect(trustOf(result.tf, result.batch.schedulerRole)).toEqual(trustedService('scheduler.amazonaws.com'));
    expect(rolePolicies(result.tf, { role: result.batch.schedulerRole })).toEqual({
      'start-pipeline': [
        { sid: 'StartPredictions', effect: 'Allow', actions: ['states:StartExecution'], resources: [ref(result.batch.stateMachine, 'arn')] },
        { sid: 'SendFailedRuns', effect: 'Allow', actions: ['sqs:SendMessage'], resources: [ref(result.batch.deadLetterQueue.queue, 'arn')] },
        {
          sid: 'EncryptFailedRuns',
          effect: 'Allow',
          actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
          resources: [KEY_ARN],
          condition: [{ test: 'StringEquals', variable: 'kms:ViaService', values: ['sqs.eu-west-1.amazonaws.com'] }],
        },
      ],
    });
    expect(synthesizedResource(result.tf, 'aws_iam_role', result.batch.schedulerRole.role.friendlyUniqueId).name).toBe('adp-dev-ml-churn-predictions-schedule');
  });

  it('keeps failed starts 14 days in a queue encrypted with the lake key', () => {
    const result = single();
    expect(synthesizedResource(result.tf, 'aws_sqs_queue', result.batch.deadLetterQueue.queue.friendlyUniqueId)).toEqual({
      name: 'adp-dev-ml-churn-predictions-dlq',
      kms_master_key_id: KEY_ARN,
      kms_data_key_reuse_period_seconds: 300,
      message_retention_seconds: QUEUE_RETENTION_SECONDS,
    });
  });

  it('creates no stateful resource (nothing to pin or protect)', () => {
    const { stack } = single();
    expect([...stack.statefulAddresses].filter((a) => !a.includes('.lake_'))).toEqual([]);
  });

  it('passes the policy pack in layered stacks, starting the crawler of the processing stack', () => {
    const pack = new PolicyPack();
    const environment = devEnvironment();
    const { lake, crawler, stack, stacks } = layeredStacks(environment, [pack]);
    const config = environment.ml?.models.churn as ModelConfig;
    const model = new Model(stack, 'model', { lake, name: 'churn', config, network: NETWORK });
    const batch = new BatchPredictions(stack, 'batch', { lake, model, crawler, config: config.batch as BatchPredictionConfig });
    const { tf } = synthesize(stack);
    for (const s of Object.values(stacks)) expect(() => synthesize(s)).not.toThrow();
    const catalog = JSON.parse(synthesizedResource(tf, 'aws_sfn_state_machine', batch.stateMachine.friendlyUniqueId).definition as string).States.Catalog;
    expect(catalog.Parameters.Name).toMatch(/^\$\{data\.terraform_remote_state\.cross-stack-reference-input-dev-processing\.[^}]+\}$/);
    expect(rolePolicies(tf, batch).pipeline.find((s) => s.sid === 'StartCrawler')?.resources).toEqual([expect.stringMatching(/^\$\{data\.terraform_remote_state\.[^}]+\}$/)]);
    expect(addressOf(crawler)).toBe('aws_glue_crawler.crawler');
    expect(pack.reports.get('dev-ml')?.counts.fail).toBe(0);
    expect(pack.reports.get('dev-processing')?.counts.fail).toBe(0);
    expect(pack.reports.get('dev-ml')?.suppressions).toEqual([]);
  });

  it('passes the policy pack in a single offline stack', () => {
    const pack = new PolicyPack();
    const { stack, lake, crawler } = singleStack(devEnvironment(OFFLINE), [pack]);
    const model = new Model(stack, 'model', { lake, name: 'churn', config: modelConfig({ ...CHURN, image: '000000000000.dkr.ecr.eu-west-1.amazonaws.com/churn:1.4.0' }), network: NETWORK });
    new BatchPredictions(stack, 'batch', { lake, model, crawler, config: batchConfig() });
    expect(() => synthesize(stack)).not.toThrow();
    expect(pack.reports.get('local')?.counts.fail).toBe(0);
  });

  describe('validation', () => {
    /** Problems of batch predictions with `config`, their crawler crawling `crawled` (by default the output). */
    function attempt(config: BatchPredictionConfig, crawled = config.output) {
      const { stack, lake } = stackWithLake(devEnvironment());
      const model = new Model(stack, 'model', { lake, name: 'churn', config: modelConfig(CHURN), network: NETWORK });
      const predictions = crawler(stack, lake, crawled);
      return { problems: problemsOf(() => new BatchPredictions(stack, 'batch', { lake, model, crawler: predictions, config })), stack };
    }

    it('reports every problem at once, naming the field, the value and the fix, and creates nothing', () => {
      const { problems, stack } = attempt({
        ...batchConfig(),
        schedule: 'rate(5 minute)',
        input: 'features',
        output: '/scores/',
        instanceType: 'c5.large',
        instances: 0,
        timeoutMinutes: 2,
        contentType: 'text/plain' as BatchPredictionConfig['contentType'],
      }, 'churn_scores/');
      expect(problems).toEqual([
        'BatchPredictions dev/batch: config.schedule is "rate(5 minute)"; it says "5 minute"; use the singular unit for 1 and the plural otherwise ("rate(1 day)", "rate(2 days)")',
        'BatchPredictions dev/batch: config.input is "features"; use a curated-zone key prefix of lowercase letters, digits, "_", "-", "=" and "/", ending with "/" (e.g. "churn_scores/")',
        'BatchPredictions dev/batch: config.output is "/scores/"; use a curated-zone key prefix of lowercase letters, digits, "_", "-", "=" and "/", ending with "/" (e.g. "churn_scores/")',
        'BatchPredictions dev/batch: config.instanceType is "c5.large"; use a SageMaker instance type such as "ml.m5.large"',
        'BatchPredictions dev/batch: config.instances is 0; use a whole number from 1 to 100',
        'BatchPredictions dev/batch: config.timeoutMinutes is 2; use a whole number from 5 to 1440',
        'BatchPredictions dev/batch: config.contentType is "text/plain"; use one of text/csv, application/jsonlines, application/x-parquet',
      ]);
      expect(stack.node.tryFindChild('batch')?.node.children).toEqual([]);
    });

    it('rejects an output inside the input or containing it, since a run would read earlier predictions as features', () => {
      const message = (input: string, output: string) =>
        `BatchPredictions dev/batch: config.output is "${output}", which overlaps input "${input}"; use prefixes that do not contain one another (a run would read earlier predictions as features)`;
      expect(attempt({ ...batchConfig(), input: 'churn/', output: 'churn/scores/' }).problems).toEqual([message('churn/', 'churn/scores/')]);
      expect(attempt({ ...batchConfig(), input: 'churn/features/', output: 'churn/' }).problems).toEqual([message('churn/features/', 'churn/')]);
      expect(attempt({ ...batchConfig(), input: 'churn/', output: 'churn/' }).problems).toEqual([message('churn/', 'churn/')]);
      expect(() => attempt({ ...batchConfig(), input: 'churn/', output: 'churn_scores/' })).toThrow('expected a PlatformError');
    });

    it('rejects a crawler that does not crawl the predictions, in the curated zone at the output or a prefix of it', () => {
      const { stack, lake } = singleStack(devEnvironment());
      const model = new Model(stack, 'model', { lake, name: 'churn', config: modelConfig(CHURN), network: NETWORK });
      const wrong = crawler(stack, lake, 'churn_features/', 'features');
      expect(problemsOf(() => new BatchPredictions(stack, 'batch', { lake, model, crawler: wrong, config: batchConfig() }))).toEqual([
        'BatchPredictions dev/batch: crawler dev/features-crawler does not crawl the predictions; use the crawler of config.crawler, whose S3 targets include the curated zone at "churn_scores/" (or a prefix of it)',
      ]);
      const raw = new GlueCrawler(stack, 'raw-crawler', { name: 'raw', role: 'r', databaseName: 'd', s3Target: [{ path: `s3://${lake.zones.raw.name}/churn_scores/` }] });
      expect(problemsOf(() => new BatchPredictions(stack, 'raw-batch', { lake, model, crawler: raw, config: batchConfig() }))).toEqual([
        'BatchPredictions dev/raw-batch: crawler dev/raw-crawler does not crawl the predictions; use the crawler of config.crawler, whose S3 targets include the curated zone at "churn_scores/" (or a prefix of it)',
      ]);
      const parent = new GlueCrawler(stack, 'curated-crawler', { name: 'curated', role: 'r', databaseName: 'd', s3Target: [{ path: `s3://${lake.zones.curated.name}/` }] });
      expect(() => new BatchPredictions(stack, 'curated-batch', { lake, model, crawler: parent, config: batchConfig() })).not.toThrow();
    });

    it('skips values that are still tokens', () => {
      const { stack, lake, crawler } = singleStack(devEnvironment());
      const model = new Model(stack, 'model', { lake, name: 'churn', config: modelConfig(CHURN), network: NETWORK });
      const config = { ...batchConfig(), schedule: Token.asString({ Ref: 'schedule' }), input: Token.asString({ Ref: 'input' }), timeoutMinutes: Token.asNumber({ Ref: 'timeout' }) };
      expect(() => new BatchPredictions(stack, 'batch', { lake, model, crawler, config })).not.toThrow();
    });
  });
});
