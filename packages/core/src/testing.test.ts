import { PlatformError } from './errors';
import { PlatformStack } from './platform-stack';
import { ServiceRole } from './primitives/service-role';
import {
  addressOf,
  documentOf,
  documentStatements,
  errorOf,
  only,
  problemsOf,
  ref,
  rolePolicies,
  synthesize,
  SynthesizedStack,
  testApp,
  testEnvironment,
  thrownBy,
  trustOf,
} from './testing';

/** A stack with two Glue service roles, each with one inline policy. */
function twoRoles() {
  const stack = new PlatformStack(testApp(), 'test-processing', { env: testEnvironment() });
  const props = { layer: 'processing', service: 'glue.amazonaws.com' } as const;
  const clean = new ServiceRole(stack, 'clean', { ...props, name: 'clean-job', description: 'Cleans.' });
  const curate = new ServiceRole(stack, 'curate', { ...props, name: 'curate-job', description: 'Curates.' });
  clean.allow('read', [{ sid: 'Read', actions: ['s3:GetObject'], resources: ['arn:aws:s3:::raw/*'] }]);
  curate.allow('write', [{ sid: 'Write', actions: ['s3:PutObject'], resources: ['arn:aws:s3:::curated/*'] }]);
  return { clean, curate, ...synthesize(stack) };
}

const TWO_QUEUES: SynthesizedStack = { resource: { aws_sqs_queue: { orders_queue: { name: 'orders' }, orders_dlq: { name: 'orders-dlq' } } } };

describe('only', () => {
  test('returns the one resource of a type whose id contains the part', () => {
    expect(only(TWO_QUEUES, 'aws_sqs_queue', 'dlq')).toEqual({ name: 'orders-dlq' });
  });

  test('throws naming the type, the part and how many it found', () => {
    expect(() => only(TWO_QUEUES, 'aws_sqs_queue')).toThrow('expected one aws_sqs_queue, found 2');
    expect(() => only(TWO_QUEUES, 'aws_sqs_queue', 'events')).toThrow('expected one aws_sqs_queue with "events", found 0');
    expect(() => only({}, 'aws_s3_bucket')).toThrow('expected one aws_s3_bucket, found 0');
  });
});

describe('references', () => {
  test('addressOf and ref name a resource construct by type and id', () => {
    const { clean } = twoRoles();
    expect(addressOf(clean.role)).toBe(`aws_iam_role.${clean.role.friendlyUniqueId}`);
    expect(ref(clean.role, 'arn')).toBe(`\${aws_iam_role.${clean.role.friendlyUniqueId}.arn}`);
    expect(ref('data.aws_partition.partition.partition')).toBe('${data.aws_partition.partition.partition}');
  });

  test('documentOf reads the policy document a JSON reference names, and rejects anything else', () => {
    expect(documentOf('${data.aws_iam_policy_document.read_1234.json}')).toBe('read_1234');
    expect(() => documentOf('${aws_iam_role.x.arn}')).toThrow("${aws_iam_role.x.arn} is not a policy document's JSON");
  });
});

describe('policy lookups', () => {
  test('rolePolicies lists every inline policy by name, or only those of one role', () => {
    const { tf, clean } = twoRoles();
    const sids = (policies: ReturnType<typeof rolePolicies>) => Object.entries(policies).map(([name, statements]) => [name, statements.map((s) => s.sid)]);
    expect(sids(rolePolicies(tf))).toEqual([
      ['read', ['Read']],
      ['write', ['Write']],
    ]);
    expect(sids(rolePolicies(tf, { role: clean }))).toEqual([['read', ['Read']]]);
  });

  test('trustOf reads the trust policy of a service role through documentStatements', () => {
    const { tf, clean } = twoRoles();
    const trust = trustOf(tf, clean);
    expect(trust.map((s) => s.principals)).toEqual([[{ type: 'Service', identifiers: ['glue.amazonaws.com'] }]]);
    expect(documentStatements(tf, tf.resource?.aws_iam_role?.[clean.role.friendlyUniqueId]?.assume_role_policy)).toEqual(trust);
  });
});

describe('error helpers', () => {
  test('thrownBy returns what is thrown, or undefined when nothing is', () => {
    const error = new Error('boom');
    expect(
      thrownBy(() => {
        throw error;
      }),
    ).toBe(error);
    expect(thrownBy(() => 1)).toBeUndefined();
  });

  test('errorOf returns a PlatformError, rethrows any other error and fails when none is thrown', () => {
    const error = new PlatformError('prod.yaml', [{ path: 'lake', message: 'is missing' }]);
    expect(
      errorOf(() => {
        throw error;
      }),
    ).toBe(error);
    expect(() =>
      errorOf(() => {
        throw new TypeError('not ours');
      }),
    ).toThrow(TypeError);
    expect(() => errorOf(() => undefined)).toThrow('expected a PlatformError');
  });

  test('problemsOf splits a PlatformError into one line a problem', () => {
    const error = new PlatformError('prod.yaml', [
      { path: 'lake.a', message: 'is 1; use 2' },
      { path: 'lake.b', message: 'is 3; use 4' },
    ]);
    expect(
      problemsOf(() => {
        throw error;
      }),
    ).toEqual(error.message.split('\n'));
    expect(error.message.split('\n')).toHaveLength(2);
  });
});
