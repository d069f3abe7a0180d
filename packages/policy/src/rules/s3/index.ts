import { Rule } from '../../rule';
import { s3AccessLogging } from './s3-access-logging';
import { s3KmsEncryption } from './s3-kms-encryption';
import { s3OwnershipEnforced } from './s3-ownership-enforced';
import { s3PublicAccessBlock } from './s3-public-access-block';
import { s3TlsOnly } from './s3-tls-only';
import { s3Versioning } from './s3-versioning';

/** S3 rules. */
export const S3_RULES: readonly Rule[] = [
  s3PublicAccessBlock,
  s3TlsOnly,
  s3KmsEncryption,
  s3OwnershipEnforced,
  s3Versioning,
  s3AccessLogging,
];
