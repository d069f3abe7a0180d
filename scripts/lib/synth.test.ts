import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SynthError, synth } from './synth';

jest.setTimeout(60_000);

describe('synthesis of bad input', () => {
  test('reports the file, the field and the fix, and no stack trace', async () => {
    const envDir = mkdtempSync(join(tmpdir(), 'envs-'));
    writeFileSync(join(envDir, 'qa.yaml'), 'name: qa\naccount: "123"\nregion: eu-west-1\noffline: true\nlayout: single\n');
    const outdir = mkdtempSync(join(tmpdir(), 'out-'));
    const failure = synth({ envDir, outdir }).then(
      () => undefined,
      (e: unknown) => e,
    );
    const error = await failure;
    expect(error).toBeInstanceOf(SynthError);
    const message = (error as SynthError).message;
    expect(message).toBe(
      `${join(envDir, 'qa.yaml')}: account is "123"; use the 12-digit AWS account id, quoted ("012345678901") so YAML keeps leading zeros`,
    );
    expect(message).not.toMatch(/^\s+at /m);
  });

  test('names the environments to choose from when an unknown one is selected', async () => {
    const outdir = mkdtempSync(join(tmpdir(), 'out-'));
    await expect(synth({ environments: ['qa'], outdir })).rejects.toThrow(/has no environment "qa"; choose from dev, local, prod, staging/);
  });
});
