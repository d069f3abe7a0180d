import { runRule, stackOf } from '../../testing';
import { kinesisStreamKms } from './kinesis-stream-kms';

const stream = (config: Record<string, unknown>) => ({ 'aws_kinesis_stream.orders': { name: 'orders', shard_count: 1, ...config } });

describe('kinesis-stream-kms', () => {
  test('passes a stream encrypted with a KMS key of ours', () => {
    const stack = stackOf(stream({ encryption_type: 'KMS', kms_key_id: '${aws_kms_key.lake_key.arn}' }));
    expect(runRule(kinesisStreamKms, stack, 'aws_kinesis_stream.orders')).toEqual({ status: 'pass' });
  });

  test('fails a stream without encryption_type (Kinesis defaults to NONE)', () => {
    expect(runRule(kinesisStreamKms, stackOf(stream({})), 'aws_kinesis_stream.orders')).toEqual({
      status: 'fail',
      message: 'is not encrypted with KMS (encryption_type NONE); set encryption_type "KMS" and kms_key_id to the lake key',
    });
  });

  test('fails a stream with encryption_type KMS but no kms_key_id', () => {
    expect(runRule(kinesisStreamKms, stackOf(stream({ encryption_type: 'KMS' })), 'aws_kinesis_stream.orders')).toEqual({
      status: 'fail',
      message: 'uses encryption_type KMS without kms_key_id; set kms_key_id to the lake key',
    });
  });

  test('fails a stream encrypted with the AWS-managed alias/aws/kinesis', () => {
    expect(runRule(kinesisStreamKms, stackOf(stream({ encryption_type: 'KMS', kms_key_id: 'alias/aws/kinesis' })), 'aws_kinesis_stream.orders')).toEqual({
      status: 'fail',
      message: 'is encrypted with the AWS-managed key alias/aws/kinesis; set kms_key_id to the lake key',
    });
  });

  test('fails a stream whose key is an aws_kms_alias lookup of alias/aws/kinesis', () => {
    const stack = stackOf({
      ...stream({ encryption_type: 'KMS', kms_key_id: '${data.aws_kms_alias.kinesis.target_key_arn}' }),
      'data.aws_kms_alias.kinesis': { name: 'alias/aws/kinesis' },
    });
    expect(runRule(kinesisStreamKms, stack, 'aws_kinesis_stream.orders')).toEqual({
      status: 'fail',
      message: 'is encrypted with the AWS-managed key alias/aws/kinesis; set kms_key_id to the lake key',
    });
  });
});
