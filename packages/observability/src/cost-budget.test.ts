import {
  BUDGET_DEFAULT_THRESHOLDS,
  PlatformStack,
  problemsOf as problemsOfConstruction,
  synthesize,
  testApp,
  testEnvironment,
} from '@data-platform/core';
import { PolicyPack } from '@data-platform/policy';
import { AlertTopic } from './alert-topic';
import { BUDGET_LIMITS, BUDGET_NOTIFICATION_TYPES, CostBudget, CostBudgetProps } from './cost-budget';
import { FailureRules } from './failure-rules';

const TOPIC_ARN = 'arn:aws:sns:eu-west-1:111111111111:adp-dev-observability-alerts';
const BUDGET = { monthlyLimitUsd: 500, thresholdsPercent: [80, 100] };

function build(budget: CostBudgetProps['budget'] = BUDGET) {
  const env = testEnvironment({ name: 'dev' });
  const stack = new PlatformStack(testApp(), 'dev-observability', { env });
  const cost = new CostBudget(stack, 'cost', { topic: { arn: TOPIC_ARN }, budget });
  const { tf } = synthesize(stack);
  return { cost, budget: tf.resource?.aws_budgets_budget?.[cost.budget.friendlyUniqueId] as Record<string, unknown> };
}

function problemsOf(budget: CostBudgetProps['budget']): string[] {
  return problemsOfConstruction(() => build(budget));
}

const notification = (notification_type: string, threshold: number) => ({
  notification_type,
  comparison_operator: 'GREATER_THAN',
  threshold,
  threshold_type: 'PERCENTAGE',
  subscriber_sns_topic_arns: [TOPIC_ARN],
});

describe('CostBudget', () => {
  it('is a monthly COST budget of the account, in USD', () => {
    const { budget } = build();
    expect(budget).toMatchObject({
      name: 'adp-dev-observability-cost',
      account_id: '111111111111',
      budget_type: 'COST',
      time_unit: 'MONTHLY',
      limit_amount: '500',
      limit_unit: 'USD',
    });
  });

  it('notifies the topic per threshold on actual and on forecast spend', () => {
    expect(BUDGET_NOTIFICATION_TYPES).toEqual(['ACTUAL', 'FORECASTED']);
    expect(build().budget.notification).toEqual([
      notification('ACTUAL', 80),
      notification('ACTUAL', 100),
      notification('FORECASTED', 80),
      notification('FORECASTED', 100),
    ]);
  });

  it('takes the config default thresholds as given', () => {
    const { budget } = build({ monthlyLimitUsd: 12.5, thresholdsPercent: [...BUDGET_DEFAULT_THRESHOLDS] });
    expect(budget.limit_amount).toBe('12.5');
    expect((budget.notification as unknown[]).length).toBe(BUDGET_DEFAULT_THRESHOLDS.length * 2);
  });

  it('accepts five thresholds, the most a budget\'s ten notifications allow', () => {
    expect(BUDGET_LIMITS.notifications).toBe(10);
    expect((build({ monthlyLimitUsd: 1, thresholdsPercent: [50, 80, 100, 120, 150] }).budget.notification as unknown[]).length).toBe(10);
  });

  it('rejects more than five thresholds', () => {
    expect(problemsOf({ monthlyLimitUsd: 1, thresholdsPercent: [10, 20, 30, 40, 50, 60] })).toEqual([
      'CostBudget dev-observability/cost: budget.thresholdsPercent has 6 thresholds; use at most 5 (each notifies on actual and forecast spend, and a budget has at most 10 notifications)',
    ]);
  });

  it('rejects a limit of 0 or less', () => {
    expect(problemsOf({ monthlyLimitUsd: 0, thresholdsPercent: [80] })).toEqual([
      'CostBudget dev-observability/cost: budget.monthlyLimitUsd is 0; use an amount in US dollars above 0, e.g. 500',
    ]);
  });

  it('rejects no thresholds', () => {
    expect(problemsOf({ monthlyLimitUsd: 1, thresholdsPercent: [] })).toEqual([
      'CostBudget dev-observability/cost: budget.thresholdsPercent is empty; list at least one threshold, e.g. [80, 100]',
    ]);
  });

  it('rejects thresholds out of range and thresholds listed twice', () => {
    expect(problemsOf({ monthlyLimitUsd: 1, thresholdsPercent: [0, 80.5, 1001, 80, 80] })).toEqual([
      'CostBudget dev-observability/cost: budget.thresholdsPercent.0 is 0; use a whole number from 1 to 1000',
      'CostBudget dev-observability/cost: budget.thresholdsPercent.1 is 80.5; use a whole number from 1 to 1000',
      'CostBudget dev-observability/cost: budget.thresholdsPercent.2 is 1001; use a whole number from 1 to 1000',
      'CostBudget dev-observability/cost: budget.thresholdsPercent.4 is 80, listed twice; list each threshold once',
    ]);
  });
});

describe('the alert topic, failure rules and budget together', () => {
  it('pass the policy pack', () => {
    const env = testEnvironment({ name: 'dev' });
    const stack = new PlatformStack(testApp(), 'dev-observability', { env, aspects: [new PolicyPack()] });
    const topic = new AlertTopic(stack, 'alerts', {
      key: { arn: 'arn:aws:kms:eu-west-1:111111111111:key/11111111-2222-3333-4444-555555555555' },
      alerts: { email: ['data-platform@example.com'], https: ['https://hooks.example.com/alerts'] },
    });
    new FailureRules(stack, 'failures', { topic });
    new CostBudget(stack, 'cost', { topic, budget: BUDGET });
    expect(() => synthesize(stack)).not.toThrow();
  });
});
