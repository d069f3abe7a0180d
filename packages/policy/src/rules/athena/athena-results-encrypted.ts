import { Rule, fail, pass } from '../../rule';
import { awsManagedKeyAlias } from '../../kms-keys';
import { block, isSet } from '../../stack-view';

const KMS_OPTIONS = ['SSE_KMS', 'CSE_KMS'];

/** Query results are written encrypted with a customer-managed KMS key (SSE_KMS or CSE_KMS). */
export const athenaResultsEncrypted: Rule = {
  id: 'athena-results-encrypted',
  severity: 'high',
  resourceTypes: ['aws_athena_workgroup'],
  description: 'An Athena workgroup encrypts query results with encryption_option SSE_KMS or CSE_KMS and a kms_key_arn of ours.',
  rationale:
    'Query results are copies of lake data, often joined and filtered down to the sensitive part; they must stay under the same key policy as the data they came from.',
  check(workgroup, stack) {
    const result = block(block(workgroup.config.configuration)?.result_configuration);
    const encryption = block(result?.encryption_configuration);
    if (!encryption) {
      return fail(
        'has no result encryption configuration; set configuration.result_configuration.encryption_configuration with encryption_option "SSE_KMS" and kms_key_arn set to the lake key',
      );
    }
    const option = encryption.encryption_option;
    if (!KMS_OPTIONS.includes(String(option))) {
      return fail(`encrypts query results with ${String(option ?? 'nothing')}; use encryption_option "SSE_KMS" with kms_key_arn set to the lake key`);
    }
    if (!isSet(encryption.kms_key_arn)) {
      return fail(`uses ${String(option)} without kms_key_arn; set kms_key_arn to the lake key`);
    }
    const managed = awsManagedKeyAlias(encryption.kms_key_arn, stack);
    if (managed) {
      return fail(`encrypts query results with the AWS-managed key ${managed}; set kms_key_arn to the lake key`);
    }
    return pass();
  },
};
