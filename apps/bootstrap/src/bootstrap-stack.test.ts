import { TerraformResource } from 'cdktf';
import {
  EnvironmentConfig,
  EnvironmentInput,
  PlatformStack,
  documentStatements,
  problemsOf,
  suppressRule,
  suppressionsOf,
  synthesize,
  synthesizedResource as resource,
  testApp,
  testEnvironment,
} from '@data-platform/core';
import { DataLake, stackWithLake } from '@data-platform/lake';
import { PolicyPack } from '@data-platform/policy';
import { SCRIPTS_PREFIX } from '@data-platform/processing';
import { BOOTSTRAP_OUTPUTS, BOOTSTRAP_STACK_DEFAULTS, BootstrapBackend, BootstrapStack, DEPLOY_ROLE_MAX_SESSION_SECONDS, bootstrapStackName } from './bootstrap-stack';
import { GithubActionsRole } from './github-actions-role';
import { GithubOidc } from './github-oidc';
import { DEPLOY_POLICIES, PLAN_POLICIES, boundaryPermissions, deployPermissions, planPermissions } from './permissions';
import { BOUNDARY_SUPPRESSIONS, PermissionsBoundary } from './permissions-boundary';
import { StateBucket } from './state-bucket';
import { CI, devEnvironment } from './test-support';

function build(overrides: Partial<EnvironmentInput> = {}, options: { backend?: BootstrapBackend; file?: string; policy?: PolicyPack; enforcePermissionsBoundary?: boolean } = {}) {
  const env = devEnvironment(overrides);
  const stack = new BootstrapStack(testApp(), bootstrapStackName(env), {
    env,
    backend: options.backend,
    file: options.file,
    aspects: options.policy ? [options.policy] : [],
    enforcePermissionsBoundary: options.enforcePermissionsBoundary,
  });
  return { env, stack, ...synthesize(stack) };
}

const STATEFUL = [
  'aws_kms_key.bootstrap_state_key',
  'aws_s3_bucket.bootstrap_state_access_logs_bucket',
  'aws_s3_bucket.bootstrap_state_bucket',
];

describe('BootstrapStack', () => {
  test('documents its defaults and outputs as constants', () => {
    expect(BOOTSTRAP_STACK_DEFAULTS).toEqual({ backend: 'local', localStatePath: 'terraform.tfstate', enforcePermissionsBoundary: false });
    expect(DEPLOY_ROLE_MAX_SESSION_SECONDS).toBe(4 * 60 * 60);
    expect(BOOTSTRAP_OUTPUTS).toEqual({
      stateBucket: 'state_bucket',
      stateKeyAliasArn: 'state_key_alias_arn',
      deployRoleArn: 'deploy_role_arn',
      planRoleArn: 'plan_role_arn',
      githubOidcProviderArn: 'github_oidc_provider_arn',
      permissionsBoundaryArn: 'permissions_boundary_arn',
    });
    expect(bootstrapStackName(devEnvironment())).toBe('bootstrap-dev');
  });

  test('uses the administrator\'s own credentials: the environment\'s region and account, default tags, no role assumed', () => {
    const { tf } = build({ tags: { 'cost-center': 'data-platform' } });
    expect(tf.provider?.aws).toEqual([{
      region: 'eu-west-1',
      allowed_account_ids: ['111111111111'],
      default_tags: [{ tags: { 'cost-center': 'data-platform', project: 'adp', environment: 'dev', stage: 'development', 'managed-by': 'cdktf-data-platform' } }],
    }]);
  });

  test('keeps its state in terraform.tfstate in its directory by default', () => {
    expect(build().tf.terraform?.backend).toEqual({ local: { path: 'terraform.tfstate' } });
  });

  test('keeps its state in the bucket it created with BOOTSTRAP_BACKEND=s3, encrypted with the state key, locked by S3', () => {
    expect(build({}, { backend: 's3' }).tf.terraform?.backend).toEqual({
      s3: {
        bucket: 'adp-tfstate-111111111111',
        key: 'bootstrap/dev.tfstate',
        region: 'eu-west-1',
        encrypt: true,
        kms_key_id: 'arn:aws:kms:eu-west-1:111111111111:alias/adp-bootstrap-dev-state-key',
        use_lockfile: true,
      },
    });
  });

  test('creates the state bucket and key in the state region, through a provider of their own', () => {
    const { tf, stack } = build({ state: { bucket: 'adp-tfstate-111111111111', region: 'eu-central-1' } }, { backend: 's3' });
    expect(tf.provider?.aws).toHaveLength(2);
    expect(tf.provider?.aws?.[1]).toMatchObject({ alias: 'state', region: 'eu-central-1', allowed_account_ids: ['111111111111'] });
    expect(resource(tf, 'aws_s3_bucket', 'bootstrap_state_bucket').provider).toBe('aws.state');
    expect(resource(tf, 'aws_kms_key', 'bootstrap_state_key').provider).toBe('aws.state');
    expect(resource(tf, 'aws_iam_role', 'bootstrap_deploy_role').provider).toBeUndefined();
    expect(tf.terraform?.backend).toMatchObject({ s3: { region: 'eu-central-1', kms_key_id: 'arn:aws:kms:eu-central-1:111111111111:alias/adp-bootstrap-dev-state-key' } });
    expect(stack.stateProvider).toBeDefined();
  });

  test('protects the state bucket, its log bucket and its key from destroy in every environment, at pinned addresses', () => {
    for (const protect of [true, false]) {
      const { stack, tf } = build({ protect });
      expect(stack.statefulAddresses).toEqual(STATEFUL);
      for (const address of STATEFUL) {
        const [type, name] = address.split('.');
        expect(resource(tf, type, name).lifecycle).toEqual({ prevent_destroy: true });
      }
    }
  });

  test('names its resources as the environment file says, and its own ones outside the platform\'s prefix', () => {
    const { tf } = build();
    expect(resource(tf, 'aws_s3_bucket', 'bootstrap_state_bucket').bucket).toBe('adp-tfstate-111111111111');
    expect(resource(tf, 'aws_s3_bucket', 'bootstrap_state_access_logs_bucket').bucket).toBe('adp-bootstrap-dev-state-logs-111111111111');
    expect(resource(tf, 'aws_kms_alias', 'bootstrap_state_key_alias').name).toBe('alias/adp-bootstrap-dev-state-key');
    // Four hours for a deploy (long applies), one for a plan.
    expect(resource(tf, 'aws_iam_role', 'bootstrap_deploy_role')).toMatchObject({ name: 'adp-deploy', path: '/', max_session_duration: 14400 });
    expect(resource(tf, 'aws_iam_role', 'bootstrap_plan_role')).toMatchObject({ name: 'adp-plan', path: '/', max_session_duration: 3600 });
    expect(Object.values(tf.resource?.aws_iam_policy ?? {}).map((p) => p.name).sort()).toEqual([
      ...DEPLOY_POLICIES.map((p) => `adp-deploy-${p}`),
      ...PLAN_POLICIES.map((p) => `adp-plan-${p}`),
      'adp-bootstrap-dev-boundary',
    ].sort());
  });

  describe('GitHub trust', () => {
    const trustOf = (tf: ReturnType<typeof build>['tf'], role: string) => documentStatements(tf, resource(tf, 'aws_iam_role', role).assume_role_policy);
    const condition = (...subs: string[]) => [
      { test: 'StringEquals', variable: 'token.actions.githubusercontent.com:aud', values: ['sts.amazonaws.com'] },
      { test: 'StringEquals', variable: 'token.actions.githubusercontent.com:sub', values: subs },
    ];

    test('lets the repository\'s jobs in the environment\'s GitHub environment deploy, and its pull requests and default-branch drift checks plan', () => {
      const { tf } = build();
      const provider = '${aws_iam_openid_connect_provider.bootstrap_github_oidc_provider.arn}';
      expect(trustOf(tf, 'bootstrap_deploy_role')).toEqual([{
        sid: 'GitHubActionsOidc', effect: 'Allow', principals: [{ type: 'Federated', identifiers: [provider] }],
        actions: ['sts:AssumeRoleWithWebIdentity'], condition: condition('repo:acme/data-platform:environment:dev'),
      }]);
      expect(trustOf(tf, 'bootstrap_plan_role')).toEqual([{
        sid: 'GitHubActionsOidc', effect: 'Allow', principals: [{ type: 'Federated', identifiers: [provider] }],
        actions: ['sts:AssumeRoleWithWebIdentity'], condition: condition('repo:acme/data-platform:pull_request', 'repo:acme/data-platform:ref:refs/heads/main'),
      }]);
    });

    test('uses the GitHub environment and existing provider the file names', () => {
      const { tf } = build({ ci: { repository: 'acme/data-platform', githubEnvironment: 'development', createOidcProvider: false } });
      expect(tf.resource?.aws_iam_openid_connect_provider).toBeUndefined();
      expect(tf.resource?.aws_iam_role?.bootstrap_plan_role).toBeUndefined();
      expect(trustOf(tf, 'bootstrap_deploy_role')[0]).toMatchObject({
        principals: [{ type: 'Federated', identifiers: ['arn:${data.aws_partition.partition.partition}:iam::111111111111:oidc-provider/token.actions.githubusercontent.com'] }],
        condition: condition('repo:acme/data-platform:environment:development'),
      });
    });
  });

  test('gives the roles the permissions of deployPermissions and planPermissions, for this environment\'s state and names', () => {
    const { tf } = build();
    const attached = (role: string) => Object.values(tf.resource?.aws_iam_role_policy_attachment ?? {})
      .filter((a) => a.role === `\${aws_iam_role.${role}.name}`).length;
    expect(attached('bootstrap_deploy_role')).toBe(DEPLOY_POLICIES.length);
    expect(attached('bootstrap_plan_role')).toBe(PLAN_POLICIES.length);
    const policy = (name: string) => documentStatements(tf, resource(tf, 'aws_iam_policy', name).policy);
    expect(policy('bootstrap_deploy_state_policy')[1]).toEqual({
      sid: 'StateObjects', effect: 'Allow', actions: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'], resources: ['${aws_s3_bucket.bootstrap_state_bucket.arn}/dev/*'],
    });
    expect(policy('bootstrap_plan_state_policy').map((s) => s.sid)).toEqual(['StateList', 'StateRead', 'StateKey', 'JobScripts']);
    expect(policy('bootstrap_deploy_identity_policy').map((s) => s.sid)).toEqual(deployPermissions(scopeLike()).identity.map((s) => s.sid));
    expect(policy('bootstrap_plan_read_data_policy').map((s) => s.sid)).toEqual(planPermissions(scopeLike())['read-data'].map((s) => s.sid));
  });

  test('lets the plan role read, and the deploy role write, the job scripts of the lake\'s artifacts bucket, as the lake names it', () => {
    const { tf } = build();
    const lake = synthesize(stackWithLake(devEnvironment()).stack).tf;
    const artifacts = resource(lake, 'aws_s3_bucket', 'lake_artifacts_bucket').bucket;
    expect(artifacts).toBe('adp-dev-lake-artifacts-111111111111');
    const statement = (policy: string, sid: string) => documentStatements(tf, resource(tf, 'aws_iam_policy', policy).policy).find((s) => s.sid === sid);
    const scripts = [`arn:\${data.aws_partition.partition.partition}:s3:::${artifacts}/${SCRIPTS_PREFIX}*`];
    expect(statement('bootstrap_plan_state_policy', 'JobScripts')?.resources).toEqual(scripts);
    expect(statement('bootstrap_deploy_data_policy', 'S3Objects')?.resources).toEqual(scripts);
  });

  describe('permissions boundary', () => {
    test('is a managed policy of bootstrap\'s own, outside the deploy role\'s names, denying IAM writes and the state', () => {
      const { tf, stack } = build();
      expect(resource(tf, 'aws_iam_policy', 'bootstrap_boundary_policy')).toMatchObject({
        name: 'adp-bootstrap-dev-boundary',
        path: '/',
        policy: '${data.aws_iam_policy_document.bootstrap_boundary_policy.json}',
      });
      expect(stack.boundary).toBeInstanceOf(PermissionsBoundary);
      const statements = documentStatements(tf, resource(tf, 'aws_iam_policy', 'bootstrap_boundary_policy').policy);
      expect(statements.map((s) => s.sid)).toEqual(boundaryPermissions(scopeLike().state).map((s) => s.sid));
      expect(statements.find((s) => s.sid === 'DenyStateKey')?.resources).toEqual([
        '${aws_kms_key.bootstrap_state_key.arn}', '${aws_kms_alias.bootstrap_state_key_alias.arn}',
      ]);
    });

    test('may be set on the platform\'s roles by the deploy role, never removed, and is not required to create one by default', () => {
      const { tf } = build();
      const identity = documentStatements(tf, resource(tf, 'aws_iam_policy', 'bootstrap_deploy_identity_policy').policy);
      const boundary = [{ test: 'StringEquals', variable: 'iam:PermissionsBoundary', values: ['${aws_iam_policy.bootstrap_boundary_policy.arn}'] }];
      expect(identity.find((s) => s.sid === 'IamRoleBoundary')?.condition).toEqual(boundary);
      expect(identity.find((s) => s.sid === 'DenyBoundaryRemoval')?.actions).toEqual(['iam:DeleteRolePermissionsBoundary']);
      expect(identity.find((s) => s.sid === 'IamRoles')?.actions).toContain('iam:CreateRole');
      expect(identity.map((s) => s.sid)).not.toContain('IamRolesWithinBoundary');
      const enforced = build({}, { enforcePermissionsBoundary: true }).tf;
      const enforcedIdentity = documentStatements(enforced, resource(enforced, 'aws_iam_policy', 'bootstrap_deploy_identity_policy').policy);
      expect(enforcedIdentity.find((s) => s.sid === 'IamRolesWithinBoundary')).toMatchObject({ actions: ['iam:CreateRole', 'iam:PutRolePolicy'], condition: boundary });
      expect((enforced.output?.permissions_boundary_arn as { description?: string }).description).toBe(
        'The permissions boundary every role the adp-dev platform creates is to carry (permissions_boundary); the deploy role requires it now',
      );
    });
  });

  test('outputs what the environment file takes, saying which field each fills', () => {
    expect(build().tf.output).toEqual({
      state_bucket: {
        value: '${aws_s3_bucket.bootstrap_state_bucket.bucket}',
        description: 'state.bucket of environments/dev.yaml: the bucket holding the environment\'s Terraform state',
      },
      state_key_alias_arn: {
        value: '${aws_kms_alias.bootstrap_state_key_alias.arn}',
        description: 'The state key\'s alias: kms_key_id of every S3 backend writing to adp-tfstate-111111111111 (the bucket refuses other keys)',
      },
      deploy_role_arn: {
        value: '${aws_iam_role.bootstrap_deploy_role.arn}',
        description: 'deployRole of environments/dev.yaml: the role deploy jobs of acme/data-platform in GitHub environment dev assume',
      },
      plan_role_arn: {
        value: '${aws_iam_role.bootstrap_plan_role.arn}',
        description: 'ci.planRole of environments/dev.yaml: the read-only role pull-request jobs of acme/data-platform assume',
      },
      permissions_boundary_arn: {
        value: '${aws_iam_policy.bootstrap_boundary_policy.arn}',
        description: 'The permissions boundary every role the adp-dev platform creates is to carry (permissions_boundary); the deploy role requires it once enforcePermissionsBoundary is on',
      },
      github_oidc_provider_arn: {
        value: '${aws_iam_openid_connect_provider.bootstrap_github_oidc_provider.arn}',
        description: 'The account\'s GitHub OIDC provider, trusted by the roles (created here)',
      },
    });
  });

  test('has no plan role output without ci.planRole', () => {
    expect(Object.keys(build({ ci: { repository: 'acme/data-platform' } }).tf.output ?? {}).sort()).toEqual([
      'deploy_role_arn', 'github_oidc_provider_arn', 'permissions_boundary_arn', 'state_bucket', 'state_key_alias_arn',
    ]);
  });

  test('passes the policy pack, with six suppressions, each with its reason', () => {
    const policy = new PolicyPack();
    const { stack } = build({}, { policy });
    const report = policy.reports.get('bootstrap-dev');
    expect(report?.counts).toMatchObject({ fail: 0, suppressed: 6 });
    expect(stack.node.findAll().flatMap((c) => suppressionsOf(c).map((s) => ({ at: c.node.path, ...s })))).toEqual([
      {
        at: 'bootstrap-dev/state/access-logs',
        ruleId: 's3-kms-encryption',
        reason: 'S3 server access logging delivers only to buckets encrypted with SSE-S3 (AES256), never SSE-KMS; this bucket holds the state bucket\'s access logs only, no state',
      },
      ...Object.entries(BOUNDARY_SUPPRESSIONS).map(([ruleId, reason]) => ({ at: 'bootstrap-dev/boundary/policy', ruleId, reason })),
      {
        at: 'bootstrap-dev/deploy/identity-policy',
        ruleId: 'iam-no-wildcard-resource-data',
        reason: 'The deploy role encrypts and decrypts with the platform\'s KMS keys, which it creates itself: their ARNs carry ids KMS generates, unknown at bootstrap, so the statement names key/* of this account and region and admits only keys tagged with the platform\'s project and environment',
      },
      {
        at: 'bootstrap-dev/plan/read-data-policy',
        ruleId: 'iam-no-wildcard-resource-data',
        reason: 'The plan role decrypts the Data Catalog, encrypted with the lake key, through Glue only (kms:ViaService): key ARNs carry ids KMS generates, unknown at bootstrap, so the statement names key/* of this account and region and admits only keys tagged with the platform\'s project and environment',
      },
    ]);
  });

  test('passes the policy pack in every variant: S3 backend, state region, existing provider, no plan role', () => {
    const policy = new PolicyPack();
    expect(() => build({ state: { bucket: 'adp-tfstate-111111111111', region: 'eu-central-1' }, ci: { repository: 'acme/data-platform', createOidcProvider: false } }, { backend: 's3', policy }))
      .not.toThrow();
    expect(policy.failing).toEqual([]);
  });

  test('its constructs pass the policy pack beside a data lake in one offline platform stack', () => {
    const env = testEnvironment({ name: 'local', offline: true, layout: 'single', account: '000000000000', ci: CI });
    const stack = new PlatformStack(testApp(), 'local', { env, aspects: [new PolicyPack()] });
    new DataLake(stack, 'lake', { config: env.lake });
    const state = new StateBucket(stack, 'state', {
      bucketName: 'adp-tfstate-000000000000',
      accessLogsBucketName: 'adp-bootstrap-local-state-logs-000000000000',
      keyAlias: 'alias/adp-bootstrap-local-state-key',
      account: env.account,
      accountRootArn: stack.accountRootArn,
      owner: 'adp-local',
    });
    const oidc = new GithubOidc(stack, 'github', { create: true, account: env.account, partition: stack.partition });
    const stateArns = { bucketArn: state.arn, keyArn: state.keyArn, keyAliasArn: state.aliasArn, accessLogsBucketArn: state.accessLogsArn, keyPrefix: 'local' };
    const boundary = new PermissionsBoundary(stack, 'boundary', { name: 'adp-bootstrap-local-boundary', description: 'b', statements: boundaryPermissions(stateArns), address: 'bootstrap_boundary' });
    const scope = { ...scopeLike(), partition: stack.partition, account: env.account, state: stateArns, boundary: { policyArn: boundary.arn, enforce: true } };
    const deploy = new GithubActionsRole(stack, 'deploy', { name: 'adp-deploy', description: 'd', oidc, subject: 'repo:acme/data-platform:environment:local', policies: deployPermissions(scope), address: 'bootstrap_deploy' });
    const plan = new GithubActionsRole(stack, 'plan', { name: 'adp-plan', description: 'p', oidc, subject: 'repo:acme/data-platform:pull_request', policies: planPermissions(scope), address: 'bootstrap_plan' });
    // The same suppressions as the bootstrap stack's, with the same reasons.
    suppressRule(deploy.policies.identity, 'iam-no-wildcard-resource-data', 'KMS key ARNs are generated; limited to this account\'s keys tagged with the platform\'s project and environment');
    suppressRule(plan.policies['read-data'], 'iam-no-wildcard-resource-data', 'KMS key ARNs are generated; decrypts through Glue only, with this account\'s keys tagged with the platform\'s project and environment');
    expect(() => synthesize(stack)).not.toThrow();
  });

  test('rejects an environment it cannot bootstrap before creating anything, naming the file', () => {
    const env = { ...devEnvironment(), ci: undefined } as EnvironmentConfig;
    const app = testApp();
    expect(problemsOf(() => new BootstrapStack(app, 'bootstrap-dev', { env, file: 'envs/dev.yaml' }))).toEqual([
      'envs/dev.yaml: ci is missing; add ci.repository ("owner/name" of the GitHub repository whose workflows deploy this environment) to bootstrap this account',
    ]);
    const created = app.node.findAll().filter((c) => c instanceof TerraformResource);
    expect(created).toEqual([]);
  });
});

/** A permission scope like the bootstrap stack's for the dev environment (for statement ids and shapes). */
function scopeLike() {
  return {
    partition: 'aws',
    region: 'eu-west-1',
    account: '111111111111',
    namePrefix: 'adp-dev',
    databasePrefix: 'adp_dev',
    resourceTags: { project: 'adp', environment: 'dev' },
    state: { bucketArn: 'b', keyArn: 'k', keyAliasArn: 'a', accessLogsBucketArn: 'l', keyPrefix: 'dev' },
    artifactsBucket: 'adp-dev-lake-artifacts-111111111111',
    scriptsPrefix: SCRIPTS_PREFIX,
    boundary: { policyArn: 'arn:aws:iam::111111111111:policy/adp-bootstrap-dev-boundary', enforce: false },
  };
}
