import { Construct } from 'constructs';
import { SqsQueue } from '@cdktf/provider-aws/lib/sqs-queue';
import { NAME_LIMITS, PlatformStack } from '@data-platform/core';
import { DataLake } from '@data-platform/lake';

/** How long failed events wait in a dead-letter queue (the SQS maximum, 14 days). */
export const DLQ_RETENTION_SECONDS = 14 * 24 * 3600;

export interface DeadLetterQueueProps {
  readonly lake: DataLake;
  /** Name part after `<project>-<env>-ingestion-`, e.g. `image-catalog-dlq`. */
  readonly name: string;
}

/** An SQS dead-letter queue encrypted with the lake key, keeping messages 14 days. */
export class DeadLetterQueue extends Construct {
  readonly queue: SqsQueue;
  readonly arn: string;
  readonly url: string;

  constructor(scope: Construct, id: string, props: DeadLetterQueueProps) {
    super(scope, id);
    const stack = PlatformStack.of(this);
    this.queue = new SqsQueue(this, 'queue', {
      name: stack.resourceName('ingestion', props.name, { maxLength: NAME_LIMITS.sqsQueue }),
      kmsMasterKeyId: props.lake.key.arn,
      kmsDataKeyReusePeriodSeconds: 300,
      messageRetentionSeconds: DLQ_RETENTION_SECONDS,
    });
    this.arn = this.queue.arn;
    this.url = this.queue.url;
  }
}
