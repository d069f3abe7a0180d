import { Token } from 'cdktf';
import { Construct } from 'constructs';
import { DmsEndpoint } from '@cdktf/provider-aws/lib/dms-endpoint';
import { DmsReplicationInstance } from '@cdktf/provider-aws/lib/dms-replication-instance';
import { DmsReplicationSubnetGroup } from '@cdktf/provider-aws/lib/dms-replication-subnet-group';
import { DmsReplicationTask } from '@cdktf/provider-aws/lib/dms-replication-task';
import { DmsS3Endpoint } from '@cdktf/provider-aws/lib/dms-s3-endpoint';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { VpcSecurityGroupEgressRule } from '@cdktf/provider-aws/lib/vpc-security-group-egress-rule';
import {
  cidrProblem,
  DatabaseConfig,
  describeValue,
  DMS_ENGINES,
  EncryptedLogGroup,
  EnvironmentConfig,
  MIGRATION_TYPES,
  NAME_LIMITS,
  PlatformStack,
  rawPrefix,
  ServiceRole,
  SOURCE_PREFIXES,
  Validator,
} from '@data-platform/core';
import { DataLake } from '@data-platform/lake';
import { checkDatasetName } from './shared/dataset-name';

/** The network a {@link DatabaseReplication} runs in: the environment's `network` section. */
export type ReplicationNetwork = NonNullable<EnvironmentConfig['network']>;

/** Defaults of the optional props of {@link DatabaseReplication}. */
export const DATABASE_REPLICATION_DEFAULTS = {
  /** Weekly maintenance window of the replication instance (UTC): early Sunday, Europe's quietest hour. */
  maintenanceWindow: 'sun:03:00-sun:04:00',
} as const;

/**
 * Fixed settings of every {@link DatabaseReplication}: not configurable, asserted by tests so these
 * docs and the code cannot drift.
 */
export const DATABASE_REPLICATION_SETTINGS = {
  /** Column DMS adds to every row: the source commit time (CDC) or the task start (full load). */
  timestampColumn: 'dms_commit_ts',
  /** Object format in the raw zone. */
  dataFormat: 'parquet',
  parquetVersion: 'parquet-2-0',
  /** Compression inside the Parquet files. */
  compression: 'GZIP',
  /** Longest a CDC change waits before DMS writes a file (seconds). */
  cdcMaxBatchIntervalSeconds: 60,
  /** CDC file size (KB) that makes DMS write before the interval is over (the DMS default, 32 MB). */
  cdcMinFileSizeKb: 32000,
  /** ssl_mode without a CA certificate: TLS without verifying the server (PostgreSQL only). */
  sslModeWithoutCertificate: 'require',
  /** ssl_mode with a CA certificate: TLS verifying the server's certificate and host name. */
  sslModeWithCertificate: 'verify-full',
  /** Port the replication instance reaches the AWS APIs on, inside the VPC (HTTPS). */
  awsApiPort: 443,
} as const;

/** Engines DMS reaches over TLS only with a CA certificate (no ssl_mode "require" for MySQL-compatible sources). */
export const CERTIFICATE_REQUIRED_ENGINES: readonly DatabaseConfig['engine'][] = ['mysql', 'mariadb', 'aurora'];

/**
 * Task settings of every replication task. Logging goes to the encrypted log group
 * `dms-tasks-<instance>` this construct creates (DMS names it; the group and stream keys of
 * `Logging` are read-only). A full load drops and recreates each table's folder (the raw bucket
 * is versioned: replaced objects stay recoverable as noncurrent versions). LOB columns (e.g.
 * PostgreSQL `text`, `jsonb`, `bytea`) are replicated in limited LOB mode and cut at
 * `LobMaxSize` KB, the DMS default.
 * @see https://docs.aws.amazon.com/dms/latest/userguide/CHAP_Tasks.CustomizingTasks.TaskSettings.html
 */
export const DMS_TASK_SETTINGS = {
  TargetMetadata: { SupportLobs: true, FullLobMode: false, LimitedSizeLobMode: true, LobMaxSize: 32 },
  FullLoadSettings: { TargetTablePrepMode: 'DROP_AND_CREATE', MaxFullLoadSubTasks: 8, CommitRate: 10000 },
  Logging: { EnableLogging: true },
  ErrorBehavior: { FailOnNoTablesCaptured: true },
} as const;

/** Longest replication instance identifier DMS accepts (NAME_LIMITS.dmsIdentifier, 255, is for endpoints and tasks). */
export const DMS_INSTANCE_ID_MAX_LENGTH = 63;

/** One selection rule of a DMS table mapping. */
export interface DmsSelectionRule {
  readonly 'rule-type': 'selection';
  readonly 'rule-id': string;
  readonly 'rule-name': string;
  readonly 'object-locator': { readonly 'schema-name': string; readonly 'table-name': string };
  readonly 'rule-action': 'include';
}

/** A DMS table mapping document: `{ rules: [...] }`. */
export interface DmsTableMappings {
  readonly rules: readonly DmsSelectionRule[];
}

/**
 * The table mappings of a replication task: one `include` selection rule per schema/table entry,
 * `%` wildcards kept as DMS reads them.
 *
 * Entries are sorted by schema, then table (plain code-unit order), and numbered from 1 in that
 * order: `rule-id` and `rule-name` are that number. The same tables give the same document in
 * any order, so reordering the config changes nothing in the plan.
 *
 * @see https://docs.aws.amazon.com/dms/latest/userguide/CHAP_Tasks.CustomizingTasks.TableMapping.SelectionTransformation.Selections.html
 */
export function tableMappings(tables: readonly { readonly schema: string; readonly table: string }[]): DmsTableMappings {
  const sorted = [...tables].sort((a, b) => compare(a.schema, b.schema) || compare(a.table, b.table));
  return {
    rules: sorted.map((t, i) => ({
      'rule-type': 'selection',
      'rule-id': String(i + 1),
      'rule-name': String(i + 1),
      'object-locator': { 'schema-name': t.schema, 'table-name': t.table },
      'rule-action': 'include',
    })),
  };
}

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Props of {@link DatabaseReplication}. */
export interface DatabaseReplicationProps {
  /** The lake whose raw zone receives the tables, encrypted with its key. */
  readonly lake: DataLake;
  /** Dataset name (the key under `ingestion.databases`): part of resource names. */
  readonly name: string;
  /** The dataset's `ingestion.databases.<name>` section, validated and defaulted by the config loader. */
  readonly config: DatabaseConfig;
  /** The environment's network: the replication instance runs in its subnets. */
  readonly network: ReplicationNetwork;
  /**
   * ARN of a DMS certificate (`aws_dms_certificate`) holding the CA bundle that signed the source
   * database's server certificate. With it the source endpoint verifies the server
   * (`ssl_mode` verify-full); without it PostgreSQL sources use `require` (encrypted, server not
   * verified) and MySQL-compatible sources are rejected, since DMS offers them no TLS without a
   * CA certificate.
   * @default none: PostgreSQL sources use ssl_mode "require"; MySQL-compatible sources are rejected
   */
  readonly certificateArn?: string;
  /**
   * Weekly maintenance window of the replication instance, `ddd:hh24:mi-ddd:hh24:mi` in UTC.
   * @default "sun:03:00-sun:04:00" (DATABASE_REPLICATION_DEFAULTS.maintenanceWindow)
   */
  readonly maintenanceWindow?: string;
}

/**
 * An operational database replicated by AWS DMS into the lake's raw zone as Parquet.
 *
 * - A replication instance (class, storage, Multi-AZ from config) in the network's subnets, with
 *   no public IP, its storage encrypted with the lake key, minor versions applied in its
 *   maintenance window.
 * - Its security group allows no inbound traffic and two outbound flows: TCP `config.port` to
 *   `config.sourceCidr` (the database), and HTTPS to the VPC's own CIDR for the AWS APIs DMS
 *   calls (S3, Secrets Manager, KMS). That assumes the network provides interface VPC endpoints
 *   for them (S3 included: a gateway endpoint is reached through a prefix list, which an offline
 *   plan cannot look up) and no route to the internet.
 * - The source endpoint connects over TLS (see {@link DatabaseReplicationProps.certificateArn})
 *   with credentials DMS reads from Secrets Manager through a role that may read only that
 *   secret: no user name or password is in the configuration or the state. The secret holds
 *   `username`, `password`, `host` and `port` (DMS takes the connection from it, not from
 *   `config.host`). A secret encrypted with a customer-managed key also needs that key's policy
 *   to let the role decrypt through Secrets Manager.
 * - The target endpoint writes Parquet objects, encrypted with the lake key, under the dataset
 *   prefix as `<prefix><schema>/<table>/`: full-load files (each row marked `I`) and CDC files
 *   whose `Op` column says I, U or D, every row stamped with `dms_commit_ts`. Its role may write,
 *   delete and tag objects and list keys under that prefix only.
 * - The task replicates the selected tables (see {@link tableMappings}) with logging to an
 *   encrypted log group `dms-tasks-<instance>`. It is created stopped: an operator starts it
 *   after the first apply (runbook: check the endpoints' connection tests, then start the task),
 *   so an apply never starts or restarts a full load by itself. Change data capture needs the
 *   source prepared first (PostgreSQL: logical replication; MySQL-compatible: row-based binlog).
 *
 * DMS needs two account-level roles that this construct does not create: `dms-vpc-role` (with
 * AmazonDMSVPCManagementRole, before the subnet group can be created) and
 * `dms-cloudwatch-logs-role` (with AmazonDMSCloudWatchLogsRole, for task logs). apps/bootstrap
 * creates them once per account. Both service roles here limit the trust to this account
 * (`aws:SourceAccount`), which DMS honours from engine version 3.4.7.
 *
 * No resource here is stateful (the data lands in the lake's bucket), so none has a pinned address.
 *
 * @see https://docs.aws.amazon.com/dms/latest/userguide/CHAP_Target.S3.html
 * @see https://docs.aws.amazon.com/dms/latest/userguide/security_iam_secretsmanager.html
 * @see https://docs.aws.amazon.com/dms/latest/userguide/CHAP_Security.SSL.html
 */
export class DatabaseReplication extends Construct {
  /** The replication instance. */
  readonly instance: DmsReplicationInstance;
  /** The subnet group of the replication instance (the network's subnets). */
  readonly subnetGroup: DmsReplicationSubnetGroup;
  /** The replication instance's security group (egress to the source and the VPC only). */
  readonly securityGroup: SecurityGroup;
  /** The source database endpoint. */
  readonly source: DmsEndpoint;
  /** The raw-zone S3 endpoint. */
  readonly target: DmsS3Endpoint;
  /** The replication task, created stopped. */
  readonly task: DmsReplicationTask;
  /** The role DMS assumes to read the source credentials (`dms.<region>.amazonaws.com`). */
  readonly secretsRole: ServiceRole;
  /** The role DMS assumes to write the raw zone (`dms.amazonaws.com`). */
  readonly targetRole: ServiceRole;
  /** The task log group `dms-tasks-<instance id>`, encrypted with the lake key. */
  readonly logGroup: EncryptedLogGroup;
  /** The raw-zone prefix the dataset lands in (`config.prefix`, or `<name>/`). */
  readonly prefix: string;

  constructor(scope: Construct, id: string, props: DatabaseReplicationProps) {
    super(scope, id);
    const v = new Validator(`DatabaseReplication ${this.node.path}`);
    checkDatabaseReplicationProps(v, props);
    v.throwIfAny();

    const { lake, name, config, network } = props;
    const stack = PlatformStack.of(this);
    const { region, account } = stack.env;
    const dmsName = (part: string, maxLength: number = NAME_LIMITS.dmsIdentifier) =>
      stack.resourceName('ingestion', `${name}-${part}`, { maxLength });
    this.prefix = rawPrefix(name, config);
    const raw = lake.zones.raw;

    this.subnetGroup = new DmsReplicationSubnetGroup(this, 'subnet-group', {
      replicationSubnetGroupId: dmsName('dms'),
      replicationSubnetGroupDescription: `DMS replication of ${name} into the raw zone`,
      subnetIds: Object.values(network.subnets),
    });

    this.securityGroup = new SecurityGroup(this, 'security-group', {
      name: dmsName('dms', NAME_LIMITS.securityGroup),
      description: `DMS replication instance of ${name}: egress to the source database and the VPC endpoints only`,
      vpcId: network.vpcId,
    });
    new VpcSecurityGroupEgressRule(this, 'egress-source', {
      securityGroupId: this.securityGroup.id,
      description: `Source database of ${name}`,
      ipProtocol: 'tcp',
      fromPort: config.port,
      toPort: config.port,
      cidrIpv4: config.sourceCidr,
    });
    new VpcSecurityGroupEgressRule(this, 'egress-aws-apis', {
      securityGroupId: this.securityGroup.id,
      description: 'AWS APIs (S3, Secrets Manager, KMS) through interface VPC endpoints',
      ipProtocol: 'tcp',
      fromPort: DATABASE_REPLICATION_SETTINGS.awsApiPort,
      toPort: DATABASE_REPLICATION_SETTINGS.awsApiPort,
      cidrIpv4: network.vpcCidr,
    });

    const instanceId = dmsName('dms', DMS_INSTANCE_ID_MAX_LENGTH);
    this.instance = new DmsReplicationInstance(this, 'instance', {
      replicationInstanceId: instanceId,
      replicationInstanceClass: config.instanceClass,
      allocatedStorage: config.allocatedStorageGb,
      multiAz: config.multiAz,
      publiclyAccessible: false,
      kmsKeyArn: lake.key.arn,
      replicationSubnetGroupId: this.subnetGroup.replicationSubnetGroupId,
      vpcSecurityGroupIds: [this.securityGroup.id],
      autoMinorVersionUpgrade: true,
      applyImmediately: false,
      preferredMaintenanceWindow: props.maintenanceWindow ?? DATABASE_REPLICATION_DEFAULTS.maintenanceWindow,
    });

    // DMS assumes the Secrets Manager access role through its regional service principal.
    this.secretsRole = new ServiceRole(this, 'secrets-role', {
      layer: 'ingestion',
      service: `dms.${region}.amazonaws.com`,
      name: `${name}-dms-secrets`,
      description: `DMS reads the ${name} source credentials`,
    });
    const secretsPolicy = this.secretsRole.allow('read-secret', [
      {
        sid: 'ReadSourceCredentials',
        effect: 'Allow',
        actions: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'],
        resources: [config.secretArn],
      },
    ]);

    const certificateArn = props.certificateArn;
    this.source = new DmsEndpoint(this, 'source', {
      endpointId: dmsName('source'),
      endpointType: 'source',
      engineName: config.engine,
      databaseName: config.databaseName,
      sslMode: certificateArn
        ? DATABASE_REPLICATION_SETTINGS.sslModeWithCertificate
        : DATABASE_REPLICATION_SETTINGS.sslModeWithoutCertificate,
      certificateArn,
      secretsManagerArn: config.secretArn,
      secretsManagerAccessRoleArn: this.secretsRole.arn,
      kmsKeyArn: lake.key.arn,
      dependsOn: [secretsPolicy],
    });

    this.targetRole = new ServiceRole(this, 'target-role', {
      layer: 'ingestion',
      service: 'dms.amazonaws.com',
      name: `${name}-dms-s3`,
      description: `DMS writes ${name} into the raw zone under ${this.prefix}`,
    });
    const targetPolicies: IamRolePolicy[] = [
      lake.grantWrite(this.targetRole.role, 'raw', this.prefix),
      // Beyond put: a full load replaces each table's folder, and DMS tags the objects it writes
      // and lists the folder it replaces; all of it only under the dataset prefix.
      this.targetRole.allow('replicate-objects', [
        {
          sid: 'ReplaceAndTagObjects',
          effect: 'Allow',
          actions: ['s3:DeleteObject', 's3:PutObjectTagging'],
          resources: [`${raw.arn}/${this.prefix}*`],
        },
        {
          sid: 'ListPrefix',
          effect: 'Allow',
          actions: ['s3:ListBucket'],
          resources: [raw.arn],
          condition: [{ test: 'StringLike', variable: 's3:prefix', values: [`${this.prefix}*`] }],
        },
      ]),
    ];

    const s = DATABASE_REPLICATION_SETTINGS;
    this.target = new DmsS3Endpoint(this, 'target', {
      endpointId: dmsName('raw'),
      endpointType: 'target',
      bucketName: raw.name,
      bucketFolder: this.prefix.replace(/\/$/, ''),
      expectedBucketOwner: account,
      serviceAccessRoleArn: this.targetRole.arn,
      kmsKeyArn: lake.key.arn,
      encryptionMode: 'SSE_KMS',
      serverSideEncryptionKmsKeyId: lake.key.arn,
      dataFormat: s.dataFormat,
      parquetVersion: s.parquetVersion,
      compressionType: s.compression,
      // Athena and Glue read Parquet timestamps in milliseconds.
      parquetTimestampInMillisecond: true,
      timestampColumnName: s.timestampColumn,
      // Full-load rows carry the task start, earlier than any change captured after it, so the
      // latest row per key is the current one.
      useTaskStartTimeForFullLoadTimestamp: true,
      includeOpForFullLoad: true,
      cdcInsertsOnly: false,
      cdcInsertsAndUpdates: false,
      cdcMaxBatchInterval: s.cdcMaxBatchIntervalSeconds,
      cdcMinFileSize: s.cdcMinFileSizeKb,
      dependsOn: targetPolicies,
    });

    this.logGroup = new EncryptedLogGroup(this, 'task-logs', { name: `dms-tasks-${instanceId}`, key: lake.key });

    this.task = new DmsReplicationTask(this, 'task', {
      replicationTaskId: dmsName('replication'),
      migrationType: config.migrationType,
      replicationInstanceArn: this.instance.replicationInstanceArn,
      sourceEndpointArn: this.source.endpointArn,
      targetEndpointArn: this.target.endpointArn,
      tableMappings: JSON.stringify(tableMappings(config.tables)),
      replicationTaskSettings: JSON.stringify(DMS_TASK_SETTINGS),
      // Started by an operator after the first apply (see the class docs), never by Terraform.
      startReplicationTask: false,
      // DMS logs to dms-tasks-<instance>; it must exist, encrypted, before the task can log.
      dependsOn: [this.logGroup.logGroup],
    });
  }
}

/** Unresolved tokens are checked by Terraform, not here. */
const known = <T>(value: T): boolean => value !== undefined && !Token.isUnresolved(value);
const wholeIn = (n: number, min: number, max: number) => Number.isInteger(n) && n >= min && n <= max;

const PREFIX_RE = /^[a-z0-9][a-z0-9_\-/=]*\/$/;
const OBJECT_NAME_RE = /^[A-Za-z0-9_$%]+$/;
const DATABASE_NAME_RE = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;
const INSTANCE_CLASS_RE = /^dms\.[a-z0-9]+\.[a-z0-9]+$/;
const SECRET_ARN_RE = /^arn:aws(-cn|-us-gov)?:secretsmanager:[a-z0-9-]+:\d{12}:secret:[A-Za-z0-9/_+=.@-]+$/;
const CERTIFICATE_ARN_RE = /^arn:aws(-cn|-us-gov)?:dms:[a-z0-9-]+:\d{12}:cert:[A-Za-z0-9-]+$/;
const WINDOW_RE = /^(mon|tue|wed|thu|fri|sat|sun):([01]\d|2[0-3]):[0-5]\d-(mon|tue|wed|thu|fri|sat|sun):([01]\d|2[0-3]):[0-5]\d$/;
const VPC_ID_RE = /^vpc-[0-9a-f]{8,17}$/;
const SUBNET_ID_RE = /^subnet-[0-9a-f]{8,17}$/;

function checkDatabaseReplicationProps(v: Validator, props: DatabaseReplicationProps): void {
  const { name, config, network } = props;
  if (known(name)) {
    checkDatasetName(v, name);
  }
  if (known(config.engine)) {
    v.check(DMS_ENGINES.includes(config.engine), 'config.engine', `is ${describeValue(config.engine)}; use one of ${DMS_ENGINES.join(', ')}`);
  }
  if (known(config.port)) {
    v.check(wholeIn(config.port, 1, 65535), 'config.port', `is ${describeValue(config.port)}; use a whole number from 1 to 65535`);
  }
  if (known(config.databaseName)) {
    v.check(DATABASE_NAME_RE.test(config.databaseName), 'config.databaseName', `is ${describeValue(config.databaseName)}; use a database name of letters, digits and "_"`);
  }
  if (known(config.secretArn)) {
    v.check(SECRET_ARN_RE.test(config.secretArn), 'config.secretArn', `is ${describeValue(config.secretArn)}; use the ARN of a Secrets Manager secret holding username, password, host and port`);
  }
  if (known(config.sourceCidr)) {
    const problem = cidrProblem(config.sourceCidr, SOURCE_PREFIXES);
    if (problem) v.add('config.sourceCidr', `is ${describeValue(config.sourceCidr)}; ${problem.startsWith('use ') ? problem : `it ${problem}`}`);
  }
  if (known(config.instanceClass)) {
    v.check(INSTANCE_CLASS_RE.test(config.instanceClass), 'config.instanceClass', `is ${describeValue(config.instanceClass)}; use a DMS instance class such as "dms.t3.medium"`);
  }
  if (known(config.allocatedStorageGb)) {
    v.check(wholeIn(config.allocatedStorageGb, 5, 6144), 'config.allocatedStorageGb', `is ${describeValue(config.allocatedStorageGb)}; use a whole number from 5 to 6144 (GiB)`);
  }
  if (known(config.migrationType)) {
    v.check(MIGRATION_TYPES.includes(config.migrationType), 'config.migrationType', `is ${describeValue(config.migrationType)}; use one of ${MIGRATION_TYPES.join(', ')}`);
  }
  if (known(config.prefix)) {
    v.check(PREFIX_RE.test(config.prefix as string), 'config.prefix', `is ${describeValue(config.prefix)}; use a raw-zone key prefix of lowercase letters, digits, "_", "-", "=" and "/", ending with "/" (e.g. "orders/")`);
  }
  checkTables(v, config.tables);

  const certificateArn = props.certificateArn;
  if (known(certificateArn)) {
    v.check(CERTIFICATE_ARN_RE.test(certificateArn as string), 'certificateArn', `is ${describeValue(certificateArn)}; use the ARN of a DMS certificate (arn:aws:dms:<region>:<account>:cert:<id>)`);
  } else if (certificateArn === undefined && known(config.engine) && CERTIFICATE_REQUIRED_ENGINES.includes(config.engine)) {
    v.add('certificateArn', `is missing; engine ${config.engine} connects over TLS only with a CA certificate (DMS has no ssl_mode "require" for MySQL-compatible sources): import the CA bundle of the source's server certificate as a DMS certificate and pass its ARN`);
  }
  const window = props.maintenanceWindow;
  if (known(window)) {
    v.check(WINDOW_RE.test(window as string), 'maintenanceWindow', `is ${describeValue(window)}; use "ddd:hh24:mi-ddd:hh24:mi" in UTC, e.g. "sun:03:00-sun:04:00"`);
  }

  if (known(network.vpcId)) {
    v.check(VPC_ID_RE.test(network.vpcId), 'network.vpcId', `is ${describeValue(network.vpcId)}; use a VPC id such as "vpc-0a1b2c3d4e5f67890"`);
  }
  if (known(network.vpcCidr)) {
    const problem = cidrProblem(network.vpcCidr);
    if (problem) v.add('network.vpcCidr', `is ${describeValue(network.vpcCidr)}; ${problem.startsWith('use ') ? problem : `it ${problem}`}`);
  }
  const subnets = Object.entries(network.subnets ?? {});
  v.check(subnets.length >= 2, 'network.subnets', `lists ${subnets.length} subnet${subnets.length === 1 ? '' : 's'}; list subnets in at least 2 availability zones (a DMS subnet group needs two)`);
  for (const [az, subnet] of subnets) {
    if (known(subnet)) v.check(SUBNET_ID_RE.test(subnet), `network.subnets.${az}`, `is ${describeValue(subnet)}; use a subnet id such as "subnet-0a1b2c3d4e5f67890"`);
  }
  if (known(config.port) && known(config.sourceCidr) && known(network.vpcCidr)) {
    v.check(
      !(config.port === DATABASE_REPLICATION_SETTINGS.awsApiPort && config.sourceCidr === network.vpcCidr),
      'config.sourceCidr',
      `is ${describeValue(config.sourceCidr)} on port ${config.port}, the same rule as the VPC's HTTPS egress; narrow sourceCidr to the database's subnet`,
    );
  }
}

function checkTables(v: Validator, tables: DatabaseConfig['tables']): void {
  if (!Array.isArray(tables) || tables.length === 0) {
    v.add('config.tables', 'is empty; list at least one schema/table to replicate ("%" is a wildcard)');
    return;
  }
  const seen = new Map<string, number>();
  tables.forEach((t, i) => {
    const path = `config.tables.${i}`;
    for (const field of ['schema', 'table'] as const) {
      const value = t[field];
      if (known(value)) {
        v.check(OBJECT_NAME_RE.test(value), `${path}.${field}`, `is ${describeValue(value)}; use a ${field} name of letters, digits, "_", "$", or "%" as a wildcard`);
      }
    }
    const key = `${t.schema}.${t.table}`;
    const first = seen.get(key);
    if (first === undefined) seen.set(key, i);
    else v.add(path, `is ${describeValue(key)} again (also config.tables.${first}); list each schema/table once`);
  });
}
