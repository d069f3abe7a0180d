import { Token } from 'cdktf';
import { SecurityGroupEgress, SecurityGroupIngress } from '@cdktf/provider-aws/lib/security-group';
import { EnvironmentConfig, Validator, cidrProblem, describeValue } from '@data-platform/core';

/** The environment's network: the existing VPC and its private subnets, by availability zone. */
export type Network = NonNullable<EnvironmentConfig['network']>;

/**
 * Most subnets a SageMaker VPC configuration accepts (a model's `VpcConfig`, a domain's `SubnetIds`).
 * @see https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_VpcConfig.html
 * @see https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_CreateDomain.html
 */
export const MAX_SAGEMAKER_SUBNETS = 16;

/** The only port platform ML compute opens outbound to AWS service endpoints: HTTPS. */
export const HTTPS_PORT = 443;

const VPC_RE = /^vpc-[0-9a-f]{8,17}$/;
const SUBNET_RE = /^subnet-[0-9a-f]{8,17}$/;

/**
 * Records the problems of `network` on `v` under `network.*`: the VPC id, its CIDR (the HTTPS rules
 * are scoped to it) and 1 to {@link MAX_SAGEMAKER_SUBNETS} subnet ids. Tokens are not checked.
 */
export function checkNetwork(v: Validator, network: Network): void {
  const known = (value: unknown) => !Token.isUnresolved(value);
  if (known(network.vpcId)) {
    v.check(VPC_RE.test(network.vpcId), 'network.vpcId', `is ${describeValue(network.vpcId)}; use a VPC id such as "vpc-0a1b2c3d4e5f67890"`);
  }
  if (known(network.vpcCidr)) {
    const problem = cidrProblem(network.vpcCidr);
    if (problem) v.add('network.vpcCidr', `is ${describeValue(network.vpcCidr)}; ${problem.replace(/^has/, 'it has')}`);
  }
  const subnets = Object.values(network.subnets);
  v.check(subnets.length >= 1 && subnets.length <= MAX_SAGEMAKER_SUBNETS, 'network.subnets',
    `has ${subnets.length} subnets; use 1 to ${MAX_SAGEMAKER_SUBNETS} private subnets (SageMaker's limit for a VPC configuration)`);
  const bad = subnets.filter((s) => known(s) && !SUBNET_RE.test(s));
  v.check(bad.length === 0, 'network.subnets', `has ${describeValue(bad)}; use subnet ids such as "subnet-0a1b2c3d4e5f67890"`);
}

/** The subnet ids of `network`, sorted (a stable order: plans do not change when the YAML's order does). */
export function subnetIds(network: Network): string[] {
  return Object.values(network.subnets).sort();
}

/** An inline security group rule with every field set, as Terraform requires of inline rules. */
type Rule = SecurityGroupEgress & SecurityGroupIngress;

/** TCP `port` to the VPC's CIDR: the interface endpoints of AWS services, in the VPC. */
export function tcpToVpc(port: number, network: Network, description: string): Rule {
  return { description, protocol: 'tcp', fromPort: port, toPort: port, cidrBlocks: [network.vpcCidr], ipv6CidrBlocks: [], prefixListIds: [], securityGroups: [], selfAttribute: false };
}

/** TCP `port` between members of the security group itself. */
export function tcpWithinGroup(port: number, description: string): Rule {
  return { description, protocol: 'tcp', fromPort: port, toPort: port, cidrBlocks: [], ipv6CidrBlocks: [], prefixListIds: [], securityGroups: [], selfAttribute: true };
}
