/**
 * Synthesis, once per run: runs the cdktf app (apps/data-platform/src/main.ts) in a child process
 * with the fast TypeScript path and reads what it wrote.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PLATFORM_MANIFEST, PlatformManifest } from '@data-platform/core';

export const REPO_ROOT = resolve(__dirname, '..', '..');
/** Where `npm run synth` / `npm run plan` write, as `cdktf synth` does. */
export const DEFAULT_OUTDIR = join(REPO_ROOT, 'cdktf.out');
export const APP_ENTRY = join(REPO_ROOT, 'apps', 'data-platform', 'src', 'main.ts');
/** Preloaded into the synth process: prints its peak memory on exit (read by {@link synth}). */
export const RSS_REPORTER = join(REPO_ROOT, 'scripts', 'report-rss.js');

/** One synthesized stack. */
export interface SynthesizedStackInfo {
  readonly name: string;
  readonly environment: string;
  readonly stage: string;
  readonly offline: boolean;
  readonly protect: boolean;
  /** Absolute path of the stack's Terraform working directory. */
  readonly dir: string;
  /** Addresses of its stateful resources. */
  readonly stateful: readonly string[];
}

export interface SynthOptions {
  /** @default DEFAULT_OUTDIR */
  readonly outdir?: string;
  /** Only these environments. @default every file in the environments directory */
  readonly environments?: readonly string[];
  /** Read environment files from here. @default environments/ */
  readonly envDir?: string;
  /** Extra process variables for the app (the bench uses it for the baseline program). */
  readonly env?: NodeJS.ProcessEnv;
  /** The program to run instead of {@link APP_ENTRY} (the bench's baseline). */
  readonly command?: readonly string[];
  /** Discard the app's own output (policy summaries); errors are still reported. */
  readonly quiet?: boolean;
}

export interface SynthResult {
  readonly outdir: string;
  readonly stacks: readonly SynthesizedStackInfo[];
  readonly wallMs: number;
  /** Peak resident memory of the synth process, from its own report. */
  readonly peakRssBytes?: number;
}

/** A synthesis that failed; `message` is what the app printed (for bad input: file, field, fix). */
export class SynthError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SynthError';
  }
}

/** Synthesizes the selected environments into `outdir` (emptied first) and lists the stacks. */
export async function synth(options: SynthOptions = {}): Promise<SynthResult> {
  const outdir = resolve(options.outdir ?? DEFAULT_OUTDIR);
  // Stale stacks of removed environments must not be planned: start from an empty stacks folder,
  // but keep each stack's .terraform (the provider install) to make the next init fast.
  removeSynthesizedFiles(outdir);
  mkdirSync(outdir, { recursive: true });
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...options.env,
    CDKTF_OUTDIR: outdir,
    CHECKPOINT_DISABLE: '1',
  };
  if (options.environments) env.PLATFORM_ENVIRONMENTS = options.environments.join(',');
  if (options.envDir) env.PLATFORM_ENV_DIR = options.envDir;
  const command = options.command ?? [process.execPath, '--require', RSS_REPORTER, join(REPO_ROOT, 'scripts', 'run.js'), APP_ENTRY];

  const started = Date.now();
  const { code, stderr } = await run(command, env, options.quiet ?? false);
  const wallMs = Date.now() - started;
  const rssLine = /^platform-peak-rss=(\d+)$/m.exec(stderr);
  const errors = stderr.replace(/^platform-peak-rss=\d+\n?/m, '').trim();
  if (code !== 0) throw new SynthError(errors || `synthesis exited with code ${code}`);
  return { outdir, stacks: readStacks(outdir), wallMs, peakRssBytes: rssLine ? Number(rssLine[1]) : undefined };
}

/** Reads the stacks of an existing synthesis. */
export function readStacks(outdir: string): SynthesizedStackInfo[] {
  const file = join(outdir, PLATFORM_MANIFEST);
  if (!existsSync(file)) throw new SynthError(`${file} is missing; synthesize first (npm run synth)`);
  const manifest = JSON.parse(readFileSync(file, 'utf8')) as PlatformManifest;
  return manifest.environments.flatMap((e) =>
    e.stacks.map((s) => ({
      name: s.name,
      environment: e.name,
      stage: e.stage,
      offline: e.offline,
      protect: e.protect,
      dir: join(outdir, 'stacks', s.name),
      stateful: s.stateful,
    })),
  );
}

function removeSynthesizedFiles(outdir: string): void {
  const stacksDir = join(outdir, 'stacks');
  if (!existsSync(stacksDir)) return;
  for (const file of [join(outdir, 'manifest.json'), join(outdir, PLATFORM_MANIFEST)]) rmSync(file, { force: true });
  const keep = new Set(['.terraform', '.terraform.lock.hcl']);
  for (const stack of readdirSafe(stacksDir)) {
    const dir = join(stacksDir, stack);
    const entries = readdirSafe(dir);
    for (const entry of entries) if (!keep.has(entry)) rmSync(join(dir, entry), { recursive: true, force: true });
  }
}

function readdirSafe(dir: string): string[] {
  return existsSync(dir) ? readdirSync(dir) : [];
}

function run(command: readonly string[], env: NodeJS.ProcessEnv, quiet: boolean): Promise<{ code: number; stderr: string }> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command[0], command.slice(1), { cwd: REPO_ROOT, env, stdio: ['ignore', quiet ? 'ignore' : 'inherit', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolvePromise({ code: code ?? 1, stderr }));
  });
}
