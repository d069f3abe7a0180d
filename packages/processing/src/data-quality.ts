import { Token } from 'cdktf';
import { Construct } from 'constructs';
import { GlueDataQualityRuleset } from '@cdktf/provider-aws/lib/glue-data-quality-ruleset';
import {
  DATASET_NAME_FIX,
  DATASET_NAME_RE,
  JOB_ZONES,
  NAME_LIMITS,
  PlatformStack,
  QualityRulesetConfig,
  Validator,
  describeValue,
} from '@data-platform/core';
import { DataLake } from '@data-platform/lake';

/** Limits of a DQDL ruleset. */
export const DQDL_LIMITS = {
  /** Longest ruleset document Glue accepts, in characters. */
  rulesetLength: 65536,
} as const;

/** Same shape as the config loader's table names. */
const TABLE_RE = /^[a-z_][a-z0-9_]*$/;

const OPENERS: Readonly<Record<string, string>> = { '(': ')', '[': ']', '{': '}' };
const CLOSERS = new Set(Object.values(OPENERS));

/**
 * The DQDL ruleset document of `rules`: `Rules = [`, one rule a line (indented, separated by
 * commas), `]`. Rules are trimmed, not otherwise changed.
 *
 * @example
 * dqdlRuleset(['IsComplete "order_id"', 'RowCount > 0'])
 * // Rules = [
 * //   IsComplete "order_id",
 * //   RowCount > 0
 * // ]
 * @see https://docs.aws.amazon.com/glue/latest/dg/dqdl.html
 */
export function dqdlRuleset(rules: readonly string[]): string {
  return `Rules = [\n${rules.map((rule) => `  ${rule.trim()}`).join(',\n')}\n]`;
}

/**
 * What is wrong with one DQDL rule, as far as can be told without a DQDL parser: empty, a whole
 * ruleset instead of a rule, a trailing comma (the ruleset adds them), an unclosed or unmatched
 * bracket (`(`, `[`, `{`) or quote (`"`, and `'` outside double quotes; a backslash escapes a
 * character inside double quotes). Glue parses the rules themselves when the ruleset is created
 * and rejects the apply with its parser's message.
 *
 * @returns the problem and its fix, or undefined
 */
export function dqdlRuleProblem(rule: string): string | undefined {
  const text = rule.trim();
  if (text === '') return 'is empty; write a DQDL rule, e.g. IsComplete "order_id"';
  if (/^Rules\s*=/.test(text)) return 'is a whole ruleset; list the rules alone, one per item (the ruleset adds "Rules = [ ... ]")';
  if (text.endsWith(',')) return 'ends with a comma; remove it (the ruleset puts the commas between rules)';
  const open: string[] = [];
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote === '"') {
      if (c === '\\') i++;
      else if (c === '"') quote = undefined;
    } else if (quote === "'") {
      if (c === "'") quote = undefined;
    } else if (c === '"' || c === "'") {
      quote = c;
    } else if (OPENERS[c]) {
      open.push(c);
    } else if (CLOSERS.has(c)) {
      const last = open.pop();
      if (last === undefined || OPENERS[last] !== c) {
        return `has an unmatched "${c}" at character ${i + 1}; balance its brackets`;
      }
    }
  }
  if (quote) return `has an unclosed ${quote === '"' ? 'double' : 'single'} quote; close it`;
  if (open.length > 0) return `has an unclosed "${open[open.length - 1]}"; close it with "${OPENERS[open[open.length - 1]]}"`;
  return undefined;
}

/** Props of {@link DataQualityRuleset}. */
export interface DataQualityRulesetProps {
  /** The lake; the table is in the catalog database of `config.zone`. */
  readonly lake: DataLake;
  /** Ruleset name (the key under `processing.dataQuality`): part of its physical name. */
  readonly name: string;
  /** The ruleset's `processing.dataQuality` entry (validated and defaulted by the config loader). */
  readonly config: QualityRulesetConfig;
}

/**
 * A Glue Data Quality ruleset for one catalog table: the rules of `config.rules`, as a DQDL
 * document (see {@link dqdlRuleset}), targeting `config.table` in the catalog database of
 * `config.zone`.
 *
 * - Name `<project>-<env>-processing-<name>-quality`.
 * - Each rule is checked for what can be told without DQDL's parser (see {@link dqdlRuleProblem});
 *   Glue parses the document when the ruleset is created, so a rule it does not understand fails
 *   the apply (not the plan).
 * - The table need not exist when the ruleset is created (a crawler or job may create it later);
 *   it must exist when an evaluation runs.
 *
 * @see https://docs.aws.amazon.com/glue/latest/dg/dqdl.html
 */
export class DataQualityRuleset extends Construct {
  /** The Glue Data Quality ruleset. */
  readonly ruleset: GlueDataQualityRuleset;
  /** Physical name of the ruleset (for evaluation runs and their results). */
  readonly name: string;

  constructor(scope: Construct, id: string, props: DataQualityRulesetProps) {
    super(scope, id);
    const { lake, name, config } = props;
    const v = new Validator(`DataQualityRuleset ${this.node.path}`);
    if (!Token.isUnresolved(name)) v.check(DATASET_NAME_RE.test(name), 'name', `is ${describeValue(name)}; ${DATASET_NAME_FIX}`);
    v.check((JOB_ZONES as readonly string[]).includes(config.zone), 'zone', `is ${describeValue(config.zone)}; use one of ${JOB_ZONES.join(', ')}`);
    if (!Token.isUnresolved(config.table)) {
      v.check(TABLE_RE.test(config.table), 'table', `is ${describeValue(config.table)}; use a lowercase table name of letters, digits and "_"`);
    }
    if (!Array.isArray(config.rules) || config.rules.length === 0) {
      v.add('rules', 'is empty; list at least one DQDL rule, e.g. IsComplete "order_id"');
    } else {
      config.rules.forEach((rule, i) => {
        if (Token.isUnresolved(rule)) return;
        const problem = dqdlRuleProblem(rule);
        if (problem) v.add(`rules[${i}]`, `is ${describeValue(rule)}; ${problem}`);
      });
      const length = dqdlRuleset(config.rules).length;
      v.check(length <= DQDL_LIMITS.rulesetLength, 'rules', `make a ruleset of ${length} characters; keep it to ${DQDL_LIMITS.rulesetLength} (split the rules into two rulesets)`);
    }
    v.throwIfAny();

    const stack = PlatformStack.of(this);
    const { env } = stack;
    const database = lake.databases[config.zone];
    this.name = stack.resourceName('processing', `${name}-quality`, { maxLength: NAME_LIMITS.default });
    this.ruleset = new GlueDataQualityRuleset(this, 'ruleset', {
      name: this.name,
      description: `Data quality rules ${name} of the ${config.zone} table ${config.table} (${env.project}-${env.name})`,
      ruleset: dqdlRuleset(config.rules),
      targetTable: { databaseName: database.name, tableName: config.table },
    });
  }
}
