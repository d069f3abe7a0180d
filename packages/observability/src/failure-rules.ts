import { Token } from 'cdktf';
import { Construct } from 'constructs';
import { CloudwatchEventRule } from '@cdktf/provider-aws/lib/cloudwatch-event-rule';
import { CloudwatchEventTarget } from '@cdktf/provider-aws/lib/cloudwatch-event-target';
import { NAME_LIMITS, PlatformStack, Validator, describeValue, physicalName } from '@data-platform/core';
import { TopicRef } from './alert-topic';

/** What an event pattern of a {@link FailureKindSpec} is built from. */
export interface PatternContext {
  /** The platform's name prefix, `<project>-<env>-`: only resources named with it alert. */
  readonly prefix: string;
  /** The AWS partition (`aws`, `aws-cn`, ...). */
  readonly partition: string;
  readonly region: string;
  readonly account: string;
}

/** One kind of failure a rule watches for: its event, its pattern and the message it sends. */
export interface FailureKindSpec {
  /** What the rule is about, for the rule's description. */
  readonly description: string;
  /** The event's `source`. */
  readonly source: string;
  /** The event's `detail-type`. */
  readonly detailType: string;
  /** The pattern's `detail`: failed states, and the name prefix where the event carries the name. */
  readonly detail: (context: PatternContext) => Record<string, unknown>;
  /** Input transformer variables: name to JSON path into the event. */
  readonly inputPaths: Readonly<Record<string, string>>;
  /**
   * The alert's text, one paragraph, with `<variable>` placeholders of `inputPaths` (and the
   * event's `region` and `account`); `env` is the environment's name, written as static text.
   */
  readonly message: (env: string) => string;
}

/** The console of AWS, where links in alerts point (standard partition). */
export const CONSOLE_URL = 'https://console.aws.amazon.com';

/** Variables every alert has: where the event happened. */
const WHERE = { region: '$.region', account: '$.account' } as const;
const inEnv = (env: string) => `in environment ${env} (region <region>, account <account>)`;

/**
 * The failures the platform alerts on, by kind: the EventBridge event of each (source,
 * detail-type, failed states), the name prefix it is limited to and the alert text.
 *
 * - Glue job runs that end FAILED, TIMEOUT or STOPPED, by `jobName` prefix.
 * - Glue crawlers that fail (state `Failed`), by `crawlerName` prefix.
 * - Glue Data Quality evaluations whose result is FAILED (source `aws.glue-dataquality`), by
 *   ruleset name prefix (`rulesetNames`, a list: matches when any name does).
 * - DMS replication tasks that fail or stop (`eventType` REPLICATION_TASK_FAILED or
 *   REPLICATION_TASK_STOPPED). Not limited by name: the event names the task only by its ARN,
 *   whose last part is a generated id, not the task's identifier. The default event bus carries
 *   only this account's events.
 * - Step Functions executions that end FAILED, TIMED_OUT or ABORTED, by state machine ARN prefix.
 * - SageMaker batch transform jobs that end Failed, by `TransformJobName` prefix.
 *
 * @see https://docs.aws.amazon.com/eventbridge/latest/ref/events-ref-glue.html
 * @see https://docs.aws.amazon.com/eventbridge/latest/ref/events-ref-glue-dataquality.html
 * @see https://docs.aws.amazon.com/dms/latest/userguide/CHAP_EventBridge.html
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/eventbridge-integration.html
 * @see https://docs.aws.amazon.com/sagemaker/latest/dg/automating-sagemaker-with-eventbridge.html
 */
export const FAILURE_KINDS = {
  'glue-job': {
    description: 'Glue job runs that fail, time out or are stopped',
    source: 'aws.glue',
    detailType: 'Glue Job State Change',
    detail: ({ prefix }) => ({ jobName: [{ prefix }], state: ['FAILED', 'TIMEOUT', 'STOPPED'] }),
    inputPaths: { job: '$.detail.jobName', run: '$.detail.jobRunId', state: '$.detail.state', error: '$.detail.message', ...WHERE },
    message: (env) =>
      `Glue job <job> (run <run>) ended in state <state> ${inEnv(env)}. Error: <error> ` +
      `Console: ${CONSOLE_URL}/gluestudio/home?region=<region>#/job/<job>/run/<run>`,
  },
  'glue-crawler': {
    description: 'Glue crawlers that fail',
    source: 'aws.glue',
    detailType: 'Glue Crawler State Change',
    detail: ({ prefix }) => ({ crawlerName: [{ prefix }], state: ['Failed'] }),
    inputPaths: { crawler: '$.detail.crawlerName', state: '$.detail.state', error: '$.detail.errorMessage', ...WHERE },
    message: (env) =>
      `Glue crawler <crawler> ended in state <state> ${inEnv(env)}. Error: <error> ` +
      `Console: ${CONSOLE_URL}/glue/home?region=<region>#/v2/data-catalog/crawlers/view/<crawler>`,
  },
  'data-quality': {
    description: 'Glue Data Quality evaluations whose result is FAILED',
    source: 'aws.glue-dataquality',
    detailType: 'Data Quality Evaluation Results Available',
    detail: ({ prefix }) => ({ rulesetNames: [{ prefix }], state: ['FAILED'] }),
    inputPaths: {
      ruleset: '$.detail.rulesetNames[0]',
      state: '$.detail.state',
      score: '$.detail.score',
      database: '$.detail.context.databaseName',
      table: '$.detail.context.tableName',
      result: '$.detail.resultID',
      ...WHERE,
    },
    message: (env) =>
      `Glue Data Quality ruleset <ruleset> on table <database>.<table> ended in state <state> with score <score> ` +
      `${inEnv(env)}; result <result>. ` +
      `Console: ${CONSOLE_URL}/glue/home?region=<region>#/v2/data-catalog/tables/view/<table>?database=<database>&catalogId=<account>`,
  },
  'dms-task': {
    description: 'DMS replication tasks that fail or stop',
    source: 'aws.dms',
    detailType: 'DMS Replication Task State Change',
    detail: () => ({ type: ['REPLICATION_TASK'], eventType: ['REPLICATION_TASK_FAILED', 'REPLICATION_TASK_STOPPED'] }),
    inputPaths: { task: '$.resources[0]', state: '$.detail.eventType', error: '$.detail.detailMessage', ...WHERE },
    message: (env) =>
      `DMS replication task <task> reported <state> ${inEnv(env)}. Message: <error> ` +
      `Console: ${CONSOLE_URL}/dms/v2/home?region=<region>#tasks`,
  },
  'step-functions': {
    description: 'Step Functions executions that fail, time out or are aborted',
    source: 'aws.states',
    detailType: 'Step Functions Execution Status Change',
    detail: ({ prefix, partition, region, account }) => ({
      stateMachineArn: [{ prefix: `arn:${partition}:states:${region}:${account}:stateMachine:${prefix}` }],
      status: ['FAILED', 'TIMED_OUT', 'ABORTED'],
    }),
    inputPaths: {
      execution: '$.detail.executionArn',
      state: '$.detail.status',
      error: '$.detail.error',
      cause: '$.detail.cause',
      ...WHERE,
    },
    message: (env) =>
      `Step Functions execution <execution> ended in state <state> ${inEnv(env)}. Error: <error> Cause: <cause> ` +
      `Console: ${CONSOLE_URL}/states/home?region=<region>#/v2/executions/details/<execution>`,
  },
  'transform-job': {
    description: 'SageMaker batch transform jobs that fail',
    source: 'aws.sagemaker',
    detailType: 'SageMaker Transform Job State Change',
    detail: ({ prefix }) => ({ TransformJobName: [{ prefix }], TransformJobStatus: ['Failed'] }),
    inputPaths: { job: '$.detail.TransformJobName', state: '$.detail.TransformJobStatus', error: '$.detail.FailureReason', ...WHERE },
    message: (env) =>
      `SageMaker transform job <job> ended in state <state> ${inEnv(env)}. Error: <error> ` +
      `Console: ${CONSOLE_URL}/sagemaker/home?region=<region>#/transform-jobs/<job>`,
  },
} as const satisfies Record<string, FailureKindSpec>;

/** A kind of failure the platform alerts on: a key of {@link FAILURE_KINDS}. */
export type FailureKind = keyof typeof FAILURE_KINDS;

/** Every failure kind, in the order of {@link FAILURE_KINDS}. */
export const ALL_FAILURE_KINDS = Object.keys(FAILURE_KINDS) as FailureKind[];

/** The EventBridge event pattern of `kind` in `context`. */
export function failurePattern(kind: FailureKind, context: PatternContext): Record<string, unknown> {
  const spec: FailureKindSpec = FAILURE_KINDS[kind];
  return { source: [spec.source], 'detail-type': [spec.detailType], detail: spec.detail(context) };
}

/** The input template of `kind` in environment `env`: its message as a JSON string (EventBridge sends it as plain text). */
export function failureInputTemplate(kind: FailureKind, env: string): string {
  const spec: FailureKindSpec = FAILURE_KINDS[kind];
  return JSON.stringify(spec.message(env));
}

/** Props of {@link FailureRules}. */
export interface FailureRulesProps {
  /** Where alerts go: the {@link AlertTopic}, or any topic by ARN (`{ arn }`). */
  readonly topic: TopicRef;
}

const SNS_ARN_RE = /^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}$/;

/**
 * One EventBridge rule per {@link FAILURE_KINDS} kind, on the default bus, each sending a plain-text
 * alert to the topic: which resource failed, its state and error message (where the event has
 * one), the environment, region and account, and a console link.
 *
 * - Rules match only resources named `<project>-<env>-...` (EventBridge `prefix` matching), so
 *   other teams' jobs in the account do not page this environment (DMS excepted, see
 *   {@link FAILURE_KINDS}).
 * - Rule names `<project>-<env>-observability-<kind>-failed`.
 * - EventBridge publishes as `events.amazonaws.com`: the topic's policy and key must let it (the
 *   {@link AlertTopic} and the lake key do).
 */
export class FailureRules extends Construct {
  /** The rules, by kind. */
  readonly rules: Readonly<Record<FailureKind, CloudwatchEventRule>>;
  /** The rules' targets (the topic, with the alert text), by kind. */
  readonly targets: Readonly<Record<FailureKind, CloudwatchEventTarget>>;

  constructor(scope: Construct, id: string, props: FailureRulesProps) {
    super(scope, id);
    const stack = PlatformStack.of(this);
    const { topic } = props;
    const v = new Validator(`FailureRules ${this.node.path}`);
    if (!Token.isUnresolved(topic.arn)) {
      v.check(SNS_ARN_RE.test(topic.arn), 'topic.arn', `is ${describeValue(topic.arn)}; use an SNS topic ARN such as "arn:aws:sns:eu-west-1:111111111111:alerts"`);
    }
    v.throwIfAny();

    const { env } = stack;
    const context: PatternContext = {
      prefix: namePrefix(env.project, env.name),
      partition: stack.partition,
      region: env.region,
      account: env.account,
    };
    const rules = {} as Record<FailureKind, CloudwatchEventRule>;
    const targets = {} as Record<FailureKind, CloudwatchEventTarget>;
    for (const kind of ALL_FAILURE_KINDS) {
      const spec: FailureKindSpec = FAILURE_KINDS[kind];
      rules[kind] = new CloudwatchEventRule(this, `${kind}-rule`, {
        name: stack.resourceName('observability', `${kind}-failed`, { maxLength: NAME_LIMITS.default }),
        description: `Alerts on ${spec.description} in ${env.name}`,
        eventPattern: JSON.stringify(failurePattern(kind, context)),
      });
      targets[kind] = new CloudwatchEventTarget(this, `${kind}-target`, {
        rule: rules[kind].name,
        targetId: 'alert-topic',
        arn: topic.arn,
        inputTransformer: { inputPaths: { ...spec.inputPaths }, inputTemplate: failureInputTemplate(kind, env.name) },
      });
    }
    this.rules = rules;
    this.targets = targets;
  }
}

/**
 * The prefix of every physical name of the environment, `<project>-<env>-`, from core's
 * `physicalName` (so it is cleaned the same way). Names shortened with a hash keep it.
 */
export function namePrefix(project: string, env: string): string {
  return `${physicalName({ project, env, layer: '', name: '' }, { maxLength: Number.MAX_SAFE_INTEGER })}-`;
}
