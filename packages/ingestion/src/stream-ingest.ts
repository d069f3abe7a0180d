import { Token } from 'cdktf';
import { Construct } from 'constructs';
import { CloudwatchLogStream } from '@cdktf/provider-aws/lib/cloudwatch-log-stream';
import { DataAwsIamPolicyDocumentStatement } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { GlueCatalogTable } from '@cdktf/provider-aws/lib/glue-catalog-table';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import {
  KinesisFirehoseDeliveryStream,
  KinesisFirehoseDeliveryStreamExtendedS3ConfigurationProcessingConfigurationProcessors,
} from '@cdktf/provider-aws/lib/kinesis-firehose-delivery-stream';
import { KinesisStream } from '@cdktf/provider-aws/lib/kinesis-stream';
import {
  COLUMN_TYPES,
  describeValue,
  EncryptedLogGroup,
  NAME_LIMITS,
  PlatformStack,
  rawPrefix,
  ServiceRole,
  stateful,
  StreamConfig,
  Validator,
} from '@data-platform/core';
import { DataLake } from '@data-platform/lake';
import { ingestAddress } from './shared/address';
import { checkDatasetName } from './shared/dataset-name';

/**
 * Fixed settings of every {@link StreamIngest}: not configurable, asserted by tests so these
 * docs and the code cannot drift.
 */
export const STREAM_INGEST_SETTINGS = {
  /** Log stream Firehose writes delivery errors to, in the stream's log group. */
  logStreamName: 'DestinationDelivery',
  /** Parsing engine of the MetadataExtraction processor (the only one Firehose offers). */
  jsonParsingEngine: 'JQ-1.6',
  /**
   * Smallest buffer (MiB) Firehose accepts with dynamic partitioning or Parquet conversion.
   * @see https://docs.aws.amazon.com/firehose/latest/dev/dynamic-partitioning.html
   */
  minConversionBufferMb: 64,
  /**
   * Smallest buffer interval (s) with dynamic partitioning: Firehose has no zero buffering there.
   * @see https://docs.aws.amazon.com/firehose/latest/dev/buffering.html
   */
  minPartitionedIntervalSeconds: 60,
  /** Folder under the dataset prefix that receives records Firehose could not deliver. */
  errorsFolder: 'errors/',
  /** First year the table's partition projection covers (it runs to the current year, NOW). */
  projectionFirstYear: 2020,
  /** Parquet compression of converted objects. */
  parquetCompression: 'SNAPPY',
  /** Compression of JSON objects (Parquet objects carry their own compression). */
  jsonCompression: 'GZIP',
} as const;

/** Partition keys every object gets after the dataset's own: the UTC day Firehose received the records. */
export const DATE_PARTITION_KEYS = ['year', 'month', 'day'] as const;

const DATE_PATH = 'year=!{timestamp:yyyy}/month=!{timestamp:MM}/day=!{timestamp:dd}/';
const PREFIX_RE = /^[a-z0-9][a-z0-9_\-/=]*\/$/;
const COLUMN_RE = /^[a-z_][a-z0-9_]{0,127}$/;
const MAX_PARTITION_KEYS = 5;

const PARQUET = {
  serde: 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe',
  input: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat',
  output: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat',
} as const;

/**
 * The S3 prefix Firehose writes records to: `<prefix><key>=!{partitionKeyFromQuery:<key>}/...`
 * for each `partitionBy` key, then the UTC day of arrival,
 * `year=!{timestamp:yyyy}/month=!{timestamp:MM}/day=!{timestamp:dd}/` (Hive style, so Athena and
 * Glue read the keys from the path).
 * @see https://docs.aws.amazon.com/firehose/latest/dev/s3-prefixes.html
 */
export function firehosePrefix(prefix: string, partitionBy: readonly string[]): string {
  const keys = partitionBy.map((key) => `${key}=!{partitionKeyFromQuery:${key}}/`).join('');
  return `${prefix}${keys}${DATE_PATH}`;
}

/**
 * The S3 prefix of records Firehose could not deliver or convert:
 * `<prefix>errors/!{firehose:error-output-type}/<day>/`. It lies under the dataset prefix, so the
 * dataset's one write grant covers it; Firehose requires it whenever the prefix uses expressions.
 */
export function errorOutputPrefix(prefix: string): string {
  return `${prefix}${STREAM_INGEST_SETTINGS.errorsFolder}!{firehose:error-output-type}/${DATE_PATH}`;
}

/** The JQ query that extracts the partition keys from a JSON record: `{event_type:.event_type}`. */
export function metadataExtractionQuery(partitionBy: readonly string[]): string {
  return `{${partitionBy.map((key) => `${key}:.${key}`).join(',')}}`;
}

/** Props of {@link StreamIngest}. */
export interface StreamIngestProps {
  /** The lake whose raw zone receives the records, encrypted with its key. */
  readonly lake: DataLake;
  /** Dataset name (the key under `ingestion.streams`): part of resource names and addresses. */
  readonly name: string;
  /** The dataset's `ingestion.streams.<name>` section, validated and defaulted by the config loader. */
  readonly config: StreamConfig;
}

/**
 * A streaming dataset: records land in the lake's raw zone through Amazon Data Firehose.
 *
 * - `source: kinesis`: a Kinesis Data Stream (KMS with the lake key, on-demand or provisioned)
 *   that producers write to and Firehose reads from. `direct-put`: producers write to Firehose,
 *   which encrypts its buffer with the lake key (Firehose allows no SSE on a Kinesis-fed stream:
 *   the Kinesis stream holds the data encrypted).
 * - Firehose writes objects with the lake key under the dataset prefix, partitioned by the
 *   `partitionBy` record fields (dynamic partitioning, JQ extraction) and by the UTC day of
 *   arrival; records it cannot deliver go under `<prefix>errors/`. Delivery errors are logged
 *   to an encrypted log group `/aws/kinesisfirehose/<stream>`.
 * - `format: parquet`: a Glue table in the raw database describes the records; Firehose converts
 *   JSON records to Parquet against it, and Athena finds the partitions by projection. A
 *   `partitionBy` field is a partition key of the table (a string read from the path), not a
 *   data column; Athena requires a `WHERE <key> = '...'` on each such key (injected projection).
 * - The Firehose role may write only the dataset prefix, read only its Kinesis stream, read
 *   only its table's schema and log only to its log stream.
 *
 * Firehose turns dynamic partitioning on only when a stream is created: adding `partitionBy` to a
 * deployed dataset needs its Firehose stream replaced (the Kinesis stream and the data stay).
 *
 * Pinned addresses: `aws_kinesis_stream.ingest_<name>_stream`, `aws_glue_catalog_table.ingest_<name>_table`.
 *
 * @see https://docs.aws.amazon.com/firehose/latest/dev/dynamic-partitioning.html
 * @see https://docs.aws.amazon.com/firehose/latest/dev/record-format-conversion.html
 */
export class StreamIngest extends Construct {
  /** The Kinesis Data Stream producers write to; undefined for `source: direct-put`. */
  readonly stream?: KinesisStream;
  /** The Firehose stream that delivers to the raw zone (producers write here with `direct-put`). */
  readonly deliveryStream: KinesisFirehoseDeliveryStream;
  /** The Glue table of the records, which Firehose converts against; undefined for `format: json`. */
  readonly table?: GlueCatalogTable;
  /** The role Firehose assumes. */
  readonly role: ServiceRole;
  /** Firehose's delivery error log. */
  readonly logGroup: EncryptedLogGroup;
  /** The log stream Firehose writes delivery errors to ({@link STREAM_INGEST_SETTINGS}.logStreamName). */
  readonly logStream: CloudwatchLogStream;
  /** The raw-zone prefix the dataset lands in (`config.prefix`, or `<name>/`). */
  readonly prefix: string;

  private readonly lake: DataLake;

  constructor(scope: Construct, id: string, props: StreamIngestProps) {
    super(scope, id);
    const { lake, name, config } = props;
    const v = new Validator(`StreamIngest ${this.node.path}`);
    checkStreamIngestProps(v, props);
    v.throwIfAny();
    this.lake = lake;

    const stack = PlatformStack.of(this);
    const { env } = stack;
    const partitionBy = config.partitionBy;
    const partitioned = partitionBy.length > 0;
    const parquet = config.format === 'parquet';
    this.prefix = rawPrefix(name, config);

    if (config.source === 'kinesis') {
      const onDemand = config.mode === 'on-demand';
      this.stream = stateful(
        new KinesisStream(this, 'stream', {
          name: stack.resourceName('ingestion', `${name}-stream`, { maxLength: NAME_LIMITS.kinesisStream }),
          encryptionType: 'KMS',
          kmsKeyId: lake.key.arn,
          retentionPeriod: config.retentionHours,
          streamModeDetails: { streamMode: onDemand ? 'ON_DEMAND' : 'PROVISIONED' },
          shardCount: onDemand ? undefined : config.shards,
        }),
        ingestAddress(name, 'stream'),
      );
    }

    if (parquet) {
      this.table = stateful(this.createTable(name, config), ingestAddress(name, 'table'));
    }

    const deliveryName = stack.resourceName('ingestion', `${name}-delivery`, { maxLength: NAME_LIMITS.firehoseStream });
    this.role = new ServiceRole(this, 'role', {
      layer: 'ingestion',
      service: 'firehose.amazonaws.com',
      name: `${name}-firehose`,
      description: `Firehose delivery of the ${name} stream into the raw zone`,
    });
    this.logGroup = new EncryptedLogGroup(this, 'log-group', { name: `/aws/kinesisfirehose/${deliveryName}`, key: lake.key });
    this.logStream = new CloudwatchLogStream(this, 'log-stream', {
      name: STREAM_INGEST_SETTINGS.logStreamName,
      logGroupName: this.logGroup.name,
    });

    // Firehose checks the role's permissions when the stream is created: the policies come first.
    const policies: IamRolePolicy[] = [lake.grantWrite(this.role.role, 'raw', this.prefix)];
    if (this.stream) policies.push(this.role.allow('read-stream', this.readStreamStatements(this.stream)));
    if (this.table) {
      policies.push(this.role.allow('read-schema', this.readSchemaStatements(this.table)));
      // Once governance encrypts the Data Catalog with the lake key, reading the schema decrypts through Glue.
      policies.push(lake.grantCatalog(this.role.role, 'read'));
    }
    policies.push(
      this.role.allow('write-logs', [
        { sid: 'WriteDeliveryLogs', effect: 'Allow', actions: ['logs:PutLogEvents'], resources: [this.logStream.arn] },
      ]),
    );

    const processors: KinesisFirehoseDeliveryStreamExtendedS3ConfigurationProcessingConfigurationProcessors[] = [];
    if (partitioned) {
      processors.push({
        type: 'MetadataExtraction',
        parameters: [
          { parameterName: 'MetadataExtractionQuery', parameterValue: metadataExtractionQuery(partitionBy) },
          { parameterName: 'JsonParsingEngine', parameterValue: STREAM_INGEST_SETTINGS.jsonParsingEngine },
        ],
      });
      // Without it, JSON records of a partition are concatenated with no separator (Parquet
      // conversion writes rows, so it needs none).
      if (!parquet) processors.push({ type: 'AppendDelimiterToRecord' });
    }

    this.deliveryStream = new KinesisFirehoseDeliveryStream(this, 'delivery-stream', {
      name: deliveryName,
      destination: 'extended_s3',
      kinesisSourceConfiguration: this.stream ? { kinesisStreamArn: this.stream.arn, roleArn: this.role.arn } : undefined,
      serverSideEncryption: this.stream ? undefined : { enabled: true, keyType: 'CUSTOMER_MANAGED_CMK', keyArn: lake.key.arn },
      extendedS3Configuration: {
        bucketArn: lake.zones.raw.arn,
        roleArn: this.role.arn,
        kmsKeyArn: lake.key.arn,
        prefix: firehosePrefix(this.prefix, partitionBy),
        errorOutputPrefix: errorOutputPrefix(this.prefix),
        bufferingSize: config.bufferSizeMb,
        bufferingInterval: config.bufferIntervalSeconds,
        // Parquet conversion requires UNCOMPRESSED here: the Parquet serializer compresses.
        compressionFormat: parquet ? 'UNCOMPRESSED' : STREAM_INGEST_SETTINGS.jsonCompression,
        dynamicPartitioningConfiguration: partitioned ? { enabled: true } : undefined,
        processingConfiguration: partitioned ? { enabled: true, processors } : undefined,
        dataFormatConversionConfiguration: this.table
          ? {
              enabled: true,
              inputFormatConfiguration: { deserializer: { openXJsonSerDe: { caseInsensitive: true } } },
              outputFormatConfiguration: { serializer: { parquetSerDe: { compression: STREAM_INGEST_SETTINGS.parquetCompression } } },
              schemaConfiguration: {
                databaseName: this.table.databaseName,
                tableName: this.table.name,
                region: env.region,
                roleArn: this.role.arn,
              },
            }
          : undefined,
        cloudwatchLoggingOptions: {
          enabled: true,
          logGroupName: this.logGroup.name,
          logStreamName: this.logStream.name,
        },
      },
      dependsOn: policies,
    });
  }

  /**
   * The Glue table of a Parquet dataset: the configured columns (minus the partitionBy fields,
   * which live in the path), partition keys for the partitionBy fields and the date, and a
   * partition projection whose location template is exactly Firehose's prefix.
   */
  private createTable(name: string, config: StreamConfig): GlueCatalogTable {
    const { lake } = this;
    const stack = PlatformStack.of(this);
    const partitionBy = config.partitionBy;
    const prefix = rawPrefix(name, config);
    const location = `s3://${lake.zones.raw.name}/${prefix}`;
    const keys = [...partitionBy, ...DATE_PARTITION_KEYS];
    // "$${" is a literal "${" in Terraform JSON: Athena, not Terraform, fills these in.
    const template = `${location}${keys.map((key) => `${key}=$\${${key}}/`).join('')}`;
    const projection: Record<string, string> = {
      'projection.enabled': 'true',
      'storage.location.template': template,
      ...Object.fromEntries(partitionBy.map((key) => [`projection.${key}.type`, 'injected'])),
      'projection.year.type': 'date',
      'projection.year.format': 'yyyy',
      'projection.year.range': `${STREAM_INGEST_SETTINGS.projectionFirstYear},NOW`,
      'projection.year.interval': '1',
      'projection.year.interval.unit': 'YEARS',
      'projection.month.type': 'integer',
      'projection.month.range': '1,12',
      'projection.month.digits': '2',
      'projection.day.type': 'integer',
      'projection.day.range': '1,31',
      'projection.day.digits': '2',
    };
    return new GlueCatalogTable(this, 'table', {
      // Glue table names share the 255-character limit of database names.
      name: stack.resourceName('ingestion', name, { separator: '_', maxLength: NAME_LIMITS.glueDatabase }),
      databaseName: lake.databases.raw.name,
      description: `Records of the ${name} stream, delivered by Firehose as Parquet`,
      tableType: 'EXTERNAL_TABLE',
      parameters: { EXTERNAL: 'TRUE', classification: 'parquet', 'parquet.compression': STREAM_INGEST_SETTINGS.parquetCompression, ...projection },
      partitionKeys: keys.map((key) => ({ name: key, type: 'string' })),
      storageDescriptor: {
        location,
        inputFormat: PARQUET.input,
        outputFormat: PARQUET.output,
        serDeInfo: { serializationLibrary: PARQUET.serde, parameters: { 'serialization.format': '1' } },
        columns: config.columns.filter((c) => !partitionBy.includes(c.name)).map((c) => ({ name: c.name, type: c.type })),
      },
    });
  }

  private readStreamStatements(stream: KinesisStream): DataAwsIamPolicyDocumentStatement[] {
    const { region } = PlatformStack.of(this).env;
    return [
      {
        sid: 'ReadStream',
        effect: 'Allow',
        actions: ['kinesis:DescribeStream', 'kinesis:GetShardIterator', 'kinesis:GetRecords', 'kinesis:ListShards'],
        resources: [stream.arn],
      },
      {
        sid: 'DecryptStream',
        effect: 'Allow',
        actions: ['kms:Decrypt'],
        resources: [this.lake.key.arn],
        condition: [
          { test: 'StringEquals', variable: 'kms:ViaService', values: [`kinesis.${region}.amazonaws.com`] },
          { test: 'StringEquals', variable: 'kms:EncryptionContext:aws:kinesis:arn', values: [stream.arn] },
        ],
      },
    ];
  }

  private readSchemaStatements(table: GlueCatalogTable): DataAwsIamPolicyDocumentStatement[] {
    const stack = PlatformStack.of(this);
    const { region, account } = stack.env;
    return [
      {
        sid: 'ReadTableSchema',
        effect: 'Allow',
        actions: ['glue:GetTable', 'glue:GetTableVersion', 'glue:GetTableVersions'],
        resources: [`arn:${stack.partition}:glue:${region}:${account}:catalog`, this.lake.databases.raw.arn, table.arn],
      },
    ];
  }
}

const known = <T>(value: T): boolean => value !== undefined && !Token.isUnresolved(value);
const wholeIn = (n: number, min: number, max: number) => Number.isInteger(n) && n >= min && n <= max;

/**
 * Records problems with StreamIngest props on `v`: what the config loader checks (for callers
 * that build a config in code) and what only the construct knows (names that would collide in
 * the table, the date keys, the length of pinned addresses). Values that are still tokens are
 * skipped.
 */
function checkStreamIngestProps(v: Validator, props: StreamIngestProps): void {
  const { name, config } = props;
  if (known(name)) {
    checkDatasetName(v, name);
  }
  const oneOf = (field: 'source' | 'mode' | 'format', allowed: readonly string[]) => {
    const value = config[field];
    if (known(value)) v.check(allowed.includes(value), `config.${field}`, `is ${describeValue(value)}; use ${allowed.map((a) => `"${a}"`).join(' or ')}`);
  };
  oneOf('source', ['kinesis', 'direct-put']);
  oneOf('mode', ['on-demand', 'provisioned']);
  oneOf('format', ['json', 'parquet']);

  const { shards, retentionHours, bufferSizeMb, bufferIntervalSeconds, prefix } = config;
  if (config.mode === 'on-demand' && shards !== undefined) {
    v.add('config.shards', `is ${describeValue(shards)}; an on-demand stream scales by itself: remove shards, or set mode "provisioned"`);
  }
  if (config.source === 'kinesis') {
    if (config.mode === 'provisioned') {
      if (shards === undefined) v.add('config.shards', 'is missing; a provisioned stream needs a shard count: set shards (1 to 500), or use mode "on-demand"');
      else if (known(shards)) v.check(wholeIn(shards, 1, 500), 'config.shards', `is ${describeValue(shards)}; use a whole number from 1 to 500`);
    }
    if (known(retentionHours)) {
      v.check(wholeIn(retentionHours, 24, 8760), 'config.retentionHours', `is ${describeValue(retentionHours)}; use a whole number from 24 to 8760 (the hours Kinesis can keep records)`);
    }
  }
  if (known(prefix)) {
    v.check(PREFIX_RE.test(prefix as string), 'config.prefix', `is ${describeValue(prefix)}; use a raw-zone key prefix of lowercase letters, digits, "_", "-", "=" and "/", ending with "/" (e.g. "orders/")`);
  }

  const partitionBy = config.partitionBy ?? [];
  const parquet = config.format === 'parquet';
  const partitioned = partitionBy.length > 0;
  const dateKeys: readonly string[] = DATE_PARTITION_KEYS;
  v.check(partitionBy.length <= MAX_PARTITION_KEYS, 'config.partitionBy', `has ${partitionBy.length} keys; use at most ${MAX_PARTITION_KEYS}`);
  partitionBy.forEach((key, i) => {
    if (!known(key)) return;
    const path = `config.partitionBy[${i}]`;
    v.check(COLUMN_RE.test(key), path, `is ${describeValue(key)}; use a top-level JSON field name of the records (lowercase letters, digits, "_")`);
    v.check(!dateKeys.includes(key), path, `is ${describeValue(key)}; every object is already partitioned by ${DATE_PARTITION_KEYS.join(', ')} (the day of arrival): partition by another field`);
    v.check(partitionBy.indexOf(key) === i, path, `is ${describeValue(key)} again; list each key once`);
  });

  const columns = config.columns ?? [];
  if (parquet) {
    v.check(columns.length > 0, 'config.columns', 'is empty; format is parquet, which converts records against their columns: list them (name, type), or set format "json"');
    const names = columns.map((c) => c.name);
    columns.forEach((column, i) => {
      const path = `config.columns[${i}]`;
      if (known(column.name)) {
        v.check(COLUMN_RE.test(column.name), `${path}.name`, `is ${describeValue(column.name)}; use a lowercase column name of letters, digits and "_"`);
        v.check(!dateKeys.includes(column.name), `${path}.name`, `is ${describeValue(column.name)}, a partition key of the table (the day of arrival); rename the column`);
        v.check(names.indexOf(column.name) === i, `${path}.name`, `is ${describeValue(column.name)} again; give each column its own name`);
      }
      if (known(column.type)) {
        v.check((COLUMN_TYPES as readonly string[]).includes(column.type), `${path}.type`, `is ${describeValue(column.type)}; use one of ${COLUMN_TYPES.join(', ')}`);
      }
    });
    if (columns.length > 0 && columns.every((c) => partitionBy.includes(c.name))) {
      v.add('config.columns', `are all partitionBy keys, which live in the object path, not in the Parquet data; list the other fields of the records`);
    }
  }

  if (known(bufferSizeMb)) {
    const needs = [parquet ? 'parquet conversion' : '', partitioned ? 'dynamic partitioning (partitionBy)' : ''].filter(Boolean).join(' and ');
    if (!wholeIn(bufferSizeMb, 1, 128)) {
      v.add('config.bufferSizeMb', `is ${describeValue(bufferSizeMb)}; use a whole number from ${needs ? STREAM_INGEST_SETTINGS.minConversionBufferMb : 1} to 128`);
    } else if (needs) {
      v.check(bufferSizeMb >= STREAM_INGEST_SETTINGS.minConversionBufferMb, 'config.bufferSizeMb',
        `is ${bufferSizeMb}; use ${STREAM_INGEST_SETTINGS.minConversionBufferMb} to 128: Firehose needs a buffer of at least ${STREAM_INGEST_SETTINGS.minConversionBufferMb} MiB for ${needs}`);
    }
  }
  if (known(bufferIntervalSeconds)) {
    const min = partitioned ? STREAM_INGEST_SETTINGS.minPartitionedIntervalSeconds : 0;
    const why = partitioned ? ': Firehose has no zero buffering with dynamic partitioning (partitionBy)' : '';
    v.check(wholeIn(bufferIntervalSeconds, min, 900), 'config.bufferIntervalSeconds', `is ${describeValue(bufferIntervalSeconds)}; use a whole number from ${min} to 900${why}`);
  }
}
