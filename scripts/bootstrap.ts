/**
 * `npm run bootstrap -- <env> [--apply] [--yes] [--migrate-state] [--outdir=<dir>]`: bootstraps one
 * environment's account (apps/bootstrap): synthesizes its stack `bootstrap-<env>` into
 * cdktf.out/bootstrap, runs terraform init and plan, prints the plan summary and, with --apply,
 * applies exactly that plan file after confirmation (`--yes` skips it), then prints the values
 * the environment file needs.
 *
 * Run it as an administrator of the environment's account, with your own credentials: the
 * deploy role does not exist before it. The first apply keeps the stack's state in its
 * directory (`terraform.tfstate`); then move it into the bucket it created:
 *   BOOTSTRAP_BACKEND=s3 npm run bootstrap -- <env> --migrate-state
 * (what `terraform init -migrate-state` does by hand), after which every run uses the bucket.
 *
 * Synthesis never deletes anything in the output folder: before migration, it holds the state.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, renameSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { createInterface } from 'node:readline/promises';
import { cli, parseArgs } from './lib/cli';
import { formatSummaries, summarizePlan, PlanJson } from './lib/plan-summary';
import { SelectionError } from './lib/stacks';
import { REPO_ROOT, SynthError } from './lib/synth';
import { MIRROR_VARIABLE, applyPlan, checkTerraform, init, planToJson, terraform, terraformSetup } from './lib/terraform';

/** Where the bootstrap stacks are synthesized (beside the platform's `cdktf.out/stacks`). */
const BOOTSTRAP_OUTDIR = join(REPO_ROOT, 'cdktf.out', 'bootstrap');
const BOOTSTRAP_ENTRY = join(REPO_ROOT, 'apps', 'bootstrap', 'src', 'main.ts');
/** The stack's local state file (BOOTSTRAP_BACKEND=local, the default). */
const LOCAL_STATE = 'terraform.tfstate';
/** Which environment-file field each output fills. */
const FIELDS: Readonly<Record<string, string>> = {
  state_bucket: 'state.bucket',
  deploy_role_arn: 'deployRole',
  plan_role_arn: 'ci.planRole',
};

cli(async () => {
  const { positional, flags } = parseArgs(process.argv.slice(2));
  if (positional.length !== 1) {
    throw new SelectionError('name exactly one environment to bootstrap, e.g. `npm run bootstrap -- dev` (add --apply to apply the plan)');
  }
  const [environment] = positional;
  const backend = process.env.BOOTSTRAP_BACKEND || 'local';
  const outdir = resolve(flags.get('outdir') || BOOTSTRAP_OUTDIR);
  const migrate = flags.has('migrate-state');
  if (migrate && backend !== 's3') {
    throw new SelectionError(`--migrate-state moves the state into the state bucket; run it as BOOTSTRAP_BACKEND=s3 npm run bootstrap -- ${environment} --migrate-state`);
  }
  const setup = terraformSetup();
  const version = await checkTerraform(setup.env);

  await synthesize(environment, outdir);
  const dir = join(outdir, 'stacks', `bootstrap-${environment}`);
  const shown = relative(process.cwd(), dir) || '.';
  process.stdout.write(
    `Synthesized bootstrap-${environment} into ${shown} (state: ${backend === 's3' ? 'the state bucket' : `${LOCAL_STATE} there`}). ` +
      `Planning with terraform ${version}${setup.mirror ? ` (providers from ${setup.mirror})` : ` (providers from the registry; set ${MIRROR_VARIABLE} to use a mirror)`}.\n`,
  );

  const localState = join(dir, LOCAL_STATE);
  if (backend === 's3' && existsSync(localState) && !migrate) {
    throw new SelectionError(
      `${relative(process.cwd(), localState)} holds the state of the first apply; move it into the state bucket first: BOOTSTRAP_BACKEND=s3 npm run bootstrap -- ${environment} --migrate-state`,
    );
  }
  if (migrate) {
    process.stdout.write(await terraform(setup, dir, ['init', '-input=false', '-no-color', '-migrate-state', '-force-copy', ...setup.initArgs]));
    if (existsSync(localState)) {
      // Kept, not deleted: the copy in the bucket is now the state, this file a backup.
      const backup = `${localState}.migrated-${new Date().toISOString().replace(/[:.]/g, '-')}`;
      renameSync(localState, backup);
      process.stdout.write(`State moved into the state bucket; the local file is kept as ${relative(process.cwd(), backup)}.\n`);
    }
  } else {
    await init(setup, dir, true);
  }

  const plan = (await planToJson(setup, dir)) as PlanJson;
  const summary = summarizePlan(`bootstrap-${environment}`, plan, protectedAddresses(dir));
  process.stdout.write(`${formatSummaries([summary])}\n`);
  if (!flags.has('apply')) {
    process.stdout.write(`Plan saved as ${shown}/plan.tfplan; run again with --apply to apply it.\n`);
    return;
  }
  const total = Object.values(summary.counts).reduce((a, b) => a + b, 0);
  if (total > 0) {
    if (!flags.has('yes')) {
      if (!process.stdin.isTTY) throw new SelectionError('no terminal to confirm on; review the plan and pass --yes to apply it');
      const rl = createInterface({ input: process.stdin, output: process.stdout });
      const answer = await rl.question(`Type the environment name (${environment}) to apply this plan: `);
      rl.close();
      if (answer.trim() !== environment) {
        process.stdout.write('Not applied.\n');
        return;
      }
    }
    process.stdout.write(await applyPlan(setup, dir));
  } else {
    process.stdout.write(`bootstrap-${environment}: no changes.\n`);
  }

  const outputs = JSON.parse(await terraform(setup, dir, ['output', '-json', '-no-color'])) as Record<string, { value: string; description?: string }>;
  process.stdout.write(`\nenvironments/${environment}.yaml takes these values:\n`);
  for (const [name, { value, description }] of Object.entries(outputs)) {
    process.stdout.write(`  ${(FIELDS[name] ?? name).padEnd(22)} ${value}${FIELDS[name] ? '' : `  (${description ?? 'output'})`}\n`);
  }
  if (backend !== 's3') {
    process.stdout.write(`\nNext: move this stack's state into the state bucket: BOOTSTRAP_BACKEND=s3 npm run bootstrap -- ${environment} --migrate-state\n`);
  }
});

/** Runs the bootstrap app for `environment` into `outdir` (leaving every other file there alone). */
function synthesize(environment: string, outdir: string): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [join(REPO_ROOT, 'scripts', 'run.js'), BOOTSTRAP_ENTRY], {
      cwd: REPO_ROOT,
      env: { ...process.env, CDKTF_OUTDIR: outdir, CHECKPOINT_DISABLE: '1', PLATFORM_ENVIRONMENTS: environment },
      stdio: ['ignore', 'inherit', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolvePromise() : reject(new SynthError(stderr.trim() || `bootstrap synthesis exited with code ${code}`))));
  });
}

/** Addresses of the synthesized stack's resources protected from destroy (its stateful ones). */
function protectedAddresses(dir: string): string[] {
  const tf = JSON.parse(readFileSync(join(dir, 'cdk.tf.json'), 'utf8')) as { resource?: Record<string, Record<string, { lifecycle?: { prevent_destroy?: boolean } }>> };
  return Object.entries(tf.resource ?? {}).flatMap(([type, byName]) =>
    Object.entries(byName).filter(([, r]) => r.lifecycle?.prevent_destroy === true).map(([name]) => `${type}.${name}`),
  );
}
