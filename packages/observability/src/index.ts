/**
 * @data-platform/observability: the alert topic, failure rules, alarms, dashboard and budget of an
 * environment. It watches what the other layers create, received as plain typed props.
 * @packageDocumentation
 */
export * from './alert-topic';
export * from './failure-rules';
export * from './cost-budget';
export * from './watched';
export * from './alarms';
export * from './dashboard';
