/**
 * `npm run plan [-- <stack|env>...] [--out=<dir>] [--markdown=<file>] [--detailed-exitcode]`:
 * synthesizes every environment once, then for each selected stack (default: the offline ones)
 * runs terraform init, plan -out, show -json, and prints a summary: counts per action, and every
 * replaced or destroyed address.
 *
 * - `--out=<dir>` keeps each stack's plan for a later apply, as `<dir>/<stack>/plan.tfplan` (the
 *   binary plan), `<dir>/<stack>/plan.json` (`terraform show -json`) and
 *   `<dir>/<stack>/cdk.tf.json.sha256` (sha256 hex of the stack's cdk.tf.json at plan time, so an
 *   apply can refuse a plan whose configuration changed since).
 * - `--markdown=<file>` writes the pull-request comment: changed resources per environment and
 *   stack, a caution block for stateful replacements, each stack's policy report and each
 *   environment's diagram with the changed resources highlighted.
 * - `--detailed-exitcode` exits 2 when any stack would change (drift detection), after writing
 *   everything; 0 when nothing would change.
 * - In a protected environment a plan that replaces or destroys a stateful resource fails (exit 1),
 *   unless PLATFORM_ALLOW_DESTROY lists its address.
 *
 * Online stacks need credentials that can assume the environment's deploy role.
 */
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { cli, parseArgs } from './lib/cli';
import { environmentDiagram, readEnvironmentStacks } from './lib/diagram';
import {
  PLAN_FILES,
  PlanJson,
  PlanSummary,
  allowedDestroys,
  blockedDestroys,
  formatSummaries,
  guardMessage,
  hasChanges,
  markdownReport,
  readPolicyReport,
} from './lib/plan-summary';
import { SelectionError, forEachStack, planStack, selectStacks } from './lib/stacks';
import { SynthOptions, SynthesizedStackInfo, synth } from './lib/synth';
import { MIRROR_VARIABLE, TerraformSetup, checkTerraform, terraformSetup } from './lib/terraform';

/** Exit code of `--detailed-exitcode` when something would change (as `terraform plan -detailed-exitcode`). */
export const CHANGES_EXIT_CODE = 2;

/** What {@link runPlans} plans, and how. */
export interface PlanOptions {
  /** Stack or environment names; none: the stacks of offline environments. */
  readonly selectors: readonly string[];
  /** Keep each stack's plan files under `<out>/<stack>/` ({@link PLAN_FILES}). */
  readonly out?: string;
  /** Progress lines. @default written to stdout */
  readonly log?: (text: string) => void;
  /** How to synthesize. @default every environment into cdktf.out */
  readonly synth?: SynthOptions;
  /**
   * Plans one stack: leaves `plan.tfplan` in the stack's directory and resolves to its JSON and summary.
   * @default planStack (terraform init, plan -out, show -json)
   */
  readonly planner?: (setup: TerraformSetup, stack: SynthesizedStackInfo) => Promise<{ readonly summary: PlanSummary; readonly plan: PlanJson }>;
}

/** What one run planned. */
export interface PlanRun {
  /** Where synthesis wrote the stacks (cdktf.out). */
  readonly outdir: string;
  readonly stacks: readonly SynthesizedStackInfo[];
  /** One per stack, in the order of {@link PlanRun.stacks}. */
  readonly summaries: readonly PlanSummary[];
}

/** sha256 hex of a file's bytes. */
export function sha256File(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

/**
 * Synthesizes every environment, then plans the selected stacks (one terraform per core at once),
 * keeping the plan files under `options.out` when given.
 */
export async function runPlans(options: PlanOptions): Promise<PlanRun> {
  const log = options.log ?? ((text: string) => process.stdout.write(text));
  const setup = terraformSetup();
  const version = await checkTerraform(setup.env);
  const result = await synth(options.synth);
  const stacks = selectStacks(result.stacks, options.selectors);
  const planner = options.planner ?? planStack;
  log(
    `Synthesized ${result.stacks.length} stacks in ${(result.wallMs / 1000).toFixed(1)} s. ` +
      `Planning ${stacks.map((s) => s.name).join(', ')} with terraform ${version}` +
      `${setup.mirror ? ` (providers from ${setup.mirror})` : ` (providers from the registry; set ${MIRROR_VARIABLE} to use a mirror)`}.\n`,
  );
  const out = options.out ? resolve(options.out) : undefined;
  const summaries = await forEachStack(stacks, async (stack) => {
    const started = Date.now();
    // Hashed before planning: the plan is of exactly these bytes.
    const hash = sha256File(join(stack.dir, 'cdk.tf.json'));
    const { summary, plan } = await planner(setup, stack);
    let kept = `${relative(process.cwd(), stack.dir)}/${PLAN_FILES.plan}`;
    if (out) {
      const dir = join(out, stack.name);
      mkdirSync(dir, { recursive: true });
      copyFileSync(join(stack.dir, PLAN_FILES.plan), join(dir, PLAN_FILES.plan));
      writeFileSync(join(dir, PLAN_FILES.json), JSON.stringify(plan));
      writeFileSync(join(dir, PLAN_FILES.hash), hash);
      kept = relative(process.cwd(), dir) || dir;
    }
    log(`planned ${stack.name} in ${((Date.now() - started) / 1000).toFixed(1)} s: ${kept}\n`);
    return summary;
  });
  return { outdir: result.outdir, stacks, summaries };
}

/**
 * The pull-request comment of a run: per environment its diagram (changed resources highlighted),
 * per stack its changes and policy report.
 */
export function planMarkdown(run: PlanRun, title = `Plan: ${run.stacks.map((s) => s.name).join(', ')}`): string {
  const environments = [...new Set(run.stacks.map((s) => s.environment))];
  return markdownReport(
    title,
    environments.map((environment) => {
      const planned = run.stacks.map((stack, i) => ({ stack, summary: run.summaries[i] })).filter((p) => p.stack.environment === environment);
      return {
        environment,
        protect: planned[0].stack.protect,
        stacks: planned.map((p) => ({ summary: p.summary, policy: readPolicyReport(p.stack.dir) })),
        diagram: environmentDiagram(environment, readEnvironmentStacks(run.outdir, environment), { changes: planned.map((p) => p.summary) }),
      };
    }),
  );
}

/** The guard's message for every protected stack whose plan replaces or destroys a stateful resource nobody allowed. */
export function guardFailures(run: PlanRun, allowed: readonly string[] = allowedDestroys()): string[] {
  return run.stacks.flatMap((s, i) => {
    const addresses = blockedDestroys(run.summaries[i], s.protect, allowed);
    return addresses.length > 0 ? [guardMessage(s.name, addresses)] : [];
  });
}

/** The exit code of a run that passed the guard: {@link CHANGES_EXIT_CODE} when asked to report changes and any stack changes. */
export function planExitCode(run: PlanRun, detailed: boolean): number {
  return detailed && run.summaries.some(hasChanges) ? CHANGES_EXIT_CODE : 0;
}

/**
 * Runs the command line; resolves to the exit code (0, or {@link CHANGES_EXIT_CODE} with
 * `--detailed-exitcode`), after writing every output.
 * @throws SelectionError with the guard's message when a protected stack's plan replaces or destroys a stateful resource
 */
export async function planCommand(argv: readonly string[], options: Omit<PlanOptions, 'selectors' | 'out'> = {}): Promise<number> {
  const { positional, flags } = parseArgs(argv);
  const log = options.log ?? ((text: string) => process.stdout.write(text));
  const run = await runPlans({ ...options, log, selectors: positional, out: flags.get('out') || undefined });
  log(`\n${formatSummaries(run.summaries)}\n`);
  const markdown = flags.get('markdown');
  if (markdown) {
    writeFileSync(markdown, planMarkdown(run));
    log(`wrote ${markdown}\n`);
  }
  // Protected environments: a plan that would replace or destroy stateful resources fails here,
  // before anyone can apply it, unless those addresses are allowed on purpose.
  const blocked = guardFailures(run);
  if (blocked.length > 0) throw new SelectionError(blocked.join('\n'));
  return planExitCode(run, flags.has('detailed-exitcode'));
}

// Run as a script (node scripts/run.js scripts/plan.ts), not when imported (scripts/promote.ts).
if (process.argv[1] && resolve(process.argv[1]) === __filename) {
  cli(async () => {
    process.exitCode = await planCommand(process.argv.slice(2));
  });
}
