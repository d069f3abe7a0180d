/**
 * What the GitHub workflows read from the repository: job matrices built from the synthesized
 * stacks and the environment files (account roles and regions come from `environments/*.yaml`,
 * never from workflow settings), and step outputs in the format Actions expects.
 */
import { randomBytes } from 'node:crypto';
import { EnvironmentConfig } from '@data-platform/core';
import { SelectionError } from './stacks';

/**
 * Jobs one matrix may expand to; GitHub refuses a larger matrix.
 * @see https://docs.github.com/en/actions/writing-workflows/choosing-what-your-workflow-does/running-variations-of-jobs-in-a-workflow
 */
export const GITHUB_MATRIX_LIMIT = 256;

/** Which role a workflow assumes in an environment's account through GitHub OIDC. */
export type CiRole = 'plan' | 'deploy';

/** One environment as a workflow needs it. */
export interface EnvironmentEntry {
  readonly environment: string;
  readonly region: string;
  /** The environment's `deployRole`; deploy jobs (GitHub environment `<environment>`) assume it. */
  readonly deployRole: string;
  /** The environment's `ci.planRole`; pull-request and drift plans assume it. Absent when unset. */
  readonly planRole?: string;
}

/**
 * One plan job of the pull-request matrix.
 *
 * `stack` is one stack name, or several separated by spaces when the change affects more stacks
 * than {@link GITHUB_MATRIX_LIMIT} (stacks of one environment are then planned together);
 * `key` is a file-name-safe id of the job (the stack name when it plans one stack).
 */
export interface StackEntry extends EnvironmentEntry {
  readonly key: string;
  readonly stack: string;
  readonly planRole: string;
}

/**
 * The online environments a workflow can act in with `role`, in `envs` order. Offline
 * environments (mock credentials) are never included; environments without the role are
 * skipped and named in `skipped`, unless `names` asks for them, which is an error.
 * @throws SelectionError for a named environment that is unknown, offline or lacks the role
 */
export function environmentEntries(
  envs: readonly EnvironmentConfig[],
  role: CiRole,
  names?: readonly string[],
): { entries: EnvironmentEntry[]; skipped: string[] } {
  const problems: string[] = [];
  for (const name of names ?? []) {
    const env = envs.find((e) => e.name === name);
    if (!env) problems.push(`"${name}" is not an environment; choose from ${envs.map((e) => e.name).join(', ')}`);
    else if (env.offline) problems.push(`${name} is offline (mock credentials); CI cannot plan or deploy it`);
    else if (!roleOf(env, role)) problems.push(`${name} has no ${role === 'plan' ? 'ci.planRole' : 'deployRole'}; add it to environments/${name}.yaml`);
  }
  if (problems.length > 0) throw new SelectionError(problems.join('\n'));
  const wanted = envs.filter((e) => !e.offline && (!names || names.includes(e.name)));
  return {
    entries: wanted.filter((e) => roleOf(e, role)).map(toEntry),
    skipped: wanted.filter((e) => !roleOf(e, role)).map((e) => e.name),
  };
}

function roleOf(env: EnvironmentConfig, role: CiRole): string | undefined {
  return role === 'plan' ? env.ci?.planRole : env.deployRole;
}

function toEntry(env: EnvironmentConfig): EnvironmentEntry {
  return {
    environment: env.name,
    region: env.region,
    deployRole: env.deployRole as string,
    ...(env.ci?.planRole ? { planRole: env.ci.planRole } : {}),
  };
}

/**
 * The pull-request plan matrix: one job per stack, each with the plan role and region of its
 * environment. Stacks of offline environments and of environments without `ci.planRole` are
 * left out (named in `skipped`). Over `maxJobs` stacks, each environment's stacks are split into
 * as few equal batches as keep the matrix within the limit.
 * @throws SelectionError when even one job per environment exceeds `maxJobs`
 */
export function stackMatrix(
  stacks: ReadonlyArray<{ readonly name: string; readonly environment: string }>,
  envs: readonly EnvironmentConfig[],
  maxJobs: number = GITHUB_MATRIX_LIMIT,
): { entries: StackEntry[]; skipped: string[] } {
  const { entries: plannable } = environmentEntries(envs, 'plan');
  const byEnv = new Map(plannable.map((e) => [e.environment, { env: e, stacks: [] as string[] }]));
  const skipped: string[] = [];
  for (const s of stacks) {
    const group = byEnv.get(s.environment);
    if (group) group.stacks.push(s.name);
    else skipped.push(s.name);
  }
  const groups = [...byEnv.values()].filter((g) => g.stacks.length > 0);
  if (groups.length > maxJobs) {
    throw new SelectionError(
      `${groups.length} environments are affected, more than the ${maxJobs} jobs a GitHub matrix may have; plan some of them by hand (npm run plan -- <env>)`,
    );
  }
  const total = groups.reduce((n, g) => n + g.stacks.length, 0);
  let size = 1;
  while (groups.reduce((n, g) => n + Math.ceil(g.stacks.length / size), 0) > maxJobs) size++;
  const entries = groups.flatMap(({ env, stacks: names }) => {
    const batches = chunk(names, size);
    return batches.map((batch, i) => ({
      key: total <= maxJobs ? batch[0] : `${env.environment}-batch-${i + 1}`,
      stack: batch.join(' '),
      ...env,
      planRole: env.planRole as string,
    }));
  });
  return { entries, skipped };
}

function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * One step output in the `$GITHUB_OUTPUT` file format; multi-line values use a random
 * delimiter, so a value cannot end the block early.
 * @see https://docs.github.com/en/actions/writing-workflows/choosing-what-your-workflow-does/workflow-commands-for-github-actions#multiline-strings
 */
export function formatOutput(name: string, value: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_-]*$/.test(name)) throw new Error(`"${name}" is not a valid step output name`);
  if (!value.includes('\n')) return `${name}=${value}\n`;
  const delimiter = `EOF_${randomBytes(8).toString('hex')}`;
  return `${name}<<${delimiter}\n${value}\n${delimiter}\n`;
}
