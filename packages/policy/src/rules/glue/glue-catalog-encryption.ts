import { Rule, fail, pass } from '../../rule';
import { keyProblem } from '../../kms-keys';
import { StackView, block, isTrue } from '../../stack-view';

/** Modes that encrypt the catalog with a KMS key (the second has Glue assume a role to use it). */
const KMS_MODES = ['SSE-KMS', 'SSE-KMS-WITH-SERVICE-ROLE'];

function problems(settings: Record<string, unknown> | undefined, stack: StackView): string[] {
  const found: Array<string | undefined> = [];
  const atRest = block(settings?.encryption_at_rest);
  const mode = atRest?.catalog_encryption_mode ?? 'DISABLED';
  if (!KMS_MODES.includes(String(mode))) found.push(`catalog_encryption_mode is ${String(mode)}`);
  else found.push(keyProblem(atRest?.sse_aws_kms_key_id, 'sse_aws_kms_key_id', stack));
  const passwords = block(settings?.connection_password_encryption);
  if (!isTrue(passwords?.return_connection_password_encrypted)) found.push('return_connection_password_encrypted is not true');
  else found.push(keyProblem(passwords?.aws_kms_key_id, 'aws_kms_key_id', stack));
  return found.filter((p): p is string => p !== undefined);
}

/**
 * The account's Data Catalog encrypts its metadata at rest with a customer-managed KMS key and
 * keeps connection passwords encrypted with one.
 */
export const glueCatalogEncryption: Rule = {
  id: 'glue-catalog-encryption',
  severity: 'high',
  resourceTypes: ['aws_glue_data_catalog_encryption_settings'],
  description:
    'The Data Catalog encryption settings use SSE-KMS with sse_aws_kms_key_id at rest and return_connection_password_encrypted true with aws_kms_key_id.',
  rationale:
    'Catalog metadata describes every table, column and location in the lake, and connection passwords open the source databases; both belong under our key policy, not readable in plain text by anyone with glue:Get* access.',
  check(settings, stack) {
    const found = problems(block(settings.config.data_catalog_encryption_settings), stack);
    if (found.length > 0) {
      return fail(
        `does not encrypt the catalog and connection passwords with a KMS key of ours (${found.join(', ')}); set encryption_at_rest to catalog_encryption_mode "SSE-KMS" with sse_aws_kms_key_id, and connection_password_encryption to return_connection_password_encrypted true with aws_kms_key_id, both the lake key`,
      );
    }
    return pass();
  },
};
