import { Rule, fail, pass } from '../../rule';

/**
 * Notebooks and Studio reach the internet only through our VPC: a notebook instance has
 * `direct_internet_access = "Disabled"` and a domain `app_network_access_type = "VpcOnly"`
 * (both default to the open setting).
 */
export const sagemakerNoDirectInternet: Rule = {
  id: 'sagemaker-no-direct-internet',
  severity: 'high',
  resourceTypes: ['aws_sagemaker_notebook_instance', 'aws_sagemaker_domain'],
  description: 'Notebook instances disable direct internet access and Studio domains are VpcOnly.',
  rationale:
    'With direct internet access a notebook or Studio app can send lake data anywhere, bypassing the VPC endpoints, security groups and flow logs that control and record where data goes.',
  check(resource) {
    if (resource.type === 'aws_sagemaker_notebook_instance') {
      const access = resource.config.direct_internet_access;
      if (access === 'Disabled') return pass();
      return fail(
        `has direct internet access (direct_internet_access ${access === undefined ? 'unset, which defaults to Enabled' : `"${String(access)}"`}); set direct_internet_access = "Disabled" (with a subnet_id: its traffic then goes through our VPC)`,
      );
    }
    const type = resource.config.app_network_access_type;
    if (type === 'VpcOnly') return pass();
    return fail(
      `lets Studio apps reach the internet directly (app_network_access_type ${type === undefined ? 'unset, which defaults to PublicInternetOnly' : `"${String(type)}"`}); set app_network_access_type = "VpcOnly"`,
    );
  },
};
