import { App, TerraformOutput, TerraformVariable } from 'cdktf';
import { GlueClassifier } from '@cdktf/provider-aws/lib/glue-classifier';
import { ClassifierConfig, only, PlatformStack, problemsOf, synthesize, testApp } from '@data-platform/core';
import { stackWithLake } from '@data-platform/lake';
import { PolicyPack } from '@data-platform/policy';
import { CSV_HEADER, Classifier, GROK_PATTERN_MAX_LENGTH, terraformLiteral } from './classifier';
import { devEnvironment as env, layeredStacks, OFFLINE, processingConfig, ProcessingInput } from './test-support';

type ClassifierInput = ProcessingInput<'classifiers'>;

/** A classifier config as the loader produces it: `input` validated, defaults filled in. */
function classifierConfig(input: ClassifierInput = { type: 'csv', delimiter: ';', header: 'present' }): ClassifierConfig {
  return processingConfig('classifiers', input);
}

function build(config: ClassifierConfig = classifierConfig(), name = 'partner-csv', app: App = testApp()) {
  const stack = new PlatformStack(app, 'dev', { env: env() });
  const classifier = new Classifier(stack, `classifier-${name}`, { name, config });
  return { stack, classifier };
}

/** The only aws_glue_classifier of the stack `build` makes, synthesized. */
const synthOne = (config?: ClassifierConfig, name?: string) => only(synthesize(build(config, name).stack).tf, 'aws_glue_classifier');

describe('Classifier', () => {
  describe('csv', () => {
    it('sets the delimiter, header and quote symbol of the config', () => {
      expect(synthOne()).toEqual({
        name: 'adp-dev-processing-partner-csv-classifier',
        csv_classifier: { delimiter: ';', contains_header: 'PRESENT', quote_symbol: '"' },
      });
    });

    it('takes the loader defaults: comma, header present, double quote', () => {
      expect(classifierConfig({ type: 'csv' })).toEqual({ type: 'csv', delimiter: ',', header: 'present', quoteSymbol: '"' });
      expect(synthOne(classifierConfig({ type: 'csv' })).csv_classifier).toEqual({ delimiter: ',', contains_header: 'PRESENT', quote_symbol: '"' });
    });

    it('maps each header setting to Glue\'s contains_header', () => {
      expect(CSV_HEADER).toEqual({ present: 'PRESENT', absent: 'ABSENT', unknown: 'UNKNOWN' });
      for (const header of ['present', 'absent', 'unknown'] as const) {
        const config = classifierConfig({ type: 'csv', header, quoteSymbol: "'" });
        expect(synthOne(config).csv_classifier).toEqual({ delimiter: ',', contains_header: CSV_HEADER[header], quote_symbol: "'" });
      }
    });
  });

  describe('json', () => {
    it('sets the JSON path and no other classifier block', () => {
      expect(synthOne(classifierConfig({ type: 'json', jsonPath: '$.records[*]' }), 'events-json')).toEqual({
        name: 'adp-dev-processing-events-json-classifier',
        json_classifier: { json_path: '$.records[*]' },
      });
    });
  });

  describe('grok', () => {
    it('sets the classification and the pattern, escaped so Terraform passes %{...} through', () => {
      const config = classifierConfig({ type: 'grok', classification: 'apache-log', pattern: '%{COMMONAPACHELOG} %{GREEDYDATA:rest}' });
      expect(synthOne(config, 'apache')).toEqual({
        name: 'adp-dev-processing-apache-classifier',
        // Terraform reads "%%{" as a literal "%{": Glue receives the pattern as written.
        grok_classifier: { classification: 'apache-log', grok_pattern: '%%{COMMONAPACHELOG} %%{GREEDYDATA:rest}' },
      });
    });

    it('accepts patterns up to Glue\'s 2048 characters', () => {
      expect(GROK_PATTERN_MAX_LENGTH).toBe(2048);
      const pattern = 'x'.repeat(GROK_PATTERN_MAX_LENGTH);
      expect(synthOne({ type: 'grok', classification: 'long', pattern }, 'long').grok_classifier).toEqual({ classification: 'long', grok_pattern: pattern });
    });
  });

  describe('terraformLiteral', () => {
    it('escapes template directives and interpolations, and leaves tokens alone', () => {
      expect(terraformLiteral('%{IP:client} ${HOME} $ % {}')).toBe('%%{IP:client} $${HOME} $ % {}');
      const stack = new PlatformStack(testApp(), 'dev', { env: env() });
      const token = new TerraformVariable(stack, 'pattern', { type: 'string' }).stringValue;
      expect(terraformLiteral(token)).toBe(token);
    });
  });

  describe('members', () => {
    it('exposes the classifier, its physical name as a reference, and its config key', () => {
      const { stack, classifier } = build();
      expect(classifier.classifier).toBeInstanceOf(GlueClassifier);
      new TerraformOutput(stack, 'classifier-name', { value: classifier.name });
      expect(synthesize(stack).tf.output?.['classifier-name']).toEqual({ value: `\${aws_glue_classifier.${classifier.classifier.friendlyUniqueId}.name}` });
      expect(classifier.key).toBe('partner-csv');
    });
  });

  describe('validation', () => {
    const attempt = (config: unknown, name = 'partner-csv') => () => build(config as ClassifierConfig, name);

    it('accepts the classifiers of the environment files', () => {
      expect(attempt(classifierConfig())).not.toThrow();
    });

    it('lists every problem of a csv classifier at once', () => {
      expect(problemsOf(attempt({ type: 'csv', delimiter: ';;', header: 'yes', quoteSymbol: '\n' }, 'Partner_CSV'))).toEqual([
        'Classifier dev/classifier-Partner_CSV: name is "Partner_CSV"; use 2-40 lowercase letters and digits, words joined by "-", starting with a letter (e.g. "clickstream")',
        'Classifier dev/classifier-Partner_CSV: config.delimiter is ";;"; use one character (not a line break) as the column delimiter',
        'Classifier dev/classifier-Partner_CSV: config.quoteSymbol is "\\n"; use one character (not a line break) as the quote symbol',
        'Classifier dev/classifier-Partner_CSV: config.header is "yes"; use present, absent or unknown',
      ]);
    });

    it('rejects a quote symbol equal to the delimiter', () => {
      expect(problemsOf(attempt({ type: 'csv', delimiter: '|', header: 'present', quoteSymbol: '|' }))).toEqual([
        'Classifier dev/classifier-partner-csv: config.quoteSymbol is "|", the same as the delimiter; use a different character (e.g. \'"\')',
      ]);
    });

    it('rejects a JSON path that does not start with "$"', () => {
      expect(problemsOf(attempt({ type: 'json', jsonPath: 'records[*]' }))).toEqual([
        'Classifier dev/classifier-partner-csv: config.jsonPath is "records[*]"; use a JSON path starting with "$", e.g. "$[*]"',
      ]);
    });

    it('rejects a grok classification that is not lowercase and a pattern out of Glue\'s bounds', () => {
      expect(problemsOf(attempt({ type: 'grok', classification: 'Apache Log', pattern: '%{' }))).toEqual([
        'Classifier dev/classifier-partner-csv: config.classification is "Apache Log"; use a lowercase classification name (letters, digits, "_", "-"), e.g. "apache-log"',
        'Classifier dev/classifier-partner-csv: config.pattern has 2 characters; use a grok pattern of 3 to 2048 characters, e.g. "%{COMMONAPACHELOG}"',
      ]);
      expect(problemsOf(attempt({ type: 'grok', classification: 'apache', pattern: 'x'.repeat(2049) }))).toEqual([
        'Classifier dev/classifier-partner-csv: config.pattern has 2049 characters; use a grok pattern of 3 to 2048 characters, e.g. "%{COMMONAPACHELOG}"',
      ]);
    });

    it('rejects an unknown classifier type', () => {
      expect(problemsOf(attempt({ type: 'xml', rowTag: 'row' }))).toEqual([
        'Classifier dev/classifier-partner-csv: config.type is "xml"; use csv, json or grok',
      ]);
    });

    it('skips values that are still tokens', () => {
      const stack = new PlatformStack(testApp(), 'dev', { env: env() });
      const value = (id: string) => new TerraformVariable(stack, id, { type: 'string' }).stringValue;
      expect(() => new Classifier(stack, 'csv', { name: value('name'), config: { type: 'csv', delimiter: value('d'), header: 'present', quoteSymbol: value('q') } })).not.toThrow();
      expect(() => new Classifier(stack, 'json', { name: 'events-json', config: { type: 'json', jsonPath: value('path') } })).not.toThrow();
      expect(() => new Classifier(stack, 'grok', { name: 'apache', config: { type: 'grok', classification: value('c'), pattern: value('p') } })).not.toThrow();
    });
  });

  describe('policy pack', () => {
    const configs: Array<[string, ClassifierInput]> = [
      ['partner-csv', { type: 'csv', delimiter: ';' }],
      ['events-json', { type: 'json', jsonPath: '$[*]' }],
      ['apache', { type: 'grok', classification: 'apache-log', pattern: '%{COMMONAPACHELOG}' }],
    ];

    it('passes in layered stacks', () => {
      const { lakeStack, stack } = layeredStacks(env(), { aspects: [new PolicyPack()] });
      for (const [name, input] of configs) new Classifier(stack, `classifier-${name}`, { name, config: classifierConfig(input) });
      expect(() => synthesize(lakeStack)).not.toThrow();
      expect(Object.keys(synthesize(stack).tf.resource?.aws_glue_classifier ?? {})).toHaveLength(3);
    });

    it('passes in the single stack of the offline environment', () => {
      const { stack } = stackWithLake(env({ ...OFFLINE, protect: false }), { aspects: [new PolicyPack()] });
      for (const [name, input] of configs) new Classifier(stack, `classifier-${name}`, { name, config: classifierConfig(input) });
      expect(() => synthesize(stack)).not.toThrow();
    });
  });
});
