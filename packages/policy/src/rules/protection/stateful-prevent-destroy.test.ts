import { runRule, stackOf } from '../../testing';
import { STATEFUL_RESOURCE_TYPES, statefulPreventDestroy } from './stateful-prevent-destroy';

const PROD = { environment: 'prod', stage: 'production', protect: true };

describe('stateful-prevent-destroy', () => {
  test('checks buckets, keys, catalog databases and tables, streams, DynamoDB tables, LF-tags, Studio domains and model registry groups', () => {
    expect(STATEFUL_RESOURCE_TYPES).toEqual([
      'aws_s3_bucket',
      'aws_kms_key',
      'aws_glue_catalog_database',
      'aws_glue_catalog_table',
      'aws_kinesis_stream',
      'aws_dynamodb_table',
      'aws_lakeformation_lf_tag',
      'aws_sagemaker_domain',
      'aws_sagemaker_model_package_group',
    ]);
    expect(statefulPreventDestroy.resourceTypes).toBe(STATEFUL_RESOURCE_TYPES);
  });

  test('passes a protected-environment bucket with prevent_destroy, as cdktf writes it', () => {
    const stack = stackOf({ 'aws_s3_bucket.lake_raw_bucket': { bucket: 'raw', lifecycle: { prevent_destroy: true } } }, PROD);
    expect(runRule(statefulPreventDestroy, stack, 'aws_s3_bucket.lake_raw_bucket')).toEqual({ status: 'pass' });
  });

  test('fails a protected-environment key without prevent_destroy', () => {
    const stack = stackOf({ 'aws_kms_key.lake_key': { description: 'lake' } }, PROD);
    expect(runRule(statefulPreventDestroy, stack, 'aws_kms_key.lake_key')).toEqual({
      status: 'fail',
      message:
        "has no lifecycle.prevent_destroy in protected environment prod; create it through core's stateful() helper, which pins its address and sets prevent_destroy when the environment is protected",
    });
  });

  test('fails a protected-environment stream whose prevent_destroy is false', () => {
    const stack = stackOf({ 'aws_kinesis_stream.ingest_orders_stream': { name: 'orders', lifecycle: { prevent_destroy: false } } }, PROD);
    expect(runRule(statefulPreventDestroy, stack, 'aws_kinesis_stream.ingest_orders_stream')).toEqual({
      status: 'fail',
      message:
        "has no lifecycle.prevent_destroy in protected environment prod; create it through core's stateful() helper, which pins its address and sets prevent_destroy when the environment is protected",
    });
  });

  test('does not apply in an unprotected environment', () => {
    const stack = stackOf({ 'aws_dynamodb_table.checkpoints': { name: 'checkpoints' } });
    expect(runRule(statefulPreventDestroy, stack, 'aws_dynamodb_table.checkpoints')).toEqual({ status: 'not-applicable', reason: 'environment dev is not protected' });
  });
});
