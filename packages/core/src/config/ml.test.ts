import { parseEnvironment } from './loader';
import { TEST_FILE, lines, problemsIn } from './test-support';
import { ML_DEFAULTS } from './ml';

const FILE = TEST_FILE;
const BASE = 'name: dev\naccount: "111111111111"\nregion: eu-west-1\noffline: true\nlayout: single\n';
const NETWORK = 'network:\n  vpcId: vpc-0a1b2c3d4e5f67890\n  vpcCidr: 10.20.0.0/16\n  subnets: { eu-west-1a: subnet-0a1b2c3d4e5f67890, eu-west-1b: subnet-0b1c2d3e4f5a67890 }\n';
/** A curated crawler over the predictions, and one of the processed zone. */
const CRAWLERS = `processing:
  crawlers:
    predictions: { zone: curated, prefixes: [scores/, predictions/] }
    processed-orders: { zone: processed, prefixes: [predictions/] }
`;
/** The persona of data scientists, trusted by SageMaker. */
const GOVERNANCE = 'governance:\n  administrators: [arn:aws:iam::111111111111:role/lake-admin]\n  personas:\n    scientists: { description: Data scientists., assumedBy: [sagemaker.amazonaws.com] }\n';
const IMAGE = '141502667606.dkr.ecr.eu-west-1.amazonaws.com/sagemaker-xgboost:1.7-1';
/** An ml section of one model; a case replaces the batch fields (indented by 8). */
const ml = (batch = '        input: features/churn/\n        output: predictions/churn/\n        crawler: predictions\n') =>
  `ml:\n  persona: scientists\n  models:\n    churn:\n      image: ${IMAGE}\n      artifact: ml/churn/model.tar.gz\n      batch:\n        schedule: cron(0 4 * * ? *)\n${batch}`;

/** The problems of a file with a network, CRAWLERS and GOVERNANCE and the batch fields `batch` of model churn. */
const problemsOf = (batch: string): string[] => problemsIn(`${BASE}${NETWORK}${CRAWLERS}${GOVERNANCE}${ml(batch)}`);

describe('the ml section', () => {
  test('is unset unless written', () => {
    expect(parseEnvironment(BASE, FILE).ml).toBeUndefined();
  });

  test('documents its defaults', () => {
    expect(ML_DEFAULTS).toEqual({
      endpoint: { instances: 1, maxInstances: 2, targetInvocationsPerInstance: 100, dataCapturePercent: 10 },
      batch: { instanceType: 'ml.m5.large', instances: 1, contentType: 'text/csv', splitType: 'Line', timeoutMinutes: 60 },
    });
  });

  test('fills every default of ML_DEFAULTS into a model with an endpoint and batch predictions', () => {
    const text = `${BASE}${NETWORK}${CRAWLERS}${GOVERNANCE}${ml()}      endpoint: { instanceType: ml.c5.xlarge }\n`;
    // splitType is how the batch transform splits its input, not a field of the file.
    const { splitType, ...batchDefaults } = ML_DEFAULTS.batch;
    expect(splitType).toBe('Line');
    expect(parseEnvironment(text, FILE).ml).toEqual({
      persona: 'scientists',
      users: [],
      models: {
        churn: {
          image: IMAGE,
          artifact: 'ml/churn/model.tar.gz',
          endpoint: { instanceType: 'ml.c5.xlarge', ...ML_DEFAULTS.endpoint },
          batch: { schedule: 'cron(0 4 * * ? *)', input: 'features/churn/', output: 'predictions/churn/', crawler: 'predictions', ...batchDefaults },
        },
      },
    });
  });

  describe('persona and network', () => {
    test('needs a governance section and a network section', () => {
      expect(problemsIn(`${BASE}${CRAWLERS}${ml()}`)).toEqual(
        lines(
          'ml needs a governance section with the persona Studio apps run as; add governance.personas.scientists',
          'ml declares a SageMaker Studio domain, which runs VPC-only, but the file has no network section; add network.vpcId, network.vpcCidr and network.subnets',
        ),
      );
    });

    test('rejects a persona that is not in governance.personas', () => {
      expect(problemsIn(`${BASE}${NETWORK}${CRAWLERS}${GOVERNANCE}${ml().replace('persona: scientists', 'persona: analysts')}`)).toEqual(
        lines('ml.persona is "analysts", which is not in governance.personas (scientists); declare it there, with assumedBy: [sagemaker.amazonaws.com]'),
      );
    });

    test('rejects a persona SageMaker may not assume', () => {
      const governance = 'governance:\n  administrators: [arn:aws:iam::111111111111:role/lake-admin]\n  personas:\n    scientists: { description: Data scientists., assumedBy: [account, quicksight.amazonaws.com] }\n';
      expect(problemsIn(`${BASE}${NETWORK}${CRAWLERS}${governance}${ml()}`)).toEqual(
        lines(
          'ml.persona is "scientists", whose role sagemaker.amazonaws.com may not assume (governance.personas.scientists.assumedBy is ["account","quicksight.amazonaws.com"]); add sagemaker.amazonaws.com to that assumedBy',
        ),
      );
    });
  });

  describe('batch predictions', () => {
    test('rejects a crawler that is not in processing.crawlers', () => {
      expect(problemsOf('        input: features/churn/\n        output: predictions/churn/\n        crawler: churn-predictions\n')).toEqual(
        lines('ml.models.churn.batch.crawler is "churn-predictions", which is not in processing.crawlers (predictions, processed-orders); declare a crawler of the curated zone over batch.output there'),
      );
    });

    test('rejects a crawler of another zone than curated', () => {
      expect(problemsOf('        input: features/churn/\n        output: predictions/churn/\n        crawler: processed-orders\n')).toEqual(
        lines('ml.models.churn.batch.crawler is "processed-orders", a crawler of the processed zone; use a crawler of the curated zone, where predictions are written'),
      );
    });

    test('rejects a crawler none of whose prefixes contains the output', () => {
      expect(problemsOf('        input: features/churn/\n        output: churn_predictions/\n        crawler: predictions\n')).toEqual(
        lines('ml.models.churn.batch.crawler is "predictions", which crawls scores/, predictions/ but not batch.output "churn_predictions/"; add "churn_predictions/" to processing.crawlers.predictions.prefixes, or use a crawler over it'),
      );
    });

    test('accepts a crawler prefix equal to the output', () => {
      expect(problemsOf('        input: features/churn/\n        output: scores/\n        crawler: predictions\n')).toEqual([]);
    });

    test.each([
      ['inside the input', 'predictions/features/', 'predictions/features/scored/'],
      ['containing the input', 'predictions/churn/features/', 'predictions/churn/'],
      ['equal to the input', 'predictions/churn/', 'predictions/churn/'],
    ])('rejects an output %s', (_, input, output) => {
      expect(problemsOf(`        input: ${input}\n        output: ${output}\n        crawler: predictions\n`)).toEqual(
        lines(`ml.models.churn.batch.output is "${output}", which overlaps batch.input "${input}"; use prefixes that do not contain one another, so predictions never mix with the features they are scored from`),
      );
    });
  });
});
