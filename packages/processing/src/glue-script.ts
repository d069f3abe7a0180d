import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Construct } from 'constructs';
import { AssetType, TerraformAsset } from 'cdktf';
import { S3Object } from '@cdktf/provider-aws/lib/s3-object';
import { PlatformError } from '@data-platform/core';
import { DataLake } from '@data-platform/lake';

/** Folder of the PySpark scripts jobs name in the environment file. */
export const SCRIPTS_DIR = join(__dirname, '..', 'scripts');
/** Key prefix of scripts in the artifacts bucket: `scripts/<hash>/<file>`. */
export const SCRIPTS_PREFIX = 'scripts/';

export interface GlueScriptProps {
  readonly lake: DataLake;
  /** File name in {@link SCRIPTS_DIR}, e.g. `orders_clean.py`. */
  readonly file: string;
  /** Folder to read it from. @default SCRIPTS_DIR */
  readonly dir?: string;
}

/**
 * A job script uploaded to the lake's artifacts bucket as a cdktf asset, under a key that
 * carries the content hash (`scripts/<sha256-12>/<file>`): a changed script gets a new key, so
 * the job's `script_location` changes and the job is redeployed; an unchanged one plans nothing.
 */
export class GlueScript extends Construct {
  readonly object: S3Object;
  /** `s3://<artifacts bucket>/scripts/<hash>/<file>`, for `command.script_location`. */
  readonly location: string;
  /** The key prefix of this script in the artifacts bucket (for read grants). */
  readonly keyPrefix: string;
  /** First 12 hex characters of the script's SHA-256. */
  readonly hash: string;

  constructor(scope: Construct, id: string, props: GlueScriptProps) {
    super(scope, id);
    const path = join(props.dir ?? SCRIPTS_DIR, props.file);
    if (!existsSync(path)) {
      throw new PlatformError(`GlueScript ${this.node.path}`, [
        { path: 'file', message: `is "${props.file}", which is not in ${props.dir ?? 'packages/processing/scripts'}; add the script there or fix the name` },
      ]);
    }
    this.hash = createHash('sha256').update(readFileSync(path)).digest('hex').slice(0, 12);
    const asset = new TerraformAsset(this, 'asset', { path, type: AssetType.FILE });
    this.keyPrefix = `${SCRIPTS_PREFIX}${this.hash}/`;
    const key = `${this.keyPrefix}${props.file}`;
    this.object = new S3Object(this, 'object', {
      bucket: props.lake.artifacts.name,
      key,
      source: asset.path,
      // The bucket encrypts with the lake key (its ETag is not an MD5): track content by hash.
      sourceHash: this.hash,
      contentType: 'text/x-python',
    });
    this.location = `s3://${props.lake.artifacts.name}/${key}`;
  }
}
