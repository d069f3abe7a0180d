import { Construct } from 'constructs';
import { GlueSecurityConfiguration } from '@cdktf/provider-aws/lib/glue-security-configuration';
import { EncryptedLogGroup, PlatformStack } from '@data-platform/core';
import { DataLake } from '@data-platform/lake';

export interface ProcessingSecurityProps {
  readonly lake: DataLake;
}

/**
 * The Glue security configuration every job, crawler and session of the layer uses: data Glue
 * writes to S3 (SSE-KMS), its CloudWatch logs (SSE-KMS) and job bookmarks (CSE-KMS) are all
 * encrypted with the lake key.
 *
 * @see https://docs.aws.amazon.com/glue/latest/dg/encryption-security-configuration.html
 */
export class ProcessingSecurity extends Construct {
  readonly configuration: GlueSecurityConfiguration;
  /** Name to set as `security_configuration` on jobs and crawlers. */
  readonly name: string;
  /**
   * `/aws-glue/jobs/logs-v2-<configuration>`, where every job's continuous logs go: created here,
   * encrypted and with a retention, so Glue does not create it without either.
   */
  readonly continuousLogs: EncryptedLogGroup;

  constructor(scope: Construct, id: string, props: ProcessingSecurityProps) {
    super(scope, id);
    const stack = PlatformStack.of(this);
    const key = props.lake.key.arn;
    this.configuration = new GlueSecurityConfiguration(this, 'configuration', {
      name: stack.resourceName('processing', 'security'),
      encryptionConfiguration: {
        s3Encryption: { s3EncryptionMode: 'SSE-KMS', kmsKeyArn: key },
        cloudwatchEncryption: { cloudwatchEncryptionMode: 'SSE-KMS', kmsKeyArn: key },
        jobBookmarksEncryption: { jobBookmarksEncryptionMode: 'CSE-KMS', kmsKeyArn: key },
      },
    });
    this.name = this.configuration.name;
    const configurationName = stack.resourceName('processing', 'security');
    this.continuousLogs = new EncryptedLogGroup(this, 'continuous-logs', { name: `/aws-glue/jobs/logs-v2-${configurationName}`, key: props.lake.key });
  }
}
