import { TerraformProvider, Token } from 'cdktf';
import { Construct } from 'constructs';
import { DataAwsIamPolicyDocument, DataAwsIamPolicyDocumentStatement } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketLifecycleConfiguration, S3BucketLifecycleConfigurationRule } from '@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration';
import { S3BucketLoggingA } from '@cdktf/provider-aws/lib/s3-bucket-logging';
import { S3BucketOwnershipControls } from '@cdktf/provider-aws/lib/s3-bucket-ownership-controls';
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
import { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
import { S3BucketVersioningA } from '@cdktf/provider-aws/lib/s3-bucket-versioning';
import { NAME_LIMITS, Validator, suppressRule } from '@data-platform/core';
import { protectState } from './protect-state';

/** Defaults of the optional {@link StateBucketProps}. */
export const STATE_BUCKET_DEFAULTS = {
  /** Days a replaced state version is kept (once `newerNoncurrentVersions` newer ones exist). */
  noncurrentVersionExpirationDays: 90,
  /** Replaced versions of each state file kept whatever their age: the last few applies can always be rolled back. */
  newerNoncurrentVersions: 10,
  abortIncompleteUploadDays: 7,
  accessLogsExpirationDays: 365,
  /** Days an expired (or deleted) access log stays recoverable as a noncurrent version. */
  accessLogsNoncurrentDays: 30,
  keyDeletionWindowDays: 30,
} as const;

/** The service principal that delivers S3 server access logs. */
const LOG_DELIVERY_SERVICE = 'logging.s3.amazonaws.com';

/**
 * S3 keeps at most this many newer noncurrent versions in a lifecycle rule.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_NoncurrentVersionExpiration.html
 */
const MAX_NEWER_NONCURRENT_VERSIONS = 100;
/** The waiting period KMS allows before deleting a key. */
const DELETION_WINDOW = { min: 7, max: 30 } as const;
const BUCKET_RE = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const ALIAS_RE = /^alias\/[a-zA-Z0-9/_-]+$/;

/** Props of {@link StateBucket}. */
export interface StateBucketProps {
  /** Name of the state bucket (the environment's `state.bucket`). */
  readonly bucketName: string;
  /** Name of the bucket receiving the state bucket's server access logs. */
  readonly accessLogsBucketName: string;
  /** Alias of the state key, `alias/...`: the name backends give the key (`kms_key_id`). */
  readonly keyAlias: string;
  /** The account the buckets and key belong to. */
  readonly account: string;
  /** `arn:<partition>:iam::<account>:root`: the key policy delegates to IAM in this account. */
  readonly accountRootArn: string;
  /** Says whose state the bucket holds, in the key's description (e.g. `adp-dev`). */
  readonly owner: string;
  /**
   * The provider of the state region, when it differs from the stack's default provider.
   * @default the stack's default provider
   */
  readonly provider?: TerraformProvider;
  /**
   * Days a replaced version of a state file is kept, once `newerNoncurrentVersions` newer ones exist.
   * @default 90 (STATE_BUCKET_DEFAULTS.noncurrentVersionExpirationDays)
   */
  readonly noncurrentVersionExpirationDays?: number;
  /**
   * Replaced versions of each state file kept whatever their age (1 to 100).
   * @default 10 (STATE_BUCKET_DEFAULTS.newerNoncurrentVersions)
   */
  readonly newerNoncurrentVersions?: number;
  /**
   * Days before incomplete multipart uploads are aborted, in both buckets.
   * @default 7 (STATE_BUCKET_DEFAULTS.abortIncompleteUploadDays)
   */
  readonly abortIncompleteUploadDays?: number;
  /**
   * Days access logs are kept (at least 90, for audits).
   * @default 365 (STATE_BUCKET_DEFAULTS.accessLogsExpirationDays)
   */
  readonly accessLogsExpirationDays?: number;
  /**
   * Days KMS waits before deleting the key once scheduled for deletion (7 to 30).
   * @default 30 (STATE_BUCKET_DEFAULTS.keyDeletionWindowDays)
   */
  readonly keyDeletionWindowDays?: number;
}

/** Shortest retention of access logs accepted, for audits (as the lake's). */
const MIN_ACCESS_LOG_DAYS = 90;

/**
 * The bucket holding an account's Terraform state, its customer-managed key and the bucket
 * receiving its access logs.
 *
 * - Key: rotation on, deletion window 30 days, a key policy that delegates to IAM in the account
 *   only (roles get the key through their IAM policies), alias `keyAlias`.
 * - State bucket: versioned; SSE-KMS with the key and an S3 bucket key; public access blocked;
 *   ACLs disabled (BucketOwnerEnforced); a policy denying requests without TLS and uploads that
 *   ask for another encryption or another key than this one (by ARN or alias ARN: backends name
 *   it by alias); access logs to the log bucket; replaced state versions expire after 90 days
 *   but the 10 newest are always kept, delete markers left alone are removed, incomplete uploads
 *   aborted after 7 days.
 * - Log bucket: versioned, SSE-S3 (S3 server access logging delivers to no SSE-KMS bucket),
 *   public access blocked, ACLs disabled, TLS only, written by S3 log delivery for the state
 *   bucket only, logs expire after 365 days.
 *
 * Buckets and key are protected from destroy in every environment (see {@link protectState}):
 * `aws_s3_bucket.bootstrap_state_bucket`, `aws_kms_key.bootstrap_state_key`,
 * `aws_s3_bucket.bootstrap_state_access_logs_bucket`. The resources configuring them are pinned
 * to `bootstrap_state_<part>` and `bootstrap_state_access_logs_<part>`.
 */
export class StateBucket extends Construct {
  /** The state bucket. */
  readonly bucket: S3Bucket;
  /** Name of the state bucket. */
  readonly name: string;
  /** ARN of the state bucket. */
  readonly arn: string;
  /** The state key. */
  readonly key: KmsKey;
  /** ARN of the state key. */
  readonly keyArn: string;
  /** The state key's alias. */
  readonly alias: KmsAlias;
  /** ARN of the state key's alias (what backends give as `kms_key_id`). */
  readonly aliasArn: string;
  /** The bucket receiving the state bucket's access logs. */
  readonly accessLogs: S3Bucket;
  /** ARN of the access-log bucket. */
  readonly accessLogsArn: string;

  constructor(scope: Construct, id: string, props: StateBucketProps) {
    super(scope, id);
    const v = new Validator(`StateBucket ${this.node.path}`);
    const known = <T>(value: T) => !Token.isUnresolved(value);
    for (const [path, name] of [['bucketName', props.bucketName], ['accessLogsBucketName', props.accessLogsBucketName]] as const) {
      if (known(name)) {
        v.check(BUCKET_RE.test(name) && name.length <= NAME_LIMITS.s3Bucket, path, `is ${JSON.stringify(name)}; use an S3 bucket name: 3-63 lowercase letters, digits, dots and hyphens`);
      }
    }
    if (known(props.bucketName) && known(props.accessLogsBucketName)) {
      v.check(props.bucketName !== props.accessLogsBucketName, 'accessLogsBucketName', `is the state bucket "${props.bucketName}"; the access logs need a bucket of their own`);
    }
    if (known(props.keyAlias)) {
      v.check(ALIAS_RE.test(props.keyAlias) && props.keyAlias.length <= NAME_LIMITS.kmsAlias && !props.keyAlias.startsWith('alias/aws/'), 'keyAlias',
        `is ${JSON.stringify(props.keyAlias)}; use "alias/" and letters, digits, "/", "_" and "-" (not "alias/aws/", which AWS keeps for its own keys)`);
    }
    const whole = (path: string, value: number | undefined, min: number, max: number, why = '') => {
      if (value === undefined || !known(value)) return;
      v.check(Number.isInteger(value) && value >= min && value <= max, path, `is ${value}; use a whole number from ${min} to ${max}${why}`);
    };
    whole('noncurrentVersionExpirationDays', props.noncurrentVersionExpirationDays, 1, 3650);
    whole('newerNoncurrentVersions', props.newerNoncurrentVersions, 1, MAX_NEWER_NONCURRENT_VERSIONS, ' (S3 keeps at most 100 newer versions in a rule)');
    whole('abortIncompleteUploadDays', props.abortIncompleteUploadDays, 1, 365);
    whole('accessLogsExpirationDays', props.accessLogsExpirationDays, MIN_ACCESS_LOG_DAYS, 3650, ' (access logs are kept for audits)');
    whole('keyDeletionWindowDays', props.keyDeletionWindowDays, DELETION_WINDOW.min, DELETION_WINDOW.max, ' (the window KMS allows before deleting a key)');
    v.throwIfAny();

    const provider = props.provider;
    const abortDays = props.abortIncompleteUploadDays ?? STATE_BUCKET_DEFAULTS.abortIncompleteUploadDays;
    const pin = <T extends { overrideLogicalId(id: string): void }>(element: T, address: string): T => {
      element.overrideLogicalId(address);
      return element;
    };

    const keyPolicy = pin(new DataAwsIamPolicyDocument(this, 'key-policy', {
      provider,
      statement: [
        {
          // The standard delegation statement: the account (not everyone) may use the key as far
          // as its IAM policies allow; the deploy and plan roles get it that way. The wildcards
          // are the point of the statement: it hands every decision to IAM in this account.
          sid: 'DelegateToIamInAccount',
          effect: 'Allow',
          principals: [{ type: 'AWS', identifiers: [props.accountRootArn] }],
          actions: ['kms:*'],
          resources: ['*'],
        },
      ],
    }), 'bootstrap_state_key_policy');
    this.key = protectState(new KmsKey(this, 'key', {
      provider,
      description: `Terraform state key of ${props.owner}: encrypts the state bucket ${props.bucketName}`,
      enableKeyRotation: true,
      deletionWindowInDays: props.keyDeletionWindowDays ?? STATE_BUCKET_DEFAULTS.keyDeletionWindowDays,
      policy: keyPolicy.json,
    }), 'bootstrap_state_key');
    this.keyArn = this.key.arn;
    this.alias = pin(new KmsAlias(this, 'alias', { provider, name: props.keyAlias, targetKeyId: this.key.keyId }), 'bootstrap_state_key_alias');
    this.aliasArn = this.alias.arn;

    this.bucket = protectState(new S3Bucket(this, 'bucket', { provider, bucket: props.bucketName, forceDestroy: false }), 'bootstrap_state_bucket');
    this.name = this.bucket.bucket;
    this.arn = this.bucket.arn;

    // The access-log bucket.
    this.accessLogs = protectState(new S3Bucket(this, 'access-logs', { provider, bucket: props.accessLogsBucketName, forceDestroy: false }), 'bootstrap_state_access_logs_bucket');
    suppressRule(this.accessLogs, 's3-kms-encryption', 'S3 server access logging delivers only to buckets encrypted with SSE-S3 (AES256), never SSE-KMS; this bucket holds the state bucket\'s access logs only, no state');
    this.accessLogsArn = this.accessLogs.arn;
    const logsPolicy = this.secureBucket(this.accessLogs, 'access-logs', 'bootstrap_state_access_logs', provider, [
      this.denyOtherEncryption(this.accessLogsArn, 'AES256'),
      {
        // With ACLs disabled (BucketOwnerEnforced), S3 server access logging delivers only when
        // the bucket policy allows its service principal: here for the state bucket only.
        sid: 'AllowStateBucketLogDelivery',
        effect: 'Allow',
        principals: [{ type: 'Service', identifiers: [LOG_DELIVERY_SERVICE] }],
        actions: ['s3:PutObject'],
        resources: [`${this.accessLogsArn}/*`],
        condition: [
          { test: 'ArnEquals', variable: 'aws:SourceArn', values: [this.arn] },
          { test: 'StringEquals', variable: 'aws:SourceAccount', values: [props.account] },
        ],
      },
    ], { sseAlgorithm: 'AES256' });
    pin(new S3BucketLifecycleConfiguration(this, 'access-logs-lifecycle', {
      provider,
      bucket: this.accessLogs.id,
      rule: [
        {
          id: 'access-logs',
          status: 'Enabled',
          // The whole bucket: provider 5.x wants exactly one filter attribute; "" is every object.
          filter: [{ prefix: '' }],
          expiration: [{ days: props.accessLogsExpirationDays ?? STATE_BUCKET_DEFAULTS.accessLogsExpirationDays }],
          noncurrentVersionExpiration: [{ noncurrentDays: STATE_BUCKET_DEFAULTS.accessLogsNoncurrentDays }],
          abortIncompleteMultipartUpload: [{ daysAfterInitiation: abortDays }],
        },
      ],
      dependsOn: [logsPolicy.versioning],
    }), 'bootstrap_state_access_logs_lifecycle');

    // The state bucket's configuration.
    const state = this.secureBucket(this.bucket, 'state', 'bootstrap_state', provider, [
      this.denyOtherEncryption(this.arn, 'aws:kms'),
      {
        // Clients naming a key must name this one, by key ARN or by alias ARN (the backends'
        // kms_key_id): S3 compares the header as sent.
        sid: 'DenyOtherKmsKey',
        effect: 'Deny',
        principals: [{ type: '*', identifiers: ['*'] }],
        actions: ['s3:PutObject'],
        resources: [`${this.arn}/*`],
        condition: [
          { test: 'Null', variable: 's3:x-amz-server-side-encryption-aws-kms-key-id', values: ['false'] },
          { test: 'StringNotEquals', variable: 's3:x-amz-server-side-encryption-aws-kms-key-id', values: [this.keyArn, this.aliasArn] },
        ],
      },
    ], { sseAlgorithm: 'aws:kms', kmsMasterKeyId: this.keyArn });
    pin(new S3BucketLoggingA(this, 'logging', {
      provider,
      bucket: this.bucket.id,
      targetBucket: this.accessLogs.id,
      targetPrefix: `${props.bucketName}/`,
      // Delivery is allowed by the log bucket's policy (ACLs are disabled there).
      dependsOn: [logsPolicy.policy],
    }), 'bootstrap_state_logging');
    const lifecycle: S3BucketLifecycleConfigurationRule = {
      id: 'state-versions',
      status: 'Enabled',
      filter: [{ prefix: '' }],
      noncurrentVersionExpiration: [{
        noncurrentDays: props.noncurrentVersionExpirationDays ?? STATE_BUCKET_DEFAULTS.noncurrentVersionExpirationDays,
        newerNoncurrentVersions: props.newerNoncurrentVersions ?? STATE_BUCKET_DEFAULTS.newerNoncurrentVersions,
      }],
      // Each lock (S3 native locking) leaves a delete marker; once its versions expire, it goes too.
      expiration: [{ expiredObjectDeleteMarker: true }],
      abortIncompleteMultipartUpload: [{ daysAfterInitiation: abortDays }],
    };
    pin(new S3BucketLifecycleConfiguration(this, 'lifecycle', {
      provider,
      bucket: this.bucket.id,
      rule: [lifecycle],
      // Noncurrent-version rules need versioning in place first.
      dependsOn: [state.versioning],
    }), 'bootstrap_state_lifecycle');
  }

  /** Deny uploads that ask for an encryption other than `algorithm` (uploads naming none get the default). */
  private denyOtherEncryption(bucketArn: string, algorithm: 'aws:kms' | 'AES256'): DataAwsIamPolicyDocumentStatement {
    // Negated operators also match requests without the key, hence the `Null = false` guard:
    // uploads naming no encryption still work and get the bucket's default encryption.
    return {
      sid: 'DenyOtherEncryption',
      effect: 'Deny',
      principals: [{ type: '*', identifiers: ['*'] }],
      actions: ['s3:PutObject'],
      resources: [`${bucketArn}/*`],
      condition: [
        { test: 'Null', variable: 's3:x-amz-server-side-encryption', values: ['false'] },
        { test: 'StringNotEquals', variable: 's3:x-amz-server-side-encryption', values: [algorithm] },
      ],
    };
  }

  /**
   * What every bucket here has: versioning, default encryption, public access blocked, ACLs
   * disabled and a policy denying requests without TLS, plus `statements`. Pinned to `<address>_<part>`.
   */
  private secureBucket(
    bucket: S3Bucket,
    id: string,
    address: string,
    provider: TerraformProvider | undefined,
    statements: DataAwsIamPolicyDocumentStatement[],
    encryption: { sseAlgorithm: 'aws:kms' | 'AES256'; kmsMasterKeyId?: string },
  ): { versioning: S3BucketVersioningA; policy: S3BucketPolicy } {
    const pin = <T extends { overrideLogicalId(id: string): void }>(element: T, part: string): T => {
      element.overrideLogicalId(`${address}_${part}`);
      return element;
    };
    const versioning = pin(new S3BucketVersioningA(this, `${id}-versioning`, { provider, bucket: bucket.id, versioningConfiguration: { status: 'Enabled' } }), 'versioning');
    pin(new S3BucketServerSideEncryptionConfigurationA(this, `${id}-encryption`, {
      provider,
      bucket: bucket.id,
      rule: [{ applyServerSideEncryptionByDefault: encryption, bucketKeyEnabled: encryption.kmsMasterKeyId ? true : undefined }],
    }), 'encryption');
    const publicAccessBlock = pin(new S3BucketPublicAccessBlock(this, `${id}-public-access-block`, {
      provider,
      bucket: bucket.id,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    }), 'public_access_block');
    pin(new S3BucketOwnershipControls(this, `${id}-ownership`, { provider, bucket: bucket.id, rule: { objectOwnership: 'BucketOwnerEnforced' } }), 'ownership');
    const document = pin(new DataAwsIamPolicyDocument(this, `${id}-policy-document`, {
      provider,
      statement: [
        {
          sid: 'DenyInsecureTransport',
          effect: 'Deny',
          principals: [{ type: '*', identifiers: ['*'] }],
          actions: ['s3:*'],
          resources: [bucket.arn, `${bucket.arn}/*`],
          condition: [{ test: 'Bool', variable: 'aws:SecureTransport', values: ['false'] }],
        },
        ...statements,
      ],
    }), 'policy');
    const policy = pin(new S3BucketPolicy(this, `${id}-policy`, {
      provider,
      bucket: bucket.id,
      policy: document.json,
      // S3 rejects concurrent changes to a bucket's policy and its public access block.
      dependsOn: [publicAccessBlock],
    }), 'policy');
    return { versioning, policy };
  }
}
