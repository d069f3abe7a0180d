/**
 * `npm run schema`: writes environments/schema.json from the config types in packages/core, so
 * editors complete and validate the environment files. A test fails when the file is stale.
 */
import { writeFileSync } from 'node:fs';
import { cli } from './lib/cli';
import { SCHEMA_FILE, schemaText } from './lib/schema-file';

cli(async () => {
  writeFileSync(SCHEMA_FILE, schemaText());
  process.stdout.write(`wrote ${SCHEMA_FILE}\n`);
});
