import { TerraformVariable } from 'cdktf';
import { problemsOf, synthesize, synthesizedResource as resource } from '@data-platform/core';
import { stackWithLake } from '@data-platform/lake';
import { PolicyPack } from '@data-platform/policy';
import { Construct } from 'constructs';
import { ALL_ROWS, DATA_CELLS_FILTER_MAX_NAME_LENGTH, DataFilter, DataFilterProps, ROW_FILTER_MAX_LENGTH } from './data-filter';
import { LakeFormationSettings } from './lake-formation-settings';
import { OFFLINE, REMOTE, catalogTable, devEnvironment as env, governanceStacks } from './lf-test-support';

const TABLE = '${aws_glue_catalog_table.lake_customer_features_table';
const EU = "country IN ('DE', 'FR', 'NL', 'ES', 'IT')";
const COLUMNS = ['country', 'first_order_date', 'tenure_days', 'orders_90d', 'revenue_90d', 'days_since_last_order'];

/** The address of the Lake Formation settings, which the filter depends on in the same stack. */
const SETTINGS = 'aws_lakeformation_data_lake_settings.governance_lake_settings';

/** The account's Lake Formation settings in `scope`, administered by a role of the scope's account. */
const lakeSettings = (scope: Construct, account = '111111111111') =>
  new LakeFormationSettings(scope, 'settings', { administrators: [`arn:aws:iam::${account}:role/data-platform-admin`] });

/** The lake, the settings, the table customer_features and the filter eu-customers of environments/dev.yaml in one stack `dev`. */
function build(props: Partial<DataFilterProps> = {}) {
  const { stack, lake } = stackWithLake(env());
  const table = catalogTable(stack, lake, 'customer_features');
  const filter = new DataFilter(stack, 'filter-eu-customers', { name: 'eu-customers', table, settings: lakeSettings(stack), rowFilter: EU, columns: COLUMNS, ...props });
  return { stack, lake, table, filter, ...synthesize(stack) };
}

const filterOf = (tf: ReturnType<typeof build>['tf']) => resource(tf, 'aws_lakeformation_data_cells_filter', 'governance_eu_customers_filter');

describe('DataFilter', () => {
  it('documents its limits and the all-rows filter as constants', () => {
    expect(ALL_ROWS).toBe('TRUE');
    expect(DATA_CELLS_FILTER_MAX_NAME_LENGTH).toBe(255);
    expect(ROW_FILTER_MAX_LENGTH).toBe(2048);
  });

  it('filters the rows and columns of one table of this account\'s catalog, once the Lake Formation settings are in place', () => {
    const { tf, filter } = build();
    expect(filterOf(tf)).toEqual({
      table_data: [{
        name: 'adp-dev-governance-eu-customers',
        database_name: `${TABLE}.database_name}`,
        table_name: `${TABLE}.name}`,
        table_catalog_id: '111111111111',
        row_filter: [{ filter_expression: EU }],
        column_names: COLUMNS,
      }],
      depends_on: [SETTINGS],
    });
    expect(filter.name).toBe('adp-dev-governance-eu-customers');
    expect(filter.catalogId).toBe('111111111111');
  });

  it('shows every column, including columns added later, when no columns are listed', () => {
    const table = filterOf(build({ columns: undefined }).tf).table_data as Array<Record<string, unknown>>;
    expect(table[0].column_wildcard).toEqual([{}]);
    expect(table[0]).not.toHaveProperty('column_names');
  });

  it('writes a TRUE row filter, in any case and spacing, as the all-rows wildcard', () => {
    for (const rowFilter of [ALL_ROWS, ' true ']) {
      const table = filterOf(build({ rowFilter }).tf).table_data as Array<Record<string, unknown>>;
      expect(table[0].row_filter).toEqual([{ all_rows_wildcard: [{}] }]);
    }
  });

  it('pins its address without making it stateful', () => {
    const { tf, stack } = build();
    expect(Object.keys(tf.resource?.aws_lakeformation_data_cells_filter ?? {})).toEqual(['governance_eu_customers_filter']);
    expect(filterOf(tf)).not.toHaveProperty('lifecycle');
    expect([...stack.statefulAddresses].filter((a) => a.startsWith('aws_lakeformation'))).toEqual([]);
  });

  describe('validation', () => {
    it('rejects a malformed name, an empty or too long row filter and malformed or repeated columns', () => {
      const { stack, lake } = stackWithLake(env());
      const table = catalogTable(stack, lake, 'customer_features');
      const settings = lakeSettings(stack);
      expect(problemsOf(() => new DataFilter(stack, 'a', { name: 'EU customers', table, settings, rowFilter: ' ', columns: ['Country', 'tenure_days', 'tenure_days'] }))).toEqual([
        'DataFilter dev/a: name is "EU customers"; use 2-40 lowercase letters and digits, words joined by "-", starting with a letter (e.g. "clickstream")',
        'DataFilter dev/a: rowFilter is empty; write a SQL WHERE expression over the table\'s columns (e.g. "country IN (\'DE\', \'FR\')"), or TRUE for every row',
        'DataFilter dev/a: columns[0] is "Country"; use the lowercase name of a column of the table',
        'DataFilter dev/a: columns[2] is "tenure_days" again; list each column once',
      ]);
      expect(problemsOf(() => new DataFilter(stack, 'b', { name: 'long', table, settings, rowFilter: 'x'.repeat(ROW_FILTER_MAX_LENGTH + 1), columns: [] }))).toEqual([
        'DataFilter dev/b: rowFilter has 2049 characters; use at most 2048',
        'DataFilter dev/b: columns is empty; list at least one column, or leave columns out for all of them',
      ]);
    });

    it('skips values that are still tokens', () => {
      const { stack, lake } = stackWithLake(env());
      const table = catalogTable(stack, lake, 'customer_features');
      const value = (id: string) => new TerraformVariable(stack, id, { type: 'string' }).stringValue;
      const filter = new DataFilter(stack, 'filter', { name: 'eu-customers', table, settings: lakeSettings(stack), rowFilter: value('row'), columns: [value('column')] });
      const data = resource(synthesize(stack).tf, 'aws_lakeformation_data_cells_filter', filter.filter.friendlyUniqueId).table_data as Array<Record<string, unknown>>;
      expect(data[0].row_filter).toEqual([{ filter_expression: '${var.row}' }]);
      expect(data[0].column_names).toEqual(['${var.column}']);
    });
  });

  describe('policy pack', () => {
    it('passes in the governance stack of a layered build, filtering a table read across stacks', () => {
      const { lakeStack, lake, stack } = governanceStacks(env(), { aspects: [new PolicyPack()] });
      const table = catalogTable(lakeStack, lake, 'customer_features');
      new DataFilter(stack, 'filter', { name: 'eu-customers', table, settings: lakeSettings(lakeStack), rowFilter: EU, columns: COLUMNS });
      expect(() => synthesize(lakeStack)).not.toThrow();
      const filter = resource(synthesize(stack).tf, 'aws_lakeformation_data_cells_filter', 'governance_eu_customers_filter');
      const data = filter.table_data as Array<Record<string, string>>;
      expect(data[0].database_name).toMatch(REMOTE);
      expect(data[0].table_name).toMatch(REMOTE);
      // The settings are in the lake's stack, applied before this one: no dependency across states.
      expect(filter.depends_on).toEqual([]);
    });

    it('passes in the single stack of the offline environment', () => {
      const { stack, lake } = stackWithLake(env({ ...OFFLINE }), { aspects: [new PolicyPack()] });
      const table = catalogTable(stack, lake, 'customer_features');
      new DataFilter(stack, 'filter', { name: 'eu-customers', table, settings: lakeSettings(stack, '000000000000'), rowFilter: EU });
      expect(resource(synthesize(stack).tf, 'aws_lakeformation_data_cells_filter', 'governance_eu_customers_filter').depends_on).toEqual([SETTINGS]);
    });
  });
});
