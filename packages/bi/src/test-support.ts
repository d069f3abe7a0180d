/**
 * Setup shared by the tests of the bi constructs: an environment with a `bi` section, the
 * governance persona QuickSight queries as (built here the way the governance layer would), the
 * managed catalog table the sample dataset reads, and the whole layer wired as the app would.
 * Only `*.test.ts` files import it; it is not exported from index.ts. Generic lookups into
 * synthesized JSON and error helpers come from `@data-platform/core`, the lake's stack builders
 * from `@data-platform/lake`.
 *
 * Stacks take the policy pack as an aspect from the test rather than creating it here: lint lets
 * only `*.test.ts` files import `@data-platform/policy`.
 */
import { App, IAspect, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { GlueCatalogTable } from '@cdktf/provider-aws/lib/glue-catalog-table';
import {
  BiConfig,
  EnvironmentConfig,
  EnvironmentInput,
  PlatformStack,
  stateful,
  synthesize,
  testApp,
  testEnvironment,
} from '@data-platform/core';
import { PersonaAccess, testPersona } from '@data-platform/governance';
import { DataLake, stackWithLake } from '@data-platform/lake';
import { Bi } from './bi';

/** An existing VPC with private subnets in two availability zones. */
export const NETWORK = {
  vpcId: 'vpc-0a1b2c3d4e5f60001',
  vpcCidr: '10.10.0.0/16',
  subnets: { 'eu-west-1b': 'subnet-0a1b2c3d4e5f61001', 'eu-west-1a': 'subnet-0a1b2c3d4e5f60001' },
};

/** What makes an environment the offline one of environments/local.yaml: one stack, a local account. */
export const OFFLINE = { name: 'local', offline: true, layout: 'single', account: '000000000000', protect: false } as const;

/** The AWS partition, as a reference within any stack. */
export const PARTITION = '${data.aws_partition.partition.partition}';

/** The sample data product: the curated daily revenue table of `lake.tables`. */
export const DAILY_REVENUE_TABLE = {
  zone: 'curated' as const,
  prefix: 'daily_revenue/',
  description: 'Revenue and orders per day and country',
  columns: [
    { name: 'order_date', type: 'date' },
    { name: 'country', type: 'string' },
    { name: 'revenue', type: 'decimal(18,2)' },
    { name: 'orders', type: 'bigint' },
  ],
};

/** The `bi` section of the sample environment, as <env>.yaml holds it. */
export const BI_INPUT = {
  persona: 'bi',
  groups: {
    analysts: { description: 'Build analyses and datasets', role: 'AUTHOR', members: ['alice', 'DataAnalyst/bob@example.com'] },
    managers: { role: 'READER', members: ['carol'] },
    admins: { role: 'ADMIN_PRO' },
  },
  datasets: {
    'daily-revenue': {
      table: 'curated.daily_revenue',
      columns: [
        { name: 'order_date', type: 'DATETIME' },
        { name: 'country', type: 'STRING' },
        { name: 'revenue', type: 'DECIMAL' },
        { name: 'orders', type: 'INTEGER' },
      ],
      calculatedFields: [{ name: 'average_order_value', expression: 'revenue / orders' }],
      rowLevelSecurity: 'revenue-rules',
      groups: ['analysts'],
      refresh: { interval: 'daily', time: '05:30', incrementalColumn: 'order_date', lookbackDays: 3 },
    },
    'revenue-rules': {
      sql: "SELECT groupname, country FROM curated.revenue_access WHERE active = 'yes'",
      columns: [
        { name: 'groupname', type: 'STRING' },
        { name: 'country', type: 'STRING' },
      ],
      refresh: { interval: 'hourly' },
    },
  },
  dashboards: {
    revenue: { definition: 'revenue.json', datasets: ['daily-revenue'], groups: ['managers', 'analysts'] },
  },
} satisfies NonNullable<EnvironmentInput['bi']>;

/** Core's test environment named `dev` with the sample lake table and bi section, `overrides` applied before validation. */
export function devEnvironment(overrides: Partial<EnvironmentInput> = {}): EnvironmentConfig {
  return testEnvironment({ name: 'dev', lake: { tables: { daily_revenue: DAILY_REVENUE_TABLE } }, bi: BI_INPUT, ...overrides });
}

/** The environment's `bi` section, which the sample environments always have. */
export const biOf = (environment: EnvironmentConfig): BiConfig => environment.bi as BiConfig;

/** One dataset of `bi.datasets` as the loader produces it from `input` (defaults filled in). */
export function datasetConfig(input: NonNullable<NonNullable<EnvironmentInput['bi']>['datasets']>[string]) {
  return biOf(devEnvironment({ bi: { persona: 'bi', datasets: { sample: input } } })).datasets.sample;
}

/** What the lake exposes of its managed tables (`lake.tables`), where it manages them. */
type ManagedTables = { readonly tables?: Readonly<Record<string, { readonly table: GlueCatalogTable }>> };

/**
 * The managed catalog table `daily_revenue` of the lake's curated database: the lake's own where
 * it builds `lake.tables`, otherwise created here in the lake's stack as the lake would (same
 * name, location, Parquet format and pinned address `lake_daily_revenue_table`).
 */
export function dailyRevenueTable(scope: Construct, lake: DataLake): GlueCatalogTable {
  const managed = (lake as ManagedTables).tables?.daily_revenue?.table;
  if (managed) return managed;
  return stateful(
    new GlueCatalogTable(scope, 'daily-revenue-table', {
      name: 'daily_revenue',
      databaseName: lake.databases.curated.name,
      description: DAILY_REVENUE_TABLE.description,
      tableType: 'EXTERNAL_TABLE',
      parameters: { classification: 'parquet', EXTERNAL: 'TRUE' },
      storageDescriptor: {
        location: `s3://${lake.zones.curated.name}/${DAILY_REVENUE_TABLE.prefix}`,
        inputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat',
        outputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat',
        serDeInfo: { serializationLibrary: 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe' },
        columns: DAILY_REVENUE_TABLE.columns.map((c) => ({ name: c.name, type: c.type })),
      },
    }),
    'lake_daily_revenue_table',
  );
}

/** The BI persona as governance builds it (role trusted by QuickSight, its Athena workgroup). */
export function biPersona(stack: PlatformStack, lake: DataLake, name = 'bi'): PersonaAccess {
  return testPersona(stack, lake, { name, service: 'quicksight.amazonaws.com' });
}

/** What {@link buildBiLayer} builds: the app's composition, {@link Bi}. */
export type BiLayer = Bi;

/** The bi layer of `environment` in `stack`, as the app builds it: {@link Bi} over the daily revenue table. */
export function buildBiLayer(stack: PlatformStack, persona: PersonaAccess, table: GlueCatalogTable): BiLayer {
  return new Bi(stack, 'bi', { config: biOf(stack.env), persona, tables: { 'curated.daily_revenue': table }, network: stack.env.network });
}

/**
 * The layered build of `environment`: the lake and the daily revenue table in `<env>-lake`, the
 * persona in `<env>-governance`, the bi layer in `<env>-bi`, all with `aspects`.
 */
export function layeredBi(environment: EnvironmentConfig, options: { readonly aspects?: readonly IAspect[]; readonly app?: App } = {}) {
  const app = options.app ?? testApp();
  const { stack: lakeStack, lake } = stackWithLake(environment, { app, aspects: options.aspects, id: `${environment.name}-lake` });
  const table = dailyRevenueTable(lake, lake);
  const governanceStack = new PlatformStack(app, `${environment.name}-governance`, { env: environment, aspects: options.aspects });
  const persona = biPersona(governanceStack, lake);
  const stack = new PlatformStack(app, `${environment.name}-bi`, { env: environment, aspects: options.aspects });
  return { app, lakeStack, lake, table, governanceStack, persona, stack, layer: buildBiLayer(stack, persona, table) };
}

/** The single-stack build of `environment` (the offline layout): lake, table, persona and bi layer in one stack. */
export function singleBi(environment: EnvironmentConfig, options: { readonly aspects?: readonly IAspect[] } = {}) {
  const { stack, lake } = stackWithLake(environment, { aspects: options.aspects });
  const table = dailyRevenueTable(lake, lake);
  const persona = biPersona(stack, lake);
  return { stack, lake, table, persona, layer: buildBiLayer(stack, persona, table) };
}

/** `built` with its `stack` synthesized: the JSON string and its parse beside what was built. */
export function synthesized<Built extends { readonly stack: TerraformStack }>(built: Built) {
  return { ...built, ...synthesize(built.stack) };
}
