import { createHash } from 'node:crypto';
import { Token } from 'cdktf';
import { Construct } from 'constructs';
import { DataAwsIamPolicyDocument } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { SnsTopicPolicy } from '@cdktf/provider-aws/lib/sns-topic-policy';
import { SnsTopicSubscription } from '@cdktf/provider-aws/lib/sns-topic-subscription';
import { KeyRef, ObservabilityConfig, PlatformStack, Validator, describeValue } from '@data-platform/core';

/**
 * The longest SNS topic name.
 * @see https://docs.aws.amazon.com/sns/latest/api/API_CreateTopic.html
 */
export const SNS_TOPIC_NAME_LIMIT = 256;

/** The Terraform address of the alert topic, `aws_sns_topic.<address>`: pinned, so subscriptions survive refactors. */
export const ALERT_TOPIC_ADDRESS = 'observability_alerts_topic';

/**
 * The AWS services that publish to the alert topic: EventBridge (failure rules), CloudWatch
 * (alarms) and AWS Budgets (the cost budget). Each may publish only on behalf of this account.
 */
export const ALERT_PUBLISHERS = ['events.amazonaws.com', 'cloudwatch.amazonaws.com', 'budgets.amazonaws.com'] as const;

/** What the account root may do on the topic (administration through IAM in this account). */
export const ALERT_TOPIC_ADMIN_ACTIONS = [
  'SNS:GetTopicAttributes',
  'SNS:SetTopicAttributes',
  'SNS:AddPermission',
  'SNS:RemovePermission',
  'SNS:DeleteTopic',
  'SNS:Subscribe',
  'SNS:ListSubscriptionsByTopic',
  'SNS:Publish',
] as const;

/** A topic others publish to, by ARN: an {@link AlertTopic}, or a topic of another stack. */
export interface TopicRef {
  readonly arn: string;
}

/** Props of {@link AlertTopic}. */
export interface AlertTopicProps {
  /** Encrypts the topic's messages (the lake key; its policy lets the publishers use it). */
  readonly key: KeyRef;
  /** Where alerts go: the environment's `observability.alerts` (emails, https endpoints). */
  readonly alerts: ObservabilityConfig['alerts'];
}

const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** A stable id for a subscription: its protocol and a hash of its endpoint, so removing one never renames another. */
const subscriptionId = (protocol: string, endpoint: string) =>
  `${protocol}-${createHash('sha256').update(endpoint).digest('hex').slice(0, 8)}`;

/**
 * The environment's alert topic: one SNS topic, `<project>-<env>-observability-alerts`, that
 * failure rules, alarms and the budget publish to and people subscribe to.
 *
 * - Encrypted with `key` (`kms_master_key_id`).
 * - Topic policy: EventBridge, CloudWatch and AWS Budgets may publish, each only on behalf of this
 *   account (`aws:SourceAccount`); the account root administers the topic (IAM in this account
 *   decides who else may).
 * - One `email` subscription per address (each confirms by email) and one `https` subscription per
 *   endpoint (confirmed by the endpoint; `endpoint_auto_confirms` false). Subscriptions are keyed
 *   by a hash of their endpoint, so adding or removing one leaves the others alone.
 * - The topic's address is pinned ({@link ALERT_TOPIC_ADDRESS}): replacing the topic would make
 *   every subscriber confirm again.
 */
export class AlertTopic extends Construct implements TopicRef {
  /** The SNS topic. */
  readonly topic: SnsTopic;
  /** ARN of the topic, for rules, alarms and budgets to publish to. */
  readonly arn: string;
  /** Physical name of the topic. */
  readonly name: string;

  constructor(scope: Construct, id: string, props: AlertTopicProps) {
    super(scope, id);
    const stack = PlatformStack.of(this);
    const { key, alerts } = props;
    const v = new Validator(`AlertTopic ${this.node.path}`);
    const seen = new Set<string>();
    alerts.email.forEach((email, i) => {
      if (Token.isUnresolved(email)) return;
      v.check(EMAIL_RE.test(email), `alerts.email.${i}`, `is ${describeValue(email)}; use an email address such as "data-platform@example.com"`);
      v.check(!seen.has(`email:${email.toLowerCase()}`), `alerts.email.${i}`, `is ${describeValue(email)}, listed twice; list each address once`);
      seen.add(`email:${email.toLowerCase()}`);
    });
    alerts.https.forEach((url, i) => {
      if (Token.isUnresolved(url)) return;
      v.check(/^https:\/\/[^\s/]+/.test(url), `alerts.https.${i}`, `is ${describeValue(url)}; use an https:// URL (a webhook or a chat integration's endpoint)`);
      v.check(!seen.has(`https:${url}`), `alerts.https.${i}`, `is ${describeValue(url)}, listed twice; list each endpoint once`);
      seen.add(`https:${url}`);
    });
    v.throwIfAny();

    this.topic = new SnsTopic(this, 'topic', {
      name: stack.resourceName('observability', 'alerts', { maxLength: SNS_TOPIC_NAME_LIMIT }),
      displayName: `${stack.env.project} ${stack.env.name} alerts`,
      kmsMasterKeyId: key.arn,
    });
    // Before reading any attribute: a reference names the address it was read with.
    this.topic.overrideLogicalId(ALERT_TOPIC_ADDRESS);
    this.arn = this.topic.arn;
    this.name = this.topic.name;

    const thisAccount = [{ test: 'StringEquals', variable: 'aws:SourceAccount', values: [stack.env.account] }];
    const policy = new DataAwsIamPolicyDocument(this, 'policy-document', {
      statement: [
        {
          sid: 'AdministerFromThisAccount',
          effect: 'Allow',
          principals: [{ type: 'AWS', identifiers: [stack.accountRootArn] }],
          actions: [...ALERT_TOPIC_ADMIN_ACTIONS],
          resources: [this.arn],
        },
        ...ALERT_PUBLISHERS.map((service) => ({
          sid: `PublishFrom${service.split('.')[0].replace(/^./, (c) => c.toUpperCase())}`,
          effect: 'Allow',
          principals: [{ type: 'Service', identifiers: [service] }],
          actions: ['SNS:Publish'],
          resources: [this.arn],
          condition: thisAccount,
        })),
      ],
    });
    new SnsTopicPolicy(this, 'policy', { arn: this.arn, policy: policy.json });

    for (const email of alerts.email) {
      new SnsTopicSubscription(this, subscriptionId('email', email.toLowerCase()), { topicArn: this.arn, protocol: 'email', endpoint: email });
    }
    for (const url of alerts.https) {
      new SnsTopicSubscription(this, subscriptionId('https', url), {
        topicArn: this.arn,
        protocol: 'https',
        endpoint: url,
        // The endpoint confirms by visiting the SubscribeURL it receives; Terraform must not assume it did.
        endpointAutoConfirms: false,
      });
    }
  }
}
