import { createHash } from 'node:crypto';
import { TerraformStack, TerraformVariable } from 'cdktf';
import { AthenaWorkgroup } from '@cdktf/provider-aws/lib/athena-workgroup';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import {
  ATHENA_MIN_CUTOFF_MB,
  EnvironmentConfig,
  EnvironmentInput,
  GOVERNANCE_DEFAULTS,
  PlatformStack,
  SynthesizedStack,
  SynthesizedStatement,
  documentStatements,
  errorOf,
  only,
  problemsOf,
  ref,
  synthesize,
  synthesizedResource as resource,
  testApp,
  testEnvironment,
} from '@data-platform/core';
import { DataLake, layeredStacks, stackWithLake } from '@data-platform/lake';
import { PolicyPack } from '@data-platform/policy';
import {
  ATHENA_MAX_CUTOFF_MB,
  ATHENA_WORKGROUP_NAME_LIMIT,
  BYTES_PER_MB,
  PERSONA_WORKGROUP,
  PersonaWorkgroup,
  PersonaWorkgroupProps,
} from './athena-workgroup';
import { PersonaAccess } from './persona-access';

const KEY_ARN = '${aws_kms_key.lake_key.arn}';
const RESULTS_ARN = '${aws_s3_bucket.lake_athena_results_bucket.arn}';
const VIA_S3 = [{ test: 'StringEquals', variable: 'kms:ViaService', values: ['s3.eu-west-1.amazonaws.com'] }];
const hash8 = (s: string) => createHash('sha256').update(s).digest('hex').slice(0, 8);

const env = (overrides: Partial<EnvironmentInput> = {}): EnvironmentConfig => testEnvironment({ name: 'dev', ...overrides });

/** A persona role any principal of the account may assume (IAM in the account decides). */
function personaRole(stack: TerraformStack, persona = 'analysts', account = '111111111111'): IamRole {
  return new IamRole(stack, `${persona}-role`, {
    name: `adp-dev-governance-${persona}`,
    assumeRolePolicy: JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${account}:root` }, Action: 'sts:AssumeRole' }],
    }),
  });
}

/** The lake and a persona workgroup (`analysts`, 1024 MB unless `props` say otherwise) in one stack `dev`. */
function build(props: Partial<Omit<PersonaWorkgroupProps, 'lake' | 'role'>> = {}, environment = env()) {
  const { stack, lake } = stackWithLake(environment);
  const persona = props.persona ?? 'analysts';
  const role = personaRole(stack, persona);
  const workgroup = new PersonaWorkgroup(stack, `workgroup-${persona}`, { lake, role, persona, bytesScannedCutoffMb: 1024, ...props });
  return { stack, lake, role, workgroup };
}

const synth = (props?: Partial<Omit<PersonaWorkgroupProps, 'lake' | 'role'>>, environment?: EnvironmentConfig) => {
  const built = build(props, environment);
  return { ...built, ...synthesize(built.stack) };
};

const workgroupOf = (tf: SynthesizedStack) => only(tf, 'aws_athena_workgroup');

/** The statements of the inline policies of the persona role, by policy name. */
function policiesOf(tf: SynthesizedStack): Record<string, SynthesizedStatement[]> {
  return Object.fromEntries(
    Object.values(tf.resource?.aws_iam_role_policy ?? {}).map((p) => [p.name as string, documentStatements(tf, p.policy)]),
  );
}

describe('PersonaWorkgroup', () => {
  describe('workgroup', () => {
    it('is named after the persona and enforces results in its prefix encrypted with the lake key, engine 3, metrics and the scan limit', () => {
      const { tf } = synth();
      expect(workgroupOf(tf)).toEqual({
        name: 'adp-dev-governance-analysts',
        description: 'Athena workgroup of the analysts persona (adp-dev): results under analysts/ of the lake\'s Athena results bucket',
        state: 'ENABLED',
        force_destroy: false,
        configuration: {
          enforce_workgroup_configuration: true,
          publish_cloudwatch_metrics_enabled: true,
          bytes_scanned_cutoff_per_query: 1024 * 1024 * 1024,
          engine_version: { selected_engine_version: 'Athena engine version 3' },
          result_configuration: {
            output_location: 's3://${aws_s3_bucket.lake_athena_results_bucket.bucket}/analysts/',
            expected_bucket_owner: '111111111111',
            encryption_configuration: { encryption_option: 'SSE_KMS', kms_key_arn: KEY_ARN },
          },
        },
      });
    });

    it('documents its fixed settings and limits as constants', () => {
      expect(ATHENA_WORKGROUP_NAME_LIMIT).toBe(128);
      expect(ATHENA_MAX_CUTOFF_MB).toBe(1_000_000_000);
      expect(BYTES_PER_MB).toBe(1_048_576);
      expect(PERSONA_WORKGROUP).toEqual({
        engineVersion: 'Athena engine version 3',
        state: 'ENABLED',
        enforceWorkgroupConfiguration: true,
        publishCloudwatchMetricsEnabled: true,
        encryptionOption: 'SSE_KMS',
        forceDestroy: false,
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
        listActions: ['athena:ListWorkGroups', 'athena:ListEngineVersions'],
      });
    });

    it('turns the scan limit in MB into bytes, down to Athena\'s minimum of 10 MB', () => {
      expect(ATHENA_MIN_CUTOFF_MB).toBe(10);
      expect((workgroupOf(synth({ bytesScannedCutoffMb: 10 }).tf).configuration as Record<string, unknown>).bytes_scanned_cutoff_per_query).toBe(10_485_760);
      const standard = GOVERNANCE_DEFAULTS.bytesScannedCutoffMb;
      expect(standard).toBe(1024);
      expect((workgroupOf(synth({ bytesScannedCutoffMb: standard }).tf).configuration as Record<string, unknown>).bytes_scanned_cutoff_per_query).toBe(1_073_741_824);
    });

    it('multiplies a scan limit that is still a token in Terraform', () => {
      const { stack, lake } = stackWithLake(env());
      const mb = new TerraformVariable(stack, 'cutoff', { type: 'number' }).numberValue;
      new PersonaWorkgroup(stack, 'workgroup', { lake, role: personaRole(stack), persona: 'analysts', bytesScannedCutoffMb: mb });
      expect((workgroupOf(synthesize(stack).tf).configuration as Record<string, unknown>).bytes_scanned_cutoff_per_query).toBe('${(var.cutoff * 1048576)}');
    });

    it('sets no result ACL (the results bucket disables ACLs, and one would need s3:PutObjectAcl)', () => {
      const result = (workgroupOf(synth().tf).configuration as Record<string, Record<string, unknown>>).result_configuration;
      expect(result).not.toHaveProperty('acl_configuration');
    });

    it('exposes the workgroup, the persona, its role, the results prefix and location, and the policies, as PersonaAccess', () => {
      const { workgroup, role, stack } = build({ persona: 'data-engineers' });
      const access: PersonaAccess = workgroup;
      expect(access.name).toBe('data-engineers');
      expect(access.role).toBe(role);
      expect(access.workgroup).toBeInstanceOf(AthenaWorkgroup);
      expect(workgroup.resultsPrefix).toBe('data-engineers/');
      expect(workgroup.outputLocation).toMatch(/^s3:\/\/\$\{TfToken\[TOKEN\.\d+\]\}\/data-engineers\/$/);
      expect(workgroup.policies).toHaveLength(3);
      expect(stack.node.findAll().filter((c) => c instanceof IamRolePolicy)).toEqual([...workgroup.policies]);
    });
  });

  describe('permissions', () => {
    it('lets the role use its workgroup only, list workgroups and engine versions, and read and write its results prefix', () => {
      const { tf, workgroup } = synth();
      const prefix = hash8('analysts/');
      expect(policiesOf(tf)).toEqual({
        'adp-dev-governance-analysts-athena': [
          { sid: 'QueryInWorkgroup', effect: 'Allow', actions: [...PERSONA_WORKGROUP.workgroupActions], resources: [ref(workgroup.workgroup, 'arn')] },
          { sid: 'ListWorkgroups', effect: 'Allow', actions: ['athena:ListWorkGroups', 'athena:ListEngineVersions'], resources: ['*'] },
        ],
        [`adp-dev-lake-read-athena-results-${prefix}`]: [
          { sid: 'ReadObjects', effect: 'Allow', actions: ['s3:GetObject', 's3:GetObjectVersion'], resources: [`${RESULTS_ARN}/analysts/*`] },
          {
            sid: 'ListObjects',
            effect: 'Allow',
            actions: ['s3:ListBucket'],
            resources: [RESULTS_ARN],
            condition: [{ test: 'StringLike', variable: 's3:prefix', values: ['analysts/*'] }],
          },
          { sid: 'LocateBucket', effect: 'Allow', actions: ['s3:GetBucketLocation'], resources: [RESULTS_ARN] },
          { sid: 'DecryptWithLakeKey', effect: 'Allow', actions: ['kms:Decrypt'], resources: [KEY_ARN], condition: VIA_S3 },
        ],
        [`adp-dev-lake-write-athena-results-${prefix}`]: [
          {
            sid: 'WriteObjects',
            effect: 'Allow',
            actions: ['s3:PutObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'],
            resources: [`${RESULTS_ARN}/analysts/*`],
          },
          { sid: 'LocateBucketAndUploads', effect: 'Allow', actions: ['s3:GetBucketLocation', 's3:ListBucketMultipartUploads'], resources: [RESULTS_ARN] },
          { sid: 'EncryptWithLakeKey', effect: 'Allow', actions: ['kms:GenerateDataKey', 'kms:Decrypt'], resources: [KEY_ARN], condition: VIA_S3 },
        ],
      });
    });

    it('attaches every policy to the persona role', () => {
      const { tf, role } = synth();
      const roleName = `\${aws_iam_role.${role.friendlyUniqueId}.name}`;
      expect(Object.values(tf.resource?.aws_iam_role_policy ?? {}).map((p) => p.role)).toEqual([roleName, roleName, roleName]);
    });

    it('gives two personas separate workgroups, prefixes and policies', () => {
      const { stack, lake } = stackWithLake(env());
      new PersonaWorkgroup(stack, 'analysts', { lake, role: personaRole(stack, 'analysts'), persona: 'analysts', bytesScannedCutoffMb: 1024 });
      new PersonaWorkgroup(stack, 'auditors', { lake, role: personaRole(stack, 'auditors'), persona: 'auditors', bytesScannedCutoffMb: 10 });
      const { tf } = synthesize(stack);
      expect(Object.values(tf.resource?.aws_athena_workgroup ?? {}).map((w) => w.name)).toEqual(['adp-dev-governance-analysts', 'adp-dev-governance-auditors']);
      expect(Object.keys(policiesOf(tf))).toHaveLength(6);
    });
  });

  describe('validation', () => {
    it('reports every problem at once, and creates nothing', () => {
      const { stack, lake } = stackWithLake(env());
      const error = errorOf(() => new PersonaWorkgroup(stack, 'workgroup', { lake, role: personaRole(stack), persona: 'Data_Engineers', bytesScannedCutoffMb: 5 }));
      expect(error.message.split('\n')).toEqual([
        'PersonaWorkgroup dev/workgroup: persona is "Data_Engineers"; use 2-40 lowercase letters and digits, words joined by "-", starting with a letter (e.g. "clickstream")',
        'PersonaWorkgroup dev/workgroup: bytesScannedCutoffMb is 5; use a whole number of MB from 10 (Athena\'s smallest per-query cutoff) to 1000000000',
      ]);
      expect(stack.node.findAll().filter((c) => c instanceof AthenaWorkgroup || c instanceof IamRolePolicy)).toEqual([]);
    });

    it.each([9.5, 10.5, 1_000_000_001])('rejects a scan limit of %p MB', (mb) => {
      expect(problemsOf(() => build({ bytesScannedCutoffMb: mb }))).toEqual([
        `PersonaWorkgroup dev/workgroup-analysts: bytesScannedCutoffMb is ${mb}; use a whole number of MB from 10 (Athena's smallest per-query cutoff) to 1000000000`,
      ]);
    });

    it('rejects a role or a lake of another account, and a role outside any PlatformStack', () => {
      const app = testApp();
      const { stack, lake } = stackWithLake(env(), { app });
      const otherEnv = env({ name: 'other', account: '222222222222', deployRole: 'arn:aws:iam::222222222222:role/adp-deploy' });
      const other = new PlatformStack(app, 'other', { env: otherEnv });
      const otherLake = new DataLake(other, 'lake', { config: otherEnv.lake });
      expect(problemsOf(() => new PersonaWorkgroup(stack, 'a', { lake, role: personaRole(other, 'analysts', '222222222222'), persona: 'analysts', bytesScannedCutoffMb: 10 }))).toEqual([
        'PersonaWorkgroup dev/a: role other/analysts-role is in account 222222222222; use a role of the workgroup\'s account, 111111111111',
      ]);
      expect(problemsOf(() => new PersonaWorkgroup(stack, 'b', { lake: otherLake, role: personaRole(stack), persona: 'analysts', bytesScannedCutoffMb: 10 }))).toEqual([
        'PersonaWorkgroup dev/b: lake other/lake is in account 222222222222; use the lake of the workgroup\'s account, 111111111111',
      ]);
      const plain = new TerraformStack(app, 'plain');
      expect(problemsOf(() => new PersonaWorkgroup(stack, 'c', { lake, role: personaRole(plain), persona: 'analysts', bytesScannedCutoffMb: 10 }))).toEqual([
        'PersonaWorkgroup dev/c: role plain/analysts-role is not in a PlatformStack; create the persona\'s role in a platform stack',
      ]);
      expect(stack.node.findAll().filter((c) => c instanceof AthenaWorkgroup)).toEqual([]);
    });
  });

  describe('policy pack', () => {
    it('passes in layered stacks, the results bucket and key read across stacks', () => {
      const { lakeStack, lake, stack } = layeredStacks(env(), 'governance', { aspects: [new PolicyPack()] });
      new PersonaWorkgroup(stack, 'workgroup-analysts', { lake, role: personaRole(stack), persona: 'analysts', bytesScannedCutoffMb: 1024 });
      expect(() => synthesize(lakeStack)).not.toThrow();
      const { tf } = synthesize(stack);
      const remote = /\$\{data\.terraform_remote_state\.cross-stack-reference-input-dev-lake\.outputs\.cross-stack-output-[\w.-]+\}/;
      const result = (workgroupOf(tf).configuration as Record<string, Record<string, Record<string, unknown>>>).result_configuration;
      expect(result.output_location).toMatch(new RegExp(`^s3://${remote.source}/analysts/$`));
      expect(result.encryption_configuration.kms_key_arn).toMatch(new RegExp(`^${remote.source}$`));
    });

    it('passes in a protected environment', () => {
      const { stack, lake } = layeredStacks(env({ name: 'prod', stage: 'production', protect: true }), 'governance', { aspects: [new PolicyPack()] });
      new PersonaWorkgroup(stack, 'workgroup-auditors', { lake, role: personaRole(stack, 'auditors'), persona: 'auditors', bytesScannedCutoffMb: 10 });
      expect(() => synthesize(stack)).not.toThrow();
    });

    it('passes in the single stack of the offline environment', () => {
      const { stack, lake } = stackWithLake(env({ name: 'local', offline: true, layout: 'single', account: '000000000000', protect: false }), { aspects: [new PolicyPack()] });
      new PersonaWorkgroup(stack, 'workgroup-analysts', { lake, role: personaRole(stack, 'analysts', '000000000000'), persona: 'analysts', bytesScannedCutoffMb: 1024 });
      const { tf } = synthesize(stack);
      expect(workgroupOf(tf).name).toBe('adp-local-governance-analysts');
      expect(resource(tf, 'aws_kms_key', 'lake_key')).toBeDefined();
    });
  });
});
