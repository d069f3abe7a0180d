/**
 * @data-platform/bi
 * @packageDocumentation
 */
export {};
