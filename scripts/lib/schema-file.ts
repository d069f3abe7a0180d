/** environments/schema.json: generated from the config types in packages/core. */
import { join } from 'node:path';
import { environmentJsonSchema } from '@data-platform/core';
import { REPO_ROOT } from './synth';

/** Where the generated schema lives. */
export const SCHEMA_FILE = join(REPO_ROOT, 'environments', 'schema.json');

/** The schema file's exact text. */
export function schemaText(): string {
  return `${JSON.stringify(environmentJsonSchema(), null, 2)}\n`;
}
