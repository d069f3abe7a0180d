import { Rule, fail, notApplicable, pass } from '../../rule';
import { ReferenceTargets, block, isExpression, referencedAttributes } from '../../stack-view';

/** Environment variable names that hold a secret (matched anywhere in the name, any case). */
export const SECRET_NAME_PATTERN = /SECRET|PASSWORD|PASSWD|TOKEN|API_?KEY|PRIVATE_?KEY|CREDENTIAL/i;

/** Names that say the variable holds a reference to a secret (its ARN, name or id), not the secret. */
export const REFERENCE_NAME_PATTERN = /_(ARN|NAME|ID)$/i;

/** Resource types (and attributes) whose value is a secret's content, not a reference to it. */
const SECRET_VALUES: ReadonlyArray<{ readonly type: string; readonly attributes: RegExp }> = [
  { type: 'aws_secretsmanager_secret_version', attributes: /^secret_(string|binary)/ },
  { type: 'aws_ssm_parameter', attributes: /^(insecure_)?value$/ },
  { type: 'random_password', attributes: /^(result|bcrypt_hash)$/ },
];

/** Resource types (and attributes) that name a secret without revealing it. */
const SECRET_REFERENCES: ReadonlyArray<{ readonly type: string; readonly attributes: RegExp }> = [
  { type: 'aws_secretsmanager_secret', attributes: /^(arn|id|name)$/ },
  { type: 'aws_ssm_parameter', attributes: /^(arn|id|name)$/ },
];

/**
 * A Lambda environment variable whose name says it holds a secret (SECRET, PASSWORD, TOKEN,
 * API_KEY, PRIVATE_KEY, CREDENTIAL...) holds a reference to it, never its value: a variable
 * named `..._ARN`, `..._NAME` or `..._ID`, an `arn:` literal, or a reference to the ARN, id or
 * name of an `aws_secretsmanager_secret` or `aws_ssm_parameter`. The function reads the value at
 * run time. Messages name the variable, never its value.
 */
export const lambdaNoPlaintextSecrets: Rule = {
  id: 'lambda-no-plaintext-secrets',
  severity: 'critical',
  resourceTypes: ['aws_lambda_function'],
  description: 'A secret-named environment variable holds the ARN or name of a Secrets Manager secret or SSM parameter, never the secret.',
  rationale:
    'A secret in an environment variable is written in plain text to cdk.tf.json, the Terraform state and the function configuration, readable by anyone with lambda:GetFunctionConfiguration; a reference keeps the value in Secrets Manager, under its key policy, rotation and audit trail.',
  check(fn) {
    const variables = block(fn.config.environment)?.variables;
    if (variables === undefined || variables === null) return notApplicable('it has no environment variables');
    if (typeof variables !== 'object' || Array.isArray(variables)) {
      return notApplicable('its environment variables are one computed map whose names the pack cannot read');
    }
    const problems = Object.entries(variables as Record<string, unknown>)
      .filter(([name]) => SECRET_NAME_PATTERN.test(name))
      .flatMap(([name, value]) => {
        const problem = problemWith(name, value);
        return problem ? [`${name} ${problem}`] : [];
      });
    if (problems.length === 0) return pass();
    return fail(
      `has secret-named environment variables that are not secret references: ${problems.join('; ')}; set each to the ARN or name of an aws_secretsmanager_secret or aws_ssm_parameter (e.g. DB_PASSWORD_SECRET_ARN) and read the value at run time`,
    );
  },
};

/**
 * The types whose references the rule reads, and the attributes that end a cross-stack output
 * name (`cross-stack-output-aws_secretsmanager_secretdbarn`) of theirs.
 */
const SECRET_TARGETS: ReferenceTargets = {
  types: [...new Set([...SECRET_VALUES, ...SECRET_REFERENCES].map((s) => s.type))],
  attributes: ['secret_string', 'secret_binary', 'insecure_value', 'value', 'bcrypt_hash', 'result', 'arn', 'id', 'name'],
};

/** What is wrong with a secret-named variable, or undefined when it is a reference. */
function problemWith(name: string, value: unknown): string | undefined {
  const refs = referencedAttributes(value, SECRET_TARGETS);
  const secretValue = refs.find((r) => SECRET_VALUES.some((s) => s.type === r.type && s.attributes.test(r.attribute)));
  if (secretValue) return `copies the secret's value (${secretValue.type} ${secretValue.attribute})`;
  if (REFERENCE_NAME_PATTERN.test(name)) return undefined;
  if (typeof value === 'string' && value.startsWith('arn:')) return undefined;
  if (refs.some((r) => SECRET_REFERENCES.some((s) => s.type === r.type && s.attributes.test(r.attribute)))) return undefined;
  if (isExpression(value)) return 'is set from an expression that is not the ARN or name of a secret';
  return 'holds a literal value';
}
