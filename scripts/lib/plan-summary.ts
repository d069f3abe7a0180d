/**
 * Turns `terraform show -json <plan>` into what a reviewer needs: counts per action, every changed
 * resource, and the addresses of everything replaced or destroyed, stateful ones called out; and
 * renders it for the terminal and for a pull-request comment (grouped by environment, then stack,
 * with each stack's policy report and the environment's diagram).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PolicyReport, REPORT_FILES, STATEFUL_RESOURCE_TYPES } from '@data-platform/policy';

/** The part of Terraform's JSON plan format this reads. */
export interface PlanJson {
  readonly resource_changes?: ReadonlyArray<{
    readonly address: string;
    readonly type: string;
    readonly mode?: 'managed' | 'data';
    readonly change: { readonly actions: readonly string[] };
    /** Why Terraform replaces or deletes it (`replace_because_cannot_update`, `delete_because_no_resource_config`, ...). */
    readonly action_reason?: string;
  }>;
}

/** What a plan does to one resource (a no-op or a read is none of these). */
export type ChangeKind = 'create' | 'update' | 'replace' | 'destroy';

/** The change kinds in the order tables list them. */
export const CHANGE_KINDS: readonly ChangeKind[] = ['create', 'update', 'replace', 'destroy'];

/**
 * Resource types that hold data, keys or catalog entries: replacing or destroying one loses what it
 * holds. The platform manifest lists the stateful resources each stack marks with `stateful()`;
 * this list, the policy pack's own (which requires prevent_destroy on them in protected
 * environments), is the fallback that still catches one that was not marked.
 */
export const STATEFUL_TYPES: readonly string[] = STATEFUL_RESOURCE_TYPES;

/** One changed resource of a plan. */
export interface ResourceChange {
  readonly address: string;
  readonly type: string;
  readonly kind: ChangeKind;
  /**
   * Why it is stateful: listed in the platform manifest, or only by its type
   * ({@link STATEFUL_TYPES}); unset when it is not stateful.
   */
  readonly statefulBy?: 'manifest' | 'type';
  /** Terraform's reason for a replace or destroy, when it gives one. */
  readonly reason?: string;
}

/** One stack's plan, summarized. */
export interface PlanSummary {
  readonly stack: string;
  readonly counts: Readonly<Record<ChangeKind, number>>;
  /** Addresses replaced or destroyed, with whether each is a stateful resource. */
  readonly destructive: ReadonlyArray<{ readonly address: string; readonly kind: 'replace' | 'destroy'; readonly stateful: boolean }>;
  /** Every resource created, updated, replaced or destroyed, in plan order (data sources and no-ops left out). */
  readonly changes: readonly ResourceChange[];
}

/** Classifies Terraform's action list (`["delete","create"]` is a replace). */
export function changeKind(actions: readonly string[]): ChangeKind | undefined {
  if (actions.includes('delete') && actions.includes('create')) return 'replace';
  if (actions.includes('delete')) return 'destroy';
  if (actions.includes('create')) return 'create';
  if (actions.includes('update')) return 'update';
  return undefined; // no-op, read
}

/**
 * Summarizes one stack's plan. A resource is stateful when the manifest lists its address or,
 * as a fallback, when its type is one of {@link STATEFUL_TYPES}.
 * @param statefulAddresses the stack's stateful resources (from the platform manifest)
 */
export function summarizePlan(stack: string, plan: PlanJson, statefulAddresses: readonly string[] = []): PlanSummary {
  const counts: Record<ChangeKind, number> = { create: 0, update: 0, replace: 0, destroy: 0 };
  const destructive: Array<PlanSummary['destructive'][number]> = [];
  const changes: ResourceChange[] = [];
  const stateful = new Set(statefulAddresses);
  for (const rc of plan.resource_changes ?? []) {
    if (rc.mode === 'data') continue;
    const kind = changeKind(rc.change.actions);
    if (!kind) continue;
    counts[kind]++;
    const statefulBy = stateful.has(rc.address) ? 'manifest' : STATEFUL_TYPES.includes(rc.type) ? 'type' : undefined;
    changes.push({ address: rc.address, type: rc.type, kind, ...(statefulBy ? { statefulBy } : {}), ...(rc.action_reason ? { reason: rc.action_reason } : {}) });
    if (kind === 'replace' || kind === 'destroy') {
      destructive.push({ address: rc.address, kind, stateful: statefulBy !== undefined });
    }
  }
  return { stack, counts, destructive, changes };
}

/** Whether the plan changes anything at all. */
export function hasChanges(summary: PlanSummary): boolean {
  return CHANGE_KINDS.some((k) => summary.counts[k] > 0);
}

/** Renders summaries as a plain-text table for the terminal, with destructive changes listed below. */
export function formatSummaries(summaries: readonly PlanSummary[]): string {
  const header = ['stack', ...CHANGE_KINDS];
  const rows = summaries.map((s) => [s.stack, ...CHANGE_KINDS.map((k) => String(s.counts[k]))]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: readonly string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  const out = [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)];
  for (const s of summaries) {
    for (const d of s.destructive) {
      out.push(`${d.stateful ? '!! STATEFUL ' : ''}${d.kind.toUpperCase()}: ${s.stack} ${d.address}`);
    }
  }
  if (summaries.every((s) => s.destructive.length === 0)) out.push('No resource is replaced or destroyed.');
  return out.join('\n');
}

/** Addresses of stateful resources the plan replaces or destroys. */
export function destructiveStatefulChanges(summary: PlanSummary): string[] {
  return summary.destructive.filter((d) => d.stateful).map((d) => d.address);
}

/** Lists the stateful addresses a plan may replace or destroy in a protected environment. */
export const ALLOW_DESTROY_VARIABLE = 'PLATFORM_ALLOW_DESTROY';

/** The addresses listed in {@link ALLOW_DESTROY_VARIABLE} (comma-separated). */
export function allowedDestroys(vars: NodeJS.ProcessEnv = process.env): string[] {
  return (vars[ALLOW_DESTROY_VARIABLE] ?? '').split(',').map((s) => s.trim()).filter(Boolean);
}

/**
 * The guard of protected environments: the stateful resources a plan would replace or destroy
 * that nobody allowed. Empty for unprotected stacks (dev may rebuild its data).
 *
 * It reads the plan, not `prevent_destroy`: removing a resource from the configuration removes its
 * `prevent_destroy` with it, and Terraform then plans the destroy (see scripts/fixtures/plans/destroy.json).
 */
export function blockedDestroys(summary: PlanSummary, protectedStack: boolean, allowed: readonly string[]): string[] {
  return protectedStack ? destructiveStatefulChanges(summary).filter((a) => !allowed.includes(a)) : [];
}

/** The message of a plan the guard stops: what, where, and how to allow it on purpose. */
export function guardMessage(stack: string, blocked: readonly string[]): string {
  return (
    `${stack} is protected and the plan replaces or destroys stateful resources:\n` +
    blocked.map((a) => `  ${a}`).join('\n') +
    `\nIf this is intended, list them in ${ALLOW_DESTROY_VARIABLE} (comma-separated) and run again.`
  );
}

/**
 * Summaries as Markdown for a pull-request comment: a table of counts per stack, then a warning
 * block for every stateful resource replaced or destroyed, then the other destructive changes.
 * The compact form; {@link markdownReport} adds changed resources, policy reports and diagrams.
 */
export function markdownSummary(title: string, summaries: readonly PlanSummary[]): string {
  const lines = [
    `### ${title}`,
    '',
    '| stack | create | update | replace | destroy |',
    '| --- | ---: | ---: | ---: | ---: |',
    ...summaries.map((s) => `| \`${s.stack}\` | ${CHANGE_KINDS.map((k) => s.counts[k]).join(' | ')} |`),
  ];
  const stateful = summaries.flatMap((s) => s.destructive.filter((d) => d.stateful).map((d) => ({ stack: s.stack, ...d })));
  const other = summaries.flatMap((s) => s.destructive.filter((d) => !d.stateful).map((d) => ({ stack: s.stack, ...d })));
  if (stateful.length > 0) {
    lines.push(
      '',
      '> [!CAUTION]',
      '> **Stateful resources would be replaced or destroyed** (data, keys or catalog entries can be lost):',
      ...stateful.map((d) => `> - ${d.kind} \`${d.address}\` in \`${d.stack}\``),
    );
  }
  if (other.length > 0) {
    lines.push('', '<details><summary>Other replaced or destroyed resources</summary>', '', ...other.map((d) => `- ${d.kind} \`${d.address}\` in \`${d.stack}\``), '', '</details>');
  }
  if (stateful.length === 0 && other.length === 0) lines.push('', 'No resource is replaced or destroyed.');
  return `${lines.join('\n')}\n`;
}

/** One planned stack in a {@link markdownReport}. */
export interface StackPlanReport {
  readonly summary: PlanSummary;
  /** The stack's policy report (see {@link readPolicyReport}); unset when there is none. */
  readonly policy?: PolicyReport;
}

/** One environment in a {@link markdownReport}. */
export interface EnvironmentPlanReport {
  readonly environment: string;
  /** Protected environments refuse stateful replacements and destroys (the guard). */
  readonly protect: boolean;
  readonly stacks: readonly StackPlanReport[];
  /** The environment's Mermaid flowchart (without the code fence), changed resources highlighted. */
  readonly diagram?: string;
}

/** Defaults of {@link markdownReport}. */
export const REPORT_DEFAULTS = {
  /** A stack's table of changed resources is folded into a `<details>` block above this many rows. */
  foldRowsAbove: 10,
  /** Rows listed per stack; the rest are counted. */
  maxRows: 200,
  /**
   * GitHub refuses comments longer than 65,536 characters: over this, the report leaves out the
   * diagrams, then lists fewer rows.
   */
  maxLength: 65_000,
  /** Rows per stack when the report is too long even without diagrams. */
  shortRows: 20,
} as const;

/** Options of {@link markdownReport}. */
export interface MarkdownReportOptions {
  /** @default REPORT_DEFAULTS.foldRowsAbove */
  readonly foldRowsAbove?: number;
  /** @default REPORT_DEFAULTS.maxRows */
  readonly maxRows?: number;
  /** @default REPORT_DEFAULTS.maxLength */
  readonly maxLength?: number;
}

/**
 * The full pull-request comment: counts per stack grouped by environment; a caution block for every
 * stateful resource replaced or destroyed (saying when the guard of a protected environment will
 * stop the plan); then per environment its diagram (changed resources highlighted) and per stack
 * its changed resources (address, type, action; folded when long) and its policy report with every
 * suppression and its reason.
 *
 * Over `maxLength` characters the diagrams are left out, then fewer rows are listed (each time
 * saying so), so the comment always fits.
 */
export function markdownReport(title: string, environments: readonly EnvironmentPlanReport[], options: MarkdownReportOptions = {}): string {
  const maxLength = options.maxLength ?? REPORT_DEFAULTS.maxLength;
  const render = (diagrams: boolean, maxRows = options.maxRows) =>
    renderReport(title, environments, { diagrams, maxLength, foldRowsAbove: options.foldRowsAbove, maxRows });
  const full = render(true);
  if (full.length <= maxLength) return full;
  const noDiagrams = render(false);
  return noDiagrams.length <= maxLength ? noDiagrams : render(false, REPORT_DEFAULTS.shortRows);
}

function renderReport(
  title: string,
  environments: readonly EnvironmentPlanReport[],
  options: { diagrams: boolean; maxLength: number; foldRowsAbove?: number; maxRows?: number },
): string {
  const foldAbove = options.foldRowsAbove ?? REPORT_DEFAULTS.foldRowsAbove;
  const maxRows = options.maxRows ?? REPORT_DEFAULTS.maxRows;
  const lines = [
    `### ${title}`,
    '',
    '| environment | stack | create | update | replace | destroy |',
    '| --- | --- | ---: | ---: | ---: | ---: |',
    ...environments.flatMap((e) => e.stacks.map(({ summary: s }) => `| ${e.environment} | \`${s.stack}\` | ${CHANGE_KINDS.map((k) => s.counts[k]).join(' | ')} |`)),
  ];

  const stateful = environments.flatMap((e) =>
    e.stacks.flatMap(({ summary: s }) =>
      s.changes.filter((c) => c.statefulBy && (c.kind === 'replace' || c.kind === 'destroy')).map((c) => ({ env: e, stack: s.stack, change: c })),
    ),
  );
  if (stateful.length > 0) {
    lines.push(
      '',
      '> [!CAUTION]',
      '> **Stateful resources would be replaced or destroyed** (data, keys or catalog entries can be lost):',
      ...stateful.map(({ env, stack, change }) => {
        const why = change.statefulBy === 'type' ? ` (not marked stateful, but a \`${change.type}\` holds data)` : '';
        const guard = env.protect
          ? ` **${env.environment} is protected: the plan fails unless ${ALLOW_DESTROY_VARIABLE} lists it.**`
          : ` (${env.environment} is not protected: nothing stops it)`;
        return `> - **${change.kind}** \`${change.address}\` in \`${stack}\`${why}.${guard}`;
      }),
    );
  }
  if (environments.every((e) => e.stacks.every(({ summary }) => summary.destructive.length === 0))) {
    lines.push('', 'No resource is replaced or destroyed.');
  }
  if (!options.diagrams && environments.some((e) => e.diagram)) {
    lines.push('', `_Diagrams left out: with them this comment would be longer than ${options.maxLength} characters (GitHub's limit is 65,536); \`npm run diagram -- <env>\` draws one._`);
  }

  for (const env of environments) {
    lines.push('', `#### Environment \`${env.environment}\`${env.protect ? ' (protected)' : ''}`);
    if (options.diagrams && env.diagram) {
      lines.push('', `<details><summary>Diagram of ${env.environment} (changed resources highlighted)</summary>`, '', '```mermaid', env.diagram.trimEnd(), '```', '', '</details>');
    }
    for (const stack of env.stacks) lines.push('', ...stackSection(stack, foldAbove, maxRows));
  }
  return `${lines.join('\n')}\n`;
}

const ACTION_TEXT: Record<ChangeKind, string> = { create: 'create', update: 'update', replace: '**replace**', destroy: '**destroy**' };

function stackSection({ summary, policy }: StackPlanReport, foldAbove: number, maxRows: number): string[] {
  const total = summary.changes.length;
  const out = [`##### \`${summary.stack}\`: ${total === 0 ? 'no changes' : CHANGE_KINDS.filter((k) => summary.counts[k] > 0).map((k) => `${summary.counts[k]} to ${k}`).join(', ')}`];
  if (total > 0) {
    const shown = summary.changes.slice(0, maxRows);
    const table = [
      '| address | type | action |',
      '| --- | --- | --- |',
      ...shown.map((c) => `| \`${c.address}\` | \`${c.type}\` | ${ACTION_TEXT[c.kind]}${c.statefulBy ? ' (stateful)' : ''} |`),
    ];
    if (total > shown.length) table.push('', `…and ${total - shown.length} more (the plan JSON lists every one).`);
    if (total > foldAbove) out.push('', `<details><summary>${total} changed resources</summary>`, '', ...table, '', '</details>');
    else out.push('', ...table);
  }
  out.push('', ...policySection(policy));
  return out;
}

function policySection(policy: PolicyReport | undefined): string[] {
  if (!policy) return ['Policy report: none found (synthesize first).'];
  const c = policy.counts;
  const out = [`Policy: ${c.pass} passed, ${c.fail} failed, ${c.suppressed} suppressed, ${c.notApplicable} not applicable.`];
  const suppressed = policy.findings.filter((f) => f.status === 'suppressed');
  if (suppressed.length > 0) {
    out.push(
      '',
      '| suppressed rule | resource | reason |',
      '| --- | --- | --- |',
      ...suppressed.map((f) => `| \`${f.ruleId}\` (${f.severity}) | \`${f.address}\` | ${cell(f.reason ?? '')} |`),
    );
  }
  return out;
}

/** Text safe inside a Markdown table cell. */
function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ');
}

/**
 * File names of a plan kept by `npm run plan -- --out=<dir>` under `<dir>/<stack>/`: the binary plan,
 * its `terraform show -json`, and the sha256 hex of the stack's cdk.tf.json at plan time (an apply
 * refuses a plan whose configuration changed since).
 */
export const PLAN_FILES = { plan: 'plan.tfplan', json: 'plan.json', hash: 'cdk.tf.json.sha256' } as const;

/**
 * Summaries of the plans kept under `dir` for `stacks` (stacks without a kept plan are skipped),
 * stateful addresses from the manifest.
 */
export function readKeptPlans(dir: string, stacks: ReadonlyArray<{ readonly name: string; readonly stateful: readonly string[] }>): PlanSummary[] {
  return stacks
    .filter((s) => existsSync(join(dir, s.name, PLAN_FILES.json)))
    .map((s) => summarizePlan(s.name, JSON.parse(readFileSync(join(dir, s.name, PLAN_FILES.json), 'utf8')) as PlanJson, s.stateful));
}

/** Reads the policy report synthesis wrote beside a stack's cdk.tf.json; undefined when there is none. */
export function readPolicyReport(stackDir: string): PolicyReport | undefined {
  const file = join(stackDir, REPORT_FILES.json);
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as PolicyReport) : undefined;
}
