import { GlueDataCatalogEncryptionSettings } from '@cdktf/provider-aws/lib/glue-data-catalog-encryption-settings';
import {
  EnvironmentConfig,
  EnvironmentInput,
  PlatformStack,
  errorOf,
  only,
  synthesize,
  testApp,
  testEnvironment,
} from '@data-platform/core';
import { DataLake, layeredStacks, stackWithLake } from '@data-platform/lake';
import { PolicyPack } from '@data-platform/policy';
import { CATALOG_ENCRYPTION, CatalogEncryption } from './catalog-encryption';

const env = (overrides: Partial<EnvironmentInput> = {}): EnvironmentConfig => testEnvironment({ name: 'dev', ...overrides });

describe('CatalogEncryption', () => {
  it('encrypts catalog metadata at rest and connection passwords with the lake key, with the caller\'s permissions', () => {
    const { stack, lake } = stackWithLake(env());
    const encryption = new CatalogEncryption(stack, 'catalog-encryption', { lake });
    const { tf } = synthesize(stack);
    expect(only(tf, 'aws_glue_data_catalog_encryption_settings')).toEqual({
      data_catalog_encryption_settings: {
        encryption_at_rest: { catalog_encryption_mode: 'SSE-KMS', sse_aws_kms_key_id: '${aws_kms_key.lake_key.arn}' },
        connection_password_encryption: { return_connection_password_encrypted: true, aws_kms_key_id: '${aws_kms_key.lake_key.arn}' },
      },
    });
    expect(encryption.settings).toBeInstanceOf(GlueDataCatalogEncryptionSettings);
  });

  it('documents its fixed settings as constants', () => {
    expect(CATALOG_ENCRYPTION).toEqual({ catalogEncryptionMode: 'SSE-KMS', returnConnectionPasswordEncrypted: true });
  });

  it('leaves the catalog id to the provider (the account of the stack) and sets no service role', () => {
    const { stack, lake } = stackWithLake(env());
    new CatalogEncryption(stack, 'catalog-encryption', { lake });
    const settings = only(synthesize(stack).tf, 'aws_glue_data_catalog_encryption_settings');
    expect(settings).not.toHaveProperty('catalog_id');
    expect(JSON.stringify(settings)).not.toContain('catalog_encryption_service_role');
  });

  it('rejects a second setting for the same account and region, in any stack of the app', () => {
    const app = testApp();
    const { lakeStack, lake, stack } = layeredStacks(env(), 'governance', { app });
    new CatalogEncryption(stack, 'catalog-encryption', { lake });
    const error = errorOf(() => new CatalogEncryption(lakeStack, 'again', { lake }));
    expect(error.message).toBe(
      'CatalogEncryption dev-lake/again: sets the catalog encryption of account 111111111111 in eu-west-1 a second time (first at dev-governance/catalog-encryption); the setting is account-wide, so create one CatalogEncryption per account and region',
    );
    expect(lakeStack.node.findAll().filter((c) => c instanceof GlueDataCatalogEncryptionSettings)).toEqual([]);
  });

  it('accepts one setting per account and region', () => {
    const app = testApp();
    const { stack, lake } = stackWithLake(env(), { app });
    new CatalogEncryption(stack, 'catalog-encryption', { lake });
    const otherEnv = env({ name: 'prod', account: '222222222222', deployRole: 'arn:aws:iam::222222222222:role/adp-deploy' });
    const other = new PlatformStack(app, 'prod', { env: otherEnv });
    const otherLake = new DataLake(other, 'lake', { config: otherEnv.lake });
    expect(() => new CatalogEncryption(other, 'catalog-encryption', { lake: otherLake })).not.toThrow();
    const usEnv = env({ name: 'us', region: 'us-east-1' });
    const us = new PlatformStack(app, 'us', { env: usEnv });
    expect(() => new CatalogEncryption(us, 'catalog-encryption', { lake: new DataLake(us, 'lake', { config: usEnv.lake }) })).not.toThrow();
  });

  describe('policy pack', () => {
    it('passes in layered stacks, the lake key read across stacks', () => {
      const { lakeStack, lake, stack } = layeredStacks(env(), 'governance', { aspects: [new PolicyPack()] });
      new CatalogEncryption(stack, 'catalog-encryption', { lake });
      expect(() => synthesize(lakeStack)).not.toThrow();
      const settings = only(synthesize(stack).tf, 'aws_glue_data_catalog_encryption_settings') as {
        data_catalog_encryption_settings: { encryption_at_rest: { sse_aws_kms_key_id: string } };
      };
      expect(settings.data_catalog_encryption_settings.encryption_at_rest.sse_aws_kms_key_id)
        .toMatch(/^\$\{data\.terraform_remote_state\.cross-stack-reference-input-dev-lake\.outputs\.cross-stack-output-[\w.-]+\}$/);
    });

    it('passes in a protected environment and in the single stack of the offline environment', () => {
      const prod = layeredStacks(env({ name: 'prod', stage: 'production', protect: true }), 'governance', { aspects: [new PolicyPack()] });
      new CatalogEncryption(prod.stack, 'catalog-encryption', { lake: prod.lake });
      expect(() => synthesize(prod.stack)).not.toThrow();
      const local = stackWithLake(env({ name: 'local', offline: true, layout: 'single', account: '000000000000', protect: false }), { aspects: [new PolicyPack()] });
      new CatalogEncryption(local.stack, 'catalog-encryption', { lake: local.lake });
      expect(() => synthesize(local.stack)).not.toThrow();
    });
  });
});
