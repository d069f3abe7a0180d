import { runRule, stackOf } from '../../testing';
import { sagemakerNoDirectInternet } from './sagemaker-no-direct-internet';

const notebook = (config: Record<string, unknown>) =>
  stackOf({ 'aws_sagemaker_notebook_instance.lab': { name: 'lab', instance_type: 'ml.t3.medium', role_arn: 'r', subnet_id: 'subnet-1', security_groups: ['sg-1'], ...config } });
const domain = (config: Record<string, unknown>) =>
  stackOf({ 'aws_sagemaker_domain.studio': { domain_name: 'studio', auth_mode: 'IAM', vpc_id: 'vpc-1', subnet_ids: ['subnet-1'], ...config } });

describe('sagemaker-no-direct-internet', () => {
  test('passes a notebook instance with direct internet access disabled', () => {
    expect(runRule(sagemakerNoDirectInternet, notebook({ direct_internet_access: 'Disabled' }), 'aws_sagemaker_notebook_instance.lab')).toEqual({ status: 'pass' });
  });

  test('fails a notebook instance that leaves direct internet access at its default', () => {
    expect(runRule(sagemakerNoDirectInternet, notebook({}), 'aws_sagemaker_notebook_instance.lab')).toEqual({
      status: 'fail',
      message: 'has direct internet access (direct_internet_access unset, which defaults to Enabled); set direct_internet_access = "Disabled" (with a subnet_id: its traffic then goes through our VPC)',
    });
  });

  test('fails a notebook instance with direct internet access enabled', () => {
    expect(runRule(sagemakerNoDirectInternet, notebook({ direct_internet_access: 'Enabled' }), 'aws_sagemaker_notebook_instance.lab')).toEqual({
      status: 'fail',
      message: 'has direct internet access (direct_internet_access "Enabled"); set direct_internet_access = "Disabled" (with a subnet_id: its traffic then goes through our VPC)',
    });
  });

  test('passes a VpcOnly domain', () => {
    expect(runRule(sagemakerNoDirectInternet, domain({ app_network_access_type: 'VpcOnly' }), 'aws_sagemaker_domain.studio')).toEqual({ status: 'pass' });
  });

  test('fails a domain that leaves app_network_access_type at PublicInternetOnly', () => {
    expect(runRule(sagemakerNoDirectInternet, domain({}), 'aws_sagemaker_domain.studio')).toEqual({
      status: 'fail',
      message: 'lets Studio apps reach the internet directly (app_network_access_type unset, which defaults to PublicInternetOnly); set app_network_access_type = "VpcOnly"',
    });
    expect(runRule(sagemakerNoDirectInternet, domain({ app_network_access_type: 'PublicInternetOnly' }), 'aws_sagemaker_domain.studio')).toEqual({
      status: 'fail',
      message: 'lets Studio apps reach the internet directly (app_network_access_type "PublicInternetOnly"); set app_network_access_type = "VpcOnly"',
    });
  });
});
