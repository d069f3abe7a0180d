import { dependable } from 'cdktf';
import { Construct } from 'constructs';
import { EnvironmentConfig } from '@data-platform/core';
import { LakeFormationSettings } from '@data-platform/governance';
import { appflowWriters } from '@data-platform/ingestion';
import { DataLake } from '@data-platform/lake';
import { crawlerEventQueues } from '@data-platform/processing';

/**
 * The lake layer: the data lake's key, buckets, catalog databases and managed tables. Other layers
 * receive its `lake` as a typed prop.
 *
 * With a `governance` section, the account's Lake Formation settings are made here too, before
 * any database or table: Lake Formation applies its defaults (IAM-only access or none) when a
 * database or table is created, so settings applied later by the governance stack would leave the
 * lake's own databases governed by IAM alone. The CI plan role (`ci.planRole`), when set, is a
 * read-only data lake administrator, so pull request plans can read the Lake Formation grants and
 * the governed catalog.
 */
export class LakeLayer extends Construct {
  readonly lake: DataLake;
  /** The account's Lake Formation settings, when the environment has a governance section. */
  readonly lakeFormation?: LakeFormationSettings;

  constructor(scope: Construct, id: string, env: EnvironmentConfig) {
    super(scope, id);
    const governance = env.governance;
    this.lakeFormation = governance
      ? new LakeFormationSettings(this, 'lake-formation', {
        administrators: governance.administrators,
        // CI plans read every grant, LF-tag and governed table: the plan role may see them all, change none.
        readOnlyAdministrators: env.ci?.planRole ? [env.ci.planRole] : [],
        hybridAccess: governance.hybridAccess,
        crossAccountSharing: Object.keys(governance.sharing).length > 0,
      })
      : undefined;
    // Services that write into the lake through its bucket policy (AppFlow), and the event queues
    // of crawlers in S3 event mode (fed by the zone buckets' notifications), are set up in the
    // lake's own stack, from the environment's ingestion and processing config.
    this.lake = new DataLake(this, 'lake', {
      config: env.lake,
      serviceWriters: appflowWriters(env.ingestion.saas),
      eventQueues: crawlerEventQueues(env.processing.crawlers),
      // The Data Catalog is encrypted with the lake key: accounts a database is shared with decrypt through Glue.
      catalogReaderAccounts: [...new Set(Object.values(env.governance?.sharing ?? {}).map((share) => share.account))],
    });
    if (this.lakeFormation) {
      const settings = dependable(this.lakeFormation.settings);
      for (const database of Object.values(this.lake.databases)) database.dependsOn = [...(database.dependsOn ?? []), settings];
      for (const table of Object.values(this.lake.tables)) table.table.dependsOn = [...(table.table.dependsOn ?? []), settings];
    }
  }
}
