/**
 * `node scripts/run.js scripts/ci-matrix.ts --base=<sha> --head=<sha> [--all] [--github-output]`:
 * the pull-request plan matrix, as JSON on stdout: `[{ key, stack, environment, planRole,
 * deployRole, region }]`, one entry per stack the change affects (lib/affected.ts), from the
 * synthesis in cdktf.out (run `npm run synth` first). `--all` takes every stack. Stacks of offline
 * environments and of environments without `ci.planRole` are left out.
 *
 * `--environments[=<env>,...] [--role=plan|deploy]` prints the online environments instead,
 * `[{ environment, region, deployRole, planRole }]`, for the deploy and drift workflows; named
 * environments must exist, be online and have the role (default: plan).
 *
 * Why each stack is in the matrix goes to stderr. `--github-output` also appends the step
 * outputs `matrix` (the JSON), `count` and `environments` (entries keyed by environment) to
 * the file named by $GITHUB_OUTPUT.
 */
import { execFile } from 'node:child_process';
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { loadEnvironments } from '@data-platform/core';
import { affectedStacks } from './lib/affected';
import { cli, parseArgs } from './lib/cli';
import { CiRole, EnvironmentEntry, environmentEntries, formatOutput, stackMatrix } from './lib/github';
import { SelectionError } from './lib/stacks';
import { DEFAULT_OUTDIR, REPO_ROOT, readStacks } from './lib/synth';

const execFileAsync = promisify(execFile);
const ENV_DIR = join(REPO_ROOT, 'environments');
const NX = join(REPO_ROOT, 'node_modules', '.bin', 'nx');

cli(async () => {
  const { positional, flags } = parseArgs(process.argv.slice(2));
  if (positional.length > 0) throw new SelectionError(`unexpected argument "${positional[0]}"; use --base=<sha> --head=<sha>, --all or --environments`);
  const envs = loadEnvironments(ENV_DIR);
  const entries: EnvironmentEntry[] = flags.has('environments') ? environmentsMatrix(envs, flags) : await stacksMatrix(envs, flags);

  const json = JSON.stringify(entries);
  process.stdout.write(`${json}\n`);
  if (flags.has('github-output')) {
    const file = process.env.GITHUB_OUTPUT;
    if (!file) throw new SelectionError('--github-output needs $GITHUB_OUTPUT (set by GitHub Actions in every step)');
    const keyed = Object.fromEntries(entries.map((e) => [e.environment, e]));
    appendFileSync(file, formatOutput('matrix', json) + formatOutput('count', String(entries.length)) + formatOutput('environments', JSON.stringify(keyed)));
  }
});

function environmentsMatrix(envs: Parameters<typeof environmentEntries>[0], flags: Map<string, string>): EnvironmentEntry[] {
  const role = flags.get('role') ?? 'plan';
  if (role !== 'plan' && role !== 'deploy') throw new SelectionError(`--role is "${role}"; use --role=plan or --role=deploy`);
  const names = flags.get('environments') ? (flags.get('environments') as string).split(',').map((s) => s.trim()).filter(Boolean) : undefined;
  const { entries, skipped } = environmentEntries(envs, role as CiRole, names);
  for (const e of entries) process.stderr.write(`${e.environment}: ${e.region}, ${role} role ${role === 'plan' ? e.planRole : e.deployRole}\n`);
  if (skipped.length > 0) process.stderr.write(`without a ${role} role, left out: ${skipped.join(', ')}\n`);
  return entries;
}

async function stacksMatrix(envs: Parameters<typeof stackMatrix>[1], flags: Map<string, string>): Promise<EnvironmentEntry[]> {
  const stacks = readStacks(DEFAULT_OUTDIR).filter((s) => !s.offline);
  let affected: Array<{ name: string; environment: string }>;
  if (flags.has('all')) {
    affected = stacks;
    process.stderr.write(`--all: every stack of the online environments (${stacks.length})\n`);
  } else {
    const base = flags.get('base');
    const head = flags.get('head');
    if (!base || !head) throw new SelectionError('name the commits to compare: --base=<sha> --head=<sha> (or --all)');
    const [projects, files] = await Promise.all([nxAffected(base, head), changedFiles(base, head)]);
    process.stderr.write(`Nx affected projects: ${projects.join(', ') || 'none'}; ${files.length} files changed\n`);
    const found = affectedStacks({ projects, files }, stacks);
    for (const { stack, reasons } of found) process.stderr.write(`${stack.name}: ${reasons.join('; ')}\n`);
    if (found.length === 0) process.stderr.write('No stack is affected.\n');
    affected = found.map((f) => f.stack);
  }
  const { entries, skipped } = stackMatrix(affected, envs);
  if (skipped.length > 0) process.stderr.write(`not planned (the environment has no ci.planRole): ${skipped.join(', ')}\n`);
  return entries;
}

/** `nx show projects --affected`: the projects Nx considers changed between the commits. */
async function nxAffected(base: string, head: string): Promise<string[]> {
  const { stdout } = await execFileAsync(NX, ['show', 'projects', '--affected', `--base=${base}`, `--head=${head}`, '--json'], {
    cwd: REPO_ROOT,
    env: { ...process.env, NX_DAEMON: 'false' },
    maxBuffer: 16 * 2 ** 20,
  });
  const line = stdout.split('\n').find((l) => l.trim().startsWith('['));
  if (!line) throw new SelectionError(`nx show projects printed no project list:\n${stdout}`);
  return JSON.parse(line) as string[];
}

/**
 * Files changed between the merge base of the commits and `head`, old and new paths of moves
 * both listed (a file moved between packages affects both).
 */
async function changedFiles(base: string, head: string): Promise<string[]> {
  const { stdout } = await execFileAsync('git', ['diff', '--name-only', '-z', '--no-renames', `${base}...${head}`], { cwd: REPO_ROOT, maxBuffer: 64 * 2 ** 20 });
  return stdout.split('\0').filter(Boolean);
}
