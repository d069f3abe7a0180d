/**
 * The cdktf app (entry point: main.ts): loads the environment files and builds every environment's stacks.
 *
 * - `PLATFORM_ENVIRONMENTS=local,dev` limits it to those environments (default: every file).
 * - `PLATFORM_ENV_DIR` reads environment files from another directory (default: environments/).
 * - `PLATFORM_CREDENTIALS=ambient` makes online stacks use the credentials Terraform runs with
 *   instead of assuming the deploy role (CI jobs that hold their role through OIDC).
 *
 * Bad input prints one line per problem (file, field, fix) and exits 1, without a stack trace.
 */
import { App } from 'cdktf';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  CREDENTIALS_VARIABLE,
  CREDENTIAL_MODES,
  CredentialMode,
  PLATFORM_MANIFEST,
  PLATFORM_STACK_DEFAULTS,
  PlatformError,
  isPlatformError,
  loadEnvironments,
  platformManifest,
} from '@data-platform/core';
import { PolicyPack, PolicyViolationError, formatSuppressions } from '@data-platform/policy';
import { buildEnvironment } from './environment';

/** Default directory of the environment files. */
export const ENVIRONMENTS_DIR = join(__dirname, '..', '..', '..', 'environments');

/** Reads the environment selection from process variables. */
export function selection(vars: NodeJS.ProcessEnv = process.env): { dir: string; names?: string[]; credentials: CredentialMode } {
  const names = vars.PLATFORM_ENVIRONMENTS?.split(',').map((s) => s.trim()).filter(Boolean);
  const credentials = vars[CREDENTIALS_VARIABLE] ?? PLATFORM_STACK_DEFAULTS.credentials;
  if (!(CREDENTIAL_MODES as readonly string[]).includes(credentials)) {
    throw new PlatformError('environment variable', [{ path: CREDENTIALS_VARIABLE, message: `is ${JSON.stringify(credentials)}; use ${CREDENTIAL_MODES.join(' or ')}, or leave it unset` }]);
  }
  return { dir: vars.PLATFORM_ENV_DIR ?? ENVIRONMENTS_DIR, names: names && names.length > 0 ? names : undefined, credentials: credentials as CredentialMode };
}

/**
 * Builds and synthesizes the app into `CDKTF_OUTDIR` (or cdktf.out). The policy pack checks
 * every stack during synthesis; its reports are written beside each stack, and any unsuppressed
 * failure stops synthesis with one line per failure.
 */
export function main(): void {
  const { dir, names, credentials } = selection();
  const app = new App();
  const policy = new PolicyPack();
  const built = loadEnvironments(dir, names).map((env) => buildEnvironment(app, env, { aspects: [policy], credentials }));
  try {
    app.synth();
  } catch (e) {
    if (policy.failing.length === 0) throw e;
    policy.writeReports(app.outdir);
    throw new PolicyViolationError(policy.failing);
  }
  policy.writeReports(app.outdir);
  writeFileSync(join(app.outdir, PLATFORM_MANIFEST), `${JSON.stringify(platformManifest(built), null, 2)}\n`);
  process.stdout.write(formatSuppressions([...policy.reports.values()]));
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
