import { TerraformOutput, Token } from 'cdktf';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { SagemakerDomain } from '@cdktf/provider-aws/lib/sagemaker-domain';
import { SagemakerUserProfile } from '@cdktf/provider-aws/lib/sagemaker-user-profile';
import {
  PlatformStack,
  addressOf,
  documentStatements,
  problemsOf,
  ref,
  synthesize,
  synthesizedResource,
  SynthesizedStack,
  testApp,
  testEnvironment,
} from '@data-platform/core';
import { PersonaAccess } from '@data-platform/governance';
import { stackWithLake } from '@data-platform/lake';
import { PolicyPack } from '@data-platform/policy';
import { Network } from './shared/network';
import { STUDIO_DOMAIN_DEFAULTS, STUDIO_SETTINGS, StudioDomain } from './studio-domain';
import { CURATED, KEY_ARN, NETWORK, OFFLINE, PARTITION, devEnvironment, grantName, layeredStacks, persona, readStatements, writeStatements } from './test-support';

const DOMAIN = 'aws_sagemaker_domain.ml_studio_domain';

/** The lake, the persona and the domain in one stack, `dev`. */
function single(users?: readonly string[], network: Network = NETWORK) {
  const { stack, lake } = stackWithLake(devEnvironment());
  const access = persona(stack, lake);
  const studio = new StudioDomain(stack, 'studio', { lake, persona: access, network, users });
  return { stack, lake, persona: access, studio, ...synthesize(stack) };
}

/** The inline policies of the persona's role in `tf`, by name. */
/** The persona role's policies, but those of its Athena workgroup (governance's, not Studio's). */
function personaPolicies(tf: SynthesizedStack, access: PersonaAccess) {
  const workgroupPolicy = (name: string) => /^adp-dev-lake-(read|write)-athena-results-|^adp-dev-governance-[a-z-]+-athena$/.test(name);
  return Object.fromEntries(
    Object.values(tf.resource?.aws_iam_role_policy ?? {})
      .filter((p) => p.role === ref(access.role, 'name') && !workgroupPolicy(p.name as string))
      .map((p) => [p.name as string, documentStatements(tf, p.policy)]),
  );
}

describe('StudioDomain', () => {
  it('creates a VPC-only domain with IAM authentication in the environment\'s subnets, encrypted with the lake key, its home directories kept', () => {
    const { tf, studio, persona: access } = single(['alice']);
    const apps = { execution_role: ref(access.role, 'arn'), security_groups: [ref(studio.securityGroup, 'id')] };
    expect(synthesizedResource(tf, 'aws_sagemaker_domain', 'ml_studio_domain')).toEqual({
      domain_name: 'adp-dev-ml-studio',
      auth_mode: 'IAM',
      app_network_access_type: 'VpcOnly',
      vpc_id: NETWORK.vpcId,
      subnet_ids: ['subnet-0a1b2c3d4e5f60001', 'subnet-0a1b2c3d4e5f61001'],
      kms_key_id: KEY_ARN,
      default_user_settings: { ...apps, sharing_settings: { notebook_output_option: 'Disabled' } },
      default_space_settings: apps,
      retention_policy: { home_efs_file_system: 'Retain' },
      lifecycle: { prevent_destroy: true },
    });
    expect(studio.domain).toBeInstanceOf(SagemakerDomain);
    expect(STUDIO_SETTINGS).toEqual({
      authMode: 'IAM', appNetworkAccessType: 'VpcOnly', notebookOutputOption: 'Disabled', homeEfsFileSystem: 'Retain', nfsPort: 2049, workspacePrefix: 'ml/',
    });
  });

  it('pins the domain to ml_studio_domain in every reference to it', () => {
    const { stack, lake } = stackWithLake(devEnvironment());
    const studio = new StudioDomain(stack, 'studio', { lake, persona: persona(stack, lake), network: NETWORK });
    new TerraformOutput(stack, 'id', { value: studio.domainId });
    new TerraformOutput(stack, 'arn', { value: studio.arn });
    expect(addressOf(studio.domain)).toBe(DOMAIN);
    expect(synthesize(stack).tf.output).toEqual({ id: { value: `\${${DOMAIN}.id}` }, arn: { value: `\${${DOMAIN}.arn}` } });
    expect([...stack.statefulAddresses].filter((a) => !a.includes('.lake_'))).toEqual([DOMAIN]);
  });

  it('is not protected from destroy in an unprotected environment', () => {
    const { stack, lake } = stackWithLake(devEnvironment({ protect: false }));
    new StudioDomain(stack, 'studio', { lake, persona: persona(stack, lake), network: NETWORK });
    expect(synthesizedResource(synthesize(stack).tf, 'aws_sagemaker_domain', 'ml_studio_domain')).not.toHaveProperty('lifecycle');
  });

  it('creates one user profile per user, inheriting the domain\'s settings', () => {
    const { tf, studio } = single(['alice', 'bob']);
    expect(Object.keys(studio.userProfiles)).toEqual(['alice', 'bob']);
    expect(Object.values(studio.userProfiles).map((p) => synthesizedResource(tf, 'aws_sagemaker_user_profile', p.friendlyUniqueId))).toEqual([
      { domain_id: `\${${DOMAIN}.id}`, user_profile_name: 'alice' },
      { domain_id: `\${${DOMAIN}.id}`, user_profile_name: 'bob' },
    ]);
    expect(studio.userProfiles.alice).toBeInstanceOf(SagemakerUserProfile);
  });

  it('creates no user profile by default', () => {
    expect(STUDIO_DOMAIN_DEFAULTS.users).toEqual([]);
    expect(single(undefined).tf.resource?.aws_sagemaker_user_profile).toBeUndefined();
  });

  it('puts every app in a security group with HTTPS to the VPC and NFS within the group, nothing else', () => {
    const { tf, studio } = single();
    const nfs = (description: string) => ({
      description, protocol: 'tcp', from_port: 2049, to_port: 2049, cidr_blocks: [], ipv6_cidr_blocks: [], prefix_list_ids: [], security_groups: [], self: true,
    });
    expect(synthesizedResource(tf, 'aws_security_group', studio.securityGroup.friendlyUniqueId)).toEqual({
      name: 'adp-dev-ml-studio',
      description: 'Studio domain: HTTPS to the VPC, NFS within the group, nothing else',
      vpc_id: NETWORK.vpcId,
      ingress: [nfs('NFS from Studio apps (EFS home directories)')],
      egress: [
        {
          description: 'HTTPS to AWS service endpoints in the VPC',
          protocol: 'tcp', from_port: 443, to_port: 443, cidr_blocks: ['10.10.0.0/16'], ipv6_cidr_blocks: [], prefix_list_ids: [], security_groups: [], self: false,
        },
        nfs('NFS to Studio apps (EFS home directories)'),
      ],
    });
  });

  it('lets the persona read the whole curated zone from S3 only when allowDirectCuratedRead says so, since that bypasses Lake Formation', () => {
    expect(STUDIO_DOMAIN_DEFAULTS.allowDirectCuratedRead).toBe(false);
    const { stack, lake } = stackWithLake(devEnvironment());
    const access = persona(stack, lake);
    new StudioDomain(stack, 'studio', { lake, persona: access, network: NETWORK, allowDirectCuratedRead: true });
    const policies = personaPolicies(synthesize(stack).tf, access);
    expect(Object.keys(policies)).toEqual([grantName('read', 'curated', ''), grantName('write', 'curated', 'ml/'), 'adp-dev-ml-studio']);
    expect(policies[grantName('read', 'curated', '')]).toEqual(readStatements(CURATED.arn, ''));
  });

  it('lets the persona read and write its ml/ workspace of the curated zone, and use Studio of this domain only', () => {
    const { tf, persona: access, studio } = single();
    const sagemaker = (resource: string) => `arn:${PARTITION}:sagemaker:eu-west-1:111111111111:${resource}`;
    const id = `\${${DOMAIN}.id}`;
    expect(personaPolicies(tf, access)).toEqual({
      [grantName('read', 'curated', 'ml/')]: readStatements(CURATED.arn, 'ml/'),
      [grantName('write', 'curated', 'ml/')]: writeStatements(CURATED.arn, 'ml/'),
      'adp-dev-ml-studio': [
        { sid: 'ReadDomain', effect: 'Allow', actions: ['sagemaker:DescribeDomain'], resources: [`\${${DOMAIN}.arn}`] },
        { sid: 'OpenStudio', effect: 'Allow', actions: ['sagemaker:CreatePresignedDomainUrl', 'sagemaker:DescribeUserProfile'], resources: [sagemaker(`user-profile/${id}/*`)] },
        {
          sid: 'UseSpaces',
          effect: 'Allow',
          actions: ['sagemaker:CreateSpace', 'sagemaker:DeleteSpace', 'sagemaker:DescribeSpace', 'sagemaker:UpdateSpace'],
          resources: [sagemaker(`space/${id}/*`)],
        },
        { sid: 'UseApps', effect: 'Allow', actions: ['sagemaker:CreateApp', 'sagemaker:DeleteApp', 'sagemaker:DescribeApp'], resources: [sagemaker(`app/${id}/*`)] },
        {
          sid: 'TagOnCreate',
          effect: 'Allow',
          actions: ['sagemaker:AddTags'],
          resources: [sagemaker(`space/${id}/*`), sagemaker(`app/${id}/*`)],
          condition: [{ test: 'Null', variable: 'sagemaker:TaggingAction', values: ['false'] }],
        },
        {
          sid: 'ReadTags',
          effect: 'Allow',
          actions: ['sagemaker:ListTags'],
          resources: [`\${${DOMAIN}.arn}`, sagemaker(`user-profile/${id}/*`), sagemaker(`space/${id}/*`), sagemaker(`app/${id}/*`)],
        },
        {
          sid: 'ListStudio',
          effect: 'Allow',
          actions: ['sagemaker:ListApps', 'sagemaker:ListDomains', 'sagemaker:ListSpaces', 'sagemaker:ListUserProfiles'],
          resources: ['*'],
        },
        {
          sid: 'EncryptSpaceStorage',
          effect: 'Allow',
          actions: ['kms:CreateGrant'],
          resources: [KEY_ARN],
          condition: [{ test: 'Bool', variable: 'kms:GrantIsForAWSResource', values: ['true'] }],
        },
        { sid: 'DescribeLakeKey', effect: 'Allow', actions: ['kms:DescribeKey'], resources: [KEY_ARN] },
      ],
    });
    expect(synthesizedResource(tf, 'aws_iam_role_policy', studio.studioPolicy.friendlyUniqueId).role).toBe(ref(access.role, 'name'));
  });

  it('passes the policy pack in layered stacks: the Studio policy in the ml stack, the lake grants in the persona\'s own stack', () => {
    const pack = new PolicyPack();
    const environment = devEnvironment();
    const { lake, persona: access, stack, stacks } = layeredStacks(environment, [pack]);
    const studio = new StudioDomain(stack, 'studio', { lake, persona: access, network: NETWORK, users: environment.ml?.users });
    const ml = synthesize(stack).tf;
    const governance = synthesize(stacks['dev-governance']).tf;
    for (const s of Object.values(stacks)) expect(() => synthesize(s)).not.toThrow();

    expect(Object.values(ml.resource?.aws_iam_role_policy ?? {}).map((p) => p.name)).toEqual(['adp-dev-ml-studio']);
    expect(synthesizedResource(ml, 'aws_iam_role_policy', studio.studioPolicy.friendlyUniqueId).role).toMatch(/^\$\{data\.terraform_remote_state\.[^}]+\}$/);
    expect(Object.keys(personaPolicies(governance, access))).toEqual([grantName('read', 'curated', 'ml/'), grantName('write', 'curated', 'ml/')]);
    for (const id of Object.keys(stacks)) expect(pack.reports.get(id)?.counts.fail).toBe(0);
    for (const id of ['dev-governance', 'dev-ml']) expect(pack.reports.get(id)?.suppressions).toEqual([]);
  });

  it('passes the policy pack in a single offline stack', () => {
    const pack = new PolicyPack();
    const { stack, lake } = stackWithLake(devEnvironment(OFFLINE), { aspects: [pack] });
    new StudioDomain(stack, 'studio', { lake, persona: persona(stack, lake), network: NETWORK, users: ['alice'] });
    expect(() => synthesize(stack)).not.toThrow();
    expect(pack.reports.get('local')?.counts.fail).toBe(0);
  });

  describe('validation', () => {
    it('reports every problem at once, naming the field, the value and the fix, and creates nothing', () => {
      const { stack, lake } = stackWithLake(devEnvironment());
      const access = persona(stack, lake);
      const problems = problemsOf(() => new StudioDomain(stack, 'studio', {
        lake, persona: access, users: ['alice', 'bob_smith', 'alice', '-carol'], network: { ...NETWORK, vpcCidr: '10.10.0.0/8' },
      }));
      expect(problems).toEqual([
        'StudioDomain dev/studio: users[1] is "bob_smith"; use a Studio user profile name: letters, digits and "-", at most 63, starting and ending with a letter or digit',
        'StudioDomain dev/studio: users[2] is "alice" again; list each user once',
        'StudioDomain dev/studio: users[3] is "-carol"; use a Studio user profile name: letters, digits and "-", at most 63, starting and ending with a letter or digit',
        'StudioDomain dev/studio: network.vpcCidr is "10.10.0.0/8"; it has a prefix outside /16 to /28 (the VPC limits); use e.g. /16',
      ]);
      expect(stack.node.tryFindChild('studio')?.node.children).toEqual([]);
    });

    it('rejects a persona of another account, whose role Studio could not run apps as', () => {
      const app = testApp();
      const { stack, lake } = stackWithLake(devEnvironment(), { app });
      const other = new PlatformStack(app, 'other-governance', { env: testEnvironment({ name: 'other', account: '222222222222', deployRole: 'arn:aws:iam::222222222222:role/adp-deploy' }) });
      // A role of the other account beside a workgroup of this one: only the role's account is wrong.
      const role = new IamRole(other, 'data-scientists-role', { name: 'data-scientists', assumeRolePolicy: '{}' });
      const foreign = { ...persona(stack, lake), role };
      expect(problemsOf(() => new StudioDomain(stack, 'studio', { lake, persona: foreign, network: NETWORK }))).toEqual([
        'StudioDomain dev/studio: persona.role other-governance/data-scientists-role is in account 222222222222; use the persona of this environment\'s account, 111111111111 (Studio runs its apps as that role)',
      ]);
    });

    it('rejects a user name that is a token: it names a construct', () => {
      const { stack, lake } = stackWithLake(devEnvironment());
      const users = [Token.asString({ Ref: 'user' })];
      expect(problemsOf(() => new StudioDomain(stack, 'studio', { lake, persona: persona(stack, lake), network: NETWORK, users }))).toEqual([
        'StudioDomain dev/studio: users[0] is a token; use the user\'s name as text (it names the profile and the construct that holds it)',
      ]);
    });

    it('skips network values that are still tokens', () => {
      const { stack, lake } = stackWithLake(devEnvironment());
      const network = { ...NETWORK, vpcId: Token.asString({ Ref: 'vpc' }), vpcCidr: Token.asString({ Ref: 'cidr' }) };
      expect(() => new StudioDomain(stack, 'studio', { lake, persona: persona(stack, lake), network })).not.toThrow();
    });
  });
});
