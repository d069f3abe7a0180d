import { runRule, stackOf } from '../../testing';
import { snsKmsEncryption } from './sns-kms-encryption';

const topic = (config: Record<string, unknown>) => stackOf({ 'aws_sns_topic.alerts': { name: 'alerts', ...config } });

describe('sns-kms-encryption', () => {
  test('passes a topic encrypted with a key of ours', () => {
    expect(runRule(snsKmsEncryption, topic({ kms_master_key_id: '${aws_kms_key.lake_key.arn}' }), 'aws_sns_topic.alerts')).toEqual({ status: 'pass' });
  });

  test('fails an unencrypted topic', () => {
    expect(runRule(snsKmsEncryption, topic({}), 'aws_sns_topic.alerts')).toEqual({
      status: 'fail',
      message: 'has no kms_master_key_id (no server-side encryption); set kms_master_key_id to the lake key',
    });
  });

  test('fails a topic encrypted with the AWS-managed aws/sns key, by alias or alias ARN', () => {
    const expected = { status: 'fail', message: 'is encrypted with the AWS-managed alias/aws/sns key; set kms_master_key_id to the lake key' };
    expect(runRule(snsKmsEncryption, topic({ kms_master_key_id: 'alias/aws/sns' }), 'aws_sns_topic.alerts')).toEqual(expected);
    expect(runRule(snsKmsEncryption, topic({ kms_master_key_id: 'arn:aws:kms:eu-west-1:111111111111:alias/aws/sns' }), 'aws_sns_topic.alerts')).toEqual(expected);
  });
});
