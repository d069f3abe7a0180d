/** What the scripts and the test ladder do to each synthesized stack. */
import { cpus } from 'node:os';
import { PlanJson, PlanSummary, summarizePlan } from './plan-summary';
import { SynthesizedStackInfo } from './synth';
import { TerraformSetup, ValidateResult, init, mapLimit, planToJson, validate } from './terraform';

/** Terraform processes run at once: one per core (each loads the AWS provider's schema). */
export const TERRAFORM_PARALLELISM = Math.max(1, cpus().length);

/**
 * Picks stacks by name or environment name; with no selectors, the stacks of offline
 * environments (the ones that plan without an AWS account).
 * @throws Error naming the unknown selector and the choices
 */
export function selectStacks(stacks: readonly SynthesizedStackInfo[], selectors: readonly string[]): SynthesizedStackInfo[] {
  if (selectors.length === 0) return stacks.filter((s) => s.offline);
  const unknown = selectors.filter((sel) => !stacks.some((s) => s.name === sel || s.environment === sel));
  if (unknown.length > 0) {
    throw new SelectionError(
      `no stack or environment named ${unknown.map((u) => `"${u}"`).join(', ')}; choose from ${stacks.map((s) => s.name).join(', ')}`,
    );
  }
  return stacks.filter((s) => selectors.includes(s.name) || selectors.includes(s.environment));
}

export class SelectionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SelectionError';
  }
}

/** `terraform init -backend=false` + `terraform validate` of one stack. */
export async function validateStack(setup: TerraformSetup, stack: SynthesizedStackInfo): Promise<ValidateResult> {
  await init(setup, stack.dir, false);
  return validate(setup, stack.dir);
}

/** `terraform init` (real backend) + plan + show -json + summary of one stack. */
export async function planStack(setup: TerraformSetup, stack: SynthesizedStackInfo): Promise<{ summary: PlanSummary; plan: PlanJson }> {
  await init(setup, stack.dir, true);
  const plan = (await planToJson(setup, stack.dir)) as PlanJson;
  return { summary: summarizePlan(stack.name, plan, stack.stateful), plan };
}

/**
 * Runs `fn` on every stack, {@link TERRAFORM_PARALLELISM} at once. The first stack runs alone:
 * it fills the shared plugin cache, which concurrent `terraform init`s must not race to create.
 */
export async function forEachStack<R>(stacks: readonly SynthesizedStackInfo[], fn: (s: SynthesizedStackInfo) => Promise<R>): Promise<R[]> {
  if (stacks.length === 0) return [];
  const first = await fn(stacks[0]);
  return [first, ...(await mapLimit(stacks.slice(1), TERRAFORM_PARALLELISM, fn))];
}

/** Installs providers into the shared plugin cache once, before stacks initialise in parallel. */
export async function warmPluginCache(setup: TerraformSetup, stack: SynthesizedStackInfo): Promise<void> {
  await init(setup, stack.dir, false);
}
