import { Token } from 'cdktf';
import { Construct } from 'constructs';
import { DataAwsIamPolicyDocument, DataAwsIamPolicyDocumentStatement } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { IamPolicy } from '@cdktf/provider-aws/lib/iam-policy';
import { NAME_LIMITS, Validator, suppressRule } from '@data-platform/core';

/** Defaults of the optional {@link PermissionsBoundaryProps}. */
export const PERMISSIONS_BOUNDARY_DEFAULTS = {
  path: '/',
} as const;

/**
 * Why the boundary's policy passes the IAM rules of the policy pack only with suppressions: its
 * Allow of `*` on `*` grants nothing (a boundary only caps what a role's own policies grant).
 */
export const BOUNDARY_SUPPRESSIONS = {
  'iam-no-admin': 'A permissions boundary grants nothing by itself: it caps what the roles carrying it may do. Its Allow of "*" on "*" leaves each role to its own least-privilege policies, while its Denies (IAM writes, the Terraform state) hold whatever those grant',
  'iam-no-wildcard-action': 'A permissions boundary grants nothing by itself: its Allow of "*" only lets each role\'s own policies (which list their actions) take effect, within the boundary\'s Denies',
  'iam-no-wildcard-resource-data': 'A permissions boundary grants nothing by itself: its Allow on "*" only lets each role\'s own policies (which name their buckets, keys and tables) take effect, within the boundary\'s Denies',
} as const;

const POLICY_NAME_RE = /^[\w+=,.@-]{1,128}$/;
const PATH_RE = /^\/([\w+=,.@-]+\/)*$/;
const ADDRESS_RE = /^bootstrap_[a-z0-9_]{1,40}$/;

/** Props of {@link PermissionsBoundary}. */
export interface PermissionsBoundaryProps {
  /** The policy's name, outside the names the deploy role manages (e.g. `adp-bootstrap-dev-boundary`). */
  readonly name: string;
  /**
   * The policy's path.
   * @default "/" (PERMISSIONS_BOUNDARY_DEFAULTS.path)
   */
  readonly path?: string;
  readonly description: string;
  /** The boundary: an Allow of what roles may do at most, and Denies (see permissions.ts boundaryPermissions). */
  readonly statements: DataAwsIamPolicyDocumentStatement[];
  /** Base of the Terraform addresses: `aws_iam_policy.<address>_policy`, e.g. `bootstrap_boundary`. */
  readonly address: string;
}

/**
 * A customer managed policy used as the permissions boundary of the roles the platform creates:
 * the most any of them may do, whatever its own policies grant. Bootstrap creates it outside the
 * names the deploy role manages, so the deploy role can neither change nor delete it.
 *
 * Its Allow of `*` on `*` is what a boundary needs (it grants nothing alone); the policy pack's
 * IAM rules are suppressed on it with {@link BOUNDARY_SUPPRESSIONS}.
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html
 */
export class PermissionsBoundary extends Construct {
  readonly policy: IamPolicy;
  readonly arn: string;
  readonly name: string;

  constructor(scope: Construct, id: string, props: PermissionsBoundaryProps) {
    super(scope, id);
    const v = new Validator(`PermissionsBoundary ${this.node.path}`);
    const path = props.path ?? PERMISSIONS_BOUNDARY_DEFAULTS.path;
    if (!Token.isUnresolved(props.name)) {
      v.check(POLICY_NAME_RE.test(props.name) && props.name.length <= NAME_LIMITS.iamPolicy, 'name',
        `is ${JSON.stringify(props.name)}; use 1-${NAME_LIMITS.iamPolicy} letters, digits and +=,.@_-`);
    }
    v.check(PATH_RE.test(path) && path.length <= 512, 'path', `is ${JSON.stringify(path)}; use "/" or "/<segment>/..." of letters, digits and +=,.@_-`);
    v.check(props.statements.length > 0, 'statements', 'is empty; give the boundary an Allow of what the roles may do at most, and its Denies');
    v.check(ADDRESS_RE.test(props.address), 'address', `is ${JSON.stringify(props.address)}; use "bootstrap_" and lowercase letters, digits and "_" (e.g. "bootstrap_boundary")`);
    v.throwIfAny();

    const document = new DataAwsIamPolicyDocument(this, 'document', { statement: props.statements });
    document.overrideLogicalId(`${props.address}_policy`);
    this.policy = new IamPolicy(this, 'policy', { name: props.name, path, description: props.description, policy: document.json });
    this.policy.overrideLogicalId(`${props.address}_policy`);
    for (const [ruleId, reason] of Object.entries(BOUNDARY_SUPPRESSIONS)) suppressRule(this.policy, ruleId, reason);
    this.arn = this.policy.arn;
    this.name = this.policy.name;
  }
}
