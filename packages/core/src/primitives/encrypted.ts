import { Construct } from 'constructs';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { SqsQueue } from '@cdktf/provider-aws/lib/sqs-queue';
import { Layer } from '../config/schema';
import { NAME_LIMITS } from '../naming';
import { PlatformStack } from '../platform-stack';

/** A KMS key by ARN: the lake key, passed by layers that cannot import the lake's types. */
export interface KeyRef {
  readonly arn: string;
}

/** Days the platform keeps CloudWatch logs unless told otherwise. */
export const LOG_RETENTION_DAYS = 30;
/** How long messages wait in a platform queue (the SQS maximum, 14 days). */
export const QUEUE_RETENTION_SECONDS = 14 * 24 * 3600;

export interface EncryptedLogGroupProps {
  /** Log group name, e.g. `/aws/lambda/<function>`. */
  readonly name: string;
  readonly key: KeyRef;
  /** @default LOG_RETENTION_DAYS (30) */
  readonly retentionDays?: number;
}

/** A CloudWatch log group encrypted with `key`, with a retention (never kept forever). */
export class EncryptedLogGroup extends Construct {
  readonly logGroup: CloudwatchLogGroup;
  readonly name: string;
  readonly arn: string;

  constructor(scope: Construct, id: string, props: EncryptedLogGroupProps) {
    super(scope, id);
    this.logGroup = new CloudwatchLogGroup(this, 'log-group', {
      name: props.name,
      retentionInDays: props.retentionDays ?? LOG_RETENTION_DAYS,
      kmsKeyId: props.key.arn,
    });
    this.name = this.logGroup.name;
    this.arn = this.logGroup.arn;
  }
}

export interface EncryptedQueueProps {
  readonly layer: Layer;
  readonly key: KeyRef;
  /** Name part after `<project>-<env>-<layer>-`, e.g. `orders-crawler-events`. */
  readonly name: string;
  /** @default QUEUE_RETENTION_SECONDS (14 days) */
  readonly retentionSeconds?: number;
  /**
   * Terraform address of the queue, `aws_sqs_queue.<address>`, pinned before anything refers to
   * it (e.g. `lake_raw_partners_events_queue`), so moving the construct does not replace the queue.
   * @default derived from the construct path
   */
  readonly address?: string;
}

/** An SQS queue encrypted with `key` (dead-letter queues, crawler event queues). */
export class EncryptedQueue extends Construct {
  readonly queue: SqsQueue;
  readonly arn: string;
  readonly url: string;
  /** Physical name of the queue. */
  readonly name: string;

  constructor(scope: Construct, id: string, props: EncryptedQueueProps) {
    super(scope, id);
    const stack = PlatformStack.of(this);
    this.queue = new SqsQueue(this, 'queue', {
      name: stack.resourceName(props.layer, props.name, { maxLength: NAME_LIMITS.sqsQueue }),
      kmsMasterKeyId: props.key.arn,
      kmsDataKeyReusePeriodSeconds: 300,
      messageRetentionSeconds: props.retentionSeconds ?? QUEUE_RETENTION_SECONDS,
    });
    // Before reading any attribute: a reference names the address it was read with.
    if (props.address !== undefined) this.queue.overrideLogicalId(props.address);
    this.arn = this.queue.arn;
    this.url = this.queue.url;
    this.name = this.queue.name;
  }
}
