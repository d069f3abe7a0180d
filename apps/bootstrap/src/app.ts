/**
 * The bootstrap cdktf app (entry point: main.ts): one stack `bootstrap-<env>` for every online
 * environment file, checked by the policy pack.
 *
 * - `PLATFORM_ENVIRONMENTS=dev,prod` limits it to those environments (default: every file).
 * - `PLATFORM_ENV_DIR` reads environment files from another directory (default: environments/).
 * - `BOOTSTRAP_BACKEND=s3` keeps each stack's state in the state bucket it created (key
 *   `bootstrap/<env>.tfstate`); the default, `local`, keeps it in the stack's directory for the
 *   first apply. Moving from one to the other is `terraform init -migrate-state`.
 *
 * Bad input prints one line per problem (file, field, fix) and exits 1, without a stack trace.
 */
import { App, IAspect } from 'cdktf';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { EnvironmentConfig, PlatformError, isPlatformError, loadEnvironments } from '@data-platform/core';
import { PolicyPack, PolicyViolationError, formatSuppressions } from '@data-platform/policy';
import { BOOTSTRAP_BACKENDS, BOOTSTRAP_STACK_DEFAULTS, BootstrapBackend, BootstrapStack, bootstrapStackName } from './bootstrap-stack';

/** Default directory of the environment files. */
export const ENVIRONMENTS_DIR = join(__dirname, '..', '..', '..', 'environments');

/** Names the process variable that chooses the bootstrap stacks' backend. */
export const BACKEND_VARIABLE = 'BOOTSTRAP_BACKEND';

/** What the app builds, read from process variables. */
export interface BootstrapSelection {
  readonly dir: string;
  /** Only these environments. @default every file */
  readonly names?: string[];
  readonly backend: BootstrapBackend;
}

/**
 * Reads the selection from process variables.
 * @throws PlatformError when BOOTSTRAP_BACKEND is neither `local` nor `s3`
 */
export function selection(vars: NodeJS.ProcessEnv = process.env): BootstrapSelection {
  const names = vars.PLATFORM_ENVIRONMENTS?.split(',').map((s) => s.trim()).filter(Boolean);
  const backend = vars[BACKEND_VARIABLE] || BOOTSTRAP_STACK_DEFAULTS.backend;
  if (!(BOOTSTRAP_BACKENDS as readonly string[]).includes(backend)) {
    throw new PlatformError(BACKEND_VARIABLE, [{
      path: '',
      message: `is ${JSON.stringify(backend)}; use "local" (the first apply) or "s3" (once the state bucket exists, then terraform init -migrate-state)`,
    }]);
  }
  return { dir: vars.PLATFORM_ENV_DIR ?? ENVIRONMENTS_DIR, names: names && names.length > 0 ? names : undefined, backend: backend as BootstrapBackend };
}

/**
 * Builds one bootstrap stack per online environment of `envs` into `app` (offline environments
 * have no account to bootstrap), each with `aspects`.
 * @param fileOf the file each environment came from, for messages
 * @throws PlatformError listing the problems of every environment at once
 */
export function buildBootstrap(
  app: App,
  envs: readonly EnvironmentConfig[],
  options: { backend?: BootstrapBackend; aspects?: readonly IAspect[]; fileOf?: (env: EnvironmentConfig) => string | undefined } = {},
): BootstrapStack[] {
  const stacks: BootstrapStack[] = [];
  const problems: PlatformError[] = [];
  for (const env of envs.filter((e) => !e.offline)) {
    try {
      stacks.push(new BootstrapStack(app, bootstrapStackName(env), { env, file: options.fileOf?.(env), backend: options.backend, aspects: options.aspects }));
    } catch (e) {
      if (!isPlatformError(e)) throw e;
      problems.push(e);
    }
  }
  if (problems.length > 0) {
    throw new PlatformError('bootstrap', problems.flatMap((e) => e.problems.map((p) => ({ ...p, source: p.source ?? e.source }))));
  }
  return stacks;
}

/**
 * Builds and synthesizes the bootstrap stacks into `CDKTF_OUTDIR` (or cdktf.out). The policy
 * pack checks every stack; its reports are written beside each stack, and any unsuppressed
 * failure stops synthesis with one line per failure.
 */
export function main(): void {
  const { dir, names, backend } = selection();
  const app = new App();
  const policy = new PolicyPack();
  const selected = loadEnvironments(dir, names);
  const offline = selected.filter((e) => e.offline).map((e) => e.name);
  if (names && offline.length === selected.length) {
    throw new PlatformError('PLATFORM_ENVIRONMENTS', [{ path: '', message: `names only offline environments (${offline.join(', ')}), which have no account to bootstrap; name an online one` }]);
  }
  buildBootstrap(app, selected, { backend, aspects: [policy], fileOf: (env) => join(displayDir(dir), `${env.name}.yaml`) });
  try {
    app.synth();
  } catch (e) {
    if (policy.failing.length === 0) throw e;
    policy.writeReports(app.outdir);
    throw new PolicyViolationError(policy.failing);
  }
  policy.writeReports(app.outdir);
  process.stdout.write(formatSuppressions([...policy.reports.values()]));
}

/** The environments directory as the config loader shows it: relative to the working directory when inside it. */
function displayDir(dir: string): string {
  const rel = relative(process.cwd(), dir);
  if (rel === '') return '.';
  return rel.startsWith('..') || isAbsolute(rel) ? resolve(dir) : rel;
}

/** Runs {@link main}; bad input prints its problems and exits 1 (no stack trace). */
export function runMain(): void {
  try {
    main();
  } catch (e) {
    if (!isPlatformError(e)) throw e;
    process.stderr.write(`${e.message}\n`);
    process.exit(1);
  }
}
