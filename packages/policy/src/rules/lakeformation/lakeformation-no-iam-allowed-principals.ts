import { ResourceView, Rule, fail, notApplicable, pass } from '../../rule';
import { block, blocks } from '../../stack-view';

/** Lake Formation's name for "whoever IAM allows": a grant to it turns Lake Formation off for what it covers. */
export const IAM_ALLOWED_PRINCIPALS = 'IAM_ALLOWED_PRINCIPALS';

/**
 * Nothing grants to IAM_ALLOWED_PRINCIPALS: no `aws_lakeformation_permissions` for it, no default
 * permission for it in `aws_lakeformation_data_lake_settings` (create_database_default_permissions,
 * create_table_default_permissions) or in a catalog database's create_table_default_permission.
 *
 * A database without create_table_default_permission is not concerned: the account default, which
 * governance sets in the data lake settings (and this rule checks there), applies to it.
 */
export const lakeformationNoIamAllowedPrincipals: Rule = {
  id: 'lakeformation-no-iam-allowed-principals',
  severity: 'high',
  resourceTypes: ['aws_lakeformation_permissions', 'aws_lakeformation_data_lake_settings', 'aws_glue_catalog_database'],
  description: 'No Lake Formation grant or default permission names IAM_ALLOWED_PRINCIPALS.',
  rationale:
    'A grant to IAM_ALLOWED_PRINCIPALS hands access control for the catalog resource back to IAM alone: every principal whose IAM policy allows glue:GetTable and s3:GetObject reads it, bypassing LF-tags, column filters and row filters.',
  check(resource) {
    switch (resource.type) {
      case 'aws_lakeformation_permissions':
        if (resource.config.principal !== IAM_ALLOWED_PRINCIPALS) return pass();
        return fail(`grants ${permissionList(resource)} to IAM_ALLOWED_PRINCIPALS (IAM-only access control); grant to the persona roles or LF-tag expressions that need it instead`);
      case 'aws_lakeformation_data_lake_settings': {
        const defaults = ['create_database_default_permissions', 'create_table_default_permissions'].filter((name) =>
          blocks(resource.config[name]).some((p) => p.principal === IAM_ALLOWED_PRINCIPALS),
        );
        if (defaults.length === 0) return pass();
        return fail(
          `gives IAM_ALLOWED_PRINCIPALS default permissions on new databases or tables (${defaults.join(', ')}), so they are governed by IAM only; remove those entries so new resources use Lake Formation permissions`,
        );
      }
      default: {
        const defaults = blocks(resource.config.create_table_default_permission);
        if (defaults.length === 0) {
          return notApplicable('it sets no create_table_default_permission, so the account default from the data lake settings applies');
        }
        if (!defaults.some((p) => block(p.principal)?.data_lake_principal_identifier === IAM_ALLOWED_PRINCIPALS)) return pass();
        return fail(
          'gives IAM_ALLOWED_PRINCIPALS default permissions on new tables (create_table_default_permission), so they are governed by IAM only; remove create_table_default_permission so the Lake Formation default applies',
        );
      }
    }
  },
};

function permissionList(resource: ResourceView): string {
  const permissions = resource.config.permissions;
  return Array.isArray(permissions) && permissions.length > 0 ? permissions.map(String).join(', ') : 'permissions';
}
