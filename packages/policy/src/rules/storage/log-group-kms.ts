import { Rule, fail, pass } from '../../rule';

/** Every log group is encrypted with a customer-managed KMS key. */
export const logGroupKms: Rule = {
  id: 'log-group-kms',
  severity: 'medium',
  resourceTypes: ['aws_cloudwatch_log_group'],
  description: 'A log group is encrypted with a customer-managed KMS key (kms_key_id).',
  rationale:
    'Logs of ingestion and ETL jobs can hold record excerpts and identifiers; a key of ours puts them under a key policy and auditable key use, which CloudWatch\'s default encryption does not.',
  check(group) {
    if (!group.config.kms_key_id) {
      return fail('has no kms_key_id (CloudWatch Logs default encryption); set kms_key_id to the lake key (its key policy must allow logs.<region>.amazonaws.com)');
    }
    return pass();
  },
};
