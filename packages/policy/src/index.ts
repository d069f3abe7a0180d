/**
 * @data-platform/policy: the security and safety rule pack, applied to every stack as an Aspect.
 * @packageDocumentation
 */
export * from './rule';
export * from './stack-view';
export * from './iam';
export * from './kms-keys';
export * from './evaluate';
export * from './policy-pack';
export { ALL_RULES } from './rules';
export { runRule, stackOf, TEST_CONTEXT } from './testing';
export * from './docs';
export { STATEFUL_RESOURCE_TYPES } from './rules/protection/stateful-prevent-destroy';
