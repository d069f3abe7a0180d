import { TerraformVariable } from 'cdktf';
import {
  EnvironmentConfig,
  GOVERNANCE_DEFAULTS,
  PlatformStack,
  problemsOf,
  suppressionsOf,
  synthesize,
  synthesizedResource as resource,
  testApp,
} from '@data-platform/core';
import { stackWithLake } from '@data-platform/lake';
import { PolicyPack } from '@data-platform/policy';
import {
  IAM_ALLOWED_PRINCIPALS,
  LAKE_FORMATION_SETTINGS,
  LAKE_FORMATION_SETTINGS_DEFAULTS,
  LakeFormationSettings,
  LakeFormationSettingsProps,
} from './lake-formation-settings';
import { ADMIN_ROLE, DEPLOY_ROLE, OFFLINE, devEnvironment as env, governanceStacks } from './lf-test-support';

/** The settings (id `settings`) in a stack `dev` of their own. */
function build(props: Partial<LakeFormationSettingsProps> = {}, environment: EnvironmentConfig = env()) {
  const stack = new PlatformStack(testApp(), environment.name, { env: environment });
  const settings = new LakeFormationSettings(stack, 'settings', { administrators: [ADMIN_ROLE], ...props });
  return { stack, settings, ...synthesize(stack) };
}

/** A read-only administrator of the test account (the CI plan role). */
const PLAN_ROLE = 'arn:aws:iam::111111111111:role/adp-plan';

const settingsOf = (tf: ReturnType<typeof build>['tf']) => resource(tf, 'aws_lakeformation_data_lake_settings', 'governance_lake_settings');

describe('LakeFormationSettings', () => {
  it('documents its fixed settings and defaults as constants', () => {
    expect(LAKE_FORMATION_SETTINGS).toEqual({
      crossAccountVersion: '4',
      iamOnlyDefault: { principal: 'IAM_ALLOWED_PRINCIPALS', permissions: ['ALL'] },
    });
    expect(LAKE_FORMATION_SETTINGS_DEFAULTS).toEqual({ readOnlyAdministrators: [], hybridAccess: false, crossAccountSharing: false });
    expect(LAKE_FORMATION_SETTINGS_DEFAULTS.hybridAccess).toBe(GOVERNANCE_DEFAULTS.hybridAccess);
    expect(IAM_ALLOWED_PRINCIPALS).toBe('IAM_ALLOWED_PRINCIPALS');
  });

  it('makes the deploy role and the administrators data lake administrators, and sets nothing else by default', () => {
    const { tf, settings } = build();
    expect(settingsOf(tf)).toEqual({
      admins: [DEPLOY_ROLE, ADMIN_ROLE],
      lifecycle: { replace_triggered_by: ['terraform_data.governance_lake_settings_mode'] },
    });
    expect(settings.administrators).toEqual([DEPLOY_ROLE, ADMIN_ROLE]);
    expect(settings.readOnlyAdministrators).toEqual([]);
    expect(settings.hybridAccess).toBe(false);
    expect(settings.crossAccountSharing).toBe(false);
  });

  it('lists the deploy role once when it is also an administrator, and each administrator once', () => {
    const { tf } = build({ administrators: [ADMIN_ROLE, DEPLOY_ROLE, ADMIN_ROLE] });
    expect(settingsOf(tf).admins).toEqual([DEPLOY_ROLE, ADMIN_ROLE]);
  });

  it('makes the read-only administrators read-only data lake administrators, each once', () => {
    const { tf, settings } = build({ readOnlyAdministrators: [PLAN_ROLE, PLAN_ROLE] });
    expect(settingsOf(tf)).toEqual({
      admins: [DEPLOY_ROLE, ADMIN_ROLE],
      read_only_admins: [PLAN_ROLE],
      lifecycle: { replace_triggered_by: ['terraform_data.governance_lake_settings_mode'] },
    });
    expect(settings.readOnlyAdministrators).toEqual([PLAN_ROLE]);
    expect(settingsOf(build({ readOnlyAdministrators: [] }).tf)).not.toHaveProperty('read_only_admins');
  });

  it('keeps the deploy role an administrator when no other is listed', () => {
    expect(settingsOf(build({ administrators: [] }).tf).admins).toEqual([DEPLOY_ROLE]);
  });

  it('leaves new databases and tables to Lake Formation: no IAM_ALLOWED_PRINCIPALS default for either', () => {
    const settings = settingsOf(build().tf);
    expect(settings).not.toHaveProperty('create_database_default_permissions');
    expect(settings).not.toHaveProperty('create_table_default_permissions');
  });

  it('keeps IAM-only defaults for new databases and tables in hybrid access mode, suppressing the policy rule with a reason', () => {
    const { tf, settings } = build({ hybridAccess: true });
    const iamOnly = [{ principal: 'IAM_ALLOWED_PRINCIPALS', permissions: ['ALL'] }];
    expect(settingsOf(tf)).toEqual({
      admins: [DEPLOY_ROLE, ADMIN_ROLE],
      create_database_default_permissions: iamOnly,
      create_table_default_permissions: iamOnly,
      lifecycle: { replace_triggered_by: ['terraform_data.governance_lake_settings_mode'] },
    });
    expect(settings.hybridAccess).toBe(true);
    expect(suppressionsOf(settings.settings)).toEqual([{
      ruleId: 'lakeformation-no-iam-allowed-principals',
      reason: 'governance.hybridAccess is on: new databases and tables keep IAM-only access on purpose, so consumers not yet granted in Lake Formation keep working while they migrate',
    }]);
  });

  it('suppresses nothing without hybrid access', () => {
    expect(suppressionsOf(build().settings.settings)).toEqual([]);
  });

  it('sets the cross-account version when databases are shared', () => {
    const { tf, settings } = build({ crossAccountSharing: true });
    expect(settingsOf(tf).parameters).toEqual({ CROSS_ACCOUNT_VERSION: '4' });
    expect(settings.crossAccountSharing).toBe(true);
    expect(settingsOf(build().tf)).not.toHaveProperty('parameters');
  });

  it('replaces the settings when the mode changes, so leaving hybrid access removes the IAM-only defaults', () => {
    expect(resource(build().tf, 'terraform_data', 'governance_lake_settings_mode')).toEqual({ input: { defaults: 'lake-formation' } });
    expect(resource(build({ hybridAccess: true }).tf, 'terraform_data', 'governance_lake_settings_mode')).toEqual({ input: { defaults: 'iam-allowed-principals' } });
  });

  it('pins its addresses and sets no prevent_destroy, since a change of mode replaces it', () => {
    const { tf, stack } = build({}, env({ name: 'prod', stage: 'production', protect: true }));
    expect(Object.keys(tf.resource?.aws_lakeformation_data_lake_settings ?? {})).toEqual(['governance_lake_settings']);
    expect(Object.keys(tf.resource?.terraform_data ?? {})).toEqual(['governance_lake_settings_mode']);
    expect(settingsOf(tf).lifecycle).toEqual({ replace_triggered_by: ['terraform_data.governance_lake_settings_mode'] });
    expect([...stack.statefulAddresses]).toEqual([]);
  });

  describe('validation', () => {
    it('rejects an environment without deploy role and without administrators', () => {
      const offline = env({ ...OFFLINE });
      expect(problemsOf(() => build({ administrators: [] }, offline))).toEqual([
        'LakeFormationSettings local/settings: administrators is empty and environment local has no deployRole; list at least one IAM role ARN of account 000000000000 (governance.administrators), so someone can grant Lake Formation permissions',
      ]);
    });

    it('takes the administrators alone when the environment has no deploy role', () => {
      const admin = 'arn:aws:iam::000000000000:role/lake-admin';
      expect(settingsOf(build({ administrators: [admin] }, env({ ...OFFLINE })).tf).admins).toEqual([admin]);
    });

    it('rejects an administrator that is not a role ARN, and one of another account', () => {
      expect(problemsOf(() => build({ administrators: ['arn:aws:iam::111111111111:user/alice', 'arn:aws:iam::222222222222:role/admin'] }))).toEqual([
        'LakeFormationSettings dev/settings: administrators[0] is "arn:aws:iam::111111111111:user/alice"; use an IAM role ARN, e.g. "arn:aws:iam::111111111111:role/data-platform-admin"',
        'LakeFormationSettings dev/settings: administrators[1] is "arn:aws:iam::222222222222:role/admin", a role of account 222222222222; use a role of the environment\'s account, 111111111111 (administrators of another account administer that account\'s lake)',
      ]);
    });

    it('rejects a read-only administrator that is not a role ARN, and one of another account', () => {
      expect(problemsOf(() => build({ readOnlyAdministrators: ['arn:aws:iam::111111111111:user/ci', 'arn:aws:iam::222222222222:role/adp-plan'] }))).toEqual([
        'LakeFormationSettings dev/settings: readOnlyAdministrators[0] is "arn:aws:iam::111111111111:user/ci"; use an IAM role ARN, e.g. "arn:aws:iam::111111111111:role/data-platform-plan"',
        'LakeFormationSettings dev/settings: readOnlyAdministrators[1] is "arn:aws:iam::222222222222:role/adp-plan", a role of account 222222222222; use a role of the environment\'s account, 111111111111 (administrators of another account administer that account\'s lake)',
      ]);
    });

    it('reports problems of administrators and read-only administrators together, and creates nothing', () => {
      const stack = new PlatformStack(testApp(), 'dev', { env: env() });
      expect(problemsOf(() => new LakeFormationSettings(stack, 'settings', { administrators: ['admin'], readOnlyAdministrators: ['plan'] }))).toEqual([
        'LakeFormationSettings dev/settings: administrators[0] is "admin"; use an IAM role ARN, e.g. "arn:aws:iam::111111111111:role/data-platform-admin"',
        'LakeFormationSettings dev/settings: readOnlyAdministrators[0] is "plan"; use an IAM role ARN, e.g. "arn:aws:iam::111111111111:role/data-platform-plan"',
      ]);
      expect(stack.node.tryFindChild('settings')?.node.children).toEqual([]);
    });

    it('skips administrators and read-only administrators that are still tokens', () => {
      const stack = new PlatformStack(testApp(), 'dev', { env: env() });
      const admin = new TerraformVariable(stack, 'admin', { type: 'string' }).stringValue;
      const plan = new TerraformVariable(stack, 'plan', { type: 'string' }).stringValue;
      new LakeFormationSettings(stack, 'settings', { administrators: [admin], readOnlyAdministrators: [plan] });
      const settings = resource(synthesize(stack).tf, 'aws_lakeformation_data_lake_settings', 'governance_lake_settings');
      expect([settings.admins, settings.read_only_admins]).toEqual([[DEPLOY_ROLE, '${var.admin}'], ['${var.plan}']]);
    });
  });

  describe('policy pack', () => {
    it('passes in the governance stack of a layered build', () => {
      const { lakeStack, stack } = governanceStacks(env(), { aspects: [new PolicyPack()] });
      new LakeFormationSettings(stack, 'settings', { administrators: [ADMIN_ROLE], readOnlyAdministrators: [PLAN_ROLE], crossAccountSharing: true });
      expect(() => synthesize(lakeStack)).not.toThrow();
      expect(() => synthesize(stack)).not.toThrow();
    });

    it('passes in hybrid access mode through its one suppression', () => {
      const { stack } = governanceStacks(env(), { aspects: [new PolicyPack()] });
      new LakeFormationSettings(stack, 'settings', { administrators: [ADMIN_ROLE], hybridAccess: true });
      expect(() => synthesize(stack)).not.toThrow();
    });

    it('reports the IAM-only defaults of hybrid access as suppressed, not passed', () => {
      const pack = new PolicyPack();
      const stack = new PlatformStack(testApp(), 'dev', { env: env() });
      new LakeFormationSettings(stack, 'settings', { administrators: [ADMIN_ROLE], hybridAccess: true });
      expect(pack.check(stack)).toEqual([]);
      expect(pack.reports.get('dev')?.findings).toEqual([expect.objectContaining({
        ruleId: 'lakeformation-no-iam-allowed-principals',
        address: 'aws_lakeformation_data_lake_settings.governance_lake_settings',
        status: 'suppressed',
        message: 'gives IAM_ALLOWED_PRINCIPALS default permissions on new databases or tables (create_database_default_permissions, create_table_default_permissions), so they are governed by IAM only; remove those entries so new resources use Lake Formation permissions',
      })]);
    });

    it('passes in the single stack of the offline environment', () => {
      const offline = env({ ...OFFLINE });
      const { stack } = stackWithLake(offline, { aspects: [new PolicyPack()] });
      new LakeFormationSettings(stack, 'settings', { administrators: ['arn:aws:iam::000000000000:role/lake-admin'], readOnlyAdministrators: ['arn:aws:iam::000000000000:role/lake-plan'] });
      expect(() => synthesize(stack)).not.toThrow();
    });
  });
});
