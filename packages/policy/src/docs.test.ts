import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { withRulesTable } from './docs';
import { ALL_RULES } from './rules';

test('README lists every rule with its severity, resource types, requirement and rationale (run `npm run policy-docs` after changing rules)', () => {
  const readme = readFileSync(join(__dirname, '..', 'README.md'), 'utf8');
  expect(readme).toBe(withRulesTable(readme, ALL_RULES));
  for (const rule of ALL_RULES) expect(readme).toContain(`| \`${rule.id}\` | ${rule.severity} |`);
});

test('every rule has an id, a description and a rationale', () => {
  for (const rule of ALL_RULES) {
    expect(rule.id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)+$/);
    expect(rule.description.length).toBeGreaterThan(20);
    expect(rule.rationale.length).toBeGreaterThan(20);
    expect(rule.resourceTypes.length).toBeGreaterThan(0);
  }
});
