import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { CHANGES_EXIT_CODE, PlanRun, guardFailures, planCommand, planExitCode, sha256File } from './plan';
import { PLAN_FILES, PlanJson, summarizePlan } from './lib/plan-summary';
import { SynthesizedStackInfo } from './lib/synth';

jest.setTimeout(60_000);

const ENV_DIR = join(__dirname, 'fixtures', 'environments');
const fixturePlan = (name: string) => JSON.parse(readFileSync(join(__dirname, 'fixtures', 'plans', `${name}.json`), 'utf8')) as PlanJson;

/**
 * Stands in for terraform (the ladder runs the real one): leaves a plan file in the stack's
 * directory, as `terraform plan -out` does, and answers with the plan JSON chosen per stack.
 */
function fakePlanner(plans: Record<string, PlanJson>) {
  return async (_setup: unknown, stack: SynthesizedStackInfo) => {
    const plan = plans[stack.name] ?? { resource_changes: [] };
    writeFileSync(join(stack.dir, PLAN_FILES.plan), `binary plan of ${stack.name}`);
    return { plan, summary: summarizePlan(stack.name, plan, stack.stateful) };
  };
}

const quiet = () => undefined;
const synthInto = () => ({ envDir: ENV_DIR, environments: ['uat'], outdir: mkdtempSync(join(tmpdir(), 'plan-synth-')), quiet: true });

describe('npm run plan', () => {
  test('--out keeps each stack\'s binary plan, its JSON and the hash of the configuration it was planned from', async () => {
    const out = mkdtempSync(join(tmpdir(), 'plans-'));
    const synth = synthInto();
    const code = await planCommand(['uat', `--out=${out}`], { synth, log: quiet, planner: fakePlanner({ 'uat-lake': fixturePlan('update') }) });
    expect(code).toBe(0);
    for (const stack of ['uat-lake', 'uat-ingestion', 'uat-processing', 'uat-observability']) {
      expect(readFileSync(join(out, stack, 'plan.tfplan'), 'utf8')).toBe(`binary plan of ${stack}`);
      const hash = readFileSync(join(out, stack, 'cdk.tf.json.sha256'), 'utf8');
      expect(hash).toMatch(/^[0-9a-f]{64}$/);
      expect(hash).toBe(createHash('sha256').update(readFileSync(join(synth.outdir, 'stacks', stack, 'cdk.tf.json'))).digest('hex'));
    }
    expect(JSON.parse(readFileSync(join(out, 'uat-lake', 'plan.json'), 'utf8'))).toEqual(fixturePlan('update'));
    expect(PLAN_FILES).toEqual({ plan: 'plan.tfplan', json: 'plan.json', hash: 'cdk.tf.json.sha256' });
  });

  test('--detailed-exitcode exits 2 when anything would change, 0 when nothing would', async () => {
    const changing = fakePlanner({ 'uat-processing': fixturePlan('create') });
    await expect(planCommand(['uat', '--detailed-exitcode'], { synth: synthInto(), log: quiet, planner: changing })).resolves.toBe(CHANGES_EXIT_CODE);
    await expect(planCommand(['uat', '--detailed-exitcode'], { synth: synthInto(), log: quiet, planner: fakePlanner({}) })).resolves.toBe(0);
    expect(CHANGES_EXIT_CODE).toBe(2);
  });

  test('--markdown writes the report with policy reports and the diagram, and the guard still stops a protected replace', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'md-'));
    const markdown = join(dir, 'plan.md');
    const out = join(dir, 'plans');
    const run = planCommand(['uat', `--markdown=${markdown}`, `--out=${out}`, '--detailed-exitcode'], {
      synth: synthInto(),
      log: quiet,
      planner: fakePlanner({ 'uat-lake': fixturePlan('replace') }),
    });
    await expect(run).rejects.toThrow(
      'uat-lake is protected and the plan replaces or destroys stateful resources:\n  aws_s3_bucket.lake_raw_bucket\n' +
        'If this is intended, list them in PLATFORM_ALLOW_DESTROY (comma-separated) and run again.',
    );
    // Written before the guard failed: reviewers see what it stopped.
    expect(existsSync(join(out, 'uat-lake', 'plan.json'))).toBe(true);
    const text = readFileSync(markdown, 'utf8');
    expect(text).toContain('### Plan: uat-lake, uat-ingestion, uat-processing, uat-observability');
    expect(text).toContain('#### Environment `uat` (protected)');
    expect(text).toContain('> - **replace** `aws_s3_bucket.lake_raw_bucket` in `uat-lake`. **uat is protected: the plan fails unless PLATFORM_ALLOW_DESTROY lists it.**');
    expect(text).toContain('| `s3-kms-encryption` (high) | `aws_s3_bucket.lake_access_logs_bucket` |');
    expect(text).toContain('```mermaid\nflowchart LR\n');
    // The fixture's other addresses are not in uat-lake: counted, not lost.
    expect(text).toContain('  class n_bucket_raw,n_other_changes_lake replaced\n');
  });
});

describe('exit code and guard of a run', () => {
  const stack = (name: string, protect: boolean): SynthesizedStackInfo => ({
    name, environment: 'fixture', stage: 'staging', offline: false, protect, dir: '/x', stateful: ['aws_s3_bucket.lake_raw_bucket'],
  });
  const run = (protect: boolean, plan: PlanJson): PlanRun => ({
    outdir: '/x',
    stacks: [stack('fixture', protect)],
    summaries: [summarizePlan('fixture', plan, ['aws_s3_bucket.lake_raw_bucket'])],
  });

  test('the guard lists each protected stack whose plan replaces a stateful resource nobody allowed', () => {
    expect(guardFailures(run(true, fixturePlan('replace')), [])).toEqual([
      'fixture is protected and the plan replaces or destroys stateful resources:\n  aws_s3_bucket.lake_raw_bucket\n' +
        'If this is intended, list them in PLATFORM_ALLOW_DESTROY (comma-separated) and run again.',
    ]);
    expect(guardFailures(run(true, fixturePlan('replace')), ['aws_s3_bucket.lake_raw_bucket'])).toEqual([]);
    expect(guardFailures(run(false, fixturePlan('replace')), [])).toEqual([]);
  });

  test('changes exit 2 only when asked', () => {
    expect(planExitCode(run(true, fixturePlan('update')), true)).toBe(2);
    expect(planExitCode(run(true, fixturePlan('update')), false)).toBe(0);
    expect(planExitCode(run(true, { resource_changes: [] }), true)).toBe(0);
  });

  test('hashes a file as sha256 hex', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'hash-')), 'x');
    writeFileSync(file, 'abc');
    expect(sha256File(file)).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});
