import { Rule } from './rule';

/** Markers around the generated rule table in packages/policy/README.md. */
export const RULES_TABLE_MARKERS = { begin: '<!-- rules:begin (npm run policy-docs) -->', end: '<!-- rules:end -->' } as const;

/** The Markdown table of `rules`: id, severity, resource types, what each requires and why. */
export function rulesTable(rules: readonly Rule[]): string {
  const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  return [
    '| rule | severity | checks | requires | why |',
    '| --- | --- | --- | --- | --- |',
    ...rules.map((r) => `| \`${r.id}\` | ${r.severity} | ${r.resourceTypes.map((t) => `\`${t}\``).join(', ')} | ${cell(r.description)} | ${cell(r.rationale)} |`),
  ].join('\n');
}

/** `readme` with the text between the markers replaced by the table of `rules`. */
export function withRulesTable(readme: string, rules: readonly Rule[]): string {
  const start = readme.indexOf(RULES_TABLE_MARKERS.begin);
  const end = readme.indexOf(RULES_TABLE_MARKERS.end);
  if (start < 0 || end < start) throw new Error(`the README has no ${RULES_TABLE_MARKERS.begin} ... ${RULES_TABLE_MARKERS.end} section`);
  return `${readme.slice(0, start + RULES_TABLE_MARKERS.begin.length)}\n${rulesTable(rules)}\n${readme.slice(end)}`;
}
