import { Op, TerraformStack, Token } from 'cdktf';
import { Construct } from 'constructs';
import { AthenaWorkgroup } from '@cdktf/provider-aws/lib/athena-workgroup';
import { DataAwsIamPolicyDocument } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { ATHENA_MIN_CUTOFF_MB, DATASET_NAME_FIX, DATASET_NAME_RE, NAME_LIMITS, PlatformStack, Validator } from '@data-platform/core';
import { DataLake } from '@data-platform/lake';
import { PersonaAccess } from './persona-access';

/**
 * Longest Athena workgroup name.
 * @see https://docs.aws.amazon.com/athena/latest/APIReference/API_CreateWorkGroup.html
 */
export const ATHENA_WORKGROUP_NAME_LIMIT = 128;

/** Largest per-query scan limit the workgroup accepts, in MB (about 1 PB), as the config loader allows. */
export const ATHENA_MAX_CUTOFF_MB = 1_000_000_000;

/** Bytes in one MB of `bytesScannedCutoffMb` (Athena counts the cutoff in bytes). */
export const BYTES_PER_MB = 1024 * 1024;

/** Fixed settings of every persona workgroup, and what its persona's role may do with it. */
export const PERSONA_WORKGROUP = {
  /** The Trino-based engine; pinned, so Athena never upgrades the SQL dialect under saved queries. */
  engineVersion: 'Athena engine version 3',
  state: 'ENABLED',
  /** Clients cannot override the result location, encryption or scan limit. */
  enforceWorkgroupConfiguration: true,
  /** Per-query metrics (data scanned, run time) in CloudWatch, for alarms and cost reports. */
  publishCloudwatchMetricsEnabled: true,
  /** Results are encrypted server-side with the lake key. */
  encryptionOption: 'SSE_KMS',
  /** Deleting the workgroup fails while it holds saved queries, instead of deleting them with it. */
  forceDestroy: false,
  /**
   * What the persona's role may do in its workgroup (and only there): run, stop and read its
   * queries and their results, and read the saved queries and prepared statements the platform
   * creates there (creating or changing them is left to Terraform).
   * @see https://docs.aws.amazon.com/athena/latest/ug/example-policies-workgroup.html
   */
  workgroupActions: [
    'athena:GetWorkGroup',
    'athena:StartQueryExecution',
    'athena:StopQueryExecution',
    'athena:GetQueryExecution',
    'athena:BatchGetQueryExecution',
    'athena:ListQueryExecutions',
    'athena:GetQueryResults',
    'athena:GetQueryResultsStream',
    'athena:GetQueryRuntimeStatistics',
    'athena:GetNamedQuery',
    'athena:BatchGetNamedQuery',
    'athena:ListNamedQueries',
    'athena:GetPreparedStatement',
    'athena:BatchGetPreparedStatement',
    'athena:ListPreparedStatements',
  ],
  /** Listing actions Athena defines on no resource (only "*"): the console and drivers call them first. */
  listActions: ['athena:ListWorkGroups', 'athena:ListEngineVersions'],
} as const;

/** Props of {@link PersonaWorkgroup}. */
export interface PersonaWorkgroupProps {
  /** The lake: its Athena results bucket holds the results, its key encrypts them. */
  readonly lake: DataLake;
  /** The persona's name (its key in `governance.personas`): names the workgroup and its results prefix. */
  readonly persona: string;
  /** The persona's role: it may use this workgroup and its results prefix. */
  readonly role: IamRole;
  /**
   * Data one query may scan before Athena cancels it, in MB: at least
   * {@link ATHENA_MIN_CUTOFF_MB} (Athena's minimum), at most {@link ATHENA_MAX_CUTOFF_MB}.
   * @see https://docs.aws.amazon.com/athena/latest/ug/workgroups-setting-control-limits-cloudwatch.html
   */
  readonly bytesScannedCutoffMb: number;
}

/**
 * The Athena workgroup of one persona, `<project>-<env>-governance-<persona>`, with its settings
 * enforced on every client:
 *
 * - Results go to `s3://<lake Athena results bucket>/<persona>/`, encrypted with SSE-KMS and the
 *   lake key, in a bucket that must belong to the environment's account (`expected_bucket_owner`);
 *   they expire with the bucket's lifecycle (`lake.athenaResultsExpirationDays`).
 * - Athena engine version 3, pinned; CloudWatch query metrics on; a per-query scan limit of
 *   `bytesScannedCutoffMb` (Athena cancels a query that scans more).
 * - No result ACL: the results bucket disables ACLs (bucket owner enforced), so the account owns
 *   every result object anyway, and an `x-amz-acl` header would make each result write also need
 *   `s3:PutObjectAcl`, which the lake's write grants do not give.
 * - Not force-destroyed: deleting it fails while it still holds saved queries.
 *
 * The persona's role may use this workgroup only (see {@link PERSONA_WORKGROUP}.workgroupActions,
 * on its ARN; the two listing actions Athena defines only on "*"), and read and write its results
 * prefix (through `DataLake.grantRead` and `grantWrite`, which also let it use the lake key through
 * S3). What its queries may read is decided elsewhere: Lake Formation grants, and
 * `DataLake.grantCatalog` for the encrypted catalog.
 *
 * Nothing here holds data (results expire): no resource is stateful and no address is pinned.
 *
 * @see https://docs.aws.amazon.com/athena/latest/ug/workgroups-settings-override.html
 */
export class PersonaWorkgroup extends Construct implements PersonaAccess {
  /** The Athena workgroup. */
  readonly workgroup: AthenaWorkgroup;
  /** The persona's name (its key in `governance.personas`). */
  readonly name: string;
  /** The persona's role. */
  readonly role: IamRole;
  /** Key prefix of the persona's results in the lake's Athena results bucket, `<persona>/`. */
  readonly resultsPrefix: string;
  /** `s3://<Athena results bucket>/<persona>/`, where the workgroup writes results. */
  readonly outputLocation: string;
  /** The role's policies: using the workgroup, reading and writing the results prefix. */
  readonly policies: readonly IamRolePolicy[];

  constructor(scope: Construct, id: string, props: PersonaWorkgroupProps) {
    super(scope, id);
    const { lake, persona, role, bytesScannedCutoffMb } = props;
    const stack = PlatformStack.of(this);
    const { env } = stack;
    checkProps(new Validator(`PersonaWorkgroup ${this.node.path}`), props, env.account).throwIfAny();

    this.name = persona;
    this.role = role;
    this.resultsPrefix = `${persona}/`;
    this.outputLocation = `s3://${lake.athenaResults.name}/${this.resultsPrefix}`;

    this.workgroup = new AthenaWorkgroup(this, 'workgroup', {
      name: stack.resourceName('governance', persona, { maxLength: ATHENA_WORKGROUP_NAME_LIMIT }),
      description: `Athena workgroup of the ${persona} persona (${env.project}-${env.name}): results under ${this.resultsPrefix} of the lake's Athena results bucket`,
      state: PERSONA_WORKGROUP.state,
      forceDestroy: PERSONA_WORKGROUP.forceDestroy,
      configuration: {
        enforceWorkgroupConfiguration: PERSONA_WORKGROUP.enforceWorkgroupConfiguration,
        publishCloudwatchMetricsEnabled: PERSONA_WORKGROUP.publishCloudwatchMetricsEnabled,
        bytesScannedCutoffPerQuery: Token.isUnresolved(bytesScannedCutoffMb)
          ? Token.asNumber(Op.mul(bytesScannedCutoffMb, BYTES_PER_MB))
          : bytesScannedCutoffMb * BYTES_PER_MB,
        engineVersion: { selectedEngineVersion: PERSONA_WORKGROUP.engineVersion },
        resultConfiguration: {
          outputLocation: this.outputLocation,
          expectedBucketOwner: env.account,
          encryptionConfiguration: { encryptionOption: PERSONA_WORKGROUP.encryptionOption, kmsKeyArn: lake.key.arn },
        },
      },
    });

    const document = new DataAwsIamPolicyDocument(this, 'use-workgroup-document', {
      statement: [
        { sid: 'QueryInWorkgroup', effect: 'Allow', actions: [...PERSONA_WORKGROUP.workgroupActions], resources: [this.workgroup.arn] },
        // Athena defines these listing actions on no resource type: "*" is the only resource they take.
        { sid: 'ListWorkgroups', effect: 'Allow', actions: [...PERSONA_WORKGROUP.listActions], resources: ['*'] },
      ],
    });
    const use = new IamRolePolicy(this, 'use-workgroup', {
      name: stack.resourceName('governance', `${persona}-athena`, { maxLength: NAME_LIMITS.iamPolicy }),
      role: role.name,
      policy: document.json,
    });
    this.policies = [
      use,
      lake.grantRead(role, 'athena-results', this.resultsPrefix),
      lake.grantWrite(role, 'athena-results', this.resultsPrefix),
    ];
  }
}

/** Records problems with the props of a PersonaWorkgroup (values still tokens are skipped). */
function checkProps(v: Validator, { lake, persona, role, bytesScannedCutoffMb }: PersonaWorkgroupProps, account: string): Validator {
  if (!Token.isUnresolved(persona)) v.check(DATASET_NAME_RE.test(persona), 'persona', `is ${JSON.stringify(persona)}; ${DATASET_NAME_FIX}`);
  if (!Token.isUnresolved(bytesScannedCutoffMb)) {
    const ok = Number.isInteger(bytesScannedCutoffMb) && bytesScannedCutoffMb >= ATHENA_MIN_CUTOFF_MB && bytesScannedCutoffMb <= ATHENA_MAX_CUTOFF_MB;
    v.check(ok, 'bytesScannedCutoffMb',
      `is ${bytesScannedCutoffMb}; use a whole number of MB from ${ATHENA_MIN_CUTOFF_MB} (Athena's smallest per-query cutoff) to ${ATHENA_MAX_CUTOFF_MB}`);
  }
  const roleStack = TerraformStack.of(role);
  if (!(roleStack instanceof PlatformStack)) {
    v.add('role', `${role.node.path} is not in a PlatformStack; create the persona's role in a platform stack`);
  } else if (roleStack.env.account !== account) {
    v.add('role', `${role.node.path} is in account ${roleStack.env.account}; use a role of the workgroup's account, ${account}`);
  }
  const lakeAccount = PlatformStack.of(lake).env.account;
  v.check(lakeAccount === account, 'lake', `${lake.node.path} is in account ${lakeAccount}; use the lake of the workgroup's account, ${account}`);
  return v;
}
