import { ALLOW_DESTROY_VARIABLE, allowedDestroys, blockedDestroys, changeKind, destructiveStatefulChanges, formatSummaries, guardMessage, markdownSummary, summarizePlan } from './plan-summary';

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
