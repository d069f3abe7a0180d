import { Token } from 'cdktf';
import { Validator, errorOf } from '@data-platform/core';
import { HTTPS_PORT, MAX_SAGEMAKER_SUBNETS, Network, checkNetwork, subnetIds, tcpToVpc, tcpWithinGroup } from './network';

const NETWORK: Network = {
  vpcId: 'vpc-0a1b2c3d4e5f60001',
  vpcCidr: '10.10.0.0/16',
  subnets: { 'eu-west-1b': 'subnet-0a1b2c3d4e5f61001', 'eu-west-1a': 'subnet-0a1b2c3d4e5f60001' },
};

function problems(network: Network): string[] {
  const v = new Validator('test');
  checkNetwork(v, network);
  if (v.count === 0) return [];
  return errorOf(() => v.throwIfAny()).problems.map((p) => `${p.path} ${p.message}`);
}

describe('network helpers', () => {
  test('accept the environment\'s network', () => {
    expect(problems(NETWORK)).toEqual([]);
  });

  test('report a malformed VPC id, CIDR and subnet ids, and too many subnets', () => {
    const subnets = Object.fromEntries(Array.from({ length: 17 }, (_, i) => [`eu-west-1${String.fromCharCode(97 + i)}`, i === 0 ? 'subnet-x' : `subnet-0a1b2c3d4e5f6${String(i).padStart(4, '0')}`]));
    expect(problems({ vpcId: 'vpc-x', vpcCidr: '10.10.0.0', subnets })).toEqual([
      'network.vpcId is "vpc-x"; use a VPC id such as "vpc-0a1b2c3d4e5f67890"',
      'network.vpcCidr is "10.10.0.0"; use an IPv4 CIDR block such as "10.20.0.0/16"',
      `network.subnets has 17 subnets; use 1 to ${MAX_SAGEMAKER_SUBNETS} private subnets (SageMaker's limit for a VPC configuration)`,
      'network.subnets has ["subnet-x"]; use subnet ids such as "subnet-0a1b2c3d4e5f67890"',
    ]);
  });

  test('skip tokens', () => {
    expect(problems({ vpcId: Token.asString({ Ref: 'vpc' }), vpcCidr: Token.asString({ Ref: 'cidr' }), subnets: { 'eu-west-1a': Token.asString({ Ref: 'subnet' }) } })).toEqual([]);
  });

  test('list subnet ids sorted, whatever the order of the file', () => {
    expect(subnetIds(NETWORK)).toEqual(['subnet-0a1b2c3d4e5f60001', 'subnet-0a1b2c3d4e5f61001']);
  });

  test('build complete inline rules: TCP to the VPC\'s CIDR, or within the group', () => {
    expect(HTTPS_PORT).toBe(443);
    expect(tcpToVpc(443, NETWORK, 'HTTPS')).toEqual({
      description: 'HTTPS', protocol: 'tcp', fromPort: 443, toPort: 443, cidrBlocks: ['10.10.0.0/16'], ipv6CidrBlocks: [], prefixListIds: [], securityGroups: [], selfAttribute: false,
    });
    expect(tcpWithinGroup(2049, 'NFS')).toEqual({
      description: 'NFS', protocol: 'tcp', fromPort: 2049, toPort: 2049, cidrBlocks: [], ipv6CidrBlocks: [], prefixListIds: [], securityGroups: [], selfAttribute: true,
    });
  });
});
