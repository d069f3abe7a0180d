/**
 * `nx run data-platform:deploy -- <stack>` (or `npm run deploy -- <stack>`): plans one stack,
 * shows the summary, and applies exactly that plan file after confirmation.
 *
 * - Offline stacks cannot be deployed (mock credentials).
 * - In a protected environment, a plan that replaces or destroys a stateful resource is refused
 *   unless every such address is listed in PLATFORM_ALLOW_DESTROY (comma-separated).
 * - `--yes` skips the confirmation prompt (CI, where a reviewer approved the plan).
 */
import { createInterface } from 'node:readline/promises';
import { cli, parseArgs } from './lib/cli';
import { allowedDestroys, blockedDestroys, formatSummaries, guardMessage } from './lib/plan-summary';
import { planStack, selectStacks, SelectionError } from './lib/stacks';
import { synth } from './lib/synth';
import { applyPlan, checkTerraform, terraformSetup } from './lib/terraform';

cli(async () => {
  const { positional, flags } = parseArgs(process.argv.slice(2));
  if (positional.length !== 1) throw new SelectionError('name exactly one stack to deploy, e.g. `npm run deploy -- dev-lake`');
  const setup = terraformSetup();
  await checkTerraform(setup.env);
  const result = await synth();
  const [stack] = selectStacks(result.stacks, positional).filter((s) => s.name === positional[0]);
  if (!stack) throw new SelectionError(`"${positional[0]}" is not a stack; deploy one stack at a time (${result.stacks.map((s) => s.name).join(', ')})`);
  if (stack.offline) throw new SelectionError(`${stack.name} belongs to an offline environment (mock credentials); it can be planned, not deployed`);

  const { summary } = await planStack(setup, stack);
  process.stdout.write(`${formatSummaries([summary])}\n`);
  const blocked = blockedDestroys(summary, stack.protect, allowedDestroys());
  if (blocked.length > 0) throw new SelectionError(`refusing to apply: ${guardMessage(stack.name, blocked)}`);
  const total = Object.values(summary.counts).reduce((a, b) => a + b, 0);
  if (total === 0) {
    process.stdout.write(`${stack.name}: no changes.\n`);
    return;
  }
  if (!flags.has('yes')) {
    if (!process.stdin.isTTY) throw new SelectionError('no terminal to confirm on; review the plan and pass --yes to apply it');
    const rl = createInterface({ input: process.stdin, output: process.stdout });
    const answer = await rl.question(`Type the stack name (${stack.name}) to apply this plan: `);
    rl.close();
    if (answer.trim() !== stack.name) {
      process.stdout.write('Not applied.\n');
      return;
    }
  }
  process.stdout.write(await applyPlan(setup, stack.dir));
});
