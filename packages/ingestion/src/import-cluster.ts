import { Construct } from 'constructs';
import { EcsCluster } from '@cdktf/provider-aws/lib/ecs-cluster';
import { NAME_LIMITS, PlatformStack } from '@data-platform/core';

/** Name part of the cluster after `<project>-<env>-ingestion-`. */
export const IMPORT_CLUSTER_NAME = 'imports';

/**
 * The ECS cluster the batch imports of an ingestion layer run in, one per layer: named
 * `<project>-<env>-ingestion-imports`, with CloudWatch Container Insights on (CPU, memory and
 * task-state metrics of every import run).
 *
 * It holds no capacity: imports run as Fargate tasks that {@link BatchImport} schedules into it.
 * ECS Exec is not configured, so no one can open a shell in a running import.
 */
export class ImportCluster extends Construct {
  /** The ECS cluster. */
  readonly cluster: EcsCluster;
  /** ARN of the cluster (the target of the imports' schedules). */
  readonly arn: string;
  /** Name of the cluster. */
  readonly name: string;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const stack = PlatformStack.of(this);
    this.cluster = new EcsCluster(this, 'cluster', {
      name: stack.resourceName('ingestion', IMPORT_CLUSTER_NAME, { maxLength: NAME_LIMITS.ecsCluster }),
      setting: [{ name: 'containerInsights', value: 'enabled' }],
    });
    this.arn = this.cluster.arn;
    this.name = this.cluster.name;
  }
}
