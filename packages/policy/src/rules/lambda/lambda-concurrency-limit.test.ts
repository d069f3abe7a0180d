import { runRule, stackOf } from '../../testing';
import { lambdaConcurrencyLimit } from './lambda-concurrency-limit';

const fn = (config: Record<string, unknown> = {}) => stackOf({ 'aws_lambda_function.importer': { function_name: 'importer', role: 'r', ...config } });
const FIX = 'set reserved_concurrent_executions to the most concurrent runs it needs, or suppress lambda-concurrency-limit with the reason it may scale without bound';

describe('lambda-concurrency-limit', () => {
  test('passes a function with reserved concurrency', () => {
    expect(runRule(lambdaConcurrencyLimit, fn({ reserved_concurrent_executions: 5 }), 'aws_lambda_function.importer')).toEqual({ status: 'pass' });
  });

  test('passes a function reserved at 0 (disabled)', () => {
    expect(runRule(lambdaConcurrencyLimit, fn({ reserved_concurrent_executions: 0 }), 'aws_lambda_function.importer')).toEqual({ status: 'pass' });
  });

  test('passes a function whose reserved concurrency is computed', () => {
    expect(runRule(lambdaConcurrencyLimit, fn({ reserved_concurrent_executions: '${var.importer_concurrency}' }), 'aws_lambda_function.importer')).toEqual({
      status: 'pass',
    });
  });

  test('fails a function without reserved concurrency', () => {
    expect(runRule(lambdaConcurrencyLimit, fn(), 'aws_lambda_function.importer')).toEqual({
      status: 'fail',
      message: `has no reserved_concurrent_executions (unreserved: it can take the account's whole concurrency pool); ${FIX}`,
    });
  });

  test('fails a function reserved at -1 (unreserved)', () => {
    expect(runRule(lambdaConcurrencyLimit, fn({ reserved_concurrent_executions: -1 }), 'aws_lambda_function.importer')).toEqual({
      status: 'fail',
      message: `has reserved_concurrent_executions -1 (unreserved: it can take the account's whole concurrency pool); ${FIX}`,
    });
  });
});
