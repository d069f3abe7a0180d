import { chmodSync, cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { CHANGES_EXIT_CODE, PLAN_DEFAULTS, PlanRun, guardFailures, planCommand, planExitCode, sha256File, waitingFor, waitingMessage } from './plan';
import { PLAN_FILES, PlanJson, summarizePlan } from './lib/plan-summary';
import { WAITING_FILE, checkSavedPlans } from './lib/saved-plans';
import { SynthesizedStackInfo, readStacks, synth } from './lib/synth';
import { TerraformError } from './lib/terraform';

jest.setTimeout(60_000);

const ENV_DIR = join(__dirname, 'fixtures', 'environments');
const fixturePlan = (name: string) => JSON.parse(readFileSync(join(__dirname, 'fixtures', 'plans', `${name}.json`), 'utf8')) as PlanJson;

/**
 * Stands in for terraform (the ladder runs the real one): leaves a plan file in the stack's
 * directory, as `terraform plan -out` does, and answers with the plan JSON chosen per stack.
 */
function fakePlanner(plans: Record<string, PlanJson>, failures: Record<string, string> = {}) {
  return async (_setup: unknown, stack: SynthesizedStackInfo) => {
    if (failures[stack.name]) throw new TerraformError('plan -input=false -no-color -lock-timeout=60s -out=plan.tfplan', stack.dir, failures[stack.name]);
    const plan = plans[stack.name] ?? { resource_changes: [] };
    writeFileSync(join(stack.dir, PLAN_FILES.plan), `binary plan of ${stack.name}`);
    return { plan, summary: summarizePlan(stack.name, plan, stack.stateful) };
  };
}

const quiet = () => undefined;
const synthInto = () => ({ envDir: ENV_DIR, environments: ['uat'], outdir: mkdtempSync(join(tmpdir(), 'plan-synth-')), quiet: true });

/** What terraform 1.11 prints when a stack's remote state has never been written (lib/terraform.test.ts produces it). */
const noRemoteState = (...dataSources: string[]) =>
  dataSources
    .map((d) => `Error: Unable to find remote state\n\n  with data.terraform_remote_state.${d},\n  on cdk.tf.json line 1, in data.terraform_remote_state.${d}:\n   1: {}\n\nNo stored state was found for the given workspace in the given backend.\n`)
    .join('\n');
/** What terraform 1.11 prints when a stack's remote state lacks an output the configuration reads. */
const noOutput = (dataSource: string, output: string) =>
  `Error: Unsupported attribute\n\n  on cdk.tf.json line 1, in resource.aws_x.y:\n   1: {}\n    ├────────────────\n    │ data.terraform_remote_state.${dataSource}.outputs is object with 1 attribute "a"\n\nThis object does not have an attribute named\n"${output}".\n`;
const REMOTE = (stack: string) => `cross-stack-reference-input-${stack}`;

/** One synthesis of the fixture for the tests that only read it (`--synthesized`). */
let shared: string;
beforeAll(async () => {
  shared = (await synth(synthInto())).outdir;
});

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

describe('npm run plan of stacks that read stacks not applied yet', () => {
  const FIRST_DEPLOY = {
    'uat-ingestion': noRemoteState(REMOTE('uat-lake')),
    'uat-processing': noRemoteState(REMOTE('uat-ingestion'), REMOTE('uat-lake')),
    'uat-observability': noRemoteState(REMOTE('uat-ingestion'), REMOTE('uat-lake'), REMOTE('uat-processing')),
  };

  test('a first deploy plans the lake and reports every other layer as waiting, naming what to apply first', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'first-'));
    const out = join(dir, 'plans');
    const markdown = join(dir, 'plan.md');
    const lines: string[] = [];
    const code = await planCommand(['uat', `--out=${out}`, `--markdown=${markdown}`, `--synthesized=${shared}`], {
      log: (t) => lines.push(t),
      planner: fakePlanner({ 'uat-lake': fixturePlan('create') }, FIRST_DEPLOY),
    });
    expect(code).toBe(0);
    expect(lines).toContain('uat-ingestion is not planned yet: uat-lake has no state yet. Apply uat-lake first, then plan uat-ingestion again.\n');
    expect(lines).toContain(
      'uat-processing is not planned yet: uat-ingestion has no state yet; uat-lake has no state yet. Apply uat-ingestion, uat-lake first, then plan uat-processing again.\n',
    );
    expect(JSON.parse(readFileSync(join(out, 'uat-ingestion', WAITING_FILE), 'utf8'))).toEqual({
      upstreams: ['uat-lake'],
      reasons: ['uat-lake has no state yet'],
      sha256: sha256File(join(shared, 'stacks', 'uat-ingestion', 'cdk.tf.json')),
    });
    expect(existsSync(join(out, 'uat-ingestion', PLAN_FILES.plan))).toBe(false);
    const text = readFileSync(markdown, 'utf8');
    expect(text).toContain('### Plan: uat-lake, uat-ingestion, uat-processing, uat-observability');
    expect(text).toContain(
      '> [!NOTE]\n> **Not planned yet**: these stacks read outputs of stacks that are not applied yet; they are planned once those are.\n' +
        '> - `uat-ingestion`: uat-lake has no state yet; apply `uat-lake` first.\n',
    );
    // What the deploy job does with them: apply the lake, then stop for the next run.
    const stacks = readStacks(shared);
    const { plans, problems } = checkSavedPlans(out, stacks, stacks, []);
    expect(problems).toEqual([]);
    expect(plans.map((p) => `${p.kind} ${p.stack.name}`)).toEqual(['plan uat-lake', 'waiting uat-ingestion', 'waiting uat-processing', 'waiting uat-observability']);
  });

  test('a stack reading an output its upstream has not applied yet waits too; drift counts it as a change', async () => {
    const code = await planCommand(['uat-ingestion', '--detailed-exitcode', `--synthesized=${shared}`], {
      log: quiet,
      planner: fakePlanner({}, { 'uat-ingestion': noOutput(REMOTE('uat-lake'), 'cross-stack-output-aws_kms_keylake_keyarn') }),
    });
    expect(code).toBe(CHANGES_EXIT_CODE);
  });

  test('any other plan failure stays a failure, with terraform\'s own words', async () => {
    const other = 'Error: No valid credential sources found\n';
    const argv = ['uat-ingestion', `--synthesized=${shared}`];
    await expect(planCommand(argv, { log: quiet, planner: fakePlanner({}, { 'uat-ingestion': other }) })).rejects.toThrow('No valid credential sources found');
    await expect(planCommand(argv, { log: quiet, planner: fakePlanner({}, { 'uat-ingestion': `${noRemoteState(REMOTE('uat-lake'))}\n${other}` }) })).rejects.toThrow(TerraformError);
  });

  test('names the upstream stack by the state its data source reads, whatever the data source is called', async () => {
    const synthesized = await synth(synthInto());
    const stacks = synthesized.stacks;
    const ingestion = stacks.find((s) => s.name === 'uat-ingestion') as SynthesizedStackInfo;
    const tf = JSON.parse(readFileSync(join(ingestion.dir, 'cdk.tf.json'), 'utf8'));
    tf.data.terraform_remote_state = { lake_state: tf.data.terraform_remote_state[REMOTE('uat-lake')] };
    writeFileSync(join(ingestion.dir, 'cdk.tf.json'), JSON.stringify(tf));
    const error = new TerraformError('plan', ingestion.dir, `${noRemoteState('lake_state')}\n${noOutput('unknown_source', 'x')}`);
    const waiting = waitingFor(ingestion, error, stacks);
    expect(waiting).toEqual({
      stack: ingestion,
      upstreams: ['uat-lake', 'data.terraform_remote_state.unknown_source'],
      reasons: ['uat-lake has no state yet', 'data.terraform_remote_state.unknown_source has no output "x" yet'],
    });
    expect(waitingMessage(waiting as NonNullable<typeof waiting>)).toBe(
      'uat-ingestion is not planned yet: uat-lake has no state yet; data.terraform_remote_state.unknown_source has no output "x" yet. ' +
        'Apply uat-lake, data.terraform_remote_state.unknown_source first, then plan uat-ingestion again.',
    );
  });
});

describe('npm run plan of an earlier synthesis, without the state lock', () => {
  /** A terraform that logs `<stack>: <args>`, leaves the plan file and shows an empty plan. */
  function fakeTerraform(): { env: NodeJS.ProcessEnv; calls: () => string[] } {
    const dir = mkdtempSync(join(tmpdir(), 'fake-tf-'));
    const log = join(dir, 'calls.log');
    writeFileSync(
      join(dir, 'terraform'),
      [
        '#!/bin/sh',
        `echo "$(basename "$PWD"): $*" >> "${log}"`,
        'case "$1" in',
        `  version) echo '{"terraform_version":"1.11.4"}';;`,
        '  plan) echo plan > plan.tfplan;;',
        `  show) echo '{"resource_changes":[]}';;`,
        'esac',
        '',
      ].join('\n'),
    );
    chmodSync(join(dir, 'terraform'), 0o755);
    return { env: { PATH: `${dir}:${process.env.PATH}` }, calls: () => readFileSync(log, 'utf8').trim().split('\n') };
  }

  test('--synthesized plans what is already in the directory, and --no-lock passes -lock=false to terraform plan', async () => {
    // A copy, as a CI job downloads it; synthesizing again would empty the stack folders.
    const downloaded = join(mkdtempSync(join(tmpdir(), 'artifact-')), 'cdktf.out');
    cpSync(shared, downloaded, { recursive: true });
    const marker = join(downloaded, 'stacks', 'uat-ingestion', 'downloaded.txt');
    writeFileSync(marker, 'from the artifact');
    const tf = fakeTerraform();
    const lines: string[] = [];
    const code = await planCommand(['uat-ingestion', `--synthesized=${downloaded}`, '--no-lock'], { env: tf.env, log: (t) => lines.push(t) });
    expect(code).toBe(0);
    expect(readFileSync(marker, 'utf8')).toBe('from the artifact');
    expect(lines[0]).toMatch(/^Read 4 stacks synthesized in .*cdktf\.out\. Planning uat-ingestion with terraform 1\.11\.4 without the state lock/);
    expect(tf.calls().filter((c) => !c.includes(': version'))).toEqual([
      'uat-ingestion: init -input=false -no-color',
      'uat-ingestion: plan -input=false -no-color -lock=false -out=plan.tfplan',
      'uat-ingestion: show -json -no-color plan.tfplan',
    ]);
  });

  test('plans take the state lock unless told otherwise', async () => {
    expect(PLAN_DEFAULTS).toEqual({ lock: true });
    const tf = fakeTerraform();
    await planCommand(['uat-lake', `--synthesized=${shared}`], { env: tf.env, log: quiet });
    expect(tf.calls()).toContain('uat-lake: plan -input=false -no-color -lock-timeout=60s -out=plan.tfplan');
  });

  test('--synthesized refuses a directory nothing was synthesized into', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'empty-'));
    mkdirSync(join(empty, 'stacks'));
    await expect(planCommand(['uat', `--synthesized=${empty}`], { env: fakeTerraform().env, log: quiet })).rejects.toThrow(
      `${join(empty, 'platform.json')} is missing; synthesize first (npm run synth)`,
    );
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
    waiting: [],
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

  test('a waiting stack exits 2 when asked (not deployed as configured), 0 otherwise, and the guard ignores it', () => {
    const waiting = { ...run(true, { resource_changes: [] }), waiting: [{ stack: stack('fixture-ingestion', true), upstreams: ['fixture'], reasons: ['fixture has no state yet'] }] };
    expect(planExitCode(waiting, true)).toBe(2);
    expect(planExitCode(waiting, false)).toBe(0);
    expect(guardFailures(waiting, [])).toEqual([]);
  });

  test('hashes a file as sha256 hex', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'hash-')), 'x');
    writeFileSync(file, 'abc');
    expect(sha256File(file)).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});
