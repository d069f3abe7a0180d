import { App, TerraformOutput, TerraformVariable } from 'cdktf';
import { GlueCrawler } from '@cdktf/provider-aws/lib/glue-crawler';
import {
  addressOf,
  ClassifierConfig,
  CrawlerConfig,
  EnvironmentConfig,
  LOG_RETENTION_DAYS,
  only,
  policyStatements,
  problemsOf,
  PROCESSING_DEFAULTS,
  rolePolicies,
  synthesize,
  synthesizedResource as resource,
  SynthesizedStack,
  SynthesizedStatement,
  testApp,
} from '@data-platform/core';
import { stackWithLake } from '@data-platform/lake';
import { PolicyPack } from '@data-platform/policy';
import { Classifier } from './classifier';
import { CRAWLER, Crawler, crawlerEventQueues } from './crawler';
import {
  devEnvironment as env,
  KEY_ARN,
  lakeRead,
  layeredStacks,
  OFFLINE,
  PARTITION,
  prefixHash,
  processingConfig,
  ProcessingInput,
  RAW_ARN,
  SECURITY_NAME,
  synthesized,
  withSecurity,
} from './test-support';

type CrawlerInput = ProcessingInput<'crawlers'>;
type ClassifierInput = ProcessingInput<'classifiers'>;

/** The crawler `raw-partners` of environments/dev.yaml. */
const RAW_PARTNERS: CrawlerInput = { zone: 'raw', prefixes: ['partner-import/'], classifiers: ['partner-csv'] };
/** The classifier it names. */
const PARTNER_CSV: ClassifierInput = { type: 'csv', delimiter: ';', header: 'present' };

/** A crawler config as the loader produces it: `input` validated, defaults filled in. */
const crawlerConfig = (input: CrawlerInput = RAW_PARTNERS): CrawlerConfig => processingConfig('crawlers', input);

const classifierConfig = (input: ClassifierInput): ClassifierConfig => processingConfig('classifiers', input);

interface BuildOptions {
  readonly config?: CrawlerConfig;
  readonly environment?: EnvironmentConfig;
  readonly name?: string;
  /** Keys of the classifiers to create and pass, in order. @default config.classifiers */
  readonly classifiers?: readonly string[];
  /**
   * Gives the lake an event queue for the crawler (its zone, its first prefix) and passes it as
   * `eventQueue`. @default true when config.recrawl is events
   */
  readonly eventQueue?: boolean;
}

/** The lake, the security configuration, the classifiers and the crawler in one stack `dev`. */
function build(options: BuildOptions = {}) {
  const config = options.config ?? crawlerConfig();
  const name = options.name ?? 'raw-partners';
  const withQueue = options.eventQueue ?? config.recrawl === 'events';
  const eventQueues = withQueue ? [{ name, zone: config.zone, prefix: config.prefixes[0] }] : [];
  const { stack, lake, security } = withSecurity(stackWithLake(options.environment ?? env(), { lake: { eventQueues } }));
  const classifiers = (options.classifiers ?? config.classifiers).map(
    (key) => new Classifier(stack, `classifier-${key}`, { name: key, config: classifierConfig(key === 'events-json' ? { type: 'json', jsonPath: '$[*]' } : PARTNER_CSV) }),
  );
  const eventQueue = withQueue ? lake.eventQueue(name) : undefined;
  const crawler = new Crawler(stack, `crawler-${name}`, { lake, name, config, security, classifiers, eventQueue });
  return { stack, lake, security, classifiers, crawler };
}

const synth = (options?: BuildOptions) => synthesized(build(options));

const crawlerOf = (tf: SynthesizedStack) => only(tf, 'aws_glue_crawler');

/** The statements of `DataLake.grantRead` on the raw bucket under `prefix`. */
const rawRead = (prefix: string): SynthesizedStatement[] => lakeRead(RAW_ARN, prefix);

describe('Crawler', () => {
  describe('fixed settings', () => {
    it('documents them as constants', () => {
      expect(CRAWLER).toEqual({
        configuration:
          '{"Version":1.0,"Grouping":{"TableGroupingPolicy":"CombineCompatibleSchemas"},"CrawlerOutput":{"Partitions":{"AddOrUpdateBehavior":"InheritFromTable"}}}',
        exclusions: ['errors/**'],
        recrawlBehavior: { 'new-folders-only': 'CRAWL_NEW_FOLDERS_ONLY', everything: 'CRAWL_EVERYTHING', events: 'CRAWL_EVENT_MODE' },
        updateBehavior: { 'new-folders-only': 'LOG', everything: 'UPDATE_IN_DATABASE', events: 'UPDATE_IN_DATABASE' },
        deleteBehavior: 'LOG',
        lineage: 'DISABLE',
        eventQueueActions: [
          'sqs:DeleteMessage',
          'sqs:GetQueueUrl',
          'sqs:ListDeadLetterSourceQueues',
          'sqs:ReceiveMessage',
          'sqs:GetQueueAttributes',
          'sqs:ListQueueTags',
          'sqs:SetQueueAttributes',
          'sqs:PurgeQueue',
        ],
      });
      expect(JSON.parse(CRAWLER.configuration)).toEqual({
        Version: 1,
        Grouping: { TableGroupingPolicy: 'CombineCompatibleSchemas' },
        CrawlerOutput: { Partitions: { AddOrUpdateBehavior: 'InheritFromTable' } },
      });
    });
  });

  describe('crawler', () => {
    it('crawls each prefix of the zone bucket into the zone database, as its role, under the security configuration', () => {
      const { tf, crawler, classifiers } = synth();
      expect(crawlerOf(tf)).toEqual({
        name: 'adp-dev-processing-raw-partners-crawler',
        description: 'Catalogs partner-import/ of the raw zone (adp-dev)',
        role: `\${${addressOf(crawler.role.role)}.arn}`,
        database_name: '${aws_glue_catalog_database.lake_raw_database.name}',
        s3_target: [{ path: 's3://${aws_s3_bucket.lake_raw_bucket.bucket}/partner-import/', exclusions: ['errors/**'] }],
        security_configuration: SECURITY_NAME,
        classifiers: [`\${${addressOf(classifiers[0].classifier)}.name}`],
        recrawl_policy: { recrawl_behavior: 'CRAWL_NEW_FOLDERS_ONLY' },
        schema_change_policy: { update_behavior: 'LOG', delete_behavior: 'LOG' },
        lineage_configuration: { crawler_lineage_settings: 'DISABLE' },
        configuration: CRAWLER.configuration,
        depends_on: expect.any(Array),
      });
    });

    it('has one S3 target per prefix, each excluding Firehose\'s errors/ folder', () => {
      const config = crawlerConfig({ zone: 'processed', prefixes: ['orders/', 'clickstream/'] });
      expect(crawlerOf(synth({ config, name: 'processed-orders' }).tf)).toMatchObject({
        database_name: '${aws_glue_catalog_database.lake_processed_database.name}',
        s3_target: [
          { path: 's3://${aws_s3_bucket.lake_processed_bucket.bucket}/orders/', exclusions: ['errors/**'] },
          { path: 's3://${aws_s3_bucket.lake_processed_bucket.bucket}/clickstream/', exclusions: ['errors/**'] },
        ],
      });
    });

    it('crawls new folders only by default, and then may only log schema changes', () => {
      expect(PROCESSING_DEFAULTS.crawler.recrawl).toBe('new-folders-only');
      expect(crawlerConfig().recrawl).toBe('new-folders-only');
      expect(crawlerOf(synth().tf)).toMatchObject({
        recrawl_policy: { recrawl_behavior: 'CRAWL_NEW_FOLDERS_ONLY' },
        schema_change_policy: { update_behavior: 'LOG', delete_behavior: 'LOG' },
      });
    });

    it('recrawls everything on request, updating changed tables but never deleting them', () => {
      const config = crawlerConfig({ ...RAW_PARTNERS, recrawl: 'everything' });
      expect(crawlerOf(synth({ config }).tf)).toMatchObject({
        recrawl_policy: { recrawl_behavior: 'CRAWL_EVERYTHING' },
        schema_change_policy: { update_behavior: 'UPDATE_IN_DATABASE', delete_behavior: 'LOG' },
      });
    });

    it('runs on demand without a schedule', () => {
      expect(crawlerOf(synth().tf)).not.toHaveProperty('schedule');
    });

    it('keeps a cron schedule and converts a rate to Glue\'s cron', () => {
      expect(crawlerOf(synth({ config: crawlerConfig({ ...RAW_PARTNERS, schedule: 'cron(0 3 * * ? *)' }) }).tf).schedule).toBe('cron(0 3 * * ? *)');
      expect(crawlerOf(synth({ config: crawlerConfig({ ...RAW_PARTNERS, schedule: 'rate(6 hours)' }) }).tf).schedule).toBe('cron(0 0/6 * * ? *)');
      expect(crawlerOf(synth({ config: crawlerConfig({ ...RAW_PARTNERS, schedule: 'rate(1 day)' }) }).tf).schedule).toBe('cron(0 0 * * ? *)');
    });

    it('tries the classifiers in the order of the config, and sets none when the config names none', () => {
      const config = crawlerConfig({ ...RAW_PARTNERS, classifiers: ['events-json', 'partner-csv'] });
      const { tf, classifiers } = synth({ config });
      expect(crawlerOf(tf).classifiers).toEqual(classifiers.map((c) => `\${${addressOf(c.classifier)}.name}`));
      expect(classifiers.map((c) => c.key)).toEqual(['events-json', 'partner-csv']);
      expect(crawlerOf(synth({ config: crawlerConfig({ ...RAW_PARTNERS, classifiers: [] }) }).tf)).not.toHaveProperty('classifiers');
    });

    it('is created after its role\'s policies and its log group', () => {
      const { tf, crawler } = synth({ config: crawlerConfig({ ...RAW_PARTNERS, prefixes: ['partner-import/', 'partner-archive/'] }) });
      const policies = Object.keys(tf.resource?.aws_iam_role_policy ?? {}).filter((id) => id.startsWith('crawler-')).map((id) => `aws_iam_role_policy.${id}`);
      expect(policies).toHaveLength(4);
      expect((crawlerOf(tf).depends_on as string[]).sort()).toEqual([...policies, addressOf(crawler.logGroup.logGroup)].sort());
    });

    it('keeps the crawler\'s name within Glue\'s 255 characters and shortens its role\'s to IAM\'s 64', () => {
      const name = 'a'.repeat(40);
      const { tf } = synth({ name });
      expect(crawlerOf(tf).name).toBe(`adp-dev-processing-${name}-crawler`);
      expect((only(tf, 'aws_iam_role', 'crawler-').name as string).length).toBeLessThanOrEqual(64);
    });
  });

  describe('log group', () => {
    it('is the group Glue logs to under the security configuration, encrypted with the lake key, with a retention', () => {
      const { tf, crawler } = synth();
      expect(only(tf, 'aws_cloudwatch_log_group', 'crawler-')).toEqual({
        name: `/aws-glue/crawlers-role/\${${addressOf(crawler.role.role)}.name}-${SECURITY_NAME}`,
        kms_key_id: KEY_ARN,
        retention_in_days: LOG_RETENTION_DAYS,
      });
    });
  });

  describe('role', () => {
    it('is assumed by Glue for this account only, and has no managed policy', () => {
      const { tf } = synth();
      const role = only(tf, 'aws_iam_role', 'crawler-');
      expect(role.name).toBe('adp-dev-processing-raw-partners-crawler');
      expect(policyStatements(tf, /data\.aws_iam_policy_document\.(.+)\.json/.exec(String(role.assume_role_policy))![1])).toEqual([
        {
          effect: 'Allow',
          principals: [{ type: 'Service', identifiers: ['glue.amazonaws.com'] }],
          actions: ['sts:AssumeRole'],
          condition: [{ test: 'StringEquals', variable: 'aws:SourceAccount', values: ['111111111111'] }],
        },
      ]);
      expect(role).not.toHaveProperty('managed_policy_arns');
      expect(tf.resource).not.toHaveProperty('aws_iam_role_policy_attachment');
      expect(tf.resource).not.toHaveProperty('aws_iam_policy');
    });

    it('may read the prefixes, catalog the zone database\'s tables, use the lake key through Glue and write its logs, and nothing else', () => {
      const prefixes = ['partner-import/', 'partner-archive/'];
      const { tf, crawler } = synth({ config: crawlerConfig({ ...RAW_PARTNERS, prefixes }) });
      const glue = (resource: string) => `arn:${PARTITION}:glue:eu-west-1:111111111111:${resource}`;
      const database = '${aws_glue_catalog_database.lake_raw_database.name}';
      const logGroup = `\${${addressOf(crawler.logGroup.logGroup)}.arn}`;
      expect(rolePolicies(tf)).toEqual({
        [`adp-dev-lake-read-raw-${prefixHash('partner-import/')}`]: rawRead('partner-import/'),
        [`adp-dev-lake-read-raw-${prefixHash('partner-archive/')}`]: rawRead('partner-archive/'),
        'catalog': [
          { sid: 'ReadZoneDatabase', effect: 'Allow', actions: ['glue:GetDatabase'], resources: [glue('catalog'), glue(`database/${database}`)] },
          {
            sid: 'CatalogZoneTables',
            effect: 'Allow',
            actions: [
              'glue:GetTable',
              'glue:GetTables',
              'glue:CreateTable',
              'glue:UpdateTable',
              'glue:GetPartition',
              'glue:GetPartitions',
              'glue:BatchCreatePartition',
              'glue:BatchGetPartition',
              'glue:UpdatePartition',
              'glue:BatchUpdatePartition',
              'glue:CreatePartitionIndex',
            ],
            resources: [glue('catalog'), glue(`database/${database}`), glue(`table/${database}/*`)],
          },
          {
            sid: 'UseLakeKeyThroughGlue',
            effect: 'Allow',
            actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
            resources: [KEY_ARN],
            condition: [{ test: 'StringEquals', variable: 'kms:ViaService', values: ['glue.eu-west-1.amazonaws.com'] }],
          },
        ],
        'write-logs': [
          {
            sid: 'WriteOwnLogs',
            effect: 'Allow',
            actions: ['logs:CreateLogGroup', 'logs:AssociateKmsKey', 'logs:CreateLogStream', 'logs:PutLogEvents'],
            resources: [logGroup, `${logGroup}:*`],
          },
        ],
      });
    });

    it('may neither delete catalog entries nor write or delete objects', () => {
      const actions = Object.values(rolePolicies(synth().tf)).flat().flatMap((s) => s.actions);
      expect(actions.filter((a) => /^glue:(Batch)?Delete|^s3:(Put|Delete)/.test(a))).toEqual([]);
    });
  });

  describe('S3 event mode', () => {
    const EVENTS = crawlerConfig({ ...RAW_PARTNERS, recrawl: 'events' });
    const QUEUE_ARN = '${aws_sqs_queue.lake_raw_partners_events_queue.arn}';

    it('crawls the changes S3 reports to the lake\'s event queue of the crawler, updating changed tables but never deleting them', () => {
      const { tf } = synth({ config: EVENTS });
      expect(crawlerOf(tf)).toMatchObject({
        s3_target: [{ path: 's3://${aws_s3_bucket.lake_raw_bucket.bucket}/partner-import/', exclusions: ['errors/**'], event_queue_arn: QUEUE_ARN }],
        recrawl_policy: { recrawl_behavior: 'CRAWL_EVENT_MODE' },
        schema_change_policy: { update_behavior: 'UPDATE_IN_DATABASE', delete_behavior: 'LOG' },
      });
    });

    it('reads a queue the zone bucket notifies of the crawled prefix\'s created and removed objects', () => {
      const { tf } = synth({ config: EVENTS });
      expect(resource(tf, 'aws_s3_bucket_notification', 'lake_raw_notification')).toMatchObject({
        eventbridge: true,
        queue: [{ queue_arn: QUEUE_ARN, events: ['s3:ObjectCreated:*', 's3:ObjectRemoved:*'], filter_prefix: 'partner-import/' }],
      });
    });

    it('may use the queue as Glue documents, on that queue only, and decrypt its messages with the lake key through SQS only', () => {
      const { tf } = synth({ config: EVENTS });
      const policies = rolePolicies(tf);
      expect(Object.keys(policies).sort()).toEqual([`adp-dev-lake-read-raw-${prefixHash('partner-import/')}`, 'catalog', 'consume-events', 'write-logs']);
      expect(policies['consume-events']).toEqual([
        {
          sid: 'ConsumeObjectEvents',
          effect: 'Allow',
          actions: [
            'sqs:DeleteMessage',
            'sqs:GetQueueUrl',
            'sqs:ListDeadLetterSourceQueues',
            'sqs:ReceiveMessage',
            'sqs:GetQueueAttributes',
            'sqs:ListQueueTags',
            'sqs:SetQueueAttributes',
            'sqs:PurgeQueue',
          ],
          resources: [QUEUE_ARN],
        },
        {
          sid: 'DecryptEventsThroughSqs',
          effect: 'Allow',
          actions: ['kms:Decrypt'],
          resources: [KEY_ARN],
          condition: [{ test: 'StringEquals', variable: 'kms:ViaService', values: ['sqs.eu-west-1.amazonaws.com'] }],
        },
      ]);
    });

    it('is created after the policy that lets its role read the queue', () => {
      const { tf } = synth({ config: EVENTS });
      const consume = Object.entries(tf.resource?.aws_iam_role_policy ?? {}).find(([, p]) => p.name === 'consume-events')?.[0];
      expect(crawlerOf(tf).depends_on).toContain(`aws_iam_role_policy.${consume}`);
    });

    it('has no queue, no queue permission and no event queue ARN in the other recrawl modes', () => {
      for (const recrawl of ['new-folders-only', 'everything'] as const) {
        const { tf } = synth({ config: crawlerConfig({ ...RAW_PARTNERS, recrawl }) });
        expect((crawlerOf(tf).s3_target as Array<Record<string, unknown>>)[0]).not.toHaveProperty('event_queue_arn');
        expect(Object.keys(rolePolicies(tf))).not.toContain('consume-events');
        expect(tf.resource?.aws_sqs_queue).toBeUndefined();
      }
    });

    it('rejects S3 event mode without the event queue', () => {
      expect(problemsOf(() => build({ config: EVENTS, eventQueue: false }))).toEqual([
        'Crawler dev/crawler-raw-partners: eventQueue is missing, but config.recrawl is "events"; pass the lake\'s event queue of this crawler (lake.eventQueue(name), from DataLake eventQueues), or use recrawl: new-folders-only',
      ]);
    });

    it('rejects an event queue in the other recrawl modes', () => {
      expect(problemsOf(() => build({ eventQueue: true }))).toEqual([
        'Crawler dev/crawler-raw-partners: eventQueue is set, but config.recrawl is "new-folders-only", which reads no events; remove eventQueue, or use recrawl: events',
      ]);
    });

    it('rejects S3 event mode over more than one prefix, which Glue does not crawl', () => {
      const config: CrawlerConfig = { ...EVENTS, prefixes: ['partner-import/', 'partner-archive/'] };
      expect(problemsOf(() => build({ config }))).toEqual([
        'Crawler dev/crawler-raw-partners: config.prefixes has 2 prefixes, but recrawl: events takes exactly one (Glue\'s S3 event mode crawls a single S3 target); keep one and give each other prefix a crawler of its own, or use recrawl: new-folders-only',
      ]);
    });
  });

  describe('crawlerEventQueues', () => {
    it('asks the lake for one queue per crawler in S3 event mode, named after it, for its zone and prefix', () => {
      const crawlers = env({
        processing: {
          classifiers: { 'partner-csv': PARTNER_CSV },
          crawlers: {
            'raw-partners': { ...RAW_PARTNERS, recrawl: 'events' },
            'processed-orders': { zone: 'processed', prefixes: ['orders/', 'clickstream/'] },
            'curated-revenue': { zone: 'curated', prefixes: ['daily_revenue/'], recrawl: 'events' },
            'raw-archive': { zone: 'raw', prefixes: ['archive/'], recrawl: 'everything' },
          },
        },
      }).processing.crawlers;
      expect(crawlerEventQueues(crawlers)).toEqual([
        { name: 'raw-partners', zone: 'raw', prefix: 'partner-import/' },
        { name: 'curated-revenue', zone: 'curated', prefix: 'daily_revenue/' },
      ]);
    });

    it('asks for none without crawlers in S3 event mode', () => {
      expect(crawlerEventQueues({ sample: crawlerConfig() })).toEqual([]);
      expect(crawlerEventQueues({})).toEqual([]);
    });
  });

  describe('state', () => {
    it('holds no stateful resource: only the lake\'s addresses are pinned', () => {
      const { stack } = synth();
      expect([...stack.statefulAddresses].filter((a) => !/^aws_(s3_bucket|kms_key|glue_catalog_database)\.lake_/.test(a))).toEqual([]);
    });
  });

  describe('members', () => {
    it('exposes the crawler, its role, its name and its log group', () => {
      const { stack, crawler } = build();
      expect(crawler.crawler).toBeInstanceOf(GlueCrawler);
      expect(crawler.role.role.terraformResourceType).toBe('aws_iam_role');
      expect(crawler.logGroup.logGroup.terraformResourceType).toBe('aws_cloudwatch_log_group');
      new TerraformOutput(stack, 'crawler-name', { value: crawler.name });
      expect(synthesize(stack).tf.output?.['crawler-name']).toEqual({ value: `\${${addressOf(crawler.crawler)}.name}` });
    });
  });

  describe('validation', () => {
    const attempt = (changes: Partial<CrawlerConfig>, options: Omit<BuildOptions, 'config'> = {}) => () => build({ config: { ...crawlerConfig(), ...changes }, ...options });

    it('accepts the crawlers of the environment files', () => {
      expect(attempt({})).not.toThrow();
      expect(() => build({ config: crawlerConfig({ zone: 'processed', prefixes: ['orders/', 'clickstream/'] }), name: 'processed-orders' })).not.toThrow();
      expect(() => build({ config: crawlerConfig({ zone: 'curated', prefixes: ['daily_revenue/'] }), name: 'curated-revenue' })).not.toThrow();
    });

    it('lists every problem of the props at once', () => {
      const changes = {
        zone: 'athena' as never,
        prefixes: ['/orders', 'orders/', 'orders/2024/', 'orders/'],
        recrawl: 'sometimes' as never,
        schedule: 'rate(2 minutes)',
        classifiers: ['partner-csv', 'partner-csv'],
      };
      expect(problemsOf(attempt(changes, { name: 'Raw_Partners', classifiers: ['partner-csv'] }))).toEqual([
        'Crawler dev/crawler-Raw_Partners: name is "Raw_Partners"; use 2-40 lowercase letters and digits, words joined by "-", starting with a letter (e.g. "clickstream")',
        'Crawler dev/crawler-Raw_Partners: config.zone is "athena"; use one of raw, processed, curated',
        'Crawler dev/crawler-Raw_Partners: config.prefixes[0] is "/orders"; use a key prefix of lowercase letters, digits, "_", "-", "=" and "/", ending with "/" (e.g. "orders/")',
        'Crawler dev/crawler-Raw_Partners: config.prefixes[2] is "orders/2024/", which overlaps "orders/"; list prefixes that do not contain one another, or the same objects are cataloged twice',
        'Crawler dev/crawler-Raw_Partners: config.prefixes[3] is "orders/" again; list each prefix once',
        'Crawler dev/crawler-Raw_Partners: config.recrawl is "sometimes"; use new-folders-only, everything or events',
        'Crawler dev/crawler-Raw_Partners: config.schedule is "rate(2 minutes)", which runs more often than Glue allows (every 5 minutes at most); use "rate(5 minutes)" or longer',
        'Crawler dev/crawler-Raw_Partners: config.classifiers[1] is "partner-csv" again; list each classifier once',
        'Crawler dev/crawler-Raw_Partners: classifiers are [partner-csv]; pass the Classifier constructs config.classifiers names, in its order: [partner-csv, partner-csv]',
      ]);
    });

    it('rejects a crawler without prefixes', () => {
      expect(problemsOf(attempt({ prefixes: [] }))).toEqual([
        'Crawler dev/crawler-raw-partners: config.prefixes is empty; list at least one prefix of the zone to crawl (e.g. "orders/")',
      ]);
    });

    it('rejects a schedule Glue cannot run', () => {
      expect(problemsOf(attempt({ schedule: 'rate(2 days)' }))).toEqual([
        'Crawler dev/crawler-raw-partners: config.schedule is "rate(2 days)", which has no Glue cron expression with the same even interval (Glue schedules are cron only, and cron steps restart every hour, day or month); ' +
          'use a rate of 5, 6, 10, 12, 15, 20 or 30 minutes, 1, 2, 3, 4, 6, 8 or 12 hours, 1 day or 7 days, or a cron(...) schedule',
      ]);
      expect(problemsOf(attempt({ schedule: 'daily' }))).toEqual([
        'Crawler dev/crawler-raw-partners: config.schedule is "daily", which is not a schedule; use "rate(<n> <minute|minutes|hour|hours|day|days>)" or "cron(<6 fields>)", e.g. "cron(0 2 * * ? *)"',
      ]);
    });

    it('rejects classifiers that are not the ones the config names, in its order', () => {
      const config = crawlerConfig({ ...RAW_PARTNERS, classifiers: ['partner-csv', 'events-json'] });
      expect(problemsOf(() => build({ config, classifiers: ['events-json', 'partner-csv'] }))).toEqual([
        'Crawler dev/crawler-raw-partners: classifiers are [events-json, partner-csv]; pass the Classifier constructs config.classifiers names, in its order: [partner-csv, events-json]',
      ]);
      expect(problemsOf(() => build({ config, classifiers: [] }))).toEqual([
        'Crawler dev/crawler-raw-partners: classifiers are []; pass the Classifier constructs config.classifiers names, in its order: [partner-csv, events-json]',
      ]);
    });

    it('skips values that are still tokens', () => {
      const { stack, lake, security } = withSecurity(stackWithLake(env()));
      const value = (id: string) => new TerraformVariable(stack, id, { type: 'string' }).stringValue;
      const config = { ...crawlerConfig({ ...RAW_PARTNERS, classifiers: [] }), prefixes: [value('prefix')], schedule: value('schedule') };
      new Crawler(stack, 'crawler', { lake, name: value('name'), config, security, classifiers: [] });
      expect(crawlerOf(synthesize(stack).tf).schedule).toBe('${var.schedule}');
    });
  });

  describe('policy pack', () => {
    /** The lake in `<env>-lake`; the security configuration, classifier and crawler in `<env>-processing`. */
    function layered(app: App, environment: EnvironmentConfig, config: CrawlerConfig) {
      const { lakeStack, lake, stack, security } = withSecurity(layeredStacks(environment, { app, aspects: [new PolicyPack()] }));
      const classifiers = config.classifiers.map((key) => new Classifier(stack, `classifier-${key}`, { name: key, config: classifierConfig(PARTNER_CSV) }));
      new Crawler(stack, 'crawler-raw-partners', { lake, name: 'raw-partners', config, security, classifiers });
      return { lakeStack, stack };
    }

    it('passes in layered stacks, referencing the lake across stacks', () => {
      const { lakeStack, stack } = layered(testApp(), env(), crawlerConfig({ ...RAW_PARTNERS, schedule: 'rate(1 day)' }));
      expect(() => synthesize(lakeStack)).not.toThrow();
      const { tf } = synthesize(stack);
      const remote = /\$\{data\.terraform_remote_state\.cross-stack-reference-input-dev-lake\.outputs\.cross-stack-output-[\w-]+\}/;
      const crawler = crawlerOf(tf);
      expect(crawler.database_name).toMatch(new RegExp(`^${remote.source}$`));
      expect((crawler.s3_target as Array<{ path: string }>)[0].path).toMatch(new RegExp(`^s3://${remote.source}/partner-import/$`));
      expect(only(tf, 'aws_cloudwatch_log_group', 'crawler').kms_key_id).toMatch(new RegExp(`^${remote.source}$`));
    });

    it('passes in S3 event mode in layered stacks, the queue in the lake\'s stack and its ARN read across stacks', () => {
      const eventQueues = [{ name: 'raw-partners', zone: 'raw', prefix: 'partner-import/' }] as const;
      const { lakeStack, lake, stack, security } = withSecurity(layeredStacks(env(), { aspects: [new PolicyPack()], lake: { eventQueues } }));
      const classifier = new Classifier(stack, 'classifier-partner-csv', { name: 'partner-csv', config: classifierConfig(PARTNER_CSV) });
      const config = crawlerConfig({ ...RAW_PARTNERS, recrawl: 'events', schedule: 'rate(1 day)' });
      new Crawler(stack, 'crawler-raw-partners', { lake, name: 'raw-partners', config, security, classifiers: [classifier], eventQueue: lake.eventQueue('raw-partners') });
      const lakeTf = synthesize(lakeStack).tf;
      expect(Object.keys(lakeTf.resource?.aws_sqs_queue ?? {})).toEqual(['lake_raw_partners_events_queue']);
      const { tf } = synthesize(stack);
      expect(tf.resource?.aws_sqs_queue).toBeUndefined();
      const remote = /^\$\{data\.terraform_remote_state\.cross-stack-reference-input-dev-lake\.outputs\.cross-stack-output-[\w-.]+\}$/;
      expect((crawlerOf(tf).s3_target as Array<{ event_queue_arn: string }>)[0].event_queue_arn).toMatch(remote);
    });

    it('passes in a protected environment', () => {
      const { stack } = layered(testApp(), env({ name: 'prod', stage: 'production', protect: true }), crawlerConfig({ ...RAW_PARTNERS, recrawl: 'everything' }));
      expect(() => synthesize(stack)).not.toThrow();
    });

    it('passes in the single stack of the offline environment', () => {
      const { stack, lake, security } = withSecurity(stackWithLake(env({ ...OFFLINE, protect: false }), { aspects: [new PolicyPack()] }));
      const classifier = new Classifier(stack, 'classifier-partner-csv', { name: 'partner-csv', config: classifierConfig(PARTNER_CSV) });
      new Crawler(stack, 'crawler-raw-partners', { lake, name: 'raw-partners', config: crawlerConfig(), security, classifiers: [classifier] });
      const orders = crawlerConfig({ zone: 'processed', prefixes: ['orders/', 'clickstream/'], recrawl: 'everything', schedule: 'cron(0 3 * * ? *)' });
      new Crawler(stack, 'crawler-processed-orders', { lake, name: 'processed-orders', config: orders, security, classifiers: [] });
      expect(() => synthesize(stack)).not.toThrow();
    });

    it('passes in S3 event mode in the single stack of the offline environment', () => {
      const eventQueues = [{ name: 'raw-partners', zone: 'raw', prefix: 'partner-import/' }] as const;
      const { stack, lake, security } = withSecurity(stackWithLake(env({ ...OFFLINE, protect: false }), { aspects: [new PolicyPack()], lake: { eventQueues } }));
      const classifier = new Classifier(stack, 'classifier-partner-csv', { name: 'partner-csv', config: classifierConfig(PARTNER_CSV) });
      const config = crawlerConfig({ ...RAW_PARTNERS, recrawl: 'events' });
      new Crawler(stack, 'crawler-raw-partners', { lake, name: 'raw-partners', config, security, classifiers: [classifier], eventQueue: lake.eventQueue('raw-partners') });
      expect(() => synthesize(stack)).not.toThrow();
    });
  });
});
