import { createHash } from 'node:crypto';
import { DefaultTokenResolver, StringConcat, Token, Tokenization } from 'cdktf';
import { Construct } from 'constructs';
import { DataAwsIamPolicyDocument, DataAwsIamPolicyDocumentStatement } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { GlueCatalogDatabase } from '@cdktf/provider-aws/lib/glue-catalog-database';
import { GlueCatalogTable } from '@cdktf/provider-aws/lib/glue-catalog-table';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { LakeformationPermissions } from '@cdktf/provider-aws/lib/lakeformation-permissions';
import {
  ACCESS_LEVELS,
  AccessLevel,
  DATASET_NAME_FIX,
  DATASET_NAME_RE,
  NAME_LIMITS,
  PERSONA_SERVICES,
  PersonaConfig,
  PlatformStack,
  Validator,
  ZONES,
  Zone,
  arnAccount,
} from '@data-platform/core';
import { DataFilter } from './data-filter';
import { LakeFormationSettings } from './lake-formation-settings';
import { LakeLocations } from './lake-locations';
import { LfTags } from './lf-tags';

/** What a persona may do: its Lake Formation permissions per access level and its IAM actions on the catalog. */
export const PERSONA = {
  /** Permissions on the databases a grant's tag expression matches (`lf_tag_policy` DATABASE). */
  databasePermissions: {
    describe: ['DESCRIBE'],
    read: ['DESCRIBE'],
    write: ['DESCRIBE', 'CREATE_TABLE'],
  },
  /** Permissions on the tables (and columns) a grant's tag expression matches (`lf_tag_policy` TABLE). */
  tablePermissions: {
    describe: ['DESCRIBE'],
    read: ['SELECT', 'DESCRIBE'],
    // DROP matches the IAM side (glue:DeleteTable): without it Lake Formation refuses the drop.
    write: ['SELECT', 'INSERT', 'DELETE', 'DESCRIBE', 'ALTER', 'DROP'],
  },
  /** Permission on each data cells filter granted: query the rows and columns it lets through. */
  filterPermissions: ['SELECT'],
  /**
   * Permission on the database of each filtered table: Athena looks the database up
   * (`glue:GetDatabase`) before it reads the table, and a filter grants nothing on the database.
   */
  filterDatabasePermissions: ['DESCRIBE'],
  /**
   * Permission of a persona with a `write` grant on each zone's registered location: creating a
   * table there (CREATE TABLE AS, a crawler-free new table) or pointing one at it needs it.
   */
  locationPermissions: ['DATA_LOCATION_ACCESS'],
  /** Glue actions that read catalog metadata (Athena, QuickSight and SageMaker call them as the persona). */
  readCatalogActions: [
    'glue:GetDatabase',
    'glue:GetDatabases',
    'glue:GetTable',
    'glue:GetTables',
    'glue:GetPartition',
    'glue:GetPartitions',
    'glue:BatchGetPartition',
  ],
  /** Glue actions of a persona with a `write` grant: create, change and drop tables and their partitions. */
  writeCatalogActions: [
    'glue:CreateTable',
    'glue:UpdateTable',
    'glue:DeleteTable',
    'glue:CreatePartition',
    'glue:BatchCreatePartition',
    'glue:UpdatePartition',
    'glue:DeletePartition',
    'glue:BatchDeletePartition',
  ],
  /**
   * The action engines call to get Lake Formation's temporary credentials for the data of a
   * registered location, on the persona's behalf.
   * @see https://docs.aws.amazon.com/athena/latest/ug/lf-athena-user-permissions.html
   */
  dataAccessAction: 'lakeformation:GetDataAccess',
} as const;

/** Defaults of {@link PersonaProps}. */
export const PERSONA_DEFAULTS = { filters: {} } as const;

/** A role or user ARN a persona's role may trust. */
const PRINCIPAL_ARN_RE = /^arn:aws(-cn|-us-gov)?:iam::\d{12}:(role|user)\/[\w+=,.@\-/]{1,64}$/;

/** Props of {@link Persona}. */
export interface PersonaProps {
  /** The persona's key in `governance.personas`: part of its role's name. */
  readonly name: string;
  /** The persona's `governance.personas` entry (validated and defaulted by the config loader). */
  readonly config: PersonaConfig;
  /** The lake's zone databases: the persona's role may read the catalog metadata of these. */
  readonly databases: Readonly<Record<Zone, GlueCatalogDatabase>>;
  /**
   * The data cells filters of `governance.filters` by name; those `config.filters` names are granted.
   * @default none (PERSONA_DEFAULTS.filters)
   */
  readonly filters?: Readonly<Record<string, DataFilter>>;
  /** The LF-tags the grant expressions are written in: checked against them, and granted after them. */
  readonly tags: LfTags;
  /** The account's Lake Formation settings: grants are made once the administrators are in place. */
  readonly settings: LakeFormationSettings;
  /**
   * The registered zone locations. A persona with a `write` grant gets DATA_LOCATION_ACCESS on
   * each, so it can create tables in the zones; without locations it can change existing tables only.
   * @default none: no location grant
   */
  readonly locations?: LakeLocations;
}

/**
 * A persona: an IAM role and the Lake Formation permissions that decide what it sees.
 *
 * - Role `<project>-<env>-governance-<name>-persona`, described by `config.description`, trusted
 *   by `config.assumedBy`: `account` (the account root, so IAM policies in this account decide who
 *   may assume it), IAM role and user ARNs of this account, and the services of
 *   `PERSONA_SERVICES` on behalf of this account only (`aws:SourceAccount`).
 * - IAM (the coarse gate; Lake Formation decides within it): the Glue read actions of
 *   {@link PERSONA} on the catalog, the zone databases and their tables; with a `write` grant also
 *   the table and partition write actions; and `lakeformation:GetDataAccess`, which engines call
 *   for Lake Formation's temporary credentials. No S3 permission: data is reached only through
 *   credentials Lake Formation vends for what it granted.
 * - Lake Formation, for each grant: one `lf_tag_policy` grant on DATABASE and one on TABLE with
 *   the grant's tag expression and the permissions of its access level (see {@link PERSONA}).
 *   Tables and columns tagged with a value outside the expression stay invisible.
 * - For each filter of `config.filters`: SELECT on the data cells filter, and DESCRIBE on the
 *   database of its table (once per zone).
 * - With a `write` grant and `locations`: DATA_LOCATION_ACCESS on each zone's registered location
 *   (Lake Formation requires it to create a table whose data lives there).
 * - Never a grant option, never ALL: the persona cannot pass on what it was granted.
 * - Every grant is made after the administrators (settings) and the LF-tags exist.
 *
 * Grant addresses derive from the tag expression (`grant-<hash>-databases|tables`), the filter
 * name and the zone, not from list positions: reordering grants changes nothing, and changing a
 * grant's access replaces its grants in place (revoke, then grant).
 *
 * @see https://docs.aws.amazon.com/lake-formation/latest/dg/granting-catalog-perms-TBAC.html
 * @see https://docs.aws.amazon.com/lake-formation/latest/dg/granting-filter-perms.html
 */
export class Persona extends Construct {
  /** The persona's role; its Lake Formation grants decide what it sees. */
  readonly role: IamRole;
  /** The role's inline policy: catalog metadata and Lake Formation's data access. */
  readonly policy: IamRolePolicy;
  /** Every Lake Formation grant of the persona. */
  readonly grants: readonly LakeformationPermissions[];
  /** The persona's key in `governance.personas`. */
  readonly name: string;

  constructor(scope: Construct, id: string, props: PersonaProps) {
    super(scope, id);
    const stack = PlatformStack.of(this);
    const { env } = stack;
    const filters: Readonly<Record<string, DataFilter>> = props.filters ?? PERSONA_DEFAULTS.filters;
    const v = new Validator(`Persona ${this.node.path}`);
    const { filterZones } = checkProps(v, props, filters, env.account);
    v.throwIfAny();
    const { name, config, databases, tags, settings } = props;
    this.name = name;

    const trust = new DataAwsIamPolicyDocument(this, 'trust', { statement: trustStatements(config.assumedBy, stack.accountRootArn, env.account) });
    this.role = new IamRole(this, 'role', {
      name: stack.resourceName('governance', `${name}-persona`, { maxLength: NAME_LIMITS.iamRole }),
      description: config.description,
      assumeRolePolicy: trust.json,
    });

    const glueArn = (resource: string) => `arn:${stack.partition}:glue:${env.region}:${env.account}:${resource}`;
    const zoneDatabases = ZONES.map((zone) => databases[zone]);
    const catalogResources = [
      glueArn('catalog'),
      ...zoneDatabases.map((db) => glueArn(`database/${db.name}`)),
      ...zoneDatabases.map((db) => glueArn(`table/${db.name}/*`)),
    ];
    const writes = config.grants.some((g) => g.access === 'write');
    const statements: DataAwsIamPolicyDocumentStatement[] = [
      // Glue authorizes catalog actions on the catalog, the database and the table.
      { sid: 'ReadCatalog', effect: 'Allow', actions: [...PERSONA.readCatalogActions], resources: catalogResources },
      ...(writes ? [{ sid: 'WriteTables', effect: 'Allow', actions: [...PERSONA.writeCatalogActions], resources: catalogResources }] : []),
      // lakeformation:GetDataAccess has no resource type: IAM accepts only "*" for it. Lake
      // Formation then vends credentials only for the data it granted the persona.
      { sid: 'GetLakeFormationCredentials', effect: 'Allow', actions: [PERSONA.dataAccessAction], resources: ['*'] },
    ];
    const document = new DataAwsIamPolicyDocument(this, 'catalog-document', { statement: statements });
    this.policy = new IamRolePolicy(this, 'catalog-policy', { name: 'catalog', role: this.role.name, policy: document.json });

    const principal = this.role.arn;
    const after = [...settings.after(this), ...Object.values(tags.tags)];
    const grants: LakeformationPermissions[] = [];
    for (const grant of config.grants) {
      const access = grant.access as AccessLevel;
      const expression = Object.entries(grant.tags).map(([key, values]) => ({ key, values: [...values] }));
      const base = `grant-${expressionHash(grant.tags)}`;
      grants.push(
        new LakeformationPermissions(this, `${base}-databases`, {
          principal,
          permissions: [...PERSONA.databasePermissions[access]],
          lfTagPolicy: { resourceType: 'DATABASE', expression },
          dependsOn: after,
        }),
        new LakeformationPermissions(this, `${base}-tables`, {
          principal,
          permissions: [...PERSONA.tablePermissions[access]],
          lfTagPolicy: { resourceType: 'TABLE', expression },
          dependsOn: after,
        }),
      );
    }
    for (const filterName of config.filters) {
      const filter = filters[filterName];
      grants.push(new LakeformationPermissions(this, `filter-${filterName}`, {
        principal,
        permissions: [...PERSONA.filterPermissions],
        dataCellsFilter: { databaseName: filter.table.databaseName, tableName: filter.table.name, tableCatalogId: filter.catalogId, name: filter.name },
        dependsOn: [...settings.after(this), filter.filter],
      }));
    }
    if (writes && props.locations) {
      const locations = props.locations;
      for (const zone of ZONES) {
        grants.push(new LakeformationPermissions(this, `location-${zone}`, {
          principal,
          permissions: [...PERSONA.locationPermissions],
          dataLocation: { arn: locations.lake.zones[zone].arn },
          dependsOn: [...settings.after(this), locations.registrations[zone]],
        }));
      }
    }
    for (const zone of ZONES.filter((z) => filterZones.has(z))) {
      grants.push(new LakeformationPermissions(this, `filter-database-${zone}`, {
        principal,
        permissions: [...PERSONA.filterDatabasePermissions],
        database: { name: databases[zone].name },
        dependsOn: settings.after(this),
      }));
    }
    this.grants = grants;
  }
}

/** The trust policy's statements for `assumedBy`: IAM principals in one statement, services (scoped to the account) in another. */
function trustStatements(assumedBy: readonly string[], accountRoot: string, account: string): DataAwsIamPolicyDocumentStatement[] {
  const services = assumedBy.filter((p) => (PERSONA_SERVICES as readonly string[]).includes(p));
  const iam = assumedBy.filter((p) => !services.includes(p)).map((p) => (p === 'account' ? accountRoot : p));
  return [
    ...(iam.length > 0 ? [{ sid: 'AssumeThroughIam', effect: 'Allow', principals: [{ type: 'AWS', identifiers: iam }], actions: ['sts:AssumeRole'] }] : []),
    ...(services.length > 0
      ? [{
          sid: 'AssumeAsService',
          effect: 'Allow',
          principals: [{ type: 'Service', identifiers: services }],
          actions: ['sts:AssumeRole'],
          condition: [{ test: 'StringEquals', variable: 'aws:SourceAccount', values: [account] }],
        }]
      : []),
  ];
}

/** A tag expression as one canonical text: keys and values sorted, so order never matters. */
function canonical(tags: Readonly<Record<string, readonly string[]>>): string {
  return Object.keys(tags).sort().map((key) => `${key}=${[...tags[key]].sort().join(',')}`).join(';');
}

/** 8 hex digits of sha256 of the canonical expression: the stable part of a grant's construct ids. */
function expressionHash(tags: Readonly<Record<string, readonly string[]>>): string {
  return createHash('sha256').update(canonical(tags)).digest('hex').slice(0, 8);
}

/**
 * The zone whose database holds `table`: its database name resolves to the same reference as the
 * zone database's name (or is the same literal name). Resolved in the table's own stack, so no
 * cross-stack reference is created.
 */
function zoneOf(table: GlueCatalogTable, databases: Readonly<Record<Zone, GlueCatalogDatabase>>): Zone | undefined {
  const input = table.databaseNameInput;
  if (input === undefined) return undefined;
  const resolved = Token.isUnresolved(input)
    ? Tokenization.resolve(input, { scope: table, preparing: false, resolver: new DefaultTokenResolver(new StringConcat()) })
    : input;
  return ZONES.find((zone) => {
    const db = databases[zone];
    return resolved === `\${${db.terraformResourceType}.${db.friendlyUniqueId}.name}` || (db.nameInput !== undefined && !Token.isUnresolved(db.nameInput) && resolved === db.nameInput);
  });
}

/** Records problems with the props of a Persona (values still tokens are skipped); returns the zones of its filters. */
function checkProps(v: Validator, props: PersonaProps, filters: Readonly<Record<string, DataFilter>>, account: string) {
  const { name, config, databases, tags } = props;
  const known = (value: unknown) => !Token.isUnresolved(value);
  if (known(name)) v.check(DATASET_NAME_RE.test(name), 'name', `is ${JSON.stringify(name)}; ${DATASET_NAME_FIX}`);

  v.check(config.assumedBy.length > 0, 'config.assumedBy', 'is empty; list at least one principal, e.g. account');
  config.assumedBy.forEach((principal, i) => {
    if (!known(principal)) return;
    const path = `config.assumedBy[${i}]`;
    if (config.assumedBy.indexOf(principal) !== i) {
      v.add(path, `is ${JSON.stringify(principal)} again; list each principal once`);
    } else if (PRINCIPAL_ARN_RE.test(principal)) {
      if (arnAccount(principal) !== account) {
        v.add(path, `is ${JSON.stringify(principal)}, a principal of account ${arnAccount(principal)}; use a role or user of this account, ${account} (share data with another account through governance.sharing)`);
      }
    } else if (principal !== 'account' && !(PERSONA_SERVICES as readonly string[]).includes(principal)) {
      v.add(path, `is ${JSON.stringify(principal)}; use "account" (IAM in this account decides), an IAM role or user ARN, or a service (${PERSONA_SERVICES.join(', ')})`);
    }
  });

  const expressions = new Map<string, number>();
  config.grants.forEach((grant, i) => {
    const path = `config.grants[${i}]`;
    v.check((ACCESS_LEVELS as readonly string[]).includes(grant.access), `${path}.access`, `is ${JSON.stringify(grant.access)}; use one of ${ACCESS_LEVELS.join(', ')}`);
    const keys = Object.keys(grant.tags);
    if (keys.length === 0) v.add(`${path}.tags`, 'is empty; list at least one tag key with its values, e.g. { domain: [sales] }');
    for (const key of keys) {
      const declared = tags.declared[key];
      const values = grant.tags[key];
      if (declared === undefined) {
        v.add(`${path}.tags.${key}`, `is not a declared LF-tag (tags: ${Object.keys(tags.declared).join(', ') || 'none'}); declare it in governance.tags or remove it`);
        continue;
      }
      if (values.length === 0) v.add(`${path}.tags.${key}`, 'has no values; list at least one');
      values.forEach((value, j) => {
        if (known(value) && !declared.includes(value)) v.add(`${path}.tags.${key}[${j}]`, `is ${JSON.stringify(value)}; use one of the values of the LF-tag ${key}: ${declared.join(', ')}`);
      });
    }
    const earlier = expressions.get(canonical(grant.tags));
    if (earlier !== undefined) {
      v.add(`${path}.tags`, `is the expression of config.grants[${earlier}] again; merge them into one grant with the broader access`);
    } else {
      expressions.set(canonical(grant.tags), i);
    }
  });

  const filterZones = new Set<Zone>();
  config.filters.forEach((filterName, i) => {
    const path = `config.filters[${i}]`;
    const filter = filters[filterName];
    if (config.filters.indexOf(filterName) !== i) {
      v.add(path, `is ${JSON.stringify(filterName)} again; list each filter once`);
    } else if (filter === undefined) {
      const names = Object.keys(filters);
      v.add(path, `is ${JSON.stringify(filterName)}, which is not among the filters passed (${names.length > 0 ? names.join(', ') : 'none'}); declare it in governance.filters and pass its DataFilter in filters`);
    } else {
      const zone = zoneOf(filter.table, databases);
      if (zone === undefined) v.add(path, `filters the table ${filter.table.node.path}, which is in none of the zone databases passed as databases; filter a table of the lake`);
      else filterZones.add(zone);
    }
  });
  return { filterZones };
}
