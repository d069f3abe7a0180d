import { testEnvironment } from '@data-platform/core';
import { GITHUB_MATRIX_LIMIT, environmentEntries, formatOutput, stackMatrix } from './github';

const role = (account: string, name: string) => `arn:aws:iam::${account}:role/${name}`;
const online = (name: string, account: string, planRole = true) =>
  testEnvironment({
    name,
    account,
    region: name === 'prod' ? 'eu-central-1' : 'eu-west-1',
    deployRole: role(account, 'adp-deploy'),
    state: { bucket: `adp-tfstate-${account}` },
    ...(planRole ? { ci: { repository: 'example/data-platform', planRole: role(account, 'adp-plan') } } : {}),
  });
const ENVS = [
  online('dev', '111111111111'),
  testEnvironment({ name: 'local', account: '000000000000', offline: true, layout: 'single', deployRole: undefined, state: undefined }),
  online('staging', '222222222222', false),
  online('prod', '333333333333'),
];
const STACKS = [
  { name: 'dev-lake', environment: 'dev' },
  { name: 'dev-ingestion', environment: 'dev' },
  { name: 'local', environment: 'local' },
  { name: 'staging-lake', environment: 'staging' },
  { name: 'prod-lake', environment: 'prod' },
];

describe('pull-request plan matrix', () => {
  test('GitHub allows 256 jobs per matrix', () => {
    expect(GITHUB_MATRIX_LIMIT).toBe(256);
  });

  test('one job per stack with the plan role and region of its environment', () => {
    const { entries } = stackMatrix(STACKS, ENVS);
    expect(entries).toEqual([
      { key: 'dev-lake', stack: 'dev-lake', environment: 'dev', region: 'eu-west-1', deployRole: role('111111111111', 'adp-deploy'), planRole: role('111111111111', 'adp-plan') },
      { key: 'dev-ingestion', stack: 'dev-ingestion', environment: 'dev', region: 'eu-west-1', deployRole: role('111111111111', 'adp-deploy'), planRole: role('111111111111', 'adp-plan') },
      { key: 'prod-lake', stack: 'prod-lake', environment: 'prod', region: 'eu-central-1', deployRole: role('333333333333', 'adp-deploy'), planRole: role('333333333333', 'adp-plan') },
    ]);
  });

  test('leaves out offline environments and those without ci.planRole, naming them', () => {
    expect(stackMatrix(STACKS, ENVS).skipped).toEqual(['local', 'staging-lake']);
  });

  test('an empty change is an empty matrix', () => {
    expect(stackMatrix([], ENVS)).toEqual({ entries: [], skipped: [] });
  });

  test('over the job limit, batches the stacks of each environment, never mixing environments', () => {
    const many = [
      ...Array.from({ length: 5 }, (_, i) => ({ name: `dev-s${i}`, environment: 'dev' })),
      ...Array.from({ length: 2 }, (_, i) => ({ name: `prod-s${i}`, environment: 'prod' })),
    ];
    const { entries } = stackMatrix(many, ENVS, 4);
    expect(entries.map((e) => [e.key, e.stack, e.environment])).toEqual([
      ['dev-batch-1', 'dev-s0 dev-s1', 'dev'],
      ['dev-batch-2', 'dev-s2 dev-s3', 'dev'],
      ['dev-batch-3', 'dev-s4', 'dev'],
      ['prod-batch-1', 'prod-s0 prod-s1', 'prod'],
    ]);
  });

  test('refuses when even one job per environment exceeds the limit', () => {
    expect(() => stackMatrix(STACKS, ENVS, 1)).toThrow(
      '2 environments are affected, more than the 1 jobs a GitHub matrix may have; plan some of them by hand (npm run plan -- <env>)',
    );
  });
});

describe('environment entries', () => {
  test('online environments with the plan role, the others named as skipped', () => {
    const { entries, skipped } = environmentEntries(ENVS, 'plan');
    expect(entries.map((e) => e.environment)).toEqual(['dev', 'prod']);
    expect(skipped).toEqual(['staging']);
    expect(entries[1]).toEqual({ environment: 'prod', region: 'eu-central-1', deployRole: role('333333333333', 'adp-deploy'), planRole: role('333333333333', 'adp-plan') });
  });

  test('with the deploy role every online environment, planRole absent where unset', () => {
    const { entries, skipped } = environmentEntries(ENVS, 'deploy', ['dev', 'staging', 'prod']);
    expect(entries.map((e) => e.environment)).toEqual(['dev', 'staging', 'prod']);
    expect(entries[1]).toEqual({ environment: 'staging', region: 'eu-west-1', deployRole: role('222222222222', 'adp-deploy') });
    expect(skipped).toEqual([]);
  });

  test('refuses named environments that are unknown, offline or without the role, all at once', () => {
    expect(() => environmentEntries(ENVS, 'plan', ['qa', 'local', 'staging'])).toThrow(
      [
        '"qa" is not an environment; choose from dev, local, staging, prod',
        'local is offline (mock credentials); CI cannot plan or deploy it',
        'staging has no ci.planRole; add it to environments/staging.yaml',
      ].join('\n'),
    );
  });
});

describe('step outputs', () => {
  test('a single-line value as name=value', () => {
    expect(formatOutput('matrix', '[{"stack":"dev-lake"}]')).toBe('matrix=[{"stack":"dev-lake"}]\n');
  });

  test('a multi-line value between a random delimiter', () => {
    const text = formatOutput('summary', 'a\nb');
    const m = /^summary<<(EOF_[0-9a-f]{16})\na\nb\n(EOF_[0-9a-f]{16})\n$/.exec(text);
    expect(m?.[1]).toBeDefined();
    expect(m?.[1]).toBe(m?.[2]);
  });

  test('rejects an output name Actions cannot read', () => {
    expect(() => formatOutput('bad name', 'x')).toThrow('"bad name" is not a valid step output name');
  });
});
