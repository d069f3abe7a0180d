import { Token } from 'cdktf';
import { Construct } from 'constructs';
import { SagemakerModelPackageGroup } from '@cdktf/provider-aws/lib/sagemaker-model-package-group';
import { DATASET_NAME_FIX, DATASET_NAME_RE, PlatformStack, Validator, describeValue, stateful } from '@data-platform/core';
import { SAGEMAKER_NAME_MAX } from './shared/sagemaker';

/**
 * Longest description of a model package group.
 * @see https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_CreateModelPackageGroup.html
 */
export const MODEL_GROUP_DESCRIPTION_MAX = 1024;

/** Defaults of the optional ModelRegistry props. */
export const MODEL_REGISTRY_DEFAULTS = {
  /** The group's description when none is given. */
  description: (name: string) => `Versions of model ${name}`,
} as const;

/** Terraform address of a model's stateful resource: `ml_<model>_<role>` (hyphens become "_"). */
export function mlAddress(model: string, role: string): string {
  return `ml_${model.replace(/-/g, '_')}_${role}`;
}

/** Props of {@link ModelRegistry}. */
export interface ModelRegistryProps {
  /** The model's key in `ml.models`: names the group and its address. */
  readonly name: string;
  /**
   * What the model predicts, shown on the group.
   * @default `Versions of model <name>` (MODEL_REGISTRY_DEFAULTS.description)
   */
  readonly description?: string;
}

/**
 * The registry of one model: a SageMaker model package group, `<project>-<env>-ml-<name>`, where
 * training pipelines and data scientists register the model's versions (model packages) and
 * approve them for deployment.
 *
 * The group holds every registered version, so it is stateful: its address is pinned to
 * `aws_sagemaker_model_package_group.ml_<name>_model_group` and it is protected from destroy in
 * protected environments.
 */
export class ModelRegistry extends Construct {
  /** The model package group. */
  readonly group: SagemakerModelPackageGroup;
  /** Name of the group. */
  readonly name: string;
  /** ARN of the group. */
  readonly arn: string;

  constructor(scope: Construct, id: string, props: ModelRegistryProps) {
    super(scope, id);
    const v = new Validator(`ModelRegistry ${this.node.path}`);
    if (!Token.isUnresolved(props.name)) v.check(DATASET_NAME_RE.test(props.name), 'name', `is ${describeValue(props.name)}; ${DATASET_NAME_FIX}`);
    const description = props.description;
    if (description !== undefined && !Token.isUnresolved(description)) {
      v.check(description.length <= MODEL_GROUP_DESCRIPTION_MAX, 'description',
        `has ${description.length} characters; use at most ${MODEL_GROUP_DESCRIPTION_MAX} (SageMaker's limit)`);
    }
    v.throwIfAny();

    const stack = PlatformStack.of(this);
    this.group = stateful(
      new SagemakerModelPackageGroup(this, 'group', {
        modelPackageGroupName: stack.resourceName('ml', props.name, { maxLength: SAGEMAKER_NAME_MAX }),
        modelPackageGroupDescription: description ?? MODEL_REGISTRY_DEFAULTS.description(props.name),
      }),
      mlAddress(props.name, 'model_group'),
    );
    this.name = this.group.modelPackageGroupName;
    this.arn = this.group.arn;
  }
}
