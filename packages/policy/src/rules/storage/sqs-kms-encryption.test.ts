import { runRule, stackOf } from '../../testing';
import { sqsKmsEncryption } from './sqs-kms-encryption';

const queue = (config: Record<string, unknown>) => stackOf({ 'aws_sqs_queue.dlq': { name: 'dlq', ...config } });

describe('sqs-kms-encryption', () => {
  test('passes a queue encrypted with a key of ours', () => {
    expect(runRule(sqsKmsEncryption, queue({ kms_master_key_id: '${aws_kms_key.lake_key.arn}' }), 'aws_sqs_queue.dlq')).toEqual({ status: 'pass' });
  });

  test('fails a queue encrypted only with SQS-managed SSE', () => {
    expect(runRule(sqsKmsEncryption, queue({ sqs_managed_sse_enabled: true }), 'aws_sqs_queue.dlq')).toEqual({
      status: 'fail',
      message: 'has no kms_master_key_id (or only SQS-managed SSE); set kms_master_key_id to the lake key',
    });
  });

  test('fails a queue encrypted with the AWS-managed aws/sqs key', () => {
    expect(runRule(sqsKmsEncryption, queue({ kms_master_key_id: 'alias/aws/sqs' }), 'aws_sqs_queue.dlq')).toEqual({
      status: 'fail',
      message: 'is encrypted with the AWS-managed alias/aws/sqs key; set kms_master_key_id to the lake key',
    });
  });
});
