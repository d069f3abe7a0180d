import { createHash } from 'node:crypto';

/**
 * Service limits on physical names that the platform creates.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html
 */
export const NAME_LIMITS = {
  s3Bucket: 63,
  iamRole: 64,
  iamPolicy: 128,
  kmsAlias: 250,
  glueDatabase: 255,
  sqsQueue: 80,
  lambdaFunction: 64,
  kinesisStream: 128,
  firehoseStream: 64,
  dmsIdentifier: 255,
  appflowFlow: 256,
  ecsCluster: 255,
  schedule: 64,
  dynamodbTable: 255,
  securityGroup: 255,
  logGroup: 512,
  default: 64,
} as const;

/** Length of the stable hash that replaces the cut part of a name over its limit. */
export const NAME_HASH_LENGTH = 8;

/** Parts of a physical name, most general first. */
export interface NameParts {
  readonly project: string;
  readonly env: string;
  readonly layer: string;
  readonly name: string;
}

export interface NameOptions {
  /** Longest name the service accepts. @default NAME_LIMITS.default (64) */
  readonly maxLength?: number;
  /** Appended after the name and never cut (bucket names carry the account id here). */
  readonly suffix?: string;
  /** Separator between parts; Glue and Athena names use "_". @default "-" */
  readonly separator?: '-' | '_';
}

/**
 * The one function that names AWS resources: `<project>-<env>-<layer>-<name>[-<suffix>]`, lowercase.
 *
 * Over `maxLength`, the end of the name is cut and replaced by a stable hash of the full name, so
 * names stay unique and stay the same from run to run. Changing this function's output for an
 * existing input renames (replaces) resources: that is a migration, not a refactor.
 */
export function physicalName(parts: NameParts, options: NameOptions = {}): string {
  const sep = options.separator ?? '-';
  const maxLength = options.maxLength ?? NAME_LIMITS.default;
  const clean = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, sep).replace(new RegExp(`^\\${sep}+|\\${sep}+$`, 'g'), '');
  const base = [parts.project, parts.env, parts.layer, parts.name].map(clean).filter(Boolean).join(sep);
  const suffix = options.suffix ? `${sep}${clean(options.suffix)}` : '';
  const full = `${base}${suffix}`;
  if (full.length <= maxLength) return full;
  const hash = createHash('sha256').update(full).digest('hex').slice(0, NAME_HASH_LENGTH);
  const keep = maxLength - suffix.length - hash.length - 1;
  if (keep < 1) {
    throw new Error(`physicalName: suffix "${options.suffix}" leaves no room in ${maxLength} characters`);
  }
  return `${base.slice(0, keep).replace(new RegExp(`\\${sep}+$`), '')}${sep}${hash}${suffix}`;
}
