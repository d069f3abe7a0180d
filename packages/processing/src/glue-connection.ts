import { Token } from 'cdktf';
import { Construct } from 'constructs';
import { DataAwsIamPolicyDocumentStatement } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { GlueConnection as GlueConnectionResource } from '@cdktf/provider-aws/lib/glue-connection';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { VpcSecurityGroupEgressRule } from '@cdktf/provider-aws/lib/vpc-security-group-egress-rule';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import {
  ConnectionConfig,
  DATASET_NAME_FIX,
  DATASET_NAME_RE,
  EnvironmentConfig,
  NAME_LIMITS,
  PlatformStack,
  ServiceRole,
  Validator,
  cidrProblem,
  describeValue,
} from '@data-platform/core';
import { DataLake } from '@data-platform/lake';

/** The network a {@link GlueConnection} runs in: the environment's `network` section. */
export type ConnectionNetwork = NonNullable<EnvironmentConfig['network']>;

/** JDBC engines a connection URL may name, with the port each driver uses when the URL has none. */
export const JDBC_DEFAULT_PORTS = {
  postgresql: 5432,
  mysql: 3306,
  redshift: 5439,
  sqlserver: 1433,
  'oracle:thin': 1521,
} as const;

/** An engine of {@link JDBC_DEFAULT_PORTS}. */
export type JdbcEngine = keyof typeof JDBC_DEFAULT_PORTS;

/**
 * Fixed settings of every {@link GlueConnection}: not configurable, asserted by tests so these
 * docs and the code cannot drift.
 */
export const GLUE_CONNECTION_SETTINGS = {
  /**
   * `JDBC_ENFORCE_SSL`: JDBC connections use TLS and check the server's host name; a database
   * without TLS fails the connection instead of sending rows and credentials in clear text.
   */
  enforceSsl: 'true',
  /** Port Glue workers reach the AWS APIs on through interface VPC endpoints (HTTPS). */
  awsApiPort: 443,
  /** The port range of the self-referencing rules Glue needs between its own workers (all TCP). */
  workerPorts: { from: 0, to: 65535 },
} as const;

/** Props of {@link GlueConnection}. */
export interface GlueConnectionProps {
  /** The lake of the environment (the layer's constructs all take it; the connection holds no data). */
  readonly lake: DataLake;
  /** Connection name (the key under `processing.connections`): part of resource names. */
  readonly name: string;
  /** The connection's `processing.connections.<name>` section, validated by the config loader. */
  readonly config: ConnectionConfig;
  /** The environment's network: Glue places the workers of jobs using the connection in it. */
  readonly network: ConnectionNetwork;
  /**
   * The region's S3 prefix list (`com.amazonaws.<region>.s3`, `pl-...`), for a network that
   * reaches S3 through a gateway endpoint: the security group then also allows HTTPS to it.
   * Glue checks that the subnet reaches S3 (a gateway endpoint or a NAT gateway) before a run.
   * Offline plans cannot look the prefix list up, so it is passed in.
   * @default none: S3 is reached through an interface endpoint in the VPC, like the other AWS APIs
   * @see https://docs.aws.amazon.com/glue/latest/dg/vpc-endpoints-s3.html
   */
  readonly s3PrefixListId?: string;
}

/** What {@link parseJdbcUrl} reads from a JDBC URL. */
export interface JdbcUrlParts {
  readonly engine: JdbcEngine;
  readonly host: string;
  /** The URL's port, or the engine's default ({@link JDBC_DEFAULT_PORTS}) when it has none. */
  readonly port: number;
}

const ENGINE_RE = /^jdbc:(postgresql|mysql|redshift|sqlserver|oracle:thin):(.*)$/;
const SECRET_ARN_RE = /^arn:aws(-cn|-us-gov)?:secretsmanager:[a-z0-9-]+:\d{12}:secret:[A-Za-z0-9/_+=.@-]+$/;
const URL_FIX = 'use a JDBC URL such as "jdbc:postgresql://host:5432/db"';

/**
 * Reads the engine, host and port of a JDBC URL of the forms Glue accepts:
 * `jdbc:<engine>://<host>[:<port>][/<db>]`, SQL Server's `jdbc:sqlserver://<host>[:<port>];databaseName=<db>`
 * and Oracle's `jdbc:oracle:thin://@<host>[:<port>]/<service>`.
 *
 * @returns the parts, or a message saying what is wrong with the URL
 * @see https://docs.aws.amazon.com/glue/latest/dg/connection-properties.html#connection-properties-jdbc
 */
export function parseJdbcUrl(url: string): JdbcUrlParts | { readonly problem: string } {
  const shown = JSON.stringify(url);
  const m = ENGINE_RE.exec(url);
  if (!m) return { problem: `is ${shown}; ${URL_FIX}` };
  const engine = m[1] as JdbcEngine;
  const rest = m[2];
  if (!rest.startsWith('//')) return { problem: `is ${shown}; write "//" after "jdbc:${engine}:", e.g. "jdbc:${engine}://host:${JDBC_DEFAULT_PORTS[engine]}/db"` };
  // Oracle's thin driver writes "@" before the host; any other "@" carries a user (and password).
  const authority = rest.slice(2).replace(engine === 'oracle:thin' ? /^@/ : /^$/, '').split(/[/;?]/)[0];
  if (/@/.test(authority)) {
    return { problem: `is ${shown}, which carries user credentials; remove them: the connection reads them from the secret (secretArn)` };
  }
  const hostPort = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+)(?::(\d+))?$/.exec(authority);
  if (!hostPort) return { problem: `is ${shown}, whose host "${authority}" is not a host name or address; ${URL_FIX}` };
  const port = hostPort[2] === undefined ? JDBC_DEFAULT_PORTS[engine] : Number(hostPort[2]);
  if (port < 1 || port > 65535) return { problem: `is ${shown}, whose port ${hostPort[2]} is outside 1-65535; use the database's port` };
  return { engine, host: hostPort[1], port };
}

/**
 * A Glue connection: how jobs reach a database over JDBC (`type: jdbc`), or the environment's
 * VPC itself (`type: network`, for jobs that call private endpoints).
 *
 * - `JDBC`: the URL from config and `SECRET_ID` set to the Secrets Manager secret holding
 *   `username` and `password`; no password is ever in `connection_properties` (Terraform would
 *   keep it in plain text in state). TLS with host name checking is enforced
 *   (`JDBC_ENFORCE_SSL`, {@link GLUE_CONNECTION_SETTINGS}). A URL with credentials in it is
 *   rejected, for the same reason.
 * - Glue starts the workers of a job using the connection in one subnet: the first of the
 *   network's subnets by availability zone name (so adding a subnet in a later zone changes
 *   nothing), with that zone and the connection's security group.
 * - The security group, in the network's VPC, allows all TCP from itself (AWS Glue requires a
 *   self-referencing inbound rule: its workers talk to each other through it), all TCP to itself,
 *   HTTPS to the VPC's CIDR (the interface VPC endpoints of S3, Glue, Secrets Manager, KMS and
 *   CloudWatch Logs the workers call), HTTPS to the S3 prefix list when S3 is reached through a
 *   gateway endpoint ({@link GlueConnectionProps.s3PrefixListId}) and, for JDBC, the database
 *   port to the VPC's CIDR (the config gives no narrower range). Nothing else: the network must
 *   provide the VPC endpoints, since workers in the VPC have no other way to the AWS APIs.
 * - Jobs using the connection need {@link GlueConnection.grantUse} on their role.
 *
 * No resource here is stateful, so none has a pinned address.
 *
 * @see https://docs.aws.amazon.com/glue/latest/dg/setup-vpc-for-glue-access.html
 * @see https://docs.aws.amazon.com/glue/latest/dg/connection-properties.html
 */
export class GlueConnection extends Construct {
  /** The Glue connection. */
  readonly connection: GlueConnectionResource;
  /** The connection's name, for a job's `connections`. */
  readonly name: string;
  /** The connection's ARN. */
  readonly arn: string;
  /** The security group of the workers Glue starts for jobs using the connection. */
  readonly securityGroup: SecurityGroup;
  /** The subnet (first by availability zone name) Glue starts the workers in. */
  readonly subnetId: string;
  /** The availability zone of {@link GlueConnection.subnetId}. */
  readonly availabilityZone: string;

  private readonly props: GlueConnectionProps;

  constructor(scope: Construct, id: string, props: GlueConnectionProps) {
    super(scope, id);
    const v = new Validator(`GlueConnection ${this.node.path}`);
    const jdbc = checkGlueConnectionProps(v, props);
    v.throwIfAny();

    this.props = props;
    const { name, config, network } = props;
    const stack = PlatformStack.of(this);
    const [availabilityZone, subnetId] = Object.entries(network.subnets).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))[0];
    this.availabilityZone = availabilityZone;
    this.subnetId = subnetId;

    this.securityGroup = new SecurityGroup(this, 'security-group', {
      name: stack.resourceName('processing', `${name}-connection`, { maxLength: NAME_LIMITS.securityGroup }),
      description: `Glue workers of jobs using the ${name} connection: each other, the VPC endpoints${jdbc ? ' and the database' : ''}`,
      vpcId: network.vpcId,
    });
    const group = this.securityGroup.id;
    const { workerPorts, awsApiPort } = GLUE_CONNECTION_SETTINGS;
    // AWS Glue requires a rule admitting all TCP from the group itself: its workers form a Spark
    // cluster whose nodes connect to each other on ports it picks.
    new VpcSecurityGroupIngressRule(this, 'ingress-self', {
      securityGroupId: group,
      description: 'Glue workers of the same job (self-referencing rule AWS Glue requires)',
      ipProtocol: 'tcp',
      fromPort: workerPorts.from,
      toPort: workerPorts.to,
      referencedSecurityGroupId: group,
    });
    new VpcSecurityGroupEgressRule(this, 'egress-self', {
      securityGroupId: group,
      description: 'Glue workers of the same job',
      ipProtocol: 'tcp',
      fromPort: workerPorts.from,
      toPort: workerPorts.to,
      referencedSecurityGroupId: group,
    });
    new VpcSecurityGroupEgressRule(this, 'egress-aws-apis', {
      securityGroupId: group,
      description: 'AWS APIs (S3, Glue, Secrets Manager, KMS, CloudWatch Logs) through interface VPC endpoints',
      ipProtocol: 'tcp',
      fromPort: awsApiPort,
      toPort: awsApiPort,
      cidrIpv4: network.vpcCidr,
    });
    if (props.s3PrefixListId !== undefined) {
      new VpcSecurityGroupEgressRule(this, 'egress-s3', {
        securityGroupId: group,
        description: 'S3 through the gateway endpoint (the region\'s S3 prefix list)',
        ipProtocol: 'tcp',
        fromPort: awsApiPort,
        toPort: awsApiPort,
        prefixListId: props.s3PrefixListId,
      });
    }
    if (jdbc) {
      new VpcSecurityGroupEgressRule(this, 'egress-database', {
        securityGroupId: group,
        description: `Database of the ${name} connection (${jdbc.engine} on port ${jdbc.port})`,
        ipProtocol: 'tcp',
        fromPort: jdbc.port,
        toPort: jdbc.port,
        cidrIpv4: network.vpcCidr,
      });
    }

    this.connection = new GlueConnectionResource(this, 'connection', {
      // Glue's limit on connection names is that of catalog names (255).
      name: stack.resourceName('processing', name, { maxLength: NAME_LIMITS.glueDatabase }),
      description: config.type === 'jdbc' ? `JDBC connection ${name} (credentials from Secrets Manager)` : `Network connection ${name} (the environment's VPC)`,
      connectionType: config.type === 'jdbc' ? 'JDBC' : 'NETWORK',
      connectionProperties:
        config.type === 'jdbc'
          ? { JDBC_CONNECTION_URL: config.url, SECRET_ID: config.secretArn, JDBC_ENFORCE_SSL: GLUE_CONNECTION_SETTINGS.enforceSsl }
          : undefined,
      physicalConnectionRequirements: {
        availabilityZone,
        subnetId,
        securityGroupIdList: [group],
      },
    });
    this.name = this.connection.name;
    this.arn = this.connection.arn;
  }

  /**
   * Lets `role` (a Glue job's role) use this connection: read the connection, create and delete
   * the network interfaces of its workers in the connection's subnet and security group (and
   * tag them, as Glue does), describe the network, and, for JDBC, read the credentials secret.
   *
   * A secret encrypted with a customer-managed key also needs that key's policy to let the role
   * decrypt through Secrets Manager; a secret under the AWS managed key needs nothing more.
   * Granting the same role twice returns the first policy.
   *
   * @returns the role's inline policy
   * @see https://docs.aws.amazon.com/glue/latest/dg/create-service-policy.html
   */
  grantUse(role: ServiceRole): IamRolePolicy {
    const purpose = `use-${this.props.name}-connection`;
    const existing = role.node.tryFindChild(`${purpose}-policy`);
    if (existing instanceof IamRolePolicy) return existing;
    return role.allow(purpose, this.useStatements());
  }

  private useStatements(): DataAwsIamPolicyDocumentStatement[] {
    const stack = PlatformStack.of(this);
    const { region, account } = stack.env;
    const ec2 = (resource: string) => `arn:${stack.partition}:ec2:${region}:${account}:${resource}`;
    const networkInterfaces = ec2('network-interface/*');
    const statements: DataAwsIamPolicyDocumentStatement[] = [
      {
        sid: 'ReadConnection',
        effect: 'Allow',
        actions: ['glue:GetConnection'],
        resources: [`arn:${stack.partition}:glue:${region}:${account}:catalog`, this.arn],
      },
      {
        // The ids of the interfaces Glue creates are not known in advance; the subnet and
        // security group they may be created in are.
        sid: 'CreateWorkerInterfaces',
        effect: 'Allow',
        actions: ['ec2:CreateNetworkInterface'],
        resources: [networkInterfaces, ec2(`subnet/${this.subnetId}`), ec2(`security-group/${this.securityGroup.id}`)],
      },
      {
        sid: 'DeleteWorkerInterfaces',
        effect: 'Allow',
        actions: ['ec2:DeleteNetworkInterface'],
        resources: [networkInterfaces],
      },
      {
        // Glue tags the interfaces it creates with this one key, and only that key is allowed.
        sid: 'TagWorkerInterfaces',
        effect: 'Allow',
        actions: ['ec2:CreateTags', 'ec2:DeleteTags'],
        resources: [networkInterfaces],
        condition: [{ test: 'ForAllValues:StringEquals', variable: 'aws:TagKeys', values: ['aws-glue-service-resource'] }],
      },
      {
        // AWS defines these Describe actions only on "*" (no resource-level permissions); Glue
        // calls them to check the subnet, its routes to the VPC endpoints and the security group.
        sid: 'DescribeNetwork',
        effect: 'Allow',
        actions: [
          'ec2:DescribeNetworkInterfaces',
          'ec2:DescribeRouteTables',
          'ec2:DescribeSecurityGroups',
          'ec2:DescribeSubnets',
          'ec2:DescribeVpcAttribute',
          'ec2:DescribeVpcEndpoints',
        ],
        resources: ['*'],
      },
    ];
    if (this.props.config.type === 'jdbc') {
      statements.push({
        sid: 'ReadCredentials',
        effect: 'Allow',
        actions: ['secretsmanager:GetSecretValue'],
        resources: [this.props.config.secretArn],
      });
    }
    return statements;
  }
}

/**
 * Checks the props of a {@link GlueConnection} into `v` (values that are still tokens are
 * skipped) and returns the parsed JDBC URL of a JDBC connection with a valid one.
 */
export function checkGlueConnectionProps(v: Validator, props: GlueConnectionProps): JdbcUrlParts | undefined {
  const { name, config, network } = props;
  if (!Token.isUnresolved(name)) {
    v.check(DATASET_NAME_RE.test(name), 'name', `is ${describeValue(name)}; ${DATASET_NAME_FIX}`);
  }
  const subnets = Object.entries(network.subnets ?? {});
  v.check(subnets.length > 0, 'network.subnets', 'is empty; list at least one private subnet by availability zone (Glue starts workers in one)');
  if (!Token.isUnresolved(network.vpcCidr)) {
    const problem = cidrProblem(network.vpcCidr);
    if (problem) {
      const shown = describeValue(network.vpcCidr);
      v.add('network.vpcCidr', problem.startsWith('use ') ? `is ${shown}; ${problem}` : `is ${shown}, which ${problem}`);
    }
  }
  if (!Token.isUnresolved(network.vpcId)) {
    v.check(/^vpc-[0-9a-f]{8,17}$/.test(network.vpcId), 'network.vpcId', `is ${describeValue(network.vpcId)}; use a VPC id such as "vpc-0a1b2c3d4e5f67890"`);
  }

  const prefixList = props.s3PrefixListId;
  if (prefixList !== undefined && !Token.isUnresolved(prefixList)) {
    v.check(/^pl-[0-9a-f]{8,17}$/.test(prefixList), 's3PrefixListId', `is ${describeValue(prefixList)}; use the id of the region's S3 prefix list, e.g. "pl-6da54004"`);
  }

  const type = (config as { type?: unknown }).type;
  if (type !== 'jdbc' && type !== 'network') {
    v.add('config.type', `is ${describeValue(type)}; use jdbc (with url and secretArn) or network`);
    return undefined;
  }
  if (config.type === 'network') return undefined;

  let parts: JdbcUrlParts | undefined;
  if (typeof config.url !== 'string' || Token.isUnresolved(config.url)) {
    v.check(typeof config.url === 'string', 'config.url', `is ${describeValue(config.url)}; ${URL_FIX}`);
  } else {
    const parsed = parseJdbcUrl(config.url);
    if ('problem' in parsed) v.add('config.url', parsed.problem);
    else parts = parsed;
    v.check(
      !/[?;&]password=/i.test(config.url),
      'config.url',
      `is ${JSON.stringify(config.url)}, which carries a password; remove it: the connection reads credentials from the secret (secretArn)`,
    );
  }
  if (typeof config.secretArn !== 'string' || !Token.isUnresolved(config.secretArn)) {
    v.check(
      typeof config.secretArn === 'string' && SECRET_ARN_RE.test(config.secretArn),
      'config.secretArn',
      `is ${describeValue(config.secretArn)}; use the ARN of a Secrets Manager secret with username and password`,
    );
  }
  return parts;
}
