/**
 * Keeps the lint constraints honest: fixtures that break the dependency order of
 * ARCHITECTURE.md (or import the provider's root index) must fail lint.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT } from './lib/synth';

// The ESLint CLI, as the lint target runs it (its config loads through dynamic import, which
// jest's module sandbox does not allow in-process).
async function ruleIds(file: string, code: string): Promise<string[]> {
  const run = spawnSync(
    process.execPath,
    [join(REPO_ROOT, 'node_modules', 'eslint', 'bin', 'eslint.js'), '--stdin', '--stdin-filename', join(REPO_ROOT, file), '--format', 'json'],
    { cwd: REPO_ROOT, input: code, encoding: 'utf8' },
  );
  if (!run.stdout.startsWith('[')) throw new Error(`eslint failed: ${run.stderr}`);
  const [result] = JSON.parse(run.stdout) as Array<{ messages: Array<{ ruleId: string | null; message: string }> }>;
  return result.messages.map((m) => m.ruleId ?? m.message);
}

jest.setTimeout(60_000);

test('core may not import the lake (dependencies point one way)', async () => {
  expect(await ruleIds('packages/core/src/fixture.ts', "import { DataLake } from '@data-platform/lake';\nexport const x = DataLake;\n")).toContain(
    '@nx/enforce-module-boundaries',
  );
});

test('a package may not import an app', async () => {
  expect(await ruleIds('packages/lake/src/fixture.ts', "import { main } from '../../../apps/data-platform/src/app';\nexport const x = main;\n")).toContain(
    '@nx/enforce-module-boundaries',
  );
});

test('the lake may import core', async () => {
  expect(await ruleIds('packages/lake/src/fixture.ts', "import { LAYERS } from '@data-platform/core';\nexport const x = LAYERS;\n")).toEqual([]);
});

test("the provider's root index may not be imported", async () => {
  const root = ['@cdktf', 'provider-aws'].join('/');
  expect(await ruleIds('packages/lake/src/fixture.ts', `import { s3Bucket } from '${root}';\nexport const x = s3Bucket;\n`)).toContain(
    'no-restricted-imports',
  );
});
