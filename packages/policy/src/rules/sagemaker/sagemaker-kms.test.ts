import { runRule, stackOf } from '../../testing';
import { INSTANCE_STORE_FAMILIES, hasInstanceStore, sagemakerKms } from './sagemaker-kms';

const KEY = '${aws_kms_key.lake_key.arn}';
const variant = { model_name: '${aws_sagemaker_model.churn.name}', variant_name: 'main', instance_type: 'ml.m5.large', initial_instance_count: 1 };
const endpointConfig = (config: Record<string, unknown>) => stackOf({ 'aws_sagemaker_endpoint_configuration.churn': { production_variants: [variant], ...config } });
const domain = (config: Record<string, unknown>) =>
  stackOf({ 'aws_sagemaker_domain.studio': { domain_name: 'studio', auth_mode: 'IAM', vpc_id: 'vpc-1', subnet_ids: ['subnet-1'], ...config } });

describe('sagemaker-kms', () => {
  test('passes a notebook instance with a key of ours', () => {
    const stack = stackOf({ 'aws_sagemaker_notebook_instance.lab': { name: 'lab', instance_type: 'ml.t3.medium', role_arn: 'r', kms_key_id: KEY } });
    expect(runRule(sagemakerKms, stack, 'aws_sagemaker_notebook_instance.lab')).toEqual({ status: 'pass' });
  });

  test('fails a notebook instance without kms_key_id', () => {
    const stack = stackOf({ 'aws_sagemaker_notebook_instance.lab': { name: 'lab', instance_type: 'ml.t3.medium', role_arn: 'r' } });
    expect(runRule(sagemakerKms, stack, 'aws_sagemaker_notebook_instance.lab')).toEqual({
      status: 'fail',
      message: 'has no kms_key_id (notebook ML volume); set it to the lake key',
    });
  });

  test('passes an endpoint configuration whose volumes and data capture use a key of ours', () => {
    const stack = endpointConfig({ kms_key_arn: KEY, data_capture_config: [{ destination_s3_uri: 's3://curated/capture', initial_sampling_percentage: 10, kms_key_id: KEY }] });
    expect(runRule(sagemakerKms, stack, 'aws_sagemaker_endpoint_configuration.churn')).toEqual({ status: 'pass' });
  });

  test('fails an endpoint configuration without kms_key_arn', () => {
    expect(runRule(sagemakerKms, endpointConfig({}), 'aws_sagemaker_endpoint_configuration.churn')).toEqual({
      status: 'fail',
      message: 'has no kms_key_arn (endpoint storage volumes); set it to the lake key',
    });
  });

  test('fails an endpoint configuration whose data capture and asynchronous output have no key', () => {
    const stack = endpointConfig({
      kms_key_arn: KEY,
      data_capture_config: [{ destination_s3_uri: 's3://curated/capture', initial_sampling_percentage: 10 }],
      async_inference_config: [{ output_config: [{ s3_output_path: 's3://curated/async' }] }],
    });
    expect(runRule(sagemakerKms, stack, 'aws_sagemaker_endpoint_configuration.churn')).toEqual({
      status: 'fail',
      message:
        'has no data_capture_config.kms_key_id (captured requests and responses), no async_inference_config.output_config.kms_key_id (asynchronous results); set each to the lake key',
    });
  });

  test('passes an endpoint configuration on instance-store instances without kms_key_arn (SageMaker rejects a key there)', () => {
    const stack = stackOf({ 'aws_sagemaker_endpoint_configuration.churn': { production_variants: [{ ...variant, instance_type: 'ml.g5.xlarge' }] } });
    expect(runRule(sagemakerKms, stack, 'aws_sagemaker_endpoint_configuration.churn')).toEqual({ status: 'pass' });
  });

  test('recognises instance-store instance types', () => {
    expect(['ml.m5d.large', 'ml.g4dn.xlarge', 'ml.p4d.24xlarge', 'ml.g5.2xlarge', 'ml.trn1.2xlarge'].map(hasInstanceStore)).toEqual([true, true, true, true, true]);
    expect(['ml.m5.large', 'ml.c5.xlarge', 'ml.inf1.xlarge', 'ml.t2.medium', undefined].map(hasInstanceStore)).toEqual([false, false, false, false, false]);
    expect(INSTANCE_STORE_FAMILIES).toContain('g5');
  });

  test('passes a domain with a key of ours and sharing disabled', () => {
    expect(runRule(sagemakerKms, domain({ kms_key_id: KEY, default_user_settings: [{ execution_role: 'r' }] }), 'aws_sagemaker_domain.studio')).toEqual({ status: 'pass' });
  });

  test('fails a domain without kms_key_id that shares notebook outputs without a key', () => {
    const stack = domain({
      default_user_settings: [{ execution_role: 'r', sharing_settings: [{ notebook_output_option: 'Allowed', s3_output_path: 's3://curated/shared' }] }],
    });
    expect(runRule(sagemakerKms, stack, 'aws_sagemaker_domain.studio')).toEqual({
      status: 'fail',
      message:
        'has no kms_key_id (home EFS volume and space storage), no default_user_settings.sharing_settings.s3_kms_key_id (shared notebook outputs); set each to the lake key',
    });
  });

  test('fails a user profile whose Canvas artifacts have no key', () => {
    const stack = stackOf({
      'aws_sagemaker_user_profile.analyst': {
        domain_id: '${aws_sagemaker_domain.studio.id}',
        user_profile_name: 'analyst',
        user_settings: [{ execution_role: 'r', canvas_app_settings: [{ workspace_settings: [{ s3_artifact_path: 's3://curated/canvas' }] }] }],
      },
    });
    expect(runRule(sagemakerKms, stack, 'aws_sagemaker_user_profile.analyst')).toEqual({
      status: 'fail',
      message: 'has no user_settings.canvas_app_settings.workspace_settings.s3_kms_key_id (Canvas artifacts); set it to the lake key',
    });
  });

  test('does not apply to a user profile that writes no S3 output of its own', () => {
    const stack = stackOf({ 'aws_sagemaker_user_profile.analyst': { domain_id: 'd-1', user_profile_name: 'analyst', user_settings: [{ execution_role: 'r' }] } });
    expect(runRule(sagemakerKms, stack, 'aws_sagemaker_user_profile.analyst')).toEqual({
      status: 'not-applicable',
      reason: 'its settings write nothing that a KMS key would encrypt (no sharing or Canvas output configured)',
    });
  });
});
