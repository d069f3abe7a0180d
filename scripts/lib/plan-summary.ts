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
