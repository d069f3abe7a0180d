import { Rule } from '../../rule';
import { kmsKeyRotation } from './kms-key-rotation';
import { kmsNoWildcardPrincipal } from './kms-no-wildcard-principal';

/** KMS rules. */
export const KMS_RULES: readonly Rule[] = [kmsNoWildcardPrincipal, kmsKeyRotation];
