import { PlatformStack } from './platform-stack';
import { EnvironmentConfig } from './config/schema';

/** File the app writes next to cdktf's manifest: which stacks belong to which environment. */
export const PLATFORM_MANIFEST = 'platform.json';

/** One environment in {@link PLATFORM_MANIFEST}. */
export interface EnvironmentManifest {
  readonly name: string;
  readonly stage: string;
  readonly offline: boolean;
  readonly protect: boolean;
  /** Its stacks, each with the Terraform addresses of its stateful resources. */
  readonly stacks: ReadonlyArray<{ readonly name: string; readonly stateful: readonly string[] }>;
}

/** The content of {@link PLATFORM_MANIFEST}, read by the plan runner and the guards in scripts/. */
export interface PlatformManifest {
  readonly environments: readonly EnvironmentManifest[];
}

/** Describes built environments for {@link PLATFORM_MANIFEST}. */
export function platformManifest(
  envs: ReadonlyArray<{ readonly env: EnvironmentConfig; readonly stacks: ReadonlyMap<string, PlatformStack> }>,
): PlatformManifest {
  return {
    environments: envs.map(({ env, stacks }) => ({
      name: env.name,
      stage: env.stage,
      offline: env.offline,
      protect: env.protect,
      stacks: [...stacks.values()].map((s) => ({ name: s.node.id, stateful: [...s.statefulAddresses].sort() })),
    })),
  };
}
