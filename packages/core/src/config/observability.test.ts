import { ALARM_DEFAULTS, BUDGET_DEFAULT_THRESHOLDS } from './observability';
import { parseEnvironment } from './loader';

const BASE = 'name: dev\naccount: "111111111111"\nregion: eu-west-1\noffline: true\nlayout: single\n';
const problemsOf = (observability: string): string[] => {
  try {
    parseEnvironment(`${BASE}observability:\n${observability}`, 'environments/dev.yaml');
    return [];
  } catch (e) {
    return (e as Error).message.split('\n');
  }
};

describe('the observability section', () => {
  test('defaults to no subscriptions, the documented alarm thresholds and no budget', () => {
    const env = parseEnvironment(BASE, 'environments/dev.yaml');
    expect(env.observability).toEqual({ alerts: { email: [], https: [] }, alarms: { ...ALARM_DEFAULTS } });
    expect(ALARM_DEFAULTS).toEqual({ kinesisIteratorAgeSeconds: 600, firehoseFreshnessSeconds: 900, dmsCdcLatencySeconds: 600, evaluationMinutes: 5 });
  });

  test('fills the budget thresholds when only the limit is given', () => {
    const env = parseEnvironment(`${BASE}observability:\n  budget:\n    monthlyLimitUsd: 250\n`, 'environments/dev.yaml');
    expect(env.observability.budget).toEqual({ monthlyLimitUsd: 250, thresholdsPercent: [...BUDGET_DEFAULT_THRESHOLDS] });
  });

  test('rejects a malformed email address and a plain-http endpoint, naming each', () => {
    expect(problemsOf('  alerts:\n    email: [ops-at-example.com]\n    https: [http://hooks.example.com/x]\n')).toEqual([
      'environments/dev.yaml: observability.alerts.email.0 is "ops-at-example.com"; use an email address such as "data-platform@example.com"',
      'environments/dev.yaml: observability.alerts.https.0 is "http://hooks.example.com/x"; use an https:// URL (a webhook or a chat integration\'s endpoint)',
    ]);
  });

  test('rejects a budget of 0 and an empty threshold list', () => {
    expect(problemsOf('  budget:\n    monthlyLimitUsd: 0\n    thresholdsPercent: []\n')).toEqual([
      'environments/dev.yaml: observability.budget.monthlyLimitUsd is 0; use an amount above 0',
      'environments/dev.yaml: observability.budget.thresholdsPercent is []; list at least one threshold',
    ]);
  });

  test('rejects an alarm threshold out of range and suggests the field for a typo', () => {
    expect(problemsOf('  alarms:\n    kinesisIteratorAgeSecond: 300\n    evaluationMinutes: 0\n')).toEqual([
      'environments/dev.yaml: observability.alarms.evaluationMinutes is 0; use a whole number from 1 to 60',
      'environments/dev.yaml: observability.alarms.kinesisIteratorAgeSecond is not a known field; did you mean "kinesisIteratorAgeSeconds"? (allowed here: kinesisIteratorAgeSeconds, firehoseFreshnessSeconds, dmsCdcLatencySeconds, evaluationMinutes)',
    ]);
  });
});
