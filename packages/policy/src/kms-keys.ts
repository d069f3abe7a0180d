/**
 * KMS keys that are not ours: the AWS-managed keys (`alias/aws/<service>`) a key argument may name.
 * Their key policy cannot be changed, so anyone the service lets read can decrypt.
 */
import { StackView, isSet } from './stack-view';

/** An AWS-managed alias name, alone or at the end of its ARN. */
const AWS_MANAGED_ALIAS = /(?:^|:)(alias\/aws\/[A-Za-z0-9/_-]+)$/;

/**
 * The AWS-managed key alias (`alias/aws/<service>`) that a key argument names, if it names one:
 * the alias itself or its ARN, and, given the `stack`, a reference to a `data.aws_kms_alias` /
 * `data.aws_kms_key` of the stack that looks one up. Without `stack` only the literal forms count.
 */
export function awsManagedKeyAlias(value: unknown, stack?: StackView): string | undefined {
  if (typeof value !== 'string') return undefined;
  const literal = AWS_MANAGED_ALIAS.exec(value)?.[1];
  if (literal || !stack) return literal;
  const target = stack.resolveReference(value);
  if (target?.type === 'data.aws_kms_alias') return awsManagedKeyAlias(target.config.name, stack);
  if (target?.type === 'data.aws_kms_key') return awsManagedKeyAlias(target.config.key_id, stack);
  return undefined;
}

/**
 * What is wrong with the key argument at `path` (e.g. `extended_s3_configuration.kms_key_arn`), for
 * a message listing several: `<path> is not set` or `<path> is the AWS-managed <alias>`; undefined
 * for a key of ours.
 */
export function keyProblem(key: unknown, path: string, stack: StackView): string | undefined {
  if (!isSet(key)) return `${path} is not set`;
  const managed = awsManagedKeyAlias(key, stack);
  return managed ? `${path} is the AWS-managed ${managed}` : undefined;
}
