import { Rule, fail, pass } from '../../rule';
import { block } from '../../stack-view';

/**
 * Every bucket is encrypted with a customer-managed KMS key. The one exception S3 forces is a
 * bucket that receives server access logs (S3 cannot deliver them to an SSE-KMS bucket): such a
 * bucket may use SSE-S3, with a suppression saying so.
 */
export const s3KmsEncryption: Rule = {
  id: 's3-kms-encryption',
  severity: 'high',
  resourceTypes: ['aws_s3_bucket'],
  description: 'A bucket has default encryption with a customer-managed KMS key (aws:kms with a key id).',
  rationale: 'A KMS key of our own puts every object under a key policy and CloudTrail-logged key use; SSE-S3 does neither.',
  check(bucket, stack) {
    const configs = stack.referencing('aws_s3_bucket_server_side_encryption_configuration', 'bucket', bucket);
    if (configs.length === 0) {
      return fail('has no aws_s3_bucket_server_side_encryption_configuration; add one with sse_algorithm "aws:kms" and the lake key');
    }
    const byDefault = block(block(configs[0].config.rule)?.apply_server_side_encryption_by_default);
    const algorithm = byDefault?.sse_algorithm;
    if (algorithm !== 'aws:kms' && algorithm !== 'aws:kms:dsse') {
      return fail(`is encrypted with ${String(algorithm ?? 'nothing')}; use sse_algorithm "aws:kms" with the lake key`);
    }
    if (!byDefault?.kms_master_key_id) {
      return fail('uses aws:kms without kms_master_key_id (the AWS-managed aws/s3 key); set the lake key');
    }
    return pass();
  },
};
