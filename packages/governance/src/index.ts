/**
 * @data-platform/governance: Lake Formation permissions (settings, locations, LF-tags, personas,
 * data filters, sharing) and Athena workgroups and saved queries.
 * @packageDocumentation
 */
export * from './persona-access';
