import { Construct } from 'constructs';
import { EnvironmentConfig, PlatformError } from '@data-platform/core';
import { BatchImport, DatabaseReplication, ImportCluster, ObjectCatalog, SaasFlow, StreamIngest } from '@data-platform/ingestion';
import { DataLake } from '@data-platform/lake';

/**
 * The ingestion layer: every dataset of the environment's `ingestion` section, each landing in
 * the lake's raw zone. Adding a dataset to the file adds its path; the lake is a typed prop.
 */
export class IngestionLayer extends Construct {
  readonly streams: readonly StreamIngest[];
  readonly databases: readonly DatabaseReplication[];
  readonly saas: readonly SaasFlow[];
  readonly events: readonly ObjectCatalog[];
  readonly batch: readonly BatchImport[];
  /** The ECS cluster of the batch imports, when there are any. */
  readonly cluster?: ImportCluster;

  constructor(scope: Construct, id: string, env: EnvironmentConfig, lake: DataLake) {
    super(scope, id);
    const { ingestion } = env;
    const needsNetwork = Object.keys(ingestion.databases).length + Object.keys(ingestion.batch).length > 0;
    if (needsNetwork && !env.network) {
      throw new PlatformError(`environment ${env.name}`, [
        { path: 'network', message: 'is missing, but DMS replication and batch imports run in a VPC; add network.vpcId, network.vpcCidr and network.subnets' },
      ]);
    }
    const network = env.network as NonNullable<EnvironmentConfig['network']>;

    this.streams = Object.entries(ingestion.streams).map(([name, config]) => new StreamIngest(this, `stream-${name}`, { lake, name, config }));
    this.databases = Object.entries(ingestion.databases).map(
      ([name, config]) => new DatabaseReplication(this, `database-${name}`, { lake, name, config, network, certificateArn: config.certificateArn }),
    );
    this.saas = Object.entries(ingestion.saas).map(([name, config]) => new SaasFlow(this, `saas-${name}`, { lake, name, config }));
    this.events = Object.entries(ingestion.events).map(([name, config]) => new ObjectCatalog(this, `events-${name}`, { lake, name, config }));
    const batch = Object.entries(ingestion.batch);
    this.cluster = batch.length > 0 ? new ImportCluster(this, 'import-cluster') : undefined;
    this.batch = batch.map(
      ([name, config]) => new BatchImport(this, `batch-${name}`, { lake, name, config, network, cluster: this.cluster as ImportCluster }),
    );
  }
}
