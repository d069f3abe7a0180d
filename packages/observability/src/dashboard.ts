import { Token } from 'cdktf';
import { Construct } from 'constructs';
import { CloudwatchDashboard } from '@cdktf/provider-aws/lib/cloudwatch-dashboard';
import { PlatformStack, Validator, physicalName } from '@data-platform/core';
import { PlatformAlarms, dmsTaskResourceId } from './alarms';
import { WatchedResources, checkWatched } from './watched';

/** Longest dashboard name CloudWatch accepts. */
export const DASHBOARD_NAME_LIMIT = 255;

/**
 * Layout of the dashboard on CloudWatch's 24-column grid: graphs three to a row, a title line above
 * each layer, and at most 100 alarms per alarm status widget (CloudWatch's limit).
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/CloudWatch-Dashboard-Body-Structure.html
 */
export const DASHBOARD_LAYOUT = {
  columns: 24,
  graphWidth: 8,
  graphHeight: 6,
  headerHeight: 2,
  titleHeight: 1,
  alarmHeight: 6,
  alarmsPerWidget: 100,
  /** Seconds per datapoint of the graphs. */
  period: 300,
} as const;

/** Props of {@link PlatformDashboard}. */
export interface PlatformDashboardProps {
  /** What to show. */
  readonly watched: WatchedResources;
  /** The alarms whose status the dashboard shows. */
  readonly alarms: PlatformAlarms;
}

/** One widget of a dashboard body. */
export interface DashboardWidget {
  readonly type: 'text' | 'metric' | 'alarm';
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  readonly properties: Record<string, unknown>;
}

/** One line of a metric widget: namespace, metric name, dimension name/value pairs, then options. */
type MetricLine = (string | Record<string, unknown>)[];

/** A graph of one or more metrics. */
interface Graph {
  readonly title: string;
  readonly metrics: MetricLine[];
  readonly stat: string;
}

/** Renders a byte count for people: `10 GiB`, `512 MiB`. */
function bytes(n: number): string {
  const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = n;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${Number.isInteger(value) ? value : value.toFixed(1)} ${units[unit]}`;
}

/**
 * The environment's CloudWatch dashboard, `<project>-<env>`: a header, then one section per layer
 * with graphs of what is watched, then the status of every alarm.
 *
 * - Ingestion: Kinesis incoming records and iterator age; Firehose freshness and bytes delivered
 *   to S3; Lambda invocations and errors; dead-letter queue depth; DMS CDC source latency.
 * - Processing: Glue completed and failed tasks per job (job metrics, `Glue` namespace, all runs);
 *   Athena bytes scanned per workgroup, with each workgroup's per-query scan cutoff in a text
 *   widget.
 * - Machine learning: SageMaker invocations, 5XX errors and p99 model latency.
 * - Alarms: the status of every alarm of `alarms`, at most 100 per widget.
 *
 * A graph or section whose kind watches nothing is left out. Names that are Terraform references
 * are written into the JSON as interpolations, which Terraform fills in at plan time.
 */
export class PlatformDashboard extends Construct {
  /** The dashboard. */
  readonly dashboard: CloudwatchDashboard;
  /** The widgets of the dashboard body, in order. */
  readonly widgets: readonly DashboardWidget[];

  constructor(scope: Construct, id: string, props: PlatformDashboardProps) {
    super(scope, id);
    const v = new Validator(`PlatformDashboard ${this.node.path}`);
    checkWatched(v, props.watched);
    v.throwIfAny();

    const stack = PlatformStack.of(this);
    const { env } = stack;
    const { watched } = props;
    const L = DASHBOARD_LAYOUT;
    const widgets: DashboardWidget[] = [];
    let y = 0;

    const text = (markdown: string, height: number, width: number = L.columns, x = 0) => {
      widgets.push({ type: 'text', x, y, width, height, properties: { markdown } });
    };
    const section = (title: string, graphs: Graph[], notes?: string) => {
      if (graphs.length === 0) return;
      text(`## ${title}`, L.titleHeight);
      y += L.titleHeight;
      const cells = [...graphs.map((g) => ({ graph: g })), ...(notes ? [{ notes }] : [])];
      cells.forEach((cell, i) => {
        const x = (i % (L.columns / L.graphWidth)) * L.graphWidth;
        if (i > 0 && x === 0) y += L.graphHeight;
        if ('notes' in cell) {
          text(cell.notes as string, L.graphHeight, L.graphWidth, x);
          return;
        }
        const { graph } = cell;
        widgets.push({
          type: 'metric', x, y, width: L.graphWidth, height: L.graphHeight,
          properties: {
            title: graph.title, region: env.region, view: 'timeSeries', stacked: false,
            stat: graph.stat, period: L.period, metrics: graph.metrics,
          },
        });
      });
      y += L.graphHeight;
    };
    const lines = <T extends { key: string }>(items: readonly T[], metric: (item: T) => string[], label = (item: T) => item.key): MetricLine[] =>
      items.map((item) => [...metric(item), { label: label(item) }]);

    text(
      `# ${env.project}-${env.name}\nData platform of environment **${env.name}** (account ${env.account}, ${env.region}): ingestion, processing and alarm status. Alerts go to the environment's alert topic.`,
      L.headerHeight,
    );
    y += L.headerHeight;

    const dlqs = watched.queues.filter((q) => q.deadLetter);
    section('Ingestion', [
      ...(watched.kinesisStreams.length ? [
        { title: 'Kinesis incoming records', stat: 'Sum', metrics: lines(watched.kinesisStreams, (s) => ['AWS/Kinesis', 'IncomingRecords', 'StreamName', s.name]) },
        { title: 'Kinesis iterator age (ms)', stat: 'Maximum', metrics: lines(watched.kinesisStreams, (s) => ['AWS/Kinesis', 'GetRecords.IteratorAgeMilliseconds', 'StreamName', s.name]) },
      ] : []),
      ...(watched.deliveryStreams.length ? [
        { title: 'Firehose freshness (s)', stat: 'Maximum', metrics: lines(watched.deliveryStreams, (d) => ['AWS/Firehose', 'DeliveryToS3.DataFreshness', 'DeliveryStreamName', d.name]) },
        { title: 'Firehose bytes delivered to S3', stat: 'Sum', metrics: lines(watched.deliveryStreams, (d) => ['AWS/Firehose', 'DeliveryToS3.Bytes', 'DeliveryStreamName', d.name]) },
      ] : []),
      ...(watched.functions.length ? [{
        title: 'Lambda invocations and errors', stat: 'Sum',
        metrics: [
          ...lines(watched.functions, (f) => ['AWS/Lambda', 'Invocations', 'FunctionName', f.name], (f) => `${f.key} invocations`),
          ...lines(watched.functions, (f) => ['AWS/Lambda', 'Errors', 'FunctionName', f.name], (f) => `${f.key} errors`),
        ],
      }] : []),
      ...(dlqs.length ? [{ title: 'Dead-letter queue depth', stat: 'Maximum', metrics: lines(dlqs, (q) => ['AWS/SQS', 'ApproximateNumberOfMessagesVisible', 'QueueName', q.name]) }] : []),
      ...(watched.replicationTasks.length ? [{
        title: 'DMS CDC source latency (s)', stat: 'Maximum',
        metrics: lines(watched.replicationTasks, (task) => [
          'AWS/DMS', 'CDCLatencySource', 'ReplicationInstanceIdentifier', task.instanceId, 'ReplicationTaskIdentifier', dmsTaskResourceId(task.taskArn),
        ]),
      }] : []),
    ]);

    const cutoffs = watched.athenaWorkgroups.map((w) => {
      const cutoff = w.bytesScannedCutoff;
      if (cutoff === undefined) return `- ${w.key}: not set`;
      return `- ${w.key}: ${Token.isUnresolved(cutoff) ? `${Token.asString(cutoff)} bytes` : bytes(cutoff)}`;
    });
    section('Processing', [
      ...(watched.glueJobs.length ? [
        {
          title: 'Glue completed tasks', stat: 'Sum',
          metrics: lines(watched.glueJobs, (j) => ['Glue', 'glue.driver.aggregate.numCompletedTasks', 'JobName', j.name, 'JobRunId', 'ALL', 'Type', 'count']),
        },
        {
          title: 'Glue failed tasks', stat: 'Sum',
          metrics: lines(watched.glueJobs, (j) => ['Glue', 'glue.driver.aggregate.numFailedTasks', 'JobName', j.name, 'JobRunId', 'ALL', 'Type', 'count']),
        },
      ] : []),
      ...(watched.athenaWorkgroups.length ? [{
        title: 'Athena bytes scanned', stat: 'Sum', metrics: lines(watched.athenaWorkgroups, (w) => ['AWS/Athena', 'ProcessedBytes', 'WorkGroup', w.name]),
      }] : []),
    ], watched.athenaWorkgroups.length ? `### Athena scan cutoff per query\nA query that would scan more is cancelled.\n\n${cutoffs.join('\n')}` : undefined);

    section('Machine learning', watched.endpoints.length ? [
      { title: 'SageMaker invocations', stat: 'Sum', metrics: lines(watched.endpoints, (e) => ['AWS/SageMaker', 'Invocations', 'EndpointName', e.name, 'VariantName', e.variant]) },
      { title: 'SageMaker 5XX errors', stat: 'Sum', metrics: lines(watched.endpoints, (e) => ['AWS/SageMaker', 'Invocation5XXErrors', 'EndpointName', e.name, 'VariantName', e.variant]) },
      { title: 'SageMaker model latency p99 (µs)', stat: 'p99', metrics: lines(watched.endpoints, (e) => ['AWS/SageMaker', 'ModelLatency', 'EndpointName', e.name, 'VariantName', e.variant]) },
    ] : []);

    const arns = props.alarms.alarms.map((a) => a.alarm.arn);
    if (arns.length > 0) {
      text('## Alarms', L.titleHeight);
      y += L.titleHeight;
      for (let i = 0; i < arns.length; i += L.alarmsPerWidget) {
        widgets.push({
          type: 'alarm', x: 0, y, width: L.columns, height: L.alarmHeight,
          properties: { title: `Alarm status${arns.length > L.alarmsPerWidget ? ` (${i / L.alarmsPerWidget + 1})` : ''}`, alarms: arns.slice(i, i + L.alarmsPerWidget) },
        });
        y += L.alarmHeight;
      }
    }
    this.widgets = widgets;

    this.dashboard = new CloudwatchDashboard(this, 'dashboard', {
      dashboardName: physicalName({ project: env.project, env: env.name, layer: '', name: '' }, { maxLength: DASHBOARD_NAME_LIMIT }),
      dashboardBody: JSON.stringify({ widgets }),
    });
    this.dashboard.overrideLogicalId('observability_dashboard');
  }
}
