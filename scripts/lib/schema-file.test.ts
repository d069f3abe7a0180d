import { readFileSync } from 'node:fs';
import { SCHEMA_FILE, schemaText } from './schema-file';

test('environments/schema.json matches the config types (run `npm run schema` after changing them)', () => {
  expect(readFileSync(SCHEMA_FILE, 'utf8')).toBe(schemaText());
});
