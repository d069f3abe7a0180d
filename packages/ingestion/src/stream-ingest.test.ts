import { createHash } from 'node:crypto';
import { App, TerraformVariable } from 'cdktf';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { CloudwatchLogStream } from '@cdktf/provider-aws/lib/cloudwatch-log-stream';
import { GlueCatalogTable } from '@cdktf/provider-aws/lib/glue-catalog-table';
import { KinesisFirehoseDeliveryStream } from '@cdktf/provider-aws/lib/kinesis-firehose-delivery-stream';
import { KinesisStream } from '@cdktf/provider-aws/lib/kinesis-stream';
import {
  EncryptedLogGroup,
  EnvironmentConfig,
  INGESTION_DEFAULTS,
  LOG_RETENTION_DAYS,
  PlatformError,
  policyStatements,
  problemsOf,
  rolePolicies,
  ServiceRole,
  StreamConfig,
  synthesize,
  synthesizedResource,
  SynthesizedStack,
  testApp,
} from '@data-platform/core';
import { stackWithLake } from '@data-platform/lake';
import { PolicyPack } from '@data-platform/policy';
import {
  DATE_PARTITION_KEYS,
  STREAM_INGEST_SETTINGS,
  StreamIngest,
  errorOutputPrefix,
  firehosePrefix,
  metadataExtractionQuery,
} from './stream-ingest';
import { devEnvironment as env, IngestionInput, KEY_ARN, layeredStacks, OFFLINE, RAW_ARN, RAW_NAME } from './test-support';

type StreamInput = IngestionInput<'streams'>;

/** The dataset of environments/*.yaml: partitioned by event type, converted to Parquet. */
const CLICKSTREAM = {
  partitionBy: ['event_type'],
  columns: [
    { name: 'event_id', type: 'string' },
    { name: 'event_type', type: 'string' },
    { name: 'occurred_at', type: 'timestamp' },
  ],
} satisfies StreamInput;

/** A stream config as the loader produces it: `input` validated, defaults filled in. */
function streamConfig(input: StreamInput = CLICKSTREAM): StreamConfig {
  return env({ ingestion: { streams: { clickstream: input } } }).ingestion.streams.clickstream;
}

const DATE_PATH = 'year=!{timestamp:yyyy}/month=!{timestamp:MM}/day=!{timestamp:dd}/';
const STREAM_ARN = '${aws_kinesis_stream.ingest_clickstream_stream.arn}';
const ROLE_ARN = '${aws_iam_role.clickstream_role_2898B0A6.arn}';
/** Name of the lake's write grant on `clickstream/` (the lake names grants by a hash of the prefix). */
const WRITE_GRANT = `adp-dev-lake-write-raw-${createHash('sha256').update('clickstream/').digest('hex').slice(0, 8)}`;

/** The lake and the stream in one stack `dev`. */
function build(config: StreamConfig = streamConfig(), environment = env(), name = 'clickstream') {
  const { stack, lake } = stackWithLake(environment);
  const ingest = new StreamIngest(stack, name, { lake, name, config });
  return { stack, lake, ingest };
}

function synth(config?: StreamConfig, environment?: EnvironmentConfig, name?: string) {
  const built = build(config, environment, name);
  return { ...built, ...synthesize(built.stack) };
}

/** The lake in `dev-lake` and the stream in `dev-ingestion`, both checked by the policy pack. */
function layered(app: App, environment: EnvironmentConfig, config: StreamConfig) {
  const { lakeStack, lake, stack } = layeredStacks(environment, { app, aspects: [new PolicyPack()] });
  const ingest = new StreamIngest(stack, 'clickstream', { lake, name: 'clickstream', config });
  return { lakeStack, stack, lake, ingest };
}

const firehose = (tf: SynthesizedStack) => Object.values(tf.resource?.aws_kinesis_firehose_delivery_stream ?? {})[0];
const s3Config = (tf: SynthesizedStack) => firehose(tf).extended_s3_configuration as Record<string, unknown>;

describe('StreamIngest', () => {
  describe('fixed settings', () => {
    it('documents its fixed settings as constants', () => {
      expect(STREAM_INGEST_SETTINGS).toEqual({
        logStreamName: 'DestinationDelivery',
        jsonParsingEngine: 'JQ-1.6',
        minConversionBufferMb: 64,
        minPartitionedIntervalSeconds: 60,
        errorsFolder: 'errors/',
        projectionFirstYear: 2020,
        parquetCompression: 'SNAPPY',
        jsonCompression: 'GZIP',
      });
      expect(DATE_PARTITION_KEYS).toEqual(['year', 'month', 'day']);
    });

    it('builds the Firehose prefixes and the JQ query from the partition keys', () => {
      expect(firehosePrefix('orders/', [])).toBe(`orders/${DATE_PATH}`);
      expect(firehosePrefix('orders/', ['tenant', 'kind'])).toBe(
        `orders/tenant=!{partitionKeyFromQuery:tenant}/kind=!{partitionKeyFromQuery:kind}/${DATE_PATH}`,
      );
      expect(errorOutputPrefix('orders/')).toBe(`orders/errors/!{firehose:error-output-type}/${DATE_PATH}`);
      expect(metadataExtractionQuery(['event_type'])).toBe('{event_type:.event_type}');
      expect(metadataExtractionQuery(['tenant', 'kind'])).toBe('{tenant:.tenant,kind:.kind}');
    });
  });

  describe('defaults', () => {
    it('applies the loader defaults: a Kinesis source, on-demand, 24 hours, Parquet, 128 MiB / 300 s, prefix <name>/', () => {
      const { tf, ingest } = synth(streamConfig({ columns: [{ name: 'event_id', type: 'string' }] }));
      expect(INGESTION_DEFAULTS.stream).toEqual({
        mode: 'on-demand', retentionHours: 24, format: 'parquet', bufferSizeMb: 128, bufferIntervalSeconds: 300, source: 'kinesis',
      });
      expect(synthesizedResource(tf, 'aws_kinesis_stream', 'ingest_clickstream_stream')).toMatchObject({
        stream_mode_details: { stream_mode: 'ON_DEMAND' },
        retention_period: 24,
      });
      expect(ingest.table).toBeInstanceOf(GlueCatalogTable);
      expect(s3Config(tf)).toMatchObject({ buffering_size: 128, buffering_interval: 300, compression_format: 'UNCOMPRESSED' });
      expect(ingest.prefix).toBe('clickstream/');
      expect(s3Config(tf).prefix).toBe(`clickstream/${DATE_PATH}`);
    });
  });

  describe('Kinesis stream', () => {
    it('creates an on-demand stream encrypted with the lake key, at its pinned address', () => {
      const { tf, ingest } = synth();
      expect(Object.keys(tf.resource?.aws_kinesis_stream ?? {})).toEqual(['ingest_clickstream_stream']);
      const stream = synthesizedResource(tf, 'aws_kinesis_stream', 'ingest_clickstream_stream');
      expect(stream).toEqual({
        name: 'adp-dev-ingestion-clickstream-stream',
        encryption_type: 'KMS',
        kms_key_id: KEY_ARN,
        retention_period: 24,
        stream_mode_details: { stream_mode: 'ON_DEMAND' },
        lifecycle: { prevent_destroy: true },
      });
      expect(ingest.stream).toBeInstanceOf(KinesisStream);
    });

    it('creates a provisioned stream with the configured shards and retention', () => {
      const { tf } = synth(streamConfig({ ...CLICKSTREAM, mode: 'provisioned', shards: 4, retentionHours: 168 }));
      expect(synthesizedResource(tf, 'aws_kinesis_stream', 'ingest_clickstream_stream')).toMatchObject({
        stream_mode_details: { stream_mode: 'PROVISIONED' },
        shard_count: 4,
        retention_period: 168,
      });
    });

    it('pins the address from the dataset name, hyphens as "_"', () => {
      const { tf } = synth(streamConfig(), env(), 'web-clicks');
      expect(Object.keys(tf.resource?.aws_kinesis_stream ?? {})).toEqual(['ingest_web_clicks_stream']);
      expect(Object.keys(tf.resource?.aws_glue_catalog_table ?? {})).toEqual(['ingest_web_clicks_table']);
    });

    it('leaves prevent_destroy off in an unprotected environment', () => {
      const { tf } = synth(streamConfig(), env({ protect: false }));
      expect(synthesizedResource(tf, 'aws_kinesis_stream', 'ingest_clickstream_stream').lifecycle).toBeUndefined();
      expect(synthesizedResource(tf, 'aws_glue_catalog_table', 'ingest_clickstream_table').lifecycle).toBeUndefined();
    });

    it('reads the Kinesis stream from Firehose, which then has no server-side encryption of its own', () => {
      const { tf } = synth();
      expect(firehose(tf).kinesis_source_configuration).toEqual({ kinesis_stream_arn: STREAM_ARN, role_arn: ROLE_ARN });
      expect(firehose(tf).server_side_encryption).toBeUndefined();
    });

    it('creates no Kinesis stream for direct PUT, and encrypts the Firehose buffer with the lake key', () => {
      const { tf, ingest } = synth(streamConfig({ ...CLICKSTREAM, source: 'direct-put' }));
      expect(tf.resource?.aws_kinesis_stream).toBeUndefined();
      expect(ingest.stream).toBeUndefined();
      expect(firehose(tf).kinesis_source_configuration).toBeUndefined();
      expect(firehose(tf).server_side_encryption).toEqual({ enabled: true, key_type: 'CUSTOMER_MANAGED_CMK', key_arn: KEY_ARN });
    });
  });

  describe('Glue table', () => {
    it('describes Parquet records in the raw database, at its pinned address', () => {
      const { tf, ingest } = synth();
      expect(Object.keys(tf.resource?.aws_glue_catalog_table ?? {})).toEqual(['ingest_clickstream_table']);
      const table = synthesizedResource(tf, 'aws_glue_catalog_table', 'ingest_clickstream_table');
      expect(table).toMatchObject({
        name: 'adp_dev_ingestion_clickstream',
        database_name: '${aws_glue_catalog_database.lake_raw_database.name}',
        table_type: 'EXTERNAL_TABLE',
        lifecycle: { prevent_destroy: true },
      });
      expect(table.storage_descriptor).toEqual({
        location: `s3://${RAW_NAME}/clickstream/`,
        input_format: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat',
        output_format: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat',
        ser_de_info: {
          serialization_library: 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe',
          parameters: { 'serialization.format': '1' },
        },
        // event_type is a partition key: its value lives in the path, not in the Parquet data.
        columns: [
          { name: 'event_id', type: 'string' },
          { name: 'occurred_at', type: 'timestamp' },
        ],
      });
      expect(ingest.table).toBeInstanceOf(GlueCatalogTable);
    });

    it('has partition keys for the partitionBy fields, then year, month and day', () => {
      const { tf } = synth();
      expect(synthesizedResource(tf, 'aws_glue_catalog_table', 'ingest_clickstream_table').partition_keys).toEqual([
        { name: 'event_type', type: 'string' },
        { name: 'year', type: 'string' },
        { name: 'month', type: 'string' },
        { name: 'day', type: 'string' },
      ]);
    });

    it('projects partitions with a location template that is exactly the Firehose prefix', () => {
      const { tf } = synth();
      const parameters = synthesizedResource(tf, 'aws_glue_catalog_table', 'ingest_clickstream_table').parameters as Record<string, string>;
      expect(parameters).toEqual({
        EXTERNAL: 'TRUE',
        classification: 'parquet',
        'parquet.compression': 'SNAPPY',
        'projection.enabled': 'true',
        // "$${" is Terraform JSON for a literal "${": Athena fills these in.
        'storage.location.template': `s3://${RAW_NAME}/clickstream/event_type=$\${event_type}/year=$\${year}/month=$\${month}/day=$\${day}/`,
        'projection.event_type.type': 'injected',
        'projection.year.type': 'date',
        'projection.year.format': 'yyyy',
        'projection.year.range': '2020,NOW',
        'projection.year.interval': '1',
        'projection.year.interval.unit': 'YEARS',
        'projection.month.type': 'integer',
        'projection.month.range': '1,12',
        'projection.month.digits': '2',
        'projection.day.type': 'integer',
        'projection.day.range': '1,31',
        'projection.day.digits': '2',
      });
      // The same keys, in the same order, as the path Firehose writes.
      const template = parameters['storage.location.template'].replace(`s3://${RAW_NAME}/`, '').replace(/\$\$\{(\w+)\}/g, '<$1>');
      const prefix = (s3Config(tf).prefix as string).replace(/!\{partitionKeyFromQuery:(\w+)\}/g, '<$1>')
        .replace('!{timestamp:yyyy}', '<year>').replace('!{timestamp:MM}', '<month>').replace('!{timestamp:dd}', '<day>');
      expect(template).toBe(prefix);
    });

    it('projects only the date for a dataset without partitionBy', () => {
      const { tf } = synth(streamConfig({ columns: [{ name: 'event_id', type: 'string' }] }));
      const table = synthesizedResource(tf, 'aws_glue_catalog_table', 'ingest_clickstream_table');
      expect((table.partition_keys as Array<{ name: string }>).map((k) => k.name)).toEqual(['year', 'month', 'day']);
      expect((table.parameters as Record<string, string>)['storage.location.template']).toBe(
        `s3://${RAW_NAME}/clickstream/year=$\${year}/month=$\${month}/day=$\${day}/`,
      );
    });

    it('uses the configured prefix for the table location', () => {
      const { tf, ingest } = synth(streamConfig({ ...CLICKSTREAM, prefix: 'events/clicks/' }));
      expect(ingest.prefix).toBe('events/clicks/');
      expect((synthesizedResource(tf, 'aws_glue_catalog_table', 'ingest_clickstream_table').storage_descriptor as Record<string, unknown>).location)
        .toBe(`s3://${RAW_NAME}/events/clicks/`);
      expect(s3Config(tf)).toMatchObject({
        prefix: `events/clicks/event_type=!{partitionKeyFromQuery:event_type}/${DATE_PATH}`,
        error_output_prefix: `events/clicks/errors/!{firehose:error-output-type}/${DATE_PATH}`,
      });
    });

    it('creates no table for JSON', () => {
      const { tf, ingest } = synth(streamConfig({ ...CLICKSTREAM, format: 'json' }));
      expect(tf.resource?.aws_glue_catalog_table).toBeUndefined();
      expect(ingest.table).toBeUndefined();
    });
  });

  describe('Firehose', () => {
    it('delivers to the raw bucket with the lake key, the dynamic prefix and the error prefix', () => {
      const { json, tf, ingest } = synth();
      expect(json).toHaveResourceWithProperties(KinesisFirehoseDeliveryStream, { name: 'adp-dev-ingestion-clickstream-delivery', destination: 'extended_s3' });
      expect(s3Config(tf)).toMatchObject({
        bucket_arn: RAW_ARN,
        role_arn: ROLE_ARN,
        kms_key_arn: KEY_ARN,
        prefix: `clickstream/event_type=!{partitionKeyFromQuery:event_type}/${DATE_PATH}`,
        error_output_prefix: `clickstream/errors/!{firehose:error-output-type}/${DATE_PATH}`,
      });
      expect(ingest.deliveryStream).toBeInstanceOf(KinesisFirehoseDeliveryStream);
    });

    it('extracts the partition keys with a JQ query and enables dynamic partitioning', () => {
      const { tf } = synth(streamConfig({ ...CLICKSTREAM, partitionBy: ['event_type', 'country'] }));
      expect(s3Config(tf).dynamic_partitioning_configuration).toEqual({ enabled: true });
      expect(s3Config(tf).processing_configuration).toEqual({
        enabled: true,
        processors: [
          {
            type: 'MetadataExtraction',
            parameters: [
              { parameter_name: 'MetadataExtractionQuery', parameter_value: '{event_type:.event_type,country:.country}' },
              { parameter_name: 'JsonParsingEngine', parameter_value: 'JQ-1.6' },
            ],
          },
        ],
      });
      expect(s3Config(tf).prefix).toBe(
        `clickstream/event_type=!{partitionKeyFromQuery:event_type}/country=!{partitionKeyFromQuery:country}/${DATE_PATH}`,
      );
    });

    it('partitions by date only, with no processing, without partitionBy', () => {
      const { tf } = synth(streamConfig({ columns: [{ name: 'event_id', type: 'string' }] }));
      expect(s3Config(tf).prefix).toBe(`clickstream/${DATE_PATH}`);
      expect(s3Config(tf).error_output_prefix).toBe(`clickstream/errors/!{firehose:error-output-type}/${DATE_PATH}`);
      expect(s3Config(tf).dynamic_partitioning_configuration).toBeUndefined();
      expect(s3Config(tf).processing_configuration).toBeUndefined();
    });

    it('converts JSON to Parquet against the Glue table (OpenX JSON in, Snappy Parquet out)', () => {
      const { tf } = synth();
      expect(s3Config(tf).compression_format).toBe('UNCOMPRESSED');
      expect(s3Config(tf).data_format_conversion_configuration).toEqual({
        enabled: true,
        input_format_configuration: { deserializer: { open_x_json_ser_de: { case_insensitive: true } } },
        output_format_configuration: { serializer: { parquet_ser_de: { compression: 'SNAPPY' } } },
        schema_configuration: {
          database_name: '${aws_glue_catalog_table.ingest_clickstream_table.database_name}',
          table_name: '${aws_glue_catalog_table.ingest_clickstream_table.name}',
          region: 'eu-west-1',
          role_arn: ROLE_ARN,
        },
      });
    });

    it('writes gzipped JSON, newline-delimited when partitioned, without conversion for format json', () => {
      const { tf } = synth(streamConfig({ ...CLICKSTREAM, format: 'json' }));
      expect(s3Config(tf).compression_format).toBe('GZIP');
      expect(s3Config(tf).data_format_conversion_configuration).toBeUndefined();
      expect((s3Config(tf).processing_configuration as { processors: unknown[] }).processors[1]).toEqual({ type: 'AppendDelimiterToRecord' });
    });

    it('takes the buffer size and interval from the config', () => {
      const { tf } = synth(streamConfig({ format: 'json', source: 'direct-put', bufferSizeMb: 5, bufferIntervalSeconds: 0 }));
      expect(s3Config(tf)).toMatchObject({ buffering_size: 5, buffering_interval: 0 });
    });

    it('logs delivery errors to an encrypted log group named after the stream, log stream DestinationDelivery', () => {
      const { json, tf, ingest } = synth();
      expect(json).toHaveResourceWithProperties(CloudwatchLogGroup, {
        name: '/aws/kinesisfirehose/adp-dev-ingestion-clickstream-delivery',
        kms_key_id: KEY_ARN,
        retention_in_days: LOG_RETENTION_DAYS,
      });
      expect(json).toHaveResourceWithProperties(CloudwatchLogStream, { name: 'DestinationDelivery' });
      const logStream = Object.keys(tf.resource?.aws_cloudwatch_log_stream ?? {})[0];
      const logGroup = Object.keys(tf.resource?.aws_cloudwatch_log_group ?? {})[0];
      expect(s3Config(tf).cloudwatch_logging_options).toEqual({
        enabled: true,
        log_group_name: `\${aws_cloudwatch_log_group.${logGroup}.name}`,
        log_stream_name: `\${aws_cloudwatch_log_stream.${logStream}.name}`,
      });
      expect(ingest.logGroup).toBeInstanceOf(EncryptedLogGroup);
      expect(ingest.logStream).toBeInstanceOf(CloudwatchLogStream);
    });

    it('is created after every policy of its role (Firehose checks them at creation)', () => {
      const { tf } = synth();
      const policies = Object.keys(tf.resource?.aws_iam_role_policy ?? {}).map((p) => `aws_iam_role_policy.${p}`);
      expect(policies).toHaveLength(5);
      expect([...(firehose(tf).depends_on as string[])].sort()).toEqual(policies.sort());
    });
  });

  describe('IAM', () => {
    it('lets only firehose.amazonaws.com assume the role, for this account', () => {
      const { tf, ingest } = synth();
      expect(synthesizedResource(tf, 'aws_iam_role', 'clickstream_role_2898B0A6').name).toBe('adp-dev-ingestion-clickstream-firehose');
      const trust = /^\$\{data\.aws_iam_policy_document\.(.+)\.json\}$/.exec(synthesizedResource(tf, 'aws_iam_role', 'clickstream_role_2898B0A6').assume_role_policy as string)?.[1];
      expect(policyStatements(tf, trust as string)).toEqual([
        {
          effect: 'Allow',
          principals: [{ type: 'Service', identifiers: ['firehose.amazonaws.com'] }],
          actions: ['sts:AssumeRole'],
          condition: [{ test: 'StringEquals', variable: 'aws:SourceAccount', values: ['111111111111'] }],
        },
      ]);
      expect(ingest.role).toBeInstanceOf(ServiceRole);
    });

    it('grants exactly: write the dataset prefix, read its stream, read its table schema (and the catalog key through Glue), log to its log stream', () => {
      const { tf } = synth();
      const logStream = Object.keys(tf.resource?.aws_cloudwatch_log_stream ?? {})[0];
      const viaS3 = [{ test: 'StringEquals', variable: 'kms:ViaService', values: ['s3.eu-west-1.amazonaws.com'] }];
      const policies = rolePolicies(tf);
      expect(Object.keys(policies).sort()).toEqual(['adp-dev-lake-catalog-read', WRITE_GRANT, 'read-schema', 'read-stream', 'write-logs']);
      // Governance encrypts the Data Catalog with the lake key: reading the table decrypts through Glue.
      expect(policies['adp-dev-lake-catalog-read']).toEqual([
        { sid: 'ReadEncryptedCatalog', effect: 'Allow', actions: ['kms:Decrypt'], resources: [KEY_ARN], condition: [{ test: 'StringEquals', variable: 'kms:ViaService', values: ['glue.eu-west-1.amazonaws.com'] }] },
      ]);
      // The error prefix is under the dataset prefix: one grant covers both.
      expect(policies[WRITE_GRANT]).toEqual([
        { sid: 'WriteObjects', effect: 'Allow', actions: ['s3:PutObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'], resources: [`${RAW_ARN}/clickstream/*`] },
        { sid: 'LocateBucketAndUploads', effect: 'Allow', actions: ['s3:GetBucketLocation', 's3:ListBucketMultipartUploads'], resources: [RAW_ARN] },
        { sid: 'EncryptWithLakeKey', effect: 'Allow', actions: ['kms:GenerateDataKey', 'kms:Decrypt'], resources: [KEY_ARN], condition: viaS3 },
      ]);
      expect(policies['read-stream']).toEqual([
        {
          sid: 'ReadStream',
          effect: 'Allow',
          actions: ['kinesis:DescribeStream', 'kinesis:GetShardIterator', 'kinesis:GetRecords', 'kinesis:ListShards'],
          resources: [STREAM_ARN],
        },
        {
          sid: 'DecryptStream',
          effect: 'Allow',
          actions: ['kms:Decrypt'],
          resources: [KEY_ARN],
          condition: [
            { test: 'StringEquals', variable: 'kms:ViaService', values: ['kinesis.eu-west-1.amazonaws.com'] },
            { test: 'StringEquals', variable: 'kms:EncryptionContext:aws:kinesis:arn', values: [STREAM_ARN] },
          ],
        },
      ]);
      expect(policies['read-schema']).toEqual([
        {
          sid: 'ReadTableSchema',
          effect: 'Allow',
          actions: ['glue:GetTable', 'glue:GetTableVersion', 'glue:GetTableVersions'],
          resources: [
            'arn:${data.aws_partition.partition.partition}:glue:eu-west-1:111111111111:catalog',
            '${aws_glue_catalog_database.lake_raw_database.arn}',
            '${aws_glue_catalog_table.ingest_clickstream_table.arn}',
          ],
        },
      ]);
      expect(policies['write-logs']).toEqual([
        { sid: 'WriteDeliveryLogs', effect: 'Allow', actions: ['logs:PutLogEvents'], resources: [`\${aws_cloudwatch_log_stream.${logStream}.arn}`] },
      ]);
    });

    it('grants neither stream nor schema access to a direct-PUT JSON stream', () => {
      const { tf } = synth(streamConfig({ ...CLICKSTREAM, source: 'direct-put', format: 'json' }));
      expect(Object.keys(rolePolicies(tf)).sort()).toEqual([WRITE_GRANT, 'write-logs']);
    });
  });

  describe('validation', () => {
    const attempt = (config: Partial<StreamConfig> & Record<string, unknown>, name = 'clickstream') => () =>
      build({ ...streamConfig(), ...config } as StreamConfig, env(), name);

    it('rejects a buffer below 64 MiB with Parquet or partitionBy', () => {
      expect(problemsOf(attempt({ bufferSizeMb: 32 }))).toEqual([
        'StreamIngest dev/clickstream: config.bufferSizeMb is 32; use 64 to 128: Firehose needs a buffer of at least 64 MiB for parquet conversion and dynamic partitioning (partitionBy)',
      ]);
      expect(problemsOf(attempt({ bufferSizeMb: 32, format: 'json' }))).toEqual([
        'StreamIngest dev/clickstream: config.bufferSizeMb is 32; use 64 to 128: Firehose needs a buffer of at least 64 MiB for dynamic partitioning (partitionBy)',
      ]);
    });

    it('accepts a small buffer and zero interval for unpartitioned JSON', () => {
      expect(() => build(streamConfig({ format: 'json', bufferSizeMb: 1, bufferIntervalSeconds: 0 }))).not.toThrow();
    });

    it('rejects buffer values Firehose does not accept', () => {
      expect(problemsOf(attempt({ bufferSizeMb: 129, bufferIntervalSeconds: 901 }))).toEqual([
        'StreamIngest dev/clickstream: config.bufferSizeMb is 129; use a whole number from 64 to 128',
        'StreamIngest dev/clickstream: config.bufferIntervalSeconds is 901; use a whole number from 60 to 900: Firehose has no zero buffering with dynamic partitioning (partitionBy)',
      ]);
      expect(problemsOf(attempt({ bufferIntervalSeconds: 30 }))).toEqual([
        'StreamIngest dev/clickstream: config.bufferIntervalSeconds is 30; use a whole number from 60 to 900: Firehose has no zero buffering with dynamic partitioning (partitionBy)',
      ]);
    });

    it('rejects a provisioned stream without shards, and shards on an on-demand stream', () => {
      expect(problemsOf(attempt({ mode: 'provisioned', shards: undefined }))).toEqual([
        'StreamIngest dev/clickstream: config.shards is missing; a provisioned stream needs a shard count: set shards (1 to 500), or use mode "on-demand"',
      ]);
      expect(problemsOf(attempt({ mode: 'provisioned', shards: 0 }))).toEqual([
        'StreamIngest dev/clickstream: config.shards is 0; use a whole number from 1 to 500',
      ]);
      expect(problemsOf(attempt({ shards: 2 }))).toEqual([
        'StreamIngest dev/clickstream: config.shards is 2; an on-demand stream scales by itself: remove shards, or set mode "provisioned"',
      ]);
    });

    it('rejects a retention Kinesis does not allow, only when there is a Kinesis stream', () => {
      expect(problemsOf(attempt({ retentionHours: 2 }))).toEqual([
        'StreamIngest dev/clickstream: config.retentionHours is 2; use a whole number from 24 to 8760 (the hours Kinesis can keep records)',
      ]);
      expect(() => attempt({ retentionHours: 2, source: 'direct-put' })()).not.toThrow();
    });

    it('rejects Parquet without columns, and columns that are all partition keys', () => {
      expect(problemsOf(attempt({ columns: [] }))).toEqual([
        'StreamIngest dev/clickstream: config.columns is empty; format is parquet, which converts records against their columns: list them (name, type), or set format "json"',
      ]);
      expect(problemsOf(attempt({ columns: [{ name: 'event_type', type: 'string' }] }))).toEqual([
        'StreamIngest dev/clickstream: config.columns are all partitionBy keys, which live in the object path, not in the Parquet data; list the other fields of the records',
      ]);
    });

    it('rejects columns and partition keys that clash with the date keys or repeat', () => {
      expect(problemsOf(attempt({
        partitionBy: ['day', 'event_type', 'event_type'],
        columns: [{ name: 'event_id', type: 'string' }, { name: 'year', type: 'int' }, { name: 'event_id', type: 'string' }],
      }))).toEqual([
        'StreamIngest dev/clickstream: config.partitionBy[0] is "day"; every object is already partitioned by year, month, day (the day of arrival): partition by another field',
        'StreamIngest dev/clickstream: config.partitionBy[2] is "event_type" again; list each key once',
        'StreamIngest dev/clickstream: config.columns[1].name is "year", a partition key of the table (the day of arrival); rename the column',
        'StreamIngest dev/clickstream: config.columns[2].name is "event_id" again; give each column its own name',
      ]);
    });

    it('rejects malformed names, types, prefixes and too many partition keys', () => {
      expect(problemsOf(attempt({
        prefix: '/clicks',
        partitionBy: ['a', 'b', 'c', 'd', 'e', 'Event-Type'],
        columns: [{ name: 'Event ID', type: 'varchar' }] as never,
      }, 'Click_Stream'))).toEqual([
        'StreamIngest dev/Click_Stream: name is "Click_Stream"; use 2-40 lowercase letters and digits, words joined by "-", starting with a letter (e.g. "clickstream")',
        'StreamIngest dev/Click_Stream: config.prefix is "/clicks"; use a raw-zone key prefix of lowercase letters, digits, "_", "-", "=" and "/", ending with "/" (e.g. "orders/")',
        'StreamIngest dev/Click_Stream: config.partitionBy has 6 keys; use at most 5',
        'StreamIngest dev/Click_Stream: config.partitionBy[5] is "Event-Type"; use a top-level JSON field name of the records (lowercase letters, digits, "_")',
        'StreamIngest dev/Click_Stream: config.columns[0].name is "Event ID"; use a lowercase column name of letters, digits and "_"',
        'StreamIngest dev/Click_Stream: config.columns[0].type is "varchar"; use one of string, int, bigint, smallint, tinyint, double, float, boolean, date, timestamp, binary',
      ]);
    });

    it('rejects unknown source, mode and format', () => {
      expect(problemsOf(attempt({ source: 'kafka', mode: 'burst', format: 'csv' } as never))).toEqual([
        'StreamIngest dev/clickstream: config.source is "kafka"; use "kinesis" or "direct-put"',
        'StreamIngest dev/clickstream: config.mode is "burst"; use "on-demand" or "provisioned"',
        'StreamIngest dev/clickstream: config.format is "csv"; use "json" or "parquet"',
      ]);
    });

    it('rejects a name over 40 characters (it is part of the pinned address ingest_<name>_stream)', () => {
      const name = `a${'-b'.repeat(25)}`;
      expect(problemsOf(attempt({}, name))).toEqual([
        `StreamIngest dev/${name}: name is "${name}"; use 2-40 lowercase letters and digits, words joined by "-", starting with a letter (e.g. "clickstream")`,
      ]);
    });

    it('creates nothing when the props are invalid', () => {
      const { stack, lake } = stackWithLake(env());
      expect(() => new StreamIngest(stack, 'clickstream', { lake, name: 'clickstream', config: { ...streamConfig(), bufferSizeMb: 8 } })).toThrow(PlatformError);
      expect(stack.node.tryFindChild('clickstream')?.node.children ?? []).toEqual([]);
    });

    it('skips values that are still tokens', () => {
      const { stack, lake } = stackWithLake(env());
      const size = new TerraformVariable(stack, 'buffer_size', { type: 'number' }).numberValue;
      const hours = new TerraformVariable(stack, 'retention', { type: 'number' }).numberValue;
      expect(() => new StreamIngest(stack, 'clickstream', {
        lake, name: 'clickstream', config: { ...streamConfig(), bufferSizeMb: size, retentionHours: hours },
      })).not.toThrow();
    });
  });

  describe('policy pack', () => {
    it('passes every rule in layered stacks dev-lake and dev-ingestion, referencing the lake across stacks', () => {
      const app = testApp();
      const { lakeStack, stack } = layered(app, env(), streamConfig());
      expect(() => synthesize(lakeStack)).not.toThrow();
      const { tf } = synthesize(stack);
      expect(synthesizedResource(tf, 'aws_kinesis_stream', 'ingest_clickstream_stream').kms_key_id).toMatch(/^\$\{data\.terraform_remote_state\.cross-stack-reference-input-dev-lake\.outputs\./);
      expect(s3Config(tf).bucket_arn).toMatch(/^\$\{data\.terraform_remote_state\.cross-stack-reference-input-dev-lake\.outputs\./);
    });

    it('passes every rule for a direct-PUT JSON stream in a protected environment', () => {
      const { lakeStack, stack } = layered(testApp(), env({ stage: 'production', name: 'prod' }), streamConfig({ ...CLICKSTREAM, source: 'direct-put', format: 'json' }));
      expect(() => synthesize(lakeStack)).not.toThrow();
      expect(() => synthesize(stack)).not.toThrow();
    });

    it('passes every rule in a single offline stack', () => {
      const environment = env({
        ...OFFLINE, protect: false,
        network: { vpcId: 'vpc-0a1b2c3d4e5f60000', vpcCidr: '10.0.0.0/16', subnets: { 'eu-west-1a': 'subnet-0a1b2c3d4e5f6a000' } },
      });
      const { stack, lake } = stackWithLake(environment, { aspects: [new PolicyPack()] });
      new StreamIngest(stack, 'clickstream', { lake, name: 'clickstream', config: streamConfig({ ...CLICKSTREAM, mode: 'provisioned', shards: 2 }) });
      const { tf } = synthesize(stack);
      expect(synthesizedResource(tf, 'aws_kinesis_stream', 'ingest_clickstream_stream').kms_key_id).toBe(KEY_ARN);
    });
  });
});
