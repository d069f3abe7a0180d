import { TerraformOutput } from 'cdktf';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { EnvironmentInput } from '../config/schema';
import { NAME_LIMITS } from '../naming';
import { PlatformStack } from '../platform-stack';
import {
  documentOf,
  policyStatements,
  synthesize,
  synthesizedResource,
  SynthesizedStack,
  testApp,
  testEnvironment,
} from '../testing';
import { ServiceRole } from './service-role';

function stack(overrides: Partial<EnvironmentInput> = {}): PlatformStack {
  return new PlatformStack(testApp(), 'test-processing', { env: testEnvironment(overrides) });
}

function glueRole(s: PlatformStack, name = 'orders-clean-job'): ServiceRole {
  return new ServiceRole(s, 'orders-clean', { layer: 'processing', service: 'glue.amazonaws.com', name, description: 'Runs the orders-clean job.' });
}

function roleOf(tf: SynthesizedStack, role: ServiceRole): Record<string, unknown> {
  return synthesizedResource(tf, 'aws_iam_role', role.role.friendlyUniqueId);
}

describe('ServiceRole', () => {
  it('is assumed only by its service, on behalf of this account (aws:SourceAccount)', () => {
    const s = stack();
    const role = glueRole(s);
    const { tf } = synthesize(s);

    expect(policyStatements(tf, documentOf(roleOf(tf, role).assume_role_policy))).toEqual([
      {
        effect: 'Allow',
        principals: [{ type: 'Service', identifiers: ['glue.amazonaws.com'] }],
        actions: ['sts:AssumeRole'],
        condition: [{ test: 'StringEquals', variable: 'aws:SourceAccount', values: ['111111111111'] }],
      },
    ]);
  });

  it('is named <project>-<env>-<layer>-<name>, with its description', () => {
    const s = stack({ project: 'shop', name: 'dev' });
    glueRole(s);
    expect(synthesize(s).json).toHaveResourceWithProperties(IamRole, {
      name: 'shop-dev-processing-orders-clean-job',
      description: 'Runs the orders-clean job.',
    });
  });

  it('shortens a name over the IAM limit of 64 characters with a stable hash', () => {
    const long = `orders-${'x'.repeat(80)}-job`;
    const names = [stack(), stack()].map((s) => {
      const role = glueRole(s, long);
      return roleOf(synthesize(s).tf, role).name as string;
    });
    expect(names[0]).toHaveLength(NAME_LIMITS.iamRole);
    expect(names[0]).toMatch(/^adp-test-processing-orders-x+-[0-9a-f]{8}$/);
    expect(names[1]).toBe(names[0]);
  });

  it('has no permissions until allow adds them', () => {
    const s = stack();
    glueRole(s);
    const { tf } = synthesize(s);
    expect(tf.resource?.aws_iam_role_policy).toBeUndefined();
    expect(tf.resource?.aws_iam_role_policy_attachment).toBeUndefined();
  });

  it('exposes the ARN and name of the role it creates', () => {
    const s = stack();
    const role = glueRole(s);
    new TerraformOutput(s, 'arn', { value: role.arn });
    new TerraformOutput(s, 'name', { value: role.name });
    const { output } = synthesize(s).tf;
    expect(output?.arn).toEqual({ value: `\${aws_iam_role.${role.role.friendlyUniqueId}.arn}` });
    expect(output?.name).toEqual({ value: `\${aws_iam_role.${role.role.friendlyUniqueId}.name}` });
  });

  describe('allow', () => {
    const READ = { effect: 'Allow', actions: ['kinesis:GetRecords', 'kinesis:GetShardIterator'], resources: ['arn:aws:kinesis:eu-west-1:111111111111:stream/adp-test-ingestion-clicks'] };
    const DECRYPT = { effect: 'Allow', actions: ['kms:Decrypt'], resources: ['arn:aws:kms:eu-west-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab'] };

    it('adds an inline policy to the role, holding exactly the statements given', () => {
      const s = stack();
      const role = glueRole(s);
      const policy = role.allow('read-stream', [READ, DECRYPT]);
      const { tf } = synthesize(s);

      const attached = synthesizedResource(tf, 'aws_iam_role_policy', policy.friendlyUniqueId);
      expect(attached.role).toBe(`\${aws_iam_role.${role.role.friendlyUniqueId}.name}`);
      expect(attached.name).toBe('read-stream');
      expect(policyStatements(tf, documentOf(attached.policy))).toEqual([READ, DECRYPT]);
    });

    it('adds one policy per call, each with its own statements and name', () => {
      const s = stack();
      const role = glueRole(s);
      const read = role.allow('read-stream', [READ]);
      const decrypt = role.allow('decrypt', [DECRYPT]);
      const { json, tf } = synthesize(s);

      expect(Object.keys(tf.resource?.aws_iam_role_policy ?? {})).toHaveLength(2);
      expect(json).toHaveResourceWithProperties(IamRolePolicy, { name: 'read-stream' });
      expect(json).toHaveResourceWithProperties(IamRolePolicy, { name: 'decrypt' });
      expect(policyStatements(tf, documentOf(synthesizedResource(tf, 'aws_iam_role_policy', read.friendlyUniqueId).policy))).toEqual([READ]);
      expect(policyStatements(tf, documentOf(synthesizedResource(tf, 'aws_iam_role_policy', decrypt.friendlyUniqueId).policy))).toEqual([DECRYPT]);
    });
  });
});
