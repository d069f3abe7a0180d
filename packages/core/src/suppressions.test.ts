import { Construct } from 'constructs';
import { isPlatformError } from './errors';
import { MIN_SUPPRESSION_REASON_LENGTH, suppressRule, suppressionsOf } from './suppressions';
import { testApp } from './testing';

describe('policy suppressions', () => {
  test('records the rule and the trimmed reason on the construct', () => {
    const c = new Construct(testApp(), 'c');
    suppressRule(c, 's3-kms-encryption', '  access logs can only be delivered to SSE-S3 buckets  ');
    expect(suppressionsOf(c)).toEqual([{ ruleId: 's3-kms-encryption', reason: 'access logs can only be delivered to SSE-S3 buckets' }]);
  });

  test(`rejects a reason shorter than ${MIN_SUPPRESSION_REASON_LENGTH} characters, saying what to write`, () => {
    const c = new Construct(testApp(), 'c');
    let error: unknown;
    try {
      suppressRule(c, 'iam-no-wildcard-action', 'needed');
    } catch (e) {
      error = e;
    }
    expect(isPlatformError(error)).toBe(true);
    expect((error as Error).message).toBe(
      `suppression at c: reason for iam-no-wildcard-action is "needed" (6 characters); explain in at least ${MIN_SUPPRESSION_REASON_LENGTH} characters why the risk is acceptable here`,
    );
    expect(suppressionsOf(c)).toEqual([]);
  });
});
