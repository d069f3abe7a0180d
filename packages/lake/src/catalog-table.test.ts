import { TerraformOutput } from 'cdktf';
import { GlueCatalogTable } from '@cdktf/provider-aws/lib/glue-catalog-table';
import {
  EnvironmentConfig,
  EnvironmentInput,
  PlatformError,
  errorOf,
  problemsOf,
  synthesize,
  synthesizedResource as resource,
  testApp,
  testEnvironment,
} from '@data-platform/core';
import { PolicyPack } from '@data-platform/policy';
import { CATALOG_TABLE_CSV_FORMAT, CATALOG_TABLE_FORMAT, CATALOG_TABLE_MAX_NAME_LENGTH, CatalogTable, CatalogTableConfig } from './catalog-table';
import { stackWithLake } from './testing';

type TablesInput = NonNullable<NonNullable<EnvironmentInput['lake']>['tables']>;

/** The `daily_revenue` table of environments/dev.yaml. */
const DAILY_REVENUE: TablesInput[string] = {
  zone: 'curated',
  prefix: 'daily_revenue/',
  description: 'Orders and revenue per day, written by the orders-curate job.',
  columns: [
    { name: 'order_date', type: 'date' },
    { name: 'orders', type: 'bigint' },
    { name: 'revenue', type: 'decimal(18,2)' },
    { name: 'revenue_by_country', type: 'map<string,decimal(18,2)>', comment: 'Revenue per customer country.' },
  ],
  partitionKeys: [{ name: 'order_month', type: 'string', comment: 'yyyy-MM of order_date' }],
};

/** A processed-zone table without partitions or description. */
const ORDERS: TablesInput[string] = { zone: 'processed', prefix: 'orders/', columns: [{ name: 'order_id', type: 'bigint' }] };

function env(tables: TablesInput = { daily_revenue: DAILY_REVENUE }, overrides: Partial<EnvironmentInput> = {}): EnvironmentConfig {
  return testEnvironment({ name: 'dev', ...overrides, lake: { tables } });
}

function synth(environment = env()) {
  const built = stackWithLake(environment, { id: 'dev-lake' });
  return { ...built, ...synthesize(built.stack) };
}

const tableOf = (tf: ReturnType<typeof synth>['tf'], name = 'daily_revenue') => resource(tf, 'aws_glue_catalog_table', `lake_${name}_table`);

/** A table config as the loader produces it, with `overrides` applied afterwards (unvalidated). */
function tableConfig(overrides: Partial<CatalogTableConfig> = {}): CatalogTableConfig {
  return { ...env().lake.tables.daily_revenue, ...overrides };
}

describe('CatalogTable', () => {
  describe('table', () => {
    it('is an external Parquet table in the zone database, located at its prefix of the zone bucket', () => {
      const { tf } = synth();
      expect(tableOf(tf)).toEqual({
        name: 'daily_revenue',
        database_name: '${aws_glue_catalog_database.lake_curated_database.name}',
        description: 'Orders and revenue per day, written by the orders-curate job.',
        table_type: 'EXTERNAL_TABLE',
        parameters: { classification: 'parquet', EXTERNAL: 'TRUE', 'parquet.compression': 'SNAPPY' },
        partition_keys: [{ name: 'order_month', type: 'string', comment: 'yyyy-MM of order_date' }],
        storage_descriptor: {
          location: 's3://${aws_s3_bucket.lake_curated_bucket.bucket}/daily_revenue/',
          input_format: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat',
          output_format: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat',
          ser_de_info: {
            serialization_library: 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe',
            parameters: { 'serialization.format': '1' },
          },
          columns: [
            { name: 'order_date', type: 'date' },
            { name: 'orders', type: 'bigint' },
            { name: 'revenue', type: 'decimal(18,2)' },
            { name: 'revenue_by_country', type: 'map<string,decimal(18,2)>', comment: 'Revenue per customer country.' },
          ],
        },
        lifecycle: { prevent_destroy: true },
      });
    });

    it('documents its fixed format as a constant', () => {
      expect(CATALOG_TABLE_FORMAT).toEqual({
        tableType: 'EXTERNAL_TABLE',
        parameters: { classification: 'parquet', EXTERNAL: 'TRUE', 'parquet.compression': 'SNAPPY' },
        inputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat',
        outputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat',
        serializationLibrary: 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe',
        serdeParameters: { 'serialization.format': '1' },
      });
    });

    it('stores a csv table as headerless comma-separated text, through LazySimpleSerDe', () => {
      const predictions: TablesInput[string] = {
        zone: 'curated',
        prefix: 'churn_predictions/',
        format: 'csv',
        columns: [{ name: 'customer_id', type: 'bigint' }, { name: 'churn_probability', type: 'double' }],
        partitionKeys: [{ name: 'scored_date', type: 'string' }],
      };
      const { tf } = synth(env({ churn_predictions: predictions }));
      const table = tableOf(tf, 'churn_predictions');
      expect(CATALOG_TABLE_CSV_FORMAT).toEqual({
        tableType: 'EXTERNAL_TABLE',
        parameters: { classification: 'csv', EXTERNAL: 'TRUE' },
        inputFormat: 'org.apache.hadoop.mapred.TextInputFormat',
        outputFormat: 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat',
        serializationLibrary: 'org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe',
        serdeParameters: { 'field.delim': ',', 'serialization.format': ',' },
      });
      expect(table.parameters).toEqual({ classification: 'csv', EXTERNAL: 'TRUE' });
      expect(table.storage_descriptor).toMatchObject({
        location: 's3://${aws_s3_bucket.lake_curated_bucket.bucket}/churn_predictions/',
        input_format: 'org.apache.hadoop.mapred.TextInputFormat',
        output_format: 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat',
        ser_de_info: { serialization_library: 'org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe', parameters: { 'field.delim': ',', 'serialization.format': ',' } },
      });
      expect(tableOf(synth().tf).parameters).toEqual(CATALOG_TABLE_FORMAT.parameters);
    });

    it('has no partition keys and no description when the config has none', () => {
      const { tf } = synth(env({ orders: ORDERS }));
      const table = tableOf(tf, 'orders');
      expect(table).not.toHaveProperty('partition_keys');
      expect(table).not.toHaveProperty('description');
      expect(table).toMatchObject({
        database_name: '${aws_glue_catalog_database.lake_processed_database.name}',
        storage_descriptor: { location: 's3://${aws_s3_bucket.lake_processed_bucket.bucket}/orders/', columns: [{ name: 'order_id', type: 'bigint' }] },
      });
    });

    it('exposes its name, ARN, zone, database, reference, location and config', () => {
      const { stack, lake } = stackWithLake(env(), { id: 'dev-lake' });
      const table = lake.tables.daily_revenue;
      expect(table).toBeInstanceOf(CatalogTable);
      expect(table.zone).toBe('curated');
      expect(table.ref).toBe('curated.daily_revenue');
      expect(table.database).toBe(lake.databases.curated);
      expect(table.config).toEqual(env().lake.tables.daily_revenue);
      new TerraformOutput(stack, 'name', { value: table.name });
      new TerraformOutput(stack, 'arn', { value: table.arn });
      new TerraformOutput(stack, 'location', { value: table.location });
      expect(synthesize(stack).tf.output).toMatchObject({
        name: { value: '${aws_glue_catalog_table.lake_daily_revenue_table.name}' },
        arn: { value: '${aws_glue_catalog_table.lake_daily_revenue_table.arn}' },
        location: { value: 's3://${aws_s3_bucket.lake_curated_bucket.bucket}/daily_revenue/' },
      });
    });
  });

  describe('addresses', () => {
    it('pins each table to aws_glue_catalog_table.lake_<name>_table', () => {
      const { stack, tf } = synth(env({ daily_revenue: DAILY_REVENUE, orders: ORDERS }));
      expect([...stack.statefulAddresses].filter((a) => a.startsWith('aws_glue_catalog_table.')).sort()).toEqual([
        'aws_glue_catalog_table.lake_daily_revenue_table',
        'aws_glue_catalog_table.lake_orders_table',
      ]);
      expect(Object.keys(tf.resource?.aws_glue_catalog_table ?? {}).sort()).toEqual(['lake_daily_revenue_table', 'lake_orders_table']);
    });

    it('prevents destroying the table only when the environment is protected', () => {
      expect(tableOf(synth(env(undefined, { protect: true })).tf).lifecycle).toEqual({ prevent_destroy: true });
      expect(tableOf(synth(env(undefined, { protect: false })).tf)).not.toHaveProperty('lifecycle');
    });

    it('accepts names up to 53 characters, so the address stays within 64', () => {
      expect(CATALOG_TABLE_MAX_NAME_LENGTH).toBe(53);
      const name = `t${'a'.repeat(52)}`;
      const { stack } = synth(env({ [name]: ORDERS }));
      expect(stack.statefulAddresses.has(`aws_glue_catalog_table.lake_${name}_table`)).toBe(true);
      expect(`lake_${name}_table`).toHaveLength(64);
    });
  });

  describe('validation', () => {
    /** A CatalogTable `daily_revenue` created directly beside an empty lake, with `config`. */
    function direct(config: CatalogTableConfig, name = 'daily_revenue', zone: 'raw' | 'processed' | 'curated' = config.zone) {
      const { stack, lake } = stackWithLake(env({}), { id: 'dev-lake' });
      return { stack, build: () => new CatalogTable(stack, 'table', { name, config, bucket: lake.zones[zone], database: lake.databases[zone] }) };
    }

    it('reports every problem of the columns at once, and creates nothing', () => {
      const config = tableConfig({
        columns: [
          { name: 'order_date', type: 'date' },
          { name: 'Revenue', type: 'double' },
          { name: 'orders', type: 'bigint' },
          { name: 'orders', type: 'int' },
          { name: 'customers', type: ' ' },
        ],
        partitionKeys: [
          { name: 'order_date', type: 'date' },
          { name: 'order_month', type: 'string' },
          { name: 'order_month', type: 'string' },
        ],
      });
      const { stack, build } = direct(config);
      const error = errorOf(build);
      expect(error).toBeInstanceOf(PlatformError);
      expect(error.message.split('\n')).toEqual([
        'CatalogTable dev-lake/table: config.columns[1].name is "Revenue"; use a column name of lowercase letters, digits and "_" (Glue stores names lowercase, Athena reads them unquoted)',
        'CatalogTable dev-lake/table: config.columns[3].name is "orders" again (columns[2]); give each column its own name (Athena rejects a table with two columns of one name)',
        'CatalogTable dev-lake/table: config.columns[4].type is empty; use a Glue/Hive type such as bigint, string or decimal(18,2)',
        'CatalogTable dev-lake/table: config.partitionKeys[0].name is "order_date", which is also a column (columns[0]); a partition key is not stored in the files, so remove it from columns or from partitionKeys',
        'CatalogTable dev-lake/table: config.partitionKeys[2].name is "order_month" again (partitionKeys[1]); give each column its own name (Athena rejects a table with two columns of one name)',
      ]);
      expect(stack.node.findAll().filter((c) => c instanceof GlueCatalogTable)).toEqual([]);
      expect([...stack.statefulAddresses].filter((a) => a.includes('catalog_table'))).toEqual([]);
    });

    it('rejects a name Glue or Athena would not take unquoted, and a name too long for its address', () => {
      expect(problemsOf(direct(tableConfig(), 'Daily-Revenue').build)).toEqual([
        'CatalogTable dev-lake/table: name is "Daily-Revenue"; use a table name of lowercase letters, digits and "_", starting with a letter (Glue stores names lowercase, Athena reads them unquoted)',
      ]);
      const long = `t${'a'.repeat(53)}`;
      expect(problemsOf(direct(tableConfig(), long).build)).toEqual([
        `CatalogTable dev-lake/table: name is "${long}" (54 characters); use at most 53, so its Terraform address lake_<name>_table has at most 64`,
      ]);
    });

    it('rejects a bucket of another zone, a malformed prefix and an empty column list', () => {
      const config = tableConfig({ prefix: 'daily_revenue', columns: [], partitionKeys: [] });
      expect(problemsOf(direct(config, 'daily_revenue', 'raw').build)).toEqual([
        'CatalogTable dev-lake/table: config.prefix is "daily_revenue"; use a key prefix of lowercase letters, digits, "_", "-", "=" and "/", ending with "/" (e.g. "daily_revenue/")',
        'CatalogTable dev-lake/table: config.columns is empty; list at least one column (name, type)',
        'CatalogTable dev-lake/table: bucket is the raw bucket; pass the bucket of the table\'s zone, curated',
      ]);
    });

    it('rejects an unknown zone', () => {
      const config = tableConfig({ zone: 'gold' as never });
      expect(problemsOf(direct(config, 'daily_revenue', 'curated').build)).toEqual([
        'CatalogTable dev-lake/table: config.zone is "gold"; use one of raw, processed, curated',
      ]);
    });
  });

  describe('policy pack', () => {
    it('passes in a protected environment', () => {
      const { stack } = stackWithLake(env({ daily_revenue: DAILY_REVENUE, orders: ORDERS }, { name: 'prod', stage: 'production', protect: true }), { aspects: [new PolicyPack()] });
      expect(() => synthesize(stack)).not.toThrow();
    });

    it('passes in the single stack of the offline environment', () => {
      const offline = env({ daily_revenue: DAILY_REVENUE }, { name: 'local', offline: true, layout: 'single', account: '000000000000', protect: false });
      const { stack } = stackWithLake(offline, { app: testApp(), aspects: [new PolicyPack()] });
      expect(() => synthesize(stack)).not.toThrow();
    });
  });
});
