import { Construct } from 'constructs';
import { GlueCatalogTable } from '@cdktf/provider-aws/lib/glue-catalog-table';
import { BiConfig, PlatformError } from '@data-platform/core';
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
 * with `vpcConnection`), the datasets (row-level security datasets first, since others refer to
 * them) and the dashboards, each shared with groups only.
 */
export class Bi extends Construct {
  readonly groups: QuicksightGroups;
  readonly dataSource: AthenaDataSource;
  readonly datasets: Readonly<Record<string, BiDataset>>;
  readonly dashboards: Readonly<Record<string, Dashboard>>;

  constructor(scope: Construct, id: string, props: BiProps) {
    super(scope, id);
    const { config, persona, tables } = props;
    if (config.vpcConnection && !props.network) {
      throw new PlatformError(`Bi ${this.node.path}`, [{ path: 'network', message: 'is missing, but vpcConnection is true; pass the environment\'s network, or set vpcConnection: false' }]);
    }
    this.groups = new QuicksightGroups(this, 'groups', { groups: config.groups, namespace: config.namespace });
    this.dataSource = new AthenaDataSource(this, 'athena', { persona, groups: this.groups, network: config.vpcConnection ? props.network : undefined });

    const datasets: Record<string, BiDataset> = {};
    // A dataset with row-level security refers to its permissions dataset: build those first.
    const ordered = Object.entries(config.datasets).sort(([, a], [, b]) => Number(a.rowLevelSecurity !== undefined) - Number(b.rowLevelSecurity !== undefined));
    for (const [name, dataset] of ordered) {
      const table = dataset.table ? tables[dataset.table] : undefined;
      if (dataset.table && !table) {
        const known = Object.keys(tables).join(', ') || 'none';
        throw new PlatformError(`Bi ${this.node.path}`, [{ path: `datasets.${name}.table`, message: `is "${dataset.table}", which is not among the tables passed (${known}); declare it in lake.tables` }]);
      }
      datasets[name] = new BiDataset(this, `dataset-${name}`, {
        name,
        config: dataset,
        dataSource: this.dataSource,
        table,
        groups: this.groups.arnsOf(dataset.groups, `bi.datasets.${name}.groups`),
        rowLevelSecurity: dataset.rowLevelSecurity ? datasets[dataset.rowLevelSecurity] : undefined,
      });
    }
    this.datasets = datasets;

    const dashboards: Record<string, Dashboard> = {};
    for (const [name, dashboard] of Object.entries(config.dashboards)) {
      dashboards[name] = new Dashboard(this, `dashboard-${name}`, {
        name,
        definition: dashboard.definition,
        datasets: dashboard.datasets.map((d) => datasets[d]),
        groups: this.groups,
        viewers: this.groups.arnsOf(dashboard.groups, `bi.dashboards.${name}.groups`),
      });
    }
    this.dashboards = dashboards;
  }
}
