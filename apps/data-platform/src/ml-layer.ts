import { Construct } from 'constructs';
import { EnvironmentConfig, MlConfig, PlatformError } from '@data-platform/core';
import { Governance } from '@data-platform/governance';
import { DataLake } from '@data-platform/lake';
import { BatchPredictions, Model, ModelEndpoint, ModelRegistry, StudioDomain } from '@data-platform/ml';
import { ProcessingLayer } from './processing-layer';

/** One model of `ml.models` and what was built for it. */
export interface MlModel {
  readonly registry: ModelRegistry;
  readonly model: Model;
  readonly endpoint?: ModelEndpoint;
  readonly batch?: BatchPredictions;
}

/**
 * The ml layer: a VPC-only Studio domain whose apps run as the data scientist persona (its Lake
 * Formation grants and workgroup from the governance layer), and per model a registry group, the
 * model, an optional endpoint with autoscaling and optional scheduled batch predictions that write
 * back to the curated zone and start the crawler that catalogs them.
 */
export class MlLayer extends Construct {
  readonly studio: StudioDomain;
  readonly models: Readonly<Record<string, MlModel>>;

  constructor(scope: Construct, id: string, env: EnvironmentConfig, config: MlConfig, lake: DataLake, governance: Governance, processing: ProcessingLayer) {
    super(scope, id);
    // The loader checks both; a programmatic caller gets the same message.
    const persona = governance.personas[config.persona];
    if (!persona || !env.network) {
      throw new PlatformError(`environment ${env.name}`, [
        !persona
          ? { path: 'ml.persona', message: `is "${config.persona}", which is not in governance.personas (${Object.keys(governance.personas).join(', ') || 'none'}); declare it there` }
          : { path: 'network', message: 'is missing, but SageMaker Studio runs VPC-only; add network.vpcId, network.vpcCidr and network.subnets' },
      ]);
    }
    const network = env.network;
    this.studio = new StudioDomain(this, 'studio', { lake, persona, network, users: config.users });

    const models: Record<string, MlModel> = {};
    for (const [name, model] of Object.entries(config.models)) {
      const registry = new ModelRegistry(this, `registry-${name}`, { name, description: model.description });
      const built = new Model(this, `model-${name}`, { lake, name, config: model, network });
      const endpoint = model.endpoint ? new ModelEndpoint(this, `endpoint-${name}`, { lake, model: built, config: model.endpoint }) : undefined;
      let batch: BatchPredictions | undefined;
      if (model.batch) {
        const crawler = processing.crawlers[model.batch.crawler];
        if (!crawler) {
          throw new PlatformError(`environment ${env.name}`, [
            { path: `ml.models.${name}.batch.crawler`, message: `is "${model.batch.crawler}", which is not in processing.crawlers; declare a crawler of the curated zone over "${model.batch.output}"` },
          ]);
        }
        batch = new BatchPredictions(this, `batch-${name}`, { lake, model: built, crawler: crawler.crawler, config: model.batch });
      }
      models[name] = { registry, model: built, endpoint, batch };
    }
    this.models = models;
  }
}
