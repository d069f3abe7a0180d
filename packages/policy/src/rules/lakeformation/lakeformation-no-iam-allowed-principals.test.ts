import { runRule, stackOf } from '../../testing';
import { lakeformationNoIamAllowedPrincipals as rule } from './lakeformation-no-iam-allowed-principals';

const grant = (principal: string) =>
  stackOf({ 'aws_lakeformation_permissions.raw': { principal, permissions: ['DESCRIBE', 'SELECT'], table: [{ database_name: 'raw', wildcard: true }] } });
const settings = (config: Record<string, unknown>) => stackOf({ 'aws_lakeformation_data_lake_settings.lake': { admins: ['${aws_iam_role.lf_admin.arn}'], ...config } });
const database = (config: Record<string, unknown>) => stackOf({ 'aws_glue_catalog_database.lake_raw_database': { name: 'raw', ...config } });
const iamAllowed = [{ principal: 'IAM_ALLOWED_PRINCIPALS', permissions: ['ALL'] }];

describe('lakeformation-no-iam-allowed-principals', () => {
  test('passes a grant to a persona role', () => {
    expect(runRule(rule, grant('${aws_iam_role.analyst.arn}'), 'aws_lakeformation_permissions.raw')).toEqual({ status: 'pass' });
  });

  test('fails a grant to IAM_ALLOWED_PRINCIPALS', () => {
    expect(runRule(rule, grant('IAM_ALLOWED_PRINCIPALS'), 'aws_lakeformation_permissions.raw')).toEqual({
      status: 'fail',
      message: 'grants DESCRIBE, SELECT to IAM_ALLOWED_PRINCIPALS (IAM-only access control); grant to the persona roles or LF-tag expressions that need it instead',
    });
  });

  test('passes data lake settings without IAM-only defaults', () => {
    expect(runRule(rule, settings({}), 'aws_lakeformation_data_lake_settings.lake')).toEqual({ status: 'pass' });
    expect(runRule(rule, settings({ create_database_default_permissions: [], create_table_default_permissions: [] }), 'aws_lakeformation_data_lake_settings.lake')).toEqual({
      status: 'pass',
    });
  });

  test('fails data lake settings that keep IAM_ALLOWED_PRINCIPALS as the default for new tables', () => {
    expect(runRule(rule, settings({ create_table_default_permissions: iamAllowed }), 'aws_lakeformation_data_lake_settings.lake')).toEqual({
      status: 'fail',
      message:
        'gives IAM_ALLOWED_PRINCIPALS default permissions on new databases or tables (create_table_default_permissions), so they are governed by IAM only; remove those entries so new resources use Lake Formation permissions',
    });
  });

  test('fails data lake settings that keep both IAM-only defaults', () => {
    const stack = settings({ create_database_default_permissions: iamAllowed, create_table_default_permissions: iamAllowed });
    expect(runRule(rule, stack, 'aws_lakeformation_data_lake_settings.lake')).toEqual({
      status: 'fail',
      message:
        'gives IAM_ALLOWED_PRINCIPALS default permissions on new databases or tables (create_database_default_permissions, create_table_default_permissions), so they are governed by IAM only; remove those entries so new resources use Lake Formation permissions',
    });
  });

  test('fails a database whose new tables default to IAM_ALLOWED_PRINCIPALS', () => {
    const stack = database({ create_table_default_permission: [{ permissions: ['ALL'], principal: [{ data_lake_principal_identifier: 'IAM_ALLOWED_PRINCIPALS' }] }] });
    expect(runRule(rule, stack, 'aws_glue_catalog_database.lake_raw_database')).toEqual({
      status: 'fail',
      message:
        'gives IAM_ALLOWED_PRINCIPALS default permissions on new tables (create_table_default_permission), so they are governed by IAM only; remove create_table_default_permission so the Lake Formation default applies',
    });
  });

  test('passes a database whose table defaults name another principal', () => {
    const stack = database({ create_table_default_permission: [{ permissions: ['SELECT'], principal: [{ data_lake_principal_identifier: '${aws_iam_role.steward.arn}' }] }] });
    expect(runRule(rule, stack, 'aws_glue_catalog_database.lake_raw_database')).toEqual({ status: 'pass' });
  });

  test('does not apply to a database that leaves table defaults to the account setting', () => {
    expect(runRule(rule, database({}), 'aws_glue_catalog_database.lake_raw_database')).toEqual({
      status: 'not-applicable',
      reason: 'it sets no create_table_default_permission, so the account default from the data lake settings applies',
    });
  });
});
