import { TerraformOutput } from 'cdktf';
import { LOG_RETENTION_DAYS, synthesize, synthesizedResource } from '@data-platform/core';
import { stackWithLake } from '@data-platform/lake';
import { ALL_RULES, PolicyPack, runRule, stackOf } from '@data-platform/policy';
import { devEnvironment as env, KEY_ARN, synthesized, withSecurity } from './test-support';

/** The lake and the security configuration in one stack `dev`, checked by the policy pack. */
function synth() {
  const pack = new PolicyPack();
  return { ...synthesized(withSecurity(stackWithLake(env(), { aspects: [pack] }))), pack };
}

describe('ProcessingSecurity', () => {
  test('encrypts S3 data (SSE-KMS), CloudWatch logs (SSE-KMS) and job bookmarks (CSE-KMS) with the lake key', () => {
    const { tf, security } = synth();
    expect(synthesizedResource(tf, 'aws_glue_security_configuration', security.configuration.friendlyUniqueId)).toEqual({
      name: 'adp-dev-processing-security',
      encryption_configuration: {
        s3_encryption: { s3_encryption_mode: 'SSE-KMS', kms_key_arn: KEY_ARN },
        cloudwatch_encryption: { cloudwatch_encryption_mode: 'SSE-KMS', kms_key_arn: KEY_ARN },
        job_bookmarks_encryption: { job_bookmarks_encryption_mode: 'CSE-KMS', kms_key_arn: KEY_ARN },
      },
    });
  });

  test('exposes the name jobs and crawlers set as security_configuration', () => {
    const { stack, security } = withSecurity(stackWithLake(env()));
    new TerraformOutput(stack, 'name', { value: security.name });
    expect(synthesize(stack).tf.output).toEqual({ name: { value: `\${aws_glue_security_configuration.${security.configuration.friendlyUniqueId}.name}` } });
  });

  test('passes every rule of the policy pack', () => {
    const { pack } = synth();
    expect(pack.reports.get('dev')!.findings.filter((f) => f.status === 'fail')).toEqual([]);
  });

  test('passes the rule that security configurations use our key for all three', () => {
    const { tf, security } = synth();
    const rule = ALL_RULES.find((r) => r.id === 'glue-security-configuration-kms')!;
    const address = `aws_glue_security_configuration.${security.configuration.friendlyUniqueId}`;
    const stack = stackOf({
      [address]: synthesizedResource(tf, 'aws_glue_security_configuration', security.configuration.friendlyUniqueId),
      'aws_kms_key.lake_key': synthesizedResource(tf, 'aws_kms_key', 'lake_key'),
    });
    expect(runRule(rule, stack, address)).toEqual({ status: 'pass' });
  });
});

describe('continuous logs', () => {
  test('creates the shared job log group, encrypted with the lake key and with a retention', () => {
    const { stack, security } = withSecurity(stackWithLake(env(), { id: 'dev-processing' }));
    const { tf } = synthesize(stack);
    const groups = Object.values(tf.resource?.aws_cloudwatch_log_group ?? {});
    expect(groups).toContainEqual(expect.objectContaining({
      name: '/aws-glue/jobs/logs-v2-adp-dev-processing-security',
      kms_key_id: '${aws_kms_key.lake_key.arn}',
      retention_in_days: LOG_RETENTION_DAYS,
    }));
    expect(security.continuousLogs.name).toBeDefined();
  });
});
