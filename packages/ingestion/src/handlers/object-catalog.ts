/**
 * The Lambda function of `ObjectCatalog`: catalogs each new raw-zone object in DynamoDB.
 *
 * It receives the Amazon EventBridge "Object Created" event of Amazon S3 and writes one item per
 * object key: partition key `object_key`, and `bucket`, `size`, `etag`, `version_id` (versioned
 * buckets), `content_type` (guessed from the extension), `event_time`, `cataloged_at` and
 * `sequencer` (S3's order of events on the key).
 *
 * - Keys are stored as the event carries them, not URL-decoded: unlike S3's own notifications
 *   (SQS, SNS, Lambda), which form-encode keys ("red flower.jpg" arrives as "red+flower.jpg"),
 *   the EventBridge events carry the key itself. Decoding it would turn a real "+" into a space
 *   and fail on a key holding "%".
 * - Idempotent and order-safe: the put is conditional on the item being absent or holding an
 *   older `sequencer`. A retried or duplicate event, or one that arrives after a newer event on
 *   the same key, fails the condition and changes nothing; the handler reports it as skipped.
 * - An event that is not a well-formed "Object Created" event throws {@link InvalidEventError}:
 *   Lambda retries it and then sends it to the function's dead-letter queue, where it can be
 *   inspected and replayed. So does any DynamoDB error other than the failed condition.
 *
 * The handler writes through a {@link CatalogClient}; by default one made, on the first event,
 * from the AWS SDK v3 the Lambda Node.js runtime ships (`@aws-sdk/client-dynamodb`, left out of
 * the bundle). Tests inject their own.
 *
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/ev-events.html
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/notification-content-structure.html (the sequencer)
 */

/** Environment variable holding the catalog table's name. */
export const TABLE_NAME_VARIABLE = 'TABLE_NAME';

/** The DynamoDB attribute names of a catalog item. */
export const CATALOG_ATTRIBUTES = {
  key: 'object_key',
  bucket: 'bucket',
  size: 'size',
  etag: 'etag',
  versionId: 'version_id',
  contentType: 'content_type',
  eventTime: 'event_time',
  catalogedAt: 'cataloged_at',
  sequencer: 'sequencer',
} as const;

/**
 * Width sequencers are left-padded to with zeros: S3 sequencers vary in length, and compare in
 * order only once padded to the same width.
 */
export const SEQUENCER_WIDTH = 32;

/** Content type of objects whose extension is not in {@link CONTENT_TYPES}. */
export const DEFAULT_CONTENT_TYPE = 'application/octet-stream';

/** Content types by lowercase file extension (without the dot). */
export const CONTENT_TYPES: Readonly<Record<string, string>> = {
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  gif: 'image/gif',
  webp: 'image/webp',
  avif: 'image/avif',
  heic: 'image/heic',
  tif: 'image/tiff',
  tiff: 'image/tiff',
  bmp: 'image/bmp',
  svg: 'image/svg+xml',
  pdf: 'application/pdf',
  json: 'application/json',
  csv: 'text/csv',
  txt: 'text/plain',
  parquet: 'application/vnd.apache.parquet',
  gz: 'application/gzip',
  zip: 'application/zip',
};

/** A DynamoDB attribute value, in the API's (and the AWS SDK v3's) form. */
export type AttributeValue = { readonly S: string } | { readonly N: string };

/** The PutItem request the handler makes (a subset of the SDK's `PutItemCommandInput`). */
export interface PutItemInput {
  readonly TableName: string;
  readonly Item: Readonly<Record<string, AttributeValue>>;
  readonly ConditionExpression: string;
  readonly ExpressionAttributeNames: Readonly<Record<string, string>>;
  readonly ExpressionAttributeValues: Readonly<Record<string, AttributeValue>>;
}

/**
 * Where the handler writes catalog items. `putItem` rejects with an error named
 * `ConditionalCheckFailedException` when the request's condition fails, as the AWS SDK does.
 */
export interface CatalogClient {
  putItem(input: PutItemInput): Promise<void>;
}

/** The fields of an "Object Created" event the catalog uses, validated. */
export interface CreatedObject {
  readonly bucket: string;
  /** The object key, exactly as stored in S3. */
  readonly key: string;
  readonly size: number;
  readonly etag: string;
  /** Absent for objects of unversioned buckets. */
  readonly versionId?: string;
  /** S3's sequencer, uppercase and left-padded with zeros to {@link SEQUENCER_WIDTH}. */
  readonly sequencer: string;
  /** When S3 created the object (the event's `time`), ISO 8601. */
  readonly time: string;
}

/** What the handler did with one event. */
export interface CatalogResult {
  /** `cataloged`: the item was written; `skipped`: the same or a newer event was already cataloged. */
  readonly status: 'cataloged' | 'skipped';
  readonly bucket: string;
  readonly key: string;
}

/** An event that is not a well-formed S3 "Object Created" event; `problems` lists each field. */
export class InvalidEventError extends Error {
  readonly problems: readonly string[];

  constructor(problems: readonly string[], eventId?: string) {
    super(`not an S3 "Object Created" event from EventBridge${eventId ? ` (event ${eventId})` : ''}: ${problems.join('; ')}`);
    this.name = 'InvalidEventError';
    this.problems = problems;
  }
}

const HEX_RE = new RegExp(`^[0-9A-Fa-f]{1,${SEQUENCER_WIDTH}}$`);

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const nonEmptyString = (value: unknown): value is string => typeof value === 'string' && value !== '';

/**
 * Validates an EventBridge event and returns the created object it describes.
 * @throws InvalidEventError listing every field that is missing or wrong
 */
export function parseObjectCreated(event: unknown): CreatedObject {
  if (!isObject(event)) throw new InvalidEventError([`the event is ${event === null ? 'null' : typeof event}, not an object`]);
  const problems: string[] = [];
  const check = (ok: boolean, problem: string) => {
    if (!ok) problems.push(problem);
  };
  check(event.source === 'aws.s3', `source is ${JSON.stringify(event.source)}, expected "aws.s3"`);
  check(event['detail-type'] === 'Object Created', `detail-type is ${JSON.stringify(event['detail-type'])}, expected "Object Created"`);
  const time = event.time;
  check(nonEmptyString(time) && !Number.isNaN(Date.parse(time)), `time is ${JSON.stringify(time)}, expected an ISO 8601 timestamp`);

  const detail = isObject(event.detail) ? event.detail : undefined;
  const bucket = detail && isObject(detail.bucket) ? detail.bucket : undefined;
  const object = detail && isObject(detail.object) ? detail.object : undefined;
  check(detail !== undefined, 'detail is missing');
  check(detail === undefined || bucket !== undefined, 'detail.bucket is missing');
  check(detail === undefined || object !== undefined, 'detail.object is missing');
  if (bucket) check(nonEmptyString(bucket.name), `detail.bucket.name is ${JSON.stringify(bucket.name)}, expected a bucket name`);
  if (object) {
    check(nonEmptyString(object.key), `detail.object.key is ${JSON.stringify(object.key)}, expected an object key`);
    check(Number.isSafeInteger(object.size) && (object.size as number) >= 0, `detail.object.size is ${JSON.stringify(object.size)}, expected a byte count`);
    check(nonEmptyString(object.etag), `detail.object.etag is ${JSON.stringify(object.etag)}, expected the object's ETag`);
    const versionId = object['version-id'];
    check(versionId === undefined || nonEmptyString(versionId), `detail.object.version-id is ${JSON.stringify(versionId)}, expected a version id or no field`);
    check(typeof object.sequencer === 'string' && HEX_RE.test(object.sequencer), `detail.object.sequencer is ${JSON.stringify(object.sequencer)}, expected up to ${SEQUENCER_WIDTH} hexadecimal digits`);
  }
  if (problems.length > 0) throw new InvalidEventError(problems, typeof event.id === 'string' ? event.id : undefined);

  // Validated above; the casts only restate what the checks established.
  const o = object as Json;
  return {
    bucket: (bucket as Json).name as string,
    key: o.key as string,
    size: o.size as number,
    etag: o.etag as string,
    versionId: o['version-id'] as string | undefined,
    sequencer: (o.sequencer as string).toUpperCase().padStart(SEQUENCER_WIDTH, '0'),
    time: time as string,
  };
}

/** The content type of `key`, from its extension (any case); {@link DEFAULT_CONTENT_TYPE} when unknown. */
export function contentTypeOf(key: string): string {
  const name = key.slice(key.lastIndexOf('/') + 1);
  const dot = name.lastIndexOf('.');
  if (dot <= 0) return DEFAULT_CONTENT_TYPE;
  return CONTENT_TYPES[name.slice(dot + 1).toLowerCase()] ?? DEFAULT_CONTENT_TYPE;
}

/**
 * The conditional PutItem request cataloging `object` in `tableName`: written when the key is new,
 * or when the stored item has an older sequencer (or none).
 */
export function catalogPutItem(tableName: string, object: CreatedObject, catalogedAt: Date): PutItemInput {
  const a = CATALOG_ATTRIBUTES;
  const item: Record<string, AttributeValue> = {
    [a.key]: { S: object.key },
    [a.bucket]: { S: object.bucket },
    [a.size]: { N: String(object.size) },
    [a.etag]: { S: object.etag },
    [a.contentType]: { S: contentTypeOf(object.key) },
    [a.eventTime]: { S: object.time },
    [a.catalogedAt]: { S: catalogedAt.toISOString() },
    [a.sequencer]: { S: object.sequencer },
  };
  if (object.versionId !== undefined) item[a.versionId] = { S: object.versionId };
  return {
    TableName: tableName,
    Item: item,
    ConditionExpression: 'attribute_not_exists(#key) OR attribute_not_exists(#sequencer) OR #sequencer < :sequencer',
    ExpressionAttributeNames: { '#key': a.key, '#sequencer': a.sequencer },
    ExpressionAttributeValues: { ':sequencer': { S: object.sequencer } },
  };
}

/** The part of `@aws-sdk/client-dynamodb` the default client uses. */
interface DynamoDbSdk {
  DynamoDBClient: new (config: object) => { send(command: unknown): Promise<unknown> };
  PutItemCommand: new (input: PutItemInput) => unknown;
}

/**
 * A {@link CatalogClient} on the AWS SDK v3 DynamoDB client that the Lambda Node.js runtime ships.
 * @throws Error when `@aws-sdk/client-dynamodb` cannot be loaded (outside Lambda, without it installed)
 */
export function sdkCatalogClient(): CatalogClient {
  let sdk: DynamoDbSdk;
  try {
    // A literal require: the bundle keeps it external, and in Lambda it resolves (NODE_PATH) to
    // the SDK of the runtime, so the function ships no SDK of its own.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    sdk = require('@aws-sdk/client-dynamodb') as DynamoDbSdk;
  } catch (cause) {
    throw new Error(
      'cannot load @aws-sdk/client-dynamodb: the Lambda Node.js runtime provides it; elsewhere, install it or pass a CatalogClient to createHandler',
      { cause },
    );
  }
  const client = new sdk.DynamoDBClient({});
  return {
    async putItem(input) {
      await client.send(new sdk.PutItemCommand(input));
    },
  };
}

/** True for the error DynamoDB returns when a PutItem condition fails. */
function isConditionalCheckFailed(error: unknown): boolean {
  return error instanceof Error && error.name === 'ConditionalCheckFailedException';
}

/** Options of {@link createHandler}; all are for tests and local runs. */
export interface CatalogHandlerOptions {
  /** @default a client on the runtime's AWS SDK ({@link sdkCatalogClient}), created on the first event */
  readonly client?: CatalogClient;
  /** @default the TABLE_NAME environment variable, read on each event */
  readonly tableName?: string;
  /** @default the current time */
  readonly now?: () => Date;
  /** Writes one log line. @default console.log */
  readonly log?: (line: string) => void;
}

/** A catalog handler: see the module's documentation. */
export function createHandler(options: CatalogHandlerOptions = {}): (event: unknown) => Promise<CatalogResult> {
  let client = options.client;
  const now = options.now ?? (() => new Date());
  const log = options.log ?? ((line: string) => console.log(line));
  return async (event: unknown) => {
    const object = parseObjectCreated(event);
    const tableName = options.tableName ?? process.env[TABLE_NAME_VARIABLE];
    if (!tableName) throw new Error(`${TABLE_NAME_VARIABLE} is not set; the function's environment must name the catalog table`);
    client ??= sdkCatalogClient();
    const base = { bucket: object.bucket, key: object.key };
    try {
      await client.putItem(catalogPutItem(tableName, object, now()));
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw error;
      log(JSON.stringify({ message: 'skipped: the same or a newer event of this key is already cataloged', ...base, sequencer: object.sequencer }));
      return { status: 'skipped', ...base };
    }
    log(JSON.stringify({ message: 'cataloged', ...base, versionId: object.versionId, sequencer: object.sequencer }));
    return { status: 'cataloged', ...base };
  };
}

/** The Lambda entry point (`index.handler` in the bundle). */
export const handler = createHandler();
