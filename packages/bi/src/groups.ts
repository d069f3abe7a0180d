import { createHash } from 'node:crypto';
import { Token } from 'cdktf';
import { Construct } from 'constructs';
import { QuicksightGroup } from '@cdktf/provider-aws/lib/quicksight-group';
import { QuicksightGroupMembership } from '@cdktf/provider-aws/lib/quicksight-group-membership';
import { QuicksightRoleMembership } from '@cdktf/provider-aws/lib/quicksight-role-membership';
import {
  BI_DEFAULTS,
  BiConfig,
  DATASET_NAME_FIX,
  DATASET_NAME_RE,
  PlatformStack,
  QUICKSIGHT_ROLES,
  Validator,
  describeValue,
} from '@data-platform/core';
import { AUTHOR_ROLES, QUICKSIGHT_NAME_LIMIT, QuicksightRole } from './quicksight';

/** One group of `bi.groups`: its QuickSight role, members and description. */
export type QuicksightGroupConfig = BiConfig['groups'][string];

/** Props of {@link QuicksightGroups}. */
export interface QuicksightGroupsProps {
  /** The environment's `bi.groups`: groups by name (validated and defaulted by the config loader). */
  readonly groups: BiConfig['groups'];
  /**
   * QuickSight namespace the groups are created in (`bi.namespace`); it must exist already
   * (`default` always does).
   * @default "default" (BI_DEFAULTS.namespace)
   */
  readonly namespace?: string;
}

/** A QuickSight namespace name. */
const NAMESPACE_RE = /^[a-zA-Z0-9._-]{1,63}$/;
/**
 * A QuickSight user name as a group member: the name alone (`alice`) or, for federated and SSO
 * users, `<role or directory>/<session>` (`DataAnalyst/alice@example.com`).
 */
const MEMBER_RE = /^[\w+=,.@-]{1,64}(\/[\w+=,.@-]{1,64})?$/;

/**
 * The QuickSight groups of the bi layer, one per `bi.groups` entry, in the namespace given:
 *
 * - `aws_quicksight_group` named `<project>-<env>-bi-<name>`, with the config's description;
 * - one `aws_quicksight_group_membership` per member (existing QuickSight users, e.g. from SSO);
 * - one `aws_quicksight_role_membership` giving the group its role (READER, AUTHOR, ADMIN or
 *   their _PRO variants), so every member gets the role through the group, not one by one.
 *
 * Role memberships work only in QuickSight accounts that authenticate with IAM Identity Center or
 * Active Directory: AWS disables the role membership API for QuickSight-managed identities, where
 * `apply` fails on them. Everything else grants to these groups, never to users or namespaces:
 * {@link QuicksightGroups.arn} for one group, {@link QuicksightGroups.authorArns} for the authors.
 *
 * No resource here is stateful (config recreates them), so none has a pinned address.
 *
 * @see https://docs.aws.amazon.com/quicksight/latest/APIReference/API_CreateRoleMembership.html
 * @see https://registry.terraform.io/providers/hashicorp/aws/5.100.0/docs/resources/quicksight_role_membership
 */
export class QuicksightGroups extends Construct {
  /** The namespace the groups are in. */
  readonly namespace: string;
  /** The groups, by their name in `bi.groups`. */
  readonly groups: Readonly<Record<string, QuicksightGroup>>;
  /** Group ARNs by name in `bi.groups`: the principals of QuickSight permissions. */
  readonly arns: Readonly<Record<string, string>>;
  /**
   * Physical group names (`<project>-<env>-bi-<name>`) by name in `bi.groups`: what the
   * `groupname` column of a row-level security rules dataset holds.
   */
  readonly groupNames: Readonly<Record<string, string>>;
  /** The QuickSight role of each group, by name in `bi.groups`. */
  readonly roles: Readonly<Record<string, QuicksightRole>>;
  /**
   * ARNs of the groups whose role authors (AUTHOR, ADMIN, AUTHOR_PRO, ADMIN_PRO; see
   * `AUTHOR_ROLES`), in name order: they may use the data source and own analyses.
   */
  readonly authorArns: readonly string[];

  constructor(scope: Construct, id: string, props: QuicksightGroupsProps) {
    super(scope, id);
    const namespace = props.namespace ?? BI_DEFAULTS.namespace;
    const v = new Validator(`QuicksightGroups ${this.node.path}`);
    checkGroupsProps(v, props.groups, namespace);
    v.throwIfAny();

    const stack = PlatformStack.of(this);
    const account = stack.env.account;
    this.namespace = namespace;
    const groups: Record<string, QuicksightGroup> = {};
    const roles: Record<string, QuicksightRole> = {};
    for (const [name, config] of Object.entries(props.groups).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      const group = new QuicksightGroup(this, `${name}-group`, {
        awsAccountId: account,
        namespace,
        groupName: stack.resourceName('bi', name, { maxLength: QUICKSIGHT_NAME_LIMIT }),
        description: config.description,
      });
      new QuicksightRoleMembership(this, `${name}-role`, {
        awsAccountId: account,
        namespace,
        memberName: group.groupName,
        role: config.role,
      });
      for (const member of config.members) {
        new QuicksightGroupMembership(this, `${name}-member-${memberId(member)}`, {
          awsAccountId: account,
          namespace,
          groupName: group.groupName,
          memberName: member,
        });
      }
      groups[name] = group;
      roles[name] = config.role;
    }
    this.groups = groups;
    this.roles = roles;
    this.arns = Object.fromEntries(Object.entries(groups).map(([name, group]) => [name, group.arn]));
    this.groupNames = Object.fromEntries(Object.entries(groups).map(([name, group]) => [name, group.groupName]));
    this.authorArns = Object.keys(groups).filter((name) => AUTHOR_ROLES.includes(roles[name])).map((name) => groups[name].arn);
  }

  /**
   * The ARN of group `name` of `bi.groups`, to grant it permissions.
   * @throws PlatformError when there is no group `name`
   */
  arn(name: string): string {
    return this.lookup([name], () => 'arn(name)')[0];
  }

  /**
   * The ARNs of the groups `names` (e.g. a dataset's `groups`), in that order.
   * @param path where the names come from, for the error message (e.g. `bi.datasets.orders.groups`)
   * @throws PlatformError naming every name that is not a group
   */
  arnsOf(names: readonly string[], path: string): string[] {
    return this.lookup(names, (i) => `${path}[${i}]`);
  }

  private lookup(names: readonly string[], pathOf: (i: number) => string): string[] {
    const v = new Validator(`QuicksightGroups ${this.node.path}`);
    const known = Object.keys(this.arns);
    names.forEach((name, i) => {
      v.check(name in this.arns, pathOf(i), `is ${describeValue(name)}, which is not a group (groups: ${known.length > 0 ? known.join(', ') : 'none'}); add it to bi.groups or fix the name`);
    });
    v.throwIfAny();
    return names.map((name) => this.arns[name]);
  }
}

/** A construct id for `member`: readable, and unique through a hash of the exact name. */
function memberId(member: string): string {
  const readable = member.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  return `${readable}-${createHash('sha256').update(member).digest('hex').slice(0, 8)}`;
}

/** Records problems with the groups and namespace on `v`; values that are still tokens are skipped. */
function checkGroupsProps(v: Validator, groups: BiConfig['groups'], namespace: string): void {
  if (!Token.isUnresolved(namespace)) {
    v.check(NAMESPACE_RE.test(namespace), 'namespace', `is ${describeValue(namespace)}; use a QuickSight namespace name (1-63 letters, digits, ".", "_" and "-"), e.g. "default"`);
  }
  for (const [name, config] of Object.entries(groups)) {
    if (!DATASET_NAME_RE.test(name)) v.add(`groups.${name}`, `has the name ${describeValue(name)}; ${DATASET_NAME_FIX}`);
    v.check((QUICKSIGHT_ROLES as readonly string[]).includes(config.role), `groups.${name}.role`, `is ${describeValue(config.role)}; use one of ${QUICKSIGHT_ROLES.join(', ')}`);
    config.members.forEach((member, i) => {
      if (Token.isUnresolved(member)) return;
      if (!MEMBER_RE.test(member)) {
        v.add(`groups.${name}.members[${i}]`, `is ${describeValue(member)}; use a QuickSight user name (e.g. "alice" or "DataAnalyst/alice@example.com")`);
      } else if (config.members.indexOf(member) !== i) {
        v.add(`groups.${name}.members[${i}]`, `is ${describeValue(member)} again; list each member once`);
      }
    });
  }
}
