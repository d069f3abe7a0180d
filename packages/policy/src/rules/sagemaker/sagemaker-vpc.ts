import { Rule, fail, pass } from '../../rule';
import { block, isTrue } from '../../stack-view';

const nonEmpty = (v: unknown) => (Array.isArray(v) ? v.length > 0 : Boolean(v));

/**
 * SageMaker compute runs in our VPC: a model has `vpc_config` with subnets (or runs
 * network-isolated, with no network at all), a notebook instance has a `subnet_id`, and a domain
 * names its `vpc_id` and `subnet_ids`.
 */
export const sagemakerVpc: Rule = {
  id: 'sagemaker-vpc',
  severity: 'medium',
  resourceTypes: ['aws_sagemaker_model', 'aws_sagemaker_notebook_instance', 'aws_sagemaker_domain'],
  description: 'SageMaker models, notebook instances and domains run in our VPC (models may instead be network-isolated).',
  rationale:
    'Outside our VPC, containers and notebooks reach S3 and the internet over SageMaker-managed networking that our security groups, VPC endpoint policies and flow logs do not cover.',
  check(resource) {
    const c = resource.config;
    if (resource.type === 'aws_sagemaker_model') {
      // Network isolation gives the container no network at all, which is stricter than a VPC.
      if (isTrue(c.enable_network_isolation)) return pass();
      const vpc = block(c.vpc_config);
      if (nonEmpty(vpc?.subnets)) return pass();
      return fail('has no vpc_config (its containers use SageMaker-managed networking) and is not network-isolated; set vpc_config with the platform\'s private subnets and a security group, or enable_network_isolation = true');
    }
    if (resource.type === 'aws_sagemaker_notebook_instance') {
      if (c.subnet_id) return pass();
      return fail('has no subnet_id (it runs in a SageMaker-managed network); set subnet_id to a private subnet of ours, with security_groups');
    }
    const missing = [...(c.vpc_id ? [] : ['vpc_id']), ...(nonEmpty(c.subnet_ids) ? [] : ['subnet_ids'])];
    if (missing.length === 0) return pass();
    return fail(`has no ${missing.join(' and no ')}; set vpc_id and subnet_ids to the platform's VPC and private subnets`);
  },
};
