import { TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { DataAwsIamPolicyDocument } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { IamPolicy } from '@cdktf/provider-aws/lib/iam-policy';
import { NAME_LIMITS, PROCESSING_DEFAULTS, PlatformStack, ServiceRole, Validator, ZONES } from '@data-platform/core';
import { DataLake } from '@data-platform/lake';
import { ProcessingSecurity } from './security-configuration';

/** Fixed settings of the interactive sessions of an environment. */
export const INTERACTIVE_SESSIONS = {
  /** Glue version sessions start with (the jobs' default, so code moves between them). */
  glueVersion: PROCESSING_DEFAULTS.job.glueVersion,
  /** Worker type of a session. */
  workerType: 'G.1X',
  /** Workers of a session (the fewest Glue allows). */
  workers: 2,
  /**
   * Minutes a session may sit idle before Glue stops it. Glue's own default is 2880 (two days of
   * idle workers, billed); 30 minutes covers a pause, not a forgotten notebook.
   */
  idleTimeoutMinutes: 30,
  /** Processed-zone prefix sessions may write: scratch results, never read by jobs. */
  sandboxPrefix: 'sandbox/',
  /** Artifacts prefix of the sessions' Glue temporary files (`--TempDir`). */
  tempPrefix: 'tmp/sessions/',
  /** Log groups Glue creates for sessions: `/aws-glue/sessions...` (the name carries the security configuration). */
  logGroupPrefix: '/aws-glue/sessions',
} as const;

/** What engineers may do with sessions through {@link InteractiveSessions.userPolicy}. */
export const SESSION_USER_ACTIONS = [
  'glue:CreateSession',
  'glue:GetSession',
  'glue:RunStatement',
  'glue:GetStatement',
  'glue:ListStatements',
  'glue:CancelStatement',
  'glue:StopSession',
  'glue:DeleteSession',
] as const;

/** Props of {@link InteractiveSessions}. */
export interface InteractiveSessionsProps {
  /** The lake sessions read and write. */
  readonly lake: DataLake;
  /** The security configuration sessions run with (encrypts what they write and log). */
  readonly security: ProcessingSecurity;
}

/**
 * What a notebook or `%` magics need to start a session the platform allows: see
 * {@link InteractiveSessions.settings}. Values may be Terraform references (role ARN, names),
 * known once applied.
 */
export interface InteractiveSessionSettings {
  /** `%security_config`: the processing layer's security configuration. */
  readonly securityConfiguration: string;
  /** `%iam_role`: the session role. */
  readonly roleArn: string;
  /** `%glue_version`. */
  readonly glueVersion: string;
  /** `%worker_type`. */
  readonly workerType: string;
  /** `%number_of_workers`. */
  readonly workers: number;
  /** `%idle_timeout`, in minutes. */
  readonly idleTimeoutMinutes: number;
  /** `--TempDir` (in `%%configure`): the only artifacts prefix the role may use. */
  readonly tempDir: string;
  /** Where sessions may write: `s3://<processed bucket>/sandbox/`. */
  readonly sandbox: string;
}

/**
 * Glue interactive sessions (notebooks) for data engineers: the role sessions run as, and the
 * managed policy engineers' identities attach to start and use them with that role.
 *
 * The session role (`<project>-<env>-processing-sessions`, assumed by glue.amazonaws.com for this
 * account only):
 * - reads the processed and curated zones (whole buckets, through the lake's grants);
 * - writes only `sandbox/` of the processed zone (put, no delete: scratch output goes to new
 *   keys), so a notebook cannot overwrite what jobs produce;
 * - does not read the raw zone: raw data may hold personal data that jobs clean before it reaches
 *   processed; explore it through a job's output instead;
 * - reads the Glue catalog: the three zone databases, their tables and partitions (metadata only;
 *   the raw database's metadata names tables, it opens no data), plus `GetDatabase` on `default`,
 *   which Spark looks up when a session starts; decrypts catalog metadata with the lake key
 *   through Glue only (needed once the catalog is encrypted with it);
 * - reads and writes its temporary files under `tmp/sessions/` of the artifacts bucket;
 * - writes its logs to `/aws-glue/sessions*` log groups and lets CloudWatch Logs encrypt them
 *   with the security configuration's key (`logs:AssociateKmsKey`).
 *
 * The user policy (`<project>-<env>-processing-session-user`, an `aws_iam_policy` engineers'
 * roles or groups attach) allows {@link SESSION_USER_ACTIONS} on the sessions of this account and
 * region, `glue:ListSessions` (defined by AWS only on "*"), and `iam:PassRole` of exactly the
 * session role, only to Glue. Sessions of the account are visible to every holder of the policy.
 *
 * @see https://docs.aws.amazon.com/glue/latest/dg/glue-is-security.html
 */
export class InteractiveSessions extends Construct {
  /** The role sessions run as. */
  readonly role: ServiceRole;
  /** The managed policy engineers attach to start sessions with {@link InteractiveSessions.role}. */
  readonly userPolicy: IamPolicy;
  /** The session settings the platform allows, for notebooks and the README. */
  readonly settings: InteractiveSessionSettings;

  constructor(scope: Construct, id: string, props: InteractiveSessionsProps) {
    super(scope, id);
    const { lake, security } = props;
    const v = new Validator(`InteractiveSessions ${this.node.path}`);
    const stack = PlatformStack.of(this);
    const securityStack = TerraformStack.of(security);
    if (securityStack instanceof PlatformStack && securityStack.env.account !== stack.env.account) {
      v.add('security', `${security.node.path} is in account ${securityStack.env.account}; use the security configuration of account ${stack.env.account}`);
    }
    v.throwIfAny();

    const { env } = stack;
    const arn = (service: string, resource: string) => `arn:${stack.partition}:${service}:${env.region}:${env.account}:${resource}`;

    this.role = new ServiceRole(this, 'role', {
      layer: 'processing',
      service: 'glue.amazonaws.com',
      name: 'sessions',
      description: `Glue interactive sessions of data engineers (${env.project}-${env.name}): read processed and curated, write processed/${INTERACTIVE_SESSIONS.sandboxPrefix}`,
    });
    lake.grantRead(this.role.role, 'processed');
    lake.grantRead(this.role.role, 'curated');
    lake.grantWrite(this.role.role, 'processed', INTERACTIVE_SESSIONS.sandboxPrefix);
    lake.grantRead(this.role.role, 'artifacts', INTERACTIVE_SESSIONS.tempPrefix);
    lake.grantWrite(this.role.role, 'artifacts', INTERACTIVE_SESSIONS.tempPrefix);

    const databases = ZONES.map((zone) => lake.databases[zone].name);
    this.role.allow('read-catalog', [
      {
        sid: 'ReadZoneCatalog',
        effect: 'Allow',
        actions: ['glue:GetDatabase', 'glue:GetDatabases', 'glue:GetTable', 'glue:GetTables', 'glue:GetPartition', 'glue:GetPartitions', 'glue:BatchGetPartition'],
        resources: [arn('glue', 'catalog'), ...databases.map((db) => arn('glue', `database/${db}`)), ...databases.map((db) => arn('glue', `table/${db}/*`))],
      },
      {
        // Spark's catalog client looks up the `default` database when a session starts.
        sid: 'LocateDefaultDatabase',
        effect: 'Allow',
        actions: ['glue:GetDatabase'],
        resources: [arn('glue', 'catalog'), arn('glue', 'database/default')],
      },
      {
        // Catalog metadata encrypted with the lake key (the catalog encryption settings) is
        // decrypted for the caller, through Glue.
        sid: 'DecryptCatalogThroughGlue',
        effect: 'Allow',
        actions: ['kms:Decrypt'],
        resources: [lake.key.arn],
        condition: [{ test: 'StringEquals', variable: 'kms:ViaService', values: [`glue.${env.region}.amazonaws.com`] }],
      },
    ]);

    const logGroups = arn('logs', `log-group:${INTERACTIVE_SESSIONS.logGroupPrefix}*`);
    this.role.allow('write-logs', [
      {
        sid: 'WriteSessionLogs',
        effect: 'Allow',
        actions: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents', 'logs:AssociateKmsKey'],
        resources: [logGroups, `${logGroups}:log-stream:*`],
      },
    ]);

    const document = new DataAwsIamPolicyDocument(this, 'user-policy-document', {
      statement: [
        { sid: 'UseSessions', effect: 'Allow', actions: [...SESSION_USER_ACTIONS], resources: [arn('glue', 'session/*')] },
        // AWS defines glue:ListSessions on no resource type: "*" is the only resource it takes.
        { sid: 'ListSessions', effect: 'Allow', actions: ['glue:ListSessions'], resources: ['*'] },
        {
          sid: 'PassSessionRole',
          effect: 'Allow',
          actions: ['iam:PassRole'],
          resources: [this.role.arn],
          condition: [{ test: 'StringEquals', variable: 'iam:PassedToService', values: ['glue.amazonaws.com'] }],
        },
      ],
    });
    this.userPolicy = new IamPolicy(this, 'user-policy', {
      name: stack.resourceName('processing', 'session-user', { maxLength: NAME_LIMITS.iamPolicy }),
      description: `Start and use Glue interactive sessions with the session role of ${env.project}-${env.name}`,
      policy: document.json,
    });

    this.settings = {
      securityConfiguration: security.name,
      roleArn: this.role.arn,
      glueVersion: INTERACTIVE_SESSIONS.glueVersion,
      workerType: INTERACTIVE_SESSIONS.workerType,
      workers: INTERACTIVE_SESSIONS.workers,
      idleTimeoutMinutes: INTERACTIVE_SESSIONS.idleTimeoutMinutes,
      tempDir: `s3://${lake.artifacts.name}/${INTERACTIVE_SESSIONS.tempPrefix}`,
      sandbox: `s3://${lake.zones.processed.name}/${INTERACTIVE_SESSIONS.sandboxPrefix}`,
    };
  }
}
