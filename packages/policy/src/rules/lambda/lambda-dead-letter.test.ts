import { runRule, stackOf } from '../../testing';
import { lambdaDeadLetter } from './lambda-dead-letter';

const fn = (config: Record<string, unknown> = {}) => ({
  'aws_lambda_function.importer': { function_name: 'dp-dev-ingestion-importer', role: '${aws_iam_role.importer.arn}', ...config },
});
const invokeConfig = (config: Record<string, unknown>) => ({ 'aws_lambda_function_event_invoke_config.importer': config });
const MISSING =
  'has no dead_letter_config and no aws_lambda_function_event_invoke_config with an on_failure destination; set dead_letter_config.target_arn to an encrypted SQS queue or add an event invoke config whose destination_config.on_failure sends to one';

describe('lambda-dead-letter', () => {
  test('passes a function with a dead-letter queue', () => {
    const stack = stackOf(fn({ dead_letter_config: [{ target_arn: '${aws_sqs_queue.importer_dlq.arn}' }] }));
    expect(runRule(lambdaDeadLetter, stack, 'aws_lambda_function.importer')).toEqual({ status: 'pass' });
  });

  test('passes a function whose event invoke config sends failures to a destination', () => {
    const stack = stackOf({
      ...fn(),
      ...invokeConfig({
        function_name: '${aws_lambda_function.importer.function_name}',
        destination_config: [{ on_failure: [{ destination: '${aws_sqs_queue.importer_dlq.arn}' }] }],
      }),
    });
    expect(runRule(lambdaDeadLetter, stack, 'aws_lambda_function.importer')).toEqual({ status: 'pass' });
  });

  test('passes a function whose event invoke config names it by its literal name', () => {
    const stack = stackOf({
      ...fn(),
      ...invokeConfig({ function_name: 'dp-dev-ingestion-importer', destination_config: [{ on_failure: [{ destination: 'arn:aws:sqs:eu-west-1:111111111111:dlq' }] }] }),
    });
    expect(runRule(lambdaDeadLetter, stack, 'aws_lambda_function.importer')).toEqual({ status: 'pass' });
  });

  test('fails a function without a dead-letter queue or failure destination', () => {
    expect(runRule(lambdaDeadLetter, stackOf(fn()), 'aws_lambda_function.importer')).toEqual({ status: 'fail', message: MISSING });
  });

  test('fails a function whose event invoke config only has an on-success destination', () => {
    const stack = stackOf({
      ...fn(),
      ...invokeConfig({
        function_name: '${aws_lambda_function.importer.arn}',
        destination_config: [{ on_success: [{ destination: '${aws_sns_topic.done.arn}' }] }],
      }),
    });
    expect(runRule(lambdaDeadLetter, stack, 'aws_lambda_function.importer')).toEqual({ status: 'fail', message: MISSING });
  });

  test("fails a function when the event invoke config with a failure destination is another function's", () => {
    const stack = stackOf({
      ...fn(),
      'aws_lambda_function.other': { function_name: 'other', role: 'r' },
      ...invokeConfig({
        function_name: '${aws_lambda_function.other.function_name}',
        destination_config: [{ on_failure: [{ destination: '${aws_sqs_queue.dlq.arn}' }] }],
      }),
    });
    expect(runRule(lambdaDeadLetter, stack, 'aws_lambda_function.importer')).toEqual({ status: 'fail', message: MISSING });
  });

  test('fails a function with an event source mapping that S3 also invokes asynchronously', () => {
    const stack = stackOf({
      ...fn(),
      'aws_lambda_event_source_mapping.orders': { function_name: '${aws_lambda_function.importer.arn}', event_source_arn: '${aws_sqs_queue.orders.arn}' },
      'aws_lambda_permission.s3': { function_name: '${aws_lambda_function.importer.function_name}', action: 'lambda:InvokeFunction', principal: 's3.amazonaws.com' },
    });
    expect(runRule(lambdaDeadLetter, stack, 'aws_lambda_function.importer')).toEqual({ status: 'fail', message: MISSING });
  });

  test('does not apply to a function invoked only through an event source mapping', () => {
    const stack = stackOf({
      ...fn(),
      'aws_lambda_event_source_mapping.orders': { function_name: '${aws_lambda_function.importer.arn}', event_source_arn: '${aws_sqs_queue.orders.arn}' },
    });
    expect(runRule(lambdaDeadLetter, stack, 'aws_lambda_function.importer')).toEqual({
      status: 'not-applicable',
      reason: 'it is invoked only through event source mappings, which do not use a dead-letter target (the mapping or the queue keeps failed records)',
    });
  });
});
