import { App } from 'cdktf';
import { DmsEndpoint } from '@cdktf/provider-aws/lib/dms-endpoint';
import { DmsReplicationInstance } from '@cdktf/provider-aws/lib/dms-replication-instance';
import { DmsReplicationTask } from '@cdktf/provider-aws/lib/dms-replication-task';
import { DmsS3Endpoint } from '@cdktf/provider-aws/lib/dms-s3-endpoint';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import {
  DatabaseConfig,
  documentStatements,
  EncryptedLogGroup,
  EnvironmentConfig,
  EnvironmentInput,
  errorOf,
  LOG_RETENTION_DAYS,
  only,
  ServiceRole,
  synthesize,
  synthesizedResource,
  SynthesizedStack,
  SynthesizedStatement,
  testApp,
  trustOf,
} from '@data-platform/core';
import { stackWithLake } from '@data-platform/lake';
import { PolicyPack } from '@data-platform/policy';
import {
  CERTIFICATE_REQUIRED_ENGINES,
  DATABASE_REPLICATION_DEFAULTS,
  DATABASE_REPLICATION_SETTINGS,
  DMS_INSTANCE_ID_MAX_LENGTH,
  DMS_TASK_SETTINGS,
  DatabaseReplication,
  DatabaseReplicationProps,
  tableMappings,
} from './database-replication';
import { devEnvironment, IngestionInput, KEY_ARN as KEY, layeredStacks, NETWORK, OFFLINE, RAW_ARN } from './test-support';

const ORDERS = {
  engine: 'postgres',
  host: 'orders.dev.internal.example.com',
  port: 5432,
  databaseName: 'orders',
  secretArn: 'arn:aws:secretsmanager:eu-west-1:111111111111:secret:dev/orders/dms-reader-AbCdEf',
  sourceCidr: '10.10.64.0/24',
  tables: [
    { schema: 'public', table: 'orders' },
    { schema: 'public', table: 'order_items' },
    { schema: 'sales', table: 'region_%' },
  ],
} as const;

type DatabaseInput = IngestionInput<'databases'>;

/** A dev environment with the orders database (defaults filled in as the loader would). */
function env(database: Partial<DatabaseInput> = {}, overrides: Partial<EnvironmentInput> = {}): EnvironmentConfig {
  return devEnvironment({
    network: NETWORK,
    ingestion: { databases: { orders: { ...ORDERS, tables: [...ORDERS.tables], ...database } as DatabaseInput } },
    ...overrides,
  });
}

const ordersOf = (environment: EnvironmentConfig): DatabaseConfig => environment.ingestion.databases.orders;

/** The lake and the replication of `orders` in one stack. */
function build(props: Partial<DatabaseReplicationProps> = {}, environment = env()) {
  const { stack, lake } = stackWithLake(environment, { id: 'dev-ingestion' });
  const replication = new DatabaseReplication(stack, 'database-orders', {
    lake,
    name: 'orders',
    config: ordersOf(environment),
    network: environment.network as NonNullable<EnvironmentConfig['network']>,
    ...props,
  });
  return { stack, lake, replication, ...synthesize(stack) };
}

const ref = (tf: string) => `\${${tf}}`;

/** The statements of the policy document an inline policy uses. */
function statementsOf(tf: SynthesizedStack, policy: IamRolePolicy): SynthesizedStatement[] {
  return documentStatements(tf, synthesizedResource(tf, 'aws_iam_role_policy', policy.friendlyUniqueId).policy);
}

/** The inline policies attached to a service role, in creation order. */
function policiesOf(replication: DatabaseReplication, role: ServiceRole): IamRolePolicy[] {
  return replication.node
    .findAll()
    .filter((c): c is IamRolePolicy => c instanceof IamRolePolicy)
    .filter((p) => p.node.scope === role);
}

const VIA_S3 = [{ test: 'StringEquals', variable: 'kms:ViaService', values: ['s3.eu-west-1.amazonaws.com'] }];

describe('tableMappings', () => {
  it('writes one include selection rule per schema/table, keeping % wildcards', () => {
    expect(tableMappings([{ schema: 'public', table: 'orders' }, { schema: 'sales%', table: '%' }])).toEqual({
      rules: [
        { 'rule-type': 'selection', 'rule-id': '1', 'rule-name': '1', 'object-locator': { 'schema-name': 'public', 'table-name': 'orders' }, 'rule-action': 'include' },
        { 'rule-type': 'selection', 'rule-id': '2', 'rule-name': '2', 'object-locator': { 'schema-name': 'sales%', 'table-name': '%' }, 'rule-action': 'include' },
      ],
    });
  });

  it('numbers the rules in schema, then table order, whatever the order of the entries', () => {
    const a = { schema: 'public', table: 'orders' };
    const b = { schema: 'public', table: 'Order_items' };
    const c = { schema: 'archive', table: 'orders' };
    const mapped = tableMappings([a, b, c]);
    expect(mapped.rules.map((r) => [r['rule-id'], r['object-locator']['schema-name'], r['object-locator']['table-name']])).toEqual([
      ['1', 'archive', 'orders'],
      ['2', 'public', 'Order_items'],
      ['3', 'public', 'orders'],
    ]);
    expect(JSON.stringify(tableMappings([c, a, b]))).toBe(JSON.stringify(mapped));
    expect(JSON.stringify(tableMappings([b, c, a]))).toBe(JSON.stringify(mapped));
  });

  it('leaves its input unsorted', () => {
    const tables = [{ schema: 'z', table: 't' }, { schema: 'a', table: 't' }];
    tableMappings(tables);
    expect(tables.map((t) => t.schema)).toEqual(['z', 'a']);
  });
});

describe('DatabaseReplication', () => {
  describe('network', () => {
    it('puts the subnet group over the network subnets', () => {
      const { tf } = build();
      expect(only(tf, 'aws_dms_replication_subnet_group')).toMatchObject({
        replication_subnet_group_id: 'adp-dev-ingestion-orders-dms',
        subnet_ids: ['subnet-0a1b2c3d4e5f60001', 'subnet-0a1b2c3d4e5f61001'],
      });
    });

    it('gives the instance a security group in the VPC with no inline rules and no ingress', () => {
      const { tf, json } = build();
      const group = only(tf, 'aws_security_group');
      expect(group).toMatchObject({ name: 'adp-dev-ingestion-orders-dms', vpc_id: NETWORK.vpcId });
      expect(group.ingress).toBeUndefined();
      expect(group.egress).toBeUndefined();
      expect(tf.resource?.aws_vpc_security_group_ingress_rule).toBeUndefined();
      expect(tf.resource?.aws_security_group_rule).toBeUndefined();
      expect(json).toHaveResourceWithProperties(SecurityGroup, { vpc_id: NETWORK.vpcId });
    });

    it('allows egress only to the source database port and range, and HTTPS to the VPC', () => {
      const { tf, replication } = build();
      const rules = Object.values(tf.resource?.aws_vpc_security_group_egress_rule ?? {});
      const group = ref(`aws_security_group.${replication.securityGroup.friendlyUniqueId}.id`);
      expect(rules).toHaveLength(2);
      expect(rules).toEqual(
        expect.arrayContaining([
          { security_group_id: group, description: 'Source database of orders', ip_protocol: 'tcp', from_port: 5432, to_port: 5432, cidr_ipv4: '10.10.64.0/24' },
          {
            security_group_id: group,
            description: 'AWS APIs (S3, Secrets Manager, KMS) through interface VPC endpoints',
            ip_protocol: 'tcp',
            from_port: 443,
            to_port: 443,
            cidr_ipv4: '10.10.0.0/16',
          },
        ]),
      );
    });
  });

  describe('replication instance', () => {
    it('is private, encrypted with the lake key, in the subnet and security groups, sized from config', () => {
      const { tf, replication, json } = build();
      expect(only(tf, 'aws_dms_replication_instance')).toEqual({
        replication_instance_id: 'adp-dev-ingestion-orders-dms',
        replication_instance_class: 'dms.t3.medium',
        allocated_storage: 50,
        multi_az: false,
        publicly_accessible: false,
        kms_key_arn: KEY,
        replication_subnet_group_id: ref(`aws_dms_replication_subnet_group.${replication.subnetGroup.friendlyUniqueId}.replication_subnet_group_id`),
        vpc_security_group_ids: [ref(`aws_security_group.${replication.securityGroup.friendlyUniqueId}.id`)],
        auto_minor_version_upgrade: true,
        apply_immediately: false,
        preferred_maintenance_window: 'sun:03:00-sun:04:00',
      });
      expect(json).toHaveResourceWithProperties(DmsReplicationInstance, { publicly_accessible: false });
    });

    it('takes class, storage and Multi-AZ from config', () => {
      const { tf } = build({}, env({ instanceClass: 'dms.r5.large', allocatedStorageGb: 200, multiAz: true }));
      expect(only(tf, 'aws_dms_replication_instance')).toMatchObject({
        replication_instance_class: 'dms.r5.large',
        allocated_storage: 200,
        multi_az: true,
      });
    });

    it('uses the default maintenance window unless given one', () => {
      expect(DATABASE_REPLICATION_DEFAULTS.maintenanceWindow).toBe('sun:03:00-sun:04:00');
      const { tf } = build({ maintenanceWindow: 'wed:01:30-wed:02:30' });
      expect(only(tf, 'aws_dms_replication_instance').preferred_maintenance_window).toBe('wed:01:30-wed:02:30');
    });

    it('keeps instance ids within the DMS limit of 63 characters', () => {
      const longName = 'a'.repeat(40); // the longest dataset name the config accepts
      const environment = devEnvironment({
        network: NETWORK,
        ingestion: { databases: { [longName]: { ...ORDERS, tables: [...ORDERS.tables] } } },
      });
      const { stack, lake } = stackWithLake(environment, { id: 'dev-ingestion' });
      new DatabaseReplication(stack, 'db', { lake, name: longName, config: environment.ingestion.databases[longName], network: NETWORK });
      const { tf } = synthesize(stack);
      const id = only(tf, 'aws_dms_replication_instance').replication_instance_id as string;
      expect(DMS_INSTANCE_ID_MAX_LENGTH).toBe(63);
      expect(id.length).toBeLessThanOrEqual(63);
      expect(id).toMatch(/^[a-z][a-z0-9-]*[a-z0-9]$/);
      expect(id).not.toContain('--');
      expect(only(tf, 'aws_cloudwatch_log_group').name).toBe(`dms-tasks-${id}`);
    });
  });

  describe('source endpoint', () => {
    it('reads credentials from Secrets Manager, over TLS, its settings encrypted with the lake key', () => {
      const { tf, replication, json } = build();
      expect(only(tf, 'aws_dms_endpoint')).toEqual({
        endpoint_id: 'adp-dev-ingestion-orders-source',
        endpoint_type: 'source',
        engine_name: 'postgres',
        database_name: 'orders',
        ssl_mode: 'require',
        secrets_manager_arn: ORDERS.secretArn,
        secrets_manager_access_role_arn: ref(`aws_iam_role.${replication.secretsRole.role.friendlyUniqueId}.arn`),
        kms_key_arn: KEY,
        depends_on: [`aws_iam_role_policy.${policiesOf(replication, replication.secretsRole)[0].friendlyUniqueId}`],
      });
      expect(json).toHaveResourceWithProperties(DmsEndpoint, { ssl_mode: DATABASE_REPLICATION_SETTINGS.sslModeWithoutCertificate });
    });

    it('holds no user name, password, host or port', () => {
      const { json } = build();
      expect(json).not.toMatch(/"(username|password|server_name)"/);
      expect(json).not.toContain(ORDERS.host);
    });

    it('verifies the server certificate and host name with a CA certificate', () => {
      const certificateArn = 'arn:aws:dms:eu-west-1:111111111111:cert:ORDERSCA';
      const { tf } = build({ certificateArn });
      expect(only(tf, 'aws_dms_endpoint')).toMatchObject({ ssl_mode: 'verify-full', certificate_arn: certificateArn });
      expect(DATABASE_REPLICATION_SETTINGS.sslModeWithCertificate).toBe('verify-full');
    });

    it('accepts a MySQL-compatible source with a CA certificate', () => {
      expect(CERTIFICATE_REQUIRED_ENGINES).toEqual(['mysql', 'mariadb', 'aurora']);
      const certificateArn = 'arn:aws:dms:eu-west-1:111111111111:cert:ORDERSCA';
      const { tf } = build({ certificateArn }, env({ engine: 'mysql', port: 3306, certificateArn }));
      expect(only(tf, 'aws_dms_endpoint')).toMatchObject({ engine_name: 'mysql', ssl_mode: 'verify-full', certificate_arn: certificateArn });
    });
  });

  describe('secrets role', () => {
    it('is assumed by the regional DMS principal for this account only', () => {
      const { tf, replication } = build();
      expect(trustOf(tf, replication.secretsRole)).toEqual([
        {
          effect: 'Allow',
          principals: [{ type: 'Service', identifiers: ['dms.eu-west-1.amazonaws.com'] }],
          actions: ['sts:AssumeRole'],
          condition: [{ test: 'StringEquals', variable: 'aws:SourceAccount', values: ['111111111111'] }],
        },
      ]);
      expect(synthesizedResource(tf, 'aws_iam_role', replication.secretsRole.role.friendlyUniqueId).name).toBe('adp-dev-ingestion-orders-dms-secrets');
    });

    it('may read and describe only the source secret', () => {
      const { tf, replication } = build();
      const policies = policiesOf(replication, replication.secretsRole);
      expect(policies).toHaveLength(1);
      expect(statementsOf(tf, policies[0])).toEqual([
        {
          sid: 'ReadSourceCredentials',
          effect: 'Allow',
          actions: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'],
          resources: [ORDERS.secretArn],
        },
      ]);
    });
  });

  describe('target endpoint', () => {
    it('writes Parquet with the lake key under the dataset prefix of the raw bucket', () => {
      const { tf, replication, json } = build();
      const policies = policiesOf(replication, replication.targetRole).map((p) => `aws_iam_role_policy.${p.friendlyUniqueId}`);
      expect(only(tf, 'aws_dms_s3_endpoint')).toEqual({
        endpoint_id: 'adp-dev-ingestion-orders-raw',
        endpoint_type: 'target',
        bucket_name: ref('aws_s3_bucket.lake_raw_bucket.bucket'),
        bucket_folder: 'orders',
        expected_bucket_owner: '111111111111',
        service_access_role_arn: ref(`aws_iam_role.${replication.targetRole.role.friendlyUniqueId}.arn`),
        kms_key_arn: KEY,
        encryption_mode: 'SSE_KMS',
        server_side_encryption_kms_key_id: KEY,
        data_format: 'parquet',
        parquet_version: 'parquet-2-0',
        compression_type: 'GZIP',
        parquet_timestamp_in_millisecond: true,
        timestamp_column_name: 'dms_commit_ts',
        use_task_start_time_for_full_load_timestamp: true,
        include_op_for_full_load: true,
        cdc_inserts_only: false,
        cdc_inserts_and_updates: false,
        cdc_max_batch_interval: 60,
        cdc_min_file_size: 32000,
        depends_on: policies,
      });
      expect(policies).toHaveLength(2);
      expect(json).toHaveResourceWithProperties(DmsS3Endpoint, { encryption_mode: 'SSE_KMS' });
      expect(DATABASE_REPLICATION_SETTINGS).toMatchObject({
        timestampColumn: 'dms_commit_ts',
        dataFormat: 'parquet',
        parquetVersion: 'parquet-2-0',
        compression: 'GZIP',
        cdcMaxBatchIntervalSeconds: 60,
        cdcMinFileSizeKb: 32000,
      });
    });

    it('lands under config.prefix when given, as the bucket folder without its trailing slash', () => {
      const { tf, replication } = build({}, env({ prefix: 'erp/orders/' }));
      expect(replication.prefix).toBe('erp/orders/');
      expect(only(tf, 'aws_dms_s3_endpoint').bucket_folder).toBe('erp/orders');
    });

    it('is assumed by dms.amazonaws.com for this account only', () => {
      const { tf, replication } = build();
      expect(trustOf(tf, replication.targetRole)).toEqual([
        {
          effect: 'Allow',
          principals: [{ type: 'Service', identifiers: ['dms.amazonaws.com'] }],
          actions: ['sts:AssumeRole'],
          condition: [{ test: 'StringEquals', variable: 'aws:SourceAccount', values: ['111111111111'] }],
        },
      ]);
      expect(synthesizedResource(tf, 'aws_iam_role', replication.targetRole.role.friendlyUniqueId).name).toBe('adp-dev-ingestion-orders-dms-s3');
    });

    it("may write through the lake's grant, and delete, tag and list only under the prefix", () => {
      const { tf, replication } = build();
      const [grant, extra] = policiesOf(replication, replication.targetRole);
      expect(statementsOf(tf, grant)).toEqual([
        { sid: 'WriteObjects', effect: 'Allow', actions: ['s3:PutObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'], resources: [`${RAW_ARN}/orders/*`] },
        { sid: 'LocateBucketAndUploads', effect: 'Allow', actions: ['s3:GetBucketLocation', 's3:ListBucketMultipartUploads'], resources: [RAW_ARN] },
        { sid: 'EncryptWithLakeKey', effect: 'Allow', actions: ['kms:GenerateDataKey', 'kms:Decrypt'], resources: [KEY], condition: VIA_S3 },
      ]);
      expect(statementsOf(tf, extra)).toEqual([
        { sid: 'ReplaceAndTagObjects', effect: 'Allow', actions: ['s3:DeleteObject', 's3:PutObjectTagging'], resources: [`${RAW_ARN}/orders/*`] },
        {
          sid: 'ListPrefix',
          effect: 'Allow',
          actions: ['s3:ListBucket'],
          resources: [RAW_ARN],
          condition: [{ test: 'StringLike', variable: 's3:prefix', values: ['orders/*'] }],
        },
      ]);
    });

    it('never grants reading objects', () => {
      const { tf, replication } = build();
      const actions = policiesOf(replication, replication.targetRole).flatMap((p) => statementsOf(tf, p).flatMap((s) => s.actions));
      expect(actions.filter((a) => /^s3:Get(Object|ObjectVersion)$/.test(a))).toEqual([]);
    });
  });

  describe('replication task', () => {
    it('replicates the config tables from the source to the raw zone on the instance, created stopped', () => {
      const { tf, replication, json } = build();
      const task = only(tf, 'aws_dms_replication_task');
      expect(task).toMatchObject({
        replication_task_id: 'adp-dev-ingestion-orders-replication',
        migration_type: 'full-load-and-cdc',
        replication_instance_arn: ref(`aws_dms_replication_instance.${replication.instance.friendlyUniqueId}.replication_instance_arn`),
        source_endpoint_arn: ref(`aws_dms_endpoint.${replication.source.friendlyUniqueId}.endpoint_arn`),
        target_endpoint_arn: ref(`aws_dms_s3_endpoint.${replication.target.friendlyUniqueId}.endpoint_arn`),
        start_replication_task: false,
        depends_on: [`aws_cloudwatch_log_group.${replication.logGroup.logGroup.friendlyUniqueId}`],
      });
      expect(JSON.parse(task.table_mappings as string)).toEqual(tableMappings(ORDERS.tables));
      expect(JSON.parse(task.table_mappings as string).rules.map((r: { 'object-locator': object }) => r['object-locator'])).toEqual([
        { 'schema-name': 'public', 'table-name': 'order_items' },
        { 'schema-name': 'public', 'table-name': 'orders' },
        { 'schema-name': 'sales', 'table-name': 'region_%' },
      ]);
      expect(json).toHaveResourceWithProperties(DmsReplicationTask, { start_replication_task: false });
    });

    it('takes the migration type from config', () => {
      const { tf } = build({}, env({ migrationType: 'cdc' }));
      expect(only(tf, 'aws_dms_replication_task').migration_type).toBe('cdc');
    });

    it('logs, drops and recreates tables on a full load, fails when no table matches', () => {
      const { tf } = build();
      const settings = JSON.parse(only(tf, 'aws_dms_replication_task').replication_task_settings as string);
      expect(settings).toEqual(DMS_TASK_SETTINGS);
      expect(settings.Logging).toEqual({ EnableLogging: true });
      expect(settings.FullLoadSettings.TargetTablePrepMode).toBe('DROP_AND_CREATE');
      expect(settings.ErrorBehavior.FailOnNoTablesCaptured).toBe(true);
      // DMS rejects these read-only keys on create.
      expect(settings.Logging.CloudWatchLogGroup).toBeUndefined();
      expect(settings.Logging.CloudWatchLogStream).toBeUndefined();
    });

    it('logs to dms-tasks-<instance id>, encrypted with the lake key, kept 30 days', () => {
      const { tf } = build();
      expect(only(tf, 'aws_cloudwatch_log_group')).toEqual({
        name: 'dms-tasks-adp-dev-ingestion-orders-dms',
        kms_key_id: KEY,
        retention_in_days: LOG_RETENTION_DAYS,
      });
      expect(LOG_RETENTION_DAYS).toBe(30);
    });
  });

  describe('members', () => {
    it('exposes the instance, endpoints, task, security group, roles, log group and prefix', () => {
      const { replication } = build();
      expect(replication.instance).toBeInstanceOf(DmsReplicationInstance);
      expect(replication.source).toBeInstanceOf(DmsEndpoint);
      expect(replication.target).toBeInstanceOf(DmsS3Endpoint);
      expect(replication.task).toBeInstanceOf(DmsReplicationTask);
      expect(replication.securityGroup).toBeInstanceOf(SecurityGroup);
      expect(replication.secretsRole).toBeInstanceOf(ServiceRole);
      expect(replication.targetRole).toBeInstanceOf(ServiceRole);
      expect(replication.logGroup).toBeInstanceOf(EncryptedLogGroup);
      expect(replication.prefix).toBe('orders/');
    });

    it('creates no stateful resource: the data lands in the lake bucket', () => {
      const { stack } = build();
      expect([...stack.statefulAddresses].filter((a) => !a.includes('.lake_'))).toEqual([]);
    });
  });

  describe('validation', () => {
    const attempt = (props: Partial<DatabaseReplicationProps> = {}, config: Partial<DatabaseConfig> = {}, environment = env()) => {
      const { stack, lake } = stackWithLake(environment, { id: 'dev-ingestion' });
      const before = stack.node.findAll().length;
      const error = errorOf(
        () =>
          new DatabaseReplication(stack, 'database-orders', {
            lake,
            name: 'orders',
            config: { ...ordersOf(environment), ...config },
            network: NETWORK,
            ...props,
          }),
      );
      expect(stack.node.findAll().length - before).toBe(1); // the failed construct itself, with no children
      return error.message;
    };
    const prefix = 'DatabaseReplication dev-ingestion/database-orders: ';

    it('rejects a MySQL-compatible source without a CA certificate, since DMS offers it no TLS otherwise', () => {
      for (const engine of CERTIFICATE_REQUIRED_ENGINES) {
        expect(attempt({}, { engine })).toBe(
          `${prefix}certificateArn is missing; engine ${engine} connects over TLS only with a CA certificate (DMS has no ssl_mode "require" for MySQL-compatible sources): import the CA bundle of the source's server certificate as a DMS certificate and pass its ARN`,
        );
      }
    });

    it('rejects a malformed certificate ARN and maintenance window', () => {
      expect(attempt({ certificateArn: 'arn:aws:acm:eu-west-1:111111111111:certificate/abc', maintenanceWindow: 'sunday 3am' })).toBe(
        [
          `${prefix}certificateArn is "arn:aws:acm:eu-west-1:111111111111:certificate/abc"; use the ARN of a DMS certificate (arn:aws:dms:<region>:<account>:cert:<id>)`,
          `${prefix}maintenanceWindow is "sunday 3am"; use "ddd:hh24:mi-ddd:hh24:mi" in UTC, e.g. "sun:03:00-sun:04:00"`,
        ].join('\n'),
      );
    });

    it('rejects a source range that is the internet or has host bits set', () => {
      expect(attempt({}, { sourceCidr: '0.0.0.0/0' })).toBe(
        `${prefix}config.sourceCidr is "0.0.0.0/0"; it has a prefix outside /8 to /32 (a private range, never the whole internet); use e.g. /24`,
      );
      expect(attempt({}, { sourceCidr: '10.10.64.1/24' })).toBe(`${prefix}config.sourceCidr is "10.10.64.1/24"; it has host bits set; use "10.10.64.0/24"`);
    });

    it('rejects a network with fewer than two subnets', () => {
      expect(attempt({ network: { ...NETWORK, subnets: { 'eu-west-1a': 'subnet-0a1b2c3d4e5f60001' } } })).toBe(
        `${prefix}network.subnets lists 1 subnet; list subnets in at least 2 availability zones (a DMS subnet group needs two)`,
      );
    });

    it('rejects no tables, duplicate tables and malformed table names', () => {
      expect(attempt({}, { tables: [] })).toBe(`${prefix}config.tables is empty; list at least one schema/table to replicate ("%" is a wildcard)`);
      expect(
        attempt({}, {
          tables: [
            { schema: 'public', table: 'orders' },
            { schema: 'public', table: 'orders' },
            { schema: 'public', table: 'orders;drop' },
          ],
        }),
      ).toBe(
        [
          `${prefix}config.tables.1 is "public.orders" again (also config.tables.0); list each schema/table once`,
          `${prefix}config.tables.2.table is "orders;drop"; use a table name of letters, digits, "_", "$", or "%" as a wildcard`,
        ].join('\n'),
      );
    });

    it('rejects a database port that would duplicate the HTTPS egress to the VPC', () => {
      expect(attempt({}, { port: 443, sourceCidr: NETWORK.vpcCidr })).toBe(
        `${prefix}config.sourceCidr is "10.10.0.0/16" on port 443, the same rule as the VPC's HTTPS egress; narrow sourceCidr to the database's subnet`,
      );
    });

    it('reports every problem at once', () => {
      const message = attempt(
        { name: 'Orders', network: { ...NETWORK, vpcId: 'vpc-x' } },
        { port: 70000, allocatedStorageGb: 2, instanceClass: 't3.medium', secretArn: 'orders-secret', prefix: '/orders', databaseName: '1db' },
      );
      expect(message.split('\n')).toEqual([
        `${prefix}name is "Orders"; use 2-40 lowercase letters and digits, words joined by "-", starting with a letter (e.g. "clickstream")`,
        `${prefix}config.port is 70000; use a whole number from 1 to 65535`,
        `${prefix}config.databaseName is "1db"; use a database name of letters, digits and "_"`,
        `${prefix}config.secretArn is "orders-secret"; use the ARN of a Secrets Manager secret holding username, password, host and port`,
        `${prefix}config.instanceClass is "t3.medium"; use a DMS instance class such as "dms.t3.medium"`,
        `${prefix}config.allocatedStorageGb is 2; use a whole number from 5 to 6144 (GiB)`,
        `${prefix}config.prefix is "/orders"; use a raw-zone key prefix of lowercase letters, digits, "_", "-", "=" and "/", ending with "/" (e.g. "orders/")`,
        `${prefix}network.vpcId is "vpc-x"; use a VPC id such as "vpc-0a1b2c3d4e5f67890"`,
      ]);
    });

    it('rejects an unknown engine and migration type', () => {
      expect(attempt({}, { engine: 'oracle' as DatabaseConfig['engine'], migrationType: 'sync' as DatabaseConfig['migrationType'] })).toBe(
        [
          `${prefix}config.engine is "oracle"; use one of postgres, mysql, aurora, aurora-postgresql, mariadb`,
          `${prefix}config.migrationType is "sync"; use one of full-load, cdc, full-load-and-cdc`,
        ].join('\n'),
      );
    });
  });
});

describe('DatabaseReplication and the policy pack', () => {
  function layered(app: App, environment: EnvironmentConfig) {
    const { lakeStack, lake, stack: ingestion } = layeredStacks(environment, { app, prefix: 'dev', aspects: [new PolicyPack()] });
    const replication = new DatabaseReplication(ingestion, 'database-orders', {
      lake,
      name: 'orders',
      config: ordersOf(environment),
      network: NETWORK,
    });
    return { lakeStack, ingestion, replication };
  }

  it('passes every rule in a layered build, with the lake in its own stack', () => {
    const { lakeStack, ingestion } = layered(testApp(), env());
    const { tf } = synthesize(ingestion);
    expect(() => synthesize(lakeStack)).not.toThrow();
    // The raw bucket and the lake key reach the ingestion stack through remote state.
    expect(Object.keys(tf.data?.terraform_remote_state ?? {})).toHaveLength(1);
    expect(only(tf, 'aws_dms_replication_instance').kms_key_arn).toMatch(/^\$\{data\.terraform_remote_state\.[^}]+\}$/);
    expect(only(tf, 'aws_dms_s3_endpoint').bucket_name).toMatch(/^\$\{data\.terraform_remote_state\.[^}]+\}$/);
  });

  it('passes every rule in a protected production environment', () => {
    const environment = env({}, { name: 'prod', stage: 'production', protect: true });
    const { ingestion } = layered(testApp(), environment);
    expect(() => synthesize(ingestion)).not.toThrow();
  });

  it('passes every rule in a single offline stack', () => {
    const environment = env({}, { ...OFFLINE, deployRole: undefined, state: undefined });
    const { stack, lake } = stackWithLake(environment, { aspects: [new PolicyPack()] });
    new DatabaseReplication(stack, 'database-orders', { lake, name: 'orders', config: ordersOf(environment), network: NETWORK });
    const { tf } = synthesize(stack);
    expect(only(tf, 'aws_dms_replication_instance').replication_instance_id).toBe('adp-local-ingestion-orders-dms');
    expect(only(tf, 'aws_dms_s3_endpoint').expected_bucket_owner).toBe('000000000000');
  });
});
