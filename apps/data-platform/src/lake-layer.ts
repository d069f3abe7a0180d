import { Construct } from 'constructs';
import { EnvironmentConfig } from '@data-platform/core';
import { appflowWriters } from '@data-platform/ingestion';
import { DataLake } from '@data-platform/lake';
import { crawlerEventQueues } from '@data-platform/processing';

/**
 * The lake layer: the data lake's key, buckets and catalog databases. Other layers receive its
 * `lake` as a typed prop.
 */
export class LakeLayer extends Construct {
  readonly lake: DataLake;

  constructor(scope: Construct, id: string, env: EnvironmentConfig) {
    super(scope, id);
    // Services that write into the lake through its bucket policy (AppFlow), and the event queues
    // of crawlers in S3 event mode (fed by the zone buckets' notifications), are set up in the
    // lake's own stack, from the environment's ingestion and processing config.
    this.lake = new DataLake(this, 'lake', {
      config: env.lake,
      serviceWriters: appflowWriters(env.ingestion.saas),
      eventQueues: crawlerEventQueues(env.processing.crawlers),
    });
  }
}
