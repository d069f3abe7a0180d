import { Construct } from 'constructs';
import { EnvironmentConfig } from '@data-platform/core';
import { DataLake } from '@data-platform/lake';

/**
 * The lake layer: the data lake's key, buckets and catalog databases. Other layers receive its
 * `lake` as a typed prop.
 */
export class LakeLayer extends Construct {
  readonly lake: DataLake;

  constructor(scope: Construct, id: string, env: EnvironmentConfig) {
    super(scope, id);
    this.lake = new DataLake(this, 'lake', { config: env.lake });
  }
}
