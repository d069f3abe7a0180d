import { runRule, stackOf } from '../../testing';
import { firehoseDestinationKms } from './firehose-destination-kms';

const ADDRESS = 'aws_kinesis_firehose_delivery_stream.orders';
const LAKE_KEY = '${aws_kms_key.lake_key.arn}';
const s3 = (extra: Record<string, unknown> = {}) => ({ bucket_arn: '${aws_s3_bucket.raw.arn}', role_arn: '${aws_iam_role.firehose.arn}', ...extra });
const firehose = (config: Record<string, unknown>) => stackOf({ [ADDRESS]: { name: 'orders', ...config } });

describe('firehose-destination-kms', () => {
  test('passes an extended S3 destination written with a KMS key of ours (a block as cdktf writes it, an object)', () => {
    const stack = firehose({ destination: 'extended_s3', extended_s3_configuration: s3({ kms_key_arn: LAKE_KEY }) });
    expect(runRule(firehoseDestinationKms, stack, ADDRESS)).toEqual({ status: 'pass' });
  });

  test('checks a stream that reads from a Kinesis stream too', () => {
    const stack = firehose({
      destination: 'extended_s3',
      kinesis_source_configuration: [{ kinesis_stream_arn: '${aws_kinesis_stream.orders.arn}', role_arn: '${aws_iam_role.firehose.arn}' }],
      extended_s3_configuration: [s3()],
    });
    expect(runRule(firehoseDestinationKms, stack, ADDRESS)).toEqual({
      status: 'fail',
      message: 'writes S3 objects without a KMS key of ours (extended_s3_configuration.kms_key_arn is not set); set each kms_key_arn to the lake key',
    });
  });

  test('fails an extended S3 destination written with the AWS-managed aws/s3 key', () => {
    const stack = firehose({ destination: 'extended_s3', extended_s3_configuration: [s3({ kms_key_arn: 'arn:aws:kms:eu-west-1:111111111111:alias/aws/s3' })] });
    expect(runRule(firehoseDestinationKms, stack, ADDRESS)).toEqual({
      status: 'fail',
      message: 'writes S3 objects without a KMS key of ours (extended_s3_configuration.kms_key_arn is the AWS-managed alias/aws/s3); set each kms_key_arn to the lake key',
    });
  });

  test('fails an enabled S3 backup without a key even when the destination has one', () => {
    const stack = firehose({
      destination: 'extended_s3',
      extended_s3_configuration: [s3({ kms_key_arn: LAKE_KEY, s3_backup_mode: 'Enabled', s3_backup_configuration: [s3()] })],
    });
    expect(runRule(firehoseDestinationKms, stack, ADDRESS)).toEqual({
      status: 'fail',
      message:
        'writes S3 objects without a KMS key of ours (extended_s3_configuration.s3_backup_configuration.kms_key_arn is not set); set each kms_key_arn to the lake key',
    });
  });

  test('ignores a backup configuration whose s3_backup_mode is Disabled', () => {
    const stack = firehose({
      destination: 'extended_s3',
      extended_s3_configuration: [s3({ kms_key_arn: LAKE_KEY, s3_backup_mode: 'Disabled', s3_backup_configuration: [s3()] })],
    });
    expect(runRule(firehoseDestinationKms, stack, ADDRESS)).toEqual({ status: 'pass' });
  });

  test('fails the S3 configuration of a non-S3 destination without a key', () => {
    const stack = firehose({
      destination: 'http_endpoint',
      http_endpoint_configuration: [{ url: 'https://example.com/ingest', s3_backup_mode: 'FailedDataOnly', s3_configuration: [s3()] }],
    });
    expect(runRule(firehoseDestinationKms, stack, ADDRESS)).toEqual({
      status: 'fail',
      message:
        'writes S3 objects without a KMS key of ours (http_endpoint_configuration.s3_configuration.kms_key_arn is not set); set each kms_key_arn to the lake key',
    });
  });

  test('passes a Redshift destination whose staging and backup S3 configurations use our key', () => {
    const stack = firehose({
      destination: 'redshift',
      redshift_configuration: [
        {
          cluster_jdbcurl: 'jdbc:redshift://example:5439/dev',
          data_table_name: 'orders',
          role_arn: '${aws_iam_role.firehose.arn}',
          s3_backup_mode: 'Enabled',
          s3_configuration: [s3({ kms_key_arn: LAKE_KEY })],
          s3_backup_configuration: [s3({ kms_key_arn: LAKE_KEY })],
        },
      ],
    });
    expect(runRule(firehoseDestinationKms, stack, ADDRESS)).toEqual({ status: 'pass' });
  });

  test('fails a stream with no destination configuration', () => {
    expect(runRule(firehoseDestinationKms, firehose({ destination: 'extended_s3' }), ADDRESS)).toEqual({
      status: 'fail',
      message: 'has no destination configuration to check; configure extended_s3_configuration with kms_key_arn set to the lake key',
    });
  });
});
