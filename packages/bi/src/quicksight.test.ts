import { Validator, errorOf } from '@data-platform/core';
import { AUTHOR_ROLES, QUICKSIGHT_ACTIONS, QUICKSIGHT_NAME_LIMIT, checkPrincipalArns, grants, terraformLiteral } from './quicksight';

const GROUP = 'arn:aws:quicksight:eu-west-1:111111111111:group/default/adp-dev-bi-analysts';

describe('shared QuickSight settings', () => {
  it('keeps names within 128 characters, the QuickSight limit', () => {
    expect(QUICKSIGHT_NAME_LIMIT).toBe(128);
  });

  it('counts AUTHOR, ADMIN and their _PRO variants as authors, not readers', () => {
    expect(AUTHOR_ROLES).toEqual(['AUTHOR', 'ADMIN', 'AUTHOR_PRO', 'ADMIN_PRO']);
  });

  it('grants exactly the documented actions: use, view, view, own', () => {
    expect(QUICKSIGHT_ACTIONS).toEqual({
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
    });
  });

  it('gives viewers no action that changes, deletes or re-shares', () => {
    const viewing = [...QUICKSIGHT_ACTIONS.dataSourceUse, ...QUICKSIGHT_ACTIONS.dataSetViewer, ...QUICKSIGHT_ACTIONS.dashboardViewer];
    expect(viewing.filter((a) => /Update|Delete|Create|Restore/.test(a))).toEqual([]);
  });
});

describe('grants', () => {
  it('gives each principal the actions, in a copy', () => {
    const granted = grants([GROUP, 'arn:aws:quicksight:eu-west-1:111111111111:group/default/b'], QUICKSIGHT_ACTIONS.dashboardViewer);
    expect(granted).toEqual([
      { principal: GROUP, actions: [...QUICKSIGHT_ACTIONS.dashboardViewer] },
      { principal: 'arn:aws:quicksight:eu-west-1:111111111111:group/default/b', actions: [...QUICKSIGHT_ACTIONS.dashboardViewer] },
    ]);
    expect(granted?.[0].actions).not.toBe(QUICKSIGHT_ACTIONS.dashboardViewer);
  });

  it('is no permission block at all for no principals', () => {
    expect(grants([], QUICKSIGHT_ACTIONS.dashboardViewer)).toBeUndefined();
  });
});

describe('terraformLiteral', () => {
  it("escapes QuickSight's ${parameter} and %{ so Terraform reads them literally", () => {
    expect(terraformLiteral("ifelse(${Country} = 'DE', 1, 0)")).toBe("ifelse($${Country} = 'DE', 1, 0)");
    expect(terraformLiteral('LIKE %{x}')).toBe('LIKE %%{x}');
  });

  it('leaves text without them, and cdktf tokens, unchanged', () => {
    expect(terraformLiteral('revenue / orders')).toBe('revenue / orders');
    expect(terraformLiteral('${TfToken[TOKEN.12]}')).toBe('${TfToken[TOKEN.12]}');
  });
});

describe('checkPrincipalArns', () => {
  const check = (arns: string[]) => () => {
    const v = new Validator('Test');
    checkPrincipalArns(v, 'viewers', arns);
    v.throwIfAny();
  };

  it('accepts QuickSight group and user ARNs and references', () => {
    expect(() => check([GROUP, 'arn:aws:quicksight:eu-west-1:111111111111:user/default/alice', '${TfToken[TOKEN.1]}'])()).not.toThrow();
  });

  it('refuses "*", namespaces and IAM principals, and an ARN given twice', () => {
    expect(errorOf(check(['*', 'arn:aws:quicksight:eu-west-1:111111111111:namespace/default', 'arn:aws:iam::111111111111:root', GROUP, GROUP])).message.split('\n')).toEqual([
      'Test: viewers[0] is "*"; use the ARN of a QuickSight group (QuicksightGroups.arn(name)): never "*", a namespace or an IAM principal',
      'Test: viewers[1] is "arn:aws:quicksight:eu-west-1:111111111111:namespace/default"; use the ARN of a QuickSight group (QuicksightGroups.arn(name)): never "*", a namespace or an IAM principal',
      'Test: viewers[2] is "arn:aws:iam::111111111111:root"; use the ARN of a QuickSight group (QuicksightGroups.arn(name)): never "*", a namespace or an IAM principal',
      `Test: viewers[4] is "${GROUP}" again; list each group once`,
    ]);
  });
});
