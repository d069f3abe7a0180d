import { Aspects, TerraformOutput, TerraformVariable } from 'cdktf';
import { policyStatements, problemsOf, suppressionsOf, synthesize, synthesizedResource as resource } from '@data-platform/core';
import { PolicyPack } from '@data-platform/policy';
import { boundaryPermissions } from './permissions';
import { BOUNDARY_SUPPRESSIONS, PERMISSIONS_BOUNDARY_DEFAULTS, PermissionsBoundary, PermissionsBoundaryProps } from './permissions-boundary';
import { providerStack } from './test-support';

const STATE = {
  bucketArn: 'arn:aws:s3:::adp-tfstate-111111111111',
  keyArn: 'arn:aws:kms:eu-west-1:111111111111:key/state',
  keyAliasArn: 'arn:aws:kms:eu-west-1:111111111111:alias/adp-bootstrap-dev-state-key',
  accessLogsBucketArn: 'arn:aws:s3:::adp-bootstrap-dev-state-logs-111111111111',
  keyPrefix: 'dev',
};

function build(props: Partial<PermissionsBoundaryProps> = {}, policy?: PolicyPack) {
  const stack = providerStack();
  if (policy) Aspects.of(stack).add(policy);
  const boundary = new PermissionsBoundary(stack, 'boundary', {
    name: 'adp-bootstrap-dev-boundary',
    description: 'Permissions boundary of the adp-dev roles',
    statements: boundaryPermissions(STATE),
    address: 'bootstrap_boundary',
    ...props,
  });
  return { stack, boundary, ...synthesize(stack) };
}

describe('PermissionsBoundary', () => {
  test('documents its default path', () => {
    expect(PERMISSIONS_BOUNDARY_DEFAULTS).toEqual({ path: '/' });
  });

  test('is one customer managed policy of the statements given, at a pinned address', () => {
    const { tf } = build();
    expect(resource(tf, 'aws_iam_policy', 'bootstrap_boundary_policy')).toEqual({
      name: 'adp-bootstrap-dev-boundary',
      path: '/',
      description: 'Permissions boundary of the adp-dev roles',
      policy: '${data.aws_iam_policy_document.bootstrap_boundary_policy.json}',
    });
    expect(policyStatements(tf, 'bootstrap_boundary_policy')).toEqual(boundaryPermissions(STATE));
    expect(Object.keys(tf.resource ?? {})).toEqual(['aws_iam_policy']);
    const stack = providerStack();
    const other = new PermissionsBoundary(stack, 'boundary', { name: 'b', description: 'd', statements: boundaryPermissions(STATE), address: 'bootstrap_boundary' });
    new TerraformOutput(stack, 'arn', { value: other.arn });
    expect(synthesize(stack).tf.output).toEqual({ arn: { value: '${aws_iam_policy.bootstrap_boundary_policy.arn}' } });
  });

  test('takes a path', () => {
    expect(resource(build({ path: '/ci/' }).tf, 'aws_iam_policy', 'bootstrap_boundary_policy').path).toBe('/ci/');
  });

  test('passes the policy pack only through its three suppressions, each with its reason (a boundary grants nothing)', () => {
    const policy = new PolicyPack();
    const { boundary } = build({}, policy);
    expect(Object.keys(BOUNDARY_SUPPRESSIONS)).toEqual(['iam-no-admin', 'iam-no-wildcard-action', 'iam-no-wildcard-resource-data']);
    expect(suppressionsOf(boundary.policy)).toEqual(Object.entries(BOUNDARY_SUPPRESSIONS).map(([ruleId, reason]) => ({ ruleId, reason })));
    const report = policy.reports.get('bootstrap-dev');
    expect(report?.counts).toMatchObject({ fail: 0, suppressed: 3 });
    expect(report?.findings.filter((f) => f.status === 'suppressed').map((f) => [f.ruleId, f.address])).toEqual(
      Object.keys(BOUNDARY_SUPPRESSIONS).map((ruleId) => [ruleId, 'aws_iam_policy.bootstrap_boundary_policy']),
    );
  });

  test('rejects a bad name, path, address and empty statements, all at once', () => {
    expect(problemsOf(() => build({ name: 'adp boundary', path: 'ci', address: 'boundary', statements: [] }))).toEqual([
      'PermissionsBoundary bootstrap-dev/boundary: name is "adp boundary"; use 1-128 letters, digits and +=,.@_-',
      'PermissionsBoundary bootstrap-dev/boundary: path is "ci"; use "/" or "/<segment>/..." of letters, digits and +=,.@_-',
      'PermissionsBoundary bootstrap-dev/boundary: statements is empty; give the boundary an Allow of what the roles may do at most, and its Denies',
      'PermissionsBoundary bootstrap-dev/boundary: address is "boundary"; use "bootstrap_" and lowercase letters, digits and "_" (e.g. "bootstrap_boundary")',
    ]);
  });

  test('skips a name that is still a token', () => {
    const stack = providerStack();
    const name = new TerraformVariable(stack, 'name', { type: 'string' }).stringValue;
    expect(() => new PermissionsBoundary(stack, 'boundary', { name, description: 'd', statements: boundaryPermissions(STATE), address: 'bootstrap_boundary' })).not.toThrow();
  });
});
