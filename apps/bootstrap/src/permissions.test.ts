import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataAwsIamPolicyDocumentStatement, DataAwsIamPolicyDocumentStatementCondition } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
// scripts/ is no package with a name to import it by; its synthesis is the app's own (every environment file).
// eslint-disable-next-line @nx/enforce-module-boundaries
import { synth } from '../../../scripts/lib/synth';
import { IAM_POLICY_QUOTAS } from './github-actions-role';
import {
  DEPLOY_POLICIES,
  DMS_ROLES,
  IAM_WRITE_ACTIONS,
  PLAN_POLICIES,
  PermissionScope,
  SERVICE_LINKED_ROLE_SERVICES,
  boundaryPermissions,
  deployPermissions,
  planPermissions,
  readOnly,
} from './permissions';

jest.setTimeout(120_000);

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
  boundary: { policyArn: 'arn:aws:iam::111111111111:policy/adp-bootstrap-dev-boundary', enforce: false },
};
const BOUNDARY = [{ test: 'StringEquals', variable: 'iam:PermissionsBoundary', values: ['arn:aws:iam::111111111111:policy/adp-bootstrap-dev-boundary'] }];
const ROLES = ['arn:aws:iam::111111111111:role/adp-dev-*'];

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

/**
 * IAM service prefix of the AWS provider's resource and data source types, by type prefix (the
 * longest matching prefix wins). A type matching none fails the coverage test below: add it here,
 * and its actions to the deploy role.
 */
const IAM_SERVICE_OF_TYPE: Readonly<Record<string, string>> = {
  aws_appautoscaling_: 'application-autoscaling',
  aws_appflow_: 'appflow',
  aws_athena_: 'athena',
  aws_budgets_: 'budgets',
  aws_cloudwatch_: 'cloudwatch',
  aws_cloudwatch_event_: 'events',
  aws_cloudwatch_log_: 'logs',
  aws_dms_: 'dms',
  aws_dynamodb_: 'dynamodb',
  aws_ecr_: 'ecr',
  aws_ecs_: 'ecs',
  aws_glue_: 'glue',
  aws_iam_: 'iam',
  aws_kinesis_: 'kinesis',
  aws_kinesis_firehose_: 'firehose',
  aws_kms_: 'kms',
  aws_lakeformation_: 'lakeformation',
  aws_lambda_: 'lambda',
  aws_quicksight_: 'quicksight',
  aws_s3_: 's3',
  aws_sagemaker_: 'sagemaker',
  aws_scheduler_: 'scheduler',
  aws_secretsmanager_: 'secretsmanager',
  aws_security_group: 'ec2',
  aws_sfn_: 'states',
  aws_sns_: 'sns',
  aws_sqs_: 'sqs',
  aws_vpc_security_group_: 'ec2',
};
/** Types that need no permission: Terraform's own, and AWS data sources computed locally (or, for the caller's identity, allowed to everyone). */
const NO_PERMISSION = new Set(['terraform_data', 'data.terraform_remote_state', 'data.aws_iam_policy_document', 'data.aws_partition', 'data.aws_region', 'data.aws_caller_identity']);
/** Services the deploy role uses without a resource type of their own, and why. */
const INDIRECT_SERVICES: Readonly<Record<string, string>> = {
  ram: 'Lake Formation shares grants with other accounts through RAM',
  secretsmanager: 'DMS endpoints and Glue connections name secrets, whose metadata the deploy role reads',
  ecr: 'batch import task definitions name container images, which may live in another account',
};

/** The IAM service of a synthesized type (`data.<type>` for data sources): null when it needs none, undefined when unknown. */
function iamServiceOf(type: string): string | null | undefined {
  if (NO_PERMISSION.has(type)) return null;
  const name = type.replace(/^data\./, '');
  const prefix = Object.keys(IAM_SERVICE_OF_TYPE).filter((p) => name.startsWith(p)).sort((a, b) => b.length - a.length)[0];
  return prefix === undefined ? undefined : IAM_SERVICE_OF_TYPE[prefix];
}

/** Every resource and data source type in the stacks of every environment file, as the app synthesizes them. */
async function synthesizedTypes(): Promise<Set<string>> {
  const outdir = mkdtempSync(join(tmpdir(), 'bootstrap-services-'));
  const { stacks } = await synth({ outdir, quiet: true });
  const types = new Set<string>();
  for (const stack of stacks) {
    const tf = JSON.parse(readFileSync(join(stack.dir, 'cdk.tf.json'), 'utf8')) as { resource?: object; data?: object };
    for (const t of Object.keys(tf.resource ?? {})) types.add(t);
    for (const t of Object.keys(tf.data ?? {})) types.add(`data.${t}`);
  }
  rmSync(outdir, { recursive: true, force: true });
  return types;
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
      boundary: { policyArn: `arn:aws-us-gov:iam::111111111111:policy/${'n'.repeat(128)}`, enforce: true },
    };
    const sizes = Object.entries({
      ...deployPermissions(longest),
      ...Object.fromEntries(Object.entries(planPermissions(longest)).map(([k, v]) => [`plan ${k}`, v])),
      boundary: boundaryPermissions(longest.state),
    })
      .map(([name, statements]) => ({ name, over: iamJson(statements).length > IAM_POLICY_QUOTAS.policyCharacters - 300 }));
    expect(sizes.filter((s) => s.over)).toEqual([]);
  });

  test('cover every service of every resource type the platform\'s stacks hold, in every environment file, and no other', async () => {
    const types = await synthesizedTypes();
    expect([...types].filter((t) => iamServiceOf(t) === undefined)).toEqual([]);
    const required = new Set([...types].map(iamServiceOf).filter((s): s is string => typeof s === 'string'));
    const granted = new Set(allows(deploy).flatMap((s) => s.actions ?? []).map((a) => a.split(':')[0]));
    expect([...required].filter((s) => !granted.has(s))).toEqual([]);
    expect([...granted].filter((s) => !required.has(s) && !Object.hasOwn(INDIRECT_SERVICES, s))).toEqual([]);
    // The synthesis really has the layers: not an empty pass.
    expect(required.size).toBeGreaterThan(20);
  });

  test('map Terraform types to IAM services by their longest prefix, and know when a type is new', () => {
    expect(['aws_kinesis_stream', 'aws_kinesis_firehose_delivery_stream', 'aws_cloudwatch_metric_alarm', 'aws_cloudwatch_event_rule', 'aws_cloudwatch_log_group', 'aws_sfn_state_machine', 'aws_vpc_security_group_egress_rule']
      .map(iamServiceOf)).toEqual(['kinesis', 'firehose', 'cloudwatch', 'events', 'logs', 'states', 'ec2']);
    expect(['data.aws_iam_policy_document', 'terraform_data', 'data.terraform_remote_state'].map(iamServiceOf)).toEqual([null, null, null]);
    expect(iamServiceOf('aws_redshift_cluster')).toBeUndefined();
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
      'arn:aws:s3:::adp-dev-lake-artifacts-111111111111/scripts/*',
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
      const roles = ROLES;
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
      expect(iam.map((s) => s.sid)).toEqual([
        'IamRoles', 'IamAttachPolicies', 'IamRoleBoundary', 'IamPolicies', 'IamServiceLinkedRoles', 'LakeFormationDataAccessRole', 'DmsRoles', 'DmsRolesPass',
      ]);
    });

    test('may set the platform\'s permissions boundary on its roles, no other, and never remove one', () => {
      expect(bySid(deploy, 'IamRoleBoundary')).toEqual({ sid: 'IamRoleBoundary', effect: 'Allow', actions: ['iam:PutRolePermissionsBoundary'], resources: ROLES, condition: BOUNDARY });
      expect(bySid(deploy, 'DenyBoundaryRemoval')).toEqual({ sid: 'DenyBoundaryRemoval', effect: 'Deny', actions: ['iam:DeleteRolePermissionsBoundary'], resources: ROLES });
    });

    test('create roles and give them policies without the boundary until it is enforced, then only with it', () => {
      expect(bySid(deploy, 'IamRoles').actions).toEqual(expect.arrayContaining(['iam:CreateRole', 'iam:PutRolePolicy']));
      expect(all(deploy).map((s) => s.sid)).not.toContain('IamRolesWithinBoundary');
      const enforced = deployPermissions({ ...SCOPE, boundary: { ...SCOPE.boundary, enforce: true } });
      expect(bySid(enforced, 'IamRoles').actions).not.toEqual(expect.arrayContaining(['iam:CreateRole']));
      expect(bySid(enforced, 'IamRoles').actions).not.toContain('iam:PutRolePolicy');
      expect(bySid(enforced, 'IamRolesWithinBoundary')).toEqual({
        sid: 'IamRolesWithinBoundary', effect: 'Allow', actions: ['iam:CreateRole', 'iam:PutRolePolicy'], resources: ROLES, condition: BOUNDARY,
      });
      expect(bySid(enforced, 'IamAttachPolicies').condition).toEqual([
        { test: 'ArnLike', variable: 'iam:PolicyARN', values: ['arn:aws:iam::111111111111:policy/adp-dev-*', 'arn:aws:iam::aws:policy/service-role/*'] },
        ...BOUNDARY,
      ]);
      // Nothing else changes: the same actions, on the same resources.
      const actions = (p: Record<string, Statement[]>) => all(p).flatMap((s) => s.actions ?? []).sort();
      expect(actions(enforced)).toEqual(actions(deploy));
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

    test('configure the platform\'s buckets, but touch only the objects the stacks manage (the job scripts), and tables of its Glue databases only', () => {
      expect(bySid(deploy, 'S3Objects')).toEqual({
        sid: 'S3Objects',
        effect: 'Allow',
        // DeleteObjectVersion: the provider deletes a script of the versioned artifacts bucket version by version.
        actions: ['s3:GetObject', 's3:GetObjectTagging', 's3:PutObject', 's3:PutObjectTagging', 's3:DeleteObject', 's3:DeleteObjectVersion'],
        resources: ['arn:aws:s3:::adp-dev-lake-artifacts-111111111111/scripts/*'],
      });
      const objectActions = allows(deploy).filter((s) => s.actions?.some((a) => /^s3:(Get|Put|Delete)Object/.test(a)));
      expect(objectActions.map((s) => s.sid)).toEqual(['StateObjects', 'S3Objects']);
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
    test('read the state without writing anything (its plans take no lock), and read the job scripts a refresh reads', () => {
      expect(plan.state).toEqual([
        { sid: 'StateList', effect: 'Allow', actions: ['s3:ListBucket'], resources: ['arn:aws:s3:::adp-tfstate-111111111111'] },
        { sid: 'StateRead', effect: 'Allow', actions: ['s3:GetObject'], resources: ['arn:aws:s3:::adp-tfstate-111111111111/dev/*'] },
        { sid: 'StateKey', effect: 'Allow', actions: ['kms:Decrypt', 'kms:GenerateDataKey'], resources: ['arn:aws:kms:eu-west-1:111111111111:key/state'] },
        { sid: 'JobScripts', effect: 'Allow', actions: ['s3:GetObject', 's3:GetObjectTagging'], resources: ['arn:aws:s3:::adp-dev-lake-artifacts-111111111111/scripts/*'] },
      ]);
    });

    test('write nothing at all: no S3 write, no lock object', () => {
      const writes = allows(plan).flatMap((s) => s.actions ?? []).filter((a) => /^s3:(Put|Delete|Create|Abort|Restore|Replicate)/.test(a));
      expect(writes).toEqual([]);
      expect(allows(plan).flatMap((s) => s.resources ?? []).filter((r) => r.endsWith('.tflock'))).toEqual([]);
    });

    test('decrypt with the platform\'s keys through Glue only, to read the catalog the lake key encrypts', () => {
      expect(bySid(plan, 'ReadCatalogThroughGlue')).toEqual({
        sid: 'ReadCatalogThroughGlue',
        effect: 'Allow',
        actions: ['kms:Decrypt'],
        resources: ['arn:aws:kms:eu-west-1:111111111111:key/*'],
        condition: [
          { test: 'StringEquals', variable: 'kms:ViaService', values: ['glue.eu-west-1.amazonaws.com'] },
          { test: 'StringEquals', variable: 'aws:ResourceTag/project', values: ['adp'] },
          { test: 'StringEquals', variable: 'aws:ResourceTag/environment', values: ['dev'] },
        ],
      });
      expect(plan['read-data'].at(-1)?.sid).toBe('ReadCatalogThroughGlue');
      // The only key use besides the state's.
      expect(allows(plan).filter((s) => s.actions?.some((a) => /^kms:(Decrypt|Encrypt|GenerateDataKey|ReEncrypt)/.test(a))).map((s) => s.sid)).toEqual(['StateKey', 'ReadCatalogThroughGlue']);
    });

    test('read what the deploy role manages, and nothing else: Get, Describe, List and View actions only', () => {
      const reads = Object.entries(plan).filter(([k]) => k !== 'state').flatMap(([, v]) => v).filter((s) => s.sid !== 'ReadCatalogThroughGlue');
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

  describe('of the roles the platform creates (their permissions boundary)', () => {
    const boundary = boundaryPermissions(SCOPE.state);

    test('let each role\'s own policies decide, but never an IAM change or access to the state', () => {
      expect(boundary).toEqual([
        { sid: 'WithinTheRolesOwnPolicies', effect: 'Allow', actions: ['*'], resources: ['*'] },
        { sid: 'DenyIamWrites', effect: 'Deny', actions: [...IAM_WRITE_ACTIONS], resources: ['*'] },
        {
          sid: 'DenyState',
          effect: 'Deny',
          actions: ['s3:*'],
          resources: [
            'arn:aws:s3:::adp-tfstate-111111111111', 'arn:aws:s3:::adp-tfstate-111111111111/*',
            'arn:aws:s3:::adp-bootstrap-dev-state-logs-111111111111', 'arn:aws:s3:::adp-bootstrap-dev-state-logs-111111111111/*',
          ],
        },
        {
          sid: 'DenyStateKey',
          effect: 'Deny',
          actions: ['kms:*'],
          resources: ['arn:aws:kms:eu-west-1:111111111111:key/state', 'arn:aws:kms:eu-west-1:111111111111:alias/adp-bootstrap-dev-state-key'],
        },
      ]);
    });

    test('deny every IAM write, but leave reads and iam:PassRole (platform roles start jobs with other platform roles)', () => {
      const denied = IAM_WRITE_ACTIONS.map((a) => new RegExp(`^${a.replace('*', '.*')}$`));
      const isDenied = (action: string) => denied.some((re) => re.test(action));
      expect(['iam:CreateRole', 'iam:PutRolePolicy', 'iam:AttachRolePolicy', 'iam:CreatePolicyVersion', 'iam:UpdateAssumeRolePolicy', 'iam:DeleteRolePermissionsBoundary',
        'iam:PutRolePermissionsBoundary', 'iam:CreateUser', 'iam:CreateAccessKey', 'iam:AddUserToGroup', 'iam:SetDefaultPolicyVersion', 'iam:TagRole', 'iam:UploadSSHPublicKey',
        'iam:CreateServiceLinkedRole', 'iam:UpdateLoginProfile', 'iam:ChangePassword', 'iam:ResetServiceSpecificCredential', 'iam:EnableMFADevice',
        'iam:DeactivateMFADevice', 'iam:ResyncMFADevice', 'iam:RemoveRoleFromInstanceProfile', 'iam:DetachRolePolicy'].filter((a) => !isDenied(a))).toEqual([]);
      expect(['iam:PassRole', 'iam:GetRole', 'iam:ListRoles', 'iam:SimulatePrincipalPolicy'].filter(isDenied)).toEqual([]);
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
