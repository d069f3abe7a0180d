import { Rule, fail, pass } from '../../rule';
import { awsManagedKeyAlias } from '../../kms-keys';
import { isSet } from '../../stack-view';

/**
 * Every Kinesis data stream is encrypted with a customer-managed KMS key. `encryption_type`
 * defaults to `NONE`; `alias/aws/kinesis` is the AWS-managed key, whose policy we cannot scope.
 */
export const kinesisStreamKms: Rule = {
  id: 'kinesis-stream-kms',
  severity: 'high',
  resourceTypes: ['aws_kinesis_stream'],
  description: 'A Kinesis stream is encrypted with encryption_type KMS and a customer-managed kms_key_id (not alias/aws/kinesis).',
  rationale:
    'Records wait in a stream for up to its retention period; a key of our own puts every read under its key policy and in CloudTrail, while the AWS-managed key lets any principal with stream access decrypt.',
  check(stream, stack) {
    const type = stream.config.encryption_type ?? 'NONE';
    if (type !== 'KMS') {
      return fail(`is not encrypted with KMS (encryption_type ${String(type)}); set encryption_type "KMS" and kms_key_id to the lake key`);
    }
    const key = stream.config.kms_key_id;
    if (!isSet(key)) {
      return fail('uses encryption_type KMS without kms_key_id; set kms_key_id to the lake key');
    }
    const managed = awsManagedKeyAlias(key, stack);
    if (managed) {
      return fail(`is encrypted with the AWS-managed key ${managed}; set kms_key_id to the lake key`);
    }
    return pass();
  },
};
