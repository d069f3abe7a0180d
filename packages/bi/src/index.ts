/**
 * @data-platform/bi: QuickSight over Athena, as a governance persona: groups, the data source,
 * datasets with refresh schedules, and dashboards from definitions in this repository.
 * @packageDocumentation
 */
export * from './quicksight';
export * from './groups';
export * from './athena-data-source';
export * from './dataset';
export * from './definition';
export * from './dashboard';
export * from './bi';
