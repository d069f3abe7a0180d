import { Rule, fail, pass } from '../../rule';
import { block, isTrue } from '../../stack-view';

/**
 * A workgroup's settings (result location, encryption, scan limit) override what clients ask
 * for. Inside a `configuration` block the provider defaults `enforce_workgroup_configuration` to
 * true (`Default: true` in the AWS provider's schema), so only an explicit false fails there;
 * without the block the provider sends no configuration at all, so nothing is enforced.
 * @see https://docs.aws.amazon.com/athena/latest/ug/workgroups-settings-override.html
 */
export const athenaWorkgroupEnforced: Rule = {
  id: 'athena-workgroup-enforced',
  severity: 'medium',
  resourceTypes: ['aws_athena_workgroup'],
  description: 'An Athena workgroup has a configuration block whose enforce_workgroup_configuration is true (the provider default there).',
  rationale:
    'If clients may override the workgroup, any query can write its results unencrypted to a location of its choosing and ignore the scan limit, undoing the other Athena rules.',
  check(workgroup) {
    const configuration = block(workgroup.config.configuration);
    if (!configuration) {
      return fail('has no configuration block, so clients choose their own result location and encryption; add configuration with enforce_workgroup_configuration true');
    }
    const enforced = configuration.enforce_workgroup_configuration;
    if (enforced !== undefined && !isTrue(enforced)) {
      return fail(`lets clients override its settings (enforce_workgroup_configuration ${String(enforced)}); set enforce_workgroup_configuration to true`);
    }
    return pass();
  },
};
