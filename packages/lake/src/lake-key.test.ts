import { TerraformOutput, TerraformVariable } from 'cdktf';
import { DataAwsIamPolicyDocument } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { EnvironmentInput, LAKE_DEFAULTS, PlatformError, PlatformStack, synthesize, testApp, testEnvironment } from '@data-platform/core';
import { LAKE_KEY_DEFAULTS, LakeKey, LakeKeyProps } from './lake-key';

function newStack(env: Partial<EnvironmentInput> = {}): PlatformStack {
  return new PlatformStack(testApp(), 'dev-lake', { env: testEnvironment({ name: 'dev', ...env }) });
}

function keyStack(props?: LakeKeyProps, env: Partial<EnvironmentInput> = {}) {
  const stack = newStack(env);
  const key = new LakeKey(stack, 'key', props);
  return { stack, key, ...synthesize(stack) };
}

describe('LakeKey', () => {
  it('turns on key rotation', () => {
    const { json } = keyStack();
    expect(json).toHaveResourceWithProperties(KmsKey, { enable_key_rotation: true });
  });

  it('waits LAKE_DEFAULTS.keyDeletionWindowDays (30) before deletion by default', () => {
    expect(LAKE_DEFAULTS.keyDeletionWindowDays).toBe(30);
    const { tf } = keyStack();
    expect(tf.resource?.aws_kms_key.lake_key.deletion_window_in_days).toBe(LAKE_DEFAULTS.keyDeletionWindowDays);
  });

  it('uses the deletion window it is given', () => {
    const { tf } = keyStack({ deletionWindowDays: 7 });
    expect(tf.resource?.aws_kms_key.lake_key.deletion_window_in_days).toBe(7);
  });

  it('describes the key with its project and environment', () => {
    const { tf } = keyStack();
    expect(tf.resource?.aws_kms_key.lake_key.description).toBe("Data lake key of adp-dev: encrypts the lake's zone and Athena results buckets");
  });

  it('attaches a key policy that delegates to IAM in the account and lets only CloudWatch Logs and EventBridge of this account use the key as themselves', () => {
    const { tf, json } = keyStack();
    expect(tf.resource?.aws_kms_key.lake_key.policy).toBe('${data.aws_iam_policy_document.lake_key_policy.json}');
    expect(json).toHaveDataSource(DataAwsIamPolicyDocument);
    expect(tf.data?.aws_iam_policy_document.lake_key_policy.statement).toEqual([
      {
        sid: 'DelegateToIamInAccount',
        effect: 'Allow',
        principals: [{ type: 'AWS', identifiers: ['arn:${data.aws_partition.partition.partition}:iam::111111111111:root'] }],
        actions: ['kms:*'],
        resources: ['*'],
      },
      {
        sid: 'AllowCloudWatchLogs',
        effect: 'Allow',
        principals: [{ type: 'Service', identifiers: ['logs.eu-west-1.amazonaws.com'] }],
        actions: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey'],
        resources: ['*'],
        condition: [{
          test: 'ArnLike',
          variable: 'kms:EncryptionContext:aws:logs:arn',
          values: ['arn:${data.aws_partition.partition.partition}:logs:eu-west-1:111111111111:log-group:*'],
        }],
      },
      {
        sid: 'AllowEventBridge',
        effect: 'Allow',
        principals: [{ type: 'Service', identifiers: ['events.amazonaws.com'] }],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
        resources: ['*'],
        condition: [{ test: 'StringEquals', variable: 'aws:SourceAccount', values: ['111111111111'] }],
      },
      {
        sid: 'AllowLogDelivery',
        effect: 'Allow',
        principals: [{ type: 'Service', identifiers: ['delivery.logs.amazonaws.com'] }],
        actions: ['kms:Decrypt'],
        resources: ['*'],
        condition: [{ test: 'StringEquals', variable: 'aws:SourceAccount', values: ['111111111111'] }],
      },
      {
        sid: 'AllowAlertPublishers',
        effect: 'Allow',
        principals: [{ type: 'Service', identifiers: ['cloudwatch.amazonaws.com', 'budgets.amazonaws.com'] }],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
        resources: ['*'],
        condition: [{ test: 'StringEquals', variable: 'aws:SourceAccount', values: ['111111111111'] }],
      },
    ]);
  });

  it('lets a writer service (AppFlow) encrypt with the key, for requests from this account only', () => {
    const stack = newStack();
    new LakeKey(stack, 'key', { writerServices: ['appflow.amazonaws.com'] });
    const { tf } = synthesize(stack);
    expect(tf.data?.aws_iam_policy_document.lake_key_policy.statement).toContainEqual({
      sid: 'AllowServiceWriter0',
      effect: 'Allow',
      principals: [{ type: 'Service', identifiers: ['appflow.amazonaws.com'] }],
      actions: ['kms:Encrypt', 'kms:Decrypt', 'kms:GenerateDataKey', 'kms:DescribeKey'],
      resources: ['*'],
      condition: [{ test: 'StringEquals', variable: 'aws:SourceAccount', values: ['111111111111'] }],
    });
  });

  it('does not let S3 use the key for event notifications by default (LAKE_KEY_DEFAULTS)', () => {
    expect(LAKE_KEY_DEFAULTS).toEqual({ allowS3EventNotifications: false });
    const { tf } = keyStack();
    const sids = (tf.data?.aws_iam_policy_document.lake_key_policy.statement as Array<{ sid: string }>).map((s) => s.sid);
    expect(sids).toEqual(['DelegateToIamInAccount', 'AllowCloudWatchLogs', 'AllowEventBridge', 'AllowLogDelivery', 'AllowAlertPublishers']);
  });

  it('lets the accounts a catalog database is shared with decrypt the catalog, through Glue only', () => {
    const { tf } = keyStack({ catalogReaderAccounts: ['444444444444'] });
    const statements = tf.data?.aws_iam_policy_document.lake_key_policy.statement as Array<{ sid: string }>;
    expect(statements.find((s) => s.sid === 'AllowSharedCatalogReaders')).toEqual({
      sid: 'AllowSharedCatalogReaders',
      effect: 'Allow',
      principals: [{ type: 'AWS', identifiers: ['arn:${data.aws_partition.partition.partition}:iam::444444444444:root'] }],
      actions: ['kms:Decrypt', 'kms:DescribeKey'],
      resources: ['*'],
      condition: [{ test: 'StringEquals', variable: 'kms:ViaService', values: ['glue.eu-west-1.amazonaws.com'] }],
    });
    expect((keyStack().tf.data?.aws_iam_policy_document.lake_key_policy.statement as Array<{ sid: string }>).map((s) => s.sid)).not.toContain('AllowSharedCatalogReaders');
  });

  it('lets S3 of this account encrypt event notifications to queues under the key, when asked', () => {
    const { tf } = keyStack({ allowS3EventNotifications: true });
    const statements = tf.data?.aws_iam_policy_document.lake_key_policy.statement as Array<{ sid: string }>;
    expect(statements.map((s) => s.sid)).toEqual(['DelegateToIamInAccount', 'AllowCloudWatchLogs', 'AllowEventBridge', 'AllowLogDelivery', 'AllowAlertPublishers', 'AllowS3EventNotifications']);
    expect(statements[5]).toEqual({
      sid: 'AllowS3EventNotifications',
      effect: 'Allow',
      principals: [{ type: 'Service', identifiers: ['s3.amazonaws.com'] }],
      actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
      resources: ['*'],
      condition: [{ test: 'StringEquals', variable: 'aws:SourceAccount', values: ['111111111111'] }],
    });
  });

  it('names its alias alias/<project>-<env>-lake-key and points it at the key', () => {
    const { json } = keyStack();
    expect(json).toHaveResourceWithProperties(KmsAlias, {
      name: 'alias/adp-dev-lake-key',
      target_key_id: '${aws_kms_key.lake_key.key_id}',
    });
  });

  it('exposes the key, its ARN, its id and its alias', () => {
    const stack = newStack();
    const key = new LakeKey(stack, 'key');
    new TerraformOutput(stack, 'arn', { value: key.arn });
    new TerraformOutput(stack, 'key_id', { value: key.keyId });
    new TerraformOutput(stack, 'alias', { value: key.alias.name });
    const { tf } = synthesize(stack);
    expect(tf.output).toEqual({
      arn: { value: '${aws_kms_key.lake_key.arn}' },
      key_id: { value: '${aws_kms_key.lake_key.key_id}' },
      alias: { value: '${aws_kms_alias.lake_key_alias.name}' },
    });
    expect(key.key).toBeInstanceOf(KmsKey);
  });

  describe('address', () => {
    it('pins the key to aws_kms_key.lake_key and records it as stateful', () => {
      const { tf, stack } = keyStack();
      expect(Object.keys(tf.resource?.aws_kms_key ?? {})).toEqual(['lake_key']);
      expect([...stack.statefulAddresses]).toEqual(['aws_kms_key.lake_key']);
    });

    it('prevents destroying the key when the environment is protected', () => {
      const { tf } = keyStack({}, { protect: true });
      expect(tf.resource?.aws_kms_key.lake_key.lifecycle).toEqual({ prevent_destroy: true });
    });

    it('lets the key be destroyed when the environment is not protected', () => {
      const { tf } = keyStack({}, { protect: false });
      expect(tf.resource?.aws_kms_key.lake_key.lifecycle).toBeUndefined();
    });
  });

  describe('validation', () => {
    it('rejects a deletion window shorter than 7 days', () => {
      expect(() => keyStack({ deletionWindowDays: 6 })).toThrow(
        'LakeKey dev-lake/key: deletionWindowDays is 6; use a whole number from 7 to 30 (the window KMS allows before deleting a key)',
      );
    });

    it('rejects a deletion window longer than 30 days', () => {
      expect(() => keyStack({ deletionWindowDays: 31 })).toThrow('deletionWindowDays is 31; use a whole number from 7 to 30');
    });

    it('rejects a fractional deletion window', () => {
      expect(() => keyStack({ deletionWindowDays: 7.5 })).toThrow('deletionWindowDays is 7.5; use a whole number from 7 to 30');
    });

    it('throws a PlatformError and creates nothing when props are invalid', () => {
      const stack = newStack();
      let error: unknown;
      try {
        new LakeKey(stack, 'key', { deletionWindowDays: 3 });
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(PlatformError);
      expect(stack.node.findAll().filter((c) => c instanceof KmsKey || c instanceof KmsAlias)).toEqual([]);
      expect(stack.statefulAddresses.size).toBe(0);
    });

    it('skips a deletion window that is still a token', () => {
      const stack = newStack();
      const days = new TerraformVariable(stack, 'days', { type: 'number' });
      new LakeKey(stack, 'key', { deletionWindowDays: days.numberValue });
      const { tf } = synthesize(stack);
      expect(tf.resource?.aws_kms_key.lake_key.deletion_window_in_days).toBe('${var.days}');
    });
  });
});
