import { TerraformOutput } from 'cdktf';
import { QuicksightGroup } from '@cdktf/provider-aws/lib/quicksight-group';
import {
  BI_DEFAULTS,
  BiConfig,
  PlatformStack,
  problemsOf,
  ref,
  synthesize,
  synthesizedResource,
  testApp,
} from '@data-platform/core';
import { PolicyPack } from '@data-platform/policy';
import { QuicksightGroups } from './groups';
import { biOf, devEnvironment, OFFLINE } from './test-support';

/** The sample groups: analysts (AUTHOR, two members), managers (READER, one), admins (ADMIN_PRO, none). */
const GROUPS = biOf(devEnvironment()).groups;

function build(groups: BiConfig['groups'] = GROUPS, namespace?: string, environment = devEnvironment()) {
  const stack = new PlatformStack(testApp(), 'dev-bi', { env: environment });
  return { stack, groups: new QuicksightGroups(stack, 'groups', { groups, namespace }) };
}

const synth = (groups?: BiConfig['groups'], namespace?: string) => {
  const built = build(groups, namespace);
  return { ...built, ...synthesize(built.stack) };
};

const values = (tf: ReturnType<typeof synthesize>['tf'], type: string) => Object.values(tf.resource?.[type] ?? {});

describe('QuicksightGroups', () => {
  it('uses the default namespace unless told otherwise (BI_DEFAULTS.namespace)', () => {
    expect(BI_DEFAULTS.namespace).toBe('default');
    const { groups, tf } = synth();
    expect(groups.namespace).toBe('default');
    expect(new Set(values(tf, 'aws_quicksight_group').map((g) => g.namespace))).toEqual(new Set(['default']));
  });

  it('creates one group per entry, named <project>-<env>-bi-<name>, in the account and namespace, with its description', () => {
    const { groups, tf } = synth(GROUPS, 'sales');
    expect(synthesizedResource(tf, 'aws_quicksight_group', groups.groups.analysts.friendlyUniqueId)).toEqual({
      aws_account_id: '111111111111',
      namespace: 'sales',
      group_name: 'adp-dev-bi-analysts',
      description: 'Build analyses and datasets',
    });
    expect(synthesizedResource(tf, 'aws_quicksight_group', groups.groups.admins.friendlyUniqueId)).toEqual({
      aws_account_id: '111111111111',
      namespace: 'sales',
      group_name: 'adp-dev-bi-admins',
    });
    expect(values(tf, 'aws_quicksight_group')).toHaveLength(3);
  });

  it('gives each group its QuickSight role through a role membership', () => {
    const { groups, tf } = synth();
    const byMember = Object.fromEntries(values(tf, 'aws_quicksight_role_membership').map((m) => [m.member_name, m]));
    expect(byMember).toEqual({
      [ref(groups.groups.admins, 'group_name')]: { aws_account_id: '111111111111', namespace: 'default', member_name: ref(groups.groups.admins, 'group_name'), role: 'ADMIN_PRO' },
      [ref(groups.groups.analysts, 'group_name')]: { aws_account_id: '111111111111', namespace: 'default', member_name: ref(groups.groups.analysts, 'group_name'), role: 'AUTHOR' },
      [ref(groups.groups.managers, 'group_name')]: { aws_account_id: '111111111111', namespace: 'default', member_name: ref(groups.groups.managers, 'group_name'), role: 'READER' },
    });
  });

  it('adds each member to its group, SSO names included', () => {
    const { groups, tf } = synth();
    const members = values(tf, 'aws_quicksight_group_membership');
    expect(members).toHaveLength(3);
    expect(members).toEqual(
      expect.arrayContaining([
        { aws_account_id: '111111111111', namespace: 'default', group_name: ref(groups.groups.analysts, 'group_name'), member_name: 'alice' },
        { aws_account_id: '111111111111', namespace: 'default', group_name: ref(groups.groups.analysts, 'group_name'), member_name: 'DataAnalyst/bob@example.com' },
        { aws_account_id: '111111111111', namespace: 'default', group_name: ref(groups.groups.managers, 'group_name'), member_name: 'carol' },
      ]),
    );
  });

  it('keeps a membership where it is when members are added or reordered', () => {
    const addresses = (members: string[]) => {
      const { tf } = synth({ analysts: { role: 'AUTHOR', members } });
      return Object.entries(tf.resource?.aws_quicksight_group_membership ?? {}).map(([id, m]) => `${m.member_name}=${id}`).sort();
    };
    const before = addresses(['alice', 'bob']);
    expect(addresses(['zoe', 'bob', 'alice'])).toEqual(expect.arrayContaining(before));
  });

  it('exposes ARNs, physical names and roles by name, and the authors in name order', () => {
    const { groups, stack } = build();
    expect(groups.roles).toEqual({ admins: 'ADMIN_PRO', analysts: 'AUTHOR', managers: 'READER' });
    new TerraformOutput(stack, 'arns', { value: groups.arns });
    new TerraformOutput(stack, 'names', { value: groups.groupNames });
    new TerraformOutput(stack, 'authors', { value: groups.authorArns });
    const { output } = synthesize(stack).tf;
    const [admins, analysts, managers] = [groups.groups.admins, groups.groups.analysts, groups.groups.managers];
    expect(output?.arns).toEqual({ value: { admins: ref(admins, 'arn'), analysts: ref(analysts, 'arn'), managers: ref(managers, 'arn') } });
    expect(output?.names).toEqual({ value: { admins: ref(admins, 'group_name'), analysts: ref(analysts, 'group_name'), managers: ref(managers, 'group_name') } });
    expect(output?.authors).toEqual({ value: [ref(admins, 'arn'), ref(analysts, 'arn')] });
  });

  it('has no authors when every group reads', () => {
    const { groups } = build({ managers: { role: 'READER', members: [] }, viewers: { role: 'READER_PRO', members: [] } });
    expect(groups.authorArns).toEqual([]);
  });

  describe('arn and arnsOf', () => {
    it('return the ARNs of the groups named, in order', () => {
      const { groups } = build();
      expect(groups.arn('managers')).toBe(groups.arns.managers);
      expect(groups.arnsOf(['managers', 'analysts'], 'bi.dashboards.revenue.groups')).toEqual([groups.arns.managers, groups.arns.analysts]);
    });

    it('name every unknown group with the known ones', () => {
      const { groups } = build();
      expect(problemsOf(() => groups.arnsOf(['managers', 'finance', 'sales'], 'bi.datasets.orders.groups'))).toEqual([
        'QuicksightGroups dev-bi/groups: bi.datasets.orders.groups[1] is "finance", which is not a group (groups: admins, analysts, managers); add it to bi.groups or fix the name',
        'QuicksightGroups dev-bi/groups: bi.datasets.orders.groups[2] is "sales", which is not a group (groups: admins, analysts, managers); add it to bi.groups or fix the name',
      ]);
      expect(problemsOf(() => build({}).groups.arn('finance'))).toEqual([
        'QuicksightGroups dev-bi/groups: arn(name) is "finance", which is not a group (groups: none); add it to bi.groups or fix the name',
      ]);
    });
  });

  describe('validation', () => {
    it('rejects a bad namespace, group name, role and member, and a member listed twice, all at once', () => {
      const groups = {
        Analysts: { role: 'AUTHOR', members: [] },
        viewers: { role: 'VIEWER', members: ['carol', 'bad name', 'carol'] },
      } as unknown as BiConfig['groups'];
      expect(problemsOf(() => build(groups, 'sales team'))).toEqual([
        'QuicksightGroups dev-bi/groups: namespace is "sales team"; use a QuickSight namespace name (1-63 letters, digits, ".", "_" and "-"), e.g. "default"',
        'QuicksightGroups dev-bi/groups: groups.Analysts has the name "Analysts"; use 2-40 lowercase letters and digits, words joined by "-", starting with a letter (e.g. "clickstream")',
        'QuicksightGroups dev-bi/groups: groups.viewers.role is "VIEWER"; use one of READER, AUTHOR, ADMIN, READER_PRO, AUTHOR_PRO, ADMIN_PRO',
        'QuicksightGroups dev-bi/groups: groups.viewers.members[1] is "bad name"; use a QuickSight user name (e.g. "alice" or "DataAnalyst/alice@example.com")',
        'QuicksightGroups dev-bi/groups: groups.viewers.members[2] is "carol" again; list each member once',
      ]);
    });

    it('creates nothing when the props are invalid', () => {
      const stack = new PlatformStack(testApp(), 'dev-bi', { env: devEnvironment() });
      expect(() => new QuicksightGroups(stack, 'groups', { groups: GROUPS, namespace: '' })).toThrow('namespace is ""');
      expect(synthesize(stack).json).not.toHaveResource(QuicksightGroup);
    });
  });

  describe('policy pack', () => {
    it('passes every rule in the layered stack dev-bi', () => {
      const stack = new PlatformStack(testApp(), 'dev-bi', { env: devEnvironment(), aspects: [new PolicyPack()] });
      new QuicksightGroups(stack, 'groups', { groups: GROUPS });
      expect(Object.keys(synthesize(stack).tf.resource?.aws_quicksight_group ?? {})).toHaveLength(3);
    });

    it('passes every rule in a single offline stack', () => {
      const stack = new PlatformStack(testApp(), 'local', { env: devEnvironment(OFFLINE), aspects: [new PolicyPack()] });
      new QuicksightGroups(stack, 'groups', { groups: GROUPS });
      expect(values(synthesize(stack).tf, 'aws_quicksight_group').map((g) => g.group_name).sort()).toEqual(['adp-local-bi-admins', 'adp-local-bi-analysts', 'adp-local-bi-managers']);
    });
  });
});
