import { join } from 'node:path';
import { IAspect } from 'cdktf';
import { IConstruct } from 'constructs';
import { EnvironmentConfig, loadEnvironment, synthesize, testApp, testEnvironment } from '@data-platform/core';
import { buildEnvironment } from './environment';
import { ENVIRONMENTS_DIR, selection } from './app';

const LAKE_STATEFUL = [
  'aws_glue_catalog_database.lake_curated_database',
  'aws_glue_catalog_database.lake_processed_database',
  'aws_glue_catalog_database.lake_raw_database',
  'aws_kms_key.lake_key',
  'aws_s3_bucket.lake_access_logs_bucket',
  'aws_s3_bucket.lake_artifacts_bucket',
  'aws_s3_bucket.lake_athena_results_bucket',
  'aws_s3_bucket.lake_curated_bucket',
  'aws_s3_bucket.lake_processed_bucket',
  'aws_s3_bucket.lake_raw_bucket',
];

describe('building an environment', () => {
  test('a layered environment gets one stack per layer, named <env>-<layer>', () => {
    const built = buildEnvironment(testApp(), testEnvironment({ name: 'dev', layout: 'layered' }));
    expect([...built.stacks.keys()]).toEqual(['dev-lake', 'dev-ingestion', 'dev-processing', 'dev-observability']);
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
    expect([...visited]).toEqual(['dev-lake', 'dev-ingestion', 'dev-processing', 'dev-observability']);
  });
});

describe('environment selection', () => {
  test('defaults to every file in environments/, assuming the deploy role', () => {
    expect(selection({})).toEqual({ dir: ENVIRONMENTS_DIR, names: undefined, credentials: 'assume-deploy-role' });
  });

  test('reads PLATFORM_ENVIRONMENTS, PLATFORM_ENV_DIR and PLATFORM_CREDENTIALS', () => {
    expect(selection({ PLATFORM_ENVIRONMENTS: ' local, dev ,', PLATFORM_ENV_DIR: '/x', PLATFORM_CREDENTIALS: 'ambient' }))
      .toEqual({ dir: '/x', names: ['local', 'dev'], credentials: 'ambient' });
  });

  test('rejects an unknown credential mode with the values it takes', () => {
    expect(() => selection({ PLATFORM_CREDENTIALS: 'keys' })).toThrow('environment variable: PLATFORM_CREDENTIALS is "keys"; use assume-deploy-role or ambient, or leave it unset');
  });
});

describe('the ingestion layer', () => {
  const network = {
    vpcId: 'vpc-0a1b2c3d4e5f60001',
    vpcCidr: '10.10.0.0/16',
    subnets: { 'eu-west-1a': 'subnet-0a1b2c3d4e5f6a001', 'eu-west-1b': 'subnet-0a1b2c3d4e5f6b001' },
  };
  const ingestion = {
    streams: { clickstream: { format: 'json' as const } },
    saas: { 'salesforce-accounts': { connectorProfile: 'dev-salesforce', object: 'Account', fields: ['Id'] } },
    events: { 'image-catalog': { prefix: 'images/' } },
    batch: { 'partner-import': { image: '111111111111.dkr.ecr.eu-west-1.amazonaws.com/partner-import:1.4.2', schedule: 'cron(0 2 * * ? *)' } },
  };

  test('builds one path per dataset of the config, in the ingestion stack, reading the lake across stacks', () => {
    const built = buildEnvironment(testApp(), testEnvironment({ name: 'dev', network, ingestion }));
    expect(built.ingestion.streams.map((s) => s.node.id)).toEqual(['stream-clickstream']);
    expect(built.ingestion.saas.map((s) => s.node.id)).toEqual(['saas-salesforce-accounts']);
    expect(built.ingestion.events.map((s) => s.node.id)).toEqual(['events-image-catalog']);
    expect(built.ingestion.batch.map((s) => s.node.id)).toEqual(['batch-partner-import']);
    expect(built.ingestion.cluster).toBeDefined();
    const stack = built.stacks.get('dev-ingestion');
    if (!stack) throw new Error('no dev-ingestion stack');
    const { tf } = synthesize(stack);
    expect(Object.keys(tf.data?.terraform_remote_state ?? {})).toEqual(['cross-stack-reference-input-dev-lake']);
  });

  test('lets AppFlow write its prefix through the lake\'s own bucket policy', () => {
    const built = buildEnvironment(testApp(), testEnvironment({ name: 'dev', network, ingestion }));
    const lakeStack = built.stacks.get('dev-lake');
    if (!lakeStack) throw new Error('no dev-lake stack');
    const { tf } = synthesize(lakeStack);
    expect(JSON.stringify(tf.data?.aws_iam_policy_document?.lake_raw_policy)).toContain('salesforce-accounts/*');
  });

  test('an environment without ingestion datasets has an empty ingestion stack and no import cluster', () => {
    const built = buildEnvironment(testApp(), testEnvironment({ name: 'dev' }));
    expect(built.ingestion.cluster).toBeUndefined();
    expect(built.ingestion.streams).toEqual([]);
  });
});

describe('the processing layer', () => {
  const processing = {
    classifiers: { 'partner-csv': { type: 'csv' as const, delimiter: ';' } },
    crawlers: {
      'raw-partners': { zone: 'raw' as const, prefixes: ['partner-import/'], recrawl: 'events' as const, classifiers: ['partner-csv'] },
      'processed-orders': { zone: 'processed' as const, prefixes: ['orders/', 'clickstream/'] },
    },
  };

  test('gives each crawler in S3 event mode a queue in the lake\'s stack, fed by its zone bucket, and reads it across stacks', () => {
    const built = buildEnvironment(testApp(), testEnvironment({ name: 'dev', layout: 'layered', processing }));
    const lakeStack = built.stacks.get('dev-lake');
    const processingStack = built.stacks.get('dev-processing');
    if (!lakeStack || !processingStack) throw new Error('no dev-lake or dev-processing stack');
    const lake = synthesize(lakeStack).tf;
    expect(Object.keys(lake.resource?.aws_sqs_queue ?? {})).toEqual(['lake_raw_partners_events_queue']);
    expect(lake.resource?.aws_s3_bucket_notification?.lake_raw_notification).toMatchObject({
      eventbridge: true,
      queue: [{ id: 'raw-partners', filter_prefix: 'partner-import/' }],
    });
    const { tf } = synthesize(processingStack);
    const crawlers = Object.values(tf.resource?.aws_glue_crawler ?? {});
    const events = crawlers.find((c) => c.name === 'adp-dev-processing-raw-partners-crawler');
    const orders = crawlers.find((c) => c.name === 'adp-dev-processing-processed-orders-crawler');
    expect(events?.recrawl_policy).toEqual({ recrawl_behavior: 'CRAWL_EVENT_MODE' });
    expect((events?.s3_target as Array<{ event_queue_arn?: string }>)[0].event_queue_arn).toMatch(/^\$\{data\.terraform_remote_state\.cross-stack-reference-input-dev-lake\./);
    expect(orders?.recrawl_policy).toEqual({ recrawl_behavior: 'CRAWL_NEW_FOLDERS_ONLY' });
    expect((orders?.s3_target as Array<Record<string, unknown>>).every((t) => !('event_queue_arn' in t))).toBe(true);
  });

  test('an environment without crawlers in S3 event mode has no event queue', () => {
    const built = buildEnvironment(testApp(), testEnvironment({ name: 'dev', layout: 'layered' }));
    const lakeStack = built.stacks.get('dev-lake');
    if (!lakeStack) throw new Error('no dev-lake stack');
    expect(synthesize(lakeStack).tf.resource?.aws_sqs_queue).toBeUndefined();
  });
});

describe('the lake layer', () => {
  const dev = loadEnvironment(join(ENVIRONMENTS_DIR, 'dev.yaml'));
  const settingsOf = (env: EnvironmentConfig) => {
    const built = buildEnvironment(testApp(), env);
    const lakeStack = built.stacks.get('dev-lake');
    if (!lakeStack) throw new Error('no dev-lake stack');
    return synthesize(lakeStack).tf.resource?.aws_lakeformation_data_lake_settings?.governance_lake_settings;
  };

  test('makes the CI plan role a read-only Lake Formation administrator, so plans read the grants and the governed catalog', () => {
    expect(dev.ci?.planRole).toMatch(/^arn:aws:iam::\d{12}:role\//);
    const settings = settingsOf(dev);
    expect(settings?.read_only_admins).toEqual([dev.ci?.planRole]);
    expect(settings?.admins).not.toContain(dev.ci?.planRole);
  });

  test('makes no read-only administrator without a plan role', () => {
    expect(settingsOf({ ...dev, ci: undefined })).not.toHaveProperty('read_only_admins');
    expect(settingsOf({ ...dev, ci: dev.ci && { ...dev.ci, planRole: undefined } })).not.toHaveProperty('read_only_admins');
  });
});
