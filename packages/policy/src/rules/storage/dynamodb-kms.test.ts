import { runRule, stackOf } from '../../testing';
import { dynamodbKms } from './dynamodb-kms';

const table = (config: Record<string, unknown>) => stackOf({ 'aws_dynamodb_table.checkpoints': { name: 'checkpoints', hash_key: 'id', ...config } });
const KEY = '${aws_kms_key.lake_key.arn}';

describe('dynamodb-kms', () => {
  test('passes a table encrypted with a key of ours', () => {
    expect(runRule(dynamodbKms, table({ server_side_encryption: [{ enabled: true, kms_key_arn: KEY }] }), 'aws_dynamodb_table.checkpoints')).toEqual({ status: 'pass' });
  });

  test('fails a table without server_side_encryption (AWS-owned key)', () => {
    expect(runRule(dynamodbKms, table({}), 'aws_dynamodb_table.checkpoints')).toEqual({
      status: 'fail',
      message: 'is encrypted with an AWS-owned key (server_side_encryption is not enabled); set server_side_encryption { enabled = true, kms_key_arn = the lake key }',
    });
  });

  test('fails a table with server_side_encryption disabled', () => {
    expect(runRule(dynamodbKms, table({ server_side_encryption: [{ enabled: false, kms_key_arn: KEY }] }), 'aws_dynamodb_table.checkpoints')).toEqual({
      status: 'fail',
      message: 'is encrypted with an AWS-owned key (server_side_encryption is not enabled); set server_side_encryption { enabled = true, kms_key_arn = the lake key }',
    });
  });

  test('fails a table encrypted with the AWS-managed aws/dynamodb key', () => {
    expect(runRule(dynamodbKms, table({ server_side_encryption: [{ enabled: true }] }), 'aws_dynamodb_table.checkpoints')).toEqual({
      status: 'fail',
      message: 'uses server_side_encryption without kms_key_arn (the AWS-managed aws/dynamodb key); set kms_key_arn to the lake key',
    });
  });

  test('fails a table whose replica has no key of its own', () => {
    const stack = table({
      server_side_encryption: [{ enabled: true, kms_key_arn: KEY }],
      replica: [{ region_name: 'eu-central-1', kms_key_arn: 'arn:aws:kms:eu-central-1:111111111111:key/k' }, { region_name: 'us-east-1' }],
    });
    expect(runRule(dynamodbKms, stack, 'aws_dynamodb_table.checkpoints')).toEqual({
      status: 'fail',
      message: 'has replicas without kms_key_arn (us-east-1), which use the AWS-managed aws/dynamodb key; set kms_key_arn on each replica to a key of ours in its region',
    });
  });
});
