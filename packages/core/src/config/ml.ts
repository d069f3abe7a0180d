import { z } from 'zod';
import { DATASET_NAME_FIX, DATASET_NAME_RE, scheduleProblem } from './ingestion';

/**
 * The `ml` section: a SageMaker Studio domain for the data scientist persona, and models with
 * their registry group, an optional real-time endpoint and scheduled batch predictions written
 * back to the curated zone. Keys of each map are names.
 */

/** Defaults of the ml section. */
export const ML_DEFAULTS = {
  endpoint: { instances: 1, maxInstances: 2, targetInvocationsPerInstance: 100, dataCapturePercent: 10 },
  batch: { instanceType: 'ml.m5.large', instances: 1, contentType: 'text/csv', splitType: 'Line', timeoutMinutes: 60 },
} as const;

const name = () => z.string().regex(DATASET_NAME_RE, { error: DATASET_NAME_FIX });
const INSTANCE_RE = /^ml\.[a-z0-9]+\.[a-z0-9]+$/;
const INSTANCE_FIX = 'use a SageMaker instance type such as "ml.m5.large"';
const PREFIX_RE = /^[a-z0-9][a-z0-9_\-/=]*\/$/;
const PREFIX_FIX = 'use a key prefix of lowercase letters, digits, "_", "-", "=" and "/", ending with "/" (e.g. "customer_features/")';
const IMAGE_RE = /^\d{12}\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com(\.cn)?\/[a-z0-9][a-z0-9._/-]*(:[\w.-]{1,128}|@sha256:[a-f0-9]{64})$/;
const USER_RE = /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/;
const int = (min: number, max: number, description: string) => {
  const fix = `use a whole number from ${min} to ${max}`;
  return z.number({ error: fix }).int({ error: fix }).min(min, { error: fix }).max(max, { error: fix }).describe(description);
};
const schedule = z.string({ error: 'use a rate or cron expression, e.g. "cron(0 4 * * ? *)"' }).superRefine((value, ctx) => {
  const problem = scheduleProblem(value);
  if (problem) ctx.addIssue({ code: 'custom', message: problem.replace(/^is not a schedule; /, '').replace(/^(has|says|must)/, 'it $1') });
});
const curatedPrefix = () => z.string().regex(PREFIX_RE, { error: PREFIX_FIX });

const endpoint = z
  .strictObject({
    instanceType: z.string().regex(INSTANCE_RE, { error: INSTANCE_FIX }).describe('Instance type of the endpoint.'),
    instances: int(1, 100, 'Instances at deploy (the autoscaling minimum).').default(ML_DEFAULTS.endpoint.instances),
    maxInstances: int(1, 100, 'Autoscaling maximum.').default(ML_DEFAULTS.endpoint.maxInstances),
    targetInvocationsPerInstance: int(1, 100000, 'Autoscaling target: invocations per instance per minute.')
      .default(ML_DEFAULTS.endpoint.targetInvocationsPerInstance),
    dataCapturePercent: int(0, 100, 'Percent of requests and responses captured to the curated zone (0: no capture).')
      .default(ML_DEFAULTS.endpoint.dataCapturePercent),
  })
  .superRefine((e, ctx) => {
    if (e.maxInstances < e.instances) {
      ctx.addIssue({ code: 'custom', path: ['maxInstances'], input: e.maxInstances, message: `use ${e.instances} or more, at least instances (${e.instances})` });
    }
  })
  .describe('A real-time endpoint with autoscaling on invocations per instance.');

const batch = z
  .strictObject({
    schedule: schedule.describe('When predictions run (EventBridge Scheduler expression, UTC).'),
    input: curatedPrefix().describe('Curated-zone prefix of the features the model scores.'),
    output: curatedPrefix().describe('Curated-zone prefix the predictions are written to.'),
    crawler: name().describe('Crawler (processing.crawlers) that catalogs the predictions afterwards.'),
    instanceType: z.string().regex(INSTANCE_RE, { error: INSTANCE_FIX }).default(ML_DEFAULTS.batch.instanceType).describe('Transform instance type.'),
    instances: int(1, 100, 'Transform instances.').default(ML_DEFAULTS.batch.instances),
    contentType: z.enum(['text/csv', 'application/jsonlines', 'application/x-parquet'], { error: 'use text/csv, application/jsonlines or application/x-parquet' })
      .default(ML_DEFAULTS.batch.contentType).describe('Content type of the input records.'),
    timeoutMinutes: int(5, 1440, 'Minutes before the pipeline gives up on a transform job.').default(ML_DEFAULTS.batch.timeoutMinutes),
  })
  .describe('Scheduled batch predictions: EventBridge Scheduler -> Step Functions -> batch transform -> crawler.');

const model = z
  .strictObject({
    description: z.string().max(1000, { error: 'use at most 1000 characters' }).optional().describe('What the model predicts; shown on the registry group.'),
    image: z.string().regex(IMAGE_RE, { error: 'use an ECR image URI with a tag or digest, e.g. "141502667606.dkr.ecr.eu-west-1.amazonaws.com/sagemaker-xgboost:1.7-1"' })
      .describe('Inference container image.'),
    artifact: z.string().regex(/^[a-z0-9][a-z0-9_\-/=.]*\.tar\.gz$/, { error: 'use a key in the lake\'s artifacts bucket ending in .tar.gz, e.g. "ml/churn/model.tar.gz"' })
      .describe('Model artifact: key in the lake\'s artifacts bucket.'),
    endpoint: endpoint.optional().describe('Real-time endpoint. Unset: batch only.'),
    batch: batch.optional().describe('Scheduled batch predictions. Unset: none.'),
  })
  .describe('A model: registry group, model, and its endpoint and/or batch predictions.');

export const mlSchema = z
  .strictObject({
    persona: name().describe('The governance persona of data scientists: its role (trusted by sagemaker.amazonaws.com) runs their Studio apps.'),
    users: z.array(z.string().regex(USER_RE, { error: 'use letters, digits and "-" (a Studio user profile name)' })).default([])
      .describe('Studio user profiles, one per data scientist.'),
    models: z.record(name(), model).default({}).describe('Models by name.'),
  })
  .describe('SageMaker: Studio domain, models, endpoints and batch predictions. Unset: no ml layer.');

export type MlConfig = z.output<typeof mlSchema>;
export type ModelConfig = MlConfig['models'][string];
