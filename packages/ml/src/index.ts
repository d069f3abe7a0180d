/**
 * @data-platform/ml: SageMaker Studio for the data scientist persona, models with their registry
 * group, real-time endpoints with autoscaling, and scheduled batch predictions written back to the
 * curated zone.
 * @packageDocumentation
 */
export * from './studio-domain';
export * from './model-registry';
export * from './model';
export * from './model-endpoint';
export * from './batch-predictions';
export type { Network } from './shared/network';
