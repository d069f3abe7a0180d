import { Token } from 'cdktf';
import { Construct } from 'constructs';
import { GlueCatalogDatabase } from '@cdktf/provider-aws/lib/glue-catalog-database';
import { GlueCatalogTable } from '@cdktf/provider-aws/lib/glue-catalog-table';
import { LakeConfig, TABLE_NAME_RE, Validator, ZONES, Zone, stateful } from '@data-platform/core';
import { ZoneBucket } from './zone-bucket';

/** One entry of the environment's `lake.tables`: zone, prefix, description, columns and partition keys. */
export type CatalogTableConfig = LakeConfig['tables'][string];

/**
 * The fixed storage format of every managed table: Parquet files read through Hive's Parquet
 * SerDe, as Glue jobs, Athena and Spark write them.
 * - `tableType: EXTERNAL_TABLE`: the data belongs to the lake, not the catalog; dropping the
 *   table never deletes objects.
 * - `parameters`: `classification: parquet` (how Glue and its console recognise the format),
 *   `EXTERNAL: TRUE` (Hive's marker of an external table) and `parquet.compression: SNAPPY`
 *   (the codec writers use, Spark's and Athena's default).
 * @see https://docs.aws.amazon.com/athena/latest/ug/parquet-serde.html
 */
export const CATALOG_TABLE_FORMAT = {
  tableType: 'EXTERNAL_TABLE',
  parameters: { classification: 'parquet', EXTERNAL: 'TRUE', 'parquet.compression': 'SNAPPY' },
  inputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat',
  outputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat',
  serializationLibrary: 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe',
  serdeParameters: { 'serialization.format': '1' },
} as const;

/**
 * The storage of a managed table with `format: csv`: comma-separated text without a header, read
 * through Hive's LazySimpleSerDe, e.g. what a SageMaker batch transform writes.
 * @see https://docs.aws.amazon.com/athena/latest/ug/lazy-simple-serde.html
 */
export const CATALOG_TABLE_CSV_FORMAT = {
  tableType: 'EXTERNAL_TABLE',
  parameters: { classification: 'csv', EXTERNAL: 'TRUE' },
  inputFormat: 'org.apache.hadoop.mapred.TextInputFormat',
  outputFormat: 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat',
  serializationLibrary: 'org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe',
  serdeParameters: { 'field.delim': ',', 'serialization.format': ',' },
} as const;

/**
 * Longest table name the lake accepts: the table's Terraform address, `lake_<name>_table`, has at
 * most 64 characters (core's `stateful()`), although Glue would take 255.
 */
export const CATALOG_TABLE_MAX_NAME_LENGTH = 64 - 'lake_'.length - '_table'.length;

/** Column names Glue stores and Athena reads without quoting: lowercase letters, digits and "_". */
const COLUMN_NAME_RE = /^[a-z_][a-z0-9_]{0,127}$/;
/** Same shape as the config loader's table prefix: it becomes the table's S3 location. */
const PREFIX_RE = /^[a-z0-9][a-z0-9_\-/=]*\/$/;

/**
 * Records the problems of one managed table on `v`, each at `at(<field>)` (`name`, `zone`,
 * `columns[1].name`, ...): a name Glue and Athena accept that fits the table's address, a known
 * zone, a prefix ending in "/", at least one column, column and partition names Athena reads
 * without quoting, no name twice and no partition key that is also a column. Values still tokens
 * are skipped.
 */
export function checkCatalogTable(v: Validator, name: string, config: CatalogTableConfig, at: (field: string) => string): void {
  const known = (value: unknown) => !Token.isUnresolved(value);
  if (known(name)) {
    if (name.length > CATALOG_TABLE_MAX_NAME_LENGTH) {
      v.add(at('name'), `is ${JSON.stringify(name)} (${name.length} characters); use at most ${CATALOG_TABLE_MAX_NAME_LENGTH}, so its Terraform address lake_<name>_table has at most 64`);
    } else if (!TABLE_NAME_RE.test(name)) {
      v.add(at('name'), `is ${JSON.stringify(name)}; use a table name of lowercase letters, digits and "_", starting with a letter (Glue stores names lowercase, Athena reads them unquoted)`);
    }
  }
  v.check((ZONES as readonly string[]).includes(config.zone), at('zone'), `is ${JSON.stringify(config.zone)}; use one of ${ZONES.join(', ')}`);
  if (known(config.prefix) && !PREFIX_RE.test(config.prefix)) {
    v.add(at('prefix'), `is ${JSON.stringify(config.prefix)}; use a key prefix of lowercase letters, digits, "_", "-", "=" and "/", ending with "/" (e.g. "daily_revenue/")`);
  }
  v.check(config.columns.length > 0, at('columns'), 'is empty; list at least one column (name, type)');

  const seen = new Map<string, string>();
  const checkColumns = (field: 'columns' | 'partitionKeys', columns: CatalogTableConfig['columns']) => {
    columns.forEach((column, i) => {
      const path = at(`${field}[${i}]`);
      if (!known(column.name)) return;
      if (!COLUMN_NAME_RE.test(column.name)) {
        v.add(`${path}.name`, `is ${JSON.stringify(column.name)}; use a column name of lowercase letters, digits and "_" (Glue stores names lowercase, Athena reads them unquoted)`);
        return;
      }
      if (known(column.type) && column.type.trim() === '') v.add(`${path}.type`, 'is empty; use a Glue/Hive type such as bigint, string or decimal(18,2)');
      const earlier = seen.get(column.name);
      if (earlier === undefined) {
        seen.set(column.name, `${field}[${i}]`);
      } else if (field === 'partitionKeys' && earlier.startsWith('columns')) {
        v.add(`${path}.name`, `is ${JSON.stringify(column.name)}, which is also a column (${earlier}); a partition key is not stored in the files, so remove it from columns or from partitionKeys`);
      } else {
        v.add(`${path}.name`, `is ${JSON.stringify(column.name)} again (${earlier}); give each column its own name (Athena rejects a table with two columns of one name)`);
      }
    });
  };
  checkColumns('columns', config.columns);
  checkColumns('partitionKeys', config.partitionKeys);
}

/** Props of {@link CatalogTable}. */
export interface CatalogTableProps {
  /** Table name (the key under `lake.tables`): the Glue table's name and part of its address. */
  readonly name: string;
  /** The table's `lake.tables` entry (validated and defaulted by the config loader). */
  readonly config: CatalogTableConfig;
  /** The bucket of the table's zone (`config.zone`): the table's files are under `config.prefix` there. */
  readonly bucket: ZoneBucket;
  /** The catalog database of the table's zone. */
  readonly database: GlueCatalogDatabase;
}

/**
 * A Glue catalog table managed here rather than by a crawler: the contract of a data product,
 * declared in the environment's `lake.tables`. Writers (Glue jobs, SageMaker batch transforms)
 * add partitions to it but never change its schema; readers (Athena, QuickSight, Lake Formation
 * grants and filters) find it in place before the first file lands.
 *
 * - An external table in the zone's database, located at `s3://<zone bucket>/<prefix>`.
 * - Parquet through Hive's Parquet SerDe, Snappy-compressed (see {@link CATALOG_TABLE_FORMAT}), or
 *   with `format: csv` headerless comma-separated text ({@link CATALOG_TABLE_CSV_FORMAT}).
 * - Columns and partition keys in the order of the config, with their comments. Partitions are
 *   registered by the writer (a Glue job's catalog update, a crawler, or `MSCK REPAIR TABLE`).
 * - Stateful: its address is pinned to `aws_glue_catalog_table.lake_<name>_table` and a protected
 *   environment refuses to destroy it (a table is a contract: grants, filters, datasets and saved
 *   queries name it).
 *
 * The lake creates one per `lake.tables` entry; consumers reach it through `DataLake.table`.
 *
 * @see https://docs.aws.amazon.com/athena/latest/ug/parquet-serde.html
 * @see https://docs.aws.amazon.com/glue/latest/dg/tables-described.html
 */
export class CatalogTable extends Construct {
  /** The Glue table. */
  readonly table: GlueCatalogTable;
  /** Table name (a Terraform reference, so consumers are created after the table). */
  readonly name: string;
  /** ARN of the table, `arn:<partition>:glue:<region>:<account>:table/<database>/<name>`. */
  readonly arn: string;
  /** The zone whose database and bucket hold the table. */
  readonly zone: Zone;
  /** The zone's catalog database. */
  readonly database: GlueCatalogDatabase;
  /** `<zone>.<name>`, how governance, BI and ML config refer to the table. */
  readonly ref: string;
  /** `s3://<zone bucket>/<prefix>`, the table's location. */
  readonly location: string;
  /** The table's `lake.tables` entry. */
  readonly config: CatalogTableConfig;

  constructor(scope: Construct, id: string, props: CatalogTableProps) {
    super(scope, id);
    const { name, config, bucket, database } = props;
    const v = new Validator(`CatalogTable ${this.node.path}`);
    checkCatalogTable(v, name, config, (field) => (field === 'name' ? 'name' : `config.${field}`));
    const knownZone = (ZONES as readonly string[]).includes(config.zone);
    v.check(!knownZone || bucket.role === config.zone, 'bucket', `is the ${bucket.role} bucket; pass the bucket of the table's zone, ${config.zone}`);
    v.throwIfAny();

    this.zone = config.zone;
    this.database = database;
    this.config = config;
    this.ref = `${config.zone}.${name}`;
    this.location = `s3://${bucket.name}/${config.prefix}`;
    const column = ({ name: columnName, type, comment }: CatalogTableConfig['columns'][number]) => ({ name: columnName, type, comment });
    const format = config.format === 'csv' ? CATALOG_TABLE_CSV_FORMAT : CATALOG_TABLE_FORMAT;

    this.table = stateful(
      new GlueCatalogTable(this, 'table', {
        name,
        databaseName: database.name,
        description: config.description,
        tableType: format.tableType,
        parameters: { ...format.parameters },
        partitionKeys: config.partitionKeys.length > 0 ? config.partitionKeys.map(column) : undefined,
        storageDescriptor: {
          location: this.location,
          inputFormat: format.inputFormat,
          outputFormat: format.outputFormat,
          serDeInfo: {
            serializationLibrary: format.serializationLibrary,
            parameters: { ...format.serdeParameters },
          },
          columns: config.columns.map(column),
        },
      }),
      `lake_${name}_table`,
    );
    this.name = this.table.name;
    this.arn = this.table.arn;
  }
}
