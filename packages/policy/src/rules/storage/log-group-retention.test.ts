import { runRule, stackOf } from '../../testing';
import { logGroupRetention } from './log-group-retention';

const group = (config: Record<string, unknown>) => stackOf({ 'aws_cloudwatch_log_group.importer': { name: '/aws/lambda/importer', ...config } });

describe('log-group-retention', () => {
  test('passes a log group that expires its events', () => {
    expect(runRule(logGroupRetention, group({ retention_in_days: 30 }), 'aws_cloudwatch_log_group.importer')).toEqual({ status: 'pass' });
  });

  test('fails a log group without retention', () => {
    expect(runRule(logGroupRetention, group({}), 'aws_cloudwatch_log_group.importer')).toEqual({
      status: 'fail',
      message: "has no retention_in_days (events never expire); set retention_in_days to the environment's log retention",
    });
  });

  test('fails a log group whose retention is 0 (never expire)', () => {
    expect(runRule(logGroupRetention, group({ retention_in_days: 0 }), 'aws_cloudwatch_log_group.importer')).toEqual({
      status: 'fail',
      message: "has retention_in_days 0 (events never expire); set retention_in_days to the environment's log retention",
    });
  });

  test('does not apply to a DELIVERY-class log group', () => {
    expect(runRule(logGroupRetention, group({ log_group_class: 'DELIVERY' }), 'aws_cloudwatch_log_group.importer')).toEqual({
      status: 'not-applicable',
      reason: 'a DELIVERY-class log group keeps events for a fixed short period that retention_in_days cannot change',
    });
  });
});
