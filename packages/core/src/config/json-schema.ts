import { z } from 'zod';
import { environmentSchema } from './schema';

/** `$id` of the generated schema (a name, not a location: editors find the file by its path). */
export const ENVIRONMENT_SCHEMA_ID = 'urn:data-platform:environment';

/**
 * The JSON Schema of an environment file, generated from {@link environmentSchema}: what editors
 * use to complete and check `environments/<env>.yaml` (written to `environments/schema.json`).
 *
 * Describes the file as written (`io: 'input'`): fields with defaults are optional and carry their
 * `default`; every object rejects unknown keys (`additionalProperties: false`), as the loader does.
 * Rules that span fields (production must be protected, online needs `deployRole`) are the
 * loader's alone.
 */
export function environmentJsonSchema(): Record<string, unknown> {
  return {
    $id: ENVIRONMENT_SCHEMA_ID,
    title: 'Data platform environment',
    ...z.toJSONSchema(environmentSchema, { io: 'input' }),
  };
}
