import { runRule, stackOf } from '../../testing';
import { PERMISSION_BLOCKS, quicksightNoPublicSharing } from './quicksight-no-public-sharing';

const GROUP_ARN = 'arn:aws:quicksight:us-east-1:111111111111:group/default/analysts';
const VIEW = ['quicksight:DescribeDashboard', 'quicksight:ListDashboardVersions', 'quicksight:QueryDashboard'];
const dashboard = (...principals: string[]) =>
  stackOf({ 'aws_quicksight_dashboard.sales': { dashboard_id: 'sales', name: 'Sales', version_description: 'v1', permissions: principals.map((principal) => ({ principal, actions: VIEW })) } });
const FIX = 'grant permissions only to QuickSight group ARNs (aws_quicksight_group) of the personas that may see it';

describe('quicksight-no-public-sharing', () => {
  test('passes a dashboard shared with QuickSight groups and users, by ARN or reference', () => {
    const stack = dashboard(
      GROUP_ARN,
      'arn:${data.aws_partition.current.partition}:quicksight:us-east-1:111111111111:user/default/ana',
      '${aws_quicksight_group.analysts.arn}',
      '${data.terraform_remote_state.cross-stack-reference-input-dev-governance.outputs.cross-stack-output-aws_quicksight_groupstewardsarn}',
    );
    expect(runRule(quicksightNoPublicSharing, stack, 'aws_quicksight_dashboard.sales')).toEqual({ status: 'pass' });
  });

  test('passes a dashboard without grants', () => {
    const stack = stackOf({ 'aws_quicksight_dashboard.sales': { dashboard_id: 'sales', name: 'Sales', version_description: 'v1' } });
    expect(runRule(quicksightNoPublicSharing, stack, 'aws_quicksight_dashboard.sales')).toEqual({ status: 'pass' });
  });

  test('fails a dashboard shared with "*"', () => {
    expect(runRule(quicksightNoPublicSharing, dashboard(GROUP_ARN, '*'), 'aws_quicksight_dashboard.sales')).toEqual({
      status: 'fail',
      message: `shares with principals that are not QuickSight users or groups: "*" (anyone); ${FIX}`,
    });
  });

  test('fails a dashboard shared with a whole namespace and with another account', () => {
    const stack = dashboard('arn:aws:quicksight:us-east-1:111111111111:namespace/default', 'arn:aws:iam::222222222222:root');
    expect(runRule(quicksightNoPublicSharing, stack, 'aws_quicksight_dashboard.sales')).toEqual({
      status: 'fail',
      message: `shares with principals that are not QuickSight users or groups: arn:aws:quicksight:us-east-1:111111111111:namespace/default, arn:aws:iam::222222222222:root; ${FIX}`,
    });
  });

  test('fails a grant to an IAM role referenced in the stack', () => {
    expect(runRule(quicksightNoPublicSharing, dashboard('${aws_iam_role.reader.arn}'), 'aws_quicksight_dashboard.sales')).toEqual({
      status: 'fail',
      message: `shares with principals that are not QuickSight users or groups: \${aws_iam_role.reader.arn}; ${FIX}`,
    });
  });

  test('reads the singular permission block of a data source', () => {
    const stack = stackOf({
      'aws_quicksight_data_source.athena': { data_source_id: 'athena', name: 'Athena', type: 'ATHENA', permission: [{ principal: '*', actions: ['quicksight:DescribeDataSource'] }] },
    });
    expect(PERMISSION_BLOCKS.aws_quicksight_data_source).toBe('permission');
    expect(runRule(quicksightNoPublicSharing, stack, 'aws_quicksight_data_source.athena')).toEqual({
      status: 'fail',
      message: 'shares with principals that are not QuickSight users or groups: "*" (anyone); grant permission only to QuickSight group ARNs (aws_quicksight_group) of the personas that may see it',
    });
  });
});
