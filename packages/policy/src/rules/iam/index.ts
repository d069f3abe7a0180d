import { Rule } from '../../rule';
import { iamNoAdmin } from './iam-no-admin';
import { iamNoWildcardAction } from './iam-no-wildcard-action';
import { iamNoWildcardResourceData } from './iam-no-wildcard-resource-data';
import { iamTrustScoped } from './iam-trust-scoped';

/** IAM rules. */
export const IAM_RULES: readonly Rule[] = [iamNoAdmin, iamTrustScoped, iamNoWildcardAction, iamNoWildcardResourceData];
