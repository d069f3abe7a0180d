import { Token } from 'cdktf';
import { Construct } from 'constructs';
import { AppflowFlow, AppflowFlowTask } from '@cdktf/provider-aws/lib/appflow-flow';
import {
  NAME_LIMITS,
  PlatformStack,
  SaasConfig,
  Validator,
  Zone,
  describeValue,
  rawPrefix,
  scheduleProblem,
} from '@data-platform/core';
import { DataLake, ServiceWriter } from '@data-platform/lake';
import { checkDatasetName } from './shared/dataset-name';

/** The service principal AppFlow writes to S3 and uses KMS keys as. */
export const APPFLOW_SERVICE = 'appflow.amazonaws.com';

/** The `schedule` value that makes a flow run only when started (console, API). */
export const ON_DEMAND = 'on-demand';

/** Settings every SaasFlow has; none is a prop. */
export const SAAS_FLOW_SETTINGS = {
  /** Each scheduled run transfers only records added or changed since the last successful run. */
  dataPullMode: 'Incremental',
  /** One Parquet object per run. */
  fileType: 'PARQUET',
  aggregationType: 'SingleFile',
  /** Objects land under `<prefix>/<flow>/<yyyy>/<mm>/<dd>/`. */
  prefixType: 'PATH',
  prefixFormat: 'DAY',
} as const;

/** Connector names of the config's `connector` values, as AppFlow spells them. */
const CONNECTOR_TYPES: Readonly<Record<SaasConfig['connector'], string>> = { salesforce: 'Salesforce' };

const PROFILE_RE = /^[\w/!@#+=.-]{1,256}$/;
const SAAS_NAME_RE = /^[A-Za-z][A-Za-z0-9_]*$/;
const PREFIX_RE = /^[a-z0-9][a-z0-9_\-/=]*\/$/;

/** An AppFlow schedule expression, or why a schedule cannot be one. */
export type AppflowSchedule = { readonly expression: string } | { readonly problem: string };

const PLURAL_UNITS: Readonly<Record<string, string>> = {
  minute: 'minutes', minutes: 'minutes',
  hour: 'hours', hours: 'hours',
  day: 'days', days: 'days',
};

/**
 * Converts one of our schedule expressions (EventBridge style, as the config holds them) to the
 * form AppFlow accepts.
 *
 * AppFlow spells rates without a space and always in the plural: `rate(1 day)` becomes
 * `rate(1days)`, `rate(5 minutes)` becomes `rate(5minutes)` (AppFlow rejects, or its console
 * misreads, the EventBridge spelling). Cron expressions have the same six-field AWS form in both
 * and pass through unchanged; the AppFlow console cannot edit a cron schedule (it shows it as
 * "not supported by the UI"), which does not affect runs.
 *
 * Rejected, with the reason: anything that is not a valid rate or cron expression (including
 * "on-demand", which is not a schedule: the flow gets an OnDemand trigger instead) and unresolved
 * tokens (the conversion needs the literal text).
 *
 * @see https://docs.aws.amazon.com/appflow/1.0/APIReference/API_ScheduledTriggerProperties.html
 * @see https://github.com/cdklabs/cdk-appflow/issues/334
 * @see https://github.com/cdklabs/cdk-appflow/issues/129
 */
export function appflowSchedule(expression: string): AppflowSchedule {
  if (Token.isUnresolved(expression)) {
    return { problem: 'is a token; pass the literal expression (it is converted to AppFlow\'s form at synth)' };
  }
  if (expression === ON_DEMAND) {
    return { problem: `is "${ON_DEMAND}", which is not a schedule; the flow runs on demand instead (no schedule expression)` };
  }
  const problem = scheduleProblem(expression);
  if (problem) {
    // Same wording as the config loader's: "<value>; use ..." or "<value>; it has ...".
    return { problem: `is ${describeValue(expression)}; ${problem.replace(/^is not a schedule; /, '').replace(/^(has|says|must)/, 'it $1')}` };
  }
  const rate = /^rate\((\d+) ([a-z]+)\)$/.exec(expression);
  if (rate) return { expression: `rate(${Number(rate[1])}${PLURAL_UNITS[rate[2]]})` };
  return { expression };
}

/**
 * The bucket-policy writers the lake needs for the SaaS flows of `saas`: AppFlow may write the
 * raw zone under each dataset's prefix (its `prefix`, or `<dataset>/`). The app passes them to
 * {@link DataLake} as `serviceWriters`, so the lake's stack holds every statement about its own
 * buckets and key; {@link SaasFlow} creates none.
 */
export function appflowWriters(saas: Readonly<Record<string, SaasConfig>>): Array<ServiceWriter & { readonly zone: Zone }> {
  return Object.entries(saas).map(([name, config]) => ({ service: APPFLOW_SERVICE, zone: 'raw', prefix: rawPrefix(name, config) }));
}

/** Props of {@link SaasFlow}. */
export interface SaasFlowProps {
  /**
   * The lake the flow writes into (raw zone) and whose key encrypts it. Its raw bucket's policy and
   * key policy must let AppFlow write the dataset's prefix: create it with
   * `serviceWriters: appflowWriters(env.ingestion.saas)`.
   */
  readonly lake: DataLake;
  /** Dataset name (the key under `ingestion.saas`): part of the flow's name. */
  readonly name: string;
  /** The dataset's config (validated and defaulted by the config loader). */
  readonly config: SaasConfig;
}

/**
 * A SaaS object imported by Amazon AppFlow into the lake's raw zone as Parquet.
 *
 * The flow reads `config.object` from Salesforce through the existing connector profile
 * `config.connectorProfile` (the profile holds the credentials; none are in config or state),
 * keeps only `config.fields` (a projection, then one mapping per field, unchanged), and writes one
 * Parquet object per run to the raw bucket under `<prefix>/<flow-name>/<yyyy>/<mm>/<dd>/`,
 * encrypted with the lake key (`kms_arn`). Deleted records are not imported and the field list is
 * fixed (no dynamic field update), so a new Salesforce field never reaches the lake unreviewed.
 *
 * Trigger: on demand when `config.schedule` is "on-demand"; otherwise scheduled, each run pulling
 * the records changed since the last successful run (incremental), starting when the flow is
 * created. The expression is converted to AppFlow's spelling by {@link appflowSchedule}.
 *
 * AppFlow writes to S3 as the AppFlow service, not through a role: the raw bucket's policy and the
 * lake key's policy must allow it for this prefix. Those statements belong to the lake's stack
 * and are created by {@link DataLake} from its `serviceWriters` prop (see {@link appflowWriters});
 * this construct creates none, so it can live in another stack without touching the lake's.
 *
 * @see https://docs.aws.amazon.com/appflow/latest/userguide/s3.html#s3-prerequisites
 */
export class SaasFlow extends Construct {
  /** The AppFlow flow. */
  readonly flow: AppflowFlow;
  /** The raw-zone prefix the flow writes under, ending in "/" (e.g. `salesforce-accounts/`). */
  readonly prefix: string;

  constructor(scope: Construct, id: string, props: SaasFlowProps) {
    super(scope, id);
    const { lake, name, config } = props;
    const prefix = rawPrefix(name, config);

    const v = new Validator(`SaasFlow ${this.node.path}`);
    const known = (value: unknown) => !Token.isUnresolved(value);
    if (known(name)) {
      checkDatasetName(v, name);
    }
    v.check(Object.hasOwn(CONNECTOR_TYPES, config.connector), 'config.connector',
      `is ${describeValue(config.connector)}; use one of ${Object.keys(CONNECTOR_TYPES).join(', ')}`);
    if (known(config.connectorProfile)) {
      v.check(PROFILE_RE.test(config.connectorProfile), 'config.connectorProfile',
        `is ${describeValue(config.connectorProfile)}; use the name of an existing AppFlow connector profile (1-256 letters, digits and _/!@#+=.-)`);
    }
    if (known(config.object)) {
      v.check(SAAS_NAME_RE.test(config.object), 'config.object', `is ${describeValue(config.object)}; use the SaaS object name, e.g. "Account"`);
    }
    if (known(config.fields)) {
      v.check(config.fields.length > 0, 'config.fields', 'is empty; list at least one field to import');
      const bad = config.fields.filter((f) => known(f) && !SAAS_NAME_RE.test(f));
      v.check(bad.length === 0, 'config.fields', `has ${describeValue(bad)}; use field names of letters, digits and "_", starting with a letter`);
      const duplicates = [...new Set(config.fields.filter((f, i) => config.fields.indexOf(f) !== i))];
      v.check(duplicates.length === 0, 'config.fields', `lists ${describeValue(duplicates)} more than once; list each field once (each becomes one mapping)`);
    }
    const schedule = config.schedule === ON_DEMAND ? undefined : appflowSchedule(config.schedule);
    if (schedule && 'problem' in schedule) v.add('config.schedule', schedule.problem);
    if (known(prefix)) {
      v.check(PREFIX_RE.test(prefix), 'config.prefix',
        `is ${describeValue(prefix)}; use a raw-zone key prefix of lowercase letters, digits, "_", "-", "=" and "/", ending with "/" (e.g. "salesforce-accounts/")`);
    }
    v.throwIfAny();

    const stack = PlatformStack.of(this);
    this.prefix = prefix;
    const fields = config.fields;
    const tasks: AppflowFlowTask[] = [
      // Only the listed fields leave Salesforce.
      { taskType: 'Filter', sourceFields: [...fields], connectorOperator: [{ salesforce: 'PROJECTION' }] },
      ...fields.map((field) => ({
        taskType: 'Map',
        sourceFields: [field],
        destinationField: field,
        connectorOperator: [{ salesforce: 'NO_OP' }],
      })),
    ];

    this.flow = new AppflowFlow(this, 'flow', {
      name: stack.resourceName('ingestion', name, { maxLength: NAME_LIMITS.appflowFlow }),
      description: `Imports the Salesforce ${config.object} object into the raw zone, dataset ${name}`,
      kmsArn: lake.key.arn,
      sourceFlowConfig: {
        connectorType: CONNECTOR_TYPES[config.connector],
        connectorProfileName: config.connectorProfile,
        sourceConnectorProperties: {
          salesforce: {
            object: config.object,
            enableDynamicFieldUpdate: false,
            includeDeletedRecords: false,
          },
        },
      },
      destinationFlowConfig: [
        {
          connectorType: 'S3',
          destinationConnectorProperties: {
            s3: {
              bucketName: lake.zones.raw.name,
              // AppFlow adds the "/" itself: a trailing one would make an empty path segment.
              bucketPrefix: prefix.replace(/\/$/, ''),
              s3OutputFormatConfig: {
                fileType: SAAS_FLOW_SETTINGS.fileType,
                aggregationConfig: { aggregationType: SAAS_FLOW_SETTINGS.aggregationType },
                prefixConfig: { prefixType: SAAS_FLOW_SETTINGS.prefixType, prefixFormat: SAAS_FLOW_SETTINGS.prefixFormat },
              },
            },
          },
        },
      ],
      task: tasks,
      triggerConfig: schedule && 'expression' in schedule
        ? {
            triggerType: 'Scheduled',
            // No schedule_start_time: the schedule starts when the flow is created (a fixed
            // timestamp would be in the past on the next apply).
            triggerProperties: { scheduled: { scheduleExpression: schedule.expression, dataPullMode: SAAS_FLOW_SETTINGS.dataPullMode } },
          }
        : { triggerType: 'OnDemand' },
    });
  }
}
