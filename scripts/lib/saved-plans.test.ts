import { createHash } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PLAN_FILES } from './plan-summary';
import { CHANGES_EXIT_CODE, STACK_CONFIG_FILE, appliesChanges, applySavedPlans, checkSavedPlans, configHash } from './saved-plans';
import { SynthesizedStackInfo } from './synth';
import { terraformSetup } from './terraform';

const BUCKET = 'aws_s3_bucket.lake_raw_bucket';
const change = (address: string, actions: string[]) => ({ address, type: address.split('.')[0], mode: 'managed' as const, change: { actions } });
const PLANS = {
  create: { resource_changes: [change(BUCKET, ['create']), change('aws_s3_bucket_versioning.raw', ['create'])] },
  noop: { resource_changes: [change(BUCKET, ['no-op']), { ...change('data.aws_iam_policy_document.p', ['read']), mode: 'data' as const }] },
  replaceBucket: { resource_changes: [change(BUCKET, ['delete', 'create'])] },
  outputOnly: { resource_changes: [change(BUCKET, ['no-op'])], output_changes: { lake_key_arn: { actions: ['create'] } } },
};

interface Fixture {
  readonly outdir: string;
  readonly planDir: string;
  readonly stacks: SynthesizedStackInfo[];
}

/** A synthesis (cdktf.out/stacks/<stack>/cdk.tf.json) and the plans `plan --out` saved from it. */
function fixture(plans: Record<string, object>, protect = true): Fixture {
  const root = mkdtempSync(join(tmpdir(), 'saved-plans-'));
  const outdir = join(root, 'cdktf.out');
  const planDir = join(root, 'plans');
  const stacks = ['staging-lake', 'staging-ingestion'].map((name) => {
    const dir = join(outdir, 'stacks', name);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, STACK_CONFIG_FILE), JSON.stringify({ stack: name }));
    return { name, environment: 'staging', stage: 'staging', offline: false, protect, dir, stateful: name === 'staging-lake' ? [BUCKET] : [] };
  });
  for (const [name, plan] of Object.entries(plans)) {
    const dir = join(planDir, name);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, PLAN_FILES.plan), 'binary plan');
    writeFileSync(join(dir, PLAN_FILES.json), JSON.stringify(plan));
    const config = join(outdir, 'stacks', name, STACK_CONFIG_FILE);
    writeFileSync(join(dir, PLAN_FILES.hash), `${createHash('sha256').update(readFileSync(config)).digest('hex')}\n`);
  }
  return { outdir, planDir, stacks };
}

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
    expect(plans.map((p) => [p.stack.name, p.planFile, p.changes])).toEqual([
      ['staging-lake', join(f.planDir, 'staging-lake', 'plan.tfplan'), true],
      ['staging-ingestion', join(f.planDir, 'staging-ingestion', 'plan.tfplan'), false],
    ]);
    expect(plans[0].summary.counts).toEqual({ create: 2, update: 0, replace: 0, destroy: 0 });
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

  test('init with the real backend then apply the saved plan file, stack by stack, skipping plans without changes', async () => {
    const f = fixture({ 'staging-lake': PLANS.create, 'staging-ingestion': PLANS.noop });
    const { plans } = checkSavedPlans(f.planDir, f.stacks, f.stacks, []);
    const tf = fakeTerraform();
    const setup = terraformSetup({ PATH: tf.path });
    const out: string[] = [];
    await expect(applySavedPlans(setup, plans, (t) => out.push(t))).resolves.toEqual(['staging-lake']);
    expect(readFileSync(tf.log, 'utf8').trim().split('\n')).toEqual([
      'staging-lake: init -input=false -no-color',
      `staging-lake: apply -input=false -no-color ${join(f.planDir, 'staging-lake', 'plan.tfplan')}`,
    ]);
    expect(out).toEqual(['ran apply\n', 'staging-ingestion: no changes, nothing to apply.\n']);
  });

  test('stop at the first failed apply', async () => {
    const f = fixture({ 'staging-lake': PLANS.create, 'staging-ingestion': PLANS.create });
    const { plans } = checkSavedPlans(f.planDir, f.stacks, f.stacks, []);
    const tf = fakeTerraform(true);
    await expect(applySavedPlans(terraformSetup({ PATH: tf.path }), plans, () => undefined)).rejects.toThrow(
      `terraform apply -input=false -no-color ${join(f.planDir, 'staging-lake', 'plan.tfplan')} failed in ${f.stacks[0].dir}:\nError: Saved plan is stale`,
    );
    expect(readFileSync(tf.log, 'utf8')).not.toContain('staging-ingestion');
  });
});
