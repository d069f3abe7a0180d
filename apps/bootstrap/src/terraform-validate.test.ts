/**
 * The bootstrap stack against the real AWS provider schema: `terraform validate` of each variant
 * (local and S3 backend, state bucket in another region, existing OIDC provider, no plan role),
 * run the way the scripts run terraform (scripts/lib/terraform.ts: the project's CLI config, the
 * provider mirror named by PLATFORM_TF_MIRROR, the shared plugin cache).
 */
import { App } from 'cdktf';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EnvironmentInput } from '@data-platform/core';
// scripts/ is no package with a name to import it by; its terraform runner is what this test must use.
// eslint-disable-next-line @nx/enforce-module-boundaries
import { checkTerraform, formatDiagnostics, init, terraformSetup, validate } from '../../../scripts/lib/terraform';
import { BootstrapBackend, BootstrapStack } from './bootstrap-stack';
import { devEnvironment } from './test-support';

jest.setTimeout(10 * 60 * 1000);

const VARIANTS: ReadonlyArray<{ name: string; backend: BootstrapBackend; env: Partial<EnvironmentInput> }> = [
  { name: 'bootstrap-dev', backend: 'local', env: {} },
  {
    name: 'bootstrap-prod',
    backend: 's3',
    env: {
      name: 'prod',
      account: '333333333333',
      deployRole: 'arn:aws:iam::333333333333:role/ci/adp-deploy',
      state: { bucket: 'adp-tfstate-333333333333', region: 'eu-central-1', keyPrefix: 'platform/prod' },
      ci: { repository: 'acme/data-platform', githubEnvironment: 'production', createOidcProvider: false },
    },
  },
];

test('every variant of the bootstrap stack passes terraform validate, without warnings', async () => {
  const outdir = mkdtempSync(join(tmpdir(), 'bootstrap-validate-'));
  // A plugin cache of its own: the ladder (scripts) runs terraform init at the same time, and
  // Terraform's plugin cache is not safe for concurrent installs into it.
  const shared = terraformSetup();
  const setup = { ...shared, env: { ...shared.env, TF_PLUGIN_CACHE_DIR: join(outdir, 'plugin-cache') } };
  mkdirSync(setup.env.TF_PLUGIN_CACHE_DIR, { recursive: true });
  await checkTerraform(setup.env);
  const app = new App({ outdir });
  for (const v of VARIANTS) new BootstrapStack(app, v.name, { env: devEnvironment(v.env), backend: v.backend });
  app.synth();
  const results = [];
  for (const v of VARIANTS) {
    const dir = join(outdir, 'stacks', v.name);
    await init(setup, dir, false);
    const result = await validate(setup, dir);
    results.push({ stack: v.name, valid: result.valid, diagnostics: formatDiagnostics(result) });
  }
  rmSync(outdir, { recursive: true, force: true });
  expect(results).toEqual(VARIANTS.map((v) => ({ stack: v.name, valid: true, diagnostics: '' })));
});
