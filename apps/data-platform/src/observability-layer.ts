import { Construct } from 'constructs';
import { EnvironmentConfig } from '@data-platform/core';
import { BYTES_PER_MB } from '@data-platform/governance';
import { DataLake } from '@data-platform/lake';
import { AlertTopic, CostBudget, FailureRules, PlatformAlarms, PlatformDashboard, WatchedResources } from '@data-platform/observability';
import { GovernanceLayer } from './governance-layer';
import { IngestionLayer } from './ingestion-layer';
import { MlLayer } from './ml-layer';
import { ProcessingLayer } from './processing-layer';

/** The layers the observability layer watches; the optional ones exist with their config sections. */
export interface WatchedLayers {
  readonly ingestion: IngestionLayer;
  readonly processing: ProcessingLayer;
  readonly governance?: GovernanceLayer;
  readonly ml?: MlLayer;
}

/**
 * What the observability layer watches, read off the other layers: every stream, delivery
 * stream, function, dead-letter queue, replication task and Glue job they created. Adding a
 * dataset to the environment file adds its alarms here, without touching the observability package.
 *
 * A workgroup's per-query cutoff comes from `env` (`governance.personas.<key>.bytesScannedCutoffMb`),
 * not from the workgroup across stacks: cdktf marks `bytes_scanned_cutoff_per_query` sensitive,
 * and a sensitive value in the dashboard's body would hide the whole body in plans.
 */
export function watchedResources(env: EnvironmentConfig, { ingestion, processing, governance, ml }: WatchedLayers): WatchedResources {
  const models = Object.entries(ml?.models ?? {});
  const datasetKey = (id: string) => id.replace(/^[a-z]+-/, '');
  return {
    kinesisStreams: ingestion.streams.flatMap((s) => (s.stream ? [{ key: datasetKey(s.node.id), name: s.stream.name }] : [])),
    deliveryStreams: ingestion.streams.map((s) => ({ key: datasetKey(s.node.id), name: s.deliveryStream.name, parquet: s.table !== undefined })),
    functions: ingestion.events.map((e) => ({ key: datasetKey(e.node.id), name: e.function.functionName })),
    queues: [
      ...ingestion.events.map((e) => ({ key: `${datasetKey(e.node.id)}-dlq`, name: e.deadLetterQueue.queue.name, deadLetter: true })),
      ...ingestion.batch.map((b) => ({ key: `${datasetKey(b.node.id)}-dlq`, name: b.deadLetterQueue.queue.name, deadLetter: true })),
      ...models.flatMap(([key, m]) => (m.batch ? [{ key: `${key}-predictions-dlq`, name: m.batch.deadLetterQueue.queue.name, deadLetter: true }] : [])),
    ],
    replicationTasks: ingestion.databases.map((d) => ({
      key: datasetKey(d.node.id),
      taskArn: d.task.replicationTaskArn,
      instanceId: d.instance.replicationInstanceId,
    })),
    glueJobs: [
      ...Object.entries(processing.jobs).map(([key, j]) => ({ key, name: j.job.name })),
      ...Object.entries(processing.streamingJobs).map(([key, j]) => ({ key: `${key}-streaming`, name: j.job.name })),
    ],
    athenaWorkgroups: Object.entries(governance?.governance.workgroups ?? {}).map(([key, w]) => ({
      key,
      name: w.workgroup.name,
      bytesScannedCutoff: cutoffBytes(env, key),
    })),
    endpoints: models.flatMap(([key, m]) => (m.endpoint ? [{ key, name: m.endpoint.name, variant: m.endpoint.variantName }] : [])),
  };
}

/** The per-query cutoff of persona `key`'s workgroup in bytes, as a literal (undefined for a persona not in `env`). */
function cutoffBytes(env: EnvironmentConfig, key: string): number | undefined {
  const persona = env.governance?.personas[key];
  return persona ? persona.bytesScannedCutoffMb * BYTES_PER_MB : undefined;
}

/**
 * The observability layer: the environment's alert topic (encrypted with the lake key), failure
 * rules across the platform, alarms on everything the other layers created, a dashboard and the
 * cost budget.
 */
export class ObservabilityLayer extends Construct {
  readonly topic: AlertTopic;
  readonly failures: FailureRules;
  readonly alarms: PlatformAlarms;
  readonly dashboard: PlatformDashboard;
  readonly budget?: CostBudget;
  readonly watched: WatchedResources;

  constructor(scope: Construct, id: string, env: EnvironmentConfig, lake: DataLake, layers: WatchedLayers) {
    super(scope, id);
    const o = env.observability;
    this.topic = new AlertTopic(this, 'alerts', { key: lake.key, alerts: o.alerts });
    this.failures = new FailureRules(this, 'failures', { topic: this.topic });
    this.watched = watchedResources(env, layers);
    this.alarms = new PlatformAlarms(this, 'alarms', { topicArn: this.topic.arn, watched: this.watched, thresholds: o.alarms });
    this.dashboard = new PlatformDashboard(this, 'dashboard', { watched: this.watched, alarms: this.alarms });
    this.budget = o.budget ? new CostBudget(this, 'budget', { topic: this.topic, budget: o.budget }) : undefined;
  }
}
