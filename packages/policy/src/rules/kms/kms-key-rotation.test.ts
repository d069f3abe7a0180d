import { runRule, stackOf } from '../../testing';
import { kmsKeyRotation } from './kms-key-rotation';

const key = (config: Record<string, unknown>) => stackOf({ 'aws_kms_key.lake_key': { description: 'lake key', ...config } });

describe('kms-key-rotation', () => {
  test('passes a key with rotation enabled', () => {
    expect(runRule(kmsKeyRotation, key({ enable_key_rotation: true }), 'aws_kms_key.lake_key')).toEqual({ status: 'pass' });
  });

  test('passes a multi-Region symmetric key with rotation enabled', () => {
    const stack = key({ enable_key_rotation: 'true', multi_region: true, customer_master_key_spec: 'SYMMETRIC_DEFAULT' });
    expect(runRule(kmsKeyRotation, stack, 'aws_kms_key.lake_key')).toEqual({ status: 'pass' });
  });

  test('fails a key without enable_key_rotation', () => {
    expect(runRule(kmsKeyRotation, key({}), 'aws_kms_key.lake_key')).toEqual({
      status: 'fail',
      message: 'does not rotate its key material (enable_key_rotation is not true); set enable_key_rotation to true',
    });
  });

  test('fails a key with rotation disabled', () => {
    expect(runRule(kmsKeyRotation, key({ enable_key_rotation: false }), 'aws_kms_key.lake_key')).toEqual({
      status: 'fail',
      message: 'does not rotate its key material (enable_key_rotation is not true); set enable_key_rotation to true',
    });
  });

  test('does not apply to an asymmetric signing key', () => {
    expect(runRule(kmsKeyRotation, key({ customer_master_key_spec: 'RSA_2048', key_usage: 'SIGN_VERIFY' }), 'aws_kms_key.lake_key')).toEqual({
      status: 'not-applicable',
      reason: 'has customer_master_key_spec RSA_2048; KMS rotates only symmetric encryption keys automatically',
    });
  });

  test('does not apply to an HMAC key', () => {
    expect(runRule(kmsKeyRotation, key({ customer_master_key_spec: 'HMAC_256', key_usage: 'GENERATE_VERIFY_MAC' }), 'aws_kms_key.lake_key')).toEqual({
      status: 'not-applicable',
      reason: 'has customer_master_key_spec HMAC_256; KMS rotates only symmetric encryption keys automatically',
    });
  });

  test('does not apply to a key in a custom key store', () => {
    expect(runRule(kmsKeyRotation, key({ custom_key_store_id: 'cks-1234567890abcdef0' }), 'aws_kms_key.lake_key')).toEqual({
      status: 'not-applicable',
      reason: 'lives in a custom key store (CloudHSM or external), whose keys KMS does not rotate automatically',
    });
  });
});
