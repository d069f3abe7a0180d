import { Construct } from 'constructs';
import { GlueDataCatalogEncryptionSettings } from '@cdktf/provider-aws/lib/glue-data-catalog-encryption-settings';
import { PlatformError, PlatformStack } from '@data-platform/core';
import { DataLake } from '@data-platform/lake';

/** Fixed settings of the Data Catalog's encryption. */
export const CATALOG_ENCRYPTION = {
  /**
   * Metadata at rest is encrypted with a KMS key, with the caller's own permissions (no
   * `catalog_encryption_service_role`: Glue never acts with a role of its own).
   */
  catalogEncryptionMode: 'SSE-KMS',
  /** Glue returns connection passwords encrypted, so `glue:GetConnection` alone never reveals one. */
  returnConnectionPasswordEncrypted: true,
} as const;

/** Props of {@link CatalogEncryption}. */
export interface CatalogEncryptionProps {
  /** The lake: its key encrypts the catalog's metadata and the connection passwords. */
  readonly lake: DataLake;
}

/**
 * Encrypts the Glue Data Catalog with the lake key: metadata at rest (databases, tables, table
 * versions, partitions, column statistics, functions) with SSE-KMS, and connection passwords,
 * which Glue then returns encrypted.
 *
 * The setting is account-wide: one per account and region (the stack's environment), shared by
 * every catalog user, including any outside this platform. Only objects written after it is
 * applied are encrypted; removing it does not decrypt them.
 *
 * Glue uses the key with the caller's credentials, and the lake key delegates to IAM in its
 * account, so every role that reads catalog metadata needs `DataLake.grantCatalog(role, 'read')`
 * (Athena users, crawlers, jobs, QuickSight, SageMaker) and every role that creates or changes it
 * `grantCatalog(role, 'write')`; roles reading connections also decrypt their passwords with the
 * lake key. Grant those before, or in the same apply as, this setting.
 *
 * Not stateful: it holds no data, and destroying it leaves existing metadata encrypted.
 *
 * @see https://docs.aws.amazon.com/glue/latest/dg/encrypt-glue-data-catalog.html
 * @see https://docs.aws.amazon.com/glue/latest/dg/encrypt-connection-passwords.html
 * @see https://docs.aws.amazon.com/athena/latest/ug/access-encrypted-data-glue-data-catalog.html
 */
export class CatalogEncryption extends Construct {
  /** The account's Data Catalog encryption settings. */
  readonly settings: GlueDataCatalogEncryptionSettings;

  constructor(scope: Construct, id: string, props: CatalogEncryptionProps) {
    super(scope, id);
    const { env } = PlatformStack.of(this);
    const other = this.node.root.node.findAll().find((c): c is CatalogEncryption =>
      c instanceof CatalogEncryption && c !== this && PlatformStack.of(c).env.account === env.account && PlatformStack.of(c).env.region === env.region);
    if (other) {
      throw new PlatformError(`CatalogEncryption ${this.node.path}`, [{
        path: '',
        message: `sets the catalog encryption of account ${env.account} in ${env.region} a second time (first at ${other.node.path}); the setting is account-wide, so create one CatalogEncryption per account and region`,
      }]);
    }
    const key = props.lake.key.arn;
    this.settings = new GlueDataCatalogEncryptionSettings(this, 'settings', {
      dataCatalogEncryptionSettings: {
        encryptionAtRest: { catalogEncryptionMode: CATALOG_ENCRYPTION.catalogEncryptionMode, sseAwsKmsKeyId: key },
        connectionPasswordEncryption: {
          returnConnectionPasswordEncrypted: CATALOG_ENCRYPTION.returnConnectionPasswordEncrypted,
          awsKmsKeyId: key,
        },
      },
    });
  }
}
