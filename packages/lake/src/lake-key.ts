import { Token } from 'cdktf';
import { Construct } from 'constructs';
import { DataAwsIamPolicyDocument } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { LAKE_DEFAULTS, NAME_LIMITS, PlatformStack, Validator, stateful } from '@data-platform/core';

/** Shortest and longest waiting period KMS accepts before deleting a key. */
const DELETION_WINDOW = { min: 7, max: 30 } as const;

const ALIAS_PREFIX = 'alias/';

/** Props of {@link LakeKey}. */
export interface LakeKeyProps {
  /**
   * Days KMS waits before deleting the key once it is scheduled for deletion (7 to 30); the
   * deletion can be cancelled during that window.
   * @default 30 (LAKE_DEFAULTS.keyDeletionWindowDays)
   * @see https://docs.aws.amazon.com/kms/latest/developerguide/deleting-keys.html
   */
  readonly deletionWindowDays?: number;
  /**
   * Services that write into lake buckets through a bucket policy (AppFlow): they encrypt with
   * the key as themselves, so the key policy must let them, for requests from this account.
   * @default none
   */
  readonly writerServices?: readonly string[];
  /**
   * Lets S3 encrypt the event notifications it sends to queues encrypted with the key (the lake's
   * event queues): `s3.amazonaws.com` may generate data keys and decrypt, for requests from this
   * account. S3 also checks a queue destination this way when the notification is configured.
   * @default false (LAKE_KEY_DEFAULTS.allowS3EventNotifications)
   * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/grant-destinations-permissions-to-s3.html
   */
  readonly allowS3EventNotifications?: boolean;
  /**
   * Accounts a catalog database is shared with (Lake Formation cross-account grants): the Data
   * Catalog is encrypted with this key, so principals of those accounts may decrypt with it,
   * through Glue only, to read the shared metadata. Their own IAM policies must allow it too.
   * @default none
   * @see https://docs.aws.amazon.com/lake-formation/latest/dg/cross-account-prereqs.html
   */
  readonly catalogReaderAccounts?: readonly string[];
}

/** Defaults of the optional LakeKey props. */
export const LAKE_KEY_DEFAULTS = { allowS3EventNotifications: false } as const;


/**
 * Records problems with LakeKey props on `v`; `path` names the field in the caller's terms.
 * @internal shared with DataLake, which validates its whole config before creating anything
 */
export function checkLakeKeyProps(v: Validator, props: LakeKeyProps, path = 'deletionWindowDays'): void {
  const days = props.deletionWindowDays;
  if (days === undefined || Token.isUnresolved(days)) return;
  v.check(
    Number.isInteger(days) && days >= DELETION_WINDOW.min && days <= DELETION_WINDOW.max,
    path,
    `is ${days}; use a whole number from ${DELETION_WINDOW.min} to ${DELETION_WINDOW.max} (the window KMS allows before deleting a key)`,
  );
}

/**
 * The data lake's customer-managed KMS key: encrypts every lake bucket except the access logs.
 *
 * - Rotation is on; the deletion window comes from the environment (`lake.keyDeletionWindowDays`).
 * - The key policy delegates to IAM in the account, so access is granted by IAM policies on the
 *   caller's role (see `DataLake.grantRead`), never by editing the key policy.
 * - Address pinned to `aws_kms_key.lake_key`, protected from destroy when the environment is.
 * - Alias `alias/<project>-<env>-lake-key`.
 */
export class LakeKey extends Construct {
  /** The KMS key. */
  readonly key: KmsKey;
  /** ARN of the key. */
  readonly arn: string;
  /** Id of the key. */
  readonly keyId: string;
  /** The key's alias, `alias/<project>-<env>-lake-key`. */
  readonly alias: KmsAlias;

  constructor(scope: Construct, id: string, props: LakeKeyProps = {}) {
    super(scope, id);
    const v = new Validator(`LakeKey ${this.node.path}`);
    checkLakeKeyProps(v, props);
    v.throwIfAny();

    const stack = PlatformStack.of(this);
    const { env } = stack;

    const policy = new DataAwsIamPolicyDocument(this, 'policy', {
      statement: [
        {
          // The standard delegation statement: the account (not everyone) may use the key, as far
          // as its IAM policies allow. Without it only the key policy could grant access, and a
          // key whose policy names no administrator becomes unmanageable. The wildcards are the
          // point of the statement: it hands every decision to IAM in this account.
          sid: 'DelegateToIamInAccount',
          effect: 'Allow',
          principals: [{ type: 'AWS', identifiers: [stack.accountRootArn] }],
          actions: ['kms:*'],
          resources: ['*'],
        },
        // No statement for S3 server access logging: the access-logs bucket uses SSE-S3, since log
        // delivery cannot write to SSE-KMS buckets.
        {
          // CloudWatch Logs encrypts log groups with the key as itself; only log groups of this
          // account and region (the encryption context names the log group).
          sid: 'AllowCloudWatchLogs',
          effect: 'Allow',
          principals: [{ type: 'Service', identifiers: [`logs.${env.region}.amazonaws.com`] }],
          actions: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey'],
          resources: ['*'],
          condition: [{
            test: 'ArnLike',
            variable: 'kms:EncryptionContext:aws:logs:arn',
            values: [`arn:${stack.partition}:logs:${env.region}:${env.account}:log-group:*`],
          }],
        },
        {
          // EventBridge delivers to encrypted dead-letter queues and the alert topic, CloudWatch
          // alarms and AWS Budgets publish to the alert topic: each as itself, for this account.
          sid: 'AllowEventBridge',
          effect: 'Allow',
          principals: [{ type: 'Service', identifiers: ['events.amazonaws.com'] }],
          actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
          resources: ['*'],
          condition: [{ test: 'StringEquals', variable: 'aws:SourceAccount', values: [env.account] }],
        },
        {
          // Step Functions encrypts execution data with the key; its log delivery (vended logs)
          // decrypts it to write the execution history to the state machine's log group.
          // @see https://docs.aws.amazon.com/step-functions/latest/dg/encryption-at-rest.html
          sid: 'AllowLogDelivery',
          effect: 'Allow',
          principals: [{ type: 'Service', identifiers: ['delivery.logs.amazonaws.com'] }],
          actions: ['kms:Decrypt'],
          resources: ['*'],
          condition: [{ test: 'StringEquals', variable: 'aws:SourceAccount', values: [env.account] }],
        },
        {
          sid: 'AllowAlertPublishers',
          effect: 'Allow',
          principals: [{ type: 'Service', identifiers: ['cloudwatch.amazonaws.com', 'budgets.amazonaws.com'] }],
          actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
          resources: ['*'],
          condition: [{ test: 'StringEquals', variable: 'aws:SourceAccount', values: [env.account] }],
        },
        ...(props.writerServices ?? []).map((service, i) => ({
          sid: `AllowServiceWriter${i}`,
          effect: 'Allow',
          principals: [{ type: 'Service', identifiers: [service] }],
          actions: ['kms:Encrypt', 'kms:Decrypt', 'kms:GenerateDataKey', 'kms:DescribeKey'],
          resources: ['*'],
          condition: [{ test: 'StringEquals', variable: 'aws:SourceAccount', values: [env.account] }],
        })),
        ...(props.allowS3EventNotifications ?? LAKE_KEY_DEFAULTS.allowS3EventNotifications
          ? [{
            // S3 sends object events to the lake's event queues (SSE-KMS with this key) as itself.
            sid: 'AllowS3EventNotifications',
            effect: 'Allow',
            principals: [{ type: 'Service', identifiers: ['s3.amazonaws.com'] }],
            actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
            resources: ['*'],
            condition: [{ test: 'StringEquals', variable: 'aws:SourceAccount', values: [env.account] }],
          }]
          : []),
        ...((props.catalogReaderAccounts ?? []).length > 0
          ? [{
            sid: 'AllowSharedCatalogReaders',
            effect: 'Allow',
            principals: [{ type: 'AWS', identifiers: (props.catalogReaderAccounts ?? []).map((account) => `arn:${stack.partition}:iam::${account}:root`) }],
            actions: ['kms:Decrypt', 'kms:DescribeKey'],
            resources: ['*'],
            condition: [{ test: 'StringEquals', variable: 'kms:ViaService', values: [`glue.${env.region}.amazonaws.com`] }],
          }]
          : []),
      ],
    });
    policy.overrideLogicalId('lake_key_policy');

    this.key = new KmsKey(this, 'key', {
      description: `Data lake key of ${env.project}-${env.name}: encrypts the lake's zone and Athena results buckets`,
      enableKeyRotation: true,
      deletionWindowInDays: props.deletionWindowDays ?? LAKE_DEFAULTS.keyDeletionWindowDays,
      policy: policy.json,
    });
    stateful(this.key, 'lake_key');

    const aliasName = stack.resourceName('lake', 'key', { maxLength: NAME_LIMITS.kmsAlias - ALIAS_PREFIX.length });
    this.alias = new KmsAlias(this, 'alias', { name: `${ALIAS_PREFIX}${aliasName}`, targetKeyId: this.key.keyId });
    this.alias.overrideLogicalId('lake_key_alias');

    this.arn = this.key.arn;
    this.keyId = this.key.keyId;
  }
}
