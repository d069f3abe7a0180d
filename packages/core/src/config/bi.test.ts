import { BI_DEFAULTS } from './bi';
import { parseEnvironment } from './loader';
import { TEST_FILE, lines, problemsIn } from './test-support';

const FILE = TEST_FILE;
const BASE = 'name: dev\naccount: "111111111111"\nregion: eu-west-1\noffline: true\nlayout: single\n';
const NETWORK = 'network:\n  vpcId: vpc-0a1b2c3d4e5f67890\n  vpcCidr: 10.20.0.0/16\n  subnets: { eu-west-1a: subnet-0a1b2c3d4e5f67890, eu-west-1b: subnet-0b1c2d3e4f5a67890 }\n';
/** One curated table, partitioned by order_month. */
const LAKE = `lake:
  tables:
    daily_revenue:
      zone: curated
      prefix: daily_revenue/
      columns: [{ name: order_date, type: date }, { name: orders, type: bigint }, { name: revenue, type: "decimal(18,2)" }]
      partitionKeys: [{ name: order_month, type: string }]
`;
/** The persona QuickSight queries as, trusted by QuickSight. */
const GOVERNANCE = 'governance:\n  administrators: [arn:aws:iam::111111111111:role/lake-admin]\n  personas:\n    bi: { description: QuickSight., assumedBy: [quicksight.amazonaws.com] }\n';
/** The start of a bi section with two groups; a case appends the rest, indented by 2. */
const BI = 'bi:\n  persona: bi\n  groups:\n    analysts: { role: READER }\n    authors: { role: AUTHOR }\n';
/** A dataset over daily_revenue, refreshed daily; a case appends fields, indented by 6. */
const DATASET = `  datasets:
    revenue:
      table: curated.daily_revenue
      columns: [{ name: order_date, type: DATETIME }, { name: orders, type: INTEGER }, { name: revenue, type: DECIMAL }]
`;

/** The problems of a file with LAKE, GOVERNANCE and BI followed by `bi` (lines under bi:). */
const problemsOf = (bi: string): string[] => problemsIn(`${BASE}${LAKE}${GOVERNANCE}${BI}${bi}`);

describe('the bi section', () => {
  test('is unset unless written', () => {
    expect(parseEnvironment(BASE, FILE).bi).toBeUndefined();
  });

  test('documents its defaults', () => {
    expect(BI_DEFAULTS).toEqual({ namespace: 'default', vpcConnection: false, importMode: 'spice', refreshTime: '06:00', lookbackDays: 7 });
  });

  test('fills every default of BI_DEFAULTS into a section of one refreshed dataset', () => {
    const env = parseEnvironment(`${BASE}${LAKE}${GOVERNANCE}${BI}${DATASET}      refresh: { interval: daily, incrementalColumn: order_date }\n`, FILE);
    expect(env.bi).toEqual({
      persona: 'bi',
      namespace: BI_DEFAULTS.namespace,
      vpcConnection: BI_DEFAULTS.vpcConnection,
      groups: { analysts: { role: 'READER', members: [] }, authors: { role: 'AUTHOR', members: [] } },
      datasets: {
        revenue: {
          table: 'curated.daily_revenue',
          columns: [
            { name: 'order_date', type: 'DATETIME' },
            { name: 'orders', type: 'INTEGER' },
            { name: 'revenue', type: 'DECIMAL' },
          ],
          importMode: BI_DEFAULTS.importMode,
          calculatedFields: [],
          groups: [],
          refresh: { interval: 'daily', time: BI_DEFAULTS.refreshTime, incrementalColumn: 'order_date', lookbackDays: BI_DEFAULTS.lookbackDays },
        },
      },
      dashboards: {},
    });
  });

  test('rejects an incremental refresh of 0 days, giving the range', () => {
    expect(problemsOf(`${DATASET}      refresh: { interval: daily, incrementalColumn: order_date, lookbackDays: 0 }\n`)).toEqual(
      lines('bi.datasets.revenue.refresh.lookbackDays is 0; use a whole number from 1 to 365'),
    );
  });

  describe('persona and network', () => {
    test('needs a governance section, naming the persona to add', () => {
      expect(problemsIn(`${BASE}${LAKE}${BI}`)).toEqual(
        lines('bi needs a governance section with the persona QuickSight queries as; add governance.personas.bi'),
      );
    });

    test('rejects a persona that is not in governance.personas', () => {
      expect(problemsIn(`${BASE}${LAKE}${GOVERNANCE}${BI.replace('persona: bi', 'persona: reporting')}`)).toEqual(
        lines('bi.persona is "reporting", which is not in governance.personas (bi); declare it there, with assumedBy: [quicksight.amazonaws.com]'),
      );
    });

    test('rejects a persona QuickSight may not assume, whether its assumedBy is written or the default', () => {
      const governance = 'governance:\n  administrators: [arn:aws:iam::111111111111:role/lake-admin]\n  personas:\n    bi: { description: QuickSight. }\n    ml: { description: SageMaker., assumedBy: [sagemaker.amazonaws.com] }\n';
      expect(problemsIn(`${BASE}${LAKE}${governance}${BI}`)).toEqual(
        lines('bi.persona is "bi", whose role quicksight.amazonaws.com may not assume (governance.personas.bi.assumedBy is ["account"], the default); add quicksight.amazonaws.com to that assumedBy'),
      );
      expect(problemsIn(`${BASE}${LAKE}${governance}${BI.replace('persona: bi', 'persona: ml')}`)).toEqual(
        lines('bi.persona is "ml", whose role quicksight.amazonaws.com may not assume (governance.personas.ml.assumedBy is ["sagemaker.amazonaws.com"]); add quicksight.amazonaws.com to that assumedBy'),
      );
    });

    test('rejects a VPC connection in a file without a network section, and accepts it with one', () => {
      expect(problemsOf('  vpcConnection: true\n')).toEqual(
        lines('bi.vpcConnection is true, but the file has no network section; add network.vpcId, network.vpcCidr and network.subnets, or set vpcConnection: false'),
      );
      expect(problemsIn(`${BASE}${NETWORK}${LAKE}${GOVERNANCE}${BI}  vpcConnection: true\n`)).toEqual([]);
    });
  });

  describe('datasets', () => {
    test('rejects a dataset with both table and sql, and one with neither', () => {
      const body = `${DATASET}      sql: SELECT 1\n    orders:\n      columns: [{ name: orders, type: INTEGER }]\n`;
      expect(problemsOf(body)).toEqual(
        lines(
          'bi.datasets.revenue has both table and sql; keep one: table for a table of lake.tables, sql for a custom query',
          'bi.datasets.orders has neither table nor sql; set table ("<zone>.<table>" of lake.tables) or sql (a custom query)',
        ),
      );
    });

    test('accepts a custom query without checking its columns against any table', () => {
      expect(problemsOf('  datasets:\n    totals:\n      sql: SELECT count(*) AS n FROM daily_revenue\n      columns: [{ name: n, type: INTEGER }]\n')).toEqual([]);
    });

    test('rejects a table that is not in lake.tables, or named in the wrong zone', () => {
      const body = `${DATASET.replace('curated.daily_revenue', 'curated.orders')}    raw-revenue:\n      table: raw.daily_revenue\n      columns: [{ name: revenue, type: DECIMAL }]\n`;
      expect(problemsOf(body)).toEqual(
        lines(
          'bi.datasets.revenue.table is "curated.orders", which is not in lake.tables (daily_revenue); declare the table there, or name a declared one',
          'bi.datasets.raw-revenue.table is "raw.daily_revenue", but lake.tables.daily_revenue is in the curated zone; use "curated.daily_revenue"',
        ),
      );
    });

    test('rejects a column the table does not have, and accepts a partition key', () => {
      const body = DATASET.replace('{ name: revenue, type: DECIMAL }', '{ name: order_month, type: STRING }, { name: margin, type: DECIMAL }');
      expect(problemsOf(body)).toEqual(
        lines('bi.datasets.revenue.columns.3.name is "margin", which is not a column of curated.daily_revenue (order_date, orders, revenue, order_month); use one of its columns or partition keys'),
      );
    });

    test('rejects a calculated field named like a column of the dataset', () => {
      const body = `${DATASET}      calculatedFields:\n        - { name: revenue_per_order, expression: "{revenue} / {orders}" }\n        - { name: revenue, expression: "{revenue} * 1.19" }\n`;
      expect(problemsOf(body)).toEqual(
        lines('bi.datasets.revenue.calculatedFields.1.name is "revenue", the name of a column of this dataset; give the calculated field another name'),
      );
    });

    test('rejects row-level security by the dataset itself or by a dataset that is not declared', () => {
      const body = `${DATASET}      rowLevelSecurity: revenue\n    orders:\n      table: curated.daily_revenue\n      columns: [{ name: orders, type: INTEGER }]\n      rowLevelSecurity: permissions\n`;
      expect(problemsOf(body)).toEqual(
        lines(
          'bi.datasets.revenue.rowLevelSecurity is "revenue", this dataset itself; name a separate permissions dataset of bi.datasets (the rows each group or user may see)',
          'bi.datasets.orders.rowLevelSecurity is "permissions", which is not in bi.datasets (revenue, orders); declare the permissions dataset there',
        ),
      );
    });

    test('accepts row-level security by another dataset of the section', () => {
      const body = `${DATASET}      rowLevelSecurity: permissions\n    permissions:\n      sql: SELECT group_name, country FROM permissions\n      columns: [{ name: group_name, type: STRING }, { name: country, type: STRING }]\n`;
      expect(problemsOf(body)).toEqual([]);
    });

    test('rejects a group that is not in bi.groups', () => {
      expect(problemsOf(`${DATASET}      groups: [analysts, finance]\n`)).toEqual(
        lines('bi.datasets.revenue.groups.1 is "finance", which is not in bi.groups (analysts, authors); declare the group there'),
      );
    });
  });

  describe('refresh', () => {
    test('rejects a refresh of a direct-query dataset', () => {
      expect(problemsOf(`${DATASET}      importMode: direct\n      refresh: { interval: daily, incrementalColumn: revenue }\n`)).toEqual(
        lines('bi.datasets.revenue.refresh is set, but importMode is "direct": every visual queries Athena, so there is no SPICE copy to refresh; remove refresh, or set importMode: spice'),
      );
    });

    test('rejects an incremental column that is not a column of the dataset', () => {
      expect(problemsOf(`${DATASET}      refresh: { interval: hourly, incrementalColumn: order_month }\n`)).toEqual(
        lines('bi.datasets.revenue.refresh.incrementalColumn is "order_month", which is not a column of this dataset (order_date, orders, revenue); use one of its DATETIME columns'),
      );
    });

    test('rejects an incremental column that is not a DATETIME column', () => {
      expect(problemsOf(`${DATASET}      refresh: { interval: weekly, incrementalColumn: orders }\n`)).toEqual(
        lines('bi.datasets.revenue.refresh.incrementalColumn is "orders", a column of type INTEGER; use a DATETIME column of this dataset (an incremental refresh reloads a window of dates)'),
      );
    });
  });

  describe('dashboards', () => {
    test('rejects datasets and groups that are not declared', () => {
      const body = `${DATASET}  dashboards:\n    revenue: { definition: revenue.json, datasets: [revenue, orders], groups: [viewers, analysts] }\n`;
      expect(problemsOf(body)).toEqual(
        lines(
          'bi.dashboards.revenue.datasets.1 is "orders", which is not in bi.datasets (revenue); declare the dataset there',
          'bi.dashboards.revenue.groups.0 is "viewers", which is not in bi.groups (analysts, authors); declare the group there',
        ),
      );
    });
  });
});
