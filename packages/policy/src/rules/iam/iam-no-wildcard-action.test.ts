import { runRule, stackOf } from '../../testing';
import { iamNoWildcardAction } from './iam-no-wildcard-action';

/** An inline role policy built from a policy document with `statements`. */
const rolePolicy = (...statements: Array<Record<string, unknown>>) =>
  stackOf({
    'aws_iam_role_policy.etl': { role: '${aws_iam_role.etl.name}', policy: '${data.aws_iam_policy_document.etl.json}' },
    'data.aws_iam_policy_document.etl': { statement: statements },
  });
const FIX = 'list the specific actions each statement needs';

describe('iam-no-wildcard-action', () => {
  test('passes listed actions, partial wildcards included', () => {
    const stack = rolePolicy({ sid: 'Read', effect: 'Allow', actions: ['s3:GetObject', 's3:List*'], resources: ['${aws_s3_bucket.raw.arn}/*'] });
    expect(runRule(iamNoWildcardAction, stack, 'aws_iam_role_policy.etl')).toEqual({ status: 'pass' });
  });

  test('passes a wildcard in a Deny statement', () => {
    const stack = rolePolicy({ effect: 'Deny', actions: ['*'], resources: ['*'], condition: [{ test: 'Bool', variable: 'aws:SecureTransport', values: ['false'] }] });
    expect(runRule(iamNoWildcardAction, stack, 'aws_iam_role_policy.etl')).toEqual({ status: 'pass' });
  });

  test('fails a service-wide wildcard', () => {
    const stack = rolePolicy({ sid: 'ReadAll', actions: ['s3:*'], resources: ['${aws_s3_bucket.raw.arn}/*'] });
    expect(runRule(iamNoWildcardAction, stack, 'aws_iam_role_policy.etl')).toEqual({
      status: 'fail',
      message: `allows wildcard actions: "s3:*" in statement "ReadAll"; ${FIX}`,
    });
  });

  test('fails "*" and NotAction in a literal JSON policy, naming each statement', () => {
    const policy = JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Action: '*', Resource: 'arn:aws:s3:::raw/*' },
        { Sid: 'AllButIam', Effect: 'Allow', NotAction: ['iam:*'], Resource: '*' },
      ],
    });
    expect(runRule(iamNoWildcardAction, stackOf({ 'aws_iam_policy.etl': { name: 'etl', policy } }), 'aws_iam_policy.etl')).toEqual({
      status: 'fail',
      message: `allows wildcard actions: "*" in statement 1; every action but "iam:*" (NotAction) in statement "AllButIam"; ${FIX}`,
    });
  });

  test('checks the inline_policy blocks of a role', () => {
    const policy = JSON.stringify({ Statement: [{ Sid: 'Glue', Effect: 'Allow', Action: ['glue:*'], Resource: '*' }] });
    const stack = stackOf({ 'aws_iam_role.etl': { assume_role_policy: '{}', inline_policy: [{ name: 'glue', policy }] } });
    expect(runRule(iamNoWildcardAction, stack, 'aws_iam_role.etl')).toEqual({
      status: 'fail',
      message: `allows wildcard actions: "glue:*" in inline_policy "glue" statement "Glue"; ${FIX}`,
    });
  });

  test('does not apply to a role without inline policies', () => {
    const stack = stackOf({ 'aws_iam_role.etl': { assume_role_policy: '{}', inline_policy: [{}] } });
    expect(runRule(iamNoWildcardAction, stack, 'aws_iam_role.etl')).toEqual({
      status: 'not-applicable',
      reason: 'has no inline_policy blocks; its other policies are separate resources, checked on their own',
    });
  });

  test('fails a policy the pack cannot read, asking for a policy document', () => {
    const stack = stackOf({ 'aws_iam_user_policy.ci': { user: 'ci', policy: '${file("policy.json")}' } });
    expect(runRule(iamNoWildcardAction, stack, 'aws_iam_user_policy.ci')).toEqual({
      status: 'fail',
      message:
        'its policy cannot be analyzed (it is an expression the pack cannot evaluate); build it with an aws_iam_policy_document in the same stack (the platform requires analyzable policies)',
    });
  });

  test('fails a policy document that merges another through source_json', () => {
    const stack = stackOf({
      'aws_iam_group_policy.analysts': { group: 'analysts', policy: '${data.aws_iam_policy_document.analysts.json}' },
      'data.aws_iam_policy_document.analysts': { source_json: '${data.aws_iam_policy_document.base.json}', statement: [] },
    });
    expect(runRule(iamNoWildcardAction, stack, 'aws_iam_group_policy.analysts')).toEqual({
      status: 'fail',
      message:
        'its policy cannot be analyzed (data.aws_iam_policy_document.analysts merges another document (source_json)); build it with an aws_iam_policy_document in the same stack (the platform requires analyzable policies)',
    });
  });
});
