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
  DATASET_NAME_FIX,
  DATASET_NAME_RE,
  EncryptedQueue,
  EnvironmentConfig,
  LakeConfig,
  NAME_HASH_LENGTH,
  NAME_LIMITS,
  PlatformError,
  PlatformStack,
  Validator,
  ZONES,
  Zone,
  stateful,
} from '@data-platform/core';
import { CatalogTable, checkCatalogTable } from './catalog-table';
import { LakeKey, checkLakeKeyProps } from './lake-key';
import { ServiceWriter, ZoneBucket, checkLifecycle, checkQueuePrefixes } from './zone-bucket';

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
  /**
   * Queues of S3 event notifications, one per consumer and prefix: each an SQS queue encrypted
   * with the lake key, which the zone bucket notifies of objects created and removed under the
   * prefix, beside its EventBridge notifications. Derived from the environment's config by the
   * app (the crawlers with `recrawl: events`), so the lake's stack holds every statement about
   * its own buckets and key. Consumers get a queue through {@link DataLake.eventQueue}.
   * @default none
   */
  readonly eventQueues?: readonly LakeEventQueue[];
  /**
   * Accounts a zone database is shared with (the governance layer's cross-account shares): the
   * lake key lets them decrypt the catalog it encrypts, through Glue only
   * ({@link LakeKeyProps.catalogReaderAccounts}).
   * @default none
   */
  readonly catalogReaderAccounts?: readonly string[];
}

/**
 * A queue of S3 event notifications the lake keeps for one consumer: a Glue crawler in S3 event
 * mode (`recrawl: events`), which reads the events S3 sends to SQS directly (not EventBridge's).
 */
export interface LakeEventQueue {
  /**
   * The consumer, e.g. the crawler's key under `processing.crawlers`: names the queue
   * `<project>-<env>-lake-<name>-events` and its addresses `lake_<name>_events_<part>`.
   */
  readonly name: string;
  /** The zone whose bucket sends the events. */
  readonly zone: Zone;
  /** The key prefix, ending in "/", whose objects' events (created, removed) go to the queue. */
  readonly prefix: string;
}

/** What a consumer needs of an event queue (see {@link DataLake.eventQueue}). */
export interface EventQueueRef {
  /** ARN of the queue (what a Glue crawler's S3 target and its role's policy take). */
  readonly arn: string;
  /** URL of the queue. */
  readonly url: string;
  /** Physical name of the queue, `<project>-<env>-lake-<name>-events`. */
  readonly name: string;
}

type Verb = 'read' | 'write' | 'delete';

/**
 * What {@link DataLake.grantCatalog} lets a role do with the catalog metadata the lake key
 * encrypts: `read` (query, describe) or `write` (also create and change databases, tables and
 * partitions).
 */
export type CatalogAccess = 'read' | 'write';

/** The accesses `grantCatalog` accepts. */
export const CATALOG_ACCESS: readonly CatalogAccess[] = ['read', 'write'];

/**
 * The KMS actions each catalog access needs on the lake key, through Glue only: readers decrypt
 * the metadata they get; writers also encrypt what they put, under new data keys.
 * @see https://docs.aws.amazon.com/glue/latest/dg/encrypt-glue-data-catalog.html
 */
export const CATALOG_KEY_ACTIONS: Readonly<Record<CatalogAccess, readonly string[]>> = {
  read: ['kms:Decrypt'],
  write: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey*'],
};

/** `<zone>.<table>`, how other layers refer to a managed table. */
const TABLE_REF_RE = /^([a-z]+)\.([a-z][a-z0-9_]*)$/;

/** Base of the Terraform addresses of an event queue and its policy. */
const eventQueueAddress = (name: string) => `lake_${name.replace(/-/g, '_')}_events`;

/**
 * The data lake of one environment: a KMS key, one bucket per zone (raw, processed, curated),
 * a bucket for Athena query results, a bucket for platform artifacts (job scripts, temporary
 * files, checkpoints), a bucket for S3 access logs and one Glue catalog database per zone.
 *
 * Every bucket is a {@link ZoneBucket} (encrypted with the lake key, TLS only, versioned, public
 * access blocked, access-logged). Zone buckets, and only they, send their object events to EventBridge.
 *
 * Event queues (`eventQueues`): an SQS queue per consumer, `<project>-<env>-lake-<name>-events`,
 * encrypted with the lake key, address `aws_sqs_queue.lake_<name>_events_queue`. Its zone bucket
 * sends it the events of objects created and removed under the prefix, in the bucket's one
 * notification configuration (beside EventBridge), once the queue's policy lets S3 send for that
 * bucket and account (`aws_sqs_queue_policy.lake_<name>_events_policy`); the key policy then lets
 * S3 of this account encrypt with the key. Consumers read a queue through {@link DataLake.eventQueue}
 * and take their own permissions (receiving, decrypting through SQS).
 *
 * Consumers get access through {@link DataLake.grantRead} and {@link DataLake.grantWrite}, which
 * attach a narrow policy to the consumer's role in the consumer's stack.
 *
 * Managed tables (`config.tables`): one {@link CatalogTable} per entry, in its zone's database,
 * reached through {@link DataLake.tables} and {@link DataLake.table}.
 *
 * Catalog encryption: the governance layer encrypts the account's Glue Data Catalog with the lake
 * key, so every role that reads or writes catalog metadata also needs
 * {@link DataLake.grantCatalog}.
 *
 * Pinned addresses: `aws_kms_key.lake_key`, `aws_s3_bucket.lake_<zone>_bucket`,
 * `aws_s3_bucket.lake_athena_results_bucket`, `aws_s3_bucket.lake_artifacts_bucket`,
 * `aws_s3_bucket.lake_access_logs_bucket`,
 * `aws_glue_catalog_database.lake_<zone>_database`, `aws_glue_catalog_table.lake_<table>_table`.
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
  /** The managed tables of `config.tables`, by table name. */
  readonly tables: Readonly<Record<string, CatalogTable>>;

  private readonly env: EnvironmentConfig;
  private readonly queues: ReadonlyMap<string, EncryptedQueue>;

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
    const eventQueues = props.eventQueues ?? [];
    checkEventQueues(v, eventQueues);
    for (const [name, table] of Object.entries(config.tables)) checkCatalogTable(v, name, table, (field) => `tables.${name}${field === 'name' ? '' : `.${field}`}`);
    v.throwIfAny();

    const stack = PlatformStack.of(this);
    this.env = stack.env;

    const writers = props.serviceWriters ?? [];
    this.key = new LakeKey(this, 'key', {
      deletionWindowDays: config.keyDeletionWindowDays,
      writerServices: [...new Set(writers.map((w) => w.service))],
      allowS3EventNotifications: eventQueues.length > 0,
      catalogReaderAccounts: props.catalogReaderAccounts,
    });
    this.accessLogs = new ZoneBucket(this, 'access-logs', {
      role: 'access-logs',
      address: 'lake_access_logs',
      allowLogDelivery: true,
      lifecycle: { expirationDays: config.accessLogsExpirationDays, abortIncompleteUploadDays: config.abortIncompleteUploadDays },
    });

    const queues = new Map<string, EncryptedQueue>();
    for (const { name } of eventQueues) {
      queues.set(name, new EncryptedQueue(this, `events-${name}`, { layer: 'lake', key: this.key, name: `${name}-events`, address: `${eventQueueAddress(name)}_queue` }));
    }
    this.queues = queues;

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
        queueNotifications: eventQueues.filter((q) => q.zone === zone).map(({ name, prefix }) => {
          const queue = queues.get(name) as EncryptedQueue;
          return { name, prefix, queue: { arn: queue.arn, url: queue.url }, address: eventQueueAddress(name) };
        }),
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

    this.tables = Object.fromEntries(
      Object.entries(config.tables).map(([name, table]) => [
        name,
        new CatalogTable(this, `table-${name}`, { name, config: table, bucket: zones[table.zone], database: databases[table.zone] }),
      ]),
    );
  }

  /**
   * The managed table `ref`, written `<zone>.<table>` as governance, BI and ML config refer to
   * tables (e.g. `curated.daily_revenue`).
   * @throws PlatformError naming the lake's tables when `ref` is malformed, unknown, or names a
   *   table of another zone
   */
  table(ref: string): CatalogTable {
    const [, zone, name] = TABLE_REF_RE.exec(ref) ?? [];
    const table = name !== undefined && Object.hasOwn(this.tables, name) ? this.tables[name] : undefined;
    if (table && table.zone === zone) return table;
    const known = Object.values(this.tables).map((t) => t.ref);
    const listed = `tables: ${known.length > 0 ? known.join(', ') : 'none'}`;
    const shown = JSON.stringify(ref);
    const message = name === undefined
      ? `${shown} is not a table reference; use "<zone>.<table>" (${listed})`
      : table
        ? `${shown} names the table ${name} in the ${zone} zone, but it is in the ${table.zone} zone (${listed}); use ${JSON.stringify(table.ref)}`
        : `${shown} is not a table of this lake (${listed}); declare it in lake.tables or use one of those`;
    throw new PlatformError(`DataLake ${this.node.path}`, [{ path: 'table', message }]);
  }

  /**
   * The event queue `name` of `eventQueues`: its ARN, URL and name, for the consumer to read
   * (a Glue crawler's S3 target takes the ARN). The consumer's role needs its own permissions:
   * receiving and deleting messages, and decrypting with the lake key through SQS.
   * @throws PlatformError when the lake has no event queue `name`
   */
  eventQueue(name: string): EventQueueRef {
    const queue = this.queues.get(name);
    if (!queue) {
      const known = this.queues.size > 0 ? [...this.queues.keys()].join(', ') : 'none';
      throw new PlatformError(`DataLake ${this.node.path}`, [{
        path: 'eventQueue',
        message: `${JSON.stringify(name)} is not an event queue of this lake (queues: ${known}); add { name: ${JSON.stringify(name)}, zone, prefix } to its eventQueues (the app derives them from the crawlers with recrawl: events)`,
      }]);
    }
    return { arn: queue.arn, url: queue.url, name: queue.name };
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

  /**
   * Lets `role` use the lake key for the Glue Data Catalog, which the governance layer encrypts
   * with it: `read` decrypts the metadata the role gets (every catalog reader: Athena users,
   * crawlers, jobs, QuickSight); `write` also encrypts what it creates or changes, under new data
   * keys (see {@link CATALOG_KEY_ACTIONS}). Only through Glue (`kms:ViaService`
   * `glue.<region>.amazonaws.com`): the role cannot decrypt lake objects with this grant.
   *
   * What the role may do in the catalog is still decided by its Glue and Lake Formation
   * permissions; this only lets it read (and write) the encrypted metadata those allow.
   *
   * Created like {@link DataLake.grantRead}, in the role's stack; granting the same access twice
   * returns the first policy. A role granted `write` needs no `read` grant.
   *
   * @returns the role's inline policy
   * @throws PlatformError for an unknown access or a role in another account
   * @see https://docs.aws.amazon.com/athena/latest/ug/access-encrypted-data-glue-data-catalog.html
   */
  grantCatalog(role: IamRole, access: CatalogAccess): IamRolePolicy {
    const v = new Validator(`DataLake ${this.node.path}`);
    v.check(CATALOG_ACCESS.includes(access), 'access', `is ${JSON.stringify(access)}; use one of ${CATALOG_ACCESS.join(', ')}`);
    this.checkRole(v, role);
    v.throwIfAny();

    const scope = role.node.scope as Construct;
    const id = `${role.node.id}-catalog-${access}`;
    const existing = scope.node.tryFindChild(id);
    if (existing instanceof IamRolePolicy) return existing;

    const document = new DataAwsIamPolicyDocument(scope, `${id}-document`, {
      statement: [{
        sid: access === 'read' ? 'ReadEncryptedCatalog' : 'WriteEncryptedCatalog',
        effect: 'Allow',
        actions: [...CATALOG_KEY_ACTIONS[access]],
        resources: [this.key.arn],
        condition: [{ test: 'StringEquals', variable: 'kms:ViaService', values: [`glue.${this.env.region}.amazonaws.com`] }],
      }],
    });
    return new IamRolePolicy(scope, id, {
      name: PlatformStack.of(this).resourceName('lake', `catalog-${access}`, { maxLength: NAME_LIMITS.iamPolicy }),
      role: role.name,
      policy: document.json,
    });
  }

  /** Records a problem unless `role` is in a PlatformStack of the lake's account (the lake key delegates only to IAM there). */
  private checkRole(v: Validator, role: IamRole): void {
    const roleStack = TerraformStack.of(role);
    if (!(roleStack instanceof PlatformStack)) {
      v.add('role', `${role.node.path} is not in a PlatformStack; create the role in a platform stack`);
    } else if (roleStack.env.account !== this.env.account) {
      v.add('role', `${role.node.path} is in account ${roleStack.env.account}; grant to a role in the lake's account, ${this.env.account} (the lake key delegates only to IAM there)`);
    }
  }

  /**
   * Lets `role` delete objects of `zone` (its bucket) under `prefix`. The buckets are versioned:
   * a delete leaves the object recoverable as a noncurrent version until the zone's lifecycle
   * expires it, and no grant deletes versions themselves.
   *
   * For roles that rewrite data, e.g. the Lake Formation registration role, whose permissions
   * bound what Lake Formation's vended credentials may do (DELETE, INSERT OVERWRITE).
   * Created like {@link DataLake.grantRead}, in the role's stack.
   *
   * @param prefix a key prefix ending in "/", or "" (the default) for the whole bucket
   * @returns the role's inline policy
   * @throws PlatformError for an unknown bucket, a malformed prefix or a role in another account
   */
  grantDelete(role: IamRole, zone: GrantableZone, prefix = ''): IamRolePolicy {
    return this.grant('delete', role, zone, prefix);
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
    this.checkRole(v, role);
    v.throwIfAny();

    const scope = role.node.scope as Construct;
    const target = zone === 'athena-results' ? this.athenaResults : zone === 'artifacts' ? this.artifacts : this.zones[zone];
    const prefixTag = prefix === '' ? 'all' : createHash('sha256').update(prefix).digest('hex').slice(0, NAME_HASH_LENGTH);
    const id = `${role.node.id}-${verb}-${zone}-${prefixTag}`;
    const existing = scope.node.tryFindChild(id);
    if (existing instanceof IamRolePolicy) return existing;

    const statements = verb === 'read'
      ? readStatements(target, prefix, this.env.region)
      : verb === 'write' ? writeStatements(target, prefix, this.env.region) : deleteStatements(target, prefix);
    const document = new DataAwsIamPolicyDocument(scope, `${id}-document`, { statement: statements });
    return new IamRolePolicy(scope, id, {
      name: PlatformStack.of(this).resourceName('lake', `${verb}-${zone}-${prefixTag}`, { maxLength: NAME_LIMITS.iamPolicy }),
      role: role.name,
      policy: document.json,
    });
  }
}

/** Records problems with the event queues on `v`: valid distinct names, known zones, prefixes S3 can notify of. */
function checkEventQueues(v: Validator, queues: readonly LakeEventQueue[]): void {
  queues.forEach(({ name, zone }, i) => {
    if (!Token.isUnresolved(name)) {
      if (!DATASET_NAME_RE.test(name)) v.add(`eventQueues[${i}].name`, `is ${JSON.stringify(name)}; ${DATASET_NAME_FIX}`);
      else if (queues.findIndex((q) => q.name === name) !== i) v.add(`eventQueues[${i}].name`, `is ${JSON.stringify(name)} again; give each queue its own name`);
    }
    v.check((ZONES as readonly string[]).includes(zone), `eventQueues[${i}].zone`, `is ${JSON.stringify(zone)}; use one of ${ZONES.join(', ')}`);
  });
  for (const zone of ZONES) {
    const inZone = queues.flatMap((q, i) => (q.zone === zone ? [{ q, i }] : []));
    checkQueuePrefixes(v, inZone.map(({ q }) => q.prefix), (j) => `eventQueues[${inZone[j].i}].prefix`, (j) => `queue ${inZone[j].q.name} in the ${zone} zone`);
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

/** Deleting objects (a delete marker on the versioned buckets; never a version itself). */
function deleteStatements(bucket: ZoneBucket, prefix: string): DataAwsIamPolicyDocumentStatement[] {
  return [{ sid: 'DeleteObjects', effect: 'Allow', actions: ['s3:DeleteObject'], resources: [`${bucket.arn}/${prefix}*`] }];
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
