/** Shared entry-point handling for the scripts: user-facing errors print without a stack trace. */
import { isPlatformError } from '@data-platform/core';
import { SelectionError } from './stacks';
import { SynthError } from './synth';
import { TerraformError, ToolchainError } from './terraform';

/** Runs `main`; known failures print their message and exit 1, anything else keeps its stack. */
export function cli(main: () => Promise<void>): void {
  main().catch((e: unknown) => {
    if (isPlatformError(e) || e instanceof SynthError || e instanceof SelectionError || e instanceof ToolchainError || e instanceof TerraformError) {
      process.stderr.write(`${e.message}\n`);
      process.exit(1);
    }
    process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(1);
  });
}

/** Splits argv into positional arguments and `--flag` / `--flag=value` options. */
export function parseArgs(argv: readonly string[]): { positional: string[]; flags: Map<string, string> } {
  const positional = argv.filter((a) => !a.startsWith('--'));
  const flags = new Map(
    argv
      .filter((a) => a.startsWith('--'))
      .map((a) => {
        const [name, ...value] = a.slice(2).split('=');
        return [name, value.join('=')] as [string, string];
      }),
  );
  return { positional, flags };
}
