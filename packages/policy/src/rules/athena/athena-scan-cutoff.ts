import { Rule, fail, pass } from '../../rule';
import { block, isExpression } from '../../stack-view';

/**
 * Every workgroup caps the data one query may scan. The provider accepts 0 (no limit) or at
 * least 10 MB (10485760 bytes).
 */
export const athenaScanCutoff: Rule = {
  id: 'athena-scan-cutoff',
  severity: 'low',
  resourceTypes: ['aws_athena_workgroup'],
  description: 'An Athena workgroup sets configuration.bytes_scanned_cutoff_per_query above 0.',
  rationale: 'Athena bills by bytes scanned; one unfiltered query over the lake can cost hundreds of dollars, and a per-query cutoff cancels it instead.',
  check(workgroup) {
    const cutoff = block(workgroup.config.configuration)?.bytes_scanned_cutoff_per_query;
    if (isExpression(cutoff) || Number(cutoff) > 0) return pass();
    return fail(
      `has no per-query scan limit (bytes_scanned_cutoff_per_query ${String(cutoff ?? 'unset')}); set configuration.bytes_scanned_cutoff_per_query to a limit of at least 10485760 bytes`,
    );
  },
};
