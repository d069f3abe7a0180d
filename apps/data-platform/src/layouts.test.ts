import { join } from 'node:path';
import { EnvironmentConfig, SynthesizedStack, loadEnvironment, synthesize, testApp } from '@data-platform/core';
import { PolicyPack } from '@data-platform/policy';
import { ENVIRONMENTS_DIR } from './app';
import { PlatformEnvironment, buildEnvironment } from './environment';

// The repository's own dev environment, as its file says (layered), and the same file built as the
// offline environment is: one stack, offline, no deploy role and no remote state.
const dev = loadEnvironment(join(ENVIRONMENTS_DIR, 'dev.yaml'));
const offline: EnvironmentConfig = {
  ...dev,
  layout: 'single',
  offline: true,
  deployRole: undefined,
  state: undefined,
  // Without a deploy role someone else must administer Lake Formation, as in environments/local.yaml.
  governance: dev.governance && { ...dev.governance, administrators: [...dev.governance.administrators, `arn:aws:iam::${dev.account}:role/adp-local-admin`] },
};

const SETTINGS = 'aws_lakeformation_data_lake_settings.governance_lake_settings';

/** Every synthesized stack of `built` by name, the policy pack run on each. */
function synthesizeAll(built: PlatformEnvironment): Map<string, SynthesizedStack> {
  return new Map([...built.stacks].map(([name, stack]) => [name, synthesize(stack).tf]));
}

/** The pinned stateful addresses of every stack of `built`, sorted. */
const statefulOf = (built: PlatformEnvironment) => [...built.stacks.values()].flatMap((s) => [...s.statefulAddresses]).sort();

/** The resource at `address` in whichever stack of `stacks` holds it, with the names of the stacks that do. */
function find(stacks: Map<string, SynthesizedStack>, address: string) {
  const [type, name] = address.split('.');
  const holders = [...stacks].filter(([, tf]) => tf.resource?.[type]?.[name] !== undefined);
  return { stacks: holders.map(([stack]) => stack), resource: holders[0]?.[1].resource?.[type]?.[name] };
}

/** The addresses every stateful resource of governance, bi and ml and every managed table of `env` must have. */
function expectedAddresses(env: EnvironmentConfig): string[] {
  return [
    ...Object.keys(env.lake.tables).map((name) => `aws_glue_catalog_table.lake_${name}_table`),
    ...Object.keys(env.governance?.tags ?? {}).map((key) => `aws_lakeformation_lf_tag.governance_${key.replace(/-/g, '_')}_lf_tag`),
    ...(env.ml ? ['aws_sagemaker_domain.ml_studio_domain'] : []),
    ...Object.keys(env.ml?.models ?? {}).map((model) => `aws_sagemaker_model_package_group.ml_${model.replace(/-/g, '_')}_model_group`),
  ];
}

describe('environments/dev.yaml in both layouts', () => {
  const layeredPack = new PolicyPack();
  const singlePack = new PolicyPack();
  const layered = buildEnvironment(testApp(), dev, { aspects: [layeredPack] });
  const single = buildEnvironment(testApp(), offline, { aspects: [singlePack] });
  const layeredTf = synthesizeAll(layered);
  const singleTf = synthesizeAll(single);

  test('builds every layer, in one stack per layer or in one stack, each passing the policy pack', () => {
    expect([...layered.stacks.keys()]).toEqual(['dev-lake', 'dev-ingestion', 'dev-processing', 'dev-governance', 'dev-bi', 'dev-ml', 'dev-observability']);
    expect([...single.stacks.keys()]).toEqual(['dev']);
    for (const report of [...layeredPack.reports.values(), ...singlePack.reports.values()]) expect({ stack: report.stack, fail: report.counts.fail }).toEqual({ stack: report.stack, fail: 0 });
    expect(singlePack.reports.has('dev')).toBe(true);
  });

  test('pins the same stateful addresses in both layouts, those of governance, bi, ml and every managed table of the file included', () => {
    const expected = expectedAddresses(dev);
    expect(Object.keys(dev.lake.tables).length * Object.keys(dev.ml?.models ?? {}).length).toBeGreaterThan(0);
    expect(statefulOf(single)).toEqual(statefulOf(layered));
    expect(statefulOf(layered)).toEqual(expect.arrayContaining(expected));
  });

  test('synthesizes each of those addresses once, in its layer\'s stack or the single stack', () => {
    const layerOf = (address: string) => (address.includes('.lake_') ? 'dev-lake' : address.includes('.governance_') ? 'dev-governance' : 'dev-ml');
    for (const address of expectedAddresses(dev)) {
      expect({ address, stacks: find(layeredTf, address).stacks }).toEqual({ address, stacks: [layerOf(address)] });
      expect({ address, stacks: find(singleTf, address).stacks }).toEqual({ address, stacks: ['dev'] });
    }
    for (const address of statefulOf(layered)) expect({ address, found: find(singleTf, address).stacks.length }).toEqual({ address, found: 1 });
  });

  test('creates the zone databases and the managed tables after the Lake Formation settings, in both layouts', () => {
    const dependents = [
      ...['raw', 'processed', 'curated'].map((zone) => `aws_glue_catalog_database.lake_${zone}_database`),
      ...Object.keys(dev.lake.tables).map((name) => `aws_glue_catalog_table.lake_${name}_table`),
    ];
    for (const [layout, stacks, settingsStack] of [['layered', layeredTf, 'dev-lake'], ['single', singleTf, 'dev']] as const) {
      expect(find(stacks, SETTINGS).stacks).toEqual([settingsStack]);
      for (const address of dependents) {
        const { resource, stacks: holders } = find(stacks, address);
        expect({ layout, address, holders, dependsOnSettings: ((resource?.depends_on as string[] | undefined) ?? []).includes(SETTINGS) })
          .toEqual({ layout, address, holders: [settingsStack], dependsOnSettings: true });
      }
    }
  });

  test('in the single stack, creates the LF-tags, data filters and zone registrations after the Lake Formation settings too', () => {
    const tf = singleTf.get('dev');
    const types = ['aws_lakeformation_lf_tag', 'aws_lakeformation_data_cells_filter', 'aws_lakeformation_resource'];
    for (const type of types) {
      const resources = Object.entries(tf?.resource?.[type] ?? {});
      expect({ type, some: resources.length > 0 }).toEqual({ type, some: true });
      for (const [name, resource] of resources) expect({ address: `${type}.${name}`, depends_on: resource.depends_on }).toEqual({ address: `${type}.${name}`, depends_on: expect.arrayContaining([SETTINGS]) });
    }
  });
});
