import { EnvironmentConfig } from './config/schema';

/** Value of the `managed-by` tag on every resource. */
export const MANAGED_BY = 'cdktf-data-platform';

/**
 * Tags stamped on every resource through the provider's default tags: the platform's own
 * (project, environment, stage, managed-by) and the environment's extra `tags`.
 */
export function defaultTags(env: EnvironmentConfig): Record<string, string> {
  return {
    ...env.tags,
    project: env.project,
    environment: env.name,
    stage: env.stage,
    'managed-by': MANAGED_BY,
  };
}
