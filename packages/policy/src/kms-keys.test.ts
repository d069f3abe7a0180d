import { awsManagedKeyAlias, keyProblem } from './kms-keys';
import { stackOf } from './testing';

describe('awsManagedKeyAlias', () => {
  const stack = stackOf({
    'aws_kms_key.lake_key': { description: 'lake' },
    'data.aws_kms_alias.kinesis': { name: 'alias/aws/kinesis' },
    'data.aws_kms_alias.lake': { name: 'alias/lake' },
    'data.aws_kms_key.s3': { key_id: 'arn:aws:kms:eu-west-1:111111111111:alias/aws/s3' },
  });

  test('finds the alias name and the alias ARN of an AWS-managed key', () => {
    expect(awsManagedKeyAlias('alias/aws/kinesis', stack)).toBe('alias/aws/kinesis');
    expect(awsManagedKeyAlias('arn:aws:kms:eu-west-1:111111111111:alias/aws/glue', stack)).toBe('alias/aws/glue');
  });

  test('follows references to data sources that look up an AWS-managed key', () => {
    expect(awsManagedKeyAlias('${data.aws_kms_alias.kinesis.target_key_arn}', stack)).toBe('alias/aws/kinesis');
    expect(awsManagedKeyAlias('${data.aws_kms_key.s3.arn}', stack)).toBe('alias/aws/s3');
  });

  test('finds nothing for keys of ours', () => {
    expect(awsManagedKeyAlias('${aws_kms_key.lake_key.arn}', stack)).toBeUndefined();
    expect(awsManagedKeyAlias('${data.aws_kms_alias.lake.target_key_arn}', stack)).toBeUndefined();
    expect(awsManagedKeyAlias('arn:aws:kms:eu-west-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab', stack)).toBeUndefined();
    expect(awsManagedKeyAlias('alias/lake', stack)).toBeUndefined();
    expect(awsManagedKeyAlias(undefined, stack)).toBeUndefined();
  });

  test('without a stack, reads only the literal alias and alias ARN', () => {
    expect(awsManagedKeyAlias('alias/aws/sqs')).toBe('alias/aws/sqs');
    expect(awsManagedKeyAlias('arn:aws:kms:eu-west-1:111111111111:alias/aws/sns')).toBe('alias/aws/sns');
    expect(awsManagedKeyAlias('${data.aws_kms_alias.kinesis.target_key_arn}')).toBeUndefined();
  });
});

describe('keyProblem', () => {
  const stack = stackOf({ 'data.aws_kms_alias.s3': { name: 'alias/aws/s3' } });

  test('names an unset key and an AWS-managed key by the argument path, and passes a key of ours', () => {
    expect(keyProblem(undefined, 's3_configuration.kms_key_arn', stack)).toBe('s3_configuration.kms_key_arn is not set');
    expect(keyProblem('${data.aws_kms_alias.s3.target_key_arn}', 'kms_key_arn', stack)).toBe('kms_key_arn is the AWS-managed alias/aws/s3');
    expect(keyProblem('${aws_kms_key.lake_key.arn}', 'kms_key_arn', stack)).toBeUndefined();
  });
});
