import { TerraformOutput, TerraformVariable } from 'cdktf';
import { GlueConnection as GlueConnectionResource } from '@cdktf/provider-aws/lib/glue-connection';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import {
  ConnectionConfig,
  documentStatements,
  EnvironmentConfig,
  EnvironmentInput,
  only,
  PlatformError,
  PlatformStack,
  problemsOf,
  ref,
  ServiceRole,
  synthesize,
  synthesizedResource,
  SynthesizedStack,
} from '@data-platform/core';
import { stackWithLake } from '@data-platform/lake';
import { PolicyPack } from '@data-platform/policy';
import {
  ConnectionNetwork,
  GLUE_CONNECTION_SETTINGS,
  GlueConnection,
  GlueConnectionProps,
  JDBC_DEFAULT_PORTS,
  parseJdbcUrl,
} from './glue-connection';
import { devEnvironment, layeredStacks, NETWORK as TWO_ZONES, OFFLINE, PARTITION, ProcessingInput, synthesized } from './test-support';

/** Subnets listed out of zone order: the connection must still pick eu-west-1a. */
const NETWORK = { ...TWO_ZONES, subnets: { 'eu-west-1c': 'subnet-0a1b2c3d4e5f62001', ...TWO_ZONES.subnets } };

const ORDERS_DB = {
  type: 'jdbc',
  url: 'jdbc:postgresql://orders.dev.internal.example.com:5432/orders',
  secretArn: 'arn:aws:secretsmanager:eu-west-1:111111111111:secret:dev/orders/glue-reader-AbCdEf',
} as const;

type ConnectionInput = ProcessingInput<'connections'>;

/** A dev environment with the connection `input` as `processing.connections.<name>`, defaults filled in by the schema. */
function env(overrides: Partial<EnvironmentInput> = {}, connections: Record<string, ConnectionInput> = { 'orders-db': ORDERS_DB, vpc: { type: 'network' } }): EnvironmentConfig {
  return devEnvironment({ network: NETWORK, processing: { connections }, ...overrides });
}

const networkOf = (environment: EnvironmentConfig): ConnectionNetwork => environment.network as ConnectionNetwork;

/** A job role in `stack`, as a Glue job of the layer has one. */
const jobRole = (stack: PlatformStack) =>
  new ServiceRole(stack, 'job-role', { layer: 'processing', service: 'glue.amazonaws.com', name: 'orders-clean', description: 'test job' });

/** The lake and the connection `name` (of the environment's config) in one stack `dev-processing`. */
function build(name = 'orders-db', environment = env(), props: Partial<GlueConnectionProps> = {}) {
  const { stack, lake } = stackWithLake(environment, { id: 'dev-processing' });
  const connection = new GlueConnection(stack, name, {
    lake,
    name,
    config: environment.processing.connections[name],
    network: networkOf(environment),
    ...props,
  });
  return { stack, lake, connection };
}

const synth = (name?: string, environment?: EnvironmentConfig) => synthesized(build(name, environment));

const groupId = (connection: GlueConnection) => ref(`aws_security_group.${connection.securityGroup.friendlyUniqueId}.id`);
const ingressRules = (tf: SynthesizedStack) => Object.values(tf.resource?.aws_vpc_security_group_ingress_rule ?? {});
const egressRules = (tf: SynthesizedStack) => Object.values(tf.resource?.aws_vpc_security_group_egress_rule ?? {});

/** A Glue job role in the connection's stack, granted use of the connection, with the policy's statements. */
function grantedRole(name = 'orders-db', environment = env()) {
  const built = build(name, environment);
  const role = jobRole(built.stack);
  const policy = built.connection.grantUse(role);
  const { json, tf } = synthesize(built.stack);
  const statements = documentStatements(tf, synthesizedResource(tf, 'aws_iam_role_policy', policy.friendlyUniqueId).policy);
  return { ...built, json, tf, role, policy, statements };
}

const EC2 = `arn:${PARTITION}:ec2:eu-west-1:111111111111`;

describe('parseJdbcUrl', () => {
  it('reads engine, host and port of each engine Glue connects to', () => {
    expect(parseJdbcUrl('jdbc:postgresql://orders.example.com:5433/orders')).toEqual({ engine: 'postgresql', host: 'orders.example.com', port: 5433 });
    expect(parseJdbcUrl('jdbc:mysql://10.10.3.4:3307/shop')).toEqual({ engine: 'mysql', host: '10.10.3.4', port: 3307 });
    expect(parseJdbcUrl('jdbc:redshift://dw.example.com:5439/dev')).toEqual({ engine: 'redshift', host: 'dw.example.com', port: 5439 });
    expect(parseJdbcUrl('jdbc:sqlserver://erp.example.com:1444;databaseName=erp')).toEqual({ engine: 'sqlserver', host: 'erp.example.com', port: 1444 });
    expect(parseJdbcUrl('jdbc:oracle:thin://@ora.example.com:1522/ORCL')).toEqual({ engine: 'oracle:thin', host: 'ora.example.com', port: 1522 });
  });

  it("uses the driver's default port when the URL has none", () => {
    expect(JDBC_DEFAULT_PORTS).toEqual({ postgresql: 5432, mysql: 3306, redshift: 5439, sqlserver: 1433, 'oracle:thin': 1521 });
    expect(parseJdbcUrl('jdbc:postgresql://orders.example.com/orders')).toMatchObject({ port: 5432 });
    expect(parseJdbcUrl('jdbc:mysql://shop.example.com/shop')).toMatchObject({ port: 3306 });
    expect(parseJdbcUrl('jdbc:redshift://dw.example.com/dev')).toMatchObject({ port: 5439 });
    expect(parseJdbcUrl('jdbc:sqlserver://erp.example.com;databaseName=erp')).toMatchObject({ port: 1433 });
    expect(parseJdbcUrl('jdbc:oracle:thin://@ora.example.com/ORCL')).toMatchObject({ port: 1521 });
  });

  it('says what is wrong with a URL it cannot read', () => {
    expect(parseJdbcUrl('postgresql://orders.example.com/orders')).toEqual({
      problem: 'is "postgresql://orders.example.com/orders"; use a JDBC URL such as "jdbc:postgresql://host:5432/db"',
    });
    expect(parseJdbcUrl('jdbc:mysql:/shop.example.com/shop')).toEqual({
      problem: 'is "jdbc:mysql:/shop.example.com/shop"; write "//" after "jdbc:mysql:", e.g. "jdbc:mysql://host:3306/db"',
    });
    expect(parseJdbcUrl('jdbc:postgresql://orders.example.com:99999/orders')).toEqual({
      problem: 'is "jdbc:postgresql://orders.example.com:99999/orders", whose port 99999 is outside 1-65535; use the database\'s port',
    });
    expect(parseJdbcUrl('jdbc:postgresql://orders example:5432/orders')).toEqual({
      problem: 'is "jdbc:postgresql://orders example:5432/orders", whose host "orders example:5432" is not a host name or address; use a JDBC URL such as "jdbc:postgresql://host:5432/db"',
    });
  });

  it('rejects credentials in the URL (they would be in state in plain text)', () => {
    expect(parseJdbcUrl('jdbc:postgresql://reader:hunter2@orders.example.com:5432/orders')).toEqual({
      problem: 'is "jdbc:postgresql://reader:hunter2@orders.example.com:5432/orders", which carries user credentials; remove them: the connection reads them from the secret (secretArn)',
    });
  });
});

describe('GlueConnection', () => {
  it('documents its fixed settings as constants', () => {
    expect(GLUE_CONNECTION_SETTINGS).toEqual({ enforceSsl: 'true', awsApiPort: 443, workerPorts: { from: 0, to: 65535 } });
  });

  describe('JDBC connection', () => {
    it('takes the URL from config and the credentials from Secrets Manager, never a password, with TLS enforced', () => {
      const { tf, connection, json } = synth();
      expect(synthesizedResource(tf, 'aws_glue_connection', connection.connection.friendlyUniqueId)).toEqual({
        name: 'adp-dev-processing-orders-db',
        description: 'JDBC connection orders-db (credentials from Secrets Manager)',
        connection_type: 'JDBC',
        connection_properties: {
          JDBC_CONNECTION_URL: 'jdbc:postgresql://orders.dev.internal.example.com:5432/orders',
          SECRET_ID: 'arn:aws:secretsmanager:eu-west-1:111111111111:secret:dev/orders/glue-reader-AbCdEf',
          JDBC_ENFORCE_SSL: 'true',
        },
        physical_connection_requirements: {
          availability_zone: 'eu-west-1a',
          subnet_id: 'subnet-0a1b2c3d4e5f60001',
          security_group_id_list: [groupId(connection)],
        },
      });
      expect(json).toHaveResourceWithProperties(GlueConnectionResource, { connection_type: 'JDBC' });
    });

    it('runs in the first subnet by availability zone name, whatever the order of the config', () => {
      const { connection, tf } = synth();
      expect(connection.availabilityZone).toBe('eu-west-1a');
      expect(connection.subnetId).toBe('subnet-0a1b2c3d4e5f60001');
      const { tf: reordered } = synth('orders-db', env({ network: { ...NETWORK, subnets: { 'eu-west-1b': 'subnet-0a1b2c3d4e5f61001', 'eu-west-1a': 'subnet-0a1b2c3d4e5f60001' } } }));
      expect(only(reordered, 'aws_glue_connection').physical_connection_requirements).toEqual(only(tf, 'aws_glue_connection').physical_connection_requirements);
    });

    it('exposes the connection, its name, ARN and security group', () => {
      const { connection, stack } = build();
      expect(connection.connection).toBeInstanceOf(GlueConnectionResource);
      expect(connection.securityGroup).toBeInstanceOf(SecurityGroup);
      new TerraformOutput(stack, 'name', { value: connection.name });
      new TerraformOutput(stack, 'arn', { value: connection.arn });
      const { tf } = synthesize(stack);
      const address = `aws_glue_connection.${connection.connection.friendlyUniqueId}`;
      expect(tf.output).toEqual({ name: { value: ref(`${address}.name`) }, arn: { value: ref(`${address}.arn`) } });
    });
  });

  describe('network connection', () => {
    it('is a NETWORK connection with no connection properties, in the same subnet and its own security group', () => {
      const { tf, connection } = synth('vpc');
      expect(synthesizedResource(tf, 'aws_glue_connection', connection.connection.friendlyUniqueId)).toEqual({
        name: 'adp-dev-processing-vpc',
        description: "Network connection vpc (the environment's VPC)",
        connection_type: 'NETWORK',
        physical_connection_requirements: {
          availability_zone: 'eu-west-1a',
          subnet_id: 'subnet-0a1b2c3d4e5f60001',
          security_group_id_list: [groupId(connection)],
        },
      });
    });
  });

  describe('security group', () => {
    it('is in the VPC with no inline rules (Terraform removes the default allow-all egress)', () => {
      const { tf } = synth();
      const group = only(tf, 'aws_security_group');
      expect(group).toEqual({
        name: 'adp-dev-processing-orders-db-connection',
        description: 'Glue workers of jobs using the orders-db connection: each other, the VPC endpoints and the database',
        vpc_id: NETWORK.vpcId,
      });
      expect(tf.resource?.aws_security_group_rule).toBeUndefined();
    });

    it('admits all TCP from itself only: the self-referencing rule AWS Glue requires', () => {
      const { tf, connection } = synth();
      expect(ingressRules(tf)).toEqual([
        {
          security_group_id: groupId(connection),
          description: 'Glue workers of the same job (self-referencing rule AWS Glue requires)',
          ip_protocol: 'tcp',
          from_port: 0,
          to_port: 65535,
          referenced_security_group_id: groupId(connection),
        },
      ]);
    });

    it('allows egress to itself, HTTPS to the VPC (endpoints) and the database port to the VPC, nothing else', () => {
      const { tf, connection } = synth();
      const group = groupId(connection);
      const rules = egressRules(tf);
      expect(rules).toHaveLength(3);
      expect(rules).toEqual(
        expect.arrayContaining([
          { security_group_id: group, description: 'Glue workers of the same job', ip_protocol: 'tcp', from_port: 0, to_port: 65535, referenced_security_group_id: group },
          {
            security_group_id: group,
            description: 'AWS APIs (S3, Glue, Secrets Manager, KMS, CloudWatch Logs) through interface VPC endpoints',
            ip_protocol: 'tcp',
            from_port: 443,
            to_port: 443,
            cidr_ipv4: '10.10.0.0/16',
          },
          {
            security_group_id: group,
            description: 'Database of the orders-db connection (postgresql on port 5432)',
            ip_protocol: 'tcp',
            from_port: 5432,
            to_port: 5432,
            cidr_ipv4: '10.10.0.0/16',
          },
        ]),
      );
    });

    it("opens the port of the URL, or the engine's default", () => {
      const mysql = env({}, { shop: { type: 'jdbc', url: 'jdbc:mysql://shop.dev.internal.example.com/shop', secretArn: ORDERS_DB.secretArn } });
      const { tf } = synth('shop', mysql);
      expect(egressRules(tf).filter((r) => r.cidr_ipv4 === '10.10.0.0/16' && r.from_port !== 443)).toEqual([
        expect.objectContaining({ description: 'Database of the shop connection (mysql on port 3306)', from_port: 3306, to_port: 3306 }),
      ]);
    });

    it('allows HTTPS to the S3 prefix list when S3 is reached through a gateway endpoint, and not by default', () => {
      const { tf } = synth();
      expect(egressRules(tf).filter((r) => r.prefix_list_id !== undefined)).toEqual([]);
      const built = build('orders-db', env(), { s3PrefixListId: 'pl-6da54004' });
      const { tf: withPrefixList } = synthesize(built.stack);
      expect(egressRules(withPrefixList).filter((r) => r.prefix_list_id !== undefined)).toEqual([
        {
          security_group_id: groupId(built.connection),
          description: "S3 through the gateway endpoint (the region's S3 prefix list)",
          ip_protocol: 'tcp',
          from_port: 443,
          to_port: 443,
          prefix_list_id: 'pl-6da54004',
        },
      ]);
    });

    it('has no database rule for a network connection', () => {
      const { tf } = synth('vpc');
      expect(egressRules(tf).map((r) => r.description).sort()).toEqual([
        'AWS APIs (S3, Glue, Secrets Manager, KMS, CloudWatch Logs) through interface VPC endpoints',
        'Glue workers of the same job',
      ]);
      expect(only(tf, 'aws_security_group').description).toBe('Glue workers of jobs using the vpc connection: each other, the VPC endpoints');
    });
  });

  describe('grantUse', () => {
    it('lets a job role read the connection, manage its workers\' interfaces in its subnet and group, describe the network and read the secret', () => {
      const { statements, connection } = grantedRole();
      const connectionArn = ref(`aws_glue_connection.${connection.connection.friendlyUniqueId}.arn`);
      expect(statements).toEqual([
        {
          sid: 'ReadConnection',
          effect: 'Allow',
          actions: ['glue:GetConnection'],
          resources: [`arn:${PARTITION}:glue:eu-west-1:111111111111:catalog`, connectionArn],
        },
        {
          sid: 'CreateWorkerInterfaces',
          effect: 'Allow',
          actions: ['ec2:CreateNetworkInterface'],
          resources: [`${EC2}:network-interface/*`, `${EC2}:subnet/subnet-0a1b2c3d4e5f60001`, `${EC2}:security-group/${groupId(connection)}`],
        },
        { sid: 'DeleteWorkerInterfaces', effect: 'Allow', actions: ['ec2:DeleteNetworkInterface'], resources: [`${EC2}:network-interface/*`] },
        {
          sid: 'TagWorkerInterfaces',
          effect: 'Allow',
          actions: ['ec2:CreateTags', 'ec2:DeleteTags'],
          resources: [`${EC2}:network-interface/*`],
          condition: [{ test: 'ForAllValues:StringEquals', variable: 'aws:TagKeys', values: ['aws-glue-service-resource'] }],
        },
        {
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
        { sid: 'ReadCredentials', effect: 'Allow', actions: ['secretsmanager:GetSecretValue'], resources: [ORDERS_DB.secretArn] },
      ]);
    });

    it('grants no secret for a network connection', () => {
      const { statements } = grantedRole('vpc');
      expect(statements.map((s) => s.sid)).toEqual(['ReadConnection', 'CreateWorkerInterfaces', 'DeleteWorkerInterfaces', 'TagWorkerInterfaces', 'DescribeNetwork']);
    });

    it('attaches one inline policy to the role, once however often it is granted', () => {
      const { connection, role, policy, tf } = grantedRole();
      expect(connection.grantUse(role)).toBe(policy);
      expect(role.node.findAll().filter((c) => c instanceof IamRolePolicy)).toEqual([policy]);
      expect(synthesizedResource(tf, 'aws_iam_role_policy', policy.friendlyUniqueId)).toMatchObject({
        name: 'use-orders-db-connection',
        role: ref(`aws_iam_role.${role.role.friendlyUniqueId}.name`),
      });
    });
  });

  describe('validation', () => {
    const prefix = 'GlueConnection dev-processing/orders-db: ';

    it('rejects a name that is not a dataset name', () => {
      const environment = env();
      expect(problemsOf(() => build('orders-db', environment, { name: 'Orders_DB' }))).toEqual([
        `${prefix}name is "Orders_DB"; use 2-40 lowercase letters and digits, words joined by "-", starting with a letter (e.g. "clickstream")`,
      ]);
    });

    it('rejects a password or user in the URL, a malformed URL and a secret that is not an ARN, all at once', () => {
      const withPassword = { ...ORDERS_DB, url: 'jdbc:sqlserver://erp.example.com:1433;databaseName=erp;password=hunter2', secretArn: 'dev/orders' } as ConnectionConfig;
      expect(problemsOf(() => build('orders-db', env(), { config: withPassword }))).toEqual([
        `${prefix}config.url is "jdbc:sqlserver://erp.example.com:1433;databaseName=erp;password=hunter2", which carries a password; remove it: the connection reads credentials from the secret (secretArn)`,
        `${prefix}config.secretArn is "dev/orders"; use the ARN of a Secrets Manager secret with username and password`,
      ]);
      const withUser = { ...ORDERS_DB, url: 'jdbc:mysql://admin@shop.example.com/shop' } as ConnectionConfig;
      expect(problemsOf(() => build('orders-db', env(), { config: withUser }))).toEqual([
        `${prefix}config.url is "jdbc:mysql://admin@shop.example.com/shop", which carries user credentials; remove them: the connection reads them from the secret (secretArn)`,
      ]);
      const http = { ...ORDERS_DB, url: 'https://orders.example.com' } as ConnectionConfig;
      expect(problemsOf(() => build('orders-db', env(), { config: http }))).toEqual([
        `${prefix}config.url is "https://orders.example.com"; use a JDBC URL such as "jdbc:postgresql://host:5432/db"`,
      ]);
    });

    it('rejects an S3 prefix list id that is not one', () => {
      expect(problemsOf(() => build('orders-db', env(), { s3PrefixListId: 'com.amazonaws.eu-west-1.s3' }))).toEqual([
        `${prefix}s3PrefixListId is "com.amazonaws.eu-west-1.s3"; use the id of the region's S3 prefix list, e.g. "pl-6da54004"`,
      ]);
    });

    it('rejects an unknown connection type', () => {
      expect(problemsOf(() => build('orders-db', env(), { config: { type: 'kafka' } as unknown as ConnectionConfig }))).toEqual([
        `${prefix}config.type is "kafka"; use jdbc (with url and secretArn) or network`,
      ]);
    });

    it('rejects a network without subnets, with a malformed CIDR or VPC id', () => {
      const network = { vpcId: 'vpc-1', vpcCidr: '10.10.0.1/16', subnets: {} };
      expect(problemsOf(() => build('orders-db', env(), { network }))).toEqual([
        `${prefix}network.subnets is empty; list at least one private subnet by availability zone (Glue starts workers in one)`,
        `${prefix}network.vpcCidr is "10.10.0.1/16", which has host bits set; use "10.10.0.0/16"`,
        `${prefix}network.vpcId is "vpc-1"; use a VPC id such as "vpc-0a1b2c3d4e5f67890"`,
      ]);
    });

    it('creates nothing when the props are invalid', () => {
      const environment = env();
      const { stack, lake } = stackWithLake(environment, { id: 'dev-processing' });
      expect(() => new GlueConnection(stack, 'orders-db', { lake, name: 'orders-db', config: { ...ORDERS_DB, secretArn: 'nope' }, network: networkOf(environment) })).toThrow(PlatformError);
      expect(stack.node.tryFindChild('orders-db')?.node.children ?? []).toEqual([]);
    });

    it('skips values that are still tokens', () => {
      const environment = env();
      const { stack, lake } = stackWithLake(environment, { id: 'dev-processing' });
      const secretArn = new TerraformVariable(stack, 'secret', { type: 'string' }).stringValue;
      const vpcCidr = new TerraformVariable(stack, 'cidr', { type: 'string' }).stringValue;
      expect(() => new GlueConnection(stack, 'orders-db', {
        lake, name: 'orders-db', config: { ...ORDERS_DB, secretArn }, network: { ...networkOf(environment), vpcCidr },
      })).not.toThrow();
    });
  });

  describe('state', () => {
    it('has no stateful resource (nothing to pin)', () => {
      const { stack } = synth();
      expect([...stack.statefulAddresses].filter((a) => !a.includes('.lake_'))).toEqual([]);
    });
  });

  describe('policy pack', () => {
    it('passes every rule in layered stacks dev-lake and dev-processing, with a job role granted its use', () => {
      const environment = env();
      const { lakeStack, lake, stack } = layeredStacks(environment, { aspects: [new PolicyPack()] });
      const role = jobRole(stack);
      for (const name of ['orders-db', 'vpc']) {
        new GlueConnection(stack, name, { lake, name, config: environment.processing.connections[name], network: networkOf(environment) }).grantUse(role);
      }
      expect(() => synthesize(lakeStack)).not.toThrow();
      const { tf } = synthesize(stack);
      expect(Object.keys(tf.resource?.aws_glue_connection ?? {})).toHaveLength(2);
    });

    it('passes every rule in a single offline stack', () => {
      const environment = env({ ...OFFLINE, protect: false }, {
        'orders-db': { ...ORDERS_DB, secretArn: 'arn:aws:secretsmanager:eu-west-1:000000000000:secret:local/orders/glue-reader-AbCdEf' },
      });
      const { stack, lake } = stackWithLake(environment, { aspects: [new PolicyPack()] });
      const role = jobRole(stack);
      new GlueConnection(stack, 'orders-db', { lake, name: 'orders-db', config: environment.processing.connections['orders-db'], network: networkOf(environment) }).grantUse(role);
      const { tf } = synthesize(stack);
      expect(only(tf, 'aws_glue_connection').name).toBe('adp-local-processing-orders-db');
    });
  });
});
