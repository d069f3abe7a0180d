import { z } from 'zod';
import { DATASET_NAME_FIX, DATASET_NAME_RE, scheduleProblem } from './ingestion';

/**
 * The `processing` section: Glue jobs that move data raw -> processed -> curated, the crawlers
 * and classifiers that keep the catalog current, connections, workflows and data quality.
 * Keys of each map are names (part of resource names).
 */

export const GLUE_WORKER_TYPES = ['G.1X', 'G.2X', 'G.4X', 'G.8X', 'G.025X'] as const;
/**
 * Worker types of ETL (non-streaming) jobs: G.025X is for streaming jobs only.
 * @see https://docs.aws.amazon.com/glue/latest/dg/aws-glue-api-jobs-job.html (WorkerType)
 */
export const JOB_WORKER_TYPES = ['G.1X', 'G.2X', 'G.4X', 'G.8X'] as const;
export const GLUE_VERSIONS = ['4.0', '5.0'] as const;

/** Defaults of the processing section. */
export const PROCESSING_DEFAULTS = {
  job: { glueVersion: '4.0', workerType: 'G.1X', workers: 2, timeoutMinutes: 60, maxRetries: 1, bookmarks: true },
  streamingJob: { glueVersion: '4.0', workerType: 'G.1X', workers: 2, windowSeconds: 100 },
  crawler: { recrawl: 'new-folders-only' },
  csvClassifier: { delimiter: ',', header: 'present', quoteSymbol: '"' },
  dataQuality: { zone: 'curated' },
  interactiveSessions: false,
} as const;

/** Lake zones a job may read or write (the Athena results bucket is not for jobs). */
export const JOB_ZONES = ['raw', 'processed', 'curated'] as const;

const SCRIPT_RE = /^[a-z][a-z0-9_]*\.py$/;
const PREFIX_RE = /^[a-z0-9][a-z0-9_\-/=]*\/$/;
const PREFIX_FIX = 'use a key prefix of lowercase letters, digits, "_", "-", "=" and "/", ending with "/" (e.g. "orders/")';
const name = () => z.string().regex(DATASET_NAME_RE, { error: DATASET_NAME_FIX });
const int = (min: number, max: number, description: string) => {
  const fix = `use a whole number from ${min} to ${max}`;
  return z.number({ error: fix }).int({ error: fix }).min(min, { error: fix }).max(max, { error: fix }).describe(description);
};
const schedule = z.string({ error: 'use a rate or cron expression, e.g. "rate(1 day)" or "cron(0 2 * * ? *)"' }).superRefine((value, ctx) => {
  const problem = scheduleProblem(value);
  if (problem) ctx.addIssue({ code: 'custom', message: problem.replace(/^is not a schedule; /, '').replace(/^(has|says|must)/, 'it $1') });
});

/**
 * A Glue version. Versions are text, but YAML reads an unquoted 4.0 as the number 4: that mistake
 * gets a fix of its own, naming the quoted version.
 */
const glueVersion = (fallback: (typeof GLUE_VERSIONS)[number]) =>
  z
    .enum(GLUE_VERSIONS, {
      error: (issue) => {
        const listed = GLUE_VERSIONS.map((v) => `"${v}"`).join(' or ');
        if (typeof issue.input !== 'number') return `use ${listed}`;
        const quoted = issue.input.toFixed(1);
        return (GLUE_VERSIONS as readonly string[]).includes(quoted)
          ? `use "${quoted}", quoted: YAML reads ${quoted} unquoted as the number ${issue.input}`
          : `use ${listed}, quoted: YAML reads an unquoted version as a number`;
      },
    })
    .default(fallback)
    .describe('Glue version, quoted ("4.0"): YAML reads an unquoted 4.0 as a number.');

const location = z.strictObject({
  zone: z.enum(JOB_ZONES, { error: `use one of ${JOB_ZONES.join(', ')}` }).describe('Lake zone.'),
  prefix: z.string().regex(PREFIX_RE, { error: PREFIX_FIX }).describe('Key prefix in that zone.'),
});

const job = z
  .strictObject({
    script: z.string().regex(SCRIPT_RE, { error: 'use the file name of a PySpark script in packages/processing/scripts/, e.g. "orders_clean.py"' })
      .describe('PySpark script in packages/processing/scripts/ (uploaded as an asset; a change redeploys the job).'),
    source: location.describe('Where the job reads; its role may read only there.'),
    target: location.describe('Where the job writes; its role may write only there.'),
    glueVersion: glueVersion(PROCESSING_DEFAULTS.job.glueVersion),
    workerType: z.enum(JOB_WORKER_TYPES, { error: `use one of ${JOB_WORKER_TYPES.join(', ')} (G.025X is for streaming jobs only)` })
      .default(PROCESSING_DEFAULTS.job.workerType).describe('Worker type.'),
    workers: int(2, 299, 'Number of workers.').default(PROCESSING_DEFAULTS.job.workers),
    timeoutMinutes: int(1, 2880, 'Minutes before a run is stopped.').default(PROCESSING_DEFAULTS.job.timeoutMinutes),
    maxRetries: int(0, 10, 'Retries of a failed run.').default(PROCESSING_DEFAULTS.job.maxRetries),
    bookmarks: z.boolean({ error: 'use true or false' }).default(PROCESSING_DEFAULTS.job.bookmarks).describe('Job bookmarks: process only new data.'),
    arguments: z.record(z.string().regex(/^--[a-z][a-z0-9_-]*$/, { error: 'use an argument name like "--source_table"' }), z.string()).default({})
      .describe('Extra job arguments.'),
    connection: name().optional().describe('A connection of this section the job uses (to reach a VPC).'),
  })
  .describe('A Glue ETL (Spark) job.');

const streamingJob = z
  .strictObject({
    script: z.string().regex(SCRIPT_RE, { error: 'use the file name of a PySpark script in packages/processing/scripts/' }).describe('PySpark streaming script.'),
    stream: name().describe('The ingestion stream (ingestion.streams key, source kinesis) it reads.'),
    target: location.describe('Where it writes.'),
    glueVersion: glueVersion(PROCESSING_DEFAULTS.streamingJob.glueVersion),
    workerType: z.enum(GLUE_WORKER_TYPES, { error: `use one of ${GLUE_WORKER_TYPES.join(', ')}` }).default(PROCESSING_DEFAULTS.streamingJob.workerType).describe('Worker type.'),
    workers: int(2, 299, 'Number of workers.').default(PROCESSING_DEFAULTS.streamingJob.workers),
    windowSeconds: int(1, 3600, 'Micro-batch window in seconds.').default(PROCESSING_DEFAULTS.streamingJob.windowSeconds),
  })
  .describe('A Glue streaming job reading a Kinesis stream, with checkpoints.');

const connection = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('jdbc').describe('jdbc: a database the job reads over JDBC, from the VPC.'),
    url: z.string().regex(/^jdbc:(postgresql|mysql|redshift|sqlserver|oracle:thin):\/\/?[^\s]+$/, { error: 'use a JDBC URL such as "jdbc:postgresql://host:5432/db"' })
      .describe('JDBC URL.'),
    secretArn: z.string().regex(/^arn:aws(-cn|-us-gov)?:secretsmanager:[a-z0-9-]+:\d{12}:secret:[A-Za-z0-9/_+=.@-]+$/, { error: 'use the ARN of a Secrets Manager secret with username and password' })
      .describe('Secrets Manager secret with the credentials (never a password in config).'),
  }),
  z.strictObject({ type: z.literal('network').describe('network: only a way into the VPC (subnet and security group), e.g. to reach other VPC services.') }),
], { error: 'use type: jdbc (with url and secretArn) or type: network' }).describe('A Glue connection; every connection runs in the VPC of the network section.');

const classifier = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('csv').describe('csv: delimited text.'),
    delimiter: z.string().length(1, { error: 'use one character' }).default(PROCESSING_DEFAULTS.csvClassifier.delimiter).describe('Column delimiter, one character.'),
    header: z.enum(['present', 'absent', 'unknown'], { error: 'use present, absent or unknown' }).default(PROCESSING_DEFAULTS.csvClassifier.header)
      .describe('Whether the first line holds column names.'),
    quoteSymbol: z.string().length(1, { error: 'use one character' }).default(PROCESSING_DEFAULTS.csvClassifier.quoteSymbol).describe('Quote character, one character.'),
  }),
  z.strictObject({
    type: z.literal('json').describe('json: JSON documents.'),
    jsonPath: z.string().regex(/^\$/, { error: 'use a JSON path starting with "$", e.g. "$[*]"' }).describe('JSON path to the records, e.g. "$[*]".'),
  }),
  z.strictObject({
    type: z.literal('grok').describe('grok: text lines matched by a grok pattern.'),
    classification: z.string().regex(/^[a-z][a-z0-9_-]*$/, { error: 'use a lowercase classification name' }).describe('Classification the tables get, e.g. "apache-log".'),
    pattern: z.string().min(3, { error: 'use a grok pattern, e.g. "%{COMMONAPACHELOG}"' }).describe('Grok pattern of one line, e.g. "%{COMMONAPACHELOG}".'),
  }),
], { error: 'use type: csv, json or grok' }).describe('A custom classifier crawlers try before the built-in ones.');

/** The recrawl modes of a crawler (`recrawl`). */
export const CRAWLER_RECRAWLS = ['new-folders-only', 'everything', 'events'] as const;

const crawler = z
  .strictObject({
    zone: z.enum(JOB_ZONES, { error: `use one of ${JOB_ZONES.join(', ')}` }).describe('Zone it crawls; tables land in that zone\'s database.'),
    prefixes: z.array(z.string().regex(PREFIX_RE, { error: PREFIX_FIX })).min(1, { error: 'list at least one prefix' }).describe('Prefixes to crawl.'),
    schedule: schedule.optional().describe('When it runs; unset: on demand or by a workflow.'),
    recrawl: z.enum(CRAWLER_RECRAWLS, { error: 'use new-folders-only, everything or events' })
      .default(PROCESSING_DEFAULTS.crawler.recrawl)
      .describe(
        'new-folders-only: incremental (new partitions only); everything: a full crawl that also updates changed schemas; '
        + 'events: S3 event mode, crawling only the folders whose objects S3 reported created or removed (the lake sends the '
        + 'prefix\'s object events to an SQS queue of its own); takes exactly one prefix.',
      ),
    classifiers: z.array(name()).default([]).describe('Custom classifiers (keys of processing.classifiers), tried in order.'),
  })
  // Messages follow the loader's "<path> is <value>; " (the loader shows a field left out as missing or its default).
  .superRefine((c, ctx) => {
    // Glue's S3 event mode supports a single S3 target (one prefix); an empty list is reported by `min` above.
    if (c.recrawl === 'events' && c.prefixes.length > 1) {
      ctx.addIssue({
        code: 'custom',
        path: ['prefixes'],
        input: c.prefixes,
        message: 'recrawl: events takes exactly one prefix (Glue\'s S3 event mode crawls a single S3 target); keep one and give each other prefix a crawler of its own, or use recrawl: new-folders-only',
      });
    }
  })
  .describe('A Glue crawler.');

const after = () => z.array(name()).default([]).describe('Steps (job or crawler names) of this workflow that must succeed first; none: starts with the workflow.');
const step = z.union([
  z.strictObject({ job: name().describe('A job of processing.jobs.'), after: after() }),
  z.strictObject({ crawler: name().describe('A crawler of processing.crawlers.'), after: after() }),
], { error: 'use { job: <name> } or { crawler: <name> }, optionally with after: [<names>]' }).describe('One step of a workflow: a job or a crawler.');

const workflow = z
  .strictObject({
    schedule: schedule.optional().describe('Starts the workflow on a schedule.'),
    onNewObjects: location.optional().describe('Starts the workflow when objects land under this zone prefix (EventBridge).'),
    steps: z.array(step).min(1, { error: 'list at least one step' }).describe('Jobs and crawlers; a step runs after every step in its `after` succeeds.'),
  })
  .describe('A Glue workflow with triggers.');

const qualityRuleset = z
  .strictObject({
    zone: z.enum(JOB_ZONES, { error: `use one of ${JOB_ZONES.join(', ')}` }).default(PROCESSING_DEFAULTS.dataQuality.zone).describe('Zone of the table\'s database.'),
    table: z.string().regex(/^[a-z_][a-z0-9_]*$/, { error: 'use a lowercase table name' }).describe('Catalog table the rules check.'),
    rules: z.array(z.string().min(3, { error: 'write a DQDL rule, e.g. IsComplete "order_id"' })).min(1, { error: 'list at least one DQDL rule' })
      .describe('DQDL rules, one per item (e.g. IsComplete "order_id").'),
  })
  .describe('A Glue Data Quality ruleset.');

const names = <T extends z.ZodType>(value: T, description: string) =>
  z.record(z.string().regex(DATASET_NAME_RE, { error: DATASET_NAME_FIX }), value).default({}).describe(description);

export const processingSchema = z
  .strictObject({
    jobs: names(job, 'Glue ETL jobs by name.'),
    streamingJobs: names(streamingJob, 'Glue streaming jobs by name.'),
    connections: names(connection, 'Glue connections by name.'),
    classifiers: names(classifier, 'Custom crawler classifiers by name.'),
    crawlers: names(crawler, 'Crawlers by name.'),
    workflows: names(workflow, 'Workflows by name.'),
    dataQuality: names(qualityRuleset, 'Data quality rulesets by name.'),
    interactiveSessions: z.boolean({ error: 'use true or false' }).default(PROCESSING_DEFAULTS.interactiveSessions)
      .describe('Create the role and security configuration data engineers use for Glue interactive sessions.'),
  })
  .describe('Processing and catalog: Glue jobs, crawlers, workflows, data quality.');

export type ProcessingConfig = z.output<typeof processingSchema>;
export type JobConfig = ProcessingConfig['jobs'][string];
export type StreamingJobConfig = ProcessingConfig['streamingJobs'][string];
export type ConnectionConfig = ProcessingConfig['connections'][string];
export type ClassifierConfig = ProcessingConfig['classifiers'][string];
export type CrawlerConfig = ProcessingConfig['crawlers'][string];
export type WorkflowConfig = ProcessingConfig['workflows'][string];
export type QualityRulesetConfig = ProcessingConfig['dataQuality'][string];
export type JobLocation = JobConfig['source'];
