import { Rule, fail, pass } from '../../rule';
import { isExpression } from '../../stack-view';

/**
 * Connection property keys that carry a password: `PASSWORD` and the Kafka ones
 * (`KAFKA_SASL_SCRAM_PASSWORD`, `KAFKA_CLIENT_KEY_PASSWORD`, ...). `ENCRYPTED_*` keys hold
 * ciphertext, not a password.
 */
const PASSWORD_KEY = /^(?!ENCRYPTED_)(?:[A-Z0-9_]*_)?PASSWORD$/i;

/**
 * A Glue connection takes its credentials from Secrets Manager (`SECRET_ID`), never from a
 * password in `connection_properties`. Whatever the value, a literal or a reference to a secret
 * read elsewhere, Terraform stores it in plain text in state and the plan.
 */
export const glueConnectionNoPlaintextPassword: Rule = {
  id: 'glue-connection-no-plaintext-password',
  severity: 'critical',
  resourceTypes: ['aws_glue_connection'],
  description: 'A Glue connection has no password in connection_properties (it uses SECRET_ID with a Secrets Manager secret).',
  rationale:
    'connection_properties is written to Terraform state in plain text, so a password there is readable by anyone who can read the state bucket or a plan, and cannot be rotated without a deploy.',
  check(connection) {
    const properties = connection.config.connection_properties;
    if (isExpression(properties)) {
      return fail(
        `has connection_properties computed as a whole (${String(properties)}), so the pack cannot rule out a PASSWORD; write them as a map that uses SECRET_ID and no password`,
      );
    }
    const keys = properties && typeof properties === 'object' ? Object.keys(properties).filter((k) => PASSWORD_KEY.test(k)) : [];
    if (keys.length > 0) {
      return fail(
        `keeps a password in connection_properties (${keys.join(', ')}), which Terraform stores in plain text in state; remove it and set SECRET_ID to a Secrets Manager secret holding the credentials`,
      );
    }
    return pass();
  },
};
