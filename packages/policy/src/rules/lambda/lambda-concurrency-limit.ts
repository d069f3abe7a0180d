import { Rule, fail, pass } from '../../rule';
import { isExpression } from '../../stack-view';

/**
 * Every function has reserved concurrency (`reserved_concurrent_executions` >= 0). A function
 * that may scale without bound carries a suppression of this rule saying why.
 */
export const lambdaConcurrencyLimit: Rule = {
  id: 'lambda-concurrency-limit',
  severity: 'low',
  resourceTypes: ['aws_lambda_function'],
  description: 'A function reserves its concurrency (reserved_concurrent_executions >= 0), or says why it may scale without bound.',
  rationale:
    'An unreserved function draws on the account-wide concurrency pool: a burst of events (a backfill, a retry storm) can starve every other function in the account and overwhelm what it writes to.',
  check(fn) {
    const reserved = fn.config.reserved_concurrent_executions;
    const unbounded = 'set reserved_concurrent_executions to the most concurrent runs it needs, or suppress lambda-concurrency-limit with the reason it may scale without bound';
    if (reserved === undefined || reserved === null) {
      return fail(`has no reserved_concurrent_executions (unreserved: it can take the account's whole concurrency pool); ${unbounded}`);
    }
    // A computed value is set on purpose; the config that feeds it validates the number.
    if (isExpression(reserved)) return pass();
    const value = Number(reserved);
    if (!Number.isFinite(value) || value < 0) {
      return fail(`has reserved_concurrent_executions ${String(reserved)} (unreserved: it can take the account's whole concurrency pool); ${unbounded}`);
    }
    return pass();
  },
};
