import { Rule } from '../rule';
import { S3_RULES } from './s3';

/** Every rule of the pack, in report order. */
export const ALL_RULES: readonly Rule[] = [...S3_RULES];
