import { App, IAspect } from 'cdktf';
import { CredentialMode, EnvironmentConfig, Layer, PlatformStack, stackName } from '@data-platform/core';
import { BiLayer } from './bi-layer';
import { GovernanceLayer } from './governance-layer';
import { IngestionLayer } from './ingestion-layer';
import { LakeLayer } from './lake-layer';
import { MlLayer } from './ml-layer';
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
  /** With a `governance` section. */
  readonly governance?: GovernanceLayer;
  /** With a `bi` section (which needs governance). */
  readonly bi?: BiLayer;
  /** With an `ml` section (which needs governance). */
  readonly ml?: MlLayer;
  readonly observability: ObservabilityLayer;
}

export interface BuildOptions {
  /** Aspects added to every stack (aspects on the App never run). */
  readonly aspects?: readonly IAspect[];
  /** Where online stacks' credentials come from (see core's CredentialMode). */
  readonly credentials?: CredentialMode;
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
      stack = new PlatformStack(app, name, { env, aspects: options.aspects, credentials: options.credentials });
      stacks.set(name, stack);
    }
    return stack;
  };

  const lake = new LakeLayer(stackFor('lake'), 'lake', env);
  const ingestion = new IngestionLayer(stackFor('ingestion'), 'ingestion', env, lake.lake);
  const processing = new ProcessingLayer(stackFor('processing'), 'processing', env, lake.lake, ingestion);
  const governance = env.governance && lake.lakeFormation
    ? new GovernanceLayer(stackFor('governance'), 'governance', env, env.governance, lake.lake, lake.lakeFormation, ingestion, processing)
    : undefined;
  const bi = env.bi && governance ? new BiLayer(stackFor('bi'), 'bi', env, env.bi, lake.lake, governance.governance) : undefined;
  const ml = env.ml && governance
    ? new MlLayer(stackFor('ml'), 'ml', env, env.ml, lake.lake, governance.governance, processing)
    : undefined;
  const observability = new ObservabilityLayer(stackFor('observability'), 'observability', env, lake.lake, { ingestion, processing, governance, ml });
  return { env, stacks, lake, ingestion, processing, governance, bi, ml, observability };
}
