import { createHash } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PLAN_FILES } from './plan-summary';
import {
  CHANGES_EXIT_CODE,
  STACK_CONFIG_FILE,
  SavedPlan,
  SavedStack,
  WAITING_FILE,
  WaitingRecord,
  appliesChanges,
  applySavedPlans,
  changedOutputs,
  checkSavedPlans,
  configHash,
  heldMessage,
  scheduleApply,
} from './saved-plans';
import { SynthesizedStackInfo } from './synth';
import { terraformSetup } from './terraform';

const BUCKET = 'aws_s3_bucket.lake_raw_bucket';
const change = (address: string, actions: string[]) => ({ address, type: address.split('.')[0], mode: 'managed' as const, change: { actions } });
const PLANS = {
  create: { resource_changes: [change(BUCKET, ['create']), change('aws_s3_bucket_versioning.raw', ['create'])] },
  noop: { resource_changes: [change(BUCKET, ['no-op']), { ...change('data.aws_iam_policy_document.p', ['read']), mode: 'data' as const }] },
  replaceBucket: { resource_changes: [change(BUCKET, ['delete', 'create'])] },
  outputOnly: { resource_changes: [change(BUCKET, ['no-op'])], output_changes: { lake_key_arn: { actions: ['create'] } } },
  /** As `terraform show -json` writes a plan that adds an output and keeps another: what later layers read changes. */
  createWithOutputs: {
    resource_changes: [change(BUCKET, ['create'])],
    output_changes: {
      'cross-stack-output-aws_kms_keylake_keyarn': { actions: ['create'] },
      'cross-stack-output-aws_s3_bucketlake_raw_bucketarn': { actions: ['no-op'] },
    },
  },
  /** Resource changes with every output unchanged: later layers read the same values. */
  updateSameOutputs: {
    resource_changes: [change('aws_s3_bucket_versioning.raw', ['update'])],
    output_changes: { 'cross-stack-output-aws_kms_keylake_keyarn': { actions: ['no-op'] } },
  },
};
const STACKS = ['staging-lake', 'staging-ingestion'];

interface Fixture {
  readonly outdir: string;
  readonly planDir: string;
  readonly stacks: SynthesizedStackInfo[];
}

/**
 * A synthesis (cdktf.out/stacks/<stack>/cdk.tf.json) and the plans `plan --out` saved from it:
 * a plan JSON per stack, or for a stack that waits, its waiting record (without the hash, added here).
 */
function fixture(plans: Record<string, object | Omit<WaitingRecord, 'sha256'>>, protect = true, names: readonly string[] = STACKS): Fixture {
  const root = mkdtempSync(join(tmpdir(), 'saved-plans-'));
  const outdir = join(root, 'cdktf.out');
  const planDir = join(root, 'plans');
  const stacks = names.map((name) => {
    const dir = join(outdir, 'stacks', name);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, STACK_CONFIG_FILE), JSON.stringify({ stack: name }));
    return { name, environment: name.split('-')[0], stage: 'staging', offline: false, protect, dir, stateful: name.endsWith('-lake') ? [BUCKET] : [] };
  });
  for (const [name, plan] of Object.entries(plans)) {
    const dir = join(planDir, name);
    mkdirSync(dir, { recursive: true });
    const config = join(outdir, 'stacks', name, STACK_CONFIG_FILE);
    const sha256 = createHash('sha256').update(readFileSync(config)).digest('hex');
    if ('upstreams' in plan) {
      writeFileSync(join(dir, WAITING_FILE), JSON.stringify({ ...plan, sha256 }));
      continue;
    }
    writeFileSync(join(dir, PLAN_FILES.plan), 'binary plan');
    writeFileSync(join(dir, PLAN_FILES.json), JSON.stringify(plan));
    writeFileSync(join(dir, PLAN_FILES.hash), `${sha256}\n`);
  }
  return { outdir, planDir, stacks };
}

const planned = (plans: readonly SavedStack[]) => plans.filter((p): p is SavedPlan => p.kind === 'plan');
const WAITS_FOR_LAKE = { upstreams: ['staging-lake'], reasons: ['staging-lake has no state yet'] };

describe('saved plans', () => {
  test('keep the layout of `npm run plan -- --out`', () => {
    expect(PLAN_FILES).toEqual({ plan: 'plan.tfplan', json: 'plan.json', hash: 'cdk.tf.json.sha256' });
    expect(STACK_CONFIG_FILE).toBe('cdk.tf.json');
    expect(CHANGES_EXIT_CODE).toBe(2);
  });

  test('hash the synthesized cdk.tf.json with sha256', () => {
    const { stacks } = fixture({});
    expect(configHash(stacks[0].dir)).toBe(createHash('sha256').update(JSON.stringify({ stack: 'staging-lake' })).digest('hex'));
  });

  test('pass when every plan is complete and planned from the configuration synthesized now', () => {
    const f = fixture({ 'staging-lake': PLANS.create, 'staging-ingestion': PLANS.noop });
    const { plans, problems } = checkSavedPlans(f.planDir, f.stacks, f.stacks, []);
    expect(problems).toEqual([]);
    expect(planned(plans).map((p) => [p.stack.name, p.planFile, p.changes, p.outputChanges])).toEqual([
      ['staging-lake', join(f.planDir, 'staging-lake', 'plan.tfplan'), true, []],
      ['staging-ingestion', join(f.planDir, 'staging-ingestion', 'plan.tfplan'), false, []],
    ]);
    expect(planned(plans)[0].summary.counts).toEqual({ create: 2, update: 0, replace: 0, destroy: 0 });
  });

  test("refuse a plan whose stack's configuration changed since, and apply none", () => {
    const f = fixture({ 'staging-lake': PLANS.create, 'staging-ingestion': PLANS.noop });
    const saved = readFileSync(join(f.planDir, 'staging-ingestion', PLAN_FILES.hash), 'utf8').trim();
    writeFileSync(join(f.stacks[1].dir, STACK_CONFIG_FILE), JSON.stringify({ stack: 'staging-ingestion', changed: true }));
    const now = configHash(f.stacks[1].dir);
    const { plans, problems } = checkSavedPlans(f.planDir, f.stacks, f.stacks, []);
    expect(plans).toEqual([]);
    expect(problems).toEqual([
      `staging-ingestion: the configuration changed since it was planned (cdk.tf.json sha256 ${saved.slice(0, 12)} when planned, ${now.slice(0, 12)} now); plan again: npm run plan -- staging-ingestion --out=${f.planDir}`,
    ]);
  });

  test('refuse a selected stack without a complete saved plan, naming the missing files', () => {
    const f = fixture({ 'staging-lake': PLANS.create });
    rmSync(join(f.planDir, 'staging-lake', PLAN_FILES.hash));
    expect(checkSavedPlans(f.planDir, f.stacks, f.stacks, []).problems).toEqual([
      `staging-lake: no complete saved plan in ${f.planDir}/staging-lake (missing cdk.tf.json.sha256); plan again: npm run plan -- staging-lake --out=${f.planDir}`,
      `staging-ingestion: no complete saved plan in ${f.planDir}/staging-ingestion (missing plan.tfplan, plan.json, cdk.tf.json.sha256); plan again: npm run plan -- staging-ingestion --out=${f.planDir}`,
    ]);
  });

  test('refuse a hash file that holds no sha256, and a plan JSON that does not parse', () => {
    const f = fixture({ 'staging-lake': PLANS.create, 'staging-ingestion': PLANS.noop });
    writeFileSync(join(f.planDir, 'staging-lake', PLAN_FILES.hash), 'not a hash\n');
    writeFileSync(join(f.planDir, 'staging-ingestion', PLAN_FILES.json), '{');
    expect(checkSavedPlans(f.planDir, f.stacks, f.stacks, []).problems).toEqual([
      `staging-lake: ${f.planDir}/staging-lake/cdk.tf.json.sha256 holds no sha256; plan again: npm run plan -- staging-lake --out=${f.planDir}`,
      `staging-ingestion: ${f.planDir}/staging-ingestion/plan.json is not JSON; plan again: npm run plan -- staging-ingestion --out=${f.planDir}`,
    ]);
  });

  test('accept the hash in `sha256sum` format too', () => {
    const f = fixture({ 'staging-lake': PLANS.create });
    writeFileSync(join(f.planDir, 'staging-lake', PLAN_FILES.hash), `${configHash(f.stacks[0].dir).toUpperCase()}  cdk.tf.json\n`);
    expect(checkSavedPlans(f.planDir, [f.stacks[0]], f.stacks, []).problems).toEqual([]);
  });

  test('refuse plans of stacks that were not synthesized: they come from another synthesis', () => {
    const f = fixture({ 'staging-lake': PLANS.create });
    mkdirSync(join(f.planDir, 'qa-lake'));
    expect(checkSavedPlans(f.planDir, [f.stacks[0]], f.stacks, []).problems).toEqual([
      `${f.planDir} holds plans of stacks that were not synthesized (qa-lake); the plans come from another synthesis, plan again`,
    ]);
  });

  test('ignore saved plans of synthesized stacks that were not selected', () => {
    const f = fixture({ 'staging-lake': PLANS.create, 'staging-ingestion': PLANS.noop });
    const { plans, problems } = checkSavedPlans(f.planDir, [f.stacks[1]], f.stacks, []);
    expect(problems).toEqual([]);
    expect(plans.map((p) => p.stack.name)).toEqual(['staging-ingestion']);
  });

  test('refuse a plan directory that does not exist', () => {
    const f = fixture({});
    expect(checkSavedPlans(join(f.planDir, 'none'), f.stacks, f.stacks, []).problems).toEqual([
      `${join(f.planDir, 'none')} is not a directory; plan first: npm run plan -- <env> --out=${join(f.planDir, 'none')}`,
    ]);
  });

  test('keep the guard: a protected stack whose plan replaces a stateful resource is refused', () => {
    const f = fixture({ 'staging-lake': PLANS.replaceBucket, 'staging-ingestion': PLANS.noop });
    expect(checkSavedPlans(f.planDir, f.stacks, f.stacks, []).problems).toEqual([
      [
        'staging-lake is protected and the plan replaces or destroys stateful resources:',
        `  ${BUCKET}`,
        'If this is intended, list them in PLATFORM_ALLOW_DESTROY (comma-separated) and run again.',
      ].join('\n'),
    ]);
  });

  test('the guard lets through what PLATFORM_ALLOW_DESTROY lists, and unprotected stacks', () => {
    const f = fixture({ 'staging-lake': PLANS.replaceBucket, 'staging-ingestion': PLANS.noop });
    expect(checkSavedPlans(f.planDir, f.stacks, f.stacks, [BUCKET]).problems).toEqual([]);
    const unprotected = fixture({ 'staging-lake': PLANS.replaceBucket }, false);
    expect(checkSavedPlans(unprotected.planDir, [unprotected.stacks[0]], unprotected.stacks, []).problems).toEqual([]);
  });

  test('count output changes as changes (the next layer reads them), and no-op and reads as none', () => {
    expect(appliesChanges(PLANS.create)).toBe(true);
    expect(appliesChanges(PLANS.noop)).toBe(false);
    expect(appliesChanges(PLANS.outputOnly)).toBe(true);
    expect(appliesChanges({})).toBe(false);
  });

  test('name the outputs a plan creates, updates or deletes, not those it keeps', () => {
    expect(changedOutputs(PLANS.createWithOutputs)).toEqual(['cross-stack-output-aws_kms_keylake_keyarn']);
    expect(changedOutputs(PLANS.updateSameOutputs)).toEqual([]);
    expect(changedOutputs({ output_changes: { a: { actions: ['update'] }, b: { actions: ['delete'] } } })).toEqual(['a', 'b']);
    expect(changedOutputs(PLANS.create)).toEqual([]);
  });

  test('accept a stack that waits for an earlier stack this run applies, or for one that waits itself', () => {
    const names = ['staging-lake', 'staging-ingestion', 'staging-processing'];
    const f = fixture({
      'staging-lake': PLANS.createWithOutputs,
      'staging-ingestion': WAITS_FOR_LAKE,
      'staging-processing': { upstreams: ['staging-lake', 'staging-ingestion'], reasons: ['staging-lake has no state yet', 'staging-ingestion has no state yet'] },
    }, true, names);
    const { plans, problems } = checkSavedPlans(f.planDir, f.stacks, f.stacks, []);
    expect(problems).toEqual([]);
    expect(plans.map((p) => [p.kind, p.stack.name])).toEqual([['plan', 'staging-lake'], ['waiting', 'staging-ingestion'], ['waiting', 'staging-processing']]);
    expect(plans[1]).toEqual({ kind: 'waiting', stack: f.stacks[1], ...WAITS_FOR_LAKE });
  });

  test('refuse a stack that waits for a stack this run does not apply before it', () => {
    const f = fixture({ 'staging-lake': PLANS.noop, 'staging-ingestion': WAITS_FOR_LAKE });
    const again = `apply staging-lake first, then plan again: npm run plan -- staging-ingestion --out=${f.planDir}`;
    expect(checkSavedPlans(f.planDir, f.stacks, f.stacks, []).problems).toEqual([
      `staging-ingestion: not planned, it waits for staging-lake (staging-lake has no state yet), which this run does not apply before it; ${again}`,
    ]);
    // Not selected: the same.
    expect(checkSavedPlans(f.planDir, [f.stacks[1]], f.stacks, []).problems).toEqual([
      `staging-ingestion: not planned, it waits for staging-lake (staging-lake has no state yet), which this run does not apply before it; ${again}`,
    ]);
  });

  test('refuse a waiting record of another configuration, or without what it waits for', () => {
    const f = fixture({ 'staging-lake': PLANS.create, 'staging-ingestion': WAITS_FOR_LAKE });
    const saved = configHash(f.stacks[1].dir);
    writeFileSync(join(f.stacks[1].dir, STACK_CONFIG_FILE), JSON.stringify({ stack: 'staging-ingestion', changed: true }));
    const again = `plan again: npm run plan -- staging-ingestion --out=${f.planDir}`;
    expect(checkSavedPlans(f.planDir, f.stacks, f.stacks, []).problems).toEqual([
      `staging-ingestion: the configuration changed since it was planned (cdk.tf.json sha256 ${saved.slice(0, 12)} when planned, ${configHash(f.stacks[1].dir).slice(0, 12)} now); ${again}`,
    ]);
    writeFileSync(join(f.planDir, 'staging-ingestion', WAITING_FILE), JSON.stringify({ upstreams: [], reasons: ['x'], sha256: configHash(f.stacks[1].dir) }));
    expect(checkSavedPlans(f.planDir, f.stacks, f.stacks, []).problems).toEqual([
      `staging-ingestion: ${f.planDir}/staging-ingestion/waiting.json lacks upstreams, reasons or sha256; ${again}`,
    ]);
    expect(WAITING_FILE).toBe('waiting.json');
  });
});

describe('the order saved plans apply in', () => {
  const LAYERS = ['staging-lake', 'staging-ingestion', 'staging-processing', 'qa-lake', 'qa-ingestion'];
  const check = (plans: Record<string, object>) => {
    const f = fixture(plans, true, LAYERS);
    const selected = f.stacks.filter((s) => Object.keys(plans).includes(s.name));
    const result = checkSavedPlans(f.planDir, selected, f.stacks, []);
    expect(result.problems).toEqual([]);
    return result.plans;
  };
  const names = (plans: readonly SavedStack[]) => plans.map((p) => p.stack.name);

  test('apply every changing plan in the manifest\'s order when no output changes, skipping the unchanged', () => {
    const schedule = scheduleApply(check({ 'staging-lake': PLANS.updateSameOutputs, 'staging-ingestion': PLANS.noop, 'staging-processing': PLANS.create }));
    expect(names(schedule.apply)).toEqual(['staging-lake', 'staging-processing']);
    expect(names(schedule.unchanged)).toEqual(['staging-ingestion']);
    expect(schedule.held).toEqual([]);
  });

  test('stop an environment after the first stack whose outputs change, holding every later stack of it, and go on with the others', () => {
    const schedule = scheduleApply(check({
      'staging-lake': PLANS.createWithOutputs,
      'staging-ingestion': PLANS.noop,
      'staging-processing': PLANS.create,
      'qa-lake': PLANS.updateSameOutputs,
      'qa-ingestion': PLANS.create,
    }));
    expect(names(schedule.apply)).toEqual(['staging-lake', 'qa-lake', 'qa-ingestion']);
    expect(schedule.held).toEqual([{
      environment: 'staging',
      reason: 'staging-lake changes its outputs (cross-stack-output-aws_kms_keylake_keyarn), which later layers read through remote state',
      stacks: ['staging-ingestion', 'staging-processing'],
    }]);
  });

  test('hold nothing when the stack whose outputs change is the last of its environment', () => {
    const schedule = scheduleApply(check({ 'staging-lake': PLANS.noop, 'staging-processing': PLANS.createWithOutputs }));
    expect(names(schedule.apply)).toEqual(['staging-processing']);
    expect(schedule.held).toEqual([]);
  });

  test('stop at a stack that waits: a first deploy applies the lake, then the next run plans the rest', () => {
    const schedule = scheduleApply(check({
      'staging-lake': PLANS.create,
      'staging-ingestion': WAITS_FOR_LAKE,
      'staging-processing': PLANS.create,
    }));
    expect(names(schedule.apply)).toEqual(['staging-lake']);
    expect(schedule.held).toEqual([{
      environment: 'staging',
      reason: 'staging-ingestion waits for staging-lake to be applied (staging-lake has no state yet)',
      stacks: ['staging-ingestion', 'staging-processing'],
    }]);
  });

  test('say what was held, why, and how the next run plans it', () => {
    expect(heldMessage([{ environment: 'staging', reason: 'staging-lake changes its outputs (a)', stacks: ['staging-ingestion', 'staging-processing'] }], 'plans/staging')).toBe(
      'staging: staging-lake changes its outputs (a). Not applied: staging-ingestion, staging-processing; they must be planned again against the new outputs ' +
        '(npm run plan -- staging-ingestion staging-processing --out=plans/staging, then apply; in CI: re-run all jobs of the deploy run, or push again).',
    );
  });
});

describe('applying saved plans', () => {
  /** A terraform that logs `<cwd>: <args>` and succeeds, or fails on apply when asked. */
  function fakeTerraform(failApply = false): { path: string; log: string } {
    const dir = mkdtempSync(join(tmpdir(), 'fake-tf-'));
    const log = join(dir, 'calls.log');
    writeFileSync(
      join(dir, 'terraform'),
      `#!/bin/sh\necho "$(basename "$PWD"): $*" >> "${log}"\n${failApply ? 'case "$1" in apply) echo "Error: Saved plan is stale" >&2; exit 1;; esac\n' : ''}echo "ran $1"\n`,
    );
    chmodSync(join(dir, 'terraform'), 0o755);
    return { path: `${dir}:${process.env.PATH}`, log };
  }

  test('init with the real backend then apply the saved plan file, waiting for the lock, stack by stack, skipping plans without changes', async () => {
    const f = fixture({ 'staging-lake': PLANS.create, 'staging-ingestion': PLANS.noop });
    const { plans } = checkSavedPlans(f.planDir, f.stacks, f.stacks, []);
    const tf = fakeTerraform();
    const setup = terraformSetup({ PATH: tf.path });
    const out: string[] = [];
    await expect(applySavedPlans(setup, plans, (t) => out.push(t))).resolves.toEqual({ applied: ['staging-lake'], held: [] });
    expect(readFileSync(tf.log, 'utf8').trim().split('\n')).toEqual([
      'staging-lake: init -input=false -no-color',
      `staging-lake: apply -input=false -no-color -lock-timeout=10m ${join(f.planDir, 'staging-lake', 'plan.tfplan')}`,
    ]);
    expect(out).toEqual(['ran apply\n', 'staging-ingestion: no changes, nothing to apply.\n']);
  });

  test('apply no stack after one whose outputs change, and report the held ones', async () => {
    const f = fixture({ 'staging-lake': PLANS.createWithOutputs, 'staging-ingestion': PLANS.create });
    const { plans } = checkSavedPlans(f.planDir, f.stacks, f.stacks, []);
    const tf = fakeTerraform();
    const result = await applySavedPlans(terraformSetup({ PATH: tf.path }), plans, () => undefined);
    expect(result).toEqual({
      applied: ['staging-lake'],
      held: [{
        environment: 'staging',
        reason: 'staging-lake changes its outputs (cross-stack-output-aws_kms_keylake_keyarn), which later layers read through remote state',
        stacks: ['staging-ingestion'],
      }],
    });
    expect(readFileSync(tf.log, 'utf8')).not.toContain('staging-ingestion');
  });

  test('stop at the first failed apply', async () => {
    const f = fixture({ 'staging-lake': PLANS.create, 'staging-ingestion': PLANS.create });
    const { plans } = checkSavedPlans(f.planDir, f.stacks, f.stacks, []);
    const tf = fakeTerraform(true);
    await expect(applySavedPlans(terraformSetup({ PATH: tf.path }), plans, () => undefined)).rejects.toThrow(
      `terraform apply -input=false -no-color -lock-timeout=10m ${join(f.planDir, 'staging-lake', 'plan.tfplan')} failed in ${f.stacks[0].dir}:\nError: Saved plan is stale`,
    );
    expect(readFileSync(tf.log, 'utf8')).not.toContain('staging-ingestion');
  });
});
