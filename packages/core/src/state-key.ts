import { EnvironmentConfig } from './config/schema';
import { NAME_LIMITS, physicalName } from './naming';

/**
 * Names shared by apps/bootstrap (which creates the state bucket and its key) and every
 * {@link PlatformStack}'s S3 backend (which must encrypt state with that key: the bucket refuses
 * any other).
 */

/** The one part of physical names that tells bootstrap's own resources from the platform's. */
export const BOOTSTRAP_NAME_PART = 'bootstrap';

/**
 * Physical name of one of bootstrap's own resources: `<project>-bootstrap-<env>-<name>[-<suffix>]`
 * ({@link physicalName} with `bootstrap` before the environment). Unlike the platform's names
 * (`<project>-<env>-...`), these fall outside what the deploy role may manage.
 */
export function bootstrapName(env: EnvironmentConfig, name: string, options: { maxLength?: number; suffix?: string } = {}): string {
  return physicalName({ project: env.project, env: BOOTSTRAP_NAME_PART, layer: env.name, name }, options);
}

/**
 * Alias name of the state key. Backends name the key by this alias (`kms_key_id`), so state
 * objects are encrypted with it; the state bucket refuses any other key.
 */
export const stateKeyAliasName = (env: EnvironmentConfig) => `alias/${bootstrapName(env, 'state-key', { maxLength: NAME_LIMITS.kmsAlias - 'alias/'.length })}`;

/** The partition of an environment, from its deploy role ARN (`aws` when there is none). */
export function environmentPartition(env: EnvironmentConfig): string {
  return (env.deployRole && /^arn:(aws|aws-cn|aws-us-gov):/.exec(env.deployRole)?.[1]) ?? 'aws';
}

/**
 * The ARN of the state key's alias, known before the key exists: what an S3 backend's
 * `kms_key_id` takes (Terraform accepts alias ARNs there; S3 encrypts with the key behind it).
 */
export function stateKeyAliasArn(env: EnvironmentConfig): string {
  return `arn:${environmentPartition(env)}:kms:${env.state?.region ?? env.region}:${env.account}:${stateKeyAliasName(env)}`;
}
