import { Rule } from '../../rule';
import { lakeformationNoIamAllowedPrincipals } from './lakeformation-no-iam-allowed-principals';

/** Lake Formation rules. */
export const LAKEFORMATION_RULES: readonly Rule[] = [lakeformationNoIamAllowedPrincipals];
