import { DataAwsIamPolicyDocumentStatement, DataAwsIamPolicyDocumentStatementCondition } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { IAM_POLICY_QUOTAS } from './github-actions-role';
import {
  DEPLOY_POLICIES,
  DMS_ROLES,
  PLAN_POLICIES,
  PermissionScope,
  SERVICE_LINKED_ROLE_SERVICES,
  deployPermissions,
  planPermissions,
  readOnly,
} from './permissions';

type Statement = DataAwsIamPolicyDocumentStatement;

const SCOPE: PermissionScope = {
  partition: 'aws',
  region: 'eu-west-1',
  account: '111111111111',
  namePrefix: 'adp-dev',
  databasePrefix: 'adp_dev',
  resourceTags: { project: 'adp', environment: 'dev' },
  state: {
    bucketArn: 'arn:aws:s3:::adp-tfstate-111111111111',
    keyArn: 'arn:aws:kms:eu-west-1:111111111111:key/state',
    keyAliasArn: 'arn:aws:kms:eu-west-1:111111111111:alias/adp-bootstrap-dev-state-key',
    accessLogsBucketArn: 'arn:aws:s3:::adp-bootstrap-dev-state-logs-111111111111',
    keyPrefix: 'dev',
  },
  artifactsBucket: 'adp-dev-lake-artifacts-111111111111',
  scriptsPrefix: 'scripts/',
};

const deploy = deployPermissions(SCOPE);
const plan = planPermissions(SCOPE);
const all = (policies: Record<string, Statement[]>) => Object.values(policies).flat();
const allows = (policies: Record<string, Statement[]>) => all(policies).filter((s) => s.effect === 'Allow');
const bySid = (policies: Record<string, Statement[]>, sid: string) => {
  const found = all(policies).find((s) => s.sid === sid);
  if (!found) throw new Error(`no statement ${sid}`);
  return found;
};

/** A policy as IAM stores it, to measure against IAM's size quota (whitespace is not counted). */
function iamJson(statements: Statement[]): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: statements.map((s) => ({
      Sid: s.sid,
      Effect: s.effect,
      Action: s.actions,
      Resource: s.resources,
      ...(s.condition ? { Condition: conditionBlock(s.condition as DataAwsIamPolicyDocumentStatementCondition[]) } : {}),
    })),
  });
}

/** IAM's Condition element: `{ <test>: { <variable>: values } }`, tests of several conditions merged. */
function conditionBlock(conditions: DataAwsIamPolicyDocumentStatementCondition[]): Record<string, Record<string, string[]>> {
  const block: Record<string, Record<string, string[]>> = {};
  for (const c of conditions) block[c.test] = { ...block[c.test], [c.variable]: c.values };
  return block;
}

describe('the roles\' permissions', () => {
  test('are grouped into managed policies, well within IAM\'s quota per role', () => {
    expect(DEPLOY_POLICIES).toEqual(['state', 'identity', 'data', 'ingestion', 'compute', 'operations', 'analytics']);
    expect(PLAN_POLICIES).toEqual(['state', 'read-identity', 'read-data', 'read-ingestion', 'read-compute', 'read-operations', 'read-analytics']);
    expect(Object.keys(deploy)).toEqual([...DEPLOY_POLICIES]);
    expect(Object.keys(plan)).toEqual([...PLAN_POLICIES]);
    expect(DEPLOY_POLICIES.length).toBeLessThanOrEqual(IAM_POLICY_QUOTAS.policiesPerRole);
  });

  test('fit IAM\'s 6,144 characters per policy with the longest names the schema allows, with room to spare', () => {
    const longest: PermissionScope = {
      ...SCOPE,
      partition: 'aws-us-gov',
      region: 'ap-southeast-2',
      namePrefix: 'abcdefghij-abcdefghijkl',
      databasePrefix: 'abcdefghij_abcdefghijkl',
      resourceTags: { project: 'abcdefghij', environment: 'abcdefghijkl' },
      state: {
        bucketArn: `arn:aws-us-gov:s3:::${'b'.repeat(63)}`,
        keyArn: 'arn:aws-us-gov:kms:ap-southeast-2:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab',
        keyAliasArn: 'arn:aws-us-gov:kms:ap-southeast-2:111111111111:alias/abcdefghij-bootstrap-abcdefghijkl-state-key',
        accessLogsBucketArn: `arn:aws-us-gov:s3:::${'l'.repeat(63)}`,
        keyPrefix: 'p'.repeat(60),
      },
      artifactsBucket: 'a'.repeat(63),
    };
    const sizes = Object.entries({ ...deployPermissions(longest), ...Object.fromEntries(Object.entries(planPermissions(longest)).map(([k, v]) => [`plan ${k}`, v])) })
      .map(([name, statements]) => ({ name, over: iamJson(statements).length > IAM_POLICY_QUOTAS.policyCharacters - 300 }));
    expect(sizes.filter((s) => s.over)).toEqual([]);
  });

  test('cover every service the platform\'s stacks use', () => {
    const services = new Set(allows(deploy).flatMap((s) => s.actions ?? []).map((a) => a.split(':')[0]));
    expect([...services].sort()).toEqual([
      'appflow', 'application-autoscaling', 'athena', 'budgets', 'cloudwatch', 'dms', 'dynamodb', 'ec2', 'ecr', 'ecs', 'events', 'firehose', 'glue', 'iam',
      'kinesis', 'kms', 'lakeformation', 'lambda', 'logs', 'quicksight', 'ram', 's3', 'sagemaker', 'scheduler', 'secretsmanager', 'sns', 'sqs', 'states',
    ]);
  });

  test('list their actions: no "*", no service-wide wildcard, no NotAction or NotResource', () => {
    for (const s of [...all(deploy), ...all(plan)]) {
      expect({ sid: s.sid, broad: (s.actions ?? []).filter((a) => a === '*' || /:\*$/.test(a)) }).toEqual({ sid: s.sid, broad: [] });
      expect(s.notActions ?? s.notResources ?? s.notPrincipals).toBeUndefined();
      expect((s.actions ?? []).length).toBeGreaterThan(0);
      expect((s.resources ?? []).length).toBeGreaterThan(0);
    }
  });

  test('put on "*" only statements of actions AWS defines on "*" alone', () => {
    const onStar = allows(deploy).filter((s) => s.resources?.includes('*'));
    expect(onStar.map((s) => s.sid)).toEqual([
      'KmsAccount', 'S3Account', 'GlueAccount', 'LakeFormation', 'KinesisAccount', 'DmsAccount', 'AppFlowAccount',
      'LambdaAccount', 'EcsAccount', 'Ec2Describe', 'LogsAccount', 'QuickSightAccount', 'AutoScalingAccount',
    ]);
    for (const s of onStar) expect(s.resources).toEqual(['*']);
  });

  test('reach this account only, but for the platform\'s buckets (S3 ARNs name no account) and container images', () => {
    const outside = [...new Set(allows(deploy).flatMap((s) => s.resources ?? []))].filter((r) => r !== '*' && !r.includes(':111111111111:'));
    expect(outside.sort()).toEqual([
      'arn:aws:ecr:*:*:repository/*',
      'arn:aws:s3:::adp-dev-*',
      'arn:aws:s3:::adp-dev-*/*',
      'arn:aws:s3:::adp-tfstate-111111111111',
      'arn:aws:s3:::adp-tfstate-111111111111/dev/*',
    ]);
  });

  describe('of the deploy role', () => {
    test('read and write the platform\'s state, and cannot tamper with the state bucket, its logs or its key', () => {
      expect(deploy.state).toEqual([
        { sid: 'StateList', effect: 'Allow', actions: ['s3:ListBucket'], resources: ['arn:aws:s3:::adp-tfstate-111111111111'] },
        { sid: 'StateObjects', effect: 'Allow', actions: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'], resources: ['arn:aws:s3:::adp-tfstate-111111111111/dev/*'] },
        { sid: 'StateKey', effect: 'Allow', actions: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey', 'kms:DescribeKey'], resources: ['arn:aws:kms:eu-west-1:111111111111:key/state'] },
        {
          sid: 'DenyStateTampering',
          effect: 'Deny',
          actions: [
            's3:DeleteBucket', 's3:DeleteBucketPolicy', 's3:PutBucketPolicy', 's3:PutBucketVersioning', 's3:PutLifecycleConfiguration',
            's3:PutEncryptionConfiguration', 's3:PutBucketPublicAccessBlock', 's3:PutBucketOwnershipControls', 's3:PutBucketLogging',
            's3:PutBucketAcl', 's3:DeleteObjectVersion',
          ],
          resources: [
            'arn:aws:s3:::adp-tfstate-111111111111', 'arn:aws:s3:::adp-tfstate-111111111111/*',
            'arn:aws:s3:::adp-bootstrap-dev-state-logs-111111111111', 'arn:aws:s3:::adp-bootstrap-dev-state-logs-111111111111/*',
          ],
        },
        {
          sid: 'DenyStateKeyTampering',
          effect: 'Deny',
          actions: [
            'kms:ScheduleKeyDeletion', 'kms:DisableKey', 'kms:PutKeyPolicy', 'kms:DisableKeyRotation', 'kms:UpdateKeyDescription',
            'kms:TagResource', 'kms:UntagResource', 'kms:CreateAlias', 'kms:DeleteAlias', 'kms:UpdateAlias',
          ],
          resources: ['arn:aws:kms:eu-west-1:111111111111:key/state', 'arn:aws:kms:eu-west-1:111111111111:alias/adp-bootstrap-dev-state-key'],
        },
      ]);
    });

    test('manage IAM roles and policies named <project>-<env>-* only, and pass those roles only', () => {
      const roles = ['arn:aws:iam::111111111111:role/adp-dev-*'];
      expect(bySid(deploy, 'IamRoles')).toEqual({
        sid: 'IamRoles',
        effect: 'Allow',
        actions: [
          'iam:CreateRole', 'iam:DeleteRole', 'iam:GetRole', 'iam:UpdateRole', 'iam:UpdateRoleDescription', 'iam:UpdateAssumeRolePolicy',
          'iam:TagRole', 'iam:UntagRole', 'iam:ListRoleTags', 'iam:PutRolePolicy', 'iam:GetRolePolicy', 'iam:DeleteRolePolicy',
          'iam:ListRolePolicies', 'iam:ListAttachedRolePolicies', 'iam:ListInstanceProfilesForRole', 'iam:PassRole',
        ],
        resources: roles,
      });
      expect(bySid(deploy, 'IamAttachPolicies')).toEqual({
        sid: 'IamAttachPolicies',
        effect: 'Allow',
        actions: ['iam:AttachRolePolicy', 'iam:DetachRolePolicy'],
        resources: roles,
        condition: [{ test: 'ArnLike', variable: 'iam:PolicyARN', values: ['arn:aws:iam::111111111111:policy/adp-dev-*', 'arn:aws:iam::aws:policy/service-role/*'] }],
      });
      expect(bySid(deploy, 'IamPolicies').resources).toEqual(['arn:aws:iam::111111111111:policy/adp-dev-*']);
      const passRole = allows(deploy).filter((s) => s.actions?.includes('iam:PassRole'));
      expect(passRole.map((s) => ({ resources: s.resources, condition: s.condition }))).toEqual([
        { resources: roles, condition: undefined },
        {
          resources: ['arn:aws:iam::111111111111:role/dms-vpc-role', 'arn:aws:iam::111111111111:role/dms-cloudwatch-logs-role'],
          condition: [{ test: 'StringEquals', variable: 'iam:PassedToService', values: ['dms.amazonaws.com'] }],
        },
      ]);
      expect(DMS_ROLES).toEqual(['dms-vpc-role', 'dms-cloudwatch-logs-role']);
    });

    test('create service-linked roles for the services that need one only', () => {
      expect(SERVICE_LINKED_ROLE_SERVICES).toEqual(['ecs.amazonaws.com', 'lakeformation.amazonaws.com', 'sagemaker.amazonaws.com', 'sagemaker.application-autoscaling.amazonaws.com']);
      expect(bySid(deploy, 'IamServiceLinkedRoles')).toEqual({
        sid: 'IamServiceLinkedRoles',
        effect: 'Allow',
        actions: ['iam:CreateServiceLinkedRole'],
        resources: ['arn:aws:iam::111111111111:role/aws-service-role/*'],
        condition: [{ test: 'StringEquals', variable: 'iam:AWSServiceName', values: [...SERVICE_LINKED_ROLE_SERVICES] }],
      });
      expect(bySid(deploy, 'LakeFormationDataAccessRole').resources).toEqual([
        'arn:aws:iam::111111111111:role/aws-service-role/lakeformation.amazonaws.com/AWSServiceRoleForLakeFormationDataAccess',
      ]);
    });

    test('have no other IAM action: none on users, groups, identity providers or its own role', () => {
      const iam = allows(deploy).filter((s) => s.actions?.some((a) => a.startsWith('iam:')));
      expect(iam.map((s) => s.sid)).toEqual(['IamRoles', 'IamAttachPolicies', 'IamPolicies', 'IamServiceLinkedRoles', 'LakeFormationDataAccessRole', 'DmsRoles', 'DmsRolesPass']);
    });

    test('encrypt and decrypt with the platform\'s keys only, told apart by its tags', () => {
      expect(bySid(deploy, 'KmsUsePlatformKeys')).toEqual({
        sid: 'KmsUsePlatformKeys',
        effect: 'Allow',
        actions: ['kms:Encrypt', 'kms:Decrypt', 'kms:GenerateDataKey', 'kms:ReEncryptFrom', 'kms:ReEncryptTo'],
        resources: ['arn:aws:kms:eu-west-1:111111111111:key/*'],
        condition: [
          { test: 'StringEquals', variable: 'aws:ResourceTag/project', values: ['adp'] },
          { test: 'StringEquals', variable: 'aws:ResourceTag/environment', values: ['dev'] },
        ],
      });
      expect(bySid(deploy, 'KmsAccount')).toEqual({ sid: 'KmsAccount', effect: 'Allow', actions: ['kms:CreateKey', 'kms:ListAliases', 'kms:ListKeys'], resources: ['*'] });
    });

    test('read and write objects of the platform\'s buckets and tables of its Glue databases only', () => {
      expect(bySid(deploy, 'S3Objects').resources).toEqual(['arn:aws:s3:::adp-dev-*/*']);
      expect(bySid(deploy, 'S3Buckets').resources).toEqual(['arn:aws:s3:::adp-dev-*']);
      expect(bySid(deploy, 'GlueTables')).toEqual({
        sid: 'GlueTables',
        effect: 'Allow',
        actions: ['glue:GetTable', 'glue:GetTables', 'glue:GetPartitions'],
        resources: [
          'arn:aws:glue:eu-west-1:111111111111:catalog',
          'arn:aws:glue:eu-west-1:111111111111:database/adp_dev_*',
          'arn:aws:glue:eu-west-1:111111111111:table/adp_dev_*/*',
        ],
      });
    });

    test('see secrets\' metadata, never their values', () => {
      const actions = allows(deploy).flatMap((s) => s.actions ?? []).filter((a) => a.startsWith('secretsmanager:'));
      expect(actions).toEqual(['secretsmanager:DescribeSecret', 'secretsmanager:GetResourcePolicy']);
    });
  });

  describe('of the plan role', () => {
    test('read the state, write and delete only lock objects, and read the job scripts a refresh reads', () => {
      expect(plan.state).toEqual([
        { sid: 'StateList', effect: 'Allow', actions: ['s3:ListBucket'], resources: ['arn:aws:s3:::adp-tfstate-111111111111'] },
        { sid: 'StateRead', effect: 'Allow', actions: ['s3:GetObject'], resources: ['arn:aws:s3:::adp-tfstate-111111111111/dev/*'] },
        { sid: 'StateLock', effect: 'Allow', actions: ['s3:PutObject', 's3:DeleteObject'], resources: ['arn:aws:s3:::adp-tfstate-111111111111/dev/*.tflock'] },
        { sid: 'StateKey', effect: 'Allow', actions: ['kms:Decrypt', 'kms:GenerateDataKey'], resources: ['arn:aws:kms:eu-west-1:111111111111:key/state'] },
        { sid: 'JobScripts', effect: 'Allow', actions: ['s3:GetObject', 's3:GetObjectTagging'], resources: ['arn:aws:s3:::adp-dev-lake-artifacts-111111111111/scripts/*'] },
      ]);
    });

    test('read what the deploy role manages, and nothing else: Get, Describe, List and View actions only', () => {
      const reads = Object.entries(plan).filter(([k]) => k !== 'state').flatMap(([, v]) => v);
      const actions = reads.flatMap((s) => s.actions ?? []);
      expect(actions.filter((a) => !/^[a-z0-9-]+:(Get|Describe|List|View|BatchGet)/.test(a))).toEqual([]);
      const deployActions = new Set(allows(deploy).flatMap((s) => s.actions ?? []));
      expect(actions.filter((a) => !deployActions.has(a))).toEqual([]);
      expect(reads.every((s) => s.effect === 'Allow' && s.sid?.startsWith('Read'))).toBe(true);
    });

    test('never read secret values or object contents beyond the state and the job scripts', () => {
      const planActions = (sid: string) => bySid(plan, sid).actions;
      expect(allows(plan).flatMap((s) => s.actions ?? []).filter((a) => a === 'secretsmanager:GetSecretValue')).toEqual([]);
      const objectReads = allows(plan).filter((s) => s.actions?.some((a) => /^s3:GetObject/.test(a)));
      expect(objectReads.map((s) => s.sid)).toEqual(['StateRead', 'JobScripts']);
      expect(planActions('ReadS3Buckets')).toEqual([
        's3:ListBucket', 's3:ListBucketVersions', 's3:ListBucketMultipartUploads', 's3:GetBucket*', 's3:GetAccelerateConfiguration',
        's3:GetEncryptionConfiguration', 's3:GetLifecycleConfiguration', 's3:GetReplicationConfiguration',
      ]);
    });
  });

  describe('readOnly', () => {
    test('keeps the read actions of each Allow statement, with its resources and conditions, and drops the rest', () => {
      const condition = [{ test: 'StringEquals', variable: 'aws:ResourceTag/project', values: ['adp'] }];
      expect(readOnly([
        { sid: 'Keys', effect: 'Allow', actions: ['kms:DescribeKey', 'kms:PutKeyPolicy', 'kms:ListResourceTags'], resources: ['k'], condition },
        { sid: 'Objects', effect: 'Allow', actions: ['s3:GetObject', 's3:GetObjectVersion', 's3:GetObjectTagging', 's3:PutObject'], resources: ['o'] },
        { sid: 'Deny', effect: 'Deny', actions: ['kms:DescribeKey'], resources: ['k'] },
      ])).toEqual([{ sid: 'ReadKeys', effect: 'Allow', actions: ['kms:DescribeKey', 'kms:ListResourceTags'], resources: ['k'], condition }]);
    });
  });
});
