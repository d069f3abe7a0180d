import { runRule, stackOf } from '../../testing';
import { sagemakerVpc } from './sagemaker-vpc';

const model = (config: Record<string, unknown>) =>
  stackOf({ 'aws_sagemaker_model.churn': { execution_role_arn: 'r', primary_container: [{ image: 'img', model_data_url: 's3://curated/model.tar.gz' }], ...config } });

describe('sagemaker-vpc', () => {
  test('passes a model in our VPC', () => {
    expect(runRule(sagemakerVpc, model({ vpc_config: [{ subnets: ['subnet-1'], security_group_ids: ['sg-1'] }] }), 'aws_sagemaker_model.churn')).toEqual({ status: 'pass' });
  });

  test('passes a network-isolated model without a VPC', () => {
    expect(runRule(sagemakerVpc, model({ enable_network_isolation: true }), 'aws_sagemaker_model.churn')).toEqual({ status: 'pass' });
  });

  test('fails a model without vpc_config that is not network-isolated', () => {
    expect(runRule(sagemakerVpc, model({}), 'aws_sagemaker_model.churn')).toEqual({
      status: 'fail',
      message:
        "has no vpc_config (its containers use SageMaker-managed networking) and is not network-isolated; set vpc_config with the platform's private subnets and a security group, or enable_network_isolation = true",
    });
  });

  test('passes a notebook instance in a subnet of ours', () => {
    const stack = stackOf({ 'aws_sagemaker_notebook_instance.lab': { name: 'lab', instance_type: 'ml.t3.medium', role_arn: 'r', subnet_id: 'subnet-1', security_groups: ['sg-1'] } });
    expect(runRule(sagemakerVpc, stack, 'aws_sagemaker_notebook_instance.lab')).toEqual({ status: 'pass' });
  });

  test('fails a notebook instance without subnet_id', () => {
    const stack = stackOf({ 'aws_sagemaker_notebook_instance.lab': { name: 'lab', instance_type: 'ml.t3.medium', role_arn: 'r' } });
    expect(runRule(sagemakerVpc, stack, 'aws_sagemaker_notebook_instance.lab')).toEqual({
      status: 'fail',
      message: 'has no subnet_id (it runs in a SageMaker-managed network); set subnet_id to a private subnet of ours, with security_groups',
    });
  });

  test('passes a domain with its VPC and subnets', () => {
    const stack = stackOf({ 'aws_sagemaker_domain.studio': { domain_name: 'studio', auth_mode: 'IAM', vpc_id: '${aws_vpc.ml.id}', subnet_ids: ['${aws_subnet.a.id}'] } });
    expect(runRule(sagemakerVpc, stack, 'aws_sagemaker_domain.studio')).toEqual({ status: 'pass' });
  });

  test('fails a domain with no subnets', () => {
    const stack = stackOf({ 'aws_sagemaker_domain.studio': { domain_name: 'studio', auth_mode: 'IAM', vpc_id: 'vpc-1', subnet_ids: [] } });
    expect(runRule(sagemakerVpc, stack, 'aws_sagemaker_domain.studio')).toEqual({
      status: 'fail',
      message: "has no subnet_ids; set vpc_id and subnet_ids to the platform's VPC and private subnets",
    });
  });
});
