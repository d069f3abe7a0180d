import { Rule, fail, notApplicable, pass } from '../../rule';
import { awsManagedKeyAlias } from '../../kms-keys';
import { block, isSet, isTrue } from '../../stack-view';

/**
 * A Direct PUT Firehose stream encrypts what it buffers with a customer-managed KMS key. The
 * provider rejects `server_side_encryption` on a stream that reads from a Kinesis stream or an
 * MSK topic (it conflicts with both source blocks): there the source holds the data encrypted,
 * so the rule does not apply. Where objects land is checked by `firehose-destination-kms`.
 */
export const firehoseSse: Rule = {
  id: 'firehose-sse',
  severity: 'medium',
  resourceTypes: ['aws_kinesis_firehose_delivery_stream'],
  description: 'A Direct PUT Firehose stream has server_side_encryption enabled with key_type CUSTOMER_MANAGED_CMK and a key_arn.',
  rationale:
    'Firehose buffers records for up to its buffering interval and retries for up to a day; with an AWS-owned key (the default) or no encryption, that data is outside our key policy and CloudTrail.',
  check(stream, stack) {
    if (block(stream.config.kinesis_source_configuration)) {
      return notApplicable('reads from a Kinesis stream, which holds the data encrypted (kinesis-stream-kms); Firehose allows no SSE on such a stream');
    }
    if (block(stream.config.msk_source_configuration)) {
      return notApplicable('reads from an MSK topic, which holds the data encrypted; Firehose allows no SSE on such a stream');
    }
    const sse = block(stream.config.server_side_encryption);
    if (!sse || !isTrue(sse.enabled)) {
      return fail(
        'is a Direct PUT stream without server-side encryption; add server_side_encryption with enabled true, key_type "CUSTOMER_MANAGED_CMK" and key_arn set to the lake key',
      );
    }
    const keyType = sse.key_type ?? 'AWS_OWNED_CMK';
    if (keyType !== 'CUSTOMER_MANAGED_CMK') {
      return fail(`encrypts with key_type ${String(keyType)}, a key AWS owns; set key_type "CUSTOMER_MANAGED_CMK" and key_arn to the lake key`);
    }
    if (!isSet(sse.key_arn)) {
      return fail('uses key_type CUSTOMER_MANAGED_CMK without key_arn; set key_arn to the lake key');
    }
    const managed = awsManagedKeyAlias(sse.key_arn, stack);
    if (managed) {
      return fail(`encrypts with the AWS-managed key ${managed}; set key_arn to the lake key`);
    }
    return pass();
  },
};
