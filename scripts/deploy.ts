/**
 * `nx run data-platform:deploy -- <stack>` (or `npm run deploy -- <stack>`): plans one stack,
 * shows the summary, and applies exactly that plan file after confirmation.
 *
 * `npm run deploy -- <env|stack>... --plan-dir=<dir>` applies plans saved earlier by
 * `npm run plan -- <env> --out=<dir>` instead (the deploy workflow: plan in one job, review,
 * apply in the next), against the synthesis already in cdktf.out (the one that was planned; it is
 * not synthesized again). Every selected stack needs its saved plan (or its record of waiting for
 * an earlier stack); a plan whose stack's cdk.tf.json changed since is refused
 * (lib/saved-plans.ts). Every plan is checked before any is applied; they apply in the manifest's
 * order, a layer before the layers that read it. An environment stops after the first stack whose
 * outputs change, or at a stack that waits: the later stacks' saved plans were made against the
 * old outputs, so they are left for the next run to plan again, and the command fails (exit 1)
 * saying so, after applying what it could. Nothing left over: exit 0.
 * With `--check` the saved plans are checked as for an apply and nothing is applied: exit 0 when
 * applying them would change nothing, 2 when it would (resources or outputs), 1 when refused.
 *
 * A single stack whose plan cannot be made because a stack it reads is not applied yet fails
 * with a message naming that stack.
 *
 * - Offline stacks cannot be deployed (mock credentials).
 * - In a protected environment, a plan that replaces or destroys a stateful resource is refused
 *   unless every such address is listed in PLATFORM_ALLOW_DESTROY (comma-separated).
 * - `--yes` skips the confirmation prompt (CI, where a reviewer approved the plan).
 */
import { createInterface } from 'node:readline/promises';
import { cli, parseArgs } from './lib/cli';
import { allowedDestroys, blockedDestroys, formatSummaries, guardMessage } from './lib/plan-summary';
import { CHANGES_EXIT_CODE, SavedPlan, appliesChanges, applySavedPlans, checkSavedPlans, heldMessage, scheduleApply } from './lib/saved-plans';
import { planStack, selectStacks, SelectionError } from './lib/stacks';
import { DEFAULT_OUTDIR, readStacks, synth } from './lib/synth';
import { TerraformError, applyPlan, checkTerraform, terraformSetup } from './lib/terraform';
import { waitingFor, waitingMessage } from './plan';

cli(async () => {
  const { positional, flags } = parseArgs(process.argv.slice(2));
  if (flags.has('plan-dir')) return deploySaved(positional, flags);
  if (positional.length !== 1) throw new SelectionError('name exactly one stack to deploy, e.g. `npm run deploy -- dev-lake`');
  const setup = terraformSetup();
  await checkTerraform(setup.env);
  const result = await synth();
  const [stack] = selectStacks(result.stacks, positional).filter((s) => s.name === positional[0]);
  if (!stack) throw new SelectionError(`"${positional[0]}" is not a stack; deploy one stack at a time (${result.stacks.map((s) => s.name).join(', ')})`);
  if (stack.offline) throw new SelectionError(`${stack.name} belongs to an offline environment (mock credentials); it can be planned, not deployed`);

  const { summary, plan } = await planStack(setup, stack).catch((e: unknown) => {
    const waiting = e instanceof TerraformError ? waitingFor(stack, e, result.stacks) : undefined;
    throw waiting ? new SelectionError(waitingMessage(waiting)) : e;
  });
  process.stdout.write(`${formatSummaries([summary])}\n`);
  const blocked = blockedDestroys(summary, stack.protect, allowedDestroys());
  if (blocked.length > 0) throw new SelectionError(`refusing to apply: ${guardMessage(stack.name, blocked)}`);
  if (!appliesChanges(plan)) {
    process.stdout.write(`${stack.name}: no changes.\n`);
    return;
  }
  if (!(await confirmed(flags, stack.name, `Type the stack name (${stack.name}) to apply this plan: `))) return;
  process.stdout.write(await applyPlan(setup, stack.dir));
});

async function deploySaved(selectors: readonly string[], flags: Map<string, string>): Promise<void> {
  const planDir = flags.get('plan-dir');
  if (!planDir) throw new SelectionError('--plan-dir needs the directory of the saved plans, e.g. --plan-dir=plans/dev');
  if (selectors.length === 0) throw new SelectionError(`name the environment or stacks to apply, e.g. \`npm run deploy -- dev --plan-dir=${planDir}\``);
  const synthesized = readStacks(DEFAULT_OUTDIR);
  const stacks = selectStacks(synthesized, selectors);
  const offline = stacks.filter((s) => s.offline).map((s) => s.name);
  if (offline.length > 0) throw new SelectionError(`${offline.join(', ')} belong to an offline environment (mock credentials); they can be planned, not deployed`);

  const { plans, problems } = checkSavedPlans(planDir, stacks, synthesized, allowedDestroys());
  if (problems.length > 0) throw new SelectionError(`refusing to apply; nothing was applied:\n${problems.join('\n')}`);
  const planned = plans.filter((p): p is SavedPlan => p.kind === 'plan');
  process.stdout.write(`${formatSummaries(planned.map((p) => p.summary))}\n`);
  const schedule = scheduleApply(plans);
  const changing = schedule.apply.map((p) => p.stack.name);
  const later = schedule.held.length > 0 ? ` Then it stops:\n${heldMessage(schedule.held, planDir)}\n` : '\n';
  if (flags.has('check')) {
    process.stdout.write(`Saved plans accepted; ${changing.length > 0 ? `applying them changes ${changing.join(', ')}.` : 'applying them changes nothing.'}${later}`);
    process.exitCode = changing.length > 0 ? CHANGES_EXIT_CODE : 0;
    return;
  }
  if (changing.length === 0) {
    process.stdout.write(`${stacks.map((s) => s.name).join(', ')}: no changes.\n`);
    return;
  }
  const setup = terraformSetup();
  await checkTerraform(setup.env);
  const word = selectors.join(' ');
  if (!(await confirmed(flags, word, `Type "${word}" to apply these saved plans: `))) return;
  const { applied, held } = await applySavedPlans(setup, plans, (text) => process.stdout.write(text));
  process.stdout.write(`Applied ${applied.length} saved plan${applied.length === 1 ? '' : 's'}: ${applied.join(', ')}.\n`);
  // Failing is the point: the run is not complete until the held stacks are planned and applied.
  if (held.length > 0) throw new SelectionError(`Not every stack was applied:\n${heldMessage(held, planDir)}`);
}

/** `--yes`, or the user types `word` at the terminal; refuses without a terminal. */
async function confirmed(flags: Map<string, string>, word: string, question: string): Promise<boolean> {
  if (flags.has('yes')) return true;
  if (!process.stdin.isTTY) throw new SelectionError('no terminal to confirm on; review the plan and pass --yes to apply it');
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  const answer = await rl.question(question);
  rl.close();
  if (answer.trim() === word) return true;
  process.stdout.write('Not applied.\n');
  return false;
}
