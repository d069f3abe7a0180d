import { PlatformError, PlatformStack, synthesize, synthesizedResource, testApp, testEnvironment } from '@data-platform/core';
import { AlertTopic } from './alert-topic';
import {
  ALL_FAILURE_KINDS,
  CONSOLE_URL,
  FAILURE_KINDS,
  FailureKind,
  FailureRules,
  PatternContext,
  failureInputTemplate,
  failurePattern,
  namePrefix,
} from './failure-rules';

const TOPIC_ARN = 'arn:aws:sns:eu-west-1:111111111111:adp-dev-observability-alerts';
const CONTEXT: PatternContext = { prefix: 'adp-dev-', partition: 'aws', region: 'eu-west-1', account: '111111111111' };

function build(topic: { arn: string } = { arn: TOPIC_ARN }) {
  const env = testEnvironment({ name: 'dev' });
  const stack = new PlatformStack(testApp(), 'dev-observability', { env });
  const rules = new FailureRules(stack, 'failures', { topic });
  return { stack, rules, ...synthesize(stack) };
}

const ruleOf = (built: ReturnType<typeof build>, kind: FailureKind) =>
  synthesizedResource(built.tf, 'aws_cloudwatch_event_rule', built.rules.rules[kind].friendlyUniqueId);
const targetOf = (built: ReturnType<typeof build>, kind: FailureKind) =>
  synthesizedResource(built.tf, 'aws_cloudwatch_event_target', built.rules.targets[kind].friendlyUniqueId);

/** The event pattern of each kind, as EventBridge receives it. */
const EXPECTED: Record<FailureKind, Record<string, unknown>> = {
  'glue-job': {
    source: ['aws.glue'],
    'detail-type': ['Glue Job State Change'],
    detail: { jobName: [{ prefix: 'adp-dev-' }], state: ['FAILED', 'TIMEOUT', 'STOPPED'] },
  },
  'glue-crawler': {
    source: ['aws.glue'],
    'detail-type': ['Glue Crawler State Change'],
    detail: { crawlerName: [{ prefix: 'adp-dev-' }], state: ['Failed'] },
  },
  'data-quality': {
    source: ['aws.glue-dataquality'],
    'detail-type': ['Data Quality Evaluation Results Available'],
    detail: { rulesetNames: [{ prefix: 'adp-dev-' }], state: ['FAILED'] },
  },
  'dms-task': {
    source: ['aws.dms'],
    'detail-type': ['DMS Replication Task State Change'],
    detail: { type: ['REPLICATION_TASK'], eventType: ['REPLICATION_TASK_FAILED', 'REPLICATION_TASK_STOPPED'] },
  },
  'step-functions': {
    source: ['aws.states'],
    'detail-type': ['Step Functions Execution Status Change'],
    detail: {
      stateMachineArn: [{ prefix: 'arn:aws:states:eu-west-1:111111111111:stateMachine:adp-dev-' }],
      status: ['FAILED', 'TIMED_OUT', 'ABORTED'],
    },
  },
  'transform-job': {
    source: ['aws.sagemaker'],
    'detail-type': ['SageMaker Transform Job State Change'],
    detail: { TransformJobName: [{ prefix: 'adp-dev-' }], TransformJobStatus: ['Failed'] },
  },
};

describe('FAILURE_KINDS', () => {
  it('covers Glue jobs, crawlers, data quality, DMS tasks, Step Functions and transform jobs', () => {
    expect(ALL_FAILURE_KINDS).toEqual(['glue-job', 'glue-crawler', 'data-quality', 'dms-task', 'step-functions', 'transform-job']);
  });

  it.each(ALL_FAILURE_KINDS)('matches the failures of %s', (kind) => {
    expect(failurePattern(kind, CONTEXT)).toEqual(EXPECTED[kind]);
  });

  it.each(ALL_FAILURE_KINDS)('writes a %s alert with its resource, state, environment, region, account and a console link', (kind) => {
    const message = FAILURE_KINDS[kind].message('prod');
    expect(message).toContain('<state>');
    expect(message).toContain('in environment prod (region <region>, account <account>)');
    expect(message).toContain(`Console: ${CONSOLE_URL}/`);
    expect(message).not.toContain('\n');
    const placeholders = [...message.matchAll(/<([a-z]+)>/g)].map((m) => m[1]);
    expect(Object.keys(FAILURE_KINDS[kind].inputPaths).sort()).toEqual([...new Set(placeholders)].sort());
  });

  it.each(ALL_FAILURE_KINDS.filter((k) => k !== 'data-quality'))('includes the error message of %s', (kind) => {
    expect(FAILURE_KINDS[kind].message('dev')).toContain('<error>');
  });

  it('reads the fields each event carries', () => {
    expect(FAILURE_KINDS['glue-job'].inputPaths).toMatchObject({ job: '$.detail.jobName', run: '$.detail.jobRunId', state: '$.detail.state', error: '$.detail.message' });
    expect(FAILURE_KINDS['glue-crawler'].inputPaths).toMatchObject({ crawler: '$.detail.crawlerName', error: '$.detail.errorMessage' });
    expect(FAILURE_KINDS['data-quality'].inputPaths).toMatchObject({ ruleset: '$.detail.rulesetNames[0]', score: '$.detail.score', table: '$.detail.context.tableName' });
    expect(FAILURE_KINDS['dms-task'].inputPaths).toMatchObject({ task: '$.resources[0]', state: '$.detail.eventType', error: '$.detail.detailMessage' });
    expect(FAILURE_KINDS['step-functions'].inputPaths).toMatchObject({ execution: '$.detail.executionArn', state: '$.detail.status', error: '$.detail.error', cause: '$.detail.cause' });
    expect(FAILURE_KINDS['transform-job'].inputPaths).toMatchObject({ job: '$.detail.TransformJobName', state: '$.detail.TransformJobStatus', error: '$.detail.FailureReason' });
    for (const kind of ALL_FAILURE_KINDS) expect(FAILURE_KINDS[kind].inputPaths).toMatchObject({ region: '$.region', account: '$.account' });
  });

  it('sends the message as a JSON string, so EventBridge delivers plain text', () => {
    expect(failureInputTemplate('glue-crawler', 'dev')).toBe(JSON.stringify(FAILURE_KINDS['glue-crawler'].message('dev')));
    expect(failureInputTemplate('glue-crawler', 'dev')).toMatch(/^"Glue crawler <crawler> ended in state <state> in environment dev .*"$/);
  });
});

describe('namePrefix', () => {
  it('is <project>-<env>- as core names resources', () => {
    expect(namePrefix('adp', 'dev')).toBe('adp-dev-');
    expect(namePrefix('ADP', 'Dev_1')).toBe('adp-dev-1-');
  });
});

describe('FailureRules', () => {
  it.each(ALL_FAILURE_KINDS)('creates the %s rule, limited to this environment\'s names', (kind) => {
    const built = build();
    const rule = ruleOf(built, kind);
    expect(rule.name).toBe(`adp-dev-observability-${kind}-failed`);
    const expected = JSON.parse(JSON.stringify(EXPECTED[kind]).replace('arn:aws:', 'arn:${data.aws_partition.partition.partition}:'));
    expect(JSON.parse(String(rule.event_pattern))).toEqual(expected);
  });

  it.each(ALL_FAILURE_KINDS)('sends %s failures to the topic as the alert text', (kind) => {
    const built = build();
    const target = targetOf(built, kind);
    expect(target.arn).toBe(TOPIC_ARN);
    expect(target.rule).toBe(`\${aws_cloudwatch_event_rule.${built.rules.rules[kind].friendlyUniqueId}.name}`);
    expect(target.input_transformer).toEqual({
      input_paths: FAILURE_KINDS[kind].inputPaths,
      input_template: failureInputTemplate(kind, 'dev'),
    });
  });

  it('accepts an AlertTopic', () => {
    const env = testEnvironment({ name: 'dev' });
    const stack = new PlatformStack(testApp(), 'dev-observability', { env });
    const topic = new AlertTopic(stack, 'alerts', { key: { arn: 'arn:aws:kms:eu-west-1:111111111111:key/k' }, alerts: { email: [], https: [] } });
    const rules = new FailureRules(stack, 'failures', { topic });
    const { tf } = synthesize(stack);
    expect(synthesizedResource(tf, 'aws_cloudwatch_event_target', rules.targets['glue-job'].friendlyUniqueId).arn).toBe(
      '${aws_sns_topic.observability_alerts_topic.arn}',
    );
  });

  it('rejects a topic ARN that is not an SNS topic', () => {
    let error: unknown;
    try {
      build({ arn: 'arn:aws:sqs:eu-west-1:111111111111:alerts' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(PlatformError);
    expect((error as Error).message).toBe(
      'FailureRules dev-observability/failures: topic.arn is "arn:aws:sqs:eu-west-1:111111111111:alerts"; use an SNS topic ARN such as "arn:aws:sns:eu-west-1:111111111111:alerts"',
    );
  });
});
