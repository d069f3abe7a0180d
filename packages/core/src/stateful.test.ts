import { TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { EnvironmentInput } from './config/schema';
import { PlatformStack } from './platform-stack';
import { stateful } from './stateful';
import { synthesize, testApp, testEnvironment } from './testing';

function stack(overrides: Partial<EnvironmentInput> = {}): PlatformStack {
  return new PlatformStack(testApp(), 'test-lake', { env: testEnvironment(overrides) });
}

describe('stateful', () => {
  it('pins the address: the resource synthesizes under exactly that key, wherever it sits', () => {
    const s = stack();
    const deep = new Construct(new Construct(s, 'lake'), 'zones');
    stateful(new S3Bucket(deep, 'bucket', { bucket: 'adp-test-lake-raw' }), 'lake_raw_bucket');

    const { json, tf } = synthesize(s);
    expect(Object.keys(tf.resource?.aws_s3_bucket ?? {})).toEqual(['lake_raw_bucket']);
    expect(json).toHaveResourceWithProperties(S3Bucket, { bucket: 'adp-test-lake-raw' });
  });

  it('keeps the address when the construct moves or is renamed', () => {
    const before = stack();
    stateful(new S3Bucket(new Construct(before, 'DataLake'), 'raw', {}), 'lake_raw_bucket');
    const after = stack();
    stateful(new S3Bucket(new Construct(new Construct(after, 'Platform'), 'Lake'), 'rawZoneBucket', {}), 'lake_raw_bucket');

    expect(Object.keys(synthesize(before).tf.resource?.aws_s3_bucket ?? {})).toEqual(['lake_raw_bucket']);
    expect(Object.keys(synthesize(after).tf.resource?.aws_s3_bucket ?? {})).toEqual(['lake_raw_bucket']);
  });

  it('sets prevent_destroy when the environment is protected', () => {
    const s = stack({ protect: true });
    stateful(new S3Bucket(s, 'bucket', {}), 'lake_raw_bucket');
    expect(synthesize(s).tf.resource?.aws_s3_bucket.lake_raw_bucket.lifecycle).toEqual({ prevent_destroy: true });
  });

  it('keeps the lifecycle settings the resource already has', () => {
    const s = stack({ protect: true });
    stateful(new S3Bucket(s, 'bucket', { lifecycle: { ignoreChanges: ['tags'] } }), 'lake_raw_bucket');
    expect(synthesize(s).tf.resource?.aws_s3_bucket.lake_raw_bucket.lifecycle).toEqual({
      ignore_changes: ['tags'],
      prevent_destroy: true,
    });
  });

  it('sets no lifecycle when the environment is not protected', () => {
    const s = stack({ protect: false });
    stateful(new S3Bucket(s, 'bucket', {}), 'lake_raw_bucket');
    expect(synthesize(s).tf.resource?.aws_s3_bucket.lake_raw_bucket).not.toHaveProperty('lifecycle');
  });

  it('records <type>.<address> on the stack', () => {
    const s = stack();
    stateful(new S3Bucket(s, 'raw', {}), 'lake_raw_bucket');
    stateful(new S3Bucket(s, 'curated', {}), 'lake_curated_bucket');
    expect([...s.statefulAddresses]).toEqual(['aws_s3_bucket.lake_raw_bucket', 'aws_s3_bucket.lake_curated_bucket']);
  });

  it('returns the resource, for chaining', () => {
    const s = stack();
    const bucket = new S3Bucket(s, 'bucket', {});
    expect(stateful(bucket, 'lake_raw_bucket')).toBe(bucket);
  });

  it('rejects an address used twice in one stack', () => {
    const s = stack();
    stateful(new S3Bucket(s, 'raw', {}), 'lake_raw_bucket');
    expect(() => stateful(new S3Bucket(s, 'other', {}), 'lake_raw_bucket')).toThrow(
      'stateful(): aws_s3_bucket.lake_raw_bucket is already used in stack test-lake; give each stateful resource its own address',
    );
  });

  it.each(['LakeRawBucket', 'lake-raw-bucket', '1_bucket', '', 'lake.raw', `b${'x'.repeat(64)}`])('rejects the address %j', (address) => {
    const s = stack();
    expect(() => stateful(new S3Bucket(s, 'bucket', {}), address)).toThrow(
      `stateful(): address "${address}" must be lowercase letters, digits and "_" (at most 64), starting with a letter`,
    );
    expect(s.statefulAddresses.size).toBe(0);
  });

  it('rejects a resource outside a PlatformStack', () => {
    const plain = new TerraformStack(testApp(), 'plain');
    expect(() => stateful(new S3Bucket(plain, 'bucket', {}), 'lake_raw_bucket')).toThrow(
      'plain/bucket is not inside a PlatformStack; create platform constructs in a PlatformStack',
    );
  });
});
