/**
 * `npm run plan [-- <stack|env>...]`: synthesizes every environment once, then for each selected
 * stack (default: the offline ones) runs terraform init, plan -out, show -json, and prints a
 * summary: counts per action, and every replaced or destroyed address.
 *
 * Online stacks need credentials that can assume the environment's deploy role.
 */
import { relative } from 'node:path';
import { cli, parseArgs } from './lib/cli';
import { writeFileSync } from 'node:fs';
import { allowedDestroys, blockedDestroys, formatSummaries, guardMessage, markdownSummary } from './lib/plan-summary';
import { SelectionError, forEachStack, planStack, selectStacks } from './lib/stacks';
import { synth } from './lib/synth';
import { MIRROR_VARIABLE, checkTerraform, terraformSetup } from './lib/terraform';

cli(async () => {
  const { positional, flags } = parseArgs(process.argv.slice(2));
  const setup = terraformSetup();
  const version = await checkTerraform(setup.env);
  const result = await synth();
  const stacks = selectStacks(result.stacks, positional);
  process.stdout.write(
    `Synthesized ${result.stacks.length} stacks in ${(result.wallMs / 1000).toFixed(1)} s. ` +
      `Planning ${stacks.map((s) => s.name).join(', ')} with terraform ${version}` +
      `${setup.mirror ? ` (providers from ${setup.mirror})` : ` (providers from the registry; set ${MIRROR_VARIABLE} to use a mirror)`}.\n`,
  );
  const summaries = await forEachStack(stacks, async (stack) => {
    const started = Date.now();
    const { summary } = await planStack(setup, stack);
    process.stdout.write(`planned ${stack.name} in ${((Date.now() - started) / 1000).toFixed(1)} s: ${relative(process.cwd(), stack.dir)}/plan.tfplan\n`);
    return summary;
  });
  process.stdout.write(`\n${formatSummaries(summaries)}\n`);
  const markdown = flags.get('markdown');
  if (markdown) {
    writeFileSync(markdown, markdownSummary(`Plan: ${stacks.map((s) => s.name).join(', ')}`, summaries));
    process.stdout.write(`wrote ${markdown}\n`);
  }
  // Protected environments: a plan that would replace or destroy stateful resources fails here,
  // before anyone can apply it, unless those addresses are allowed on purpose.
  const allowed = allowedDestroys();
  const blocked = stacks.flatMap((s, i) => {
    const addresses = blockedDestroys(summaries[i], s.protect, allowed);
    return addresses.length > 0 ? [guardMessage(s.name, addresses)] : [];
  });
  if (blocked.length > 0) throw new SelectionError(blocked.join('\n'));
});
