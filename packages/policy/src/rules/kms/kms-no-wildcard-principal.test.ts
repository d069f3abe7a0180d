import { runRule, stackOf } from '../../testing';
import { kmsNoWildcardPrincipal } from './kms-no-wildcard-principal';

const ROOT = 'arn:${data.aws_partition.partition.partition}:iam::111111111111:root';
const delegation = { sid: 'DelegateToIamInAccount', effect: 'Allow', principals: [{ type: 'AWS', identifiers: [ROOT] }], actions: ['kms:*'], resources: ['*'] };
const everyone = [{ type: '*', identifiers: ['*'] }];

/** A key whose policy is the document with `statements`. */
const keyWith = (...statements: Array<Record<string, unknown>>) =>
  stackOf({
    'aws_kms_key.lake_key': { enable_key_rotation: true, policy: '${data.aws_iam_policy_document.lake_key_policy.json}' },
    'data.aws_iam_policy_document.lake_key_policy': { statement: statements },
  });
const open = (condition?: Array<Record<string, unknown>>) => ({ sid: 'UseKey', effect: 'Allow', principals: everyone, actions: ['kms:Decrypt'], resources: ['*'], condition });
const SCOPE = 'without a condition naming the accounts or organization (aws:PrincipalAccount, aws:SourceAccount, kms:CallerAccount or aws:PrincipalOrgID); name the principals, or add a StringEquals condition on one of those keys';

describe('kms-no-wildcard-principal', () => {
  test('passes the delegation to IAM in the own account', () => {
    expect(runRule(kmsNoWildcardPrincipal, keyWith(delegation), 'aws_kms_key.lake_key')).toEqual({ status: 'pass' });
  });

  test('passes a key without an explicit policy (AWS default policy)', () => {
    const stack = stackOf({ 'aws_kms_key.lake_key': { enable_key_rotation: true } });
    expect(runRule(kmsNoWildcardPrincipal, stack, 'aws_kms_key.lake_key')).toEqual({ status: 'pass' });
  });

  test('passes principal "*" restricted to the own account by kms:CallerAccount', () => {
    const stack = keyWith(delegation, open([{ test: 'StringEquals', variable: 'kms:CallerAccount', values: ['111111111111'] }]));
    expect(runRule(kmsNoWildcardPrincipal, stack, 'aws_kms_key.lake_key')).toEqual({ status: 'pass' });
  });

  test('passes a Deny for principal "*"', () => {
    expect(runRule(kmsNoWildcardPrincipal, keyWith(delegation, { ...open(), effect: 'Deny' }), 'aws_kms_key.lake_key')).toEqual({ status: 'pass' });
  });

  test('fails principal "*" without a condition', () => {
    expect(runRule(kmsNoWildcardPrincipal, keyWith(delegation, open()), 'aws_kms_key.lake_key')).toEqual({
      status: 'fail',
      message: `has a key policy that lets anyone use the key: statement "UseKey" allows principal "*" ${SCOPE}`,
    });
  });

  test('fails a literal JSON policy with AWS "*" and an unrelated condition', () => {
    const policy = JSON.stringify({
      Statement: [{ Effect: 'Allow', Principal: { AWS: '*' }, Action: 'kms:*', Resource: '*', Condition: { StringEquals: { 'kms:ViaService': 's3.eu-west-1.amazonaws.com' } } }],
    });
    expect(runRule(kmsNoWildcardPrincipal, stackOf({ 'aws_kms_key.k': { policy } }), 'aws_kms_key.k')).toEqual({
      status: 'fail',
      message: `has a key policy that lets anyone use the key: statement 1 allows principal "*" ${SCOPE}`,
    });
  });

  test('fails an account condition that does not restrict (StringNotEquals, wildcard value)', () => {
    const stack = keyWith(
      open([{ test: 'StringNotEquals', variable: 'aws:PrincipalAccount', values: ['222222222222'] }]),
      { ...open([{ test: 'StringLike', variable: 'aws:PrincipalOrgID', values: ['o-*'] }]), sid: 'AnyOrg' },
    );
    expect(runRule(kmsNoWildcardPrincipal, stack, 'aws_kms_key.lake_key')).toEqual({
      status: 'fail',
      message: `has a key policy that lets anyone use the key: statement "UseKey" allows principal "*" and statement "AnyOrg" allows principal "*" ${SCOPE}`,
    });
  });

  test('fails an Allow with NotPrincipal', () => {
    const stack = keyWith({ sid: 'AllButOne', effect: 'Allow', not_principals: [{ type: 'AWS', identifiers: [ROOT] }], actions: ['kms:Decrypt'], resources: ['*'] });
    expect(runRule(kmsNoWildcardPrincipal, stack, 'aws_kms_key.lake_key')).toEqual({
      status: 'fail',
      message: `has a key policy that lets anyone use the key: statement "AllButOne" allows every principal but its NotPrincipal ${SCOPE}`,
    });
  });

  test('fails a key policy the pack cannot read', () => {
    const stack = stackOf({ 'aws_kms_key.lake_key': { policy: '${data.aws_iam_policy_document.elsewhere.json}' } });
    expect(runRule(kmsNoWildcardPrincipal, stack, 'aws_kms_key.lake_key')).toEqual({
      status: 'fail',
      message:
        'its key policy cannot be analyzed (it refers to data.aws_iam_policy_document.elsewhere, which is not an aws_iam_policy_document in this stack); build it with an aws_iam_policy_document in the same stack (the platform requires analyzable policies)',
    });
  });
});
