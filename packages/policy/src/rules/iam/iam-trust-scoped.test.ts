import { runRule, stackOf } from '../../testing';
import { iamTrustScoped } from './iam-trust-scoped';

const GITHUB = 'arn:${data.aws_partition.partition.partition}:iam::111111111111:oidc-provider/token.actions.githubusercontent.com';

/** A role trusting the principals of the document with `statements`. */
const trusting = (...statements: Array<Record<string, unknown>>) =>
  stackOf({
    'aws_iam_role.deploy': { assume_role_policy: '${data.aws_iam_policy_document.trust.json}' },
    'data.aws_iam_policy_document.trust': { statement: statements },
    'aws_iam_openid_connect_provider.github': { url: 'https://token.actions.githubusercontent.com', client_id_list: ['sts.amazonaws.com'] },
  });
const run = (...statements: Array<Record<string, unknown>>) => runRule(iamTrustScoped, trusting(...statements), 'aws_iam_role.deploy');
const github = (condition: Array<Record<string, unknown>>, identifier = GITHUB) => ({
  sid: 'GitHub',
  actions: ['sts:AssumeRoleWithWebIdentity'],
  principals: [{ type: 'Federated', identifiers: [identifier] }],
  condition,
});
const AUDIENCE = { test: 'StringEquals', variable: 'token.actions.githubusercontent.com:aud', values: ['sts.amazonaws.com'] };
const FEDERATED_FIX =
  'add a StringEquals or StringLike condition on the provider\'s :sub (e.g. token.actions.githubusercontent.com:sub = "repo:<owner>/<repo>:ref:refs/heads/main") or on an audience of its own';

describe('iam-trust-scoped', () => {
  test('passes a service principal', () => {
    expect(run({ actions: ['sts:AssumeRole'], principals: [{ type: 'Service', identifiers: ['glue.amazonaws.com'] }] })).toEqual({ status: 'pass' });
  });

  test('passes GitHub OIDC scoped to a repository', () => {
    expect(run(github([AUDIENCE, { test: 'StringLike', variable: 'token.actions.githubusercontent.com:sub', values: ['repo:acme/data-platform:*'] }]))).toEqual({ status: 'pass' });
  });

  test('passes an OIDC provider given by reference, scoped by subject', () => {
    const statement = github([{ test: 'StringEquals', variable: 'token.actions.githubusercontent.com:sub', values: ['repo:acme/data-platform:environment:prod'] }], '${aws_iam_openid_connect_provider.github.arn}');
    expect(run(statement)).toEqual({ status: 'pass' });
  });

  test('passes a Cognito identity pool scoped by its own audience', () => {
    expect(run({
      actions: ['sts:AssumeRoleWithWebIdentity'],
      principals: [{ type: 'Federated', identifiers: ['cognito-identity.amazonaws.com'] }],
      condition: [{ test: 'StringEquals', variable: 'cognito-identity.amazonaws.com:aud', values: ['eu-west-1:0000-pool'] }],
    })).toEqual({ status: 'pass' });
  });

  test('passes the own account and another account with an external id', () => {
    expect(run(
      { actions: ['sts:AssumeRole'], principals: [{ type: 'AWS', identifiers: ['arn:${data.aws_partition.partition.partition}:iam::111111111111:root'] }] },
      {
        actions: ['sts:AssumeRole'],
        principals: [{ type: 'AWS', identifiers: ['222222222222'] }],
        condition: [{ test: 'StringEquals', variable: 'sts:ExternalId', values: ['vendor-7f3a'] }],
      },
    )).toEqual({ status: 'pass' });
  });

  test('fails principal "*"', () => {
    expect(run({ sid: 'Anyone', actions: ['sts:AssumeRole'], principals: [{ type: 'AWS', identifiers: ['*'] }] })).toEqual({
      status: 'fail',
      message: 'can be assumed too broadly: principal "*" in statement "Anyone" lets anyone assume it; name the principals that may assume it',
    });
  });

  test('fails GitHub OIDC scoped only by the shared audience', () => {
    expect(run(github([AUDIENCE]))).toEqual({
      status: 'fail',
      message: `can be assumed too broadly: federated principal "token.actions.githubusercontent.com" in statement "GitHub" has no condition on token.actions.githubusercontent.com:sub or an audience of its own; ${FEDERATED_FIX}`,
    });
  });

  test('fails a subject condition that admits every repository', () => {
    expect(run(github([{ test: 'StringLike', variable: 'token.actions.githubusercontent.com:sub', values: ['repo:*'] }]))).toEqual({
      status: 'fail',
      message: `can be assumed too broadly: federated principal "token.actions.githubusercontent.com" in statement "GitHub" has no condition on token.actions.githubusercontent.com:sub or an audience of its own; ${FEDERATED_FIX}`,
    });
  });

  test('fails a SAML provider without a condition', () => {
    const saml = { actions: ['sts:AssumeRoleWithSAML'], principals: [{ type: 'Federated', identifiers: ['arn:aws:iam::111111111111:saml-provider/corp'] }] };
    expect(run(saml)).toEqual({
      status: 'fail',
      message: `can be assumed too broadly: federated principal "arn:aws:iam::111111111111:saml-provider/corp" in statement 1 has no condition on SAML:sub or an audience of its own; ${FEDERATED_FIX}`,
    });
  });

  test('fails another account without external id or organization, in a literal JSON trust policy', () => {
    const policy = JSON.stringify({
      Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { AWS: 'arn:aws:iam::222222222222:role/ci' }, Condition: { StringEqualsIfExists: { 'sts:ExternalId': 'x' } } }],
    });
    expect(runRule(iamTrustScoped, stackOf({ 'aws_iam_role.deploy': { assume_role_policy: policy } }), 'aws_iam_role.deploy')).toEqual({
      status: 'fail',
      message:
        'can be assumed too broadly: AWS principal "arn:aws:iam::222222222222:role/ci" of account 222222222222 in statement 1 has no sts:ExternalId or aws:PrincipalOrgID condition; add a StringEquals condition on sts:ExternalId or aws:PrincipalOrgID for the other account',
    });
  });

  test('fails a trust policy the pack cannot read', () => {
    const stack = stackOf({ 'aws_iam_role.deploy': { assume_role_policy: '${data.aws_iam_policy_document.trust.json}' } });
    expect(runRule(iamTrustScoped, stack, 'aws_iam_role.deploy')).toEqual({
      status: 'fail',
      message:
        'its assume_role_policy cannot be analyzed (it refers to data.aws_iam_policy_document.trust, which is not an aws_iam_policy_document in this stack); build it with an aws_iam_policy_document in the same stack (the platform requires analyzable policies)',
    });
  });
});
