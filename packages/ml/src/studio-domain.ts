import { TerraformStack, Token } from 'cdktf';
import { Construct } from 'constructs';
import { DataAwsIamPolicyDocument } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { SagemakerDomain } from '@cdktf/provider-aws/lib/sagemaker-domain';
import { SagemakerUserProfile } from '@cdktf/provider-aws/lib/sagemaker-user-profile';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { NAME_LIMITS, PlatformStack, Validator, describeValue, stateful } from '@data-platform/core';
import { PersonaAccess } from '@data-platform/governance';
import { DataLake } from '@data-platform/lake';
import { HTTPS_PORT, Network, checkNetwork, subnetIds, tcpToVpc, tcpWithinGroup } from './shared/network';
import { SAGEMAKER_NAME_MAX } from './shared/sagemaker';

/** Defaults of the optional StudioDomain props. */
export const STUDIO_DOMAIN_DEFAULTS = { users: [] as readonly string[], allowDirectCuratedRead: false } as const;

/** Settings every {@link StudioDomain} has; none is a prop. */
export const STUDIO_SETTINGS = {
  /** Users open Studio with IAM credentials (the persona's role), not IAM Identity Center. */
  authMode: 'IAM',
  /** Studio apps reach nothing but the VPC: no SageMaker-managed internet access. */
  appNetworkAccessType: 'VpcOnly',
  /** Notebooks cannot be shared as snapshots (which SageMaker would copy to S3). */
  notebookOutputOption: 'Disabled',
  /** Home directories (the domain's EFS volume) are kept when the domain is deleted. */
  homeEfsFileSystem: 'Retain',
  /** NFS, the port Studio apps mount their EFS home directories on. */
  nfsPort: 2049,
  /** The persona's workspace in the curated zone, which it reads and writes directly (features, training sets, outputs). */
  workspacePrefix: 'ml/',
} as const;

/**
 * Studio user profile names.
 * @see https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_CreateUserProfile.html
 */
const USER_RE = /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/;

/** Props of {@link StudioDomain}. */
export interface StudioDomainProps {
  /** The lake: Studio works in `ml/` of its curated zone and encrypts with its key. */
  readonly lake: DataLake;
  /**
   * The data scientists' persona (governance): its role, trusted by `sagemaker.amazonaws.com`,
   * runs every Studio app of the domain, and its Lake Formation grants decide what it queries.
   */
  readonly persona: PersonaAccess;
  /** The environment's network: Studio apps run in its subnets (VPC only). */
  readonly network: Network;
  /**
   * Studio user profiles, one per data scientist (`ml.users`).
   * @default none (STUDIO_DOMAIN_DEFAULTS.users)
   */
  readonly users?: readonly string[];
  /**
   * Lets the persona's role read every object of the curated zone directly from S3, not only its
   * `ml/` workspace. This bypasses Lake Formation: the persona then sees columns and rows its
   * grants and data filters hide (Athena and LF-governed engines still apply them). Reasonable
   * only when the persona is granted the whole curated zone anyway, e.g. for training jobs that
   * read features straight from S3.
   * @default false (STUDIO_DOMAIN_DEFAULTS.allowDirectCuratedRead): the curated zone is read through
   *   Lake Formation (Athena with the persona's workgroup), the workspace directly
   */
  readonly allowDirectCuratedRead?: boolean;
}

/**
 * The SageMaker Studio domain of the environment's data scientists.
 *
 * - Domain `<project>-<env>-ml-studio`: IAM authentication, apps in the VPC only
 *   (`VpcOnly`, in the environment's subnets), home directories and space storage encrypted with
 *   the lake key and kept when the domain is deleted (`Retain`), notebook sharing off. Stateful:
 *   address `aws_sagemaker_domain.ml_studio_domain`, protected from destroy in protected
 *   environments.
 * - Every user profile, private space and shared space runs as the persona's role, in the
 *   domain's security group: HTTPS to the VPC's CIDR (interface endpoints of SageMaker, STS, S3,
 *   Athena...; the VPC needs them, there is no other way out) and NFS within the group, nothing
 *   else. SageMaker adds its own NFS groups for the EFS volume. Studio Classic, whose apps talk to
 *   each other on ports 8192-65535, is not supported by these rules.
 * - One user profile per entry of `users`; profiles inherit the domain's settings.
 * - The persona's role may: read and write its workspace, `ml/` of the curated zone
 *   (`lake.grantRead`/`grantWrite`, policies in the role's own stack; the rest of the zone it
 *   reads through Lake Formation, unless `allowDirectCuratedRead`); open Studio as the domain's
 *   user profiles; create, use and delete spaces and apps of this domain (tagging them only as they
 *   are created); read tags of the domain's resources; list Studio resources (List actions exist
 *   only on "*"); and let SageMaker use the lake key for space storage (grants for AWS resources
 *   only). Everything else (Lake Formation, Athena) comes from governance. Every user of the
 *   domain runs as the same role: profiles separate home directories, not permissions.
 */
export class StudioDomain extends Construct {
  /** The Studio domain. */
  readonly domain: SagemakerDomain;
  /** Id of the domain (`d-...`). */
  readonly domainId: string;
  /** ARN of the domain. */
  readonly arn: string;
  /** The security group of every app of the domain. */
  readonly securityGroup: SecurityGroup;
  /** User profiles by user name. */
  readonly userProfiles: Readonly<Record<string, SagemakerUserProfile>>;
  /** What the persona's role may do in Studio (SageMaker and the lake key), in this stack. */
  readonly studioPolicy: IamRolePolicy;

  constructor(scope: Construct, id: string, props: StudioDomainProps) {
    super(scope, id);
    const { lake, persona, network } = props;
    const users = props.users ?? STUDIO_DOMAIN_DEFAULTS.users;
    const stack = PlatformStack.of(this);
    validate(new Validator(`StudioDomain ${this.node.path}`), props, users, stack.env.account);

    const { region, account } = stack.env;
    const partition = stack.partition;
    const role = persona.role;

    this.securityGroup = new SecurityGroup(this, 'security-group', {
      name: stack.resourceName('ml', 'studio', { maxLength: NAME_LIMITS.securityGroup }),
      description: 'Studio domain: HTTPS to the VPC, NFS within the group, nothing else',
      vpcId: network.vpcId,
      // Inline and complete: Terraform removes any rule added outside this definition.
      // A rule naming the group itself lets traffic through only if both ends allow it: NFS is
      // allowed in and out.
      ingress: [tcpWithinGroup(STUDIO_SETTINGS.nfsPort, 'NFS from Studio apps (EFS home directories)')],
      egress: [
        tcpToVpc(HTTPS_PORT, network, 'HTTPS to AWS service endpoints in the VPC'),
        tcpWithinGroup(STUDIO_SETTINGS.nfsPort, 'NFS to Studio apps (EFS home directories)'),
      ],
    });

    const apps = { executionRole: role.arn, securityGroups: [this.securityGroup.id] };
    this.domain = stateful(
      new SagemakerDomain(this, 'domain', {
        domainName: stack.resourceName('ml', 'studio', { maxLength: SAGEMAKER_NAME_MAX }),
        authMode: STUDIO_SETTINGS.authMode,
        appNetworkAccessType: STUDIO_SETTINGS.appNetworkAccessType,
        vpcId: network.vpcId,
        subnetIds: subnetIds(network),
        kmsKeyId: lake.key.arn,
        defaultUserSettings: { ...apps, sharingSettings: { notebookOutputOption: STUDIO_SETTINGS.notebookOutputOption } },
        defaultSpaceSettings: apps,
        retentionPolicy: { homeEfsFileSystem: STUDIO_SETTINGS.homeEfsFileSystem },
      }),
      'ml_studio_domain',
    );
    this.domainId = this.domain.id;
    this.arn = this.domain.arn;

    const profiles: Record<string, SagemakerUserProfile> = {};
    for (const user of users) {
      profiles[user] = new SagemakerUserProfile(this, `user-${user}`, { domainId: this.domain.id, userProfileName: user });
    }
    this.userProfiles = profiles;

    const directRead = props.allowDirectCuratedRead ?? STUDIO_DOMAIN_DEFAULTS.allowDirectCuratedRead;
    lake.grantRead(role, 'curated', directRead ? '' : STUDIO_SETTINGS.workspacePrefix);
    lake.grantWrite(role, 'curated', STUDIO_SETTINGS.workspacePrefix);

    const sagemaker = (resource: string) => `arn:${partition}:sagemaker:${region}:${account}:${resource}`;
    const profilesArn = sagemaker(`user-profile/${this.domain.id}/*`);
    const spacesArn = sagemaker(`space/${this.domain.id}/*`);
    const appsArn = sagemaker(`app/${this.domain.id}/*`);
    const document = new DataAwsIamPolicyDocument(this, 'studio-document', {
      statement: [
        { sid: 'ReadDomain', effect: 'Allow', actions: ['sagemaker:DescribeDomain'], resources: [this.domain.arn] },
        { sid: 'OpenStudio', effect: 'Allow', actions: ['sagemaker:CreatePresignedDomainUrl', 'sagemaker:DescribeUserProfile'], resources: [profilesArn] },
        {
          sid: 'UseSpaces',
          effect: 'Allow',
          actions: ['sagemaker:CreateSpace', 'sagemaker:DeleteSpace', 'sagemaker:DescribeSpace', 'sagemaker:UpdateSpace'],
          resources: [spacesArn],
        },
        { sid: 'UseApps', effect: 'Allow', actions: ['sagemaker:CreateApp', 'sagemaker:DeleteApp', 'sagemaker:DescribeApp'], resources: [appsArn] },
        {
          // Studio tags the spaces and apps it creates; tagging is allowed only as part of that.
          sid: 'TagOnCreate',
          effect: 'Allow',
          actions: ['sagemaker:AddTags'],
          resources: [spacesArn, appsArn],
          condition: [{ test: 'Null', variable: 'sagemaker:TaggingAction', values: ['false'] }],
        },
        { sid: 'ReadTags', effect: 'Allow', actions: ['sagemaker:ListTags'], resources: [this.domain.arn, profilesArn, spacesArn, appsArn] },
        // AWS defines SageMaker's List actions (ListTags aside) on "*" only.
        {
          sid: 'ListStudio',
          effect: 'Allow',
          actions: ['sagemaker:ListApps', 'sagemaker:ListDomains', 'sagemaker:ListSpaces', 'sagemaker:ListUserProfiles'],
          resources: ['*'],
        },
        {
          // Space storage is encrypted with the domain's key (the lake key): SageMaker creates a
          // grant for the volumes as the caller, and only AWS resources may use it.
          sid: 'EncryptSpaceStorage',
          effect: 'Allow',
          actions: ['kms:CreateGrant'],
          resources: [lake.key.arn],
          condition: [{ test: 'Bool', variable: 'kms:GrantIsForAWSResource', values: ['true'] }],
        },
        { sid: 'DescribeLakeKey', effect: 'Allow', actions: ['kms:DescribeKey'], resources: [lake.key.arn] },
      ],
    });
    this.studioPolicy = new IamRolePolicy(this, 'studio-policy', {
      name: stack.resourceName('ml', 'studio', { maxLength: NAME_LIMITS.iamPolicy }),
      role: role.name,
      policy: document.json,
    });
  }
}

/** Records every problem with the props on `v` and throws them together; tokens are skipped. */
function validate(v: Validator, props: StudioDomainProps, users: readonly string[], account: string): void {
  const seen = new Set<string>();
  users.forEach((user, i) => {
    if (Token.isUnresolved(user)) {
      v.add(`users[${i}]`, 'is a token; use the user\'s name as text (it names the profile and the construct that holds it)');
    } else if (!USER_RE.test(user)) {
      v.add(`users[${i}]`, `is ${describeValue(user)}; use a Studio user profile name: letters, digits and "-", at most 63, starting and ending with a letter or digit`);
    } else if (seen.has(user)) {
      v.add(`users[${i}]`, `is ${describeValue(user)} again; list each user once`);
    }
    seen.add(user);
  });
  const roleStack = TerraformStack.of(props.persona.role);
  if (roleStack instanceof PlatformStack && roleStack.env.account !== account) {
    v.add('persona.role', `${props.persona.role.node.path} is in account ${roleStack.env.account}; use the persona of this environment's account, ${account} (Studio runs its apps as that role)`);
  }
  checkNetwork(v, props.network);
  v.throwIfAny();
}
