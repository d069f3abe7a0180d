import { Token } from 'cdktf';
import { Validator, describeValue } from '@data-platform/core';

/**
 * What the observability layer watches, as plain typed props: the app maps the other layers'
 * constructs onto these, so adding a pipeline to the environment file adds its alarms and
 * dashboard widgets without touching this package.
 *
 * Every item carries a `key`: a stable plain name (the dataset's or job's config key, such as
 * `orders`) that names its alarms and their Terraform addresses. The other fields are what
 * CloudWatch needs (metric dimensions) and may be Terraform tokens (references to the watched
 * resources).
 */

/** Pattern of a watched item's `key`: lowercase letters, digits and inner dashes. */
export const WATCHED_KEY_PATTERN = /^[a-z0-9]+(-[a-z0-9]+)*$/;

/** What every watched item has. */
export interface WatchedItem {
  /**
   * Stable plain name of the item (the config key of its dataset, database or job, e.g. `orders`),
   * unique within its kind: names its alarms `<project>-<env>-observability-<key>-<metric>` and their
   * Terraform addresses. Lowercase letters, digits and inner dashes; never a token.
   */
  readonly key: string;
}

/** A Kinesis data stream. */
export interface WatchedStream extends WatchedItem {
  /** The stream's name (the `StreamName` dimension). */
  readonly name: string;
}

/** A Firehose delivery stream writing to S3. */
export interface WatchedDeliveryStream extends WatchedItem {
  /** The delivery stream's name (the `DeliveryStreamName` dimension). */
  readonly name: string;
  /** Whether it converts records to Parquet: then failed conversions raise an alarm too. */
  readonly parquet: boolean;
}

/** A Lambda function. */
export interface WatchedFunction extends WatchedItem {
  /** The function's name (the `FunctionName` dimension). */
  readonly name: string;
}

/** An SQS queue. */
export interface WatchedQueue extends WatchedItem {
  /** The queue's name (the `QueueName` dimension). */
  readonly name: string;
  /** Whether it is a dead-letter queue: a message in it is a failure, and raises an alarm. */
  readonly deadLetter: boolean;
}

/**
 * A DMS replication task.
 *
 * DMS publishes task metrics with two dimensions: `ReplicationInstanceIdentifier` (the instance's
 * identifier, as named at creation) and `ReplicationTaskIdentifier`, which is the task's resource id,
 * the last part of its ARN, not the identifier it was named with. So the task comes in as its ARN.
 * @see https://docs.aws.amazon.com/dms/latest/userguide/CHAP_Monitoring.html
 */
export interface WatchedReplicationTask extends WatchedItem {
  /** ARN of the task (`arn:<partition>:dms:<region>:<account>:task:<resource id>`). */
  readonly taskArn: string;
  /** Identifier of the replication instance the task runs on. */
  readonly instanceId: string;
}

/** A Glue job (its job metrics on: `--enable-metrics`). */
export interface WatchedGlueJob extends WatchedItem {
  /** The job's name (the `JobName` dimension). */
  readonly name: string;
}

/** An Athena workgroup (publishing CloudWatch metrics). */
export interface WatchedWorkgroup extends WatchedItem {
  /** The workgroup's name (the `WorkGroup` dimension). */
  readonly name: string;
  /** The workgroup's per-query scan cutoff in bytes, shown on the dashboard; unset: not shown. */
  readonly bytesScannedCutoff?: number;
}

/** A SageMaker real-time endpoint. */
export interface WatchedEndpoint extends WatchedItem {
  /** The endpoint's name (the `EndpointName` dimension). */
  readonly name: string;
  /** The production variant to watch (the `VariantName` dimension), e.g. `AllTraffic`. */
  readonly variant: string;
}

/** Everything the observability layer watches, by kind; an empty list watches none of a kind. */
export interface WatchedResources {
  /** Kinesis data streams: consumer lag and write throttling. */
  readonly kinesisStreams: readonly WatchedStream[];
  /** Firehose delivery streams: delivery freshness and (Parquet) failed conversions. */
  readonly deliveryStreams: readonly WatchedDeliveryStream[];
  /** Lambda functions: errors and throttles. */
  readonly functions: readonly WatchedFunction[];
  /** SQS queues: the depth of dead-letter queues. */
  readonly queues: readonly WatchedQueue[];
  /** DMS replication tasks: CDC source latency. */
  readonly replicationTasks: readonly WatchedReplicationTask[];
  /** Glue jobs: shown on the dashboard (their failures are alerted by event rules). */
  readonly glueJobs: readonly WatchedGlueJob[];
  /** Athena workgroups: bytes scanned per hour. */
  readonly athenaWorkgroups: readonly WatchedWorkgroup[];
  /** SageMaker endpoints: 5XX errors and p99 model latency. */
  readonly endpoints: readonly WatchedEndpoint[];
}

/** A kind of watched resource: a field of {@link WatchedResources}. */
export type WatchedKind = keyof WatchedResources;

/** The kinds of watched resources, in the order they are alarmed and shown. */
export const WATCHED_KINDS: readonly WatchedKind[] = [
  'kinesisStreams',
  'deliveryStreams',
  'functions',
  'queues',
  'replicationTasks',
  'glueJobs',
  'athenaWorkgroups',
  'endpoints',
];

/** Fields of each kind that name an AWS resource and must not be empty (they may be tokens). */
const NAME_FIELDS: { readonly [K in WatchedKind]: readonly string[] } = {
  kinesisStreams: ['name'],
  deliveryStreams: ['name'],
  functions: ['name'],
  queues: ['name'],
  replicationTasks: ['taskArn', 'instanceId'],
  glueJobs: ['name'],
  athenaWorkgroups: ['name'],
  endpoints: ['name', 'variant'],
};

/**
 * Records problems with `watched` on `v`, each under `<path>.<kind>[<i>].<field>`: a missing list,
 * a key that is empty, a token, not lowercase-with-dashes or repeated within its kind, and an empty
 * name. Names that are tokens are not checked further.
 */
export function checkWatched(v: Validator, watched: WatchedResources, path = 'watched'): void {
  for (const kind of WATCHED_KINDS) {
    const items = watched[kind] as unknown as readonly (WatchedItem & Record<string, unknown>)[] | undefined;
    if (!Array.isArray(items)) {
      v.add(`${path}.${kind}`, `is ${describeValue(items)}; use a list (empty to watch none)`);
      continue;
    }
    const seen = new Set<string>();
    items.forEach((item, i) => {
      const at = `${path}.${kind}[${i}]`;
      const key = item.key;
      if (typeof key !== 'string' || Token.isUnresolved(key) || !WATCHED_KEY_PATTERN.test(key)) {
        v.add(`${at}.key`, `is ${Token.isUnresolved(key) ? 'a token' : describeValue(key)}; use a stable plain name of lowercase letters, digits and dashes, such as the dataset's config key "orders"`);
      } else if (seen.has(key)) {
        v.add(`${at}.key`, `is ${describeValue(key)}, already used by another of ${kind}; use a key unique within its kind`);
      } else {
        seen.add(key);
      }
      for (const field of NAME_FIELDS[kind]) {
        const value = item[field];
        if (typeof value === 'string' && Token.isUnresolved(value)) continue;
        v.check(typeof value === 'string' && value.trim().length > 0, `${at}.${field}`, `is ${describeValue(value)}; use the resource's ${field} (a reference to it is fine)`);
      }
    });
  }
}

/** A {@link WatchedResources} that watches nothing, to spread overrides onto. */
export const WATCH_NOTHING: WatchedResources = {
  kinesisStreams: [],
  deliveryStreams: [],
  functions: [],
  queues: [],
  replicationTasks: [],
  glueJobs: [],
  athenaWorkgroups: [],
  endpoints: [],
};
