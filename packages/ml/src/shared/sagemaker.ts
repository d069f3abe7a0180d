import { createHash } from 'node:crypto';
import { NAME_HASH_LENGTH } from '@data-platform/core';

/**
 * Longest name SageMaker accepts for a domain, model, endpoint, endpoint configuration, model
 * package group or transform job (`[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}`); core's NAME_LIMITS has no
 * SageMaker entry.
 * @see https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_CreateModel.html
 * @see https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_CreateTransformJob.html
 */
export const SAGEMAKER_NAME_MAX = 63;

/**
 * A short hash of `parts`, for names that must change whenever what they name changes (SageMaker
 * models and endpoint configurations cannot be updated, only replaced). Same parts, same hash.
 */
export function contentHash(...parts: ReadonlyArray<string | number>): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, NAME_HASH_LENGTH);
}

/**
 * Instance families with local NVMe instance storage, which SageMaker encrypts in hardware: it
 * rejects a volume KMS key for them (CreateEndpointConfig's `KmsKeyId`, a transform job's
 * `VolumeKmsKeyId`). Besides these, every family with a `d` after its generation (`m5d`, `g4dn`).
 * The same list as the policy pack's sagemaker-kms rule.
 * @see https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_CreateEndpointConfig.html
 * @see https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_TransformResources.html
 */
export const INSTANCE_STORE_FAMILIES: readonly string[] = ['dl1', 'g5', 'g6', 'g6e', 'gr6', 'p5', 'p5e', 'p5en', 'trn1', 'trn1n', 'trn2'];

/** True for an `ml.<family>.<size>` instance type whose family has local instance storage. */
export function hasInstanceStore(instanceType: string): boolean {
  const family = /^ml\.([a-z0-9-]+)\./.exec(instanceType)?.[1];
  if (!family) return false;
  return INSTANCE_STORE_FAMILIES.includes(family) || /^[a-z]+\d+[a-z]*d[a-z]*$/.test(family);
}

/** SageMaker instance types: `ml.<family>.<size>`. */
export const INSTANCE_TYPE_RE = /^ml\.[a-z0-9]+\.[a-z0-9]+$/;

/** The private ECR repository an image is pulled from. */
export interface EcrImage {
  readonly account: string;
  readonly region: string;
  /** Repository name, e.g. `sagemaker-xgboost` or `team/churn`. */
  readonly repository: string;
}

const ECR_IMAGE_RE = /^(\d{12})\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?\/([a-z0-9][a-z0-9._/-]*?)(?::[\w.-]{1,128}|@sha256:[a-f0-9]{64})$/;

/**
 * The account, region and repository of a private ECR image pinned by tag or digest
 * (`<account>.dkr.ecr.<region>.amazonaws.com/<repository>:<tag>`), or undefined for anything else.
 */
export function ecrImageOf(image: string): EcrImage | undefined {
  const m = ECR_IMAGE_RE.exec(image);
  return m ? { account: m[1], region: m[2], repository: m[3] } : undefined;
}
