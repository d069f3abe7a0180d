import { runRule, stackOf } from '../../testing';
import { s3TlsOnly } from './s3-tls-only';

const bucket = { 'aws_s3_bucket.raw': { bucket: 'adp-dev-lake-raw-111111111111' } };
const insecure = [{ test: 'Bool', variable: 'aws:SecureTransport', values: ['false'] }];
const everyone = [{ type: '*', identifiers: ['*'] }];
const BUCKET = '${aws_s3_bucket.raw.arn}';
const OBJECTS = '${aws_s3_bucket.raw.arn}/*';

/** The bucket, its policy and the policy document with `statements`. */
const withDocument = (...statements: Array<Record<string, unknown>>) =>
  stackOf({
    ...bucket,
    'aws_s3_bucket_policy.raw': { bucket: '${aws_s3_bucket.raw.id}', policy: '${data.aws_iam_policy_document.raw.json}' },
    'data.aws_iam_policy_document.raw': { statement: statements },
  });
const tlsDeny = (overrides: Record<string, unknown> = {}) => ({
  sid: 'DenyInsecureTransport',
  effect: 'Deny',
  principals: everyone,
  actions: ['s3:*'],
  resources: [BUCKET, OBJECTS],
  condition: insecure,
  ...overrides,
});
const FIX = 'a Deny of s3:* for principal "*" on the bucket and its objects, with condition Bool aws:SecureTransport = "false"';

describe('s3-tls-only', () => {
  test('passes the platform\'s TLS-only policy document', () => {
    expect(runRule(s3TlsOnly, withDocument(tlsDeny()), 'aws_s3_bucket.raw')).toEqual({ status: 'pass' });
  });

  test('passes a literal JSON policy naming the bucket by its ARN', () => {
    const policy = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{
        Effect: 'Deny',
        Principal: '*',
        Action: 's3:*',
        Resource: ['arn:aws:s3:::adp-dev-lake-raw-111111111111', 'arn:aws:s3:::adp-dev-lake-raw-111111111111/*'],
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      }],
    });
    const stack = stackOf({ ...bucket, 'aws_s3_bucket_policy.raw': { bucket: 'adp-dev-lake-raw-111111111111', policy } });
    expect(runRule(s3TlsOnly, stack, 'aws_s3_bucket.raw')).toEqual({ status: 'pass' });
  });

  test('passes a deny split over two statements and a partition expression', () => {
    const arn = 'arn:${data.aws_partition.partition.partition}:s3:::${aws_s3_bucket.raw.id}';
    const stack = withDocument(tlsDeny({ resources: [arn] }), tlsDeny({ sid: 'Objects', resources: [`${arn}/*`] }));
    expect(runRule(s3TlsOnly, stack, 'aws_s3_bucket.raw')).toEqual({ status: 'pass' });
  });

  test('passes a deny on every resource ("*")', () => {
    expect(runRule(s3TlsOnly, withDocument(tlsDeny({ actions: ['*'], resources: ['*'] })), 'aws_s3_bucket.raw')).toEqual({ status: 'pass' });
  });

  test('fails a bucket without a policy', () => {
    expect(runRule(s3TlsOnly, stackOf(bucket), 'aws_s3_bucket.raw')).toEqual({
      status: 'fail',
      message: `has no aws_s3_bucket_policy; add one with ${FIX}`,
    });
  });

  test('fails a policy without a TLS deny', () => {
    const allowLogs = { effect: 'Allow', principals: [{ type: 'Service', identifiers: ['logging.s3.amazonaws.com'] }], actions: ['s3:PutObject'], resources: [OBJECTS] };
    expect(runRule(s3TlsOnly, withDocument(allowLogs), 'aws_s3_bucket.raw')).toEqual({
      status: 'fail',
      message: `accepts requests without TLS (aws_s3_bucket_policy.raw does not deny them); add ${FIX}`,
    });
  });

  test('fails a TLS deny narrowed by another condition', () => {
    const narrowed = tlsDeny({ condition: [...insecure, { test: 'IpAddress', variable: 'aws:SourceIp', values: ['10.0.0.0/8'] }] });
    expect(runRule(s3TlsOnly, withDocument(narrowed), 'aws_s3_bucket.raw')).toEqual({
      status: 'fail',
      message: `accepts requests without TLS (aws_s3_bucket_policy.raw does not deny them); add ${FIX}`,
    });
  });

  test('fails a TLS deny of some actions only', () => {
    expect(runRule(s3TlsOnly, withDocument(tlsDeny({ actions: ['s3:GetObject'] })), 'aws_s3_bucket.raw')).toEqual({
      status: 'fail',
      message: `accepts requests without TLS (aws_s3_bucket_policy.raw does not deny them); add ${FIX}`,
    });
  });

  test('fails a TLS deny on the objects only', () => {
    expect(runRule(s3TlsOnly, withDocument(tlsDeny({ resources: [OBJECTS] })), 'aws_s3_bucket.raw')).toEqual({
      status: 'fail',
      message: 'accepts requests without TLS to the bucket itself (aws_s3_bucket_policy.raw denies them on its objects only); add the bucket ARN to the resources of that Deny',
    });
  });

  test('fails a TLS deny on the bucket only', () => {
    expect(runRule(s3TlsOnly, withDocument(tlsDeny({ resources: [BUCKET] })), 'aws_s3_bucket.raw')).toEqual({
      status: 'fail',
      message: 'accepts requests without TLS to its objects (aws_s3_bucket_policy.raw denies them on the bucket only); add the objects ("<bucket ARN>/*") to the resources of that Deny',
    });
  });

  test('fails a TLS deny of another bucket', () => {
    const other = tlsDeny({ resources: ['arn:aws:s3:::adp-dev-lake-raw-111111111111-old', 'arn:aws:s3:::adp-dev-lake-raw-111111111111-old/*'] });
    expect(runRule(s3TlsOnly, withDocument(other), 'aws_s3_bucket.raw')).toEqual({
      status: 'fail',
      message: `accepts requests without TLS (aws_s3_bucket_policy.raw does not deny them); add ${FIX}`,
    });
  });

  test('fails a policy the pack cannot read', () => {
    const stack = stackOf({ ...bucket, 'aws_s3_bucket_policy.raw': { bucket: '${aws_s3_bucket.raw.id}', policy: '${jsonencode(local.policy)}' } });
    expect(runRule(s3TlsOnly, stack, 'aws_s3_bucket.raw')).toEqual({
      status: 'fail',
      message:
        'its bucket policy (aws_s3_bucket_policy.raw) cannot be analyzed (it is an expression the pack cannot evaluate); build it with an aws_iam_policy_document in the same stack (the platform requires analyzable policies)',
    });
  });
});
