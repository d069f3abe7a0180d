/**
 * @data-platform/core: configuration, naming, tagging, the base stack and shared helpers.
 * @packageDocumentation
 */
export * from './errors';
export * from './config/schema';
export * from './config/loader';
export * from './config/json-schema';
export * from './naming';
export * from './tags';
export * from './platform-stack';
export * from './stateful';
export * from './testing';
export * from './manifest';
export * from './suppressions';
export * from './config/ingestion';
export * from './config/processing';
export * from './primitives/service-role';
export * from './primitives/encrypted';
export * from './config/observability';
export * from './config/governance';
export * from './config/bi';
export * from './config/ml';
export * from './state-key';
