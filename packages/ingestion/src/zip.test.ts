import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { zipSingleFile } from './zip';

describe('zipSingleFile', () => {
  const content = Buffer.from(`exports.handler = async () => 'ok';\n${'x'.repeat(5000)}\n`);

  test('writes an archive a standard unzip reads back byte for byte', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'zip-')), 'bundle.zip');
    writeFileSync(file, zipSingleFile('index.js', content));
    const read = execFileSync('python3', ['-c', 'import sys,zipfile; z=zipfile.ZipFile(sys.argv[1]); assert z.testzip() is None; sys.stdout.buffer.write(z.read("index.js"))', file]);
    expect(Buffer.compare(read, content)).toBe(0);
  });

  test('gives the same bytes for the same content, and different bytes for different content', () => {
    expect(zipSingleFile('index.js', content).equals(zipSingleFile('index.js', content))).toBe(true);
    expect(zipSingleFile('index.js', content).equals(zipSingleFile('index.js', Buffer.from('other')))).toBe(false);
  });
});
