/** The key check shared by the SQS and SNS rules, whose resources name their key `kms_master_key_id`. */
import { Outcome, ResourceView, fail, pass } from '../../rule';
import { awsManagedKeyAlias } from '../../kms-keys';

/**
 * Passes a queue or topic whose `kms_master_key_id` is set and does not name the service's own
 * AWS-managed key (`alias/aws/<service>` or its ARN, written literally: lookups through
 * `data.aws_kms_alias` are not followed). `unset` says what the resource falls back to without a key.
 */
export function checkMasterKey(resource: ResourceView, service: 'sqs' | 'sns', unset: string): Outcome {
  const key = resource.config.kms_master_key_id;
  if (!key) {
    return fail(`has no kms_master_key_id (${unset}); set kms_master_key_id to the lake key`);
  }
  const managed = `alias/aws/${service}`;
  if (awsManagedKeyAlias(key) === managed) {
    return fail(`is encrypted with the AWS-managed ${managed} key; set kms_master_key_id to the lake key`);
  }
  return pass();
}
