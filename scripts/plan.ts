/**
 * `npm run plan [-- <stack|env>...] [--out=<dir>] [--markdown=<file>] [--detailed-exitcode] [--no-lock] [--synthesized=<dir>]`:
 * synthesizes every environment once, then for each selected stack (default: the offline ones)
 * runs terraform init, plan -out, show -json, and prints a summary: counts per action, and every
 * replaced or destroyed address.
 *
 * - `--synthesized=<dir>` plans the stacks already synthesized in `<dir>` (e.g. the cdktf.out a CI
 *   job downloaded from the job that synthesized it) instead of synthesizing again; `--synthesized`
 *   alone reads cdktf.out.
 * - `--out=<dir>` keeps each stack's plan for a later apply, as `<dir>/<stack>/plan.tfplan` (the
 *   binary plan), `<dir>/<stack>/plan.json` (`terraform show -json`) and
 *   `<dir>/<stack>/cdk.tf.json.sha256` (sha256 hex of the stack's cdk.tf.json at plan time, so an
 *   apply can refuse a plan whose configuration changed since).
 * - `--markdown=<file>` writes the pull-request comment: changed resources per environment and
 *   stack, a caution block for stateful replacements, each stack's policy report and each
 *   environment's diagram with the changed resources highlighted.
 * - `--detailed-exitcode` exits 2 when any stack would change, or waits (below), after writing
 *   everything (drift detection); 0 when nothing would change.
 * - `--no-lock` plans without the state lock (`terraform plan -lock=false`): read-only roles
 *   (pull-request and drift plans) may not write the lock object. Such plans are previews; the
 *   deploy workflow plans with the lock before it applies.
 * - In a protected environment a plan that replaces or destroys a stateful resource fails (exit 1),
 *   unless PLATFORM_ALLOW_DESTROY lists its address.
 * - A stack that reads the outputs (remote state) of a stack that is not applied yet (it has no
 *   state, or lacks an output this configuration reads) cannot be planned: it is reported as
 *   waiting ("apply dev-lake first"), not as a failure, and with `--out` its `waiting.json` takes
 *   the place of the plan files, so `npm run deploy -- --plan-dir` applies what comes before it
 *   and leaves it for the next run (a first deploy, or a new output read by another layer).
 *
 * Online stacks need credentials that can assume the environment's deploy role.
 */
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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
  summarizePlan,
} from './lib/plan-summary';
import { WAITING_FILE, WaitingRecord } from './lib/saved-plans';
import { SelectionError, forEachStack, selectStacks } from './lib/stacks';
import { DEFAULT_OUTDIR, SynthOptions, SynthesizedStackInfo, readStacks, synth } from './lib/synth';
import { MIRROR_VARIABLE, TerraformError, TerraformSetup, checkTerraform, init, missingRemoteState, planToJson, terraformSetup } from './lib/terraform';

/** Exit code of `--detailed-exitcode` when something would change (as `terraform plan -detailed-exitcode`). */
export const CHANGES_EXIT_CODE = 2;

/** Defaults of {@link PlanOptions}. */
export const PLAN_DEFAULTS = {
  /** Plans take the state lock (deploy plans); read-only previews pass `--no-lock`. */
  lock: true,
} as const;

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
   * Plan the stacks synthesized earlier into this directory (one holding platform.json) instead
   * of synthesizing; `synth` is then ignored.
   * @default synthesize
   */
  readonly synthesized?: string;
  /**
   * Take the state lock while planning (`-lock=false` when false).
   * @default true (PLAN_DEFAULTS.lock)
   */
  readonly lock?: boolean;
  /** Process variables terraform runs with. @default process.env */
  readonly env?: NodeJS.ProcessEnv;
  /**
   * Plans one stack: leaves `plan.tfplan` in the stack's directory and resolves to its JSON and summary.
   * @default terraform init, plan -out (with or without the lock), show -json
   */
  readonly planner?: (setup: TerraformSetup, stack: SynthesizedStackInfo) => Promise<{ readonly summary: PlanSummary; readonly plan: PlanJson }>;
}

/**
 * A selected stack that was not planned: a stack it reads through remote state is not applied
 * yet (no state, or the state lacks an output this configuration reads).
 */
export interface WaitingStack {
  readonly stack: SynthesizedStackInfo;
  /** The stacks to apply first, by name (a data source's name when no synthesized stack has that state). */
  readonly upstreams: readonly string[];
  /** What is missing, one line each: `dev-lake has no state yet`, `dev-lake has no output "x" yet`. */
  readonly reasons: readonly string[];
}

/** What one run planned. */
export interface PlanRun {
  /** Where the stacks were synthesized (cdktf.out). */
  readonly outdir: string;
  /** The stacks planned, in the manifest's order. */
  readonly stacks: readonly SynthesizedStackInfo[];
  /** One per stack, in the order of {@link PlanRun.stacks}. */
  readonly summaries: readonly PlanSummary[];
  /** Selected stacks that wait for another stack to be applied, in the manifest's order. */
  readonly waiting: readonly WaitingStack[];
}

/** sha256 hex of a file's bytes. */
export function sha256File(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

/** One line for a waiting stack: what is missing and what to apply first. */
export function waitingMessage(w: WaitingStack): string {
  return `${w.stack.name} is not planned yet: ${w.reasons.join('; ')}. Apply ${w.upstreams.join(', ')} first, then plan ${w.stack.name} again.`;
}

/**
 * Synthesizes every environment (or reads `options.synthesized`), then plans the selected stacks
 * (one terraform per core at once), keeping the plan files under `options.out` when given.
 */
export async function runPlans(options: PlanOptions): Promise<PlanRun> {
  const log = options.log ?? ((text: string) => process.stdout.write(text));
  const setup = terraformSetup(options.env);
  const version = await checkTerraform(setup.env);
  let outdir: string;
  let synthesized: readonly SynthesizedStackInfo[];
  let origin: string;
  if (options.synthesized) {
    outdir = resolve(options.synthesized);
    synthesized = readStacks(outdir);
    origin = `Read ${synthesized.length} stacks synthesized in ${relative(process.cwd(), outdir) || outdir}.`;
  } else {
    const result = await synth(options.synth);
    ({ outdir, stacks: synthesized } = result);
    origin = `Synthesized ${synthesized.length} stacks in ${(result.wallMs / 1000).toFixed(1)} s.`;
  }
  const stacks = selectStacks(synthesized, options.selectors);
  const lock = options.lock ?? PLAN_DEFAULTS.lock;
  const planner = options.planner ?? ((s: TerraformSetup, stack: SynthesizedStackInfo) => planOne(s, stack, lock));
  log(
    `${origin} Planning ${stacks.map((s) => s.name).join(', ')} with terraform ${version}${lock ? '' : ' without the state lock'}` +
      `${setup.mirror ? ` (providers from ${setup.mirror})` : ` (providers from the registry; set ${MIRROR_VARIABLE} to use a mirror)`}.\n`,
  );
  const out = options.out ? resolve(options.out) : undefined;
  const results = await forEachStack(stacks, async (stack): Promise<PlanSummary | WaitingStack> => {
    const started = Date.now();
    // Hashed before planning: the plan is of exactly these bytes.
    const hash = sha256File(join(stack.dir, 'cdk.tf.json'));
    const dir = out ? join(out, stack.name) : undefined;
    // A stack planned into a directory used before keeps only what this run made of it.
    if (dir) for (const f of [...Object.values(PLAN_FILES), WAITING_FILE]) rmSync(join(dir, f), { force: true });
    let planned: { readonly summary: PlanSummary; readonly plan: PlanJson };
    try {
      planned = await planner(setup, stack);
    } catch (e) {
      const waiting = e instanceof TerraformError ? waitingFor(stack, e, synthesized) : undefined;
      if (!waiting) throw e;
      if (dir) {
        mkdirSync(dir, { recursive: true });
        const record: WaitingRecord = { upstreams: waiting.upstreams, reasons: waiting.reasons, sha256: hash };
        writeFileSync(join(dir, WAITING_FILE), `${JSON.stringify(record, null, 2)}\n`);
      }
      log(`${waitingMessage(waiting)}\n`);
      return waiting;
    }
    let kept = `${relative(process.cwd(), stack.dir)}/${PLAN_FILES.plan}`;
    if (dir) {
      mkdirSync(dir, { recursive: true });
      copyFileSync(join(stack.dir, PLAN_FILES.plan), join(dir, PLAN_FILES.plan));
      writeFileSync(join(dir, PLAN_FILES.json), JSON.stringify(planned.plan));
      writeFileSync(join(dir, PLAN_FILES.hash), hash);
      kept = relative(process.cwd(), dir) || dir;
    }
    log(`planned ${stack.name} in ${((Date.now() - started) / 1000).toFixed(1)} s: ${kept}\n`);
    return planned.summary;
  });
  const isWaiting = (r: PlanSummary | WaitingStack): r is WaitingStack => 'upstreams' in r;
  return {
    outdir,
    stacks: stacks.filter((_, i) => !isWaiting(results[i])),
    summaries: results.filter((r): r is PlanSummary => !isWaiting(r)),
    waiting: results.filter(isWaiting),
  };
}

/** terraform init (real backend), plan -out (with or without the state lock), show -json, summary. */
async function planOne(setup: TerraformSetup, stack: SynthesizedStackInfo, lock: boolean): Promise<{ summary: PlanSummary; plan: PlanJson }> {
  await init(setup, stack.dir, true);
  const plan = (await planToJson(setup, stack.dir, PLAN_FILES.plan, { lock })) as PlanJson;
  return { summary: summarizePlan(stack.name, plan, stack.stateful), plan };
}

/**
 * The stacks `stack` waits for, when its plan failed only because remote state it reads does not
 * exist yet or lacks an output (see lib/terraform.ts missingRemoteState); undefined otherwise.
 * Each `terraform_remote_state` data source is matched to the synthesized stack of the same
 * environment whose backend holds that state.
 */
export function waitingFor(stack: SynthesizedStackInfo, error: TerraformError, synthesized: readonly SynthesizedStackInfo[]): WaitingStack | undefined {
  const missing = missingRemoteState(error.output);
  if (!missing) return undefined;
  const sources = remoteStateSources(stack, synthesized.filter((s) => s.environment === stack.environment && s.name !== stack.name));
  const upstreams: string[] = [];
  const reasons: string[] = [];
  for (const m of missing) {
    const upstream = sources.get(m.dataSource) ?? `data.terraform_remote_state.${m.dataSource}`;
    if (!upstreams.includes(upstream)) upstreams.push(upstream);
    reasons.push(m.output === undefined ? `${upstream} has no state yet` : `${upstream} has no output "${m.output}" yet`);
  }
  return { stack, upstreams, reasons: [...new Set(reasons)] };
}

/** cdktf names the data source of a stack's remote state `cross-stack-reference-input-<stack>`. */
const CDKTF_REMOTE_STATE_PREFIX = 'cross-stack-reference-input-';

interface TfJson {
  readonly terraform?: { readonly backend?: Readonly<Record<string, Readonly<Record<string, unknown>>>> };
  readonly data?: { readonly terraform_remote_state?: Readonly<Record<string, { readonly backend?: string; readonly config?: Readonly<Record<string, unknown>> }>> };
}

const readTfJson = (dir: string): TfJson => {
  const file = join(dir, 'cdk.tf.json');
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as TfJson) : {};
};

/** Where a backend keeps a state: bucket and key for S3, the absolute path for local, the configuration otherwise. */
function stateLocation(type: string, config: Readonly<Record<string, unknown>>, dir: string): string {
  if (type === 's3') return `s3://${String(config.bucket)}/${String(config.key)}`;
  if (type === 'local') return `local:${resolve(dir, String(config.path ?? 'terraform.tfstate'))}`;
  return `${type}:${JSON.stringify(config)}`;
}

/** The stack each `terraform_remote_state` data source of `stack` reads, by data source name. */
function remoteStateSources(stack: SynthesizedStackInfo, candidates: readonly SynthesizedStackInfo[]): Map<string, string> {
  const owners = new Map<string, string>();
  for (const c of candidates) {
    for (const [type, config] of Object.entries(readTfJson(c.dir).terraform?.backend ?? {})) owners.set(stateLocation(type, config, c.dir), c.name);
  }
  const sources = new Map<string, string>();
  for (const [name, source] of Object.entries(readTfJson(stack.dir).data?.terraform_remote_state ?? {})) {
    const owner = owners.get(stateLocation(source.backend ?? 'local', source.config ?? {}, stack.dir));
    const byName = name.startsWith(CDKTF_REMOTE_STATE_PREFIX) ? name.slice(CDKTF_REMOTE_STATE_PREFIX.length) : undefined;
    const named = candidates.find((c) => c.name === byName)?.name;
    if (owner ?? named) sources.set(name, (owner ?? named) as string);
  }
  return sources;
}

/**
 * The pull-request comment of a run: per environment its diagram (changed resources highlighted),
 * per stack its changes and policy report.
 */
export function planMarkdown(run: PlanRun, title = `Plan: ${[...run.stacks, ...run.waiting.map((w) => w.stack)].map((s) => s.name).join(', ')}`): string {
  const environments = [...new Set(run.stacks.map((s) => s.environment))];
  const report = markdownReport(
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
  if (run.waiting.length === 0) return report;
  return [
    report.trimEnd(),
    '',
    '> [!NOTE]',
    '> **Not planned yet**: these stacks read outputs of stacks that are not applied yet; they are planned once those are.',
    ...run.waiting.map((w) => `> - \`${w.stack.name}\`: ${w.reasons.join('; ')}; apply ${w.upstreams.map((u) => `\`${u}\``).join(', ')} first.`),
    '',
  ].join('\n');
}

/** The guard's message for every protected stack whose plan replaces or destroys a stateful resource nobody allowed. */
export function guardFailures(run: PlanRun, allowed: readonly string[] = allowedDestroys()): string[] {
  return run.stacks.flatMap((s, i) => {
    const addresses = blockedDestroys(run.summaries[i], s.protect, allowed);
    return addresses.length > 0 ? [guardMessage(s.name, addresses)] : [];
  });
}

/**
 * The exit code of a run that passed the guard: {@link CHANGES_EXIT_CODE} when asked to report
 * changes and any stack changes or waits (what is deployed is not what the configuration says).
 */
export function planExitCode(run: PlanRun, detailed: boolean): number {
  return detailed && (run.summaries.some(hasChanges) || run.waiting.length > 0) ? CHANGES_EXIT_CODE : 0;
}

/**
 * Runs the command line; resolves to the exit code (0, or {@link CHANGES_EXIT_CODE} with
 * `--detailed-exitcode`), after writing every output.
 * @throws SelectionError with the guard's message when a protected stack's plan replaces or destroys a stateful resource
 */
export async function planCommand(argv: readonly string[], options: Omit<PlanOptions, 'selectors' | 'out' | 'lock' | 'synthesized'> = {}): Promise<number> {
  const { positional, flags } = parseArgs(argv);
  const log = options.log ?? ((text: string) => process.stdout.write(text));
  const run = await runPlans({
    ...options,
    log,
    selectors: positional,
    out: flags.get('out') || undefined,
    synthesized: flags.has('synthesized') ? flags.get('synthesized') || DEFAULT_OUTDIR : undefined,
    lock: !flags.has('no-lock'),
  });
  log(`\n${formatSummaries(run.summaries)}\n`);
  for (const w of run.waiting) log(`${waitingMessage(w)}\n`);
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
