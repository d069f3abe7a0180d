import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { EnvironmentConfig, errorOf, loadEnvironments, problemsOf, synthesize, testApp, testEnvironment } from '@data-platform/core';
import { PolicyPack, REPORT_FILES } from '@data-platform/policy';
import { BACKEND_VARIABLE, ENVIRONMENTS_DIR, buildBootstrap, main, selection } from './app';
import { devEnvironment } from './test-support';

describe('selection', () => {
  test('defaults to every file in environments/ and the local backend', () => {
    expect(selection({})).toEqual({ dir: ENVIRONMENTS_DIR, names: undefined, backend: 'local' });
  });

  test('reads PLATFORM_ENVIRONMENTS, PLATFORM_ENV_DIR and BOOTSTRAP_BACKEND', () => {
    expect(selection({ PLATFORM_ENVIRONMENTS: ' dev, prod ,', PLATFORM_ENV_DIR: '/x', BOOTSTRAP_BACKEND: 's3' })).toEqual({ dir: '/x', names: ['dev', 'prod'], backend: 's3' });
    expect(BACKEND_VARIABLE).toBe('BOOTSTRAP_BACKEND');
  });

  test('rejects another backend', () => {
    expect(problemsOf(() => selection({ BOOTSTRAP_BACKEND: 'remote' }))).toEqual([
      'BOOTSTRAP_BACKEND: is "remote"; use "local" (the first apply) or "s3" (once the state bucket exists, then terraform init -migrate-state)',
    ]);
  });
});

describe('buildBootstrap', () => {
  test('builds bootstrap-<env> for every online environment file of the repository, each passing the policy pack', () => {
    const envs = loadEnvironments(ENVIRONMENTS_DIR);
    const policy = new PolicyPack();
    const stacks = buildBootstrap(testApp(), envs, { aspects: [policy] });
    expect(stacks.map((s) => s.node.id)).toEqual(envs.filter((e) => !e.offline).map((e) => `bootstrap-${e.name}`));
    expect(stacks.map((s) => s.node.id)).toEqual(['bootstrap-dev', 'bootstrap-prod', 'bootstrap-staging']);
    for (const stack of stacks) synthesize(stack);
    expect(policy.failing).toEqual([]);
  });

  test('skips offline environments: they have no account to bootstrap', () => {
    const local = testEnvironment({ name: 'local', offline: true, layout: 'single' });
    expect(buildBootstrap(testApp(), [local, devEnvironment()]).map((s) => s.node.id)).toEqual(['bootstrap-dev']);
  });

  test('reports the problems of every environment at once, each with its file', () => {
    const noCi = (name: string, account: string) => ({ ...testEnvironment({ name, account, deployRole: `arn:aws:iam::${account}:role/adp-deploy` }), ci: undefined }) as EnvironmentConfig;
    const error = errorOf(() => buildBootstrap(testApp(), [noCi('dev', '111111111111'), noCi('prod', '333333333333')], { fileOf: (e) => `envs/${e.name}.yaml` }));
    expect(error.message.split('\n')).toEqual([
      'envs/dev.yaml: ci is missing; add ci.repository ("owner/name" of the GitHub repository whose workflows deploy this environment) to bootstrap this account',
      'envs/prod.yaml: ci is missing; add ci.repository ("owner/name" of the GitHub repository whose workflows deploy this environment) to bootstrap this account',
    ]);
  });
});

describe('main', () => {
  const vars = ['CDKTF_OUTDIR', 'PLATFORM_ENVIRONMENTS', 'PLATFORM_ENV_DIR', 'BOOTSTRAP_BACKEND'] as const;
  const saved = Object.fromEntries(vars.map((v) => [v, process.env[v]]));
  afterEach(() => {
    for (const v of vars) {
      if (saved[v] === undefined) delete process.env[v];
      else process.env[v] = saved[v];
    }
  });

  test('synthesizes the selected environment\'s stack with its policy report, leaving the local state of a first apply alone', () => {
    const outdir = mkdtempSync(join(tmpdir(), 'bootstrap-main-'));
    const state = join(outdir, 'stacks', 'bootstrap-dev', 'terraform.tfstate');
    mkdirSync(dirname(state), { recursive: true });
    writeFileSync(state, '{"serial": 3}');
    Object.assign(process.env, { CDKTF_OUTDIR: outdir, PLATFORM_ENVIRONMENTS: 'dev', PLATFORM_ENV_DIR: ENVIRONMENTS_DIR });
    const write = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      main();
    } finally {
      write.mockRestore();
    }
    expect(readdirSync(join(outdir, 'stacks'))).toEqual(['bootstrap-dev']);
    for (const file of ['cdk.tf.json', REPORT_FILES.json, REPORT_FILES.text]) expect(existsSync(join(outdir, 'stacks', 'bootstrap-dev', file))).toBe(true);
    expect(readFileSync(state, 'utf8')).toBe('{"serial": 3}');
  });

  test('refuses a selection of offline environments only', () => {
    Object.assign(process.env, { CDKTF_OUTDIR: mkdtempSync(join(tmpdir(), 'bootstrap-main-')), PLATFORM_ENVIRONMENTS: 'local', PLATFORM_ENV_DIR: ENVIRONMENTS_DIR });
    expect(problemsOf(() => main())).toEqual([
      'PLATFORM_ENVIRONMENTS: names only offline environments (local), which have no account to bootstrap; name an online one',
    ]);
  });
});
