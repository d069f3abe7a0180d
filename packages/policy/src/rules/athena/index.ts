import { Rule } from '../../rule';
import { athenaResultsEncrypted } from './athena-results-encrypted';
import { athenaScanCutoff } from './athena-scan-cutoff';
import { athenaWorkgroupEnforced } from './athena-workgroup-enforced';

/** Athena workgroup rules. */
export const ATHENA_RULES: readonly Rule[] = [athenaWorkgroupEnforced, athenaResultsEncrypted, athenaScanCutoff];
