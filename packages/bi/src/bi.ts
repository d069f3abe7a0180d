import { Construct } from 'constructs';
import { GlueCatalogTable } from '@cdktf/provider-aws/lib/glue-catalog-table';
import { BiConfig, Validator } from '@data-platform/core';
import { PersonaAccess } from '@data-platform/governance';
import { AthenaDataSource, BiNetwork } from './athena-data-source';
import { Dashboard } from './dashboard';
import { BiDataset } from './dataset';
import { QuicksightGroups } from './groups';

/** Props of {@link Bi}. */
export interface BiProps {
  /** The environment's `bi` section. */
  readonly config: BiConfig;
  /** The governance persona QuickSight queries as (`bi.persona`): its workgroup and role. */
  readonly persona: PersonaAccess;
  /** Tables by `<zone>.<table>` that table datasets read (the lake's managed tables). */
  readonly tables: Readonly<Record<string, GlueCatalogTable>>;
  /** The environment's network; required with `vpcConnection`. */
  readonly network?: BiNetwork;
}

/**
 * The bi layer of one environment, from its `bi` section: QuickSight groups with their roles and
 * members, the Athena data source bound to the BI persona's workgroup (through a VPC connection
 * with `vpcConnection`), the datasets (each rules dataset before the datasets whose row-level
 * security refers to it) and the dashboards, each shared with groups only.
 *
 * Validated before anything is created: every table a dataset reads is among `tables`, every
 * dataset a dashboard shows and every rules dataset (`rowLevelSecurity`) is in `config.datasets`,
 * no chain of rules datasets leads back to where it started, and `network` is passed with
 * `vpcConnection`.
 */
export class Bi extends Construct {
  readonly groups: QuicksightGroups;
  readonly dataSource: AthenaDataSource;
  readonly datasets: Readonly<Record<string, BiDataset>>;
  readonly dashboards: Readonly<Record<string, Dashboard>>;

  constructor(scope: Construct, id: string, props: BiProps) {
    super(scope, id);
    const { config, persona, tables } = props;
    checkProps(new Validator(`Bi ${this.node.path}`), props).throwIfAny();
    this.groups = new QuicksightGroups(this, 'groups', { groups: config.groups, namespace: config.namespace });
    this.dataSource = new AthenaDataSource(this, 'athena', { persona, groups: this.groups, network: config.vpcConnection ? props.network : undefined });

    const datasets = new Map<string, BiDataset>();
    // A dataset with row-level security refers to its rules dataset: build that one first.
    const build = (name: string): BiDataset => {
      const built = datasets.get(name);
      if (built) return built;
      const dataset = config.datasets[name];
      const rowLevelSecurity = dataset.rowLevelSecurity ? build(dataset.rowLevelSecurity) : undefined;
      const created = new BiDataset(this, `dataset-${name}`, {
        name,
        config: dataset,
        dataSource: this.dataSource,
        table: dataset.table ? tables[dataset.table] : undefined,
        groups: this.groups.arnsOf(dataset.groups, `bi.datasets.${name}.groups`),
        rowLevelSecurity,
      });
      datasets.set(name, created);
      return created;
    };
    this.datasets = Object.fromEntries(Object.keys(config.datasets).map((name) => [name, build(name)]));

    const dashboards: Record<string, Dashboard> = {};
    for (const [name, dashboard] of Object.entries(config.dashboards)) {
      dashboards[name] = new Dashboard(this, `dashboard-${name}`, {
        name,
        definition: dashboard.definition,
        datasets: dashboard.datasets.map(build),
        groups: this.groups,
        viewers: this.groups.arnsOf(dashboard.groups, `bi.dashboards.${name}.groups`),
      });
    }
    this.dashboards = dashboards;
  }
}

/**
 * Records problems with the props of a Bi: references to tables and datasets that are not there,
 * chains of rules datasets that lead back to where they started, and a missing network.
 */
function checkProps(v: Validator, { config, tables, network }: BiProps): Validator {
  if (config.vpcConnection && !network) {
    v.add('network', 'is missing, but vpcConnection is true; pass the environment\'s network, or set vpcConnection: false');
  }
  const isDataset = (name: string) => Object.hasOwn(config.datasets, name);
  const knownDatasets = Object.keys(config.datasets).join(', ') || 'none';
  const knownTables = Object.keys(tables).join(', ') || 'none';
  for (const [name, dataset] of Object.entries(config.datasets)) {
    if (dataset.table && !Object.hasOwn(tables, dataset.table)) {
      v.add(`datasets.${name}.table`, `is "${dataset.table}", which is not among the tables passed (${knownTables}); declare it in lake.tables`);
    }
    const rules = dataset.rowLevelSecurity;
    if (rules === undefined) continue;
    if (!isDataset(rules)) {
      v.add(`datasets.${name}.rowLevelSecurity`, `is "${rules}", which is not among the datasets (${knownDatasets}); declare the rules dataset in bi.datasets`);
      continue;
    }
    if (rules === name) {
      v.add(`datasets.${name}.rowLevelSecurity`, `is "${rules}", the dataset itself; use a separate rules dataset of bi.datasets`);
      continue;
    }
    // Follow the rules datasets' own row-level security: each is built before the one it restricts.
    const chain = [name];
    for (let next: string | undefined = rules; next !== undefined && isDataset(next); next = config.datasets[next].rowLevelSecurity) {
      if (chain.includes(next)) {
        if (next === name) {
          v.add(`datasets.${name}.rowLevelSecurity`, `is "${rules}", whose rules lead back to this dataset (${[...chain, next].join(' -> ')}); use a rules dataset that does not depend on the dataset it restricts`);
        }
        break;
      }
      chain.push(next);
    }
  }
  for (const [name, dashboard] of Object.entries(config.dashboards)) {
    dashboard.datasets.forEach((dataset, i) => {
      if (!isDataset(dataset)) {
        v.add(`dashboards.${name}.datasets[${i}]`, `is "${dataset}", which is not among the datasets (${knownDatasets}); declare it in bi.datasets`);
      }
    });
  }
  return v;
}
