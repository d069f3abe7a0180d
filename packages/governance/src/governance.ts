import { Construct } from 'constructs';
import { GlueCatalogTable } from '@cdktf/provider-aws/lib/glue-catalog-table';
import { GovernanceConfig, PlatformError, ZONES } from '@data-platform/core';
import { DataLake } from '@data-platform/lake';
import { PersonaWorkgroup } from './athena-workgroup';
import { CatalogEncryption } from './catalog-encryption';
import { CatalogUser, CatalogUserAccess } from './catalog-access';
import { DataFilter } from './data-filter';
import { DatabaseShare } from './database-share';
import { LakeFormationSettings } from './lake-formation-settings';
import { LakeLocations } from './lake-locations';
import { LfTags } from './lf-tags';
import { Persona } from './persona';
import { PersonaAccess } from './persona-access';
import { SavedQueries } from './saved-queries';

/** Props of {@link Governance}. */
export interface GovernanceProps {
  /** The lake whose zones, databases and tables are governed. */
  readonly lake: DataLake;
  /** The environment's `governance` section. */
  readonly config: GovernanceConfig;
  /**
   * The account's Lake Formation settings. Lake Formation applies its defaults when a database or
   * table is created, so the settings must exist before the lake's databases: the app creates them
   * in the lake's stack (see {@link LakeFormationSettings}) and passes them here.
   */
  readonly settings: LakeFormationSettings;
  /** Tables by `<zone>.<table>` that config refers to (the lake's managed tables). */
  readonly tables: Readonly<Record<string, GlueCatalogTable>>;
  /**
   * Roles of other layers that use the catalog (Glue jobs, crawlers, Firehose): they get named
   * Lake Formation grants on their zones, so they keep working once IAM-only access is off. Their
   * own layers give them the lake key through Glue (the encrypted catalog needs it).
   */
  readonly users: readonly CatalogUser[];
}

/**
 * The governance layer of one environment, from its `governance` section: zone locations
 * registered with a dedicated role, LF-tags and their assignments, data cells filters, one
 * persona (IAM role, tag-based and filter grants) and Athena workgroup per `personas` entry,
 * grants for the catalog users of the other layers, cross-account shares, saved queries and
 * prepared statements, and the Data Catalog encrypted with the lake key.
 *
 * Every persona also gets the lake key through Glue ({@link DataLake.grantCatalog}),
 * which reading an encrypted catalog takes. Personas get the write set of key actions: Athena
 * needs kms:Encrypt and kms:GenerateDataKey on the catalog key even for queries.
 *
 * @see https://docs.aws.amazon.com/athena/latest/ug/access-encrypted-data-glue-data-catalog.html
 */
export class Governance extends Construct {
  readonly settings: LakeFormationSettings;
  readonly locations: LakeLocations;
  readonly tags: LfTags;
  readonly filters: Readonly<Record<string, DataFilter>>;
  /** Personas by name: the role and workgroup consumers (bi, ml) take. */
  readonly personas: Readonly<Record<string, PersonaAccess>>;
  /** The Persona constructs (role, policy, Lake Formation grants) by name. */
  readonly personaGrants: Readonly<Record<string, Persona>>;
  /** The Athena workgroups by persona name. */
  readonly workgroups: Readonly<Record<string, PersonaWorkgroup>>;
  readonly catalogUsers: CatalogUserAccess;
  readonly shares: Readonly<Record<string, DatabaseShare>>;
  readonly queries: SavedQueries;
  readonly encryption: CatalogEncryption;

  constructor(scope: Construct, id: string, props: GovernanceProps) {
    super(scope, id);
    const { lake, config, settings, users } = props;
    const table = (ref: string, path: string): GlueCatalogTable => {
      const found = props.tables[ref];
      if (!found) {
        const known = Object.keys(props.tables).join(', ') || 'none';
        throw new PlatformError(`Governance ${this.node.path}`, [{ path, message: `is "${ref}", which is not among the tables passed (${known}); declare it in lake.tables` }]);
      }
      return found;
    };

    this.settings = settings;
    this.locations = new LakeLocations(this, 'locations', { lake, settings });
    this.tags = new LfTags(this, 'tags', {
      tags: config.tags,
      settings,
      databases: ZONES.flatMap((zone) => {
        const assigned = config.databases[zone];
        return assigned ? [{ database: lake.databases[zone], tags: assigned }] : [];
      }),
      tables: Object.entries(config.tables).map(([ref, tagged]) => ({ table: table(ref, `tables.${ref}`), tags: tagged.tags, columns: tagged.columns })),
    });
    this.filters = Object.fromEntries(Object.entries(config.filters).map(([name, filter]) => [
      name,
      new DataFilter(this, `filter-${name}`, { name, table: table(filter.table, `filters.${name}.table`), settings, rowFilter: filter.rowFilter, columns: filter.columns }),
    ]));

    const personaGrants: Record<string, Persona> = {};
    const workgroups: Record<string, PersonaWorkgroup> = {};
    for (const [name, persona] of Object.entries(config.personas)) {
      const grants = new Persona(this, `persona-${name}`, { name, config: persona, databases: lake.databases, filters: this.filters, tags: this.tags, settings, locations: this.locations });
      personaGrants[name] = grants;
      workgroups[name] = new PersonaWorkgroup(this, `workgroup-${name}`, { lake, persona: name, role: grants.role, bytesScannedCutoffMb: persona.bytesScannedCutoffMb });
      lake.grantCatalog(grants.role, 'write');
    }
    this.personaGrants = personaGrants;
    this.workgroups = workgroups;
    this.personas = Object.fromEntries(Object.entries(workgroups).map(([name, w]) => [name, { name, role: w.role, workgroup: w.workgroup }]));

    this.catalogUsers = new CatalogUserAccess(this, 'catalog-users', { locations: this.locations, settings, users });

    this.shares = Object.fromEntries(Object.entries(config.sharing).map(([name, share]) => [
      name,
      new DatabaseShare(this, `share-${name}`, { database: lake.databases[share.database], account: share.account, access: share.access, settings }),
    ]));
    this.queries = new SavedQueries(this, 'queries', {
      lake,
      queries: config.queries,
      statements: config.statements,
      workgroups: Object.fromEntries(Object.entries(workgroups).map(([name, w]) => [name, w.workgroup])),
    });
    this.encryption = new CatalogEncryption(this, 'catalog-encryption', { lake });
  }
}
