import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, extname, isAbsolute, join, resolve } from 'node:path';
import { AssetType, TerraformAsset } from 'cdktf';
import { Construct } from 'constructs';
import { buildSync } from 'esbuild';
import { zipSingleFile } from './zip';
import { Validator } from '@data-platform/core';

/** Root of this package: bundles are built relative to it, so their text never holds a machine's paths. */
const PACKAGE_ROOT = resolve(__dirname, '..');

/** The file every bundle is written to; a Lambda handler is `index.<export>`. */
export const LAMBDA_BUNDLE_FILE = 'index.js';

/** How handlers are bundled, and where bundles go by default. */
export const LAMBDA_BUNDLE_DEFAULTS = {
  /** Bundles are written under `packages/ingestion/.work/lambda` (ignored by git and lint). */
  outDir: join(PACKAGE_ROOT, '.work', 'lambda'),
  /** Matches the `nodejs20.x` runtime. */
  target: 'node20',
  /** The AWS SDK v3 ships with the Lambda Node.js runtime; bundling it would only add megabytes. */
  external: ['@aws-sdk/*'],
} as const;

/** Options of {@link bundleHandler} and {@link lambdaAsset}. */
export interface LambdaBundleOptions {
  /**
   * Folder that receives the bundles, one sub-folder per handler and content hash.
   * @default LAMBDA_BUNDLE_DEFAULTS.outDir (packages/ingestion/.work/lambda)
   */
  readonly outDir?: string;
}

/** A bundled handler on disk. */
export interface LambdaBundle {
  /** Folder holding only {@link LAMBDA_BUNDLE_FILE}: `<outDir>/<handler name>/<hash>`. */
  readonly dir: string;
  /** Path of the bundled file. */
  readonly file: string;
  /** SHA-256 (hex) of the bundled code: changes exactly when the code does. */
  readonly hash: string;
  /** The deployment package: a deterministic zip of {@link LambdaBundle.file}, beside it. */
  readonly zip: string;
}

/**
 * Bundles the Lambda handler `entry` (TypeScript or JavaScript) and its imports into one
 * CommonJS file for Node.js 20, with esbuild: not minified, no source map, `@aws-sdk/*` left
 * external (the runtime provides it).
 *
 * The output is deterministic: esbuild runs relative to this package (not the caller's working
 * directory) and writes no source map, so the same code gives the same bytes on every machine.
 * The bundle goes to a folder named after its hash, written atomically, so concurrent syntheses
 * (test workers, parallel stacks) never see a half-written or changed file.
 *
 * @param entry absolute path of the handler's source file
 * @throws PlatformError when `entry` is not an absolute path to a file; esbuild's error when it fails to build
 */
export function bundleHandler(entry: string, options: LambdaBundleOptions = {}): LambdaBundle {
  // One synthesis builds the same handler for every environment: bundle each entry once per
  // process (esbuild's synchronous API starts a process per call). Keyed by the source's mtime
  // too, so a long-lived process (jest --watch) still sees edits.
  const key = `${entry}\0${options.outDir ?? ''}\0${existsSync(entry) ? statSync(entry).mtimeMs : ''}`;
  const cached = bundles.get(key);
  if (cached) return cached;
  const bundle = buildBundle(entry, options);
  bundles.set(key, bundle);
  return bundle;
}

const bundles = new Map<string, LambdaBundle>();

/** File name of the zipped deployment package beside the bundle. */
export const LAMBDA_PACKAGE_FILE = 'package.zip';

function writeAtomically(file: string, content: Uint8Array): void {
  if (existsSync(file)) return;
  mkdirSync(dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  writeFileSync(temporary, content);
  renameSync(temporary, file);
}

function buildBundle(entry: string, options: LambdaBundleOptions): LambdaBundle {
  const v = new Validator(`bundleHandler ${entry}`);
  v.check(isAbsolute(entry), 'entry', `is ${JSON.stringify(entry)}; use an absolute path (e.g. join(__dirname, 'handlers', 'x.ts'))`);
  v.check(!isAbsolute(entry) || (existsSync(entry) && statSync(entry).isFile()), 'entry', `is ${JSON.stringify(entry)}, which is not a file; pass the handler's source file`);
  v.throwIfAny();

  const result = buildSync({
    entryPoints: [entry],
    absWorkingDir: PACKAGE_ROOT,
    outfile: join(PACKAGE_ROOT, LAMBDA_BUNDLE_FILE),
    bundle: true,
    platform: 'node',
    target: LAMBDA_BUNDLE_DEFAULTS.target,
    format: 'cjs',
    minify: false,
    sourcemap: false,
    external: [...LAMBDA_BUNDLE_DEFAULTS.external],
    write: false,
    logLevel: 'silent',
  });
  const code = result.outputFiles[0].contents;
  const hash = createHash('sha256').update(code).digest('hex');
  const dir = join(options.outDir ?? LAMBDA_BUNDLE_DEFAULTS.outDir, basename(entry, extname(entry)), hash);
  const file = join(dir, LAMBDA_BUNDLE_FILE);
  const zip = join(dir, LAMBDA_PACKAGE_FILE);
  // The folder is named after the content: whoever renames last writes the same bytes.
  writeAtomically(file, code);
  writeAtomically(zip, zipSingleFile(LAMBDA_BUNDLE_FILE, code));
  return { dir, file, hash, zip };
}

/**
 * Bundles the handler `entry` ({@link bundleHandler}) and returns it as a zip asset of the stack.
 *
 * Use the asset's `path` as the function's `filename` and its `assetHash` (the bundle's SHA-256)
 * as `source_code_hash`: both change exactly when the bundled code changes, so plans show a code
 * update only then. The handler inside is `index.<export>` (see {@link LAMBDA_BUNDLE_FILE}).
 *
 * @see https://registry.terraform.io/providers/hashicorp/aws/5.100.0/docs/resources/lambda_function#source_code_hash (a change trigger; `code_sha256` holds what AWS computed)
 */
export function lambdaAsset(scope: Construct, id: string, entry: string, options: LambdaBundleOptions = {}): TerraformAsset {
  const bundle = bundleHandler(entry, options);
  return new TerraformAsset(scope, id, { path: bundle.zip, type: AssetType.FILE, assetHash: bundle.hash });
}
