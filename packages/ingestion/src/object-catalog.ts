import { join } from 'node:path';
import { Token } from 'cdktf';
import { Construct } from 'constructs';
import { CloudwatchEventRule } from '@cdktf/provider-aws/lib/cloudwatch-event-rule';
import { CloudwatchEventTarget } from '@cdktf/provider-aws/lib/cloudwatch-event-target';
import { DataAwsIamPolicyDocument } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { DynamodbTable } from '@cdktf/provider-aws/lib/dynamodb-table';
import { LambdaFunction } from '@cdktf/provider-aws/lib/lambda-function';
import { LambdaPermission } from '@cdktf/provider-aws/lib/lambda-permission';
import { SqsQueuePolicy } from '@cdktf/provider-aws/lib/sqs-queue-policy';
import {
  EncryptedLogGroup,
  EncryptedQueue,
  EventsConfig,
  NAME_LIMITS,
  PlatformStack,
  ServiceRole,
  stateful,
  Validator,
} from '@data-platform/core';
import { DataLake } from '@data-platform/lake';
import { CATALOG_ATTRIBUTES, TABLE_NAME_VARIABLE } from './handlers/object-catalog';
import { LAMBDA_BUNDLE_FILE, lambdaAsset } from './lambda-bundle';
import { ingestAddress } from './shared/address';
import { checkDatasetName } from './shared/dataset-name';

/** Fixed settings of every object catalog. */
export const OBJECT_CATALOG = {
  /** Lambda runtime of the cataloging function. */
  runtime: 'nodejs20.x',
  /** Entry point inside the bundle. */
  handler: `${LAMBDA_BUNDLE_FILE.replace(/\.js$/, '')}.handler`,
  /** Source of the function, bundled at synth. */
  entry: join(__dirname, 'handlers', 'object-catalog.ts'),
  /**
   * How long EventBridge keeps trying to deliver an event to the function (its maximum, 24 h)
   * before the event goes to the dead-letter queue.
   */
  maxEventAgeSeconds: 24 * 3600,
  /** Role suffix of the table's pinned address: `aws_dynamodb_table.ingest_<dataset>_catalog`. */
  tableRole: 'catalog',
} as const;

/** Limits Lambda and EventBridge put on the settings of `config` (the config loader checks the same). */
const LIMITS = {
  memoryMb: { min: 128, max: 10240, what: 'the memory Lambda allows, in MiB' },
  timeoutSeconds: { min: 1, max: 900, what: 'the timeout Lambda allows, in seconds' },
  reservedConcurrency: { min: 0, max: 1000, what: 'the reserved concurrency the platform allows' },
  maxRetryAttempts: { min: 0, max: 185, what: 'the retries EventBridge allows' },
} as const;

/** Same shape as the config loader's prefixes and suffixes: they end up in an event pattern. */
const PREFIX_RE = /^[a-z0-9][a-z0-9_\-/=]*\/$/;
const SUFFIX_RE = /^\.[a-z0-9]{1,10}$/;

/** Props of {@link ObjectCatalog}. */
export interface ObjectCatalogProps {
  /** The lake whose raw zone is cataloged; its key encrypts the table, queue and logs. */
  readonly lake: DataLake;
  /** Dataset name (the key under `ingestion.events`): part of names and of the table's address. */
  readonly name: string;
  /** The dataset's `ingestion.events` entry (validated and defaulted by the config loader). */
  readonly config: EventsConfig;
}

/**
 * Serverless cataloging of new raw-zone objects: S3 -> EventBridge -> Lambda -> DynamoDB.
 *
 * - An EventBridge rule on the default bus matches the "Object Created" events of the raw bucket
 *   (zone buckets send their events to EventBridge) under `config.prefix`, and, when
 *   `config.suffixes` is set, only keys ending in one of them. Prefix and suffix apply to the
 *   same field, and EventBridge ORs the matchers listed for a field, so a `{prefix}` and a
 *   `{suffix}` matcher side by side would match either; the rule therefore uses one `wildcard`
 *   matcher per suffix, `<prefix>*<suffix>`, which requires both. Like S3 keys, matching is
 *   case-sensitive: ".jpg" does not match "PHOTO.JPG".
 * - The rule's target is the function, with `config.maxRetryAttempts` retries within 24 hours;
 *   events EventBridge cannot deliver go to the dead-letter queue (its queue policy admits only
 *   this rule). The function's own failures (an invalid event, a DynamoDB error) are retried by
 *   Lambda's asynchronous invocation (2 retries) and then sent to the same queue.
 * - The function (Node.js 20, bundled from `handlers/object-catalog.ts` at synth) writes one item
 *   per object key to the table: see that module for the item and its idempotent, order-safe put.
 *   Memory, timeout and reserved concurrency come from `config`; X-Ray tracing is active; its
 *   environment is encrypted with the lake key; its logs go to an encrypted log group with a
 *   retention, created before it.
 * - The function's role may write its own logs and traces, put items in the table (using the
 *   lake key through DynamoDB only) and send to its dead-letter queue (using the key through SQS
 *   only). It reads no objects: the event carries everything cataloged.
 * - The table (on-demand, point-in-time recovery, encrypted with the lake key, deletion
 *   protection in protected environments) is stateful: address
 *   `aws_dynamodb_table.ingest_<dataset>_catalog`, protected from destroy when the environment is.
 *
 * @see https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern-operators.html
 * @see https://docs.aws.amazon.com/lambda/latest/dg/invocation-async.html
 */
export class ObjectCatalog extends Construct {
  /** The catalog: one item per object key. */
  readonly table: DynamodbTable;
  /** The cataloging function. */
  readonly function: LambdaFunction;
  /** The function's execution role. */
  readonly role: ServiceRole;
  /** The EventBridge rule matching the dataset's new objects. */
  readonly rule: CloudwatchEventRule;
  /** Events neither EventBridge nor the function could process. */
  readonly deadLetterQueue: EncryptedQueue;
  /** The function's log group, `/aws/lambda/<function name>`. */
  readonly logGroup: EncryptedLogGroup;

  constructor(scope: Construct, id: string, props: ObjectCatalogProps) {
    super(scope, id);
    const { lake, name, config } = props;
    checkProps(new Validator(`ObjectCatalog ${this.node.path}`), props).throwIfAny();

    const stack = PlatformStack.of(this);
    const { env } = stack;
    const keyArn = lake.key.arn;

    this.table = new DynamodbTable(this, 'table', {
      name: stack.resourceName('ingestion', `${name}-catalog`, { maxLength: NAME_LIMITS.dynamodbTable }),
      billingMode: 'PAY_PER_REQUEST',
      hashKey: CATALOG_ATTRIBUTES.key,
      attribute: [{ name: CATALOG_ATTRIBUTES.key, type: 'S' }],
      pointInTimeRecovery: { enabled: true },
      serverSideEncryption: { enabled: true, kmsKeyArn: keyArn },
      deletionProtectionEnabled: env.protect,
    });
    stateful(this.table, ingestAddress(name, OBJECT_CATALOG.tableRole));

    const functionName = stack.resourceName('ingestion', `${name}-cataloger`, { maxLength: NAME_LIMITS.lambdaFunction });
    this.logGroup = new EncryptedLogGroup(this, 'logs', { name: `/aws/lambda/${functionName}`, key: lake.key });
    this.deadLetterQueue = new EncryptedQueue(this, 'dlq', { layer: 'ingestion', key: lake.key, name: `${name}-catalog-dlq` });

    this.role = new ServiceRole(this, 'role', {
      layer: 'ingestion',
      service: 'lambda.amazonaws.com',
      name: `${name}-cataloger`,
      description: `Catalogs new objects of dataset ${name} in DynamoDB (${env.project}-${env.name})`,
    });
    const policies = [
      this.role.allow('write-logs', [
        {
          sid: 'WriteOwnLogs',
          effect: 'Allow',
          actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          // The group, and its streams (`<group arn>:log-stream:<name>`).
          resources: [this.logGroup.arn, `${this.logGroup.arn}:*`],
        },
      ]),
      this.role.allow('trace', [
        {
          sid: 'WriteTraces',
          effect: 'Allow',
          actions: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'],
          // X-Ray defines no resource types for these actions: "*" is the only resource they take.
          resources: ['*'],
        },
      ]),
      this.role.allow('write-catalog', [
        { sid: 'PutCatalogItems', effect: 'Allow', actions: ['dynamodb:PutItem'], resources: [this.table.arn] },
        {
          sid: 'UseLakeKeyThroughDynamoDb',
          effect: 'Allow',
          actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
          resources: [keyArn],
          condition: [{ test: 'StringEquals', variable: 'kms:ViaService', values: [`dynamodb.${env.region}.amazonaws.com`] }],
        },
      ]),
      this.role.allow('send-dead-letters', [
        { sid: 'SendDeadLetters', effect: 'Allow', actions: ['sqs:SendMessage'], resources: [this.deadLetterQueue.arn] },
        {
          // Sending to a queue encrypted with a customer key takes a data key from KMS.
          sid: 'UseLakeKeyThroughSqs',
          effect: 'Allow',
          actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
          resources: [keyArn],
          condition: [{ test: 'StringEquals', variable: 'kms:ViaService', values: [`sqs.${env.region}.amazonaws.com`] }],
        },
      ]),
    ];

    const code = lambdaAsset(this, 'code', OBJECT_CATALOG.entry);
    this.function = new LambdaFunction(this, 'function', {
      functionName,
      description: `Catalogs new raw-zone objects under ${config.prefix} in ${this.table.name}`,
      runtime: OBJECT_CATALOG.runtime,
      handler: OBJECT_CATALOG.handler,
      filename: code.path,
      sourceCodeHash: code.assetHash,
      role: this.role.arn,
      memorySize: config.memoryMb,
      timeout: config.timeoutSeconds,
      reservedConcurrentExecutions: config.reservedConcurrency,
      environment: { variables: { [TABLE_NAME_VARIABLE]: this.table.name } },
      kmsKeyArn: keyArn,
      deadLetterConfig: { targetArn: this.deadLetterQueue.arn },
      tracingConfig: { mode: 'Active' },
      // Names the group explicitly, so it exists (encrypted, with retention) before the first
      // invocation; Lambda would otherwise create a plain one that never expires.
      loggingConfig: { logFormat: 'JSON', logGroup: this.logGroup.name },
      // Lambda checks at creation that the role may send to the dead-letter queue and write traces.
      dependsOn: policies,
    });

    this.rule = new CloudwatchEventRule(this, 'rule', {
      name: stack.resourceName('ingestion', `${name}-object-created`, { maxLength: NAME_LIMITS.default }),
      description: `New objects of dataset ${name}: raw-zone keys under ${config.prefix}`,
      eventPattern: JSON.stringify(objectCreatedPattern(lake.zones.raw.name, config.prefix, config.suffixes)),
      state: 'ENABLED',
    });

    // EventBridge sends undeliverable events to the queue as itself; only for this rule.
    const queuePolicy = new DataAwsIamPolicyDocument(this, 'dlq-policy-document', {
      statement: [
        {
          sid: 'AllowRuleDeadLetters',
          effect: 'Allow',
          principals: [{ type: 'Service', identifiers: ['events.amazonaws.com'] }],
          actions: ['sqs:SendMessage'],
          resources: [this.deadLetterQueue.arn],
          condition: [{ test: 'ArnEquals', variable: 'aws:SourceArn', values: [this.rule.arn] }],
        },
      ],
    });
    new SqsQueuePolicy(this, 'dlq-policy', { queueUrl: this.deadLetterQueue.url, policy: queuePolicy.json });

    new LambdaPermission(this, 'invoke-permission', {
      statementId: 'AllowEventBridgeRule',
      action: 'lambda:InvokeFunction',
      functionName: this.function.functionName,
      principal: 'events.amazonaws.com',
      sourceArn: this.rule.arn,
    });

    new CloudwatchEventTarget(this, 'target', {
      rule: this.rule.name,
      targetId: 'cataloger',
      arn: this.function.arn,
      retryPolicy: { maximumRetryAttempts: config.maxRetryAttempts, maximumEventAgeInSeconds: OBJECT_CATALOG.maxEventAgeSeconds },
      deadLetterConfig: { arn: this.deadLetterQueue.arn },
    });
  }
}

/**
 * The event pattern of a catalog's rule: "Object Created" events of `bucket` whose key starts
 * with `prefix` and, when `suffixes` are given, ends with one of them (see {@link ObjectCatalog}).
 */
function objectCreatedPattern(bucket: string, prefix: string, suffixes: readonly string[]): object {
  const key = suffixes.length === 0 ? [{ prefix }] : suffixes.map((suffix) => ({ wildcard: `${escapeWildcard(prefix)}*${escapeWildcard(suffix)}` }));
  return {
    source: ['aws.s3'],
    'detail-type': ['Object Created'],
    detail: { bucket: { name: [bucket] }, object: { key } },
  };
}

/** Escapes the characters an EventBridge wildcard pattern gives a meaning to ("*" and "\"). */
function escapeWildcard(text: string): string {
  return text.replace(/[\\*]/g, '\\$&');
}

/** Records problems with the props of an ObjectCatalog (values still tokens are skipped). */
function checkProps(v: Validator, { name, config }: ObjectCatalogProps): Validator {
  if (!Token.isUnresolved(name)) {
    // The config loader's rule; it also keeps `ingest_<name>_catalog` within Terraform's 64 characters.
    checkDatasetName(v, name);
  }
  if (!Token.isUnresolved(config.prefix)) {
    v.check(PREFIX_RE.test(config.prefix), 'config.prefix',
      `is ${JSON.stringify(config.prefix)}; use a raw-zone key prefix of lowercase letters, digits, "_", "-", "=" and "/", ending with "/" (e.g. "images/")`);
  }
  config.suffixes.forEach((suffix, i) => {
    if (Token.isUnresolved(suffix)) return;
    v.check(SUFFIX_RE.test(suffix), `config.suffixes[${i}]`, `is ${JSON.stringify(suffix)}; use a file extension with its dot, lowercase letters and digits (e.g. ".jpg")`);
  });
  for (const field of Object.keys(LIMITS) as Array<keyof typeof LIMITS>) {
    const value = config[field];
    if (Token.isUnresolved(value)) continue;
    const { min, max, what } = LIMITS[field];
    v.check(Number.isInteger(value) && value >= min && value <= max, `config.${field}`, `is ${value}; use a whole number from ${min} to ${max} (${what})`);
  }
  return v;
}
