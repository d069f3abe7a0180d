import { Rule } from '../rule';
import { ATHENA_RULES } from './athena';
import { DMS_RULES } from './dms';
import { GLUE_RULES } from './glue';
import { IAM_RULES } from './iam';
import { KMS_RULES } from './kms';
import { LAKEFORMATION_RULES } from './lakeformation';
import { LAMBDA_RULES } from './lambda';
import { PROTECTION_RULES } from './protection';
import { QUICKSIGHT_RULES } from './quicksight';
import { S3_RULES } from './s3';
import { SAGEMAKER_RULES } from './sagemaker';
import { STORAGE_RULES } from './storage';
import { STREAMING_RULES } from './streaming';

/** Every rule of the pack, in report order (data first, then identity, then services). */
export const ALL_RULES: readonly Rule[] = [
  ...PROTECTION_RULES,
  ...S3_RULES,
  ...KMS_RULES,
  ...IAM_RULES,
  ...STREAMING_RULES,
  ...GLUE_RULES,
  ...ATHENA_RULES,
  ...DMS_RULES,
  ...LAMBDA_RULES,
  ...STORAGE_RULES,
  ...SAGEMAKER_RULES,
  ...LAKEFORMATION_RULES,
  ...QUICKSIGHT_RULES,
];
