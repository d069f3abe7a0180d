import { TerraformStack, Token } from 'cdktf';
import { Construct } from 'constructs';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { LakeformationPermissions } from '@cdktf/provider-aws/lib/lakeformation-permissions';
import { PlatformStack, Validator, ZONES, Zone } from '@data-platform/core';
import { LakeFormationSettings } from './lake-formation-settings';
import { LakeLocations } from './lake-locations';

/**
 * A role of another layer that uses the catalog (a Glue job, a crawler, Firehose's format
 * conversion): what it reads and writes, by zone.
 */
export interface CatalogUser {
  /** A unique id of the user, e.g. `job-orders-clean`, `crawler-raw-partners`: part of its grants' ids. */
  readonly name: string;
  /** The user's role. */
  readonly role: IamRole;
  /** Zones whose database and tables it reads. */
  readonly reads: readonly Zone[];
  /** Zones whose database and tables it writes (creates and changes tables, writes data); implies reading them. */
  readonly writes: readonly Zone[];
}

/** The Lake Formation permissions of a catalog user, per zone it reads or writes. */
export const CATALOG_USER_PERMISSIONS = {
  read: {
    /** On the zone database. */
    database: ['DESCRIBE'],
    /** On every table of the zone database (table wildcard). */
    tables: ['SELECT', 'DESCRIBE'],
  },
  write: {
    /** On the zone database: see it, create tables in it and change their definitions. */
    database: ['DESCRIBE', 'CREATE_TABLE', 'ALTER'],
    /** On every table of the zone database (table wildcard). */
    tables: ['SELECT', 'INSERT', 'DELETE', 'DESCRIBE', 'ALTER', 'DROP'],
    /**
     * On the zone's registered location: create and alter tables (and partitions) that point into
     * it, which CREATE_TABLE and ALTER alone do not allow for a registered location.
     * @see https://docs.aws.amazon.com/lake-formation/latest/dg/troubleshooting.html
     */
    location: ['DATA_LOCATION_ACCESS'],
  },
} as const;

/** What `CatalogUser.name` accepts: lowercase words joined by "-". */
const USER_NAME_RE = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

/** Props of {@link CatalogUserAccess}. */
export interface CatalogUserAccessProps {
  /** The registered zones (and, through them, the lake's zone databases and buckets). */
  readonly locations: LakeLocations;
  /** The account's Lake Formation settings: grants are made once the administrators are in place. */
  readonly settings: LakeFormationSettings;
  /** The roles of other layers that use the catalog. */
  readonly users: readonly CatalogUser[];
}

/**
 * Lake Formation permissions for the roles of the other layers that use the catalog (Glue jobs,
 * crawlers, Firehose format conversion), so they keep working once Lake Formation, not IAM alone,
 * governs the zone databases (no IAM_ALLOWED_PRINCIPALS defaults).
 *
 * For each user and zone (see {@link CATALOG_USER_PERMISSIONS}):
 * - read: DESCRIBE on the zone database; SELECT and DESCRIBE on all its tables (table wildcard,
 *   which covers tables created later, e.g. by crawlers);
 * - write (implies read): DESCRIBE, CREATE_TABLE and ALTER on the database; SELECT, INSERT,
 *   DELETE, DESCRIBE, ALTER and DROP on all its tables; DATA_LOCATION_ACCESS on the zone's
 *   registered location, created after the registration.
 *
 * Nothing broader: no ALL, no grant option, no catalog-wide permission. The users' IAM policies
 * (and their S3 access through the lake's grants) stay with their own layers; Lake Formation
 * permissions only add the catalog's side.
 *
 * Grants are ids `<name>-<zone>-database|tables|location`, so adding a user or zone never moves
 * another's.
 *
 * @see https://docs.aws.amazon.com/lake-formation/latest/dg/upgrade-glue-lake-formation.html
 * @see https://docs.aws.amazon.com/lake-formation/latest/dg/granting-catalog-permissions.html
 */
export class CatalogUserAccess extends Construct {
  /** The grants of each user, by user name. */
  readonly grants: Readonly<Record<string, readonly LakeformationPermissions[]>>;

  constructor(scope: Construct, id: string, props: CatalogUserAccessProps) {
    super(scope, id);
    const { env } = PlatformStack.of(this);
    checkProps(new Validator(`CatalogUserAccess ${this.node.path}`), props.users, env.account).throwIfAny();
    const { locations, settings } = props;
    const { lake } = locations;

    const grants: Record<string, LakeformationPermissions[]> = {};
    for (const { name, role, reads, writes } of props.users) {
      const principal = role.arn;
      const own: LakeformationPermissions[] = [];
      for (const zone of ZONES) {
        const access = writes.includes(zone) ? 'write' : reads.includes(zone) ? 'read' : undefined;
        if (access === undefined) continue;
        const database = lake.databases[zone].name;
        own.push(
          new LakeformationPermissions(this, `${name}-${zone}-database`, {
            principal,
            permissions: [...CATALOG_USER_PERMISSIONS[access].database],
            database: { name: database },
            dependsOn: settings.after(this),
          }),
          new LakeformationPermissions(this, `${name}-${zone}-tables`, {
            principal,
            permissions: [...CATALOG_USER_PERMISSIONS[access].tables],
            table: { databaseName: database, wildcard: true },
            dependsOn: settings.after(this),
          }),
        );
        if (access === 'write') {
          own.push(new LakeformationPermissions(this, `${name}-${zone}-location`, {
            principal,
            permissions: [...CATALOG_USER_PERMISSIONS.write.location],
            dataLocation: { arn: lake.zones[zone].arn },
            dependsOn: [...settings.after(this), locations.registrations[zone]],
          }));
        }
      }
      grants[name] = own;
    }
    this.grants = grants;
  }
}

/** Records problems with the users of a CatalogUserAccess. */
function checkProps(v: Validator, users: readonly CatalogUser[], account: string): Validator {
  const names = new Map<string, number>();
  users.forEach(({ name, role, reads, writes }, i) => {
    const path = `users[${i}]`;
    if (!Token.isUnresolved(name)) {
      if (!USER_NAME_RE.test(name)) {
        v.add(`${path}.name`, `is ${JSON.stringify(name)}; use lowercase letters and digits, words joined by "-" (e.g. "job-orders-clean")`);
      } else if (names.has(name)) {
        v.add(`${path}.name`, `is ${JSON.stringify(name)} again (users[${names.get(name)}]); give each user its own name`);
      } else {
        names.set(name, i);
      }
    }
    const stack = TerraformStack.of(role);
    if (stack instanceof PlatformStack && stack.env.account !== account) {
      v.add(`${path}.role`, `${role.node.path} is in account ${stack.env.account}; catalog users are roles of this account, ${account} (share with another account through a DatabaseShare)`);
    }
    v.check(reads.length + writes.length > 0, path, 'reads and writes no zone; list the zones it reads or writes, or leave it out');
    for (const [field, zones] of [['reads', reads], ['writes', writes]] as const) {
      zones.forEach((zone, j) => {
        if (!(ZONES as readonly string[]).includes(zone)) v.add(`${path}.${field}[${j}]`, `is ${JSON.stringify(zone)}; use one of ${ZONES.join(', ')}`);
        else if (zones.indexOf(zone) !== j) v.add(`${path}.${field}[${j}]`, `is ${JSON.stringify(zone)} again; list each zone once`);
      });
    }
  });
  return v;
}
