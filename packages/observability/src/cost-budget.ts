import { Construct } from 'constructs';
import { BudgetsBudget, BudgetsBudgetNotification } from '@cdktf/provider-aws/lib/budgets-budget';
import { ObservabilityConfig, PlatformStack, Validator, describeValue } from '@data-platform/core';
import { TopicRef } from './alert-topic';

/** Limits AWS Budgets puts on a budget. */
export const BUDGET_LIMITS = {
  /**
   * Notifications per budget.
   * @see https://docs.aws.amazon.com/cost-management/latest/userguide/budgets-limits.html
   */
  notifications: 10,
  /** Highest threshold, in percent, that this construct accepts. */
  thresholdPercent: 1000,
} as const;

/** Spend a budget notifies on: what was spent, and what AWS forecasts for the month. */
export const BUDGET_NOTIFICATION_TYPES = ['ACTUAL', 'FORECASTED'] as const;

/** Props of {@link CostBudget}. */
export interface CostBudgetProps {
  /** Where notifications go: the {@link AlertTopic} (its policy lets budgets.amazonaws.com publish). */
  readonly topic: TopicRef;
  /** The environment's `observability.budget`: monthly limit in USD, thresholds in percent. */
  readonly budget: NonNullable<ObservabilityConfig['budget']>;
}

/**
 * The environment account's monthly cost budget, `<project>-<env>-observability-cost`: a COST
 * budget in USD, with one notification per threshold for ACTUAL spend and one per threshold for
 * FORECASTED spend (above the percent of the limit), each to the alert topic.
 *
 * AWS Budgets allows {@link BUDGET_LIMITS.notifications} notifications per budget, so at most 5
 * thresholds (each makes two).
 */
export class CostBudget extends Construct {
  /** The budget. */
  readonly budget: BudgetsBudget;

  constructor(scope: Construct, id: string, props: CostBudgetProps) {
    super(scope, id);
    const stack = PlatformStack.of(this);
    const { topic, budget } = props;
    const v = new Validator(`CostBudget ${this.node.path}`);
    const limit = budget.monthlyLimitUsd;
    v.check(Number.isFinite(limit) && limit > 0, 'budget.monthlyLimitUsd', `is ${describeValue(limit)}; use an amount in US dollars above 0, e.g. 500`);
    const thresholds = budget.thresholdsPercent;
    v.check(thresholds.length > 0, 'budget.thresholdsPercent', 'is empty; list at least one threshold, e.g. [80, 100]');
    const maxThresholds = BUDGET_LIMITS.notifications / BUDGET_NOTIFICATION_TYPES.length;
    v.check(
      thresholds.length <= maxThresholds,
      'budget.thresholdsPercent',
      `has ${thresholds.length} thresholds; use at most ${maxThresholds} (each notifies on actual and forecast spend, and a budget has at most ${BUDGET_LIMITS.notifications} notifications)`,
    );
    thresholds.forEach((t, i) => {
      v.check(
        Number.isInteger(t) && t >= 1 && t <= BUDGET_LIMITS.thresholdPercent,
        `budget.thresholdsPercent.${i}`,
        `is ${describeValue(t)}; use a whole number from 1 to ${BUDGET_LIMITS.thresholdPercent}`,
      );
      v.check(thresholds.indexOf(t) === i, `budget.thresholdsPercent.${i}`, `is ${describeValue(t)}, listed twice; list each threshold once`);
    });
    v.throwIfAny();

    const notification: BudgetsBudgetNotification[] = BUDGET_NOTIFICATION_TYPES.flatMap((notificationType) =>
      thresholds.map((threshold) => ({
        notificationType,
        comparisonOperator: 'GREATER_THAN',
        threshold,
        thresholdType: 'PERCENTAGE',
        subscriberSnsTopicArns: [topic.arn],
      })),
    );
    this.budget = new BudgetsBudget(this, 'budget', {
      name: stack.resourceName('observability', 'cost'),
      accountId: stack.env.account,
      budgetType: 'COST',
      timeUnit: 'MONTHLY',
      limitAmount: String(limit),
      limitUnit: 'USD',
      notification,
    });
  }
}
