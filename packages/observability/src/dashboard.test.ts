import { TerraformVariable } from 'cdktf';
import { ALARM_DEFAULTS, EnvironmentInput, PlatformStack, synthesize, synthesizedResource, testApp, testEnvironment } from '@data-platform/core';
import { PolicyPack } from '@data-platform/policy';
import { PlatformAlarms } from './alarms';
import { DASHBOARD_LAYOUT, DashboardWidget, PlatformDashboard } from './dashboard';
import { WATCH_NOTHING, WatchedResources } from './watched';

const TOPIC = 'arn:aws:sns:eu-west-1:111111111111:adp-dev-observability-alerts';

const WATCHED: WatchedResources = {
  kinesisStreams: [{ key: 'orders', name: 'adp-dev-ingestion-orders' }],
  deliveryStreams: [{ key: 'orders', name: 'adp-dev-ingestion-orders', parquet: true }],
  functions: [{ key: 'invoices', name: 'adp-dev-ingestion-invoices' }],
  queues: [
    { key: 'invoices-dlq', name: 'adp-dev-ingestion-invoices-dlq', deadLetter: true },
    { key: 'invoices-events', name: 'adp-dev-ingestion-invoices-events', deadLetter: false },
  ],
  replicationTasks: [{ key: 'sales', taskArn: 'arn:aws:dms:eu-west-1:111111111111:task:ABCDEF', instanceId: 'adp-dev-ingestion-sales' }],
  glueJobs: [{ key: 'orders-clean', name: 'adp-dev-processing-orders-clean' }],
  athenaWorkgroups: [{ key: 'analysts', name: 'adp-dev-analysts', bytesScannedCutoff: 10 * 1024 ** 3 }, { key: 'etl', name: 'adp-dev-etl' }],
  endpoints: [],
};

function newStack(env: Partial<EnvironmentInput> = {}, aspects = false): PlatformStack {
  return new PlatformStack(testApp(), 'dev-observability', { env: testEnvironment({ name: 'dev', ...env }), ...(aspects ? { aspects: [new PolicyPack()] } : {}) });
}

function build(watched: WatchedResources = WATCHED, stack = newStack()) {
  const alarms = new PlatformAlarms(stack, 'alarms', { topicArn: TOPIC, watched, thresholds: { ...ALARM_DEFAULTS } });
  const dashboard = new PlatformDashboard(stack, 'dashboard', { watched, alarms });
  const { tf } = synthesize(stack);
  const resource = synthesizedResource(tf, 'aws_cloudwatch_dashboard', 'observability_dashboard');
  const body = JSON.parse(resource.dashboard_body as string) as { widgets: DashboardWidget[] };
  const titled = (title: string) => body.widgets.find((w) => w.properties.title === title);
  return { stack, alarms, dashboard, tf, resource, body, titled };
}

const texts = (widgets: DashboardWidget[]) => widgets.filter((w) => w.type === 'text').map((w) => String(w.properties.markdown).split('\n')[0]);

describe('PlatformDashboard', () => {
  it('names the dashboard <project>-<env> at a pinned address', () => {
    const { resource } = build();
    expect(resource.dashboard_name).toBe('adp-dev');
  });

  it('starts with a header naming the environment, account and region', () => {
    const { body } = build();
    expect(body.widgets[0]).toMatchObject({ type: 'text', x: 0, y: 0, width: 24, height: 2 });
    expect(body.widgets[0].properties.markdown).toBe(
      "# adp-dev\nData platform of environment **dev** (account 111111111111, eu-west-1): ingestion, processing and alarm status. Alerts go to the environment's alert topic.",
    );
  });

  it('has a section per layer, then the alarms, in that order', () => {
    const { body } = build();
    expect(texts(body.widgets)).toEqual(['# adp-dev', '## Ingestion', '## Processing', '### Athena scan cutoff per query', '## Alarms']);
  });

  it('graphs ingestion: Kinesis records and iterator age, Firehose freshness and bytes, Lambda, dead-letter queues and DMS latency', () => {
    const { titled } = build();
    expect(titled('Kinesis incoming records')?.properties).toMatchObject({
      region: 'eu-west-1', stat: 'Sum', period: DASHBOARD_LAYOUT.period,
      metrics: [['AWS/Kinesis', 'IncomingRecords', 'StreamName', 'adp-dev-ingestion-orders', { label: 'orders' }]],
    });
    expect(titled('Kinesis iterator age (ms)')?.properties.metrics).toEqual([['AWS/Kinesis', 'GetRecords.IteratorAgeMilliseconds', 'StreamName', 'adp-dev-ingestion-orders', { label: 'orders' }]]);
    expect(titled('Firehose freshness (s)')?.properties.metrics).toEqual([['AWS/Firehose', 'DeliveryToS3.DataFreshness', 'DeliveryStreamName', 'adp-dev-ingestion-orders', { label: 'orders' }]]);
    expect(titled('Firehose bytes delivered to S3')?.properties.metrics).toEqual([['AWS/Firehose', 'DeliveryToS3.Bytes', 'DeliveryStreamName', 'adp-dev-ingestion-orders', { label: 'orders' }]]);
    expect(titled('Lambda invocations and errors')?.properties.metrics).toEqual([
      ['AWS/Lambda', 'Invocations', 'FunctionName', 'adp-dev-ingestion-invoices', { label: 'invoices invocations' }],
      ['AWS/Lambda', 'Errors', 'FunctionName', 'adp-dev-ingestion-invoices', { label: 'invoices errors' }],
    ]);
    expect(titled('Dead-letter queue depth')?.properties).toMatchObject({
      stat: 'Maximum', metrics: [['AWS/SQS', 'ApproximateNumberOfMessagesVisible', 'QueueName', 'adp-dev-ingestion-invoices-dlq', { label: 'invoices-dlq' }]],
    });
    expect(titled('DMS CDC source latency (s)')?.properties.metrics).toEqual([
      ['AWS/DMS', 'CDCLatencySource', 'ReplicationInstanceIdentifier', 'adp-dev-ingestion-sales', 'ReplicationTaskIdentifier', 'ABCDEF', { label: 'sales' }],
    ]);
  });

  it('graphs processing: Glue completed and failed tasks of all runs, Athena bytes scanned, and notes each scan cutoff', () => {
    const { titled, body } = build();
    expect(titled('Glue completed tasks')?.properties.metrics).toEqual([
      ['Glue', 'glue.driver.aggregate.numCompletedTasks', 'JobName', 'adp-dev-processing-orders-clean', 'JobRunId', 'ALL', 'Type', 'count', { label: 'orders-clean' }],
    ]);
    expect(titled('Glue failed tasks')?.properties.metrics).toEqual([
      ['Glue', 'glue.driver.aggregate.numFailedTasks', 'JobName', 'adp-dev-processing-orders-clean', 'JobRunId', 'ALL', 'Type', 'count', { label: 'orders-clean' }],
    ]);
    expect(titled('Athena bytes scanned')?.properties.metrics).toEqual([
      ['AWS/Athena', 'ProcessedBytes', 'WorkGroup', 'adp-dev-analysts', { label: 'analysts' }],
      ['AWS/Athena', 'ProcessedBytes', 'WorkGroup', 'adp-dev-etl', { label: 'etl' }],
    ]);
    const note = body.widgets.find((w) => String(w.properties.markdown).startsWith('### Athena'));
    expect(note?.properties.markdown).toBe('### Athena scan cutoff per query\nA query that would scan more is cancelled.\n\n- analysts: 10 GiB\n- etl: not set');
  });

  it('shows the status of every alarm', () => {
    const { body, alarms } = build();
    const status = body.widgets.filter((w) => w.type === 'alarm');
    expect(status).toHaveLength(1);
    expect(status[0]).toMatchObject({ x: 0, width: 24, height: DASHBOARD_LAYOUT.alarmHeight, properties: { title: 'Alarm status' } });
    expect(status[0].properties.alarms).toEqual(alarms.alarms.map((a) => `\${aws_cloudwatch_metric_alarm.${a.alarm.friendlyUniqueId}.arn}`));
    expect(status[0].properties.alarms).toHaveLength(alarms.alarms.length);
  });

  it('splits alarm status into widgets of at most 100 alarms', () => {
    expect(DASHBOARD_LAYOUT.alarmsPerWidget).toBe(100);
    const functions = Array.from({ length: 51 }, (_, i) => ({ key: `f${i}`, name: `fn-${i}` }));
    const { body } = build({ ...WATCH_NOTHING, functions });
    const status = body.widgets.filter((w) => w.type === 'alarm');
    expect(status.map((w) => [w.properties.title, (w.properties.alarms as string[]).length])).toEqual([['Alarm status (1)', 100], ['Alarm status (2)', 2]]);
  });

  it('lays graphs out three to a row below their section title without overlap', () => {
    const { body } = build();
    const ingestion = body.widgets.filter((w) => w.type === 'metric').slice(0, 7);
    expect(ingestion.map((w) => [w.x, w.y])).toEqual([[0, 3], [8, 3], [16, 3], [0, 9], [8, 9], [16, 9], [0, 15]]);
    const cells = new Set<string>();
    for (const w of body.widgets) {
      for (let x = w.x; x < w.x + w.width; x++) {
        for (let y = w.y; y < w.y + w.height; y++) {
          expect(cells.has(`${x},${y}`)).toBe(false);
          cells.add(`${x},${y}`);
        }
      }
      expect(w.x + w.width).toBeLessThanOrEqual(DASHBOARD_LAYOUT.columns);
    }
  });

  it('leaves out sections and graphs of kinds that watch nothing', () => {
    const { body } = build({ ...WATCH_NOTHING, glueJobs: [{ key: 'job', name: 'job' }] });
    expect(texts(body.widgets)).toEqual(['# adp-dev', '## Processing']);
    expect(body.widgets.filter((w) => w.type === 'metric').map((w) => w.properties.title)).toEqual(['Glue completed tasks', 'Glue failed tasks']);
  });

  it('graphs SageMaker endpoints in a machine learning section', () => {
    const { titled, body } = build({ ...WATCH_NOTHING, endpoints: [{ key: 'churn', name: 'adp-dev-ml-churn', variant: 'AllTraffic' }] });
    expect(texts(body.widgets)).toContain('## Machine learning');
    expect(titled('SageMaker 5XX errors')?.properties.metrics).toEqual([['AWS/SageMaker', 'Invocation5XXErrors', 'EndpointName', 'adp-dev-ml-churn', 'VariantName', 'AllTraffic', { label: 'churn' }]]);
    expect(titled('SageMaker model latency p99 (µs)')?.properties.stat).toBe('p99');
  });

  it('writes referenced names into valid JSON as Terraform interpolations', () => {
    const stack = newStack();
    const name = new TerraformVariable(stack, 'stream_name', { type: 'string' }).stringValue;
    const cutoff = new TerraformVariable(stack, 'cutoff', { type: 'number' }).numberValue;
    const { body } = build({ ...WATCH_NOTHING, kinesisStreams: [{ key: 'orders', name }], athenaWorkgroups: [{ key: 'wg', name: 'wg', bytesScannedCutoff: cutoff }] }, stack);
    expect(body.widgets.find((w) => w.properties.title === 'Kinesis incoming records')?.properties.metrics).toEqual([
      ['AWS/Kinesis', 'IncomingRecords', 'StreamName', '${var.stream_name}', { label: 'orders' }],
    ]);
    expect(body.widgets.some((w) => String(w.properties.markdown).includes('- wg: ${var.cutoff} bytes'))).toBe(true);
  });

  it('rejects watched items with bad keys', () => {
    const stack = newStack();
    const alarms = new PlatformAlarms(stack, 'alarms', { topicArn: TOPIC, watched: WATCH_NOTHING, thresholds: { ...ALARM_DEFAULTS } });
    expect(() => new PlatformDashboard(stack, 'dashboard', { watched: { ...WATCH_NOTHING, glueJobs: [{ key: '', name: 'j' }] }, alarms })).toThrow(
      'PlatformDashboard dev-observability/dashboard: watched.glueJobs[0].key is ""; use a stable plain name of lowercase letters, digits and dashes, such as the dataset\'s config key "orders"',
    );
  });

  it('passes the policy pack', () => {
    const stack = newStack({}, true);
    const alarms = new PlatformAlarms(stack, 'alarms', { topicArn: TOPIC, watched: WATCHED, thresholds: { ...ALARM_DEFAULTS } });
    new PlatformDashboard(stack, 'dashboard', { watched: WATCHED, alarms });
    expect(() => synthesize(stack)).not.toThrow();
  });
});
