import { Construct } from 'constructs';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { INGESTION_LOG_RETENTION_DAYS } from '@data-platform/core';
import { DataLake } from '@data-platform/lake';

export interface EncryptedLogGroupProps {
  /** Log group name, e.g. `/aws/lambda/<function>`. */
  readonly name: string;
  readonly lake: DataLake;
  /** @default INGESTION_LOG_RETENTION_DAYS (30) */
  readonly retentionDays?: number;
}

/** A CloudWatch log group encrypted with the lake key, with a retention (never kept forever). */
export class EncryptedLogGroup extends Construct {
  readonly logGroup: CloudwatchLogGroup;
  readonly name: string;
  readonly arn: string;

  constructor(scope: Construct, id: string, props: EncryptedLogGroupProps) {
    super(scope, id);
    this.logGroup = new CloudwatchLogGroup(this, 'log-group', {
      name: props.name,
      retentionInDays: props.retentionDays ?? INGESTION_LOG_RETENTION_DAYS,
      kmsKeyId: props.lake.key.arn,
    });
    this.name = this.logGroup.name;
    this.arn = this.logGroup.arn;
  }
}
