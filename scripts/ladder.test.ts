/**
 * The verification ladder over the real environment files (ARCHITECTURE.md, "How it is
 * verified"): every environment synthesizes (once per run), every stack passes
 * `terraform validate` against the real AWS provider schema, the offline environments plan,
 * and `local` passes `terraform test` with a mocked provider (a simulated apply).
 *
 * Terraform runs per stack in parallel (bounded by lib/stacks.ts) with a shared plugin cache;
 * set PLATFORM_TF_MIRROR on machines without the Terraform registry.
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LAYERS, listEnvironments, loadEnvironments, stackName } from '@data-platform/core';
import { PolicyReport, REPORT_FILES } from '@data-platform/policy';
import { TERRAFORM_PARALLELISM, planStack, validateStack, warmPluginCache } from './lib/stacks';
import { REPO_ROOT, SynthResult, SynthesizedStackInfo, synth } from './lib/synth';
import { TerraformSetup, WORK_DIR, checkTerraform, formatDiagnostics, init, terraformSetup, test as terraformTest } from './lib/terraform';

const ENV_DIR = join(REPO_ROOT, 'environments');
const TF_TESTS_DIR = join(REPO_ROOT, 'apps', 'data-platform', 'terraform-tests');
const envs = loadEnvironments(ENV_DIR);
const expectedStacks = envs.flatMap((env) => [...new Set(LAYERS.map((layer) => stackName(env, layer)))]);
const offlineStacks = envs.filter((e) => e.offline).flatMap((env) => [...new Set(LAYERS.map((layer) => stackName(env, layer)))]);

// test.concurrent bodies may start before beforeAll finishes: share one memoized synthesis instead.
let ready: Promise<{ setup: TerraformSetup; result: SynthResult }> | undefined;
function synthOnce() {
  ready ??= (async () => {
    const setup = terraformSetup();
    await checkTerraform(setup.env);
    const result = await synth({ outdir: join(WORK_DIR, 'test-synth') });
    await warmPluginCache(setup, result.stacks[0]);
    return { setup, result };
  })();
  return ready;
}

// At most TERRAFORM_PARALLELISM terraform processes, and one at a time per stack directory.
let running = 0;
const waiting: Array<() => void> = [];
const dirLocks = new Map<string, Promise<unknown>>();
async function withTerraform<R>(stack: SynthesizedStackInfo, fn: () => Promise<R>): Promise<R> {
  const previous = dirLocks.get(stack.dir) ?? Promise.resolve();
  const mine = previous.catch(() => undefined).then(async () => {
    if (running >= TERRAFORM_PARALLELISM) await new Promise<void>((r) => waiting.push(r));
    running++;
    try {
      return await fn();
    } finally {
      running--;
      waiting.shift()?.();
    }
  });
  dirLocks.set(stack.dir, mine);
  return mine;
}

async function stack(name: string): Promise<{ setup: TerraformSetup; stack: SynthesizedStackInfo }> {
  const { setup, result } = await synthOnce();
  const found = result.stacks.find((s) => s.name === name);
  if (!found) throw new Error(`stack ${name} was not synthesized; synthesized: ${result.stacks.map((s) => s.name).join(', ')}`);
  return { setup, stack: found };
}

jest.setTimeout(15 * 60 * 1000);

test('every environment file synthesizes into its stacks', async () => {
  const { result } = await synthOnce();
  expect(envs.map((e) => e.name).sort()).toEqual(listEnvironments(ENV_DIR));
  expect(result.stacks.map((s) => s.name).sort()).toEqual([...expectedStacks].sort());
  for (const s of result.stacks) expect(existsSync(join(s.dir, 'cdk.tf.json'))).toBe(true);
});

test('there is an offline environment to plan without an AWS account', () => {
  expect(offlineStacks.length).toBeGreaterThan(0);
});

test('stateful resources of protected environments cannot be destroyed by a plan', async () => {
  const { result } = await synthOnce();
  const protectedStacks = result.stacks.filter((s) => s.protect);
  expect(protectedStacks.map((s) => s.environment)).toEqual(expect.arrayContaining(['staging', 'prod']));
  for (const environment of new Set(protectedStacks.map((s) => s.environment))) {
    expect(protectedStacks.filter((s) => s.environment === environment).flatMap((s) => s.stateful).length).toBeGreaterThan(0);
  }
  for (const s of protectedStacks) {
    const tf = JSON.parse(readFileSync(join(s.dir, 'cdk.tf.json'), 'utf8')) as { resource: Record<string, Record<string, { lifecycle?: { prevent_destroy?: boolean } }>> };
    for (const address of s.stateful) {
      const [type, name] = address.split('.');
      expect({ address, preventDestroy: tf.resource[type]?.[name]?.lifecycle?.prevent_destroy }).toEqual({ address, preventDestroy: true });
    }
  }
});

describe('policy pack', () => {
  const reportOf = (s: SynthesizedStackInfo) => JSON.parse(readFileSync(join(s.dir, REPORT_FILES.json), 'utf8')) as PolicyReport;

  test('every stack of every environment passes with zero unsuppressed failures', async () => {
    const { result } = await synthOnce();
    for (const s of result.stacks) {
      const report = reportOf(s);
      expect({ stack: s.name, failures: report.findings.filter((f) => f.status === 'fail') }).toEqual({ stack: s.name, failures: [] });
      expect(report.counts.pass).toBeGreaterThan(0);
    }
  });

  // The reviewed list of suppressions: a new one fails this test until its reason is read and
  // added here. Keyed by rule, construct path below the stack and reason; valued by the stacks.
  test('every suppression is one of the reviewed ones, with its reason', async () => {
    const { result } = await synthOnce();
    const seen: Record<string, string[]> = {};
    for (const s of result.stacks) {
      for (const sup of reportOf(s).suppressions) {
        const key = `${sup.ruleId} at ${sup.path.slice(s.name.length + 1)}: ${sup.reason}`;
        (seen[key] ??= []).push(s.name);
      }
    }
    expect(seen).toEqual({
      's3-kms-encryption at lake/lake/access-logs/bucket: S3 server access logging delivers only to buckets encrypted with SSE-S3 (AES256), never SSE-KMS; this bucket holds access logs only, no lake data':
        ['dev-lake', 'local', 'prod-lake', 'staging-lake'],
    });
  });
});

describe('terraform validate', () => {
  test.concurrent.each(expectedStacks)('%s is valid against the AWS provider schema, without warnings', async (name) => {
    const { setup, stack: s } = await stack(name);
    const result = await withTerraform(s, () => validateStack(setup, s));
    expect(result.valid).toBe(true);
    expect(formatDiagnostics(result)).toBe('');
  });
});

describe('offline plan', () => {
  test.concurrent.each(offlineStacks)('%s plans offline: creates every stateful resource, destroys nothing', async (name) => {
    const { setup, stack: s } = await stack(name);
    const { summary, plan } = await withTerraform(s, () => planStack(setup, s));
    expect(summary.counts.create).toBeGreaterThan(0);
    expect(summary.destructive).toEqual([]);
    const created = new Set((plan.resource_changes ?? []).filter((rc) => rc.change.actions.includes('create')).map((rc) => rc.address));
    expect(s.stateful.length).toBeGreaterThan(0);
    for (const address of s.stateful) expect(created).toContain(address);
  });
});

describe('terraform test (mocked AWS provider)', () => {
  const withTests = offlineStacks.filter((name) => existsSync(join(TF_TESTS_DIR, `${name}.tftest.hcl`)));

  test('every offline stack has a terraform test file', () => {
    expect(withTests).toEqual(offlineStacks);
  });

  test.concurrent.each(withTests)('%s passes a simulated apply', async (name) => {
    const { setup, stack: s } = await stack(name);
    mkdirSync(join(s.dir, 'tests'), { recursive: true });
    copyFileSync(join(TF_TESTS_DIR, `${name}.tftest.hcl`), join(s.dir, 'tests', `${name}.tftest.hcl`));
    const output = await withTerraform(s, async () => {
      await init(setup, s.dir, false);
      return terraformTest(setup, s.dir);
    });
    expect(output).toMatch(/Success! \d+ passed, 0 failed/);
  });
});
