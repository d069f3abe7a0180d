import { Token } from 'cdktf';
import { Construct } from 'constructs';
import {
  DataAwsIamPolicyDocument,
  DataAwsIamPolicyDocumentStatement,
} from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import {
  S3BucketLifecycleConfiguration,
  S3BucketLifecycleConfigurationRuleTransition,
} from '@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration';
import { S3BucketLoggingA } from '@cdktf/provider-aws/lib/s3-bucket-logging';
import { S3BucketNotification } from '@cdktf/provider-aws/lib/s3-bucket-notification';
import { S3BucketOwnershipControls } from '@cdktf/provider-aws/lib/s3-bucket-ownership-controls';
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
import { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
import { S3BucketVersioningA } from '@cdktf/provider-aws/lib/s3-bucket-versioning';
import { SqsQueuePolicy } from '@cdktf/provider-aws/lib/sqs-queue-policy';
import { LAKE_DEFAULTS, NAME_LIMITS, PlatformStack, Validator, ZONE_LIFECYCLE_DEFAULTS, stateful, suppressRule } from '@data-platform/core';
import { LakeKey } from './lake-key';

/** Defaults of the optional ZoneBucket props. */
export const ZONE_BUCKET_DEFAULTS = {
  noncurrentVersionExpirationDays: ZONE_LIFECYCLE_DEFAULTS.noncurrentVersionExpirationDays,
  abortIncompleteUploadDays: LAKE_DEFAULTS.abortIncompleteUploadDays,
  allowLogDelivery: false,
  eventBridge: false,
} as const;

/** An AWS service allowed to write one prefix of a bucket through the bucket policy. */
export interface ServiceWriter {
  /** Service principal, e.g. `appflow.amazonaws.com`. */
  readonly service: string;
  /** Key prefix ending in "/". */
  readonly prefix: string;
}

/**
 * The object events a bucket sends to each queue of `queueNotifications`: objects created and
 * removed. Glue's S3 event mode needs both: without removal events, a crawler recreates the
 * partitions whose objects were deleted.
 * @see https://docs.aws.amazon.com/glue/latest/dg/crawler-s3-event-notifications.html
 */
export const QUEUE_NOTIFICATION_EVENTS = ['s3:ObjectCreated:*', 's3:ObjectRemoved:*'] as const;

/**
 * An SQS queue the bucket sends the object events of one key prefix to, as S3 event
 * notifications (the messages a Glue crawler in S3 event mode reads).
 */
export interface QueueNotification {
  /** Names the notification in the bucket's notification configuration (its id), e.g. `raw-partners`. */
  readonly name: string;
  /**
   * The queue. The bucket writes the queue's policy (an SQS queue has one policy, so it must be
   * the only one): S3 may send to it for this bucket and account only.
   */
  readonly queue: { readonly arn: string; readonly url: string };
  /**
   * Base of the Terraform addresses of the queue's resources: the bucket pins the queue's policy
   * to `aws_sqs_queue_policy.<address>_policy` (e.g. `lake_raw_partners_events_policy`).
   */
  readonly address: string;
  /** Key prefix ending in "/"; the prefixes of one bucket's queue notifications must not overlap. */
  readonly prefix: string;
}

/** S3's minimum age of an object moving to Standard-IA, and its minimum stay there before the next transition. */
const STANDARD_IA_MIN_DAYS = 30;

/** The service principal that sends S3 event notifications. */
const S3_SERVICE = 's3.amazonaws.com';

/** The service principal that delivers S3 server access logs. */
const LOG_DELIVERY_SERVICE = 'logging.s3.amazonaws.com';

const ROLE_RE = /^[a-z][a-z0-9-]*[a-z0-9]$/;
/** `stateful()` accepts at most 64 characters; the bucket's address adds `_bucket`. */
const ADDRESS_RE = /^[a-z][a-z0-9_]{0,56}$/;

/**
 * When objects move to cheaper storage and when they, their old versions and unfinished
 * uploads are removed. One rule, applied to the whole bucket.
 */
export interface ZoneBucketLifecycle {
  /**
   * Days before current objects move to S3 Standard-IA (S3 requires at least 30).
   * @default never: objects stay in S3 Standard
   */
  readonly infrequentAccessDays?: number;
  /**
   * Days before current objects move to Glacier Instant Retrieval; at least 30 days after
   * `infrequentAccessDays` when both are set (S3's minimum stay in Standard-IA).
   * @default never archived
   */
  readonly archiveDays?: number;
  /**
   * Days before current objects expire (become noncurrent versions); after the last transition.
   * @default never: objects are kept
   */
  readonly expirationDays?: number;
  /**
   * Days a replaced or deleted object version is kept before it is removed.
   * @default 90 (ZONE_BUCKET_DEFAULTS.noncurrentVersionExpirationDays)
   */
  readonly noncurrentVersionExpirationDays?: number;
  /**
   * Days before incomplete multipart uploads are aborted (their parts are billed until then).
   * @default 7 (ZONE_BUCKET_DEFAULTS.abortIncompleteUploadDays)
   */
  readonly abortIncompleteUploadDays?: number;
}

/** Props of {@link ZoneBucket}: what the bucket is for and what it connects to. */
export interface ZoneBucketProps {
  /**
   * What the bucket holds, e.g. `raw` or `athena-results`: the last part of its physical name
   * `<project>-<env>-lake-<role>-<account>` and the prefix of its access logs.
   */
  readonly role: string;
  /**
   * Base of the Terraform addresses, e.g. `lake_raw`: the bucket is `aws_s3_bucket.<address>_bucket`.
   * Part of the state contract: changing it moves (replaces) the bucket.
   */
  readonly address: string;
  /**
   * Encrypts every object (SSE-KMS with an S3 bucket key). Absent only for the access-logs
   * bucket (`allowLogDelivery: true`), which uses SSE-S3 because S3 server access logging cannot
   * deliver to buckets encrypted with SSE-KMS.
   * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html
   */
  readonly key?: LakeKey;
  /**
   * The access-logs bucket this bucket's server access logs go to, under `<role>/`. Absent
   * only for the access-logs bucket itself.
   */
  readonly logs?: ZoneBucket;
  /**
   * Transitions and expirations.
   * @default no transitions, no expiration; old versions and incomplete uploads removed after the
   *   ZONE_BUCKET_DEFAULTS days
   */
  readonly lifecycle?: ZoneBucketLifecycle;
  /**
   * Makes this the access-logs bucket: S3 server access logging (the `logging.s3.amazonaws.com`
   * service, for sources in this account) may write objects. Needs SSE-S3 (no `key`).
   * @default false (ZONE_BUCKET_DEFAULTS.allowLogDelivery)
   */
  readonly allowLogDelivery?: boolean;
  /**
   * Sends the bucket's object events to Amazon EventBridge (the default bus), for the consumers
   * that react to new data. The bucket owns its notification configuration (S3 keeps one per
   * bucket), shared with `queueNotifications`.
   * @default false (ZONE_BUCKET_DEFAULTS.eventBridge)
   */
  readonly eventBridge?: boolean;
  /**
   * AWS services that write into this bucket themselves, through the bucket policy rather than a
   * role of ours (AppFlow), each limited to one key prefix and to sources in this account.
   * @default none
   */
  readonly serviceWriters?: readonly ServiceWriter[];
  /**
   * Queues the bucket sends object events to, each for one prefix (created and removed objects,
   * see QUEUE_NOTIFICATION_EVENTS), in the same notification configuration as EventBridge: S3
   * keeps one per bucket. The bucket also writes each queue's policy, and configures the
   * notifications once those policies are in place (S3 checks that it may send to each queue).
   * @default none
   * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/grant-destinations-permissions-to-s3.html
   */
  readonly queueNotifications?: readonly QueueNotification[];
}

const known = (n: number | undefined): n is number => n !== undefined && !Token.isUnresolved(n);

/**
 * Records problems with a lifecycle on `v`. `path` maps a field to its name in the caller's
 * terms (DataLake reports `zones.raw.archiveDays`, ZoneBucket `lifecycle.archiveDays`).
 * Values that are still tokens are skipped.
 * @internal shared with DataLake, which validates its whole config before creating anything
 */
export function checkLifecycle(
  v: Validator,
  lifecycle: ZoneBucketLifecycle,
  path: (field: keyof ZoneBucketLifecycle) => string,
): void {
  const { infrequentAccessDays: ia, archiveDays: archive, expirationDays: expiration } = lifecycle;
  const whole = (n: number) => Number.isInteger(n);
  if (known(ia)) {
    v.check(whole(ia) && ia >= STANDARD_IA_MIN_DAYS, path('infrequentAccessDays'),
      `is ${ia}; use a whole number of ${STANDARD_IA_MIN_DAYS} or more (S3 moves objects to Standard-IA no earlier than ${STANDARD_IA_MIN_DAYS} days)`);
  }
  if (known(archive)) {
    if (known(ia)) {
      const min = ia + STANDARD_IA_MIN_DAYS;
      v.check(whole(archive) && archive >= min, path('archiveDays'),
        `is ${archive}; use ${min} or more (at least ${STANDARD_IA_MIN_DAYS} days after infrequentAccessDays, ${ia}: S3 keeps objects in Standard-IA that long)`);
    } else {
      v.check(whole(archive) && archive >= 1, path('archiveDays'), `is ${archive}; use a whole number of 1 or more`);
    }
  }
  if (known(expiration)) {
    const last = known(archive) ? { field: 'archiveDays', days: archive } : known(ia) ? { field: 'infrequentAccessDays', days: ia } : undefined;
    if (last) {
      v.check(whole(expiration) && expiration > last.days, path('expirationDays'),
        `is ${expiration}; use more than ${last.days} (objects expire after their last transition, ${last.field}), or remove the transition`);
    } else {
      v.check(whole(expiration) && expiration >= 1, path('expirationDays'), `is ${expiration}; use a whole number of 1 or more`);
    }
  }
  for (const field of ['noncurrentVersionExpirationDays', 'abortIncompleteUploadDays'] as const) {
    const days = lifecycle[field];
    if (known(days)) v.check(whole(days) && days >= 1, path(field), `is ${days}; use a whole number of 1 or more`);
  }
}

/**
 * Records problems with the prefixes of one bucket's queue notifications on `v`: each of the form
 * S3 filters on (ending in "/"), none containing another (S3 rejects a bucket's notification
 * configuration whose queue notifications overlap for the same events). `path` names the prefix
 * of the i-th notification in the caller's terms, `label` the notification; prefixes that are
 * still tokens are skipped.
 * @internal shared with DataLake, which validates its whole config before creating anything
 */
export function checkQueuePrefixes(
  v: Validator,
  prefixes: readonly string[],
  path: (i: number) => string,
  label: (i: number) => string,
): void {
  prefixes.forEach((prefix, i) => {
    if (Token.isUnresolved(prefix)) return;
    const shown = JSON.stringify(prefix);
    if (prefix === '' || prefix.startsWith('/') || !prefix.endsWith('/') || /[*?]/.test(prefix)) {
      v.add(path(i), `is ${shown}; use a key prefix ending in "/", without a leading "/" or wildcards (e.g. "orders/"): S3 matches it against the start of each key`);
      return;
    }
    const earlier = prefixes.slice(0, i).findIndex((p) => !Token.isUnresolved(p) && (p.startsWith(prefix) || prefix.startsWith(p)));
    if (earlier >= 0) {
      v.add(path(i), `is ${shown}, which overlaps ${JSON.stringify(prefixes[earlier])} of ${label(earlier)}; `
        + 'use prefixes that do not contain one another (S3 rejects queue notifications of one bucket whose prefixes overlap)');
    }
  });
}

/**
 * One bucket of the data lake, secure by default.
 *
 * Every bucket, whatever its props: a name `<project>-<env>-lake-<role>-<account>`, no
 * `force_destroy`, versioning, default encryption (SSE-KMS with the lake key and an S3 bucket
 * key; SSE-S3 for the access-logs bucket), all public access blocked, ACLs disabled (bucket
 * owner enforced), a policy that denies requests without TLS and uploads asking for another
 * encryption or another KMS key, server access logs to the access-logs bucket, and a lifecycle
 * that removes old versions and abandoned uploads.
 *
 * Its object events go, as asked, to EventBridge and to SQS queues (one prefix each), through the
 * bucket's single notification configuration `<address>_notification`; the bucket writes the
 * policy of each queue it notifies, pinned to `<queue address>_policy`.
 *
 * The bucket is stateful: address `aws_s3_bucket.<address>_bucket`, protected from destroy when
 * the environment is. The resources that configure it are pinned to `<address>_<part>` so plans
 * read well and moving the construct moves nothing.
 */
export class ZoneBucket extends Construct {
  /** The S3 bucket. */
  readonly bucket: S3Bucket;
  /** Name of the bucket. */
  readonly name: string;
  /** ARN of the bucket. */
  readonly arn: string;
  /** What the bucket holds (the `role` prop), e.g. `raw`. */
  readonly role: string;
  /** The lake key encrypting the bucket; undefined for the access-logs bucket (SSE-S3). */
  readonly key?: LakeKey;
  /** The bucket policy; buckets that log here wait for it (it lets the log delivery service write). */
  readonly policy: S3BucketPolicy;
  /** True for the access-logs bucket: S3 server access logging may write to it. */
  readonly acceptsLogDelivery: boolean;

  constructor(scope: Construct, id: string, props: ZoneBucketProps) {
    super(scope, id);
    const allowLogDelivery = props.allowLogDelivery ?? ZONE_BUCKET_DEFAULTS.allowLogDelivery;
    const lifecycle = props.lifecycle ?? {};

    const v = new Validator(`ZoneBucket ${this.node.path}`);
    v.check(ROLE_RE.test(props.role), 'role', `is ${JSON.stringify(props.role)}; use lowercase letters, digits and "-", starting with a letter (it is part of the bucket name)`);
    v.check(ADDRESS_RE.test(props.address), 'address', `is ${JSON.stringify(props.address)}; use at most 57 lowercase letters, digits and "_", starting with a letter (e.g. "lake_raw")`);
    if (allowLogDelivery) {
      v.check(!props.key, 'key', 'is set on the access-logs bucket (allowLogDelivery: true); remove it: S3 server access logging cannot deliver to SSE-KMS buckets, so this bucket uses SSE-S3');
    } else {
      v.check(!!props.key, 'key', 'is missing; pass the lake key (only the access-logs bucket, allowLogDelivery: true, goes without it)');
      v.check(!!props.logs, 'logs', 'is missing; pass the access-logs bucket (every bucket but the access-logs bucket logs its access)');
    }
    if (props.logs) {
      v.check(props.logs.acceptsLogDelivery, 'logs', `is ${props.logs.node.path}, which does not accept log delivery; pass the access-logs bucket (allowLogDelivery: true)`);
    }
    checkLifecycle(v, lifecycle, (field) => `lifecycle.${field}`);
    const queueNotifications = props.queueNotifications ?? [];
    queueNotifications.forEach(({ name, address }, i) => {
      if (queueNotifications.findIndex((n) => n.name === name) !== i) v.add(`queueNotifications[${i}].name`, `is ${JSON.stringify(name)} again; give each notification its own name`);
      if (!ADDRESS_RE.test(address)) {
        v.add(`queueNotifications[${i}].address`, `is ${JSON.stringify(address)}; use at most 57 lowercase letters, digits and "_", starting with a letter (e.g. "lake_orders_events")`);
      } else if (queueNotifications.findIndex((n) => n.address === address) !== i) {
        v.add(`queueNotifications[${i}].address`, `is ${JSON.stringify(address)} again; give each queue its own address`);
      }
    });
    checkQueuePrefixes(v, queueNotifications.map((n) => n.prefix), (i) => `queueNotifications[${i}].prefix`, (i) => `notification ${queueNotifications[i].name}`);
    v.throwIfAny();

    const stack = PlatformStack.of(this);
    const { env } = stack;
    const pin = <T extends { overrideLogicalId(id: string): void }>(element: T, part: string): T => {
      element.overrideLogicalId(`${props.address}_${part}`);
      return element;
    };

    this.role = props.role;
    this.key = props.key;
    this.acceptsLogDelivery = allowLogDelivery;
    this.bucket = new S3Bucket(this, 'bucket', {
      bucket: stack.resourceName('lake', props.role, { maxLength: NAME_LIMITS.s3Bucket, suffix: env.account }),
      forceDestroy: false,
    });
    stateful(this.bucket, `${props.address}_bucket`);
    if (allowLogDelivery) {
      suppressRule(this.bucket, 's3-kms-encryption', 'S3 server access logging delivers only to buckets encrypted with SSE-S3 (AES256), never SSE-KMS; this bucket holds access logs only, no lake data');
    }
    this.name = this.bucket.bucket;
    this.arn = this.bucket.arn;
    const bucket = this.bucket.id;

    const versioning = pin(new S3BucketVersioningA(this, 'versioning', {
      bucket,
      versioningConfiguration: { status: 'Enabled' },
    }), 'versioning');

    pin(new S3BucketServerSideEncryptionConfigurationA(this, 'encryption', {
      bucket,
      rule: [
        props.key
          ? { applyServerSideEncryptionByDefault: { sseAlgorithm: 'aws:kms', kmsMasterKeyId: props.key.arn }, bucketKeyEnabled: true }
          : { applyServerSideEncryptionByDefault: { sseAlgorithm: 'AES256' } },
      ],
    }), 'encryption');

    const publicAccessBlock = pin(new S3BucketPublicAccessBlock(this, 'public-access-block', {
      bucket,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    }), 'public_access_block');

    pin(new S3BucketOwnershipControls(this, 'ownership', {
      bucket,
      rule: { objectOwnership: 'BucketOwnerEnforced' },
    }), 'ownership');

    const document = pin(new DataAwsIamPolicyDocument(this, 'policy-document', {
      statement: this.policyStatements(env.account, allowLogDelivery, props.serviceWriters ?? []),
    }), 'policy');
    this.policy = pin(new S3BucketPolicy(this, 'policy', {
      bucket,
      policy: document.json,
      // S3 rejects concurrent changes to a bucket's policy and its public access block.
      dependsOn: [publicAccessBlock],
    }), 'policy');

    if (props.logs) {
      pin(new S3BucketLoggingA(this, 'logging', {
        bucket,
        targetBucket: props.logs.bucket.id,
        targetPrefix: `${props.role}/`,
        // Delivery is allowed by the target's bucket policy (ACLs are disabled there).
        dependsOn: [props.logs.policy],
      }), 'logging');
    }

    const transition: S3BucketLifecycleConfigurationRuleTransition[] = [];
    if (lifecycle.infrequentAccessDays !== undefined) transition.push({ days: lifecycle.infrequentAccessDays, storageClass: 'STANDARD_IA' });
    if (lifecycle.archiveDays !== undefined) transition.push({ days: lifecycle.archiveDays, storageClass: 'GLACIER_IR' });
    pin(new S3BucketLifecycleConfiguration(this, 'lifecycle', {
      bucket,
      rule: [
        {
          id: 'lake-lifecycle',
          status: 'Enabled',
          // The whole bucket. An empty filter block makes provider 5.x warn (it wants exactly one
          // filter attribute); the empty prefix is its documented "every object" form.
          filter: [{ prefix: '' }],
          transition: transition.length > 0 ? transition : undefined,
          expiration: lifecycle.expirationDays !== undefined ? [{ days: lifecycle.expirationDays }] : undefined,
          noncurrentVersionExpiration: [{
            noncurrentDays: lifecycle.noncurrentVersionExpirationDays ?? ZONE_BUCKET_DEFAULTS.noncurrentVersionExpirationDays,
          }],
          abortIncompleteMultipartUpload: [{
            daysAfterInitiation: lifecycle.abortIncompleteUploadDays ?? ZONE_BUCKET_DEFAULTS.abortIncompleteUploadDays,
          }],
        },
      ],
      // Noncurrent-version rules need versioning in place first.
      dependsOn: [versioning],
    }), 'lifecycle');

    const queuePolicies = queueNotifications.map((n) => {
      const queueDocument = new DataAwsIamPolicyDocument(this, `${n.address}-policy-document`, {
        statement: [
          {
            // Only this bucket's notifications, and only from this account (bucket names are global).
            sid: 'AllowBucketNotifications',
            effect: 'Allow',
            principals: [{ type: 'Service', identifiers: [S3_SERVICE] }],
            actions: ['sqs:SendMessage'],
            resources: [n.queue.arn],
            condition: [
              { test: 'ArnEquals', variable: 'aws:SourceArn', values: [this.arn] },
              { test: 'StringEquals', variable: 'aws:SourceAccount', values: [env.account] },
            ],
          },
        ],
      });
      queueDocument.overrideLogicalId(`${n.address}_policy`);
      const policy = new SqsQueuePolicy(this, `${n.address}-policy`, { queueUrl: n.queue.url, policy: queueDocument.json });
      policy.overrideLogicalId(`${n.address}_policy`);
      return policy;
    });

    const eventBridge = props.eventBridge ?? ZONE_BUCKET_DEFAULTS.eventBridge;
    if (eventBridge || queueNotifications.length > 0) {
      // S3 keeps one notification configuration per bucket: EventBridge and every queue share it.
      pin(new S3BucketNotification(this, 'notification', {
        bucket,
        eventbridge: eventBridge || undefined,
        queue: queueNotifications.length > 0
          ? queueNotifications.map((n) => ({ id: n.name, queueArn: n.queue.arn, events: [...QUEUE_NOTIFICATION_EVENTS], filterPrefix: n.prefix }))
          : undefined,
        // S3 validates each queue destination when the configuration is written: it must be allowed to send first.
        dependsOn: queuePolicies.length > 0 ? queuePolicies : undefined,
      }), 'notification');
    }
  }

  private policyStatements(account: string, allowLogDelivery: boolean, writers: readonly ServiceWriter[]): DataAwsIamPolicyDocumentStatement[] {
    const everyone = [{ type: '*', identifiers: ['*'] }];
    const objects = `${this.arn}/*`;
    const statements: DataAwsIamPolicyDocumentStatement[] = [
      {
        sid: 'DenyInsecureTransport',
        effect: 'Deny',
        principals: everyone,
        actions: ['s3:*'],
        resources: [this.arn, objects],
        condition: [{ test: 'Bool', variable: 'aws:SecureTransport', values: ['false'] }],
      },
      // Negated operators (StringNotEquals) also match when the key is missing from the request,
      // so each deny is guarded by `Null = false` ("the header is present"): uploads that name no
      // encryption still work and get the bucket's default encryption.
      {
        sid: 'DenyOtherEncryption',
        effect: 'Deny',
        principals: everyone,
        actions: ['s3:PutObject'],
        resources: [objects],
        condition: [
          { test: 'Null', variable: 's3:x-amz-server-side-encryption', values: ['false'] },
          { test: 'StringNotEquals', variable: 's3:x-amz-server-side-encryption', values: [this.key ? 'aws:kms' : 'AES256'] },
        ],
      },
    ];
    if (this.key) {
      statements.push({
        // Clients naming a key must name it by ARN, the form S3 compares here.
        sid: 'DenyOtherKmsKey',
        effect: 'Deny',
        principals: everyone,
        actions: ['s3:PutObject'],
        resources: [objects],
        condition: [
          { test: 'Null', variable: 's3:x-amz-server-side-encryption-aws-kms-key-id', values: ['false'] },
          { test: 'StringNotEquals', variable: 's3:x-amz-server-side-encryption-aws-kms-key-id', values: [this.key.arn] },
        ],
      });
    }
    if (allowLogDelivery) {
      statements.push({
        // With ACLs disabled (BucketOwnerEnforced), S3 server access logging delivers only when the
        // bucket policy allows its service principal; limited to sources in this account.
        sid: 'AllowServerAccessLogDelivery',
        effect: 'Allow',
        principals: [{ type: 'Service', identifiers: [LOG_DELIVERY_SERVICE] }],
        actions: ['s3:PutObject'],
        resources: [objects],
        condition: [{ test: 'StringEquals', variable: 'aws:SourceAccount', values: [account] }],
      });
    }
    writers.forEach((w, i) => {
      const sourceAccount = [{ test: 'StringEquals', variable: 'aws:SourceAccount', values: [account] }];
      const service = [{ type: 'Service', identifiers: [w.service] }];
      // AppFlow checks the bucket before a run and writes multipart; it needs no read access.
      statements.push(
        {
          sid: `AllowServiceWrite${i}`,
          effect: 'Allow',
          principals: service,
          actions: ['s3:PutObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts', 's3:PutObjectAcl'],
          resources: [`${this.arn}/${w.prefix}*`],
          condition: sourceAccount,
        },
        {
          sid: `AllowServiceLocate${i}`,
          effect: 'Allow',
          principals: service,
          actions: ['s3:GetBucketAcl', 's3:ListBucketMultipartUploads'],
          resources: [this.arn],
          condition: sourceAccount,
        },
      );
    });
    return statements;
  }
}
