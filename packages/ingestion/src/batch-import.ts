import { Token } from 'cdktf';
import { Construct } from 'constructs';
import { DataAwsIamPolicyDocumentStatement } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { EcsTaskDefinition } from '@cdktf/provider-aws/lib/ecs-task-definition';
import { SchedulerSchedule } from '@cdktf/provider-aws/lib/scheduler-schedule';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import {
  BatchConfig,
  describeValue,
  EncryptedLogGroup,
  EncryptedQueue,
  EnvironmentConfig,
  FARGATE_MEMORY,
  fargateMemoryFits,
  NAME_LIMITS,
  PlatformStack,
  rawPrefix,
  scheduleProblem,
  ServiceRole,
  Validator,
} from '@data-platform/core';
import { DataLake } from '@data-platform/lake';
import { ImportCluster } from './import-cluster';
import { checkDatasetName } from './shared/dataset-name';

/** The service principal of ECS tasks (task and execution roles). */
const ECS_TASKS_SERVICE = 'ecs-tasks.amazonaws.com';

/** Settings every BatchImport has; none is a prop. */
export const BATCH_IMPORT_SETTINGS = {
  /** Name of the task's one container. */
  containerName: 'import',
  /**
   * How long the scheduler keeps retrying a run it could not start (RunTask failed: capacity,
   * throttling, a missing permission) before the run goes to the dead-letter queue: one hour,
   * so a daily import never starts hours late.
   */
  maximumEventAgeSeconds: 3600,
  /** The writable scratch directory (task storage); the rest of the container's file system is read-only. */
  scratchPath: '/tmp',
  /** Prefix of the container's log streams: `import/import/<task id>`. */
  logStreamPrefix: 'import',
  /** Only port the tasks may connect to. */
  egressPort: 443,
} as const;

/** Environment variables the import gets from the platform: where it may write. */
export const TARGET_ENVIRONMENT = { bucket: 'TARGET_BUCKET', prefix: 'TARGET_PREFIX' } as const;

const IMAGE_RE = /^(\d{12}\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com\/)?[a-z0-9][a-z0-9._/-]*(:[\w.-]{1,128}|@sha256:[a-f0-9]{64})$/;
const ECR_IMAGE_RE = /^(\d{12})\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com\/([a-z0-9][a-z0-9._/-]*?)(?::[\w.-]{1,128}|@sha256:[a-f0-9]{64})$/;
const ENV_NAME_RE = /^[A-Z_][A-Z0-9_]*$/;
const PREFIX_RE = /^[a-z0-9][a-z0-9_\-/=]*\/$/;
const VPC_RE = /^vpc-[0-9a-f]{8,17}$/;
const SUBNET_RE = /^subnet-[0-9a-f]{8,17}$/;
/** EventBridge Scheduler's limit on the subnets of an ECS target. */
const MAX_SUBNETS = 16;
/** EventBridge Scheduler's limit on retries. */
const MAX_RETRY_ATTEMPTS = 185;

/** The private ECR repository an image is pulled from. */
export interface EcrRepository {
  readonly account: string;
  readonly region: string;
  /** Repository name, e.g. `partner-import` or `team/partner-import`. */
  readonly name: string;
}

/**
 * The private ECR repository of `image` (`<account>.dkr.ecr.<region>.amazonaws.com/<name>:<tag>`
 * or `...@sha256:<digest>`), or undefined for an image from another registry.
 */
export function ecrRepositoryOf(image: string): EcrRepository | undefined {
  const m = ECR_IMAGE_RE.exec(image);
  return m ? { account: m[1], region: m[2], name: m[3] } : undefined;
}

/**
 * Escapes Terraform's template sequences in a literal string (`${` and `%{`), so a value from the
 * config reaches AWS as written instead of being read as an interpolation. Tokens are left alone.
 */
function literal(value: string): string {
  return Token.isUnresolved(value) ? value : value.replace(/([$%])\{/g, (_, sign: string) => `${sign}${sign}{`);
}

/** Props of {@link BatchImport}. */
export interface BatchImportProps {
  /** The lake the import writes into (raw zone, under the dataset's prefix). */
  readonly lake: DataLake;
  /** Dataset name (the key under `ingestion.batch`): part of every resource name. */
  readonly name: string;
  /** The dataset's config (validated and defaulted by the config loader). */
  readonly config: BatchConfig;
  /** The environment's network: the tasks run in its private subnets. */
  readonly network: NonNullable<EnvironmentConfig['network']>;
  /** The layer's ECS cluster the tasks run in. */
  readonly cluster: ImportCluster;
}

/**
 * A scheduled batch import: a container image run as a Fargate task on a schedule, writing into
 * the lake's raw zone under the dataset's prefix.
 *
 * - Task definition `<project>-<env>-ingestion-<name>`: one essential container running
 *   `config.image` (and `config.command`), with `config.environment` plus `TARGET_BUCKET` (the raw
 *   bucket) and `TARGET_PREFIX` (the prefix); a read-only root file system with a writable scratch
 *   volume at `/tmp`; logs to `/ecs/<project>-<env>-ingestion-<name>` (lake key, 30 days).
 * - Task role: may write the raw zone under the prefix, nothing else (`lake.grantWrite`).
 * - Execution role (used by ECS to start the task): pull the image from its ECR repository (none
 *   for an image from another registry) and write the log group.
 * - Security group in the VPC: no inbound rule; outbound TCP 443 only, to any address. The tasks
 *   call S3, ECR and CloudWatch Logs, and fetch from the import's own source (an HTTPS endpoint
 *   outside AWS, e.g. a partner feed), so the destinations are not only AWS endpoints; VPC
 *   endpoints are not assumed (the environment's network does not declare any). DNS goes to the
 *   VPC resolver, which security groups do not filter.
 * - EventBridge Scheduler schedule `config.schedule` (UTC, no flexible window): runs one task in
 *   the cluster, in the private subnets, without a public IP. Runs the scheduler cannot start are
 *   retried `config.maxRetryAttempts` times for at most an hour, then sent to a dead-letter queue
 *   (lake key, 14 days).
 */
export class BatchImport extends Construct {
  /** The Fargate task definition. */
  readonly taskDefinition: EcsTaskDefinition;
  /** The schedule that runs the task. */
  readonly schedule: SchedulerSchedule;
  /** The role the import's code runs as: may write the raw zone under `prefix`. */
  readonly taskRole: ServiceRole;
  /** The role ECS uses to start the task: pull the image, write the logs. */
  readonly executionRole: ServiceRole;
  /** The role the scheduler uses to run the task and report failed runs. */
  readonly schedulerRole: ServiceRole;
  /** The container's log group. */
  readonly logGroup: EncryptedLogGroup;
  /** Runs the scheduler could not start, after its retries. */
  readonly deadLetterQueue: EncryptedQueue;
  /** The tasks' security group (HTTPS out only). */
  readonly securityGroup: SecurityGroup;
  /** The raw-zone prefix the import writes under, ending in "/" (e.g. `partner-import/`). */
  readonly prefix: string;

  constructor(scope: Construct, id: string, props: BatchImportProps) {
    super(scope, id);
    const { lake, name, config, network, cluster } = props;
    const prefix = rawPrefix(name, config);
    validate(new Validator(`BatchImport ${this.node.path}`), props, prefix);

    const stack = PlatformStack.of(this);
    const { env } = stack;
    this.prefix = prefix;
    const physical = (what: string, maxLength: number) => stack.resourceName('ingestion', what, { maxLength });

    this.logGroup = new EncryptedLogGroup(this, 'log-group', {
      key: lake.key,
      name: `/ecs/${physical(name, NAME_LIMITS.logGroup - '/ecs/'.length)}`,
    });
    this.deadLetterQueue = new EncryptedQueue(this, 'dead-letter-queue', { layer: 'ingestion', key: lake.key, name: `${name}-import-dlq` });

    this.taskRole = new ServiceRole(this, 'task-role', {
      layer: 'ingestion',
      service: ECS_TASKS_SERVICE,
      name: `${name}-import-task`,
      description: `Batch import ${name}: what its code may do (write the raw zone under ${prefix})`,
    });
    lake.grantWrite(this.taskRole.role, 'raw', prefix);

    this.executionRole = new ServiceRole(this, 'execution-role', {
      layer: 'ingestion',
      service: ECS_TASKS_SERVICE,
      name: `${name}-import-exec`,
      description: `Batch import ${name}: lets ECS pull its image and write its logs`,
    });
    const repository = ecrRepositoryOf(config.image);
    const pull: DataAwsIamPolicyDocumentStatement[] = repository
      ? [
          // AWS defines ecr:GetAuthorizationToken on "*" only (it has no resource type): the token
          // opens the registry, the next statement limits what can be pulled from it.
          { sid: 'AuthenticateToEcr', effect: 'Allow', actions: ['ecr:GetAuthorizationToken'], resources: ['*'] },
          {
            sid: 'PullImage',
            effect: 'Allow',
            actions: ['ecr:BatchCheckLayerAvailability', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchGetImage'],
            resources: [`arn:${stack.partition}:ecr:${repository.region}:${repository.account}:repository/${repository.name}`],
          },
        ]
      : [];
    this.executionRole.allow('start-task', [
      ...pull,
      // Log streams are authorized as `<log group ARN>:log-stream:<stream>`.
      { sid: 'WriteLogs', effect: 'Allow', actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [`${this.logGroup.arn}:*`] },
    ]);

    this.securityGroup = new SecurityGroup(this, 'security-group', {
      name: physical(`${name}-import`, NAME_LIMITS.securityGroup),
      description: `Batch import ${name}: HTTPS out only, nothing in`,
      vpcId: network.vpcId,
      // Inline and complete: Terraform removes any rule added outside this definition.
      ingress: [],
      egress: [
        {
          description: 'HTTPS to S3, ECR, CloudWatch Logs and the import source',
          protocol: 'tcp',
          fromPort: BATCH_IMPORT_SETTINGS.egressPort,
          toPort: BATCH_IMPORT_SETTINGS.egressPort,
          cidrBlocks: ['0.0.0.0/0'],
          ipv6CidrBlocks: [],
          prefixListIds: [],
          securityGroups: [],
          selfAttribute: false,
        },
      ],
    });

    const environment = [
      ...Object.entries(config.environment).map(([key, value]) => ({ name: key, value: literal(value) })),
      { name: TARGET_ENVIRONMENT.bucket, value: lake.zones.raw.name },
      { name: TARGET_ENVIRONMENT.prefix, value: prefix },
    ].sort((a, b) => a.name.localeCompare(b.name));
    const container = {
      name: BATCH_IMPORT_SETTINGS.containerName,
      image: literal(config.image),
      essential: true,
      ...(config.command.length > 0 ? { command: config.command.map(literal) } : {}),
      environment,
      // Read-only image file system; the job writes only to its scratch volume and to S3.
      readonlyRootFilesystem: true,
      mountPoints: [{ sourceVolume: 'scratch', containerPath: BATCH_IMPORT_SETTINGS.scratchPath, readOnly: false }],
      logConfiguration: {
        logDriver: 'awslogs',
        options: {
          'awslogs-group': this.logGroup.name,
          'awslogs-region': env.region,
          'awslogs-stream-prefix': BATCH_IMPORT_SETTINGS.logStreamPrefix,
        },
      },
    };
    this.taskDefinition = new EcsTaskDefinition(this, 'task-definition', {
      // Task definition families allow 255 characters, the same limit as cluster names.
      family: physical(name, NAME_LIMITS.ecsCluster),
      requiresCompatibilities: ['FARGATE'],
      networkMode: 'awsvpc',
      cpu: String(config.cpu),
      memory: String(config.memoryMb),
      runtimePlatform: { operatingSystemFamily: 'LINUX', cpuArchitecture: 'X86_64' },
      executionRoleArn: this.executionRole.arn,
      taskRoleArn: this.taskRole.arn,
      containerDefinitions: JSON.stringify([container]),
      // A bind mount on the task's ephemeral storage (Fargate), for the scratch directory.
      volume: [{ name: 'scratch' }],
    });

    this.schedulerRole = new ServiceRole(this, 'scheduler-role', {
      layer: 'ingestion',
      service: 'scheduler.amazonaws.com',
      name: `${name}-import-schedule`,
      description: `Batch import ${name}: lets EventBridge Scheduler run its task and report failed runs`,
    });
    const schedulerPolicy = this.schedulerRole.allow('run-task', [
      {
        // RunTask is authorized against the revision's ARN (`<family>:<revision>`). Every change to
        // the task definition makes a new revision; the family with any revision keeps the
        // permission valid across that change, and still names only this import's task definition.
        sid: 'RunImportTask',
        effect: 'Allow',
        actions: ['ecs:RunTask'],
        resources: [`${this.taskDefinition.arnWithoutRevision}:*`],
        condition: [{ test: 'ArnEquals', variable: 'ecs:cluster', values: [cluster.arn] }],
      },
      {
        sid: 'PassTaskRoles',
        effect: 'Allow',
        actions: ['iam:PassRole'],
        resources: [this.executionRole.arn, this.taskRole.arn],
        condition: [{ test: 'StringEquals', variable: 'iam:PassedToService', values: [ECS_TASKS_SERVICE] }],
      },
      // The scheduler sends failed runs to the dead-letter queue as this role.
      { sid: 'SendFailedRuns', effect: 'Allow', actions: ['sqs:SendMessage'], resources: [this.deadLetterQueue.arn] },
      {
        sid: 'EncryptFailedRuns',
        effect: 'Allow',
        actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
        resources: [lake.key.arn],
        condition: [{ test: 'StringEquals', variable: 'kms:ViaService', values: [`sqs.${env.region}.amazonaws.com`] }],
      },
    ]);

    this.schedule = new SchedulerSchedule(this, 'schedule', {
      name: physical(`${name}-import`, NAME_LIMITS.schedule),
      description: `Runs batch import ${name} into the raw zone under ${prefix}`,
      scheduleExpression: config.schedule,
      flexibleTimeWindow: { mode: 'OFF' },
      target: {
        arn: cluster.arn,
        roleArn: this.schedulerRole.arn,
        ecsParameters: {
          taskDefinitionArn: this.taskDefinition.arn,
          launchType: 'FARGATE',
          taskCount: 1,
          networkConfiguration: {
            subnets: Object.values(network.subnets),
            securityGroups: [this.securityGroup.id],
            assignPublicIp: false,
          },
        },
        retryPolicy: {
          maximumRetryAttempts: config.maxRetryAttempts,
          maximumEventAgeInSeconds: BATCH_IMPORT_SETTINGS.maximumEventAgeSeconds,
        },
        deadLetterConfig: { arn: this.deadLetterQueue.arn },
      },
      // The first run must find the role's permissions in place.
      dependsOn: [schedulerPolicy],
    });
  }
}

/** Records every problem with the props on `v` and throws them together; tokens are skipped. */
function validate(v: Validator, props: BatchImportProps, prefix: string): void {
  const { name, config, network } = props;
  const known = (value: unknown) => !Token.isUnresolved(value);
  if (known(name)) {
    checkDatasetName(v, name);
  }
  if (known(config.image)) {
    v.check(IMAGE_RE.test(config.image), 'config.image',
      `is ${describeValue(config.image)}; use a container image pinned by tag or digest, e.g. "111111111111.dkr.ecr.eu-west-1.amazonaws.com/import:1.4.2"`);
  }
  if (known(config.schedule)) {
    const problem = scheduleProblem(config.schedule);
    if (problem) v.add('config.schedule', `is ${describeValue(config.schedule)}; ${problem.replace(/^is not a schedule; /, '').replace(/^(has|says|must)/, 'it $1')}`);
  }
  const cpus = Object.keys(FARGATE_MEMORY).map(Number);
  if (known(config.cpu) && known(config.memoryMb)) {
    if (!cpus.includes(config.cpu)) {
      v.add('config.cpu', `is ${describeValue(config.cpu)}; use a Fargate CPU size: ${cpus.join(', ')}`);
    } else if (!fargateMemoryFits(config.cpu, config.memoryMb)) {
      const [min, max] = FARGATE_MEMORY[config.cpu];
      v.add('config.memoryMb', `is ${describeValue(config.memoryMb)}; use ${min} to ${max} MiB in whole GiB${config.cpu === 256 ? ' (or 512)' : ''} with cpu ${config.cpu} (Fargate task sizes)`);
    }
  }
  if (known(config.maxRetryAttempts)) {
    const n = config.maxRetryAttempts;
    v.check(Number.isInteger(n) && n >= 0 && n <= MAX_RETRY_ATTEMPTS, 'config.maxRetryAttempts', `is ${describeValue(n)}; use a whole number from 0 to ${MAX_RETRY_ATTEMPTS}`);
  }
  for (const key of Object.keys(config.environment)) {
    if ((Object.values(TARGET_ENVIRONMENT) as string[]).includes(key)) {
      v.add(`config.environment.${key}`, 'is set by the platform (where the import may write); remove it, the task gets the raw bucket and its prefix');
    } else if (!ENV_NAME_RE.test(key)) {
      v.add(`config.environment.${key}`, 'is not an environment variable name; use UPPER_SNAKE_CASE (letters, digits, "_")');
    }
  }
  if (known(prefix)) {
    v.check(PREFIX_RE.test(prefix), 'config.prefix',
      `is ${describeValue(prefix)}; use a raw-zone key prefix of lowercase letters, digits, "_", "-", "=" and "/", ending with "/" (e.g. "partner-import/")`);
  }
  if (known(network.vpcId)) {
    v.check(VPC_RE.test(network.vpcId), 'network.vpcId', `is ${describeValue(network.vpcId)}; use a VPC id such as "vpc-0a1b2c3d4e5f67890"`);
  }
  const subnets = Object.values(network.subnets);
  v.check(subnets.length >= 1 && subnets.length <= MAX_SUBNETS, 'network.subnets',
    `has ${subnets.length} subnets; use 1 to ${MAX_SUBNETS} private subnets (the scheduler's limit for an ECS task)`);
  const badSubnets = subnets.filter((s) => known(s) && !SUBNET_RE.test(s));
  v.check(badSubnets.length === 0, 'network.subnets', `has ${describeValue(badSubnets)}; use subnet ids such as "subnet-0a1b2c3d4e5f67890"`);
  v.throwIfAny();
}
