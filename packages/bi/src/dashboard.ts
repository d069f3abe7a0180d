import { createHash } from 'node:crypto';
import { Token } from 'cdktf';
import { Construct } from 'constructs';
import { QuicksightAnalysis } from '@cdktf/provider-aws/lib/quicksight-analysis';
import { QuicksightDashboard } from '@cdktf/provider-aws/lib/quicksight-dashboard';
import { DATASET_NAME_FIX, DATASET_NAME_RE, PlatformStack, Validator, describeValue } from '@data-platform/core';
import { BiDataset } from './dataset';
import { ApiDefinition, DEFINITIONS_DIR, definitionReferences, readDefinition, toProviderDefinition } from './definition';
import { QuicksightGroups } from './groups';
import { QUICKSIGHT_ACTIONS, QUICKSIGHT_NAME_LIMIT, checkPrincipalArns, grants } from './quicksight';

/**
 * Fixed settings of every {@link Dashboard}: not configurable, asserted by tests so these docs
 * and the code cannot drift.
 */
export const DASHBOARD_SETTINGS = {
  /** Days a deleted analysis can be restored (QuickSight's maximum, 7 to 30). */
  recoveryWindowDays: 30,
  /**
   * What viewers may do on the published dashboard: filter it themselves (ad hoc filtering),
   * export a visual's data to CSV through the visual menu (data they already see), but not the
   * fields the authors hid; sheet controls start expanded.
   */
  publishOptions: {
    adHocFiltering: 'ENABLED',
    exportToCsv: 'ENABLED',
    exportWithHiddenFields: 'DISABLED',
    visualMenu: 'ENABLED',
    sheetControls: 'EXPANDED',
  },
} as const;

/** Props of {@link Dashboard}. */
export interface DashboardProps {
  /** Dashboard name (its key in `bi.dashboards`): part of the analysis' and dashboard's ids. */
  readonly name: string;
  /** File name of the definition in {@link DashboardProps.dir}, e.g. `revenue.json` (`bi.dashboards.<name>.definition`). */
  readonly definition: string;
  /**
   * The datasets the definition uses (`bi.dashboards.<name>.datasets`): each is bound to the
   * declaration whose `Identifier` is its name, and the definition must declare exactly these.
   */
  readonly datasets: readonly BiDataset[];
  /** The layer's groups: those whose role authors ({@link QuicksightGroups.authorArns}) own the analysis. */
  readonly groups: QuicksightGroups;
  /**
   * ARNs of the groups the dashboard is shared with (`bi.dashboards.<name>.groups`, resolved with
   * {@link QuicksightGroups.arnsOf}): {@link QUICKSIGHT_ACTIONS}.dashboardViewer each. At least one.
   */
  readonly viewers: readonly string[];
  /**
   * Folder the definition is read from.
   * @default DEFINITIONS_DIR (packages/bi/definitions)
   */
  readonly dir?: string;
}

/**
 * An analysis and the dashboard published from the same definition, a JSON file in
 * `packages/bi/definitions/` in the QuickSight API's form (see {@link toProviderDefinition}).
 *
 * - The analysis is owned by the authors' groups ({@link QUICKSIGHT_ACTIONS}.analysisOwner), who
 *   can change it in the console and export it back into the repository; a deleted analysis can
 *   be restored for {@link DASHBOARD_SETTINGS}.recoveryWindowDays days.
 * - The dashboard is shared with `viewers` only ({@link QUICKSIGHT_ACTIONS}.dashboardViewer):
 *   never with a namespace, an account or the public, and nobody may edit or re-share it outside
 *   Terraform. Viewers may filter ad hoc and export visible data to CSV, not hidden fields
 *   ({@link DASHBOARD_SETTINGS}.publishOptions).
 * - Each dataset identifier of the definition is bound to the ARN of the dataset of that name;
 *   the definition must declare exactly the datasets passed, use only those it declares and read
 *   only their columns and calculated fields (the dataset's and the analysis' own).
 * - The dashboard's version description carries the definition file's name and the hash of its
 *   JSON ({@link Dashboard.definitionHash}), so each published version names the definition it came from.
 *
 * Both are rebuilt from the repository, so neither is stateful and none has a pinned address.
 *
 * @see https://docs.aws.amazon.com/quicksight/latest/APIReference/API_DescribeAnalysisDefinition.html
 * @see https://registry.terraform.io/providers/hashicorp/aws/5.100.0/docs/resources/quicksight_dashboard
 */
export class Dashboard extends Construct {
  /** The analysis (owned by the authors). */
  readonly analysis: QuicksightAnalysis;
  /** The published dashboard (viewed by the viewers). */
  readonly dashboard: QuicksightDashboard;
  /** ARN of the dashboard. */
  readonly arn: string;
  /** The dashboard's (and the analysis') id, `<project>-<env>-bi-<name>`. */
  readonly dashboardId: string;
  /** First 12 hex digits of the sha256 of the definition's JSON, as parsed (reformatting the file changes nothing). */
  readonly definitionHash: string;

  constructor(scope: Construct, id: string, props: DashboardProps) {
    super(scope, id);
    const v = new Validator(`Dashboard ${this.node.path}`);
    const dir = props.dir ?? DEFINITIONS_DIR;
    const read = checkDashboardProps(v, props, dir);
    v.throwIfAny();

    const stack = PlatformStack.of(this);
    const account = stack.env.account;
    const arns = Object.fromEntries(props.datasets.map((dataset) => [dataset.name, dataset.arn]));
    const { definition } = toProviderDefinition(read.definition, arns);
    const dashboardId = stack.resourceName('bi', props.name, { maxLength: QUICKSIGHT_NAME_LIMIT });
    this.definitionHash = read.hash;

    this.analysis = new QuicksightAnalysis(this, 'analysis', {
      awsAccountId: account,
      analysisId: dashboardId,
      name: dashboardId,
      definition,
      recoveryWindowInDays: DASHBOARD_SETTINGS.recoveryWindowDays,
      permissions: grants(props.groups.authorArns, QUICKSIGHT_ACTIONS.analysisOwner),
    });

    const options = DASHBOARD_SETTINGS.publishOptions;
    this.dashboard = new QuicksightDashboard(this, 'dashboard', {
      awsAccountId: account,
      dashboardId,
      name: dashboardId,
      versionDescription: `${props.definition} sha256:${read.hash}`,
      definition,
      permissions: grants(props.viewers, QUICKSIGHT_ACTIONS.dashboardViewer),
      dashboardPublishOptions: {
        adHocFilteringOption: { availabilityStatus: options.adHocFiltering },
        exportToCsvOption: { availabilityStatus: options.exportToCsv },
        exportWithHiddenFieldsOption: { availabilityStatus: options.exportWithHiddenFields },
        visualMenuOption: { availabilityStatus: options.visualMenu },
        sheetControlsOption: { visibilityState: options.sheetControls },
      },
    });
    this.arn = this.dashboard.arn;
    this.dashboardId = this.dashboard.dashboardId;
  }
}

/**
 * Records problems with the props of a {@link Dashboard} and its definition file on `v`.
 * @returns the parsed definition and its hash (meaningful only when `v` recorded nothing)
 */
function checkDashboardProps(v: Validator, props: DashboardProps, dir: string): { definition: ApiDefinition; hash: string } {
  const { name, datasets, viewers } = props;
  if (!Token.isUnresolved(name)) v.check(DATASET_NAME_RE.test(name), 'name', `is ${describeValue(name)}; ${DATASET_NAME_FIX}`);
  v.check(viewers.length > 0, 'viewers', 'is empty; share the dashboard with at least one group (dashboards are shared by group, never publicly)');
  checkPrincipalArns(v, 'viewers', viewers);
  v.check(datasets.length > 0, 'datasets', 'is empty; pass the datasets the definition declares');
  const names = datasets.map((d) => d.name);
  names.forEach((dataset, i) => {
    if (names.indexOf(dataset) !== i) v.add(`datasets[${i}]`, `is the dataset ${describeValue(dataset)} again; pass each dataset once`);
  });

  const file = props.definition;
  const read = readDefinition(file, dir);
  for (const p of read.problems) v.add(p.path, p.message);
  if (!read.definition) return { definition: {}, hash: '' };
  const at = (path: string) => `${file} ${path}`;
  for (const p of toProviderDefinition(read.definition, {}).problems) v.add(at(p.path), p.message);

  const refs = definitionReferences(read.definition);
  const passed = names.length > 0 ? names.join(', ') : 'none';
  refs.declared.forEach((identifier, i) => {
    const path = at(`DataSetIdentifierDeclarations[${i}].Identifier`);
    if (refs.declared.indexOf(identifier) !== i) v.add(path, `is ${describeValue(identifier)} again; declare each dataset once`);
    else if (!names.includes(identifier)) v.add(path, `is ${describeValue(identifier)}, which is not among the datasets passed (${passed}); pass that dataset (bi.dashboards.${name}.datasets) or fix the identifier`);
  });
  names.forEach((dataset, i) => {
    if (names.indexOf(dataset) === i && !refs.declared.includes(dataset)) {
      v.add(`datasets[${i}]`, `is the dataset ${describeValue(dataset)}, which ${file} does not declare; declare { "Identifier": ${JSON.stringify(dataset)} } in DataSetIdentifierDeclarations or remove the dataset`);
    }
  });
  const declaredNames = refs.declared.length > 0 ? refs.declared.join(', ') : 'none';
  for (const { identifier, path } of refs.identifiers) {
    if (!refs.declared.includes(identifier)) v.add(at(path), `is ${describeValue(identifier)}, which is not declared (declared: ${declaredNames}); use a declared identifier or declare it`);
  }
  const fields = Object.fromEntries(datasets.map((d) => [d.name, [...d.columns, ...(refs.calculatedFields[d.name] ?? [])]]));
  for (const { identifier, column, path } of refs.columns) {
    const known = fields[identifier];
    if (known && !known.includes(column)) {
      v.add(at(path), `is ${describeValue(column)}, which is not a field of the dataset ${describeValue(identifier)} (fields: ${known.join(', ')}); use one of them or add it to the dataset`);
    }
  }
  return { definition: read.definition, hash: createHash('sha256').update(JSON.stringify(read.definition)).digest('hex').slice(0, 12) };
}
