/**
 * The GitHub workflows, checked as data: triggers, job order, least-privilege permissions,
 * pinned actions, GitHub environments, no long-lived keys, and that every script a step runs
 * exists and reads the options the step passes.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import { listEnvironments, loadEnvironments } from '@data-platform/core';
import { REPO_ROOT } from './lib/synth';

interface Step {
  readonly name?: string;
  readonly id?: string;
  readonly uses?: string;
  readonly run?: string;
  readonly if?: string;
  readonly with?: Record<string, string | number | boolean>;
  readonly env?: Record<string, string>;
}
interface Job {
  readonly needs?: string | string[];
  readonly if?: string;
  readonly environment?: string;
  readonly env?: Record<string, string>;
  readonly permissions?: Record<string, string>;
  readonly strategy?: { 'max-parallel'?: number; 'fail-fast'?: boolean; matrix?: Record<string, unknown> };
  readonly steps: Step[];
}
interface Workflow {
  readonly name: string;
  readonly on: Record<string, unknown>;
  readonly permissions?: Record<string, string> | string;
  readonly concurrency?: { group: string; 'cancel-in-progress': boolean };
  readonly env?: Record<string, string>;
  readonly jobs: Record<string, Job>;
}

const WORKFLOWS_DIR = join(REPO_ROOT, '.github', 'workflows');
const FILES = ['pull-request.yml', 'deploy.yml', 'drift.yml'];
const text = (file: string) => readFileSync(join(WORKFLOWS_DIR, file), 'utf8');
const load = (file: string): Workflow => parseDocument(text(file)).toJS() as Workflow;
const workflows = Object.fromEntries(FILES.map((f) => [f, load(f)])) as Record<string, Workflow>;
const allJobs = FILES.flatMap((f) => Object.entries(workflows[f].jobs).map(([id, job]) => ({ file: f, id, job })));
const allSteps = allJobs.flatMap(({ file, id, job }) => job.steps.map((step) => ({ file, job: id, step })));
const PROMOTION = ['dev', 'staging', 'prod'];
const PACKAGE_SCRIPTS = (JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;

const needsOf = (job: Job): string[] => (job.needs === undefined ? [] : Array.isArray(job.needs) ? job.needs : [job.needs]);
/** Every job that must finish before `id` starts. */
function ancestors(wf: Workflow, id: string): Set<string> {
  const seen = new Set<string>();
  const visit = (j: string) => needsOf(wf.jobs[j]).forEach((n) => (seen.has(n) ? undefined : (seen.add(n), visit(n))));
  visit(id);
  return seen;
}
const assumesRole = (job: Job) => job.steps.some((s) => s.uses?.startsWith('aws-actions/configure-aws-credentials@'));
/** The deploy role's longest session, in seconds (apps/bootstrap's deploy role: DEPLOY_ROLE_MAX_SESSION_SECONDS). */
const DEPLOY_SESSION_SECONDS = 14_400;

/**
 * Evaluates a job's `if` the way GitHub does for the small subset the workflows use: `==` and
 * `||` of `github.event_name`, `github.ref`, `github.event.<path>`, string literals and
 * `format('{0}...', x)`. A missing event field is null, as in GitHub's expressions.
 */
function evaluateIf(expression: string, github: { event_name: string; ref: string; event: Record<string, unknown> }): boolean {
  const value = (term: string): unknown => {
    const t = term.trim();
    const literal = /^'([^']*)'$/.exec(t);
    if (literal) return literal[1];
    const format = /^format\('([^']*)',\s*(.+)\)$/.exec(t);
    if (format) return format[1].replace('{0}', String(value(format[2]) ?? ''));
    if (t === 'github.event_name') return github.event_name;
    if (t === 'github.ref') return github.ref;
    if (t.startsWith('github.event.')) {
      return t.slice('github.event.'.length).split('.').reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] ?? null : null), github.event);
    }
    throw new Error(`evaluateIf does not know ${t}`);
  };
  return expression.split('||').some((part) => {
    const [left, right] = part.split('==');
    return value(left) === value(right);
  });
}
const action = (s: Step) => s.uses?.split('@')[0];

describe('workflow files', () => {
  test('are exactly the three workflows, each valid YAML without warnings', () => {
    expect(readdirSync(WORKFLOWS_DIR).sort()).toEqual([...FILES].sort());
    for (const f of FILES) {
      const doc = parseDocument(text(f));
      expect({ file: f, errors: doc.errors.map(String), warnings: doc.warnings.map(String) }).toEqual({ file: f, errors: [], warnings: [] });
    }
  });

  test('disable Terraform checkpoint calls and the Nx daemon, and use the OIDC role as it is, in every job', () => {
    for (const f of FILES) expect(workflows[f].env).toEqual({ CHECKPOINT_DISABLE: '1', NX_DAEMON: 'false', PLATFORM_CREDENTIALS: 'ambient' });
  });
});

describe('pull-request workflow', () => {
  const wf = workflows['pull-request.yml'];

  test('runs on pull requests, one run per pull request, superseded runs cancelled', () => {
    expect(Object.keys(wf.on)).toEqual(['pull_request']);
    expect(wf.concurrency).toEqual({ group: 'pull-request-${{ github.event.pull_request.number }}', 'cancel-in-progress': true });
  });

  test('tests, computes the matrix, plans it and comments, in that order', () => {
    expect(Object.keys(wf.jobs)).toEqual(['test', 'matrix', 'plan', 'comment']);
    expect(needsOf(wf.jobs.test)).toEqual([]);
    expect(needsOf(wf.jobs.plan)).toEqual(['matrix']);
    expect(needsOf(wf.jobs.comment)).toEqual(['matrix', 'plan']);
  });

  test('npm test installs with npm ci and gets providers from the registry (no mirror variable)', () => {
    const runs = wf.jobs.test.steps.map((s) => s.run).filter(Boolean);
    expect(runs).toEqual(['npm ci --no-audit --no-fund', 'npm test']);
    expect(text('pull-request.yml')).not.toMatch(/PLATFORM_TF_MIRROR\s*:/);
  });

  test('synthesizes once, computes the affected stacks and uploads cdktf.out', () => {
    const steps = wf.jobs.matrix.steps;
    expect(steps.find((s) => s.uses?.startsWith('actions/checkout@'))?.with?.['fetch-depth']).toBe(0);
    expect(steps.filter((s) => s.run === 'npm run synth')).toHaveLength(1);
    expect(steps.find((s) => s.id === 'affected')?.run).toBe('node scripts/run.js scripts/ci-matrix.ts --base="$BASE" --head="$HEAD" --github-output');
    expect(steps.find((s) => action(s) === 'actions/upload-artifact')?.with).toMatchObject({ name: 'cdktf-out', path: 'cdktf.out' });
    expect(wf.jobs.matrix.if).toBe('github.event.pull_request.head.repo.full_name == github.repository');
  });

  test('plans each affected stack with its plan role, bounded in parallel, and uploads the summary', () => {
    const plan = wf.jobs.plan;
    expect(plan.strategy).toEqual({ 'fail-fast': false, 'max-parallel': 8, matrix: { include: '${{ fromJSON(needs.matrix.outputs.matrix) }}' } });
    expect(plan.if).toBe("needs.matrix.outputs.count != '0'");
    const creds = plan.steps.find((s) => action(s) === 'aws-actions/configure-aws-credentials');
    expect(creds?.with).toMatchObject({ 'role-to-assume': '${{ matrix.planRole }}', 'aws-region': '${{ matrix.region }}' });
    expect(plan.steps.find((s) => s.name === 'terraform plan')?.run).toBe(
      'read -ra stacks <<< "$STACK"\nnpm run plan -- "${stacks[@]}" --synthesized=cdktf.out --no-lock --markdown="summary-$KEY.md"\n',
    );
    expect(plan.steps.find((s) => action(s) === 'actions/download-artifact')?.with).toEqual({ name: 'cdktf-out', path: 'cdktf.out' });
    expect(plan.steps.at(-1)?.with).toMatchObject({ name: 'plan-summary-${{ matrix.key }}', path: 'summary-${{ matrix.key }}.md' });
  });

  test('comments after the plans, failed or not, unless the run was cancelled (a newer push comments instead)', () => {
    expect(wf.jobs.comment.if).toBe("${{ !cancelled() && needs.matrix.result == 'success' }}");
  });

  test('keeps one pull-request comment, found by its hidden marker', () => {
    const script = String(wf.jobs.comment.steps.find((s) => action(s) === 'actions/github-script')?.with?.script);
    expect(script).toContain("const marker = '<!-- data-platform-plan -->';");
    expect(script).toContain('github.rest.issues.updateComment');
    expect(script).toContain('github.rest.issues.createComment');
    expect(wf.jobs.comment.steps[0].with).toEqual({ pattern: 'plan-summary-*', 'merge-multiple': true, path: 'summaries' });
  });
});

describe('deploy workflow', () => {
  const wf = workflows['deploy.yml'];

  test('runs on pushes to main, one deploy at a time, never cancelled', () => {
    expect(wf.on).toEqual({ push: { branches: ['main'] } });
    expect(wf.concurrency).toEqual({ group: 'deploy', 'cancel-in-progress': false });
  });

  test('synthesizes once, then promotes dev before staging before prod, applying after planning in each', () => {
    expect(Object.keys(wf.jobs)).toEqual(['synth', ...PROMOTION.flatMap((e) => [`plan-${e}`, `apply-${e}`])]);
    PROMOTION.forEach((env, i) => {
      expect(ancestors(wf, `plan-${env}`)).toContain('synth');
      expect(needsOf(wf.jobs[`apply-${env}`])).toEqual(['synth', `plan-${env}`]);
      if (i > 0) {
        const before = PROMOTION[i - 1];
        expect(needsOf(wf.jobs[`plan-${env}`])).toEqual(['synth', `plan-${before}`, `apply-${before}`]);
        expect(ancestors(wf, `apply-${env}`)).toEqual(new Set(['synth', ...PROMOTION.slice(0, i + 1).flatMap((e) => [`plan-${e}`, `apply-${e}`])].filter((j) => j !== `apply-${env}`)));
      }
    });
  });

  test('the next environment follows an applied one, or one whose plan changed nothing, never a failure', () => {
    expect(wf.jobs['plan-staging'].if).toBe(
      "${{ !cancelled() && needs.plan-dev.result == 'success' && (needs.apply-dev.result == 'success' || needs.apply-dev.result == 'skipped') }}",
    );
    for (const env of PROMOTION) expect(wf.jobs[`apply-${env}`].if).toBe(`needs.plan-${env}.outputs.changes == 'true'`);
  });

  test('plan and apply jobs run in the GitHub environment named after the environment, with its deploy role', () => {
    const known = listEnvironments(join(REPO_ROOT, 'environments'));
    const online = loadEnvironments(join(REPO_ROOT, 'environments'), PROMOTION).filter((e) => !e.offline).map((e) => e.name);
    expect(online).toEqual(PROMOTION);
    for (const env of PROMOTION) {
      expect(known).toContain(env);
      for (const kind of ['plan', 'apply']) {
        const job = wf.jobs[`${kind}-${env}`];
        expect(job.environment).toBe(env);
        expect(job.env).toEqual({ ENVIRONMENT: env, PLATFORM_ALLOW_DESTROY: '${{ vars.PLATFORM_ALLOW_DESTROY }}' });
        expect(job.steps.find((s) => action(s) === 'aws-actions/configure-aws-credentials')?.with).toMatchObject({
          'role-to-assume': `\${{ fromJSON(needs.synth.outputs.environments).${env}.deployRole }}`,
          'aws-region': `\${{ fromJSON(needs.synth.outputs.environments).${env}.region }}`,
        });
      }
    }
    expect(wf.jobs.synth.steps.find((s) => s.id === 'roles')?.run).toBe(
      `node scripts/run.js scripts/ci-matrix.ts --environments=${PROMOTION.join(',')} --role=deploy --github-output`,
    );
  });

  test('every environment uses the one synthesized artifact, and applies exactly the plan files it saved', () => {
    expect(wf.jobs.synth.steps.filter((s) => s.run === 'npm run synth')).toHaveLength(1);
    for (const env of PROMOTION) {
      const plan = wf.jobs[`plan-${env}`];
      const apply = wf.jobs[`apply-${env}`];
      for (const job of [plan, apply]) expect(job.steps.find((s) => action(s) === 'actions/download-artifact')?.with).toEqual({ name: 'cdktf-out', path: 'cdktf.out' });
      expect(plan.steps.find((s) => s.name === 'terraform plan')?.run).toBe(
        'npm run plan -- "$ENVIRONMENT" --synthesized=cdktf.out --out="plans/$ENVIRONMENT" --markdown="summary-$ENVIRONMENT.md"',
      );
      const check = String(plan.steps.find((s) => s.id === 'check')?.run);
      expect(check).toContain('npm run deploy -- "$ENVIRONMENT" --plan-dir="plans/$ENVIRONMENT" --check');
      expect(check).toContain('2) echo "changes=true" >> "$GITHUB_OUTPUT" ;;');
      expect(plan.steps.find((s) => action(s) === 'actions/upload-artifact')?.with).toMatchObject({ name: `plans-${env}`, path: `plans/${env}\nsummary-${env}.md\n` });
      expect(apply.steps.filter((s) => action(s) === 'actions/download-artifact').map((s) => s.with)).toContainEqual({ name: `plans-${env}`, path: '.' });
      expect(apply.steps.find((s) => s.name === 'terraform apply of the saved plans')?.run).toBe('npm run deploy -- "$ENVIRONMENT" --plan-dir="plans/$ENVIRONMENT" --yes');
    }
  });

  test('plan and apply jobs hold the deploy role for its longest session (four hours), and end before it does', () => {
    for (const env of PROMOTION) {
      for (const kind of ['plan', 'apply']) {
        const job = wf.jobs[`${kind}-${env}`];
        expect(job.steps.find((s) => action(s) === 'aws-actions/configure-aws-credentials')?.with?.['role-duration-seconds']).toBe(DEPLOY_SESSION_SECONDS);
        expect((job as Job & { 'timeout-minutes': number })['timeout-minutes'] * 60).toBeLessThan(DEPLOY_SESSION_SECONDS);
      }
    }
  });

  test('a failed apply keeps the state Terraform could not save (errored.tfstate), and only then', () => {
    for (const env of PROMOTION) {
      const steps = wf.jobs[`apply-${env}`].steps;
      const keep = steps.find((s) => s.name === 'keep the state Terraform could not save');
      expect(keep).toMatchObject({
        if: 'failure()',
        with: { name: `errored-state-${env}`, path: 'cdktf.out/stacks/*/errored.tfstate', 'if-no-files-found': 'ignore', 'retention-days': 7 },
      });
      expect(action(keep as Step)).toBe('actions/upload-artifact');
      expect(steps.indexOf(keep as Step)).toBe(steps.findIndex((s) => s.name === 'terraform apply of the saved plans') + 1);
    }
  });
});

describe('drift workflow', () => {
  const wf = workflows['drift.yml'];

  test('runs daily and on demand, on the default branch only: every scheduled run, manual runs started on it', () => {
    expect(wf.on).toEqual({ schedule: [{ cron: '23 5 * * *' }], workflow_dispatch: null });
    // A scheduled run's event has no repository object: comparing with its default branch would
    // skip every scheduled run. Scheduled runs always run on the default branch.
    expect(wf.jobs.environments.if).toBe("github.event_name == 'schedule' || github.ref == format('refs/heads/{0}', github.event.repository.default_branch)");
    const when = (event: { event_name: string; ref: string; event: Record<string, unknown> }) => evaluateIf(wf.jobs.environments.if as string, event);
    expect(when({ event_name: 'schedule', ref: 'refs/heads/main', event: {} })).toBe(true);
    expect(when({ event_name: 'workflow_dispatch', ref: 'refs/heads/main', event: { repository: { default_branch: 'main' } } })).toBe(true);
    expect(when({ event_name: 'workflow_dispatch', ref: 'refs/heads/feature', event: { repository: { default_branch: 'main' } } })).toBe(false);
  });

  test('plans every online environment with its plan role, then reports', () => {
    expect(Object.keys(wf.jobs)).toEqual(['environments', 'plan', 'report']);
    expect(needsOf(wf.jobs.plan)).toEqual(['environments']);
    expect(needsOf(wf.jobs.report)).toEqual(['environments', 'plan']);
    expect(wf.jobs.environments.steps.find((s) => s.id === 'environments')?.run).toBe('node scripts/run.js scripts/ci-matrix.ts --environments --role=plan --github-output');
    expect(wf.jobs.plan.steps.find((s) => action(s) === 'aws-actions/configure-aws-credentials')?.with).toMatchObject({ 'role-to-assume': '${{ matrix.planRole }}' });
    const run = String(wf.jobs.plan.steps.find((s) => s.name === 'terraform plan')?.run);
    expect(run).toContain('npm run plan -- "$ENVIRONMENT" --synthesized=cdktf.out --no-lock --detailed-exitcode --markdown="drift/$ENVIRONMENT.md"');
    expect(run).toContain('if [ "$code" -eq 0 ]; then outcome=clean');
  });

  test('opens, updates or closes one issue per environment, labelled drift and marked in the body', () => {
    const script = String(wf.jobs.report.steps.find((s) => action(s) === 'actions/github-script')?.with?.script);
    expect(script).toContain("const label = 'drift';");
    expect(script).toContain('const marker = `<!-- data-platform-drift:${environment} -->`;');
    for (const call of ['issues.create(', 'issues.update(', "state: 'closed'", 'labels: [label]']) expect(script).toContain(call);
  });
});

describe('security of every workflow', () => {
  test('grant nothing at the top; every job names its permissions', () => {
    for (const f of FILES) expect(workflows[f].permissions).toEqual({});
    for (const { file, id, job } of allJobs) expect({ file, id, permissions: typeof job.permissions }).toEqual({ file, id, permissions: 'object' });
  });

  test('least privilege per job: contents read, id-token only to assume a role, pull-requests and issues only where they write', () => {
    const expected: Record<string, Record<string, string>> = {
      'pull-request.yml/comment': { 'pull-requests': 'write' },
      'drift.yml/report': { issues: 'write' },
    };
    for (const { file, id, job } of allJobs) {
      const want = expected[`${file}/${id}`] ?? (assumesRole(job) ? { contents: 'read', 'id-token': 'write' } : { contents: 'read' });
      expect({ job: `${file}/${id}`, permissions: job.permissions }).toEqual({ job: `${file}/${id}`, permissions: want });
    }
    for (const f of FILES) expect(text(f)).not.toMatch(/write-all|read-all/);
  });

  test('every action is pinned to a full commit SHA, with its version in a trailing comment, the same everywhere', () => {
    const pins = new Map<string, Set<string>>();
    for (const f of FILES) {
      for (const line of text(f).split('\n').filter((l) => /^\s*-?\s*uses:/.test(l))) {
        const m = /uses: ([\w.-]+\/[\w.-]+)@([0-9a-f]{40}) # (v\d+\.\d+\.\d+)$/.exec(line.trim());
        expect({ file: f, line: line.trim(), pinned: !!m }).toEqual({ file: f, line: line.trim(), pinned: true });
        if (m) pins.set(m[1], new Set([...(pins.get(m[1]) ?? []), `${m[2]} ${m[3]}`]));
      }
    }
    expect(Object.fromEntries([...pins].map(([a, v]) => [a, v.size]))).toEqual({
      'actions/checkout': 1,
      'actions/setup-node': 1,
      'actions/upload-artifact': 1,
      'actions/download-artifact': 1,
      'aws-actions/configure-aws-credentials': 1,
      'hashicorp/setup-terraform': 1,
      'actions/github-script': 1,
    });
    expect(allSteps.filter(({ step }) => step.uses).length).toBe(allSteps.filter(({ step }) => step.uses && /@[0-9a-f]{40}$/.test(step.uses)).length);
  });

  test('no long-lived keys: no AWS key secrets, no secrets at all, credentials only through OIDC', () => {
    for (const f of FILES) {
      expect(text(f)).not.toMatch(/AWS_ACCESS_KEY_ID|AWS_SECRET_ACCESS_KEY|AWS_SESSION_TOKEN|aws-access-key-id|aws-secret-access-key|aws-session-token/i);
      expect(text(f)).not.toMatch(/secrets\./);
    }
    for (const { file, step } of allSteps.filter(({ step }) => action(step) === 'aws-actions/configure-aws-credentials')) {
      const extra = file === 'deploy.yml' ? ['role-duration-seconds'] : [];
      expect(Object.keys(step.with ?? {}).sort()).toEqual(['aws-region', ...extra, 'role-session-name', 'role-to-assume']);
    }
  });

  test('plans with the read-only plan role take no state lock (it may not write lock objects); deploy plans do', () => {
    const planRuns = allSteps.filter(({ step }) => /npm run plan /.test(step.run ?? ''));
    expect(planRuns.map(({ file, job, step }) => [file, job, /--no-lock\b/.test(step.run ?? '')])).toEqual([
      ['pull-request.yml', 'plan', true],
      ...PROMOTION.map((e) => ['deploy.yml', `plan-${e}`, false]),
      ['drift.yml', 'plan', true],
    ]);
    for (const { file, job } of planRuns.filter(({ step }) => /--no-lock\b/.test(step.run ?? ''))) {
      expect(workflows[file].jobs[job].steps.find((s) => action(s) === 'aws-actions/configure-aws-credentials')?.with?.['role-to-assume']).toBe('${{ matrix.planRole }}');
    }
  });

  test('synthesize once per run: every plan job plans the uploaded synthesis, and only the synthesizing job synthesizes', () => {
    for (const f of FILES) {
      const synthesizing = Object.entries(workflows[f].jobs).filter(([, job]) => job.steps.some((s) => s.run === 'npm run synth')).map(([id]) => id);
      expect({ file: f, synthesizing }).toEqual({ file: f, synthesizing: [{ 'pull-request.yml': 'matrix', 'deploy.yml': 'synth', 'drift.yml': 'environments' }[f]] });
      const [producer] = synthesizing;
      expect(workflows[f].jobs[producer].steps.find((s) => action(s) === 'actions/upload-artifact')?.with).toMatchObject({ name: 'cdktf-out', path: 'cdktf.out' });
      for (const [id, job] of Object.entries(workflows[f].jobs)) {
        const plan = job.steps.findIndex((s) => /npm run plan /.test(s.run ?? ''));
        if (plan < 0) continue;
        expect({ file: f, id, synthesized: /--synthesized=cdktf\.out\b/.test(job.steps[plan].run ?? '') }).toEqual({ file: f, id, synthesized: true });
        const download = job.steps.findIndex((s) => action(s) === 'actions/download-artifact' && s.with?.name === 'cdktf-out');
        expect({ file: f, id, downloadedBefore: download >= 0 && download < plan, path: job.steps[download]?.with?.path }).toEqual({ file: f, id, downloadedBefore: true, path: 'cdktf.out' });
        expect(ancestors(workflows[f], id)).toContain(producer);
      }
    }
  });

  test('only jobs that assume a role get an OIDC token, and every such job does', () => {
    for (const { file, id, job } of allJobs) {
      expect({ job: `${file}/${id}`, idToken: job.permissions?.['id-token'] === 'write' }).toEqual({ job: `${file}/${id}`, idToken: assumesRole(job) });
    }
  });

  test('no expression is expanded inside a shell script (values reach scripts through env)', () => {
    for (const { file, job, step } of allSteps) {
      for (const script of [step.run, step.with?.script].filter((s): s is string => typeof s === 'string')) {
        expect({ file, job, expression: script.includes('${{') }).toEqual({ file, job, expression: false });
      }
    }
  });

  test('checkouts keep no credentials', () => {
    for (const { step } of allSteps.filter(({ step }) => action(step) === 'actions/checkout')) expect(step.with?.['persist-credentials']).toBe(false);
  });

  test('Terraform 1.11 without the wrapper, installed before any job plans, deploys or tests', () => {
    for (const { job } of allJobs) {
      const runs = job.steps.map((s) => s.run ?? '').join('\n');
      const tf = job.steps.findIndex((s) => action(s) === 'hashicorp/setup-terraform');
      const first = job.steps.findIndex((s) => /npm (test|run (plan|deploy))/.test(s.run ?? ''));
      if (/npm (test|run (plan|deploy))/.test(runs)) {
        expect(tf).toBeGreaterThanOrEqual(0);
        expect(tf).toBeLessThan(first);
      }
      if (tf >= 0) expect(job.steps[tf].with).toEqual({ terraform_version: '1.11.4', terraform_wrapper: false });
    }
  });
});

describe('scripts the workflows run', () => {
  const runs = allSteps.map(({ step }) => step.run).filter((r): r is string => typeof r === 'string');

  test('every npm script exists in package.json', () => {
    const used = runs.flatMap((r) => [...r.matchAll(/npm run(?:-script)? ([\w:-]+)/g)].map((m) => m[1]));
    expect([...new Set(used)].sort()).toEqual(['deploy', 'plan', 'synth']);
    for (const name of used) expect(Object.keys(PACKAGE_SCRIPTS)).toContain(name);
    expect(runs.filter((r) => /\bnpm (?!ci|test|run)/.test(r))).toEqual([]);
  });

  test('every script run through scripts/run.js exists', () => {
    const files = runs.flatMap((r) => [...r.matchAll(/node scripts\/run\.js (\S+)/g)].map((m) => m[1]));
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) expect(existsSync(join(REPO_ROOT, file))).toBe(true);
  });

  test('every option a step passes is read by the script it runs', () => {
    const entry = (script: string) => readFileSync(join(REPO_ROOT, script), 'utf8');
    const sources: Record<string, string> = {
      plan: entry('scripts/plan.ts'),
      deploy: entry('scripts/deploy.ts'),
      synth: entry('scripts/synth.ts'),
      'scripts/ci-matrix.ts': entry('scripts/ci-matrix.ts'),
    };
    for (const run of runs) {
      for (const line of run.split('\n')) {
        const m = /(?:npm run ([\w-]+) --|node scripts\/run\.js (scripts\/[\w-]+\.ts))(.*)$/.exec(line);
        if (!m) continue;
        const source = sources[m[1] ?? m[2]];
        for (const [, flag] of (m[3] ?? '').matchAll(/--([\w-]+)/g)) {
          expect({ script: m[1] ?? m[2], flag, read: source.includes(`'${flag}'`) }).toEqual({ script: m[1] ?? m[2], flag, read: true });
        }
      }
    }
  });
});

/**
 * Runs a workflow's actions/github-script script the way the action does (an async function of
 * require, github, context, core), in `dir`, against a recording fake of the GitHub API.
 */
async function runGithubScript(
  script: string,
  options: { dir: string; env: Record<string, string>; comments?: unknown[]; issues?: unknown[]; labelExists?: boolean },
) {
  const calls: Array<[string, Record<string, unknown>]> = [];
  const record = (name: string, result: unknown = {}) => async (args: Record<string, unknown>) => {
    calls.push([name, args]);
    return { data: result };
  };
  const github = {
    rest: {
      issues: {
        listComments: 'listComments',
        listForRepo: 'listForRepo',
        createComment: record('createComment'),
        updateComment: record('updateComment'),
        create: record('create'),
        update: record('update'),
        createLabel: record('createLabel'),
        getLabel: async (args: Record<string, unknown>) => {
          calls.push(['getLabel', args]);
          if (options.labelExists === false) throw Object.assign(new Error('Not Found'), { status: 404 });
          return { data: {} };
        },
      },
    },
    paginate: async (what: string) => (what === 'listComments' ? (options.comments ?? []) : (options.issues ?? [])),
  };
  const failures: string[] = [];
  const core = { info: () => undefined, warning: () => undefined, setFailed: (m: string) => failures.push(m) };
  const context = {
    repo: { owner: 'example', repo: 'data-platform' },
    serverUrl: 'https://github.com',
    runId: 42,
    sha: 'abcdef1234567890',
    payload: { pull_request: { number: 7, head: { sha: '1234567abcdef' } } },
  };
  const saved = { cwd: process.cwd(), env: { ...process.env } };
  process.chdir(options.dir);
  Object.assign(process.env, options.env);
  try {
    const AsyncFunction = Object.getPrototypeOf(async () => undefined).constructor as new (...args: string[]) => (...a: unknown[]) => Promise<void>;
    await new AsyncFunction('require', 'github', 'context', 'core', script)(require, github, context, core);
  } finally {
    process.chdir(saved.cwd);
    for (const k of Object.keys(options.env)) if (saved.env[k] === undefined) delete process.env[k];
    Object.assign(process.env, saved.env);
  }
  return { calls, failures };
}

const scriptOf = (file: string, job: string) => String(workflows[file].jobs[job].steps.find((s) => action(s) === 'actions/github-script')?.with?.script);
const RUN = 'https://github.com/example/data-platform/actions/runs/42';

describe('the pull-request comment script', () => {
  const script = scriptOf('pull-request.yml', 'comment');
  const MATRIX = JSON.stringify([{ key: 'dev-lake' }, { key: 'dev-ingestion' }]);
  function withSummaries(files: Record<string, string>): string {
    const dir = mkdtempSync(join(tmpdir(), 'pr-comment-'));
    mkdirSync(join(dir, 'summaries'));
    for (const [name, body] of Object.entries(files)) writeFileSync(join(dir, 'summaries', name), body);
    return dir;
  }

  test('creates one comment with the marker and the summaries in the matrix order', async () => {
    const dir = withSummaries({ 'summary-dev-ingestion.md': '### Plan: dev-ingestion\n', 'summary-dev-lake.md': '### Plan: dev-lake\n' });
    const { calls } = await runGithubScript(script, { dir, env: { MATRIX, PLAN_RESULT: 'success' } });
    expect(calls).toEqual([
      [
        'createComment',
        {
          owner: 'example',
          repo: 'data-platform',
          issue_number: 7,
          body: `<!-- data-platform-plan -->\n## Terraform plan\n\n### Plan: dev-lake\n\n### Plan: dev-ingestion\n\n<sub>Plans of 1234567, [workflow run](${RUN}); this comment is updated on every push.</sub>`,
        },
      ],
    ]);
  });

  test("updates the bot's marked comment instead of adding one, ignoring a person quoting the marker", async () => {
    const dir = withSummaries({ 'summary-dev-lake.md': '### Plan: dev-lake\n' });
    const comments = [
      { id: 1, user: { type: 'User' }, body: 'see <!-- data-platform-plan -->' },
      { id: 2, user: { type: 'Bot' }, body: '<!-- data-platform-plan -->\nold' },
    ];
    const { calls } = await runGithubScript(script, { dir, env: { MATRIX, PLAN_RESULT: 'failure' } });
    expect(calls.map(([name]) => name)).toEqual(['createComment']);
    const updated = await runGithubScript(script, { dir, env: { MATRIX, PLAN_RESULT: 'failure' }, comments });
    expect(updated.calls.map(([name, args]) => [name, args.comment_id])).toEqual([['updateComment', 2]]);
    expect(String(updated.calls[0][1].body)).toContain(`> [!WARNING]\n> Some plans failed or were cancelled; see the [workflow run](${RUN}).`);
  });

  test('says so when no stack is affected, and keeps within the comment size limit', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'pr-comment-'));
    const none = await runGithubScript(script, { dir: empty, env: { MATRIX: '[]', PLAN_RESULT: 'skipped' } });
    expect(String(none.calls[0][1].body)).toContain('No stack is affected by this change.');
    const dir = withSummaries({ 'summary-dev-lake.md': 'x'.repeat(80_000) });
    const big = await runGithubScript(script, { dir, env: { MATRIX, PLAN_RESULT: 'success' } });
    const body = String(big.calls[0][1].body);
    expect(body.length).toBeLessThanOrEqual(65_536);
    expect(body).toContain("... truncated; every summary is in the run's plan-summary artifacts.");
  });
});

describe('the drift report script', () => {
  const script = scriptOf('drift.yml', 'report');
  const ENVIRONMENTS = JSON.stringify([{ environment: 'dev' }, { environment: 'staging' }, { environment: 'prod' }]);
  const marker = (env: string) => `<!-- data-platform-drift:${env} -->`;
  function withResults(results: Record<string, [string, string?]>): string {
    const dir = mkdtempSync(join(tmpdir(), 'drift-'));
    mkdirSync(join(dir, 'drift'));
    for (const [env, [outcome, md]] of Object.entries(results)) {
      writeFileSync(join(dir, 'drift', `${env}.outcome`), `${outcome}\n`);
      if (md) writeFileSync(join(dir, 'drift', `${env}.md`), md);
    }
    return dir;
  }

  test('opens an issue for new drift, updates the open one, closes it when clean, and fails on no answer', async () => {
    const dir = withResults({ dev: ['drift', '### Plan: dev\n'], staging: ['drift', '### Plan: staging\n'], prod: ['clean'] });
    const issues = [
      { number: 3, body: `${marker('staging')}\nold` },
      { number: 4, body: `${marker('prod')}\nold` },
      { number: 5, body: `${marker('dev')}`, pull_request: {} },
    ];
    const { calls, failures } = await runGithubScript(script, { dir, env: { ENVIRONMENTS }, issues });
    expect(calls.map(([name, args]) => [name, args.issue_number ?? args.name ?? args.title])).toEqual([
      ['getLabel', 'drift'],
      ['create', 'Drift in dev'],
      ['update', 3],
      ['createComment', 4],
      ['update', 4],
    ]);
    const created = calls[1][1];
    expect(created.labels).toEqual(['drift']);
    expect(String(created.body).startsWith(`${marker('dev')}\nThe daily plan of main (abcdef1, [run](${RUN})) finds that **dev** differs from its configuration.`)).toBe(true);
    expect(String(created.body)).toContain('### Plan: dev');
    expect(calls[4][1]).toMatchObject({ state: 'closed', state_reason: 'completed' });
    expect(failures).toEqual([]);
  });

  test('leaves the issue of an environment whose check failed alone, and fails the run', async () => {
    const dir = withResults({ dev: ['failed'], prod: ['clean'] });
    const { calls, failures } = await runGithubScript(script, { dir, env: { ENVIRONMENTS }, issues: [{ number: 9, body: marker('dev') }], labelExists: false });
    expect(calls.map(([name]) => name)).toEqual(['getLabel', 'createLabel']);
    expect(failures).toEqual([`The drift check failed for dev, staging; see ${RUN}`]);
  });
});
