import { Aspects, IAspect, LocalBackend, S3Backend, TerraformOutput, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { DataAwsPartition } from '@cdktf/provider-aws/lib/data-aws-partition';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { EnvironmentConfig, NAME_LIMITS, bootstrapName, defaultTags, physicalName, suppressRule } from '@data-platform/core';
import { SCRIPTS_PREFIX } from '@data-platform/processing';
import { GithubActionsRole } from './github-actions-role';
import { GithubOidc } from './github-oidc';
import { PermissionScope, boundaryPermissions, deployPermissions, planPermissions } from './permissions';
import { PermissionsBoundary } from './permissions-boundary';
import { protectedAddresses } from './protect-state';
import { BootstrapSettings, bootstrapSettings, bootstrapStateKey, environmentFile, stateKeyAliasArn } from './settings';
import { StateBucket } from './state-bucket';

/** Where the bootstrap stack keeps its own state. */
export const BOOTSTRAP_BACKENDS = ['local', 's3'] as const;
/** `local` (the stack's directory) or `s3` (the state bucket). */
export type BootstrapBackend = (typeof BOOTSTRAP_BACKENDS)[number];

/** Defaults of the optional {@link BootstrapStackProps}. */
export const BOOTSTRAP_STACK_DEFAULTS = {
  /** The first apply has no bucket to keep state in yet. */
  backend: 'local',
  /** The local state file, in the stack's working directory. */
  localStatePath: 'terraform.tfstate',
  /** The platform's roles do not carry the boundary yet: requiring it would deny their creation. */
  enforcePermissionsBoundary: false,
} as const satisfies { backend: BootstrapBackend; localStatePath: string; enforcePermissionsBoundary: boolean };

/**
 * The deploy role's longest session: four hours, so an apply of a whole environment (SageMaker
 * endpoints and DMS instances take long to create) keeps its credentials. The deploy workflow asks
 * for it (`role-duration-seconds`) and ends its jobs before it runs out.
 */
export const DEPLOY_ROLE_MAX_SESSION_SECONDS = 14_400;

/** The names of the stack's outputs, each filling (or confirming) one field of the environment file. */
export const BOOTSTRAP_OUTPUTS = {
  stateBucket: 'state_bucket',
  stateKeyAliasArn: 'state_key_alias_arn',
  deployRoleArn: 'deploy_role_arn',
  planRoleArn: 'plan_role_arn',
  githubOidcProviderArn: 'github_oidc_provider_arn',
  permissionsBoundaryArn: 'permissions_boundary_arn',
} as const;

/** Name of the bootstrap stack of `env`: `bootstrap-<env>`. */
export const bootstrapStackName = (env: EnvironmentConfig) => `bootstrap-${env.name}`;

/** Props of {@link BootstrapStack}. */
export interface BootstrapStackProps {
  /** The environment whose account is bootstrapped (online, with `state`, `deployRole` and `ci`). */
  readonly env: EnvironmentConfig;
  /**
   * The environment's file, named in messages and output descriptions.
   * @default "environments/<name>.yaml"
   */
  readonly file?: string;
  /**
   * Where the stack keeps its own state: `local` (`terraform.tfstate` in the stack's directory)
   * for the first apply, then `s3` (the state bucket it created, key `bootstrap/<env>.tfstate`,
   * moved there with `terraform init -migrate-state`).
   * @default "local" (BOOTSTRAP_STACK_DEFAULTS.backend)
   */
  readonly backend?: BootstrapBackend;
  /** Aspects run on this stack before synthesis (the policy pack). */
  readonly aspects?: readonly IAspect[];
  /**
   * Let the deploy role create roles, and give them inline or managed policies, only when they
   * carry the permissions boundary (`iam:PermissionsBoundary`). Turn it on once every role the
   * platform creates sets `permissions_boundary` to the boundary's ARN: before that, creating
   * such a role is denied and deploys fail.
   * @default false (BOOTSTRAP_STACK_DEFAULTS.enforcePermissionsBoundary)
   */
  readonly enforcePermissionsBoundary?: boolean;
}

/**
 * What an environment's account needs before the platform's first plan, applied once by an
 * administrator with their own credentials (no role is assumed: the deploy role does not exist
 * yet):
 *
 * - the Terraform state bucket with its own key and access-log bucket ({@link StateBucket}),
 *   protected from destroy always;
 * - the account's GitHub OIDC provider, created or referred to ({@link GithubOidc});
 * - the permissions boundary of the roles the platform creates ({@link PermissionsBoundary},
 *   `<project>-bootstrap-<env>-boundary`, statements of `boundaryPermissions`): no IAM writes, no
 *   access to the state; the deploy role may set it on roles, never remove it, and with
 *   `enforcePermissionsBoundary` may create roles only with it;
 * - the deploy role, assumed by the repository's jobs in the environment's GitHub environment,
 *   with the permissions of `deployPermissions`, for sessions of up to four hours
 *   ({@link DEPLOY_ROLE_MAX_SESSION_SECONDS});
 * - the plan role (`ci.planRole`), assumed by the repository's pull-request jobs, read-only
 *   (`planPermissions`);
 * - outputs for the environment file.
 *
 * Provider: the environment's region, `allowed_account_ids` the environment's account, the
 * platform's default tags; a second provider (alias `state`) when the state bucket is in another
 * region. Backend: see `backend`.
 *
 * @throws PlatformError naming the file and field when the environment cannot be bootstrapped
 */
export class BootstrapStack extends TerraformStack {
  readonly settings: BootstrapSettings;
  readonly env: EnvironmentConfig;
  readonly provider: AwsProvider;
  /** The provider of the state bucket's region, when it is not the environment's. */
  readonly stateProvider?: AwsProvider;
  readonly state: StateBucket;
  readonly oidc: GithubOidc;
  readonly deployRole: GithubActionsRole;
  /** The plan role, when the environment names one (`ci.planRole`). */
  readonly planRole?: GithubActionsRole;
  /** The permissions boundary of the roles the platform creates. */
  readonly boundary: PermissionsBoundary;

  constructor(scope: Construct, id: string, props: BootstrapStackProps) {
    super(scope, id);
    const { env } = props;
    const settings = bootstrapSettings(env, props.file ?? environmentFile(env));
    this.settings = settings;
    this.env = env;
    const file = settings.file;

    const tags = [{ tags: defaultTags(env) }];
    this.provider = new AwsProvider(this, 'aws', { region: env.region, allowedAccountIds: [env.account], defaultTags: tags });
    if (settings.state.region !== env.region) {
      this.stateProvider = new AwsProvider(this, 'aws-state', { alias: 'state', region: settings.state.region, allowedAccountIds: [env.account], defaultTags: tags });
    }

    if ((props.backend ?? BOOTSTRAP_STACK_DEFAULTS.backend) === 's3') {
      new S3Backend(this, {
        bucket: settings.state.bucket,
        key: bootstrapStateKey(env),
        region: settings.state.region,
        encrypt: true,
        // The bucket refuses uploads encrypted with any other key; the alias is known before the key exists.
        kmsKeyId: stateKeyAliasArn(env),
      });
      // S3BackendConfig has no use_lockfile yet (cdktf 0.21); S3 native locking needs Terraform >= 1.10.
      this.addOverride('terraform.backend.s3.use_lockfile', true);
    } else {
      new LocalBackend(this, { path: BOOTSTRAP_STACK_DEFAULTS.localStatePath });
    }

    const partition = new DataAwsPartition(this, 'partition').partition;
    this.state = new StateBucket(this, 'state', {
      bucketName: settings.state.bucket,
      accessLogsBucketName: settings.state.accessLogsBucket,
      keyAlias: settings.state.keyAlias,
      account: env.account,
      accountRootArn: `arn:${partition}:iam::${env.account}:root`,
      owner: settings.namePrefix,
      provider: this.stateProvider,
    });

    this.oidc = new GithubOidc(this, 'github', { create: settings.ci.createOidcProvider, account: env.account, partition });

    const state = {
      bucketArn: this.state.arn,
      keyArn: this.state.keyArn,
      keyAliasArn: this.state.aliasArn,
      accessLogsBucketArn: this.state.accessLogsArn,
      keyPrefix: settings.state.keyPrefix,
    };
    this.boundary = new PermissionsBoundary(this, 'boundary', {
      name: bootstrapName(env, 'boundary', { maxLength: NAME_LIMITS.iamPolicy }),
      description: `Permissions boundary of the roles the ${settings.namePrefix} data platform creates: no IAM changes, no access to the Terraform state`,
      statements: boundaryPermissions(state),
      address: 'bootstrap_boundary',
    });

    const reach: PermissionScope = {
      partition,
      region: env.region,
      account: env.account,
      namePrefix: settings.namePrefix,
      databasePrefix: settings.databasePrefix,
      resourceTags: { project: env.project, environment: env.name },
      state,
      // The lake's artifacts bucket: physical name as the lake's ZoneBucket gives it.
      artifactsBucket: physicalName({ project: env.project, env: env.name, layer: 'lake', name: 'artifacts' }, { maxLength: NAME_LIMITS.s3Bucket, suffix: env.account }),
      scriptsPrefix: SCRIPTS_PREFIX,
      boundary: { policyArn: this.boundary.arn, enforce: props.enforcePermissionsBoundary ?? BOOTSTRAP_STACK_DEFAULTS.enforcePermissionsBoundary },
    };
    const { repository, githubEnvironment } = settings.ci;

    this.deployRole = new GithubActionsRole(this, 'deploy', {
      name: settings.deployRole.name,
      path: settings.deployRole.path,
      description: `Deploys the ${settings.namePrefix} data platform from GitHub Actions (${repository}, environment ${githubEnvironment})`,
      oidc: this.oidc,
      subject: `repo:${repository}:environment:${githubEnvironment}`,
      policies: deployPermissions(reach),
      address: 'bootstrap_deploy',
      maxSessionSeconds: DEPLOY_ROLE_MAX_SESSION_SECONDS,
    });
    suppressRule(this.deployRole.policies.identity, 'iam-no-wildcard-resource-data',
      'The deploy role encrypts and decrypts with the platform\'s KMS keys, which it creates itself: their ARNs carry ids KMS generates, unknown at bootstrap, so the statement names key/* of this account and region and admits only keys tagged with the platform\'s project and environment');

    if (settings.planRole) {
      this.planRole = new GithubActionsRole(this, 'plan', {
        name: settings.planRole.name,
        path: settings.planRole.path,
        description: `Plans the ${settings.namePrefix} data platform for pull requests of ${repository} (read-only)`,
        oidc: this.oidc,
        // Pull-request plans, and the scheduled drift plans, which run on the default branch.
        subject: [`repo:${repository}:pull_request`, `repo:${repository}:ref:refs/heads/${settings.ci.defaultBranch}`],
        policies: planPermissions(reach),
        address: 'bootstrap_plan',
      });
      suppressRule(this.planRole.policies['read-data'], 'iam-no-wildcard-resource-data',
        'The plan role decrypts the Data Catalog, encrypted with the lake key, through Glue only (kms:ViaService): key ARNs carry ids KMS generates, unknown at bootstrap, so the statement names key/* of this account and region and admits only keys tagged with the platform\'s project and environment');
    }

    const output = (name: string, value: string, description: string) => {
      new TerraformOutput(this, name, { value, description }).overrideLogicalId(name);
    };
    output(BOOTSTRAP_OUTPUTS.stateBucket, this.state.name, `state.bucket of ${file}: the bucket holding the environment's Terraform state`);
    output(BOOTSTRAP_OUTPUTS.stateKeyAliasArn, this.state.aliasArn,
      `The state key's alias: kms_key_id of every S3 backend writing to ${settings.state.bucket} (the bucket refuses other keys)`);
    output(BOOTSTRAP_OUTPUTS.deployRoleArn, this.deployRole.arn,
      `deployRole of ${file}: the role deploy jobs of ${repository} in GitHub environment ${githubEnvironment} assume`);
    if (this.planRole) {
      output(BOOTSTRAP_OUTPUTS.planRoleArn, this.planRole.arn, `ci.planRole of ${file}: the read-only role pull-request jobs of ${repository} assume`);
    }
    output(BOOTSTRAP_OUTPUTS.permissionsBoundaryArn, this.boundary.arn,
      `The permissions boundary every role the ${settings.namePrefix} platform creates is to carry (permissions_boundary); ` +
        `the deploy role requires it ${reach.boundary.enforce ? 'now' : 'once enforcePermissionsBoundary is on'}`);
    output(BOOTSTRAP_OUTPUTS.githubOidcProviderArn, this.oidc.arn,
      `The account's GitHub OIDC provider, trusted by the roles (${settings.ci.createOidcProvider ? 'created here' : 'created before: ci.createOidcProvider is false'})`);

    for (const aspect of props.aspects ?? []) Aspects.of(this).add(aspect);
  }

  /** Terraform addresses of the stack's stateful resources, all protected from destroy. */
  get statefulAddresses(): string[] {
    return protectedAddresses(this);
  }
}
