import { Rule } from '../../rule';
import { glueCatalogEncryption } from './glue-catalog-encryption';
import { glueConnectionNoPlaintextPassword } from './glue-connection-no-plaintext-password';
import { glueCrawlerSecurityConfiguration } from './glue-crawler-security-configuration';
import { glueJobSecurityConfiguration } from './glue-job-security-configuration';
import { glueSecurityConfigurationKms } from './glue-security-configuration-kms';

/** Glue rules: jobs, crawlers, security configurations, the Data Catalog and connections. */
export const GLUE_RULES: readonly Rule[] = [
  glueJobSecurityConfiguration,
  glueCrawlerSecurityConfiguration,
  glueSecurityConfigurationKms,
  glueCatalogEncryption,
  glueConnectionNoPlaintextPassword,
];
