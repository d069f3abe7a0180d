import { Token } from 'cdktf';
import { Construct } from 'constructs';
import { AppautoscalingPolicy } from '@cdktf/provider-aws/lib/appautoscaling-policy';
import { AppautoscalingTarget } from '@cdktf/provider-aws/lib/appautoscaling-target';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { SagemakerEndpoint } from '@cdktf/provider-aws/lib/sagemaker-endpoint';
import { SagemakerEndpointConfiguration } from '@cdktf/provider-aws/lib/sagemaker-endpoint-configuration';
import { EncryptedLogGroup, ModelConfig, NAME_LIMITS, PlatformStack, Validator, describeValue } from '@data-platform/core';
import { DataLake } from '@data-platform/lake';
import { Model } from './model';
import { INSTANCE_TYPE_RE, SAGEMAKER_NAME_MAX, contentHash, hasInstanceStore } from './shared/sagemaker';

/** The `endpoint` section of a model's config. */
export type EndpointConfig = NonNullable<ModelConfig['endpoint']>;

/** Settings every {@link ModelEndpoint} has; none is a prop. */
export const ENDPOINT_SETTINGS = {
  /** Name of the endpoint's one production variant (SageMaker's own default name). */
  variantName: 'AllTraffic',
  /** What data capture records: the requests and the model's responses. */
  captureModes: ['Input', 'Output'],
  /**
   * Curated-zone prefix of captured data, one `<model>/` below it. Outside the data scientists'
   * Studio workspace (`ml/`, which they read and write directly from S3): raw requests and
   * responses stay behind Lake Formation and only the model's role may write them.
   */
  capturePrefix: 'ml-capture/',
  /**
   * Seconds after a scale-in before the next one: a burst that just ended often comes back, and
   * a new instance takes minutes to serve.
   */
  scaleInCooldownSeconds: 300,
  /** Seconds after a scale-out before the next one. */
  scaleOutCooldownSeconds: 60,
  /**
   * The metric autoscaling tracks: invocations per instance per minute, averaged over the variant.
   * @see https://docs.aws.amazon.com/sagemaker/latest/dg/endpoint-auto-scaling-add-code-define.html
   */
  metric: 'SageMakerVariantInvocationsPerInstance',
} as const;

/** Limits of the endpoint config SageMaker and Application Auto Scaling accept. */
const LIMITS = {
  instances: { min: 1, max: 100 },
  targetInvocationsPerInstance: { min: 1, max: 100_000 },
  dataCapturePercent: { min: 0, max: 100 },
} as const;

/** Props of {@link ModelEndpoint}. */
export interface ModelEndpointProps {
  /** The lake: captured requests and responses go to its curated zone, encrypted with its key. */
  readonly lake: DataLake;
  /** The model the endpoint serves; its role writes the captured data. */
  readonly model: Model;
  /** The model's `endpoint` section (validated and defaulted by the config loader). */
  readonly config: EndpointConfig;
}

/**
 * A real-time SageMaker endpoint for a {@link Model}, with autoscaling and data capture.
 *
 * - Endpoint `<project>-<env>-ml-<model>` with one production variant
 *   ({@link ENDPOINT_SETTINGS}.variantName) of `config.instances` × `config.instanceType`. Its
 *   storage volumes are encrypted with the lake key, except on instance types with local
 *   instance storage, which SageMaker encrypts in hardware and for which it rejects a key.
 * - Data capture (when `config.dataCapturePercent` > 0): that share of requests and responses to
 *   `s3://<curated bucket>/ml-capture/<model>/` ({@link ENDPOINT_SETTINGS}.capturePrefix), encrypted
 *   with the lake key; the model's role may write there (`lake.grantWrite`). Not under `ml/`, the
 *   Studio workspace the data scientists read and write directly: captured payloads are read
 *   through Lake Formation and nobody but the model overwrites them.
 * - Endpoint configurations cannot be changed, only replaced. The configuration is named
 *   `<project>-<env>-ml-<model>-<hash>`, the hash taken from everything it holds (the model's
 *   name, which changes with its image and artifact, instance type and count, capture share), and
 *   is created before the old one is destroyed (`create_before_destroy`): a change creates the new
 *   configuration, points the endpoint at it (SageMaker's blue/green update: new instances take
 *   the traffic before the old ones stop, no downtime), then deletes the old configuration.
 * - Autoscaling: the variant's instance count moves between `config.instances` and
 *   `config.maxInstances`, tracking `config.targetInvocationsPerInstance` invocations per
 *   instance per minute.
 * - Logs: `/aws/sagemaker/Endpoints/<endpoint>`, created here (lake key, 30 days) before the
 *   endpoint, so SageMaker writes into a group with a key and a retention.
 *
 * Changing `config.instanceType`: SageMaker refuses to move a variant registered with autoscaling
 * to another instance type (AWS's procedure: deregister it, update the endpoint, register it
 * again). Apply such a change in two steps: first `terraform apply -destroy` targeting the
 * scaling policy and target, then the whole plan, which updates the endpoint and only then (the
 * target refers to the endpoint) registers the variant again. Other changes, a new model
 * included, go through in one apply.
 * @see https://docs.aws.amazon.com/sagemaker/latest/dg/endpoint-scaling-update.html
 */
export class ModelEndpoint extends Construct {
  /** The endpoint. */
  readonly endpoint: SagemakerEndpoint;
  /** Name of the endpoint (a reference to it): the `EndpointName` dimension of its metrics. */
  readonly name: string;
  /** Name of the endpoint's production variant: the `VariantName` dimension of its metrics. */
  readonly variantName: string;
  /** The endpoint's current configuration. */
  readonly configuration: SagemakerEndpointConfiguration;
  /** The variant as a scalable target of Application Auto Scaling. */
  readonly scalingTarget: AppautoscalingTarget;
  /** The target-tracking policy on invocations per instance. */
  readonly scalingPolicy: AppautoscalingPolicy;
  /** The endpoint's log group. */
  readonly logGroup: EncryptedLogGroup;
  /** Where captured requests and responses go, or undefined without data capture. */
  readonly captureUri?: string;

  constructor(scope: Construct, id: string, props: ModelEndpointProps) {
    super(scope, id);
    const { lake, model, config } = props;
    validate(new Validator(`ModelEndpoint ${this.node.path}`), config);

    const stack = PlatformStack.of(this);
    const key = model.key;
    const physicalName = stack.resourceName('ml', key, { maxLength: SAGEMAKER_NAME_MAX });
    this.variantName = ENDPOINT_SETTINGS.variantName;

    this.logGroup = new EncryptedLogGroup(this, 'log-group', { name: `/aws/sagemaker/Endpoints/${physicalName}`, key: lake.key });

    let capturePolicy: IamRolePolicy | undefined;
    if (config.dataCapturePercent > 0) {
      const prefix = `${ENDPOINT_SETTINGS.capturePrefix}${key}/`;
      capturePolicy = lake.grantWrite(model.role.role, 'curated', prefix);
      // SageMaker adds /<endpoint>/<variant>/<yyyy>/<mm>/<dd>/<hh>/ after the destination.
      this.captureUri = `s3://${lake.zones.curated.name}/${prefix.slice(0, -1)}`;
    }

    this.configuration = new SagemakerEndpointConfiguration(this, 'configuration', {
      name: stack.resourceName('ml', key, {
        maxLength: SAGEMAKER_NAME_MAX,
        suffix: contentHash(model.physicalName, this.variantName, config.instanceType, config.instances, config.dataCapturePercent),
      }),
      // SageMaker rejects a volume key on instance types with local instance storage.
      kmsKeyArn: hasInstanceStore(config.instanceType) ? undefined : lake.key.arn,
      productionVariants: [
        {
          variantName: this.variantName,
          modelName: model.name,
          instanceType: config.instanceType,
          initialInstanceCount: config.instances,
          initialVariantWeight: 1,
        },
      ],
      dataCaptureConfig: this.captureUri
        ? {
            enableCapture: true,
            initialSamplingPercentage: config.dataCapturePercent,
            destinationS3Uri: this.captureUri,
            kmsKeyId: lake.key.arn,
            captureOptions: ENDPOINT_SETTINGS.captureModes.map((captureMode) => ({ captureMode })),
          }
        : undefined,
      // Immutable: the next configuration exists, and the endpoint uses it, before this one goes.
      lifecycle: { createBeforeDestroy: true },
    });

    this.endpoint = new SagemakerEndpoint(this, 'endpoint', {
      name: physicalName,
      endpointConfigName: this.configuration.name,
      // The log group must exist before SageMaker creates its own; captures need the grant.
      dependsOn: [this.logGroup.logGroup, ...(capturePolicy ? [capturePolicy] : [])],
    });
    this.name = this.endpoint.name;

    this.scalingTarget = new AppautoscalingTarget(this, 'scaling-target', {
      serviceNamespace: 'sagemaker',
      resourceId: `endpoint/${this.endpoint.name}/variant/${this.variantName}`,
      scalableDimension: 'sagemaker:variant:DesiredInstanceCount',
      minCapacity: config.instances,
      maxCapacity: config.maxInstances,
    });
    this.scalingPolicy = new AppautoscalingPolicy(this, 'scaling-policy', {
      name: stack.resourceName('ml', `${key}-invocations`, { maxLength: NAME_LIMITS.default }),
      policyType: 'TargetTrackingScaling',
      serviceNamespace: this.scalingTarget.serviceNamespace,
      resourceId: this.scalingTarget.resourceId,
      scalableDimension: this.scalingTarget.scalableDimension,
      targetTrackingScalingPolicyConfiguration: {
        targetValue: config.targetInvocationsPerInstance,
        predefinedMetricSpecification: { predefinedMetricType: ENDPOINT_SETTINGS.metric },
        scaleInCooldown: ENDPOINT_SETTINGS.scaleInCooldownSeconds,
        scaleOutCooldown: ENDPOINT_SETTINGS.scaleOutCooldownSeconds,
      },
    });
  }
}

/** Records every problem with the config on `v` and throws them together; tokens are skipped. */
function validate(v: Validator, config: EndpointConfig): void {
  const known = (value: unknown) => !Token.isUnresolved(value);
  const whole = (value: number, field: keyof typeof LIMITS, why: string) => {
    if (!known(value)) return;
    const { min, max } = LIMITS[field];
    v.check(Number.isInteger(value) && value >= min && value <= max, `config.${field}`, `is ${describeValue(value)}; use a whole number from ${min} to ${max} (${why})`);
  };
  if (known(config.instanceType)) {
    v.check(INSTANCE_TYPE_RE.test(config.instanceType), 'config.instanceType', `is ${describeValue(config.instanceType)}; use a SageMaker instance type such as "ml.m5.large"`);
  }
  whole(config.instances, 'instances', 'instances at deploy, the autoscaling minimum');
  if (known(config.maxInstances)) {
    const { min, max } = LIMITS.instances;
    if (!Number.isInteger(config.maxInstances) || config.maxInstances < min || config.maxInstances > max) {
      v.add('config.maxInstances', `is ${describeValue(config.maxInstances)}; use a whole number from ${min} to ${max} (the autoscaling maximum)`);
    } else if (known(config.instances) && config.maxInstances < config.instances) {
      v.add('config.maxInstances', `is ${config.maxInstances}, below instances (${config.instances}); use ${config.instances} or more (autoscaling never goes below instances)`);
    }
  }
  whole(config.targetInvocationsPerInstance, 'targetInvocationsPerInstance', 'invocations per instance per minute');
  whole(config.dataCapturePercent, 'dataCapturePercent', 'percent of requests captured; 0 turns capture off');
  v.throwIfAny();
}
