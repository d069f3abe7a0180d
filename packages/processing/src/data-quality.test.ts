import { App } from 'cdktf';
import { GlueDataQualityRuleset } from '@cdktf/provider-aws/lib/glue-data-quality-ruleset';
import { EnvironmentConfig, problemsOf as problemsThrownBy, QualityRulesetConfig, synthesize, testApp } from '@data-platform/core';
import { stackWithLake } from '@data-platform/lake';
import { PolicyPack } from '@data-platform/policy';
import { DQDL_LIMITS, DataQualityRuleset, dqdlRuleProblem, dqdlRuleset } from './data-quality';
import { devEnvironment as env, layeredStacks, OFFLINE, processingConfig, ProcessingInput } from './test-support';

type QualityInput = ProcessingInput<'dataQuality'>;

/** The ruleset of environments/dev.yaml. */
const DAILY_REVENUE: QualityInput = {
  table: 'daily_revenue',
  rules: ['IsComplete "order_date"', 'IsUnique "order_date"', 'ColumnValues "revenue" >= 0', 'RowCount > 0'],
};

/** A ruleset config as the loader produces it: `input` validated, defaults filled in. */
const qualityConfig = (input: QualityInput = DAILY_REVENUE): QualityRulesetConfig => processingConfig('dataQuality', input);

function build(config: QualityRulesetConfig = qualityConfig(), name = 'daily-revenue', environment: EnvironmentConfig = env()) {
  const { stack, lake } = stackWithLake(environment);
  const ruleset = new DataQualityRuleset(stack, `quality-${name}`, { lake, name, config });
  return { stack, lake, ruleset };
}

/** The problems DataQualityRuleset reports for `config`, one a line. */
const problemsOf = (config: QualityRulesetConfig, name = 'daily-revenue') => problemsThrownBy(() => build(config, name));

const SOURCE = 'DataQualityRuleset dev/quality-daily-revenue';

describe('dqdlRuleset', () => {
  it('lists the rules in Rules = [ ... ], one a line, separated by commas', () => {
    expect(dqdlRuleset(DAILY_REVENUE.rules)).toBe(
      'Rules = [\n  IsComplete "order_date",\n  IsUnique "order_date",\n  ColumnValues "revenue" >= 0,\n  RowCount > 0\n]',
    );
  });

  it('trims each rule and keeps one rule without a comma', () => {
    expect(dqdlRuleset(['  RowCount > 0 \n'])).toBe('Rules = [\n  RowCount > 0\n]');
  });
});

describe('dqdlRuleProblem', () => {
  it.each([
    'IsComplete "order_id"',
    'ColumnValues "status" in ["new", "paid"]',
    '(IsComplete "a") and (IsUnique "b")',
    'CustomSql "select count(*) from primary where status = \'x\'" > 0',
    'ColumnValues "email" matches "[a-z]+\\"@"',
    'ColumnLength "code" between 1 and 10 with threshold > 0.9',
  ])('accepts %s', (rule) => {
    expect(dqdlRuleProblem(rule)).toBeUndefined();
  });

  it.each([
    ['   ', 'is empty; write a DQDL rule, e.g. IsComplete "order_id"'],
    ['Rules = [ RowCount > 0 ]', 'is a whole ruleset; list the rules alone, one per item (the ruleset adds "Rules = [ ... ]")'],
    ['RowCount > 0,', 'ends with a comma; remove it (the ruleset puts the commas between rules)'],
    ['IsComplete "order_id', 'has an unclosed double quote; close it'],
    ["ColumnValues 'status in [1]", 'has an unclosed single quote; close it'],
    ['ColumnValues "status" in ["new", "paid"', 'has an unclosed "["; close it with "]"'],
    ['(IsComplete "a")) and (IsUnique "b")', 'has an unmatched ")" at character 17; balance its brackets'],
    ['ColumnValues "s" in ["a")', 'has an unmatched ")" at character 25; balance its brackets'],
  ])('rejects %s', (rule, problem) => {
    expect(dqdlRuleProblem(rule)).toBe(problem);
  });
});

describe('DataQualityRuleset', () => {
  it('documents its limits as constants', () => {
    expect(DQDL_LIMITS).toEqual({ rulesetLength: 65536 });
  });

  it('checks the rules as a DQDL ruleset against the table in the zone database', () => {
    const { json } = synthesize(build().stack);
    expect(json).toHaveResourceWithProperties(GlueDataQualityRuleset, {
      name: 'adp-dev-processing-daily-revenue-quality',
      description: 'Data quality rules daily-revenue of the curated table daily_revenue (adp-dev)',
      ruleset: dqdlRuleset(DAILY_REVENUE.rules),
      target_table: { database_name: '${aws_glue_catalog_database.lake_curated_database.name}', table_name: 'daily_revenue' },
    });
  });

  it('targets the curated database unless told otherwise (the loader default)', () => {
    expect(qualityConfig().zone).toBe('curated');
    const { json } = synthesize(build(qualityConfig({ ...DAILY_REVENUE, zone: 'processed' })).stack);
    expect(json).toHaveResourceWithProperties(GlueDataQualityRuleset, {
      target_table: { database_name: '${aws_glue_catalog_database.lake_processed_database.name}', table_name: 'daily_revenue' },
    });
  });

  it('exposes the ruleset and its name', () => {
    const { ruleset } = build();
    expect(ruleset.name).toBe('adp-dev-processing-daily-revenue-quality');
    expect(ruleset.ruleset).toBeInstanceOf(GlueDataQualityRuleset);
  });

  describe('validation', () => {
    it('rejects malformed rules, naming each by its index', () => {
      const config = { ...qualityConfig(), rules: ['IsComplete "order_date"', 'IsComplete "order_id', '', 'RowCount > 0,'] };
      expect(problemsOf(config)).toEqual([
        `${SOURCE}: rules[1] is "IsComplete \\"order_id"; has an unclosed double quote; close it`,
        `${SOURCE}: rules[2] is ""; is empty; write a DQDL rule, e.g. IsComplete "order_id"`,
        `${SOURCE}: rules[3] is "RowCount > 0,"; ends with a comma; remove it (the ruleset puts the commas between rules)`,
      ]);
    });

    it('rejects no rules', () => {
      expect(problemsOf({ ...qualityConfig(), rules: [] })).toEqual([`${SOURCE}: rules is empty; list at least one DQDL rule, e.g. IsComplete "order_id"`]);
    });

    it('rejects a ruleset longer than Glue accepts', () => {
      const rules = Array.from({ length: 3000 }, (_, i) => `IsComplete "column_number_${i}"`);
      const length = dqdlRuleset(rules).length;
      expect(problemsOf({ ...qualityConfig(), rules })).toEqual([
        `${SOURCE}: rules make a ruleset of ${length} characters; keep it to 65536 (split the rules into two rulesets)`,
      ]);
    });

    it('rejects a bad name, zone and table, all at once', () => {
      const config = { ...qualityConfig(), zone: 'landing', table: 'Daily-Revenue' } as unknown as QualityRulesetConfig;
      expect(problemsOf(config, 'Daily Revenue')).toEqual([
        'DataQualityRuleset dev/quality-Daily Revenue: name is "Daily Revenue"; use 2-40 lowercase letters and digits, words joined by "-", starting with a letter (e.g. "clickstream")',
        'DataQualityRuleset dev/quality-Daily Revenue: zone is "landing"; use one of raw, processed, curated',
        'DataQualityRuleset dev/quality-Daily Revenue: table is "Daily-Revenue"; use a lowercase table name of letters, digits and "_"',
      ]);
    });
  });

  describe('in the layered and single-stack builds', () => {
    function layered(app: App) {
      const { lakeStack, lake, stack } = layeredStacks(env(), { app, aspects: [new PolicyPack()] });
      new DataQualityRuleset(stack, 'quality-daily-revenue', { lake, name: 'daily-revenue', config: qualityConfig() });
      return { lakeStack, stack };
    }

    it('passes the policy pack with the lake in its own stack, reaching the database across stacks', () => {
      const { lakeStack, stack } = layered(testApp());
      expect(() => synthesize(lakeStack)).not.toThrow();
      const { tf } = synthesize(stack);
      const ruleset = Object.values(tf.resource?.aws_glue_data_quality_ruleset ?? {})[0];
      expect(ruleset.target_table).toEqual({
        database_name: expect.stringMatching(/^\$\{data\.terraform_remote_state\.[^.]+\.outputs\.[^}]+\}$/),
        table_name: 'daily_revenue',
      });
    });

    it('passes the policy pack in the offline single stack', () => {
      const { stack, lake } = stackWithLake(env(OFFLINE), { aspects: [new PolicyPack()] });
      new DataQualityRuleset(stack, 'quality-daily-revenue', { lake, name: 'daily-revenue', config: qualityConfig() });
      expect(() => synthesize(stack)).not.toThrow();
    });
  });
});
