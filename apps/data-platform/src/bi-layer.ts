import { Construct } from 'constructs';
import { BiConfig, EnvironmentConfig, PlatformError } from '@data-platform/core';
import { Bi } from '@data-platform/bi';
import { Governance } from '@data-platform/governance';
import { DataLake } from '@data-platform/lake';

/**
 * The bi layer: QuickSight groups, the Athena data source bound to the BI persona's workgroup,
 * datasets over the lake's managed tables and dashboards, from the environment's `bi` section.
 * What QuickSight may see is the persona's Lake Formation grants (governance layer).
 */
export class BiLayer extends Construct {
  readonly bi: Bi;

  constructor(scope: Construct, id: string, env: EnvironmentConfig, config: BiConfig, lake: DataLake, governance: Governance) {
    super(scope, id);
    const persona = governance.personas[config.persona];
    if (!persona) {
      throw new PlatformError(`environment ${env.name}`, [
        { path: 'bi.persona', message: `is "${config.persona}", which is not in governance.personas (${Object.keys(governance.personas).join(', ') || 'none'}); declare it there` },
      ]);
    }
    const tables = Object.fromEntries(Object.values(lake.tables).map((t) => [t.ref, t.table]));
    this.bi = new Bi(this, 'bi', { config, persona, tables, network: env.network });
  }
}
