import { App, TerraformVariable } from 'cdktf';
import { DynamodbTable } from '@cdktf/provider-aws/lib/dynamodb-table';
import { LambdaFunction } from '@cdktf/provider-aws/lib/lambda-function';
import {
  addressOf,
  documentOf,
  EnvironmentConfig,
  EventsConfig,
  INGESTION_DEFAULTS,
  LOG_RETENTION_DAYS,
  only,
  PlatformError,
  policyStatements,
  problemsOf,
  rolePolicies,
  synthesize,
  SynthesizedStack,
  testApp,
} from '@data-platform/core';
import { stackWithLake } from '@data-platform/lake';
import { PolicyPack } from '@data-platform/policy';
import { bundleHandler } from './lambda-bundle';
import { OBJECT_CATALOG, ObjectCatalog } from './object-catalog';
import { devEnvironment as env, IngestionInput, KEY_ARN, layeredStacks, OFFLINE, RAW_NAME } from './test-support';

type EventsInput = IngestionInput<'events'>;

/** The dataset of environments/dev.yaml. */
const IMAGES: EventsInput = { prefix: 'images/', suffixes: ['.jpg', '.jpeg', '.png'], memoryMb: 256, reservedConcurrency: 5 };

/** An events config as the loader produces it: `input` validated, defaults filled in. */
function eventsConfig(input: EventsInput = IMAGES): EventsConfig {
  return env({ ingestion: { events: { 'image-catalog': input } } }).ingestion.events['image-catalog'];
}

const TABLE = 'aws_dynamodb_table.ingest_image_catalog_catalog';
const TABLE_ARN = `\${${TABLE}.arn}`;

/** The lake and the catalog in one stack `dev`. */
function build(config: EventsConfig = eventsConfig(), environment = env(), name = 'image-catalog') {
  const { stack, lake } = stackWithLake(environment);
  const catalog = new ObjectCatalog(stack, `events-${name}`, { lake, name, config });
  return { stack, lake, catalog };
}

function synth(config?: EventsConfig, environment?: EnvironmentConfig, name?: string) {
  const built = build(config, environment, name);
  return { ...built, ...synthesize(built.stack) };
}

/** The lake in `dev-lake` and the catalog in `dev-ingestion`, both checked by the policy pack. */
function layered(app: App, environment: EnvironmentConfig, config: EventsConfig) {
  const { lakeStack, lake, stack } = layeredStacks(environment, { app, aspects: [new PolicyPack()] });
  const catalog = new ObjectCatalog(stack, 'events-image-catalog', { lake, name: 'image-catalog', config });
  return { lakeStack, stack, lake, catalog };
}

function pattern(tf: SynthesizedStack): Record<string, unknown> {
  return JSON.parse(only(tf, 'aws_cloudwatch_event_rule').event_pattern as string) as Record<string, unknown>;
}

describe('ObjectCatalog', () => {
  describe('fixed settings', () => {
    it('documents its fixed settings as constants', () => {
      expect(OBJECT_CATALOG).toEqual({
        runtime: 'nodejs20.x',
        handler: 'index.handler',
        entry: expect.stringMatching(/\/packages\/ingestion\/src\/handlers\/object-catalog\.ts$/),
        maxEventAgeSeconds: 86400,
        tableRole: 'catalog',
      });
    });
  });

  describe('table', () => {
    it('is on-demand, keyed by object_key, with point-in-time recovery and the lake key', () => {
      const { json } = synth();
      expect(json).toHaveResourceWithProperties(DynamodbTable, {
        name: 'adp-dev-ingestion-image-catalog-catalog',
        billing_mode: 'PAY_PER_REQUEST',
        hash_key: 'object_key',
        attribute: [{ name: 'object_key', type: 'S' }],
        point_in_time_recovery: { enabled: true },
        server_side_encryption: { enabled: true, kms_key_arn: KEY_ARN },
      });
    });

    it('pins its address to aws_dynamodb_table.ingest_<dataset>_catalog', () => {
      const { tf, stack, catalog } = synth();
      expect(addressOf(catalog.table)).toBe(TABLE);
      expect(Object.keys(tf.resource?.aws_dynamodb_table ?? {})).toEqual(['ingest_image_catalog_catalog']);
      expect(stack.statefulAddresses.has(TABLE)).toBe(true);
      expect(addressOf(build(eventsConfig(), env(), 'scans').catalog.table)).toBe('aws_dynamodb_table.ingest_scans_catalog');
    });

    it('is protected from destroy and deletion in a protected environment', () => {
      const table = only(synth(eventsConfig(), env({ protect: true })).tf, 'aws_dynamodb_table');
      expect(table.lifecycle).toEqual({ prevent_destroy: true });
      expect(table.deletion_protection_enabled).toBe(true);
    });

    it('is neither in an unprotected environment', () => {
      const table = only(synth(eventsConfig(), env({ protect: false })).tf, 'aws_dynamodb_table');
      expect(table.lifecycle).toBeUndefined();
      expect(table.deletion_protection_enabled).toBe(false);
    });
  });

  describe('function', () => {
    it('runs the bundled handler on Node.js 20, its code and hash following the bundle', () => {
      const { tf, catalog } = synth();
      const { hash } = bundleHandler(OBJECT_CATALOG.entry);
      expect(only(tf, 'aws_lambda_function')).toMatchObject({
        function_name: 'adp-dev-ingestion-image-catalog-cataloger',
        runtime: 'nodejs20.x',
        handler: 'index.handler',
        filename: expect.stringMatching(new RegExp(`^assets/events-image-catalog_code_[0-9A-F]{8}/${hash}/package\\.zip$`)),
        source_code_hash: hash,
        role: `\${${addressOf(catalog.role.role)}.arn}`,
      });
    });

    it('takes memory, timeout and reserved concurrency from the config, with the loader defaults', () => {
      expect(INGESTION_DEFAULTS.events).toEqual({ memoryMb: 256, timeoutSeconds: 30, reservedConcurrency: 5, maxRetryAttempts: 2 });
      expect(only(synth(eventsConfig({ prefix: 'images/' })).tf, 'aws_lambda_function')).toMatchObject({
        memory_size: 256,
        timeout: 30,
        reserved_concurrent_executions: 5,
      });
      const config = eventsConfig({ prefix: 'images/', memoryMb: 1024, timeoutSeconds: 120, reservedConcurrency: 0 });
      expect(only(synth(config).tf, 'aws_lambda_function')).toMatchObject({ memory_size: 1024, timeout: 120, reserved_concurrent_executions: 0 });
    });

    it('names its table in TABLE_NAME, encrypts its environment with the lake key and traces actively', () => {
      const { json } = synth();
      expect(json).toHaveResourceWithProperties(LambdaFunction, {
        environment: { variables: { TABLE_NAME: `\${${TABLE}.name}` } },
        kms_key_arn: KEY_ARN,
        tracing_config: { mode: 'Active' },
      });
    });

    it('sends the events it fails on to its dead-letter queue', () => {
      const { tf, catalog } = synth();
      expect(only(tf, 'aws_lambda_function').dead_letter_config).toEqual({ target_arn: `\${${addressOf(catalog.deadLetterQueue.queue)}.arn}` });
    });

    it('logs as JSON to its own encrypted log group, which has a retention', () => {
      const { tf, catalog } = synth();
      expect(only(tf, 'aws_cloudwatch_log_group')).toMatchObject({
        name: '/aws/lambda/adp-dev-ingestion-image-catalog-cataloger',
        kms_key_id: KEY_ARN,
        retention_in_days: LOG_RETENTION_DAYS,
      });
      expect(only(tf, 'aws_lambda_function').logging_config).toEqual({ log_format: 'JSON', log_group: `\${${addressOf(catalog.logGroup.logGroup)}.name}` });
    });

    it('is created after the policies of its role (Lambda checks the dead-letter and tracing permissions)', () => {
      const { tf } = synth();
      const policies = Object.keys(tf.resource?.aws_iam_role_policy ?? {}).map((id) => `aws_iam_role_policy.${id}`);
      expect(policies).toHaveLength(4);
      expect((only(tf, 'aws_lambda_function').depends_on as string[]).sort()).toEqual(policies.sort());
    });
  });

  describe('dead-letter queue', () => {
    it('is encrypted with the lake key and admits only the rule, through EventBridge', () => {
      const { tf, catalog } = synth();
      const queue = addressOf(catalog.deadLetterQueue.queue);
      expect(only(tf, 'aws_sqs_queue')).toMatchObject({ name: 'adp-dev-ingestion-image-catalog-catalog-dlq', kms_master_key_id: KEY_ARN });
      const policy = only(tf, 'aws_sqs_queue_policy');
      expect(policy.queue_url).toBe(`\${${queue}.url}`);
      expect(policyStatements(tf, documentOf(policy.policy))).toEqual([
        {
          sid: 'AllowRuleDeadLetters',
          effect: 'Allow',
          principals: [{ type: 'Service', identifiers: ['events.amazonaws.com'] }],
          actions: ['sqs:SendMessage'],
          resources: [`\${${queue}.arn}`],
          condition: [{ test: 'ArnEquals', variable: 'aws:SourceArn', values: [`\${${addressOf(catalog.rule)}.arn}`] }],
        },
      ]);
    });
  });

  describe('role', () => {
    it('is assumed by Lambda for this account only', () => {
      const { tf, catalog } = synth();
      expect(only(tf, 'aws_iam_role').name).toBe('adp-dev-ingestion-image-catalog-cataloger');
      expect(policyStatements(tf, documentOf(only(tf, 'aws_iam_role').assume_role_policy))).toEqual([
        {
          effect: 'Allow',
          principals: [{ type: 'Service', identifiers: ['lambda.amazonaws.com'] }],
          actions: ['sts:AssumeRole'],
          condition: [{ test: 'StringEquals', variable: 'aws:SourceAccount', values: ['111111111111'] }],
        },
      ]);
      expect(catalog.role.role.terraformResourceType).toBe('aws_iam_role');
    });

    it('may write its logs and traces, put catalog items and send dead letters, and nothing else', () => {
      const { tf, catalog } = synth();
      const logGroup = `\${${addressOf(catalog.logGroup.logGroup)}.arn}`;
      const queue = `\${${addressOf(catalog.deadLetterQueue.queue)}.arn}`;
      expect(rolePolicies(tf)).toEqual({
        'write-logs': [
          { sid: 'WriteOwnLogs', effect: 'Allow', actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [logGroup, `${logGroup}:*`] },
        ],
        'trace': [
          { sid: 'WriteTraces', effect: 'Allow', actions: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'], resources: ['*'] },
        ],
        'write-catalog': [
          { sid: 'PutCatalogItems', effect: 'Allow', actions: ['dynamodb:PutItem'], resources: [TABLE_ARN] },
          {
            sid: 'UseLakeKeyThroughDynamoDb',
            effect: 'Allow',
            actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
            resources: [KEY_ARN],
            condition: [{ test: 'StringEquals', variable: 'kms:ViaService', values: ['dynamodb.eu-west-1.amazonaws.com'] }],
          },
        ],
        'send-dead-letters': [
          { sid: 'SendDeadLetters', effect: 'Allow', actions: ['sqs:SendMessage'], resources: [queue] },
          {
            sid: 'UseLakeKeyThroughSqs',
            effect: 'Allow',
            actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
            resources: [KEY_ARN],
            condition: [{ test: 'StringEquals', variable: 'kms:ViaService', values: ['sqs.eu-west-1.amazonaws.com'] }],
          },
        ],
      });
    });

    it('gets no access to the lake buckets (the event carries everything cataloged)', () => {
      const statements = Object.values(rolePolicies(synth().tf)).flat();
      expect(statements.flatMap((s) => s.actions).filter((a) => a.startsWith('s3:'))).toEqual([]);
    });
  });

  describe('rule', () => {
    it('matches Object Created events of the raw bucket whose key has the prefix and one of the suffixes', () => {
      const { tf } = synth();
      expect(only(tf, 'aws_cloudwatch_event_rule')).toMatchObject({
        name: 'adp-dev-ingestion-image-catalog-object-created',
        state: 'ENABLED',
        description: 'New objects of dataset image-catalog: raw-zone keys under images/',
      });
      expect(only(tf, 'aws_cloudwatch_event_rule').event_bus_name).toBeUndefined();
      // Matchers listed for one field are ORed: one wildcard per suffix makes prefix AND suffix.
      expect(pattern(tf)).toEqual({
        source: ['aws.s3'],
        'detail-type': ['Object Created'],
        detail: {
          bucket: { name: [RAW_NAME] },
          object: { key: [{ wildcard: 'images/*.jpg' }, { wildcard: 'images/*.jpeg' }, { wildcard: 'images/*.png' }] },
        },
      });
    });

    it('matches every key under the prefix when there are no suffixes', () => {
      expect(pattern(synth(eventsConfig({ prefix: 'scans/2024/' })).tf)).toMatchObject({ detail: { object: { key: [{ prefix: 'scans/2024/' }] } } });
    });

    it('targets the function with the configured retries within 24 hours, then the dead-letter queue', () => {
      const { tf, catalog } = synth(eventsConfig({ ...IMAGES, maxRetryAttempts: 7 }));
      expect(only(tf, 'aws_cloudwatch_event_target')).toEqual(expect.objectContaining({
        rule: `\${${addressOf(catalog.rule)}.name}`,
        target_id: 'cataloger',
        arn: `\${${addressOf(catalog.function)}.arn}`,
        retry_policy: { maximum_retry_attempts: 7, maximum_event_age_in_seconds: OBJECT_CATALOG.maxEventAgeSeconds },
        dead_letter_config: { arn: `\${${addressOf(catalog.deadLetterQueue.queue)}.arn}` },
      }));
      expect((only(synth().tf, 'aws_cloudwatch_event_target').retry_policy as Record<string, unknown>).maximum_retry_attempts).toBe(INGESTION_DEFAULTS.events.maxRetryAttempts);
    });

    it('is the only source allowed to invoke the function', () => {
      const { tf, catalog } = synth();
      expect(only(tf, 'aws_lambda_permission')).toEqual(expect.objectContaining({
        statement_id: 'AllowEventBridgeRule',
        action: 'lambda:InvokeFunction',
        function_name: `\${${addressOf(catalog.function)}.function_name}`,
        principal: 'events.amazonaws.com',
        source_arn: `\${${addressOf(catalog.rule)}.arn}`,
      }));
    });
  });

  describe('members', () => {
    it('exposes the table, function, role, rule, dead-letter queue and log group', () => {
      const { catalog } = build();
      expect(catalog.table).toBeInstanceOf(DynamodbTable);
      expect(catalog.function).toBeInstanceOf(LambdaFunction);
      expect(catalog.rule.terraformResourceType).toBe('aws_cloudwatch_event_rule');
      expect(catalog.role.role.terraformResourceType).toBe('aws_iam_role');
      expect(catalog.deadLetterQueue.queue.terraformResourceType).toBe('aws_sqs_queue');
      expect(catalog.logGroup.logGroup.terraformResourceType).toBe('aws_cloudwatch_log_group');
    });
  });

  describe('policy pack', () => {
    it('passes in layered stacks, referencing the lake across stacks', () => {
      const app = testApp();
      const { lakeStack, stack } = layered(app, env(), eventsConfig());
      expect(() => synthesize(lakeStack)).not.toThrow();
      const { tf } = synthesize(stack);
      const remote = /^\$\{data\.terraform_remote_state\.cross-stack-reference-input-dev-lake\.outputs\.cross-stack-output-[\w-]+\}$/;
      expect((pattern(tf).detail as { bucket: { name: string[] } }).bucket.name[0]).toMatch(remote);
      expect((only(tf, 'aws_dynamodb_table').server_side_encryption as { kms_key_arn: string }).kms_key_arn).toMatch(remote);
      expect(tf.resource?.aws_dynamodb_table).toHaveProperty('ingest_image_catalog_catalog');
    });

    it('passes in a protected environment', () => {
      const { stack } = layered(testApp(), env({ name: 'prod', stage: 'production', protect: true }), eventsConfig());
      expect(() => synthesize(stack)).not.toThrow();
    });

    it('passes in the single stack of the offline environment', () => {
      const environment = env({ ...OFFLINE, protect: false, deployRole: undefined, state: undefined });
      const { stack, lake } = stackWithLake(environment, { aspects: [new PolicyPack()] });
      new ObjectCatalog(stack, 'events-image-catalog', { lake, name: 'image-catalog', config: eventsConfig({ prefix: 'images/' }) });
      expect(() => synthesize(stack)).not.toThrow();
    });
  });

  describe('validation', () => {
    const attempt = (changes: Partial<EventsConfig>, name = 'image-catalog') => () => build({ ...eventsConfig(), ...changes }, env(), name);

    it('accepts the configs of every environment file', () => {
      expect(attempt({})).not.toThrow();
      expect(attempt({ suffixes: [] })).not.toThrow();
    });

    it('lists every problem of the props at once', () => {
      expect(problemsOf(attempt({ prefix: '/images', suffixes: ['jpg', '.png', '.JPG'], memoryMb: 64, timeoutSeconds: 901, reservedConcurrency: -1, maxRetryAttempts: 186 }))).toEqual([
        'ObjectCatalog dev/events-image-catalog: config.prefix is "/images"; use a raw-zone key prefix of lowercase letters, digits, "_", "-", "=" and "/", ending with "/" (e.g. "images/")',
        'ObjectCatalog dev/events-image-catalog: config.suffixes[0] is "jpg"; use a file extension with its dot, lowercase letters and digits (e.g. ".jpg")',
        'ObjectCatalog dev/events-image-catalog: config.suffixes[2] is ".JPG"; use a file extension with its dot, lowercase letters and digits (e.g. ".jpg")',
        'ObjectCatalog dev/events-image-catalog: config.memoryMb is 64; use a whole number from 128 to 10240 (the memory Lambda allows, in MiB)',
        'ObjectCatalog dev/events-image-catalog: config.timeoutSeconds is 901; use a whole number from 1 to 900 (the timeout Lambda allows, in seconds)',
        'ObjectCatalog dev/events-image-catalog: config.reservedConcurrency is -1; use a whole number from 0 to 1000 (the reserved concurrency the platform allows)',
        'ObjectCatalog dev/events-image-catalog: config.maxRetryAttempts is 186; use a whole number from 0 to 185 (the retries EventBridge allows)',
      ]);
    });

    it('rejects a wildcard in the prefix (it would change the event pattern)', () => {
      expect(problemsOf(attempt({ prefix: 'images/*/' }))).toEqual([
        'ObjectCatalog dev/events-image-catalog: config.prefix is "images/*/"; use a raw-zone key prefix of lowercase letters, digits, "_", "-", "=" and "/", ending with "/" (e.g. "images/")',
      ]);
    });

    it('rejects a fractional number', () => {
      expect(problemsOf(attempt({ memoryMb: 256.5 }))).toEqual([
        'ObjectCatalog dev/events-image-catalog: config.memoryMb is 256.5; use a whole number from 128 to 10240 (the memory Lambda allows, in MiB)',
      ]);
    });

    it('rejects a dataset name the config loader would not accept (it is part of names and the table address)', () => {
      expect(problemsOf(attempt({}, 'Images_2024'))).toEqual([
        'ObjectCatalog dev/events-Images_2024: name is "Images_2024"; use 2-40 lowercase letters and digits, words joined by "-", starting with a letter (e.g. "clickstream")',
      ]);
      expect(problemsOf(attempt({}, 'a'.repeat(41)))).toHaveLength(1);
      expect(attempt({}, 'a'.repeat(40))).not.toThrow();
    });

    it('creates nothing when the props are invalid', () => {
      const { stack, lake } = stackWithLake(env());
      expect(() => new ObjectCatalog(stack, 'events', { lake, name: 'scans', config: { ...eventsConfig(), memoryMb: 1 } })).toThrow(PlatformError);
      expect(stack.node.tryFindChild('events')?.node.children ?? []).toEqual([]);
    });

    it('skips values that are tokens', () => {
      const { stack, lake } = stackWithLake(env());
      const memory = new TerraformVariable(stack, 'memory', { type: 'number' });
      expect(() => new ObjectCatalog(stack, 'events', { lake, name: 'scans', config: { ...eventsConfig(), memoryMb: memory.numberValue } })).not.toThrow();
    });
  });
});
