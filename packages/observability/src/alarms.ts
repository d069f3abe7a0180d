import { Fn, Token } from 'cdktf';
import { Construct } from 'constructs';
import { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import { ObservabilityConfig, PlatformStack, Validator, describeValue } from '@data-platform/core';
import { WatchedKind, WatchedResources, checkWatched } from './watched';

/** Longest alarm name CloudWatch accepts. */
export const ALARM_NAME_LIMIT = 255;

/** Seconds per datapoint of every alarm except the hourly Athena one: one minute. */
export const ALARM_PERIOD_SECONDS = 60;

/** Seconds per datapoint of the Athena bytes-scanned alarm: one hour. */
export const ATHENA_ALARM_PERIOD_SECONDS = 3600;

/** Defaults of the thresholds {@link PlatformAlarms} takes beyond the environment's `alarms`. */
export const PLATFORM_ALARM_DEFAULTS = {
  /** p99 model latency of a SageMaker endpoint variant that raises an alarm: one second. */
  endpointLatencyP99Millis: 1000,
  /**
   * Bytes an Athena workgroup may scan in one hour before an alarm: 100 GiB, about 0.50 USD at
   * 5 USD per TB scanned; more than the platform's scheduled queries scan, so a burst of ad hoc
   * full scans is seen within the hour rather than on the bill.
   */
  athenaBytesPerHour: 100 * 1024 ** 3,
} as const;

/**
 * The metric each alarm watches, by label (the last part of its name). The label starts with the
 * service so a key shared across kinds (a stream and a delivery stream both called `orders`) still
 * gives distinct names.
 */
export type AlarmMetric =
  | 'kinesis-iterator-age'
  | 'kinesis-write-throttles'
  | 'firehose-freshness'
  | 'firehose-failed-conversions'
  | 'lambda-errors'
  | 'lambda-throttles'
  | 'dlq-messages'
  | 'dms-cdc-latency'
  | 'endpoint-5xx-errors'
  | 'endpoint-latency-p99'
  | 'athena-scanned-bytes';

/**
 * What each alarm does when its metric reports nothing.
 *
 * - Error and throttle counts, DLQ depth and endpoint metrics: `notBreaching`. These services
 *   publish nothing when nothing happens, and no errors is the healthy case.
 * - Firehose freshness: `notBreaching`. Firehose reports freshness only while it has records to
 *   deliver, so an idle stream has no data, which is not stale data. A consumer that stopped is
 *   caught by the Kinesis iterator-age alarm instead.
 * - Kinesis iterator age: `breaching`. Every stream has a consumer (its Firehose) that polls all
 *   the time, even when the stream is idle, so no data means nothing is reading the stream.
 * - DMS CDC latency: `breaching`. A running task reports latency every minute, even when nothing
 *   changes. No data means the task is stopped or failed, and so nothing is replicated. That
 *   includes a task that was created but never started (the platform does not start tasks), which
 *   is reported until someone starts it.
 * - Athena scanned bytes: `notBreaching`, since no queries means nothing was scanned.
 */
export const TREAT_MISSING_DATA: { readonly [M in AlarmMetric]: 'breaching' | 'notBreaching' } = {
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
};

/** One alarm of {@link PlatformAlarms}, with the watched item it belongs to. */
export interface WatchedAlarm {
  /** The kind of the watched item. */
  readonly kind: WatchedKind;
  /** The watched item's key. */
  readonly key: string;
  /** The metric the alarm watches. */
  readonly metric: AlarmMetric;
  /** The alarm. */
  readonly alarm: CloudwatchMetricAlarm;
}

/** Props of {@link PlatformAlarms}. */
export interface PlatformAlarmsProps {
  /** ARN of the alert topic: every alarm notifies it on entering ALARM and on returning to OK. */
  readonly topicArn: string;
  /** What to watch. */
  readonly watched: WatchedResources;
  /** The environment's thresholds (`observability.alarms`). */
  readonly thresholds: ObservabilityConfig['alarms'];
  /**
   * p99 model latency of a SageMaker endpoint variant, in milliseconds, above which an alarm fires.
   * @default 1000 (PLATFORM_ALARM_DEFAULTS.endpointLatencyP99Millis)
   */
  readonly endpointLatencyP99Millis?: number;
  /**
   * Bytes an Athena workgroup may scan in one hour before an alarm fires.
   * @default 107374182400, 100 GiB (PLATFORM_ALARM_DEFAULTS.athenaBytesPerHour)
   */
  readonly athenaBytesPerHour?: number;
}

/** Which metric, statistic, dimensions and threshold one alarm uses. */
interface AlarmSpec {
  readonly metric: AlarmMetric;
  readonly namespace: string;
  readonly metricName: string;
  readonly statistic?: 'Maximum' | 'Sum';
  readonly extendedStatistic?: string;
  readonly dimensions: Record<string, string>;
  readonly threshold: number;
  readonly period: number;
  readonly evaluationPeriods: number;
  readonly description: string;
}

/**
 * The DMS task resource id (the `ReplicationTaskIdentifier` dimension): the last part of the task's
 * ARN, computed by Terraform when the ARN is a reference.
 */
export function dmsTaskResourceId(taskArn: string): string {
  if (Token.isUnresolved(taskArn)) return Fn.element(Fn.split(':', taskArn), 6);
  return taskArn.split(':')[6] ?? taskArn;
}

/**
 * The CloudWatch alarms of everything an environment watches, each notifying the alert topic
 * when it enters ALARM and again when it returns to OK.
 *
 * - Kinesis stream: `GetRecords.IteratorAgeMilliseconds` max above `kinesisIteratorAgeSeconds`;
 *   `WriteProvisionedThroughputExceeded` sum above 0 (producers are throttled).
 * - Firehose: `DeliveryToS3.DataFreshness` max above `firehoseFreshnessSeconds`; with Parquet
 *   conversion, `FailedConversion.Records` sum above 0.
 * - Lambda: `Errors` and `Throttles` sums above 0.
 * - SQS dead-letter queue: `ApproximateNumberOfMessagesVisible` max above 0.
 * - DMS task: `CDCLatencySource` max above `dmsCdcLatencySeconds`.
 * - SageMaker endpoint variant: `Invocation5XXErrors` sum above 0; `ModelLatency` p99 above
 *   `endpointLatencyP99Millis`.
 * - Athena workgroup: `ProcessedBytes` sum over an hour above `athenaBytesPerHour` (one hourly
 *   datapoint).
 *
 * Every alarm but Athena's uses one-minute datapoints and fires when all of the last
 * `evaluationMinutes` breach. What it does with missing data is {@link TREAT_MISSING_DATA}.
 * Glue jobs and queues that are not dead-letter queues get no alarm: job failures are alerted by
 * event rules. Names are `<project>-<env>-observability-<key>-<metric>`. Terraform addresses are
 * `aws_cloudwatch_metric_alarm.alarm_<key>_<metric>` (dashes as underscores).
 */
export class PlatformAlarms extends Construct {
  /** Every alarm, with the kind and key of the watched item it belongs to, in creation order. */
  readonly alarms: readonly WatchedAlarm[];

  constructor(scope: Construct, id: string, props: PlatformAlarmsProps) {
    super(scope, id);
    const v = new Validator(`PlatformAlarms ${this.node.path}`);
    v.check(Token.isUnresolved(props.topicArn) || (typeof props.topicArn === 'string' && props.topicArn.length > 0), 'topicArn', `is ${describeValue(props.topicArn)}; use the alert topic's ARN`);
    checkWatched(v, props.watched);
    const t = props.thresholds;
    const positive = (value: unknown, path: string, unit: string) => {
      if (Token.isUnresolved(value)) return;
      v.check(typeof value === 'number' && Number.isFinite(value) && value > 0, path, `is ${describeValue(value)}; use a number of ${unit} above 0`);
    };
    positive(t.kinesisIteratorAgeSeconds, 'thresholds.kinesisIteratorAgeSeconds', 'seconds');
    positive(t.firehoseFreshnessSeconds, 'thresholds.firehoseFreshnessSeconds', 'seconds');
    positive(t.dmsCdcLatencySeconds, 'thresholds.dmsCdcLatencySeconds', 'seconds');
    if (!Token.isUnresolved(t.evaluationMinutes)) {
      v.check(Number.isInteger(t.evaluationMinutes) && t.evaluationMinutes >= 1 && t.evaluationMinutes <= 60, 'thresholds.evaluationMinutes',
        `is ${describeValue(t.evaluationMinutes)}; use a whole number from 1 to 60`);
    }
    if (props.endpointLatencyP99Millis !== undefined) positive(props.endpointLatencyP99Millis, 'endpointLatencyP99Millis', 'milliseconds');
    if (props.athenaBytesPerHour !== undefined) positive(props.athenaBytesPerHour, 'athenaBytesPerHour', 'bytes');
    v.throwIfAny();

    const stack = PlatformStack.of(this);
    const { watched } = props;
    const minutes = t.evaluationMinutes;
    const perMinute = { period: ALARM_PERIOD_SECONDS, evaluationPeriods: minutes };
    const latencyMillis = props.endpointLatencyP99Millis ?? PLATFORM_ALARM_DEFAULTS.endpointLatencyP99Millis;
    const bytesPerHour = props.athenaBytesPerHour ?? PLATFORM_ALARM_DEFAULTS.athenaBytesPerHour;
    const alarms: WatchedAlarm[] = [];

    const add = (kind: WatchedKind, key: string, spec: AlarmSpec) => {
      const alarm = new CloudwatchMetricAlarm(this, `${key}-${spec.metric}`, {
        alarmName: stack.resourceName('observability', `${key}-${spec.metric}`, { maxLength: ALARM_NAME_LIMIT }),
        alarmDescription: spec.description,
        namespace: spec.namespace,
        metricName: spec.metricName,
        dimensions: spec.dimensions,
        ...(spec.extendedStatistic ? { extendedStatistic: spec.extendedStatistic } : { statistic: spec.statistic }),
        period: spec.period,
        evaluationPeriods: spec.evaluationPeriods,
        datapointsToAlarm: spec.evaluationPeriods,
        comparisonOperator: 'GreaterThanThreshold',
        threshold: spec.threshold,
        treatMissingData: TREAT_MISSING_DATA[spec.metric],
        alarmActions: [props.topicArn],
        okActions: [props.topicArn],
      });
      alarm.overrideLogicalId(`alarm_${key}_${spec.metric}`.replace(/-/g, '_'));
      alarms.push({ kind, key, metric: spec.metric, alarm });
    };

    for (const s of watched.kinesisStreams) {
      const dimensions = { StreamName: s.name };
      add('kinesisStreams', s.key, {
        metric: 'kinesis-iterator-age', namespace: 'AWS/Kinesis', metricName: 'GetRecords.IteratorAgeMilliseconds', statistic: 'Maximum',
        dimensions, threshold: t.kinesisIteratorAgeSeconds * 1000, ...perMinute,
        description: `Kinesis stream ${s.key}: the oldest unread record is older than ${t.kinesisIteratorAgeSeconds} s for ${minutes} min, or nothing reads the stream`,
      });
      add('kinesisStreams', s.key, {
        metric: 'kinesis-write-throttles', namespace: 'AWS/Kinesis', metricName: 'WriteProvisionedThroughputExceeded', statistic: 'Sum',
        dimensions, threshold: 0, ...perMinute,
        description: `Kinesis stream ${s.key}: writes throttled every minute for ${minutes} min`,
      });
    }
    for (const d of watched.deliveryStreams) {
      const dimensions = { DeliveryStreamName: d.name };
      add('deliveryStreams', d.key, {
        metric: 'firehose-freshness', namespace: 'AWS/Firehose', metricName: 'DeliveryToS3.DataFreshness', statistic: 'Maximum',
        dimensions, threshold: t.firehoseFreshnessSeconds, ...perMinute,
        description: `Firehose ${d.key}: the oldest undelivered record is older than ${t.firehoseFreshnessSeconds} s for ${minutes} min`,
      });
      if (d.parquet) {
        add('deliveryStreams', d.key, {
          metric: 'firehose-failed-conversions', namespace: 'AWS/Firehose', metricName: 'FailedConversion.Records', statistic: 'Sum',
          dimensions, threshold: 0, ...perMinute,
          description: `Firehose ${d.key}: records failed Parquet conversion every minute for ${minutes} min (they go to the error prefix)`,
        });
      }
    }
    for (const f of watched.functions) {
      const dimensions = { FunctionName: f.name };
      add('functions', f.key, {
        metric: 'lambda-errors', namespace: 'AWS/Lambda', metricName: 'Errors', statistic: 'Sum',
        dimensions, threshold: 0, ...perMinute,
        description: `Lambda ${f.key}: invocations failed every minute for ${minutes} min`,
      });
      add('functions', f.key, {
        metric: 'lambda-throttles', namespace: 'AWS/Lambda', metricName: 'Throttles', statistic: 'Sum',
        dimensions, threshold: 0, ...perMinute,
        description: `Lambda ${f.key}: invocations throttled every minute for ${minutes} min`,
      });
    }
    for (const q of watched.queues.filter((queue) => queue.deadLetter)) {
      add('queues', q.key, {
        metric: 'dlq-messages', namespace: 'AWS/SQS', metricName: 'ApproximateNumberOfMessagesVisible', statistic: 'Maximum',
        dimensions: { QueueName: q.name }, threshold: 0, ...perMinute,
        description: `Dead-letter queue ${q.key}: holds messages that failed processing`,
      });
    }
    for (const task of watched.replicationTasks) {
      add('replicationTasks', task.key, {
        metric: 'dms-cdc-latency', namespace: 'AWS/DMS', metricName: 'CDCLatencySource', statistic: 'Maximum',
        dimensions: { ReplicationInstanceIdentifier: task.instanceId, ReplicationTaskIdentifier: dmsTaskResourceId(task.taskArn) },
        threshold: t.dmsCdcLatencySeconds, ...perMinute,
        description: `DMS task ${task.key}: changes reach DMS more than ${t.dmsCdcLatencySeconds} s late for ${minutes} min, or the task is not running`,
      });
    }
    for (const e of watched.endpoints) {
      const dimensions = { EndpointName: e.name, VariantName: e.variant };
      add('endpoints', e.key, {
        metric: 'endpoint-5xx-errors', namespace: 'AWS/SageMaker', metricName: 'Invocation5XXErrors', statistic: 'Sum',
        dimensions, threshold: 0, ...perMinute,
        description: `SageMaker endpoint ${e.key}: the model returned 5XX errors every minute for ${minutes} min`,
      });
      add('endpoints', e.key, {
        // ModelLatency is reported in microseconds.
        metric: 'endpoint-latency-p99', namespace: 'AWS/SageMaker', metricName: 'ModelLatency', extendedStatistic: 'p99',
        dimensions, threshold: latencyMillis * 1000, ...perMinute,
        description: `SageMaker endpoint ${e.key}: p99 model latency above ${latencyMillis} ms for ${minutes} min`,
      });
    }
    for (const w of watched.athenaWorkgroups) {
      add('athenaWorkgroups', w.key, {
        metric: 'athena-scanned-bytes', namespace: 'AWS/Athena', metricName: 'ProcessedBytes', statistic: 'Sum',
        dimensions: { WorkGroup: w.name }, threshold: bytesPerHour, period: ATHENA_ALARM_PERIOD_SECONDS, evaluationPeriods: 1,
        description: `Athena workgroup ${w.key}: queries scanned more than ${bytesPerHour} bytes in an hour`,
      });
    }
    this.alarms = alarms;
  }

  /** The alarms of the watched item `key` of `kind`; empty when it has none. */
  alarmsFor(kind: WatchedKind, key: string): CloudwatchMetricAlarm[] {
    return this.alarms.filter((a) => a.kind === kind && a.key === key).map((a) => a.alarm);
  }
}
