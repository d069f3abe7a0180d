import { Token } from 'cdktf';
import { Construct } from 'constructs';
import { DataAwsIamPolicyDocument, DataAwsIamPolicyDocumentStatement } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { IamPolicy } from '@cdktf/provider-aws/lib/iam-policy';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { NAME_LIMITS, Validator } from '@data-platform/core';
import { GITHUB_OIDC, GithubOidc } from './github-oidc';

/** Defaults of the optional {@link GithubActionsRoleProps}. */
export const GITHUB_ACTIONS_ROLE_DEFAULTS = {
  /** One hour: a plan or an apply of one stack fits; a leaked session expires soon. */
  maxSessionSeconds: 3600,
  path: '/',
} as const;

/**
 * IAM's quotas on one role's customer managed policies: at most 10 attached (the default
 * quota) and at most 6,144 characters in each, whitespace not counted.
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html
 */
export const IAM_POLICY_QUOTAS = { policiesPerRole: 10, policyCharacters: 6144 } as const;

const ROLE_NAME_RE = /^[\w+=,.@-]{1,64}$/;
const PATH_RE = /^\/([\w+=,.@-]+\/)*$/;
const PART_RE = /^[a-z][a-z0-9-]{0,30}[a-z0-9]$/;
const ADDRESS_RE = /^bootstrap_[a-z0-9_]{1,40}$/;
/** `repo:<owner>/<name>:<context>` with no wildcard: one repository, one kind of job. */
const SUBJECT_RE = /^repo:[A-Za-z0-9_.-]{1,100}\/[A-Za-z0-9_.-]{1,100}:[^*?]+$/;

/** Props of {@link GithubActionsRole}. */
export interface GithubActionsRoleProps {
  /** The role's name (the environment file names the role by ARN; bootstrap creates it). */
  readonly name: string;
  /**
   * The role's path.
   * @default "/" (GITHUB_ACTIONS_ROLE_DEFAULTS.path)
   */
  readonly path?: string;
  readonly description: string;
  /** The account's GitHub OIDC provider: the only principal the role trusts. */
  readonly oidc: GithubOidc;
  /**
   * The `sub` claim the token must carry exactly (StringEquals, no wildcard), e.g.
   * `repo:acme/data-platform:environment:prod` (jobs of one GitHub environment) or
   * `repo:acme/data-platform:pull_request` (pull-request jobs).
   * @see https://docs.github.com/en/actions/security-for-github-actions/security-hardening-your-deployments/about-security-hardening-with-openid-connect#example-subject-claims
   */
  readonly subject: string | readonly string[];
  /**
   * Its permissions: one customer managed policy per entry, named `<role name>-<key>`, attached
   * to the role. Keys are short kebab-case words (`state`, `identity`, ...); at most 10 policies.
   */
  readonly policies: Readonly<Record<string, DataAwsIamPolicyDocumentStatement[]>>;
  /**
   * Base of the Terraform addresses: the role is `aws_iam_role.<address>_role`, each policy
   * `aws_iam_policy.<address>_<key>_policy` (key with "_"), e.g. `bootstrap_deploy`.
   */
  readonly address: string;
  /**
   * Longest session, in seconds (3600 to 43200).
   * @default 3600 (GITHUB_ACTIONS_ROLE_DEFAULTS.maxSessionSeconds)
   */
  readonly maxSessionSeconds?: number;
}

/**
 * An IAM role that GitHub Actions jobs of one repository assume through OIDC, and nothing else:
 * the trust policy admits only web identity tokens of the account's GitHub provider whose
 * audience is `sts.amazonaws.com` and whose subject is exactly `subject` (StringEquals: one
 * repository, one GitHub environment or event, never a wildcard). Sessions last at most an hour.
 *
 * Its permissions are customer managed policies (`<name>-<key>`), not inline ones: a role's
 * inline policies share 10,240 characters, while each managed policy has 6,144 of its own.
 */
export class GithubActionsRole extends Construct {
  readonly role: IamRole;
  readonly arn: string;
  readonly name: string;
  /** The role's policies, by key. */
  readonly policies: Readonly<Record<string, IamPolicy>>;

  constructor(scope: Construct, id: string, props: GithubActionsRoleProps) {
    super(scope, id);
    const v = new Validator(`GithubActionsRole ${this.node.path}`);
    const path = props.path ?? GITHUB_ACTIONS_ROLE_DEFAULTS.path;
    if (!Token.isUnresolved(props.name)) {
      v.check(ROLE_NAME_RE.test(props.name), 'name', `is ${JSON.stringify(props.name)}; use 1-64 letters, digits and +=,.@_-`);
    }
    v.check(PATH_RE.test(path) && path.length <= 512, 'path', `is ${JSON.stringify(path)}; use "/" or "/<segment>/..." of letters, digits and +=,.@_-`);
    const subjects: readonly string[] = typeof props.subject === 'string' ? [props.subject] : props.subject;
    v.check(subjects.length > 0, 'subject', 'is an empty list; give at least one subject, e.g. "repo:acme/data-platform:pull_request"');
    for (const subject of subjects) {
      if (Token.isUnresolved(subject)) continue;
      v.check(SUBJECT_RE.test(subject), 'subject',
        `is ${JSON.stringify(subject)}; use "repo:<owner>/<name>:<context>" without wildcards (e.g. "repo:acme/data-platform:environment:prod"): the role trusts one repository's jobs only`);
    }
    v.check(ADDRESS_RE.test(props.address), 'address', `is ${JSON.stringify(props.address)}; use "bootstrap_" and lowercase letters, digits and "_" (e.g. "bootstrap_deploy")`);
    const parts = Object.keys(props.policies);
    v.check(parts.length >= 1 && parts.length <= IAM_POLICY_QUOTAS.policiesPerRole, 'policies',
      `has ${parts.length} policies; give the role 1 to ${IAM_POLICY_QUOTAS.policiesPerRole} (IAM's default quota of managed policies per role)`);
    for (const part of parts) {
      v.check(PART_RE.test(part), `policies.${part}`, 'is not a short kebab-case word; name each policy like "state" or "read-data" (it is part of the policy name)');
      if (!Token.isUnresolved(props.name)) {
        v.check(`${props.name}-${part}`.length <= NAME_LIMITS.iamPolicy, `policies.${part}`, `makes the policy name "${props.name}-${part}" longer than ${NAME_LIMITS.iamPolicy} characters; use a shorter key`);
      }
      v.check(props.policies[part].length > 0, `policies.${part}`, 'has no statements; remove it or give it the statements it stands for');
    }
    const seconds = props.maxSessionSeconds;
    if (seconds !== undefined && !Token.isUnresolved(seconds)) {
      v.check(Number.isInteger(seconds) && seconds >= 3600 && seconds <= 43200, 'maxSessionSeconds', `is ${seconds}; use a whole number of seconds from 3600 to 43200 (IAM's limits)`);
    }
    v.throwIfAny();

    const trust = new DataAwsIamPolicyDocument(this, 'trust', {
      statement: [
        {
          sid: 'GitHubActionsOidc',
          effect: 'Allow',
          principals: [{ type: 'Federated', identifiers: [props.oidc.arn] }],
          actions: ['sts:AssumeRoleWithWebIdentity'],
          condition: [
            { test: 'StringEquals', variable: `${GITHUB_OIDC.issuer}:aud`, values: [GITHUB_OIDC.audience] },
            { test: 'StringEquals', variable: `${GITHUB_OIDC.issuer}:sub`, values: [...subjects] },
          ],
        },
      ],
    });
    trust.overrideLogicalId(`${props.address}_trust`);
    this.role = new IamRole(this, 'role', {
      name: props.name,
      path,
      description: props.description,
      assumeRolePolicy: trust.json,
      maxSessionDuration: seconds ?? GITHUB_ACTIONS_ROLE_DEFAULTS.maxSessionSeconds,
    });
    this.role.overrideLogicalId(`${props.address}_role`);
    this.arn = this.role.arn;
    this.name = this.role.name;

    const policies: Record<string, IamPolicy> = {};
    for (const part of parts) {
      const address = `${props.address}_${part.replace(/-/g, '_')}`;
      const document = new DataAwsIamPolicyDocument(this, `${part}-document`, { statement: props.policies[part] });
      document.overrideLogicalId(`${address}_policy`);
      const policy = new IamPolicy(this, `${part}-policy`, {
        name: `${props.name}-${part}`,
        path,
        description: `${props.description}: ${part}`,
        policy: document.json,
      });
      policy.overrideLogicalId(`${address}_policy`);
      new IamRolePolicyAttachment(this, `${part}-attachment`, { role: this.role.name, policyArn: policy.arn }).overrideLogicalId(`${address}_attachment`);
      policies[part] = policy;
    }
    this.policies = policies;
  }
}
