import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { AssetType, TerraformStack } from 'cdktf';
import { PlatformError, testApp } from '@data-platform/core';
import { CatalogClient, PutItemInput } from './handlers/object-catalog';
import { LAMBDA_BUNDLE_DEFAULTS, LAMBDA_BUNDLE_FILE, bundleHandler, lambdaAsset } from './lambda-bundle';

const CATALOG_HANDLER = join(__dirname, 'handlers', 'object-catalog.ts');
const SAMPLE_EVENT = join(__dirname, 'handlers', '__fixtures__', 'object-catalog', 'object-created.json');

/** The exports of the bundled catalog handler that the test uses. */
interface BundledCatalog {
  createHandler(options: { client: CatalogClient; tableName: string; log: (line: string) => void }): (event: unknown) => Promise<{ status: string }>;
  handler: unknown;
}

let work: string;
beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), 'lambda-bundle-'));
});
afterEach(() => rmSync(work, { recursive: true, force: true }));

function handlerFile(source: string, name = 'handler.ts'): string {
  const file = join(work, 'src', name);
  writeFileSync(file, source);
  return file;
}

describe('bundleHandler', () => {
  beforeEach(() => {
    mkdirSync(join(work, 'src'));
  });

  it('bundles for Node.js 20 as CommonJS, into packages/ingestion/.work/lambda by default, leaving the AWS SDK out', () => {
    expect(LAMBDA_BUNDLE_DEFAULTS).toEqual({
      outDir: resolve(__dirname, '..', '.work', 'lambda'),
      target: 'node20',
      external: ['@aws-sdk/*'],
    });
    expect(LAMBDA_BUNDLE_FILE).toBe('index.js');
    const bundle = bundleHandler(CATALOG_HANDLER);
    expect(bundle.dir).toBe(join(LAMBDA_BUNDLE_DEFAULTS.outDir, 'object-catalog', bundle.hash));
    expect(bundle.file).toBe(join(bundle.dir, 'index.js'));
    const code = readFileSync(bundle.file, 'utf8');
    expect(code.startsWith('"use strict";')).toBe(true);
    expect(code).toContain('module.exports = __toCommonJS(object_catalog_exports);');
    expect(code).toContain('require("@aws-sdk/client-dynamodb")');
    expect(code).not.toContain('sourceMappingURL');
  });

  it('gives the same folder and hash for the same code, whatever the working directory', () => {
    const first = bundleHandler(CATALOG_HANDLER, { outDir: work });
    const cwd = process.cwd();
    process.chdir(tmpdir());
    let second;
    try {
      second = bundleHandler(CATALOG_HANDLER, { outDir: work });
    } finally {
      process.chdir(cwd);
    }
    expect(second).toEqual(first);
    expect(first.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(readdirSync(first.dir)).toEqual(['index.js', 'package.zip']);
  });

  it('changes the hash and the folder exactly when the code changes', () => {
    const entry = handlerFile('export const handler = async () => 1;\n');
    const one = bundleHandler(entry, { outDir: work });
    expect(bundleHandler(entry, { outDir: work }).hash).toBe(one.hash);
    // A comment is not code: esbuild drops it, so the bundle (and its hash) stays the same.
    writeFileSync(entry, '// a comment\nexport const handler = async () => 1;\n');
    expect(bundleHandler(entry, { outDir: work }).hash).toBe(one.hash);
    writeFileSync(entry, 'export const handler = async () => 2;\n');
    const two = bundleHandler(entry, { outDir: work });
    expect(two.hash).not.toBe(one.hash);
    expect(two.dir).not.toBe(one.dir);
    expect(readdirSync(join(work, 'handler')).sort()).toEqual([one.hash, two.hash].sort());
  });

  it('bundles the local modules a handler imports', () => {
    writeFileSync(join(work, 'src', 'answer.ts'), 'export const answer = 42;\n');
    const entry = handlerFile("import { answer } from './answer';\nexport const handler = async () => answer;\n");
    const code = readFileSync(bundleHandler(entry, { outDir: work }).file, 'utf8');
    expect(code).toContain('var answer = 42;');
    expect(code).not.toContain('require("./answer")');
  });

  it('produces a bundle that runs: the catalog handler writes an item through an injected client', async () => {
    const bundle = bundleHandler(CATALOG_HANDLER, { outDir: work });
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loads the bundle as Lambda does
    const bundled = require(bundle.file) as BundledCatalog;
    expect(typeof bundled.handler).toBe('function');
    const requests: PutItemInput[] = [];
    const catalog = bundled.createHandler({ client: { putItem: async (input) => void requests.push(input) }, tableName: 'catalog', log: () => undefined });
    await expect(catalog(JSON.parse(readFileSync(SAMPLE_EVENT, 'utf8')))).resolves.toMatchObject({ status: 'cataloged' });
    expect(requests.map((r) => [r.TableName, r.Item.object_key])).toEqual([['catalog', { S: 'images/2024/05/14/cat.jpg' }]]);
  });

  it('rejects a relative or missing entry', () => {
    expect(() => bundleHandler('handlers/object-catalog.ts')).toThrow(
      new PlatformError('bundleHandler handlers/object-catalog.ts', [
        { path: 'entry', message: `is "handlers/object-catalog.ts"; use an absolute path (e.g. join(__dirname, 'handlers', 'x.ts'))` },
      ]),
    );
    const missing = join(work, 'missing.ts');
    expect(() => bundleHandler(missing)).toThrow(`entry is ${JSON.stringify(missing)}, which is not a file; pass the handler's source file`);
  });

  it('reports esbuild errors with the file and line', () => {
    const entry = handlerFile('export const handler = async ( => 1;\n', 'broken.ts');
    expect(() => bundleHandler(entry, { outDir: work })).toThrow(/Build failed with 1 error:\n.*broken\.ts:1:\d+: ERROR/);
  });
});

describe('lambdaAsset', () => {
  it('returns a zip asset of the bundle whose hash is the bundle hash', () => {
    const stack = new TerraformStack(testApp(), 'dev-ingestion');
    const asset = lambdaAsset(stack, 'code', CATALOG_HANDLER, { outDir: work });
    const bundle = bundleHandler(CATALOG_HANDLER, { outDir: work });
    expect(asset.type).toBe(AssetType.FILE);
    expect(asset.assetHash).toBe(bundle.hash);
    expect(asset.path).toBe(`assets/code/${bundle.hash}/package.zip`);
    expect(asset.fileName).toBe('package.zip');
  });
});
