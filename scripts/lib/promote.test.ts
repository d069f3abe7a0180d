import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { EXPECTED_TO_DIFFER, MAX_VALUE_LENGTH, diffEnvironments, formatDiff, hasReviewableDifferences, markdownDiff, readEnvironmentFile, showValue } from './promote';

const DIR = join(__dirname, '..', 'fixtures', 'environments');
const diff = diffEnvironments(readEnvironmentFile(DIR, 'uat'), readEnvironmentFile(DIR, 'live'));

describe('the difference between two environment files', () => {
  test('lists changed values field by field', () => {
    expect(diff.changed).toEqual([
      { path: 'ingestion.databases.orders.instanceClass', from: 'dms.t3.medium', to: 'dms.r5.large' },
      { path: 'ingestion.databases.orders.multiAz', from: false, to: true },
      { path: 'ingestion.databases.orders.sourceCidr', from: '10.40.64.0/24', to: '10.50.64.0/24' },
      { path: 'ingestion.streams.clickstream.mode', from: 'on-demand', to: 'provisioned' },
      { path: 'lake.zones.raw.expirationDays', from: 90, to: 730 },
      { path: 'observability.alerts.email', from: ['data-platform-uat@example.com'], to: ['data-platform-oncall@example.com'] },
      { path: 'processing.jobs.orders-clean.workers', from: 2, to: 10 },
    ]);
  });

  test('lists fields only one file sets, at the highest level missing, with the default the other gets', () => {
    expect(diff.onlyInFrom).toEqual([
      {
        path: 'processing.jobs.customer-features',
        from: { script: 'customer_features.py', source: { zone: 'processed', prefix: 'orders/' }, target: { zone: 'curated', prefix: 'customer_features/' }, workers: 2 },
      },
    ]);
    expect(diff.onlyInTo).toEqual([
      { path: 'ingestion.streams.clickstream.retentionHours', to: 168, fromDefault: 24 },
      { path: 'ingestion.streams.clickstream.shards', to: 4 },
      { path: 'lake.zones.raw.archiveDays', to: 90 },
      { path: 'observability.budget', to: { monthlyLimitUsd: 3000 } },
      { path: 'tags.data-classification', to: 'confidential' },
    ]);
  });

  test('compares parsed values, not text, and lists by name: a quoted string, a default set explicitly and the same columns are no difference', () => {
    const all = [...diff.changed, ...diff.onlyInFrom, ...diff.onlyInTo, ...diff.byName, ...diff.expected].map((d) => d.path);
    expect(all.filter((p) => p.includes('columns') || p.includes('bookmarks'))).toEqual([]);
  });

  test('sets apart values that differ only by the environment name or account', () => {
    expect(diff.byName.map((d) => d.path)).toEqual([
      'ingestion.batch.partner-import.image',
      'ingestion.databases.orders.host',
      'ingestion.databases.orders.secretArn',
      'ingestion.saas.salesforce-accounts.connectorProfile',
    ]);
    expect(diff.byName[1]).toEqual({ path: 'ingestion.databases.orders.host', from: 'orders.uat.internal.example.com', to: 'orders.live.internal.example.com' });
  });

  test('lists the fields that always differ between environments as expected', () => {
    expect(EXPECTED_TO_DIFFER).toEqual(['name', 'account', 'deployRole', 'state', 'network', 'ci', 'stage', 'protect']);
    expect(diff.expected.map((d) => d.path)).toEqual([
      'account',
      'ci.githubEnvironment',
      'ci.planRole',
      'deployRole',
      'name',
      'network.subnets.eu-west-1a',
      'network.subnets.eu-west-1b',
      'network.subnets.eu-west-1c',
      'network.vpcCidr',
      'network.vpcId',
      'stage',
      'state.bucket',
      'state.keyPrefix',
    ]);
    expect(diff.expected.find((d) => d.path === 'state.keyPrefix')).toEqual({ path: 'state.keyPrefix', to: 'platform/live' });
    expect(hasReviewableDifferences(diff)).toBe(true);
  });

  test('finds nothing to review between a file and a copy that differs only in identity', () => {
    const dir = mkdtempSync(join(tmpdir(), 'envs-'));
    writeFileSync(join(dir, 'qa.yaml'), 'name: qa\naccount: "111111111111"\nregion: eu-west-1\noffline: true\nlayout: single\ntags: { team: qa-team }\n');
    writeFileSync(join(dir, 'qb.yaml'), 'name: qb\naccount: "222222222222"\nregion: eu-west-1\noffline: true\nlayout: single\nstage: development\nprotect: false\ntags: { "team": "qb-team" }\n');
    const same = diffEnvironments(readEnvironmentFile(dir, 'qa'), readEnvironmentFile(dir, 'qb'));
    expect(hasReviewableDifferences(same)).toBe(false);
    expect(same.byName).toEqual([{ path: 'tags.team', from: 'qa-team', to: 'qb-team' }]);
    // stage: development is what qa gets by default: no difference; protect: false is one (the default is true).
    expect(same.expected.map((d) => d.path)).toEqual(['account', 'name', 'protect']);
    expect(same.expected[2]).toEqual({ path: 'protect', to: false, fromDefault: true });
    expect(formatDiff(same)).toContain('No differences besides the expected ones.');
  });

  test("stops on an invalid file with the config loader's message", () => {
    const dir = mkdtempSync(join(tmpdir(), 'envs-'));
    writeFileSync(join(dir, 'bad.yaml'), 'name: bad\naccount: "1"\nregion: eu-west-1\n');
    expect(() => readEnvironmentFile(dir, 'bad')).toThrow(`${join(dir, 'bad.yaml')}: account is "1"; use the 12-digit AWS account id`);
    expect(() => readEnvironmentFile(dir, 'none')).toThrow(`${join(dir, 'none.yaml')}: does not exist`);
  });
});

describe('the report', () => {
  test('prints what to review first, then the expected differences', () => {
    const text = formatDiff(diff);
    const lines = text.split('\n');
    expect(lines[0]).toBe(`Promoting uat -> live: what differs between ${relative(process.cwd(), join(DIR, 'uat.yaml'))} and ${relative(process.cwd(), join(DIR, 'live.yaml'))}`);
    expect(text).toContain('\nChanged (7):\n  ingestion.databases.orders.instanceClass: "dms.t3.medium" -> "dms.r5.large"\n');
    expect(text).toContain('\nOnly in live (5):\n  ingestion.streams.clickstream.retentionHours: (unset, default 24) -> 168\n  ingestion.streams.clickstream.shards: (unset) -> 4\n');
    expect(text).toContain("\nDiffer only by the environment's name or account (4):\n");
    expect(text.indexOf('Changed (7)')).toBeLessThan(text.indexOf('Expected to differ per environment (13)'));
  });

  test('writes Markdown tables, folding the expected differences', () => {
    const md = markdownDiff(diff);
    expect(md.split('\n').slice(0, 3)).toEqual(['### Promotion uat → live', '', '7 changed, 1 only in uat, 5 only in live.']);
    expect(md).toContain('#### Changed (7)\n\n| field | uat | live |\n| --- | --- | --- |\n| `ingestion.databases.orders.instanceClass` | `"dms.t3.medium"` | `"dms.r5.large"` |');
    expect(md).toContain('| `ingestion.streams.clickstream.retentionHours` | _(unset, default `24`)_ | `168` |');
    expect(md).toContain('<details><summary>Expected to differ per environment (13)</summary>\n\n| field | uat | live |');
  });

  test('caps long values', () => {
    expect(showValue('x'.repeat(200))).toHaveLength(MAX_VALUE_LENGTH);
    expect(showValue('x'.repeat(200)).endsWith('…')).toBe(true);
    expect(showValue(['a', 1])).toBe('["a",1]');
  });
});
