import { App, IAspect } from 'cdktf';
import { EnvironmentConfig, Layer, PlatformStack, stackName } from '@data-platform/core';
import { IngestionLayer } from './ingestion-layer';
import { LakeLayer } from './lake-layer';
import { ObservabilityLayer } from './observability-layer';
import { ProcessingLayer } from './processing-layer';

/** What one environment is made of: its stacks and its layers. */
export interface PlatformEnvironment {
  readonly env: EnvironmentConfig;
  /** Stacks by name (`<env>` with `layout: single`, else `<env>-<layer>`). */
  readonly stacks: ReadonlyMap<string, PlatformStack>;
  readonly lake: LakeLayer;
  readonly ingestion: IngestionLayer;
  readonly processing: ProcessingLayer;
  readonly observability: ObservabilityLayer;
}

export interface BuildOptions {
  /** Aspects added to every stack (aspects on the App never run). */
  readonly aspects?: readonly IAspect[];
}

/**
 * Builds every layer of `env` into `app`: one stack per layer, or one stack for all of them with
 * `layout: single`. Stateful resources keep their pinned addresses in both layouts.
 */
export function buildEnvironment(app: App, env: EnvironmentConfig, options: BuildOptions = {}): PlatformEnvironment {
  const stacks = new Map<string, PlatformStack>();
  const stackFor = (layer: Layer): PlatformStack => {
    const name = stackName(env, layer);
    let stack = stacks.get(name);
    if (!stack) {
      stack = new PlatformStack(app, name, { env, aspects: options.aspects });
      stacks.set(name, stack);
    }
    return stack;
  };

  const lake = new LakeLayer(stackFor('lake'), 'lake', env);
  const ingestion = new IngestionLayer(stackFor('ingestion'), 'ingestion', env, lake.lake);
  const processing = new ProcessingLayer(stackFor('processing'), 'processing', env, lake.lake, ingestion);
  const observability = new ObservabilityLayer(stackFor('observability'), 'observability', env, lake.lake, ingestion, processing);
  return { env, stacks, lake, ingestion, processing, observability };
}
