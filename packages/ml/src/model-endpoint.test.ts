import { TerraformOutput, Token } from 'cdktf';
import { AppautoscalingPolicy } from '@cdktf/provider-aws/lib/appautoscaling-policy';
import { SagemakerEndpoint } from '@cdktf/provider-aws/lib/sagemaker-endpoint';
import { SagemakerEndpointConfiguration } from '@cdktf/provider-aws/lib/sagemaker-endpoint-configuration';
import { LOG_RETENTION_DAYS, ML_DEFAULTS, ModelConfig, addressOf, problemsOf, ref, rolePolicies, synthesize, synthesizedResource } from '@data-platform/core';
import { stackWithLake } from '@data-platform/lake';
import { PolicyPack } from '@data-platform/policy';
import { Model } from './model';
import { ENDPOINT_SETTINGS, EndpointConfig, ModelEndpoint } from './model-endpoint';
import { STUDIO_SETTINGS } from './studio-domain';
import { CHURN, CURATED, KEY_ARN, ModelInput, NETWORK, OFFLINE, devEnvironment, grantName, layeredStacks, modelConfig, writeStatements } from './test-support';

type EndpointInput = NonNullable<ModelInput['endpoint']>;

const endpointConfig = (input: EndpointInput = { instanceType: 'ml.m5.large' }): EndpointConfig => modelConfig({ ...CHURN, endpoint: input }).endpoint as EndpointConfig;

/** The lake, the model and its endpoint in one stack, `dev`. */
function single(config: EndpointConfig = endpointConfig(), input: ModelInput = CHURN) {
  const { stack, lake } = stackWithLake(devEnvironment());
  const model = new Model(stack, 'model', { lake, name: 'churn', config: modelConfig(input), network: NETWORK });
  const endpoint = new ModelEndpoint(stack, 'endpoint', { lake, model, config });
  return { stack, lake, model, endpoint, ...synthesize(stack) };
}

const configurationOf = ({ tf, endpoint }: ReturnType<typeof single>) =>
  synthesizedResource(tf, 'aws_sagemaker_endpoint_configuration', endpoint.configuration.friendlyUniqueId);

describe('ModelEndpoint', () => {
  it('serves the model from one variant of the configured instances, its volumes encrypted with the lake key', () => {
    const result = single(endpointConfig({ instanceType: 'ml.c5.xlarge', instances: 2, maxInstances: 4, dataCapturePercent: 0 }));
    expect(configurationOf(result)).toEqual({
      name: expect.stringMatching(/^adp-dev-ml-churn-[0-9a-f]{8}$/),
      kms_key_arn: KEY_ARN,
      production_variants: [
        { variant_name: 'AllTraffic', model_name: ref(result.model.model, 'name'), instance_type: 'ml.c5.xlarge', initial_instance_count: 2, initial_variant_weight: 1 },
      ],
      lifecycle: { create_before_destroy: true },
    });
    expect(result.endpoint.configuration).toBeInstanceOf(SagemakerEndpointConfiguration);
    expect(result.endpoint.captureUri).toBeUndefined();
  });

  it('sets no volume key on instance types with local storage, which SageMaker encrypts in hardware', () => {
    expect(configurationOf(single(endpointConfig({ instanceType: 'ml.g5.xlarge' })))).not.toHaveProperty('kms_key_arn');
    expect(configurationOf(single(endpointConfig({ instanceType: 'ml.m5d.large' })))).not.toHaveProperty('kms_key_arn');
  });

  it('takes the config defaults: one to two instances, 100 invocations per instance, 10 % of requests captured', () => {
    const config = endpointConfig();
    expect([config.instances, config.maxInstances, config.targetInvocationsPerInstance, config.dataCapturePercent]).toEqual([
      ML_DEFAULTS.endpoint.instances, ML_DEFAULTS.endpoint.maxInstances, ML_DEFAULTS.endpoint.targetInvocationsPerInstance, ML_DEFAULTS.endpoint.dataCapturePercent,
    ]);
    expect(ML_DEFAULTS.endpoint).toEqual({ instances: 1, maxInstances: 2, targetInvocationsPerInstance: 100, dataCapturePercent: 10 });
    const result = single(config);
    expect((configurationOf(result).production_variants as Array<Record<string, unknown>>)[0].initial_instance_count).toBe(1);
    const target = synthesizedResource(result.tf, 'aws_appautoscaling_target', result.endpoint.scalingTarget.friendlyUniqueId);
    expect([target.min_capacity, target.max_capacity]).toEqual([1, 2]);
  });

  it('captures the configured share of requests and responses to the curated zone under ml-capture/<model>/, outside the Studio workspace, with the lake key', () => {
    const result = single(endpointConfig({ instanceType: 'ml.m5.large', dataCapturePercent: 25 }));
    expect(configurationOf(result).data_capture_config).toEqual({
      enable_capture: true,
      initial_sampling_percentage: 25,
      destination_s3_uri: `s3://${CURATED.name}/ml-capture/churn`,
      kms_key_id: KEY_ARN,
      capture_options: [{ capture_mode: 'Input' }, { capture_mode: 'Output' }],
    });
    expect(result.endpoint.captureUri).toMatch(/\/ml-capture\/churn$/);
    // Outside the data scientists' Studio workspace, which they write directly from S3.
    expect(`${ENDPOINT_SETTINGS.capturePrefix}churn/`.startsWith(STUDIO_SETTINGS.workspacePrefix)).toBe(false);
  });

  it('lets the model\'s role write the captured data under ml-capture/<model>/ only, and writes nothing without capture', () => {
    const captured = single();
    expect(rolePolicies(captured.tf, captured.model)[grantName('write', 'curated', 'ml-capture/churn/')]).toEqual(writeStatements(CURATED.arn, 'ml-capture/churn/'));
    const uncaptured = single(endpointConfig({ instanceType: 'ml.m5.large', dataCapturePercent: 0 }));
    expect(Object.keys(rolePolicies(uncaptured.tf, uncaptured.model)).filter((name) => name.includes('write'))).toEqual([]);
  });

  it('names the endpoint <project>-<env>-ml-<model> and points it at the configuration, after its log group and the capture grant exist', () => {
    const result = single();
    const capture = Object.entries(result.tf.resource?.aws_iam_role_policy ?? {}).find(([, p]) => p.name === grantName('write', 'curated', 'ml-capture/churn/'))?.[0];
    expect(synthesizedResource(result.tf, 'aws_sagemaker_endpoint', result.endpoint.endpoint.friendlyUniqueId)).toEqual({
      name: 'adp-dev-ml-churn',
      endpoint_config_name: ref(result.endpoint.configuration, 'name'),
      depends_on: [addressOf(result.endpoint.logGroup.logGroup), `aws_iam_role_policy.${capture}`],
    });
    expect(result.endpoint.endpoint).toBeInstanceOf(SagemakerEndpoint);
  });

  it('keeps the endpoint\'s logs 30 days in /aws/sagemaker/Endpoints/<endpoint>, encrypted with the lake key', () => {
    const result = single();
    expect(synthesizedResource(result.tf, 'aws_cloudwatch_log_group', result.endpoint.logGroup.logGroup.friendlyUniqueId)).toEqual({
      name: '/aws/sagemaker/Endpoints/adp-dev-ml-churn',
      retention_in_days: LOG_RETENTION_DAYS,
      kms_key_id: KEY_ARN,
    });
  });

  it('replaces the configuration under a new name when what it holds changes, and only then', () => {
    const nameOf = (config: EndpointConfig, input: ModelInput = CHURN) => configurationOf(single(config, input)).name;
    const name = nameOf(endpointConfig());
    expect(nameOf(endpointConfig())).toBe(name);
    expect(nameOf(endpointConfig({ instanceType: 'ml.m5.large', maxInstances: 5, targetInvocationsPerInstance: 300 }))).toBe(name);
    expect(nameOf(endpointConfig({ instanceType: 'ml.m5.xlarge' }))).not.toBe(name);
    expect(nameOf(endpointConfig({ instanceType: 'ml.m5.large', instances: 2 }))).not.toBe(name);
    expect(nameOf(endpointConfig({ instanceType: 'ml.m5.large', dataCapturePercent: 50 }))).not.toBe(name);
    expect(nameOf(endpointConfig(), { ...CHURN, artifact: 'ml/churn/v4/model.tar.gz' })).not.toBe(name);
  });

  it('scales the variant between instances and maxInstances, tracking invocations per instance', () => {
    const result = single(endpointConfig({ instanceType: 'ml.m5.large', instances: 2, maxInstances: 6, targetInvocationsPerInstance: 250 }));
    const { scalingTarget, scalingPolicy } = result.endpoint;
    expect(synthesizedResource(result.tf, 'aws_appautoscaling_target', scalingTarget.friendlyUniqueId)).toEqual({
      service_namespace: 'sagemaker',
      resource_id: `endpoint/${ref(result.endpoint.endpoint, 'name')}/variant/AllTraffic`,
      scalable_dimension: 'sagemaker:variant:DesiredInstanceCount',
      min_capacity: 2,
      max_capacity: 6,
    });
    expect(synthesizedResource(result.tf, 'aws_appautoscaling_policy', scalingPolicy.friendlyUniqueId)).toEqual({
      name: 'adp-dev-ml-churn-invocations',
      policy_type: 'TargetTrackingScaling',
      service_namespace: ref(scalingTarget, 'service_namespace'),
      resource_id: ref(scalingTarget, 'resource_id'),
      scalable_dimension: ref(scalingTarget, 'scalable_dimension'),
      target_tracking_scaling_policy_configuration: {
        target_value: 250,
        predefined_metric_specification: { predefined_metric_type: 'SageMakerVariantInvocationsPerInstance' },
        scale_in_cooldown: 300,
        scale_out_cooldown: 60,
      },
    });
    expect(scalingPolicy).toBeInstanceOf(AppautoscalingPolicy);
    expect(ENDPOINT_SETTINGS).toEqual({
      variantName: 'AllTraffic',
      captureModes: ['Input', 'Output'],
      capturePrefix: 'ml-capture/',
      scaleInCooldownSeconds: 300,
      scaleOutCooldownSeconds: 60,
      metric: 'SageMakerVariantInvocationsPerInstance',
    });
  });

  it('exposes the endpoint\'s name and variant, the dimensions of its metrics', () => {
    const { stack, lake } = stackWithLake(devEnvironment());
    const model = new Model(stack, 'model', { lake, name: 'churn', config: modelConfig(CHURN), network: NETWORK });
    const endpoint = new ModelEndpoint(stack, 'endpoint', { lake, model, config: endpointConfig() });
    new TerraformOutput(stack, 'name', { value: endpoint.name });
    expect(synthesize(stack).tf.output).toEqual({ name: { value: ref(endpoint.endpoint, 'name') } });
    expect(endpoint.variantName).toBe('AllTraffic');
  });

  it('creates no stateful resource (nothing to pin or protect)', () => {
    const { stack } = single();
    expect([...stack.statefulAddresses].filter((a) => !a.includes('.lake_'))).toEqual([]);
  });

  it('passes the policy pack in layered stacks, writing captures across stacks', () => {
    const pack = new PolicyPack();
    const environment = devEnvironment();
    const { lake, stack, stacks } = layeredStacks(environment, [pack]);
    const config = environment.ml?.models.churn as ModelConfig;
    const model = new Model(stack, 'model', { lake, name: 'churn', config, network: NETWORK });
    const endpoint = new ModelEndpoint(stack, 'endpoint', { lake, model, config: config.endpoint as EndpointConfig });
    const { tf } = synthesize(stack);
    for (const s of Object.values(stacks)) expect(() => synthesize(s)).not.toThrow();
    expect((synthesizedResource(tf, 'aws_sagemaker_endpoint_configuration', endpoint.configuration.friendlyUniqueId).data_capture_config as { destination_s3_uri: string }).destination_s3_uri)
      .toMatch(/^s3:\/\/\$\{data\.terraform_remote_state\.[^}]+\}\/ml-capture\/churn$/);
    expect(pack.reports.get('dev-ml')?.counts.fail).toBe(0);
    expect(pack.reports.get('dev-ml')?.suppressions).toEqual([]);
  });

  it('passes the policy pack in a single offline stack', () => {
    const pack = new PolicyPack();
    const { stack, lake } = stackWithLake(devEnvironment(OFFLINE), { aspects: [pack] });
    const model = new Model(stack, 'model', { lake, name: 'churn', config: modelConfig({ ...CHURN, image: '000000000000.dkr.ecr.eu-west-1.amazonaws.com/churn:1.4.0' }), network: NETWORK });
    new ModelEndpoint(stack, 'endpoint', { lake, model, config: endpointConfig({ instanceType: 'ml.g5.xlarge' }) });
    expect(() => synthesize(stack)).not.toThrow();
    expect(pack.reports.get('local')?.counts.fail).toBe(0);
  });

  describe('validation', () => {
    function attempt(config: EndpointConfig) {
      const { stack, lake } = stackWithLake(devEnvironment());
      const model = new Model(stack, 'model', { lake, name: 'churn', config: modelConfig(CHURN), network: NETWORK });
      const problems = problemsOf(() => new ModelEndpoint(stack, 'endpoint', { lake, model, config }));
      return { problems, stack };
    }

    it('reports every problem at once, naming the field, the value and the fix, and creates nothing', () => {
      const { problems, stack } = attempt({ instanceType: 'm5.large', instances: 0, maxInstances: 101, targetInvocationsPerInstance: 1.5, dataCapturePercent: 120 });
      expect(problems).toEqual([
        'ModelEndpoint dev/endpoint: config.instanceType is "m5.large"; use a SageMaker instance type such as "ml.m5.large"',
        'ModelEndpoint dev/endpoint: config.instances is 0; use a whole number from 1 to 100 (instances at deploy, the autoscaling minimum)',
        'ModelEndpoint dev/endpoint: config.maxInstances is 101; use a whole number from 1 to 100 (the autoscaling maximum)',
        'ModelEndpoint dev/endpoint: config.targetInvocationsPerInstance is 1.5; use a whole number from 1 to 100000 (invocations per instance per minute)',
        'ModelEndpoint dev/endpoint: config.dataCapturePercent is 120; use a whole number from 0 to 100 (percent of requests captured; 0 turns capture off)',
      ]);
      expect(stack.node.tryFindChild('endpoint')?.node.children).toEqual([]);
    });

    it('rejects maxInstances below instances', () => {
      expect(attempt({ ...endpointConfig(), instances: 3, maxInstances: 2 }).problems).toEqual([
        'ModelEndpoint dev/endpoint: config.maxInstances is 2, below instances (3); use 3 or more (autoscaling never goes below instances)',
      ]);
    });

    it('skips values that are still tokens', () => {
      const { stack, lake } = stackWithLake(devEnvironment());
      const model = new Model(stack, 'model', { lake, name: 'churn', config: modelConfig(CHURN), network: NETWORK });
      const config = { ...endpointConfig(), instanceType: Token.asString({ Ref: 'type' }), instances: Token.asNumber({ Ref: 'instances' }), maxInstances: 1 };
      expect(() => new ModelEndpoint(stack, 'endpoint', { lake, model, config })).not.toThrow();
    });
  });
});
