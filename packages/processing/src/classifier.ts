import { Token } from 'cdktf';
import { Construct } from 'constructs';
import { GlueClassifier } from '@cdktf/provider-aws/lib/glue-classifier';
import { ClassifierConfig, DATASET_NAME_FIX, DATASET_NAME_RE, NAME_LIMITS, PlatformStack, Validator } from '@data-platform/core';

/**
 * How a CSV classifier's `header` setting maps to Glue's `contains_header`: `present` (the first
 * row names the columns), `absent` (it is data) or `unknown` (Glue decides from the rows).
 */
export const CSV_HEADER = { present: 'PRESENT', absent: 'ABSENT', unknown: 'UNKNOWN' } as const;

/** Longest grok pattern Glue accepts (`GrokPattern`, 1 to 2048 characters). */
export const GROK_PATTERN_MAX_LENGTH = 2048;

/** Props of {@link Classifier}. */
export interface ClassifierProps {
  /** Classifier name (the key under `processing.classifiers`): part of its physical name. */
  readonly name: string;
  /** The classifier's `processing.classifiers` entry (validated and defaulted by the config loader). */
  readonly config: ClassifierConfig;
}

/**
 * A custom Glue classifier that crawlers try before the built-in ones: CSV (delimiter, header,
 * quote symbol), JSON (a JSON path selecting the records) or grok (a pattern and the
 * classification it gives matching files).
 *
 * - Physical name `<project>-<env>-processing-<name>-classifier`, within Glue's 255 characters of
 *   lowercase letters, digits and "-" (longer names are shortened with a stable hash).
 * - A crawler lists the classifiers it uses by this name ({@link Classifier.name}, a reference, so
 *   Terraform creates the classifier before the crawler).
 * - Grok patterns and JSON paths are escaped for Terraform (`%{` becomes `%%{`), so
 *   `%{COMMONAPACHELOG}` reaches Glue as written: see {@link terraformLiteral}.
 * - Classifiers hold no data: nothing here is stateful, and no address is pinned.
 *
 * @see https://docs.aws.amazon.com/glue/latest/dg/custom-classifier.html
 */
export class Classifier extends Construct {
  /** The Glue classifier. */
  readonly classifier: GlueClassifier;
  /** Physical name of the classifier, to list in a crawler's `classifiers` (a Terraform reference). */
  readonly name: string;
  /** The classifier's key under `processing.classifiers`, which crawler configs name it by. */
  readonly key: string;

  constructor(scope: Construct, id: string, props: ClassifierProps) {
    super(scope, id);
    checkProps(new Validator(`Classifier ${this.node.path}`), props).throwIfAny();
    const { name, config } = props;
    const stack = PlatformStack.of(this);

    this.classifier = new GlueClassifier(this, 'classifier', {
      // NAME_LIMITS.glueDatabase: every Glue name (database, classifier, crawler) has the same 255-character limit.
      name: stack.resourceName('processing', `${name}-classifier`, { maxLength: NAME_LIMITS.glueDatabase }),
      ...classifierBlock(config),
    });
    this.name = this.classifier.name;
    this.key = name;
  }
}

/** The one classifier block of `config`'s type. */
function classifierBlock(config: ClassifierConfig) {
  switch (config.type) {
    case 'csv':
      return {
        csvClassifier: { delimiter: config.delimiter, containsHeader: CSV_HEADER[config.header], quoteSymbol: config.quoteSymbol },
      };
    case 'json':
      return { jsonClassifier: { jsonPath: terraformLiteral(config.jsonPath) } };
    case 'grok':
      return { grokClassifier: { classification: config.classification, grokPattern: terraformLiteral(config.pattern) } };
  }
}

/**
 * `text` as Terraform reads it literally: Terraform JSON strings are templates, where `%{...}`
 * (every grok pattern reference, e.g. `%{COMMONAPACHELOG}`) is a directive and `${...}` an
 * interpolation; doubling the `%` or `$` escapes them. A value that is still a token is left alone.
 * @see https://developer.hashicorp.com/terraform/language/syntax/json#expression-mapping
 */
export function terraformLiteral(text: string): string {
  return Token.isUnresolved(text) ? text : text.replace(/([$%])\{/g, '$1$1{');
}

/** Records problems with the props of a Classifier (values still tokens are skipped). */
function checkProps(v: Validator, { name, config }: ClassifierProps): Validator {
  const known = (value: string) => !Token.isUnresolved(value);
  if (known(name)) v.check(DATASET_NAME_RE.test(name), 'name', `is ${JSON.stringify(name)}; ${DATASET_NAME_FIX}`);
  switch (config.type) {
    case 'csv': {
      // Glue takes one character, not a line break, for each; the same one for both cannot be parsed.
      const single = (field: 'delimiter' | 'quoteSymbol', what: string) => {
        const value = config[field];
        if (known(value)) {
          v.check(value.length === 1 && !/[\r\n]/.test(value), `config.${field}`, `is ${JSON.stringify(value)}; use one character (not a line break) as the ${what}`);
        }
      };
      single('delimiter', 'column delimiter');
      single('quoteSymbol', 'quote symbol');
      if (known(config.delimiter) && known(config.quoteSymbol) && config.delimiter === config.quoteSymbol) {
        v.add('config.quoteSymbol', `is ${JSON.stringify(config.quoteSymbol)}, the same as the delimiter; use a different character (e.g. '"')`);
      }
      v.check(Object.hasOwn(CSV_HEADER, config.header), 'config.header', `is ${JSON.stringify(config.header)}; use present, absent or unknown`);
      break;
    }
    case 'json':
      if (known(config.jsonPath)) {
        v.check(config.jsonPath.startsWith('$'), 'config.jsonPath', `is ${JSON.stringify(config.jsonPath)}; use a JSON path starting with "$", e.g. "$[*]"`);
      }
      break;
    case 'grok':
      if (known(config.classification)) {
        v.check(/^[a-z][a-z0-9_-]*$/.test(config.classification), 'config.classification',
          `is ${JSON.stringify(config.classification)}; use a lowercase classification name (letters, digits, "_", "-"), e.g. "apache-log"`);
      }
      if (known(config.pattern)) {
        const { length } = config.pattern;
        v.check(length >= 3 && length <= GROK_PATTERN_MAX_LENGTH, 'config.pattern',
          `has ${length} characters; use a grok pattern of 3 to ${GROK_PATTERN_MAX_LENGTH} characters, e.g. "%{COMMONAPACHELOG}"`);
      }
      break;
    default:
      v.add('config.type', `is ${JSON.stringify((config as { type?: unknown }).type)}; use csv, json or grok`);
  }
  return v;
}
