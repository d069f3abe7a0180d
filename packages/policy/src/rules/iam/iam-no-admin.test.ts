import { runRule, stackOf } from '../../testing';
import { iamNoAdmin } from './iam-no-admin';

const ADMIN_ARN = 'arn:${data.aws_partition.partition.partition}:iam::aws:policy/AdministratorAccess';
const role = { 'aws_iam_role.etl': { assume_role_policy: '${data.aws_iam_policy_document.trust.json}' } };
const FIX = 'grant only the actions and resources it needs';

describe('iam-no-admin', () => {
  test('passes a policy scoped to named resources', () => {
    const policy = JSON.stringify({ Statement: [{ Effect: 'Allow', Action: '*', Resource: 'arn:aws:s3:::raw/*' }] });
    expect(runRule(iamNoAdmin, stackOf({ 'aws_iam_policy.etl': { policy } }), 'aws_iam_policy.etl')).toEqual({ status: 'pass' });
  });

  test('fails "*" on "*"', () => {
    const stack = stackOf({
      'aws_iam_policy.admin': { name: 'admin', policy: '${data.aws_iam_policy_document.admin.json}' },
      'data.aws_iam_policy_document.admin': { statement: [{ sid: 'Everything', effect: 'Allow', actions: ['*'], resources: ['*'] }] },
    });
    expect(runRule(iamNoAdmin, stack, 'aws_iam_policy.admin')).toEqual({
      status: 'fail',
      message: `grants administrator access: "*" on "*" in statement "Everything"; ${FIX}`,
    });
  });

  test('fails iam:* and NotAction on every resource', () => {
    const policy = JSON.stringify({
      Statement: [
        { Effect: 'Allow', Action: 'iam:*', Resource: '*' },
        { Effect: 'Allow', NotAction: ['iam:*', 'organizations:*'], Resource: '*' },
      ],
    });
    expect(runRule(iamNoAdmin, stackOf({ 'aws_iam_role_policy.ops': { role: 'ops', policy } }), 'aws_iam_role_policy.ops')).toEqual({
      status: 'fail',
      message: `grants administrator access: "iam:*" on "*" (it can grant itself anything) in statement 1; every action but "iam:*", "organizations:*" (NotAction) on "*" in statement 2; ${FIX}`,
    });
  });

  test('fails an attachment of AdministratorAccess', () => {
    const stack = stackOf({ ...role, 'aws_iam_role_policy_attachment.admin': { role: '${aws_iam_role.etl.name}', policy_arn: ADMIN_ARN } });
    expect(runRule(iamNoAdmin, stack, 'aws_iam_role_policy_attachment.admin')).toEqual({
      status: 'fail',
      message: 'attaches the AWS managed AdministratorAccess policy (every action on every resource); attach a policy that lists the actions and resources the identity needs',
    });
  });

  test('fails PowerUserAccess looked up through a data source', () => {
    const stack = stackOf({
      'data.aws_iam_policy.power': { name: 'PowerUserAccess' },
      'aws_iam_user_policy_attachment.dev': { user: 'dev', policy_arn: '${data.aws_iam_policy.power.arn}' },
    });
    expect(runRule(iamNoAdmin, stack, 'aws_iam_user_policy_attachment.dev')).toEqual({
      status: 'fail',
      message: 'attaches the AWS managed PowerUserAccess policy (every action but IAM and Organizations management); attach a policy that lists the actions and resources the identity needs',
    });
  });

  test('passes an attachment of a customer managed policy', () => {
    const stack = stackOf({ 'aws_iam_group_policy_attachment.analysts': { group: 'analysts', policy_arn: '${aws_iam_policy.analysts.arn}' } });
    expect(runRule(iamNoAdmin, stack, 'aws_iam_group_policy_attachment.analysts')).toEqual({ status: 'pass' });
  });

  test('fails IAMFullAccess in a role\'s managed_policy_arns', () => {
    const stack = stackOf({ 'aws_iam_role.etl': { ...role['aws_iam_role.etl'], managed_policy_arns: ['arn:aws:iam::aws:policy/IAMFullAccess'] } });
    expect(runRule(iamNoAdmin, stack, 'aws_iam_role.etl')).toEqual({
      status: 'fail',
      message: `has the AWS managed IAMFullAccess policy (it can grant itself any permission) in managed_policy_arns; ${FIX}`,
    });
  });

  test('passes a role with only non-admin managed policies', () => {
    const stack = stackOf({ 'aws_iam_role.etl': { ...role['aws_iam_role.etl'], managed_policy_arns: ['arn:aws:iam::aws:policy/service-role/AWSGlueServiceRole'] } });
    expect(runRule(iamNoAdmin, stack, 'aws_iam_role.etl')).toEqual({ status: 'pass' });
  });

  test('does not apply to a role without inline or managed policies', () => {
    expect(runRule(iamNoAdmin, stackOf(role), 'aws_iam_role.etl')).toEqual({
      status: 'not-applicable',
      reason: 'has no inline_policy blocks and no managed_policy_arns; its other policies are separate resources, checked on their own',
    });
  });
});
