import { runRule, stackOf } from '../../testing';
import { firehoseSse } from './firehose-sse';

const ADDRESS = 'aws_kinesis_firehose_delivery_stream.orders';
const destination = { bucket_arn: '${aws_s3_bucket.raw.arn}', role_arn: '${aws_iam_role.firehose.arn}', kms_key_arn: '${aws_kms_key.lake_key.arn}' };
const firehose = (config: Record<string, unknown>) =>
  stackOf({ [ADDRESS]: { name: 'orders', destination: 'extended_s3', extended_s3_configuration: [destination], ...config } });

describe('firehose-sse', () => {
  test('passes a Direct PUT stream encrypted with a KMS key of ours', () => {
    const stack = firehose({ server_side_encryption: [{ enabled: true, key_type: 'CUSTOMER_MANAGED_CMK', key_arn: '${aws_kms_key.lake_key.arn}' }] });
    expect(runRule(firehoseSse, stack, ADDRESS)).toEqual({ status: 'pass' });
  });

  test('does not apply to a stream that reads from a Kinesis stream', () => {
    const stack = firehose({ kinesis_source_configuration: [{ kinesis_stream_arn: '${aws_kinesis_stream.orders.arn}', role_arn: '${aws_iam_role.firehose.arn}' }] });
    expect(runRule(firehoseSse, stack, ADDRESS)).toEqual({
      status: 'not-applicable',
      reason: 'reads from a Kinesis stream, which holds the data encrypted (kinesis-stream-kms); Firehose allows no SSE on such a stream',
    });
  });

  test('does not apply to a stream that reads from an MSK topic', () => {
    const stack = firehose({ msk_source_configuration: [{ msk_cluster_arn: '${aws_msk_cluster.events.arn}', topic_name: 'orders' }] });
    expect(runRule(firehoseSse, stack, ADDRESS)).toMatchObject({ status: 'not-applicable' });
  });

  test('fails a Direct PUT stream without server_side_encryption', () => {
    expect(runRule(firehoseSse, firehose({}), ADDRESS)).toEqual({
      status: 'fail',
      message:
        'is a Direct PUT stream without server-side encryption; add server_side_encryption with enabled true, key_type "CUSTOMER_MANAGED_CMK" and key_arn set to the lake key',
    });
  });

  test('fails server_side_encryption that is not enabled', () => {
    const stack = firehose({ server_side_encryption: [{ enabled: false, key_type: 'CUSTOMER_MANAGED_CMK', key_arn: '${aws_kms_key.lake_key.arn}' }] });
    expect(runRule(firehoseSse, stack, ADDRESS)).toMatchObject({ status: 'fail', message: expect.stringContaining('without server-side encryption') });
  });

  test('fails SSE with the default AWS-owned key', () => {
    expect(runRule(firehoseSse, firehose({ server_side_encryption: [{ enabled: true }] }), ADDRESS)).toEqual({
      status: 'fail',
      message: 'encrypts with key_type AWS_OWNED_CMK, a key AWS owns; set key_type "CUSTOMER_MANAGED_CMK" and key_arn to the lake key',
    });
  });

  test('fails a customer-managed key type without key_arn', () => {
    expect(runRule(firehoseSse, firehose({ server_side_encryption: [{ enabled: true, key_type: 'CUSTOMER_MANAGED_CMK' }] }), ADDRESS)).toEqual({
      status: 'fail',
      message: 'uses key_type CUSTOMER_MANAGED_CMK without key_arn; set key_arn to the lake key',
    });
  });

  test('fails a key_arn that names an AWS-managed key', () => {
    const stack = firehose({
      server_side_encryption: [{ enabled: true, key_type: 'CUSTOMER_MANAGED_CMK', key_arn: 'arn:aws:kms:eu-west-1:111111111111:alias/aws/firehose' }],
    });
    expect(runRule(firehoseSse, stack, ADDRESS)).toEqual({
      status: 'fail',
      message: 'encrypts with the AWS-managed key alias/aws/firehose; set key_arn to the lake key',
    });
  });
});
