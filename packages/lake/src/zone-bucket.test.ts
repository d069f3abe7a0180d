import { TerraformOutput, TerraformVariable } from 'cdktf';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketNotification } from '@cdktf/provider-aws/lib/s3-bucket-notification';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
import {
  EnvironmentInput,
  LAKE_DEFAULTS,
  PlatformError,
  PlatformStack,
  SynthesizedStack,
  ZONE_LIFECYCLE_DEFAULTS,
  SynthesizedStatement,
  policyStatements,
  synthesizedResource,
  synthesize,
  testApp,
  testEnvironment,
} from '@data-platform/core';
import { LakeKey } from './lake-key';
import { QUEUE_NOTIFICATION_EVENTS, QueueNotification, ZONE_BUCKET_DEFAULTS, ZoneBucket, ZoneBucketProps } from './zone-bucket';


function newStack(env: Partial<EnvironmentInput> = {}): PlatformStack {
  return new PlatformStack(testApp(), 'dev-lake', { env: testEnvironment({ name: 'dev', ...env }) });
}

/** A stack with the lake key, the access-logs bucket and the bucket under test (`raw` unless props say otherwise). */
function build(props: Partial<ZoneBucketProps> = {}, env: Partial<EnvironmentInput> = {}) {
  const stack = newStack(env);
  const key = new LakeKey(stack, 'key');
  const logs = new ZoneBucket(stack, 'logs', { role: 'access-logs', address: 'lake_access_logs', allowLogDelivery: true });
  const bucket = new ZoneBucket(stack, 'raw', { role: 'raw', address: 'lake_raw', key, logs, ...props });
  return { stack, key, logs, bucket };
}

function synth(props: Partial<ZoneBucketProps> = {}, env: Partial<EnvironmentInput> = {}) {
  const built = build(props, env);
  return { ...built, ...synthesize(built.stack) };
}

const resource = synthesizedResource;

function statement(tf: SynthesizedStack, document: string, sid: string): SynthesizedStatement | undefined {
  return policyStatements(tf, document).find((s) => s.sid === sid);
}

const RAW_ARN = '${aws_s3_bucket.lake_raw_bucket.arn}';
const LOGS_ARN = '${aws_s3_bucket.lake_access_logs_bucket.arn}';
const KEY_ARN = '${aws_kms_key.lake_key.arn}';

describe('ZoneBucket', () => {
  describe('bucket', () => {
    it('is named <project>-<env>-lake-<role>-<account> and is never force-destroyed', () => {
      const { json } = synth();
      expect(json).toHaveResourceWithProperties(S3Bucket, { bucket: 'adp-dev-lake-raw-111111111111', force_destroy: false });
    });

    it('shortens a long name to 63 characters with a hash, keeping the account id', () => {
      const { tf } = synth({ role: 'a-very-long-role-name-that-does-not-fit-in-a-bucket-name' });
      const name = resource(tf, 'aws_s3_bucket', 'lake_raw_bucket').bucket as string;
      expect(name.length).toBe(63);
      expect(name).toMatch(/^adp-dev-lake-a-very-long-role-name-[a-z-]*-[0-9a-f]{8}-111111111111$/);
    });

    it('exposes its bucket, name, ARN and role', () => {
      const { stack, bucket } = build();
      new TerraformOutput(stack, 'name', { value: bucket.name });
      new TerraformOutput(stack, 'arn', { value: bucket.arn });
      const { tf } = synthesize(stack);
      expect(tf.output).toEqual({
        name: { value: '${aws_s3_bucket.lake_raw_bucket.bucket}' },
        arn: { value: RAW_ARN },
      });
      expect(bucket.role).toBe('raw');
      expect(bucket.bucket).toBeInstanceOf(S3Bucket);
    });
  });

  describe('secure settings', () => {
    it('encrypts with the lake key (SSE-KMS) and an S3 bucket key', () => {
      const { tf } = synth();
      expect(resource(tf, 'aws_s3_bucket_server_side_encryption_configuration', 'lake_raw_encryption')).toEqual({
        bucket: '${aws_s3_bucket.lake_raw_bucket.id}',
        rule: [{ apply_server_side_encryption_by_default: { sse_algorithm: 'aws:kms', kms_master_key_id: KEY_ARN }, bucket_key_enabled: true }],
      });
    });

    it('encrypts the access-logs bucket with SSE-S3 (AES256), which log delivery supports', () => {
      const { tf } = synth();
      expect(resource(tf, 'aws_s3_bucket_server_side_encryption_configuration', 'lake_access_logs_encryption').rule).toEqual([
        { apply_server_side_encryption_by_default: { sse_algorithm: 'AES256' } },
      ]);
    });

    it('turns on versioning', () => {
      const { tf } = synth();
      for (const address of ['lake_raw_versioning', 'lake_access_logs_versioning']) {
        expect(resource(tf, 'aws_s3_bucket_versioning', address).versioning_configuration).toEqual({ status: 'Enabled' });
      }
    });

    it('blocks all public access with the four flags', () => {
      const { tf, json } = synth();
      const expected = { block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: true };
      expect(resource(tf, 'aws_s3_bucket_public_access_block', 'lake_raw_public_access_block')).toEqual({
        bucket: '${aws_s3_bucket.lake_raw_bucket.id}',
        ...expected,
      });
      expect(json).toHaveResourceWithProperties(S3BucketPublicAccessBlock, { bucket: '${aws_s3_bucket.lake_access_logs_bucket.id}', ...expected });
    });

    it('disables ACLs (BucketOwnerEnforced)', () => {
      const { tf } = synth();
      for (const address of ['lake_raw_ownership', 'lake_access_logs_ownership']) {
        expect(resource(tf, 'aws_s3_bucket_ownership_controls', address).rule).toEqual({ object_ownership: 'BucketOwnerEnforced' });
      }
    });

    it('attaches its policy document as the bucket policy, after the public access block', () => {
      const { tf } = synth();
      expect(resource(tf, 'aws_s3_bucket_policy', 'lake_raw_policy')).toEqual({
        bucket: '${aws_s3_bucket.lake_raw_bucket.id}',
        policy: '${data.aws_iam_policy_document.lake_raw_policy.json}',
        depends_on: ['aws_s3_bucket_public_access_block.lake_raw_public_access_block'],
      });
    });

    it('denies every request made without TLS', () => {
      const { tf } = synth();
      for (const [document, arn] of [['lake_raw_policy', RAW_ARN], ['lake_access_logs_policy', LOGS_ARN]]) {
        expect(statement(tf, document, 'DenyInsecureTransport')).toEqual({
          sid: 'DenyInsecureTransport',
          effect: 'Deny',
          principals: [{ type: '*', identifiers: ['*'] }],
          actions: ['s3:*'],
          resources: [arn, `${arn}/*`],
          condition: [{ test: 'Bool', variable: 'aws:SecureTransport', values: ['false'] }],
        });
      }
    });

    it('denies uploads that ask for an encryption other than SSE-KMS, when they ask for one', () => {
      const { tf } = synth();
      expect(statement(tf, 'lake_raw_policy', 'DenyOtherEncryption')).toEqual({
        sid: 'DenyOtherEncryption',
        effect: 'Deny',
        principals: [{ type: '*', identifiers: ['*'] }],
        actions: ['s3:PutObject'],
        resources: [`${RAW_ARN}/*`],
        condition: [
          { test: 'Null', variable: 's3:x-amz-server-side-encryption', values: ['false'] },
          { test: 'StringNotEquals', variable: 's3:x-amz-server-side-encryption', values: ['aws:kms'] },
        ],
      });
    });

    it('denies uploads that name a KMS key other than the lake key, when they name one', () => {
      const { tf } = synth();
      expect(statement(tf, 'lake_raw_policy', 'DenyOtherKmsKey')).toEqual({
        sid: 'DenyOtherKmsKey',
        effect: 'Deny',
        principals: [{ type: '*', identifiers: ['*'] }],
        actions: ['s3:PutObject'],
        resources: [`${RAW_ARN}/*`],
        condition: [
          { test: 'Null', variable: 's3:x-amz-server-side-encryption-aws-kms-key-id', values: ['false'] },
          { test: 'StringNotEquals', variable: 's3:x-amz-server-side-encryption-aws-kms-key-id', values: [KEY_ARN] },
        ],
      });
    });

    it('denies uploads to the access-logs bucket that ask for an encryption other than SSE-S3', () => {
      const { tf } = synth();
      expect(statement(tf, 'lake_access_logs_policy', 'DenyOtherEncryption')?.condition).toEqual([
        { test: 'Null', variable: 's3:x-amz-server-side-encryption', values: ['false'] },
        { test: 'StringNotEquals', variable: 's3:x-amz-server-side-encryption', values: ['AES256'] },
      ]);
      expect(statement(tf, 'lake_access_logs_policy', 'DenyOtherKmsKey')).toBeUndefined();
    });

    it('lets S3 server access logging of this account write to the access-logs bucket', () => {
      const { tf } = synth();
      expect(statement(tf, 'lake_access_logs_policy', 'AllowServerAccessLogDelivery')).toEqual({
        sid: 'AllowServerAccessLogDelivery',
        effect: 'Allow',
        principals: [{ type: 'Service', identifiers: ['logging.s3.amazonaws.com'] }],
        actions: ['s3:PutObject'],
        resources: [`${LOGS_ARN}/*`],
        condition: [{ test: 'StringEquals', variable: 'aws:SourceAccount', values: ['111111111111'] }],
      });
    });

    it('has no statements beyond the TLS and encryption denies unless it receives logs', () => {
      const { tf } = synth();
      expect(policyStatements(tf, 'lake_raw_policy').map((s) => s.sid)).toEqual(['DenyInsecureTransport', 'DenyOtherEncryption', 'DenyOtherKmsKey']);
    });

    it('logs its access to the access-logs bucket under <role>/, once that bucket accepts delivery', () => {
      const { tf } = synth();
      expect(resource(tf, 'aws_s3_bucket_logging', 'lake_raw_logging')).toEqual({
        bucket: '${aws_s3_bucket.lake_raw_bucket.id}',
        target_bucket: '${aws_s3_bucket.lake_access_logs_bucket.id}',
        target_prefix: 'raw/',
        depends_on: ['aws_s3_bucket_policy.lake_access_logs_policy'],
      });
    });

    it('does not log the access-logs bucket into itself', () => {
      const { tf } = synth();
      expect(Object.keys(tf.resource?.aws_s3_bucket_logging ?? {})).toEqual(['lake_raw_logging']);
    });
  });

  describe('lifecycle', () => {
    it('applies one rule to every object: transitions, expiration, old versions and incomplete uploads', () => {
      const { tf } = synth({
        lifecycle: { infrequentAccessDays: 30, archiveDays: 90, expirationDays: 400, noncurrentVersionExpirationDays: 14, abortIncompleteUploadDays: 2 },
      });
      expect(resource(tf, 'aws_s3_bucket_lifecycle_configuration', 'lake_raw_lifecycle')).toEqual({
        bucket: '${aws_s3_bucket.lake_raw_bucket.id}',
        depends_on: ['aws_s3_bucket_versioning.lake_raw_versioning'],
        rule: [
          {
            id: 'lake-lifecycle',
            status: 'Enabled',
            filter: [{ prefix: '' }],
            transition: [
              { days: 30, storage_class: 'STANDARD_IA' },
              { days: 90, storage_class: 'GLACIER_IR' },
            ],
            expiration: [{ days: 400 }],
            noncurrent_version_expiration: [{ noncurrent_days: 14 }],
            abort_incomplete_multipart_upload: [{ days_after_initiation: 2 }],
          },
        ],
      });
    });

    it('without a lifecycle, keeps objects in S3 Standard forever and removes old versions and incomplete uploads after the defaults', () => {
      const { tf } = synth();
      const [rule] = resource(tf, 'aws_s3_bucket_lifecycle_configuration', 'lake_raw_lifecycle').rule as Array<Record<string, unknown>>;
      expect(rule.transition).toBeUndefined();
      expect(rule.expiration).toBeUndefined();
      expect(rule.noncurrent_version_expiration).toEqual([{ noncurrent_days: ZONE_BUCKET_DEFAULTS.noncurrentVersionExpirationDays }]);
      expect(rule.abort_incomplete_multipart_upload).toEqual([{ days_after_initiation: ZONE_BUCKET_DEFAULTS.abortIncompleteUploadDays }]);
    });

    it('moves objects to Standard-IA only, when no archive is asked for', () => {
      const { tf } = synth({ lifecycle: { infrequentAccessDays: 60 } });
      const [rule] = resource(tf, 'aws_s3_bucket_lifecycle_configuration', 'lake_raw_lifecycle').rule as Array<Record<string, unknown>>;
      expect(rule.transition).toEqual([{ days: 60, storage_class: 'STANDARD_IA' }]);
    });
  });

  describe('defaults', () => {
    it('documents its defaults in ZONE_BUCKET_DEFAULTS, aligned with the environment defaults', () => {
      expect(ZONE_BUCKET_DEFAULTS).toEqual({
        noncurrentVersionExpirationDays: 90,
        abortIncompleteUploadDays: 7,
        allowLogDelivery: false,
        eventBridge: false,
      });
      expect(ZONE_BUCKET_DEFAULTS.noncurrentVersionExpirationDays).toBe(ZONE_LIFECYCLE_DEFAULTS.noncurrentVersionExpirationDays);
      expect(ZONE_BUCKET_DEFAULTS.abortIncompleteUploadDays).toBe(LAKE_DEFAULTS.abortIncompleteUploadDays);
    });

    it('does not accept log delivery by default', () => {
      const { tf, bucket } = synth();
      expect(bucket.acceptsLogDelivery).toBe(ZONE_BUCKET_DEFAULTS.allowLogDelivery);
      expect(statement(tf, 'lake_raw_policy', 'AllowServerAccessLogDelivery')).toBeUndefined();
    });

    it('sends no events to EventBridge by default', () => {
      const { json } = synth();
      expect(ZONE_BUCKET_DEFAULTS.eventBridge).toBe(false);
      expect(json).not.toHaveResource(S3BucketNotification);
    });

    it('sends object events to EventBridge when asked', () => {
      const { tf } = synth({ eventBridge: true });
      expect(resource(tf, 'aws_s3_bucket_notification', 'lake_raw_notification')).toEqual({
        bucket: '${aws_s3_bucket.lake_raw_bucket.id}',
        eventbridge: true,
      });
    });
  });

  describe('addresses', () => {
    it('pins the bucket to aws_s3_bucket.<address>_bucket and records it as stateful', () => {
      const { stack, tf } = synth();
      expect(Object.keys(tf.resource?.aws_s3_bucket ?? {}).sort()).toEqual(['lake_access_logs_bucket', 'lake_raw_bucket']);
      expect([...stack.statefulAddresses].sort()).toEqual(['aws_kms_key.lake_key', 'aws_s3_bucket.lake_access_logs_bucket', 'aws_s3_bucket.lake_raw_bucket']);
    });

    it('pins the resources that configure the bucket to <address>_<part>', () => {
      const { tf } = synth({ eventBridge: true });
      const addresses = Object.entries(tf.resource ?? {}).flatMap(([type, byName]) =>
        Object.keys(byName).filter((n) => n.startsWith('lake_raw_')).map((n) => `${type}.${n}`));
      expect(addresses.sort()).toEqual([
        'aws_s3_bucket.lake_raw_bucket',
        'aws_s3_bucket_lifecycle_configuration.lake_raw_lifecycle',
        'aws_s3_bucket_logging.lake_raw_logging',
        'aws_s3_bucket_notification.lake_raw_notification',
        'aws_s3_bucket_ownership_controls.lake_raw_ownership',
        'aws_s3_bucket_policy.lake_raw_policy',
        'aws_s3_bucket_public_access_block.lake_raw_public_access_block',
        'aws_s3_bucket_server_side_encryption_configuration.lake_raw_encryption',
        'aws_s3_bucket_versioning.lake_raw_versioning',
      ]);
      expect(Object.keys(tf.data?.aws_iam_policy_document ?? {})).toContain('lake_raw_policy');
    });

    it('prevents destroying the bucket when the environment is protected', () => {
      const { tf } = synth({}, { protect: true });
      expect(resource(tf, 'aws_s3_bucket', 'lake_raw_bucket').lifecycle).toEqual({ prevent_destroy: true });
      expect(resource(tf, 'aws_s3_bucket', 'lake_access_logs_bucket').lifecycle).toEqual({ prevent_destroy: true });
    });

    it('lets the bucket be destroyed when the environment is not protected', () => {
      const { tf } = synth({}, { protect: false });
      expect(resource(tf, 'aws_s3_bucket', 'lake_raw_bucket').lifecycle).toBeUndefined();
      expect(resource(tf, 'aws_s3_bucket', 'lake_access_logs_bucket').lifecycle).toBeUndefined();
    });
  });

  describe('validation', () => {
    it('rejects infrequentAccessDays below 30', () => {
      expect(() => build({ lifecycle: { infrequentAccessDays: 29 } })).toThrow(
        'ZoneBucket dev-lake/raw: lifecycle.infrequentAccessDays is 29; use a whole number of 30 or more (S3 moves objects to Standard-IA no earlier than 30 days)',
      );
    });

    it('rejects archiveDays less than 30 days after infrequentAccessDays', () => {
      expect(() => build({ lifecycle: { infrequentAccessDays: 90, archiveDays: 100 } })).toThrow(
        'lifecycle.archiveDays is 100; use 120 or more (at least 30 days after infrequentAccessDays, 90: S3 keeps objects in Standard-IA that long)',
      );
    });

    it('rejects expirationDays not after the last transition', () => {
      expect(() => build({ lifecycle: { infrequentAccessDays: 30, archiveDays: 60, expirationDays: 60 } })).toThrow(
        'lifecycle.expirationDays is 60; use more than 60 (objects expire after their last transition, archiveDays), or remove the transition',
      );
      expect(() => build({ lifecycle: { infrequentAccessDays: 30, expirationDays: 20 } })).toThrow(
        'lifecycle.expirationDays is 20; use more than 30 (objects expire after their last transition, infrequentAccessDays)',
      );
    });

    it('rejects noncurrent version and upload days below 1', () => {
      expect(() => build({ lifecycle: { noncurrentVersionExpirationDays: 0, abortIncompleteUploadDays: 0 } })).toThrow(
        'ZoneBucket dev-lake/raw: lifecycle.noncurrentVersionExpirationDays is 0; use a whole number of 1 or more\n'
        + 'ZoneBucket dev-lake/raw: lifecycle.abortIncompleteUploadDays is 0; use a whole number of 1 or more',
      );
    });

    it('rejects a role that cannot be part of a bucket name', () => {
      expect(() => build({ role: 'Raw_Zone' })).toThrow(
        'role is "Raw_Zone"; use lowercase letters, digits and "-", starting with a letter (it is part of the bucket name)',
      );
    });

    it('rejects an address that is not a Terraform name', () => {
      expect(() => build({ address: 'lake-raw' })).toThrow(
        'address is "lake-raw"; use at most 57 lowercase letters, digits and "_", starting with a letter (e.g. "lake_raw")',
      );
    });

    it('rejects a bucket without the lake key unless it is the access-logs bucket', () => {
      expect(() => build({ key: undefined })).toThrow('key is missing; pass the lake key (only the access-logs bucket, allowLogDelivery: true, goes without it)');
    });

    it('rejects a KMS key on the access-logs bucket', () => {
      const stack = newStack();
      const key = new LakeKey(stack, 'key');
      expect(() => new ZoneBucket(stack, 'logs', { role: 'access-logs', address: 'lake_access_logs', allowLogDelivery: true, key })).toThrow(
        'ZoneBucket dev-lake/logs: key is set on the access-logs bucket (allowLogDelivery: true); remove it: S3 server access logging cannot deliver to SSE-KMS buckets, so this bucket uses SSE-S3',
      );
    });

    it('rejects a bucket without an access-logs bucket', () => {
      expect(() => build({ logs: undefined })).toThrow('logs is missing; pass the access-logs bucket (every bucket but the access-logs bucket logs its access)');
    });

    it('rejects a logs target that does not accept log delivery', () => {
      const { stack, key, bucket } = build();
      expect(() => new ZoneBucket(stack, 'curated', { role: 'curated', address: 'lake_curated', key, logs: bucket })).toThrow(
        'logs is dev-lake/raw, which does not accept log delivery; pass the access-logs bucket (allowLogDelivery: true)',
      );
    });

    it('reports every problem at once in a PlatformError and creates nothing', () => {
      const stack = newStack();
      let error: unknown;
      try {
        new ZoneBucket(stack, 'raw', { role: 'raw', address: 'lake_raw', lifecycle: { infrequentAccessDays: 10 } });
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(PlatformError);
      expect((error as PlatformError).problems.map((p) => p.path)).toEqual(['key', 'logs', 'lifecycle.infrequentAccessDays']);
      expect(stack.node.findAll().filter((c) => c instanceof S3Bucket)).toEqual([]);
      expect(stack.statefulAddresses.size).toBe(0);
    });

    it('skips lifecycle days that are still tokens', () => {
      const stack = newStack();
      const key = new LakeKey(stack, 'key');
      const logs = new ZoneBucket(stack, 'logs', { role: 'access-logs', address: 'lake_access_logs', allowLogDelivery: true });
      const ia = new TerraformVariable(stack, 'ia', { type: 'number' });
      new ZoneBucket(stack, 'raw', { role: 'raw', address: 'lake_raw', key, logs, lifecycle: { infrequentAccessDays: ia.numberValue, archiveDays: 40 } });
      const { tf } = synthesize(stack);
      const [rule] = resource(tf, 'aws_s3_bucket_lifecycle_configuration', 'lake_raw_lifecycle').rule as Array<Record<string, unknown>>;
      expect(rule.transition).toEqual([
        { days: '${var.ia}', storage_class: 'STANDARD_IA' },
        { days: 40, storage_class: 'GLACIER_IR' },
      ]);
    });
  });
  describe('queue notifications', () => {
    const queue = (name: string) => ({
      arn: `arn:aws:sqs:eu-west-1:111111111111:adp-dev-lake-${name}-events`,
      url: `https://sqs.eu-west-1.amazonaws.com/111111111111/adp-dev-lake-${name}-events`,
    });
    const notification = (name: string, prefix: string): QueueNotification => ({
      name,
      prefix,
      queue: queue(name),
      address: `lake_${name.replace(/-/g, '_')}_events`,
    });
    const PARTNERS = notification('raw-partners', 'partner-import/');
    const RETURNS = notification('raw-returns', 'returns/');

    it('documents the events each queue gets in QUEUE_NOTIFICATION_EVENTS: objects created and removed', () => {
      expect(QUEUE_NOTIFICATION_EVENTS).toEqual(['s3:ObjectCreated:*', 's3:ObjectRemoved:*']);
    });

    it('adds the queues to the bucket\'s one notification configuration, beside EventBridge, after their policies', () => {
      const { tf } = synth({ eventBridge: true, queueNotifications: [PARTNERS, RETURNS] });
      expect(Object.keys(tf.resource?.aws_s3_bucket_notification ?? {})).toEqual(['lake_raw_notification']);
      expect(resource(tf, 'aws_s3_bucket_notification', 'lake_raw_notification')).toEqual({
        bucket: '${aws_s3_bucket.lake_raw_bucket.id}',
        eventbridge: true,
        queue: [
          { id: 'raw-partners', queue_arn: queue('raw-partners').arn, events: ['s3:ObjectCreated:*', 's3:ObjectRemoved:*'], filter_prefix: 'partner-import/' },
          { id: 'raw-returns', queue_arn: queue('raw-returns').arn, events: ['s3:ObjectCreated:*', 's3:ObjectRemoved:*'], filter_prefix: 'returns/' },
        ],
        depends_on: ['aws_sqs_queue_policy.lake_raw_partners_events_policy', 'aws_sqs_queue_policy.lake_raw_returns_events_policy'],
      });
    });

    it('notifies the queues without EventBridge when EventBridge is not asked for', () => {
      const { tf } = synth({ queueNotifications: [PARTNERS] });
      const configured = resource(tf, 'aws_s3_bucket_notification', 'lake_raw_notification');
      expect(configured).not.toHaveProperty('eventbridge');
      expect(configured.queue).toHaveLength(1);
    });

    it('writes each queue\'s policy: S3 may send messages for this bucket and account only', () => {
      const { tf } = synth({ eventBridge: true, queueNotifications: [PARTNERS] });
      expect(resource(tf, 'aws_sqs_queue_policy', 'lake_raw_partners_events_policy')).toEqual({
        queue_url: queue('raw-partners').url,
        policy: '${data.aws_iam_policy_document.lake_raw_partners_events_policy.json}',
      });
      expect(policyStatements(tf, 'lake_raw_partners_events_policy')).toEqual([
        {
          sid: 'AllowBucketNotifications',
          effect: 'Allow',
          principals: [{ type: 'Service', identifiers: ['s3.amazonaws.com'] }],
          actions: ['sqs:SendMessage'],
          resources: [queue('raw-partners').arn],
          condition: [
            { test: 'ArnEquals', variable: 'aws:SourceArn', values: [RAW_ARN] },
            { test: 'StringEquals', variable: 'aws:SourceAccount', values: ['111111111111'] },
          ],
        },
      ]);
    });

    it('writes no queue policy and keeps the EventBridge-only configuration without queues', () => {
      const { tf } = synth({ eventBridge: true });
      expect(tf.resource?.aws_sqs_queue_policy).toBeUndefined();
      expect(resource(tf, 'aws_s3_bucket_notification', 'lake_raw_notification')).toEqual({ bucket: '${aws_s3_bucket.lake_raw_bucket.id}', eventbridge: true });
    });

    it('reports names, addresses and prefixes S3 or Terraform would reject, and creates nothing', () => {
      const stack = newStack();
      const key = new LakeKey(stack, 'key');
      const logs = new ZoneBucket(stack, 'logs', { role: 'access-logs', address: 'lake_access_logs', allowLogDelivery: true });
      const queueNotifications: QueueNotification[] = [
        PARTNERS,
        { ...notification('raw-partners', 'partner-import/2024/'), address: 'lake_partners_2024_events' },
        { ...RETURNS, prefix: 'returns' },
        { ...notification('raw-orders', '/orders/'), address: 'Lake-Orders' },
        { ...notification('raw-archive', 'archive/'), address: PARTNERS.address },
      ];
      let error: unknown;
      try {
        new ZoneBucket(stack, 'raw', { role: 'raw', address: 'lake_raw', key, logs, eventBridge: true, queueNotifications });
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(PlatformError);
      expect((error as PlatformError).message).toBe([
        'ZoneBucket dev-lake/raw: queueNotifications[1].name is "raw-partners" again; give each notification its own name',
        'ZoneBucket dev-lake/raw: queueNotifications[3].address is "Lake-Orders"; use at most 57 lowercase letters, digits and "_", starting with a letter (e.g. "lake_orders_events")',
        'ZoneBucket dev-lake/raw: queueNotifications[4].address is "lake_raw_partners_events" again; give each queue its own address',
        'ZoneBucket dev-lake/raw: queueNotifications[1].prefix is "partner-import/2024/", which overlaps "partner-import/" of notification raw-partners; '
          + 'use prefixes that do not contain one another (S3 rejects queue notifications of one bucket whose prefixes overlap)',
        'ZoneBucket dev-lake/raw: queueNotifications[2].prefix is "returns"; use a key prefix ending in "/", without a leading "/" or wildcards (e.g. "orders/"): S3 matches it against the start of each key',
        'ZoneBucket dev-lake/raw: queueNotifications[3].prefix is "/orders/"; use a key prefix ending in "/", without a leading "/" or wildcards (e.g. "orders/"): S3 matches it against the start of each key',
      ].join('\n'));
      expect(stack.node.findAll().filter((c) => c instanceof S3Bucket).map((c) => c.node.path)).toEqual(['dev-lake/logs/bucket']);
    });
  });
});
