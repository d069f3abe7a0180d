import { runRule, stackOf } from '../../testing';
import { dynamodbPitr } from './dynamodb-pitr';

const table = (config: Record<string, unknown>) =>
  stackOf({ 'aws_dynamodb_table.checkpoints': { name: 'checkpoints', hash_key: 'id', attribute: [{ name: 'id', type: 'S' }], ...config } });

describe('dynamodb-pitr', () => {
  test('passes a table with point-in-time recovery', () => {
    expect(runRule(dynamodbPitr, table({ point_in_time_recovery: [{ enabled: true }] }), 'aws_dynamodb_table.checkpoints')).toEqual({ status: 'pass' });
  });

  test('passes a global table whose replicas also have point-in-time recovery', () => {
    const stack = table({ point_in_time_recovery: [{ enabled: true }], replica: [{ region_name: 'eu-central-1', point_in_time_recovery: true }] });
    expect(runRule(dynamodbPitr, stack, 'aws_dynamodb_table.checkpoints')).toEqual({ status: 'pass' });
  });

  test('fails a table without point-in-time recovery', () => {
    expect(runRule(dynamodbPitr, table({}), 'aws_dynamodb_table.checkpoints')).toEqual({
      status: 'fail',
      message: 'has no point-in-time recovery; set point_in_time_recovery { enabled = true }',
    });
  });

  test('fails a table with point-in-time recovery disabled', () => {
    expect(runRule(dynamodbPitr, table({ point_in_time_recovery: [{ enabled: false }] }), 'aws_dynamodb_table.checkpoints')).toEqual({
      status: 'fail',
      message: 'has no point-in-time recovery; set point_in_time_recovery { enabled = true }',
    });
  });

  test('fails a table whose replica has no point-in-time recovery', () => {
    const stack = table({ point_in_time_recovery: [{ enabled: true }], replica: [{ region_name: 'eu-central-1' }] });
    expect(runRule(dynamodbPitr, stack, 'aws_dynamodb_table.checkpoints')).toEqual({
      status: 'fail',
      message: 'has replicas without point-in-time recovery (eu-central-1); set point_in_time_recovery = true on each replica',
    });
  });
});
