import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PlatformManifest } from '@data-platform/core';
import { PolicyReport, STATEFUL_RESOURCE_TYPES } from '@data-platform/policy';
import {
  ALLOW_DESTROY_VARIABLE,
  PLAN_FILES,
  PlanJson,
  REPORT_DEFAULTS,
  STATEFUL_TYPES,
  allowedDestroys,
  blockedDestroys,
  changeKind,
  destructiveStatefulChanges,
  formatSummaries,
  guardMessage,
  hasChanges,
  markdownReport,
  markdownSummary,
  readKeptPlans,
  readPolicyReport,
  summarizePlan,
} from './plan-summary';

const plan = {
  resource_changes: [
    { address: 'aws_s3_bucket.lake_raw_bucket', type: 'aws_s3_bucket', mode: 'managed' as const, change: { actions: ['create'] } },
    { address: 'aws_kms_key.lake_key', type: 'aws_kms_key', mode: 'managed' as const, change: { actions: ['delete', 'create'] } },
    { address: 'aws_iam_role.x', type: 'aws_iam_role', mode: 'managed' as const, change: { actions: ['update'] } },
    { address: 'aws_iam_role.y', type: 'aws_iam_role', mode: 'managed' as const, change: { actions: ['delete'] } },
    { address: 'aws_s3_bucket.lake_curated_bucket', type: 'aws_s3_bucket', mode: 'managed' as const, change: { actions: ['create', 'delete'] } },
    { address: 'aws_sqs_queue.q', type: 'aws_sqs_queue', mode: 'managed' as const, change: { actions: ['no-op'] } },
    { address: 'data.aws_iam_policy_document.p', type: 'aws_iam_policy_document', mode: 'data' as const, change: { actions: ['read'] } },
  ],
};

describe('plan summary', () => {
  test('classifies delete-then-create and create-then-delete as replace', () => {
    expect(changeKind(['delete', 'create'])).toBe('replace');
    expect(changeKind(['create', 'delete'])).toBe('replace');
    expect(changeKind(['delete'])).toBe('destroy');
    expect(changeKind(['update'])).toBe('update');
    expect(changeKind(['no-op'])).toBeUndefined();
    expect(changeKind(['read'])).toBeUndefined();
  });

  test('counts each action and ignores data sources and no-ops', () => {
    const s = summarizePlan('dev-lake', plan);
    expect(s.counts).toEqual({ create: 1, update: 1, replace: 2, destroy: 1 });
  });

  test('lists replaced and destroyed addresses and flags the stateful ones', () => {
    const s = summarizePlan('dev-lake', plan, ['aws_kms_key.lake_key', 'aws_s3_bucket.lake_curated_bucket']);
    expect(s.destructive).toEqual([
      { address: 'aws_kms_key.lake_key', kind: 'replace', stateful: true },
      { address: 'aws_iam_role.y', kind: 'destroy', stateful: false },
      { address: 'aws_s3_bucket.lake_curated_bucket', kind: 'replace', stateful: true },
    ]);
    expect(destructiveStatefulChanges(s)).toEqual(['aws_kms_key.lake_key', 'aws_s3_bucket.lake_curated_bucket']);
  });

  test('renders a table and calls out stateful replacements loudly', () => {
    const text = formatSummaries([summarizePlan('dev-lake', plan, ['aws_kms_key.lake_key'])]);
    expect(text.split('\n').slice(0, 3)).toEqual([
      'stack     create  update  replace  destroy',
      '--------  ------  ------  -------  -------',
      'dev-lake       1       1        2        1',
    ]);
    expect(text).toContain('!! STATEFUL REPLACE: dev-lake aws_kms_key.lake_key');
    expect(text).toContain('DESTROY: dev-lake aws_iam_role.y');
  });

  test('says so when nothing is replaced or destroyed', () => {
    expect(formatSummaries([summarizePlan('local', { resource_changes: [] })])).toContain('No resource is replaced or destroyed.');
    expect(hasChanges(summarizePlan('local', { resource_changes: [] }))).toBe(false);
  });
});

describe('the guard of protected environments', () => {
  const summary = summarizePlan('prod-lake', plan, ['aws_kms_key.lake_key', 'aws_s3_bucket.lake_curated_bucket']);

  test('blocks stateful replacements and destroys in a protected stack, unless each is allowed', () => {
    expect(blockedDestroys(summary, true, [])).toEqual(['aws_kms_key.lake_key', 'aws_s3_bucket.lake_curated_bucket']);
    expect(blockedDestroys(summary, true, ['aws_kms_key.lake_key'])).toEqual(['aws_s3_bucket.lake_curated_bucket']);
    expect(blockedDestroys(summary, false, [])).toEqual([]);
  });

  test('reads the allowed addresses from PLATFORM_ALLOW_DESTROY and says how to use it', () => {
    expect(allowedDestroys({ [ALLOW_DESTROY_VARIABLE]: ' a.b , c.d,' })).toEqual(['a.b', 'c.d']);
    expect(allowedDestroys({})).toEqual([]);
    expect(guardMessage('prod-lake', ['aws_kms_key.lake_key'])).toBe(
      'prod-lake is protected and the plan replaces or destroys stateful resources:\n  aws_kms_key.lake_key\n' +
        'If this is intended, list them in PLATFORM_ALLOW_DESTROY (comma-separated) and run again.',
    );
  });
});

describe('the Markdown summary for pull requests', () => {
  test('tables the counts and raises a caution block for stateful replacements', () => {
    const md = markdownSummary('Plan: prod', [summarizePlan('prod-lake', plan, ['aws_kms_key.lake_key'])]);
    expect(md.split('\n').slice(0, 5)).toEqual([
      '### Plan: prod',
      '',
      '| stack | create | update | replace | destroy |',
      '| --- | ---: | ---: | ---: | ---: |',
      '| `prod-lake` | 1 | 1 | 2 | 1 |',
    ]);
    expect(md).toContain('> [!CAUTION]\n> **Stateful resources would be replaced or destroyed** (data, keys or catalog entries can be lost):\n> - replace `aws_kms_key.lake_key` in `prod-lake`');
    expect(md).toContain('- destroy `aws_iam_role.y` in `prod-lake`');
  });

  test('says so when nothing is replaced or destroyed', () => {
    const md = markdownSummary('Plan: local', [summarizePlan('local', { resource_changes: [] })]);
    expect(md).toContain('No resource is replaced or destroyed.');
    expect(md).not.toContain('CAUTION');
  });
});

/** Real `terraform show -json` output, planned offline by scripts/fixtures/generate-plans.ts. */
const fixture = (name: string): PlanJson => JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'plans', `${name}.json`), 'utf8')) as PlanJson;
const manifest = JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'plans', 'platform.json'), 'utf8')) as PlatformManifest;
const fixtureEnv = manifest.environments[0];
const fixtureStateful = fixtureEnv.stacks[0].stateful;

describe('plan summary of real plans', () => {
  test('the fixture environment is protected and its manifest lists the stateful addresses the guard reads', () => {
    expect(fixtureEnv.protect).toBe(true);
    expect(fixtureStateful).toEqual([
      'aws_glue_catalog_database.lake_raw_database',
      'aws_kms_key.lake_key',
      'aws_s3_bucket.lake_processed_bucket',
      'aws_s3_bucket.lake_raw_bucket',
    ]);
  });

  test('create: counts every new resource, destroys nothing', () => {
    const s = summarizePlan('fixture', fixture('create'), fixtureStateful);
    expect(s.counts).toEqual({ create: 8, update: 0, replace: 0, destroy: 0 });
    expect(s.changes.map((c) => [c.address, c.kind, c.statefulBy])).toEqual([
      ['aws_cloudwatch_log_group.log-group', 'create', undefined],
      ['aws_glue_catalog_database.lake_raw_database', 'create', 'manifest'],
      ['aws_kms_key.lake_key', 'create', 'manifest'],
      ['aws_s3_bucket.lake_processed_bucket', 'create', 'manifest'],
      ['aws_s3_bucket.lake_raw_bucket', 'create', 'manifest'],
      ['aws_s3_bucket_server_side_encryption_configuration.processed-encryption', 'create', undefined],
      ['aws_s3_bucket_server_side_encryption_configuration.raw-encryption', 'create', undefined],
      ['aws_s3_bucket_versioning.raw-versioning', 'create', undefined],
    ]);
    expect(s.destructive).toEqual([]);
    expect(hasChanges(s)).toBe(true);
    expect(blockedDestroys(s, true, [])).toEqual([]);
  });

  test('update: a changed environment tag updates every tagged resource in place, and the no-ops are left out', () => {
    const s = summarizePlan('fixture', fixture('update'), fixtureStateful);
    expect(s.counts).toEqual({ create: 0, update: 5, replace: 0, destroy: 0 });
    expect(s.changes.map((c) => c.address)).toEqual([
      'aws_cloudwatch_log_group.log-group',
      'aws_glue_catalog_database.lake_raw_database',
      'aws_kms_key.lake_key',
      'aws_s3_bucket.lake_processed_bucket',
      'aws_s3_bucket.lake_raw_bucket',
    ]);
    expect(blockedDestroys(s, true, [])).toEqual([]);
  });

  test('replace: a renamed bucket is replaced with what depends on it, and Terraform says why', () => {
    const s = summarizePlan('fixture', fixture('replace'), fixtureStateful);
    expect(s.counts).toEqual({ create: 0, update: 0, replace: 3, destroy: 0 });
    expect(s.changes).toEqual([
      { address: 'aws_s3_bucket.lake_raw_bucket', type: 'aws_s3_bucket', kind: 'replace', statefulBy: 'manifest', reason: 'replace_because_cannot_update' },
      {
        address: 'aws_s3_bucket_server_side_encryption_configuration.raw-encryption',
        type: 'aws_s3_bucket_server_side_encryption_configuration',
        kind: 'replace',
        reason: 'replace_because_cannot_update',
      },
      { address: 'aws_s3_bucket_versioning.raw-versioning', type: 'aws_s3_bucket_versioning', kind: 'replace', reason: 'replace_because_cannot_update' },
    ]);
    expect(s.destructive).toEqual([
      { address: 'aws_s3_bucket.lake_raw_bucket', kind: 'replace', stateful: true },
      { address: 'aws_s3_bucket_server_side_encryption_configuration.raw-encryption', kind: 'replace', stateful: false },
      { address: 'aws_s3_bucket_versioning.raw-versioning', kind: 'replace', stateful: false },
    ]);
  });

  test('destroy: a resource removed from a protected configuration is planned for destroy anyway', () => {
    const s = summarizePlan('fixture', fixture('destroy'), fixtureStateful);
    expect(s.counts).toEqual({ create: 0, update: 0, replace: 0, destroy: 3 });
    expect(s.destructive).toEqual([
      { address: 'aws_cloudwatch_log_group.log-group', kind: 'destroy', stateful: false },
      { address: 'aws_s3_bucket.lake_processed_bucket', kind: 'destroy', stateful: true },
      { address: 'aws_s3_bucket_server_side_encryption_configuration.processed-encryption', kind: 'destroy', stateful: false },
    ]);
    expect(s.changes.map((c) => c.reason)).toEqual(['delete_because_no_resource_config', 'delete_because_no_resource_config', 'delete_because_no_resource_config']);
  });

  test('the guard stops the replace and the destroy of protected stateful resources, and lets each through once allowed', () => {
    const replace = summarizePlan('fixture', fixture('replace'), fixtureStateful);
    const destroy = summarizePlan('fixture', fixture('destroy'), fixtureStateful);
    expect(blockedDestroys(replace, fixtureEnv.protect, [])).toEqual(['aws_s3_bucket.lake_raw_bucket']);
    expect(blockedDestroys(destroy, fixtureEnv.protect, [])).toEqual(['aws_s3_bucket.lake_processed_bucket']);
    expect(blockedDestroys(destroy, fixtureEnv.protect, allowedDestroys({ [ALLOW_DESTROY_VARIABLE]: 'aws_s3_bucket.lake_processed_bucket' }))).toEqual([]);
    expect(guardMessage('fixture', blockedDestroys(replace, true, []))).toBe(
      'fixture is protected and the plan replaces or destroys stateful resources:\n  aws_s3_bucket.lake_raw_bucket\n' +
        'If this is intended, list them in PLATFORM_ALLOW_DESTROY (comma-separated) and run again.',
    );
  });

  test('a bucket missing from the manifest is still stateful by its type, and still guarded', () => {
    const s = summarizePlan('fixture', fixture('replace'), []);
    expect(s.changes[0]).toMatchObject({ address: 'aws_s3_bucket.lake_raw_bucket', statefulBy: 'type' });
    expect(blockedDestroys(s, true, [])).toEqual(['aws_s3_bucket.lake_raw_bucket']);
  });

  test('the terminal summary calls out the stateful replacement', () => {
    const text = formatSummaries([summarizePlan('fixture', fixture('replace'), fixtureStateful)]);
    expect(text.split('\n')).toEqual([
      'stack    create  update  replace  destroy',
      '-------  ------  ------  -------  -------',
      'fixture       0       0        3        0',
      '!! STATEFUL REPLACE: fixture aws_s3_bucket.lake_raw_bucket',
      'REPLACE: fixture aws_s3_bucket_server_side_encryption_configuration.raw-encryption',
      'REPLACE: fixture aws_s3_bucket_versioning.raw-versioning',
    ]);
  });
});

test('stateful resource types are the policy pack\'s: data, keys, catalog entries, streams, tables, registry groups, Studio domains', () => {
  expect(STATEFUL_TYPES).toBe(STATEFUL_RESOURCE_TYPES);
  expect(STATEFUL_TYPES).toEqual(expect.arrayContaining([
    'aws_s3_bucket', 'aws_kms_key', 'aws_glue_catalog_database', 'aws_glue_catalog_table', 'aws_kinesis_stream', 'aws_dynamodb_table',
    'aws_sagemaker_model_package_group', 'aws_sagemaker_domain',
  ]));
  const s = summarizePlan('x', {
    resource_changes: [
      { address: 'aws_glue_catalog_table.t', type: 'aws_glue_catalog_table', change: { actions: ['delete'] } },
      { address: 'aws_dynamodb_table.d', type: 'aws_dynamodb_table', change: { actions: ['delete'] } },
      { address: 'aws_sqs_queue.q', type: 'aws_sqs_queue', change: { actions: ['delete'] } },
      { address: 'aws_sqs_queue.marked', type: 'aws_sqs_queue', change: { actions: ['delete'] } },
    ],
  }, ['aws_sqs_queue.marked']);
  expect(s.changes.map((c) => c.statefulBy)).toEqual(['type', 'type', undefined, 'manifest']);
});

const policy: PolicyReport = {
  stack: 'fixture',
  environment: 'fixture',
  counts: { pass: 40, fail: 0, suppressed: 1, notApplicable: 3 },
  findings: [
    {
      ruleId: 's3-kms-encryption',
      severity: 'high',
      address: 'aws_s3_bucket.lake_access_logs_bucket',
      path: 'fixture/lake/access-logs/bucket',
      status: 'suppressed',
      message: 'is encrypted with AES256',
      reason: 'S3 server access logging delivers only to SSE-S3 buckets | never SSE-KMS',
    },
  ],
  suppressions: [{ path: 'fixture/lake/access-logs/bucket', ruleId: 's3-kms-encryption', reason: 'S3 server access logging delivers only to SSE-S3 buckets | never SSE-KMS', used: true }],
};

describe('the full Markdown report', () => {
  const replace = summarizePlan('fixture', fixture('replace'), fixtureStateful);
  const destroy = summarizePlan('fixture-2', fixture('destroy'), fixtureStateful);
  const create = summarizePlan('fixture', fixture('create'), fixtureStateful);

  test('groups counts by environment then stack', () => {
    const md = markdownReport('Plan: fixture, dev', [
      { environment: 'fixture', protect: true, stacks: [{ summary: replace, policy }, { summary: destroy }] },
      { environment: 'dev', protect: false, stacks: [{ summary: summarizePlan('dev-lake', { resource_changes: [] }) }] },
    ]);
    expect(md.split('\n').slice(0, 7)).toEqual([
      '### Plan: fixture, dev',
      '',
      '| environment | stack | create | update | replace | destroy |',
      '| --- | --- | ---: | ---: | ---: | ---: |',
      '| fixture | `fixture` | 0 | 0 | 3 | 0 |',
      '| fixture | `fixture-2` | 0 | 0 | 0 | 3 |',
      '| dev | `dev-lake` | 0 | 0 | 0 | 0 |',
    ]);
    expect(md.indexOf('#### Environment `fixture` (protected)')).toBeLessThan(md.indexOf('##### `fixture`: 3 to replace'));
    expect(md.indexOf('##### `fixture-2`: 3 to destroy')).toBeLessThan(md.indexOf('#### Environment `dev`\n'));
    expect(md).toContain('##### `dev-lake`: no changes');
  });

  test('raises one loud caution block for the stateful replacements and destroys, saying the guard stops them', () => {
    const md = markdownReport('Plan', [
      { environment: 'fixture', protect: true, stacks: [{ summary: replace }, { summary: destroy }] },
      { environment: 'dev', protect: false, stacks: [{ summary: summarizePlan('dev-lake', fixture('destroy'), []) }] },
    ]);
    expect(md).toContain(
      [
        '> [!CAUTION]',
        '> **Stateful resources would be replaced or destroyed** (data, keys or catalog entries can be lost):',
        '> - **replace** `aws_s3_bucket.lake_raw_bucket` in `fixture`. **fixture is protected: the plan fails unless PLATFORM_ALLOW_DESTROY lists it.**',
        '> - **destroy** `aws_s3_bucket.lake_processed_bucket` in `fixture-2`. **fixture is protected: the plan fails unless PLATFORM_ALLOW_DESTROY lists it.**',
        '> - **destroy** `aws_s3_bucket.lake_processed_bucket` in `dev-lake` (not marked stateful, but a `aws_s3_bucket` holds data). (dev is not protected: nothing stops it)',
        '',
      ].join('\n'),
    );
    expect(md).not.toContain('No resource is replaced or destroyed.');
  });

  test('tables each changed resource with its type and action, stateful ones marked', () => {
    const md = markdownReport('Plan', [{ environment: 'fixture', protect: true, stacks: [{ summary: replace }] }]);
    expect(md).toContain(
      [
        '##### `fixture`: 3 to replace',
        '',
        '| address | type | action |',
        '| --- | --- | --- |',
        '| `aws_s3_bucket.lake_raw_bucket` | `aws_s3_bucket` | **replace** (stateful) |',
        '| `aws_s3_bucket_server_side_encryption_configuration.raw-encryption` | `aws_s3_bucket_server_side_encryption_configuration` | **replace** |',
        '| `aws_s3_bucket_versioning.raw-versioning` | `aws_s3_bucket_versioning` | **replace** |',
        '',
      ].join('\n'),
    );
    expect(md).not.toContain('<details><summary>3 changed resources');
  });

  test('folds a long table into a details block and caps its rows', () => {
    const md = markdownReport('Plan', [{ environment: 'fixture', protect: true, stacks: [{ summary: create }] }], { foldRowsAbove: 5, maxRows: 6 });
    expect(md).toContain('<details><summary>8 changed resources</summary>\n\n| address | type | action |');
    expect(md).toContain('| `aws_s3_bucket_server_side_encryption_configuration.processed-encryption` | `aws_s3_bucket_server_side_encryption_configuration` | create |\n\n…and 2 more (the plan JSON lists every one).\n\n</details>');
    expect(REPORT_DEFAULTS.foldRowsAbove).toBe(10);
    expect(REPORT_DEFAULTS.maxRows).toBe(200);
  });

  test("includes each stack's policy counts and every suppression with its reason", () => {
    const md = markdownReport('Plan', [{ environment: 'fixture', protect: true, stacks: [{ summary: create, policy }, { summary: destroy }] }]);
    expect(md).toContain(
      [
        'Policy: 40 passed, 0 failed, 1 suppressed, 3 not applicable.',
        '',
        '| suppressed rule | resource | reason |',
        '| --- | --- | --- |',
        '| `s3-kms-encryption` (high) | `aws_s3_bucket.lake_access_logs_bucket` | S3 server access logging delivers only to SSE-S3 buckets \\| never SSE-KMS |',
      ].join('\n'),
    );
    expect(md).toContain('Policy report: none found (synthesize first).');
  });

  test("embeds the environment's diagram in a mermaid block", () => {
    const md = markdownReport('Plan', [{ environment: 'fixture', protect: true, stacks: [{ summary: create }], diagram: 'flowchart LR\n  a --> b\n' }]);
    expect(md).toContain('<details><summary>Diagram of fixture (changed resources highlighted)</summary>\n\n```mermaid\nflowchart LR\n  a --> b\n```\n\n</details>');
  });

  test("leaves the diagrams out, then lists fewer rows, to stay under GitHub's comment limit", () => {
    const diagram = `flowchart LR\n${'  a --> b\n'.repeat(500)}`;
    const envs = [{ environment: 'fixture', protect: true, stacks: [{ summary: create }], diagram }];
    expect(markdownReport('Plan', envs).length).toBeGreaterThan(5000);
    const short = markdownReport('Plan', envs, { maxLength: 4000 });
    expect(short).not.toContain('```mermaid');
    expect(short).toContain("_Diagrams left out: with them this comment would be longer than 4000 characters (GitHub's limit is 65,536); `npm run diagram -- <env>` draws one._");
    expect(short).toContain('| `aws_s3_bucket_versioning.raw-versioning` |');
    const shorter = markdownReport('Plan', [{ ...envs[0], stacks: [{ summary: { ...create, changes: Array(60).fill(create.changes[0]) } }] }], { maxLength: 4000 });
    expect(shorter.length).toBeLessThan(4000);
    expect(shorter).toContain('…and 40 more (the plan JSON lists every one).');
    expect(REPORT_DEFAULTS.maxLength).toBe(65_000);
    expect(REPORT_DEFAULTS.shortRows).toBe(20);
  });

  test('says so when nothing is replaced or destroyed', () => {
    const md = markdownReport('Plan', [{ environment: 'fixture', protect: true, stacks: [{ summary: create }] }]);
    expect(md).toContain('No resource is replaced or destroyed.');
    expect(md).not.toContain('CAUTION');
  });
});

describe('kept plans', () => {
  test('summarizes the plans kept under <dir>/<stack>/plan.json, skipping stacks without one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kept-'));
    mkdirSync(join(dir, 'fixture'));
    writeFileSync(join(dir, 'fixture', PLAN_FILES.json), JSON.stringify(fixture('destroy')));
    const kept = readKeptPlans(dir, [{ name: 'fixture', stateful: fixtureStateful }, { name: 'unplanned', stateful: [] }]);
    expect(kept).toEqual([summarizePlan('fixture', fixture('destroy'), fixtureStateful)]);
  });
});

describe('policy reports', () => {
  test('reads the report synthesis wrote beside the stack, and nothing where there is none', () => {
    const dir = mkdtempSync(join(tmpdir(), 'stack-'));
    expect(readPolicyReport(dir)).toBeUndefined();
    writeFileSync(join(dir, 'policy-report.json'), JSON.stringify(policy));
    expect(readPolicyReport(dir)).toEqual(policy);
  });
});
