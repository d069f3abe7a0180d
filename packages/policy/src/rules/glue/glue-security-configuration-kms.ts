import { Rule, fail, pass } from '../../rule';
import { awsManagedKeyAlias } from '../../kms-keys';
import { StackView, block, isSet } from '../../stack-view';

/**
 * The three parts of a security configuration and the mode each needs. The API allows only
 * `SSE-KMS` for CloudWatch logs and only `CSE-KMS` for job bookmarks.
 */
const PARTS = [
  { block: 's3_encryption', mode: 's3_encryption_mode', required: 'SSE-KMS' },
  { block: 'cloudwatch_encryption', mode: 'cloudwatch_encryption_mode', required: 'SSE-KMS' },
  { block: 'job_bookmarks_encryption', mode: 'job_bookmarks_encryption_mode', required: 'CSE-KMS' },
] as const;

function problem(part: (typeof PARTS)[number], settings: Record<string, unknown> | undefined, stack: StackView): string | undefined {
  const mode = settings?.[part.mode] ?? 'DISABLED';
  if (mode !== part.required) return `${part.mode} is ${String(mode)}`;
  if (!isSet(settings?.kms_key_arn)) return `${part.block} has no kms_key_arn`;
  const managed = awsManagedKeyAlias(settings?.kms_key_arn, stack);
  return managed ? `${part.block} uses the AWS-managed ${managed}` : undefined;
}

/**
 * A Glue security configuration encrypts all it governs with a customer-managed KMS key: S3
 * writes (SSE-KMS), CloudWatch logs (SSE-KMS) and job bookmarks (CSE-KMS), each with kms_key_arn.
 */
export const glueSecurityConfigurationKms: Rule = {
  id: 'glue-security-configuration-kms',
  severity: 'high',
  resourceTypes: ['aws_glue_security_configuration'],
  description: 'A Glue security configuration uses SSE-KMS for S3, SSE-KMS for CloudWatch logs and CSE-KMS for job bookmarks, each with a kms_key_arn of ours.',
  rationale:
    'Jobs and crawlers are only as protected as their security configuration: a part left DISABLED or on SSE-S3 writes data, logs or bookmarks outside our key policy.',
  check(configuration, stack) {
    const encryption = block(configuration.config.encryption_configuration);
    const problems = PARTS.map((part) => problem(part, block(encryption?.[part.block]), stack)).filter((p): p is string => p !== undefined);
    if (problems.length > 0) {
      return fail(
        `does not encrypt everything with a KMS key of ours (${problems.join(', ')}); set s3_encryption_mode "SSE-KMS", cloudwatch_encryption_mode "SSE-KMS" and job_bookmarks_encryption_mode "CSE-KMS", each with kms_key_arn set to the lake key`,
      );
    }
    return pass();
  },
};
