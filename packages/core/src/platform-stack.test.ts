import { IAspect, TerraformStack } from 'cdktf';
import { Construct, IConstruct } from 'constructs';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { DataAwsPartition } from '@cdktf/provider-aws/lib/data-aws-partition';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { EnvironmentInput } from './config/schema';
import { isPlatformError } from './errors';
import { CREDENTIAL_MODES, OFFLINE_PROVIDER, PLATFORM_STACK_DEFAULTS, PlatformStack, stackName } from './platform-stack';
import { synthesize, testApp, testEnvironment } from './testing';

const OFFLINE: Partial<EnvironmentInput> = { name: 'local', offline: true, layout: 'single', deployRole: undefined, state: undefined };

function stack(overrides: Partial<EnvironmentInput> = {}, id = 'test-lake'): PlatformStack {
  return new PlatformStack(testApp(), id, { env: testEnvironment(overrides) });
}

/** `skipRegionValidation` -> `skip_region_validation`: the cdktf jest matchers compare synthesized (snake_case) keys. */
function snakeKeys(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).map(([k, v]) => [k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`), v]));
}

/** The synthesized `provider.aws[0]` block. */
function awsProvider(s: PlatformStack): Record<string, unknown> {
  const providers = synthesize(s).tf.provider?.aws ?? [];
  expect(providers).toHaveLength(1);
  return providers[0];
}

/** The synthesized `terraform.backend` block. */
function backend(s: PlatformStack): Record<string, Record<string, unknown>> {
  return synthesize(s).tf.terraform?.backend as Record<string, Record<string, unknown>>;
}

describe('PlatformStack', () => {
  describe('provider of an online environment', () => {
    it("targets the environment's region and allows only its account", () => {
      expect(synthesize(stack()).json).toHaveProviderWithProperties(AwsProvider, {
        region: 'eu-west-1',
        allowed_account_ids: ['111111111111'],
      });
    });

    it('assumes the deploy role with a session name naming project and environment', () => {
      expect(awsProvider(stack())).toMatchObject({
        assume_role: [{ role_arn: 'arn:aws:iam::111111111111:role/adp-deploy', session_name: 'adp-test-deploy' }],
      });
    });

    it("stamps the platform's default tags and the environment's extra tags", () => {
      const provider = awsProvider(stack({ stage: 'staging', tags: { 'cost-center': 'data-platform' } }));
      expect(provider.default_tags).toEqual([
        {
          tags: {
            project: 'adp',
            environment: 'test',
            stage: 'staging',
            'managed-by': 'cdktf-data-platform',
            'cost-center': 'data-platform',
          },
        },
      ]);
    });

    it('sets no mock credentials or skip flags', () => {
      const provider = awsProvider(stack());
      for (const key of ['access_key', 'secret_key', 'skip_credentials_validation', 'skip_requesting_account_id', 'skip_metadata_api_check']) {
        expect(provider).not.toHaveProperty(key);
      }
    });
  });

  describe('state backend of an online environment', () => {
    it('stores state in S3, encrypted with the state key bootstrap creates, under <env>/<stack>.tfstate in the environment region', () => {
      expect(backend(stack())).toEqual({
        s3: {
          bucket: 'adp-tfstate-111111111111',
          key: 'test/test-lake.tfstate',
          region: 'eu-west-1',
          encrypt: true,
          // The state bucket refuses objects encrypted with any other key.
          kms_key_id: 'arn:aws:kms:eu-west-1:111111111111:alias/adp-bootstrap-test-state-key',
          assume_role: { role_arn: 'arn:aws:iam::111111111111:role/adp-deploy' },
          use_lockfile: true,
        },
      });
    });

    // S3BackendConfig has no use_lockfile in cdktf 0.21: it is set by override, pinned here.
    it('locks state with S3 native locking (use_lockfile), not DynamoDB', () => {
      const s3 = backend(stack()).s3;
      expect(s3.use_lockfile).toBe(true);
      expect(s3).not.toHaveProperty('dynamodb_table');
    });

    it('uses keyPrefix, the state region and the state role when set', () => {
      const s3 = backend(
        stack({
          state: {
            bucket: 'central-tfstate',
            keyPrefix: 'platform/test',
            region: 'us-east-1',
            role: 'arn:aws:iam::999999999999:role/state-writer',
          },
        }),
      ).s3;
      expect(s3).toMatchObject({
        bucket: 'central-tfstate',
        key: 'platform/test/test-lake.tfstate',
        region: 'us-east-1',
        assume_role: { role_arn: 'arn:aws:iam::999999999999:role/state-writer' },
      });
    });

    it('uses the credentials Terraform runs with, in provider and backend, with credentials: ambient (CI roles from OIDC)', () => {
      const ambient = new PlatformStack(testApp(), 'test-lake', { env: testEnvironment(), credentials: 'ambient' });
      const provider = awsProvider(ambient);
      expect(provider).not.toHaveProperty('assume_role');
      expect(provider.allowed_account_ids).toEqual(['111111111111']);
      expect(backend(ambient).s3).not.toHaveProperty('assume_role');
      expect(PLATFORM_STACK_DEFAULTS.credentials).toBe('assume-deploy-role');
      expect(CREDENTIAL_MODES).toEqual(['assume-deploy-role', 'ambient']);
    });

    it('rejects an unknown credential mode', () => {
      expect(() => new PlatformStack(testApp(), 'test-lake', { env: testEnvironment(), credentials: 'keys' as never })).toThrow(
        'environment test: credentials is "keys"; use assume-deploy-role or ambient (PLATFORM_CREDENTIALS)',
      );
    });

    it('names the state key after the stack id', () => {
      expect(backend(stack({}, 'test-ingestion')).s3.key).toBe('test/test-ingestion.tfstate');
    });
  });

  describe('offline environment', () => {
    it('uses mock credentials and every skip flag of OFFLINE_PROVIDER', () => {
      expect(synthesize(stack(OFFLINE, 'local')).json).toHaveProviderWithProperties(AwsProvider, {
        ...snakeKeys(OFFLINE_PROVIDER),
        region: 'eu-west-1',
      });
      expect(awsProvider(stack(OFFLINE, 'local'))).toMatchObject({
        access_key: 'mock-access-key',
        secret_key: 'mock-secret-key',
        skip_credentials_validation: true,
        skip_requesting_account_id: true,
        skip_metadata_api_check: 'true',
        skip_region_validation: true,
      });
    });

    it('assumes no role', () => {
      expect(awsProvider(stack(OFFLINE, 'local'))).not.toHaveProperty('assume_role');
    });

    // With skip_requesting_account_id the provider knows no account id, and allowed_account_ids
    // would fail every plan with "AWS account ID not allowed".
    it('sets no allowed_account_ids', () => {
      expect(awsProvider(stack(OFFLINE, 'local'))).not.toHaveProperty('allowed_account_ids');
    });

    it('keeps state in a local backend, even when a state bucket is configured', () => {
      expect(backend(stack(OFFLINE, 'local'))).toEqual({ local: { path: 'local.tfstate' } });
      expect(backend(stack({ ...OFFLINE, state: { bucket: 'adp-tfstate-111111111111' } }, 'local'))).toEqual({
        local: { path: 'local.tfstate' },
      });
    });

    it('still stamps the default tags', () => {
      expect(awsProvider(stack(OFFLINE, 'local')).default_tags).toEqual([
        { tags: { project: 'adp', environment: 'local', stage: 'development', 'managed-by': 'cdktf-data-platform' } },
      ]);
    });
  });

  describe('validation', () => {
    it('rejects an online environment without deployRole or state with one PlatformError', () => {
      const env = testEnvironment({ deployRole: undefined, state: undefined });
      let thrown: unknown;
      try {
        new PlatformStack(testApp(), 'test-lake', { env });
      } catch (e) {
        thrown = e;
      }
      expect(isPlatformError(thrown)).toBe(true);
      expect((thrown as Error).message).toBe(
        [
          'environment test: deployRole is missing; an online environment needs the role the provider assumes (or set offline: true)',
          'environment test: state is missing; an online environment needs a state bucket (or set offline: true)',
        ].join('\n'),
      );
    });

    it('rejects an online environment without deployRole', () => {
      expect(() => stack({ deployRole: undefined })).toThrow(
        /^environment test: deployRole is missing; an online environment needs the role the provider assumes \(or set offline: true\)$/,
      );
    });
  });

  describe('PlatformStack.of', () => {
    it('finds the platform stack of a nested construct', () => {
      const s = stack();
      const inner = new Construct(new Construct(s, 'outer'), 'inner');
      expect(PlatformStack.of(inner)).toBe(s);
    });

    it('rejects a construct in a plain TerraformStack, naming its path', () => {
      const plain = new TerraformStack(testApp(), 'plain');
      const inner = new Construct(plain, 'inner');
      expect(() => PlatformStack.of(inner)).toThrow(
        'plain/inner is not inside a PlatformStack; create platform constructs in a PlatformStack',
      );
    });
  });

  describe('helpers', () => {
    it('creates one aws_partition data source however often the partition is read', () => {
      const s = stack();
      expect(s.accountRootArn).toMatch(/^arn:\$\{.+\}:iam::111111111111:root$/);
      expect(s.partition).toMatch(/^\$\{.+\}$/);
      const { json, tf } = synthesize(s);
      expect(json).toHaveDataSource(DataAwsPartition);
      expect(Object.keys(tf.data?.aws_partition ?? {})).toHaveLength(1);
    });

    it('names resources with the environment project and name', () => {
      const s = stack({ project: 'shop' });
      expect(s.resourceName('lake', 'raw', { suffix: '111111111111' })).toBe('shop-test-lake-raw-111111111111');
    });

    it('runs the aspects it is given before synthesis', () => {
      const visited: string[] = [];
      const aspect: IAspect = {
        visit(node: IConstruct) {
          if (node instanceof S3Bucket) visited.push(node.node.path);
        },
      };
      const s = new PlatformStack(testApp(), 'test-lake', { env: testEnvironment(), aspects: [aspect] });
      new S3Bucket(s, 'bucket', {});
      synthesize(s);
      expect(visited).toEqual(['test-lake/bucket']);
    });
  });
});

describe('stackName', () => {
  it('names a layered environment\'s stacks <env>-<layer>', () => {
    expect(stackName(testEnvironment({ name: 'prod', layout: 'layered' }), 'lake')).toBe('prod-lake');
  });

  it('names the one stack of a single-layout environment <env>', () => {
    expect(stackName(testEnvironment({ name: 'local', layout: 'single' }), 'lake')).toBe('local');
  });
});
