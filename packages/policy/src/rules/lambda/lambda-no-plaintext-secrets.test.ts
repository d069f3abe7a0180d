import { runRule, stackOf } from '../../testing';
import { lambdaNoPlaintextSecrets } from './lambda-no-plaintext-secrets';

const withEnv = (variables: unknown) =>
  stackOf({ 'aws_lambda_function.importer': { function_name: 'importer', role: 'r', environment: [{ variables }] } });
const run = (variables: unknown) => runRule(lambdaNoPlaintextSecrets, withEnv(variables), 'aws_lambda_function.importer');
const failure = (problems: string) => ({
  status: 'fail',
  message: `has secret-named environment variables that are not secret references: ${problems}; set each to the ARN or name of an aws_secretsmanager_secret or aws_ssm_parameter (e.g. DB_PASSWORD_SECRET_ARN) and read the value at run time`,
});

describe('lambda-no-plaintext-secrets', () => {
  test('passes secret-named variables that hold references', () => {
    expect(
      run({
        DB_PASSWORD: '${aws_secretsmanager_secret.db.arn}',
        API_TOKEN: '${data.aws_ssm_parameter.api_token.name}',
        SAAS_API_KEY: 'arn:aws:secretsmanager:eu-west-1:111111111111:secret:saas-key',
        CLIENT_SECRET_NAME: 'dp/dev/client-secret',
        CREDENTIALS_ID: 'dp-dev-creds',
        BUCKET: 'raw',
      }),
    ).toEqual({ status: 'pass' });
  });

  test('passes a reference to a secret passed from another stack', () => {
    expect(
      run({ DB_PASSWORD: '${data.terraform_remote_state.cross-stack-reference-input-dev-lake.outputs.cross-stack-output-aws_secretsmanager_secretdbarn}' }),
    ).toEqual({ status: 'pass' });
  });

  test('passes variables whose names are not secret-like, whatever they hold', () => {
    expect(run({ LOG_LEVEL: 'INFO', TABLE: 'orders' })).toEqual({ status: 'pass' });
  });

  test('fails a literal password, naming the variable but not its value', () => {
    const outcome = run({ DB_PASSWORD: 'hunter2', LOG_LEVEL: 'INFO' });
    expect(outcome).toEqual(failure('DB_PASSWORD holds a literal value'));
    expect(JSON.stringify(outcome)).not.toContain('hunter2');
  });

  test("fails a variable that copies a secret's value, even when its name ends in _ARN", () => {
    expect(
      run({
        API_TOKEN: '${data.aws_ssm_parameter.api_token.value}',
        DB_SECRET_ARN: '${jsondecode(data.aws_secretsmanager_secret_version.db.secret_string)["password"]}',
      }),
    ).toEqual(
      failure("API_TOKEN copies the secret's value (aws_ssm_parameter value); DB_SECRET_ARN copies the secret's value (aws_secretsmanager_secret_version secret_string)"),
    );
  });

  test("fails a variable that copies a secret's value passed from another stack", () => {
    expect(
      run({ DB_PASSWORD: '${data.terraform_remote_state.cross-stack-reference-input-dev-lake.outputs.cross-stack-output-aws_secretsmanager_secret_versiondbsecret_string}' }),
    ).toEqual(failure("DB_PASSWORD copies the secret's value (aws_secretsmanager_secret_version secret_string)"));
  });

  test('fails a generated password and an expression that is not a secret reference', () => {
    expect(run({ ADMIN_PASSWORD: '${random_password.admin.result}', PRIVATE_KEY: '${var.private_key}' })).toEqual(
      failure("ADMIN_PASSWORD copies the secret's value (random_password result); PRIVATE_KEY is set from an expression that is not the ARN or name of a secret"),
    );
  });

  test('does not apply to a function without environment variables', () => {
    const stack = stackOf({ 'aws_lambda_function.importer': { function_name: 'importer', role: 'r' } });
    expect(runRule(lambdaNoPlaintextSecrets, stack, 'aws_lambda_function.importer')).toEqual({ status: 'not-applicable', reason: 'it has no environment variables' });
  });
});
