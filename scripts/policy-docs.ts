/** `npm run policy-docs`: regenerates the rule table of packages/policy/README.md from the rules. */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ALL_RULES, withRulesTable } from '@data-platform/policy';
import { cli } from './lib/cli';
import { REPO_ROOT } from './lib/synth';

cli(async () => {
  const file = join(REPO_ROOT, 'packages', 'policy', 'README.md');
  writeFileSync(file, withRulesTable(readFileSync(file, 'utf8'), ALL_RULES));
  process.stdout.write(`wrote ${file} (${ALL_RULES.length} rules)\n`);
});
