import { Rule, fail, pass } from '../../rule';
import { awsManagedKeyAlias } from '../../kms-keys';
import { block, blocks } from '../../stack-view';
import { companionsOf } from './companions';

/**
 * Every bucket is encrypted with a customer-managed KMS key. The one exception S3 forces is a
 * bucket that receives server access logs (S3 cannot deliver them to an SSE-KMS bucket): such a
 * bucket may use SSE-S3, with a suppression saying so.
 *
 * Every encryption configuration of the bucket (by reference or literal bucket name) and every
 * rule in it must comply: a second configuration or rule would otherwise override the first.
 */
export const s3KmsEncryption: Rule = {
  id: 's3-kms-encryption',
  severity: 'high',
  resourceTypes: ['aws_s3_bucket'],
  description: 'A bucket has default encryption with a customer-managed KMS key (aws:kms with a key id).',
  rationale: 'A KMS key of our own puts every object under a key policy and CloudTrail-logged key use; SSE-S3 does neither.',
  check(bucket, stack) {
    const configs = companionsOf(stack, 'aws_s3_bucket_server_side_encryption_configuration', bucket);
    if (configs.length === 0) {
      return fail('has no aws_s3_bucket_server_side_encryption_configuration; add one with sse_algorithm "aws:kms" and the lake key');
    }
    const rules = configs.flatMap((c) => blocks(c.config.rule));
    if (rules.length === 0) {
      return fail('has an encryption configuration without a rule; add one with sse_algorithm "aws:kms" and the lake key');
    }
    for (const rule of rules) {
      const byDefault = block(rule.apply_server_side_encryption_by_default);
      if (!byDefault) {
        return fail('has an encryption rule without apply_server_side_encryption_by_default; add it with sse_algorithm "aws:kms" and the lake key');
      }
      const algorithm = byDefault.sse_algorithm;
      if (algorithm !== 'aws:kms' && algorithm !== 'aws:kms:dsse') {
        return fail(`is encrypted with ${String(algorithm ?? 'nothing')}; use sse_algorithm "aws:kms" with the lake key`);
      }
      const keyId = byDefault.kms_master_key_id;
      if (!keyId) {
        return fail('uses aws:kms without kms_master_key_id (the AWS-managed aws/s3 key); set the lake key');
      }
      if (awsManagedKeyAlias(keyId)) {
        return fail(`uses aws:kms with the AWS-managed key ${String(keyId)}; set kms_master_key_id to the lake key`);
      }
    }
    return pass();
  },
};
