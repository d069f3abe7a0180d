/**
 * `npm run diagram -- <env> [--out=<file.md>] [--from=<dir>] [--plan=<dir>]`: draws one
 * environment as a Mermaid flowchart (a subgraph per layer, the main resources, the data flow) and
 * prints it as a Markdown ```mermaid block, which GitHub renders; `--out` writes it to a file.
 *
 * - Synthesizes the environment into cdktf.out first, unless `--from=<dir>` names an existing
 *   synthesis (e.g. a CI artifact).
 * - `--plan=<dir>` highlights what the plans kept by `npm run plan -- <env> --out=<dir>` change
 *   (`<dir>/<stack>/plan.json`).
 *
 * What the diagram derives and what it draws by convention: see scripts/lib/diagram.ts.
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { cli, parseArgs } from './lib/cli';
import { environmentDiagram, mermaidBlock, readEnvironmentStacks } from './lib/diagram';
import { readKeptPlans } from './lib/plan-summary';
import { SelectionError } from './lib/stacks';
import { readStacks, synth } from './lib/synth';

cli(async () => {
  const { positional, flags } = parseArgs(process.argv.slice(2));
  if (positional.length !== 1) throw new SelectionError('name one environment, e.g. `npm run diagram -- dev`');
  const [environment] = positional;
  const from = flags.get('from');
  const outdir = from ? resolve(from) : (await synth({ environments: [environment], quiet: true })).outdir;
  const stacks = readEnvironmentStacks(outdir, environment);
  if (stacks.length === 0) throw new SelectionError(`${outdir} holds no stack of environment "${environment}"; synthesize it first (npm run synth -- ${environment})`);
  const plans = flags.get('plan');
  const changes = plans ? readKeptPlans(resolve(plans), readStacks(outdir).filter((s) => s.environment === environment)) : undefined;
  const markdown = mermaidBlock(environmentDiagram(environment, stacks, { changes }));
  const out = flags.get('out');
  if (out) {
    writeFileSync(out, markdown);
    process.stdout.write(`wrote ${out}\n`);
  } else {
    process.stdout.write(markdown);
  }
});
