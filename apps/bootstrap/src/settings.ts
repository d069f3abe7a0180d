import { BOOTSTRAP_NAME_PART, EnvironmentConfig, NAME_LIMITS, PlatformError, Problem, bootstrapName, environmentPartition, physicalName, stateKeyAliasName } from '@data-platform/core';

/** What `ci.githubEnvironment` and the state key prefix default to. */
export const BOOTSTRAP_DEFAULTS = {
  /** Deploy jobs run in the GitHub environment named like the platform environment. */
  githubEnvironment: (env: EnvironmentConfig) => env.name,
  /** State keys are `<keyPrefix>/<stack>.tfstate`, by default under the environment's name. */
  stateKeyPrefix: (env: EnvironmentConfig) => env.name,
} as const;

export { BOOTSTRAP_NAME_PART } from '@data-platform/core';

/** Key of the bootstrap stack's own state in the state bucket, once migrated there. */
export const bootstrapStateKey = (env: EnvironmentConfig) => `${BOOTSTRAP_NAME_PART}/${env.name}.tfstate`;

/** `arn:<partition>:iam::<account>:role/<path><name>`, as the schema accepts it. */
const ROLE_ARN_RE = /^arn:(aws|aws-cn|aws-us-gov):iam::(\d{12}):role\/((?:[\w+=,.@-]+\/)*)([\w+=,.@-]{1,64})$/;

/** An IAM role named by an environment file: bootstrap creates it. */
export interface RoleName {
  /** The role's ARN as written in the file. */
  readonly arn: string;
  /** The role name (the ARN's last part). */
  readonly name: string;
  /** The role's path, `/` unless the ARN has one (e.g. `/ci/`). */
  readonly path: string;
}

/**
 * Everything the bootstrap stack needs from one environment file, checked and with defaults
 * applied (see {@link bootstrapSettings}).
 */
export interface BootstrapSettings {
  readonly env: EnvironmentConfig;
  /** The file the settings come from, for messages and output descriptions. */
  readonly file: string;
  /** The AWS partition of the environment's role ARNs (`aws`, `aws-us-gov`, ...), for values Terraform cannot compute (the backend). */
  readonly partition: string;
  /** `<project>-<env>`: the names of the platform's roles, policies and buckets start with it and a `-`. */
  readonly namePrefix: string;
  /** `<project>_<env>`: Glue database names start with it and a `_`. */
  readonly databasePrefix: string;
  readonly state: {
    /** Name of the state bucket (`state.bucket`). */
    readonly bucket: string;
    /** Region of the state bucket and its key (`state.region`, default the environment's). */
    readonly region: string;
    /** Prefix of the platform's state keys (`state.keyPrefix`, default the environment name). */
    readonly keyPrefix: string;
    /** Name of the bucket receiving the state bucket's access logs. */
    readonly accessLogsBucket: string;
    /** Alias of the state key, `alias/<project>-bootstrap-<env>-state-key`. */
    readonly keyAlias: string;
  };
  readonly deployRole: RoleName;
  /** The plan role, when `ci.planRole` is set. */
  readonly planRole?: RoleName;
  readonly ci: {
    /** `owner/name` of the GitHub repository trusted to deploy. */
    readonly repository: string;
    /** GitHub environment whose jobs may assume the deploy role. */
    readonly githubEnvironment: string;
    /** Bootstrap creates the account's GitHub OIDC provider. */
    readonly createOidcProvider: boolean;
    /** The branch drift checks run on (the plan role trusts its jobs too). */
    readonly defaultBranch: string;
  };
}

export { bootstrapName, stateKeyAliasArn, stateKeyAliasName } from '@data-platform/core';

/** The default file name of an environment, as messages show it. */
export const environmentFile = (env: EnvironmentConfig) => `environments/${env.name}.yaml`;

/**
 * Checks that `env` can be bootstrapped and returns its settings. Every problem is reported at
 * once, prefixed with `file`:
 * - the environment is online and has `state`, `deployRole` and `ci`;
 * - the roles are in the environment's account and named outside `<project>-<env>-*` (roles the
 *   deploy role may manage: a deploy role named so could rewrite its own permissions);
 * - the plan role is not the deploy role; `state.role`, when set, is the deploy role (bootstrap
 *   creates no other role with access to state).
 *
 * @param file the environment file, for messages (default `environments/<name>.yaml`)
 * @throws PlatformError listing every problem
 */
export function bootstrapSettings(env: EnvironmentConfig, file: string = environmentFile(env)): BootstrapSettings {
  const problems: Problem[] = [];
  const add = (path: string, message: string) => problems.push({ path, message });
  const namePrefix = physicalName({ project: env.project, env: env.name, layer: '', name: '' });
  const databasePrefix = physicalName({ project: env.project, env: env.name, layer: '', name: '' }, { separator: '_' });

  const role = (path: string, arn: string | undefined, what: string): RoleName | undefined => {
    if (arn === undefined) return undefined;
    const m = ROLE_ARN_RE.exec(arn);
    if (!m) {
      add(path, `is ${JSON.stringify(arn)}, not an IAM role ARN; use e.g. "arn:aws:iam::${env.account}:role/${env.project}-${what}"`);
      return undefined;
    }
    const [, , account, rolePath, name] = m;
    if (account !== env.account) {
      add(path, `is in account ${account}, not this environment's account ${env.account}; use a role of account ${env.account}`);
    }
    const lower = name.toLowerCase();
    if (lower === namePrefix || lower.startsWith(`${namePrefix}-`)) {
      add(path, `is named "${name}", like the roles the deploy role manages (${namePrefix}-*), so it could change its own permissions; ` +
        `choose a name outside ${namePrefix}-*, e.g. "${env.project}-${what}"`);
    }
    return { arn, name, path: `/${rolePath}` };
  };

  // In the order of the file's fields.
  if (env.offline) {
    add('offline', 'is true: an offline environment has no AWS account to bootstrap; bootstrap the online environments only');
  }
  if (env.deployRole === undefined) {
    add('deployRole', `is missing; add the ARN of the deploy role bootstrap creates, e.g. "arn:aws:iam::${env.account}:role/${env.project}-deploy"`);
  }
  const deployRole = role('deployRole', env.deployRole, 'deploy');
  if (!env.state) {
    add('state', 'is missing; add state.bucket (the S3 bucket bootstrap creates for Terraform state, e.g. "' +
      `${env.project}-tfstate-${env.account}") to bootstrap this account`);
  }
  const keyPrefix = env.state?.keyPrefix;
  if (keyPrefix !== undefined && (keyPrefix === BOOTSTRAP_NAME_PART || keyPrefix.startsWith(`${BOOTSTRAP_NAME_PART}/`))) {
    add('state.keyPrefix', `is "${keyPrefix}", where bootstrap keeps its own state (${BOOTSTRAP_NAME_PART}/<env>.tfstate), out of the deploy role's reach; use another prefix, e.g. "${env.name}"`);
  }
  if (env.state?.role !== undefined && env.state.role !== env.deployRole) {
    add('state.role', `is ${JSON.stringify(env.state.role)}, a role bootstrap does not create or grant state access to; remove it (the deploy role reads and writes state)`);
  }
  if (!env.ci) {
    add('ci', 'is missing; add ci.repository ("owner/name" of the GitHub repository whose workflows deploy this environment) to bootstrap this account');
  }
  const planRole = role('ci.planRole', env.ci?.planRole, 'plan');
  if (planRole && deployRole && planRole.name.toLowerCase() === deployRole.name.toLowerCase()) {
    add('ci.planRole', `is the deploy role "${deployRole.name}"; give the read-only plan role a name of its own, e.g. "${env.project}-plan"`);
  }

  if (problems.length > 0) throw new PlatformError(file, problems);
  const state = env.state as NonNullable<EnvironmentConfig['state']>;
  const ci = env.ci as NonNullable<EnvironmentConfig['ci']>;
  return {
    env,
    file,
    partition: environmentPartition(env),
    namePrefix,
    databasePrefix,
    state: {
      bucket: state.bucket,
      region: state.region ?? env.region,
      keyPrefix: state.keyPrefix ?? BOOTSTRAP_DEFAULTS.stateKeyPrefix(env),
      accessLogsBucket: bootstrapName(env, 'state-logs', { maxLength: NAME_LIMITS.s3Bucket, suffix: env.account }),
      keyAlias: stateKeyAliasName(env),
    },
    deployRole: deployRole as RoleName,
    planRole,
    ci: {
      repository: ci.repository,
      githubEnvironment: ci.githubEnvironment ?? BOOTSTRAP_DEFAULTS.githubEnvironment(env),
      defaultBranch: ci.defaultBranch,
      createOidcProvider: ci.createOidcProvider,
    },
  };
}
