import { Token } from 'cdktf';
import { Construct } from 'constructs';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { SagemakerModel } from '@cdktf/provider-aws/lib/sagemaker-model';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import {
  DATASET_NAME_FIX,
  DATASET_NAME_RE,
  ModelConfig,
  NAME_LIMITS,
  PlatformStack,
  ServiceRole,
  Validator,
  describeValue,
} from '@data-platform/core';
import { DataLake } from '@data-platform/lake';
import { HTTPS_PORT, Network, checkNetwork, subnetIds, tcpToVpc } from './shared/network';
import { SAGEMAKER_NAME_MAX, contentHash, ecrImageOf } from './shared/sagemaker';

/** Settings every {@link Model} has; none is a prop. */
export const MODEL_SETTINGS = {
  /**
   * The container gets no network at all (`enable_network_isolation`): it cannot call out, not even
   * to AWS services; SageMaker itself fetches the artifact and writes the logs.
   */
  networkIsolation: true,
  /** Log groups SageMaker writes a model's logs to (`/aws/sagemaker/Endpoints/<endpoint>`, `/aws/sagemaker/TransformJobs`). */
  logGroupPrefix: '/aws/sagemaker/',
} as const;

const ARTIFACT_RE = /^[a-z0-9][a-z0-9_\-=.]*(\/[a-z0-9][a-z0-9_\-=.]*)*\.tar\.gz$/;

/** Props of {@link Model}. */
export interface ModelProps {
  /** The lake whose artifacts bucket holds the model artifact. */
  readonly lake: DataLake;
  /** The model's key in `ml.models`: part of every resource name. */
  readonly name: string;
  /** The model's config (validated and defaulted by the config loader). */
  readonly config: ModelConfig;
  /** The environment's network: the model's instances get their network interfaces in its subnets. */
  readonly network: Network;
}

/**
 * A SageMaker model: an inference image and an artifact of the lake's artifacts bucket, with the
 * role SageMaker runs it as. Endpoints ({@link ModelEndpoint}) and batch predictions
 * ({@link BatchPredictions}) use it.
 *
 * - Model `<project>-<env>-ml-<name>-<hash>`: one container, `config.image` with
 *   `s3://<artifacts bucket>/<config.artifact>`; network-isolated (the container cannot call out)
 *   and attached to the VPC's subnets with its own security group: no inbound rule, HTTPS to the
 *   VPC's CIDR only.
 * - A SageMaker model cannot be changed, only replaced. The hash in its name is taken from the
 *   image, the artifact and the network (VPC, subnets, security group), so a new image or artifact makes a new model next to the
 *   old one (`create_before_destroy`); endpoints and batch predictions then move to it, and only
 *   then is the old one deleted. Publish each artifact version under its own key
 *   (`ml/churn/v7/model.tar.gz`): a new file under the same key changes nothing Terraform sees.
 * - Role `<project>-<env>-ml-<name>-model`, assumed by SageMaker for this account only: reads the
 *   artifact's directory of the artifacts bucket (`lake.grantRead`), pulls the image from its ECR
 *   repository, writes logs under `/aws/sagemaker/` of this account and region, and manages the
 *   network interfaces of the model's instances in the VPC. Endpoints and batch predictions grant
 *   it what they need besides (data capture, input and output prefixes).
 */
export class Model extends Construct {
  /** The model's key in `ml.models`. */
  readonly key: string;
  /** The SageMaker model. */
  readonly model: SagemakerModel;
  /** Name of the SageMaker model (a reference to it). */
  readonly name: string;
  /** Physical name of the model, `<project>-<env>-ml-<key>-<hash of image, artifact and network>`. */
  readonly physicalName: string;
  /** ARN of the model. */
  readonly arn: string;
  /** The role SageMaker runs the model as. */
  readonly role: ServiceRole;
  /** The security group of the model's network interfaces (HTTPS to the VPC only). */
  readonly securityGroup: SecurityGroup;
  /** Where the artifact is: `s3://<artifacts bucket>/<config.artifact>`. */
  readonly artifactUrl: string;
  /** The role's policies, which must exist before anything runs the model. */
  readonly rolePolicies: readonly IamRolePolicy[];

  constructor(scope: Construct, id: string, props: ModelProps) {
    super(scope, id);
    const { lake, name, config, network } = props;
    const stack = PlatformStack.of(this);
    const { env } = stack;
    validate(new Validator(`Model ${this.node.path}`), props, env.region);

    this.key = name;
    const partition = stack.partition;
    const directory = config.artifact.slice(0, config.artifact.lastIndexOf('/') + 1);

    this.role = new ServiceRole(this, 'role', {
      layer: 'ml',
      service: 'sagemaker.amazonaws.com',
      name: `${name}-model`,
      description: `Model ${name}: what SageMaker may do running it (read its artifact, pull its image, write logs)`,
    });

    const securityGroupName = stack.resourceName('ml', `${name}-model`, { maxLength: NAME_LIMITS.securityGroup });
    const securityGroupDescription = `Model ${name}: HTTPS to the VPC only, nothing in`;
    this.securityGroup = new SecurityGroup(this, 'security-group', {
      name: securityGroupName,
      description: securityGroupDescription,
      vpcId: network.vpcId,
      // Inline and complete: Terraform removes any rule added outside this definition.
      ingress: [],
      egress: [tcpToVpc(HTTPS_PORT, network, 'HTTPS to AWS service endpoints in the VPC')],
    });

    const subnets = subnetIds(network);
    const region = env.region;
    const account = env.account;
    const ec2 = (resource: string) => `arn:${partition}:ec2:${region}:${account}:${resource}`;
    const image = ecrImageOf(config.image);
    const pull = image
      ? [
          // AWS defines ecr:GetAuthorizationToken on "*" only (it has no resource type): the token
          // opens the registry, the next statement limits what can be pulled from it.
          { sid: 'AuthenticateToEcr', effect: 'Allow', actions: ['ecr:GetAuthorizationToken'], resources: ['*'] },
          {
            sid: 'PullImage',
            effect: 'Allow',
            actions: ['ecr:BatchCheckLayerAvailability', 'ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'],
            resources: [`arn:${partition}:ecr:${image.region}:${image.account}:repository/${image.repository}`],
          },
        ]
      : [];
    const servePolicy = this.role.allow('serve', [
      ...pull,
      {
        // One pattern covers the log groups and, as "*" also matches ":", their log streams.
        sid: 'WriteLogs',
        effect: 'Allow',
        actions: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:DescribeLogStreams', 'logs:PutLogEvents'],
        resources: [`arn:${partition}:logs:${region}:${account}:log-group:${MODEL_SETTINGS.logGroupPrefix}*`],
      },
      // AWS defines the EC2 Describe actions on "*" only; SageMaker reads the subnets, security
      // groups and DHCP options before it attaches instances to the VPC.
      {
        sid: 'DescribeNetwork',
        effect: 'Allow',
        actions: ['ec2:DescribeDhcpOptions', 'ec2:DescribeNetworkInterfaces', 'ec2:DescribeSecurityGroups', 'ec2:DescribeSubnets', 'ec2:DescribeVpcs'],
        resources: ['*'],
      },
      {
        // Network interfaces only in the environment's subnets, with the model's security group.
        sid: 'CreateNetworkInterfaces',
        effect: 'Allow',
        actions: ['ec2:CreateNetworkInterface'],
        resources: [ec2('network-interface/*'), ...subnets.map((s) => ec2(`subnet/${s}`)), ec2(`security-group/${this.securityGroup.id}`)],
      },
      {
        sid: 'ManageNetworkInterfaces',
        effect: 'Allow',
        actions: ['ec2:CreateNetworkInterfacePermission', 'ec2:DeleteNetworkInterface', 'ec2:DeleteNetworkInterfacePermission'],
        resources: [ec2('network-interface/*')],
        condition: [{ test: 'ArnEquals', variable: 'ec2:Vpc', values: [ec2(`vpc/${network.vpcId}`)] }],
      },
    ]);
    const readArtifact = lake.grantRead(this.role.role, 'artifacts', directory);
    this.rolePolicies = [servePolicy, readArtifact];

    this.physicalName = stack.resourceName('ml', name, {
      maxLength: SAGEMAKER_NAME_MAX,
      // Everything whose change replaces the model; the security group is replaced (a new id)
      // when its name or description changes.
      suffix: contentHash(config.image, config.artifact, network.vpcId, subnets.join(','), securityGroupName, securityGroupDescription),
    });
    this.artifactUrl = `s3://${lake.artifacts.name}/${config.artifact}`;
    this.model = new SagemakerModel(this, 'model', {
      name: this.physicalName,
      executionRoleArn: this.role.arn,
      primaryContainer: { image: config.image, modelDataUrl: this.artifactUrl },
      enableNetworkIsolation: MODEL_SETTINGS.networkIsolation,
      vpcConfig: { subnets, securityGroupIds: [this.securityGroup.id] },
      // CreateModel checks that the role can read the artifact and pull the image.
      dependsOn: [...this.rolePolicies],
      // A model cannot be updated: its successor (a new name) exists before it is deleted.
      lifecycle: { createBeforeDestroy: true },
    });
    this.name = this.model.name;
    this.arn = this.model.arn;
  }
}

/** Records every problem with the props on `v` and throws them together; tokens are skipped. */
function validate(v: Validator, props: ModelProps, region: string): void {
  const { name, config, network } = props;
  const known = (value: unknown) => !Token.isUnresolved(value);
  if (known(name)) v.check(DATASET_NAME_RE.test(name), 'name', `is ${describeValue(name)}; ${DATASET_NAME_FIX}`);
  if (known(config.image)) {
    const image = ecrImageOf(config.image);
    if (!image) {
      v.add('config.image', `is ${describeValue(config.image)}; use an ECR image URI with a tag or digest, e.g. "141502667606.dkr.ecr.${region}.amazonaws.com/sagemaker-xgboost:1.7-1"`);
    } else if (image.region !== region) {
      v.add('config.image', `is in region ${image.region}; use an image of an ECR repository in ${region}, the environment's region (SageMaker pulls images only from its own region)`);
    }
  }
  if (known(config.artifact)) {
    if (!ARTIFACT_RE.test(config.artifact)) {
      v.add('config.artifact', `is ${describeValue(config.artifact)}; use a key in the lake's artifacts bucket ending in .tar.gz, e.g. "ml/churn/model.tar.gz"`);
    } else if (!config.artifact.includes('/')) {
      v.add('config.artifact', `is ${describeValue(config.artifact)}, at the bucket's root; put it in a directory, e.g. "ml/${known(name) ? name : 'churn'}/${config.artifact}" (the model's role may read only that directory)`);
    }
  }
  checkNetwork(v, network);
  v.throwIfAny();
}
