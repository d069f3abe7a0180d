import { Rule } from '../../rule';
import { s3KmsEncryption } from './s3-kms-encryption';

/** S3 rules. */
export const S3_RULES: readonly Rule[] = [s3KmsEncryption];
