import { LAYERS } from '@data-platform/core';
import {
  ChangeSet,
  FILES_AFFECTING_ALL,
  LAYER_CONSUMERS,
  PROJECTS_AFFECTING_ALL,
  PROJECTS_WITHOUT_STACKS,
  PROJECT_ROOTS,
  affectedScope,
  affectedStacks,
  isBuildInput,
  projectRoot,
  stackLayers,
} from './affected';

// The stacks of a synthesis: dev and prod layered (prod without the bi and ml layers), local single.
const layered = (env: string, layers: readonly string[]) => layers.map((l) => ({ name: `${env}-${l}`, environment: env }));
const PROD_LAYERS = ['lake', 'ingestion', 'processing', 'governance', 'observability'];
const STACKS = [...layered('dev', LAYERS), { name: 'local', environment: 'local' }, ...layered('prod', PROD_LAYERS)];
const ALL = STACKS.map((s) => s.name);

// What Nx lists for a change to packages: them, whatever imports them (bi and ml import
// governance; every package imports core, lake or policy), the app and scripts.
const DEPENDENTS: Record<string, string[]> = {
  core: ['policy', 'lake', ...LAYERS, 'bootstrap'],
  lake: [...LAYERS.filter((l) => l !== 'lake')],
  governance: ['bi', 'ml'],
};
const nx = (...projects: string[]) => [...new Set([...projects, ...projects.flatMap((p) => DEPENDENTS[p] ?? []), 'data-platform', 'scripts'])];

function names(change: ChangeSet): string[] {
  return affectedStacks(change, STACKS).map((a) => a.stack.name);
}
function reasonsOf(change: ChangeSet, stack: string): readonly string[] | undefined {
  return affectedStacks(change, STACKS).find((a) => a.stack.name === stack)?.reasons;
}

describe('affected stacks', () => {
  test('documents the layer consumers of ARCHITECTURE.md and the projects that reach everything', () => {
    expect(LAYER_CONSUMERS).toEqual({
      lake: LAYERS,
      ingestion: ['ingestion', 'processing', 'observability'],
      processing: ['processing', 'governance', 'ml', 'observability'],
      governance: ['governance', 'bi', 'ml', 'observability'],
      bi: ['bi', 'observability'],
      ml: ['ml', 'observability'],
      observability: ['observability'],
    });
    expect(PROJECTS_AFFECTING_ALL).toEqual(['core', 'policy', 'data-platform', 'scripts']);
    expect(PROJECTS_WITHOUT_STACKS).toEqual(['bootstrap']);
    expect(PROJECT_ROOTS).toEqual({ 'data-platform': 'apps/data-platform/', bootstrap: 'apps/bootstrap/', scripts: 'scripts/' });
    expect(FILES_AFFECTING_ALL).toEqual(['package.json', 'package-lock.json', 'tsconfig.base.json', 'cdktf.json']);
    expect(['lake', 'scripts', 'data-platform'].map(projectRoot)).toEqual(['packages/lake/', 'scripts/', 'apps/data-platform/']);
  });

  test.each(['core', 'policy'])('a change to %s plans every stack of every environment', (pkg) => {
    const change = { projects: nx(pkg), files: [`packages/${pkg}/src/x.ts`] };
    expect(names(change)).toEqual(ALL);
    expect(reasonsOf(change, 'dev-bi')).toEqual([`${pkg} changed (packages/${pkg}/src/x.ts)`]);
  });

  test.each(['package.json', 'package-lock.json', 'tsconfig.base.json', 'cdktf.json'])('a change to %s plans every stack', (file) => {
    expect(names({ projects: [], files: [file] })).toEqual(ALL);
    expect(reasonsOf({ projects: [], files: [file] }, 'local')).toEqual([`${file} changed`]);
  });

  test('a change to the app plans every stack, with the file as the reason', () => {
    const change = { projects: ['data-platform', 'scripts'], files: ['apps/data-platform/src/environment.ts'] };
    expect(names(change)).toEqual(ALL);
    expect(reasonsOf(change, 'dev-lake')).toEqual(['data-platform changed (apps/data-platform/src/environment.ts)']);
  });

  test('a change to scripts plans every stack', () => {
    const change = { projects: ['scripts'], files: ['scripts/plan.ts', 'scripts/lib/stacks.ts'] };
    expect(names(change)).toEqual(ALL);
    expect(reasonsOf(change, 'prod-lake')).toEqual(['scripts changed (2 files)']);
  });

  test('the app and scripts, listed by Nx only because a package changed, do not plan everything', () => {
    expect(names({ projects: nx('bi'), files: ['packages/bi/src/dataset.ts'] })).toEqual(['dev-bi', 'dev-observability', 'local', 'prod-observability']);
  });

  test('lake plans every layer of every environment', () => {
    expect(names({ projects: nx('lake'), files: ['packages/lake/src/data-lake.ts'] })).toEqual(ALL);
  });

  test.each([
    ['ingestion', ['dev-ingestion', 'dev-processing', 'dev-observability', 'local', 'prod-ingestion', 'prod-processing', 'prod-observability']],
    ['processing', ['dev-processing', 'dev-governance', 'dev-ml', 'dev-observability', 'local', 'prod-processing', 'prod-governance', 'prod-observability']],
    ['governance', ['dev-governance', 'dev-bi', 'dev-ml', 'dev-observability', 'local', 'prod-governance', 'prod-observability']],
    ['bi', ['dev-bi', 'dev-observability', 'local', 'prod-observability']],
    ['ml', ['dev-ml', 'dev-observability', 'local', 'prod-observability']],
    ['observability', ['dev-observability', 'local', 'prod-observability']],
  ])('%s plans its layer and the layers built from it, in every environment (single stacks hold every layer)', (pkg, expected) => {
    expect(names({ projects: nx(pkg), files: [`packages/${pkg}/src/index.ts`, `packages/${pkg}/src/index.test.ts`] })).toEqual(expected);
  });

  test('says why a consumer layer is planned', () => {
    const change = { projects: nx('ingestion'), files: ['packages/ingestion/src/stream-ingest.ts'] };
    expect(reasonsOf(change, 'dev-ingestion')).toEqual(['ingestion changed (packages/ingestion/src/stream-ingest.ts)']);
    expect(reasonsOf(change, 'dev-processing')).toEqual(['ingestion changed (packages/ingestion/src/stream-ingest.ts), which processing uses']);
    expect(reasonsOf(change, 'local')).toEqual([
      'ingestion changed (packages/ingestion/src/stream-ingest.ts)',
      'ingestion changed (packages/ingestion/src/stream-ingest.ts), which processing uses',
      'ingestion changed (packages/ingestion/src/stream-ingest.ts), which observability uses',
    ]);
  });

  test('packages Nx lists only because they import a changed one are covered by its consumers, not planned for themselves', () => {
    // bi and ml import governance; their own layers are governance's consumers already.
    const found = affectedStacks({ projects: nx('governance'), files: ['packages/governance/src/lf-tags.ts'] }, STACKS);
    expect(found.find((a) => a.stack.name === 'dev-bi')?.reasons).toEqual(['governance changed (packages/governance/src/lf-tags.ts), which bi uses']);
  });

  test('tests, fixtures, Markdown and tool configuration plan nothing, though Nx lists the project and everything importing it', () => {
    const files = [
      'packages/lake/src/data-lake.test.ts',
      'packages/core/src/__fixtures__/bad.yaml',
      'packages/ingestion/README.md',
      'packages/bi/jest.config.js',
      'apps/data-platform/src/app.test.ts',
      'scripts/lib/plan-summary.test.ts',
      '.github/workflows/drift.yml',
      'eslint.config.js',
      'README.md',
    ];
    expect(names({ projects: nx('core', 'lake'), files })).toEqual([]);
    expect(files.map(isBuildInput)).toEqual(files.map(() => false));
    expect(['x.ts', 'packages/processing/scripts/orders_clean.py', 'environments/dev.yaml', 'nx.json'].map(isBuildInput)).toEqual([true, true, true, true]);
  });

  test('a workspace file outside the projects counts for every project Nx lists for it', () => {
    const change = { projects: nx('core'), files: ['nx.json'] };
    expect(names(change)).toEqual(ALL);
    expect(reasonsOf(change, 'dev-ml')?.[0]).toBe('core affected by nx.json');
    expect(names({ projects: ['observability'], files: ['nx.json'] })).toEqual(['dev-observability', 'local', 'prod-observability']);
    expect(names({ projects: [], files: ['nx.json'] })).toEqual([]);
  });

  test('an environment file plans every stack of that environment only', () => {
    expect(names({ projects: [], files: ['environments/prod.yaml'] })).toEqual(layered('prod', PROD_LAYERS).map((s) => s.name));
    expect(affectedStacks({ projects: [], files: ['environments/local.yaml'] }, STACKS)).toEqual([
      { stack: { name: 'local', environment: 'local' }, reasons: ['environments/local.yaml changed'] },
    ]);
  });

  test('the generated schema alone and other files of environments/ plan nothing', () => {
    expect(names({ projects: [], files: ['environments/schema.json', 'environments/README.md', 'environments/old/dev.yaml'] })).toEqual([]);
  });

  test('bootstrap plans nothing', () => {
    expect(names({ projects: ['bootstrap'], files: ['apps/bootstrap/src/main.ts'] })).toEqual([]);
  });

  test('a project it does not know plans everything rather than nothing', () => {
    const scope = affectedScope({ projects: ['search'], files: ['packages/search/src/index.ts'] });
    expect(scope.all).toEqual(['search changed (packages/search/src/index.ts): a project this script does not know, so everything is planned']);
    expect(names({ projects: [], files: ['packages/search/src/index.ts'] })).toEqual(ALL);
  });

  test('combines a package and an environment file, listing every reason once', () => {
    const change = { projects: nx('observability'), files: ['packages/observability/src/alarms.ts', 'environments/dev.yaml'] };
    expect(names(change)).toEqual([...layered('dev', LAYERS).map((s) => s.name), 'local', 'prod-observability']);
    expect(reasonsOf(change, 'dev-observability')).toEqual(['environments/dev.yaml changed', 'observability changed (packages/observability/src/alarms.ts)']);
  });

  test('nothing changed, nothing planned', () => {
    expect(names({ projects: [], files: [] })).toEqual([]);
  });
});

describe('stack layers', () => {
  test('a single-layout stack holds every layer, a layered one its own', () => {
    expect(stackLayers({ name: 'local', environment: 'local' })).toEqual(LAYERS);
    expect(stackLayers({ name: 'dev-ml', environment: 'dev' })).toEqual(['ml']);
    expect(stackLayers({ name: 'eu-dev-lake', environment: 'eu-dev' })).toEqual(['lake']);
  });

  test('a stack named neither way is taken to hold every layer', () => {
    expect(stackLayers({ name: 'dev-extra', environment: 'dev' })).toEqual(LAYERS);
    expect(stackLayers({ name: 'other', environment: 'dev' })).toEqual(LAYERS);
  });
});
