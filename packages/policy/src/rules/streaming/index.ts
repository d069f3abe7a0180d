import { Rule } from '../../rule';
import { firehoseDestinationKms } from './firehose-destination-kms';
import { firehoseSse } from './firehose-sse';
import { kinesisStreamKms } from './kinesis-stream-kms';

/** Streaming ingestion rules: Kinesis data streams and Firehose. */
export const STREAMING_RULES: readonly Rule[] = [kinesisStreamKms, firehoseSse, firehoseDestinationKms];
