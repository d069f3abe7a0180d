import { glueSchedule } from './glue-schedule';
import { Token } from 'cdktf';
import { Construct } from 'constructs';
import { GlueCrawler } from '@cdktf/provider-aws/lib/glue-crawler';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import {
  CrawlerConfig,
  DATASET_NAME_FIX,
  DATASET_NAME_RE,
  EncryptedLogGroup,
  JOB_ZONES,
  NAME_LIMITS,
  PlatformStack,
  ServiceRole,
  Validator,
} from '@data-platform/core';
import { DataLake, LakeEventQueue } from '@data-platform/lake';
import { Classifier } from './classifier';
import { ProcessingSecurity } from './security-configuration';

/** What `config.recrawl` may be: `new-folders-only`, `everything` or `events` (S3 event mode). */
export type CrawlerRecrawl = CrawlerConfig['recrawl'];

/** Fixed settings of every crawler. */
export const CRAWLER = {
  /**
   * The crawler's `configuration` JSON:
   * - `Grouping.TableGroupingPolicy: CombineCompatibleSchemas`: one table per include path (each
   *   prefix) when the files are compatible, instead of one table per sub-folder whenever the
   *   schemas of two partitions differ a little (which would turn `orders/day=1/`, `orders/day=2/`
   *   into tables `day_1`, `day_2`).
   * - `CrawlerOutput.Partitions.AddOrUpdateBehavior: InheritFromTable`: partitions take their
   *   schema from the table, so a column added to the table reaches every partition and Athena
   *   does not fail old partitions with HIVE_PARTITION_SCHEMA_MISMATCH.
   * Written as text, not `JSON.stringify`, to keep `"Version":1.0` as Glue's documentation writes it.
   * @see https://docs.aws.amazon.com/glue/latest/dg/crawler-configuration.html
   */
  configuration:
    '{"Version":1.0,"Grouping":{"TableGroupingPolicy":"CombineCompatibleSchemas"},"CrawlerOutput":{"Partitions":{"AddOrUpdateBehavior":"InheritFromTable"}}}',
  /**
   * Exclude patterns of every S3 target, relative to the prefix: Firehose writes the records it
   * could not deliver under `<prefix>errors/` (base64 payloads with error codes), which would
   * otherwise be cataloged as a table or merged into the dataset's schema.
   */
  exclusions: ['errors/**'],
  /** Glue's recrawl behaviour for each `config.recrawl`. */
  recrawlBehavior: { 'new-folders-only': 'CRAWL_NEW_FOLDERS_ONLY', everything: 'CRAWL_EVERYTHING', events: 'CRAWL_EVENT_MODE' },
  /**
   * What the crawler does to an existing table whose schema changed: `everything` and `events`
   * update it in the catalog; `new-folders-only` must log it, since Glue accepts only LOG (for
   * both update and delete behaviour) on incremental crawlers. Glue sets no such limit on S3
   * event mode, whose crawls re-read the folders S3 reported changed.
   * @see https://docs.aws.amazon.com/glue/latest/dg/incremental-crawls.html
   * @see https://docs.aws.amazon.com/glue/latest/dg/crawler-s3-event-notifications.html
   */
  updateBehavior: { 'new-folders-only': 'LOG', everything: 'UPDATE_IN_DATABASE', events: 'UPDATE_IN_DATABASE' },
  /**
   * What the crawler does when a table's or partition's objects are gone: only log it. Deleting
   * (or deprecating) catalog tables because files vanished, e.g. during a rewrite of a prefix or
   * after a lifecycle expiration, would break every query and grant on them.
   */
  deleteBehavior: 'LOG',
  /** Data lineage (a paid Glue feature that records lineage in the catalog) is off. */
  lineage: 'DISABLE',
  /**
   * What the role of a crawler in S3 event mode may do on its event queue: exactly the SQS
   * actions of the policy Glue documents for the crawler's role, no more (on that queue only).
   * @see https://docs.aws.amazon.com/glue/latest/dg/crawler-s3-event-notifications.html#crawler-s3-event-notifications-setup
   */
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
} as const;


/**
 * The event queues the lake needs for the crawlers of `crawlers` in S3 event mode (`recrawl:
 * events`): one per crawler, named after it, fed by its zone's bucket for its one prefix. The app
 * passes them to {@link DataLake} as `eventQueues`, so the lake's stack holds every statement
 * about its own buckets and key, and each such crawler reads `lake.eventQueue(<crawler name>)`.
 */
export function crawlerEventQueues(crawlers: Readonly<Record<string, CrawlerConfig>>): LakeEventQueue[] {
  return Object.entries(crawlers)
    .filter(([, config]) => config.recrawl === 'events')
    .map(([name, config]) => ({ name, zone: config.zone, prefix: config.prefixes[0] }));
}

/** Same shape as the config loader's prefixes: they become S3 paths of the crawler. */
const PREFIX_RE = /^[a-z0-9][a-z0-9_\-/=]*\/$/;

/** Props of {@link Crawler}. */
export interface CrawlerProps {
  /** The lake whose zone is crawled; its key encrypts the crawler's logs. */
  readonly lake: DataLake;
  /** Crawler name (the key under `processing.crawlers`): part of its physical name. */
  readonly name: string;
  /** The crawler's `processing.crawlers` entry (validated and defaulted by the config loader). */
  readonly config: CrawlerConfig;
  /** The layer's Glue security configuration: encrypts the crawler's CloudWatch logs with the lake key. */
  readonly security: ProcessingSecurity;
  /**
   * The classifiers `config.classifiers` names, resolved by the caller, in the same order (the
   * crawler tries them in that order, before Glue's built-in classifiers).
   */
  readonly classifiers: readonly Classifier[];
  /**
   * The queue S3 sends the events of the crawled prefix to (`DataLake.eventQueue(name)`), read
   * by the crawler in S3 event mode. Required with `config.recrawl: events`, refused otherwise.
   * @default none
   */
  readonly eventQueue?: { readonly arn: string };
}

/**
 * A Glue crawler that keeps the catalog of one lake zone current: it reads the objects under
 * `config.prefixes` of the zone's bucket and creates or updates tables and partitions in the
 * zone's catalog database.
 *
 * - One S3 target per prefix, `s3://<zone bucket>/<prefix>`, each excluding `errors/**` (see
 *   {@link CRAWLER}); each prefix becomes one table, named after its last folder (`orders/` ->
 *   `orders`, `partner-import/` -> `partner_import`), when its files are compatible.
 * - Runs on `config.schedule` when set (converted to Glue's cron-only form by
 *   {@link glueSchedule}); otherwise on demand or from a workflow trigger.
 * - Runs under the layer's security configuration, so its CloudWatch logs are encrypted with the
 *   lake key. With a security configuration, Glue writes to the log group
 *   `/aws-glue/crawlers-role/<role name>-<security configuration name>` (one stream per crawler)
 *   instead of `/aws-glue/crawlers`; this construct creates that group beforehand, encrypted and
 *   with a retention, since Glue would create it without one.
 * - Custom classifiers (`classifiers`) are tried in order.
 * - Recrawl: `new-folders-only` crawls only folders added since the last run (the first run
 *   crawls everything); `everything` crawls all objects every time; `events` (S3 event mode)
 *   crawls only the folders of the objects S3 reported created or removed since the last run (the
 *   first run lists everything). See {@link CRAWLER} for the schema change policy each implies:
 *   tables are never deleted or deprecated.
 * - S3 event mode reads S3 event notifications from an SQS queue (`eventQueue`): the lake's queue
 *   for this crawler, fed by the zone bucket's notification of the prefix (S3 sends to SQS
 *   directly; Glue does not read EventBridge's events). Glue takes a single S3 target in this
 *   mode, so the config has exactly one prefix. The target names the queue, and the role may use
 *   it as Glue documents (CRAWLER.eventQueueActions, on that queue only) and decrypt its messages
 *   with the lake key, through SQS only.
 * - `configuration`: one table per prefix and partitions inheriting the table's schema (see
 *   {@link CRAWLER}); data lineage off.
 * - Its role (trusted by glue.amazonaws.com for this account only) may read the zone's objects
 *   under the prefixes (through `DataLake.grantRead`), read and write the zone database's tables
 *   and partitions (no deletes, no other database), use the lake key through Glue (for a catalog
 *   encrypted with it), and write its own log group. No AWS managed policy: AWSGlueServiceRole
 *   allows `glue:*` on the whole catalog and listing every bucket. Where Lake Formation governs
 *   the zone database (no IAMAllowedPrincipals), the role also needs Lake Formation permissions
 *   on it (create and alter tables), which the governance layer grants to {@link Crawler.role}.
 *
 * Nothing here holds data: no resource is stateful and no address is pinned.
 *
 * @see https://docs.aws.amazon.com/glue/latest/dg/crawler-s3-event-notifications.html
 * @see https://docs.aws.amazon.com/glue/latest/dg/incremental-crawls.html
 * @see https://docs.aws.amazon.com/glue/latest/dg/encryption-security-configuration.html
 */
export class Crawler extends Construct {
  /** The Glue crawler. */
  readonly crawler: GlueCrawler;
  /** The crawler's role. */
  readonly role: ServiceRole;
  /** Physical name of the crawler, for workflow triggers and alerting (a Terraform reference). */
  readonly name: string;
  /** The crawler's log group, `/aws-glue/crawlers-role/<role name>-<security configuration name>`. */
  readonly logGroup: EncryptedLogGroup;

  constructor(scope: Construct, id: string, props: CrawlerProps) {
    super(scope, id);
    checkProps(new Validator(`Crawler ${this.node.path}`), props).throwIfAny();
    const { lake, name, config, security, classifiers, eventQueue } = props;
    const recrawl = config.recrawl as CrawlerRecrawl;

    const stack = PlatformStack.of(this);
    const { env } = stack;
    const bucket = lake.zones[config.zone];
    const database = lake.databases[config.zone];

    this.role = new ServiceRole(this, 'role', {
      layer: 'processing',
      service: 'glue.amazonaws.com',
      name: `${name}-crawler`,
      description: `Glue crawler ${name}: catalogs ${config.zone}-zone prefixes into the ${config.zone} database (${env.project}-${env.name})`,
    });

    // The group Glue logs to under a security configuration that encrypts CloudWatch logs.
    this.logGroup = new EncryptedLogGroup(this, 'logs', {
      name: `/aws-glue/crawlers-role/${this.role.name}-${security.name}`,
      key: lake.key,
    });

    const glueArn = (resource: string) => `arn:${stack.partition}:glue:${env.region}:${env.account}:${resource}`;
    const catalog = glueArn('catalog');
    const policies: IamRolePolicy[] = [
      ...config.prefixes.map((prefix) => lake.grantRead(this.role.role, config.zone, prefix)),
      this.role.allow('catalog', [
        { sid: 'ReadZoneDatabase', effect: 'Allow', actions: ['glue:GetDatabase'], resources: [catalog, glueArn(`database/${database.name}`)] },
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
            // Crawlers index the partitions of the tables they create unless told not to.
            'glue:CreatePartitionIndex',
          ],
          // Glue authorizes table actions on the catalog, the database and the table.
          resources: [catalog, glueArn(`database/${database.name}`), glueArn(`table/${database.name}/*`)],
        },
        {
          // Reading and writing a catalog encrypted with the lake key (the platform's catalog
          // encryption rule asks for it) takes the key, through Glue only.
          sid: 'UseLakeKeyThroughGlue',
          effect: 'Allow',
          actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
          resources: [lake.key.arn],
          condition: [{ test: 'StringEquals', variable: 'kms:ViaService', values: [`glue.${env.region}.amazonaws.com`] }],
        },
      ]),
      this.role.allow('write-logs', [
        {
          // Glue creates the group if missing and associates the security configuration's key
          // with it before each run, then writes one stream per crawler.
          sid: 'WriteOwnLogs',
          effect: 'Allow',
          actions: ['logs:CreateLogGroup', 'logs:AssociateKmsKey', 'logs:CreateLogStream', 'logs:PutLogEvents'],
          // The group, and its streams (`<group arn>:log-stream:<name>`).
          resources: [this.logGroup.arn, `${this.logGroup.arn}:*`],
        },
      ]),
    ];
    if (recrawl === 'events' && eventQueue) {
      policies.push(this.role.allow('consume-events', [
        { sid: 'ConsumeObjectEvents', effect: 'Allow', actions: [...CRAWLER.eventQueueActions], resources: [eventQueue.arn] },
        {
          // The lake's event queues are encrypted with the lake key: receiving decrypts through SQS.
          sid: 'DecryptEventsThroughSqs',
          effect: 'Allow',
          actions: ['kms:Decrypt'],
          resources: [lake.key.arn],
          condition: [{ test: 'StringEquals', variable: 'kms:ViaService', values: [`sqs.${env.region}.amazonaws.com`] }],
        },
      ]));
    }

    // Validated above: a known schedule converts.
    const converted = config.schedule === undefined || Token.isUnresolved(config.schedule) ? undefined : glueSchedule(config.schedule);
    const schedule = converted && 'cron' in converted ? converted.cron : config.schedule;
    this.crawler = new GlueCrawler(this, 'crawler', {
      // NAME_LIMITS.glueDatabase: every Glue name (database, classifier, crawler) has the same 255-character limit.
      name: stack.resourceName('processing', `${name}-crawler`, { maxLength: NAME_LIMITS.glueDatabase }),
      description: `Catalogs ${config.prefixes.join(', ')} of the ${config.zone} zone (${env.project}-${env.name})`,
      role: this.role.arn,
      databaseName: database.name,
      s3Target: config.prefixes.map((prefix) => ({
        path: `s3://${bucket.name}/${prefix}`,
        exclusions: [...CRAWLER.exclusions],
        eventQueueArn: recrawl === 'events' ? eventQueue?.arn : undefined,
      })),
      schedule,
      securityConfiguration: security.name,
      classifiers: classifiers.length > 0 ? classifiers.map((c) => c.name) : undefined,
      recrawlPolicy: { recrawlBehavior: CRAWLER.recrawlBehavior[recrawl] },
      schemaChangePolicy: { updateBehavior: CRAWLER.updateBehavior[recrawl], deleteBehavior: CRAWLER.deleteBehavior },
      lineageConfiguration: { crawlerLineageSettings: CRAWLER.lineage },
      configuration: CRAWLER.configuration,
      // A scheduled first run must find its permissions and its encrypted log group in place.
      dependsOn: [...policies, this.logGroup.logGroup],
    });
    this.name = this.crawler.name;
  }
}

/** Records problems with the props of a Crawler (values still tokens are skipped). */
function checkProps(v: Validator, { name, config, classifiers, eventQueue }: CrawlerProps): Validator {
  const known = (value: unknown) => !Token.isUnresolved(value);
  if (known(name)) v.check(DATASET_NAME_RE.test(name), 'name', `is ${JSON.stringify(name)}; ${DATASET_NAME_FIX}`);
  v.check((JOB_ZONES as readonly string[]).includes(config.zone), 'config.zone', `is ${JSON.stringify(config.zone)}; use one of ${JOB_ZONES.join(', ')}`);

  v.check(config.prefixes.length > 0, 'config.prefixes', 'is empty; list at least one prefix of the zone to crawl (e.g. "orders/")');
  config.prefixes.forEach((prefix, i) => {
    if (!known(prefix)) return;
    if (!PREFIX_RE.test(prefix)) {
      v.add(`config.prefixes[${i}]`, `is ${JSON.stringify(prefix)}; use a key prefix of lowercase letters, digits, "_", "-", "=" and "/", ending with "/" (e.g. "orders/")`);
      return;
    }
    const earlier = config.prefixes.slice(0, i).find((other) => known(other) && (prefix.startsWith(other) || other.startsWith(prefix)));
    if (earlier !== undefined) {
      v.add(`config.prefixes[${i}]`, earlier === prefix
        ? `is ${JSON.stringify(prefix)} again; list each prefix once`
        : `is ${JSON.stringify(prefix)}, which overlaps ${JSON.stringify(earlier)}; list prefixes that do not contain one another, or the same objects are cataloged twice`);
    }
  });

  if (!Object.hasOwn(CRAWLER.recrawlBehavior, config.recrawl)) {
    v.add('config.recrawl', `is ${JSON.stringify(config.recrawl)}; use new-folders-only, everything or events`);
  } else if (config.recrawl === 'events') {
    // Glue's S3 event mode supports a single S3 target.
    if (config.prefixes.length > 1) {
      v.add('config.prefixes', `has ${config.prefixes.length} prefixes, but recrawl: events takes exactly one (Glue's S3 event mode crawls a single S3 target); keep one and give each other prefix a crawler of its own, or use recrawl: new-folders-only`);
    }
    v.check(eventQueue !== undefined, 'eventQueue', 'is missing, but config.recrawl is "events"; pass the lake\'s event queue of this crawler (lake.eventQueue(name), from DataLake eventQueues), or use recrawl: new-folders-only');
  } else {
    v.check(eventQueue === undefined, 'eventQueue', `is set, but config.recrawl is ${JSON.stringify(config.recrawl)}, which reads no events; remove eventQueue, or use recrawl: events`);
  }

  if (config.schedule !== undefined && known(config.schedule)) {
    const result = glueSchedule(config.schedule);
    if ('problem' in result) v.add('config.schedule', `is ${JSON.stringify(config.schedule)}, which ${result.problem}`);
  }

  const names = config.classifiers;
  names.forEach((classifier, i) => {
    if (known(classifier) && names.indexOf(classifier) !== i) v.add(`config.classifiers[${i}]`, `is ${JSON.stringify(classifier)} again; list each classifier once`);
  });
  const given = classifiers.map((c) => c.key);
  if (given.length !== names.length || given.some((key, i) => known(names[i]) && key !== names[i])) {
    v.add('classifiers', `are [${given.join(', ')}]; pass the Classifier constructs config.classifiers names, in its order: [${names.join(', ')}]`);
  }
  return v;
}
