/**
 * Setup shared by the tests of the ml constructs: environments with an `ml` section, the persona
 * (governance) and crawler (processing) the constructs connect to, built as those layers would,
 * and the layered and single stacks everything goes in. Only `*.test.ts` files import it; it is
 * not exported from index.ts.
 *
 * Stacks take the policy pack as an aspect from the test rather than creating it here: lint lets
 * only `*.test.ts` files import `@data-platform/policy`, and this module cannot be named like a
 * test without jest running it as one.
 */
import { createHash } from 'node:crypto';
import { App, IAspect } from 'cdktf';
import { Construct } from 'constructs';
import { GlueCrawler } from '@cdktf/provider-aws/lib/glue-crawler';
import { GlueSecurityConfiguration } from '@cdktf/provider-aws/lib/glue-security-configuration';
import { EnvironmentConfig, EnvironmentInput, ModelConfig, PlatformStack, ServiceRole, testApp, testEnvironment } from '@data-platform/core';
import { PersonaAccess, testPersona } from '@data-platform/governance';
import { DataLake, stackWithLake } from '@data-platform/lake';
import { Network } from './shared/network';

/** One model of `ml.models`, as <env>.yaml holds it (before defaults). */
export type ModelInput = NonNullable<NonNullable<EnvironmentInput['ml']>['models']>[string];

/** An existing VPC with private subnets in two availability zones. */
export const NETWORK: Network = {
  vpcId: 'vpc-0a1b2c3d4e5f60001',
  vpcCidr: '10.10.0.0/16',
  subnets: { 'eu-west-1b': 'subnet-0a1b2c3d4e5f61001', 'eu-west-1a': 'subnet-0a1b2c3d4e5f60001' },
};

/** What makes an environment the offline one of environments/local.yaml: one stack, a local account. */
export const OFFLINE = { name: 'local', offline: true, layout: 'single', account: '000000000000', protect: false } as const;

/** The AWS partition, as a reference within any stack. */
export const PARTITION = '${data.aws_partition.partition.partition}';
/** The lake key's ARN, as a reference within the lake's stack. */
export const KEY_ARN = '${aws_kms_key.lake_key.arn}';
/** The curated bucket, as references within the lake's stack. */
export const CURATED = { arn: '${aws_s3_bucket.lake_curated_bucket.arn}', name: '${aws_s3_bucket.lake_curated_bucket.bucket}' } as const;
/** The artifacts bucket, as references within the lake's stack. */
export const ARTIFACTS = { arn: '${aws_s3_bucket.lake_artifacts_bucket.arn}', name: '${aws_s3_bucket.lake_artifacts_bucket.bucket}' } as const;

/** The condition of a lake grant's KMS statement: the key is used only through S3, in eu-west-1. */
export const VIA_S3 = [{ test: 'StringEquals', variable: 'kms:ViaService', values: ['s3.eu-west-1.amazonaws.com'] }];

/** Name of the inline policy a lake grant of `verb` on `zone` under `prefix` attaches (environment `dev`). */
export function grantName(verb: 'read' | 'write', zone: string, prefix: string, env = 'dev'): string {
  return `adp-${env}-lake-${verb}-${zone}-${prefix === '' ? 'all' : createHash('sha256').update(prefix).digest('hex').slice(0, 8)}`;
}

/** The statements of a lake read grant on the bucket with ARN `bucket` under `prefix` (the lake's own, in eu-west-1). */
export function readStatements(bucket: string, prefix: string, key = KEY_ARN) {
  return [
    { sid: 'ReadObjects', effect: 'Allow', actions: ['s3:GetObject', 's3:GetObjectVersion'], resources: [`${bucket}/${prefix}*`] },
    {
      sid: 'ListObjects',
      effect: 'Allow',
      actions: ['s3:ListBucket'],
      resources: [bucket],
      ...(prefix === '' ? {} : { condition: [{ test: 'StringLike', variable: 's3:prefix', values: [`${prefix}*`] }] }),
    },
    { sid: 'LocateBucket', effect: 'Allow', actions: ['s3:GetBucketLocation'], resources: [bucket] },
    { sid: 'DecryptWithLakeKey', effect: 'Allow', actions: ['kms:Decrypt'], resources: [key], condition: VIA_S3 },
  ];
}

/** The statements of a lake write grant on the bucket with ARN `bucket` under `prefix`. */
export function writeStatements(bucket: string, prefix: string, key = KEY_ARN) {
  return [
    { sid: 'WriteObjects', effect: 'Allow', actions: ['s3:PutObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'], resources: [`${bucket}/${prefix}*`] },
    { sid: 'LocateBucketAndUploads', effect: 'Allow', actions: ['s3:GetBucketLocation', 's3:ListBucketMultipartUploads'], resources: [bucket] },
    { sid: 'EncryptWithLakeKey', effect: 'Allow', actions: ['kms:GenerateDataKey', 'kms:Decrypt'], resources: [key], condition: VIA_S3 },
  ];
}

/** The churn model: an image of this account and region, endpoint and batch predictions with their defaults. */
export const CHURN: ModelInput = {
  description: 'Probability that a customer cancels within 30 days',
  image: '111111111111.dkr.ecr.eu-west-1.amazonaws.com/churn:1.4.0',
  artifact: 'ml/churn/v3/model.tar.gz',
  endpoint: { instanceType: 'ml.m5.large' },
  batch: { schedule: 'cron(0 4 * * ? *)', input: 'churn_features/', output: 'churn_scores/', crawler: 'churn-scores' },
};

/** Core's test environment named `dev` with the network and an ml section, `overrides` applied before validation. */
export function devEnvironment(overrides: Partial<EnvironmentInput> = {}): EnvironmentConfig {
  return testEnvironment({
    name: 'dev',
    network: NETWORK,
    ml: { persona: 'data-scientists', users: ['alice', 'bob'], models: { churn: CHURN } },
    ...overrides,
  });
}

/** The config of one model as the loader produces it: `input` validated, defaults filled in. */
export function modelConfig(input: ModelInput, overrides: Partial<EnvironmentInput> = {}): ModelConfig {
  return devEnvironment({ ...overrides, ml: { persona: 'data-scientists', models: { sample: input } } }).ml?.models.sample as ModelConfig;
}

/** The config of the churn model, defaults filled in. */
export const churnConfig = (): ModelConfig => modelConfig(CHURN);

/** The data scientists' persona as governance builds it: a role trusted by SageMaker and its Athena workgroup. */
export function persona(scope: Construct, lake: DataLake, name = 'data-scientists'): PersonaAccess {
  return testPersona(scope, lake, { name, service: 'sagemaker.amazonaws.com' });
}

/**
 * A crawler of `prefix` of the curated zone (by default the churn predictions) as processing
 * builds one: its own role, under a KMS security configuration. `name` prefixes the ids, for a
 * second crawler in a stack.
 */
export function crawler(scope: Construct, lake: DataLake, prefix = 'churn_scores/', name = ''): GlueCrawler {
  const stack = PlatformStack.of(scope);
  const id = (part: string) => (name ? `${name}-${part}` : part);
  const security = new GlueSecurityConfiguration(scope, id('security-configuration'), {
    name: stack.resourceName('processing', id('security')),
    encryptionConfiguration: {
      s3Encryption: { s3EncryptionMode: 'SSE-KMS', kmsKeyArn: lake.key.arn },
      cloudwatchEncryption: { cloudwatchEncryptionMode: 'SSE-KMS', kmsKeyArn: lake.key.arn },
      jobBookmarksEncryption: { jobBookmarksEncryptionMode: 'CSE-KMS', kmsKeyArn: lake.key.arn },
    },
  });
  const role = new ServiceRole(scope, id('crawler-role'), { layer: 'processing', service: 'glue.amazonaws.com', name: id('crawler'), description: `Crawls ${prefix} of the curated zone.` });
  lake.grantRead(role.role, 'curated', prefix);
  return new GlueCrawler(scope, id('crawler'), {
    name: stack.resourceName('processing', id('crawler')),
    role: role.arn,
    databaseName: lake.databases.curated.name,
    securityConfiguration: security.name,
    s3Target: [{ path: `s3://${lake.zones.curated.name}/${prefix}` }],
  });
}

/** What the ml constructs connect to, and the stacks they and it are in. */
export interface MlStacks {
  readonly app: App;
  readonly lake: DataLake;
  readonly persona: PersonaAccess;
  readonly crawler: GlueCrawler;
  /** The stack the construct under test goes in. */
  readonly stack: PlatformStack;
  /** Every stack, by id. */
  readonly stacks: Readonly<Record<string, PlatformStack>>;
}

/**
 * The layered layout: the lake in `dev-lake`, the persona in `dev-governance`, the crawler in
 * `dev-processing` and an empty `dev-ml` for the construct under test, all with `aspects`.
 */
export function layeredStacks(environment: EnvironmentConfig, aspects: readonly IAspect[] = []): MlStacks {
  const app = testApp();
  const prefix = environment.name;
  const { stack: lakeStack, lake } = stackWithLake(environment, { app, aspects, id: `${prefix}-lake` });
  const governance = new PlatformStack(app, `${prefix}-governance`, { env: environment, aspects });
  const processing = new PlatformStack(app, `${prefix}-processing`, { env: environment, aspects });
  const stack = new PlatformStack(app, `${prefix}-ml`, { env: environment, aspects });
  return {
    app,
    lake,
    persona: persona(governance, lake),
    crawler: crawler(processing, lake),
    stack,
    stacks: { [lakeStack.node.id]: lakeStack, [governance.node.id]: governance, [processing.node.id]: processing, [stack.node.id]: stack },
  };
}

/** Everything in one stack (id: the environment's name), as the offline layout builds it. */
export function singleStack(environment: EnvironmentConfig, aspects: readonly IAspect[] = []): MlStacks {
  const { stack, lake } = stackWithLake(environment, { aspects });
  return { app: stack.node.scope as App, lake, persona: persona(stack, lake), crawler: crawler(stack, lake), stack, stacks: { [stack.node.id]: stack } };
}
