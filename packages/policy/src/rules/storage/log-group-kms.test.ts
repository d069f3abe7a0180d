import { runRule, stackOf } from '../../testing';
import { logGroupKms } from './log-group-kms';

const group = (config: Record<string, unknown>) => stackOf({ 'aws_cloudwatch_log_group.importer': { name: '/aws/lambda/importer', ...config } });

describe('log-group-kms', () => {
  test('passes a log group encrypted with a key of ours', () => {
    expect(runRule(logGroupKms, group({ kms_key_id: '${aws_kms_key.lake_key.arn}' }), 'aws_cloudwatch_log_group.importer')).toEqual({ status: 'pass' });
  });

  test('fails a log group without kms_key_id', () => {
    expect(runRule(logGroupKms, group({ retention_in_days: 30 }), 'aws_cloudwatch_log_group.importer')).toEqual({
      status: 'fail',
      message: 'has no kms_key_id (CloudWatch Logs default encryption); set kms_key_id to the lake key (its key policy must allow logs.<region>.amazonaws.com)',
    });
  });
});
