import { Rule } from '../../rule';
import { dynamodbKms } from './dynamodb-kms';
import { dynamodbPitr } from './dynamodb-pitr';
import { logGroupKms } from './log-group-kms';
import { logGroupRetention } from './log-group-retention';
import { snsKmsEncryption } from './sns-kms-encryption';
import { sqsKmsEncryption } from './sqs-kms-encryption';

/** DynamoDB, SQS, SNS and CloudWatch Logs rules. */
export const STORAGE_RULES: readonly Rule[] = [dynamodbPitr, dynamodbKms, sqsKmsEncryption, snsKmsEncryption, logGroupRetention, logGroupKms];
