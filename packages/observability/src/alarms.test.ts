import { TerraformVariable } from 'cdktf';
import {
  ALARM_DEFAULTS,
  EnvironmentInput,
  errorOf as errorOfConstruction,
  ObservabilityConfig,
  PlatformStack,
  synthesize,
  synthesizedResource,
  testApp,
  testEnvironment,
} from '@data-platform/core';
import { PolicyPack } from '@data-platform/policy';
import {
  ALARM_PERIOD_SECONDS,
  ATHENA_ALARM_PERIOD_SECONDS,
  PLATFORM_ALARM_DEFAULTS,
  PlatformAlarms,
  PlatformAlarmsProps,
  TREAT_MISSING_DATA,
  dmsTaskResourceId,
} from './alarms';
import { WATCH_NOTHING, WatchedResources } from './watched';

const TOPIC = 'arn:aws:sns:eu-west-1:111111111111:adp-dev-observability-alerts';
const THRESHOLDS: ObservabilityConfig['alarms'] = { ...ALARM_DEFAULTS };
const TASK_ARN = 'arn:aws:dms:eu-west-1:111111111111:task:ABCDEFGHIJKLMNOP';

/** One of every kind, with plain names. */
const WATCHED: WatchedResources = {
  kinesisStreams: [{ key: 'orders', name: 'adp-dev-ingestion-orders' }],
  deliveryStreams: [
    { key: 'orders', name: 'adp-dev-ingestion-orders', parquet: true },
    { key: 'clicks', name: 'adp-dev-ingestion-clicks', parquet: false },
  ],
  functions: [{ key: 'invoices', name: 'adp-dev-ingestion-invoices' }],
  queues: [
    { key: 'invoices-dlq', name: 'adp-dev-ingestion-invoices-dlq', deadLetter: true },
    { key: 'invoices-events', name: 'adp-dev-ingestion-invoices-events', deadLetter: false },
  ],
  replicationTasks: [{ key: 'sales', taskArn: TASK_ARN, instanceId: 'adp-dev-ingestion-sales' }],
  glueJobs: [{ key: 'orders-clean', name: 'adp-dev-processing-orders-clean' }],
  athenaWorkgroups: [{ key: 'analysts', name: 'adp-dev-analysts', bytesScannedCutoff: 10 * 1024 ** 3 }],
  endpoints: [{ key: 'churn', name: 'adp-dev-ml-churn', variant: 'AllTraffic' }],
};

function newStack(env: Partial<EnvironmentInput> = {}, aspects = false): PlatformStack {
  return new PlatformStack(testApp(), 'dev-observability', { env: testEnvironment({ name: 'dev', ...env }), ...(aspects ? { aspects: [new PolicyPack()] } : {}) });
}

function build(props: Partial<PlatformAlarmsProps> = {}) {
  const stack = newStack();
  const alarms = new PlatformAlarms(stack, 'alarms', { topicArn: TOPIC, watched: WATCHED, thresholds: THRESHOLDS, ...props });
  const { tf } = synthesize(stack);
  const alarm = (name: string) => synthesizedResource(tf, 'aws_cloudwatch_metric_alarm', name);
  return { stack, alarms, tf, alarm };
}

/** The error message of constructing PlatformAlarms with `props`. */
function errorOf(props: Partial<PlatformAlarmsProps>): string {
  return errorOfConstruction(() => new PlatformAlarms(newStack(), 'alarms', { topicArn: TOPIC, watched: WATCHED, thresholds: THRESHOLDS, ...props })).message;
}

describe('PlatformAlarms', () => {
  it('lists every alarm with the kind and key of what it watches', () => {
    const { alarms } = build();
    expect(alarms.alarms.map(({ kind, key, metric }) => `${kind}/${key}/${metric}`)).toEqual([
      'kinesisStreams/orders/kinesis-iterator-age',
      'kinesisStreams/orders/kinesis-write-throttles',
      'deliveryStreams/orders/firehose-freshness',
      'deliveryStreams/orders/firehose-failed-conversions',
      'deliveryStreams/clicks/firehose-freshness',
      'functions/invoices/lambda-errors',
      'functions/invoices/lambda-throttles',
      'queues/invoices-dlq/dlq-messages',
      'replicationTasks/sales/dms-cdc-latency',
      'endpoints/churn/endpoint-5xx-errors',
      'endpoints/churn/endpoint-latency-p99',
      'athenaWorkgroups/analysts/athena-scanned-bytes',
    ]);
  });

  it('pins addresses and names alarms <project>-<env>-observability-<key>-<metric>', () => {
    const { tf } = build();
    const all = tf.resource?.aws_cloudwatch_metric_alarm ?? {};
    expect(Object.keys(all)).toHaveLength(12);
    expect(all.alarm_orders_kinesis_iterator_age.alarm_name).toBe('adp-dev-observability-orders-kinesis-iterator-age');
    expect(all.alarm_invoices_dlq_dlq_messages.alarm_name).toBe('adp-dev-observability-invoices-dlq-dlq-messages');
    expect(all.alarm_analysts_athena_scanned_bytes.alarm_name).toBe('adp-dev-observability-analysts-athena-scanned-bytes');
  });

  it('notifies the topic on alarm and on return to OK, and nothing on insufficient data', () => {
    const { tf } = build();
    for (const alarm of Object.values(tf.resource?.aws_cloudwatch_metric_alarm ?? {})) {
      expect(alarm.alarm_actions).toEqual([TOPIC]);
      expect(alarm.ok_actions).toEqual([TOPIC]);
      expect(alarm.insufficient_data_actions).toBeUndefined();
      expect(alarm.comparison_operator).toBe('GreaterThanThreshold');
    }
  });

  it('uses one-minute datapoints and fires after evaluationMinutes breaching minutes', () => {
    expect(ALARM_PERIOD_SECONDS).toBe(60);
    const { alarm } = build({ thresholds: { ...THRESHOLDS, evaluationMinutes: 3 } });
    expect(alarm('alarm_invoices_lambda_errors')).toMatchObject({ period: 60, evaluation_periods: 3, datapoints_to_alarm: 3 });
    expect(alarm('alarm_orders_kinesis_iterator_age')).toMatchObject({ period: 60, evaluation_periods: 3, datapoints_to_alarm: 3 });
  });

  it('treats missing data as breaching for Kinesis iterator age and DMS latency, as not breaching otherwise', () => {
    expect(TREAT_MISSING_DATA).toEqual({
      'kinesis-iterator-age': 'breaching',
      'kinesis-write-throttles': 'notBreaching',
      'firehose-freshness': 'notBreaching',
      'firehose-failed-conversions': 'notBreaching',
      'lambda-errors': 'notBreaching',
      'lambda-throttles': 'notBreaching',
      'dlq-messages': 'notBreaching',
      'dms-cdc-latency': 'breaching',
      'endpoint-5xx-errors': 'notBreaching',
      'endpoint-latency-p99': 'notBreaching',
      'athena-scanned-bytes': 'notBreaching',
    });
    const { alarms, tf } = build();
    for (const { metric, alarm } of alarms.alarms) {
      const synthesized = Object.values(tf.resource?.aws_cloudwatch_metric_alarm ?? {}).find((a) => a.alarm_name === `adp-dev-observability-${alarm.node.id}`);
      expect(synthesized?.treat_missing_data).toBe(TREAT_MISSING_DATA[metric]);
    }
  });

  it('alarms on Kinesis iterator age above kinesisIteratorAgeSeconds (in ms) and on any write throttling', () => {
    const { alarm } = build({ thresholds: { ...THRESHOLDS, kinesisIteratorAgeSeconds: 120 } });
    expect(alarm('alarm_orders_kinesis_iterator_age')).toMatchObject({
      namespace: 'AWS/Kinesis', metric_name: 'GetRecords.IteratorAgeMilliseconds', statistic: 'Maximum', threshold: 120000,
      dimensions: { StreamName: 'adp-dev-ingestion-orders' },
    });
    expect(alarm('alarm_orders_kinesis_write_throttles')).toMatchObject({
      namespace: 'AWS/Kinesis', metric_name: 'WriteProvisionedThroughputExceeded', statistic: 'Sum', threshold: 0,
      dimensions: { StreamName: 'adp-dev-ingestion-orders' },
    });
  });

  it('uses the environment defaults (ALARM_DEFAULTS) as given', () => {
    const { alarm } = build();
    expect(alarm('alarm_orders_kinesis_iterator_age').threshold).toBe(ALARM_DEFAULTS.kinesisIteratorAgeSeconds * 1000);
    expect(alarm('alarm_orders_firehose_freshness').threshold).toBe(ALARM_DEFAULTS.firehoseFreshnessSeconds);
    expect(alarm('alarm_sales_dms_cdc_latency').threshold).toBe(ALARM_DEFAULTS.dmsCdcLatencySeconds);
    expect(alarm('alarm_sales_dms_cdc_latency').evaluation_periods).toBe(ALARM_DEFAULTS.evaluationMinutes);
  });

  it('alarms on Firehose freshness, and on failed conversions only for Parquet streams', () => {
    const { alarm, tf } = build({ thresholds: { ...THRESHOLDS, firehoseFreshnessSeconds: 300 } });
    expect(alarm('alarm_orders_firehose_freshness')).toMatchObject({
      namespace: 'AWS/Firehose', metric_name: 'DeliveryToS3.DataFreshness', statistic: 'Maximum', threshold: 300,
      dimensions: { DeliveryStreamName: 'adp-dev-ingestion-orders' },
    });
    expect(alarm('alarm_orders_firehose_failed_conversions')).toMatchObject({
      namespace: 'AWS/Firehose', metric_name: 'FailedConversion.Records', statistic: 'Sum', threshold: 0,
    });
    expect(tf.resource?.aws_cloudwatch_metric_alarm.alarm_clicks_firehose_failed_conversions).toBeUndefined();
  });

  it('alarms on any Lambda error or throttle', () => {
    const { alarm } = build();
    expect(alarm('alarm_invoices_lambda_errors')).toMatchObject({ namespace: 'AWS/Lambda', metric_name: 'Errors', statistic: 'Sum', threshold: 0, dimensions: { FunctionName: 'adp-dev-ingestion-invoices' } });
    expect(alarm('alarm_invoices_lambda_throttles')).toMatchObject({ namespace: 'AWS/Lambda', metric_name: 'Throttles', statistic: 'Sum', threshold: 0 });
  });

  it('alarms on any message in a dead-letter queue and not on other queues', () => {
    const { alarm, alarms } = build();
    expect(alarm('alarm_invoices_dlq_dlq_messages')).toMatchObject({
      namespace: 'AWS/SQS', metric_name: 'ApproximateNumberOfMessagesVisible', statistic: 'Maximum', threshold: 0,
      dimensions: { QueueName: 'adp-dev-ingestion-invoices-dlq' },
    });
    expect(alarms.alarmsFor('queues', 'invoices-events')).toEqual([]);
  });

  it('alarms on DMS CDC source latency with the instance identifier and the task resource id from the ARN', () => {
    const { alarm } = build({ thresholds: { ...THRESHOLDS, dmsCdcLatencySeconds: 900 } });
    expect(alarm('alarm_sales_dms_cdc_latency')).toMatchObject({
      namespace: 'AWS/DMS', metric_name: 'CDCLatencySource', statistic: 'Maximum', threshold: 900,
      dimensions: { ReplicationInstanceIdentifier: 'adp-dev-ingestion-sales', ReplicationTaskIdentifier: 'ABCDEFGHIJKLMNOP' },
    });
  });

  it('lets Terraform take the task resource id from a referenced ARN', () => {
    const stack = newStack();
    const arn = new TerraformVariable(stack, 'task_arn', { type: 'string' }).stringValue;
    new PlatformAlarms(stack, 'alarms', { topicArn: TOPIC, watched: { ...WATCH_NOTHING, replicationTasks: [{ key: 'sales', taskArn: arn, instanceId: 'i' }] }, thresholds: THRESHOLDS });
    const { tf } = synthesize(stack);
    expect(synthesizedResource(tf, 'aws_cloudwatch_metric_alarm', 'alarm_sales_dms_cdc_latency').dimensions).toEqual({
      ReplicationInstanceIdentifier: 'i', ReplicationTaskIdentifier: '${element(split(":", var.task_arn), 6)}',
    });
    expect(dmsTaskResourceId(TASK_ARN)).toBe('ABCDEFGHIJKLMNOP');
  });

  it('alarms on SageMaker 5XX errors and on p99 model latency above PLATFORM_ALARM_DEFAULTS.endpointLatencyP99Millis (1000 ms, in µs)', () => {
    expect(PLATFORM_ALARM_DEFAULTS.endpointLatencyP99Millis).toBe(1000);
    const { alarm } = build();
    const dimensions = { EndpointName: 'adp-dev-ml-churn', VariantName: 'AllTraffic' };
    expect(alarm('alarm_churn_endpoint_5xx_errors')).toMatchObject({ namespace: 'AWS/SageMaker', metric_name: 'Invocation5XXErrors', statistic: 'Sum', threshold: 0, dimensions });
    const latency = alarm('alarm_churn_endpoint_latency_p99');
    expect(latency).toMatchObject({ namespace: 'AWS/SageMaker', metric_name: 'ModelLatency', extended_statistic: 'p99', threshold: 1_000_000, dimensions });
    expect(latency.statistic).toBeUndefined();
  });

  it('uses the endpoint latency it is given', () => {
    const { alarm } = build({ endpointLatencyP99Millis: 250 });
    expect(alarm('alarm_churn_endpoint_latency_p99').threshold).toBe(250_000);
  });

  it('alarms on Athena bytes scanned per hour above PLATFORM_ALARM_DEFAULTS.athenaBytesPerHour (100 GiB)', () => {
    expect(PLATFORM_ALARM_DEFAULTS.athenaBytesPerHour).toBe(107374182400);
    expect(ATHENA_ALARM_PERIOD_SECONDS).toBe(3600);
    const { alarm } = build();
    expect(alarm('alarm_analysts_athena_scanned_bytes')).toMatchObject({
      namespace: 'AWS/Athena', metric_name: 'ProcessedBytes', statistic: 'Sum', threshold: 107374182400,
      period: 3600, evaluation_periods: 1, datapoints_to_alarm: 1, dimensions: { WorkGroup: 'adp-dev-analysts' },
    });
  });

  it('uses the Athena hourly limit it is given', () => {
    const { alarm } = build({ athenaBytesPerHour: 1024 });
    expect(alarm('alarm_analysts_athena_scanned_bytes').threshold).toBe(1024);
  });

  it('gives Glue jobs no alarm (event rules alert on their failures)', () => {
    const { alarms } = build();
    expect(alarms.alarmsFor('glueJobs', 'orders-clean')).toEqual([]);
  });

  it('finds the alarms of one watched item', () => {
    const { alarms } = build();
    expect(alarms.alarmsFor('deliveryStreams', 'orders').map((a) => a.node.id)).toEqual(['orders-firehose-freshness', 'orders-firehose-failed-conversions']);
    expect(alarms.alarmsFor('kinesisStreams', 'missing')).toEqual([]);
  });

  it('shortens names over 255 characters with a stable hash', () => {
    const key = 'k'.repeat(250);
    const { tf } = build({ watched: { ...WATCH_NOTHING, functions: [{ key, name: 'f' }] } });
    const name = tf.resource?.aws_cloudwatch_metric_alarm[`alarm_${key}_lambda_errors`].alarm_name as string;
    expect(name).toHaveLength(255);
    expect(name).toMatch(/^adp-dev-observability-k+-[0-9a-f]{8}$/);
  });

  it('creates nothing when nothing is watched', () => {
    const { alarms, tf } = build({ watched: WATCH_NOTHING });
    expect(alarms.alarms).toEqual([]);
    expect(tf.resource?.aws_cloudwatch_metric_alarm).toBeUndefined();
  });

  it('rejects a missing topic', () => {
    expect(errorOf({ topicArn: '' })).toBe('PlatformAlarms dev-observability/alarms: topicArn is ""; use the alert topic\'s ARN');
  });

  it('rejects thresholds at or below 0 and evaluation minutes outside 1 to 60', () => {
    expect(errorOf({ thresholds: { kinesisIteratorAgeSeconds: 0, firehoseFreshnessSeconds: -1, dmsCdcLatencySeconds: 0, evaluationMinutes: 61 } })).toBe([
      'PlatformAlarms dev-observability/alarms: thresholds.kinesisIteratorAgeSeconds is 0; use a number of seconds above 0',
      'PlatformAlarms dev-observability/alarms: thresholds.firehoseFreshnessSeconds is -1; use a number of seconds above 0',
      'PlatformAlarms dev-observability/alarms: thresholds.dmsCdcLatencySeconds is 0; use a number of seconds above 0',
      'PlatformAlarms dev-observability/alarms: thresholds.evaluationMinutes is 61; use a whole number from 1 to 60',
    ].join('\n'));
  });

  it('rejects an endpoint latency or Athena limit at or below 0', () => {
    expect(errorOf({ endpointLatencyP99Millis: 0, athenaBytesPerHour: -5 })).toBe([
      'PlatformAlarms dev-observability/alarms: endpointLatencyP99Millis is 0; use a number of milliseconds above 0',
      'PlatformAlarms dev-observability/alarms: athenaBytesPerHour is -5; use a number of bytes above 0',
    ].join('\n'));
  });

  it('rejects watched items with bad keys before creating anything', () => {
    expect(errorOf({ watched: { ...WATCH_NOTHING, functions: [{ key: 'Bad Key', name: 'f' }] } })).toBe(
      'PlatformAlarms dev-observability/alarms: watched.functions[0].key is "Bad Key"; use a stable plain name of lowercase letters, digits and dashes, such as the dataset\'s config key "orders"',
    );
  });

  it('passes the policy pack', () => {
    const stack = newStack({}, true);
    new PlatformAlarms(stack, 'alarms', { topicArn: TOPIC, watched: WATCHED, thresholds: THRESHOLDS });
    expect(() => synthesize(stack)).not.toThrow();
  });
});
