import { Rule, fail, pass } from '../../rule';
import { keyProblem } from '../../kms-keys';
import { block } from '../../stack-view';

/**
 * Destinations of AWS provider 5.x, each configured in `<destination>_configuration` (the plain
 * `s3` destination and its top-level `s3_configuration` were removed in 5.0).
 */
export const FIREHOSE_DESTINATIONS = [
  'extended_s3',
  'redshift',
  'elasticsearch',
  'opensearch',
  'opensearchserverless',
  'splunk',
  'http_endpoint',
  'snowflake',
  'iceberg',
] as const;

/** One `kms_key_arn` argument of a stream: where it is and what it holds. */
interface S3Write {
  readonly path: string;
  readonly key: unknown;
}

/**
 * Every S3 location the stream writes to: the extended S3 destination itself, or the
 * `s3_configuration` every other destination writes failed records, backups or (Redshift) staged
 * files to; plus `s3_backup_configuration` where `s3_backup_mode` is `Enabled`.
 */
function s3Writes(config: Readonly<Record<string, unknown>>): S3Write[] {
  const writes: S3Write[] = [];
  for (const destination of FIREHOSE_DESTINATIONS) {
    const name = `${destination}_configuration`;
    const settings = block(config[name]);
    if (!settings) continue;
    if (destination === 'extended_s3') {
      writes.push({ path: `${name}.kms_key_arn`, key: settings.kms_key_arn });
    } else {
      writes.push({ path: `${name}.s3_configuration.kms_key_arn`, key: block(settings.s3_configuration)?.kms_key_arn });
    }
    const backup = block(settings.s3_backup_configuration);
    if (backup && settings.s3_backup_mode === 'Enabled') {
      writes.push({ path: `${name}.s3_backup_configuration.kms_key_arn`, key: backup.kms_key_arn });
    }
  }
  return writes;
}

/**
 * Whatever its source, a Firehose stream writes its S3 objects with a customer-managed KMS key
 * (`kms_key_arn` on each S3 configuration), so delivered data, backups and failed records are
 * all under the lake key, even where the bucket's default encryption would differ.
 */
export const firehoseDestinationKms: Rule = {
  id: 'firehose-destination-kms',
  severity: 'high',
  resourceTypes: ['aws_kinesis_firehose_delivery_stream'],
  description: 'A Firehose stream sets kms_key_arn (a customer-managed key) on every S3 configuration it writes to.',
  rationale:
    'Without kms_key_arn Firehose writes objects with the bucket default or SSE-S3; our own key keeps delivered data, backups and failed records under one key policy with CloudTrail-logged use.',
  check(stream, stack) {
    const writes = s3Writes(stream.config);
    if (writes.length === 0) {
      return fail('has no destination configuration to check; configure extended_s3_configuration with kms_key_arn set to the lake key');
    }
    const problems = writes.map((w) => keyProblem(w.key, w.path, stack)).filter((p): p is string => p !== undefined);
    if (problems.length > 0) {
      return fail(`writes S3 objects without a KMS key of ours (${problems.join(', ')}); set each kms_key_arn to the lake key`);
    }
    return pass();
  },
};
