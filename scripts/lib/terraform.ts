/**
 * The boundary between this repository and Terraform: every terraform command the scripts and
 * the test ladder run goes through here. cdktf (archived upstream at 0.21) only synthesizes;
 * init / validate / plan / show / apply are ours, so nothing depends on cdktf's deploy engine.
 */
import { execFile, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

/** Names the provider filesystem mirror (air-gapped machines, CI without the registry). */
export const MIRROR_VARIABLE = 'PLATFORM_TF_MIRROR';
/** Oldest Terraform that supports everything we synthesize (S3 native locking: `use_lockfile`). */
export const MIN_TERRAFORM_VERSION = '1.10.0';
/** Where the scripts keep their own files (CLI config, plugin cache); ignored by git. */
export const WORK_DIR = resolve(__dirname, '..', '..', '.work');

/** A failed terraform command, with what it printed. */
export class TerraformError extends Error {
  constructor(
    readonly command: string,
    readonly cwd: string,
    readonly output: string,
  ) {
    super(`terraform ${command} failed in ${cwd}:\n${output.trim()}`);
    this.name = 'TerraformError';
  }
}

/** A user-facing problem with the toolchain (missing or old terraform, bad mirror path). */
export class ToolchainError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ToolchainError';
  }
}

export interface TerraformSetup {
  /** Environment for every terraform process. */
  readonly env: NodeJS.ProcessEnv;
  /** Extra `terraform init` arguments (`-plugin-dir` when the user's own CLI config is kept). */
  readonly initArgs: readonly string[];
  /** The CLI config in force and whose it is. */
  readonly cliConfig: { readonly path?: string; readonly owner: 'user' | 'project' };
  readonly mirror?: string;
}

/**
 * Works out how to run terraform here, without touching the user's home:
 * - a user's own CLI config (TF_CLI_CONFIG_FILE pointing at a file that exists) is respected;
 *   a mirror named by PLATFORM_TF_MIRROR is then passed to init as `-plugin-dir`;
 * - otherwise the project writes its own CLI config under `.work/`: a filesystem mirror when
 *   PLATFORM_TF_MIRROR names one (installs never reach the registry), and a plugin cache
 *   shared by every stack, so each provider is unpacked once per machine.
 */
export function terraformSetup(base: NodeJS.ProcessEnv = process.env): TerraformSetup {
  const mirror = base[MIRROR_VARIABLE] ? resolve(base[MIRROR_VARIABLE] as string) : undefined;
  if (mirror && !existsSync(mirror)) {
    throw new ToolchainError(
      `${MIRROR_VARIABLE} is "${mirror}", which does not exist; point it at a Terraform provider mirror ` +
        `(a directory holding registry.terraform.io/hashicorp/aws/<version>/<os_arch>/), or unset it to install from the registry`,
    );
  }
  const env: NodeJS.ProcessEnv = {
    ...base,
    CHECKPOINT_DISABLE: '1',
    TF_IN_AUTOMATION: '1',
    TF_INPUT: '0',
  };
  const userConfig = base.TF_CLI_CONFIG_FILE;
  if (userConfig && existsSync(userConfig)) {
    env.TF_PLUGIN_CACHE_DIR ??= pluginCacheDir();
    return { env, initArgs: mirror ? [`-plugin-dir=${mirror}`] : [], cliConfig: { path: userConfig, owner: 'user' }, mirror };
  }
  const path = writeProjectCliConfig(mirror);
  env.TF_CLI_CONFIG_FILE = path;
  return { env, initArgs: [], cliConfig: { path, owner: 'project' }, mirror };
}

function pluginCacheDir(): string {
  const dir = join(WORK_DIR, 'plugin-cache');
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** Writes the project's CLI config under `.work/` and returns its path (see README for cdktf commands). */
export function writeProjectCliConfig(mirror?: string): string {
  const lines = [
    '# Written by scripts/lib/terraform.ts; regenerated on every run.',
    `plugin_cache_dir = ${JSON.stringify(pluginCacheDir())}`,
  ];
  if (mirror) {
    lines.push(
      'provider_installation {',
      '  filesystem_mirror {',
      `    path    = ${JSON.stringify(mirror)}`,
      '    include = ["registry.terraform.io/*/*"]',
      '  }',
      '  direct {',
      '    exclude = ["registry.terraform.io/*/*"]',
      '  }',
      '}',
    );
  }
  const text = `${lines.join('\n')}\n`;
  // Named by content: runs with different settings (tests, a mirror or not) never share a file.
  const path = join(WORK_DIR, `terraformrc-${createHash('sha256').update(text).digest('hex').slice(0, 8)}`);
  writeFileSync(path, text);
  return path;
}

/** Compares dotted versions: negative when a < b. */
export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/**
 * Checks that terraform is on the PATH and new enough.
 * @returns the version
 * @throws ToolchainError saying what to install
 */
export async function checkTerraform(env: NodeJS.ProcessEnv = process.env): Promise<string> {
  let stdout: string;
  try {
    ({ stdout } = await execFileAsync('terraform', ['version', '-json'], { env: { ...env, CHECKPOINT_DISABLE: '1' } }));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new ToolchainError(`terraform is not on the PATH; install Terraform ${MIN_TERRAFORM_VERSION} or newer (https://developer.hashicorp.com/terraform/install)`);
    }
    throw e;
  }
  const version = (JSON.parse(stdout) as { terraform_version: string }).terraform_version;
  if (compareVersions(version, MIN_TERRAFORM_VERSION) < 0) {
    throw new ToolchainError(
      `terraform ${version} is too old; install ${MIN_TERRAFORM_VERSION} or newer (the S3 backend's use_lockfile needs it)`,
    );
  }
  return version;
}

/** Runs `terraform <args>` in `cwd`, collecting its output; rejects with TerraformError on failure. */
export function terraform(setup: TerraformSetup, cwd: string, args: readonly string[]): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn('terraform', [...args], { cwd, env: setup.env, stdio: ['ignore', 'pipe', 'pipe'] });
    const chunks: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => chunks.push(c));
    child.stderr.on('data', (c: Buffer) => chunks.push(c));
    child.on('error', reject);
    child.on('close', (code) => {
      const output = Buffer.concat(chunks).toString('utf8');
      if (code === 0) resolvePromise(output);
      else reject(new TerraformError(args.join(' '), cwd, stripAnsi(output)));
    });
  });
}

/** `terraform init`: the real backend when `backend` is true, else `-backend=false` (validate). */
export async function init(setup: TerraformSetup, cwd: string, backend: boolean): Promise<string> {
  try {
    return await terraform(setup, cwd, ['init', '-input=false', '-no-color', ...(backend ? [] : ['-backend=false']), ...setup.initArgs]);
  } catch (e) {
    if (e instanceof TerraformError && !setup.mirror && /registry\.terraform\.io/.test(e.output)) {
      throw new TerraformError(
        e.command,
        e.cwd,
        `${e.output}\nThe provider registry could not be reached. On a machine without it, set ${MIRROR_VARIABLE} to a provider filesystem mirror (e.g. ${MIRROR_VARIABLE}=/opt/tf-plugins).`,
      );
    }
    throw e;
  }
}

/** `terraform validate -json`; resolves to the diagnostics, rejects when the configuration is invalid. */
export async function validate(setup: TerraformSetup, cwd: string): Promise<ValidateResult> {
  let out: string;
  try {
    out = await terraform(setup, cwd, ['validate', '-json', '-no-color']);
  } catch (e) {
    if (e instanceof TerraformError && e.output.trim().startsWith('{')) {
      const result = JSON.parse(e.output) as ValidateResult;
      throw new TerraformError('validate', cwd, formatDiagnostics(result));
    }
    throw e;
  }
  return JSON.parse(out) as ValidateResult;
}

export interface Diagnostic {
  readonly severity: 'error' | 'warning';
  readonly summary: string;
  readonly detail?: string;
  readonly address?: string;
  readonly range?: { filename: string; start: { line: number } };
}

export interface ValidateResult {
  readonly valid: boolean;
  readonly error_count: number;
  readonly warning_count: number;
  readonly diagnostics: readonly Diagnostic[];
}

/** One line per diagnostic: `error: <summary> (<address>): <detail>`. */
export function formatDiagnostics(result: ValidateResult): string {
  return result.diagnostics
    .map((d) => `${d.severity}: ${d.summary}${d.address ? ` (${d.address})` : ''}${d.detail ? `: ${d.detail.split('\n')[0]}` : ''}`)
    .join('\n');
}

/**
 * How long a command waits for the state lock another run holds: a plan briefly (another job may
 * be applying; its plan would be stale anyway), an apply long enough for a plan or an apply of the
 * same stack to finish.
 */
export const LOCK_TIMEOUTS = { plan: '60s', apply: '10m' } as const;

/** Options of {@link planToJson}. */
export interface PlanToJsonOptions {
  /**
   * Take the state lock while planning. With S3 native locking that writes `<state key>.tflock`
   * beside the state, which a read-only role may not: pull-request and drift plans pass `false`
   * (`-lock=false`). A plan made without the lock is a preview, never applied.
   * @default true
   */
  readonly lock?: boolean;
}

/** `terraform plan -out=<planFile>` then `terraform show -json <planFile>`; resolves to the plan JSON. */
export async function planToJson(setup: TerraformSetup, cwd: string, planFile = 'plan.tfplan', options: PlanToJsonOptions = {}): Promise<unknown> {
  const lock = options.lock === false ? ['-lock=false'] : [`-lock-timeout=${LOCK_TIMEOUTS.plan}`];
  await terraform(setup, cwd, ['plan', '-input=false', '-no-color', ...lock, `-out=${planFile}`]);
  const json = await terraform(setup, cwd, ['show', '-json', '-no-color', planFile]);
  return JSON.parse(json);
}

/**
 * `terraform apply <planFile>`: applies exactly the plan that was reviewed, waiting up to
 * {@link LOCK_TIMEOUTS}.apply for the state lock (a drift or deploy plan of the stack may hold it).
 */
export function applyPlan(setup: TerraformSetup, cwd: string, planFile = 'plan.tfplan'): Promise<string> {
  return terraform(setup, cwd, ['apply', '-input=false', '-no-color', `-lock-timeout=${LOCK_TIMEOUTS.apply}`, planFile]);
}

/** Remote state a plan read that does not exist yet, or lacks an output the configuration reads. */
export interface MissingRemoteState {
  /** Name of the `terraform_remote_state` data source. */
  readonly dataSource: string;
  /** The output the configuration reads and the state lacks; unset when there is no state at all. */
  readonly output?: string;
}

/**
 * What a failed plan found missing in the remote state it reads, when that is all that failed:
 * `Unable to find remote state` (the upstream stack was never applied) and `Unsupported attribute`
 * on `data.terraform_remote_state.<name>.outputs` (its state lacks an output this configuration
 * reads: the upstream's new output is not applied yet). Undefined when any other error is among
 * them (or none is recognized): the output is then the whole story.
 * @param output what `terraform plan -no-color` printed
 */
export function missingRemoteState(output: string): MissingRemoteState[] | undefined {
  const errors = output.split(/^(?=Error: |Warning: )/m).filter((chunk) => chunk.startsWith('Error: '));
  if (errors.length === 0) return undefined;
  const found = new Map<string, MissingRemoteState>();
  for (const error of errors) {
    const noState = /^Error: Unable to find remote state\b[\s\S]*?\bwith data\.terraform_remote_state\.([\w-]+)/.exec(error);
    const noOutput = /^Error: Unsupported attribute\b[\s\S]*?\bdata\.terraform_remote_state\.([\w-]+)\.outputs is object\b[\s\S]*?This object does not have an attribute named\s+"([^"]+)"/.exec(error);
    const missing: MissingRemoteState | undefined = noState ? { dataSource: noState[1] } : noOutput ? { dataSource: noOutput[1], output: noOutput[2] } : undefined;
    if (!missing) return undefined;
    found.set(`${missing.dataSource}\u0000${missing.output ?? ''}`, missing);
  }
  return [...found.values()];
}

/** `terraform test` in `cwd` (files under `tests/`). */
export function test(setup: TerraformSetup, cwd: string): Promise<string> {
  return terraform(setup, cwd, ['test', '-no-color']);
}

function stripAnsi(s: string): string {
  return s.replace(/\u001b\[[0-9;]*m/g, '');
}

/** Runs `fn` over `items` with at most `limit` at once, keeping input order in the results. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]);
    }
  });
  await Promise.all(workers);
  return results;
}
