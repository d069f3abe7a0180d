import { Token } from 'cdktf';
import { Construct } from 'constructs';
import { QuicksightDataSource } from '@cdktf/provider-aws/lib/quicksight-data-source';
import { QuicksightVpcConnection } from '@cdktf/provider-aws/lib/quicksight-vpc-connection';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { VpcSecurityGroupEgressRule } from '@cdktf/provider-aws/lib/vpc-security-group-egress-rule';
import {
  EnvironmentConfig,
  NAME_LIMITS,
  PlatformStack,
  ServiceRole,
  Validator,
  cidrProblem,
  describeValue,
} from '@data-platform/core';
import { PersonaAccess } from '@data-platform/governance';
import { QuicksightGroups } from './groups';
import { QUICKSIGHT_ACTIONS, QUICKSIGHT_NAME_LIMIT, grants } from './quicksight';

/** The network a QuickSight VPC connection runs in: the environment's `network` section. */
export type BiNetwork = NonNullable<EnvironmentConfig['network']>;

/**
 * Fixed settings of every {@link AthenaDataSource}: not configurable, asserted by tests so these
 * docs and the code cannot drift.
 */
export const ATHENA_DATA_SOURCE_SETTINGS = {
  /** Name part of the data source and its VPC connection: `<project>-<env>-bi-athena`. */
  name: 'athena',
  /** QuickSight talks to Athena over TLS only (`ssl_properties.disable_ssl`). */
  disableSsl: false,
  /** Port of Athena's (and the other AWS APIs') interface VPC endpoints: HTTPS. */
  httpsPort: 443,
  /** Port of the DNS resolvers a VPC connection may use. */
  dnsPort: 53,
  /** QuickSight requires 2 to 15 subnets for a VPC connection. */
  subnets: { min: 2, max: 15 },
  /** QuickSight accepts at most 15 DNS resolvers per VPC connection. */
  maxDnsResolvers: 15,
} as const;

/** Props of {@link AthenaDataSource}. */
export interface AthenaDataSourceProps {
  /**
   * The governance persona QuickSight queries as (`bi.persona`): its Athena workgroup runs every
   * query, and its role, trusted by quicksight.amazonaws.com, is what Lake Formation grants to.
   */
  readonly persona: PersonaAccess;
  /**
   * The layer's groups: those whose role authors ({@link QuicksightGroups.authorArns}) may use the
   * data source to create datasets; nobody else gets any permission on it.
   */
  readonly groups: QuicksightGroups;
  /**
   * The environment's network, when QuickSight must reach Athena privately (`bi.vpcConnection`):
   * a QuickSight VPC connection in every subnet, through Athena's interface VPC endpoint.
   * @default none: QuickSight calls Athena's public regional endpoint (TLS)
   */
  readonly network?: BiNetwork;
  /**
   * IPv4 addresses of Route 53 Resolver inbound endpoints in the VPC, for a VPC connection
   * (`network`) whose VPC endpoints use private DNS: QuickSight then resolves
   * `athena.<region>.amazonaws.com` to the endpoint's private addresses; the security group
   * allows DNS (TCP and UDP 53) to these addresses only.
   * @default none: QuickSight resolves names with public DNS (the VPC's private DNS names are not seen)
   * @see https://docs.aws.amazon.com/quicksight/latest/user/vpc-creating-a-connection-in-quicksight-console.html
   */
  readonly dnsResolvers?: readonly string[];
}

/**
 * The QuickSight data source over Athena that every dataset of the bi layer reads through.
 *
 * - Type ATHENA, bound to the persona's workgroup (`parameters.athena.work_group`): the
 *   workgroup's enforced settings (results location and encryption with the lake key, scan
 *   cutoff) apply to every query QuickSight runs. TLS is required (`ssl_properties.disable_ssl`
 *   false, {@link ATHENA_DATA_SOURCE_SETTINGS}).
 * - Permissions: the authors' groups ({@link QuicksightGroups.authorArns}) may describe the data
 *   source and pass it to new datasets ({@link QUICKSIGHT_ACTIONS}.dataSourceUse); nobody may
 *   update, delete or re-share it, and no one else sees it.
 * - With `network`: a QuickSight VPC connection `<project>-<env>-bi-athena` in every subnet of
 *   the network, with its own security group allowing HTTPS to the VPC's CIDR only (Athena's
 *   interface endpoint; VPC connections created since 27 April 2023 have stateful security
 *   groups, so no inbound rule is needed) and DNS to `dnsResolvers`, and a role QuickSight
 *   assumes (for this account only) to manage the connection's network interfaces in those
 *   subnets and that group. The VPC needs an Athena interface endpoint.
 *
 * One-time console step per account: AWS provider 5.100 gives an Athena data source no role,
 * so QuickSight queries Athena as the account's QuickSight service role. Set it to the persona's
 * role: QuickSight console, Manage QuickSight, Security & permissions, "QuickSight access to AWS
 * services", Manage, "Use an existing role", and pick the role {@link AthenaDataSource.persona}
 * names. Until then QuickSight queries as `aws-quicksight-service-role-v0`, which Lake Formation
 * grants nothing, so every dataset fails to load.
 *
 * No resource here is stateful, so none has a pinned address.
 *
 * @see https://docs.aws.amazon.com/quicksight/latest/user/security-create-iam-role-athena-s3.html
 * @see https://docs.aws.amazon.com/quicksight/latest/user/vpc-security-groups.html
 * @see https://docs.aws.amazon.com/quicksight/latest/user/vpc-inbound-rules.html
 * @see https://docs.aws.amazon.com/quicksight/latest/user/vpc-creating-a-connection-in-quicksight-cli.html
 */
export class AthenaDataSource extends Construct {
  /** The QuickSight data source. */
  readonly dataSource: QuicksightDataSource;
  /** ARN of the data source, for datasets' physical tables. */
  readonly arn: string;
  /** The data source's id, `<project>-<env>-bi-athena`. */
  readonly dataSourceId: string;
  /** The persona QuickSight queries as: its role is the one to select in the console (see above). */
  readonly persona: PersonaAccess;
  /** The VPC connection, with `network`. */
  readonly vpcConnection?: QuicksightVpcConnection;
  /** The security group of the VPC connection's network interfaces, with `network`. */
  readonly securityGroup?: SecurityGroup;
  /** The role QuickSight assumes to manage the VPC connection's network interfaces, with `network`. */
  readonly vpcConnectionRole?: ServiceRole;

  constructor(scope: Construct, id: string, props: AthenaDataSourceProps) {
    super(scope, id);
    const v = new Validator(`AthenaDataSource ${this.node.path}`);
    checkAthenaDataSourceProps(v, props);
    v.throwIfAny();

    const stack = PlatformStack.of(this);
    const account = stack.env.account;
    const { persona, network } = props;
    this.persona = persona;
    const name = stack.resourceName('bi', ATHENA_DATA_SOURCE_SETTINGS.name, { maxLength: QUICKSIGHT_NAME_LIMIT });

    if (network) {
      const subnetIds = Object.entries(network.subnets)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([, subnet]) => subnet);
      const securityGroup = new SecurityGroup(this, 'security-group', {
        name: stack.resourceName('bi', `${ATHENA_DATA_SOURCE_SETTINGS.name}-vpc-connection`, { maxLength: NAME_LIMITS.securityGroup }),
        description: 'QuickSight VPC connection to Athena: HTTPS to the VPC endpoints only',
        vpcId: network.vpcId,
      });
      const { httpsPort, dnsPort } = ATHENA_DATA_SOURCE_SETTINGS;
      new VpcSecurityGroupEgressRule(this, 'egress-https', {
        securityGroupId: securityGroup.id,
        description: 'Athena (and the AWS APIs QuickSight calls) through interface VPC endpoints',
        ipProtocol: 'tcp',
        fromPort: httpsPort,
        toPort: httpsPort,
        cidrIpv4: network.vpcCidr,
      });
      for (const [i, resolver] of (props.dnsResolvers ?? []).entries()) {
        for (const protocol of ['udp', 'tcp'] as const) {
          new VpcSecurityGroupEgressRule(this, `egress-dns-${protocol}-${i}`, {
            securityGroupId: securityGroup.id,
            description: `DNS through the Route 53 Resolver inbound endpoint ${resolver}`,
            ipProtocol: protocol,
            fromPort: dnsPort,
            toPort: dnsPort,
            cidrIpv4: `${resolver}/32`,
          });
        }
      }

      const role = new ServiceRole(this, 'vpc-connection-role', {
        layer: 'bi',
        service: 'quicksight.amazonaws.com',
        name: `${ATHENA_DATA_SOURCE_SETTINGS.name}-vpc-connection`,
        description: 'QuickSight manages the network interfaces of its VPC connection to Athena',
      });
      const ec2 = (resource: string) => `arn:${stack.partition}:ec2:${stack.env.region}:${account}:${resource}`;
      const interfaces = ec2('network-interface/*');
      const group = ec2(`security-group/${securityGroup.id}`);
      const permissions = role.allow('network-interfaces', [
        {
          // The ids of the interfaces QuickSight creates are not known in advance; the subnets
          // and the security group they may be created in are.
          sid: 'CreateConnectionInterfaces',
          effect: 'Allow',
          actions: ['ec2:CreateNetworkInterface'],
          resources: [interfaces, ...subnetIds.map((subnet) => ec2(`subnet/${subnet}`)), group],
        },
        {
          sid: 'ModifyConnectionInterfaces',
          effect: 'Allow',
          actions: ['ec2:ModifyNetworkInterfaceAttribute'],
          resources: [interfaces, group],
        },
        {
          sid: 'DeleteConnectionInterfaces',
          effect: 'Allow',
          actions: ['ec2:DeleteNetworkInterface'],
          resources: [interfaces],
        },
        {
          // AWS defines these Describe actions only on "*" (no resource-level permissions);
          // QuickSight calls them to check the subnets and the security group.
          sid: 'DescribeNetwork',
          effect: 'Allow',
          actions: ['ec2:DescribeSubnets', 'ec2:DescribeSecurityGroups'],
          resources: ['*'],
        },
      ]);

      this.vpcConnection = new QuicksightVpcConnection(this, 'vpc-connection', {
        awsAccountId: account,
        vpcConnectionId: name,
        name,
        roleArn: role.arn,
        subnetIds,
        securityGroupIds: [securityGroup.id],
        dnsResolvers: props.dnsResolvers && props.dnsResolvers.length > 0 ? [...props.dnsResolvers] : undefined,
        // QuickSight checks the role's permissions when it creates the connection.
        dependsOn: [permissions],
      });
      this.securityGroup = securityGroup;
      this.vpcConnectionRole = role;
    }

    this.dataSource = new QuicksightDataSource(this, 'data-source', {
      awsAccountId: account,
      dataSourceId: name,
      name,
      type: 'ATHENA',
      parameters: { athena: { workGroup: persona.workgroup.name } },
      sslProperties: { disableSsl: ATHENA_DATA_SOURCE_SETTINGS.disableSsl },
      vpcConnectionProperties: this.vpcConnection ? { vpcConnectionArn: this.vpcConnection.arn } : undefined,
      permission: grants(props.groups.authorArns, QUICKSIGHT_ACTIONS.dataSourceUse),
    });
    this.arn = this.dataSource.arn;
    this.dataSourceId = this.dataSource.dataSourceId;
  }
}

const IPV4_RE = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

/** The 32-bit number of an IPv4 address, or undefined when `ip` is not one. */
function ipv4(ip: string): number | undefined {
  const m = IPV4_RE.exec(ip);
  if (!m) return undefined;
  const octets = m.slice(1, 5).map(Number);
  if (octets.some((o) => o > 255)) return undefined;
  return octets.reduce((acc, o) => acc * 256 + o, 0);
}

/** Records problems with the props of an {@link AthenaDataSource} on `v`; values that are still tokens are skipped. */
function checkAthenaDataSourceProps(v: Validator, props: AthenaDataSourceProps): void {
  const { network } = props;
  const resolvers = props.dnsResolvers ?? [];
  if (!network) {
    v.check(resolvers.length === 0, 'dnsResolvers', 'are set without network; DNS resolvers are used only by a VPC connection (pass network, or leave dnsResolvers out)');
    return;
  }
  const { min, max } = ATHENA_DATA_SOURCE_SETTINGS.subnets;
  const subnets = Object.keys(network.subnets ?? {}).length;
  v.check(subnets >= min && subnets <= max, 'network.subnets', `lists ${subnets} subnet${subnets === 1 ? '' : 's'}; a QuickSight VPC connection needs ${min} to ${max}, in different availability zones`);
  if (!Token.isUnresolved(network.vpcId)) {
    v.check(/^vpc-[0-9a-f]{8,17}$/.test(network.vpcId), 'network.vpcId', `is ${describeValue(network.vpcId)}; use a VPC id such as "vpc-0a1b2c3d4e5f67890"`);
  }
  let cidr: { base: number; size: number } | undefined;
  if (!Token.isUnresolved(network.vpcCidr)) {
    const problem = cidrProblem(network.vpcCidr);
    if (problem) {
      const shown = describeValue(network.vpcCidr);
      v.add('network.vpcCidr', problem.startsWith('use ') ? `is ${shown}; ${problem}` : `is ${shown}, which ${problem}`);
    } else {
      const [address, prefix] = network.vpcCidr.split('/');
      cidr = { base: ipv4(address) as number, size: 2 ** (32 - Number(prefix)) };
    }
  }
  const { maxDnsResolvers } = ATHENA_DATA_SOURCE_SETTINGS;
  v.check(resolvers.length <= maxDnsResolvers, 'dnsResolvers', `lists ${resolvers.length} addresses; QuickSight accepts at most ${maxDnsResolvers}`);
  resolvers.forEach((resolver, i) => {
    if (Token.isUnresolved(resolver)) return;
    const ip = ipv4(resolver);
    if (ip === undefined) {
      v.add(`dnsResolvers[${i}]`, `is ${describeValue(resolver)}; use the IPv4 address of a Route 53 Resolver inbound endpoint, e.g. "10.20.0.10"`);
    } else if (cidr && (ip < cidr.base || ip >= cidr.base + cidr.size)) {
      v.add(`dnsResolvers[${i}]`, `is ${describeValue(resolver)}, outside the VPC's CIDR ${network.vpcCidr}; use the address of an inbound endpoint in the VPC`);
    } else if (resolvers.indexOf(resolver) !== i) {
      v.add(`dnsResolvers[${i}]`, `is ${describeValue(resolver)} again; list each address once`);
    }
  });
}
