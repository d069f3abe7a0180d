import { Construct } from 'constructs';
import { EnvironmentConfig, GovernanceConfig } from '@data-platform/core';
import { CatalogUser, Governance, LakeFormationSettings } from '@data-platform/governance';
import { DataLake } from '@data-platform/lake';
import { IngestionLayer } from './ingestion-layer';
import { ProcessingLayer } from './processing-layer';

/**
 * The roles of the other layers that use the Glue Data Catalog, with the zones whose tables they
 * read and write: ETL jobs (source and target), streaming jobs and crawlers (the zone they write
 * tables in), interactive sessions (what their role may read and write) and Firehose streams that
 * convert records against a raw-zone table. A new job or crawler in the environment file gets its
 * Lake Formation grants from here, without touching the governance package.
 */
export function catalogUsers(env: EnvironmentConfig, ingestion: IngestionLayer, processing: ProcessingLayer): CatalogUser[] {
  const p = env.processing;
  return [
    ...Object.entries(processing.jobs).map(([name, j]) => ({ name: `job-${name}`, role: j.role.role, reads: [p.jobs[name].source.zone], writes: [p.jobs[name].target.zone] })),
    ...Object.entries(processing.streamingJobs).map(([name, j]) => ({ name: `streaming-job-${name}`, role: j.role.role, reads: [], writes: [p.streamingJobs[name].target.zone] })),
    ...Object.entries(processing.crawlers).map(([name, c]) => ({ name: `crawler-${name}`, role: c.role.role, reads: [], writes: [p.crawlers[name].zone] })),
    ...(processing.sessions ? [{ name: 'interactive-sessions', role: processing.sessions.role.role, reads: ['curated' as const], writes: ['processed' as const] }] : []),
    ...ingestion.streams.flatMap((s) => (s.table ? [{ name: `firehose-${s.node.id.replace(/^stream-/, '')}`, role: s.role.role, reads: ['raw' as const], writes: [] }] : [])),
  ];
}

/**
 * The governance layer: Lake Formation (locations, LF-tags, personas, filters, grants for the
 * other layers' roles, shares) and Athena (a workgroup per persona, saved queries, catalog
 * encryption) from the environment's `governance` section. The Lake Formation settings come from
 * the lake layer, which makes them before its databases.
 */
export class GovernanceLayer extends Construct {
  readonly governance: Governance;

  constructor(scope: Construct, id: string, env: EnvironmentConfig, config: GovernanceConfig, lake: DataLake, settings: LakeFormationSettings, ingestion: IngestionLayer, processing: ProcessingLayer) {
    super(scope, id);
    const tables = Object.fromEntries(Object.values(lake.tables).map((t) => [t.ref, t.table]));
    this.governance = new Governance(this, 'governance', { lake, config, settings, tables, users: catalogUsers(env, ingestion, processing) });
  }
}
