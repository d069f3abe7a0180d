/**
 * `npm run synth [-- <env>...]`: synthesizes the environments (default: all) into cdktf.out and
 * lists the stacks.
 */
import { relative } from 'node:path';
import { cli, parseArgs } from './lib/cli';
import { synth } from './lib/synth';

cli(async () => {
  const { positional } = parseArgs(process.argv.slice(2));
  const result = await synth({ environments: positional.length > 0 ? positional : undefined });
  const mb = result.peakRssBytes ? `, peak ${(result.peakRssBytes / 2 ** 20).toFixed(0)} MiB` : '';
  process.stdout.write(`Synthesized ${result.stacks.length} stacks in ${(result.wallMs / 1000).toFixed(1)} s${mb} into ${relative(process.cwd(), result.outdir) || '.'}:\n`);
  for (const s of result.stacks) {
    process.stdout.write(`  ${s.name.padEnd(24)} ${s.environment} (${s.stage}${s.offline ? ', offline' : ''}), ${s.stateful.length} stateful resources\n`);
  }
});
