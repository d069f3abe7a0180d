/**
 * @data-platform/lake: the data lake (KMS key, zone buckets, access logs, Athena results, Glue
 * catalog databases) and the grants that let other layers use it.
 * @packageDocumentation
 */
export { LakeKey } from './lake-key';
export type { LakeKeyProps } from './lake-key';
export { ZONE_BUCKET_DEFAULTS, ZoneBucket } from './zone-bucket';
export type { ServiceWriter, ZoneBucketLifecycle, ZoneBucketProps } from './zone-bucket';
export { DataLake, GRANTABLE_ZONES } from './data-lake';
export type { DataLakeProps, GrantableZone } from './data-lake';
