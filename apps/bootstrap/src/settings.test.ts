import { EnvironmentConfig, problemsOf, testEnvironment } from '@data-platform/core';
import {
  BOOTSTRAP_DEFAULTS,
  bootstrapName,
  bootstrapSettings,
  bootstrapStateKey,
  environmentFile,
  stateKeyAliasArn,
  stateKeyAliasName,
} from './settings';
import { CI, devEnvironment as dev } from './test-support';


describe('bootstrap settings', () => {
  test('documents the defaults as functions of the environment', () => {
    const env = dev();
    expect(BOOTSTRAP_DEFAULTS.githubEnvironment(env)).toBe('dev');
    expect(BOOTSTRAP_DEFAULTS.stateKeyPrefix(env)).toBe('dev');
  });

  test('takes the state bucket, roles and repository from the file, with defaults applied', () => {
    expect(bootstrapSettings(dev())).toEqual({
      env: dev(),
      file: 'environments/dev.yaml',
      partition: 'aws',
      namePrefix: 'adp-dev',
      databasePrefix: 'adp_dev',
      state: {
        bucket: 'adp-tfstate-111111111111',
        region: 'eu-west-1',
        keyPrefix: 'dev',
        accessLogsBucket: 'adp-bootstrap-dev-state-logs-111111111111',
        keyAlias: 'alias/adp-bootstrap-dev-state-key',
      },
      deployRole: { arn: 'arn:aws:iam::111111111111:role/adp-deploy', name: 'adp-deploy', path: '/' },
      planRole: { arn: 'arn:aws:iam::111111111111:role/adp-plan', name: 'adp-plan', path: '/' },
      ci: { repository: 'acme/data-platform', githubEnvironment: 'dev', createOidcProvider: true, defaultBranch: 'main' },
    });
  });

  test('keeps the state region, key prefix, role paths and GitHub environment the file sets', () => {
    const settings = bootstrapSettings(dev({
      deployRole: 'arn:aws-us-gov:iam::111111111111:role/ci/deploy/adp-deploy',
      state: { bucket: 'adp-tfstate-111111111111', region: 'eu-central-1', keyPrefix: 'platform/dev' },
      ci: { repository: 'acme/data-platform', githubEnvironment: 'development', createOidcProvider: false },
    }));
    expect(settings).toMatchObject({
      partition: 'aws-us-gov',
      state: { region: 'eu-central-1', keyPrefix: 'platform/dev' },
      deployRole: { name: 'adp-deploy', path: '/ci/deploy/' },
      ci: { githubEnvironment: 'development', createOidcProvider: false },
    });
    expect(settings.planRole).toBeUndefined();
  });

  test('names bootstrap\'s own resources <project>-bootstrap-<env>-..., outside the platform\'s <project>-<env>-*', () => {
    const env = dev();
    expect(bootstrapName(env, 'state-logs', { suffix: env.account })).toBe('adp-bootstrap-dev-state-logs-111111111111');
    expect(stateKeyAliasName(env)).toBe('alias/adp-bootstrap-dev-state-key');
    expect(bootstrapStateKey(env)).toBe('bootstrap/dev.tfstate');
    expect(environmentFile(env)).toBe('environments/dev.yaml');
  });

  test('gives the state key\'s alias ARN in the state bucket\'s region and the roles\' partition', () => {
    expect(stateKeyAliasArn(dev())).toBe('arn:aws:kms:eu-west-1:111111111111:alias/adp-bootstrap-dev-state-key');
    expect(stateKeyAliasArn(dev({
      region: 'us-gov-west-1',
      deployRole: 'arn:aws-us-gov:iam::111111111111:role/adp-deploy',
      state: { bucket: 'adp-tfstate-111111111111', region: 'us-gov-east-1' },
    }))).toBe('arn:aws-us-gov:kms:us-gov-east-1:111111111111:alias/adp-bootstrap-dev-state-key');
  });

  describe('rejects environments it cannot bootstrap, naming the file and the field', () => {
    test('an environment without state, deployRole and ci: every missing field at once', () => {
      const env = { ...dev(), state: undefined, deployRole: undefined, ci: undefined } as EnvironmentConfig;
      expect(problemsOf(() => bootstrapSettings(env))).toEqual([
        'environments/dev.yaml: deployRole is missing; add the ARN of the deploy role bootstrap creates, e.g. "arn:aws:iam::111111111111:role/adp-deploy"',
        'environments/dev.yaml: state is missing; add state.bucket (the S3 bucket bootstrap creates for Terraform state, e.g. "adp-tfstate-111111111111") to bootstrap this account',
        'environments/dev.yaml: ci is missing; add ci.repository ("owner/name" of the GitHub repository whose workflows deploy this environment) to bootstrap this account',
      ]);
    });

    test('an offline environment, under the file name given', () => {
      const env = testEnvironment({ name: 'local', offline: true, layout: 'single', ci: CI });
      expect(problemsOf(() => bootstrapSettings(env, 'envs/local.yaml'))).toEqual([
        'envs/local.yaml: offline is true: an offline environment has no AWS account to bootstrap; bootstrap the online environments only',
      ]);
    });

    test('roles of another account, or not role ARNs', () => {
      const env = { ...dev(), deployRole: 'arn:aws:iam::222222222222:role/adp-deploy', ci: { ...dev().ci!, planRole: 'arn:aws:iam::111111111111:user/adp-plan' } } as EnvironmentConfig;
      expect(problemsOf(() => bootstrapSettings(env))).toEqual([
        'environments/dev.yaml: deployRole is in account 222222222222, not this environment\'s account 111111111111; use a role of account 111111111111',
        'environments/dev.yaml: ci.planRole is "arn:aws:iam::111111111111:user/adp-plan", not an IAM role ARN; use e.g. "arn:aws:iam::111111111111:role/adp-plan"',
      ]);
    });

    test('roles named like the roles the deploy role manages, so it could change its own permissions', () => {
      const env = dev({ deployRole: 'arn:aws:iam::111111111111:role/adp-dev-deploy', ci: { repository: 'acme/data-platform', planRole: 'arn:aws:iam::111111111111:role/ADP-DEV' } });
      expect(problemsOf(() => bootstrapSettings(env))).toEqual([
        'environments/dev.yaml: deployRole is named "adp-dev-deploy", like the roles the deploy role manages (adp-dev-*), so it could change its own permissions; choose a name outside adp-dev-*, e.g. "adp-deploy"',
        'environments/dev.yaml: ci.planRole is named "ADP-DEV", like the roles the deploy role manages (adp-dev-*), so it could change its own permissions; choose a name outside adp-dev-*, e.g. "adp-plan"',
      ]);
    });

    test('a plan role that is the deploy role', () => {
      const env = dev({ ci: { repository: 'acme/data-platform', planRole: 'arn:aws:iam::111111111111:role/ADP-deploy' } });
      expect(problemsOf(() => bootstrapSettings(env))).toEqual([
        'environments/dev.yaml: ci.planRole is the deploy role "adp-deploy"; give the read-only plan role a name of its own, e.g. "adp-plan"',
      ]);
    });

    test('a state role other than the deploy role, and a key prefix where bootstrap keeps its own state', () => {
      const env = dev({ state: { bucket: 'adp-tfstate-111111111111', role: 'arn:aws:iam::111111111111:role/adp-state', keyPrefix: 'bootstrap/dev' } });
      expect(problemsOf(() => bootstrapSettings(env))).toEqual([
        'environments/dev.yaml: state.keyPrefix is "bootstrap/dev", where bootstrap keeps its own state (bootstrap/<env>.tfstate), out of the deploy role\'s reach; use another prefix, e.g. "dev"',
        'environments/dev.yaml: state.role is "arn:aws:iam::111111111111:role/adp-state", a role bootstrap does not create or grant state access to; remove it (the deploy role reads and writes state)',
      ]);
    });

    test('accepts a state role that is the deploy role', () => {
      const env = dev({ state: { bucket: 'adp-tfstate-111111111111', role: 'arn:aws:iam::111111111111:role/adp-deploy' } });
      expect(bootstrapSettings(env).deployRole.name).toBe('adp-deploy');
    });
  });
});
