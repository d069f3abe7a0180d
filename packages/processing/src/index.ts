/**
 * @data-platform/processing: Glue jobs, crawlers, classifiers, connections, workflows and data
 * quality, moving data raw -> processed -> curated and keeping the catalog current.
 * @packageDocumentation
 */
export * from './security-configuration';
export * from './glue-script';
export * from './etl-job';
export * from './streaming-job';
export * from './glue-connection';
export * from './classifier';
export * from './crawler';
export * from './workflow';
export * from './data-quality';
export * from './interactive-sessions';
export * from './glue-schedule';
