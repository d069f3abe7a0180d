import { createHash } from 'node:crypto';
import { Token } from 'cdktf';
import { Construct } from 'constructs';
import { GlueCrawler } from '@cdktf/provider-aws/lib/glue-crawler';
import { SchedulerSchedule } from '@cdktf/provider-aws/lib/scheduler-schedule';
import { SfnStateMachine } from '@cdktf/provider-aws/lib/sfn-state-machine';
import {
  EncryptedLogGroup,
  EncryptedQueue,
  ModelConfig,
  NAME_LIMITS,
  PlatformStack,
  ServiceRole,
  Validator,
  describeValue,
  physicalName,
  scheduleProblem,
} from '@data-platform/core';
import { DataLake } from '@data-platform/lake';
import { Model } from './model';
import { INSTANCE_TYPE_RE, SAGEMAKER_NAME_MAX, hasInstanceStore } from './shared/sagemaker';

/** The `batch` section of a model's config. */
export type BatchPredictionConfig = NonNullable<ModelConfig['batch']>;

/**
 * Longest state machine name.
 * @see https://docs.aws.amazon.com/step-functions/latest/apireference/API_CreateStateMachine.html
 */
export const STATE_MACHINE_NAME_MAX = 80;

/** Hex digits of the MD5 hash of the execution name and attempt in a transform job's name. */
const ATTEMPT_HASH_LENGTH = 32;

/**
 * Longest prefix of transform job names: `<prefix>-<MD5 of the execution name and attempt>` must
 * fit SageMaker's 63 characters.
 */
export const TRANSFORM_JOB_PREFIX_MAX = SAGEMAKER_NAME_MAX - ATTEMPT_HASH_LENGTH - '-'.length;

/** Settings every {@link BatchPredictions} has; none is a prop. */
export const BATCH_PREDICTION_SETTINGS = {
  /** The schedule's time zone: schedules and the dated output prefixes are in UTC. */
  scheduleTimezone: 'UTC',
  /** Times the scheduler retries starting an execution it could not start. */
  maximumRetryAttempts: 3,
  /** How long the scheduler keeps trying to start a run before it goes to the dead-letter queue: one hour. */
  maximumEventAgeSeconds: 3600,
  /** Reuse period of the data keys Step Functions encrypts executions with (its default, 5 minutes). */
  kmsDataKeyReusePeriodSeconds: 300,
  /**
   * A failed transform job is run once more, five minutes later (capacity and internal errors pass;
   * bad input fails twice). A job that times out is not retried.
   */
  transform: { retries: 1, retryIntervalSeconds: 300 },
  /** Starting the crawler while it still runs (the previous crawl) is retried: 1, 2, 4... minutes, 6 times. */
  crawler: { retries: 6, retryIntervalSeconds: 60, backoffRate: 2 },
  /** Names of the states of the state machine. */
  states: { transform: 'Transform', catalog: 'Catalog', failed: 'Failed' },
} as const;

/** How SageMaker splits each content type into records: lines, or not at all (Parquet files). */
const SPLIT_TYPES: Readonly<Record<BatchPredictionConfig['contentType'], 'Line' | 'None'>> = {
  'text/csv': 'Line',
  'application/jsonlines': 'Line',
  'application/x-parquet': 'None',
};

const PREFIX_RE = /^[a-z0-9][a-z0-9_\-/=]*\/$/;
const LIMITS = { instances: { min: 1, max: 100 }, timeoutMinutes: { min: 5, max: 1440 } } as const;

/** Props of {@link BatchPredictions}. */
export interface BatchPredictionsProps {
  /** The lake: features are read from, and predictions written to, its curated zone. */
  readonly lake: DataLake;
  /** The model that scores the features; its role reads `config.input` and writes `config.output`. */
  readonly model: Model;
  /**
   * The crawler (processing) that catalogs the predictions after each run: one of its S3 targets
   * must be the curated zone at `config.output` or at a prefix of it.
   */
  readonly crawler: GlueCrawler;
  /** The model's `batch` section (validated and defaulted by the config loader). */
  readonly config: BatchPredictionConfig;
}

/**
 * Scheduled batch predictions of a {@link Model}: EventBridge Scheduler starts a Step Functions
 * state machine that runs a SageMaker batch transform over the features and then the crawler
 * that catalogs the predictions.
 *
 * - State machine `<project>-<env>-ml-<model>-predictions` (STANDARD; definition and executions
 *   encrypted with the lake key; every event logged to `/aws/vendedlogs/states/<name>`, lake key,
 *   30 days, without execution data; X-Ray tracing on):
 *   1. `Transform` (`sagemaker:createTransformJob.sync`): transform job
 *      `<project>-<env>-ml-<model>-<MD5 of the execution name and attempt>` (unique per execution
 *      and attempt) of `config.instances` × `config.instanceType`, over `s3://<curated>/<config.input>`,
 *      writing `s3://<curated>/<config.output><yyyy-mm-dd>/` (the execution's UTC start date),
 *      output and volumes encrypted with the lake key (no volume key on instance types with local
 *      storage, which SageMaker encrypts in hardware). CSV and JSON Lines are split into records
 *      by line, Parquet files are sent whole. It gives up after `config.timeoutMinutes` (the job is
 *      stopped) and retries a failed job once.
 *   2. `Catalog` (`aws-sdk:glue:startCrawler`): starts the crawler (retrying while it still runs).
 *   Any error ends in the `Failed` state with the original error and cause, so the execution
 *   fails and observability's failure rules alert on it.
 * - Schedule `<project>-<env>-ml-<model>-predictions`: `config.schedule` in UTC, no flexible
 *   window; starts that were refused are retried for an hour, then go to the dead-letter queue
 *   `<project>-<env>-ml-<model>-predictions-dlq` (lake key, 14 days).
 * - The state machine's role: transform jobs named with the prefix only (created only for this
 *   model), passing only the model's role to SageMaker, the EventBridge rule `.sync` needs, the
 *   crawler, log delivery and X-Ray (defined on "*" only), and the lake key for this state machine.
 *   The scheduler's role: start this state machine, send to its queue. The model's role: read
 *   `config.input` and write `config.output` of the curated zone (`lake.grantRead`/`grantWrite`).
 *
 * Manual runs: start an execution with any name (`{}` as input); runs on the same day write to the
 * same dated prefix, replacing files of the same name.
 */
export class BatchPredictions extends Construct {
  /** The state machine (observability watches its executions). */
  readonly stateMachine: SfnStateMachine;
  /** The schedule that starts it. */
  readonly schedule: SchedulerSchedule;
  /** The role the state machine runs as. */
  readonly role: ServiceRole;
  /** The role the scheduler starts executions as. */
  readonly schedulerRole: ServiceRole;
  /** Runs the scheduler could not start, after its retries. */
  readonly deadLetterQueue: EncryptedQueue;
  /** The state machine's log group. */
  readonly logGroup: EncryptedLogGroup;
  /**
   * Prefix of the transform jobs' names: `<project>-<env>-ml-<model>`, or, when that is longer
   * than {@link TRANSFORM_JOB_PREFIX_MAX}, `<project>-<env>-` and a hash of it (the environment's
   * prefix, which observability's failure rules match job names on, stays whole).
   */
  readonly jobPrefix: string;

  constructor(scope: Construct, id: string, props: BatchPredictionsProps) {
    super(scope, id);
    const { lake, model, crawler, config } = props;
    validate(new Validator(`BatchPredictions ${this.node.path}`), props);

    const stack = PlatformStack.of(this);
    const { region, account } = stack.env;
    const partition = stack.partition;
    const key = model.key;
    const name = stack.resourceName('ml', `${key}-predictions`, { maxLength: STATE_MACHINE_NAME_MAX });
    const stateMachineArn = `arn:${partition}:states:${region}:${account}:stateMachine:${name}`;
    this.jobPrefix = jobPrefix(stack, key);

    lake.grantRead(model.role.role, 'curated', config.input);
    lake.grantWrite(model.role.role, 'curated', config.output);

    this.logGroup = new EncryptedLogGroup(this, 'log-group', {
      // Step Functions' recommended prefix: log delivery's resource policy then covers every group.
      name: `/aws/vendedlogs/states/${name}`,
      key: lake.key,
    });

    this.role = new ServiceRole(this, 'role', {
      layer: 'ml',
      service: 'states.amazonaws.com',
      name: `${key}-predictions`,
      description: `Batch predictions of model ${key}: run its transform jobs and the crawler`,
    });
    const jobs = `arn:${partition}:sagemaker:${region}:${account}:transform-job/${this.jobPrefix}-*`;
    const volumeKey = !hasInstanceStore(config.instanceType);
    const pipelinePolicy = this.role.allow('pipeline', [
      {
        sid: 'FollowTransformJobs',
        effect: 'Allow',
        actions: ['sagemaker:DescribeTransformJob', 'sagemaker:ListTags', 'sagemaker:StopTransformJob'],
        resources: [jobs],
      },
      {
        sid: 'CreateTransformJobs',
        effect: 'Allow',
        actions: ['sagemaker:CreateTransformJob'],
        resources: [jobs],
        condition: [{ test: 'ArnEquals', variable: 'sagemaker:ModelArn', values: [model.arn] }],
      },
      {
        sid: 'PassModelRole',
        effect: 'Allow',
        actions: ['iam:PassRole'],
        resources: [model.role.arn],
        condition: [{ test: 'StringEquals', variable: 'iam:PassedToService', values: ['sagemaker.amazonaws.com'] }],
      },
      {
        // `.sync` learns that a job ended from this managed EventBridge rule, which it creates.
        sid: 'ReceiveJobEvents',
        effect: 'Allow',
        actions: ['events:DescribeRule', 'events:PutRule', 'events:PutTargets'],
        resources: [`arn:${partition}:events:${region}:${account}:rule/StepFunctionsGetEventsForSageMakerTransformJobsRule`],
      },
      ...(volumeKey
        ? [{
            // SageMaker encrypts the job's volumes with the lake key through a grant it creates as the caller.
            sid: 'EncryptJobVolumes',
            effect: 'Allow',
            actions: ['kms:CreateGrant', 'kms:DescribeKey'],
            resources: [lake.key.arn],
            condition: [{ test: 'StringEquals', variable: 'kms:ViaService', values: [`sagemaker.${region}.amazonaws.com`] }],
          }]
        : []),
      { sid: 'StartCrawler', effect: 'Allow', actions: ['glue:StartCrawler'], resources: [crawler.arn] },
      // AWS defines the log delivery actions on "*" only; Step Functions uses them to deliver its
      // logs to the log group.
      {
        sid: 'DeliverLogs',
        effect: 'Allow',
        actions: [
          'logs:CreateLogDelivery',
          'logs:DeleteLogDelivery',
          'logs:DescribeLogGroups',
          'logs:DescribeResourcePolicies',
          'logs:GetLogDelivery',
          'logs:ListLogDeliveries',
          'logs:PutResourcePolicy',
          'logs:UpdateLogDelivery',
        ],
        resources: ['*'],
      },
      // AWS defines these X-Ray actions on "*" only.
      {
        sid: 'SendTraces',
        effect: 'Allow',
        actions: ['xray:GetSamplingRules', 'xray:GetSamplingTargets', 'xray:PutTelemetryRecords', 'xray:PutTraceSegments'],
        resources: ['*'],
      },
      {
        // The definition and executions are encrypted with the lake key, for this state machine only.
        sid: 'EncryptExecutions',
        effect: 'Allow',
        actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
        resources: [lake.key.arn],
        condition: [{ test: 'StringEquals', variable: 'kms:EncryptionContext:aws:states:stateMachineArn', values: [stateMachineArn] }],
      },
      {
        // Log delivery of an encrypted state machine encrypts what it hands to CloudWatch Logs.
        sid: 'EncryptLogDelivery',
        effect: 'Allow',
        actions: ['kms:GenerateDataKey'],
        resources: [lake.key.arn],
        condition: [{ test: 'StringEquals', variable: 'kms:EncryptionContext:SourceArn', values: [`arn:${partition}:logs:${region}:${account}:*`] }],
      },
    ]);

    this.stateMachine = new SfnStateMachine(this, 'state-machine', {
      name,
      type: 'STANDARD',
      roleArn: this.role.arn,
      definition: JSON.stringify(definition(props, partition, this.jobPrefix, volumeKey)),
      encryptionConfiguration: {
        type: 'CUSTOMER_MANAGED_KMS_KEY',
        kmsKeyId: lake.key.arn,
        kmsDataKeyReusePeriodSeconds: BATCH_PREDICTION_SETTINGS.kmsDataKeyReusePeriodSeconds,
      },
      // Log destinations are written as the group's ARN followed by ":*".
      loggingConfiguration: { level: 'ALL', includeExecutionData: false, logDestination: `${this.logGroup.arn}:*` },
      tracingConfiguration: { enabled: true },
      // Step Functions checks at creation that the role may deliver logs and use the key.
      dependsOn: [pipelinePolicy],
    });

    this.deadLetterQueue = new EncryptedQueue(this, 'dead-letter-queue', { layer: 'ml', key: lake.key, name: `${key}-predictions-dlq` });
    this.schedulerRole = new ServiceRole(this, 'scheduler-role', {
      layer: 'ml',
      service: 'scheduler.amazonaws.com',
      name: `${key}-predictions-schedule`,
      description: `Batch predictions of model ${key}: lets EventBridge Scheduler start them and report failed starts`,
    });
    const schedulerPolicy = this.schedulerRole.allow('start-pipeline', [
      { sid: 'StartPredictions', effect: 'Allow', actions: ['states:StartExecution'], resources: [this.stateMachine.arn] },
      // The scheduler sends failed starts to the dead-letter queue as this role.
      { sid: 'SendFailedRuns', effect: 'Allow', actions: ['sqs:SendMessage'], resources: [this.deadLetterQueue.arn] },
      {
        sid: 'EncryptFailedRuns',
        effect: 'Allow',
        actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
        resources: [lake.key.arn],
        condition: [{ test: 'StringEquals', variable: 'kms:ViaService', values: [`sqs.${region}.amazonaws.com`] }],
      },
    ]);

    this.schedule = new SchedulerSchedule(this, 'schedule', {
      name: stack.resourceName('ml', `${key}-predictions`, { maxLength: NAME_LIMITS.schedule }),
      description: `Runs batch predictions of model ${key} into the curated zone under ${config.output}`,
      scheduleExpression: config.schedule,
      scheduleExpressionTimezone: BATCH_PREDICTION_SETTINGS.scheduleTimezone,
      flexibleTimeWindow: { mode: 'OFF' },
      target: {
        arn: this.stateMachine.arn,
        roleArn: this.schedulerRole.arn,
        input: '{}',
        retryPolicy: {
          maximumRetryAttempts: BATCH_PREDICTION_SETTINGS.maximumRetryAttempts,
          maximumEventAgeInSeconds: BATCH_PREDICTION_SETTINGS.maximumEventAgeSeconds,
        },
        deadLetterConfig: { arn: this.deadLetterQueue.arn },
      },
      // The first run must find the role's permissions in place.
      dependsOn: [schedulerPolicy],
    });
  }
}

/** The prefix of the transform jobs' names: see {@link BatchPredictions.jobPrefix}. */
function jobPrefix(stack: PlatformStack, key: string): string {
  const full = stack.resourceName('ml', key, { maxLength: SAGEMAKER_NAME_MAX });
  if (full.length <= TRANSFORM_JOB_PREFIX_MAX) return full;
  // `<project>-<env>-` as physicalName cleans them (the same as observability's namePrefix).
  const environment = `${physicalName({ project: stack.env.project, env: stack.env.name, layer: '', name: '' }, { maxLength: Number.MAX_SAFE_INTEGER })}-`;
  return `${environment}${createHash('sha256').update(full).digest('hex').slice(0, TRANSFORM_JOB_PREFIX_MAX - environment.length)}`;
}

/** The state machine's definition (Amazon States Language, JSONPath). */
function definition(props: BatchPredictionsProps, partition: string, jobPrefix: string, volumeKey: boolean): Record<string, unknown> {
  const { lake, model, crawler, config } = props;
  const { states, transform, crawler: crawl } = BATCH_PREDICTION_SETTINGS;
  const curated = lake.zones.curated.name;
  const split = SPLIT_TYPES[config.contentType];
  const fail = [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: states.failed }];
  return {
    Comment: `Batch predictions of model ${model.key}: transform s3://<curated>/${config.input}, write s3://<curated>/${config.output}<date>/, then crawl`,
    StartAt: states.transform,
    States: {
      [states.transform]: {
        Type: 'Task',
        Resource: `arn:${partition}:states:::sagemaker:createTransformJob.sync`,
        Parameters: {
          // Unique per execution and attempt (SageMaker never reuses a job name, so a retry needs a
          // new one); the hash keeps it within 63 characters whatever the execution is called.
          'TransformJobName.$': `States.Format('${jobPrefix}-{}', States.Hash(States.Format('{}/{}', $$.Execution.Name, $$.State.RetryCount), 'MD5'))`,
          ModelName: model.name,
          BatchStrategy: split === 'Line' ? 'MultiRecord' : 'SingleRecord',
          TransformInput: {
            DataSource: { S3DataSource: { S3DataType: 'S3Prefix', S3Uri: `s3://${curated}/${config.input}` } },
            ContentType: config.contentType,
            SplitType: split,
            CompressionType: 'None',
          },
          TransformOutput: {
            // The execution's start time is UTC ISO 8601: its date is what precedes the "T".
            'S3OutputPath.$': `States.Format('s3://${curated}/${config.output}{}/', States.ArrayGetItem(States.StringSplit($$.Execution.StartTime, 'T'), 0))`,
            KmsKeyId: lake.key.arn,
            AssembleWith: split,
          },
          TransformResources: {
            InstanceType: config.instanceType,
            InstanceCount: config.instances,
            ...(volumeKey ? { VolumeKmsKeyId: lake.key.arn } : {}),
          },
        },
        TimeoutSeconds: config.timeoutMinutes * 60,
        ResultPath: null,
        Retry: [{ ErrorEquals: ['States.TaskFailed'], IntervalSeconds: transform.retryIntervalSeconds, MaxAttempts: transform.retries, BackoffRate: 1 }],
        Catch: fail,
        Next: states.catalog,
      },
      [states.catalog]: {
        Type: 'Task',
        Resource: `arn:${partition}:states:::aws-sdk:glue:startCrawler`,
        Parameters: { Name: crawler.name },
        ResultPath: null,
        Retry: [{ ErrorEquals: ['Glue.CrawlerRunningException'], IntervalSeconds: crawl.retryIntervalSeconds, MaxAttempts: crawl.retries, BackoffRate: crawl.backoffRate }],
        Catch: fail,
        End: true,
      },
      [states.failed]: { Type: 'Fail', ErrorPath: '$.error.Error', CausePath: '$.error.Cause' },
    },
  };
}

/** Records every problem with the props on `v` and throws them together; tokens are skipped. */
function validate(v: Validator, props: BatchPredictionsProps): void {
  const { config } = props;
  const known = (value: unknown) => !Token.isUnresolved(value);
  if (known(config.schedule)) {
    const problem = scheduleProblem(config.schedule);
    if (problem) v.add('config.schedule', `is ${describeValue(config.schedule)}; ${problem.replace(/^is not a schedule; /, '').replace(/^(has|says|must)/, 'it $1')}`);
  }
  const prefixes = (['input', 'output'] as const).filter((field) => known(config[field]));
  for (const field of prefixes) {
    v.check(PREFIX_RE.test(config[field]), `config.${field}`,
      `is ${describeValue(config[field])}; use a curated-zone key prefix of lowercase letters, digits, "_", "-", "=" and "/", ending with "/" (e.g. "churn_scores/")`);
  }
  if (prefixes.length === 2 && (config.output.startsWith(config.input) || config.input.startsWith(config.output))) {
    v.add('config.output', `is ${describeValue(config.output)}, which overlaps input ${describeValue(config.input)}; use prefixes that do not contain one another (a run would read earlier predictions as features)`);
  }
  if (known(config.instanceType)) {
    v.check(INSTANCE_TYPE_RE.test(config.instanceType), 'config.instanceType', `is ${describeValue(config.instanceType)}; use a SageMaker instance type such as "ml.m5.large"`);
  }
  for (const field of ['instances', 'timeoutMinutes'] as const) {
    const value = config[field];
    if (!known(value)) continue;
    const { min, max } = LIMITS[field];
    v.check(Number.isInteger(value) && value >= min && value <= max, `config.${field}`, `is ${describeValue(value)}; use a whole number from ${min} to ${max}`);
  }
  if (known(config.contentType)) {
    v.check(Object.hasOwn(SPLIT_TYPES, config.contentType), 'config.contentType',
      `is ${describeValue(config.contentType)}; use one of ${Object.keys(SPLIT_TYPES).join(', ')}`);
  }
  if (known(config.output) && PREFIX_RE.test(config.output)) checkCrawler(v, props);
  v.throwIfAny();
}

/**
 * Records a problem unless the crawler crawls the predictions: one of its S3 targets must be the
 * curated zone at `config.output` or at a prefix of it. Targets given as a token are not checked.
 */
function checkCrawler(v: Validator, { lake, crawler, config }: BatchPredictionsProps): void {
  const targets = crawler.s3TargetInput;
  if (!Array.isArray(targets)) return;
  const root = `s3://${lake.zones.curated.name}/`;
  const covers = targets.some(({ path }) => path.startsWith(root) && config.output.startsWith(path.slice(root.length)));
  v.check(covers, 'crawler', `${crawler.node.path} does not crawl the predictions; use the crawler of config.crawler, whose S3 targets include the curated zone at ${describeValue(config.output)} (or a prefix of it)`);
}
