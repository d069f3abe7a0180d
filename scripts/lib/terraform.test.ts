import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  LOCK_TIMEOUTS,
  MIN_TERRAFORM_VERSION,
  MIRROR_VARIABLE,
  TerraformError,
  ToolchainError,
  applyPlan,
  checkTerraform,
  compareVersions,
  init,
  mapLimit,
  missingRemoteState,
  planToJson,
  terraform,
  terraformSetup,
} from './terraform';

jest.setTimeout(60_000);

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

describe('plans and applies', () => {
  /** A terraform that logs its arguments and answers `show -json` with an empty plan. */
  function recordingTerraform(): { env: NodeJS.ProcessEnv; calls: () => string[] } {
    const dir = mkdtempSync(join(tmpdir(), 'fake-tf-'));
    const log = join(dir, 'calls.log');
    writeFileSync(join(dir, 'terraform'), `#!/bin/sh\necho "$*" >> "${log}"\ncase "$1" in show) echo '{"resource_changes":[]}';; esac\n`);
    chmodSync(join(dir, 'terraform'), 0o755);
    return { env: { PATH: `${dir}:${process.env.PATH}` }, calls: () => readFileSync(log, 'utf8').trim().split('\n') };
  }

  test('plan with the state lock, waiting a minute for it, unless told not to lock (read-only roles)', async () => {
    const tf = recordingTerraform();
    const setup = terraformSetup(tf.env);
    const cwd = mkdtempSync(join(tmpdir(), 'stack-'));
    await expect(planToJson(setup, cwd)).resolves.toEqual({ resource_changes: [] });
    await planToJson(setup, cwd, 'plan.tfplan', { lock: false });
    expect(tf.calls()).toEqual([
      'plan -input=false -no-color -lock-timeout=60s -out=plan.tfplan',
      'show -json -no-color plan.tfplan',
      'plan -input=false -no-color -lock=false -out=plan.tfplan',
      'show -json -no-color plan.tfplan',
    ]);
  });

  test('apply the saved plan, waiting up to ten minutes for the state lock', async () => {
    const tf = recordingTerraform();
    await applyPlan(terraformSetup(tf.env), mkdtempSync(join(tmpdir(), 'stack-')), 'p.tfplan');
    expect(tf.calls()).toEqual(['apply -input=false -no-color -lock-timeout=10m p.tfplan']);
    expect(LOCK_TIMEOUTS).toEqual({ plan: '60s', apply: '10m' });
  });
});

describe('missing remote state', () => {
  const REMOTE = 'cross-stack-reference-input-dev-lake';
  /**
   * Two stacks as cdktf writes them, with local backends: `dev-lake` outputs `outputs`, and
   * `dev-ingestion` reads `reads` of them through remote state. Planned by the real terraform
   * (no provider needed), as a first deploy or a new output would be.
   */
  async function planDownstream(options: { upstreamApplied: boolean; outputs: string[]; reads: string[]; broken?: boolean }): Promise<string> {
    const root = mkdtempSync(join(tmpdir(), 'remote-state-'));
    const setup = terraformSetup({ PATH: process.env.PATH });
    const stack = (name: string, config: object) => {
      const dir = join(root, name);
      mkdirSync(dir);
      writeFileSync(join(dir, 'cdk.tf.json'), JSON.stringify({ terraform: { backend: { local: { path: 'terraform.tfstate' } } }, ...config }));
      return dir;
    };
    const lake = stack('dev-lake', { output: Object.fromEntries(options.outputs.map((o) => [o, { value: `value of ${o}` }])) });
    const ingestion = stack('dev-ingestion', {
      data: { terraform_remote_state: { [REMOTE]: { backend: 'local', config: { path: '../dev-lake/terraform.tfstate' }, workspace: '${terraform.workspace}' } } },
      resource: {
        terraform_data: {
          ...Object.fromEntries(options.reads.map((o, i) => [`r${i}`, { input: `\${data.terraform_remote_state.${REMOTE}.outputs.${o}}` }])),
        },
      },
      // An error of another kind in the same plan: a failed precondition.
      ...(options.broken ? { output: { o: { value: 'x', precondition: [{ condition: `\${data.terraform_remote_state.${REMOTE}.outputs.${options.outputs[0]} == "y"}`, error_message: 'Refused.' }] } } } : {}),
    });
    if (options.upstreamApplied) {
      await init(setup, lake, true);
      await terraform(setup, lake, ['apply', '-auto-approve', '-input=false', '-no-color']);
    }
    await init(setup, ingestion, true);
    try {
      await planToJson(setup, ingestion, 'plan.tfplan', { lock: false });
    } catch (e) {
      if (e instanceof TerraformError) return e.output;
      throw e;
    }
    throw new Error('the plan did not fail');
  }

  test('finds an upstream stack without state (a first deploy), from terraform\'s own error', async () => {
    const output = await planDownstream({ upstreamApplied: false, outputs: [], reads: ['cross-stack-output-key'] });
    expect(missingRemoteState(output)).toEqual([{ dataSource: REMOTE }]);
  });

  test('finds each output the upstream state lacks (applied before it had them)', async () => {
    const output = await planDownstream({ upstreamApplied: true, outputs: ['cross-stack-output-key'], reads: ['cross-stack-output-key', 'cross-stack-output-aws_s3_bucketlake_raw_bucketarn'] });
    expect(missingRemoteState(output)).toEqual([{ dataSource: REMOTE, output: 'cross-stack-output-aws_s3_bucketlake_raw_bucketarn' }]);
  });

  test('gives no answer when any other error is among them: the output is the whole story', async () => {
    const output = await planDownstream({ upstreamApplied: true, outputs: ['cross-stack-output-other'], reads: ['cross-stack-output-key'], broken: true });
    expect(output).toContain('Error: Unsupported attribute');
    expect(output).toContain('Error: Module output value precondition failed');
    expect(missingRemoteState(output)).toBeUndefined();
    expect(missingRemoteState('')).toBeUndefined();
  });
});
