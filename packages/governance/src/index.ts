/**
 * @data-platform/governance: Lake Formation permissions (settings, locations, LF-tags, personas,
 * data filters, sharing) and Athena workgroups and saved queries.
 * @packageDocumentation
 */
export * from './persona-access';
export * from './lake-formation-settings';
export * from './lake-locations';
export * from './lf-tags';
export * from './data-filter';
export * from './persona';
export * from './catalog-access';
export * from './database-share';
export * from './athena-workgroup';
export * from './saved-queries';
export * from './catalog-encryption';
export * from './governance';
export * from './testing';
