import { ResourceView, Rule, fail, notApplicable, pass } from '../../rule';
import { StackView, block, isExpression, refersTo } from '../../stack-view';

/**
 * Every function that may be invoked asynchronously keeps the events it fails on: a dead-letter
 * target (`dead_letter_config.target_arn`) or an on-failure destination in an
 * `aws_lambda_function_event_invoke_config` for it.
 *
 * A function invoked only through event source mappings (SQS, Kinesis, DynamoDB streams) is not
 * concerned: Lambda polls those synchronously, so a dead-letter target never receives anything;
 * failed records are kept by the mapping's own on-failure destination or the queue's redrive
 * policy. Asynchronous invokers (S3, SNS, EventBridge) need an `aws_lambda_permission`, so a
 * function with a mapping and no permission is one that no service invokes asynchronously.
 */
export const lambdaDeadLetter: Rule = {
  id: 'lambda-dead-letter',
  severity: 'medium',
  resourceTypes: ['aws_lambda_function'],
  description: 'A function invoked asynchronously has a dead-letter target or an on-failure destination.',
  rationale:
    'An asynchronous event that fails every retry is dropped without a trace; a dead-letter queue or on-failure destination keeps it to inspect and replay, so an import never loses data silently.',
  check(fn, stack) {
    if (block(fn.config.dead_letter_config)?.target_arn) return pass();
    const onFailure = targeting('aws_lambda_function_event_invoke_config', fn, stack).some(
      (c) => block(block(c.config.destination_config)?.on_failure)?.destination,
    );
    if (onFailure) return pass();
    const mappings = targeting('aws_lambda_event_source_mapping', fn, stack);
    if (mappings.length > 0 && targeting('aws_lambda_permission', fn, stack).length === 0) {
      return notApplicable('it is invoked only through event source mappings, which do not use a dead-letter target (the mapping or the queue keeps failed records)');
    }
    return fail(
      'has no dead_letter_config and no aws_lambda_function_event_invoke_config with an on_failure destination; set dead_letter_config.target_arn to an encrypted SQS queue or add an event invoke config whose destination_config.on_failure sends to one',
    );
  },
};

/** Resources of `type` whose `function_name` is this function: a reference to it, its literal name, or its literal ARN. */
function targeting(type: string, fn: ResourceView, stack: StackView): ResourceView[] {
  const name = fn.config.function_name;
  return stack.ofType(type).filter((r) => {
    const target = r.config.function_name;
    if (refersTo(target, fn.address)) return true;
    if (typeof name !== 'string' || typeof target !== 'string' || isExpression(name)) return false;
    return target === name || target.endsWith(`:function:${name}`);
  });
}
