import { TerraformOutput } from 'cdktf';
import {
  PlatformStack,
  policyStatements,
  problemsOf as problemsOfConstruction,
  synthesize,
  synthesizedResource,
  testApp,
  testEnvironment,
} from '@data-platform/core';
import { PolicyPack } from '@data-platform/policy';
import { ALERT_PUBLISHERS, ALERT_TOPIC_ADDRESS, ALERT_TOPIC_ADMIN_ACTIONS, AlertTopic, AlertTopicProps } from './alert-topic';

const KEY = { arn: 'arn:aws:kms:eu-west-1:111111111111:key/11111111-2222-3333-4444-555555555555' };
const ALERTS = { email: ['data-platform@example.com', 'oncall@example.com'], https: ['https://hooks.example.com/alerts'] };
const TOPIC_ARN = `\${aws_sns_topic.${ALERT_TOPIC_ADDRESS}.arn}`;

function build(props: Partial<AlertTopicProps> = {}, aspects = false) {
  const env = testEnvironment({ name: 'dev' });
  const stack = new PlatformStack(testApp(), 'dev-observability', { env, aspects: aspects ? [new PolicyPack()] : [] });
  const topic = new AlertTopic(stack, 'alerts', { key: KEY, alerts: ALERTS, ...props });
  return { stack, topic, ...synthesize(stack) };
}

function problemsOf(props: Partial<AlertTopicProps>): string[] {
  return problemsOfConstruction(() => build(props));
}

const subscriptions = (tf: ReturnType<typeof build>['tf']) => Object.values(tf.resource?.aws_sns_topic_subscription ?? {});

describe('AlertTopic', () => {
  it('names the topic <project>-<env>-observability-alerts and encrypts it with the key', () => {
    const { tf } = build();
    const topic = synthesizedResource(tf, 'aws_sns_topic', ALERT_TOPIC_ADDRESS);
    expect(topic.name).toBe('adp-dev-observability-alerts');
    expect(topic.kms_master_key_id).toBe(KEY.arn);
  });

  it('pins the topic address and exposes its arn and name', () => {
    const env = testEnvironment({ name: 'dev' });
    const stack = new PlatformStack(testApp(), 'dev-observability', { env });
    const topic = new AlertTopic(stack, 'alerts', { key: KEY, alerts: ALERTS });
    new TerraformOutput(stack, 'arn', { value: topic.arn });
    new TerraformOutput(stack, 'name', { value: topic.name });
    const { tf } = synthesize(stack);
    expect(topic.topic.friendlyUniqueId).toBe(ALERT_TOPIC_ADDRESS);
    expect(tf.output).toEqual({ arn: { value: TOPIC_ARN }, name: { value: `\${aws_sns_topic.${ALERT_TOPIC_ADDRESS}.name}` } });
  });

  it('lets EventBridge, CloudWatch and Budgets publish, each only for this account', () => {
    const { tf } = build();
    const policy = Object.values(tf.resource?.aws_sns_topic_policy ?? {})[0];
    expect(policy.arn).toBe(TOPIC_ARN);
    const document = /data\.aws_iam_policy_document\.(.+)\.json/.exec(String(policy.policy))?.[1] ?? '';
    const statements = policyStatements(tf, document);
    expect(ALERT_PUBLISHERS).toEqual(['events.amazonaws.com', 'cloudwatch.amazonaws.com', 'budgets.amazonaws.com']);
    for (const service of ALERT_PUBLISHERS) {
      const statement = statements.find((s) => s.principals?.[0].identifiers.includes(service));
      expect(statement).toEqual(
        expect.objectContaining({
          effect: 'Allow',
          actions: ['SNS:Publish'],
          resources: [TOPIC_ARN],
          condition: [{ test: 'StringEquals', variable: 'aws:SourceAccount', values: ['111111111111'] }],
        }),
      );
    }
  });

  it('lets the account root administer the topic', () => {
    const { tf } = build();
    const document = Object.keys(tf.data?.aws_iam_policy_document ?? {})[0];
    const admin = policyStatements(tf, document).find((s) => s.sid === 'AdministerFromThisAccount');
    expect(admin).toEqual({
      sid: 'AdministerFromThisAccount',
      effect: 'Allow',
      principals: [{ type: 'AWS', identifiers: ['arn:${data.aws_partition.partition.partition}:iam::111111111111:root'] }],
      actions: [...ALERT_TOPIC_ADMIN_ACTIONS],
      resources: [TOPIC_ARN],
    });
  });

  it('subscribes each email address', () => {
    const emails = subscriptions(build().tf).filter((s) => s.protocol === 'email');
    expect(emails.map((s) => s.endpoint)).toEqual(ALERTS.email);
    for (const s of emails) expect(s.topic_arn).toBe(TOPIC_ARN);
  });

  it('subscribes each https endpoint without assuming it confirmed', () => {
    const https = subscriptions(build().tf).filter((s) => s.protocol === 'https');
    expect(https).toEqual([expect.objectContaining({ endpoint: ALERTS.https[0], endpoint_auto_confirms: false, topic_arn: TOPIC_ARN })]);
  });

  it('keeps a subscription id when another subscription is removed', () => {
    const ids = (email: string[]) => Object.entries(build({ alerts: { email, https: [] } }).tf.resource?.aws_sns_topic_subscription ?? {})
      .map(([id, s]) => [id, s.endpoint]);
    const both = ids(['a@example.com', 'b@example.com']);
    expect(ids(['b@example.com'])).toEqual([both[1]]);
  });

  it('creates no subscriptions when no one is listed', () => {
    expect(subscriptions(build({ alerts: { email: [], https: [] } }).tf)).toEqual([]);
  });

  it('rejects an invalid email address', () => {
    expect(problemsOf({ alerts: { email: ['oncall'], https: [] } })).toEqual([
      'AlertTopic dev-observability/alerts: alerts.email.0 is "oncall"; use an email address such as "data-platform@example.com"',
    ]);
  });

  it('rejects an endpoint that is not https', () => {
    expect(problemsOf({ alerts: { email: [], https: ['http://hooks.example.com'] } })).toEqual([
      'AlertTopic dev-observability/alerts: alerts.https.0 is "http://hooks.example.com"; use an https:// URL (a webhook or a chat integration\'s endpoint)',
    ]);
  });

  it('rejects subscriptions listed twice', () => {
    expect(problemsOf({ alerts: { email: ['a@example.com', 'A@example.com'], https: ['https://h.example.com', 'https://h.example.com'] } })).toEqual([
      'AlertTopic dev-observability/alerts: alerts.email.1 is "A@example.com", listed twice; list each address once',
      'AlertTopic dev-observability/alerts: alerts.https.1 is "https://h.example.com", listed twice; list each endpoint once',
    ]);
  });

  it('passes the policy pack', () => {
    expect(() => build({}, true)).not.toThrow();
  });
});
