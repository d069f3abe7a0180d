import { App, IAspect } from 'cdktf';
import { EnvironmentConfig, Layer, PlatformStack, testApp } from '@data-platform/core';
import { DataLake, DataLakeProps } from './data-lake';

/** Where {@link stackWithLake} and {@link layeredStacks} build their stacks, for tests. */
export interface LakeTestStackOptions {
  /**
   * The app the stacks join.
   * @default a fresh `testApp()`
   */
  readonly app?: App;
  /**
   * Aspects of every stack built, e.g. `[new PolicyPack()]` from the test file.
   * @default none
   */
  readonly aspects?: readonly IAspect[];
  /**
   * Props of the lake besides its config, which is the environment's `lake` section.
   * @default none
   */
  readonly lake?: Omit<DataLakeProps, 'config'>;
}

/**
 * One stack holding the environment's lake (id `lake`), for the construct under test to join.
 * The stack's id is `id`, by default the environment's name.
 */
export function stackWithLake(environment: EnvironmentConfig, options: LakeTestStackOptions & { readonly id?: string } = {}) {
  const stack = new PlatformStack(options.app ?? testApp(), options.id ?? environment.name, { env: environment, aspects: options.aspects });
  const lake = new DataLake(stack, 'lake', { config: environment.lake, ...options.lake });
  return { stack, lake };
}

/**
 * The lake in `<prefix>-lake` and an empty `<prefix>-<layer>` stack of one app, as the layered
 * layout builds them: the construct under test goes in `stack` and reaches the lake across stacks.
 * `prefix` is by default the environment's name.
 */
export function layeredStacks(environment: EnvironmentConfig, layer: Layer, options: LakeTestStackOptions & { readonly prefix?: string } = {}) {
  const app = options.app ?? testApp();
  const prefix = options.prefix ?? environment.name;
  const { stack: lakeStack, lake } = stackWithLake(environment, { ...options, app, id: `${prefix}-lake` });
  const stack = new PlatformStack(app, `${prefix}-${layer}`, { env: environment, aspects: options.aspects });
  return { app, lakeStack, lake, stack };
}
