import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MIN_TERRAFORM_VERSION, MIRROR_VARIABLE, ToolchainError, checkTerraform, compareVersions, mapLimit, terraformSetup } from './terraform';

function fakeTerraform(version: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'fake-tf-'));
  const bin = join(dir, 'terraform');
  writeFileSync(bin, `#!/bin/sh\necho '{"terraform_version":"${version}"}'\n`);
  chmodSync(bin, 0o755);
  return dir;
}

describe('terraform setup', () => {
  test('writes the project CLI config with the filesystem mirror when the variable names one and no user config exists', () => {
    const mirror = mkdtempSync(join(tmpdir(), 'mirror-'));
    const setup = terraformSetup({ [MIRROR_VARIABLE]: mirror, TF_CLI_CONFIG_FILE: '/nonexistent/terraformrc' });
    expect(setup.cliConfig.owner).toBe('project');
    expect(setup.env.TF_CLI_CONFIG_FILE).toBe(setup.cliConfig.path);
    const text = readFileSync(setup.cliConfig.path as string, 'utf8');
    expect(text).toContain(`path    = ${JSON.stringify(mirror)}`);
    expect(text).toContain('exclude = ["registry.terraform.io/*/*"]');
    expect(text).toMatch(/plugin_cache_dir = ".*plugin-cache"/);
    expect(setup.initArgs).toEqual([]);
    expect(setup.env.CHECKPOINT_DISABLE).toBe('1');
  });

  test('installs from the registry, with the shared plugin cache, when no mirror is named', () => {
    const setup = terraformSetup({});
    const text = readFileSync(setup.cliConfig.path as string, 'utf8');
    expect(text).not.toContain('provider_installation');
    expect(text).toContain('plugin_cache_dir');
  });

  test("keeps a user's own CLI config and passes the mirror to init as -plugin-dir", () => {
    const dir = mkdtempSync(join(tmpdir(), 'user-'));
    const rc = join(dir, 'terraformrc');
    writeFileSync(rc, '# mine\n');
    const mirror = mkdtempSync(join(tmpdir(), 'mirror-'));
    const setup = terraformSetup({ TF_CLI_CONFIG_FILE: rc, [MIRROR_VARIABLE]: mirror });
    expect(setup.cliConfig).toEqual({ path: rc, owner: 'user' });
    expect(setup.env.TF_CLI_CONFIG_FILE).toBe(rc);
    expect(setup.initArgs).toEqual([`-plugin-dir=${mirror}`]);
    expect(readFileSync(rc, 'utf8')).toBe('# mine\n');
  });

  test('rejects a mirror path that does not exist, naming the variable', () => {
    expect(() => terraformSetup({ [MIRROR_VARIABLE]: '/no/such/mirror' })).toThrow(
      `${MIRROR_VARIABLE} is "/no/such/mirror", which does not exist; point it at a Terraform provider mirror`,
    );
  });
});

describe('terraform version check', () => {
  test('compares versions numerically', () => {
    expect(compareVersions('1.9.8', '1.10.0')).toBeLessThan(0);
    expect(compareVersions('1.11.4', '1.10.0')).toBeGreaterThan(0);
    expect(compareVersions('1.10', '1.10.0')).toBe(0);
  });

  test('says what to install when terraform is not on the PATH', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'empty-'));
    await expect(checkTerraform({ PATH: empty })).rejects.toThrow(
      new ToolchainError(`terraform is not on the PATH; install Terraform ${MIN_TERRAFORM_VERSION} or newer (https://developer.hashicorp.com/terraform/install)`),
    );
  });

  test('rejects a terraform older than 1.10 (S3 native locking)', async () => {
    await expect(checkTerraform({ PATH: fakeTerraform('1.9.8') })).rejects.toThrow(
      'terraform 1.9.8 is too old; install 1.10.0 or newer (the S3 backend\'s use_lockfile needs it)',
    );
  });

  test('accepts a recent terraform and returns its version', async () => {
    await expect(checkTerraform({ PATH: fakeTerraform('1.11.4') })).resolves.toBe('1.11.4');
  });
});

describe('mapLimit', () => {
  test('keeps input order and never runs more than the limit at once', async () => {
    let running = 0;
    let peak = 0;
    const out = await mapLimit([5, 1, 3, 2, 4], 2, async (n) => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((r) => setTimeout(r, n * 5));
      running--;
      return n * 10;
    });
    expect(out).toEqual([50, 10, 30, 20, 40]);
    expect(peak).toBe(2);
  });
});
