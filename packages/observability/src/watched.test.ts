import { Token } from 'cdktf';
import { PlatformError, Validator } from '@data-platform/core';
import { WATCHED_KEY_PATTERN, WATCHED_KINDS, WATCH_NOTHING, WatchedResources, checkWatched } from './watched';

/** The problems checkWatched records for `watched`, one line each. */
function problems(watched: Partial<WatchedResources>): string[] {
  const v = new Validator('test');
  checkWatched(v, { ...WATCH_NOTHING, ...watched } as WatchedResources);
  try {
    v.throwIfAny();
  } catch (e) {
    if (e instanceof PlatformError) return e.problems.map((p) => `${p.path} ${p.message}`);
    throw e;
  }
  return [];
}

describe('checkWatched', () => {
  it('lists every kind of WatchedResources once', () => {
    expect([...WATCHED_KINDS].sort()).toEqual(Object.keys(WATCH_NOTHING).sort());
  });

  it('accepts plain and token names with plain keys', () => {
    expect(problems({
      kinesisStreams: [{ key: 'orders', name: Token.asString({ Ref: 'x' }) }],
      replicationTasks: [{ key: 'sales-db', taskArn: 'arn:aws:dms:eu-west-1:1:task:ABC', instanceId: 'i' }],
      endpoints: [{ key: 'churn', name: 'churn', variant: 'AllTraffic' }],
    })).toEqual([]);
  });

  it('accepts keys of lowercase letters, digits and inner dashes only', () => {
    expect(WATCHED_KEY_PATTERN.test('orders-2')).toBe(true);
    expect(WATCHED_KEY_PATTERN.test('Orders')).toBe(false);
    expect(WATCHED_KEY_PATTERN.test('orders_2')).toBe(false);
    expect(WATCHED_KEY_PATTERN.test('-orders')).toBe(false);
  });

  it('rejects a key that is a token, empty or not lowercase-with-dashes', () => {
    expect(problems({
      functions: [
        { key: Token.asString({ Ref: 'x' }), name: 'f' },
        { key: '', name: 'g' },
        { key: 'Orders_Clean', name: 'h' },
      ],
    })).toEqual([
      'watched.functions[0].key is a token; use a stable plain name of lowercase letters, digits and dashes, such as the dataset\'s config key "orders"',
      'watched.functions[1].key is ""; use a stable plain name of lowercase letters, digits and dashes, such as the dataset\'s config key "orders"',
      'watched.functions[2].key is "Orders_Clean"; use a stable plain name of lowercase letters, digits and dashes, such as the dataset\'s config key "orders"',
    ]);
  });

  it('rejects a key repeated within its kind but not across kinds', () => {
    expect(problems({
      kinesisStreams: [{ key: 'orders', name: 'a' }, { key: 'orders', name: 'b' }],
      deliveryStreams: [{ key: 'orders', name: 'c', parquet: false }],
    })).toEqual(['watched.kinesisStreams[1].key is "orders", already used by another of kinesisStreams; use a key unique within its kind']);
  });

  it('rejects empty names of every field that names a resource', () => {
    expect(problems({
      queues: [{ key: 'q', name: ' ', deadLetter: true }],
      replicationTasks: [{ key: 'db', taskArn: '', instanceId: '' }],
      endpoints: [{ key: 'e', name: 'e', variant: '' }],
    })).toEqual([
      'watched.queues[0].name is " "; use the resource\'s name (a reference to it is fine)',
      'watched.replicationTasks[0].taskArn is ""; use the resource\'s taskArn (a reference to it is fine)',
      'watched.replicationTasks[0].instanceId is ""; use the resource\'s instanceId (a reference to it is fine)',
      'watched.endpoints[0].variant is ""; use the resource\'s variant (a reference to it is fine)',
    ]);
  });

  it('rejects a missing list', () => {
    expect(problems({ glueJobs: undefined })).toEqual(['watched.glueJobs is missing; use a list (empty to watch none)']);
  });
});
