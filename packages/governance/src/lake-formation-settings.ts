import { DataResource, ITerraformDependable, TerraformStack, Token } from 'cdktf';
import { Construct, IConstruct } from 'constructs';
import { LakeformationDataLakeSettings } from '@cdktf/provider-aws/lib/lakeformation-data-lake-settings';
import { GOVERNANCE_DEFAULTS, PlatformStack, Validator, arnAccount, suppressRule } from '@data-platform/core';

/** Lake Formation's name for "whoever IAM allows": default permissions for it leave new databases and tables to IAM alone. */
export const IAM_ALLOWED_PRINCIPALS = 'IAM_ALLOWED_PRINCIPALS';

/** Fixed settings of the account's Lake Formation configuration. */
export const LAKE_FORMATION_SETTINGS = {
  /**
   * `CROSS_ACCOUNT_VERSION` set while databases are shared with other accounts: version 4 shares
   * named resources through one AWS RAM share per account pair, shares LF-tag grants too, and is
   * the first version that shares resources still in hybrid access mode. Consumers on any version
   * can accept its shares.
   * @see https://docs.aws.amazon.com/lake-formation/latest/dg/optimize-ram.html
   * @see https://docs.aws.amazon.com/lake-formation/latest/dg/hybrid-access-prerequisites.html
   */
  crossAccountVersion: '4',
  /**
   * The default permission hybrid access keeps for new databases and for new tables: ALL to
   * IAM_ALLOWED_PRINCIPALS, Lake Formation's "use only IAM access control" setting. The only other
   * value Lake Formation accepts is none.
   * @see https://docs.aws.amazon.com/lake-formation/latest/APIReference/API_DataLakeSettings.html
   */
  iamOnlyDefault: { principal: IAM_ALLOWED_PRINCIPALS, permissions: ['ALL'] },
} as const;

/** Defaults of {@link LakeFormationSettingsProps}. */
export const LAKE_FORMATION_SETTINGS_DEFAULTS = {
  readOnlyAdministrators: [] as readonly string[],
  hybridAccess: GOVERNANCE_DEFAULTS.hybridAccess,
  crossAccountSharing: false,
} as const;

/** What `governance.administrators` (and Lake Formation) accept as an administrator: an IAM role. */
const ROLE_ARN_RE = /^arn:aws(-cn|-us-gov)?:iam::\d{12}:role\/[\w+=,.@\-/]{1,64}$/;

/** Props of {@link LakeFormationSettings}. */
export interface LakeFormationSettingsProps {
  /**
   * IAM role ARNs of the data lake administrators besides the deploy role (the environment's
   * `governance.administrators`), all in the environment's account.
   */
  readonly administrators: readonly string[];
  /**
   * IAM role ARNs of read-only data lake administrators, all in the environment's account: they
   * see every catalog resource and every Lake Formation permission and LF-tag, and can change
   * none (e.g. the CI plan role, which reads the grants and the governed catalog to plan).
   * Emptying the list does not remove the last ones: `read_only_admins` is optional and computed,
   * so with none set Terraform keeps what its state holds (remove them in Lake Formation too).
   * @default none (LAKE_FORMATION_SETTINGS_DEFAULTS.readOnlyAdministrators)
   * @see https://docs.aws.amazon.com/lake-formation/latest/dg/permissions-reference.html
   */
  readonly readOnlyAdministrators?: readonly string[];
  /**
   * Keep IAM-only access as the default for new databases and tables (hybrid access), for
   * consumers that still reach the lake through IAM policies alone while they migrate. Unset,
   * Lake Formation alone governs every database and table created from now on. The zone
   * registrations ({@link LakeLocations}) follow this setting.
   * @default false (LAKE_FORMATION_SETTINGS_DEFAULTS.hybridAccess, GOVERNANCE_DEFAULTS.hybridAccess)
   */
  readonly hybridAccess?: boolean;
  /**
   * Databases of this account are shared with other accounts ({@link DatabaseShare}): sets
   * `CROSS_ACCOUNT_VERSION` to {@link LAKE_FORMATION_SETTINGS}.crossAccountVersion.
   * @default false (LAKE_FORMATION_SETTINGS_DEFAULTS.crossAccountSharing)
   */
  readonly crossAccountSharing?: boolean;
}

/**
 * The account's Lake Formation settings (`aws_lakeformation_data_lake_settings`, one per account
 * and region): who administers the data lake, what new databases and tables default to, and the
 * cross-account sharing version.
 *
 * - Administrators: `administrators` plus the environment's deploy role (when it has one),
 *   de-duplicated. The deploy role creates every grant, filter and tag; keeping it an
 *   administrator means a plan can never lock the deployer out of Lake Formation.
 * - Read-only administrators (`read_only_admins`): `readOnlyAdministrators`, de-duplicated, when
 *   there are any.
 * - Defaults for new databases and tables: none, so Lake Formation permissions alone govern what
 *   is created from now on (no IAM_ALLOWED_PRINCIPALS). With `hybridAccess`, both defaults stay
 *   ALL to IAM_ALLOWED_PRINCIPALS ("use only IAM access control"): consumers that still rely on IAM
 *   policies alone (jobs, crawlers, users not yet granted in Lake Formation) keep working while
 *   they are migrated, at the price that Lake Formation does not govern those new resources. The
 *   policy pack's lakeformation-no-iam-allowed-principals rule is suppressed for that case only.
 * - `CROSS_ACCOUNT_VERSION` (see {@link LAKE_FORMATION_SETTINGS}) when `crossAccountSharing`.
 *
 * How the provider (AWS 5.100) removes the IAM-only defaults: its create and update send only the
 * blocks that are set, and an unset `create_*_default_permissions` reaches Lake Formation as null,
 * which the API defines as "Lake Formation permissions". But both blocks are optional and
 * computed: once state holds IAM_ALLOWED_PRINCIPALS (hybrid access, or a console change), leaving
 * them out keeps the state's value, and an empty block sends an entry without a principal, which
 * the API rejects. So a change of mode replaces the settings: `replace_triggered_by` on a
 * `terraform_data` holding the mode destroys them first (the provider's delete writes empty
 * settings) and then creates them in the new mode. In between, no one is administrator; that is
 * harmless, since writing the settings takes IAM permissions only. A console change while the mode
 * stays the same is not reverted by a plan.
 *
 * The defaults apply to databases and tables created after the settings: a database created before
 * keeps the table default it had (IAM_ALLOWED_PRINCIPALS, in a new account), so the settings must
 * be in place before the lake's databases and tables are created.
 *
 * Expose {@link LakeFormationSettings.settings} for `depends_on`: every grant needs the
 * administrators in place first.
 *
 * Pinned addresses (not stateful, a mode change replaces them by design):
 * `aws_lakeformation_data_lake_settings.governance_lake_settings`,
 * `terraform_data.governance_lake_settings_mode`.
 *
 * @see https://docs.aws.amazon.com/lake-formation/latest/dg/change-settings.html
 * @see https://docs.aws.amazon.com/lake-formation/latest/APIReference/API_DataLakeSettings.html
 * @see https://github.com/hashicorp/terraform-provider-aws/issues/27482
 */
export class LakeFormationSettings extends Construct {
  /** The data lake settings resource; grants depend on it. */
  readonly settings: LakeformationDataLakeSettings;
  /** The mode the settings were created in; a change of it replaces {@link LakeFormationSettings.settings}. */
  readonly mode: DataResource;
  /** The administrators set: the deploy role (if any), then `administrators`, each once. */
  readonly administrators: readonly string[];
  /** The read-only administrators set: `readOnlyAdministrators`, each once. */
  readonly readOnlyAdministrators: readonly string[];
  /** Whether new databases and tables default to IAM-only access (hybrid access). */
  readonly hybridAccess: boolean;
  /** Whether databases are shared with other accounts (CROSS_ACCOUNT_VERSION is set). */
  readonly crossAccountSharing: boolean;

  constructor(scope: Construct, id: string, props: LakeFormationSettingsProps) {
    super(scope, id);
    const { env } = PlatformStack.of(this);
    this.hybridAccess = props.hybridAccess ?? LAKE_FORMATION_SETTINGS_DEFAULTS.hybridAccess;
    this.crossAccountSharing = props.crossAccountSharing ?? LAKE_FORMATION_SETTINGS_DEFAULTS.crossAccountSharing;
    this.administrators = [...new Set([...(env.deployRole ? [env.deployRole] : []), ...props.administrators])];
    const readOnly = props.readOnlyAdministrators ?? LAKE_FORMATION_SETTINGS_DEFAULTS.readOnlyAdministrators;
    this.readOnlyAdministrators = [...new Set(readOnly)];

    const v = new Validator(`LakeFormationSettings ${this.node.path}`);
    const checkRoles = (field: string, arns: readonly string[], example: string) => arns.forEach((arn, i) => {
      if (Token.isUnresolved(arn)) return;
      if (!ROLE_ARN_RE.test(arn)) {
        v.add(`${field}[${i}]`, `is ${JSON.stringify(arn)}; use an IAM role ARN, e.g. "arn:aws:iam::${env.account}:role/${example}"`);
      } else if (arnAccount(arn) !== env.account) {
        v.add(`${field}[${i}]`, `is ${JSON.stringify(arn)}, a role of account ${arnAccount(arn)}; use a role of the environment's account, ${env.account} (administrators of another account administer that account's lake)`);
      }
    });
    checkRoles('administrators', props.administrators, 'data-platform-admin');
    checkRoles('readOnlyAdministrators', readOnly, 'data-platform-plan');
    v.check(this.administrators.length > 0, 'administrators',
      `is empty and environment ${env.name} has no deployRole; list at least one IAM role ARN of account ${env.account} (governance.administrators), so someone can grant Lake Formation permissions`);
    v.throwIfAny();

    this.mode = new DataResource(this, 'mode', { input: { defaults: this.hybridAccess ? 'iam-allowed-principals' : 'lake-formation' } });
    this.mode.overrideLogicalId('governance_lake_settings_mode');

    const iamOnly = [{ principal: LAKE_FORMATION_SETTINGS.iamOnlyDefault.principal, permissions: [...LAKE_FORMATION_SETTINGS.iamOnlyDefault.permissions] }];
    this.settings = new LakeformationDataLakeSettings(this, 'settings', {
      admins: [...this.administrators],
      readOnlyAdmins: this.readOnlyAdministrators.length > 0 ? [...this.readOnlyAdministrators] : undefined,
      createDatabaseDefaultPermissions: this.hybridAccess ? iamOnly : undefined,
      createTableDefaultPermissions: this.hybridAccess ? iamOnly : undefined,
      parameters: this.crossAccountSharing ? { CROSS_ACCOUNT_VERSION: LAKE_FORMATION_SETTINGS.crossAccountVersion } : undefined,
      // The address as text: cdktf 0.21 renders a resource given here as "${...}", which Terraform rejects.
      lifecycle: { replaceTriggeredBy: [`${this.mode.terraformResourceType}.${this.mode.friendlyUniqueId}`] },
    });
    this.settings.overrideLogicalId('governance_lake_settings');

    if (this.hybridAccess) {
      suppressRule(this.settings, 'lakeformation-no-iam-allowed-principals',
        'governance.hybridAccess is on: new databases and tables keep IAM-only access on purpose, so consumers not yet granted in Lake Formation keep working while they migrate');
    }
  }

  /**
   * What a grant in `scope` depends on to be made after the administrators are set: the settings,
   * when they are in the same stack. In another stack (the app puts them in the lake's stack,
   * before its databases) the order is the stacks' own, and Terraform cannot depend on a resource
   * of another state.
   */
  after(scope: IConstruct): ITerraformDependable[] {
    return TerraformStack.of(scope) === TerraformStack.of(this) ? [this.settings] : [];
  }
}
