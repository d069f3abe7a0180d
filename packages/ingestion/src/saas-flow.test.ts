import { Token } from 'cdktf';
import { AppflowFlow } from '@cdktf/provider-aws/lib/appflow-flow';
import {
  EnvironmentConfig,
  EnvironmentInput,
  INGESTION_DEFAULTS,
  PlatformError,
  policyStatements,
  SaasConfig,
  synthesize,
  synthesizedResource,
  SynthesizedStack,
  testEnvironment,
  thrownBy,
} from '@data-platform/core';
import { stackWithLake } from '@data-platform/lake';
import { PolicyPack } from '@data-platform/policy';
import { APPFLOW_SERVICE, SAAS_FLOW_SETTINGS, SaasFlow, appflowSchedule, appflowWriters } from './saas-flow';
import { devEnvironment, IngestionInput, layeredStacks, OFFLINE } from './test-support';

type SaasInput = IngestionInput<'saas'>;

const ACCOUNTS: SaasInput = { connectorProfile: 'dev-salesforce', object: 'Account', fields: ['Id', 'Name', 'Industry'] };

/** A dev environment whose `ingestion.saas` holds `saas` (defaults applied as the loader does). */
function env(saas: Record<string, SaasInput> = { 'salesforce-accounts': ACCOUNTS }, overrides: Partial<EnvironmentInput> = {}): EnvironmentConfig {
  return devEnvironment({ ingestion: { saas }, ...overrides });
}

/** The lake in `dev-lake` and the flow in `dev-ingestion` of one app, both checked by the policy pack. */
function layered(config: SaasConfig = env().ingestion.saas['salesforce-accounts'], name = 'salesforce-accounts') {
  const environment = env({ [name]: config });
  const pack = new PolicyPack();
  const { app, lakeStack, lake, stack } = layeredStacks(environment, {
    aspects: [pack],
    lake: { serviceWriters: appflowWriters(environment.ingestion.saas) },
  });
  const saas = new SaasFlow(stack, 'saas', { lake, name, config });
  return { app, pack, lake, lakeStack, stack, saas };
}

/** The lake and the flow in one stack (no cross-stack references). */
function single(config: SaasConfig, name = 'salesforce-accounts') {
  const { stack, lake } = stackWithLake(env({ [name]: config }));
  const saas = new SaasFlow(stack, 'saas', { lake, name, config });
  return { stack, lake, saas, ...synthesize(stack) };
}

const flowOf = (tf: SynthesizedStack, saas: SaasFlow) => synthesizedResource(tf, 'aws_appflow_flow', saas.flow.friendlyUniqueId);
const saasConfig = (input: SaasInput, name = 'salesforce-accounts') => env({ [name]: input }).ingestion.saas[name];

describe('appflowSchedule', () => {
  test.each([
    ['rate(1 day)', 'rate(1days)'],
    ['rate(2 days)', 'rate(2days)'],
    ['rate(1 hour)', 'rate(1hours)'],
    ['rate(12 hours)', 'rate(12hours)'],
    ['rate(1 minute)', 'rate(1minutes)'],
    ['rate(15 minutes)', 'rate(15minutes)'],
  ])('spells %s as AppFlow does: %s (no space, plural unit)', (ours, appflow) => {
    expect(appflowSchedule(ours)).toEqual({ expression: appflow });
  });

  test('passes cron expressions through unchanged (same six-field AWS form)', () => {
    expect(appflowSchedule('cron(0 2 * * ? *)')).toEqual({ expression: 'cron(0 2 * * ? *)' });
    expect(appflowSchedule('cron(30 6 ? * MON-FRI *)')).toEqual({ expression: 'cron(30 6 ? * MON-FRI *)' });
  });

  test('rejects "on-demand", which is a trigger, not a schedule', () => {
    expect(appflowSchedule('on-demand')).toEqual({
      problem: 'is "on-demand", which is not a schedule; the flow runs on demand instead (no schedule expression)',
    });
  });

  test('rejects malformed expressions with the config loader\'s wording', () => {
    expect(appflowSchedule('rate(0 days)')).toEqual({ problem: 'is "rate(0 days)"; it has a rate below 1; use e.g. "rate(1 day)"' });
    expect(appflowSchedule('rate(1 days)')).toEqual({
      problem: 'is "rate(1 days)"; it says "1 days"; use the singular unit for 1 and the plural otherwise ("rate(1 day)", "rate(2 days)")',
    });
    expect(appflowSchedule('rate(1days)')).toEqual({
      problem: 'is "rate(1days)"; use "rate(<n> <minute|minutes|hour|hours|day|days>)" or "cron(<6 fields>)", e.g. "cron(0 2 * * ? *)"',
    });
    expect(appflowSchedule('cron(0 2 * * *)')).toEqual({
      problem: 'is "cron(0 2 * * *)"; it has 5 cron fields; use 6: minutes hours day-of-month month day-of-week year, e.g. "cron(0 2 * * ? *)"',
    });
  });

  test('rejects an unresolved token, which it cannot convert', () => {
    expect(appflowSchedule(Token.asString({ Ref: 'x' }))).toEqual({
      problem: 'is a token; pass the literal expression (it is converted to AppFlow\'s form at synth)',
    });
  });
});

describe('appflowWriters', () => {
  test('lets AppFlow write the raw zone under each dataset\'s prefix, its own or "<dataset>/"', () => {
    const environment = env({ 'salesforce-accounts': ACCOUNTS, 'salesforce-leads': { ...ACCOUNTS, object: 'Lead', prefix: 'crm/leads/' } });
    expect(appflowWriters(environment.ingestion.saas)).toEqual([
      { service: 'appflow.amazonaws.com', zone: 'raw', prefix: 'salesforce-accounts/' },
      { service: 'appflow.amazonaws.com', zone: 'raw', prefix: 'crm/leads/' },
    ]);
    expect(APPFLOW_SERVICE).toBe('appflow.amazonaws.com');
  });

  test('returns nothing without SaaS datasets', () => {
    expect(appflowWriters({})).toEqual([]);
  });

  test('gives the lake the bucket and key statements the flow needs, in the lake\'s stack', () => {
    const { lakeStack, saas } = layered();
    const { tf } = synthesize(lakeStack);
    const sourceAccount = [{ test: 'StringEquals', variable: 'aws:SourceAccount', values: ['111111111111'] }];
    expect(policyStatements(tf, 'lake_raw_policy')).toContainEqual({
      sid: 'AllowServiceWrite0',
      effect: 'Allow',
      principals: [{ type: 'Service', identifiers: ['appflow.amazonaws.com'] }],
      actions: ['s3:PutObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts', 's3:PutObjectAcl'],
      resources: [`\${aws_s3_bucket.lake_raw_bucket.arn}/${saas.prefix}*`],
      condition: sourceAccount,
    });
    expect(policyStatements(tf, 'lake_key_policy').find((s) => s.sid === 'AllowServiceWriter0')?.principals).toEqual([
      { type: 'Service', identifiers: ['appflow.amazonaws.com'] },
    ]);
  });
});

describe('SaasFlow', () => {
  test('reads the object through the existing connector profile, without deleted records or new fields', () => {
    const { tf, saas } = single(saasConfig(ACCOUNTS));
    const flow = flowOf(tf, saas);
    expect(flow.name).toBe('adp-dev-ingestion-salesforce-accounts');
    expect(flow.source_flow_config).toEqual({
      connector_type: 'Salesforce',
      connector_profile_name: 'dev-salesforce',
      source_connector_properties: {
        salesforce: { object: 'Account', enable_dynamic_field_update: false, include_deleted_records: false },
      },
    });
    expect(JSON.stringify(flow)).not.toMatch(/credential|secret|password|token/i);
  });

  test('writes one Parquet object per run to the raw bucket under the prefix by day, encrypted with the lake key', () => {
    const { tf, saas } = single(saasConfig(ACCOUNTS));
    const flow = flowOf(tf, saas);
    expect(flow.kms_arn).toBe('${aws_kms_key.lake_key.arn}');
    expect(flow.destination_flow_config).toEqual([
      {
        connector_type: 'S3',
        destination_connector_properties: {
          s3: {
            bucket_name: '${aws_s3_bucket.lake_raw_bucket.bucket}',
            bucket_prefix: 'salesforce-accounts',
            s3_output_format_config: {
              file_type: 'PARQUET',
              aggregation_config: { aggregation_type: 'SingleFile' },
              prefix_config: { prefix_type: 'PATH', prefix_format: 'DAY' },
            },
          },
        },
      },
    ]);
    expect(SAAS_FLOW_SETTINGS).toEqual({ dataPullMode: 'Incremental', fileType: 'PARQUET', aggregationType: 'SingleFile', prefixType: 'PATH', prefixFormat: 'DAY' });
    expect(saas.prefix).toBe('salesforce-accounts/');
    expect(saas.flow).toBeInstanceOf(AppflowFlow);
  });

  test('uses the dataset\'s own prefix, without its trailing "/"', () => {
    const { tf, saas } = single(saasConfig({ ...ACCOUNTS, prefix: 'crm/accounts/' }));
    const s3 = (flowOf(tf, saas).destination_flow_config as Array<{ destination_connector_properties: { s3: { bucket_prefix: string } } }>)[0];
    expect(s3.destination_connector_properties.s3.bucket_prefix).toBe('crm/accounts');
    expect(saas.prefix).toBe('crm/accounts/');
  });

  test('projects the listed fields, then maps each one unchanged', () => {
    const { tf, saas } = single(saasConfig(ACCOUNTS));
    expect(flowOf(tf, saas).task).toEqual([
      { task_type: 'Filter', source_fields: ['Id', 'Name', 'Industry'], connector_operator: [{ salesforce: 'PROJECTION' }] },
      { task_type: 'Map', source_fields: ['Id'], destination_field: 'Id', connector_operator: [{ salesforce: 'NO_OP' }] },
      { task_type: 'Map', source_fields: ['Name'], destination_field: 'Name', connector_operator: [{ salesforce: 'NO_OP' }] },
      { task_type: 'Map', source_fields: ['Industry'], destination_field: 'Industry', connector_operator: [{ salesforce: 'NO_OP' }] },
    ]);
  });

  test('runs daily by default, incrementally, in AppFlow\'s spelling, from creation (no start time)', () => {
    const config = saasConfig(ACCOUNTS);
    expect(config.schedule).toBe(INGESTION_DEFAULTS.saas.schedule);
    const { tf, saas } = single(config);
    expect(flowOf(tf, saas).trigger_config).toEqual({
      trigger_type: 'Scheduled',
      trigger_properties: { scheduled: { schedule_expression: 'rate(1days)', data_pull_mode: 'Incremental' } },
    });
  });

  test('passes a cron schedule through', () => {
    const { tf, saas } = single(saasConfig({ ...ACCOUNTS, schedule: 'cron(0 3 * * ? *)' }));
    expect(flowOf(tf, saas).trigger_config).toEqual({
      trigger_type: 'Scheduled',
      trigger_properties: { scheduled: { schedule_expression: 'cron(0 3 * * ? *)', data_pull_mode: 'Incremental' } },
    });
  });

  test('runs only on demand when the schedule is "on-demand"', () => {
    const { tf, saas } = single(saasConfig({ ...ACCOUNTS, schedule: 'on-demand' }));
    expect(flowOf(tf, saas).trigger_config).toEqual({ trigger_type: 'OnDemand' });
  });

  test('creates only the flow: the bucket and key statements AppFlow needs are the lake\'s', () => {
    const { stack, saas } = layered();
    const { tf } = synthesize(stack);
    expect(Object.keys(tf.resource ?? {})).toEqual(['aws_appflow_flow']);
    expect([...stack.statefulAddresses]).toEqual([]);
    expect(Object.keys(tf.data ?? {}).filter((t) => t !== 'terraform_remote_state')).toEqual([]);
    // Across stacks, the raw bucket's name and the lake key's ARN come from the lake's state.
    const flow = flowOf(tf, saas);
    expect(flow.kms_arn).toMatch(/^\$\{data\.terraform_remote_state\.[^}]+\}$/);
    expect(JSON.stringify(flow.destination_flow_config)).toMatch(/"bucket_name":"\$\{data\.terraform_remote_state\.[^}]+\}"/);
  });

  test('passes the policy pack in layered stacks (lake and ingestion)', () => {
    const { pack, stack, lakeStack } = layered();
    expect(() => synthesize(stack)).not.toThrow();
    expect(() => synthesize(lakeStack)).not.toThrow();
    expect(pack.reports.get('dev-ingestion')?.counts.fail).toBe(0);
    expect(pack.reports.get('dev-lake')?.counts.fail).toBe(0);
    expect(pack.reports.get('dev-ingestion')?.suppressions).toEqual([]);
  });

  test('passes the policy pack in a single offline stack', () => {
    const environment = testEnvironment({ ...OFFLINE, ingestion: { saas: { 'salesforce-accounts': ACCOUNTS } } });
    const pack = new PolicyPack();
    const { stack, lake } = stackWithLake(environment, { aspects: [pack], lake: { serviceWriters: appflowWriters(environment.ingestion.saas) } });
    new SaasFlow(stack, 'saas', { lake, name: 'salesforce-accounts', config: environment.ingestion.saas['salesforce-accounts'] });
    expect(() => synthesize(stack)).not.toThrow();
    expect(pack.reports.get('local')?.counts.fail).toBe(0);
  });

  describe('validation', () => {
    function attempt(config: SaasConfig, name = 'salesforce-accounts') {
      const { stack, lake } = stackWithLake(env());
      const error = thrownBy(() => new SaasFlow(stack, 'saas', { lake, name, config }));
      return { error, stack };
    }
    const valid = () => saasConfig(ACCOUNTS);

    test('reports every problem at once, naming the field, the value and the fix, and creates nothing', () => {
      const { error, stack } = attempt({
        ...valid(),
        connectorProfile: 'my profile',
        object: 'Account__c!',
        fields: ['Id', 'bad field', 'Id'],
        schedule: 'rate(1 days)',
        prefix: '/accounts',
      }, 'Salesforce_Accounts');
      expect(error).toBeInstanceOf(PlatformError);
      expect((error as PlatformError).message).toBe([
        'SaasFlow dev/saas: name is "Salesforce_Accounts"; use 2-40 lowercase letters and digits, words joined by "-", starting with a letter (e.g. "clickstream")',
        'SaasFlow dev/saas: config.connectorProfile is "my profile"; use the name of an existing AppFlow connector profile (1-256 letters, digits and _/!@#+=.-)',
        'SaasFlow dev/saas: config.object is "Account__c!"; use the SaaS object name, e.g. "Account"',
        'SaasFlow dev/saas: config.fields has ["bad field"]; use field names of letters, digits and "_", starting with a letter',
        'SaasFlow dev/saas: config.fields lists ["Id"] more than once; list each field once (each becomes one mapping)',
        'SaasFlow dev/saas: config.schedule is "rate(1 days)"; it says "1 days"; use the singular unit for 1 and the plural otherwise ("rate(1 day)", "rate(2 days)")',
        'SaasFlow dev/saas: config.prefix is "/accounts"; use a raw-zone key prefix of lowercase letters, digits, "_", "-", "=" and "/", ending with "/" (e.g. "salesforce-accounts/")',
      ].join('\n'));
      expect(stack.node.tryFindChild('saas')?.node.children ?? []).toEqual([]);
    });

    test('rejects an empty field list', () => {
      expect((attempt({ ...valid(), fields: [] }).error as Error).message).toBe(
        'SaasFlow dev/saas: config.fields is empty; list at least one field to import',
      );
    });

    test('rejects a connector it has no mapping for', () => {
      expect((attempt({ ...valid(), connector: 'hubspot' as 'salesforce' }).error as Error).message).toBe(
        'SaasFlow dev/saas: config.connector is "hubspot"; use one of salesforce',
      );
    });

    test('rejects a schedule given as a token, which it cannot convert for AppFlow', () => {
      expect((attempt({ ...valid(), schedule: Token.asString({ Ref: 'schedule' }) }).error as Error).message).toBe(
        'SaasFlow dev/saas: config.schedule is a token; pass the literal expression (it is converted to AppFlow\'s form at synth)',
      );
    });

    test('skips other values that are still tokens', () => {
      const token = Token.asString({ Ref: 'profile' });
      expect(attempt({ ...valid(), connectorProfile: token, object: Token.asString({ Ref: 'object' }) }).error).toBeUndefined();
    });
  });
});
