/**
 * Applying plans saved by `npm run plan -- <selectors> --out=<dir>`, as the deploy workflow does:
 * the plan is made and reviewed in one job and applied, unchanged, in a later one.
 *
 * Layout of `<dir>`, one folder per stack (written by scripts/plan.ts; names in PLAN_FILES):
 * - `<stack>/plan.tfplan`: the binary plan, applied as it is;
 * - `<stack>/plan.json`: `terraform show -json` of it, which the guard reads;
 * - `<stack>/cdk.tf.json.sha256`: sha256 (hex) of the stack's cdk.tf.json when it was planned;
 * - or, for a stack that could not be planned yet because a stack it reads through remote state
 *   is not applied yet, only `<stack>/waiting.json` ({@link WAITING_FILE}): what it waits for and
 *   the sha256 of its cdk.tf.json.
 *
 * A plan is refused when its stack's synthesized configuration differs from the one planned,
 * when a file is missing, or when it replaces or destroys a stateful resource of a protected
 * environment that PLATFORM_ALLOW_DESTROY does not list. Every plan is checked before any is
 * applied. Terraform itself refuses a plan whose state changed since (a stale plan).
 *
 * Layers read each other's outputs through remote state, and a saved plan saw the outputs of the
 * moment it was made. So the plans of one environment apply in the manifest's order (a layer
 * before the layers that read it) and stop after the first stack whose outputs change, or before
 * a stack that waits: the later stacks of that environment are held, to be planned again against
 * the new outputs ({@link scheduleApply}).
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PLAN_FILES, PlanJson, PlanSummary, blockedDestroys, guardMessage, summarizePlan } from './plan-summary';
import { SynthesizedStackInfo } from './synth';
import { TerraformSetup, applyPlan, init } from './terraform';

/** Exit code of `npm run deploy -- --plan-dir --check` when applying the saved plans would change something. */
export const CHANGES_EXIT_CODE = 2;

/** The synthesized configuration whose hash is kept beside a plan. */
export const STACK_CONFIG_FILE = 'cdk.tf.json';

/** Kept instead of the plan files of a stack that waits for another stack to be applied ({@link WaitingRecord}). */
export const WAITING_FILE = 'waiting.json';

/** The content of {@link WAITING_FILE}. */
export interface WaitingRecord {
  /** The stacks to apply first, by name. */
  readonly upstreams: readonly string[];
  /** What is missing, one line each (e.g. `dev-lake has no state yet`). */
  readonly reasons: readonly string[];
  /** sha256 (hex) of the stack's cdk.tf.json when planning was tried. */
  readonly sha256: string;
}

/** A saved plan that passed every check. */
export interface SavedPlan {
  readonly kind: 'plan';
  readonly stack: SynthesizedStackInfo;
  /** Absolute path of the binary plan. */
  readonly planFile: string;
  readonly summary: PlanSummary;
  /** False when applying would change nothing (no resource and no output changes). */
  readonly changes: boolean;
  /** The outputs the plan creates, updates or deletes: what later layers read through remote state. */
  readonly outputChanges: readonly string[];
}

/** A stack that was not planned because it waits for earlier stacks of this run to be applied. */
export interface WaitingPlan {
  readonly kind: 'waiting';
  readonly stack: SynthesizedStackInfo;
  readonly upstreams: readonly string[];
  readonly reasons: readonly string[];
}

/** One selected stack of a plan directory, in the manifest's order. */
export type SavedStack = SavedPlan | WaitingPlan;

/** sha256 (hex) of a stack's synthesized cdk.tf.json. */
export function configHash(stackDir: string): string {
  return createHash('sha256').update(readFileSync(join(stackDir, STACK_CONFIG_FILE))).digest('hex');
}

/** The plan JSON fields {@link appliesChanges} reads besides the resource changes. */
type PlanWithOutputs = PlanJson & { readonly output_changes?: Readonly<Record<string, { readonly actions: readonly string[] }>> };

const changing = (actions: readonly string[]) => actions.some((a) => a !== 'no-op' && a !== 'read');

/** The outputs a plan creates, updates or deletes (every action but no-op), by name. */
export function changedOutputs(plan: PlanWithOutputs): string[] {
  return Object.entries(plan.output_changes ?? {}).filter(([, oc]) => changing(oc.actions)).map(([name]) => name);
}

/**
 * Whether applying the plan would change anything: a resource or an output (a new output of one
 * layer is what the next layer's plan reads through remote state, so it must be applied too).
 */
export function appliesChanges(plan: PlanWithOutputs): boolean {
  return (plan.resource_changes ?? []).some((rc) => rc.mode !== 'data' && changing(rc.change.actions)) || changedOutputs(plan).length > 0;
}

/**
 * Checks the saved plans of `stacks` in `planDir`: each present and complete, planned from the
 * configuration synthesized now, and allowed by the guard. A stack that waits ({@link WAITING_FILE})
 * is accepted when every stack it waits for is selected, comes before it, and is applied in this
 * run (its plan changes something) or waits itself. Plans in `planDir` of stacks that were not
 * synthesized are a problem too (the plans belong to another synthesis); plans of synthesized
 * stacks that were not selected are ignored.
 * @returns the stacks, in `stacks` order, when `problems` is empty
 */
export function checkSavedPlans(
  planDir: string,
  stacks: readonly SynthesizedStackInfo[],
  synthesized: readonly SynthesizedStackInfo[],
  allowed: readonly string[],
): { plans: SavedStack[]; problems: string[] } {
  const dir = resolve(planDir);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    return { plans: [], problems: [`${planDir} is not a directory; plan first: npm run plan -- <env> --out=${planDir}`] };
  }
  const problems: string[] = [];
  const known = new Set(synthesized.map((s) => s.name));
  const strangers = readdirSync(dir).filter((f) => statSync(join(dir, f)).isDirectory() && !known.has(f));
  if (strangers.length > 0) {
    problems.push(`${planDir} holds plans of stacks that were not synthesized (${strangers.join(', ')}); the plans come from another synthesis, plan again`);
  }
  const plans: SavedStack[] = [];
  for (const stack of stacks) {
    const result = checkOne(dir, planDir, stack, allowed);
    if (typeof result === 'string') {
      problems.push(result);
      continue;
    }
    if (result.kind === 'waiting') {
      const unmet = result.upstreams.filter((u) => !plans.some((p) => p.stack.name === u && (p.kind === 'waiting' || p.changes)));
      if (unmet.length > 0) {
        problems.push(
          `${stack.name}: not planned, it waits for ${unmet.join(', ')} (${result.reasons.join('; ')}), which this run does not apply before it; ` +
            `apply ${unmet.join(', ')} first, then plan again: npm run plan -- ${stack.name} --out=${planDir}`,
        );
        continue;
      }
    }
    plans.push(result);
  }
  return { plans: problems.length === 0 ? plans : [], problems };
}

function checkOne(dir: string, shown: string, stack: SynthesizedStackInfo, allowed: readonly string[]): SavedStack | string {
  const again = `plan again: npm run plan -- ${stack.name} --out=${shown}`;
  const waitingFile = join(dir, stack.name, WAITING_FILE);
  if (existsSync(waitingFile)) return checkWaiting(waitingFile, shown, stack, again);
  const missing = Object.values(PLAN_FILES).filter((f) => !existsSync(join(dir, stack.name, f)));
  if (missing.length > 0) return `${stack.name}: no complete saved plan in ${shown}/${stack.name} (missing ${missing.join(', ')}); ${again}`;
  const [planFile, jsonFile, hashFile] = [PLAN_FILES.plan, PLAN_FILES.json, PLAN_FILES.hash].map((f) => join(dir, stack.name, f));
  const saved = readFileSync(hashFile, 'utf8').trim().split(/\s+/)[0]?.toLowerCase() ?? '';
  if (!/^[0-9a-f]{64}$/.test(saved)) return `${stack.name}: ${shown}/${stack.name}/${PLAN_FILES.hash} holds no sha256; ${again}`;
  const changed = configChanged(stack, saved, again);
  if (changed) return changed;
  let plan: PlanWithOutputs;
  try {
    plan = JSON.parse(readFileSync(jsonFile, 'utf8')) as PlanWithOutputs;
  } catch {
    return `${stack.name}: ${shown}/${stack.name}/${PLAN_FILES.json} is not JSON; ${again}`;
  }
  const summary = summarizePlan(stack.name, plan, stack.stateful);
  const blocked = blockedDestroys(summary, stack.protect, allowed);
  if (blocked.length > 0) return guardMessage(stack.name, blocked);
  return { kind: 'plan', stack, planFile, summary, changes: appliesChanges(plan), outputChanges: changedOutputs(plan) };
}

function checkWaiting(file: string, shown: string, stack: SynthesizedStackInfo, again: string): WaitingPlan | string {
  let record: Partial<WaitingRecord>;
  try {
    record = JSON.parse(readFileSync(file, 'utf8')) as Partial<WaitingRecord>;
  } catch {
    return `${stack.name}: ${shown}/${stack.name}/${WAITING_FILE} is not JSON; ${again}`;
  }
  const strings = (v: unknown): v is string[] => Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === 'string');
  if (!strings(record.upstreams) || !strings(record.reasons) || typeof record.sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(record.sha256)) {
    return `${stack.name}: ${shown}/${stack.name}/${WAITING_FILE} lacks upstreams, reasons or sha256; ${again}`;
  }
  return configChanged(stack, record.sha256, again) ?? { kind: 'waiting', stack, upstreams: record.upstreams, reasons: record.reasons };
}

/** The problem when the stack's cdk.tf.json is missing or differs from the one planned (sha256 `saved`). */
function configChanged(stack: SynthesizedStackInfo, saved: string, again: string): string | undefined {
  if (!existsSync(join(stack.dir, STACK_CONFIG_FILE))) return `${stack.name}: ${STACK_CONFIG_FILE} is missing from ${stack.dir}; synthesize first`;
  const current = configHash(stack.dir);
  if (current === saved) return undefined;
  return `${stack.name}: the configuration changed since it was planned (${STACK_CONFIG_FILE} sha256 ${saved.slice(0, 12)} when planned, ${current.slice(0, 12)} now); ${again}`;
}

/** Stacks of one environment a run does not apply: their saved plans predate outputs applied in it. */
export interface HeldStacks {
  readonly environment: string;
  /** Why the environment stops here, e.g. `dev-lake changes its outputs (a, b)`. */
  readonly reason: string;
  /** The held stacks, in order (the waiting stack that stopped it first, when one did). */
  readonly stacks: readonly string[];
}

/** What a run of saved plans does, in order. */
export interface ApplySchedule {
  /** The plans applied, in order. */
  readonly apply: readonly SavedPlan[];
  /** Plans before any stop that change nothing. */
  readonly unchanged: readonly SavedPlan[];
  /** Per environment, the stacks left for the next run. */
  readonly held: readonly HeldStacks[];
}

/**
 * Orders what applying `plans` does. Per environment, in the manifest's order: a plan that changes
 * nothing is skipped; one that changes something is applied; after a stack whose plan changes
 * outputs, and at a stack that waits, the environment stops: every later stack of it is held,
 * because its saved plan was made against outputs that are about to change (or could not be made).
 * Other environments go on.
 */
export function scheduleApply(plans: readonly SavedStack[]): ApplySchedule {
  const apply: SavedPlan[] = [];
  const unchanged: SavedPlan[] = [];
  const held = new Map<string, { reason: string; stacks: string[] }>();
  for (const p of plans) {
    const stop = held.get(p.stack.environment);
    if (stop) {
      stop.stacks.push(p.stack.name);
    } else if (p.kind === 'waiting') {
      held.set(p.stack.environment, {
        reason: `${p.stack.name} waits for ${p.upstreams.join(', ')} to be applied (${p.reasons.join('; ')})`,
        stacks: [p.stack.name],
      });
    } else if (!p.changes) {
      unchanged.push(p);
    } else {
      apply.push(p);
      if (p.outputChanges.length > 0) {
        held.set(p.stack.environment, { reason: `${p.stack.name} changes its outputs (${p.outputChanges.join(', ')}), which later layers read through remote state`, stacks: [] });
      }
    }
  }
  return {
    apply,
    unchanged,
    held: [...held].filter(([, h]) => h.stacks.length > 0).map(([environment, h]) => ({ environment, reason: h.reason, stacks: h.stacks })),
  };
}

/**
 * The message of a run that held stacks back: what, why, and that they are planned again by the
 * next run (the deploy job fails with it, so the run does not pass as complete).
 * @param planDir the plan directory, for the command that plans them again
 */
export function heldMessage(held: readonly HeldStacks[], planDir: string): string {
  return held
    .map(
      (h) =>
        `${h.environment}: ${h.reason}. Not applied: ${h.stacks.join(', ')}; they must be planned again against the new outputs ` +
        `(npm run plan -- ${h.stacks.join(' ')} --out=${planDir}, then apply; in CI: re-run all jobs of the deploy run, or push again).`,
    )
    .join('\n');
}

/**
 * Applies the checked plans as {@link scheduleApply} orders them, each after `terraform init` with
 * its real backend. Stops at the first failure.
 * @param log receives each stack's apply output
 * @returns the stacks applied and the stacks held for the next run
 */
export async function applySavedPlans(
  setup: TerraformSetup,
  plans: readonly SavedStack[],
  log: (text: string) => void,
): Promise<{ applied: string[]; held: readonly HeldStacks[] }> {
  const schedule = scheduleApply(plans);
  const toApply = new Set(schedule.apply.map((p) => p.stack.name));
  const unchanged = new Set(schedule.unchanged.map((p) => p.stack.name));
  const applied: string[] = [];
  for (const p of plans) {
    if (unchanged.has(p.stack.name)) log(`${p.stack.name}: no changes, nothing to apply.\n`);
    if (p.kind !== 'plan' || !toApply.has(p.stack.name)) continue;
    await init(setup, p.stack.dir, true);
    log(await applyPlan(setup, p.stack.dir, p.planFile));
    applied.push(p.stack.name);
  }
  return { applied, held: schedule.held };
}
