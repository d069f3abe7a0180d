import { TerraformResource, Token } from 'cdktf';
import { EcsTaskDefinition } from '@cdktf/provider-aws/lib/ecs-task-definition';
import { SchedulerSchedule } from '@cdktf/provider-aws/lib/scheduler-schedule';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import {
  addressOf,
  BatchConfig,
  documentStatements,
  EnvironmentConfig,
  EnvironmentInput,
  INGESTION_DEFAULTS,
  LOG_RETENTION_DAYS,
  PlatformError,
  QUEUE_RETENTION_SECONDS,
  ServiceRole,
  synthesize,
  synthesizedResource,
  SynthesizedStack,
  SynthesizedStatement,
  testEnvironment,
  thrownBy,
  trustOf,
} from '@data-platform/core';
import { stackWithLake } from '@data-platform/lake';
import { PolicyPack } from '@data-platform/policy';
import { BATCH_IMPORT_SETTINGS, BatchImport, TARGET_ENVIRONMENT, ecrRepositoryOf } from './batch-import';
import { ImportCluster } from './import-cluster';
import { devEnvironment, IngestionInput, layeredStacks, NETWORK, OFFLINE } from './test-support';

type BatchInput = IngestionInput<'batch'>;
type Network = NonNullable<EnvironmentConfig['network']>;

const IMAGE = '111111111111.dkr.ecr.eu-west-1.amazonaws.com/partner-import:1.4.2';
const PARTNER: BatchInput = {
  image: IMAGE,
  schedule: 'cron(0 2 * * ? *)',
  environment: { PARTNER_FEED_URL: 'https://partners.example.com/feed' },
};

function env(batch: Record<string, BatchInput> = { 'partner-import': PARTNER }, overrides: Partial<EnvironmentInput> = {}): EnvironmentConfig {
  return devEnvironment({ network: NETWORK, ingestion: { batch }, ...overrides });
}
const batchConfig = (input: BatchInput, name = 'partner-import') => env({ [name]: input }).ingestion.batch[name];

/** The lake, the cluster and the import in one stack (no cross-stack references). */
function single(config: BatchConfig = batchConfig(PARTNER), name = 'partner-import') {
  const environment = env();
  const { stack, lake } = stackWithLake(environment);
  const cluster = new ImportCluster(stack, 'import-cluster');
  const batch = new BatchImport(stack, 'batch', { lake, name, config, network: environment.network as Network, cluster });
  return { stack, lake, cluster, batch, ...synthesize(stack) };
}

/** The lake in `dev-lake`, the cluster and the import in `dev-ingestion`, both checked by the policy pack. */
function layered() {
  const environment = env();
  const pack = new PolicyPack();
  const { lakeStack, lake, stack } = layeredStacks(environment, { aspects: [pack] });
  const cluster = new ImportCluster(stack, 'import-cluster');
  const batch = new BatchImport(stack, 'batch', {
    lake, name: 'partner-import', config: environment.ingestion.batch['partner-import'], network: environment.network as Network, cluster,
  });
  return { pack, lakeStack, stack, lake, cluster, batch };
}

const ref = (resource: TerraformResource, attribute: string) => `\${${addressOf(resource)}.${attribute}}`;

/** Statements of every inline policy of `role`, by policy. */
function inlineStatements(tf: SynthesizedStack, role: ServiceRole): SynthesizedStatement[][] {
  const name = ref(role.role, 'name');
  return Object.values(tf.resource?.aws_iam_role_policy ?? {})
    .filter((p) => p.role === name)
    .map((p) => documentStatements(tf, p.policy));
}

const trustedService = (service: string) => [
  {
    effect: 'Allow',
    principals: [{ type: 'Service', identifiers: [service] }],
    actions: ['sts:AssumeRole'],
    condition: [{ test: 'StringEquals', variable: 'aws:SourceAccount', values: ['111111111111'] }],
  },
];

type Container = Record<string, unknown> & { environment: Array<{ name: string; value: string }> };
const containersOf = (tf: SynthesizedStack, batch: BatchImport) =>
  JSON.parse(synthesizedResource(tf, 'aws_ecs_task_definition', batch.taskDefinition.friendlyUniqueId).container_definitions as string) as Container[];

describe('ecrRepositoryOf', () => {
  test('finds the account, region and repository of a private ECR image, by tag or digest', () => {
    expect(ecrRepositoryOf(IMAGE)).toEqual({ account: '111111111111', region: 'eu-west-1', name: 'partner-import' });
    expect(ecrRepositoryOf(`222222222222.dkr.ecr.us-east-1.amazonaws.com/team/import@sha256:${'a'.repeat(64)}`)).toEqual({
      account: '222222222222', region: 'us-east-1', name: 'team/import',
    });
  });

  test('returns undefined for an image from another registry', () => {
    expect(ecrRepositoryOf('docker.io/library/python:3.12')).toBeUndefined();
    expect(ecrRepositoryOf('public.ecr.aws/docker/library/python:3.12')).toBeUndefined();
    expect(ecrRepositoryOf('python:3.12')).toBeUndefined();
  });
});

describe('BatchImport', () => {
  test('defines a Fargate task of the configured size, Linux on x86-64, with its two roles', () => {
    const { tf, batch } = single();
    const definition = synthesizedResource(tf, 'aws_ecs_task_definition', batch.taskDefinition.friendlyUniqueId);
    expect({ ...definition, container_definitions: undefined }).toEqual({
      family: 'adp-dev-ingestion-partner-import',
      requires_compatibilities: ['FARGATE'],
      network_mode: 'awsvpc',
      cpu: '512',
      memory: '1024',
      runtime_platform: { operating_system_family: 'LINUX', cpu_architecture: 'X86_64' },
      execution_role_arn: ref(batch.executionRole.role, 'arn'),
      task_role_arn: ref(batch.taskRole.role, 'arn'),
      volume: [{ name: 'scratch' }],
      container_definitions: undefined,
    });
    expect(batch.taskDefinition).toBeInstanceOf(EcsTaskDefinition);
  });

  test('sizes the task with the config defaults when none are given', () => {
    const config = batchConfig({ image: IMAGE, schedule: 'rate(1 day)' });
    expect([config.cpu, config.memoryMb, config.maxRetryAttempts]).toEqual([
      INGESTION_DEFAULTS.batch.cpu, INGESTION_DEFAULTS.batch.memoryMb, INGESTION_DEFAULTS.batch.maxRetryAttempts,
    ]);
    const { tf, batch } = single(config);
    const definition = synthesizedResource(tf, 'aws_ecs_task_definition', batch.taskDefinition.friendlyUniqueId);
    expect([definition.cpu, definition.memory]).toEqual(['512', '1024']);
    expect((synthesizedResource(tf, 'aws_scheduler_schedule', batch.schedule.friendlyUniqueId).target as { retry_policy: unknown }).retry_policy).toEqual({
      maximum_retry_attempts: 2, maximum_event_age_in_seconds: 3600,
    });
  });

  test('runs one essential container: the image, read-only, with a scratch volume, its logs in the log group', () => {
    const { tf, batch } = single(batchConfig({ ...PARTNER, cpu: 1024, memoryMb: 4096, command: ['import', '--full'] }));
    expect(containersOf(tf, batch)).toEqual([
      {
        name: 'import',
        image: IMAGE,
        essential: true,
        command: ['import', '--full'],
        environment: [
          { name: 'PARTNER_FEED_URL', value: 'https://partners.example.com/feed' },
          { name: 'TARGET_BUCKET', value: '${aws_s3_bucket.lake_raw_bucket.bucket}' },
          { name: 'TARGET_PREFIX', value: 'partner-import/' },
        ],
        readonlyRootFilesystem: true,
        mountPoints: [{ sourceVolume: 'scratch', containerPath: '/tmp', readOnly: false }],
        logConfiguration: {
          logDriver: 'awslogs',
          options: { 'awslogs-group': ref(batch.logGroup.logGroup, 'name'), 'awslogs-region': 'eu-west-1', 'awslogs-stream-prefix': 'import' },
        },
      },
    ]);
    const definition = synthesizedResource(tf, 'aws_ecs_task_definition', batch.taskDefinition.friendlyUniqueId);
    expect([definition.cpu, definition.memory]).toEqual(['1024', '4096']);
    expect(BATCH_IMPORT_SETTINGS).toEqual({ containerName: 'import', maximumEventAgeSeconds: 3600, scratchPath: '/tmp', logStreamPrefix: 'import', egressPort: 443 });
    expect(TARGET_ENVIRONMENT).toEqual({ bucket: 'TARGET_BUCKET', prefix: 'TARGET_PREFIX' });
  });

  test('keeps the image\'s own command when none is configured', () => {
    const { tf, batch } = single();
    expect(containersOf(tf, batch)[0]).not.toHaveProperty('command');
  });

  test('passes "${" and "%{" in configured values to AWS literally, not as Terraform templates', () => {
    const { tf, batch } = single(batchConfig({ ...PARTNER, command: ['run', '--since', '${yesterday}'], environment: { PATTERN: '%{x} and ${y}' } }));
    const [container] = containersOf(tf, batch);
    expect(container.command).toEqual(['run', '--since', '$${yesterday}']);
    expect(container.environment[0]).toEqual({ name: 'PATTERN', value: '%%{x} and $${y}' });
  });

  test('writes the raw zone under the dataset\'s own prefix', () => {
    const { tf, batch } = single(batchConfig({ ...PARTNER, prefix: 'partners/feed/' }));
    expect(batch.prefix).toBe('partners/feed/');
    expect(containersOf(tf, batch)[0].environment).toContainEqual({ name: 'TARGET_PREFIX', value: 'partners/feed/' });
    const [write] = inlineStatements(tf, batch.taskRole);
    expect(write[0].resources).toEqual(['${aws_s3_bucket.lake_raw_bucket.arn}/partners/feed/*']);
  });

  test('keeps logs 30 days in /ecs/<project>-<env>-ingestion-<name>, encrypted with the lake key', () => {
    const { tf, batch } = single();
    expect(synthesizedResource(tf, 'aws_cloudwatch_log_group', batch.logGroup.logGroup.friendlyUniqueId)).toEqual({
      name: '/ecs/adp-dev-ingestion-partner-import',
      retention_in_days: LOG_RETENTION_DAYS,
      kms_key_id: '${aws_kms_key.lake_key.arn}',
    });
  });

  test('lets the task role write the raw zone under the prefix, and nothing else', () => {
    const { tf, batch } = single();
    expect(trustOf(tf, batch.taskRole)).toEqual(trustedService('ecs-tasks.amazonaws.com'));
    const viaS3 = [{ test: 'StringEquals', variable: 'kms:ViaService', values: ['s3.eu-west-1.amazonaws.com'] }];
    expect(inlineStatements(tf, batch.taskRole)).toEqual([
      [
        {
          sid: 'WriteObjects',
          effect: 'Allow',
          actions: ['s3:PutObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'],
          resources: ['${aws_s3_bucket.lake_raw_bucket.arn}/partner-import/*'],
        },
        { sid: 'LocateBucketAndUploads', effect: 'Allow', actions: ['s3:GetBucketLocation', 's3:ListBucketMultipartUploads'], resources: ['${aws_s3_bucket.lake_raw_bucket.arn}'] },
        { sid: 'EncryptWithLakeKey', effect: 'Allow', actions: ['kms:GenerateDataKey', 'kms:Decrypt'], resources: ['${aws_kms_key.lake_key.arn}'], condition: viaS3 },
      ],
    ]);
  });

  test('lets the execution role pull only the image\'s ECR repository and write only its log group', () => {
    const { tf, batch } = single();
    expect(trustOf(tf, batch.executionRole)).toEqual(trustedService('ecs-tasks.amazonaws.com'));
    expect(inlineStatements(tf, batch.executionRole)).toEqual([
      [
        { sid: 'AuthenticateToEcr', effect: 'Allow', actions: ['ecr:GetAuthorizationToken'], resources: ['*'] },
        {
          sid: 'PullImage',
          effect: 'Allow',
          actions: ['ecr:BatchCheckLayerAvailability', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchGetImage'],
          resources: ['arn:${data.aws_partition.partition.partition}:ecr:eu-west-1:111111111111:repository/partner-import'],
        },
        {
          sid: 'WriteLogs',
          effect: 'Allow',
          actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          resources: [`${ref(batch.logGroup.logGroup, 'arn')}:*`],
        },
      ],
    ]);
  });

  test('gives the execution role no ECR permission for an image from another registry', () => {
    const { tf, batch } = single(batchConfig({ ...PARTNER, image: 'docker.io/library/python:3.12' }));
    expect(inlineStatements(tf, batch.executionRole)).toEqual([
      [{ sid: 'WriteLogs', effect: 'Allow', actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [`${ref(batch.logGroup.logGroup, 'arn')}:*`] }],
    ]);
  });

  test('puts the tasks in a security group of the VPC with no inbound rule and HTTPS out only', () => {
    const { tf, batch } = single();
    expect(synthesizedResource(tf, 'aws_security_group', batch.securityGroup.friendlyUniqueId)).toEqual({
      name: 'adp-dev-ingestion-partner-import-import',
      description: 'Batch import partner-import: HTTPS out only, nothing in',
      vpc_id: 'vpc-0a1b2c3d4e5f60001',
      ingress: [],
      egress: [
        {
          description: 'HTTPS to S3, ECR, CloudWatch Logs and the import source',
          protocol: 'tcp',
          from_port: 443,
          to_port: 443,
          cidr_blocks: ['0.0.0.0/0'],
          ipv6_cidr_blocks: [],
          prefix_list_ids: [],
          security_groups: [],
          self: false,
        },
      ],
    });
    expect(batch.securityGroup).toBeInstanceOf(SecurityGroup);
  });

  test('schedules one Fargate task in the cluster, in the private subnets, without a public IP', () => {
    const { tf, batch, cluster } = single();
    expect(synthesizedResource(tf, 'aws_scheduler_schedule', batch.schedule.friendlyUniqueId)).toEqual({
      name: 'adp-dev-ingestion-partner-import-import',
      description: 'Runs batch import partner-import into the raw zone under partner-import/',
      schedule_expression: 'cron(0 2 * * ? *)',
      flexible_time_window: { mode: 'OFF' },
      target: {
        arn: ref(cluster.cluster, 'arn'),
        role_arn: ref(batch.schedulerRole.role, 'arn'),
        ecs_parameters: {
          task_definition_arn: ref(batch.taskDefinition, 'arn'),
          launch_type: 'FARGATE',
          task_count: 1,
          network_configuration: {
            subnets: ['subnet-0a1b2c3d4e5f60001', 'subnet-0a1b2c3d4e5f61001'],
            security_groups: [ref(batch.securityGroup, 'id')],
            assign_public_ip: false,
          },
        },
        retry_policy: { maximum_retry_attempts: 2, maximum_event_age_in_seconds: 3600 },
        dead_letter_config: { arn: ref(batch.deadLetterQueue.queue, 'arn') },
      },
      depends_on: [`aws_iam_role_policy.${Object.entries(tf.resource?.aws_iam_role_policy ?? {}).find(([, p]) => p.role === ref(batch.schedulerRole.role, 'name'))?.[0]}`],
    });
    expect(batch.schedule).toBeInstanceOf(SchedulerSchedule);
  });

  test('takes the schedule\'s retries from the config', () => {
    const { tf, batch } = single(batchConfig({ ...PARTNER, maxRetryAttempts: 7, schedule: 'rate(6 hours)' }));
    const schedule = synthesizedResource(tf, 'aws_scheduler_schedule', batch.schedule.friendlyUniqueId);
    expect(schedule.schedule_expression).toBe('rate(6 hours)');
    expect((schedule.target as { retry_policy: unknown }).retry_policy).toEqual({ maximum_retry_attempts: 7, maximum_event_age_in_seconds: 3600 });
  });

  test('lets the scheduler run only this task definition in this cluster, pass only the two task roles, and report to its queue', () => {
    const { tf, batch, cluster } = single();
    expect(trustOf(tf, batch.schedulerRole)).toEqual(trustedService('scheduler.amazonaws.com'));
    expect(inlineStatements(tf, batch.schedulerRole)).toEqual([
      [
        {
          sid: 'RunImportTask',
          effect: 'Allow',
          actions: ['ecs:RunTask'],
          resources: [`${ref(batch.taskDefinition, 'arn_without_revision')}:*`],
          condition: [{ test: 'ArnEquals', variable: 'ecs:cluster', values: [ref(cluster.cluster, 'arn')] }],
        },
        {
          sid: 'PassTaskRoles',
          effect: 'Allow',
          actions: ['iam:PassRole'],
          resources: [ref(batch.executionRole.role, 'arn'), ref(batch.taskRole.role, 'arn')],
          condition: [{ test: 'StringEquals', variable: 'iam:PassedToService', values: ['ecs-tasks.amazonaws.com'] }],
        },
        { sid: 'SendFailedRuns', effect: 'Allow', actions: ['sqs:SendMessage'], resources: [ref(batch.deadLetterQueue.queue, 'arn')] },
        {
          sid: 'EncryptFailedRuns',
          effect: 'Allow',
          actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
          resources: ['${aws_kms_key.lake_key.arn}'],
          condition: [{ test: 'StringEquals', variable: 'kms:ViaService', values: ['sqs.eu-west-1.amazonaws.com'] }],
        },
      ],
    ]);
  });

  test('keeps failed runs 14 days in a queue encrypted with the lake key', () => {
    const { tf, batch } = single();
    expect(synthesizedResource(tf, 'aws_sqs_queue', batch.deadLetterQueue.queue.friendlyUniqueId)).toEqual({
      name: 'adp-dev-ingestion-partner-import-import-dlq',
      kms_master_key_id: '${aws_kms_key.lake_key.arn}',
      kms_data_key_reuse_period_seconds: 300,
      message_retention_seconds: QUEUE_RETENTION_SECONDS,
    });
  });

  test('names its roles for the dataset', () => {
    const { tf, batch } = single();
    const roleName = (role: ServiceRole) => synthesizedResource(tf, 'aws_iam_role', role.role.friendlyUniqueId).name;
    expect([roleName(batch.taskRole), roleName(batch.executionRole), roleName(batch.schedulerRole)]).toEqual([
      'adp-dev-ingestion-partner-import-import-task',
      'adp-dev-ingestion-partner-import-import-exec',
      'adp-dev-ingestion-partner-import-import-schedule',
    ]);
  });

  test('creates no stateful resource (nothing to pin or protect)', () => {
    const { stack } = single();
    expect([...stack.statefulAddresses].filter((a) => !a.includes('lake_'))).toEqual([]);
  });

  test('takes the raw bucket\'s name from the lake\'s stack and passes the policy pack in layered stacks', () => {
    const { pack, stack, lakeStack, batch } = layered();
    const { tf } = synthesize(stack);
    expect(() => synthesize(lakeStack)).not.toThrow();
    expect(containersOf(tf, batch)[0].environment).toContainEqual({ name: 'TARGET_BUCKET', value: expect.stringMatching(/^\$\{data\.terraform_remote_state\.[^}]+\}$/) });
    expect(pack.reports.get('dev-ingestion')?.counts.fail).toBe(0);
    expect(pack.reports.get('dev-ingestion')?.suppressions).toEqual([]);
    expect(pack.reports.get('dev-lake')?.counts.fail).toBe(0);
  });

  test('passes the policy pack in a single offline stack', () => {
    const environment = testEnvironment({
      ...OFFLINE, network: NETWORK,
      ingestion: { batch: { 'partner-import': { ...PARTNER, image: '000000000000.dkr.ecr.eu-west-1.amazonaws.com/partner-import:1.0.0' } } },
    });
    const pack = new PolicyPack();
    const { stack, lake } = stackWithLake(environment, { aspects: [pack] });
    const cluster = new ImportCluster(stack, 'import-cluster');
    new BatchImport(stack, 'batch', { lake, name: 'partner-import', config: environment.ingestion.batch['partner-import'], network: environment.network as Network, cluster });
    expect(() => synthesize(stack)).not.toThrow();
    expect(pack.reports.get('local')?.counts.fail).toBe(0);
  });

  describe('validation', () => {
    function attempt(config: BatchConfig, network: Network = env().network as Network, name = 'partner-import') {
      const { stack, lake } = stackWithLake(env());
      const cluster = new ImportCluster(stack, 'import-cluster');
      const error = thrownBy(() => new BatchImport(stack, 'batch', { lake, name, config, network, cluster }));
      return { error, stack };
    }
    const valid = () => batchConfig(PARTNER);

    test('reports every problem at once, naming the field, the value and the fix, and creates nothing', () => {
      const { error, stack } = attempt(
        {
          ...valid(),
          image: 'partner-import',
          schedule: 'rate(5 minute)',
          cpu: 512,
          memoryMb: 512,
          maxRetryAttempts: 200,
          environment: { TARGET_BUCKET: 'elsewhere', 'lower-case': 'x' },
          prefix: 'partner-import',
        },
        { vpcId: 'vpc-1', vpcCidr: '10.0.0.0/16', subnets: { 'eu-west-1a': 'subnet-xyz' } },
        'Partner_Import',
      );
      expect(error).toBeInstanceOf(PlatformError);
      expect((error as PlatformError).message).toBe([
        'BatchImport dev/batch: name is "Partner_Import"; use 2-40 lowercase letters and digits, words joined by "-", starting with a letter (e.g. "clickstream")',
        'BatchImport dev/batch: config.image is "partner-import"; use a container image pinned by tag or digest, e.g. "111111111111.dkr.ecr.eu-west-1.amazonaws.com/import:1.4.2"',
        'BatchImport dev/batch: config.schedule is "rate(5 minute)"; it says "5 minute"; use the singular unit for 1 and the plural otherwise ("rate(1 day)", "rate(2 days)")',
        'BatchImport dev/batch: config.memoryMb is 512; use 1024 to 4096 MiB in whole GiB with cpu 512 (Fargate task sizes)',
        'BatchImport dev/batch: config.maxRetryAttempts is 200; use a whole number from 0 to 185',
        'BatchImport dev/batch: config.environment.TARGET_BUCKET is set by the platform (where the import may write); remove it, the task gets the raw bucket and its prefix',
        'BatchImport dev/batch: config.environment.lower-case is not an environment variable name; use UPPER_SNAKE_CASE (letters, digits, "_")',
        'BatchImport dev/batch: config.prefix is "partner-import"; use a raw-zone key prefix of lowercase letters, digits, "_", "-", "=" and "/", ending with "/" (e.g. "partner-import/")',
        'BatchImport dev/batch: network.vpcId is "vpc-1"; use a VPC id such as "vpc-0a1b2c3d4e5f67890"',
        'BatchImport dev/batch: network.subnets has ["subnet-xyz"]; use subnet ids such as "subnet-0a1b2c3d4e5f67890"',
      ].join('\n'));
      expect(stack.node.tryFindChild('batch')?.node.children ?? []).toEqual([]);
    });

    test('rejects a CPU size Fargate does not have', () => {
      expect((attempt({ ...valid(), cpu: 300 as 256 }).error as Error).message).toBe(
        'BatchImport dev/batch: config.cpu is 300; use a Fargate CPU size: 256, 512, 1024, 2048, 4096',
      );
    });

    test('accepts 512 MiB only with cpu 256', () => {
      expect(attempt({ ...valid(), cpu: 256, memoryMb: 512 }).error).toBeUndefined();
      expect((attempt({ ...valid(), cpu: 256, memoryMb: 1536 }).error as Error).message).toBe(
        'BatchImport dev/batch: config.memoryMb is 1536; use 512 to 2048 MiB in whole GiB (or 512) with cpu 256 (Fargate task sizes)',
      );
    });

    test('rejects a network without subnets', () => {
      expect((attempt(valid(), { ...NETWORK, subnets: {} }).error as Error).message).toBe(
        'BatchImport dev/batch: network.subnets has 0 subnets; use 1 to 16 private subnets (the scheduler\'s limit for an ECS task)',
      );
    });

    test('skips values that are still tokens', () => {
      const { error } = attempt(
        { ...valid(), image: Token.asString({ Ref: 'image' }), schedule: Token.asString({ Ref: 'schedule' }), memoryMb: Token.asNumber({ Ref: 'memory' }) },
        { ...NETWORK, vpcId: Token.asString({ Ref: 'vpc' }) },
      );
      expect(error).toBeUndefined();
    });
  });
});
