/**
 * Turns `terraform show -json <plan>` into what a reviewer needs: counts per action and the
 * addresses of everything replaced or destroyed, stateful ones called out.
 */

/** The part of Terraform's JSON plan format this reads. */
export interface PlanJson {
  readonly resource_changes?: ReadonlyArray<{
    readonly address: string;
    readonly type: string;
    readonly mode?: 'managed' | 'data';
    readonly change: { readonly actions: readonly string[] };
  }>;
}

export type ChangeKind = 'create' | 'update' | 'replace' | 'destroy';

export interface PlanSummary {
  readonly stack: string;
  readonly counts: Readonly<Record<ChangeKind, number>>;
  /** Addresses replaced or destroyed, with whether each is a stateful resource. */
  readonly destructive: ReadonlyArray<{ readonly address: string; readonly kind: 'replace' | 'destroy'; readonly stateful: boolean }>;
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
 * Summarizes one stack's plan.
 * @param statefulAddresses the stack's stateful resources (from the platform manifest)
 */
export function summarizePlan(stack: string, plan: PlanJson, statefulAddresses: readonly string[] = []): PlanSummary {
  const counts: Record<ChangeKind, number> = { create: 0, update: 0, replace: 0, destroy: 0 };
  const destructive: Array<PlanSummary['destructive'][number]> = [];
  const stateful = new Set(statefulAddresses);
  for (const rc of plan.resource_changes ?? []) {
    if (rc.mode === 'data') continue;
    const kind = changeKind(rc.change.actions);
    if (!kind) continue;
    counts[kind]++;
    if (kind === 'replace' || kind === 'destroy') {
      destructive.push({ address: rc.address, kind, stateful: stateful.has(rc.address) });
    }
  }
  return { stack, counts, destructive };
}

/** Renders summaries as a plain-text table for the terminal, with destructive changes listed below. */
export function formatSummaries(summaries: readonly PlanSummary[]): string {
  const header = ['stack', 'create', 'update', 'replace', 'destroy'];
  const rows = summaries.map((s) => [s.stack, ...(['create', 'update', 'replace', 'destroy'] as const).map((k) => String(s.counts[k]))]);
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
 */
export function markdownSummary(title: string, summaries: readonly PlanSummary[]): string {
  const kinds = ['create', 'update', 'replace', 'destroy'] as const;
  const lines = [
    `### ${title}`,
    '',
    '| stack | create | update | replace | destroy |',
    '| --- | ---: | ---: | ---: | ---: |',
    ...summaries.map((s) => `| \`${s.stack}\` | ${kinds.map((k) => s.counts[k]).join(' | ')} |`),
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
