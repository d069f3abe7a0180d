/**
 * Which synthesized stacks a change affects, so a pull request plans only those: from Nx's
 * affected projects and the changed files, through the layers that consume each package.
 *
 * - `core` and `policy` (config, naming, the base stack, the rule pack), the root
 *   `package.json` / `package-lock.json` (dependencies), `tsconfig.base.json` and `cdktf.json`
 *   (how the app is compiled and run), the app `apps/data-platform/` and `scripts/` (synthesis
 *   and the plan runner): every stack of every environment.
 * - A layer package: its layer's stacks and those of the layers built from it
 *   ({@link LAYER_CONSUMERS}), in every environment.
 * - `environments/<env>.yaml`: every stack of `<env>`; `environments/schema.json` alone: nothing.
 * - `bootstrap`: nothing (its stacks are applied by hand, once per account).
 *
 * Nx lists a project when its files change and also when anything it imports changes, so the app
 * and `scripts` (which import every package) would be listed for any change. A project therefore
 * counts through its own changed files that can change synthesized output ({@link isBuildInput}:
 * not tests, fixtures, Markdown or tool configuration); a change to a dependency is covered by the
 * dependency's consumers, which include every layer built on it. Nx's list decides when a
 * workspace file outside the projects changed (nx.json, say): every project Nx then lists counts.
 * A project this file does not know plans everything: a new project is never silently skipped.
 */
import { LAYERS, Layer } from '@data-platform/core';

/**
 * The layers whose stacks change when a layer package changes: its own, and every layer whose
 * stack is built from what the package exposes (the app's wiring, ARCHITECTURE.md).
 */
export const LAYER_CONSUMERS: Readonly<Record<Layer, readonly Layer[]>> = {
  lake: LAYERS,
  ingestion: ['ingestion', 'processing', 'observability'],
  processing: ['processing', 'governance', 'ml', 'observability'],
  governance: ['governance', 'bi', 'ml', 'observability'],
  bi: ['bi', 'observability'],
  ml: ['ml', 'observability'],
  observability: ['observability'],
};

/** Nx projects whose change affects every stack of every environment. */
export const PROJECTS_AFFECTING_ALL: readonly string[] = ['core', 'policy', 'data-platform', 'scripts'];

/** Nx projects that build no platform stack. */
export const PROJECTS_WITHOUT_STACKS: readonly string[] = ['bootstrap'];

/** Root folders (with the trailing `/`) of the projects not under `packages/<name>/`. */
export const PROJECT_ROOTS: Readonly<Record<string, string>> = {
  'data-platform': 'apps/data-platform/',
  bootstrap: 'apps/bootstrap/',
  scripts: 'scripts/',
};

/** Files outside the projects whose change affects every stack. */
export const FILES_AFFECTING_ALL: readonly string[] = ['package.json', 'package-lock.json', 'tsconfig.base.json', 'cdktf.json'];

/** Where the environment files live, relative to the repository root. */
export const ENVIRONMENTS_FOLDER = 'environments/';

/** A change: what Nx says is affected and which files differ. */
export interface ChangeSet {
  /** Nx's affected projects (`nx show projects --affected --json`). */
  readonly projects: readonly string[];
  /** Changed files relative to the repository root, `/`-separated (`git diff --name-only`). */
  readonly files: readonly string[];
}

/** What a change reaches, each with the reasons why. */
export interface AffectedScope {
  /** Reasons every stack is affected; empty when not. */
  readonly all: readonly string[];
  readonly layers: ReadonlyMap<Layer, readonly string[]>;
  readonly environments: ReadonlyMap<string, readonly string[]>;
}

/** The part of a synthesized stack this reads. */
export interface StackRef {
  readonly name: string;
  readonly environment: string;
}

/** An affected stack and why. */
export interface AffectedStack<S extends StackRef> {
  readonly stack: S;
  readonly reasons: readonly string[];
}

/**
 * Whether a changed file can change synthesized output: tests, fixtures, Markdown, the
 * workflows and test or lint configuration cannot.
 */
export function isBuildInput(file: string): boolean {
  return !(
    /\.test\.ts$/.test(file) ||
    /(^|\/)__fixtures__\//.test(file) ||
    file.endsWith('.md') ||
    file.startsWith('.github/') ||
    /(^|\/)(jest\.config|jest\.preset|jest\.setup|eslint\.config)\.js$/.test(file)
  );
}

/** A project's root folder, with the trailing `/`. */
export function projectRoot(project: string): string {
  return PROJECT_ROOTS[project] ?? `packages/${project}/`;
}

/** What `change` reaches: every stack, some layers, some environments. */
export function affectedScope(change: ChangeSet): AffectedScope {
  const all: string[] = [];
  const layers = new Map<Layer, string[]>();
  const environments = new Map<string, string[]>();
  const add = <K>(map: Map<K, string[]>, key: K, reason: string) => map.set(key, [...(map.get(key) ?? []), reason]);

  for (const file of change.files) {
    if (FILES_AFFECTING_ALL.includes(file)) all.push(`${file} changed`);
    const env = environmentOf(file);
    if (env) add(environments, env, `${file} changed`);
  }
  // Build inputs outside every project and not handled above: Nx alone knows what they reach.
  const workspace = change.files.filter((f) => isBuildInput(f) && !FILES_AFFECTING_ALL.includes(f) && !/^(packages|apps|scripts|environments)\//.test(f));

  const packages = change.files.flatMap((f) => /^packages\/([^/]+)\//.exec(f)?.[1] ?? []);
  for (const project of [...new Set([...change.projects, ...packages, ...Object.keys(PROJECT_ROOTS)])]) {
    const own = change.files.filter((f) => f.startsWith(projectRoot(project)));
    const inputs = own.filter(isBuildInput);
    let why: string;
    if (inputs.length > 0) why = `${project} changed (${inputs.length === 1 ? inputs[0] : `${inputs.length} files`})`;
    else if (own.length === 0 && workspace.length > 0 && change.projects.includes(project)) why = `${project} affected by ${workspace.join(', ')}`;
    else continue;

    if (PROJECTS_WITHOUT_STACKS.includes(project)) continue;
    if (PROJECTS_AFFECTING_ALL.includes(project)) all.push(why);
    else if (isLayer(project)) for (const layer of LAYER_CONSUMERS[project]) add(layers, layer, layer === project ? why : `${why}, which ${layer} uses`);
    else all.push(`${why}: a project this script does not know, so everything is planned`);
  }
  return { all, layers, environments };
}

/**
 * The stacks `change` affects, in `stacks` order, each with its reasons. A stack named like its
 * environment (`layout: single`) holds every layer; `<env>-<layer>` holds that layer.
 */
export function affectedStacks<S extends StackRef>(change: ChangeSet, stacks: readonly S[]): AffectedStack<S>[] {
  const scope = affectedScope(change);
  return stacks.flatMap((stack) => {
    const reasons = [
      ...scope.all,
      ...(scope.environments.get(stack.environment) ?? []),
      ...stackLayers(stack).flatMap((layer) => scope.layers.get(layer) ?? []),
    ];
    return reasons.length > 0 ? [{ stack, reasons: [...new Set(reasons)] }] : [];
  });
}

/**
 * The layers a stack holds, from its name: `<env>` (single layout) holds every layer,
 * `<env>-<layer>` one; a name of neither form is taken to hold every layer, so it is planned.
 */
export function stackLayers(stack: StackRef): readonly Layer[] {
  if (stack.name === stack.environment) return LAYERS;
  const suffix = stack.name.startsWith(`${stack.environment}-`) ? stack.name.slice(stack.environment.length + 1) : '';
  return isLayer(suffix) ? [suffix] : LAYERS;
}

function isLayer(name: string): name is Layer {
  return (LAYERS as readonly string[]).includes(name);
}

/** The environment an `environments/<env>.yaml` path names; undefined for any other file. */
function environmentOf(file: string): string | undefined {
  const m = new RegExp(`^${ENVIRONMENTS_FOLDER}([^/]+)\\.yaml$`).exec(file);
  return m?.[1];
}
