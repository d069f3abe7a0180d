import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Construct } from 'constructs';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { PlatformStack, suppressRule, synthesize, testApp, testEnvironment } from '@data-platform/core';
import { PolicyPack, PolicyViolationError, REPORT_FILES } from './policy-pack';
import { SUPPRESSION_RULE_ID, formatReport, formatSuppressions } from './evaluate';
import { s3KmsEncryption } from './rules/s3/s3-kms-encryption';

const REASON = 'this bucket only receives S3 server access logs, which need SSE-S3';

function stackWithBucket(pack: PolicyPack) {
  const stack = new PlatformStack(testApp(), 'dev-lake', { env: testEnvironment({ name: 'dev' }), aspects: [pack] });
  const group = new Construct(stack, 'logs');
  const bucket = new S3Bucket(group, 'bucket', { bucket: 'b' });
  return { stack, group, bucket };
}

describe('PolicyPack', () => {
  test('fails synthesis on an unsuppressed failure and names rule, address and fix', () => {
    const pack = new PolicyPack([s3KmsEncryption]);
    const { stack } = stackWithBucket(pack);
    expect(() => synthesize(stack)).toThrow(
      /\[s3-kms-encryption\] aws_s3_bucket\.logs_bucket_[0-9A-F]{8}: has no aws_s3_bucket_server_side_encryption_configuration; add one/,
    );
    const report = pack.reports.get('dev-lake');
    expect(report?.counts).toEqual({ pass: 0, fail: 1, suppressed: 0, notApplicable: 0 });
    expect(pack.failing).toEqual([report]);
  });

  test('turns failures into one PlatformError line each, with stack, address, rule and construct path', () => {
    const pack = new PolicyPack([s3KmsEncryption]);
    const { stack } = stackWithBucket(pack);
    expect(() => synthesize(stack)).toThrow();
    expect(new PolicyViolationError(pack.failing).message).toMatch(
      /^policy dev-lake: aws_s3_bucket\.logs_bucket_\w+ \[s3-kms-encryption, high\] has no aws_s3_bucket_server_side_encryption_configuration; .* \(at dev-lake\/logs\/bucket\)$/,
    );
  });

  test('a suppression with a reason on an ancestor construct covers the resource and is reported', () => {
    const pack = new PolicyPack([s3KmsEncryption]);
    const { stack, group } = stackWithBucket(pack);
    suppressRule(group, 's3-kms-encryption', REASON);
    synthesize(stack);
    const report = pack.reports.get('dev-lake');
    expect(report?.counts).toEqual({ pass: 0, fail: 0, suppressed: 1, notApplicable: 0 });
    expect(report?.findings[0]).toMatchObject({ status: 'suppressed', ruleId: 's3-kms-encryption', reason: REASON, path: 'dev-lake/logs/bucket' });
    expect(report?.suppressions).toEqual([{ path: 'dev-lake/logs', ruleId: 's3-kms-encryption', reason: REASON, used: true }]);
    expect(formatSuppressions([...pack.reports.values()])).toContain(`suppressed s3-kms-encryption on aws_s3_bucket.logs_bucket_`);
  });

  test('a suppression that matches no failure is itself a failure', () => {
    const pack = new PolicyPack([s3KmsEncryption]);
    const { stack, group } = stackWithBucket(pack);
    suppressRule(group, 's3-kms-encryption', REASON);
    suppressRule(stack, 's3-kms-encryption', `${REASON} (a second, stale one)`);
    // The first matching suppression is used; the second matches nothing left.
    expect(() => synthesize(stack)).toThrow(`[${SUPPRESSION_RULE_ID}] dev-lake/logs: the suppression of s3-kms-encryption here matches no failure; remove it`);
  });

  test('a suppression naming an unknown rule fails', () => {
    const pack = new PolicyPack([s3KmsEncryption]);
    const { stack, group, bucket } = stackWithBucket(pack);
    suppressRule(group, 's3-kms-encryption', REASON);
    suppressRule(bucket, 's3-no-such-rule', REASON);
    expect(() => synthesize(stack)).toThrow('the suppression names rule "s3-no-such-rule", which does not exist');
  });

  test('writes each stack report as JSON and text beside its cdk.tf.json', () => {
    const pack = new PolicyPack([s3KmsEncryption]);
    const { stack, group } = stackWithBucket(pack);
    suppressRule(group, 's3-kms-encryption', REASON);
    synthesize(stack);
    const outdir = mkdtempSync(join(tmpdir(), 'policy-'));
    pack.writeReports(outdir);
    const json = JSON.parse(readFileSync(join(outdir, 'stacks', 'dev-lake', REPORT_FILES.json), 'utf8'));
    expect(json.counts.suppressed).toBe(1);
    const text = readFileSync(join(outdir, 'stacks', 'dev-lake', REPORT_FILES.text), 'utf8');
    const report = pack.reports.get('dev-lake');
    if (!report) throw new Error('no report for dev-lake');
    expect(text).toBe(`${formatReport(report)}\n`);
    expect(text).toContain(`reason: ${REASON}`);
    expect(existsSync(join(outdir, 'stacks', 'dev-lake', REPORT_FILES.json))).toBe(true);
  });

  test('rejects two rules with the same id', () => {
    expect(() => new PolicyPack([s3KmsEncryption, s3KmsEncryption])).toThrow('PolicyPack: two rules have the id s3-kms-encryption');
  });
});
