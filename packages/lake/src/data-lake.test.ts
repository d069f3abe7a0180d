import { createHash } from 'node:crypto';
import { App, TerraformOutput, TerraformStack } from 'cdktf';
import { GlueCatalogDatabase } from '@cdktf/provider-aws/lib/glue-catalog-database';
import { GlueCatalogTable } from '@cdktf/provider-aws/lib/glue-catalog-table';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { SqsQueue } from '@cdktf/provider-aws/lib/sqs-queue';
import {
  EnvironmentConfig,
  EnvironmentInput,
  LAKE_DEFAULTS,
  LakeConfig,
  PlatformError,
  PlatformStack,
  SynthesizedStack,
  ZONES,
  ZONE_LIFECYCLE_DEFAULTS,
  SynthesizedStatement,
  errorOf,
  policyStatements,
  problemsOf,
  synthesizedResource,
  synthesize,
  testApp,
  testEnvironment,
} from '@data-platform/core';
import { CATALOG_ACCESS, CATALOG_KEY_ACTIONS, DataLake, GRANTABLE_ZONES, LakeEventQueue } from './data-lake';


const ASSUME_GLUE = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'glue.amazonaws.com' }, Action: 'sts:AssumeRole' }],
});

const BUCKET_ADDRESSES = [
  'lake_access_logs_bucket',
  'lake_artifacts_bucket',
  'lake_athena_results_bucket',
  'lake_curated_bucket',
  'lake_processed_bucket',
  'lake_raw_bucket',
];
/** Every bucket encrypted with the lake key (all but the access logs). */
const KEY_BUCKETS = ['lake_raw', 'lake_processed', 'lake_curated', 'lake_athena_results', 'lake_artifacts'];
const STATEFUL_ADDRESSES = [
  'aws_glue_catalog_database.lake_curated_database',
  'aws_glue_catalog_database.lake_processed_database',
  'aws_glue_catalog_database.lake_raw_database',
  'aws_kms_key.lake_key',
  ...BUCKET_ADDRESSES.map((a) => `aws_s3_bucket.${a}`),
];

function env(overrides: Partial<EnvironmentInput> = {}): EnvironmentConfig {
  return testEnvironment({ name: 'dev', ...overrides });
}

function lakeIn(app: App, environment = env(), config: LakeConfig = environment.lake) {
  const stack = new PlatformStack(app, 'dev-lake', { env: environment });
  const lake = new DataLake(stack, 'lake', { config });
  return { stack, lake };
}

function synth(environment = env(), config?: LakeConfig) {
  const built = lakeIn(testApp(), environment, config);
  return { ...built, ...synthesize(built.stack) };
}

/** The lake with a consumer role in the same stack. */
function withRole(environment = env()) {
  const { stack, lake } = lakeIn(testApp(), environment);
  const role = new IamRole(stack, 'loader', { name: 'loader', assumeRolePolicy: ASSUME_GLUE });
  return { stack, lake, role };
}

const resource = synthesizedResource;

function lifecycleRule(tf: SynthesizedStack, bucket: string): Record<string, unknown> {
  return (resource(tf, 'aws_s3_bucket_lifecycle_configuration', `${bucket}_lifecycle`).rule as Array<Record<string, unknown>>)[0];
}

/** The statements of the policy document a grant's inline policy uses. */
function grantStatements(tf: SynthesizedStack, policy: IamRolePolicy): SynthesizedStatement[] {
  const attached = resource(tf, 'aws_iam_role_policy', policy.friendlyUniqueId).policy as string;
  const document = /^\$\{data\.aws_iam_policy_document\.(.+)\.json\}$/.exec(attached)?.[1];
  if (!document) throw new Error(`policy ${attached} is not a policy document's JSON`);
  return policyStatements(tf, document);
}

const hash8 = (s: string) => createHash('sha256').update(s).digest('hex').slice(0, 8);
const VIA_S3 = [{ test: 'StringEquals', variable: 'kms:ViaService', values: ['s3.eu-west-1.amazonaws.com'] }];
const KEY_ARN = '${aws_kms_key.lake_key.arn}';

describe('DataLake', () => {
  describe('resources', () => {
    it('creates the key, six buckets named after their role and three Glue databases', () => {
      const { tf, json } = synth();
      expect(Object.keys(tf.resource?.aws_kms_key ?? {})).toEqual(['lake_key']);
      const names = Object.fromEntries(Object.entries(tf.resource?.aws_s3_bucket ?? {}).map(([a, b]) => [a, b.bucket]));
      expect(names).toEqual({
        lake_access_logs_bucket: 'adp-dev-lake-access-logs-111111111111',
        lake_raw_bucket: 'adp-dev-lake-raw-111111111111',
        lake_processed_bucket: 'adp-dev-lake-processed-111111111111',
        lake_curated_bucket: 'adp-dev-lake-curated-111111111111',
        lake_athena_results_bucket: 'adp-dev-lake-athena-results-111111111111',
        lake_artifacts_bucket: 'adp-dev-lake-artifacts-111111111111',
      });
      expect(json).toHaveResourceWithProperties(GlueCatalogDatabase, { name: 'adp_dev_lake_raw' });
    });

    it('names each zone database <project>_<env>_lake_<zone> and locates it at the zone bucket root', () => {
      const { tf } = synth();
      for (const zone of ZONES) {
        expect(resource(tf, 'aws_glue_catalog_database', `lake_${zone}_database`)).toMatchObject({
          name: `adp_dev_lake_${zone}`,
          location_uri: `s3://\${aws_s3_bucket.lake_${zone}_bucket.bucket}/`,
        });
      }
    });

    it('exposes the key, the zone buckets, the Athena results, artifacts and access-logs buckets and the databases', () => {
      const { lake } = synth();
      expect(Object.keys(lake.zones)).toEqual([...ZONES]);
      expect(ZONES.map((z) => lake.zones[z].role)).toEqual(['raw', 'processed', 'curated']);
      expect(lake.athenaResults.role).toBe('athena-results');
      expect(lake.artifacts.role).toBe('artifacts');
      expect(lake.accessLogs.role).toBe('access-logs');
      expect(Object.keys(lake.databases)).toEqual([...ZONES]);
      expect(lake.databases.raw).toBeInstanceOf(GlueCatalogDatabase);
      expect(lake.key.key.friendlyUniqueId).toBe('lake_key');
    });

    it('encrypts every bucket but the access logs with the lake key, and the access logs with SSE-S3', () => {
      const { tf } = synth();
      for (const bucket of KEY_BUCKETS) {
        expect(resource(tf, 'aws_s3_bucket_server_side_encryption_configuration', `${bucket}_encryption`).rule).toEqual([
          { apply_server_side_encryption_by_default: { sse_algorithm: 'aws:kms', kms_master_key_id: KEY_ARN }, bucket_key_enabled: true },
        ]);
      }
      expect(resource(tf, 'aws_s3_bucket_server_side_encryption_configuration', 'lake_access_logs_encryption').rule).toEqual([
        { apply_server_side_encryption_by_default: { sse_algorithm: 'AES256' } },
      ]);
    });

    it('gives every bucket versioning, blocked public access, disabled ACLs and a TLS-only policy', () => {
      const { tf } = synth();
      for (const bucket of [...KEY_BUCKETS, 'lake_access_logs']) {
        expect(resource(tf, 'aws_s3_bucket_versioning', `${bucket}_versioning`).versioning_configuration).toEqual({ status: 'Enabled' });
        expect(resource(tf, 'aws_s3_bucket_public_access_block', `${bucket}_public_access_block`)).toMatchObject({
          block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: true,
        });
        expect(resource(tf, 'aws_s3_bucket_ownership_controls', `${bucket}_ownership`).rule).toEqual({ object_ownership: 'BucketOwnerEnforced' });
        const sids = policyStatements(tf, `${bucket}_policy`).map((s) => s.sid);
        expect(sids).toContain('DenyInsecureTransport');
        expect(sids).toContain('DenyOtherEncryption');
      }
    });

    it('logs the access of every other bucket to the access-logs bucket, under the bucket role', () => {
      const { tf } = synth();
      const logging = Object.values(tf.resource?.aws_s3_bucket_logging ?? {}).map((l) => [l.bucket, l.target_bucket, l.target_prefix]);
      const logs = '${aws_s3_bucket.lake_access_logs_bucket.id}';
      expect(logging).toEqual(expect.arrayContaining([
        ['${aws_s3_bucket.lake_raw_bucket.id}', logs, 'raw/'],
        ['${aws_s3_bucket.lake_processed_bucket.id}', logs, 'processed/'],
        ['${aws_s3_bucket.lake_curated_bucket.id}', logs, 'curated/'],
        ['${aws_s3_bucket.lake_athena_results_bucket.id}', logs, 'athena-results/'],
        ['${aws_s3_bucket.lake_artifacts_bucket.id}', logs, 'artifacts/'],
      ]));
      expect(logging).toHaveLength(5);
    });

    it('sends the object events of the zone buckets, and only those, to EventBridge', () => {
      const { tf } = synth();
      expect(Object.keys(tf.resource?.aws_s3_bucket_notification ?? {}).sort()).toEqual(['lake_curated_notification', 'lake_processed_notification', 'lake_raw_notification']);
      expect(Object.values(tf.resource?.aws_s3_bucket_notification ?? {}).every((n) => n.eventbridge === true)).toBe(true);
    });
  });

  describe('artifacts bucket', () => {
    /** The resource `<type>.<bucket>_<part>`, with the bucket's own address written as "<bucket>". */
    const part = (tf: SynthesizedStack, type: string, bucket: string, name: string) =>
      JSON.parse(JSON.stringify(resource(tf, type, `${bucket}_${name}`)).split(bucket).join('<bucket>')) as unknown;
    const SECURE_PARTS: ReadonlyArray<readonly [type: string, part: string]> = [
      ['aws_s3_bucket_server_side_encryption_configuration', 'encryption'],
      ['aws_s3_bucket_versioning', 'versioning'],
      ['aws_s3_bucket_public_access_block', 'public_access_block'],
      ['aws_s3_bucket_ownership_controls', 'ownership'],
      ['aws_s3_bucket_policy', 'policy'],
    ];

    it('encrypts with the lake key and a bucket key, versions, blocks public access and disables ACLs', () => {
      const { tf } = synth();
      expect(resource(tf, 'aws_s3_bucket_server_side_encryption_configuration', 'lake_artifacts_encryption')).toEqual({
        bucket: '${aws_s3_bucket.lake_artifacts_bucket.id}',
        rule: [{ apply_server_side_encryption_by_default: { sse_algorithm: 'aws:kms', kms_master_key_id: KEY_ARN }, bucket_key_enabled: true }],
      });
      expect(resource(tf, 'aws_s3_bucket_versioning', 'lake_artifacts_versioning').versioning_configuration).toEqual({ status: 'Enabled' });
      expect(resource(tf, 'aws_s3_bucket_public_access_block', 'lake_artifacts_public_access_block')).toMatchObject({
        bucket: '${aws_s3_bucket.lake_artifacts_bucket.id}',
        block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: true,
      });
      expect(resource(tf, 'aws_s3_bucket_ownership_controls', 'lake_artifacts_ownership').rule).toEqual({ object_ownership: 'BucketOwnerEnforced' });
      expect(resource(tf, 'aws_s3_bucket', 'lake_artifacts_bucket').force_destroy).toBe(false);
    });

    it('denies requests without TLS and uploads asking for another encryption or key', () => {
      const { tf } = synth();
      const statements = policyStatements(tf, 'lake_artifacts_policy');
      const tls = statements.find((s) => s.sid === 'DenyInsecureTransport');
      expect(tls).toMatchObject({
        effect: 'Deny',
        resources: expect.arrayContaining(['${aws_s3_bucket.lake_artifacts_bucket.arn}', '${aws_s3_bucket.lake_artifacts_bucket.arn}/*']),
        condition: [{ test: 'Bool', variable: 'aws:SecureTransport', values: ['false'] }],
      });
      expect(statements.map((s) => s.sid)).toContain('DenyOtherEncryption');
      expect(resource(tf, 'aws_s3_bucket_policy', 'lake_artifacts_policy').policy).toBe('${data.aws_iam_policy_document.lake_artifacts_policy.json}');
    });

    it.each(SECURE_PARTS)('configures %s exactly like a zone bucket', (type, name) => {
      const { tf } = synth();
      expect(part(tf, type, 'lake_artifacts', name)).toEqual(part(tf, type, 'lake_raw', name));
    });

    it('has the bucket policy of a zone bucket without service writers', () => {
      const { tf } = synth();
      const statements = (bucket: string) => JSON.parse(JSON.stringify(policyStatements(tf, `${bucket}_policy`)).split(bucket).join('<bucket>')) as unknown;
      expect(statements('lake_artifacts')).toEqual(statements('lake_raw'));
    });

    it('logs its access to the access-logs bucket under artifacts/', () => {
      const { tf } = synth();
      expect(resource(tf, 'aws_s3_bucket_logging', 'lake_artifacts_logging')).toMatchObject({
        bucket: '${aws_s3_bucket.lake_artifacts_bucket.id}',
        target_bucket: '${aws_s3_bucket.lake_access_logs_bucket.id}',
        target_prefix: 'artifacts/',
      });
    });

    it('sends no object events to EventBridge', () => {
      const { tf } = synth();
      expect(tf.resource?.aws_s3_bucket_notification?.lake_artifacts_notification).toBeUndefined();
      const notified = Object.values(tf.resource?.aws_s3_bucket_notification ?? {}).map((n) => n.bucket);
      expect(notified).not.toContain('${aws_s3_bucket.lake_artifacts_bucket.id}');
    });

    it('keeps objects in S3 Standard, never expires them, and removes old versions and abandoned uploads', () => {
      const { tf } = synth(env({ lake: { abortIncompleteUploadDays: 3 } }));
      const rule = lifecycleRule(tf, 'lake_artifacts');
      expect(rule).toMatchObject({
        noncurrent_version_expiration: [{ noncurrent_days: ZONE_LIFECYCLE_DEFAULTS.noncurrentVersionExpirationDays }],
        abort_incomplete_multipart_upload: [{ days_after_initiation: 3 }],
      });
      expect(rule.transition).toBeUndefined();
      expect(rule.expiration).toBeUndefined();
    });

    it('has no Glue database (it holds no data)', () => {
      const { tf } = synth();
      expect(Object.keys(tf.resource?.aws_glue_catalog_database ?? {}).sort()).toEqual(['lake_curated_database', 'lake_processed_database', 'lake_raw_database']);
    });
  });

  describe('configuration', () => {
    it('applies the environment defaults: key window, zone transitions, Athena and access-log expirations, upload cleanup', () => {
      const { tf } = synth();
      expect(resource(tf, 'aws_kms_key', 'lake_key').deletion_window_in_days).toBe(LAKE_DEFAULTS.keyDeletionWindowDays);
      for (const zone of ZONES) {
        expect(lifecycleRule(tf, `lake_${zone}`)).toMatchObject({
          transition: [{ days: 90, storage_class: 'STANDARD_IA' }],
          noncurrent_version_expiration: [{ noncurrent_days: 90 }],
          abort_incomplete_multipart_upload: [{ days_after_initiation: LAKE_DEFAULTS.abortIncompleteUploadDays }],
        });
        expect(lifecycleRule(tf, `lake_${zone}`).expiration).toBeUndefined();
      }
      expect(lifecycleRule(tf, 'lake_athena_results')).toMatchObject({
        expiration: [{ days: LAKE_DEFAULTS.athenaResultsExpirationDays }],
        abort_incomplete_multipart_upload: [{ days_after_initiation: LAKE_DEFAULTS.abortIncompleteUploadDays }],
      });
      expect(lifecycleRule(tf, 'lake_athena_results').transition).toBeUndefined();
      expect(lifecycleRule(tf, 'lake_access_logs')).toMatchObject({ expiration: [{ days: LAKE_DEFAULTS.accessLogsExpirationDays }] });
      expect(lifecycleRule(tf, 'lake_access_logs').transition).toBeUndefined();
    });

    it('takes each zone lifecycle, the key window and the expirations from the lake config', () => {
      const { tf } = synth(env({
        lake: {
          keyDeletionWindowDays: 7,
          abortIncompleteUploadDays: 3,
          athenaResultsExpirationDays: 5,
          accessLogsExpirationDays: 400,
          zones: { raw: { infrequentAccessDays: 30, archiveDays: 60, expirationDays: 365, noncurrentVersionExpirationDays: 10 } },
        },
      }));
      expect(resource(tf, 'aws_kms_key', 'lake_key').deletion_window_in_days).toBe(7);
      expect(lifecycleRule(tf, 'lake_raw')).toMatchObject({
        transition: [{ days: 30, storage_class: 'STANDARD_IA' }, { days: 60, storage_class: 'GLACIER_IR' }],
        expiration: [{ days: 365 }],
        noncurrent_version_expiration: [{ noncurrent_days: 10 }],
        abort_incomplete_multipart_upload: [{ days_after_initiation: 3 }],
      });
      expect(lifecycleRule(tf, 'lake_processed').transition).toEqual([{ days: 90, storage_class: 'STANDARD_IA' }]);
      expect(lifecycleRule(tf, 'lake_athena_results').expiration).toEqual([{ days: 5 }]);
      expect(lifecycleRule(tf, 'lake_access_logs').expiration).toEqual([{ days: 400 }]);
    });
  });

  describe('addresses', () => {
    it('pins the key, the six buckets and the three databases', () => {
      const { stack, tf } = synth();
      expect([...stack.statefulAddresses].sort()).toEqual(STATEFUL_ADDRESSES);
      for (const address of STATEFUL_ADDRESSES) {
        const [type, name] = address.split('.');
        expect(tf.resource?.[type]?.[name]).toBeDefined();
      }
    });

    it('prevents destroying every stateful resource when the environment is protected', () => {
      const { tf } = synth(env({ protect: true }));
      for (const address of STATEFUL_ADDRESSES) {
        const [type, name] = address.split('.');
        expect(resource(tf, type, name).lifecycle).toEqual({ prevent_destroy: true });
      }
    });

    it('lets every stateful resource be destroyed when the environment is not protected', () => {
      const { tf } = synth(env({ protect: false }));
      for (const address of STATEFUL_ADDRESSES) {
        const [type, name] = address.split('.');
        expect(resource(tf, type, name).lifecycle).toBeUndefined();
      }
    });
  });

  describe('validation', () => {
    const base = env().lake;

    it('reports every config problem at once, by its path in the lake section, and creates nothing', () => {
      const config: LakeConfig = {
        ...base,
        keyDeletionWindowDays: 3,
        accessLogsExpirationDays: 30,
        zones: { ...base.zones, raw: { ...base.zones.raw, archiveDays: 100 }, curated: { ...base.zones.curated, infrequentAccessDays: 10 } },
      };
      const stack = new PlatformStack(testApp(), 'dev-lake', { env: env() });
      let error: unknown;
      try {
        new DataLake(stack, 'lake', { config });
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(PlatformError);
      expect((error as PlatformError).message).toBe([
        'DataLake dev-lake/lake: keyDeletionWindowDays is 3; use a whole number from 7 to 30 (the window KMS allows before deleting a key)',
        'DataLake dev-lake/lake: accessLogsExpirationDays is 30; use 90 or more (access logs are kept for audits)',
        'DataLake dev-lake/lake: zones.raw.archiveDays is 100; use 120 or more (at least 30 days after infrequentAccessDays, 90: S3 keeps objects in Standard-IA that long)',
        'DataLake dev-lake/lake: zones.curated.infrequentAccessDays is 10; use a whole number of 30 or more (S3 moves objects to Standard-IA no earlier than 30 days)',
      ].join('\n'));
      expect(stack.node.findAll().filter((c) => c instanceof S3Bucket || c instanceof GlueCatalogDatabase)).toEqual([]);
      expect(stack.statefulAddresses.size).toBe(0);
    });

    it('rejects a zone expiration that comes before its last transition', () => {
      const config: LakeConfig = { ...base, zones: { ...base.zones, processed: { ...base.zones.processed, expirationDays: 60 } } };
      expect(() => synth(env(), config)).toThrow(
        'zones.processed.expirationDays is 60; use more than 90 (objects expire after their last transition, infrequentAccessDays), or remove the transition',
      );
    });

    it('rejects an Athena results expiration and an upload cleanup below one day', () => {
      const config: LakeConfig = { ...base, athenaResultsExpirationDays: 0, abortIncompleteUploadDays: 0 };
      expect(() => synth(env(), config)).toThrow(
        'DataLake dev-lake/lake: abortIncompleteUploadDays is 0; use a whole number of 1 or more\n'
        + 'DataLake dev-lake/lake: athenaResultsExpirationDays is 0; use a whole number of 1 or more',
      );
    });
  });

  describe('grants', () => {
    it('lets a role read objects under a prefix, list only that prefix and decrypt through S3', () => {
      const { stack, lake, role } = withRole();
      const policy = lake.grantRead(role, 'raw', 'orders/');
      const { tf } = synthesize(stack);
      const arn = '${aws_s3_bucket.lake_raw_bucket.arn}';
      expect(grantStatements(tf, policy)).toEqual([
        { sid: 'ReadObjects', effect: 'Allow', actions: ['s3:GetObject', 's3:GetObjectVersion'], resources: [`${arn}/orders/*`] },
        {
          sid: 'ListObjects',
          effect: 'Allow',
          actions: ['s3:ListBucket'],
          resources: [arn],
          condition: [{ test: 'StringLike', variable: 's3:prefix', values: ['orders/*'] }],
        },
        { sid: 'LocateBucket', effect: 'Allow', actions: ['s3:GetBucketLocation'], resources: [arn] },
        { sid: 'DecryptWithLakeKey', effect: 'Allow', actions: ['kms:Decrypt'], resources: [KEY_ARN], condition: VIA_S3 },
      ]);
    });

    it('lets a role read and list a whole bucket when no prefix is given', () => {
      const { stack, lake, role } = withRole();
      const policy = lake.grantRead(role, 'curated');
      const { tf } = synthesize(stack);
      const statements = grantStatements(tf, policy);
      expect(statements[0].resources).toEqual(['${aws_s3_bucket.lake_curated_bucket.arn}/*']);
      expect(statements[1]).toEqual({ sid: 'ListObjects', effect: 'Allow', actions: ['s3:ListBucket'], resources: ['${aws_s3_bucket.lake_curated_bucket.arn}'] });
    });

    it('lets a role write objects under a prefix and encrypt them through S3, without reading, listing or deleting', () => {
      const { stack, lake, role } = withRole();
      const policy = lake.grantWrite(role, 'processed', 'orders/daily/');
      const { tf } = synthesize(stack);
      const arn = '${aws_s3_bucket.lake_processed_bucket.arn}';
      expect(grantStatements(tf, policy)).toEqual([
        {
          sid: 'WriteObjects',
          effect: 'Allow',
          actions: ['s3:PutObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'],
          resources: [`${arn}/orders/daily/*`],
        },
        { sid: 'LocateBucketAndUploads', effect: 'Allow', actions: ['s3:GetBucketLocation', 's3:ListBucketMultipartUploads'], resources: [arn] },
        { sid: 'EncryptWithLakeKey', effect: 'Allow', actions: ['kms:GenerateDataKey', 'kms:Decrypt'], resources: [KEY_ARN], condition: VIA_S3 },
      ]);
    });

    it('grants the Athena results bucket', () => {
      const { stack, lake, role } = withRole();
      const policy = lake.grantWrite(role, 'athena-results');
      const { tf } = synthesize(stack);
      expect(grantStatements(tf, policy)[0].resources).toEqual(['${aws_s3_bucket.lake_athena_results_bucket.arn}/*']);
      expect(GRANTABLE_ZONES).toEqual(['raw', 'processed', 'curated', 'athena-results', 'artifacts']);
    });

    it('lets a role read the artifacts bucket under a prefix, like a zone', () => {
      const { stack, lake, role } = withRole();
      const artifacts = lake.grantRead(role, 'artifacts', 'scripts/');
      const raw = lake.grantRead(role, 'raw', 'scripts/');
      const { tf } = synthesize(stack);
      const arn = '${aws_s3_bucket.lake_artifacts_bucket.arn}';
      expect(grantStatements(tf, artifacts)).toEqual([
        { sid: 'ReadObjects', effect: 'Allow', actions: ['s3:GetObject', 's3:GetObjectVersion'], resources: [`${arn}/scripts/*`] },
        {
          sid: 'ListObjects',
          effect: 'Allow',
          actions: ['s3:ListBucket'],
          resources: [arn],
          condition: [{ test: 'StringLike', variable: 's3:prefix', values: ['scripts/*'] }],
        },
        { sid: 'LocateBucket', effect: 'Allow', actions: ['s3:GetBucketLocation'], resources: [arn] },
        { sid: 'DecryptWithLakeKey', effect: 'Allow', actions: ['kms:Decrypt'], resources: [KEY_ARN], condition: VIA_S3 },
      ]);
      const asRaw = JSON.stringify(grantStatements(tf, artifacts)).split('lake_artifacts_bucket').join('lake_raw_bucket');
      expect(JSON.parse(asRaw)).toEqual(grantStatements(tf, raw));
    });

    it('lets a role write the artifacts bucket under a prefix, like a zone', () => {
      const { stack, lake, role } = withRole();
      const artifacts = lake.grantWrite(role, 'artifacts', 'checkpoints/clicks-live/');
      const raw = lake.grantWrite(role, 'raw', 'checkpoints/clicks-live/');
      const { tf } = synthesize(stack);
      const statements = grantStatements(tf, artifacts);
      expect(statements[0]).toEqual({
        sid: 'WriteObjects',
        effect: 'Allow',
        actions: ['s3:PutObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'],
        resources: ['${aws_s3_bucket.lake_artifacts_bucket.arn}/checkpoints/clicks-live/*'],
      });
      const asRaw = JSON.stringify(statements).split('lake_artifacts_bucket').join('lake_raw_bucket');
      expect(JSON.parse(asRaw)).toEqual(grantStatements(tf, raw));
    });

    it('names an artifacts grant after the verb, artifacts and the prefix, and returns it when granted twice', () => {
      const { stack, lake, role } = withRole();
      const whole = lake.grantWrite(role, 'artifacts');
      const scripts = lake.grantRead(role, 'artifacts', 'scripts/');
      const { tf } = synthesize(stack);
      expect(whole.friendlyUniqueId).toBe('loader-write-artifacts-all');
      expect(resource(tf, 'aws_iam_role_policy', 'loader-write-artifacts-all')).toEqual({
        name: 'adp-dev-lake-write-artifacts-all',
        role: '${aws_iam_role.loader.name}',
        policy: '${data.aws_iam_policy_document.loader-write-artifacts-all-document.json}',
      });
      expect(scripts.friendlyUniqueId).toBe(`loader-read-artifacts-${hash8('scripts/')}`);
      expect(lake.grantRead(role, 'artifacts', 'scripts/')).toBe(scripts);
    });

    it('validates an artifacts grant like a zone grant', () => {
      const { lake, role } = withRole();
      expect(() => lake.grantWrite(role, 'artifacts', 'scripts')).toThrow(
        'DataLake dev-lake/lake: prefix is "scripts"; end it with "/" (e.g. "orders/"), so "orders" does not also grant "orders-archive/"',
      );
    });

    it('lets a role delete objects under a prefix, leaving their versions to the lifecycle', () => {
      const { stack, lake, role } = withRole();
      const policy = lake.grantDelete(role, 'processed', 'orders/');
      const { tf } = synthesize(stack);
      expect(grantStatements(tf, policy)).toEqual([
        { sid: 'DeleteObjects', effect: 'Allow', actions: ['s3:DeleteObject'], resources: ['${aws_s3_bucket.lake_processed_bucket.arn}/orders/*'] },
      ]);
      expect(resource(tf, 'aws_iam_role_policy', policy.friendlyUniqueId).name).toBe(`adp-dev-lake-delete-processed-${hash8('orders/')}`);
      expect(lake.grantDelete(role, 'processed', 'orders/')).toBe(policy);
    });

    it('attaches the policy to the role inline, named after the verb, zone and a hash of the prefix', () => {
      const { stack, lake, role } = withRole();
      const read = lake.grantRead(role, 'raw', 'orders/');
      const write = lake.grantWrite(role, 'raw');
      const { tf } = synthesize(stack);
      expect(read.friendlyUniqueId).toBe(`loader-read-raw-${hash8('orders/')}`);
      expect(write.friendlyUniqueId).toBe('loader-write-raw-all');
      expect(resource(tf, 'aws_iam_role_policy', read.friendlyUniqueId)).toEqual({
        name: `adp-dev-lake-read-raw-${hash8('orders/')}`,
        role: '${aws_iam_role.loader.name}',
        policy: `\${data.aws_iam_policy_document.loader-read-raw-${hash8('orders/')}-document.json}`,
      });
      expect(resource(tf, 'aws_iam_role_policy', 'loader-write-raw-all').name).toBe('adp-dev-lake-write-raw-all');
    });

    it('returns the existing policy when the same access is granted twice', () => {
      const { stack, lake, role } = withRole();
      const first = lake.grantRead(role, 'raw', 'orders/');
      expect(lake.grantRead(role, 'raw', 'orders/')).toBe(first);
      expect(stack.node.findAll().filter((c) => c instanceof IamRolePolicy)).toHaveLength(1);
    });

    it('rejects a prefix with a leading slash', () => {
      const { lake, role } = withRole();
      expect(() => lake.grantRead(role, 'raw', '/orders/')).toThrow(
        'DataLake dev-lake/lake: prefix is "/orders/"; remove the leading "/" (S3 keys do not start with one)',
      );
    });

    it('rejects a prefix that does not end with a slash', () => {
      const { lake, role } = withRole();
      expect(() => lake.grantWrite(role, 'raw', 'orders')).toThrow(
        'prefix is "orders"; end it with "/" (e.g. "orders/"), so "orders" does not also grant "orders-archive/"',
      );
    });

    it('rejects a prefix with a wildcard', () => {
      const { lake, role } = withRole();
      expect(() => lake.grantRead(role, 'raw', 'orders/*/')).toThrow(
        'prefix is "orders/*/"; remove the wildcard: the grant already covers every key under the prefix',
      );
    });

    it('rejects the access-logs bucket and unknown zones', () => {
      const { lake, role } = withRole();
      expect(() => lake.grantRead(role, 'access-logs' as never)).toThrow(
        'DataLake dev-lake/lake: zone is "access-logs"; use one of raw, processed, curated, athena-results, artifacts',
      );
    });

    it('rejects a role in another account, to which the lake key does not delegate', () => {
      const app = testApp();
      const { lake } = lakeIn(app);
      const other = new PlatformStack(app, 'other', { env: env({ account: '222222222222', deployRole: 'arn:aws:iam::222222222222:role/adp-deploy' }) });
      const role = new IamRole(other, 'loader', { name: 'loader', assumeRolePolicy: ASSUME_GLUE });
      expect(() => lake.grantRead(role, 'raw')).toThrow(
        "DataLake dev-lake/lake: role other/loader is in account 222222222222; grant to a role in the lake's account, 111111111111 (the lake key delegates only to IAM there)",
      );
    });

    it('rejects a role outside any PlatformStack and creates no policy', () => {
      const app = testApp();
      const { lake } = lakeIn(app);
      const plain = new TerraformStack(app, 'plain');
      const role = new IamRole(plain, 'loader', { name: 'loader', assumeRolePolicy: ASSUME_GLUE });
      expect(() => lake.grantRead(role, 'raw')).toThrow(PlatformError);
      expect(() => lake.grantRead(role, 'raw')).toThrow('role plain/loader is not in a PlatformStack; create the role in a platform stack');
      expect(plain.node.findAll().filter((c) => c instanceof IamRolePolicy)).toEqual([]);
    });

    it("puts the policy in the role's stack when the role lives in another stack, and leaves the lake's stack without new resources", () => {
      const environment = env();
      const lakeOnly = synthesize(lakeIn(testApp(), environment).stack).tf;

      const app = testApp();
      const { stack: lakeStack, lake } = lakeIn(app, environment);
      const ingestion = new PlatformStack(app, 'dev-ingestion', { env: environment });
      const role = new IamRole(ingestion, 'loader', { name: 'loader', assumeRolePolicy: ASSUME_GLUE });
      const policy = lake.grantWrite(role, 'raw', 'orders/');

      const consumer = synthesize(ingestion).tf;
      const lakeAfter = synthesize(lakeStack).tf;

      expect(policy.node.scope).toBe(ingestion);
      expect(Object.keys(consumer.resource?.aws_iam_role_policy ?? {})).toEqual([policy.friendlyUniqueId]);
      const statements = grantStatements(consumer, policy);
      expect(statements[0].resources[0]).toMatch(/^\$\{data\.terraform_remote_state\.[^}]+\}\/orders\/\*$/);
      expect(statements[2].resources[0]).toMatch(/^\$\{data\.terraform_remote_state\.[^}]+\}$/);
      expect(Object.keys(consumer.data?.terraform_remote_state ?? {})).toHaveLength(1);

      const addresses = (tf: SynthesizedStack, kind: 'resource' | 'data') =>
        Object.entries(tf[kind] ?? {}).flatMap(([type, byName]) => Object.keys(byName).map((n) => `${type}.${n}`)).sort();
      expect(addresses(lakeAfter, 'resource')).toEqual(addresses(lakeOnly, 'resource'));
      expect(addresses(lakeAfter, 'data')).toEqual(addresses(lakeOnly, 'data'));
      expect(lakeAfter.resource?.aws_iam_role_policy).toBeUndefined();
      expect(Object.keys(lakeAfter.output ?? {}).length).toBeGreaterThan(0);
    });
  });
});

describe('DataLake service writers', () => {
  test('lets AppFlow write only its prefix of the raw zone, from this account, and use the lake key', () => {
    const environment = env();
    const stack = new PlatformStack(testApp(), 'dev-lake', { env: environment });
    new DataLake(stack, 'lake', { config: environment.lake, serviceWriters: [{ service: 'appflow.amazonaws.com', zone: 'raw', prefix: 'salesforce-accounts/' }] });
    const { tf } = synthesize(stack);
    const sourceAccount = [{ test: 'StringEquals', variable: 'aws:SourceAccount', values: ['111111111111'] }];
    const raw = policyStatements(tf, 'lake_raw_policy');
    expect(raw).toContainEqual({
      sid: 'AllowServiceWrite0',
      effect: 'Allow',
      principals: [{ type: 'Service', identifiers: ['appflow.amazonaws.com'] }],
      actions: ['s3:PutObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts', 's3:PutObjectAcl'],
      resources: ['${aws_s3_bucket.lake_raw_bucket.arn}/salesforce-accounts/*'],
      condition: sourceAccount,
    });
    expect(raw.map((s) => s.sid)).toContain('AllowServiceLocate0');
    expect(policyStatements(tf, 'lake_curated_policy').map((s) => s.sid)).not.toContain('AllowServiceWrite0');
    expect(policyStatements(tf, 'lake_key_policy').map((s) => s.sid)).toContain('AllowServiceWriter0');
  });
});

describe('DataLake event queues', () => {
  const PARTNERS: LakeEventQueue = { name: 'raw-partners', zone: 'raw', prefix: 'partner-import/' };
  const ORDERS: LakeEventQueue = { name: 'processed-orders', zone: 'processed', prefix: 'orders/' };

  function withQueues(eventQueues: readonly LakeEventQueue[], app: App = testApp()) {
    const environment = env();
    const stack = new PlatformStack(app, 'dev-lake', { env: environment });
    const lake = new DataLake(stack, 'lake', { config: environment.lake, eventQueues });
    return { stack, lake, ...synthesize(stack) };
  }

  it('creates one queue per consumer in the lake\'s stack, named <project>-<env>-lake-<name>-events, encrypted with the lake key', () => {
    const { tf } = withQueues([PARTNERS, ORDERS]);
    expect(Object.keys(tf.resource?.aws_sqs_queue ?? {}).sort()).toEqual(['lake_processed_orders_events_queue', 'lake_raw_partners_events_queue']);
    expect(resource(tf, 'aws_sqs_queue', 'lake_raw_partners_events_queue')).toEqual({
      name: 'adp-dev-lake-raw-partners-events',
      kms_master_key_id: KEY_ARN,
      kms_data_key_reuse_period_seconds: 300,
      message_retention_seconds: 1_209_600,
    });
  });

  it('lets S3 send to each queue only for the zone bucket and account, through the queue\'s policy', () => {
    const { tf } = withQueues([PARTNERS, ORDERS]);
    expect(resource(tf, 'aws_sqs_queue_policy', 'lake_raw_partners_events_policy')).toEqual({
      queue_url: '${aws_sqs_queue.lake_raw_partners_events_queue.url}',
      policy: '${data.aws_iam_policy_document.lake_raw_partners_events_policy.json}',
    });
    const allow = (queue: string, bucket: string) => [{
      sid: 'AllowBucketNotifications',
      effect: 'Allow',
      principals: [{ type: 'Service', identifiers: ['s3.amazonaws.com'] }],
      actions: ['sqs:SendMessage'],
      resources: [`\${aws_sqs_queue.${queue}.arn}`],
      condition: [
        { test: 'ArnEquals', variable: 'aws:SourceArn', values: [`\${aws_s3_bucket.${bucket}.arn}`] },
        { test: 'StringEquals', variable: 'aws:SourceAccount', values: ['111111111111'] },
      ],
    }];
    expect(policyStatements(tf, 'lake_raw_partners_events_policy')).toEqual(allow('lake_raw_partners_events_queue', 'lake_raw_bucket'));
    expect(policyStatements(tf, 'lake_processed_orders_events_policy')).toEqual(allow('lake_processed_orders_events_queue', 'lake_processed_bucket'));
  });

  it('adds each queue to its zone bucket\'s existing notification, beside EventBridge, once the queue policy is in place', () => {
    const { tf } = withQueues([PARTNERS, ORDERS]);
    expect(Object.keys(tf.resource?.aws_s3_bucket_notification ?? {}).sort()).toEqual(['lake_curated_notification', 'lake_processed_notification', 'lake_raw_notification']);
    expect(resource(tf, 'aws_s3_bucket_notification', 'lake_raw_notification')).toEqual({
      bucket: '${aws_s3_bucket.lake_raw_bucket.id}',
      eventbridge: true,
      queue: [{
        id: 'raw-partners',
        queue_arn: '${aws_sqs_queue.lake_raw_partners_events_queue.arn}',
        events: ['s3:ObjectCreated:*', 's3:ObjectRemoved:*'],
        filter_prefix: 'partner-import/',
      }],
      depends_on: ['aws_sqs_queue_policy.lake_raw_partners_events_policy'],
    });
    expect(resource(tf, 'aws_s3_bucket_notification', 'lake_processed_notification')).toMatchObject({
      eventbridge: true,
      queue: [{ id: 'processed-orders', queue_arn: '${aws_sqs_queue.lake_processed_orders_events_queue.arn}', filter_prefix: 'orders/' }],
      depends_on: ['aws_sqs_queue_policy.lake_processed_orders_events_policy'],
    });
    expect(resource(tf, 'aws_s3_bucket_notification', 'lake_curated_notification')).toEqual({ bucket: '${aws_s3_bucket.lake_curated_bucket.id}', eventbridge: true });
  });

  it('lets S3 of this account encrypt with the lake key, which the queues use, only when there are queues', () => {
    const { tf } = withQueues([PARTNERS]);
    expect(policyStatements(tf, 'lake_key_policy').find((s) => s.sid === 'AllowS3EventNotifications')).toEqual({
      sid: 'AllowS3EventNotifications',
      effect: 'Allow',
      principals: [{ type: 'Service', identifiers: ['s3.amazonaws.com'] }],
      actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
      resources: ['*'],
      condition: [{ test: 'StringEquals', variable: 'aws:SourceAccount', values: ['111111111111'] }],
    });
    const without = withQueues([]).tf;
    expect(policyStatements(without, 'lake_key_policy').map((s) => s.sid)).not.toContain('AllowS3EventNotifications');
    expect(without.resource?.aws_sqs_queue).toBeUndefined();
    expect(without.resource?.aws_sqs_queue_policy).toBeUndefined();
  });

  it('changes nothing else in the lake\'s stack', () => {
    const before = synth().tf;
    const after = withQueues([PARTNERS]).tf;
    const addresses = (tf: SynthesizedStack) =>
      Object.entries(tf.resource ?? {}).flatMap(([type, byName]) => Object.keys(byName).map((n) => `${type}.${n}`)).sort();
    expect(addresses(after).filter((a) => !addresses(before).includes(a))).toEqual([
      'aws_sqs_queue.lake_raw_partners_events_queue',
      'aws_sqs_queue_policy.lake_raw_partners_events_policy',
    ]);
    expect(addresses(before).filter((a) => !addresses(after).includes(a))).toEqual([]);
  });

  it('exposes each queue\'s ARN, URL and name through eventQueue(name)', () => {
    const app = testApp();
    const { stack, lake } = withQueues([PARTNERS], app);
    const queue = lake.eventQueue('raw-partners');
    new TerraformOutput(stack, 'arn', { value: queue.arn });
    new TerraformOutput(stack, 'url', { value: queue.url });
    new TerraformOutput(stack, 'name', { value: queue.name });
    expect(synthesize(stack).tf.output).toMatchObject({
      arn: { value: '${aws_sqs_queue.lake_raw_partners_events_queue.arn}' },
      url: { value: '${aws_sqs_queue.lake_raw_partners_events_queue.url}' },
      name: { value: '${aws_sqs_queue.lake_raw_partners_events_queue.name}' },
    });
  });

  it('rejects an unknown queue name with a PlatformError naming it and the queues there are', () => {
    const { lake } = withQueues([PARTNERS, ORDERS]);
    expect(() => lake.eventQueue('raw-orders')).toThrow(PlatformError);
    expect(() => lake.eventQueue('raw-orders')).toThrow(
      'DataLake dev-lake/lake: eventQueue "raw-orders" is not an event queue of this lake (queues: raw-partners, processed-orders); '
        + 'add { name: "raw-orders", zone, prefix } to its eventQueues (the app derives them from the crawlers with recrawl: events)',
    );
    expect(() => lake.eventQueue('raw-orders')).toThrow(/^[^\n]*$/);
    expect(() => withQueues([]).lake.eventQueue('raw-partners')).toThrow('eventQueue "raw-partners" is not an event queue of this lake (queues: none); ');
  });

  it('reports every problem of the event queues at once, and creates nothing', () => {
    const environment = env();
    const stack = new PlatformStack(testApp(), 'dev-lake', { env: environment });
    const eventQueues = [
      PARTNERS,
      { name: 'raw-partners-daily', zone: 'raw', prefix: 'partner-import/daily/' },
      { name: 'Raw_Orders', zone: 'raw', prefix: 'orders' },
      { ...PARTNERS, zone: 'processed' },
      { name: 'archive', zone: 'athena-results', prefix: 'archive/' },
      { name: 'processed-partners', zone: 'processed', prefix: 'partner-import/' },
    ] as LakeEventQueue[];
    let error: unknown;
    try {
      new DataLake(stack, 'lake', { config: environment.lake, eventQueues });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(PlatformError);
    expect((error as PlatformError).message).toBe([
      'DataLake dev-lake/lake: eventQueues[2].name is "Raw_Orders"; use 2-40 lowercase letters and digits, words joined by "-", starting with a letter (e.g. "clickstream")',
      'DataLake dev-lake/lake: eventQueues[3].name is "raw-partners" again; give each queue its own name',
      'DataLake dev-lake/lake: eventQueues[4].zone is "athena-results"; use one of raw, processed, curated',
      'DataLake dev-lake/lake: eventQueues[1].prefix is "partner-import/daily/", which overlaps "partner-import/" of queue raw-partners in the raw zone; '
        + 'use prefixes that do not contain one another (S3 rejects queue notifications of one bucket whose prefixes overlap)',
      'DataLake dev-lake/lake: eventQueues[2].prefix is "orders"; use a key prefix ending in "/", without a leading "/" or wildcards (e.g. "orders/"): S3 matches it against the start of each key',
      'DataLake dev-lake/lake: eventQueues[5].prefix is "partner-import/", which overlaps "partner-import/" of queue raw-partners in the processed zone; '
        + 'use prefixes that do not contain one another (S3 rejects queue notifications of one bucket whose prefixes overlap)',
    ].join('\n'));
    expect(stack.node.findAll().filter((c) => c instanceof S3Bucket || c instanceof SqsQueue)).toEqual([]);
  });

  it('accepts the same prefix in different zones', () => {
    expect(() => withQueues([PARTNERS, { name: 'processed-partners', zone: 'processed', prefix: 'partner-import/' }])).not.toThrow();
  });
});

describe('DataLake managed tables', () => {
  type TablesInput = NonNullable<NonNullable<EnvironmentInput['lake']>['tables']>;
  const TABLES: TablesInput = {
    daily_revenue: { zone: 'curated', prefix: 'daily_revenue/', columns: [{ name: 'order_date', type: 'date' }, { name: 'revenue', type: 'decimal(18,2)' }] },
    orders: { zone: 'processed', prefix: 'orders/', columns: [{ name: 'order_id', type: 'bigint' }] },
  };
  const withTables = (tables: TablesInput = TABLES) => synth(env({ lake: { tables } }));

  it('creates one catalog table per lake.tables entry, in its zone\'s database, and exposes them by name', () => {
    const { lake, tf } = withTables();
    expect(Object.keys(lake.tables)).toEqual(['daily_revenue', 'orders']);
    expect(lake.tables.daily_revenue.database).toBe(lake.databases.curated);
    expect(lake.tables.orders.database).toBe(lake.databases.processed);
    expect(resource(tf, 'aws_glue_catalog_table', 'lake_orders_table').database_name).toBe('${aws_glue_catalog_database.lake_processed_database.name}');
  });

  it('pins the tables beside the existing addresses, which stay where they were', () => {
    const { stack } = withTables();
    expect([...stack.statefulAddresses].sort()).toEqual([
      ...STATEFUL_ADDRESSES.slice(0, 3),
      'aws_glue_catalog_table.lake_daily_revenue_table',
      'aws_glue_catalog_table.lake_orders_table',
      ...STATEFUL_ADDRESSES.slice(3),
    ]);
  });

  it('adds nothing but the tables to the lake\'s stack', () => {
    const addresses = (tf: SynthesizedStack) =>
      Object.entries(tf.resource ?? {}).flatMap(([type, byName]) => Object.keys(byName).map((n) => `${type}.${n}`)).sort();
    const before = addresses(synth().tf);
    const after = addresses(withTables().tf);
    expect(after.filter((a) => !before.includes(a))).toEqual(['aws_glue_catalog_table.lake_daily_revenue_table', 'aws_glue_catalog_table.lake_orders_table']);
    expect(before.filter((a) => !after.includes(a))).toEqual([]);
    expect(synth().lake.tables).toEqual({});
  });

  it('finds a table by "<zone>.<table>"', () => {
    const { lake } = withTables();
    expect(lake.table('curated.daily_revenue')).toBe(lake.tables.daily_revenue);
    expect(lake.table('processed.orders')).toBe(lake.tables.orders);
  });

  it('rejects an unknown table, a table of another zone and a malformed reference, naming the tables there are', () => {
    const { lake } = withTables();
    const known = '(tables: curated.daily_revenue, processed.orders)';
    expect(problemsOf(() => lake.table('curated.customers'))).toEqual([
      `DataLake dev-lake/lake: table "curated.customers" is not a table of this lake ${known}; declare it in lake.tables or use one of those`,
    ]);
    expect(problemsOf(() => lake.table('raw.orders'))).toEqual([
      `DataLake dev-lake/lake: table "raw.orders" names the table orders in the raw zone, but it is in the processed zone ${known}; use "processed.orders"`,
    ]);
    expect(problemsOf(() => lake.table('curated.constructor'))).toEqual([
      `DataLake dev-lake/lake: table "curated.constructor" is not a table of this lake ${known}; declare it in lake.tables or use one of those`,
    ]);
    expect(problemsOf(() => lake.table('orders'))).toEqual([
      `DataLake dev-lake/lake: table "orders" is not a table reference; use "<zone>.<table>" ${known}`,
    ]);
    expect(errorOf(() => synth().lake.table('curated.daily_revenue')).message).toBe(
      'DataLake dev-lake/lake: table "curated.daily_revenue" is not a table of this lake (tables: none); declare it in lake.tables or use one of those',
    );
  });

  it('checks every table before creating anything, reporting problems at their path in the lake section', () => {
    const base = env({ lake: { tables: TABLES } }).lake;
    const config: LakeConfig = {
      ...base,
      keyDeletionWindowDays: 3,
      tables: {
        ...base.tables,
        orders: { ...base.tables.orders, partitionKeys: [{ name: 'order_id', type: 'bigint' }] },
        Bad: { ...base.tables.orders },
      },
    };
    const stack = new PlatformStack(testApp(), 'dev-lake', { env: env() });
    expect(problemsOf(() => new DataLake(stack, 'lake', { config }))).toEqual([
      'DataLake dev-lake/lake: keyDeletionWindowDays is 3; use a whole number from 7 to 30 (the window KMS allows before deleting a key)',
      'DataLake dev-lake/lake: tables.orders.partitionKeys[0].name is "order_id", which is also a column (columns[0]); a partition key is not stored in the files, so remove it from columns or from partitionKeys',
      'DataLake dev-lake/lake: tables.Bad is "Bad"; use a table name of lowercase letters, digits and "_", starting with a letter (Glue stores names lowercase, Athena reads them unquoted)',
    ]);
    expect(stack.node.findAll().filter((c) => c instanceof S3Bucket || c instanceof GlueCatalogDatabase || c instanceof GlueCatalogTable)).toEqual([]);
    expect(stack.statefulAddresses.size).toBe(0);
  });
});

describe('DataLake catalog grants', () => {
  const VIA_GLUE = [{ test: 'StringEquals', variable: 'kms:ViaService', values: ['glue.eu-west-1.amazonaws.com'] }];

  it('documents the KMS actions of each access', () => {
    expect(CATALOG_ACCESS).toEqual(['read', 'write']);
    expect(CATALOG_KEY_ACTIONS).toEqual({ read: ['kms:Decrypt'], write: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey*'] });
  });

  it('lets a reader decrypt catalog metadata with the lake key, through Glue only', () => {
    const { stack, lake, role } = withRole();
    const policy = lake.grantCatalog(role, 'read');
    const { tf } = synthesize(stack);
    expect(grantStatements(tf, policy)).toEqual([
      { sid: 'ReadEncryptedCatalog', effect: 'Allow', actions: ['kms:Decrypt'], resources: [KEY_ARN], condition: VIA_GLUE },
    ]);
    expect(resource(tf, 'aws_iam_role_policy', 'loader-catalog-read')).toEqual({
      name: 'adp-dev-lake-catalog-read',
      role: '${aws_iam_role.loader.name}',
      policy: '${data.aws_iam_policy_document.loader-catalog-read-document.json}',
    });
  });

  it('lets a writer also encrypt under new data keys, through Glue only', () => {
    const { stack, lake, role } = withRole();
    const policy = lake.grantCatalog(role, 'write');
    const { tf } = synthesize(stack);
    expect(grantStatements(tf, policy)).toEqual([
      { sid: 'WriteEncryptedCatalog', effect: 'Allow', actions: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey*'], resources: [KEY_ARN], condition: VIA_GLUE },
    ]);
    expect(resource(tf, 'aws_iam_role_policy', 'loader-catalog-write').name).toBe('adp-dev-lake-catalog-write');
  });

  it('returns the existing policy when the same access is granted twice, and keeps read and write apart', () => {
    const { stack, lake, role } = withRole();
    const read = lake.grantCatalog(role, 'read');
    expect(lake.grantCatalog(role, 'read')).toBe(read);
    const write = lake.grantCatalog(role, 'write');
    expect(write).not.toBe(read);
    expect(stack.node.findAll().filter((c) => c instanceof IamRolePolicy)).toEqual([read, write]);
  });

  it("puts the policy in the role's stack and leaves the lake's stack unchanged", () => {
    const environment = env();
    const lakeOnly = synthesize(lakeIn(testApp(), environment).stack).tf;
    const app = testApp();
    const { stack: lakeStack, lake } = lakeIn(app, environment);
    const governance = new PlatformStack(app, 'dev-governance', { env: environment });
    const role = new IamRole(governance, 'analysts', { name: 'analysts', assumeRolePolicy: ASSUME_GLUE });
    const policy = lake.grantCatalog(role, 'read');
    const consumer = synthesize(governance).tf;
    expect(policy.node.scope).toBe(governance);
    expect(grantStatements(consumer, policy)[0].resources[0]).toMatch(/^\$\{data\.terraform_remote_state\.[^}]+\}$/);
    const resources = (tf: SynthesizedStack) => Object.entries(tf.resource ?? {}).flatMap(([type, byName]) => Object.keys(byName).map((n) => `${type}.${n}`)).sort();
    expect(resources(synthesize(lakeStack).tf)).toEqual(resources(lakeOnly));
  });

  it('rejects an unknown access and a role in another account', () => {
    const app = testApp();
    const { lake } = lakeIn(app);
    const other = new PlatformStack(app, 'other', { env: env({ account: '222222222222', deployRole: 'arn:aws:iam::222222222222:role/adp-deploy' }) });
    const role = new IamRole(other, 'loader', { name: 'loader', assumeRolePolicy: ASSUME_GLUE });
    expect(problemsOf(() => lake.grantCatalog(role, 'admin' as never))).toEqual([
      'DataLake dev-lake/lake: access is "admin"; use one of read, write',
      "DataLake dev-lake/lake: role other/loader is in account 222222222222; grant to a role in the lake's account, 111111111111 (the lake key delegates only to IAM there)",
    ]);
    expect(other.node.findAll().filter((c) => c instanceof IamRolePolicy)).toEqual([]);
  });
});
