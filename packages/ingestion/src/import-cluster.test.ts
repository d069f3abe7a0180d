import { TerraformOutput } from 'cdktf';
import { EcsCluster } from '@cdktf/provider-aws/lib/ecs-cluster';
import { PlatformStack, synthesize, synthesizedResource, testApp } from '@data-platform/core';
import { PolicyPack } from '@data-platform/policy';
import { IMPORT_CLUSTER_NAME, ImportCluster } from './import-cluster';
import { devEnvironment } from './test-support';

function build() {
  const pack = new PolicyPack();
  const stack = new PlatformStack(testApp(), 'dev-ingestion', { env: devEnvironment(), aspects: [pack] });
  const cluster = new ImportCluster(stack, 'import-cluster');
  return { pack, stack, cluster, ...synthesize(stack) };
}

describe('ImportCluster', () => {
  test('is one ECS cluster named for the layer, with Container Insights on', () => {
    const { tf, cluster } = build();
    expect(Object.keys(tf.resource ?? {})).toEqual(['aws_ecs_cluster']);
    expect(synthesizedResource(tf, 'aws_ecs_cluster', cluster.cluster.friendlyUniqueId)).toEqual({
      name: 'adp-dev-ingestion-imports',
      setting: [{ name: 'containerInsights', value: 'enabled' }],
    });
    expect(IMPORT_CLUSTER_NAME).toBe('imports');
  });

  test('exposes the cluster, its ARN and its name', () => {
    const stack = new PlatformStack(testApp(), 'dev-ingestion', { env: devEnvironment() });
    const cluster = new ImportCluster(stack, 'import-cluster');
    new TerraformOutput(stack, 'arn', { value: cluster.arn });
    new TerraformOutput(stack, 'name', { value: cluster.name });
    const { tf } = synthesize(stack);
    const address = `aws_ecs_cluster.${cluster.cluster.friendlyUniqueId}`;
    expect(cluster.cluster).toBeInstanceOf(EcsCluster);
    expect(tf.output).toEqual({ arn: { value: `\${${address}.arn}` }, name: { value: `\${${address}.name}` } });
  });

  test('has no ECS Exec configuration (no shell into running imports)', () => {
    const { tf, cluster } = build();
    expect(synthesizedResource(tf, 'aws_ecs_cluster', cluster.cluster.friendlyUniqueId).configuration).toBeUndefined();
  });

  test('passes the policy pack', () => {
    const { pack } = build();
    expect(pack.reports.get('dev-ingestion')?.counts.fail).toBe(0);
  });
});
