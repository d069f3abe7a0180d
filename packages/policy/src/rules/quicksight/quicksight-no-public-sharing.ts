import { Rule, fail, pass } from '../../rule';
import { ReferenceTargets, blocks, referencedAttribute } from '../../stack-view';

/**
 * QuickSight assets and the block their grants are in, in AWS provider 5.100 (data sources call it
 * `permission`, the others `permissions`).
 */
export const PERMISSION_BLOCKS: Readonly<Record<string, string>> = {
  aws_quicksight_analysis: 'permissions',
  aws_quicksight_dashboard: 'permissions',
  aws_quicksight_data_set: 'permissions',
  aws_quicksight_data_source: 'permission',
  aws_quicksight_folder: 'permissions',
  aws_quicksight_template: 'permissions',
  aws_quicksight_theme: 'permissions',
};

/** A QuickSight user or group ARN (any segment may be a `${...}` expression without a colon). */
const USER_OR_GROUP_ARN = /^arn:[^:]+:quicksight:[^:]*:[^:]*:(user|group)\/.+/;
/** QuickSight users and groups, referenced in this stack or passed from another through cdktf's remote state. */
const USERS_AND_GROUPS: ReferenceTargets = { types: ['aws_quicksight_user', 'aws_quicksight_group'], attributes: ['arn'] };

/** True for the ARN of a QuickSight user or group, written out or referenced. */
const isUserOrGroup = (principal: unknown): boolean =>
  typeof principal === 'string' && (USER_OR_GROUP_ARN.test(principal) || referencedAttribute(principal, USERS_AND_GROUPS)?.attribute === 'arn');

/**
 * QuickSight analyses, dashboards, datasets, data sources, folders, templates and themes are
 * shared only with QuickSight users and groups: no grant to `*` or to any other principal
 * (a namespace, which is every user in it; an account; an IAM identity).
 *
 * Public (anonymous) dashboard sharing is an account setting (UpdatePublicSharingSettings) that
 * AWS provider 5.100 does not manage: `aws_quicksight_account_settings` only has
 * `default_namespace` and `termination_protection_enabled`, so there is nothing to check there.
 */
export const quicksightNoPublicSharing: Rule = {
  id: 'quicksight-no-public-sharing',
  severity: 'critical',
  resourceTypes: Object.keys(PERMISSION_BLOCKS),
  description: 'A QuickSight asset grants permissions only to QuickSight user or group ARNs, never to "*" or other principals.',
  rationale:
    'A grant to "*", a namespace or another account shows curated data to everyone it covers, outside the personas and Lake Formation grants that decide who may see it.',
  check(asset) {
    const blockName = PERMISSION_BLOCKS[asset.type];
    const others = blocks(asset.config[blockName])
      .map((p) => p.principal)
      .filter((principal) => !isUserOrGroup(principal))
      .map((principal) => (principal === '*' ? '"*" (anyone)' : String(principal)));
    if (others.length === 0) return pass();
    return fail(
      `shares with principals that are not QuickSight users or groups: ${[...new Set(others)].join(', ')}; grant ${blockName} only to QuickSight group ARNs (aws_quicksight_group) of the personas that may see it`,
    );
  },
};
