import { TerraformOutput } from 'cdktf';
import { QuicksightDataSource } from '@cdktf/provider-aws/lib/quicksight-data-source';
import {
  EnvironmentConfig,
  PlatformStack,
  problemsOf,
  ref,
  rolePolicies,
  synthesize,
  synthesizedResource,
  SynthesizedStack,
  testApp,
  trustOf,
} from '@data-platform/core';
import { stackWithLake } from '@data-platform/lake';
import { PolicyPack } from '@data-platform/policy';
import { ATHENA_DATA_SOURCE_SETTINGS, AthenaDataSource, AthenaDataSourceProps, BiNetwork } from './athena-data-source';
import { QuicksightGroups } from './groups';
import { QUICKSIGHT_ACTIONS } from './quicksight';
import { biOf, devEnvironment, NETWORK, OFFLINE, PARTITION, biPersona } from './test-support';

/** The lake, the persona, the sample groups and the data source in one stack `dev-bi`. */
function build(props: Partial<AthenaDataSourceProps> = {}, environment: EnvironmentConfig = devEnvironment({ network: NETWORK })) {
  const { stack, lake } = stackWithLake(environment, { id: 'dev-bi' });
  const persona = biPersona(stack, lake);
  const groups = new QuicksightGroups(stack, 'groups', { groups: biOf(environment).groups });
  const dataSource = new AthenaDataSource(stack, 'athena', { persona, groups, ...props });
  return { stack, lake, persona, groups, dataSource };
}

const synth = (props?: Partial<AthenaDataSourceProps>, environment?: EnvironmentConfig) => {
  const built = build(props, environment);
  return { ...built, ...synthesize(built.stack) };
};

const network = NETWORK as BiNetwork;
const EC2 = `arn:${PARTITION}:ec2:eu-west-1:111111111111`;
const values = (tf: SynthesizedStack, type: string) => Object.values(tf.resource?.[type] ?? {});
const dataSourceOf = (tf: SynthesizedStack, built: { dataSource: AthenaDataSource }) =>
  synthesizedResource(tf, 'aws_quicksight_data_source', built.dataSource.dataSource.friendlyUniqueId);

describe('AthenaDataSource', () => {
  it('documents its fixed settings as constants', () => {
    expect(ATHENA_DATA_SOURCE_SETTINGS).toEqual({ name: 'athena', disableSsl: false, httpsPort: 443, dnsPort: 53, subnets: { min: 2, max: 15 }, maxDnsResolvers: 15 });
  });

  describe('without a network', () => {
    it("queries Athena through the persona's workgroup, over TLS, and lets only the authors' groups use it", () => {
      const built = synth();
      const { admins, analysts } = built.groups.groups;
      expect(dataSourceOf(built.tf, built)).toEqual({
        aws_account_id: '111111111111',
        data_source_id: 'adp-dev-bi-athena',
        name: 'adp-dev-bi-athena',
        type: 'ATHENA',
        parameters: { athena: { work_group: ref(built.persona.workgroup, 'name') } },
        ssl_properties: { disable_ssl: false },
        permission: [
          { principal: ref(admins, 'arn'), actions: [...QUICKSIGHT_ACTIONS.dataSourceUse] },
          { principal: ref(analysts, 'arn'), actions: [...QUICKSIGHT_ACTIONS.dataSourceUse] },
        ],
      });
    });

    it('grants nothing when no group authors', () => {
      const environment = devEnvironment({ bi: { persona: 'bi', groups: { managers: { role: 'READER' } } } });
      const built = synth({}, environment);
      expect(dataSourceOf(built.tf, built).permission).toBeUndefined();
      expect(built.json).toHaveResourceWithProperties(QuicksightDataSource, { type: 'ATHENA' });
    });

    it('creates no VPC connection, security group or role', () => {
      const { tf, dataSource } = synth();
      expect(tf.resource?.aws_quicksight_vpc_connection).toBeUndefined();
      expect(tf.resource?.aws_security_group).toBeUndefined();
      expect(Object.keys(tf.resource?.aws_iam_role ?? {})).toEqual([expect.stringContaining('bi-persona')]);
      expect([dataSource.vpcConnection, dataSource.securityGroup, dataSource.vpcConnectionRole]).toEqual([undefined, undefined, undefined]);
    });

    it('exposes the data source, its ARN and id, and the persona', () => {
      const { stack, dataSource, persona } = build();
      expect(dataSource.persona).toBe(persona);
      new TerraformOutput(stack, 'arn', { value: dataSource.arn });
      new TerraformOutput(stack, 'id', { value: dataSource.dataSourceId });
      const { output } = synthesize(stack).tf;
      expect(output).toEqual({ arn: { value: ref(dataSource.dataSource, 'arn') }, id: { value: ref(dataSource.dataSource, 'data_source_id') } });
    });
  });

  describe('through a VPC connection', () => {
    it('connects in every subnet, in zone order, with its own security group and role, after the role may act', () => {
      const built = synth({ network });
      const { dataSource, tf } = built;
      const role = dataSource.vpcConnectionRole!;
      const policy = Object.entries(tf.resource?.aws_iam_role_policy ?? {}).find(([, p]) => p.role === ref(role.role, 'name'))![0];
      expect(synthesizedResource(tf, 'aws_quicksight_vpc_connection', dataSource.vpcConnection!.friendlyUniqueId)).toEqual({
        aws_account_id: '111111111111',
        vpc_connection_id: 'adp-dev-bi-athena',
        name: 'adp-dev-bi-athena',
        role_arn: ref(role.role, 'arn'),
        subnet_ids: ['subnet-0a1b2c3d4e5f60001', 'subnet-0a1b2c3d4e5f61001'],
        security_group_ids: [ref(dataSource.securityGroup!, 'id')],
        depends_on: [`aws_iam_role_policy.${policy}`],
      });
      expect(dataSourceOf(tf, built).vpc_connection_properties).toEqual({ vpc_connection_arn: ref(dataSource.vpcConnection!, 'arn') });
    });

    it('gives the security group no inline rules, no ingress and egress to HTTPS in the VPC only', () => {
      const { dataSource, tf } = synth({ network });
      expect(synthesizedResource(tf, 'aws_security_group', dataSource.securityGroup!.friendlyUniqueId)).toEqual({
        name: 'adp-dev-bi-athena-vpc-connection',
        description: 'QuickSight VPC connection to Athena: HTTPS to the VPC endpoints only',
        vpc_id: 'vpc-0a1b2c3d4e5f60001',
      });
      expect(tf.resource?.aws_vpc_security_group_ingress_rule).toBeUndefined();
      expect(values(tf, 'aws_vpc_security_group_egress_rule')).toEqual([
        {
          security_group_id: ref(dataSource.securityGroup!, 'id'),
          description: 'Athena (and the AWS APIs QuickSight calls) through interface VPC endpoints',
          ip_protocol: 'tcp',
          from_port: 443,
          to_port: 443,
          cidr_ipv4: '10.10.0.0/16',
        },
      ]);
    });

    it('uses the DNS resolvers given, and may reach them on port 53 (UDP and TCP) only', () => {
      const { dataSource, tf } = synth({ network, dnsResolvers: ['10.10.0.10', '10.10.1.10'] });
      expect(synthesizedResource(tf, 'aws_quicksight_vpc_connection', dataSource.vpcConnection!.friendlyUniqueId).dns_resolvers).toEqual(['10.10.0.10', '10.10.1.10']);
      const dns = values(tf, 'aws_vpc_security_group_egress_rule').filter((r) => r.from_port === 53);
      expect(dns).toHaveLength(4);
      expect(dns).toEqual(expect.arrayContaining(
        ['10.10.0.10', '10.10.1.10'].flatMap((ip) =>
          ['udp', 'tcp'].map((protocol) => ({
            security_group_id: ref(dataSource.securityGroup!, 'id'),
            description: `DNS through the Route 53 Resolver inbound endpoint ${ip}`,
            ip_protocol: protocol,
            from_port: 53,
            to_port: 53,
            cidr_ipv4: `${ip}/32`,
          })),
        ),
      ));
    });

    it('has a role QuickSight assumes for this account only', () => {
      const { dataSource, tf } = synth({ network });
      const role = dataSource.vpcConnectionRole!;
      expect(synthesizedResource(tf, 'aws_iam_role', role.role.friendlyUniqueId).name).toBe('adp-dev-bi-athena-vpc-connection');
      expect(trustOf(tf, role)).toEqual([
        {
          effect: 'Allow',
          principals: [{ type: 'Service', identifiers: ['quicksight.amazonaws.com'] }],
          actions: ['sts:AssumeRole'],
          condition: [{ test: 'StringEquals', variable: 'aws:SourceAccount', values: ['111111111111'] }],
        },
      ]);
    });

    it("lets the role manage interfaces in the network's subnets and security group only, describing the rest", () => {
      const { dataSource, tf } = synth({ network });
      const group = `${EC2}:security-group/${ref(dataSource.securityGroup!, 'id')}`;
      expect(rolePolicies(tf, { role: dataSource.vpcConnectionRole! })).toEqual({
        'network-interfaces': [
          {
            sid: 'CreateConnectionInterfaces',
            effect: 'Allow',
            actions: ['ec2:CreateNetworkInterface'],
            resources: [`${EC2}:network-interface/*`, `${EC2}:subnet/subnet-0a1b2c3d4e5f60001`, `${EC2}:subnet/subnet-0a1b2c3d4e5f61001`, group],
          },
          { sid: 'ModifyConnectionInterfaces', effect: 'Allow', actions: ['ec2:ModifyNetworkInterfaceAttribute'], resources: [`${EC2}:network-interface/*`, group] },
          { sid: 'DeleteConnectionInterfaces', effect: 'Allow', actions: ['ec2:DeleteNetworkInterface'], resources: [`${EC2}:network-interface/*`] },
          { sid: 'DescribeNetwork', effect: 'Allow', actions: ['ec2:DescribeSubnets', 'ec2:DescribeSecurityGroups'], resources: ['*'] },
        ],
      });
    });
  });

  describe('validation', () => {
    it('rejects DNS resolvers without a network', () => {
      expect(problemsOf(() => build({ dnsResolvers: ['10.10.0.10'] }))).toEqual([
        'AthenaDataSource dev-bi/athena: dnsResolvers are set without network; DNS resolvers are used only by a VPC connection (pass network, or leave dnsResolvers out)',
      ]);
    });

    it('rejects a network QuickSight cannot connect in', () => {
      const bad = { vpcId: 'vpc-123', vpcCidr: '10.10.0.1/16', subnets: { 'eu-west-1a': 'subnet-0a1b2c3d4e5f60001' } };
      expect(problemsOf(() => build({ network: bad }))).toEqual([
        'AthenaDataSource dev-bi/athena: network.subnets lists 1 subnet; a QuickSight VPC connection needs 2 to 15, in different availability zones',
        'AthenaDataSource dev-bi/athena: network.vpcId is "vpc-123"; use a VPC id such as "vpc-0a1b2c3d4e5f67890"',
        'AthenaDataSource dev-bi/athena: network.vpcCidr is "10.10.0.1/16", which has host bits set; use "10.10.0.0/16"',
      ]);
    });

    it('rejects resolvers that are not addresses in the VPC, and one given twice', () => {
      expect(problemsOf(() => build({ network, dnsResolvers: ['resolver.internal', '10.11.0.10', '10.10.0.10', '10.10.0.10', '10.10.0.300'] }))).toEqual([
        'AthenaDataSource dev-bi/athena: dnsResolvers[0] is "resolver.internal"; use the IPv4 address of a Route 53 Resolver inbound endpoint, e.g. "10.20.0.10"',
        'AthenaDataSource dev-bi/athena: dnsResolvers[1] is "10.11.0.10", outside the VPC\'s CIDR 10.10.0.0/16; use the address of an inbound endpoint in the VPC',
        'AthenaDataSource dev-bi/athena: dnsResolvers[3] is "10.10.0.10" again; list each address once',
        'AthenaDataSource dev-bi/athena: dnsResolvers[4] is "10.10.0.300"; use the IPv4 address of a Route 53 Resolver inbound endpoint, e.g. "10.20.0.10"',
      ]);
    });

    it('rejects more than 15 resolvers', () => {
      const many = Array.from({ length: 16 }, (_, i) => `10.10.0.${i + 1}`);
      expect(problemsOf(() => build({ network, dnsResolvers: many }))).toEqual([
        'AthenaDataSource dev-bi/athena: dnsResolvers lists 16 addresses; QuickSight accepts at most 15',
      ]);
    });
  });

  describe('policy pack', () => {
    it('passes every rule with the persona in dev-governance and the data source in dev-bi, reaching the workgroup across stacks', () => {
      const environment = devEnvironment({ network: NETWORK });
      const app = testApp();
      const aspects = [new PolicyPack()];
      const { stack: lakeStack, lake } = stackWithLake(environment, { app, aspects, id: 'dev-lake' });
      const governance = new PlatformStack(app, 'dev-governance', { env: environment, aspects });
      const persona = biPersona(governance, lake);
      const stack = new PlatformStack(app, 'dev-bi', { env: environment, aspects });
      const groups = new QuicksightGroups(stack, 'groups', { groups: biOf(environment).groups });
      const dataSource = new AthenaDataSource(stack, 'athena', { persona, groups, network, dnsResolvers: ['10.10.0.10'] });
      expect(() => synthesize(lakeStack)).not.toThrow();
      expect(() => synthesize(governance)).not.toThrow();
      const { tf } = synthesize(stack);
      expect(dataSourceOf(tf, { dataSource }).parameters).toEqual({
        athena: { work_group: ref('data.terraform_remote_state.cross-stack-reference-input-dev-governance.outputs.cross-stack-output-aws_athena_workgroupbi-workgroup_D58BF9A6name') },
      });
    });

    it('passes every rule in a single offline stack, through a VPC connection', () => {
      const environment = devEnvironment({ ...OFFLINE, network: NETWORK });
      const { stack, lake } = stackWithLake(environment, { aspects: [new PolicyPack()] });
      const persona = biPersona(stack, lake);
      const groups = new QuicksightGroups(stack, 'groups', { groups: biOf(environment).groups });
      new AthenaDataSource(stack, 'athena', { persona, groups, network });
      const { tf } = synthesize(stack);
      expect(values(tf, 'aws_quicksight_vpc_connection').map((c) => c.name)).toEqual(['adp-local-bi-athena']);
    });
  });
});
