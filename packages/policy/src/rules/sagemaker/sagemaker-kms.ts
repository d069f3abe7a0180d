import { ResourceView, Rule, fail, notApplicable, pass } from '../../rule';
import { block, blocks } from '../../stack-view';

/**
 * Instance families with local NVMe instance storage, which SageMaker encrypts in hardware and for
 * which CreateEndpointConfig rejects a KMS key: `m5d`, `g4dn`, `p4d`... (a `d` after the
 * generation), and these families without one.
 * @see https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_CreateEndpointConfig.html (KmsKeyId)
 * @see https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/InstanceStorage.html
 */
export const INSTANCE_STORE_FAMILIES: readonly string[] = ['dl1', 'g5', 'g6', 'g6e', 'gr6', 'p5', 'p5e', 'p5en', 'trn1', 'trn1n', 'trn2'];

/** True for an `ml.<family>.<size>` instance type whose family has local instance storage. */
export function hasInstanceStore(instanceType: unknown): boolean {
  if (typeof instanceType !== 'string') return false;
  const family = /^ml\.([a-z0-9-]+)\./.exec(instanceType)?.[1];
  if (!family) return false;
  return INSTANCE_STORE_FAMILIES.includes(family) || /^[a-z]+\d+[a-z]*d[a-z]*$/.test(family);
}

/**
 * SageMaker encrypts what it stores with a customer-managed KMS key: notebook and Studio
 * volumes, endpoint storage volumes, and the S3 objects it writes on our behalf (captured
 * requests, asynchronous results, core dumps, shared notebooks, Canvas artifacts), where it would
 * otherwise use the account's AWS-managed aws/s3 key rather than the bucket's default key.
 *
 * Resources checked are those with a KMS attribute in AWS provider 5.100: notebook instances,
 * endpoint configurations, domains and user profiles (`aws_sagemaker_model` has none).
 */
export const sagemakerKms: Rule = {
  id: 'sagemaker-kms',
  severity: 'high',
  resourceTypes: ['aws_sagemaker_notebook_instance', 'aws_sagemaker_endpoint_configuration', 'aws_sagemaker_domain', 'aws_sagemaker_user_profile'],
  description: 'SageMaker notebooks, endpoint configurations, domains and user profiles encrypt storage and S3 output with a customer-managed KMS key.',
  rationale:
    'Training data, features and predictions sit on ML volumes and in S3 output; without a key of ours SageMaker uses transient, AWS-managed or aws/s3 keys that no key policy of ours governs and whose use we cannot audit or revoke.',
  check(resource) {
    const missing = missingKeys(resource);
    if (missing === undefined) return notApplicable('its settings write nothing that a KMS key would encrypt (no sharing or Canvas output configured)');
    if (missing.length === 0) return pass();
    return fail(`has no ${missing.join(', no ')}; set ${missing.length === 1 ? 'it' : 'each'} to the lake key`);
  },
};

/** The KMS settings this resource lacks, or undefined when it has nothing to encrypt. */
function missingKeys(resource: ResourceView): string[] | undefined {
  const c = resource.config;
  switch (resource.type) {
    case 'aws_sagemaker_notebook_instance':
      return c.kms_key_id ? [] : ['kms_key_id (notebook ML volume)'];
    case 'aws_sagemaker_endpoint_configuration':
      return endpointConfigMissing(c);
    case 'aws_sagemaker_domain':
      return [...(c.kms_key_id ? [] : ['kms_key_id (home EFS volume and space storage)']), ...userSettingsOutput('default_user_settings', block(c.default_user_settings)).missing];
    default: {
      const output = userSettingsOutput('user_settings', block(c.user_settings));
      return output.configured ? output.missing : undefined;
    }
  }
}

function endpointConfigMissing(c: Readonly<Record<string, unknown>>): string[] {
  const missing: string[] = [];
  const variants = [...blocks(c.production_variants), ...blocks(c.shadow_production_variants)];
  // Instance-store types are encrypted in hardware and CreateEndpointConfig fails with a key.
  if (!c.kms_key_arn && !variants.some((v) => hasInstanceStore(v.instance_type))) missing.push('kms_key_arn (endpoint storage volumes)');
  const capture = block(c.data_capture_config);
  if (capture && capture.enable_capture !== false && !capture.kms_key_id) missing.push('data_capture_config.kms_key_id (captured requests and responses)');
  const asyncOutput = block(block(c.async_inference_config)?.output_config);
  if (asyncOutput && !asyncOutput.kms_key_id) missing.push('async_inference_config.output_config.kms_key_id (asynchronous results)');
  blocks(c.production_variants).forEach((v, i) => {
    const dump = block(v.core_dump_config);
    if (dump && !dump.kms_key_id) missing.push(`production_variants[${i}].core_dump_config.kms_key_id (core dumps)`);
  });
  return missing;
}

/**
 * The S3 output of a domain's default_user_settings or a profile's user_settings: whether any is
 * configured, and the keys it lacks.
 */
function userSettingsOutput(path: string, settings: Record<string, unknown> | undefined): { configured: boolean; missing: string[] } {
  const missing: string[] = [];
  let configured = false;
  const sharing = block(settings?.sharing_settings);
  // Shared notebook outputs are written to S3 only when sharing is Allowed (the default is Disabled).
  if (sharing?.notebook_output_option === 'Allowed') {
    configured = true;
    if (!sharing.s3_kms_key_id) missing.push(`${path}.sharing_settings.s3_kms_key_id (shared notebook outputs)`);
  }
  const workspace = block(block(settings?.canvas_app_settings)?.workspace_settings);
  if (workspace?.s3_artifact_path) {
    configured = true;
    if (!workspace.s3_kms_key_id) missing.push(`${path}.canvas_app_settings.workspace_settings.s3_kms_key_id (Canvas artifacts)`);
  }
  return { configured, missing };
}
