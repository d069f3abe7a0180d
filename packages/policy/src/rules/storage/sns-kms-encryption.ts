import { Rule } from '../../rule';
import { checkMasterKey } from './master-key';

/** Every topic is encrypted with a customer-managed KMS key, not the AWS-managed aws/sns key. */
export const snsKmsEncryption: Rule = {
  id: 'sns-kms-encryption',
  severity: 'high',
  resourceTypes: ['aws_sns_topic'],
  description: 'A topic is encrypted with a customer-managed KMS key (kms_master_key_id, not alias/aws/sns).',
  rationale:
    'Alerts and notifications can carry resource names and data excerpts; the AWS-managed aws/sns key cannot be shared with the services that publish (EventBridge, CloudWatch) nor restricted by a key policy of ours.',
  check(topic) {
    return checkMasterKey(topic, 'sns', 'no server-side encryption');
  },
};
