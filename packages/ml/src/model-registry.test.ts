import { TerraformOutput, Token } from 'cdktf';
import { SagemakerModelPackageGroup } from '@cdktf/provider-aws/lib/sagemaker-model-package-group';
import { PlatformStack, addressOf, problemsOf, synthesize, synthesizedResource, testApp } from '@data-platform/core';
import { PolicyPack } from '@data-platform/policy';
import { MODEL_GROUP_DESCRIPTION_MAX, MODEL_REGISTRY_DEFAULTS, ModelRegistry, mlAddress } from './model-registry';
import { OFFLINE, devEnvironment, layeredStacks } from './test-support';

function stack(overrides: Parameters<typeof devEnvironment>[0] = {}): PlatformStack {
  return new PlatformStack(testApp(), 'dev-ml', { env: devEnvironment(overrides) });
}

describe('ModelRegistry', () => {
  it('creates one model package group named <project>-<env>-ml-<model>, with the model\'s description', () => {
    const s = stack();
    const registry = new ModelRegistry(s, 'registry', { name: 'churn', description: 'Probability that a customer cancels' });
    expect(synthesizedResource(synthesize(s).tf, 'aws_sagemaker_model_package_group', 'ml_churn_model_group')).toEqual({
      model_package_group_name: 'adp-dev-ml-churn',
      model_package_group_description: 'Probability that a customer cancels',
      lifecycle: { prevent_destroy: true },
    });
    expect(registry.group).toBeInstanceOf(SagemakerModelPackageGroup);
  });

  it('describes the group as the versions of the model when no description is given', () => {
    const s = stack();
    new ModelRegistry(s, 'registry', { name: 'churn' });
    expect(MODEL_REGISTRY_DEFAULTS.description('churn')).toBe('Versions of model churn');
    expect(synthesize(s).json).toHaveResourceWithProperties(SagemakerModelPackageGroup, { model_package_group_description: 'Versions of model churn' });
  });

  it('pins the group to ml_<model>_model_group, hyphens as "_", in every reference to it', () => {
    const s = stack();
    const registry = new ModelRegistry(s, 'registry', { name: 'next-best-offer' });
    expect(addressOf(registry.group)).toBe('aws_sagemaker_model_package_group.ml_next_best_offer_model_group');
    new TerraformOutput(s, 'name', { value: registry.name });
    new TerraformOutput(s, 'arn', { value: registry.arn });
    expect(synthesize(s).tf.output).toEqual({
      name: { value: '${aws_sagemaker_model_package_group.ml_next_best_offer_model_group.model_package_group_name}' },
      arn: { value: '${aws_sagemaker_model_package_group.ml_next_best_offer_model_group.arn}' },
    });
    expect([...s.statefulAddresses]).toEqual(['aws_sagemaker_model_package_group.ml_next_best_offer_model_group']);
    expect(mlAddress('churn', 'model_group')).toBe('ml_churn_model_group');
  });

  it('is not protected from destroy in an unprotected environment', () => {
    const s = stack({ protect: false });
    new ModelRegistry(s, 'registry', { name: 'churn' });
    expect(synthesizedResource(synthesize(s).tf, 'aws_sagemaker_model_package_group', 'ml_churn_model_group')).not.toHaveProperty('lifecycle');
  });

  it('passes the policy pack in the layered ml stack and in a single offline stack', () => {
    const pack = new PolicyPack();
    const { stack: ml } = layeredStacks(devEnvironment(), [pack]);
    new ModelRegistry(ml, 'registry', { name: 'churn' });
    expect(() => synthesize(ml)).not.toThrow();
    expect(pack.reports.get('dev-ml')?.counts.fail).toBe(0);

    const offline = new PlatformStack(testApp(), 'local', { env: devEnvironment(OFFLINE), aspects: [pack] });
    new ModelRegistry(offline, 'registry', { name: 'churn' });
    expect(() => synthesize(offline)).not.toThrow();
    expect(pack.reports.get('local')?.counts.fail).toBe(0);
  });

  it('documents SageMaker\'s limit on descriptions', () => {
    expect(MODEL_GROUP_DESCRIPTION_MAX).toBe(1024);
  });

  describe('validation', () => {
    it('reports a malformed name and an overlong description together, and creates nothing', () => {
      const s = stack();
      expect(problemsOf(() => new ModelRegistry(s, 'registry', { name: 'Churn_Model', description: 'x'.repeat(1025) }))).toEqual([
        'ModelRegistry dev-ml/registry: name is "Churn_Model"; use 2-40 lowercase letters and digits, words joined by "-", starting with a letter (e.g. "clickstream")',
        'ModelRegistry dev-ml/registry: description has 1025 characters; use at most 1024 (SageMaker\'s limit)',
      ]);
      expect(s.node.tryFindChild('registry')?.node.children).toEqual([]);
    });

    it('skips values that are still tokens', () => {
      const s = stack();
      expect(() => new ModelRegistry(s, 'registry', { name: 'churn', description: Token.asString({ Ref: 'description' }) })).not.toThrow();
    });
  });
});
