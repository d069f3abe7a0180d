import { TerraformVariable } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { policyStatements, problemsOf, suppressionsOf, synthesize, synthesizedResource as resource } from '@data-platform/core';
import { protectedAddresses } from './protect-state';
import { STATE_BUCKET_DEFAULTS, StateBucket, StateBucketProps } from './state-bucket';
import { providerStack } from './test-support';

const PROPS: StateBucketProps = {
  bucketName: 'adp-tfstate-111111111111',
  accessLogsBucketName: 'adp-bootstrap-dev-state-logs-111111111111',
  keyAlias: 'alias/adp-bootstrap-dev-state-key',
  account: '111111111111',
  accountRootArn: 'arn:aws:iam::111111111111:root',
  owner: 'adp-dev',
};

const STATE = '${aws_s3_bucket.bootstrap_state_bucket.arn}';
const LOGS = '${aws_s3_bucket.bootstrap_state_access_logs_bucket.arn}';
const KEY = '${aws_kms_key.bootstrap_state_key.arn}';
const ALIAS = '${aws_kms_alias.bootstrap_state_key_alias.arn}';
const EVERYONE = [{ type: '*', identifiers: ['*'] }];

function build(props: Partial<StateBucketProps> = {}) {
  const stack = providerStack();
  const state = new StateBucket(stack, 'state', { ...PROPS, ...props });
  return { stack, state, ...synthesize(stack) };
}

describe('StateBucket', () => {
  test('documents its defaults as constants', () => {
    expect(STATE_BUCKET_DEFAULTS).toEqual({
      noncurrentVersionExpirationDays: 90,
      newerNoncurrentVersions: 10,
      abortIncompleteUploadDays: 7,
      accessLogsExpirationDays: 365,
      accessLogsNoncurrentDays: 30,
      keyDeletionWindowDays: 30,
    });
  });

  test('protects the buckets and the key from destroy always, at pinned addresses', () => {
    const { stack, tf } = build();
    expect(protectedAddresses(stack)).toEqual([
      'aws_kms_key.bootstrap_state_key',
      'aws_s3_bucket.bootstrap_state_access_logs_bucket',
      'aws_s3_bucket.bootstrap_state_bucket',
    ]);
    for (const [type, name] of [['aws_kms_key', 'bootstrap_state_key'], ['aws_s3_bucket', 'bootstrap_state_bucket'], ['aws_s3_bucket', 'bootstrap_state_access_logs_bucket']]) {
      expect(resource(tf, type, name).lifecycle).toEqual({ prevent_destroy: true });
    }
    expect(resource(tf, 'aws_s3_bucket', 'bootstrap_state_bucket')).toMatchObject({ bucket: 'adp-tfstate-111111111111', force_destroy: false });
    expect(resource(tf, 'aws_s3_bucket', 'bootstrap_state_access_logs_bucket')).toMatchObject({ bucket: 'adp-bootstrap-dev-state-logs-111111111111', force_destroy: false });
  });

  test('pins the resources configuring the buckets and the key', () => {
    const { tf } = build();
    const names = (type: string) => Object.keys(tf.resource?.[type] ?? {}).sort();
    expect(names('aws_s3_bucket_versioning')).toEqual(['bootstrap_state_access_logs_versioning', 'bootstrap_state_versioning']);
    expect(names('aws_s3_bucket_server_side_encryption_configuration')).toEqual(['bootstrap_state_access_logs_encryption', 'bootstrap_state_encryption']);
    expect(names('aws_s3_bucket_public_access_block')).toEqual(['bootstrap_state_access_logs_public_access_block', 'bootstrap_state_public_access_block']);
    expect(names('aws_s3_bucket_ownership_controls')).toEqual(['bootstrap_state_access_logs_ownership', 'bootstrap_state_ownership']);
    expect(names('aws_s3_bucket_policy')).toEqual(['bootstrap_state_access_logs_policy', 'bootstrap_state_policy']);
    expect(names('aws_s3_bucket_lifecycle_configuration')).toEqual(['bootstrap_state_access_logs_lifecycle', 'bootstrap_state_lifecycle']);
    expect(names('aws_s3_bucket_logging')).toEqual(['bootstrap_state_logging']);
    expect(names('aws_kms_alias')).toEqual(['bootstrap_state_key_alias']);
  });

  describe('the key', () => {
    test('rotates, waits 30 days before deletion and is named by its alias', () => {
      const { tf } = build();
      expect(resource(tf, 'aws_kms_key', 'bootstrap_state_key')).toMatchObject({
        description: 'Terraform state key of adp-dev: encrypts the state bucket adp-tfstate-111111111111',
        enable_key_rotation: true,
        deletion_window_in_days: 30,
        policy: '${data.aws_iam_policy_document.bootstrap_state_key_policy.json}',
      });
      expect(resource(tf, 'aws_kms_alias', 'bootstrap_state_key_alias')).toMatchObject({
        name: 'alias/adp-bootstrap-dev-state-key',
        target_key_id: '${aws_kms_key.bootstrap_state_key.key_id}',
      });
    });

    test('delegates to IAM in the account, and only that', () => {
      expect(policyStatements(build().tf, 'bootstrap_state_key_policy')).toEqual([
        { sid: 'DelegateToIamInAccount', effect: 'Allow', principals: [{ type: 'AWS', identifiers: ['arn:aws:iam::111111111111:root'] }], actions: ['kms:*'], resources: ['*'] },
      ]);
    });
  });

  describe('the state bucket', () => {
    test('is versioned and encrypted with the key and an S3 bucket key', () => {
      const { tf } = build();
      expect(resource(tf, 'aws_s3_bucket_versioning', 'bootstrap_state_versioning')).toMatchObject({
        bucket: '${aws_s3_bucket.bootstrap_state_bucket.id}',
        versioning_configuration: { status: 'Enabled' },
      });
      expect(resource(tf, 'aws_s3_bucket_server_side_encryption_configuration', 'bootstrap_state_encryption').rule).toEqual([
        { apply_server_side_encryption_by_default: { sse_algorithm: 'aws:kms', kms_master_key_id: KEY }, bucket_key_enabled: true },
      ]);
    });

    test('blocks public access and disables ACLs', () => {
      const { tf } = build();
      expect(resource(tf, 'aws_s3_bucket_public_access_block', 'bootstrap_state_public_access_block')).toMatchObject({
        block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: true,
      });
      expect(resource(tf, 'aws_s3_bucket_ownership_controls', 'bootstrap_state_ownership').rule).toEqual({ object_ownership: 'BucketOwnerEnforced' });
    });

    test('denies requests without TLS and uploads asking for another encryption or another key than the state key (by ARN or alias ARN)', () => {
      const { tf } = build();
      expect(resource(tf, 'aws_s3_bucket_policy', 'bootstrap_state_policy')).toMatchObject({
        policy: '${data.aws_iam_policy_document.bootstrap_state_policy.json}',
        depends_on: ['aws_s3_bucket_public_access_block.bootstrap_state_public_access_block'],
      });
      expect(policyStatements(tf, 'bootstrap_state_policy')).toEqual([
        {
          sid: 'DenyInsecureTransport', effect: 'Deny', principals: EVERYONE, actions: ['s3:*'], resources: [STATE, `${STATE}/*`],
          condition: [{ test: 'Bool', variable: 'aws:SecureTransport', values: ['false'] }],
        },
        {
          sid: 'DenyOtherEncryption', effect: 'Deny', principals: EVERYONE, actions: ['s3:PutObject'], resources: [`${STATE}/*`],
          condition: [
            { test: 'Null', variable: 's3:x-amz-server-side-encryption', values: ['false'] },
            { test: 'StringNotEquals', variable: 's3:x-amz-server-side-encryption', values: ['aws:kms'] },
          ],
        },
        {
          sid: 'DenyOtherKmsKey', effect: 'Deny', principals: EVERYONE, actions: ['s3:PutObject'], resources: [`${STATE}/*`],
          condition: [
            { test: 'Null', variable: 's3:x-amz-server-side-encryption-aws-kms-key-id', values: ['false'] },
            { test: 'StringNotEquals', variable: 's3:x-amz-server-side-encryption-aws-kms-key-id', values: [KEY, ALIAS] },
          ],
        },
      ]);
    });

    test('logs its access to the log bucket, once that bucket lets S3 deliver', () => {
      expect(resource(build().tf, 'aws_s3_bucket_logging', 'bootstrap_state_logging')).toMatchObject({
        bucket: '${aws_s3_bucket.bootstrap_state_bucket.id}',
        target_bucket: '${aws_s3_bucket.bootstrap_state_access_logs_bucket.id}',
        target_prefix: 'adp-tfstate-111111111111/',
        depends_on: ['aws_s3_bucket_policy.bootstrap_state_access_logs_policy'],
      });
    });

    test('expires replaced state versions after 90 days but keeps the 10 newest, removes lone delete markers, aborts uploads after 7 days', () => {
      const lifecycle = resource(build().tf, 'aws_s3_bucket_lifecycle_configuration', 'bootstrap_state_lifecycle');
      expect(lifecycle.rule).toEqual([{
        id: 'state-versions',
        status: 'Enabled',
        filter: [{ prefix: '' }],
        noncurrent_version_expiration: [{ noncurrent_days: 90, newer_noncurrent_versions: 10 }],
        expiration: [{ expired_object_delete_marker: true }],
        abort_incomplete_multipart_upload: [{ days_after_initiation: 7 }],
      }]);
      expect(lifecycle.depends_on).toEqual(['aws_s3_bucket_versioning.bootstrap_state_versioning']);
    });

    test('takes other retention settings', () => {
      const { tf } = build({ noncurrentVersionExpirationDays: 30, newerNoncurrentVersions: 3, abortIncompleteUploadDays: 2, keyDeletionWindowDays: 7 });
      expect(resource(tf, 'aws_s3_bucket_lifecycle_configuration', 'bootstrap_state_lifecycle').rule).toMatchObject([{
        noncurrent_version_expiration: [{ noncurrent_days: 30, newer_noncurrent_versions: 3 }],
        abort_incomplete_multipart_upload: [{ days_after_initiation: 2 }],
      }]);
      expect(resource(tf, 'aws_kms_key', 'bootstrap_state_key').deletion_window_in_days).toBe(7);
    });
  });

  describe('the access-log bucket', () => {
    test('is versioned, SSE-S3 (S3 log delivery needs it), public access blocked, ACLs disabled', () => {
      const { tf } = build();
      expect(resource(tf, 'aws_s3_bucket_versioning', 'bootstrap_state_access_logs_versioning')).toMatchObject({ versioning_configuration: { status: 'Enabled' } });
      expect(resource(tf, 'aws_s3_bucket_server_side_encryption_configuration', 'bootstrap_state_access_logs_encryption').rule).toEqual([
        { apply_server_side_encryption_by_default: { sse_algorithm: 'AES256' } },
      ]);
      expect(resource(tf, 'aws_s3_bucket_public_access_block', 'bootstrap_state_access_logs_public_access_block')).toMatchObject({
        block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: true,
      });
      expect(resource(tf, 'aws_s3_bucket_ownership_controls', 'bootstrap_state_access_logs_ownership').rule).toEqual({ object_ownership: 'BucketOwnerEnforced' });
    });

    test('accepts TLS only, SSE-S3 only, and log delivery for the state bucket of this account only', () => {
      expect(policyStatements(build().tf, 'bootstrap_state_access_logs_policy')).toEqual([
        {
          sid: 'DenyInsecureTransport', effect: 'Deny', principals: EVERYONE, actions: ['s3:*'], resources: [LOGS, `${LOGS}/*`],
          condition: [{ test: 'Bool', variable: 'aws:SecureTransport', values: ['false'] }],
        },
        {
          sid: 'DenyOtherEncryption', effect: 'Deny', principals: EVERYONE, actions: ['s3:PutObject'], resources: [`${LOGS}/*`],
          condition: [
            { test: 'Null', variable: 's3:x-amz-server-side-encryption', values: ['false'] },
            { test: 'StringNotEquals', variable: 's3:x-amz-server-side-encryption', values: ['AES256'] },
          ],
        },
        {
          sid: 'AllowStateBucketLogDelivery', effect: 'Allow', principals: [{ type: 'Service', identifiers: ['logging.s3.amazonaws.com'] }],
          actions: ['s3:PutObject'], resources: [`${LOGS}/*`],
          condition: [
            { test: 'ArnEquals', variable: 'aws:SourceArn', values: [STATE] },
            { test: 'StringEquals', variable: 'aws:SourceAccount', values: ['111111111111'] },
          ],
        },
      ]);
    });

    test('expires logs after 365 days and their old versions 30 days later', () => {
      const { tf } = build();
      expect(resource(tf, 'aws_s3_bucket_lifecycle_configuration', 'bootstrap_state_access_logs_lifecycle').rule).toEqual([{
        id: 'access-logs',
        status: 'Enabled',
        filter: [{ prefix: '' }],
        expiration: [{ days: 365 }],
        noncurrent_version_expiration: [{ noncurrent_days: 30 }],
        abort_incomplete_multipart_upload: [{ days_after_initiation: 7 }],
      }]);
      expect(resource(build({ accessLogsExpirationDays: 730 }).tf, 'aws_s3_bucket_lifecycle_configuration', 'bootstrap_state_access_logs_lifecycle').rule)
        .toMatchObject([{ expiration: [{ days: 730 }] }]);
    });

    test('is the one exception to SSE-KMS, with a suppression saying why', () => {
      const { state } = build();
      expect(suppressionsOf(state.accessLogs)).toEqual([{
        ruleId: 's3-kms-encryption',
        reason: 'S3 server access logging delivers only to buckets encrypted with SSE-S3 (AES256), never SSE-KMS; this bucket holds the state bucket\'s access logs only, no state',
      }]);
    });
  });

  test('creates everything with the provider it is given (the state bucket\'s region)', () => {
    const stack = providerStack();
    const provider = new AwsProvider(stack, 'state-region', { region: 'eu-central-1', alias: 'state' });
    new StateBucket(stack, 'state', { ...PROPS, provider });
    const { tf } = synthesize(stack);
    const all = [...Object.values(tf.resource ?? {}), ...Object.values(tf.data ?? {})].flatMap((byName) => Object.values(byName));
    expect(all.length).toBeGreaterThan(0);
    expect(new Set(all.map((r) => r.provider))).toEqual(new Set(['aws.state']));
  });

  test('rejects bad names and retention settings, all at once', () => {
    expect(problemsOf(() => build({
      bucketName: 'Bad_Bucket',
      accessLogsBucketName: 'x',
      keyAlias: 'alias/aws/state',
      noncurrentVersionExpirationDays: 0,
      newerNoncurrentVersions: 101,
      abortIncompleteUploadDays: 1.5,
      accessLogsExpirationDays: 30,
      keyDeletionWindowDays: 31,
    }))).toEqual([
      'StateBucket bootstrap-dev/state: bucketName is "Bad_Bucket"; use an S3 bucket name: 3-63 lowercase letters, digits, dots and hyphens',
      'StateBucket bootstrap-dev/state: accessLogsBucketName is "x"; use an S3 bucket name: 3-63 lowercase letters, digits, dots and hyphens',
      'StateBucket bootstrap-dev/state: keyAlias is "alias/aws/state"; use "alias/" and letters, digits, "/", "_" and "-" (not "alias/aws/", which AWS keeps for its own keys)',
      'StateBucket bootstrap-dev/state: noncurrentVersionExpirationDays is 0; use a whole number from 1 to 3650',
      'StateBucket bootstrap-dev/state: newerNoncurrentVersions is 101; use a whole number from 1 to 100 (S3 keeps at most 100 newer versions in a rule)',
      'StateBucket bootstrap-dev/state: abortIncompleteUploadDays is 1.5; use a whole number from 1 to 365',
      'StateBucket bootstrap-dev/state: accessLogsExpirationDays is 30; use a whole number from 90 to 3650 (access logs are kept for audits)',
      'StateBucket bootstrap-dev/state: keyDeletionWindowDays is 31; use a whole number from 7 to 30 (the window KMS allows before deleting a key)',
    ]);
  });

  test('rejects one bucket for both state and logs', () => {
    expect(problemsOf(() => build({ accessLogsBucketName: PROPS.bucketName }))).toEqual([
      'StateBucket bootstrap-dev/state: accessLogsBucketName is the state bucket "adp-tfstate-111111111111"; the access logs need a bucket of their own',
    ]);
  });

  test('skips values that are still tokens', () => {
    const stack = providerStack();
    const name = new TerraformVariable(stack, 'name', { type: 'string' }).stringValue;
    const days = new TerraformVariable(stack, 'days', { type: 'number' }).numberValue;
    expect(() => new StateBucket(stack, 'state', { ...PROPS, bucketName: name, keyAlias: name, noncurrentVersionExpirationDays: days })).not.toThrow();
  });
});
