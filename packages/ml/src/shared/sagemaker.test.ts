import { NAME_HASH_LENGTH } from '@data-platform/core';
import { INSTANCE_STORE_FAMILIES, INSTANCE_TYPE_RE, SAGEMAKER_NAME_MAX, contentHash, ecrImageOf, hasInstanceStore } from './sagemaker';

describe('SageMaker helpers', () => {
  test('SageMaker names are at most 63 characters', () => {
    expect(SAGEMAKER_NAME_MAX).toBe(63);
  });

  test('contentHash is short, stable, and changes with any part or their order', () => {
    const hash = contentHash('image:1', 'ml/churn/model.tar.gz', 2);
    expect(hash).toMatch(new RegExp(`^[0-9a-f]{${NAME_HASH_LENGTH}}$`));
    expect(contentHash('image:1', 'ml/churn/model.tar.gz', 2)).toBe(hash);
    expect(contentHash('image:2', 'ml/churn/model.tar.gz', 2)).not.toBe(hash);
    expect(contentHash('ml/churn/model.tar.gz', 'image:1', 2)).not.toBe(hash);
    // Parts are not simply concatenated: moving a character between parts changes the hash.
    expect(contentHash('ab', 'c')).not.toBe(contentHash('a', 'bc'));
  });

  test('recognises instance types with local instance storage', () => {
    expect(['ml.m5d.large', 'ml.g4dn.xlarge', 'ml.p4d.24xlarge', 'ml.g5.2xlarge', 'ml.trn1.2xlarge', 'ml.c5d.xlarge'].map(hasInstanceStore)).toEqual([true, true, true, true, true, true]);
    expect(['ml.m5.large', 'ml.c5.xlarge', 'ml.inf1.xlarge', 'ml.t2.medium', 'm5d.large'].map(hasInstanceStore)).toEqual([false, false, false, false, false]);
    expect(INSTANCE_STORE_FAMILIES).toEqual(['dl1', 'g5', 'g6', 'g6e', 'gr6', 'p5', 'p5e', 'p5en', 'trn1', 'trn1n', 'trn2']);
  });

  test('accepts ml.<family>.<size> instance types only', () => {
    expect(['ml.m5.large', 'ml.g5.12xlarge'].map((t) => INSTANCE_TYPE_RE.test(t))).toEqual([true, true]);
    expect(['m5.large', 'ml.m5', 'ML.M5.LARGE'].map((t) => INSTANCE_TYPE_RE.test(t))).toEqual([false, false, false]);
  });

  test('finds the account, region and repository of a private ECR image, by tag or digest', () => {
    expect(ecrImageOf('111111111111.dkr.ecr.eu-west-1.amazonaws.com/churn:1.4.0')).toEqual({ account: '111111111111', region: 'eu-west-1', repository: 'churn' });
    expect(ecrImageOf(`141502667606.dkr.ecr.eu-west-1.amazonaws.com/team/xgboost@sha256:${'a'.repeat(64)}`)).toEqual({
      account: '141502667606', region: 'eu-west-1', repository: 'team/xgboost',
    });
    expect(ecrImageOf('111111111111.dkr.ecr.cn-north-1.amazonaws.com.cn/churn:1')).toEqual({ account: '111111111111', region: 'cn-north-1', repository: 'churn' });
  });

  test('returns undefined for an image from another registry or without a tag', () => {
    expect(ecrImageOf('docker.io/library/python:3.12')).toBeUndefined();
    expect(ecrImageOf('public.ecr.aws/docker/library/python:3.12')).toBeUndefined();
    expect(ecrImageOf('111111111111.dkr.ecr.eu-west-1.amazonaws.com/churn')).toBeUndefined();
  });
});
