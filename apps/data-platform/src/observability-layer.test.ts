import { join } from 'node:path';
import { loadEnvironment, synthesize, testApp } from '@data-platform/core';
import { BYTES_PER_MB } from '@data-platform/governance';
import { ALL_FAILURE_KINDS, WATCHED_KINDS } from '@data-platform/observability';
import { buildEnvironment } from './environment';
import { ENVIRONMENTS_DIR } from './app';

// The repository's own dev environment: every dataset it declares must be watched.
const dev = loadEnvironment(join(ENVIRONMENTS_DIR, 'dev.yaml'));

describe('the observability layer', () => {
  const built = buildEnvironment(testApp(), dev);
  const { watched, alarms, failures } = built.observability;

  test('watches every stream, delivery stream, function, dead-letter queue, replication task, Glue job, Athena workgroup and endpoint of the environment', () => {
    const models = Object.entries(dev.ml?.models ?? {});
    expect(watched.kinesisStreams.map((w) => w.key)).toEqual(Object.keys(dev.ingestion.streams).filter((n) => dev.ingestion.streams[n].source === 'kinesis'));
    expect(watched.deliveryStreams.map((w) => w.key)).toEqual(Object.keys(dev.ingestion.streams));
    expect(watched.functions.map((w) => w.key)).toEqual(Object.keys(dev.ingestion.events));
    expect(watched.queues.map((w) => w.key).sort()).toEqual(
      [
        ...[...Object.keys(dev.ingestion.events), ...Object.keys(dev.ingestion.batch)].map((n) => `${n}-dlq`),
        ...models.filter(([, m]) => m.batch).map(([n]) => `${n}-predictions-dlq`),
      ].sort(),
    );
    expect(watched.athenaWorkgroups.map((w) => w.key)).toEqual(Object.keys(dev.governance?.personas ?? {}));
    expect(watched.endpoints.map((w) => w.key)).toEqual(models.filter(([, m]) => m.endpoint).map(([n]) => n));
    expect(watched.athenaWorkgroups.length * watched.endpoints.length).toBeGreaterThan(0);
    expect(watched.replicationTasks.map((w) => w.key)).toEqual(Object.keys(dev.ingestion.databases));
    expect(watched.glueJobs.map((w) => w.key).sort()).toEqual(
      [...Object.keys(dev.processing.jobs), ...Object.keys(dev.processing.streamingJobs).map((n) => `${n}-streaming`)].sort(),
    );
  });

  test('gives every watched stream, delivery stream, function, dead-letter queue and replication task at least one alarm', () => {
    const alarmed = ['kinesisStreams', 'deliveryStreams', 'functions', 'queues', 'replicationTasks'] as const;
    for (const kind of alarmed) {
      for (const item of watched[kind]) expect({ kind, key: item.key, alarms: alarms.alarmsFor(kind, item.key).length > 0 }).toEqual({ kind, key: item.key, alarms: true });
    }
    expect(WATCHED_KINDS).toEqual(expect.arrayContaining([...alarmed]));
  });

  test('covers Glue jobs, crawlers, data quality, DMS, Step Functions and SageMaker failures with EventBridge rules to the alert topic', () => {
    expect(Object.keys(failures.rules).sort()).toEqual([...ALL_FAILURE_KINDS].sort());
  });

  test('synthesizes its stack, reading the layers it watches through remote state, with the budget of the file', () => {
    const stack = built.stacks.get('dev-observability');
    if (!stack) throw new Error('no dev-observability stack');
    const { tf } = synthesize(stack);
    expect(Object.keys(tf.data?.terraform_remote_state ?? {}).sort()).toEqual([
      'cross-stack-reference-input-dev-governance',
      'cross-stack-reference-input-dev-ingestion',
      'cross-stack-reference-input-dev-lake',
      'cross-stack-reference-input-dev-ml',
      'cross-stack-reference-input-dev-processing',
    ]);
    expect(Object.values(tf.resource?.aws_budgets_budget ?? {})).toHaveLength(1);
    expect(Object.values(tf.resource?.aws_sns_topic_subscription ?? {}).map((s) => s.endpoint)).toEqual(dev.observability.alerts.email);
  });

  test('takes each workgroup\'s scan cutoff from the file, as a literal: no remote-state reference to it hides the dashboard body in plans', () => {
    const personas = dev.governance?.personas ?? {};
    expect(watched.athenaWorkgroups.map((w) => [w.key, w.bytesScannedCutoff])).toEqual(
      Object.entries(personas).map(([key, p]) => [key, p.bytesScannedCutoffMb * BYTES_PER_MB]),
    );
    const stack = built.stacks.get('dev-observability');
    const governance = built.stacks.get('dev-governance');
    if (!stack || !governance) throw new Error('no dev-observability or dev-governance stack');
    const dashboards = Object.values(synthesize(stack).tf.resource?.aws_cloudwatch_dashboard ?? {});
    expect(dashboards).toHaveLength(1);
    const body = String(dashboards[0].dashboard_body);
    expect(body).not.toMatch(/bytes_scanned_cutoff_per_query/);
    // Workgroup names still come from the governance stack; cutoffs are text of the body.
    expect(body).toContain('data.terraform_remote_state.cross-stack-reference-input-dev-governance');
    for (const key of Object.keys(personas)) expect(body).toMatch(new RegExp(`- ${key}: [\\d.]+ (bytes|KiB|MiB|GiB|TiB)`));
    expect(Object.keys(synthesize(governance).tf.output ?? {}).filter((name) => name.includes('bytes_scanned_cutoff_per_query'))).toEqual([]);
  });
});
