import { Outcome, ResourceView, Rule, fail, pass } from '../../rule';
import { awsManagedKeyAlias } from '../../kms-keys';
import { StackView, block, isSet } from '../../stack-view';

/** Fails a key argument that is unset (`what` says what the AWS-managed key then covers) or AWS-managed. */
function checkKey(key: unknown, path: string, what: string, stack: StackView): Outcome | undefined {
  if (!isSet(key)) return fail(`has no ${path}, so the AWS-managed aws/dms key encrypts ${what}; set ${path} to the lake key`);
  const managed = awsManagedKeyAlias(key, stack);
  if (managed) return fail(`encrypts ${what} with the AWS-managed key ${managed}; set ${path} to the lake key`);
  return undefined;
}

/**
 * The S3 objects a target endpoint writes (`prefix` is `s3_settings.`, `redshift_settings.` for
 * Redshift's staging bucket, or empty for `aws_dms_s3_endpoint`): `encryption_mode` defaults to
 * SSE_S3, so it must be SSE_KMS with our key.
 */
function checkObjects(settings: Record<string, unknown> | undefined, prefix: string, stack: StackView): Outcome | undefined {
  const mode = settings?.encryption_mode ?? 'SSE_S3';
  if (mode !== 'SSE_KMS') {
    return fail(
      `writes S3 objects with ${String(mode)} (${prefix}encryption_mode); set ${prefix}encryption_mode "SSE_KMS" and ${prefix}server_side_encryption_kms_key_id to the lake key`,
    );
  }
  const key = settings?.server_side_encryption_kms_key_id;
  if (!isSet(key)) {
    return fail(`uses SSE_KMS without ${prefix}server_side_encryption_kms_key_id; set ${prefix}server_side_encryption_kms_key_id to the lake key`);
  }
  const managed = awsManagedKeyAlias(key, stack);
  if (managed) return fail(`writes S3 objects with the AWS-managed key ${managed}; set ${prefix}server_side_encryption_kms_key_id to the lake key`);
  return undefined;
}

function checkEndpoint(endpoint: ResourceView, stack: StackView): Outcome | undefined {
  const connection = checkKey(endpoint.config.kms_key_arn, 'kms_key_arn', 'its connection settings', stack);
  if (connection || endpoint.config.endpoint_type !== 'target') return connection;
  if (endpoint.type === 'aws_dms_s3_endpoint') return checkObjects(endpoint.config, '', stack);
  if (endpoint.config.engine_name === 's3') return checkObjects(block(endpoint.config.s3_settings), 's3_settings.', stack);
  if (endpoint.config.engine_name === 'redshift') return checkObjects(block(endpoint.config.redshift_settings), 'redshift_settings.', stack);
  return undefined;
}

/**
 * DMS encrypts with a customer-managed KMS key: a replication instance's storage
 * (`kms_key_arn`), a serverless replication's storage (`compute_config.kms_key_id`), each
 * endpoint's stored connection settings (`kms_key_arn`), and the S3 objects an S3 target (or
 * Redshift's staging bucket) writes (`encryption_mode` SSE_KMS with
 * `server_side_encryption_kms_key_id`).
 */
export const dmsKms: Rule = {
  id: 'dms-kms',
  severity: 'high',
  resourceTypes: ['aws_dms_replication_instance', 'aws_dms_replication_config', 'aws_dms_endpoint', 'aws_dms_s3_endpoint'],
  description: 'DMS replication storage, endpoint connection settings and S3 target objects are encrypted with a customer-managed KMS key.',
  rationale:
    'Replication storage caches rows of the source database, endpoints store its credentials, and S3 targets write whole tables into the lake; without our key all three sit under the AWS-managed aws/dms key or SSE-S3, outside our key policy.',
  check(resource, stack) {
    if (resource.type === 'aws_dms_replication_instance') {
      return checkKey(resource.config.kms_key_arn, 'kms_key_arn', 'its storage', stack) ?? pass();
    }
    if (resource.type === 'aws_dms_replication_config') {
      return checkKey(block(resource.config.compute_config)?.kms_key_id, 'compute_config.kms_key_id', 'its storage', stack) ?? pass();
    }
    return checkEndpoint(resource, stack) ?? pass();
  },
};
