/**
 * `npm run bench`: what synthesis costs, measured (never asserted in tests).
 *
 * 1. Synth of every environment with the chosen path (ts-node + swc, deep provider imports):
 *    wall time (median of 3) and peak memory.
 * 2. The same program run with ts-node type checking (deep imports), and the stock cdktf
 *    template's way (type checking and root-index provider imports): the baseline, with ratios.
 * 3. Growth: 10 and 50 generated copies of dev (own names and account ids), so the cost per
 *    stack and per resource is visible.
 *
 * Writes .work/bench/results.json and prints a Markdown table for the README.
 */
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeBaseline } from './lib/baseline';
import { cli } from './lib/cli';
import { APP_ENTRY, REPO_ROOT, RSS_REPORTER, SynthResult, synth } from './lib/synth';
import { WORK_DIR } from './lib/terraform';

const BENCH_DIR = join(WORK_DIR, 'bench');
const ENV_DIR = join(REPO_ROOT, 'environments');

interface Row {
  readonly name: string;
  readonly environments: number;
  readonly stacks: number;
  readonly resources: number;
  readonly wallMs: number;
  readonly peakRssBytes?: number;
}

function countResources(result: SynthResult): number {
  let n = 0;
  for (const s of result.stacks) {
    const tf = JSON.parse(readFileSync(join(s.dir, 'cdk.tf.json'), 'utf8')) as { resource?: Record<string, object>; data?: Record<string, object> };
    for (const group of [tf.resource, tf.data]) for (const byName of Object.values(group ?? {})) n += Object.keys(byName).length;
  }
  return n;
}

async function measure(name: string, runs: number, options: Parameters<typeof synth>[0]): Promise<Row> {
  const results: SynthResult[] = [];
  for (let i = 0; i < runs; i++) {
    results.push(await synth({ ...options, quiet: true, outdir: join(BENCH_DIR, 'out', name.replace(/\W+/g, '-').replace(/^-|-$/g, '')) }));
  }
  const sorted = [...results].sort((a, b) => a.wallMs - b.wallMs);
  const median = sorted[Math.floor(sorted.length / 2)];
  const row: Row = {
    name,
    environments: new Set(median.stacks.map((s) => s.environment)).size,
    stacks: median.stacks.length,
    resources: countResources(median),
    wallMs: median.wallMs,
    peakRssBytes: Math.max(...results.map((r) => r.peakRssBytes ?? 0)),
  };
  process.stdout.write(`${name}: ${(row.wallMs / 1000).toFixed(2)} s, ${mib(row.peakRssBytes)} MiB, ${row.stacks} stacks, ${row.resources} resources\n`);
  return row;
}

/** Writes `count` copies of dev.yaml with their own names, accounts and state buckets. */
function generateOrganization(count: number): string {
  const dir = join(BENCH_DIR, `envs-${count}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const dev = readFileSync(join(ENV_DIR, 'dev.yaml'), 'utf8');
  for (let i = 1; i <= count; i++) {
    const name = `org${String(i).padStart(3, '0')}`;
    const account = String(100000000000 + i);
    const text = dev
      .replace(/^name: .*$/m, `name: ${name}`)
      .replaceAll('111111111111', account);
    writeFileSync(join(dir, `${name}.yaml`), text);
  }
  return dir;
}

function typecheckRunner(tsconfig: string, entry: string): { command: string[]; env: NodeJS.ProcessEnv } {
  return {
    command: [process.execPath, '--require', RSS_REPORTER, '--require', 'ts-node/register', entry],
    env: { TS_NODE_PROJECT: tsconfig, TS_NODE_SWC: 'false', TS_NODE_TRANSPILE_ONLY: 'false' },
  };
}

const mib = (bytes?: number) => (bytes ? (bytes / 2 ** 20).toFixed(0) : '?');
const secs = (ms: number) => (ms / 1000).toFixed(2);

cli(async () => {
  mkdirSync(BENCH_DIR, { recursive: true });
  const environments = readdirSync(ENV_DIR).filter((f) => f.endsWith('.yaml')).length;
  process.stdout.write(`Benchmarking synthesis of ${environments} environments (2 cores here; figures vary by machine).\n`);

  const fast = await measure('ts-node + swc, deep imports (chosen)', 3, {});

  const typecheckConfig = join(BENCH_DIR, 'tsconfig.typecheck.json');
  writeFileSync(
    typecheckConfig,
    JSON.stringify({ extends: join(REPO_ROOT, 'tsconfig.base.json'), include: [join(REPO_ROOT, 'apps'), join(REPO_ROOT, 'packages')], 'ts-node': { swc: false, transpileOnly: false } }, null, 2),
  );
  const typechecked = await measure('ts-node type-checking, deep imports', 1, typecheckRunner(typecheckConfig, APP_ENTRY));

  const baselineProgram = writeBaseline(REPO_ROOT, join(BENCH_DIR, 'baseline'));
  const baseline = await measure('stock template: ts-node type-checking, root imports (baseline)', 1, { ...typecheckRunner(baselineProgram.tsconfig, baselineProgram.entry), envDir: ENV_DIR });

  const growth: Row[] = [];
  for (const count of [10, 50]) growth.push(await measure(`${count} environments (copies of dev)`, 1, { envDir: generateOrganization(count) }));

  const table = [
    '| program | environments | stacks | resources | synth wall time | peak memory | speed-up vs baseline |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...[fast, typechecked, baseline, ...growth].map((r) => {
      // Only runs of the same environments compare with the baseline.
      const ratio = r.environments === baseline.environments ? `${(baseline.wallMs / r.wallMs).toFixed(1)}x` : '-';
      return `| ${r.name} | ${r.environments} | ${r.stacks} | ${r.resources} | ${secs(r.wallMs)} s | ${mib(r.peakRssBytes)} MiB | ${ratio} |`;
    }),
  ];
  const [ten, fifty] = growth;
  const perStackMs = (fifty.wallMs - ten.wallMs) / (fifty.stacks - ten.stacks);
  const perResourceMs = (fifty.wallMs - ten.wallMs) / (fifty.resources - ten.resources);
  const fixedMs = ten.wallMs - perStackMs * ten.stacks;
  const lines = [
    '',
    ...table,
    '',
    `Growth from 10 to 50 environments: ${perStackMs.toFixed(0)} ms per extra stack, ${perResourceMs.toFixed(1)} ms per extra resource; ` +
      `fixed start-up cost about ${secs(Math.max(0, fixedMs))} s (Node, ts-node, cdktf and the provider classes used).`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  writeFileSync(join(BENCH_DIR, 'results.json'), `${JSON.stringify({ rows: [fast, typechecked, baseline, ...growth], perStackMs, perResourceMs }, null, 2)}\n`);
});
