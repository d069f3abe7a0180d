import { Rule, fail, pass } from '../../rule';
import { block, blocks, isTrue } from '../../stack-view';

/**
 * Every DynamoDB table is encrypted with a customer-managed KMS key: `server_side_encryption`
 * enabled with a `kms_key_arn`, and each global-table replica with a key of its region.
 */
export const dynamodbKms: Rule = {
  id: 'dynamodb-kms',
  severity: 'high',
  resourceTypes: ['aws_dynamodb_table'],
  description: 'A DynamoDB table (and each replica) is encrypted with a customer-managed KMS key.',
  rationale:
    'Without server_side_encryption a table uses an AWS-owned key, and enabled without kms_key_arn the AWS-managed aws/dynamodb key: neither has a key policy of ours nor key use we can audit or revoke.',
  check(table) {
    const sse = block(table.config.server_side_encryption);
    if (!isTrue(sse?.enabled)) {
      return fail('is encrypted with an AWS-owned key (server_side_encryption is not enabled); set server_side_encryption { enabled = true, kms_key_arn = the lake key }');
    }
    if (!sse?.kms_key_arn) {
      return fail('uses server_side_encryption without kms_key_arn (the AWS-managed aws/dynamodb key); set kms_key_arn to the lake key');
    }
    // A replica lives in another region and needs a key there; without one it uses aws/dynamodb.
    const regions = blocks(table.config.replica)
      .filter((r) => !r.kms_key_arn)
      .map((r) => String(r.region_name));
    if (regions.length > 0) {
      return fail(`has replicas without kms_key_arn (${regions.join(', ')}), which use the AWS-managed aws/dynamodb key; set kms_key_arn on each replica to a key of ours in its region`);
    }
    return pass();
  },
};
