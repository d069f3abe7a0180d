import { runRule, stackOf } from '../../testing';
import { glueJobSecurityConfiguration } from './glue-job-security-configuration';

const ADDRESS = 'aws_glue_job.orders';
const job = (config: Record<string, unknown>) =>
  stackOf({ [ADDRESS]: { name: 'orders', role_arn: '${aws_iam_role.glue.arn}', command: [{ script_location: 's3://scripts/orders.py' }], ...config } });

describe('glue-job-security-configuration', () => {
  test('passes a job that runs under a security configuration', () => {
    const stack = job({ security_configuration: '${aws_glue_security_configuration.processing.name}' });
    expect(runRule(glueJobSecurityConfiguration, stack, ADDRESS)).toEqual({ status: 'pass' });
  });

  test('fails a job without security_configuration', () => {
    expect(runRule(glueJobSecurityConfiguration, job({}), ADDRESS)).toEqual({
      status: 'fail',
      message:
        'has no security_configuration, so its logs and job bookmarks are not encrypted with our key; set security_configuration to the KMS-encrypting Glue security configuration',
    });
  });

  test('fails a job whose security_configuration is empty', () => {
    expect(runRule(glueJobSecurityConfiguration, job({ security_configuration: '' }), ADDRESS)).toMatchObject({ status: 'fail' });
  });
});
