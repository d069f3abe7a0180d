import { z } from 'zod';

/**
 * The `observability` section: where alerts go, alarm thresholds and the environment's budget.
 * What is watched is not listed here: every job, stream, function and queue the other layers
 * create gets its alarms and failure rules from the observability layer.
 */

/** Defaults of alarm thresholds, per environment overridable. */
export const ALARM_DEFAULTS = {
  /** Oldest record a Kinesis consumer has not read yet. */
  kinesisIteratorAgeSeconds: 600,
  /** Age of the oldest record Firehose has not delivered to S3. */
  firehoseFreshnessSeconds: 900,
  /** DMS change-data-capture latency at the source. */
  dmsCdcLatencySeconds: 600,
  /** Minutes an alarm's condition must hold before it fires. */
  evaluationMinutes: 5,
} as const;

/** Budget notification thresholds (percent of the monthly limit), unless set. */
export const BUDGET_DEFAULT_THRESHOLDS = [80, 100] as const;

const int = (min: number, max: number, description: string) => {
  const fix = `use a whole number from ${min} to ${max}`;
  return z.number({ error: fix }).int({ error: fix }).min(min, { error: fix }).max(max, { error: fix }).describe(description);
};

export const observabilitySchema = z
  .strictObject({
    alerts: z
      .strictObject({
        email: z.array(z.email({ error: 'use an email address such as "data-platform@example.com"' })).default([])
          .describe('Email addresses subscribed to the alert topic (each confirms by email).'),
        https: z.array(z.url({ protocol: /^https$/, error: 'use an https:// URL (a webhook or a chat integration\'s endpoint)' })).default([])
          .describe('HTTPS endpoints subscribed to the alert topic (webhooks, chat integrations).'),
      })
      .prefault({})
      .describe('Where alerts go: one KMS-encrypted SNS topic per environment.'),
    alarms: z
      .strictObject({
        kinesisIteratorAgeSeconds: int(60, 86400, 'Kinesis iterator age that raises an alarm.').default(ALARM_DEFAULTS.kinesisIteratorAgeSeconds),
        firehoseFreshnessSeconds: int(60, 86400, 'Firehose delivery-to-S3 data freshness that raises an alarm.').default(ALARM_DEFAULTS.firehoseFreshnessSeconds),
        dmsCdcLatencySeconds: int(60, 86400, 'DMS CDC source latency that raises an alarm.').default(ALARM_DEFAULTS.dmsCdcLatencySeconds),
        evaluationMinutes: int(1, 60, 'Minutes a condition must hold before its alarm fires.').default(ALARM_DEFAULTS.evaluationMinutes),
      })
      .prefault({})
      .describe('Alarm thresholds.'),
    budget: z
      .strictObject({
        monthlyLimitUsd: z.number({ error: 'use an amount in US dollars, e.g. 500' }).positive({ error: 'use an amount above 0' }).describe('Monthly cost budget of the environment\'s account, in USD.'),
        thresholdsPercent: z.array(int(1, 1000, 'Percent of the limit at which to notify.')).min(1, { error: 'list at least one threshold' })
          .default([...BUDGET_DEFAULT_THRESHOLDS]).describe('Percents of the limit (actual and forecast spend) that notify the alert topic.'),
      })
      .optional()
      .describe('An AWS Budget for the account, notifying the alert topic. Unset: no budget.'),
  })
  .describe('Alerts, alarm thresholds and the cost budget.');

export type ObservabilityConfig = z.output<typeof observabilitySchema>;
