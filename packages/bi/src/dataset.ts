import { Token } from 'cdktf';
import { Construct } from 'constructs';
import { GlueCatalogTable } from '@cdktf/provider-aws/lib/glue-catalog-table';
import { QuicksightDataSet } from '@cdktf/provider-aws/lib/quicksight-data-set';
import { QuicksightRefreshSchedule } from '@cdktf/provider-aws/lib/quicksight-refresh-schedule';
import {
  BiDatasetConfig,
  DATASET_NAME_FIX,
  DATASET_NAME_RE,
  PlatformStack,
  QUICKSIGHT_COLUMN_TYPES,
  REFRESH_INTERVALS,
  Validator,
  describeValue,
} from '@data-platform/core';
import { AthenaDataSource } from './athena-data-source';
import { QUICKSIGHT_ACTIONS, QUICKSIGHT_NAME_LIMIT, checkPrincipalArns, grants, terraformLiteral } from './quicksight';

/**
 * Fixed settings of every {@link BiDataset}: not configurable, asserted by tests so these docs
 * and the code cannot drift.
 */
export const BI_DATASET_SETTINGS = {
  /** Catalog of a table's physical table: the Glue Data Catalog, as Athena names it. */
  catalog: 'AwsDataCatalog',
  /** Id of the dataset's one physical table (the table or the SQL). */
  physicalTableId: 'source',
  /** Id of the dataset's one logical table (the physical table plus calculated fields). */
  logicalTableId: 'dataset',
  /** QuickSight's import mode for each `importMode` of the config. */
  importModes: { spice: 'SPICE', direct: 'DIRECT_QUERY' },
  /**
   * Row-level security: the rules dataset lists the rows each user or group may see
   * (GRANT_ACCESS; DENY_ACCESS is legacy), by QuickSight user and group name (VERSION_1).
   */
  rowLevelSecurity: { permissionPolicy: 'GRANT_ACCESS', formatVersion: 'VERSION_1', status: 'ENABLED' },
  /** Id of the dataset's refresh schedule. */
  scheduleId: 'scheduled-refresh',
  /** QuickSight's interval for each `refresh.interval` of the config. */
  intervals: { hourly: 'HOURLY', daily: 'DAILY', weekly: 'WEEKLY' },
  /** Time zone of `refresh.time`. */
  timezone: 'UTC',
  /** Day of the week of weekly refreshes (QuickSight requires one). */
  weeklyDay: 'MONDAY',
  /** Unit of an incremental refresh's look-back window (`refresh.lookbackDays`). */
  lookbackUnit: 'DAY',
} as const;

/** Props of {@link BiDataset}. */
export interface BiDatasetProps {
  /** Dataset name (its key in `bi.datasets`): part of its id and the identifier dashboards bind. */
  readonly name: string;
  /** The dataset's `bi.datasets.<name>` entry (validated and defaulted by the config loader). */
  readonly config: BiDatasetConfig;
  /** The Athena data source the dataset queries through. */
  readonly dataSource: AthenaDataSource;
  /**
   * The catalog table `config.table` names (a table of `lake.tables`): the dataset reads it
   * whole. Required with `config.table`, refused with `config.sql`.
   * @default none
   */
  readonly table?: GlueCatalogTable;
  /**
   * ARNs of the groups that may use the dataset read-only (`config.groups`, resolved with
   * {@link QuicksightGroups.arnsOf}): {@link QUICKSIGHT_ACTIONS}.dataSetViewer each.
   * @default none: only dashboards built on it show its data
   */
  readonly groups?: readonly string[];
  /**
   * The rules dataset `config.rowLevelSecurity` names. Required with `config.rowLevelSecurity`,
   * refused otherwise.
   * @default none: no row-level security
   */
  readonly rowLevelSecurity?: BiDataset;
}

/**
 * A QuickSight dataset over the Athena data source, from a `bi.datasets` entry.
 *
 * - Physical table: the catalog table (`relational_table`: catalog AwsDataCatalog, schema the
 *   table's database, name the table's) or the custom SQL (`custom_sql`), with the config's
 *   columns and QuickSight types. One logical table over it adds the calculated fields
 *   (`create_columns_operation`, column id = field name).
 * - Import mode: SPICE (imported, refreshed on the schedule) or DIRECT_QUERY (every visual
 *   queries Athena through the persona's workgroup).
 * - Permissions: the given groups may describe and use it and see its refreshes
 *   ({@link QUICKSIGHT_ACTIONS}.dataSetViewer); nobody may edit, refresh by hand, delete or
 *   re-share it, and nothing is granted to a namespace or the public.
 * - Row-level security (`rowLevelSecurity`): the rules dataset's rows say which values of its
 *   other columns each QuickSight user (`username`) or group (`groupname`, the physical name,
 *   {@link QuicksightGroups.groupNames}) may see; rows no rule grants stay hidden.
 * - Refresh (`refresh`, SPICE only): `aws_quicksight_refresh_schedule` `hourly`, `daily` at
 *   `time` UTC, or `weekly` on Mondays at `time` UTC ({@link BI_DATASET_SETTINGS}). A full
 *   refresh reloads everything; with `incrementalColumn` (a DATETIME column) each refresh
 *   reloads only the last `lookbackDays` days of it (the dataset's `refresh_properties`).
 *
 * SPICE data is rebuilt from the lake by a refresh and definitions come from config, so nothing
 * here is stateful and none has a pinned address. Text of the config (SQL, expressions) is
 * passed literally: QuickSight's `${parameter}` syntax is escaped for Terraform.
 *
 * @see https://docs.aws.amazon.com/quicksight/latest/APIReference/API_CreateDataSet.html
 * @see https://docs.aws.amazon.com/quicksight/latest/APIReference/API_LookbackWindow.html
 * @see https://docs.aws.amazon.com/quicksight/latest/APIReference/API_RowLevelPermissionDataSet.html
 */
export class BiDataset extends Construct {
  /** The QuickSight dataset. */
  readonly dataSet: QuicksightDataSet;
  /** ARN of the dataset, for dashboards and row-level security. */
  readonly arn: string;
  /** The dataset's id, `<project>-<env>-bi-<name>`. */
  readonly dataSetId: string;
  /** The dataset's name in `bi.datasets`: the identifier a dashboard definition binds it by. */
  readonly name: string;
  /** Names of the dataset's fields: its columns, then its calculated fields. */
  readonly columns: readonly string[];
  /** The refresh schedule, with `config.refresh`. */
  readonly refreshSchedule?: QuicksightRefreshSchedule;

  constructor(scope: Construct, id: string, props: BiDatasetProps) {
    super(scope, id);
    const v = new Validator(`BiDataset ${this.node.path}`);
    checkBiDatasetProps(v, props);
    v.throwIfAny();

    const { name, config, dataSource, table } = props;
    const stack = PlatformStack.of(this);
    const account = stack.env.account;
    const settings = BI_DATASET_SETTINGS;
    const dataSetId = stack.resourceName('bi', name, { maxLength: QUICKSIGHT_NAME_LIMIT });
    const columns = config.columns.map(({ name: column, type }) => ({ name: column, type }));
    const incremental = config.refresh?.incrementalColumn;

    this.dataSet = new QuicksightDataSet(this, 'data-set', {
      awsAccountId: account,
      dataSetId,
      name: dataSetId,
      importMode: settings.importModes[config.importMode],
      physicalTableMap: [
        {
          physicalTableMapId: settings.physicalTableId,
          relationalTable: table
            ? { dataSourceArn: dataSource.arn, catalog: settings.catalog, schema: table.databaseName, name: table.name, inputColumns: columns }
            : undefined,
          customSql: table ? undefined : { dataSourceArn: dataSource.arn, name, sqlQuery: terraformLiteral(config.sql as string), columns },
        },
      ],
      logicalTableMap: [
        {
          logicalTableMapId: settings.logicalTableId,
          alias: name,
          source: { physicalTableId: settings.physicalTableId },
          dataTransforms:
            config.calculatedFields.length > 0
              ? [
                  {
                    createColumnsOperation: {
                      columns: config.calculatedFields.map((field) => ({
                        columnId: field.name,
                        columnName: field.name,
                        expression: terraformLiteral(field.expression),
                      })),
                    },
                  },
                ]
              : undefined,
        },
      ],
      permissions: grants(props.groups ?? [], QUICKSIGHT_ACTIONS.dataSetViewer),
      rowLevelPermissionDataSet: props.rowLevelSecurity ? { arn: props.rowLevelSecurity.arn, ...settings.rowLevelSecurity } : undefined,
      refreshProperties: incremental
        ? {
            refreshConfiguration: {
              incrementalRefresh: {
                lookbackWindow: { columnName: incremental, size: config.refresh?.lookbackDays as number, sizeUnit: settings.lookbackUnit },
              },
            },
          }
        : undefined,
    });
    this.arn = this.dataSet.arn;
    this.dataSetId = this.dataSet.dataSetId;
    this.name = name;
    this.columns = [...config.columns.map((c) => c.name), ...config.calculatedFields.map((f) => f.name)];

    if (config.refresh) {
      const { interval, time } = config.refresh;
      this.refreshSchedule = new QuicksightRefreshSchedule(this, 'refresh-schedule', {
        awsAccountId: account,
        dataSetId: this.dataSet.dataSetId,
        scheduleId: settings.scheduleId,
        schedule: [
          {
            refreshType: incremental ? 'INCREMENTAL_REFRESH' : 'FULL_REFRESH',
            scheduleFrequency: [
              {
                interval: settings.intervals[interval],
                timezone: settings.timezone,
                timeOfTheDay: interval === 'hourly' ? undefined : time,
                refreshOnDay: interval === 'weekly' ? [{ dayOfWeek: settings.weeklyDay }] : undefined,
              },
            ],
          },
        ],
      });
    }
  }
}

const COLUMN_RE = /^[a-z_][a-z0-9_]{0,127}$/;
/**
 * Longest column id QuickSight accepts; a calculated field's name is its id.
 * @see https://docs.aws.amazon.com/quicksight/latest/APIReference/API_CalculatedColumn.html
 */
const MAX_COLUMN_ID = 64;
const TIME_RE = /^([01]\d|2[0-3]):[0-5]\d$/;

/** Records problems with the props of a {@link BiDataset} on `v`; values that are still tokens are skipped. */
function checkBiDatasetProps(v: Validator, props: BiDatasetProps): void {
  const { name, config, table, rowLevelSecurity } = props;
  if (!Token.isUnresolved(name)) v.check(DATASET_NAME_RE.test(name), 'name', `is ${describeValue(name)}; ${DATASET_NAME_FIX}`);

  const hasTable = config.table !== undefined;
  const hasSql = config.sql !== undefined;
  if (hasTable === hasSql) {
    v.add('config', hasTable ? 'sets both table and sql; set one: table reads a lake table whole, sql runs a query' : 'sets neither table nor sql; set table ("<zone>.<table>") or sql');
  } else if (hasTable && !table) {
    v.add('table', `is missing; config.table is ${describeValue(config.table)}, so pass that catalog table`);
  } else if (hasSql && table) {
    v.add('table', `is ${table.node.path}, but config.sql is set; leave table out (the query says what it reads)`);
  } else if (hasTable && table) {
    const expected = (config.table as string).split('.')[1];
    const actual = table.nameInput;
    if (actual !== undefined && !Token.isUnresolved(actual)) {
      v.check(actual === expected, 'table', `is the catalog table ${describeValue(actual)}, but config.table is ${describeValue(config.table)}; pass the table ${describeValue(expected)}`);
    }
    const known = tableColumns(table);
    if (known) {
      config.columns.forEach((column, i) => {
        v.check(known.includes(column.name), `config.columns[${i}].name`, `is ${describeValue(column.name)}, which is not a column of ${describeValue(config.table)} (columns: ${known.join(', ')}); use one of them or fix the table`);
      });
    }
  }

  const names = new Set<string>();
  config.columns.forEach((column, i) => {
    if (!COLUMN_RE.test(column.name)) v.add(`config.columns[${i}].name`, `is ${describeValue(column.name)}; use a column name (lowercase letters, digits, "_")`);
    else if (names.has(column.name)) v.add(`config.columns[${i}].name`, `is ${describeValue(column.name)} again; list each column once`);
    names.add(column.name);
    v.check((QUICKSIGHT_COLUMN_TYPES as readonly string[]).includes(column.type), `config.columns[${i}].type`, `is ${describeValue(column.type)}; use one of ${QUICKSIGHT_COLUMN_TYPES.join(', ')}`);
  });
  v.check(config.columns.length > 0, 'config.columns', 'is empty; list the dataset\'s columns (name, type)');
  config.calculatedFields.forEach((field, i) => {
    if (!COLUMN_RE.test(field.name)) v.add(`config.calculatedFields[${i}].name`, `is ${describeValue(field.name)}; use a field name (lowercase letters, digits, "_")`);
    else if (field.name.length > MAX_COLUMN_ID) v.add(`config.calculatedFields[${i}].name`, `is ${describeValue(field.name)} (${field.name.length} characters); use at most ${MAX_COLUMN_ID}: the name is the field's QuickSight column id`);
    else if (names.has(field.name)) v.add(`config.calculatedFields[${i}].name`, `is ${describeValue(field.name)}, already a column or field of the dataset; give the field its own name`);
    names.add(field.name);
  });

  const { refresh } = config;
  if (refresh) {
    v.check(config.importMode === 'spice', 'config.refresh', `is set, but importMode is ${describeValue(config.importMode)}; only SPICE datasets are refreshed (use importMode: spice, or remove refresh)`);
    v.check((REFRESH_INTERVALS as readonly string[]).includes(refresh.interval), 'config.refresh.interval', `is ${describeValue(refresh.interval)}; use one of ${REFRESH_INTERVALS.join(', ')}`);
    v.check(TIME_RE.test(refresh.time), 'config.refresh.time', `is ${describeValue(refresh.time)}; use a time of day "HH:MM" (24h, UTC)`);
    v.check(Number.isInteger(refresh.lookbackDays) && refresh.lookbackDays >= 1 && refresh.lookbackDays <= 365, 'config.refresh.lookbackDays', `is ${describeValue(refresh.lookbackDays)}; use a whole number of days from 1 to 365`);
    const incremental = refresh.incrementalColumn;
    if (incremental !== undefined) {
      const column = config.columns.find((c) => c.name === incremental);
      if (!column) {
        v.add('config.refresh.incrementalColumn', `is ${describeValue(incremental)}, which is not a column of the dataset (columns: ${config.columns.map((c) => c.name).join(', ')}); use its DATETIME column`);
      } else {
        v.check(column.type === 'DATETIME', 'config.refresh.incrementalColumn', `is ${describeValue(incremental)}, a ${column.type} column; use a DATETIME column (the look-back window counts days back from now)`);
      }
    }
  }

  const rls = config.rowLevelSecurity;
  if (rls === undefined) {
    v.check(!rowLevelSecurity, 'rowLevelSecurity', `is the dataset ${describeValue(rowLevelSecurity?.name)}, but config.rowLevelSecurity is not set; leave it out or set config.rowLevelSecurity`);
  } else if (!rowLevelSecurity) {
    v.add('rowLevelSecurity', `is missing; config.rowLevelSecurity is ${describeValue(rls)}, so pass that rules dataset`);
  } else if (rowLevelSecurity.name !== rls) {
    v.add('rowLevelSecurity', `is the dataset ${describeValue(rowLevelSecurity.name)}, but config.rowLevelSecurity is ${describeValue(rls)}; pass the dataset ${describeValue(rls)}`);
  } else if (rls === name) {
    v.add('config.rowLevelSecurity', `is ${describeValue(rls)}, the dataset itself; use a separate rules dataset`);
  } else if (!rowLevelSecurity.columns.some((c) => c === 'username' || c === 'groupname')) {
    v.add('rowLevelSecurity', `is the dataset ${describeValue(rls)}, which has no username or groupname column; a rules dataset says which rows each user (username) or group (groupname) may see`);
  }

  checkPrincipalArns(v, 'groups', props.groups ?? []);
}

/** The columns and partition keys of `table`, when they are written out (not references). */
function tableColumns(table: GlueCatalogTable): string[] | undefined {
  const columns = table.storageDescriptorInput?.columns;
  const partitions = table.partitionKeysInput;
  if (columns === undefined || Token.isUnresolved(columns) || !Array.isArray(columns)) return undefined;
  if (partitions !== undefined && (Token.isUnresolved(partitions) || !Array.isArray(partitions))) return undefined;
  return [...columns, ...(partitions ?? [])].map((c) => c.name);
}
