import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { synthesize, thrownBy } from '@data-platform/core';
import { protectState, protectedAddresses } from './protect-state';
import { providerStack } from './test-support';

describe('protectState', () => {
  test('pins the address and sets prevent_destroy, whatever the environment', () => {
    const stack = providerStack();
    const bucket = protectState(new S3Bucket(stack, 'bucket', { bucket: 'adp-tfstate-111111111111' }), 'bootstrap_state_bucket');
    new S3Bucket(stack, 'other', { bucket: 'other' });
    const { tf } = synthesize(stack);
    expect(tf.resource?.aws_s3_bucket?.bootstrap_state_bucket).toMatchObject({ lifecycle: { prevent_destroy: true } });
    expect(protectedAddresses(stack)).toEqual(['aws_s3_bucket.bootstrap_state_bucket']);
    expect(bucket.friendlyUniqueId).toBe('bootstrap_state_bucket');
  });

  test('keeps lifecycle settings already made', () => {
    const stack = providerStack();
    const bucket = new S3Bucket(stack, 'bucket', { bucket: 'b', lifecycle: { ignoreChanges: ['tags'] } });
    protectState(bucket, 'bootstrap_state_bucket');
    expect(bucket.lifecycle).toEqual({ ignoreChanges: ['tags'], preventDestroy: true });
  });

  test('rejects addresses outside bootstrap_<role>', () => {
    const stack = providerStack();
    const error = thrownBy(() => protectState(new S3Bucket(stack, 'bucket', { bucket: 'b' }), 'state_bucket')) as Error;
    expect(error.message).toBe('protectState(): address "state_bucket" must be "bootstrap_" and lowercase letters, digits and "_" (at most 64 in all)');
  });
});
