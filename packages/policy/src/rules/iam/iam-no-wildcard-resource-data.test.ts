import { runRule, stackOf } from '../../testing';
import { iamNoWildcardResourceData } from './iam-no-wildcard-resource-data';

const policyOf = (...statements: Array<Record<string, unknown>>) =>
  stackOf({
    'aws_iam_role_policy.etl': { role: '${aws_iam_role.etl.name}', policy: '${data.aws_iam_policy_document.etl.json}' },
    'data.aws_iam_policy_document.etl': { statement: statements },
  });
const FIX = 'scope the resources to the buckets (and prefixes), keys, tables or streams it needs';
const run = (...statements: Array<Record<string, unknown>>) => runRule(iamNoWildcardResourceData, policyOf(...statements), 'aws_iam_role_policy.etl');

describe('iam-no-wildcard-resource-data', () => {
  test('passes the lake\'s read grant (named bucket, prefix and key)', () => {
    expect(run(
      { sid: 'ReadObjects', actions: ['s3:GetObject', 's3:GetObjectVersion'], resources: ['${aws_s3_bucket.lake_raw_bucket.arn}/orders/*'] },
      { sid: 'ListObjects', actions: ['s3:ListBucket'], resources: ['${aws_s3_bucket.lake_raw_bucket.arn}'] },
      { sid: 'DecryptWithLakeKey', actions: ['kms:Decrypt'], resources: ['${aws_kms_key.lake_key.arn}'] },
    )).toEqual({ status: 'pass' });
  });

  test('passes metadata actions on "*"', () => {
    expect(run({ actions: ['s3:ListAllMyBuckets', 'glue:GetDatabases', 'kms:ListAliases'], resources: ['*'] })).toEqual({ status: 'pass' });
  });

  test('passes every object of one named bucket', () => {
    expect(run({ actions: ['s3:GetObject'], resources: ['arn:aws:s3:::adp-dev-lake-raw-111111111111/*'] })).toEqual({ status: 'pass' });
  });

  test('passes data actions of one service on a wildcard of another', () => {
    expect(run({ actions: ['kms:Decrypt'], resources: ['arn:aws:s3:::*'] })).toEqual({ status: 'pass' });
  });

  test('fails data actions on "*"', () => {
    expect(run({ sid: 'Read', actions: ['s3:GetObject', 's3:GetBucketLocation', 'kms:Decrypt'], resources: ['*'] })).toEqual({
      status: 'fail',
      message: `grants data actions on every resource: s3:GetObject, kms:Decrypt on "*" in statement "Read"; ${FIX}`,
    });
  });

  test('fails a partial wildcard reaching data on every bucket', () => {
    expect(run({ sid: 'GetAll', actions: ['s3:Get*'], resources: ['arn:aws:s3:::*/*'] })).toEqual({
      status: 'fail',
      message: `grants data actions on every resource: s3:Get* on "arn:aws:s3:::*/*" in statement "GetAll"; ${FIX}`,
    });
  });

  test('fails decrypting with every key of the account', () => {
    expect(run({ actions: ['kms:Decrypt'], resources: ['arn:${data.aws_partition.partition.partition}:kms:eu-west-1:111111111111:key/*'] })).toEqual({
      status: 'fail',
      message: `grants data actions on every resource: kms:Decrypt on "arn:\${data.aws_partition.partition.partition}:kms:eu-west-1:111111111111:key/*" in statement 1; ${FIX}`,
    });
  });

  test('fails NotResource and NotAction that leave data actions open', () => {
    expect(run(
      { sid: 'AllButLogs', actions: ['s3:GetObject'], not_resources: ['arn:aws:s3:::logs/*'] },
      { sid: 'AllButIam', not_actions: ['iam:*'], resources: ['*'] },
    )).toEqual({
      status: 'fail',
      message: `grants data actions on every resource: s3:GetObject on every resource but "arn:aws:s3:::logs/*" (NotResource) in statement "AllButLogs"; every action but "iam:*" (NotAction) on "*" in statement "AllButIam"; ${FIX}`,
    });
  });

  test('does not apply to a role without inline policies', () => {
    const stack = stackOf({ 'aws_iam_role.etl': { assume_role_policy: '{}' } });
    expect(runRule(iamNoWildcardResourceData, stack, 'aws_iam_role.etl')).toMatchObject({ status: 'not-applicable' });
  });
});
