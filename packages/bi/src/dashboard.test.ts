import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TerraformOutput } from 'cdktf';
import { QuicksightAnalysis } from '@cdktf/provider-aws/lib/quicksight-analysis';
import { QuicksightDashboard } from '@cdktf/provider-aws/lib/quicksight-dashboard';
import { EnvironmentConfig, problemsOf, ref, synthesize, synthesizedResource, SynthesizedStack } from '@data-platform/core';
import { stackWithLake } from '@data-platform/lake';
import { PolicyPack } from '@data-platform/policy';
import { AthenaDataSource } from './athena-data-source';
import { DASHBOARD_SETTINGS, Dashboard, DashboardProps } from './dashboard';
import { BiDataset } from './dataset';
import { DEFINITIONS_DIR, readDefinition, toProviderDefinition } from './definition';
import { QuicksightGroups } from './groups';
import { QUICKSIGHT_ACTIONS } from './quicksight';
import { biOf, dailyRevenueTable, datasetConfig, devEnvironment, layeredBi, NETWORK, OFFLINE, singleBi, biPersona } from './test-support';

const REVENUE = biOf(devEnvironment()).datasets['daily-revenue'];
const RULES = biOf(devEnvironment()).datasets['revenue-rules'];

/** Folders of definitions written by the tests, removed at the end. */
const folders: string[] = [];
afterAll(() => folders.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** A folder holding `definitions` (file name -> definition object), for definitions that are not in the repository. */
function folder(definitions: Record<string, unknown>): string {
  const dir = mkdtempSync(join(tmpdir(), 'bi-dashboard-'));
  folders.push(dir);
  for (const [name, definition] of Object.entries(definitions)) writeFileSync(join(dir, name), typeof definition === 'string' ? definition : JSON.stringify(definition));
  return dir;
}

/** The object at `path` inside `value` (a parsed definition), to change it. */
const node = (value: unknown, ...path: Array<string | number>) =>
  path.reduce<unknown>((v, key) => (v as Record<string | number, unknown>)[key], value) as Record<string, unknown>;
const KPI_WELLS = ['Sheets', 0, 'Visuals', 0, 'KPIVisual', 'ChartConfiguration', 'FieldWells'] as const;

/** The sample definition, as an object to vary. */
const sample = () => JSON.parse(readFileSync(join(DEFINITIONS_DIR, 'revenue.json'), 'utf8')) as Record<string, unknown>;

/** The lake and table, persona, groups, data source and the sample datasets in one stack `dev-bi`. */
function base(environment: EnvironmentConfig = devEnvironment()) {
  const { stack, lake } = stackWithLake(environment, { id: 'dev-bi' });
  const table = dailyRevenueTable(lake, lake);
  const persona = biPersona(stack, lake);
  const groups = new QuicksightGroups(stack, 'groups', { groups: biOf(environment).groups });
  const dataSource = new AthenaDataSource(stack, 'athena', { persona, groups });
  const rules = new BiDataset(stack, 'rules', { name: 'revenue-rules', config: RULES, dataSource });
  const revenue = new BiDataset(stack, 'revenue', { name: 'daily-revenue', config: REVENUE, dataSource, table, rowLevelSecurity: rules });
  return { stack, lake, groups, dataSource, rules, revenue };
}

/** `base` and the dashboard `revenue` of revenue.json over daily-revenue, shared with managers, `props` applied last. */
function build(props: Partial<DashboardProps> = {}, environment?: EnvironmentConfig) {
  const b = base(environment);
  const dashboard = new Dashboard(b.stack, 'dashboard', {
    name: 'revenue',
    definition: 'revenue.json',
    datasets: [b.revenue],
    groups: b.groups,
    viewers: [b.groups.arn('managers')],
    ...props,
  });
  return { ...b, dashboard };
}

const synth = (props?: Partial<DashboardProps>, environment?: EnvironmentConfig) => {
  const built = build(props, environment);
  return { ...built, ...synthesize(built.stack) };
};

const analysisOf = (tf: SynthesizedStack, d: Dashboard) => synthesizedResource(tf, 'aws_quicksight_analysis', d.analysis.friendlyUniqueId);
const dashboardOf = (tf: SynthesizedStack, d: Dashboard) => synthesizedResource(tf, 'aws_quicksight_dashboard', d.dashboard.friendlyUniqueId);
/** revenue.json as the provider block, with daily-revenue bound to `dataset`. */
const expectedDefinition = (dataset: BiDataset) =>
  toProviderDefinition(readDefinition('revenue.json').definition!, { 'daily-revenue': ref(dataset.dataSet, 'arn') }).definition;
const HASH = createHash('sha256').update(JSON.stringify(sample())).digest('hex').slice(0, 12);

describe('Dashboard', () => {
  it('documents its fixed settings as constants', () => {
    expect(DASHBOARD_SETTINGS).toEqual({
      recoveryWindowDays: 30,
      publishOptions: { adHocFiltering: 'ENABLED', exportToCsv: 'ENABLED', exportWithHiddenFields: 'DISABLED', visualMenu: 'ENABLED', sheetControls: 'EXPANDED' },
    });
  });

  it('creates the analysis from the definition, owned by the authors, restorable 30 days', () => {
    const { tf, dashboard, groups, revenue } = synth();
    expect(analysisOf(tf, dashboard)).toEqual({
      aws_account_id: '111111111111',
      analysis_id: 'adp-dev-bi-revenue',
      name: 'adp-dev-bi-revenue',
      definition: expectedDefinition(revenue),
      recovery_window_in_days: 30,
      permissions: [
        { principal: ref(groups.groups.admins, 'arn'), actions: [...QUICKSIGHT_ACTIONS.analysisOwner] },
        { principal: ref(groups.groups.analysts, 'arn'), actions: [...QUICKSIGHT_ACTIONS.analysisOwner] },
      ],
    });
  });

  it('publishes the dashboard from the same definition to the viewers only, with filtering and CSV export but no hidden fields', () => {
    const { tf, dashboard, groups, revenue } = synth();
    expect(dashboardOf(tf, dashboard)).toEqual({
      aws_account_id: '111111111111',
      dashboard_id: 'adp-dev-bi-revenue',
      name: 'adp-dev-bi-revenue',
      version_description: `revenue.json sha256:${HASH}`,
      definition: expectedDefinition(revenue),
      permissions: [{ principal: ref(groups.groups.managers, 'arn'), actions: [...QUICKSIGHT_ACTIONS.dashboardViewer] }],
      dashboard_publish_options: {
        ad_hoc_filtering_option: { availability_status: 'ENABLED' },
        export_to_csv_option: { availability_status: 'ENABLED' },
        export_with_hidden_fields_option: { availability_status: 'DISABLED' },
        visual_menu_option: { availability_status: 'ENABLED' },
        sheet_controls_option: { visibility_state: 'EXPANDED' },
      },
    });
    expect(tf.resource?.aws_quicksight_dashboard).toBeDefined();
  });

  it('gives nobody the analysis when no group authors', () => {
    const environment = devEnvironment({ bi: { persona: 'bi', groups: { managers: { role: 'READER' } } } });
    const { tf, dashboard } = synth({}, environment);
    expect(analysisOf(tf, dashboard).permissions).toBeUndefined();
  });

  it('names the definition and the hash of its JSON in the version description; reformatting changes nothing', () => {
    const dir = folder({ 'revenue.json': JSON.stringify(sample(), null, 8), 'changed.json': { ...sample(), AnalysisDefaults: undefined } });
    const { dashboard: reformatted } = build({ dir });
    expect(reformatted.definitionHash).toBe(HASH);
    const { dashboard: changed } = build({ dir, definition: 'changed.json' });
    expect(changed.definitionHash).not.toBe(HASH);
    const { tf, dashboard } = synth({ dir, definition: 'changed.json' });
    expect(dashboardOf(tf, dashboard).version_description).toBe(`changed.json sha256:${changed.definitionHash}`);
  });

  it('exposes the analysis, the dashboard, its ARN and id', () => {
    const { stack, dashboard } = build();
    new TerraformOutput(stack, 'arn', { value: dashboard.arn });
    new TerraformOutput(stack, 'id', { value: dashboard.dashboardId });
    expect(synthesize(stack).tf.output).toEqual({ arn: { value: ref(dashboard.dashboard, 'arn') }, id: { value: ref(dashboard.dashboard, 'dashboard_id') } });
    expect(dashboard.analysis).toBeInstanceOf(QuicksightAnalysis);
    expect(dashboard.dashboard).toBeInstanceOf(QuicksightDashboard);
  });

  describe('validation', () => {
    const SOURCE = 'Dashboard dev-bi/dashboard:';

    it('rejects a bad name, no viewers, viewers that are not groups, and a dataset passed twice', () => {
      const b = base();
      expect(problemsOf(() => new Dashboard(b.stack, 'dashboard', { name: 'Revenue', definition: 'revenue.json', datasets: [b.revenue, b.revenue], groups: b.groups, viewers: [] }))).toEqual([
        `${SOURCE} name is "Revenue"; use 2-40 lowercase letters and digits, words joined by "-", starting with a letter (e.g. "clickstream")`,
        `${SOURCE} viewers is empty; share the dashboard with at least one group (dashboards are shared by group, never publicly)`,
        `${SOURCE} datasets[1] is the dataset "daily-revenue" again; pass each dataset once`,
      ]);
      expect(problemsOf(() => build({ viewers: ['arn:aws:quicksight:eu-west-1:111111111111:namespace/default'] }))).toEqual([
        `${SOURCE} viewers[0] is "arn:aws:quicksight:eu-west-1:111111111111:namespace/default"; use the ARN of a QuickSight group (QuicksightGroups.arn(name)): never "*", a namespace or an IAM principal`,
      ]);
    });

    it('rejects a definition that is not there', () => {
      expect(problemsOf(() => build({ definition: 'orders.json' }))).toEqual([
        `${SOURCE} definition is "orders.json", which is not in packages/bi/definitions; add the definition there or fix the name`,
      ]);
    });

    it('requires the definition to declare exactly the datasets passed', () => {
      const b = base();
      expect(problemsOf(() => new Dashboard(b.stack, 'dashboard', { name: 'revenue', definition: 'revenue.json', datasets: [b.rules], groups: b.groups, viewers: [b.groups.arn('managers')] }))).toEqual([
        `${SOURCE} revenue.json DataSetIdentifierDeclarations[0].Identifier is "daily-revenue", which is not among the datasets passed (revenue-rules); pass that dataset (bi.dashboards.revenue.datasets) or fix the identifier`,
        `${SOURCE} datasets[0] is the dataset "revenue-rules", which revenue.json does not declare; declare { "Identifier": "revenue-rules" } in DataSetIdentifierDeclarations or remove the dataset`,
      ]);
      expect(problemsOf(() => build({ datasets: [] }))).toEqual([
        `${SOURCE} datasets is empty; pass the datasets the definition declares`,
        `${SOURCE} revenue.json DataSetIdentifierDeclarations[0].Identifier is "daily-revenue", which is not among the datasets passed (none); pass that dataset (bi.dashboards.revenue.datasets) or fix the identifier`,
      ]);
    });

    it('rejects an identifier used but not declared, declared twice, and a column the dataset lacks', () => {
      const definition = sample();
      node(definition, ...KPI_WELLS, 'Values', 0, 'NumericalMeasureField').Column = { DataSetIdentifier: 'daily-revenue', ColumnName: 'turnover' };
      node(definition, 'Sheets', 0, 'Visuals', 1, 'LineChartVisual', 'ChartConfiguration', 'FieldWells', 'LineChartAggregatedFieldWells', 'Category', 0, 'DateDimensionField', 'Column').DataSetIdentifier = 'orders';
      definition.DataSetIdentifierDeclarations = [{ Identifier: 'daily-revenue' }, { Identifier: 'daily-revenue' }];
      const dir = folder({ 'broken.json': definition });
      expect(problemsOf(() => build({ dir, definition: 'broken.json' }))).toEqual([
        `${SOURCE} broken.json DataSetIdentifierDeclarations[1].Identifier is "daily-revenue" again; declare each dataset once`,
        `${SOURCE} broken.json Sheets[0].Visuals[1].LineChartVisual.ChartConfiguration.FieldWells.LineChartAggregatedFieldWells.Category[0].DateDimensionField.Column.DataSetIdentifier is "orders", which is not declared (declared: daily-revenue, daily-revenue); use a declared identifier or declare it`,
        `${SOURCE} broken.json Sheets[0].Visuals[0].KPIVisual.ChartConfiguration.FieldWells.Values[0].NumericalMeasureField.Column.ColumnName is "turnover", which is not a field of the dataset "daily-revenue" (fields: order_date, country, revenue, orders, average_order_value); use one of them or add it to the dataset`,
      ]);
    });

    it("accepts columns of the dataset's and the analysis' calculated fields", () => {
      const definition = sample();
      definition.CalculatedFields = [{ DataSetIdentifier: 'daily-revenue', Name: 'revenue_per_order', Expression: 'sum(revenue) / sum(orders)' }];
      const kpi = node(definition, ...KPI_WELLS).Values as unknown[];
      kpi.push({ NumericalMeasureField: { FieldId: 'total-revenue.rpo', Column: { DataSetIdentifier: 'daily-revenue', ColumnName: 'revenue_per_order' } } });
      kpi.push({ NumericalMeasureField: { FieldId: 'total-revenue.aov', Column: { DataSetIdentifier: 'daily-revenue', ColumnName: 'average_order_value' } } });
      const dir = folder({ 'calculated.json': definition });
      expect(() => build({ dir, definition: 'calculated.json' })).not.toThrow();
    });

    it('rejects what the provider cannot express, with the path in the file', () => {
      const dir = folder({ 'console.json': { ...sample(), Options: { Timezone: 'Europe/Berlin' } } });
      expect(problemsOf(() => build({ dir, definition: 'console.json' }))).toEqual([
        `${SOURCE} console.json Options is not supported by AWS provider 5.100 (aws_quicksight_analysis and aws_quicksight_dashboard have no such setting); remove it`,
      ]);
    });

    it('creates nothing when the props are invalid', () => {
      const b = base();
      expect(() => new Dashboard(b.stack, 'dashboard', { name: 'revenue', definition: 'revenue.json', datasets: [b.revenue], groups: b.groups, viewers: [] })).toThrow('viewers is empty');
      const { json, tf } = synthesize(b.stack);
      expect(json).not.toHaveResource(QuicksightDashboard);
      expect(tf.resource?.aws_quicksight_analysis).toBeUndefined();
    });
  });

  describe('the bi layer', () => {
    it('passes every rule in layered stacks: lake and table in dev-lake, persona in dev-governance, QuickSight in dev-bi', () => {
      const { lakeStack, governanceStack, stack, layer } = layeredBi(devEnvironment({ network: NETWORK, bi: { ...biOf(devEnvironment()), vpcConnection: true } }), { aspects: [new PolicyPack()] });
      expect(() => synthesize(lakeStack)).not.toThrow();
      expect(() => synthesize(governanceStack)).not.toThrow();
      const { tf } = synthesize(stack);
      const count = (type: string) => Object.keys(tf.resource?.[type] ?? {}).length;
      expect([
        count('aws_quicksight_group'),
        count('aws_quicksight_group_membership'),
        count('aws_quicksight_role_membership'),
        count('aws_quicksight_vpc_connection'),
        count('aws_quicksight_data_source'),
        count('aws_quicksight_data_set'),
        count('aws_quicksight_refresh_schedule'),
        count('aws_quicksight_analysis'),
        count('aws_quicksight_dashboard'),
      ]).toEqual([3, 3, 3, 1, 1, 2, 2, 1, 1]);
      expect(layer.dashboards.revenue.definitionHash).toBe(HASH);
    });

    it('passes every rule in the single stack of the offline environment', () => {
      const { stack } = singleBi(devEnvironment({ ...OFFLINE, network: NETWORK, bi: { ...biOf(devEnvironment()), vpcConnection: true } }), { aspects: [new PolicyPack()] });
      const { tf } = synthesize(stack);
      expect(Object.values(tf.resource?.aws_quicksight_dashboard ?? {}).map((d) => d.dashboard_id)).toEqual(['adp-local-bi-revenue']);
    });

    it('builds a dashboard over a direct-query SQL dataset too', () => {
      const environment = devEnvironment();
      const { stack, lake } = stackWithLake(environment, { id: 'dev-bi' });
      const groups = new QuicksightGroups(stack, 'groups', { groups: biOf(environment).groups });
      const dataSource = new AthenaDataSource(stack, 'athena', { persona: biPersona(stack, lake), groups });
      const orders = new BiDataset(stack, 'orders', {
        name: 'daily-revenue',
        config: datasetConfig({ sql: 'SELECT * FROM curated.daily_revenue', importMode: 'direct', columns: REVENUE.columns }),
        dataSource,
      });
      const dashboard = new Dashboard(stack, 'direct', { name: 'direct', definition: 'revenue.json', datasets: [orders], groups, viewers: [groups.arn('managers')] });
      const { tf } = synthesize(stack);
      expect(dashboardOf(tf, dashboard).definition).toEqual(expectedDefinition(orders));
    });
  });
});
