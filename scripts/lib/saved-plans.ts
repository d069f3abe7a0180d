/**
 * Applying plans saved by `npm run plan -- <selectors> --out=<dir>`, as the deploy workflow does:
 * the plan is made and reviewed in one job and applied, unchanged, in a later one.
 *
 * Layout of `<dir>`, one folder per stack (written by scripts/plan.ts; names in PLAN_FILES):
 * - `<stack>/plan.tfplan`: the binary plan, applied as it is;
 * - `<stack>/plan.json`: `terraform show -json` of it, which the guard reads;
 * - `<stack>/cdk.tf.json.sha256`: sha256 (hex) of the stack's cdk.tf.json when it was planned.
 *
 * A plan is refused when its stack's synthesized configuration differs from the one planned,
 * when a file is missing, or when it replaces or destroys a stateful resource of a protected
 * environment that PLATFORM_ALLOW_DESTROY does not list. Every plan is checked before any is
 * applied. Terraform itself refuses a plan whose state changed since (a stale plan).
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

/** A saved plan that passed every check. */
export interface SavedPlan {
  readonly stack: SynthesizedStackInfo;
  /** Absolute path of the binary plan. */
  readonly planFile: string;
  readonly summary: PlanSummary;
  /** False when applying would change nothing (no resource and no output changes). */
  readonly changes: boolean;
}

/** sha256 (hex) of a stack's synthesized cdk.tf.json. */
export function configHash(stackDir: string): string {
  return createHash('sha256').update(readFileSync(join(stackDir, STACK_CONFIG_FILE))).digest('hex');
}

/** The plan JSON fields {@link appliesChanges} reads besides the resource changes. */
type PlanWithOutputs = PlanJson & { readonly output_changes?: Readonly<Record<string, { readonly actions: readonly string[] }>> };

/**
 * Whether applying the plan would change anything: a resource or an output (a new output of one
 * layer is what the next layer's plan reads through remote state, so it must be applied too).
 */
export function appliesChanges(plan: PlanWithOutputs): boolean {
  const changing = (actions: readonly string[]) => actions.some((a) => a !== 'no-op' && a !== 'read');
  return (
    (plan.resource_changes ?? []).some((rc) => rc.mode !== 'data' && changing(rc.change.actions)) ||
    Object.values(plan.output_changes ?? {}).some((oc) => changing(oc.actions))
  );
}

/**
 * Checks the saved plans of `stacks` in `planDir`: each present and complete, planned from the
 * configuration synthesized now, and allowed by the guard. Plans in `planDir` of stacks that
 * were not synthesized are a problem too (the plans belong to another synthesis); plans of
 * synthesized stacks that were not selected are ignored.
 * @returns the plans, in `stacks` order, when `problems` is empty
 */
export function checkSavedPlans(
  planDir: string,
  stacks: readonly SynthesizedStackInfo[],
  synthesized: readonly SynthesizedStackInfo[],
  allowed: readonly string[],
): { plans: SavedPlan[]; problems: string[] } {
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
  const plans: SavedPlan[] = [];
  for (const stack of stacks) {
    const result = checkOne(dir, planDir, stack, allowed);
    if (typeof result === 'string') problems.push(result);
    else plans.push(result);
  }
  return { plans: problems.length === 0 ? plans : [], problems };
}

function checkOne(dir: string, shown: string, stack: SynthesizedStackInfo, allowed: readonly string[]): SavedPlan | string {
  const again = `plan again: npm run plan -- ${stack.name} --out=${shown}`;
  const missing = Object.values(PLAN_FILES).filter((f) => !existsSync(join(dir, stack.name, f)));
  if (missing.length > 0) return `${stack.name}: no complete saved plan in ${shown}/${stack.name} (missing ${missing.join(', ')}); ${again}`;
  const [planFile, jsonFile, hashFile] = [PLAN_FILES.plan, PLAN_FILES.json, PLAN_FILES.hash].map((f) => join(dir, stack.name, f));
  const saved = readFileSync(hashFile, 'utf8').trim().split(/\s+/)[0]?.toLowerCase() ?? '';
  if (!/^[0-9a-f]{64}$/.test(saved)) return `${stack.name}: ${shown}/${stack.name}/${PLAN_FILES.hash} holds no sha256; ${again}`;
  if (!existsSync(join(stack.dir, STACK_CONFIG_FILE))) return `${stack.name}: ${STACK_CONFIG_FILE} is missing from ${stack.dir}; synthesize first`;
  const current = configHash(stack.dir);
  if (current !== saved) {
    return `${stack.name}: the configuration changed since it was planned (${STACK_CONFIG_FILE} sha256 ${saved.slice(0, 12)} when planned, ${current.slice(0, 12)} now); ${again}`;
  }
  let plan: PlanWithOutputs;
  try {
    plan = JSON.parse(readFileSync(jsonFile, 'utf8')) as PlanWithOutputs;
  } catch {
    return `${stack.name}: ${shown}/${stack.name}/${PLAN_FILES.json} is not JSON; ${again}`;
  }
  const summary = summarizePlan(stack.name, plan, stack.stateful);
  const blocked = blockedDestroys(summary, stack.protect, allowed);
  if (blocked.length > 0) return guardMessage(stack.name, blocked);
  return { stack, planFile, summary, changes: appliesChanges(plan) };
}

/**
 * Applies the checked plans one after another, in their order (the manifest's: a layer before
 * the layers that read its outputs), each after `terraform init` with its real backend; plans
 * that change nothing are skipped. Stops at the first failure.
 * @param log receives each stack's apply output
 */
export async function applySavedPlans(setup: TerraformSetup, plans: readonly SavedPlan[], log: (text: string) => void): Promise<string[]> {
  const applied: string[] = [];
  for (const p of plans) {
    if (!p.changes) {
      log(`${p.stack.name}: no changes, nothing to apply.\n`);
      continue;
    }
    await init(setup, p.stack.dir, true);
    log(await applyPlan(setup, p.stack.dir, p.planFile));
    applied.push(p.stack.name);
  }
  return applied;
}
