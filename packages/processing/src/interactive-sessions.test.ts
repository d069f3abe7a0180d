import { App, TerraformOutput } from 'cdktf';
import { IamPolicy } from '@cdktf/provider-aws/lib/iam-policy';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import {
  documentStatements,
  EnvironmentConfig,
  PlatformError,
  PROCESSING_DEFAULTS,
  ref,
  rolePolicies,
  synthesize,
  testApp,
  thrownBy,
} from '@data-platform/core';
import { stackWithLake } from '@data-platform/lake';
import { PolicyPack } from '@data-platform/policy';
import { INTERACTIVE_SESSIONS, InteractiveSessions, SESSION_USER_ACTIONS } from './interactive-sessions';
import {
  devEnvironment as env,
  glueArn as glue,
  KEY_ARN,
  lakeRead,
  lakeWrite,
  layeredStacks,
  OFFLINE,
  PARTITION,
  prefixHash,
  synthesized,
  withSecurity,
} from './test-support';

const bucketArn = (bucket: string) => `\${aws_s3_bucket.lake_${bucket}_bucket.arn}`;
const database = (zone: string) => `\${aws_glue_catalog_database.lake_${zone}_database.name}`;

function build(environment: EnvironmentConfig = env()) {
  const { stack, lake, security } = withSecurity(stackWithLake(environment));
  const sessions = new InteractiveSessions(stack, 'sessions', { lake, security });
  return { stack, lake, security, sessions };
}

const synth = (environment?: EnvironmentConfig) => synthesized(build(environment));

/** The statements of `DataLake.grantRead` and `grantWrite` on the bucket of `bucket` under `prefix`. */
const readZone = (bucket: string, prefix = '') => lakeRead(bucketArn(bucket), prefix);
const writeZone = (bucket: string, prefix: string) => lakeWrite(bucketArn(bucket), prefix);

describe('InteractiveSessions', () => {
  it('documents its fixed settings as constants', () => {
    expect(INTERACTIVE_SESSIONS).toEqual({
      glueVersion: '4.0',
      workerType: 'G.1X',
      workers: 2,
      idleTimeoutMinutes: 30,
      sandboxPrefix: 'sandbox/',
      tempPrefix: 'tmp/sessions/',
      logGroupPrefix: '/aws-glue/sessions',
    });
    expect(INTERACTIVE_SESSIONS.glueVersion).toBe(PROCESSING_DEFAULTS.job.glueVersion);
  });

  describe('session role', () => {
    it('is a Glue service role of this account only', () => {
      const { json, tf, sessions } = synth();
      expect(json).toHaveResourceWithProperties(IamRole, {
        name: 'adp-dev-processing-sessions',
        description: 'Glue interactive sessions of data engineers (adp-dev): read processed and curated, write processed/sandbox/',
      });
      const role = tf.resource!.aws_iam_role[sessions.role.role.friendlyUniqueId];
      expect(documentStatements(tf, role.assume_role_policy)).toEqual([
        {
          effect: 'Allow',
          principals: [{ type: 'Service', identifiers: ['glue.amazonaws.com'] }],
          actions: ['sts:AssumeRole'],
          condition: [{ test: 'StringEquals', variable: 'aws:SourceAccount', values: ['111111111111'] }],
        },
      ]);
    });

    it('reads processed and curated, writes only processed/sandbox/ and its temporary files, and never reads raw', () => {
      const { tf, sessions } = synth();
      const policies = rolePolicies(tf, sessions);
      const sandbox = prefixHash('sandbox/');
      const temp = prefixHash('tmp/sessions/');
      expect(Object.keys(policies).sort()).toEqual(
        [
          'adp-dev-lake-read-processed-all',
          'adp-dev-lake-read-curated-all',
          `adp-dev-lake-write-processed-${sandbox}`,
          `adp-dev-lake-read-artifacts-${temp}`,
          `adp-dev-lake-write-artifacts-${temp}`,
          'read-catalog',
          'write-logs',
        ].sort(),
      );
      expect(policies['adp-dev-lake-read-processed-all']).toEqual(readZone('processed'));
      expect(policies['adp-dev-lake-read-curated-all']).toEqual(readZone('curated'));
      expect(policies[`adp-dev-lake-write-processed-${sandbox}`]).toEqual(writeZone('processed', 'sandbox/'));
      expect(policies[`adp-dev-lake-read-artifacts-${temp}`]).toEqual(readZone('artifacts', 'tmp/sessions/'));
      expect(policies[`adp-dev-lake-write-artifacts-${temp}`]).toEqual(writeZone('artifacts', 'tmp/sessions/'));
      expect(JSON.stringify(policies)).not.toContain('lake_raw_bucket');
    });

    it('reads the catalog of the three zone databases, and decrypts it through Glue only', () => {
      const { tf, sessions } = synth();
      expect(rolePolicies(tf, sessions)['read-catalog']).toEqual([
        {
          sid: 'ReadZoneCatalog',
          effect: 'Allow',
          actions: ['glue:GetDatabase', 'glue:GetDatabases', 'glue:GetTable', 'glue:GetTables', 'glue:GetPartition', 'glue:GetPartitions', 'glue:BatchGetPartition'],
          resources: [
            glue('catalog'),
            glue(`database/${database('raw')}`),
            glue(`database/${database('processed')}`),
            glue(`database/${database('curated')}`),
            glue(`table/${database('raw')}/*`),
            glue(`table/${database('processed')}/*`),
            glue(`table/${database('curated')}/*`),
          ],
        },
        { sid: 'LocateDefaultDatabase', effect: 'Allow', actions: ['glue:GetDatabase'], resources: [glue('catalog'), glue('database/default')] },
        {
          sid: 'DecryptCatalogThroughGlue',
          effect: 'Allow',
          actions: ['kms:Decrypt'],
          resources: [KEY_ARN],
          condition: [{ test: 'StringEquals', variable: 'kms:ViaService', values: ['glue.eu-west-1.amazonaws.com'] }],
        },
      ]);
    });

    it('writes only the /aws-glue/sessions log groups', () => {
      const { tf, sessions } = synth();
      const groups = `arn:${PARTITION}:logs:eu-west-1:111111111111:log-group:/aws-glue/sessions*`;
      expect(rolePolicies(tf, sessions)['write-logs']).toEqual([
        {
          sid: 'WriteSessionLogs',
          effect: 'Allow',
          actions: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents', 'logs:AssociateKmsKey'],
          resources: [groups, `${groups}:log-stream:*`],
        },
      ]);
    });
  });

  describe('user policy', () => {
    it('is a managed policy named <project>-<env>-processing-session-user', () => {
      const { json, sessions } = synth();
      expect(json).toHaveResourceWithProperties(IamPolicy, {
        name: 'adp-dev-processing-session-user',
        description: 'Start and use Glue interactive sessions with the session role of adp-dev',
      });
      expect(sessions.userPolicy).toBeInstanceOf(IamPolicy);
    });

    it('allows the session actions on sessions of this account and region, and passing exactly the session role to Glue', () => {
      const { tf, sessions } = synth();
      expect(SESSION_USER_ACTIONS).toEqual([
        'glue:CreateSession',
        'glue:GetSession',
        'glue:RunStatement',
        'glue:GetStatement',
        'glue:ListStatements',
        'glue:CancelStatement',
        'glue:StopSession',
        'glue:DeleteSession',
      ]);
      const policy = tf.resource!.aws_iam_policy[sessions.userPolicy.friendlyUniqueId];
      expect(documentStatements(tf, policy.policy)).toEqual([
        { sid: 'UseSessions', effect: 'Allow', actions: [...SESSION_USER_ACTIONS], resources: [glue('session/*')] },
        { sid: 'ListSessions', effect: 'Allow', actions: ['glue:ListSessions'], resources: ['*'] },
        {
          sid: 'PassSessionRole',
          effect: 'Allow',
          actions: ['iam:PassRole'],
          resources: [ref(sessions.role.role, 'arn')],
          condition: [{ test: 'StringEquals', variable: 'iam:PassedToService', values: ['glue.amazonaws.com'] }],
        },
      ]);
    });
  });

  describe('settings', () => {
    it('names the security configuration, role, sizes and locations a notebook uses', () => {
      const { stack, security, sessions } = build();
      // Outputs resolve the references the settings hold, as a README or `cdktf output` would show them.
      for (const [key, value] of Object.entries(sessions.settings)) new TerraformOutput(stack, key, { value });
      const { tf } = synthesize(stack);
      const values = Object.fromEntries(Object.entries(tf.output ?? {}).map(([key, output]) => [key, (output as { value: unknown }).value]));
      expect(values).toEqual({
        securityConfiguration: ref(security.configuration, 'name'),
        roleArn: ref(sessions.role.role, 'arn'),
        glueVersion: '4.0',
        workerType: 'G.1X',
        workers: 2,
        idleTimeoutMinutes: 30,
        tempDir: 's3://${aws_s3_bucket.lake_artifacts_bucket.bucket}/tmp/sessions/',
        sandbox: 's3://${aws_s3_bucket.lake_processed_bucket.bucket}/sandbox/',
      });
    });
  });

  describe('validation', () => {
    it('rejects a security configuration of another account', () => {
      const app = testApp();
      const other = env({ name: 'staging', account: '222222222222', deployRole: 'arn:aws:iam::222222222222:role/adp-deploy', state: { bucket: 'adp-tfstate-222222222222' } });
      const { security } = withSecurity(stackWithLake(other, { app }));
      const { stack, lake } = stackWithLake(env(), { app });
      const error = thrownBy(() => new InteractiveSessions(stack, 'sessions', { lake, security }));
      expect(error).toBeInstanceOf(PlatformError);
      expect((error as PlatformError).message).toBe(
        'InteractiveSessions dev/sessions: security staging/security is in account 222222222222; use the security configuration of account 111111111111',
      );
      expect(stack.node.tryFindChild('sessions')?.node.children ?? []).toEqual([]);
    });
  });

  describe('in the layered and single-stack builds', () => {
    function layered(app: App) {
      const { lakeStack, lake, stack, security } = withSecurity(layeredStacks(env(), { app, aspects: [new PolicyPack()] }));
      const sessions = new InteractiveSessions(stack, 'sessions', { lake, security });
      return { lakeStack, stack, sessions };
    }

    it('passes the policy pack with the lake in its own stack, its grants in the processing stack', () => {
      const { lakeStack, stack } = layered(testApp());
      expect(() => synthesize(lakeStack)).not.toThrow();
      const { tf } = synthesize(stack);
      expect(Object.keys(tf.resource?.aws_iam_role_policy ?? {})).toHaveLength(7);
      expect(JSON.stringify(tf.data?.aws_iam_policy_document)).toMatch(/data\.terraform_remote_state\./);
    });

    it('passes the policy pack in the offline single stack', () => {
      const { stack, lake, security } = withSecurity(stackWithLake(env(OFFLINE), { aspects: [new PolicyPack()] }));
      new InteractiveSessions(stack, 'sessions', { lake, security });
      expect(() => synthesize(stack)).not.toThrow();
    });
  });
});
