/**
 * @data-platform/ingestion: every path that lands data in the lake's raw zone.
 * @packageDocumentation
 */
export { ingestAddress } from './shared/address';
export * from './stream-ingest';
export * from './database-replication';
export * from './saas-flow';
export * from './import-cluster';
export * from './batch-import';
export * from './object-catalog';
export { bundleHandler, lambdaAsset, LAMBDA_BUNDLE_FILE, LAMBDA_BUNDLE_DEFAULTS } from './lambda-bundle';
