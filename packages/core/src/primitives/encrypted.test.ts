import { TerraformOutput } from 'cdktf';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { SqsQueue } from '@cdktf/provider-aws/lib/sqs-queue';
import { EnvironmentInput } from '../config/schema';
import { NAME_LIMITS } from '../naming';
import { PlatformStack } from '../platform-stack';
import { synthesize, synthesizedResource, testApp, testEnvironment } from '../testing';
import { EncryptedLogGroup, EncryptedQueue, KeyRef, LOG_RETENTION_DAYS, QUEUE_RETENTION_SECONDS } from './encrypted';

const KEY: KeyRef = { arn: 'arn:aws:kms:eu-west-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab' };

function stack(overrides: Partial<EnvironmentInput> = {}): PlatformStack {
  return new PlatformStack(testApp(), 'test-processing', { env: testEnvironment(overrides) });
}

describe('documented defaults', () => {
  it('keeps logs 30 days (LOG_RETENTION_DAYS)', () => {
    expect(LOG_RETENTION_DAYS).toBe(30);
  });

  it('keeps queue messages 14 days, the SQS maximum (QUEUE_RETENTION_SECONDS)', () => {
    expect(QUEUE_RETENTION_SECONDS).toBe(1_209_600);
  });
});

describe('EncryptedLogGroup', () => {
  it('encrypts with the key it is given, under the name it is given', () => {
    const s = stack();
    new EncryptedLogGroup(s, 'logs', { name: '/aws-glue/jobs/adp-test-processing-orders-clean', key: KEY });
    expect(synthesize(s).json).toHaveResourceWithProperties(CloudwatchLogGroup, {
      name: '/aws-glue/jobs/adp-test-processing-orders-clean',
      kms_key_id: KEY.arn,
    });
  });

  it('keeps logs LOG_RETENTION_DAYS by default, never forever', () => {
    const s = stack();
    new EncryptedLogGroup(s, 'logs', { name: '/aws-glue/jobs/orders', key: KEY });
    expect(synthesize(s).json).toHaveResourceWithProperties(CloudwatchLogGroup, { retention_in_days: LOG_RETENTION_DAYS });
  });

  it('keeps logs retentionDays when given', () => {
    const s = stack();
    new EncryptedLogGroup(s, 'logs', { name: '/aws-glue/jobs/orders', key: KEY, retentionDays: 365 });
    expect(synthesize(s).json).toHaveResourceWithProperties(CloudwatchLogGroup, { retention_in_days: 365 });
  });

  it('exposes the name and ARN of the log group it creates', () => {
    const s = stack();
    const logs = new EncryptedLogGroup(s, 'logs', { name: '/aws-glue/jobs/orders', key: KEY });
    new TerraformOutput(s, 'name', { value: logs.name });
    new TerraformOutput(s, 'arn', { value: logs.arn });
    const { output } = synthesize(s).tf;
    expect(output?.name).toEqual({ value: `\${aws_cloudwatch_log_group.${logs.logGroup.friendlyUniqueId}.name}` });
    expect(output?.arn).toEqual({ value: `\${aws_cloudwatch_log_group.${logs.logGroup.friendlyUniqueId}.arn}` });
  });
});

describe('EncryptedQueue', () => {
  it('encrypts with the key it is given, reusing data keys 5 minutes', () => {
    const s = stack();
    new EncryptedQueue(s, 'dlq', { layer: 'processing', name: 'orders-dlq', key: KEY });
    expect(synthesize(s).json).toHaveResourceWithProperties(SqsQueue, {
      kms_master_key_id: KEY.arn,
      kms_data_key_reuse_period_seconds: 300,
    });
  });

  it('is named <project>-<env>-<layer>-<name>', () => {
    const s = stack({ project: 'shop', name: 'dev' });
    new EncryptedQueue(s, 'events', { layer: 'processing', name: 'raw-orders-crawler-events', key: KEY });
    expect(synthesize(s).json).toHaveResourceWithProperties(SqsQueue, { name: 'shop-dev-processing-raw-orders-crawler-events' });
  });

  it('shortens a name over the SQS limit of 80 characters with a stable hash', () => {
    const s = stack();
    const queue = new EncryptedQueue(s, 'events', { layer: 'processing', name: `orders-${'x'.repeat(90)}-events`, key: KEY });
    const name = synthesizedResource(synthesize(s).tf, 'aws_sqs_queue', queue.queue.friendlyUniqueId).name as string;
    expect(name).toHaveLength(NAME_LIMITS.sqsQueue);
    expect(name).toMatch(/^adp-test-processing-orders-x+-[0-9a-f]{8}$/);
  });

  it('keeps messages QUEUE_RETENTION_SECONDS by default', () => {
    const s = stack();
    new EncryptedQueue(s, 'dlq', { layer: 'processing', name: 'orders-dlq', key: KEY });
    expect(synthesize(s).json).toHaveResourceWithProperties(SqsQueue, { message_retention_seconds: QUEUE_RETENTION_SECONDS });
  });

  it('keeps messages retentionSeconds when given', () => {
    const s = stack();
    new EncryptedQueue(s, 'dlq', { layer: 'processing', name: 'orders-dlq', key: KEY, retentionSeconds: 3600 });
    expect(synthesize(s).json).toHaveResourceWithProperties(SqsQueue, { message_retention_seconds: 3600 });
  });

  it('exposes the ARN, URL and name of the queue it creates', () => {
    const s = stack();
    const dlq = new EncryptedQueue(s, 'dlq', { layer: 'processing', name: 'orders-dlq', key: KEY });
    new TerraformOutput(s, 'arn', { value: dlq.arn });
    new TerraformOutput(s, 'url', { value: dlq.url });
    new TerraformOutput(s, 'name', { value: dlq.name });
    const { output } = synthesize(s).tf;
    expect(output?.arn).toEqual({ value: `\${aws_sqs_queue.${dlq.queue.friendlyUniqueId}.arn}` });
    expect(output?.url).toEqual({ value: `\${aws_sqs_queue.${dlq.queue.friendlyUniqueId}.url}` });
    expect(output?.name).toEqual({ value: `\${aws_sqs_queue.${dlq.queue.friendlyUniqueId}.name}` });
  });

  it('pins the queue to the address it is given, in every reference to it', () => {
    const s = stack();
    const queue = new EncryptedQueue(s, 'events', { layer: 'lake', name: 'raw-orders-events', key: KEY, address: 'lake_raw_orders_events_queue' });
    new TerraformOutput(s, 'arn', { value: queue.arn });
    new TerraformOutput(s, 'url', { value: queue.url });
    const { tf } = synthesize(s);
    expect(Object.keys(tf.resource?.aws_sqs_queue ?? {})).toEqual(['lake_raw_orders_events_queue']);
    expect(tf.output?.arn).toEqual({ value: '${aws_sqs_queue.lake_raw_orders_events_queue.arn}' });
    expect(tf.output?.url).toEqual({ value: '${aws_sqs_queue.lake_raw_orders_events_queue.url}' });
  });
});
