import { Rule } from '../../rule';
import { checkMasterKey } from './master-key';

/** Every queue is encrypted with a customer-managed KMS key, not SQS-managed SSE or the AWS-managed aws/sqs key. */
export const sqsKmsEncryption: Rule = {
  id: 'sqs-kms-encryption',
  severity: 'high',
  resourceTypes: ['aws_sqs_queue'],
  description: 'A queue is encrypted with a customer-managed KMS key (kms_master_key_id).',
  rationale:
    'Messages carry the data being ingested or its failures; a key of our own puts them under a key policy and CloudTrail-logged key use, which SQS-managed SSE (sqs_managed_sse_enabled) and the aws/sqs key do not.',
  check(queue) {
    return checkMasterKey(queue, 'sqs', 'or only SQS-managed SSE');
  },
};
