/**
 * @data-platform/ml
 * @packageDocumentation
 */
export {};
