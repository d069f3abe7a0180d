import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { TerraformOutput } from 'cdktf';
import { PlatformError, synthesize, synthesizedResource, thrownBy } from '@data-platform/core';
import { stackWithLake } from '@data-platform/lake';
import { PolicyPack } from '@data-platform/policy';
import { GlueScript, SCRIPTS_DIR, SCRIPTS_PREFIX } from './glue-script';
import { devEnvironment } from './test-support';

const environment = devEnvironment();
const sha12 = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 12);

/** A folder holding `files` (name -> content), removed after the test. */
let dirs: string[] = [];
function folderWith(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'glue-script-'));
  dirs.push(dir);
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  return dir;
}
afterEach(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  dirs = [];
});

/** The lake and a script of `dir` in one stack `dev`, with the script's location as an output. */
function build(file: string, dir?: string, aspects = [] as PolicyPack[]) {
  const { stack, lake } = stackWithLake(environment, { aspects });
  const script = new GlueScript(stack, 'script', { lake, file, dir });
  new TerraformOutput(stack, 'location', { value: script.location });
  const { tf } = synthesize(stack);
  return { stack, lake, script, tf, object: synthesizedResource(tf, 'aws_s3_object', script.object.friendlyUniqueId), location: (tf.output as Record<string, { value: string }>).location.value };
}

const SCRIPT = 'import sys\nprint(sys.argv)\n';

describe('GlueScript', () => {
  test('reads scripts from packages/processing/scripts and keys them under scripts/', () => {
    expect(resolve(SCRIPTS_DIR)).toBe(resolve(__dirname, '..', 'scripts'));
    expect(SCRIPTS_PREFIX).toBe('scripts/');
  });

  test('uploads the script to the artifacts bucket under a key carrying its content hash', () => {
    const { script, object, location } = build('job.py', folderWith({ 'job.py': SCRIPT }));
    const hash = sha12(SCRIPT);
    expect(script.hash).toBe(hash);
    expect(script.keyPrefix).toBe(`scripts/${hash}/`);
    expect(object).toMatchObject({
      bucket: '${aws_s3_bucket.lake_artifacts_bucket.bucket}',
      key: `scripts/${hash}/job.py`,
      // The artifacts bucket encrypts with the lake key, so the ETag is no MD5: changes are tracked by the hash.
      source_hash: hash,
      content_type: 'text/x-python',
    });
    expect(String(object.source)).toMatch(/job\.py$/);
    expect(location).toBe(`s3://\${aws_s3_bucket.lake_artifacts_bucket.bucket}/scripts/${hash}/job.py`);
  });

  test('a changed script gets a new key and location; an unchanged one keeps them', () => {
    const first = build('job.py', folderWith({ 'job.py': SCRIPT }));
    const same = build('job.py', folderWith({ 'job.py': SCRIPT }));
    const changed = build('job.py', folderWith({ 'job.py': `${SCRIPT}print("changed")\n` }));
    expect(same.object.key).toBe(first.object.key);
    expect(same.location).toBe(first.location);
    expect(changed.object.key).not.toBe(first.object.key);
    expect(changed.location).not.toBe(first.location);
    expect(changed.object.key).toBe(`scripts/${sha12(`${SCRIPT}print("changed")\n`)}/job.py`);
  });

  test('uploads the platform\'s own scripts by default', () => {
    const { object } = build('orders_clean.py');
    expect(String(object.key)).toMatch(/^scripts\/[0-9a-f]{12}\/orders_clean\.py$/);
  });

  test('rejects a script that does not exist, naming the file', () => {
    const { stack, lake } = stackWithLake(environment);
    const error = thrownBy(() => new GlueScript(stack, 'script', { lake, file: 'missing_job.py' }));
    expect(error).toBeInstanceOf(PlatformError);
    expect((error as PlatformError).message).toBe(
      'GlueScript dev/script: file is "missing_job.py", which is not in packages/processing/scripts; add the script there or fix the name',
    );
    expect(stack.node.tryFindChild('script')?.node.children).toEqual([]);
  });

  test('passes every rule of the policy pack', () => {
    const pack = new PolicyPack();
    build('job.py', folderWith({ 'job.py': SCRIPT }), [pack]);
    expect(pack.reports.get('dev')!.findings.filter((f) => f.status === 'fail')).toEqual([]);
  });
});
