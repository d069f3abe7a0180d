import { IAspect } from 'cdktf';
import { IConstruct } from 'constructs';
import { synthesize, testApp, testEnvironment } from '@data-platform/core';
import { buildEnvironment } from './environment';
import { ENVIRONMENTS_DIR, selection } from './app';

const LAKE_STATEFUL = [
  'aws_glue_catalog_database.lake_curated_database',
  'aws_glue_catalog_database.lake_processed_database',
  'aws_glue_catalog_database.lake_raw_database',
  'aws_kms_key.lake_key',
  'aws_s3_bucket.lake_access_logs_bucket',
  'aws_s3_bucket.lake_athena_results_bucket',
  'aws_s3_bucket.lake_curated_bucket',
  'aws_s3_bucket.lake_processed_bucket',
  'aws_s3_bucket.lake_raw_bucket',
];

describe('building an environment', () => {
  test('a layered environment gets one stack per layer, named <env>-<layer>', () => {
    const built = buildEnvironment(testApp(), testEnvironment({ name: 'dev', layout: 'layered' }));
    expect([...built.stacks.keys()]).toEqual(['dev-lake']);
  });

  test('a single-stack environment puts every layer in one stack named after it', () => {
    const built = buildEnvironment(testApp(), testEnvironment({ name: 'local', offline: true, layout: 'single' }));
    expect([...built.stacks.keys()]).toEqual(['local']);
  });

  test('stateful resources keep the same Terraform addresses in both layouts', () => {
    const layered = buildEnvironment(testApp(), testEnvironment({ layout: 'layered' }));
    const single = buildEnvironment(testApp(), testEnvironment({ layout: 'single' }));
    const addresses = (b: typeof layered) => [...b.stacks.values()].flatMap((s) => [...s.statefulAddresses]).sort();
    expect(addresses(layered)).toEqual(LAKE_STATEFUL);
    expect(addresses(single)).toEqual(LAKE_STATEFUL);
  });

  test('the pinned addresses are the ones in the synthesized Terraform', () => {
    const built = buildEnvironment(testApp(), testEnvironment({ layout: 'single' }));
    const stack = built.stacks.get('test');
    if (!stack) throw new Error('no stack "test"');
    const { tf } = synthesize(stack);
    for (const address of LAKE_STATEFUL) {
      const [type, name] = address.split('.');
      expect(tf.resource?.[type]?.[name]).toBeDefined();
    }
  });

  test('aspects given to the build run on every stack (aspects on the App never run)', () => {
    const visited = new Set<string>();
    const aspect: IAspect = { visit: (node: IConstruct) => void visited.add(node.node.path.split('/')[0]) };
    const built = buildEnvironment(testApp(), testEnvironment({ name: 'dev', layout: 'layered' }), { aspects: [aspect] });
    for (const stack of built.stacks.values()) synthesize(stack);
    expect([...visited]).toEqual(['dev-lake']);
  });
});

describe('environment selection', () => {
  test('defaults to every file in environments/', () => {
    expect(selection({})).toEqual({ dir: ENVIRONMENTS_DIR, names: undefined });
  });

  test('reads PLATFORM_ENVIRONMENTS and PLATFORM_ENV_DIR', () => {
    expect(selection({ PLATFORM_ENVIRONMENTS: ' local, dev ,', PLATFORM_ENV_DIR: '/x' })).toEqual({ dir: '/x', names: ['local', 'dev'] });
  });
});
