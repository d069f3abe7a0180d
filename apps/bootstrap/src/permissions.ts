/**
 * What the deploy and plan roles may do, as IAM policy statements grouped into the roles'
 * managed policies, and the permissions boundary of the roles the platform creates.
 *
 * The deploy role creates everything the platform's stacks hold, so its permissions are broad
 * by necessity; they are bounded by the account (one account per environment: nothing else of
 * value lives there) and, within it, as follows:
 * - each service's actions are listed (no `*`, no `<service>:*`), on the ARNs of this account
 *   and region (`arn:<partition>:<service>:<region>:<account>:*`); only actions AWS defines on
 *   `*` alone are on `*`, each in a statement of its own;
 * - IAM: roles and policies named `<project>-<env>-*` only (core's naming), `iam:PassRole` for
 *   those roles only, service-linked roles only for the services that need one; the deploy and
 *   plan roles are named outside that prefix, so they cannot change their own permissions. It may
 *   set the permissions boundary ({@link boundaryPermissions}) on those roles, never remove one,
 *   and, once `boundary.enforce` is on, create roles and give them policies only with it;
 * - data: configuration of the platform's buckets (`<project>-<env>-*`), but objects only where
 *   the stacks keep them (the job scripts in the lake's artifacts bucket), tables of its Glue
 *   databases (`<project>_<env>_*`), and the platform's keys (tagged with its project and
 *   environment);
 * - state: its own state prefix, and a Deny on tampering with the state bucket, its log bucket
 *   and its key (deleting them or old state versions, rewriting their policies).
 *
 * The plan role reads what the deploy role manages: the same statements with their read actions
 * only (Get, Describe, List, View) and never object contents, except the state it plans against
 * and the platform's job scripts (a refresh of an S3 object reads it), and decrypts with the
 * platform's keys through Glue only (the Data Catalog is encrypted with the lake key). It writes
 * nothing, not even the state's lock objects: its plans run with `-lock=false` (`npm run plan --
 * --no-lock`).
 */
import { DataAwsIamPolicyDocumentStatement } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';

type Statement = DataAwsIamPolicyDocumentStatement;

/** What the roles' statements point at. Values may be tokens (the state bucket's ARN, the partition). */
export interface PermissionScope {
  /** `aws`, `aws-us-gov`, ... (usually the `aws_partition` data source). */
  readonly partition: string;
  /** The environment's region: the platform's regional resources are there. */
  readonly region: string;
  readonly account: string;
  /** `<project>-<env>`: platform roles, policies and buckets are named `<namePrefix>-*`. */
  readonly namePrefix: string;
  /** `<project>_<env>`: platform Glue databases are named `<databasePrefix>_*`. */
  readonly databasePrefix: string;
  /** Tags every platform resource carries (the provider's default tags), e.g. `{ project: 'adp', environment: 'dev' }`. */
  readonly resourceTags: Readonly<Record<string, string>>;
  readonly state: {
    readonly bucketArn: string;
    readonly keyArn: string;
    readonly keyAliasArn: string;
    readonly accessLogsBucketArn: string;
    /** The platform's state keys are `<keyPrefix>/<stack>.tfstate`. */
    readonly keyPrefix: string;
  };
  /** Name of the lake's artifacts bucket, whose job scripts the plan role reads. */
  readonly artifactsBucket: string;
  /** Key prefix of the job scripts in the artifacts bucket, ending in "/". */
  readonly scriptsPrefix: string;
  /** The permissions boundary of the roles the platform creates ({@link boundaryPermissions}). */
  readonly boundary: {
    /** ARN of the boundary's managed policy. */
    readonly policyArn: string;
    /**
     * Whether the deploy role may create roles and give them policies only with the boundary
     * (`iam:PermissionsBoundary`). Off until every role the platform creates sets it: with it on,
     * creating a role without the boundary is denied.
     */
    readonly enforce: boolean;
  };
}

/** The deploy role's managed policies, by key (at most 10 per role; each under 6,144 characters). */
export const DEPLOY_POLICIES = ['state', 'identity', 'data', 'ingestion', 'compute', 'operations', 'analytics'] as const;
/** Key of one of the deploy role's managed policies (`<deploy role>-<key>`). */
export type DeployPolicy = (typeof DEPLOY_POLICIES)[number];

/** The plan role's managed policies, by key. */
export const PLAN_POLICIES = ['state', 'read-identity', 'read-data', 'read-ingestion', 'read-compute', 'read-operations', 'read-analytics'] as const;
/** Key of one of the plan role's managed policies (`<plan role>-<key>`). */
export type PlanPolicy = (typeof PLAN_POLICIES)[number];

/**
 * Services that create a service-linked role the first time the platform uses them: ECS
 * (clusters), Lake Formation (registered locations), SageMaker (Studio domains) and Application
 * Auto Scaling of SageMaker endpoints.
 */
export const SERVICE_LINKED_ROLE_SERVICES = [
  'ecs.amazonaws.com',
  'lakeformation.amazonaws.com',
  'sagemaker.amazonaws.com',
  'sagemaker.application-autoscaling.amazonaws.com',
] as const;

/**
 * Roles DMS requires under these exact names (it creates no service-linked role): the deploy
 * role may pass them to DMS, not create them (see the Delivery section of the repository's README).
 * @see https://docs.aws.amazon.com/dms/latest/userguide/security-iam.html#CHAP_Security.APIRole
 */
export const DMS_ROLES = ['dms-vpc-role', 'dms-cloudwatch-logs-role'] as const;

/** The service-linked role Lake Formation registers locations with, which it lets its caller extend. */
const LAKE_FORMATION_DATA_ACCESS_ROLE = 'aws-service-role/lakeformation.amazonaws.com/AWSServiceRoleForLakeFormationDataAccess';

/** Actions of read access, which the plan role gets of everything the deploy role manages. */
const READ_ACTION = /^[a-z0-9-]+:(Get|Describe|List|View|BatchGet)/;
/** Read actions that return object contents: not for the plan role. */
const CONTENT_READS = new Set(['s3:GetObject', 's3:GetObjectVersion', 's3:GetObjectTagging']);

const allow = (sid: string, actions: string[], resources: string[], condition?: Statement['condition']): Statement => ({
  sid,
  effect: 'Allow',
  actions,
  resources,
  ...(condition ? { condition } : {}),
});

/** ARN builders of `scope`'s account: regional, global (IAM, dashboards, budgets: no region) and S3 (no account either). */
function arns(scope: PermissionScope) {
  return {
    regional: (service: string, resource = '*') => `arn:${scope.partition}:${service}:${scope.region}:${scope.account}:${resource}`,
    global: (service: string, resource: string) => `arn:${scope.partition}:${service}::${scope.account}:${resource}`,
    s3: (resource: string) => `arn:${scope.partition}:s3:::${resource}`,
  };
}

/**
 * IAM actions that change something (every IAM action but reads and `iam:PassRole`), by prefix.
 * @see https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsidentityandaccessmanagementiam.html
 */
export const IAM_WRITE_ACTIONS = [
  'iam:Add*', 'iam:Attach*', 'iam:Change*', 'iam:Create*', 'iam:Deactivate*', 'iam:Delete*', 'iam:Detach*', 'iam:Enable*',
  'iam:Put*', 'iam:Remove*', 'iam:Reset*', 'iam:Resync*', 'iam:Set*', 'iam:Tag*', 'iam:Untag*', 'iam:Update*', 'iam:Upload*',
] as const;

/**
 * The permissions boundary of every role the platform creates: whatever a role's own policies
 * grant, it never changes IAM (no role, policy or user of its own making; `iam:PassRole` stays,
 * which some platform roles need to start jobs with other platform roles) and never touches the
 * Terraform state: its buckets and its key. Everything else is left to the role's own policies
 * (a boundary grants nothing by itself).
 */
export function boundaryPermissions(state: PermissionScope['state']): Statement[] {
  return [
    // A boundary caps; the role's own policies grant. "*" here grants nothing on its own.
    allow('WithinTheRolesOwnPolicies', ['*'], ['*']),
    { sid: 'DenyIamWrites', effect: 'Deny', actions: [...IAM_WRITE_ACTIONS], resources: ['*'] },
    {
      sid: 'DenyState',
      effect: 'Deny',
      actions: ['s3:*'],
      resources: [state.bucketArn, `${state.bucketArn}/*`, state.accessLogsBucketArn, `${state.accessLogsBucketArn}/*`],
    },
    { sid: 'DenyStateKey', effect: 'Deny', actions: ['kms:*'], resources: [state.keyArn, state.keyAliasArn] },
  ];
}

/** The deploy role's statements, by managed policy (see the module's summary for their bounds). */
export function deployPermissions(scope: PermissionScope): Record<DeployPolicy, Statement[]> {
  const arn = arns(scope);
  const keys = arn.regional('kms', 'key/*');
  const buckets = arn.s3(`${scope.namePrefix}-*`);
  const stateObjects = `${scope.state.bucketArn}/${scope.state.keyPrefix}/*`;
  const roles = [arn.global('iam', `role/${scope.namePrefix}-*`)];
  const withBoundary = { test: 'StringEquals', variable: 'iam:PermissionsBoundary', values: [scope.boundary.policyArn] };
  // With the boundary enforced, these need it on the role (created with it, or already carrying it).
  const bounded = scope.boundary.enforce ? ['iam:CreateRole', 'iam:PutRolePolicy'] : [];
  const roleActions = [
    'iam:CreateRole', 'iam:DeleteRole', 'iam:GetRole', 'iam:UpdateRole', 'iam:UpdateRoleDescription', 'iam:UpdateAssumeRolePolicy',
    'iam:TagRole', 'iam:UntagRole', 'iam:ListRoleTags', 'iam:PutRolePolicy', 'iam:GetRolePolicy', 'iam:DeleteRolePolicy',
    'iam:ListRolePolicies', 'iam:ListAttachedRolePolicies', 'iam:ListInstanceProfilesForRole', 'iam:PassRole',
  ];
  return {
    state: [
      allow('StateList', ['s3:ListBucket'], [scope.state.bucketArn]),
      allow('StateObjects', ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'], [stateObjects]),
      allow('StateKey', ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey', 'kms:DescribeKey'], [scope.state.keyArn]),
      {
        // The state must outlive any deploy: the buckets, old state versions and the key cannot be
        // removed or opened up by the deploy role, even if their names matched its prefixes.
        sid: 'DenyStateTampering',
        effect: 'Deny',
        actions: [
          's3:DeleteBucket', 's3:DeleteBucketPolicy', 's3:PutBucketPolicy', 's3:PutBucketVersioning', 's3:PutLifecycleConfiguration',
          's3:PutEncryptionConfiguration', 's3:PutBucketPublicAccessBlock', 's3:PutBucketOwnershipControls', 's3:PutBucketLogging',
          's3:PutBucketAcl', 's3:DeleteObjectVersion',
        ],
        resources: [scope.state.bucketArn, `${scope.state.bucketArn}/*`, scope.state.accessLogsBucketArn, `${scope.state.accessLogsBucketArn}/*`],
      },
      {
        sid: 'DenyStateKeyTampering',
        effect: 'Deny',
        actions: [
          'kms:ScheduleKeyDeletion', 'kms:DisableKey', 'kms:PutKeyPolicy', 'kms:DisableKeyRotation', 'kms:UpdateKeyDescription',
          'kms:TagResource', 'kms:UntagResource', 'kms:CreateAlias', 'kms:DeleteAlias', 'kms:UpdateAlias',
        ],
        resources: [scope.state.keyArn, scope.state.keyAliasArn],
      },
    ],
    identity: [
      allow('IamRoles', roleActions.filter((a) => !bounded.includes(a)), roles),
      ...(bounded.length > 0 ? [allow('IamRolesWithinBoundary', bounded, roles, [withBoundary])] : []),
      // Only the platform's own policies and AWS managed service-role policies, never e.g.
      // AdministratorAccess (the platform attaches no other managed policy).
      allow('IamAttachPolicies', ['iam:AttachRolePolicy', 'iam:DetachRolePolicy'], roles, [
        {
          test: 'ArnLike',
          variable: 'iam:PolicyARN',
          values: [arn.global('iam', `policy/${scope.namePrefix}-*`), `arn:${scope.partition}:iam::aws:policy/service-role/*`],
        },
        ...(scope.boundary.enforce ? [withBoundary] : []),
      ]),
      // The boundary may be set (on roles created before it was required), never another one, and never removed.
      allow('IamRoleBoundary', ['iam:PutRolePermissionsBoundary'], roles, [withBoundary]),
      { sid: 'DenyBoundaryRemoval', effect: 'Deny', actions: ['iam:DeleteRolePermissionsBoundary'], resources: roles },
      allow('IamPolicies', [
        'iam:CreatePolicy', 'iam:DeletePolicy', 'iam:GetPolicy', 'iam:GetPolicyVersion', 'iam:CreatePolicyVersion', 'iam:DeletePolicyVersion',
        'iam:ListPolicyVersions', 'iam:TagPolicy', 'iam:UntagPolicy', 'iam:ListPolicyTags', 'iam:ListEntitiesForPolicy',
      ], [arn.global('iam', `policy/${scope.namePrefix}-*`)]),
      allow('IamServiceLinkedRoles', ['iam:CreateServiceLinkedRole'], [arn.global('iam', 'role/aws-service-role/*')], [
        { test: 'StringEquals', variable: 'iam:AWSServiceName', values: [...SERVICE_LINKED_ROLE_SERVICES] },
      ]),
      allow('LakeFormationDataAccessRole', ['iam:GetRole', 'iam:PutRolePolicy'], [arn.global('iam', `role/${LAKE_FORMATION_DATA_ACCESS_ROLE}`)]),
      allow('DmsRoles', ['iam:GetRole'], DMS_ROLES.map((r) => arn.global('iam', `role/${r}`))),
      allow('DmsRolesPass', ['iam:PassRole'], DMS_ROLES.map((r) => arn.global('iam', `role/${r}`)), [
        { test: 'StringEquals', variable: 'iam:PassedToService', values: ['dms.amazonaws.com'] },
      ]),
      // kms:CreateKey, ListAliases and ListKeys are defined on "*" only.
      allow('KmsAccount', ['kms:CreateKey', 'kms:ListAliases', 'kms:ListKeys'], ['*']),
      allow('KmsKeys', [
        'kms:DescribeKey', 'kms:GetKeyPolicy', 'kms:GetKeyRotationStatus', 'kms:ListResourceTags', 'kms:PutKeyPolicy', 'kms:EnableKeyRotation',
        'kms:UpdateKeyDescription', 'kms:TagResource', 'kms:UntagResource', 'kms:ScheduleKeyDeletion', 'kms:CreateGrant', 'kms:ListGrants', 'kms:RevokeGrant',
      ], [keys]),
      allow('KmsAliases', ['kms:CreateAlias', 'kms:DeleteAlias', 'kms:UpdateAlias'], [arn.regional('kms', `alias/${scope.namePrefix}-*`), keys]),
      // Key ARNs carry ids KMS generates, unknown here: the platform's keys are told apart by the
      // tags every platform resource carries.
      allow('KmsUsePlatformKeys', ['kms:Encrypt', 'kms:Decrypt', 'kms:GenerateDataKey', 'kms:ReEncryptFrom', 'kms:ReEncryptTo'], [keys],
        Object.entries(scope.resourceTags).map(([tag, value]) => ({ test: 'StringEquals', variable: `aws:ResourceTag/${tag}`, values: [value] }))),
    ],
    data: [
      allow('S3Buckets', [
        's3:CreateBucket', 's3:DeleteBucket', 's3:ListBucket', 's3:ListBucketVersions', 's3:ListBucketMultipartUploads',
        's3:GetBucket*', 's3:PutBucket*', 's3:DeleteBucketPolicy', 's3:GetAccelerateConfiguration', 's3:GetEncryptionConfiguration',
        's3:PutEncryptionConfiguration', 's3:GetLifecycleConfiguration', 's3:PutLifecycleConfiguration', 's3:GetReplicationConfiguration',
      ], [buckets]),
      // The only objects the stacks manage: the job scripts (aws_s3_object). The bucket is
      // versioned, and the provider deletes a versioned object by deleting each of its versions,
      // which takes DeleteObjectVersion (a changed script has a new key: the old one is deleted).
      allow('S3Objects', [
        's3:GetObject', 's3:GetObjectTagging', 's3:PutObject', 's3:PutObjectTagging', 's3:DeleteObject', 's3:DeleteObjectVersion',
      ], [arn.s3(`${scope.artifactsBucket}/${scope.scriptsPrefix}*`)]),
      // Defined on "*" only.
      allow('S3Account', ['s3:ListAllMyBuckets'], ['*']),
      allow('Glue', [
        'glue:CreateJob', 'glue:UpdateJob', 'glue:DeleteJob', 'glue:GetJob',
        'glue:UpdateCrawler', 'glue:DeleteCrawler', 'glue:GetCrawler',
        'glue:CreateConnection', 'glue:UpdateConnection', 'glue:DeleteConnection', 'glue:GetConnection',
        'glue:CreateWorkflow', 'glue:UpdateWorkflow', 'glue:DeleteWorkflow', 'glue:GetWorkflow',
        'glue:CreateTrigger', 'glue:UpdateTrigger', 'glue:DeleteTrigger', 'glue:GetTrigger', 'glue:StartTrigger', 'glue:StopTrigger',
        'glue:UpdateDataQualityRuleset', 'glue:DeleteDataQualityRuleset', 'glue:GetDataQualityRuleset',
        'glue:CreateDatabase', 'glue:UpdateDatabase', 'glue:DeleteDatabase', 'glue:GetDatabase', 'glue:GetDatabases',
        'glue:CreateTable', 'glue:UpdateTable', 'glue:DeleteTable', 'glue:CreatePartitionIndex', 'glue:DeletePartitionIndex', 'glue:GetPartitionIndexes',
        'glue:GetDataCatalogEncryptionSettings', 'glue:PutDataCatalogEncryptionSettings',
        'glue:GetResourcePolicy', 'glue:PutResourcePolicy', 'glue:DeleteResourcePolicy',
        'glue:GetTags', 'glue:TagResource', 'glue:UntagResource',
      ], [arn.regional('glue')]),
      // Table definitions are data actions to the policy pack: the platform's databases only.
      allow('GlueTables', ['glue:GetTable', 'glue:GetTables', 'glue:GetPartitions'], [
        arn.regional('glue', 'catalog'),
        arn.regional('glue', `database/${scope.databasePrefix}_*`),
        arn.regional('glue', `table/${scope.databasePrefix}_*/*`),
      ]),
      // Classifiers and security configurations have no ARN; crawlers and rulesets are created on "*".
      allow('GlueAccount', [
        'glue:CreateCrawler', 'glue:CreateDataQualityRuleset',
        'glue:CreateClassifier', 'glue:UpdateClassifier', 'glue:DeleteClassifier', 'glue:GetClassifier',
        'glue:CreateSecurityConfiguration', 'glue:DeleteSecurityConfiguration', 'glue:GetSecurityConfiguration',
      ], ['*']),
      // Lake Formation defines every action on "*" only (its permissions are its own grants);
      // cross-account grants create RAM shares, also on "*".
      allow('LakeFormation', [
        'lakeformation:GetDataLakeSettings', 'lakeformation:PutDataLakeSettings',
        'lakeformation:RegisterResource', 'lakeformation:DeregisterResource', 'lakeformation:UpdateResource', 'lakeformation:DescribeResource', 'lakeformation:ListResources',
        'lakeformation:GrantPermissions', 'lakeformation:RevokePermissions', 'lakeformation:BatchGrantPermissions', 'lakeformation:BatchRevokePermissions', 'lakeformation:ListPermissions',
        'lakeformation:CreateLFTag', 'lakeformation:UpdateLFTag', 'lakeformation:DeleteLFTag', 'lakeformation:GetLFTag', 'lakeformation:ListLFTags',
        'lakeformation:AddLFTagsToResource', 'lakeformation:RemoveLFTagsFromResource', 'lakeformation:GetResourceLFTags',
        'lakeformation:CreateDataCellsFilter', 'lakeformation:UpdateDataCellsFilter', 'lakeformation:DeleteDataCellsFilter',
        'lakeformation:GetDataCellsFilter', 'lakeformation:ListDataCellsFilter',
        'ram:CreateResourceShare', 'ram:GetResourceShares', 'ram:GetResourceShareAssociations',
      ], ['*']),
      allow('RamShares', [
        'ram:AssociateResourceShare', 'ram:DisassociateResourceShare', 'ram:UpdateResourceShare', 'ram:DeleteResourceShare', 'ram:ListResourceSharePermissions',
      ], [arn.regional('ram')]),
      allow('Athena', [
        'athena:CreateWorkGroup', 'athena:UpdateWorkGroup', 'athena:DeleteWorkGroup', 'athena:GetWorkGroup',
        'athena:CreateNamedQuery', 'athena:DeleteNamedQuery', 'athena:GetNamedQuery', 'athena:UpdateNamedQuery',
        'athena:CreatePreparedStatement', 'athena:UpdatePreparedStatement', 'athena:DeletePreparedStatement', 'athena:GetPreparedStatement',
        'athena:TagResource', 'athena:UntagResource', 'athena:ListTagsForResource',
      ], [arn.regional('athena')]),
      allow('DynamoDb', [
        'dynamodb:CreateTable', 'dynamodb:DeleteTable', 'dynamodb:DescribeTable', 'dynamodb:UpdateTable',
        'dynamodb:DescribeContinuousBackups', 'dynamodb:UpdateContinuousBackups', 'dynamodb:DescribeTimeToLive', 'dynamodb:UpdateTimeToLive',
        'dynamodb:TagResource', 'dynamodb:UntagResource', 'dynamodb:ListTagsOfResource', 'dynamodb:GetResourcePolicy', 'dynamodb:DescribeKinesisStreamingDestination',
      ], [arn.regional('dynamodb')]),
    ],
    ingestion: [
      allow('Kinesis', [
        'kinesis:CreateStream', 'kinesis:DeleteStream', 'kinesis:DescribeStream', 'kinesis:DescribeStreamSummary', 'kinesis:ListShards',
        'kinesis:AddTagsToStream', 'kinesis:RemoveTagsFromStream', 'kinesis:ListTagsForStream', 'kinesis:TagResource', 'kinesis:UntagResource',
        'kinesis:ListTagsForResource', 'kinesis:IncreaseStreamRetentionPeriod', 'kinesis:DecreaseStreamRetentionPeriod',
        'kinesis:StartStreamEncryption', 'kinesis:StopStreamEncryption',
      ], [arn.regional('kinesis'), keys]),
      // Defined on "*" only.
      allow('KinesisAccount', ['kinesis:UpdateShardCount', 'kinesis:UpdateStreamMode', 'kinesis:EnableEnhancedMonitoring', 'kinesis:DisableEnhancedMonitoring'], ['*']),
      allow('Firehose', [
        'firehose:CreateDeliveryStream', 'firehose:DeleteDeliveryStream', 'firehose:DescribeDeliveryStream', 'firehose:UpdateDestination',
        'firehose:TagDeliveryStream', 'firehose:UntagDeliveryStream', 'firehose:ListTagsForDeliveryStream',
        'firehose:StartDeliveryStreamEncryption', 'firehose:StopDeliveryStreamEncryption',
      ], [arn.regional('firehose')]),
      allow('Dms', [
        'dms:CreateReplicationInstance', 'dms:ModifyReplicationInstance', 'dms:DeleteReplicationInstance',
        'dms:CreateReplicationSubnetGroup', 'dms:ModifyReplicationSubnetGroup', 'dms:DeleteReplicationSubnetGroup',
        'dms:CreateEndpoint', 'dms:ModifyEndpoint', 'dms:DeleteEndpoint',
        'dms:CreateReplicationTask', 'dms:ModifyReplicationTask', 'dms:DeleteReplicationTask', 'dms:StartReplicationTask', 'dms:StopReplicationTask',
        'dms:AddTagsToResource', 'dms:RemoveTagsFromResource', 'dms:ListTagsForResource',
      ], [arn.regional('dms')]),
      // DMS defines its Describe actions on "*" only.
      allow('DmsAccount', ['dms:DescribeReplicationInstances', 'dms:DescribeReplicationSubnetGroups', 'dms:DescribeEndpoints', 'dms:DescribeReplicationTasks'], ['*']),
      allow('AppFlow', [
        'appflow:DeleteFlow', 'appflow:DescribeFlow', 'appflow:UpdateFlow', 'appflow:StartFlow', 'appflow:StopFlow',
        'appflow:TagResource', 'appflow:UntagResource', 'appflow:ListTagsForResource', 'appflow:UseConnectorProfile', 'appflow:DescribeConnectorEntity',
      ], [arn.regional('appflow')]),
      // Defined on "*" only.
      allow('AppFlowAccount', ['appflow:CreateFlow', 'appflow:DescribeConnectorProfiles', 'appflow:DescribeConnectors'], ['*']),
      // Metadata of the secrets the platform's connections name; never their values.
      allow('SecretsMetadata', ['secretsmanager:DescribeSecret', 'secretsmanager:GetResourcePolicy'], [arn.regional('secretsmanager')]),
    ],
    compute: [
      allow('Lambda', [
        'lambda:CreateFunction', 'lambda:DeleteFunction', 'lambda:GetFunction', 'lambda:GetFunctionConfiguration', 'lambda:UpdateFunctionCode',
        'lambda:UpdateFunctionConfiguration', 'lambda:ListVersionsByFunction', 'lambda:PublishVersion', 'lambda:GetFunctionCodeSigningConfig',
        'lambda:GetRuntimeManagementConfig', 'lambda:PutRuntimeManagementConfig',
        'lambda:PutFunctionConcurrency', 'lambda:DeleteFunctionConcurrency', 'lambda:GetFunctionConcurrency',
        'lambda:PutFunctionEventInvokeConfig', 'lambda:UpdateFunctionEventInvokeConfig', 'lambda:DeleteFunctionEventInvokeConfig', 'lambda:GetFunctionEventInvokeConfig',
        'lambda:AddPermission', 'lambda:RemovePermission', 'lambda:GetPolicy', 'lambda:TagResource', 'lambda:UntagResource', 'lambda:ListTags',
        'lambda:GetEventSourceMapping', 'lambda:UpdateEventSourceMapping', 'lambda:DeleteEventSourceMapping',
      ], [arn.regional('lambda')]),
      // Defined on "*" only.
      allow('LambdaAccount', ['lambda:CreateEventSourceMapping'], ['*']),
      allow('Ecs', [
        'ecs:CreateCluster', 'ecs:DeleteCluster', 'ecs:DescribeClusters', 'ecs:UpdateCluster', 'ecs:UpdateClusterSettings', 'ecs:PutClusterCapacityProviders',
        'ecs:RegisterTaskDefinition', 'ecs:DeleteTaskDefinitions', 'ecs:TagResource', 'ecs:UntagResource', 'ecs:ListTagsForResource',
      ], [arn.regional('ecs')]),
      // Defined on "*" only.
      allow('EcsAccount', ['ecs:DeregisterTaskDefinition', 'ecs:DescribeTaskDefinition'], ['*']),
      allow('Scheduler', [
        'scheduler:CreateSchedule', 'scheduler:UpdateSchedule', 'scheduler:DeleteSchedule', 'scheduler:GetSchedule',
        'scheduler:CreateScheduleGroup', 'scheduler:DeleteScheduleGroup', 'scheduler:GetScheduleGroup',
        'scheduler:TagResource', 'scheduler:UntagResource', 'scheduler:ListTagsForResource',
      ], [arn.regional('scheduler')]),
      allow('Ec2SecurityGroupsAndInterfaces', [
        'ec2:CreateSecurityGroup', 'ec2:DeleteSecurityGroup', 'ec2:AuthorizeSecurityGroupIngress', 'ec2:AuthorizeSecurityGroupEgress',
        'ec2:RevokeSecurityGroupIngress', 'ec2:RevokeSecurityGroupEgress', 'ec2:ModifySecurityGroupRules',
        'ec2:UpdateSecurityGroupRuleDescriptionsIngress', 'ec2:UpdateSecurityGroupRuleDescriptionsEgress',
        'ec2:CreateTags', 'ec2:DeleteTags', 'ec2:CreateNetworkInterface', 'ec2:DeleteNetworkInterface', 'ec2:CreateNetworkInterfacePermission',
      ], [arn.regional('ec2')]),
      // EC2 defines its Describe actions on "*" only.
      allow('Ec2Describe', [
        'ec2:DescribeSecurityGroups', 'ec2:DescribeSecurityGroupRules', 'ec2:DescribeNetworkInterfaces', 'ec2:DescribeVpcs', 'ec2:DescribeSubnets',
        'ec2:DescribeAvailabilityZones', 'ec2:DescribeVpcEndpoints', 'ec2:DescribeRouteTables', 'ec2:DescribeDhcpOptions', 'ec2:DescribeAccountAttributes',
      ], ['*']),
      // Batch import images may live in a registry of another account or region.
      allow('EcrRead', ['ecr:DescribeRepositories', 'ecr:DescribeImages', 'ecr:ListImages'], [`arn:${scope.partition}:ecr:*:*:repository/*`]),
    ],
    operations: [
      allow('Events', [
        'events:PutRule', 'events:DeleteRule', 'events:DescribeRule', 'events:EnableRule', 'events:DisableRule',
        'events:PutTargets', 'events:RemoveTargets', 'events:ListTargetsByRule', 'events:TagResource', 'events:UntagResource', 'events:ListTagsForResource',
      ], [arn.regional('events')]),
      allow('Sns', [
        'sns:CreateTopic', 'sns:DeleteTopic', 'sns:GetTopicAttributes', 'sns:SetTopicAttributes', 'sns:Subscribe', 'sns:Unsubscribe',
        'sns:GetSubscriptionAttributes', 'sns:SetSubscriptionAttributes', 'sns:ListSubscriptionsByTopic',
        'sns:TagResource', 'sns:UntagResource', 'sns:ListTagsForResource',
      ], [arn.regional('sns')]),
      allow('Sqs', [
        'sqs:CreateQueue', 'sqs:DeleteQueue', 'sqs:GetQueueAttributes', 'sqs:SetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:TagQueue', 'sqs:UntagQueue', 'sqs:ListQueueTags',
      ], [arn.regional('sqs')]),
      // Dashboards are global (no region in their ARN).
      allow('CloudWatch', [
        'cloudwatch:PutMetricAlarm', 'cloudwatch:PutCompositeAlarm', 'cloudwatch:DeleteAlarms', 'cloudwatch:DescribeAlarms',
        'cloudwatch:TagResource', 'cloudwatch:UntagResource', 'cloudwatch:ListTagsForResource',
        'cloudwatch:PutDashboard', 'cloudwatch:DeleteDashboards', 'cloudwatch:GetDashboard',
      ], [arn.regional('cloudwatch'), arn.global('cloudwatch', 'dashboard/*')]),
      allow('Logs', [
        'logs:CreateLogGroup', 'logs:DeleteLogGroup', 'logs:PutRetentionPolicy', 'logs:DeleteRetentionPolicy', 'logs:AssociateKmsKey', 'logs:DisassociateKmsKey',
        'logs:TagResource', 'logs:UntagResource', 'logs:ListTagsForResource', 'logs:TagLogGroup', 'logs:UntagLogGroup', 'logs:ListTagsLogGroup',
        'logs:CreateLogStream', 'logs:DeleteLogStream', 'logs:DescribeLogStreams',
      ], [arn.regional('logs')]),
      // Defined on "*" only. Log deliveries: Step Functions state machines that log to CloudWatch Logs.
      allow('LogsAccount', [
        'logs:DescribeLogGroups', 'logs:PutResourcePolicy', 'logs:DescribeResourcePolicies', 'logs:DeleteResourcePolicy',
        'logs:CreateLogDelivery', 'logs:GetLogDelivery', 'logs:UpdateLogDelivery', 'logs:DeleteLogDelivery', 'logs:ListLogDeliveries',
      ], ['*']),
      allow('Budgets', ['budgets:ViewBudget', 'budgets:ModifyBudget', 'budgets:TagResource', 'budgets:UntagResource', 'budgets:ListTagsForResource'], [
        arn.global('budgets', 'budget/*'),
      ]),
    ],
    analytics: [
      // QuickSight users and groups live in the account's identity region, which may differ.
      allow('QuickSight', [
        'quicksight:UpdateDataSource', 'quicksight:DeleteDataSource', 'quicksight:DescribeDataSource', 'quicksight:DescribeDataSourcePermissions',
        'quicksight:UpdateDataSourcePermissions', 'quicksight:PassDataSource',
        'quicksight:CreateDataSet', 'quicksight:UpdateDataSet', 'quicksight:DeleteDataSet', 'quicksight:DescribeDataSet', 'quicksight:DescribeDataSetPermissions',
        'quicksight:UpdateDataSetPermissions', 'quicksight:PassDataSet',
        'quicksight:PutDataSetRefreshProperties', 'quicksight:DescribeDataSetRefreshProperties', 'quicksight:DeleteDataSetRefreshProperties',
        'quicksight:CreateRefreshSchedule', 'quicksight:UpdateRefreshSchedule', 'quicksight:DeleteRefreshSchedule', 'quicksight:DescribeRefreshSchedule',
        'quicksight:CreateGroup', 'quicksight:UpdateGroup', 'quicksight:DeleteGroup', 'quicksight:DescribeGroup',
        'quicksight:CreateGroupMembership', 'quicksight:DeleteGroupMembership', 'quicksight:DescribeGroupMembership', 'quicksight:ListGroupMemberships',
        'quicksight:CreateAnalysis', 'quicksight:UpdateAnalysis', 'quicksight:DeleteAnalysis', 'quicksight:DescribeAnalysis',
        'quicksight:DescribeAnalysisPermissions', 'quicksight:UpdateAnalysisPermissions',
        'quicksight:CreateDashboard', 'quicksight:UpdateDashboard', 'quicksight:DeleteDashboard', 'quicksight:DescribeDashboard',
        'quicksight:DescribeDashboardPermissions', 'quicksight:UpdateDashboardPermissions', 'quicksight:UpdateDashboardPublishedVersion', 'quicksight:ListDashboardVersions',
        'quicksight:UpdateVPCConnection', 'quicksight:DeleteVPCConnection', 'quicksight:DescribeVPCConnection',
        'quicksight:TagResource', 'quicksight:UntagResource', 'quicksight:ListTagsForResource',
      ], [`arn:${scope.partition}:quicksight:*:${scope.account}:*`]),
      // Defined on "*" only.
      allow('QuickSightAccount', [
        'quicksight:CreateDataSource', 'quicksight:CreateVPCConnection', 'quicksight:ListRefreshSchedules',
        'quicksight:CreateRoleMembership', 'quicksight:DeleteRoleMembership', 'quicksight:ListRoleMemberships',
      ], ['*']),
      allow('SageMaker', [
        'sagemaker:CreateDomain', 'sagemaker:UpdateDomain', 'sagemaker:DeleteDomain', 'sagemaker:DescribeDomain',
        'sagemaker:CreateUserProfile', 'sagemaker:UpdateUserProfile', 'sagemaker:DeleteUserProfile', 'sagemaker:DescribeUserProfile',
        'sagemaker:CreateModelPackageGroup', 'sagemaker:DeleteModelPackageGroup', 'sagemaker:DescribeModelPackageGroup',
        'sagemaker:PutModelPackageGroupPolicy', 'sagemaker:GetModelPackageGroupPolicy', 'sagemaker:DeleteModelPackageGroupPolicy',
        'sagemaker:CreateModel', 'sagemaker:DeleteModel', 'sagemaker:DescribeModel',
        'sagemaker:CreateEndpointConfig', 'sagemaker:DeleteEndpointConfig', 'sagemaker:DescribeEndpointConfig',
        'sagemaker:CreateEndpoint', 'sagemaker:UpdateEndpoint', 'sagemaker:DeleteEndpoint', 'sagemaker:DescribeEndpoint',
        'sagemaker:AddTags', 'sagemaker:DeleteTags', 'sagemaker:ListTags',
      ], [arn.regional('sagemaker')]),
      allow('StepFunctions', [
        'states:CreateStateMachine', 'states:UpdateStateMachine', 'states:DeleteStateMachine', 'states:DescribeStateMachine',
        'states:ListStateMachineVersions', 'states:TagResource', 'states:UntagResource', 'states:ListTagsForResource',
      ], [arn.regional('states')]),
      allow('AutoScaling', [
        'application-autoscaling:RegisterScalableTarget', 'application-autoscaling:DeregisterScalableTarget',
        'application-autoscaling:PutScalingPolicy', 'application-autoscaling:DeleteScalingPolicy',
        'application-autoscaling:TagResource', 'application-autoscaling:UntagResource', 'application-autoscaling:ListTagsForResource',
      ], [arn.regional('application-autoscaling')]),
      // Defined on "*" only.
      allow('AutoScalingAccount', ['application-autoscaling:DescribeScalableTargets', 'application-autoscaling:DescribeScalingPolicies'], ['*']),
    ],
  };
}

/**
 * The read-only form of statements: their read actions (see the module's summary) on the same
 * resources, `Read<sid>`; statements left with no action, and Deny statements, are dropped.
 */
export function readOnly(statements: readonly Statement[]): Statement[] {
  return statements.flatMap((s) => {
    if (s.effect === 'Deny') return [];
    const actions = (s.actions ?? []).filter((a) => READ_ACTION.test(a) && !CONTENT_READS.has(a));
    return actions.length > 0 ? [{ ...s, sid: `Read${s.sid}`, actions }] : [];
  });
}

/** The plan role's statements, by managed policy. */
export function planPermissions(scope: PermissionScope): Record<PlanPolicy, Statement[]> {
  const deploy = deployPermissions(scope);
  const stateObjects = `${scope.state.bucketArn}/${scope.state.keyPrefix}/*`;
  return {
    state: [
      allow('StateList', ['s3:ListBucket'], [scope.state.bucketArn]),
      // Its plans take no lock (-lock=false): it reads the state and writes nothing.
      allow('StateRead', ['s3:GetObject'], [stateObjects]),
      allow('StateKey', ['kms:Decrypt', 'kms:GenerateDataKey'], [scope.state.keyArn]),
      // Refreshing an S3 object (a job script) reads its head, which takes s3:GetObject.
      allow('JobScripts', ['s3:GetObject', 's3:GetObjectTagging'], [`arn:${scope.partition}:s3:::${scope.artifactsBucket}/${scope.scriptsPrefix}*`]),
    ],
    'read-identity': readOnly(deploy.identity),
    'read-data': [
      ...readOnly(deploy.data),
      // The Data Catalog is encrypted with the lake key: reading a database or table decrypts it,
      // through Glue only. Key ARNs carry generated ids: the platform's keys are told apart by its tags.
      allow('ReadCatalogThroughGlue', ['kms:Decrypt'], [arns(scope).regional('kms', 'key/*')], [
        { test: 'StringEquals', variable: 'kms:ViaService', values: [`glue.${scope.region}.amazonaws.com`] },
        ...Object.entries(scope.resourceTags).map(([tag, value]) => ({ test: 'StringEquals', variable: `aws:ResourceTag/${tag}`, values: [value] })),
      ]),
    ],
    'read-ingestion': readOnly(deploy.ingestion),
    'read-compute': readOnly(deploy.compute),
    'read-operations': readOnly(deploy.operations),
    'read-analytics': readOnly(deploy.analytics),
  };
}
