import { Aspects, IAspect, LocalBackend, S3Backend, TerraformStack } from 'cdktf';
import { Construct, IConstruct } from 'constructs';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { DataAwsPartition } from '@cdktf/provider-aws/lib/data-aws-partition';
import { EnvironmentConfig, Layer } from './config/schema';
import { Validator } from './errors';
import { NameOptions, physicalName } from './naming';
import { stateKeyAliasArn } from './state-key';
import { defaultTags } from './tags';

/** Values of the provider's offline settings: mock credentials and skipped AWS calls. */
export const OFFLINE_PROVIDER = {
  accessKey: 'mock-access-key',
  secretKey: 'mock-secret-key',
  skipCredentialsValidation: true,
  skipRequestingAccountId: true,
  skipMetadataApiCheck: 'true',
  skipRegionValidation: true,
} as const;

/** Name of the stack that holds `layer` of `env`: `<env>-<layer>`, or `<env>` with `layout: single`. */
export function stackName(env: EnvironmentConfig, layer: Layer): string {
  return env.layout === 'single' ? env.name : `${env.name}-${layer}`;
}

/**
 * Where an online stack's AWS credentials come from:
 * - `assume-deploy-role`: the provider and the state backend assume the environment's deploy role
 *   (state role) from whatever credentials run Terraform (an engineer's, or a CI role allowed to).
 * - `ambient`: they use the credentials Terraform runs with, as they are. CI jobs that already
 *   hold the right role through GitHub OIDC (the read-only plan role for pull requests and drift,
 *   the deploy role for applies) use this: a role cannot assume itself without trusting itself,
 *   and the plan role must not be able to assume the deploy role. `allowed_account_ids` still
 *   keeps every plan in the environment's account.
 */
export const CREDENTIAL_MODES = ['assume-deploy-role', 'ambient'] as const;
export type CredentialMode = (typeof CREDENTIAL_MODES)[number];
/** The process variable the app reads the credential mode from (CI sets `ambient`). */
export const CREDENTIALS_VARIABLE = 'PLATFORM_CREDENTIALS';
export const PLATFORM_STACK_DEFAULTS = { credentials: 'assume-deploy-role' } as const;

export interface PlatformStackProps {
  /** The environment this stack belongs to. */
  readonly env: EnvironmentConfig;
  /**
   * Where an online stack's credentials come from (offline stacks use mock credentials).
   * @default 'assume-deploy-role' (PLATFORM_STACK_DEFAULTS.credentials)
   */
  readonly credentials?: CredentialMode;
  /** Aspects run on this stack before synthesis (aspects on the App never run in cdktf). */
  readonly aspects?: readonly IAspect[];
}

/**
 * Base of every stack: the AWS provider for the environment's account and the state backend.
 *
 * - Provider: the environment's region, `allowed_account_ids` (a plan can never run against the
 *   wrong account), the deploy role assumed, default tags.
 * - Backend: S3, key `<keyPrefix>/<stack>.tfstate`, encrypted, S3 native locking (`use_lockfile`).
 * - Offline environments: mock credentials, the provider's skip flags and a local backend; no
 *   `allowed_account_ids`, since with `skip_requesting_account_id` the provider knows no account
 *   id and would reject every plan ("AWS account ID not allowed").
 */
export class PlatformStack extends TerraformStack {
  /** The stack that contains `scope`. */
  static of(scope: IConstruct): PlatformStack {
    const stack = TerraformStack.of(scope);
    if (!(stack instanceof PlatformStack)) {
      throw new Error(`${scope.node.path} is not inside a PlatformStack; create platform constructs in a PlatformStack`);
    }
    return stack;
  }

  readonly env: EnvironmentConfig;
  readonly provider: AwsProvider;
  /** Terraform addresses (`<type>.<name>`) of the stateful resources in this stack. */
  readonly statefulAddresses = new Set<string>();
  private partitionData?: DataAwsPartition;

  constructor(scope: Construct, id: string, props: PlatformStackProps) {
    super(scope, id);
    const { env } = props;
    this.env = env;
    const assume = (props.credentials ?? PLATFORM_STACK_DEFAULTS.credentials) === 'assume-deploy-role';
    const v = new Validator(`environment ${env.name}`);
    v.check((CREDENTIAL_MODES as readonly unknown[]).includes(props.credentials ?? PLATFORM_STACK_DEFAULTS.credentials), 'credentials', `is ${JSON.stringify(props.credentials)}; use ${CREDENTIAL_MODES.join(' or ')} (${CREDENTIALS_VARIABLE})`);
    v.check(env.offline || !!env.deployRole, 'deployRole', 'is missing; an online environment needs the role the provider assumes (or set offline: true)');
    v.check(env.offline || !!env.state, 'state', 'is missing; an online environment needs a state bucket (or set offline: true)');
    v.throwIfAny();

    this.provider = new AwsProvider(this, 'aws', {
      region: env.region,
      defaultTags: [{ tags: defaultTags(env) }],
      ...(env.offline
        ? OFFLINE_PROVIDER
        : {
            allowedAccountIds: [env.account],
            ...(assume ? { assumeRole: [{ roleArn: env.deployRole, sessionName: `${env.project}-${env.name}-deploy` }] } : {}),
          }),
    });

    if (env.offline || !env.state || !env.deployRole) {
      new LocalBackend(this, { path: `${id}.tfstate` });
    } else {
      new S3Backend(this, {
        bucket: env.state.bucket,
        key: `${env.state.keyPrefix ?? env.name}/${id}.tfstate`,
        region: env.state.region ?? env.region,
        encrypt: true,
        // The state bucket (apps/bootstrap) accepts only objects encrypted with its own key.
        kmsKeyId: stateKeyAliasArn(env),
        ...(assume ? { assumeRole: { roleArn: env.state.role ?? env.deployRole } } : {}),
      });
      // S3BackendConfig has no use_lockfile yet (cdktf 0.21); S3 native locking needs Terraform >= 1.10.
      this.addOverride('terraform.backend.s3.use_lockfile', true);
    }

    for (const aspect of props.aspects ?? []) Aspects.of(this).add(aspect);
  }

  /** The AWS partition (`aws`, `aws-cn`, ...), computed locally by Terraform; one data source per stack. */
  get partition(): string {
    this.partitionData ??= new DataAwsPartition(this, 'partition');
    return this.partitionData.partition;
  }

  /** `arn:<partition>:iam::<account>:root`, the account principal. */
  get accountRootArn(): string {
    return `arn:${this.partition}:iam::${this.env.account}:root`;
  }

  /** Physical name of a resource of `layer`: see {@link physicalName}. */
  resourceName(layer: Layer, name: string, options?: NameOptions): string {
    return physicalName({ project: this.env.project, env: this.env.name, layer, name }, options);
  }
}
