import { runRule, stackOf } from '../../testing';
import { dmsKms } from './dms-kms';

const LAKE_KEY = '${aws_kms_key.lake_key.arn}';
const INSTANCE = 'aws_dms_replication_instance.orders';
const SERVERLESS = 'aws_dms_replication_config.orders';
const SOURCE = 'aws_dms_endpoint.orders_source';
const TARGET = 'aws_dms_endpoint.orders_target';
const S3_TARGET = 'aws_dms_s3_endpoint.orders_raw';

const instance = (config: Record<string, unknown>) =>
  stackOf({ [INSTANCE]: { replication_instance_id: 'orders', replication_instance_class: 'dms.t3.medium', publicly_accessible: false, ...config } });
const serverless = (compute: Record<string, unknown>) =>
  stackOf({
    [SERVERLESS]: {
      replication_config_identifier: 'orders',
      replication_type: 'full-load-and-cdc',
      source_endpoint_arn: '${aws_dms_endpoint.orders_source.endpoint_arn}',
      target_endpoint_arn: '${aws_dms_s3_endpoint.orders_raw.endpoint_arn}',
      table_mappings: '{}',
      compute_config: [{ replication_subnet_group_id: '${aws_dms_replication_subnet_group.dms.id}', ...compute }],
    },
  });
const endpoint = (address: string, config: Record<string, unknown>) => stackOf({ [address]: { endpoint_id: 'orders', ...config } });
const s3Target = (config: Record<string, unknown>) =>
  endpoint(S3_TARGET, { endpoint_type: 'target', bucket_name: 'raw', service_access_role_arn: '${aws_iam_role.dms_s3.arn}', ...config });

describe('dms-kms', () => {
  test('passes a replication instance encrypted with our key', () => {
    expect(runRule(dmsKms, instance({ kms_key_arn: LAKE_KEY }), INSTANCE)).toEqual({ status: 'pass' });
  });

  test('fails a replication instance without kms_key_arn', () => {
    expect(runRule(dmsKms, instance({}), INSTANCE)).toEqual({
      status: 'fail',
      message: 'has no kms_key_arn, so the AWS-managed aws/dms key encrypts its storage; set kms_key_arn to the lake key',
    });
  });

  test('fails a replication instance encrypted with the AWS-managed key', () => {
    const stack = stackOf({
      [INSTANCE]: { replication_instance_id: 'orders', replication_instance_class: 'dms.t3.medium', kms_key_arn: '${data.aws_kms_alias.dms.target_key_arn}' },
      'data.aws_kms_alias.dms': { name: 'alias/aws/dms' },
    });
    expect(runRule(dmsKms, stack, INSTANCE)).toEqual({
      status: 'fail',
      message: 'encrypts its storage with the AWS-managed key alias/aws/dms; set kms_key_arn to the lake key',
    });
  });

  test('passes a serverless replication encrypted with our key and fails one without compute_config.kms_key_id', () => {
    expect(runRule(dmsKms, serverless({ kms_key_id: LAKE_KEY }), SERVERLESS)).toEqual({ status: 'pass' });
    expect(runRule(dmsKms, serverless({}), SERVERLESS)).toEqual({
      status: 'fail',
      message: 'has no compute_config.kms_key_id, so the AWS-managed aws/dms key encrypts its storage; set compute_config.kms_key_id to the lake key',
    });
  });

  test('passes a database source endpoint whose connection settings use our key', () => {
    const stack = endpoint(SOURCE, { endpoint_type: 'source', engine_name: 'postgres', kms_key_arn: LAKE_KEY, ssl_mode: 'verify-full' });
    expect(runRule(dmsKms, stack, SOURCE)).toEqual({ status: 'pass' });
  });

  test('fails an endpoint without kms_key_arn', () => {
    expect(runRule(dmsKms, endpoint(SOURCE, { endpoint_type: 'source', engine_name: 'postgres' }), SOURCE)).toEqual({
      status: 'fail',
      message: 'has no kms_key_arn, so the AWS-managed aws/dms key encrypts its connection settings; set kms_key_arn to the lake key',
    });
  });

  test('passes an S3 target endpoint that writes objects with SSE_KMS and our key', () => {
    const stack = s3Target({ kms_key_arn: LAKE_KEY, encryption_mode: 'SSE_KMS', server_side_encryption_kms_key_id: LAKE_KEY });
    expect(runRule(dmsKms, stack, S3_TARGET)).toEqual({ status: 'pass' });
  });

  test('fails an S3 target endpoint that leaves objects on the SSE_S3 default', () => {
    expect(runRule(dmsKms, s3Target({ kms_key_arn: LAKE_KEY }), S3_TARGET)).toEqual({
      status: 'fail',
      message: 'writes S3 objects with SSE_S3 (encryption_mode); set encryption_mode "SSE_KMS" and server_side_encryption_kms_key_id to the lake key',
    });
  });

  test('fails an S3 target endpoint using SSE_KMS without a key id', () => {
    expect(runRule(dmsKms, s3Target({ kms_key_arn: LAKE_KEY, encryption_mode: 'SSE_KMS' }), S3_TARGET)).toEqual({
      status: 'fail',
      message: 'uses SSE_KMS without server_side_encryption_kms_key_id; set server_side_encryption_kms_key_id to the lake key',
    });
  });

  test('fails an S3 target endpoint without kms_key_arn for its connection settings', () => {
    const stack = s3Target({ encryption_mode: 'SSE_KMS', server_side_encryption_kms_key_id: LAKE_KEY });
    expect(runRule(dmsKms, stack, S3_TARGET)).toMatchObject({ status: 'fail', message: expect.stringContaining('has no kms_key_arn') });
  });

  test('does not require object encryption of an S3 source endpoint, which only reads', () => {
    const stack = endpoint(S3_TARGET, { endpoint_type: 'source', bucket_name: 'landing', service_access_role_arn: '${aws_iam_role.dms_s3.arn}', kms_key_arn: LAKE_KEY });
    expect(runRule(dmsKms, stack, S3_TARGET)).toEqual({ status: 'pass' });
  });

  test('checks s3_settings of an aws_dms_endpoint with engine s3', () => {
    const stack = endpoint(TARGET, { endpoint_type: 'target', engine_name: 's3', kms_key_arn: LAKE_KEY, s3_settings: { bucket_name: 'raw', encryption_mode: 'SSE_S3' } });
    expect(runRule(dmsKms, stack, TARGET)).toEqual({
      status: 'fail',
      message:
        'writes S3 objects with SSE_S3 (s3_settings.encryption_mode); set s3_settings.encryption_mode "SSE_KMS" and s3_settings.server_side_encryption_kms_key_id to the lake key',
    });
  });

  test('checks the staging bucket of a Redshift target', () => {
    const stack = endpoint(TARGET, { endpoint_type: 'target', engine_name: 'redshift', kms_key_arn: LAKE_KEY });
    expect(runRule(dmsKms, stack, TARGET)).toEqual({
      status: 'fail',
      message:
        'writes S3 objects with SSE_S3 (redshift_settings.encryption_mode); set redshift_settings.encryption_mode "SSE_KMS" and redshift_settings.server_side_encryption_kms_key_id to the lake key',
    });
  });
});
