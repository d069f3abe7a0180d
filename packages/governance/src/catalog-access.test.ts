import { Construct } from 'constructs';
import { PlatformStack, ServiceRole, Zone, problemsOf, ref, synthesize, synthesizedResource as resource, testApp } from '@data-platform/core';
import { stackWithLake } from '@data-platform/lake';
import { PolicyPack } from '@data-platform/policy';
import { CATALOG_USER_PERMISSIONS, CatalogUserAccess, CatalogUser } from './catalog-access';
import { LakeFormationSettings } from './lake-formation-settings';
import { LakeLocations } from './lake-locations';
import { ADMIN_ROLE, OFFLINE, REMOTE, bucketArn, databaseName, devEnvironment as env, governanceStacks, lfGrants } from './lf-test-support';

const SETTINGS = 'aws_lakeformation_data_lake_settings.governance_lake_settings';

/** A Glue service role `name` of the processing layer, in `scope`. */
const glueRole = (scope: Construct, name: string) =>
  new ServiceRole(scope, name, { layer: 'processing', service: 'glue.amazonaws.com', name, description: `${name} of the tests` }).role;

/** The lake, the settings, the registered zones and the catalog access of `users` (given their roles) in one stack `dev`. */
function build(users: (scope: Construct) => CatalogUser[]) {
  const { stack, lake } = stackWithLake(env());
  const settings = new LakeFormationSettings(stack, 'settings', { administrators: [ADMIN_ROLE] });
  const locations = new LakeLocations(stack, 'locations', { lake, settings });
  const built = users(stack);
  const access = new CatalogUserAccess(stack, 'catalog-access', { locations, settings, users: built });
  return { stack, lake, settings, locations, users: built, access };
}

const synth = (users: (scope: Construct) => CatalogUser[]) => {
  const built = build(users);
  return { ...built, ...synthesize(built.stack) };
};

/** The grants a reader of `zone` gets. */
const readGrants = (principal: string, zone: Zone) => [
  { principal, permissions: ['DESCRIBE'], database: { name: databaseName(zone) }, depends_on: [SETTINGS] },
  { principal, permissions: ['SELECT', 'DESCRIBE'], table: { database_name: databaseName(zone), wildcard: true }, depends_on: [SETTINGS] },
];

/** The grants a writer of `zone` gets. */
const writeGrants = (principal: string, zone: Zone) => [
  { principal, permissions: ['DESCRIBE', 'CREATE_TABLE', 'ALTER'], database: { name: databaseName(zone) }, depends_on: [SETTINGS] },
  { principal, permissions: ['SELECT', 'INSERT', 'DELETE', 'DESCRIBE', 'ALTER', 'DROP'], table: { database_name: databaseName(zone), wildcard: true }, depends_on: [SETTINGS] },
  { principal, permissions: ['DATA_LOCATION_ACCESS'], data_location: { arn: bucketArn(zone) }, depends_on: [SETTINGS, `aws_lakeformation_resource.governance_${zone}_location`] },
];

describe('CatalogUserAccess', () => {
  it('documents its permission model as a constant', () => {
    expect(CATALOG_USER_PERMISSIONS).toEqual({
      read: { database: ['DESCRIBE'], tables: ['SELECT', 'DESCRIBE'] },
      write: { database: ['DESCRIBE', 'CREATE_TABLE', 'ALTER'], tables: ['SELECT', 'INSERT', 'DELETE', 'DESCRIBE', 'ALTER', 'DROP'], location: ['DATA_LOCATION_ACCESS'] },
    });
  });

  it('grants a job exactly the zones it reads and writes, and nothing else', () => {
    const { tf, access, users } = synth((scope) => [{ name: 'job-orders-clean', role: glueRole(scope, 'orders-clean-job'), reads: ['raw'], writes: ['processed'] }]);
    const principal = ref(users[0].role, 'arn');
    expect(access.grants['job-orders-clean'].map((g) => resource(tf, 'aws_lakeformation_permissions', g.friendlyUniqueId))).toEqual([
      ...readGrants(principal, 'raw'),
      ...writeGrants(principal, 'processed'),
    ]);
    expect(Object.values(lfGrants(tf))).toHaveLength(5);
  });

  it('gives a zone both read and written the write grants only', () => {
    const { tf, access, users } = synth((scope) => [{ name: 'crawler-raw-partners', role: glueRole(scope, 'raw-partners-crawler'), reads: ['raw'], writes: ['raw'] }]);
    expect(access.grants['crawler-raw-partners'].map((g) => resource(tf, 'aws_lakeformation_permissions', g.friendlyUniqueId))).toEqual(writeGrants(ref(users[0].role, 'arn'), 'raw'));
  });

  it('keeps each user\'s grants apart, with ids from its name and zone', () => {
    const { access } = build((scope) => [
      { name: 'job-orders-clean', role: glueRole(scope, 'orders-clean-job'), reads: ['raw'], writes: ['processed'] },
      { name: 'firehose-clickstream', role: glueRole(scope, 'clickstream-firehose'), reads: ['raw'], writes: [] },
    ]);
    expect(Object.fromEntries(Object.entries(access.grants).map(([name, grants]) => [name, grants.map((g) => g.node.id)]))).toEqual({
      'job-orders-clean': ['job-orders-clean-raw-database', 'job-orders-clean-raw-tables', 'job-orders-clean-processed-database', 'job-orders-clean-processed-tables', 'job-orders-clean-processed-location'],
      'firehose-clickstream': ['firehose-clickstream-raw-database', 'firehose-clickstream-raw-tables'],
    });
  });

  it('never grants ALL, a grant option or catalog-wide permissions', () => {
    const { tf } = synth((scope) => [
      { name: 'job-orders-clean', role: glueRole(scope, 'orders-clean-job'), reads: ['raw', 'processed', 'curated'], writes: ['raw', 'processed', 'curated'] },
    ]);
    for (const grant of Object.values(lfGrants(tf))) {
      expect(grant.permissions).not.toContain('ALL');
      expect(grant).not.toHaveProperty('permissions_with_grant_option');
      expect(grant).not.toHaveProperty('catalog_resource');
    }
  });

  describe('validation', () => {
    it('rejects malformed and repeated names, users without zones, unknown and repeated zones', () => {
      expect(problemsOf(() => build((scope) => {
        const role = glueRole(scope, 'job');
        return [
          { name: 'Job Orders', role, reads: ['raw'], writes: [] },
          { name: 'job-a', role, reads: [], writes: [] },
          { name: 'job-a', role, reads: ['bronze' as Zone, 'raw', 'raw'], writes: ['curated'] },
        ];
      }))).toEqual([
        'CatalogUserAccess dev/catalog-access: users[0].name is "Job Orders"; use lowercase letters and digits, words joined by "-" (e.g. "job-orders-clean")',
        'CatalogUserAccess dev/catalog-access: users[1] reads and writes no zone; list the zones it reads or writes, or leave it out',
        'CatalogUserAccess dev/catalog-access: users[2].name is "job-a" again (users[1]); give each user its own name',
        'CatalogUserAccess dev/catalog-access: users[2].reads[0] is "bronze"; use one of raw, processed, curated',
        'CatalogUserAccess dev/catalog-access: users[2].reads[2] is "raw" again; list each zone once',
      ]);
    });

    it('rejects a role of another account', () => {
      const app = testApp();
      const elsewhere = new PlatformStack(app, 'other', { env: env({ name: 'other', account: '222222222222', deployRole: 'arn:aws:iam::222222222222:role/adp-deploy' }) });
      const role = glueRole(elsewhere, 'job');
      expect(problemsOf(() => build(() => [{ name: 'job-elsewhere', role, reads: ['raw'], writes: [] }]))).toEqual([
        'CatalogUserAccess dev/catalog-access: users[0].role other/job/role is in account 222222222222; catalog users are roles of this account, 111111111111 (share with another account through a DatabaseShare)',
      ]);
    });
  });

  describe('policy pack', () => {
    it('passes in the governance stack of a layered build, granting roles of the processing stack', () => {
      const pack = new PolicyPack();
      const { app, lakeStack, lake, stack } = governanceStacks(env(), { aspects: [pack] });
      const processing = new PlatformStack(app, 'dev-processing', { env: env(), aspects: [pack] });
      const role = glueRole(processing, 'orders-clean-job');
      const settings = new LakeFormationSettings(stack, 'settings', { administrators: [ADMIN_ROLE] });
      const locations = new LakeLocations(stack, 'locations', { lake, settings });
      const access = new CatalogUserAccess(stack, 'catalog-access', { locations, settings, users: [{ name: 'job-orders-clean', role, reads: ['raw'], writes: ['processed'] }] });
      expect(() => synthesize(lakeStack)).not.toThrow();
      expect(() => synthesize(processing)).not.toThrow();
      const { tf } = synthesize(stack);
      const grants = access.grants['job-orders-clean'].map((g) => resource(tf, 'aws_lakeformation_permissions', g.friendlyUniqueId));
      expect(grants.map((g) => g.principal)).toEqual(Array(5).fill(expect.stringMatching(REMOTE)));
      expect((grants[4].data_location as { arn: string }).arn).toMatch(REMOTE);
    });

    it('passes in the single stack of the offline environment', () => {
      const { stack, lake } = stackWithLake(env({ ...OFFLINE }), { aspects: [new PolicyPack()] });
      const settings = new LakeFormationSettings(stack, 'settings', { administrators: ['arn:aws:iam::000000000000:role/lake-admin'] });
      const locations = new LakeLocations(stack, 'locations', { lake, settings });
      new CatalogUserAccess(stack, 'catalog-access', { locations, settings, users: [{ name: 'job-orders-clean', role: glueRole(stack, 'orders-clean-job'), reads: ['raw'], writes: ['processed'] }] });
      expect(() => synthesize(stack)).not.toThrow();
    });
  });
});
