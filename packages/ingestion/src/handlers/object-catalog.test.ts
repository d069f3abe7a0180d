import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  AttributeValue,
  CONTENT_TYPES,
  CatalogClient,
  DEFAULT_CONTENT_TYPE,
  InvalidEventError,
  PutItemInput,
  SEQUENCER_WIDTH,
  TABLE_NAME_VARIABLE,
  catalogPutItem,
  contentTypeOf,
  createHandler,
  handler,
  parseObjectCreated,
  sdkCatalogClient,
} from './object-catalog';

type Event = Record<string, unknown> & { detail: { object: Record<string, unknown>; bucket: Record<string, unknown> } };

/** A sample event from `__fixtures__/object-catalog/`, fresh for each call. */
function sample(name: 'object-created' | 'object-created-special-key' | 'object-deleted'): Event {
  return JSON.parse(readFileSync(join(__dirname, '__fixtures__', 'object-catalog', `${name}.json`), 'utf8')) as Event;
}

function withObject(changes: Record<string, unknown>): Event {
  const event = sample('object-created');
  event.detail.object = { ...event.detail.object, ...changes };
  return event;
}

const TABLE = 'adp-dev-ingestion-image-catalog-catalog';
/** The sequencer of the sample event, as stored: uppercase, left-padded with zeros. */
const SEQUENCER = '00617F08299329D189'.padStart(SEQUENCER_WIDTH, '0');
const NOW = new Date('2024-05-14T09:30:13.250Z');

/**
 * A fake DynamoDB table: keeps items by `object_key` and applies the handler's condition the way
 * DynamoDB evaluates it, rejecting with ConditionalCheckFailedException as the SDK does.
 */
class FakeTable implements CatalogClient {
  readonly items = new Map<string, Record<string, AttributeValue>>();
  readonly requests: PutItemInput[] = [];

  async putItem(input: PutItemInput): Promise<void> {
    this.requests.push(input);
    const key = (input.Item.object_key as { S: string }).S;
    const stored = this.items.get(key);
    const incoming = (input.ExpressionAttributeValues[':sequencer'] as { S: string }).S;
    const storedSequencer = (stored?.sequencer as { S: string } | undefined)?.S;
    if (stored && storedSequencer !== undefined && !(storedSequencer < incoming)) {
      throw Object.assign(new Error('The conditional request failed'), { name: 'ConditionalCheckFailedException' });
    }
    this.items.set(key, { ...input.Item });
  }
}

function run(options: { table?: FakeTable; tableName?: string } = {}) {
  const table = options.table ?? new FakeTable();
  const lines: string[] = [];
  const catalog = createHandler({ client: table, tableName: options.tableName ?? TABLE, now: () => NOW, log: (l) => lines.push(l) });
  return { table, lines, catalog };
}

describe('object catalog handler', () => {
  describe('cataloging', () => {
    it('writes one item per object with the attributes of the catalog', async () => {
      const { table, catalog } = run();
      await expect(catalog(sample('object-created'))).resolves.toEqual({
        status: 'cataloged',
        bucket: 'adp-dev-lake-raw-111111111111',
        key: 'images/2024/05/14/cat.jpg',
      });
      expect(table.requests).toEqual([
        {
          TableName: TABLE,
          Item: {
            object_key: { S: 'images/2024/05/14/cat.jpg' },
            bucket: { S: 'adp-dev-lake-raw-111111111111' },
            size: { N: '48213' },
            etag: { S: 'b1946ac92492d2347c6235b4d2611184' },
            version_id: { S: 'IYV3p45BT0ac8hjHg1houSdS1a.Mro8e' },
            content_type: { S: 'image/jpeg' },
            event_time: { S: '2024-05-14T09:30:12Z' },
            cataloged_at: { S: '2024-05-14T09:30:13.250Z' },
            sequencer: { S: SEQUENCER },
          },
          ConditionExpression: 'attribute_not_exists(#key) OR attribute_not_exists(#sequencer) OR #sequencer < :sequencer',
          ExpressionAttributeNames: { '#key': 'object_key', '#sequencer': 'sequencer' },
          ExpressionAttributeValues: { ':sequencer': { S: SEQUENCER } },
        },
      ]);
    });

    it('stores the key exactly as the EventBridge event carries it, without URL-decoding it', async () => {
      const { table, catalog } = run();
      await catalog(sample('object-created-special-key'));
      const item = table.items.get('images/c++ logo 100%25 (1).PNG');
      expect(item).toMatchObject({ object_key: { S: 'images/c++ logo 100%25 (1).PNG' }, content_type: { S: 'image/png' }, size: { N: '0' } });
    });

    it('leaves version_id out for an object of an unversioned bucket', async () => {
      const { table, catalog } = run();
      await catalog(sample('object-created-special-key'));
      expect(Object.keys(table.requests[0].Item)).not.toContain('version_id');
    });

    it('reads the table name from TABLE_NAME when none is given', async () => {
      const table = new FakeTable();
      const catalog = createHandler({ client: table, log: () => undefined });
      const previous = process.env[TABLE_NAME_VARIABLE];
      process.env[TABLE_NAME_VARIABLE] = 'from-env';
      try {
        await catalog(sample('object-created'));
      } finally {
        if (previous === undefined) delete process.env[TABLE_NAME_VARIABLE];
        else process.env[TABLE_NAME_VARIABLE] = previous;
      }
      expect(table.requests[0].TableName).toBe('from-env');
    });

    it('logs one JSON line per event', async () => {
      const { lines, catalog } = run();
      await catalog(sample('object-created'));
      expect(lines.map((l) => JSON.parse(l))).toEqual([
        {
          message: 'cataloged',
          bucket: 'adp-dev-lake-raw-111111111111',
          key: 'images/2024/05/14/cat.jpg',
          versionId: 'IYV3p45BT0ac8hjHg1houSdS1a.Mro8e',
          sequencer: SEQUENCER,
        },
      ]);
    });
  });

  describe('idempotency and order', () => {
    it('skips a retried event without changing the item', async () => {
      const { table, catalog } = run();
      await catalog(sample('object-created'));
      const first = table.items.get('images/2024/05/14/cat.jpg');
      await expect(catalog(sample('object-created'))).resolves.toMatchObject({ status: 'skipped' });
      expect(table.items.get('images/2024/05/14/cat.jpg')).toEqual(first);
    });

    it('replaces the item with a newer version of the object', async () => {
      const { table, catalog } = run();
      await catalog(sample('object-created'));
      await expect(catalog(withObject({ 'version-id': 'v2', size: 7, sequencer: '00617f08299329d18a' }))).resolves.toMatchObject({ status: 'cataloged' });
      expect(table.items.get('images/2024/05/14/cat.jpg')).toMatchObject({ version_id: { S: 'v2' }, size: { N: '7' } });
    });

    it('keeps the newer version when an older event arrives late, comparing sequencers of different lengths', async () => {
      const { table, catalog } = run();
      // 0x1000000000000000 (17 digits) is later than 0xFFFFFFFFFFFFFFF (15 digits).
      await catalog(withObject({ 'version-id': 'newer', sequencer: '10000000000000000' }));
      await expect(catalog(withObject({ 'version-id': 'older', sequencer: 'fffffffffffffff' }))).resolves.toMatchObject({ status: 'skipped' });
      expect(table.items.get('images/2024/05/14/cat.jpg')).toMatchObject({ version_id: { S: 'newer' } });
    });

    it('logs a skipped event', async () => {
      const { lines, catalog } = run();
      await catalog(sample('object-created'));
      await catalog(sample('object-created'));
      expect(JSON.parse(lines[1])).toMatchObject({ message: 'skipped: the same or a newer event of this key is already cataloged', key: 'images/2024/05/14/cat.jpg' });
    });
  });

  describe('failures (retried, then sent to the dead-letter queue)', () => {
    it('rejects an event of another type, naming the field', async () => {
      const { table, catalog } = run();
      const error = await catalog(sample('object-deleted')).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InvalidEventError);
      expect((error as InvalidEventError).problems).toEqual([
        'detail-type is "Object Deleted", expected "Object Created"',
        'detail.object.size is undefined, expected a byte count',
        'detail.object.etag is undefined, expected the object\'s ETag',
      ]);
      expect((error as Error).message).toMatch(/^not an S3 "Object Created" event from EventBridge \(event 2ee9cc15-d022-99ea-1fb8-1b1bac4850f9\): detail-type is "Object Deleted"/);
      expect(table.requests).toEqual([]);
    });

    it('lists every problem of a malformed event', () => {
      const event = sample('object-created');
      event.source = 'aws.ec2';
      event.time = 'yesterday';
      event.detail.bucket = { name: '' };
      event.detail.object = { key: '', size: -1, etag: 3, 'version-id': '', sequencer: 'xyz' };
      expect(() => parseObjectCreated(event)).toThrow(new InvalidEventError([
        'source is "aws.ec2", expected "aws.s3"',
        'time is "yesterday", expected an ISO 8601 timestamp',
        'detail.bucket.name is "", expected a bucket name',
        'detail.object.key is "", expected an object key',
        'detail.object.size is -1, expected a byte count',
        'detail.object.etag is 3, expected the object\'s ETag',
        'detail.object.version-id is "", expected a version id or no field',
        'detail.object.sequencer is "xyz", expected up to 32 hexadecimal digits',
      ], '17793124-05d4-b198-2fde-7ededc63b103'));
    });

    it('rejects an event without detail, and one that is not an object', () => {
      const event = sample('object-created') as Record<string, unknown>;
      delete event.detail;
      expect(() => parseObjectCreated(event)).toThrow('detail is missing');
      expect(() => parseObjectCreated({ ...sample('object-created'), detail: { bucket: {} } })).toThrow(
        'detail.object is missing; detail.bucket.name is undefined, expected a bucket name',
      );
      expect(() => parseObjectCreated('{}')).toThrow('the event is string, not an object');
      expect(() => parseObjectCreated(null)).toThrow('the event is null, not an object');
    });

    it('rethrows DynamoDB errors other than the failed condition', async () => {
      const failing: CatalogClient = { putItem: () => Promise.reject(Object.assign(new Error('Rate exceeded'), { name: 'ProvisionedThroughputExceededException' })) };
      const catalog = createHandler({ client: failing, tableName: TABLE, log: () => undefined });
      await expect(catalog(sample('object-created'))).rejects.toThrow('Rate exceeded');
    });

    it('fails when TABLE_NAME is not set', async () => {
      const catalog = createHandler({ client: new FakeTable(), log: () => undefined });
      const previous = process.env[TABLE_NAME_VARIABLE];
      delete process.env[TABLE_NAME_VARIABLE];
      try {
        await expect(catalog(sample('object-created'))).rejects.toThrow("TABLE_NAME is not set; the function's environment must name the catalog table");
      } finally {
        if (previous !== undefined) process.env[TABLE_NAME_VARIABLE] = previous;
      }
    });
  });

  describe('parts', () => {
    it('pads sequencers to 32 uppercase digits so they compare in order as strings', () => {
      expect(SEQUENCER_WIDTH).toBe(32);
      expect(parseObjectCreated(withObject({ sequencer: 'abc' })).sequencer).toBe(`${'0'.repeat(29)}ABC`);
      expect(parseObjectCreated(withObject({ sequencer: 'f'.repeat(32) })).sequencer).toBe('F'.repeat(32));
      expect(() => parseObjectCreated(withObject({ sequencer: 'f'.repeat(33) }))).toThrow('expected up to 32 hexadecimal digits');
    });

    it('guesses the content type from the extension, in any case', () => {
      expect(contentTypeOf('images/a.JPEG')).toBe('image/jpeg');
      expect(contentTypeOf('images/scan.tiff')).toBe('image/tiff');
      expect(contentTypeOf('exports/orders.parquet')).toBe('application/vnd.apache.parquet');
      expect(CONTENT_TYPES.png).toBe('image/png');
    });

    it('falls back to application/octet-stream for unknown, missing and dot-file extensions', () => {
      expect(DEFAULT_CONTENT_TYPE).toBe('application/octet-stream');
      expect(contentTypeOf('images/raw.cr2')).toBe(DEFAULT_CONTENT_TYPE);
      expect(contentTypeOf('images/README')).toBe(DEFAULT_CONTENT_TYPE);
      expect(contentTypeOf('images/.jpg')).toBe(DEFAULT_CONTENT_TYPE);
      expect(contentTypeOf('images.d/photo')).toBe(DEFAULT_CONTENT_TYPE);
    });

    it('builds the put request from a parsed object', () => {
      const input = catalogPutItem('t', parseObjectCreated(sample('object-created')), NOW);
      expect(input.TableName).toBe('t');
      expect(input.Item.cataloged_at).toEqual({ S: NOW.toISOString() });
    });
  });

  describe('default client', () => {
    const SDK = '@aws-sdk/client-dynamodb';
    afterEach(() => {
      jest.dontMock(SDK);
      jest.resetModules();
    });

    it('sends a PutItemCommand with the request through the AWS SDK v3 client', async () => {
      const sent: unknown[] = [];
      jest.doMock(SDK, () => ({
        DynamoDBClient: class {
          send(command: unknown) {
            sent.push(command);
            return Promise.resolve({});
          }
        },
        PutItemCommand: class {
          constructor(readonly input: PutItemInput) {}
        },
      }), { virtual: true });
      const input = catalogPutItem(TABLE, parseObjectCreated(sample('object-created')), NOW);
      await sdkCatalogClient().putItem(input);
      expect(sent).toEqual([{ input }]);
    });

    it('says what to do when the AWS SDK cannot be loaded (outside the Lambda runtime)', () => {
      jest.doMock(SDK, () => {
        throw new Error(`Cannot find module '${SDK}'`);
      }, { virtual: true });
      expect(() => sdkCatalogClient()).toThrow(
        'cannot load @aws-sdk/client-dynamodb: the Lambda Node.js runtime provides it; elsewhere, install it or pass a CatalogClient to createHandler',
      );
    });

    it('is created on the first valid event only: the entry point rejects an invalid event before loading the SDK', async () => {
      jest.doMock(SDK, () => {
        throw new Error('the SDK must not be loaded for an invalid event');
      }, { virtual: true });
      await expect(handler(sample('object-deleted'))).rejects.toBeInstanceOf(InvalidEventError);
    });
  });
});
