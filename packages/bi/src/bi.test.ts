import { BiConfig, EnvironmentConfig, problemsOf, ref, synthesize, synthesizedResource } from '@data-platform/core';
import { stackWithLake } from '@data-platform/lake';
import { PolicyPack } from '@data-platform/policy';
import { Bi } from './bi';
import { Dashboard } from './dashboard';
import { BiDataset } from './dataset';
import { NETWORK, OFFLINE, biOf, biPersona, dailyRevenueTable, devEnvironment, layeredBi, singleBi } from './test-support';

type DatasetConfig = BiConfig['datasets'][string];

/** The sample `bi` section (test-support's BI_INPUT as the loader produces it). */
const SAMPLE = biOf(devEnvironment());
const RULES = SAMPLE.datasets['revenue-rules'];

/** The lake, its daily revenue table and the BI persona in one stack `dev`, and what Bi takes over them. */
function parts(environment: EnvironmentConfig = devEnvironment()) {
  const { stack, lake } = stackWithLake(environment);
  const table = dailyRevenueTable(lake, lake);
  const persona = biPersona(stack, lake);
  return { stack, lake, table, persona, tables: { 'curated.daily_revenue': table } };
}

/** A Bi of `config` (not checked by the loader, as a programmatic caller could pass it) in stack `dev`. */
function attempt(config: BiConfig, network?: typeof NETWORK) {
  const { stack, persona, tables } = parts();
  const problems = problemsOf(() => new Bi(stack, 'bi', { config, persona, tables, network }));
  return { stack, problems };
}

const datasetOf = (tf: ReturnType<typeof synthesize>['tf'], dataset: BiDataset) => synthesizedResource(tf, 'aws_quicksight_data_set', dataset.dataSet.friendlyUniqueId);

describe('Bi', () => {
  describe('composition', () => {
    it('builds the groups, the data source, every dataset and every dashboard of the section, exposed by name', () => {
      const { stack, persona, tables } = parts();
      const bi = new Bi(stack, 'bi', { config: SAMPLE, persona, tables });
      expect(Object.keys(bi.groups.groups).sort()).toEqual(Object.keys(SAMPLE.groups).sort());
      expect(Object.keys(bi.datasets)).toEqual(['daily-revenue', 'revenue-rules']);
      expect(Object.keys(bi.dashboards)).toEqual(['revenue']);
      expect(bi.dashboards.revenue).toBeInstanceOf(Dashboard);
      const { tf } = synthesize(stack);
      expect(Object.values(tf.resource?.aws_quicksight_data_set ?? {}).map((d) => d.data_set_id).sort()).toEqual(['adp-dev-bi-daily-revenue', 'adp-dev-bi-revenue-rules']);
      expect(Object.values(tf.resource?.aws_quicksight_data_source ?? {})).toHaveLength(1);
      expect(tf.resource?.aws_quicksight_vpc_connection).toBeUndefined();
    });

    it('restricts a dataset with the rules dataset its rowLevelSecurity names, and reads its table', () => {
      const { stack, persona, tables, table } = parts();
      const bi = new Bi(stack, 'bi', { config: SAMPLE, persona, tables });
      const { tf } = synthesize(stack);
      const revenue = datasetOf(tf, bi.datasets['daily-revenue']);
      expect((revenue.row_level_permission_data_set as Record<string, unknown>).arn).toBe(ref(bi.datasets['revenue-rules'].dataSet, 'arn'));
      expect((revenue.physical_table_map as Array<Record<string, Record<string, unknown>>>)[0].relational_table.name).toBe(ref(table, 'name'));
      expect(datasetOf(tf, bi.datasets['revenue-rules'])).not.toHaveProperty('row_level_permission_data_set');
    });

    it('builds each rules dataset before the datasets it restricts, whatever their order in the section', () => {
      const rulesOfRules: DatasetConfig = { ...RULES, sql: 'SELECT groupname, country FROM curated.rules_access', rowLevelSecurity: undefined };
      const config: BiConfig = {
        ...SAMPLE,
        datasets: {
          'daily-revenue': SAMPLE.datasets['daily-revenue'],
          'revenue-rules': { ...RULES, rowLevelSecurity: 'rules-of-rules' },
          'rules-of-rules': rulesOfRules,
        },
      };
      const { stack, persona, tables } = parts();
      const bi = new Bi(stack, 'bi', { config, persona, tables });
      expect(bi.node.children.filter((c) => c instanceof BiDataset).map((c) => c.node.id)).toEqual(['dataset-rules-of-rules', 'dataset-revenue-rules', 'dataset-daily-revenue']);
      expect(Object.keys(bi.datasets)).toEqual(['daily-revenue', 'revenue-rules', 'rules-of-rules']);
      const { tf } = synthesize(stack);
      expect((datasetOf(tf, bi.datasets['revenue-rules']).row_level_permission_data_set as Record<string, unknown>).arn).toBe(ref(bi.datasets['rules-of-rules'].dataSet, 'arn'));
    });

    it('passes the policy pack in layered stacks: lake and table in dev-lake, persona in dev-governance, QuickSight in dev-bi', () => {
      const pack = new PolicyPack();
      const { lakeStack, governanceStack, stack, layer } = layeredBi(devEnvironment(), { aspects: [pack] });
      expect(() => synthesize(lakeStack)).not.toThrow();
      expect(() => synthesize(governanceStack)).not.toThrow();
      const { tf } = synthesize(stack);
      expect(layer).toBeInstanceOf(Bi);
      expect(pack.reports.get('dev-bi')?.counts.fail).toBe(0);
      expect(pack.reports.get('dev-bi')?.suppressions).toEqual([]);
      // The table is read from the lake's stack through remote state.
      expect(JSON.stringify(datasetOf(tf, layer.datasets['daily-revenue']).physical_table_map)).toContain('data.terraform_remote_state.cross-stack-reference-input-dev-lake');
    });

    it('passes the policy pack in the single stack of the offline environment', () => {
      const pack = new PolicyPack();
      const { stack } = singleBi(devEnvironment({ ...OFFLINE, network: NETWORK }), { aspects: [pack] });
      const { tf } = synthesize(stack);
      expect(Object.values(tf.resource?.aws_quicksight_dashboard ?? {}).map((d) => d.dashboard_id)).toEqual(['adp-local-bi-revenue']);
      expect(pack.reports.get('local')?.counts.fail).toBe(0);
    });
  });

  describe('validation', () => {
    it('rejects a dashboard dataset that is not in the section, naming its position and the datasets there are', () => {
      const config: BiConfig = { ...SAMPLE, dashboards: { revenue: { ...SAMPLE.dashboards.revenue, datasets: ['daily-revenue', 'orders'] } } };
      expect(attempt(config).problems).toEqual([
        'Bi dev/bi: dashboards.revenue.datasets[1] is "orders", which is not among the datasets (daily-revenue, revenue-rules); declare it in bi.datasets',
      ]);
    });

    it('rejects a rules dataset that is not in the section', () => {
      const config: BiConfig = { ...SAMPLE, datasets: { ...SAMPLE.datasets, 'daily-revenue': { ...SAMPLE.datasets['daily-revenue'], rowLevelSecurity: 'permissions' } } };
      expect(attempt(config).problems).toEqual([
        'Bi dev/bi: datasets.daily-revenue.rowLevelSecurity is "permissions", which is not among the datasets (daily-revenue, revenue-rules); declare the rules dataset in bi.datasets',
      ]);
    });

    it('does not take names of object properties for datasets', () => {
      const config: BiConfig = { ...SAMPLE, dashboards: { revenue: { ...SAMPLE.dashboards.revenue, datasets: ['constructor'] } } };
      expect(attempt(config).problems).toEqual([
        'Bi dev/bi: dashboards.revenue.datasets[0] is "constructor", which is not among the datasets (daily-revenue, revenue-rules); declare it in bi.datasets',
      ]);
    });

    it('rejects a dataset that is its own rules dataset, and rules datasets that lead back to the dataset they restrict', () => {
      const self: BiConfig = { ...SAMPLE, datasets: { ...SAMPLE.datasets, 'revenue-rules': { ...RULES, rowLevelSecurity: 'revenue-rules' } } };
      expect(attempt(self).problems).toEqual([
        'Bi dev/bi: datasets.revenue-rules.rowLevelSecurity is "revenue-rules", the dataset itself; use a separate rules dataset of bi.datasets',
      ]);
      const cycle: BiConfig = { ...SAMPLE, datasets: { ...SAMPLE.datasets, 'revenue-rules': { ...RULES, rowLevelSecurity: 'daily-revenue' } } };
      expect(attempt(cycle).problems).toEqual([
        'Bi dev/bi: datasets.daily-revenue.rowLevelSecurity is "revenue-rules", whose rules lead back to this dataset (daily-revenue -> revenue-rules -> daily-revenue); use a rules dataset that does not depend on the dataset it restricts',
        'Bi dev/bi: datasets.revenue-rules.rowLevelSecurity is "daily-revenue", whose rules lead back to this dataset (revenue-rules -> daily-revenue -> revenue-rules); use a rules dataset that does not depend on the dataset it restricts',
      ]);
    });

    it('reports every problem at once, the table and the network too, and creates nothing', () => {
      const config: BiConfig = {
        ...SAMPLE,
        vpcConnection: true,
        datasets: { ...SAMPLE.datasets, 'daily-revenue': { ...SAMPLE.datasets['daily-revenue'], table: 'curated.orders', rowLevelSecurity: 'permissions' } },
        dashboards: { revenue: { ...SAMPLE.dashboards.revenue, datasets: ['orders'] } },
      };
      const { stack, problems } = attempt(config);
      expect(problems).toEqual([
        'Bi dev/bi: network is missing, but vpcConnection is true; pass the environment\'s network, or set vpcConnection: false',
        'Bi dev/bi: datasets.daily-revenue.table is "curated.orders", which is not among the tables passed (curated.daily_revenue); declare it in lake.tables',
        'Bi dev/bi: datasets.daily-revenue.rowLevelSecurity is "permissions", which is not among the datasets (daily-revenue, revenue-rules); declare the rules dataset in bi.datasets',
        'Bi dev/bi: dashboards.revenue.datasets[0] is "orders", which is not among the datasets (daily-revenue, revenue-rules); declare it in bi.datasets',
      ]);
      expect(stack.node.tryFindChild('bi')?.node.children).toEqual([]);
      expect(synthesize(stack).tf.resource?.aws_quicksight_group).toBeUndefined();
    });
  });
});
