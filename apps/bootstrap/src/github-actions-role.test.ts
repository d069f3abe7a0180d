import { TerraformVariable } from 'cdktf';
import { policyStatements, problemsOf, synthesize, synthesizedResource as resource } from '@data-platform/core';
import { GITHUB_ACTIONS_ROLE_DEFAULTS, GithubActionsRole, GithubActionsRoleProps, IAM_POLICY_QUOTAS } from './github-actions-role';
import { GithubOidc } from './github-oidc';
import { providerStack } from './test-support';

const READ_LOGS = [{ sid: 'Logs', effect: 'Allow', actions: ['logs:DescribeLogGroups'], resources: ['*'] }];
const PROVIDER = '${aws_iam_openid_connect_provider.bootstrap_github_oidc_provider.arn}';

function build(props: Partial<GithubActionsRoleProps> = {}) {
  const stack = providerStack();
  const oidc = new GithubOidc(stack, 'github', { create: true, account: '111111111111', partition: 'aws' });
  const role = new GithubActionsRole(stack, 'deploy', {
    name: 'adp-deploy',
    description: 'Deploys adp-dev',
    oidc,
    subject: 'repo:acme/data-platform:environment:dev',
    policies: { state: READ_LOGS, 'read-data': READ_LOGS },
    address: 'bootstrap_deploy',
    ...props,
  });
  return { stack, role, ...synthesize(stack) };
}

describe('GithubActionsRole', () => {
  test('documents its defaults and IAM\'s quotas', () => {
    expect(GITHUB_ACTIONS_ROLE_DEFAULTS).toEqual({ maxSessionSeconds: 3600, path: '/' });
    expect(IAM_POLICY_QUOTAS).toEqual({ policiesPerRole: 10, policyCharacters: 6144 });
  });

  test('is assumed only through the GitHub provider, by tokens for sts.amazonaws.com with exactly the subject given', () => {
    const { tf } = build();
    expect(resource(tf, 'aws_iam_role', 'bootstrap_deploy_role')).toMatchObject({
      name: 'adp-deploy',
      path: '/',
      description: 'Deploys adp-dev',
      assume_role_policy: '${data.aws_iam_policy_document.bootstrap_deploy_trust.json}',
      max_session_duration: 3600,
    });
    expect(policyStatements(tf, 'bootstrap_deploy_trust')).toEqual([{
      sid: 'GitHubActionsOidc',
      effect: 'Allow',
      principals: [{ type: 'Federated', identifiers: [PROVIDER] }],
      actions: ['sts:AssumeRoleWithWebIdentity'],
      condition: [
        { test: 'StringEquals', variable: 'token.actions.githubusercontent.com:aud', values: ['sts.amazonaws.com'] },
        { test: 'StringEquals', variable: 'token.actions.githubusercontent.com:sub', values: ['repo:acme/data-platform:environment:dev'] },
      ],
    }]);
  });

  test('gets one managed policy per entry, named after the role, attached to it, at pinned addresses', () => {
    const { tf, role } = build({ path: '/ci/' });
    expect(resource(tf, 'aws_iam_policy', 'bootstrap_deploy_state_policy')).toEqual(expect.objectContaining({
      name: 'adp-deploy-state',
      path: '/ci/',
      description: 'Deploys adp-dev: state',
      policy: '${data.aws_iam_policy_document.bootstrap_deploy_state_policy.json}',
    }));
    expect(resource(tf, 'aws_iam_policy', 'bootstrap_deploy_read_data_policy')).toMatchObject({ name: 'adp-deploy-read-data' });
    expect(policyStatements(tf, 'bootstrap_deploy_read_data_policy')).toEqual(READ_LOGS);
    expect(resource(tf, 'aws_iam_role_policy_attachment', 'bootstrap_deploy_state_attachment')).toMatchObject({
      role: '${aws_iam_role.bootstrap_deploy_role.name}',
      policy_arn: '${aws_iam_policy.bootstrap_deploy_state_policy.arn}',
    });
    expect(Object.keys(tf.resource?.aws_iam_role_policy_attachment ?? {}).sort()).toEqual(['bootstrap_deploy_read_data_attachment', 'bootstrap_deploy_state_attachment']);
    expect(Object.keys(role.policies)).toEqual(['state', 'read-data']);
    expect(tf.resource?.aws_iam_role_policy).toBeUndefined();
  });

  test('takes a longer session when asked', () => {
    expect(resource(build({ maxSessionSeconds: 7200 }).tf, 'aws_iam_role', 'bootstrap_deploy_role').max_session_duration).toBe(7200);
  });

  test('rejects wildcards in the subject, bad names and too many policies, all at once', () => {
    const policies = Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`part-${i}`, READ_LOGS]));
    expect(problemsOf(() => build({ name: 'adp deploy', path: 'ci', subject: 'repo:acme/*:environment:dev', address: 'deploy', policies, maxSessionSeconds: 60 }))).toEqual([
      'GithubActionsRole bootstrap-dev/deploy: name is "adp deploy"; use 1-64 letters, digits and +=,.@_-',
      'GithubActionsRole bootstrap-dev/deploy: path is "ci"; use "/" or "/<segment>/..." of letters, digits and +=,.@_-',
      'GithubActionsRole bootstrap-dev/deploy: subject is "repo:acme/*:environment:dev"; use "repo:<owner>/<name>:<context>" without wildcards (e.g. "repo:acme/data-platform:environment:prod"): the role trusts one repository\'s jobs only',
      'GithubActionsRole bootstrap-dev/deploy: address is "deploy"; use "bootstrap_" and lowercase letters, digits and "_" (e.g. "bootstrap_deploy")',
      'GithubActionsRole bootstrap-dev/deploy: policies has 11 policies; give the role 1 to 10 (IAM\'s default quota of managed policies per role)',
      'GithubActionsRole bootstrap-dev/deploy: maxSessionSeconds is 60; use a whole number of seconds from 3600 to 43200 (IAM\'s limits)',
    ]);
  });

  test('rejects a subject for any repository and policies without statements or with bad keys', () => {
    expect(problemsOf(() => build({ subject: 'repo:*', policies: { State: READ_LOGS, empty: [] } }))).toEqual([
      'GithubActionsRole bootstrap-dev/deploy: subject is "repo:*"; use "repo:<owner>/<name>:<context>" without wildcards (e.g. "repo:acme/data-platform:environment:prod"): the role trusts one repository\'s jobs only',
      'GithubActionsRole bootstrap-dev/deploy: policies.State is not a short kebab-case word; name each policy like "state" or "read-data" (it is part of the policy name)',
      'GithubActionsRole bootstrap-dev/deploy: policies.empty has no statements; remove it or give it the statements it stands for',
    ]);
  });

  test('skips a name that is still a token', () => {
    const stack = providerStack();
    const oidc = new GithubOidc(stack, 'github', { create: true, account: '111111111111', partition: 'aws' });
    const name = new TerraformVariable(stack, 'name', { type: 'string' }).stringValue;
    expect(() => new GithubActionsRole(stack, 'deploy', {
      name, description: 'd', oidc, subject: 'repo:acme/data-platform:pull_request', policies: { state: READ_LOGS }, address: 'bootstrap_deploy',
    })).not.toThrow();
  });
});
