import { Construct } from 'constructs';
import { GovernanceConfig, PlatformStack, ServiceRole, synthesize } from '@data-platform/core';
import { DataLake, stackWithLake } from '@data-platform/lake';
import { PolicyPack } from '@data-platform/policy';
import { CatalogUser } from './catalog-access';
import { Governance } from './governance';
import { LakeFormationSettings } from './lake-formation-settings';
import {
  DEV_GOVERNANCE,
  OFFLINE,
  REMOTE,
  catalogTable,
  devEnvironment as env,
  governanceConfig,
  governanceStacks,
  lfGrants,
} from './lf-test-support';

/** The catalog users of environments/dev.yaml's processing layer that the tests grant: one job, one crawler. */
function users(scope: Construct): CatalogUser[] {
  const role = (name: string) => new ServiceRole(scope, name, { layer: 'processing', service: 'glue.amazonaws.com', name, description: name }).role;
  return [
    { name: 'job-orders-clean', role: role('orders-clean-job'), reads: ['raw'], writes: ['processed'] },
    { name: 'crawler-raw-partners', role: role('raw-partners-crawler'), reads: [], writes: ['raw'] },
  ];
}

/** The Lake Formation settings of `config`, created where the app creates them: in the lake's stack. */
function settingsFor(scope: Construct, config: GovernanceConfig): LakeFormationSettings {
  return new LakeFormationSettings(scope, 'lake-formation', {
    administrators: config.administrators,
    hybridAccess: config.hybridAccess,
    crossAccountSharing: Object.keys(config.sharing).length > 0,
  });
}

function tablesOf(scope: Construct, lake: DataLake) {
  return { 'curated.customer_features': catalogTable(scope, lake, 'customer_features') };
}

describe('Governance', () => {
  it('builds environments/dev.yaml\'s governance in layered stacks that pass the policy pack, granting only personas, catalog users and the consumer account', () => {
    const pack = new PolicyPack();
    const { app, lakeStack, lake, stack } = governanceStacks(env(), { aspects: [pack] });
    const processing = new PlatformStack(app, 'dev-processing', { env: env(), aspects: [pack] });
    const config = governanceConfig(DEV_GOVERNANCE);
    const settings = settingsFor(lakeStack, config);
    const governance = new Governance(stack, 'governance', { lake, config, settings, tables: tablesOf(lakeStack, lake), users: users(processing) });

    expect(() => synthesize(lakeStack)).not.toThrow();
    expect(() => synthesize(processing)).not.toThrow();
    const { tf } = synthesize(stack);

    const personaRoles = Object.values(governance.personas).map((p) => `\${aws_iam_role.${p.role.friendlyUniqueId}.arn}`);
    const grants = Object.values(lfGrants(tf));
    // Two tag-policy grants per persona grant, the three zone locations of the one write persona,
    // a filter and its database, five for the job, three for the crawler, two for the share.
    expect(grants).toHaveLength(5 * 2 + 3 + 2 + 5 + 3 + 2);
    for (const grant of grants) {
      const principal = String(grant.principal);
      expect(personaRoles.includes(principal) || REMOTE.test(principal) || principal === '444444444444').toBe(true);
      expect(grant.permissions).not.toContain('ALL');
      expect(principal).not.toBe('IAM_ALLOWED_PRINCIPALS');
      // Only the cross-account share carries a grant option, and of exactly what it shares.
      if (principal === '444444444444') expect(grant.permissions_with_grant_option).toEqual(grant.permissions);
      else expect(grant).not.toHaveProperty('permissions_with_grant_option');
    }
    expect(pack.failing).toEqual([]);
    expect(Object.keys(governance.personas)).toEqual(Object.keys(config.personas));
    expect(Object.keys(tf.resource?.aws_athena_workgroup ?? {})).toHaveLength(Object.keys(config.personas).length);
    expect(Object.keys(tf.resource?.aws_glue_data_catalog_encryption_settings ?? {})).toHaveLength(1);
  });

  it('gives each persona its workgroup and the catalog key through Glue', () => {
    const { lakeStack, lake, stack } = governanceStacks(env());
    const config = governanceConfig(DEV_GOVERNANCE);
    const governance = new Governance(stack, 'governance', { lake, config, settings: settingsFor(lakeStack, config), tables: tablesOf(lakeStack, lake), users: [] });
    const { tf } = synthesize(stack);
    for (const [name, persona] of Object.entries(governance.personas)) {
      expect(persona.workgroup).toBe(governance.workgroups[name].workgroup);
      expect(persona.role).toBe(governance.personaGrants[name].role);
      const policies = Object.values(tf.resource?.aws_iam_role_policy ?? {}).filter((p) => p.role === `\${aws_iam_role.${persona.role.friendlyUniqueId}.name}`);
      expect(policies.map((p) => String(p.name))).toContain('adp-dev-lake-catalog-write');
    }
  });

  it('builds in the single stack of the offline environment, which passes the policy pack', () => {
    const { stack, lake } = stackWithLake(env({ ...OFFLINE }), { aspects: [new PolicyPack()] });
    const config: GovernanceConfig = { ...governanceConfig(DEV_GOVERNANCE), administrators: ['arn:aws:iam::000000000000:role/lake-admin'] };
    const governance = new Governance(stack, 'governance', { lake, config, settings: settingsFor(stack, config), tables: tablesOf(stack, lake), users: users(stack) });
    expect(() => synthesize(stack)).not.toThrow();
    expect(Object.keys(governance.personaGrants)).toEqual(['data-engineers', 'analysts', 'marketing', 'data-scientists', 'bi', 'auditors']);
  });

  it('names the missing table when config refers to one it was not given', () => {
    const { lakeStack, lake, stack } = governanceStacks(env());
    const config = governanceConfig(DEV_GOVERNANCE);
    expect(() => new Governance(stack, 'governance', { lake, config, settings: settingsFor(lakeStack, config), tables: {}, users: [] })).toThrow(
      'Governance dev-governance/governance: tables.curated.customer_features is "curated.customer_features", which is not among the tables passed (none); declare it in lake.tables',
    );
  });
});
