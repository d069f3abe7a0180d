/**
 * Helpers the config tests share (only `*.test.ts` files import this; it is not exported from
 * the package's index).
 */
import { parseEnvironment } from './loader';

/** The environment file every section test parses. */
export const TEST_FILE = 'environments/dev.yaml';

/** The problems of the environment file `text` (as TEST_FILE), one line each; none when it is valid. */
export function problemsIn(text: string): string[] {
  try {
    parseEnvironment(text, TEST_FILE);
    return [];
  } catch (e) {
    return (e as Error).message.split('\n');
  }
}

/** `problems` as the loader prints them for TEST_FILE: `<file>: <path> <message>`. */
export const lines = (...problems: string[]): string[] => problems.map((p) => `${TEST_FILE}: ${p}`);
