/**
 * `nx run data-platform:validate`: synthesizes every environment once and runs
 * `terraform validate` on every stack against the real provider schema, in parallel.
 */
import { cli } from './lib/cli';
import { forEachStack, validateStack } from './lib/stacks';
import { synth } from './lib/synth';
import { TerraformError, checkTerraform, formatDiagnostics, terraformSetup } from './lib/terraform';

cli(async () => {
  const setup = terraformSetup();
  await checkTerraform(setup.env);
  const { stacks } = await synth();
  let failed = 0;
  await forEachStack(stacks, async (stack) => {
    try {
      const result = await validateStack(setup, stack);
      const warnings = result.warning_count > 0 ? `\n${formatDiagnostics(result)}` : '';
      process.stdout.write(`ok    ${stack.name}${warnings}\n`);
    } catch (e) {
      failed++;
      process.stdout.write(`FAIL  ${stack.name}\n${e instanceof TerraformError ? e.output : String(e)}\n`);
    }
  });
  process.stdout.write(`${stacks.length - failed} passed, ${failed} failed\n`);
  if (failed > 0) process.exit(1);
});
