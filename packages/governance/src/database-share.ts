import { Token } from 'cdktf';
import { Construct } from 'constructs';
import { GlueCatalogDatabase } from '@cdktf/provider-aws/lib/glue-catalog-database';
import { LakeformationPermissions } from '@cdktf/provider-aws/lib/lakeformation-permissions';
import { PlatformStack, Validator } from '@data-platform/core';
import { LakeFormationSettings } from './lake-formation-settings';

/** What a consumer account may do with a shared database: see its metadata, or also query every table. */
export type ShareAccess = 'describe' | 'read';

/** The access levels a share accepts (a consumer account never writes). */
export const SHARE_ACCESS_LEVELS: readonly ShareAccess[] = ['describe', 'read'];

/** The Lake Formation permissions a consumer account gets per access level. */
export const DATABASE_SHARE = {
  /** On the shared database. */
  database: ['DESCRIBE'],
  /** On every table of the database (table wildcard), with `read` only. */
  tables: ['SELECT', 'DESCRIBE'],
} as const;

/** Defaults of {@link DatabaseShareProps}. */
export const DATABASE_SHARE_DEFAULTS = { access: 'read' } as const;

/** Props of {@link DatabaseShare}. */
export interface DatabaseShareProps {
  /** The zone database shared. */
  readonly database: GlueCatalogDatabase;
  /** The consumer's 12-digit AWS account id (not this environment's account). */
  readonly account: string;
  /**
   * describe: metadata only; read: also query every table of the database.
   * @default read (DATABASE_SHARE_DEFAULTS.access)
   */
  readonly access?: ShareAccess;
  /**
   * The account's Lake Formation settings: they must have `crossAccountSharing` (the cross-account
   * version), and grants are made once the administrators are in place.
   */
  readonly settings: LakeFormationSettings;
}

/**
 * Shares a zone database with another AWS account: Lake Formation cross-account grants to the
 * consumer's account id, which Lake Formation turns into an AWS RAM share that the consumer
 * accepts (automatically within the same organization).
 *
 * - describe: DESCRIBE on the database.
 * - read: also SELECT and DESCRIBE on all its tables (table wildcard, so tables created later are
 *   shared too).
 *
 * Never ALL. The grants carry the grant option of exactly the same permissions, and only because
 * a cross-account share needs it: the consumer account's data lake administrators can grant a
 * shared resource to their own roles only when they received it with the grant option; without
 * it the share reaches nobody who can query it. The consumer cannot get more than is shared here.
 *
 * Requires {@link LakeFormationSettings} with `crossAccountSharing` (CROSS_ACCOUNT_VERSION).
 *
 * @see https://docs.aws.amazon.com/lake-formation/latest/dg/cross-account-permissions.html
 * @see https://docs.aws.amazon.com/lake-formation/latest/dg/regranting-shared-resources.html
 */
export class DatabaseShare extends Construct {
  /** The grants to the consumer account: the database, and with `read` its tables. */
  readonly grants: readonly LakeformationPermissions[];
  /** The consumer account. */
  readonly account: string;
  /** The access shared. */
  readonly access: ShareAccess;

  constructor(scope: Construct, id: string, props: DatabaseShareProps) {
    super(scope, id);
    const { env } = PlatformStack.of(this);
    const access = props.access ?? DATABASE_SHARE_DEFAULTS.access;
    const { database, account, settings } = props;

    const v = new Validator(`DatabaseShare ${this.node.path}`);
    if (!Token.isUnresolved(account)) {
      if (!/^\d{12}$/.test(account)) v.add('account', `is ${JSON.stringify(account)}; use the consumer's 12-digit AWS account id, quoted`);
      else if (account === env.account) v.add('account', `is ${account}, this environment's own account; share with another account (grant to roles of this account through a Persona)`);
    }
    v.check(SHARE_ACCESS_LEVELS.includes(access), 'access', `is ${JSON.stringify(access)}; use describe or read (a consumer account never writes)`);
    v.check(settings.crossAccountSharing, 'settings', 'have no cross-account sharing; create the LakeFormationSettings with crossAccountSharing: true, so CROSS_ACCOUNT_VERSION is set before anything is shared');
    v.throwIfAny();

    this.account = account;
    this.access = access;
    const grants = [
      new LakeformationPermissions(this, 'database', {
        principal: account,
        permissions: [...DATABASE_SHARE.database],
        permissionsWithGrantOption: [...DATABASE_SHARE.database],
        database: { name: database.name },
        dependsOn: settings.after(this),
      }),
    ];
    if (access === 'read') {
      grants.push(new LakeformationPermissions(this, 'tables', {
        principal: account,
        permissions: [...DATABASE_SHARE.tables],
        permissionsWithGrantOption: [...DATABASE_SHARE.tables],
        table: { databaseName: database.name, wildcard: true },
        dependsOn: settings.after(this),
      }));
    }
    this.grants = grants;
  }
}
