import { Token } from 'cdktf';
import { QUICKSIGHT_ROLES, Validator, describeValue } from '@data-platform/core';

/**
 * What the bi constructs share: QuickSight's name limit, the permission actions each kind of
 * grant gives, which roles author, and how literal text reaches Terraform unchanged.
 */

/**
 * Longest name QuickSight accepts for a data source, dataset, VPC connection or analysis (128); the
 * platform keeps group names and every id within it too, so one limit covers the layer.
 * @see https://docs.aws.amazon.com/quicksight/latest/APIReference/API_CreateDataSet.html
 * @see https://docs.aws.amazon.com/quicksight/latest/APIReference/API_CreateVPCConnection.html
 */
export const QUICKSIGHT_NAME_LIMIT = 128;

/** A QuickSight role (`bi.groups.<name>.role`). */
export type QuicksightRole = (typeof QUICKSIGHT_ROLES)[number];

/** Roles whose members create analyses and datasets: they may use the data source and own analyses. */
export const AUTHOR_ROLES: readonly QuicksightRole[] = ['AUTHOR', 'ADMIN', 'AUTHOR_PRO', 'ADMIN_PRO'];

/**
 * The QuickSight permission actions each grant of the layer gives a group, and nothing else:
 *
 * - `dataSourceUse`: see the data source and create datasets from it (what the console calls
 *   "user" of a data source); not update, delete or re-share it.
 * - `dataSetViewer`: see the dataset, its refreshes and use it in analyses (console "viewer");
 *   not edit, refresh, delete or re-share it.
 * - `dashboardViewer`: open and query the dashboard (console "viewer").
 * - `analysisOwner`: everything on the analysis (console "owner"): edit, share, delete, restore.
 *
 * @see https://docs.aws.amazon.com/quicksight/latest/APIReference/API_ResourcePermission.html
 * @see https://docs.aws.amazon.com/quicksight/latest/developerguide/dashboard-permissions.html
 */
export const QUICKSIGHT_ACTIONS = {
  dataSourceUse: ['quicksight:DescribeDataSource', 'quicksight:DescribeDataSourcePermissions', 'quicksight:PassDataSource'],
  dataSetViewer: [
    'quicksight:DescribeDataSet',
    'quicksight:DescribeDataSetPermissions',
    'quicksight:PassDataSet',
    'quicksight:DescribeIngestion',
    'quicksight:ListIngestions',
  ],
  dashboardViewer: ['quicksight:DescribeDashboard', 'quicksight:ListDashboardVersions', 'quicksight:QueryDashboard'],
  analysisOwner: [
    'quicksight:RestoreAnalysis',
    'quicksight:UpdateAnalysisPermissions',
    'quicksight:DeleteAnalysis',
    'quicksight:DescribeAnalysisPermissions',
    'quicksight:QueryAnalysis',
    'quicksight:DescribeAnalysis',
    'quicksight:UpdateAnalysis',
  ],
} as const;

/**
 * One QuickSight permission per principal, each with `actions`; undefined (no permission block
 * at all) for no principals.
 */
export function grants(principals: readonly string[], actions: readonly string[]): Array<{ principal: string; actions: string[] }> | undefined {
  return principals.length > 0 ? principals.map((principal) => ({ principal, actions: [...actions] })) : undefined;
}

/** A QuickSight group or user ARN; the policy pack accepts no other principal. */
const PRINCIPAL_ARN_RE = /^arn:aws(-cn|-us-gov)?:quicksight:[a-z0-9-]+:\d{12}:(group|user)\/[^/]+\/.+$/;

/**
 * Records a problem on `v` for each literal entry of `arns` (at `path[i]`) that is not a
 * QuickSight group or user ARN, and for each ARN given twice; references are skipped.
 */
export function checkPrincipalArns(v: Validator, path: string, arns: readonly string[]): void {
  arns.forEach((arn, i) => {
    if (Token.isUnresolved(arn)) return;
    if (!PRINCIPAL_ARN_RE.test(arn)) {
      v.add(`${path}[${i}]`, `is ${describeValue(arn)}; use the ARN of a QuickSight group (QuicksightGroups.arn(name)): never "*", a namespace or an IAM principal`);
    } else if (arns.indexOf(arn) !== i) {
      v.add(`${path}[${i}]`, `is ${describeValue(arn)} again; list each group once`);
    }
  });
}

/**
 * `text` as Terraform reads it literally: `${` and `%{` (QuickSight's parameter syntax, e.g.
 * `${Country}`) would otherwise start a Terraform interpolation or directive in the JSON.
 * cdktf tokens in the text (`${TfToken[...]}`, references) are left for cdktf to resolve.
 * @see https://developer.hashicorp.com/terraform/language/expressions/strings#escape-sequences
 */
export function terraformLiteral(text: string): string {
  // Replacer functions: in a replacement string "$$" would itself mean one "$".
  return text.replace(/\$\{(?!TfToken\[)/g, () => '$${').replace(/%\{/g, () => '%%{');
}
