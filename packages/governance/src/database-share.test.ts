import { TerraformVariable } from 'cdktf';
import { problemsOf, synthesize, synthesizedResource as resource } from '@data-platform/core';
import { stackWithLake } from '@data-platform/lake';
import { PolicyPack } from '@data-platform/policy';
import { DATABASE_SHARE, DATABASE_SHARE_DEFAULTS, DatabaseShare, DatabaseShareProps, SHARE_ACCESS_LEVELS, ShareAccess } from './database-share';
import { LakeFormationSettings } from './lake-formation-settings';
import { ADMIN_ROLE, OFFLINE, REMOTE, databaseName, devEnvironment as env, governanceStacks, lfGrants } from './lf-test-support';

const SETTINGS = 'aws_lakeformation_data_lake_settings.governance_lake_settings';
const CONSUMER = '333333333333';

/** The lake, settings with cross-account sharing and a share of the curated database in one stack `dev`. */
function build(props: Partial<Omit<DatabaseShareProps, 'settings' | 'database'>> = {}, crossAccountSharing = true) {
  const { stack, lake } = stackWithLake(env());
  const settings = new LakeFormationSettings(stack, 'settings', { administrators: [ADMIN_ROLE], crossAccountSharing });
  const share = new DatabaseShare(stack, 'share-partner', { database: lake.databases.curated, account: CONSUMER, settings, ...props });
  return { stack, lake, settings, share };
}

const synth = (props?: Partial<Omit<DatabaseShareProps, 'settings' | 'database'>>) => {
  const built = build(props);
  return { ...built, ...synthesize(built.stack) };
};

describe('DatabaseShare', () => {
  it('documents its permissions, access levels and default as constants', () => {
    expect(DATABASE_SHARE).toEqual({ database: ['DESCRIBE'], tables: ['SELECT', 'DESCRIBE'] });
    expect(SHARE_ACCESS_LEVELS).toEqual(['describe', 'read']);
    expect(DATABASE_SHARE_DEFAULTS).toEqual({ access: 'read' });
    expect(env({ governance: { sharing: { partner: { account: CONSUMER, database: 'curated' } } } }).governance?.sharing.partner.access).toBe(DATABASE_SHARE_DEFAULTS.access);
  });

  it('shares the database and every table of it with the consumer account by default, with the grant option of exactly those permissions', () => {
    const { tf, share } = synth();
    expect(share.grants.map((g) => resource(tf, 'aws_lakeformation_permissions', g.friendlyUniqueId))).toEqual([
      { principal: CONSUMER, permissions: ['DESCRIBE'], permissions_with_grant_option: ['DESCRIBE'], database: { name: databaseName('curated') }, depends_on: [SETTINGS] },
      { principal: CONSUMER, permissions: ['SELECT', 'DESCRIBE'], permissions_with_grant_option: ['SELECT', 'DESCRIBE'], table: { database_name: databaseName('curated'), wildcard: true }, depends_on: [SETTINGS] },
    ]);
    expect(Object.values(lfGrants(tf))).toHaveLength(2);
    expect(share.access).toBe('read');
    expect(share.account).toBe(CONSUMER);
  });

  it('shares only the database\'s metadata with describe access', () => {
    const { tf, share } = synth({ access: 'describe' });
    expect(Object.values(lfGrants(tf))).toEqual([
      { principal: CONSUMER, permissions: ['DESCRIBE'], permissions_with_grant_option: ['DESCRIBE'], database: { name: databaseName('curated') }, depends_on: [SETTINGS] },
    ]);
    expect(share.grants).toHaveLength(1);
  });

  it('never grants ALL, nor a grant option beyond the permissions shared', () => {
    for (const grant of Object.values(lfGrants(synth().tf))) {
      expect(grant.permissions).not.toContain('ALL');
      expect(grant.permissions_with_grant_option).toEqual(grant.permissions);
    }
  });

  describe('validation', () => {
    it('rejects a malformed account, write access and settings without cross-account sharing', () => {
      expect(problemsOf(() => build({ account: '3333', access: 'write' as ShareAccess }, false))).toEqual([
        'DatabaseShare dev/share-partner: account is "3333"; use the consumer\'s 12-digit AWS account id, quoted',
        'DatabaseShare dev/share-partner: access is "write"; use describe or read (a consumer account never writes)',
        'DatabaseShare dev/share-partner: settings have no cross-account sharing; create the LakeFormationSettings with crossAccountSharing: true, so CROSS_ACCOUNT_VERSION is set before anything is shared',
      ]);
    });

    it('rejects sharing with the environment\'s own account', () => {
      expect(problemsOf(() => build({ account: '111111111111' }))).toEqual([
        'DatabaseShare dev/share-partner: account is 111111111111, this environment\'s own account; share with another account (grant to roles of this account through a Persona)',
      ]);
    });

    it('skips an account that is still a token', () => {
      const { stack, lake } = stackWithLake(env());
      const settings = new LakeFormationSettings(stack, 'settings', { administrators: [ADMIN_ROLE], crossAccountSharing: true });
      const account = new TerraformVariable(stack, 'account', { type: 'string' }).stringValue;
      const share = new DatabaseShare(stack, 'share', { database: lake.databases.raw, account, settings });
      expect(resource(synthesize(stack).tf, 'aws_lakeformation_permissions', share.grants[0].friendlyUniqueId).principal).toBe('${var.account}');
    });
  });

  describe('policy pack', () => {
    it('passes in the governance stack of a layered build, sharing a database read across stacks', () => {
      const { lakeStack, lake, stack } = governanceStacks(env(), { aspects: [new PolicyPack()] });
      const settings = new LakeFormationSettings(stack, 'settings', { administrators: [ADMIN_ROLE], crossAccountSharing: true });
      const share = new DatabaseShare(stack, 'share', { database: lake.databases.curated, account: CONSUMER, settings });
      expect(() => synthesize(lakeStack)).not.toThrow();
      const { tf } = synthesize(stack);
      expect((resource(tf, 'aws_lakeformation_permissions', share.grants[0].friendlyUniqueId).database as { name: string }).name).toMatch(REMOTE);
    });

    it('passes in the single stack of the offline environment', () => {
      const { stack, lake } = stackWithLake(env({ ...OFFLINE }), { aspects: [new PolicyPack()] });
      const settings = new LakeFormationSettings(stack, 'settings', { administrators: ['arn:aws:iam::000000000000:role/lake-admin'], crossAccountSharing: true });
      new DatabaseShare(stack, 'share', { database: lake.databases.curated, account: CONSUMER, settings });
      expect(() => synthesize(stack)).not.toThrow();
    });
  });
});
