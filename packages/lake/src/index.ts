/**
 * @data-platform/lake: the data lake (KMS key, zone buckets, access logs, Athena results, Glue
 * catalog databases) and the grants that let other layers use it.
 * @packageDocumentation
 */
export { LAKE_KEY_DEFAULTS, LakeKey } from './lake-key';
export type { LakeKeyProps } from './lake-key';
export { QUEUE_NOTIFICATION_EVENTS, ZONE_BUCKET_DEFAULTS, ZoneBucket } from './zone-bucket';
export type { QueueNotification, ServiceWriter, ZoneBucketLifecycle, ZoneBucketProps } from './zone-bucket';
export { CATALOG_ACCESS, CATALOG_KEY_ACTIONS, DataLake, GRANTABLE_ZONES } from './data-lake';
export type { CatalogAccess, DataLakeProps, EventQueueRef, GrantableZone, LakeEventQueue } from './data-lake';
export { CATALOG_TABLE_CSV_FORMAT, CATALOG_TABLE_FORMAT, CATALOG_TABLE_MAX_NAME_LENGTH, CatalogTable, checkCatalogTable } from './catalog-table';
export type { CatalogTableConfig, CatalogTableProps } from './catalog-table';
export { layeredStacks, stackWithLake } from './testing';
export type { LakeTestStackOptions } from './testing';
