/**
 * `npm run promote -- <from> <to> [--plan] [--markdown=<file>]`: what promoting the same commit
 * from one environment to the next changes.
 *
 * - Always: the two environment files compared field by field (parsed YAML, defaults shown where
 *   a file is silent): changed values and fields only one file sets first, then what differs only
 *   by the environment's name or account, then the fields that differ between any two environments
 *   (name, account, deployRole, state, network, ci, stage, protect).
 * - `--plan`: also plans every stack of `<to>` (as `npm run plan -- <to>`; needs credentials that
 *   can assume its deploy role) and adds the plan summary; the guard of protected environments
 *   applies.
 * - `--markdown=<file>`: writes both as a pull-request comment.
 *
 * Environment files are read from environments/ (or PLATFORM_ENV_DIR).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cli, parseArgs } from './lib/cli';
import { formatSummaries } from './lib/plan-summary';
import { diffEnvironments, formatDiff, markdownDiff, readEnvironmentFile } from './lib/promote';
import { SelectionError } from './lib/stacks';
import { REPO_ROOT } from './lib/synth';
import { guardFailures, planMarkdown, runPlans } from './plan';

cli(async () => {
  const { positional, flags } = parseArgs(process.argv.slice(2));
  if (positional.length !== 2) throw new SelectionError('name the environment promoted from and the one promoted to, e.g. `npm run promote -- staging prod`');
  const [from, to] = positional;
  const dir = process.env.PLATFORM_ENV_DIR ?? join(REPO_ROOT, 'environments');
  const diff = diffEnvironments(readEnvironmentFile(dir, from), readEnvironmentFile(dir, to));
  process.stdout.write(formatDiff(diff));
  let markdown = markdownDiff(diff);
  let blocked: string[] = [];
  if (flags.has('plan')) {
    const run = await runPlans({ selectors: [to] });
    process.stdout.write(`\n${formatSummaries(run.summaries)}\n`);
    markdown += `\n${planMarkdown(run, `Plan of ${to}`)}`;
    blocked = guardFailures(run);
  }
  const file = flags.get('markdown');
  if (file) {
    writeFileSync(file, markdown);
    process.stdout.write(`wrote ${file}\n`);
  }
  // Written first: the comment shows what the guard stopped.
  if (blocked.length > 0) throw new SelectionError(blocked.join('\n'));
});
