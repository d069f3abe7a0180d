import { runRule, stackOf } from '../../testing';
import { glueCatalogEncryption } from './glue-catalog-encryption';

const ADDRESS = 'aws_glue_data_catalog_encryption_settings.catalog';
const LAKE_KEY = '${aws_kms_key.lake_key.arn}';
const FIX =
  'set encryption_at_rest to catalog_encryption_mode "SSE-KMS" with sse_aws_kms_key_id, and connection_password_encryption to return_connection_password_encrypted true with aws_kms_key_id, both the lake key';
const atRest = { catalog_encryption_mode: 'SSE-KMS', sse_aws_kms_key_id: LAKE_KEY };
const passwords = { return_connection_password_encrypted: true, aws_kms_key_id: LAKE_KEY };
const settings = (rest: Record<string, unknown>, password: Record<string, unknown>) =>
  stackOf({ [ADDRESS]: { data_catalog_encryption_settings: [{ encryption_at_rest: [rest], connection_password_encryption: [password] }] } });

describe('glue-catalog-encryption', () => {
  test('passes a catalog and connection passwords encrypted with our key', () => {
    expect(runRule(glueCatalogEncryption, settings(atRest, passwords), ADDRESS)).toEqual({ status: 'pass' });
  });

  test('passes SSE-KMS-WITH-SERVICE-ROLE with our key', () => {
    const stack = settings({ ...atRest, catalog_encryption_mode: 'SSE-KMS-WITH-SERVICE-ROLE', catalog_encryption_service_role: '${aws_iam_role.catalog.arn}' }, passwords);
    expect(runRule(glueCatalogEncryption, stack, ADDRESS)).toEqual({ status: 'pass' });
  });

  test('fails a catalog left unencrypted', () => {
    expect(runRule(glueCatalogEncryption, settings({ catalog_encryption_mode: 'DISABLED' }, passwords), ADDRESS)).toEqual({
      status: 'fail',
      message: `does not encrypt the catalog and connection passwords with a KMS key of ours (catalog_encryption_mode is DISABLED); ${FIX}`,
    });
  });

  test('fails SSE-KMS without sse_aws_kms_key_id (the AWS-managed aws/glue key)', () => {
    expect(runRule(glueCatalogEncryption, settings({ catalog_encryption_mode: 'SSE-KMS' }, passwords), ADDRESS)).toEqual({
      status: 'fail',
      message: `does not encrypt the catalog and connection passwords with a KMS key of ours (sse_aws_kms_key_id is not set); ${FIX}`,
    });
  });

  test('fails connection passwords returned in plain text, and a password key that is AWS-managed', () => {
    const plain = settings(atRest, { return_connection_password_encrypted: false });
    expect(runRule(glueCatalogEncryption, plain, ADDRESS)).toEqual({
      status: 'fail',
      message: `does not encrypt the catalog and connection passwords with a KMS key of ours (return_connection_password_encrypted is not true); ${FIX}`,
    });
    const managed = settings(atRest, { return_connection_password_encrypted: true, aws_kms_key_id: 'arn:aws:kms:eu-west-1:111111111111:alias/aws/glue' });
    expect(runRule(glueCatalogEncryption, managed, ADDRESS)).toEqual({
      status: 'fail',
      message: `does not encrypt the catalog and connection passwords with a KMS key of ours (aws_kms_key_id is the AWS-managed alias/aws/glue); ${FIX}`,
    });
  });

  test('fails both parts at once, naming each', () => {
    expect(runRule(glueCatalogEncryption, settings({ catalog_encryption_mode: 'DISABLED' }, { return_connection_password_encrypted: true }), ADDRESS)).toEqual({
      status: 'fail',
      message: `does not encrypt the catalog and connection passwords with a KMS key of ours (catalog_encryption_mode is DISABLED, aws_kms_key_id is not set); ${FIX}`,
    });
  });
});
