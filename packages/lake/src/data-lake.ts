import { createHash } from 'node:crypto';
import { TerraformStack, Token } from 'cdktf';
import { Construct } from 'constructs';
import {
  DataAwsIamPolicyDocument,
  DataAwsIamPolicyDocumentStatement,
} from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { GlueCatalogDatabase } from '@cdktf/provider-aws/lib/glue-catalog-database';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import {
  EnvironmentConfig,
  LakeConfig,
  NAME_HASH_LENGTH,
  NAME_LIMITS,
  PlatformStack,
  Validator,
  ZONES,
  Zone,
  stateful,
} from '@data-platform/core';
import { LakeKey, checkLakeKeyProps } from './lake-key';
import { ServiceWriter, ZoneBucket, checkLifecycle } from './zone-bucket';

/** A bucket of the lake that roles can be granted access to: a zone, the Athena results or the artifacts. */
export type GrantableZone = Zone | 'athena-results' | 'artifacts';

/** Every bucket `grantRead` and `grantWrite` accept. */
export const GRANTABLE_ZONES: readonly GrantableZone[] = [...ZONES, 'athena-results', 'artifacts'];

/** Shortest retention of S3 access logs the lake accepts, for audits. */
const MIN_ACCESS_LOG_DAYS = 90;

/** Props of {@link DataLake}; the environment comes from the enclosing PlatformStack. */
export interface DataLakeProps {
  /** The environment's `lake` section (validated and defaulted by the config loader). */
  readonly config: LakeConfig;
  /**
   * AWS services that write into a zone themselves (AppFlow delivers through the bucket policy,
   * not a role): each gets a bucket-policy statement for its prefix and use of the lake key,
   * limited to this account. Derived from the environment's config by the app, so the lake's
   * stack holds every statement about its own buckets and key.
   * @default none
   */
  readonly serviceWriters?: ReadonlyArray<ServiceWriter & { readonly zone: Zone }>;
}

type Verb = 'read' | 'write';

/**
 * The data lake of one environment: a KMS key, one bucket per zone (raw, processed, curated),
 * a bucket for Athena query results, a bucket for platform artifacts (job scripts, temporary
 * files, checkpoints), a bucket for S3 access logs and one Glue catalog database per zone.
 *
 * Every bucket is a {@link ZoneBucket} (encrypted with the lake key, TLS only, versioned, public
 * access blocked, access-logged). Zone buckets, and only they, send their object events to EventBridge.
 * Consumers get access through {@link DataLake.grantRead} and {@link DataLake.grantWrite}, which
 * attach a narrow policy to the consumer's role in the consumer's stack.
 *
 * Pinned addresses: `aws_kms_key.lake_key`, `aws_s3_bucket.lake_<zone>_bucket`,
 * `aws_s3_bucket.lake_athena_results_bucket`, `aws_s3_bucket.lake_artifacts_bucket`,
 * `aws_s3_bucket.lake_access_logs_bucket`,
 * `aws_glue_catalog_database.lake_<zone>_database`.
 */
export class DataLake extends Construct {
  /** The lake's KMS key. */
  readonly key: LakeKey;
  /** One bucket per zone. */
  readonly zones: Readonly<Record<Zone, ZoneBucket>>;
  /** Where Athena writes query results; results expire after `athenaResultsExpirationDays`. */
  readonly athenaResults: ZoneBucket;
  /**
   * Platform artifacts: job scripts (keyed by content hash), Glue temporary files, streaming
   * checkpoints. Not data; noncurrent versions expire like the zones'.
   */
  readonly artifacts: ZoneBucket;
  /** Receives the server access logs of every other lake bucket (SSE-S3). */
  readonly accessLogs: ZoneBucket;
  /** One Glue catalog database per zone, located at the zone bucket's root. */
  readonly databases: Readonly<Record<Zone, GlueCatalogDatabase>>;

  private readonly env: EnvironmentConfig;

  constructor(scope: Construct, id: string, props: DataLakeProps) {
    super(scope, id);
    const { config } = props;
    const v = new Validator(`DataLake ${this.node.path}`);
    checkLakeKeyProps(v, { deletionWindowDays: config.keyDeletionWindowDays }, 'keyDeletionWindowDays');
    checkLifecycle(v, { abortIncompleteUploadDays: config.abortIncompleteUploadDays }, (field) => field);
    checkLifecycle(v, { expirationDays: config.athenaResultsExpirationDays }, () => 'athenaResultsExpirationDays');
    checkLifecycle(v, { expirationDays: config.accessLogsExpirationDays }, () => 'accessLogsExpirationDays');
    const logDays = config.accessLogsExpirationDays;
    if (!Token.isUnresolved(logDays)) {
      v.check(logDays >= MIN_ACCESS_LOG_DAYS, 'accessLogsExpirationDays', `is ${logDays}; use ${MIN_ACCESS_LOG_DAYS} or more (access logs are kept for audits)`);
    }
    for (const zone of ZONES) checkLifecycle(v, config.zones[zone], (field) => `zones.${zone}.${field}`);
    v.throwIfAny();

    const stack = PlatformStack.of(this);
    this.env = stack.env;

    const writers = props.serviceWriters ?? [];
    this.key = new LakeKey(this, 'key', {
      deletionWindowDays: config.keyDeletionWindowDays,
      writerServices: [...new Set(writers.map((w) => w.service))],
    });
    this.accessLogs = new ZoneBucket(this, 'access-logs', {
      role: 'access-logs',
      address: 'lake_access_logs',
      allowLogDelivery: true,
      lifecycle: { expirationDays: config.accessLogsExpirationDays, abortIncompleteUploadDays: config.abortIncompleteUploadDays },
    });

    const zones = {} as Record<Zone, ZoneBucket>;
    const databases = {} as Record<Zone, GlueCatalogDatabase>;
    for (const zone of ZONES) {
      const bucket = new ZoneBucket(this, zone, {
        role: zone,
        address: `lake_${zone}`,
        key: this.key,
        logs: this.accessLogs,
        eventBridge: true,
        serviceWriters: writers.filter((w) => w.zone === zone).map(({ service, prefix }) => ({ service, prefix })),
        lifecycle: { ...config.zones[zone], abortIncompleteUploadDays: config.abortIncompleteUploadDays },
      });
      zones[zone] = bucket;
      databases[zone] = stateful(
        new GlueCatalogDatabase(this, `${zone}-database`, {
          name: stack.resourceName('lake', zone, { separator: '_', maxLength: NAME_LIMITS.glueDatabase }),
          description: `The ${zone} zone of the ${this.env.project}-${this.env.name} data lake`,
          locationUri: `s3://${bucket.name}/`,
        }),
        `lake_${zone}_database`,
      );
    }
    this.zones = zones;
    this.databases = databases;

    this.artifacts = new ZoneBucket(this, 'artifacts', {
      role: 'artifacts',
      address: 'lake_artifacts',
      key: this.key,
      logs: this.accessLogs,
      lifecycle: { abortIncompleteUploadDays: config.abortIncompleteUploadDays },
    });

    this.athenaResults = new ZoneBucket(this, 'athena-results', {
      role: 'athena-results',
      address: 'lake_athena_results',
      key: this.key,
      logs: this.accessLogs,
      lifecycle: { expirationDays: config.athenaResultsExpirationDays, abortIncompleteUploadDays: config.abortIncompleteUploadDays },
    });
  }

  /**
   * Lets `role` read the objects of `zone` (its bucket) under `prefix`: get objects and their
   * versions, list keys under the prefix, locate the bucket, and decrypt with the lake key
   * through S3 only.
   *
   * The policy is an inline policy of the role, created beside the role in the role's stack (the
   * lake key delegates to IAM in its account), so the lake's stack does not change. Granting the
   * same access twice returns the first policy.
   *
   * @param prefix a key prefix ending in "/" (e.g. `orders/`), or "" (the default) for the whole bucket
   * @returns the role's inline policy
   * @throws PlatformError for an unknown bucket, a malformed prefix or a role in another account
   */
  grantRead(role: IamRole, zone: GrantableZone, prefix = ''): IamRolePolicy {
    return this.grant('read', role, zone, prefix);
  }

  /**
   * Lets `role` write objects to `zone` (its bucket) under `prefix`: put objects (including
   * multipart uploads and their cleanup), locate the bucket, and encrypt with the lake key
   * through S3 only.
   * Neither reading nor listing (see grantRead), nor deleting.
   *
   * Created like {@link DataLake.grantRead}, in the role's stack.
   *
   * @param prefix a key prefix ending in "/" (e.g. `orders/`), or "" (the default) for the whole bucket
   * @returns the role's inline policy
   * @throws PlatformError for an unknown bucket, a malformed prefix or a role in another account
   */
  grantWrite(role: IamRole, zone: GrantableZone, prefix = ''): IamRolePolicy {
    return this.grant('write', role, zone, prefix);
  }

  private grant(verb: Verb, role: IamRole, zone: GrantableZone, prefix: string): IamRolePolicy {
    const v = new Validator(`DataLake ${this.node.path}`);
    v.check(GRANTABLE_ZONES.includes(zone), 'zone',
      `is ${JSON.stringify(zone)}; use one of ${GRANTABLE_ZONES.join(', ')}`);
    if (!Token.isUnresolved(prefix) && prefix !== '') {
      const shown = JSON.stringify(prefix);
      v.check(!prefix.startsWith('/'), 'prefix', `is ${shown}; remove the leading "/" (S3 keys do not start with one)`);
      v.check(prefix.endsWith('/'), 'prefix', `is ${shown}; end it with "/" (e.g. "orders/"), so "orders" does not also grant "orders-archive/"`);
      v.check(!/[*?]/.test(prefix), 'prefix', `is ${shown}; remove the wildcard: the grant already covers every key under the prefix`);
    }
    const roleStack = TerraformStack.of(role);
    if (!(roleStack instanceof PlatformStack)) {
      v.add('role', `${role.node.path} is not in a PlatformStack; create the role in a platform stack`);
    } else if (roleStack.env.account !== this.env.account) {
      v.add('role', `${role.node.path} is in account ${roleStack.env.account}; grant to a role in the lake's account, ${this.env.account} (the lake key delegates only to IAM there)`);
    }
    v.throwIfAny();

    const scope = role.node.scope as Construct;
    const target = zone === 'athena-results' ? this.athenaResults : zone === 'artifacts' ? this.artifacts : this.zones[zone];
    const prefixTag = prefix === '' ? 'all' : createHash('sha256').update(prefix).digest('hex').slice(0, NAME_HASH_LENGTH);
    const id = `${role.node.id}-${verb}-${zone}-${prefixTag}`;
    const existing = scope.node.tryFindChild(id);
    if (existing instanceof IamRolePolicy) return existing;

    const statements = verb === 'read' ? readStatements(target, prefix, this.env.region) : writeStatements(target, prefix, this.env.region);
    const document = new DataAwsIamPolicyDocument(scope, `${id}-document`, { statement: statements });
    return new IamRolePolicy(scope, id, {
      name: PlatformStack.of(this).resourceName('lake', `${verb}-${zone}-${prefixTag}`, { maxLength: NAME_LIMITS.iamPolicy }),
      role: role.name,
      policy: document.json,
    });
  }
}

/** Limits a KMS permission to requests S3 makes on the caller's behalf in the lake's region. */
function viaS3(region: string) {
  return [{ test: 'StringEquals', variable: 'kms:ViaService', values: [`s3.${region}.amazonaws.com`] }];
}

/** The lake key of a grantable bucket (every one but the access-logs bucket has it). */
function keyArn(bucket: ZoneBucket): string {
  if (!bucket.key) throw new Error(`DataLake: ${bucket.node.path} has no KMS key; only encrypted lake buckets can be granted`);
  return bucket.key.arn;
}

function readStatements(bucket: ZoneBucket, prefix: string, region: string): DataAwsIamPolicyDocumentStatement[] {
  return [
    { sid: 'ReadObjects', effect: 'Allow', actions: ['s3:GetObject', 's3:GetObjectVersion'], resources: [`${bucket.arn}/${prefix}*`] },
    {
      sid: 'ListObjects',
      effect: 'Allow',
      actions: ['s3:ListBucket'],
      resources: [bucket.arn],
      // Without a prefix the whole bucket is granted, and listing it sends no s3:prefix at all
      // (a condition on it would then never match).
      condition: prefix === '' ? undefined : [{ test: 'StringLike', variable: 's3:prefix', values: [`${prefix}*`] }],
    },
    { sid: 'LocateBucket', effect: 'Allow', actions: ['s3:GetBucketLocation'], resources: [bucket.arn] },
    { sid: 'DecryptWithLakeKey', effect: 'Allow', actions: ['kms:Decrypt'], resources: [keyArn(bucket)], condition: viaS3(region) },
  ];
}

function writeStatements(bucket: ZoneBucket, prefix: string, region: string): DataAwsIamPolicyDocumentStatement[] {
  return [
    {
      sid: 'WriteObjects',
      effect: 'Allow',
      actions: ['s3:PutObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'],
      resources: [`${bucket.arn}/${prefix}*`],
    },
    { sid: 'LocateBucketAndUploads', effect: 'Allow', actions: ['s3:GetBucketLocation', 's3:ListBucketMultipartUploads'], resources: [bucket.arn] },
    // Multipart uploads decrypt the data key of earlier parts to complete the object.
    { sid: 'EncryptWithLakeKey', effect: 'Allow', actions: ['kms:GenerateDataKey', 'kms:Decrypt'], resources: [keyArn(bucket)], condition: viaS3(region) },
  ];
}
