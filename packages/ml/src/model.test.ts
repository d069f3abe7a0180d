import { TerraformOutput, Token } from 'cdktf';
import { SagemakerModel } from '@cdktf/provider-aws/lib/sagemaker-model';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { ModelConfig, addressOf, problemsOf, ref, rolePolicies, synthesize, synthesizedResource, trustOf } from '@data-platform/core';
import { stackWithLake } from '@data-platform/lake';
import { PolicyPack } from '@data-platform/policy';
import { MODEL_SETTINGS, Model } from './model';
import { Network } from './shared/network';
import { contentHash } from './shared/sagemaker';
import { ARTIFACTS, CHURN, ModelInput, NETWORK, OFFLINE, PARTITION, devEnvironment, grantName, layeredStacks, modelConfig, readStatements } from './test-support';

const SUBNETS = ['subnet-0a1b2c3d4e5f60001', 'subnet-0a1b2c3d4e5f61001'];

/** The lake and the model in one stack, `dev`. */
function single(input: ModelInput = CHURN, network: Network = NETWORK) {
  const { stack, lake } = stackWithLake(devEnvironment());
  const model = new Model(stack, 'model', { lake, name: 'churn', config: modelConfig(input), network });
  return { stack, lake, model, ...synthesize(stack) };
}

describe('Model', () => {
  it('runs the image with the artifact of the artifacts bucket, network-isolated, in the VPC\'s subnets with its own security group', () => {
    const { tf, model } = single();
    const resource = synthesizedResource(tf, 'aws_sagemaker_model', model.model.friendlyUniqueId);
    expect(resource).toEqual({
      name: `adp-dev-ml-churn-${contentHash(CHURN.image, CHURN.artifact, NETWORK.vpcId, SUBNETS.join(','), 'adp-dev-ml-churn-model', 'Model churn: HTTPS to the VPC only, nothing in')}`,
      execution_role_arn: ref(model.role.role, 'arn'),
      primary_container: { image: CHURN.image, model_data_url: `s3://${ARTIFACTS.name}/ml/churn/v3/model.tar.gz` },
      enable_network_isolation: true,
      vpc_config: { subnets: SUBNETS, security_group_ids: [ref(model.securityGroup, 'id')] },
      depends_on: model.rolePolicies.map(addressOf),
      lifecycle: { create_before_destroy: true },
    });
    expect(model.model).toBeInstanceOf(SagemakerModel);
    expect(model.artifactUrl).toContain('/ml/churn/v3/model.tar.gz');
    expect(MODEL_SETTINGS).toEqual({ networkIsolation: true, logGroupPrefix: '/aws/sagemaker/' });
  });

  it('gets a new name, so a successor is created before it is replaced, when the image or the artifact changes, and only then', () => {
    const nameOf = (input: ModelInput) => single(input).model.physicalName;
    const name = nameOf(CHURN);
    expect(name).toMatch(/^adp-dev-ml-churn-[0-9a-f]{8}$/);
    expect(nameOf(CHURN)).toBe(name);
    expect(nameOf({ ...CHURN, description: 'Another description' })).toBe(name);
    expect(nameOf({ ...CHURN, artifact: 'ml/churn/v4/model.tar.gz' })).not.toBe(name);
    expect(nameOf({ ...CHURN, image: '111111111111.dkr.ecr.eu-west-1.amazonaws.com/churn:1.5.0' })).not.toBe(name);
    const moved = { ...NETWORK, subnets: { 'eu-west-1a': 'subnet-0a1b2c3d4e5f69999' } };
    expect(single(CHURN, moved).model.physicalName).not.toBe(name);
  });

  it('lists the subnets in a stable order whatever the order of the environment file', () => {
    const reversed = { ...NETWORK, subnets: { 'eu-west-1a': SUBNETS[0], 'eu-west-1b': SUBNETS[1] } };
    expect(single(CHURN, reversed).model.physicalName).toBe(single().model.physicalName);
  });

  it('exposes the model\'s name, ARN and key', () => {
    const { stack, lake } = stackWithLake(devEnvironment());
    const model = new Model(stack, 'model', { lake, name: 'churn', config: modelConfig(CHURN), network: NETWORK });
    new TerraformOutput(stack, 'name', { value: model.name });
    new TerraformOutput(stack, 'arn', { value: model.arn });
    expect(synthesize(stack).tf.output).toEqual({ name: { value: ref(model.model, 'name') }, arn: { value: ref(model.model, 'arn') } });
    expect(model.key).toBe('churn');
  });

  it('puts its network interfaces in a security group of the VPC with no inbound rule and HTTPS to the VPC only', () => {
    const { tf, model } = single();
    expect(synthesizedResource(tf, 'aws_security_group', model.securityGroup.friendlyUniqueId)).toEqual({
      name: 'adp-dev-ml-churn-model',
      description: 'Model churn: HTTPS to the VPC only, nothing in',
      vpc_id: NETWORK.vpcId,
      ingress: [],
      egress: [
        {
          description: 'HTTPS to AWS service endpoints in the VPC',
          protocol: 'tcp',
          from_port: 443,
          to_port: 443,
          cidr_blocks: ['10.10.0.0/16'],
          ipv6_cidr_blocks: [],
          prefix_list_ids: [],
          security_groups: [],
          self: false,
        },
      ],
    });
    expect(model.securityGroup).toBeInstanceOf(SecurityGroup);
  });

  it('runs as a role only SageMaker assumes, for this account', () => {
    const { tf, model } = single();
    expect(trustOf(tf, model.role)).toEqual([
      {
        effect: 'Allow',
        principals: [{ type: 'Service', identifiers: ['sagemaker.amazonaws.com'] }],
        actions: ['sts:AssumeRole'],
        condition: [{ test: 'StringEquals', variable: 'aws:SourceAccount', values: ['111111111111'] }],
      },
    ]);
    expect(synthesizedResource(tf, 'aws_iam_role', model.role.role.friendlyUniqueId).name).toBe('adp-dev-ml-churn-model');
  });

  it('lets the role read the artifact\'s directory, pull the image, write SageMaker logs and manage its network interfaces in the VPC', () => {
    const { tf, model } = single();
    const arn = (service: string, resource: string) => `arn:${PARTITION}:${service}:eu-west-1:111111111111:${resource}`;
    expect(rolePolicies(tf, model)).toEqual({
      serve: [
        { sid: 'AuthenticateToEcr', effect: 'Allow', actions: ['ecr:GetAuthorizationToken'], resources: ['*'] },
        {
          sid: 'PullImage',
          effect: 'Allow',
          actions: ['ecr:BatchCheckLayerAvailability', 'ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'],
          resources: [arn('ecr', 'repository/churn')],
        },
        {
          sid: 'WriteLogs',
          effect: 'Allow',
          actions: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:DescribeLogStreams', 'logs:PutLogEvents'],
          resources: [arn('logs', 'log-group:/aws/sagemaker/*')],
        },
        {
          sid: 'DescribeNetwork',
          effect: 'Allow',
          actions: ['ec2:DescribeDhcpOptions', 'ec2:DescribeNetworkInterfaces', 'ec2:DescribeSecurityGroups', 'ec2:DescribeSubnets', 'ec2:DescribeVpcs'],
          resources: ['*'],
        },
        {
          sid: 'CreateNetworkInterfaces',
          effect: 'Allow',
          actions: ['ec2:CreateNetworkInterface'],
          resources: [
            arn('ec2', 'network-interface/*'),
            arn('ec2', `subnet/${SUBNETS[0]}`),
            arn('ec2', `subnet/${SUBNETS[1]}`),
            arn('ec2', `security-group/${ref(model.securityGroup, 'id')}`),
          ],
        },
        {
          sid: 'ManageNetworkInterfaces',
          effect: 'Allow',
          actions: ['ec2:CreateNetworkInterfacePermission', 'ec2:DeleteNetworkInterface', 'ec2:DeleteNetworkInterfacePermission'],
          resources: [arn('ec2', 'network-interface/*')],
          condition: [{ test: 'ArnEquals', variable: 'ec2:Vpc', values: [arn('ec2', `vpc/${NETWORK.vpcId}`)] }],
        },
      ],
      [grantName('read', 'artifacts', 'ml/churn/v3/')]: readStatements(ARTIFACTS.arn, 'ml/churn/v3/'),
    });
  });

  it('pulls from the image\'s own repository, in another account of the region (SageMaker\'s built-in images)', () => {
    const { tf, model } = single({ ...CHURN, image: `141502667606.dkr.ecr.eu-west-1.amazonaws.com/sagemaker-xgboost@sha256:${'a'.repeat(64)}` });
    expect(rolePolicies(tf, model).serve[1].resources).toEqual([`arn:${PARTITION}:ecr:eu-west-1:141502667606:repository/sagemaker-xgboost`]);
  });

  it('creates no stateful resource (nothing to pin or protect)', () => {
    const { stack } = single();
    expect([...stack.statefulAddresses].filter((a) => !a.includes('.lake_'))).toEqual([]);
  });

  it('passes the policy pack in layered stacks, reading the artifacts bucket across stacks', () => {
    const pack = new PolicyPack();
    const environment = devEnvironment();
    const { lake, stack, stacks } = layeredStacks(environment, [pack]);
    const model = new Model(stack, 'model', { lake, name: 'churn', config: environment.ml?.models.churn as ModelConfig, network: NETWORK });
    const { tf } = synthesize(stack);
    for (const s of Object.values(stacks)) expect(() => synthesize(s)).not.toThrow();
    expect((synthesizedResource(tf, 'aws_sagemaker_model', model.model.friendlyUniqueId).primary_container as { model_data_url: string }).model_data_url)
      .toMatch(/^s3:\/\/\$\{data\.terraform_remote_state\.[^}]+\}\/ml\/churn\/v3\/model\.tar\.gz$/);
    expect(pack.reports.get('dev-ml')?.counts.fail).toBe(0);
    expect(pack.reports.get('dev-ml')?.suppressions).toEqual([]);
  });

  it('passes the policy pack in a single offline stack', () => {
    const pack = new PolicyPack();
    const environment = devEnvironment(OFFLINE);
    const { stack, lake } = stackWithLake(environment, { aspects: [pack] });
    new Model(stack, 'model', { lake, name: 'churn', config: modelConfig({ ...CHURN, image: '000000000000.dkr.ecr.eu-west-1.amazonaws.com/churn:1.4.0' }), network: NETWORK });
    expect(() => synthesize(stack)).not.toThrow();
    expect(pack.reports.get('local')?.counts.fail).toBe(0);
  });

  describe('validation', () => {
    function attempt(name: string, config: ModelConfig, network: Network = NETWORK) {
      const { stack, lake } = stackWithLake(devEnvironment());
      const problems = problemsOf(() => new Model(stack, 'model', { lake, name, config, network }));
      return { problems, stack };
    }

    it('reports every problem at once, naming the field, the value and the fix, and creates nothing', () => {
      const { problems, stack } = attempt(
        'Churn',
        { ...modelConfig(CHURN), image: 'churn:latest', artifact: 'model.zip' },
        { vpcId: 'vpc-1', vpcCidr: '10.10.0.1/16', subnets: { 'eu-west-1a': 'subnet-xyz' } },
      );
      expect(problems).toEqual([
        'Model dev/model: name is "Churn"; use 2-40 lowercase letters and digits, words joined by "-", starting with a letter (e.g. "clickstream")',
        'Model dev/model: config.image is "churn:latest"; use an ECR image URI with a tag or digest, e.g. "141502667606.dkr.ecr.eu-west-1.amazonaws.com/sagemaker-xgboost:1.7-1"',
        'Model dev/model: config.artifact is "model.zip"; use a key in the lake\'s artifacts bucket ending in .tar.gz, e.g. "ml/churn/model.tar.gz"',
        'Model dev/model: network.vpcId is "vpc-1"; use a VPC id such as "vpc-0a1b2c3d4e5f67890"',
        'Model dev/model: network.vpcCidr is "10.10.0.1/16"; it has host bits set; use "10.10.0.0/16"',
        'Model dev/model: network.subnets has ["subnet-xyz"]; use subnet ids such as "subnet-0a1b2c3d4e5f67890"',
      ]);
      expect(stack.node.tryFindChild('model')?.node.children).toEqual([]);
    });

    it('rejects an image of another region, which SageMaker cannot pull', () => {
      expect(attempt('churn', { ...modelConfig(CHURN), image: '111111111111.dkr.ecr.us-east-1.amazonaws.com/churn:1.4.0' }).problems).toEqual([
        'Model dev/model: config.image is in region us-east-1; use an image of an ECR repository in eu-west-1, the environment\'s region (SageMaker pulls images only from its own region)',
      ]);
    });

    it('rejects an artifact at the root of the bucket, whose directory would be the whole bucket', () => {
      expect(attempt('churn', { ...modelConfig(CHURN), artifact: 'model.tar.gz' }).problems).toEqual([
        'Model dev/model: config.artifact is "model.tar.gz", at the bucket\'s root; put it in a directory, e.g. "ml/churn/model.tar.gz" (the model\'s role may read only that directory)',
      ]);
    });

    it('rejects a network without subnets, or with more than SageMaker takes', () => {
      const many = Object.fromEntries(Array.from({ length: 17 }, (_, i) => [`eu-west-1${String.fromCharCode(97 + i)}`, `subnet-0a1b2c3d4e5f6${String(i).padStart(4, '0')}`]));
      expect(attempt('churn', modelConfig(CHURN), { ...NETWORK, subnets: {} }).problems).toEqual([
        'Model dev/model: network.subnets has 0 subnets; use 1 to 16 private subnets (SageMaker\'s limit for a VPC configuration)',
      ]);
      expect(attempt('churn', modelConfig(CHURN), { ...NETWORK, subnets: many }).problems).toEqual([
        'Model dev/model: network.subnets has 17 subnets; use 1 to 16 private subnets (SageMaker\'s limit for a VPC configuration)',
      ]);
    });

    it('skips values that are still tokens', () => {
      const { stack, lake } = stackWithLake(devEnvironment());
      const config = { ...modelConfig(CHURN), image: Token.asString({ Ref: 'image' }) };
      expect(() => new Model(stack, 'model', { lake, name: 'churn', config, network: { ...NETWORK, vpcId: Token.asString({ Ref: 'vpc' }) } })).not.toThrow();
    });
  });
});
