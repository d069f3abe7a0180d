import { Rule, fail, notApplicable, pass } from '../../rule';
import { isExpression, isTrue } from '../../stack-view';

/**
 * A customer-managed key rotates its key material every year (or `rotation_period_in_days`).
 * KMS rotates only symmetric encryption keys whose material it generated: asymmetric and HMAC
 * keys, and keys in a custom key store (CloudHSM, external), are not concerned.
 */
export const kmsKeyRotation: Rule = {
  id: 'kms-key-rotation',
  severity: 'medium',
  resourceTypes: ['aws_kms_key'],
  description: 'A symmetric encryption KMS key has automatic key rotation enabled (enable_key_rotation = true).',
  rationale:
    'Rotation limits how much data one version of key material protects and is expected by every compliance baseline; old versions stay available, so nothing breaks.',
  check(key) {
    const spec = key.config.customer_master_key_spec;
    if (typeof spec === 'string' && !isExpression(spec) && spec !== 'SYMMETRIC_DEFAULT') {
      return notApplicable(`has customer_master_key_spec ${spec}; KMS rotates only symmetric encryption keys automatically`);
    }
    if (key.config.custom_key_store_id !== undefined) {
      return notApplicable('lives in a custom key store (CloudHSM or external), whose keys KMS does not rotate automatically');
    }
    if (!isTrue(key.config.enable_key_rotation)) {
      return fail('does not rotate its key material (enable_key_rotation is not true); set enable_key_rotation to true');
    }
    return pass();
  },
};
