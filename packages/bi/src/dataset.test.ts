import { TerraformOutput, TerraformVariable } from 'cdktf';
import { GlueCatalogTable } from '@cdktf/provider-aws/lib/glue-catalog-table';
import { QuicksightDataSet } from '@cdktf/provider-aws/lib/quicksight-data-set';
import {
  BiDatasetConfig,
  EnvironmentConfig,
  PlatformStack,
  problemsOf,
  ref,
  synthesize,
  synthesizedResource,
  SynthesizedStack,
  testApp,
} from '@data-platform/core';
import { stackWithLake } from '@data-platform/lake';
import { PolicyPack } from '@data-platform/policy';
import { AthenaDataSource } from './athena-data-source';
import { BI_DATASET_SETTINGS, BiDataset, BiDatasetProps } from './dataset';
import { QuicksightGroups } from './groups';
import { QUICKSIGHT_ACTIONS } from './quicksight';
import { biOf, dailyRevenueTable, datasetConfig, devEnvironment, OFFLINE, biPersona } from './test-support';

/** The sample datasets of test-support's environment. */
const REVENUE = biOf(devEnvironment()).datasets['daily-revenue'];
const RULES = biOf(devEnvironment()).datasets['revenue-rules'];
/** The daily revenue table's columns, as the dataset declares them. */
const COLUMNS = [
  { name: 'order_date', type: 'DATETIME' },
  { name: 'country', type: 'STRING' },
  { name: 'revenue', type: 'DECIMAL' },
  { name: 'orders', type: 'INTEGER' },
] as const;
/** A plain SPICE dataset over the table: no fields, groups, security or refresh. */
const PLAIN = datasetConfig({ table: 'curated.daily_revenue', columns: [...COLUMNS] });

/** The lake and its daily revenue table, the persona, the sample groups and the data source in one stack `dev-bi`. */
function base(environment: EnvironmentConfig = devEnvironment()) {
  const { stack, lake } = stackWithLake(environment, { id: 'dev-bi' });
  const table = dailyRevenueTable(lake, lake);
  const persona = biPersona(stack, lake);
  const groups = new QuicksightGroups(stack, 'groups', { groups: biOf(environment).groups });
  const dataSource = new AthenaDataSource(stack, 'athena', { persona, groups });
  return { stack, lake, table, persona, groups, dataSource };
}

/**
 * `base` and the dataset `daily-revenue` from `config` (its table, its groups, and the rules
 * dataset `revenue-rules` when the config names it), `props` applied last.
 */
function build(config: BiDatasetConfig = REVENUE, props: Partial<BiDatasetProps> = {}) {
  const b = base();
  const rules = config.rowLevelSecurity ? new BiDataset(b.stack, 'rules', { name: 'revenue-rules', config: RULES, dataSource: b.dataSource }) : undefined;
  const dataset = new BiDataset(b.stack, 'dataset', {
    name: 'daily-revenue',
    config,
    dataSource: b.dataSource,
    table: config.table ? b.table : undefined,
    groups: b.groups.arnsOf(config.groups, 'groups'),
    rowLevelSecurity: rules,
    ...props,
  });
  return { ...b, rules, dataset };
}

const synth = (config?: BiDatasetConfig, props?: Partial<BiDatasetProps>) => {
  const built = build(config, props);
  return { ...built, ...synthesize(built.stack) };
};

const dataSetOf = (tf: SynthesizedStack, dataset: BiDataset) => synthesizedResource(tf, 'aws_quicksight_data_set', dataset.dataSet.friendlyUniqueId);
const scheduleOf = (tf: SynthesizedStack, dataset: BiDataset) => synthesizedResource(tf, 'aws_quicksight_refresh_schedule', dataset.refreshSchedule!.friendlyUniqueId);

describe('BiDataset', () => {
  it('documents its fixed settings as constants', () => {
    expect(BI_DATASET_SETTINGS).toEqual({
      catalog: 'AwsDataCatalog',
      physicalTableId: 'source',
      logicalTableId: 'dataset',
      importModes: { spice: 'SPICE', direct: 'DIRECT_QUERY' },
      rowLevelSecurity: { permissionPolicy: 'GRANT_ACCESS', formatVersion: 'VERSION_1', status: 'ENABLED' },
      scheduleId: 'scheduled-refresh',
      intervals: { hourly: 'HOURLY', daily: 'DAILY', weekly: 'WEEKLY' },
      timezone: 'UTC',
      weeklyDay: 'MONDAY',
      lookbackUnit: 'DAY',
    });
  });

  it('imports into SPICE by default (BI_DEFAULTS.importMode)', () => {
    expect(PLAIN.importMode).toBe('spice');
    const { tf, dataset } = synth(PLAIN);
    expect(dataSetOf(tf, dataset).import_mode).toBe('SPICE');
  });

  describe('over a table', () => {
    it("reads the catalog table whole through the data source, with the config's columns, and nothing more", () => {
      const { tf, dataset, dataSource, table } = synth(PLAIN);
      expect(dataSetOf(tf, dataset)).toEqual({
        aws_account_id: '111111111111',
        data_set_id: 'adp-dev-bi-daily-revenue',
        name: 'adp-dev-bi-daily-revenue',
        import_mode: 'SPICE',
        physical_table_map: [
          {
            physical_table_map_id: 'source',
            relational_table: {
              data_source_arn: ref(dataSource.dataSource, 'arn'),
              catalog: 'AwsDataCatalog',
              schema: ref(table, 'database_name'),
              name: ref(table, 'name'),
              input_columns: [...COLUMNS],
            },
          },
        ],
        logical_table_map: [{ logical_table_map_id: 'dataset', alias: 'daily-revenue', source: { physical_table_id: 'source' } }],
      });
    });

    it('adds the calculated fields to its logical table, each its own column id', () => {
      const { tf, dataset } = synth(datasetConfig({ ...PLAIN, calculatedFields: [{ name: 'average_order_value', expression: 'revenue / orders' }, { name: 'big', expression: 'revenue > 1000' }] }));
      expect(dataSetOf(tf, dataset).logical_table_map).toEqual([
        {
          logical_table_map_id: 'dataset',
          alias: 'daily-revenue',
          source: { physical_table_id: 'source' },
          data_transforms: [
            {
              create_columns_operation: {
                columns: [
                  { column_id: 'average_order_value', column_name: 'average_order_value', expression: 'revenue / orders' },
                  { column_id: 'big', column_name: 'big', expression: 'revenue > 1000' },
                ],
              },
            },
          ],
        },
      ]);
    });

    it("passes QuickSight's ${parameter} in an expression to QuickSight, not to Terraform", () => {
      const { tf, dataset } = synth(datasetConfig({ ...PLAIN, calculatedFields: [{ name: 'selected', expression: 'ifelse(country = ${Country}, 1, 0)' }] }));
      const columns = (dataSetOf(tf, dataset).logical_table_map as Array<{ data_transforms: Array<{ create_columns_operation: { columns: Array<{ expression: string }> } }> }>)[0]
        .data_transforms[0].create_columns_operation.columns;
      expect(columns[0].expression).toBe('ifelse(country = $${Country}, 1, 0)');
    });
  });

  describe('over custom SQL', () => {
    it('runs the query through the data source, with its columns and no table', () => {
      const sql = datasetConfig({ sql: "SELECT country, sum(revenue) AS revenue FROM curated.daily_revenue WHERE country <> '${Excluded}' GROUP BY 1", columns: [{ name: 'country', type: 'STRING' }, { name: 'revenue', type: 'DECIMAL' }] });
      const { tf, dataset, dataSource } = synth(sql);
      expect(dataSetOf(tf, dataset).physical_table_map).toEqual([
        {
          physical_table_map_id: 'source',
          custom_sql: {
            data_source_arn: ref(dataSource.dataSource, 'arn'),
            name: 'daily-revenue',
            sql_query: "SELECT country, sum(revenue) AS revenue FROM curated.daily_revenue WHERE country <> '$${Excluded}' GROUP BY 1",
            columns: [{ name: 'country', type: 'STRING' }, { name: 'revenue', type: 'DECIMAL' }],
          },
        },
      ]);
    });
  });

  it('queries Athena each time in direct mode', () => {
    const { tf, dataset } = synth(datasetConfig({ ...PLAIN, importMode: 'direct' }));
    expect(dataSetOf(tf, dataset).import_mode).toBe('DIRECT_QUERY');
    expect(dataset.refreshSchedule).toBeUndefined();
  });

  describe('permissions', () => {
    it('lets each of its groups view and use it, read-only, and no one else', () => {
      const { tf, dataset, groups } = synth(datasetConfig({ ...PLAIN, groups: ['managers', 'analysts'] }));
      expect(dataSetOf(tf, dataset).permissions).toEqual([
        { principal: ref(groups.groups.managers, 'arn'), actions: [...QUICKSIGHT_ACTIONS.dataSetViewer] },
        { principal: ref(groups.groups.analysts, 'arn'), actions: [...QUICKSIGHT_ACTIONS.dataSetViewer] },
      ]);
    });

    it('grants nothing without groups', () => {
      const { tf, dataset } = synth(PLAIN);
      expect(dataSetOf(tf, dataset).permissions).toBeUndefined();
    });
  });

  describe('row-level security', () => {
    it("restricts rows by the rules dataset's grants, by user and group name", () => {
      const { tf, dataset, rules } = synth();
      expect(dataSetOf(tf, dataset).row_level_permission_data_set).toEqual({
        arn: ref(rules!.dataSet, 'arn'),
        permission_policy: 'GRANT_ACCESS',
        format_version: 'VERSION_1',
        status: 'ENABLED',
      });
    });

    it('is off unless configured', () => {
      const { tf, dataset } = synth(PLAIN);
      expect(dataSetOf(tf, dataset).row_level_permission_data_set).toBeUndefined();
    });
  });

  describe('refresh', () => {
    it('reloads only the last lookbackDays days of the incremental column, daily at the time given (UTC)', () => {
      const { tf, dataset } = synth();
      expect(dataSetOf(tf, dataset).refresh_properties).toEqual({
        refresh_configuration: { incremental_refresh: { lookback_window: { column_name: 'order_date', size: 3, size_unit: 'DAY' } } },
      });
      expect(scheduleOf(tf, dataset)).toEqual({
        aws_account_id: '111111111111',
        data_set_id: ref(dataset.dataSet, 'data_set_id'),
        schedule_id: 'scheduled-refresh',
        schedule: [{ refresh_type: 'INCREMENTAL_REFRESH', schedule_frequency: [{ interval: 'DAILY', timezone: 'UTC', time_of_the_day: '05:30' }] }],
      });
    });

    it('refreshes at 06:00 and looks back 7 days by default (BI_DEFAULTS)', () => {
      const config = datasetConfig({ ...PLAIN, refresh: { interval: 'daily', incrementalColumn: 'order_date' } });
      expect(config.refresh).toEqual({ interval: 'daily', time: '06:00', incrementalColumn: 'order_date', lookbackDays: 7 });
      const { tf, dataset } = synth(config);
      expect((scheduleOf(tf, dataset).schedule as Array<{ schedule_frequency: Array<Record<string, unknown>> }>)[0].schedule_frequency[0].time_of_the_day).toBe('06:00');
      expect(JSON.stringify(dataSetOf(tf, dataset).refresh_properties)).toContain('"size":7');
    });

    it('refreshes fully every hour, with no time of day and no look-back window', () => {
      const { tf, dataset } = synth(datasetConfig({ ...PLAIN, refresh: { interval: 'hourly' } }));
      expect(scheduleOf(tf, dataset).schedule).toEqual([{ refresh_type: 'FULL_REFRESH', schedule_frequency: [{ interval: 'HOURLY', timezone: 'UTC' }] }]);
      expect(dataSetOf(tf, dataset).refresh_properties).toBeUndefined();
    });

    it('refreshes weekly on Mondays at the time given', () => {
      const { tf, dataset } = synth(datasetConfig({ ...PLAIN, refresh: { interval: 'weekly', time: '22:45' } }));
      expect(scheduleOf(tf, dataset).schedule).toEqual([
        { refresh_type: 'FULL_REFRESH', schedule_frequency: [{ interval: 'WEEKLY', timezone: 'UTC', time_of_the_day: '22:45', refresh_on_day: [{ day_of_week: 'MONDAY' }] }] },
      ]);
    });

    it('has no schedule unless configured', () => {
      const { tf, dataset } = synth(PLAIN);
      expect(dataset.refreshSchedule).toBeUndefined();
      expect(tf.resource?.aws_quicksight_refresh_schedule).toBeUndefined();
    });
  });

  it('exposes the dataset, its ARN, id, name and fields', () => {
    const { stack, dataset } = build();
    expect(dataset.name).toBe('daily-revenue');
    expect(dataset.columns).toEqual(['order_date', 'country', 'revenue', 'orders', 'average_order_value']);
    new TerraformOutput(stack, 'arn', { value: dataset.arn });
    new TerraformOutput(stack, 'id', { value: dataset.dataSetId });
    expect(synthesize(stack).tf.output).toEqual({ arn: { value: ref(dataset.dataSet, 'arn') }, id: { value: ref(dataset.dataSet, 'data_set_id') } });
  });

  describe('validation', () => {
    const problems = (config: BiDatasetConfig, props: Partial<BiDatasetProps> = {}) => problemsOf(() => build(config, props));
    const SOURCE = 'BiDataset dev-bi/dataset:';

    it('requires the table config.table names, and refuses one with sql', () => {
      expect(problems(PLAIN, { table: undefined })).toEqual([`${SOURCE} table is missing; config.table is "curated.daily_revenue", so pass that catalog table`]);
      const sql = datasetConfig({ sql: 'SELECT 1 AS one', columns: [{ name: 'one', type: 'INTEGER' }] });
      const b = base();
      expect(problemsOf(() => new BiDataset(b.stack, 'dataset', { name: 'one', config: sql, dataSource: b.dataSource, table: b.table }))).toEqual([
        `${SOURCE} table is ${b.table.node.path}, but config.sql is set; leave table out (the query says what it reads)`,
      ]);
    });

    it('rejects both table and sql, or neither', () => {
      expect(problems({ ...PLAIN, sql: 'SELECT 1' })).toEqual([`${SOURCE} config sets both table and sql; set one: table reads a lake table whole, sql runs a query`]);
      expect(problems({ ...PLAIN, table: undefined }, { table: undefined })).toEqual([`${SOURCE} config sets neither table nor sql; set table ("<zone>.<table>") or sql`]);
    });

    it('rejects another table than config.table names, and columns the table lacks', () => {
      const b = base();
      const other = new GlueCatalogTable(b.lake, 'orders-table', {
        name: 'orders',
        databaseName: b.lake.databases.curated.name,
        storageDescriptor: { columns: [{ name: 'order_id', type: 'string' }] },
      });
      expect(problemsOf(() => new BiDataset(b.stack, 'dataset', { name: 'daily-revenue', config: PLAIN, dataSource: b.dataSource, table: other }))).toEqual([
        `${SOURCE} table is the catalog table "orders", but config.table is "curated.daily_revenue"; pass the table "daily_revenue"`,
        `${SOURCE} config.columns[0].name is "order_date", which is not a column of "curated.daily_revenue" (columns: order_id); use one of them or fix the table`,
        `${SOURCE} config.columns[1].name is "country", which is not a column of "curated.daily_revenue" (columns: order_id); use one of them or fix the table`,
        `${SOURCE} config.columns[2].name is "revenue", which is not a column of "curated.daily_revenue" (columns: order_id); use one of them or fix the table`,
        `${SOURCE} config.columns[3].name is "orders", which is not a column of "curated.daily_revenue" (columns: order_id); use one of them or fix the table`,
      ]);
    });

    it('skips the table checks for a table given by reference', () => {
      const b = base();
      const name = new TerraformVariable(b.stack, 'table-name', { type: 'string' }).stringValue;
      const table = new GlueCatalogTable(b.lake, 'referenced-table', { name, databaseName: b.lake.databases.curated.name });
      expect(() => new BiDataset(b.stack, 'dataset', { name: 'daily-revenue', config: PLAIN, dataSource: b.dataSource, table })).not.toThrow();
    });

    it('rejects a bad name, columns and fields listed twice or clashing, and a bad type', () => {
      const sql = datasetConfig({ sql: 'SELECT * FROM curated.daily_revenue', columns: [...COLUMNS] });
      const config = {
        ...sql,
        columns: [...sql.columns, { name: 'country', type: 'STRING' }, { name: 'Region', type: 'TEXT' }],
        calculatedFields: [{ name: 'revenue', expression: 'revenue * 2' }],
      } as BiDatasetConfig;
      expect(problems(config, { name: 'Daily Revenue' })).toEqual([
        `BiDataset dev-bi/dataset: name is "Daily Revenue"; use 2-40 lowercase letters and digits, words joined by "-", starting with a letter (e.g. "clickstream")`,
        `${SOURCE} config.columns[4].name is "country" again; list each column once`,
        `${SOURCE} config.columns[5].name is "Region"; use a column name (lowercase letters, digits, "_")`,
        `${SOURCE} config.columns[5].type is "TEXT"; use one of STRING, INTEGER, DECIMAL, DATETIME, BIT, BOOLEAN`,
        `${SOURCE} config.calculatedFields[0].name is "revenue", already a column or field of the dataset; give the field its own name`,
      ]);
    });

    it("rejects a calculated field name longer than QuickSight's 64-character column id", () => {
      const long = `f_${'x'.repeat(63)}`;
      expect(problems(datasetConfig({ ...PLAIN, calculatedFields: [{ name: long, expression: '1' }] }))).toEqual([
        `${SOURCE} config.calculatedFields[0].name is "${long}" (65 characters); use at most 64: the name is the field's QuickSight column id`,
      ]);
    });

    it('refreshes only SPICE datasets', () => {
      expect(problems(datasetConfig({ ...PLAIN, importMode: 'direct', refresh: { interval: 'daily' } }))).toEqual([
        `${SOURCE} config.refresh is set, but importMode is "direct"; only SPICE datasets are refreshed (use importMode: spice, or remove refresh)`,
      ]);
    });

    it('looks back only over a DATETIME column of the dataset', () => {
      expect(problems(datasetConfig({ ...PLAIN, refresh: { interval: 'daily', incrementalColumn: 'ordered_at' } }))).toEqual([
        `${SOURCE} config.refresh.incrementalColumn is "ordered_at", which is not a column of the dataset (columns: order_date, country, revenue, orders); use its DATETIME column`,
      ]);
      expect(problems(datasetConfig({ ...PLAIN, refresh: { interval: 'daily', incrementalColumn: 'country' } }))).toEqual([
        `${SOURCE} config.refresh.incrementalColumn is "country", a STRING column; use a DATETIME column (the look-back window counts days back from now)`,
      ]);
    });

    it('rejects a refresh QuickSight cannot schedule', () => {
      const config = { ...PLAIN, refresh: { interval: 'monthly', time: '25:00', lookbackDays: 0 } } as unknown as BiDatasetConfig;
      expect(problems(config)).toEqual([
        `${SOURCE} config.refresh.interval is "monthly"; use one of hourly, daily, weekly`,
        `${SOURCE} config.refresh.time is "25:00"; use a time of day "HH:MM" (24h, UTC)`,
        `${SOURCE} config.refresh.lookbackDays is 0; use a whole number of days from 1 to 365`,
      ]);
    });

    it('requires the rules dataset config.rowLevelSecurity names, with a username or groupname column, and refuses one otherwise', () => {
      expect(problems(REVENUE, { rowLevelSecurity: undefined })).toEqual([`${SOURCE} rowLevelSecurity is missing; config.rowLevelSecurity is "revenue-rules", so pass that rules dataset`]);
      const b = base();
      const other = new BiDataset(b.stack, 'other', { name: 'other-rules', config: RULES, dataSource: b.dataSource });
      const noGroups = new BiDataset(b.stack, 'no-groups', { name: 'revenue-rules', config: datasetConfig({ sql: 'SELECT country FROM t', columns: [{ name: 'country', type: 'STRING' }] }), dataSource: b.dataSource });
      const dataset = (config: BiDatasetConfig, rowLevelSecurity: BiDataset, id: string) =>
        problemsOf(() => new BiDataset(b.stack, id, { name: 'daily-revenue', config, dataSource: b.dataSource, table: b.table, rowLevelSecurity }));
      expect(dataset(REVENUE, other, 'a')).toEqual([`BiDataset dev-bi/a: rowLevelSecurity is the dataset "other-rules", but config.rowLevelSecurity is "revenue-rules"; pass the dataset "revenue-rules"`]);
      expect(dataset(REVENUE, noGroups, 'b')).toEqual([
        'BiDataset dev-bi/b: rowLevelSecurity is the dataset "revenue-rules", which has no username or groupname column; a rules dataset says which rows each user (username) or group (groupname) may see',
      ]);
      expect(dataset(PLAIN, other, 'c')).toEqual(['BiDataset dev-bi/c: rowLevelSecurity is the dataset "other-rules", but config.rowLevelSecurity is not set; leave it out or set config.rowLevelSecurity']);
    });

    it('rejects a dataset securing itself', () => {
      const b = base();
      const self = datasetConfig({ sql: 'SELECT groupname, country FROM t', columns: [{ name: 'groupname', type: 'STRING' }, { name: 'country', type: 'STRING' }], rowLevelSecurity: 'revenue-rules' });
      const rules = new BiDataset(b.stack, 'rules', { name: 'revenue-rules', config: RULES, dataSource: b.dataSource });
      expect(problemsOf(() => new BiDataset(b.stack, 'self', { name: 'revenue-rules', config: self, dataSource: b.dataSource, rowLevelSecurity: rules }))).toEqual([
        'BiDataset dev-bi/self: config.rowLevelSecurity is "revenue-rules", the dataset itself; use a separate rules dataset',
      ]);
    });

    it('grants only to QuickSight group ARNs', () => {
      expect(problems(PLAIN, { groups: ['*'] })).toEqual([
        `${SOURCE} groups[0] is "*"; use the ARN of a QuickSight group (QuicksightGroups.arn(name)): never "*", a namespace or an IAM principal`,
      ]);
    });

    it('creates nothing when the props are invalid', () => {
      const b = base();
      expect(() => new BiDataset(b.stack, 'dataset', { name: 'daily-revenue', config: PLAIN, dataSource: b.dataSource })).toThrow('table is missing');
      expect(synthesize(b.stack).json).not.toHaveResource(QuicksightDataSet);
    });
  });

  describe('policy pack', () => {
    it('passes every rule with the table in dev-lake, the persona in dev-governance and the datasets in dev-bi', () => {
      const environment = devEnvironment();
      const app = testApp();
      const aspects = [new PolicyPack()];
      const { stack: lakeStack, lake } = stackWithLake(environment, { app, aspects, id: 'dev-lake' });
      const table = dailyRevenueTable(lake, lake);
      const governance = new PlatformStack(app, 'dev-governance', { env: environment, aspects });
      const persona = biPersona(governance, lake);
      const stack = new PlatformStack(app, 'dev-bi', { env: environment, aspects });
      const groups = new QuicksightGroups(stack, 'groups', { groups: biOf(environment).groups });
      const dataSource = new AthenaDataSource(stack, 'athena', { persona, groups });
      const rules = new BiDataset(stack, 'rules', { name: 'revenue-rules', config: RULES, dataSource, groups: [groups.arn('analysts')] });
      new BiDataset(stack, 'revenue', { name: 'daily-revenue', config: REVENUE, dataSource, table, groups: [groups.arn('managers')], rowLevelSecurity: rules });
      expect(() => synthesize(lakeStack)).not.toThrow();
      expect(() => synthesize(governance)).not.toThrow();
      const { tf } = synthesize(stack);
      expect(Object.keys(tf.resource?.aws_quicksight_data_set ?? {})).toHaveLength(2);
      expect(JSON.stringify(tf.resource?.aws_quicksight_data_set)).toContain('data.terraform_remote_state.cross-stack-reference-input-dev-lake');
    });

    it('passes every rule in a single offline stack', () => {
      const environment = devEnvironment(OFFLINE);
      const { stack, lake } = stackWithLake(environment, { aspects: [new PolicyPack()] });
      const table = dailyRevenueTable(lake, lake);
      const persona = biPersona(stack, lake);
      const groups = new QuicksightGroups(stack, 'groups', { groups: biOf(environment).groups });
      const dataSource = new AthenaDataSource(stack, 'athena', { persona, groups });
      new BiDataset(stack, 'revenue', { name: 'daily-revenue', config: PLAIN, dataSource, table, groups: [groups.arn('managers')] });
      expect(Object.values(synthesize(stack).tf.resource?.aws_quicksight_data_set ?? {}).map((d) => d.data_set_id)).toEqual(['adp-local-bi-daily-revenue']);
    });
  });
});
