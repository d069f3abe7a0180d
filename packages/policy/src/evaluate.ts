import { Outcome, ResourceView, Rule, Severity } from './rule';
import { StackView } from './stack-view';

/** A suppression found on a construct: it covers that construct and everything below it. */
export interface SuppressionAt {
  readonly path: string;
  readonly ruleId: string;
  readonly reason: string;
}

/** The result of one rule on one resource. */
export interface Finding {
  readonly ruleId: string;
  readonly severity: Severity;
  readonly address: string;
  readonly path: string;
  readonly status: 'pass' | 'fail' | 'suppressed' | 'not-applicable';
  /** What is wrong (fail, suppressed) or why the rule does not apply. */
  readonly message?: string;
  /** The suppression's reason (suppressed). */
  readonly reason?: string;
}

/** One stack's results. */
export interface PolicyReport {
  readonly stack: string;
  readonly environment: string;
  readonly counts: { readonly pass: number; readonly fail: number; readonly suppressed: number; readonly notApplicable: number };
  /** Failures and suppressed failures (passes and not-applicable results are only counted). */
  readonly findings: readonly Finding[];
  /** Every suppression in the stack, whether it matched a failure. */
  readonly suppressions: ReadonlyArray<SuppressionAt & { readonly used: boolean }>;
}

/** Rule id of findings about suppressions themselves (unknown rule, suppresses nothing). */
export const SUPPRESSION_RULE_ID = 'policy-suppression';

const covers = (s: SuppressionAt, r: ResourceView) => r.path === s.path || r.path.startsWith(`${s.path}/`);

/**
 * Runs `rules` on every resource of `stack`, applies `suppressions`, and reports.
 * A suppression naming an unknown rule, or matching no failure, is itself a failure.
 */
export function evaluateStack(stack: StackView, rules: readonly Rule[], suppressions: readonly SuppressionAt[]): PolicyReport {
  const counts = { pass: 0, fail: 0, suppressed: 0, notApplicable: 0 };
  const findings: Finding[] = [];
  const used = new Set<SuppressionAt>();

  for (const resource of stack.resources) {
    for (const rule of rules) {
      if (!rule.resourceTypes.includes(resource.type)) continue;
      const outcome: Outcome = rule.check(resource, stack);
      const base = { ruleId: rule.id, severity: rule.severity, address: resource.address, path: resource.path };
      if (outcome.status === 'pass') {
        counts.pass++;
      } else if (outcome.status === 'not-applicable') {
        counts.notApplicable++;
      } else {
        const suppression = suppressions.find((s) => s.ruleId === rule.id && covers(s, resource));
        if (suppression) {
          used.add(suppression);
          counts.suppressed++;
          findings.push({ ...base, status: 'suppressed', message: outcome.message, reason: suppression.reason });
        } else {
          counts.fail++;
          findings.push({ ...base, status: 'fail', message: outcome.message });
        }
      }
    }
  }

  const known = new Set(rules.map((r) => r.id));
  for (const s of suppressions) {
    if (used.has(s)) continue;
    counts.fail++;
    findings.push({
      ruleId: SUPPRESSION_RULE_ID,
      severity: 'low',
      address: s.path,
      path: s.path,
      status: 'fail',
      message: known.has(s.ruleId)
        ? `the suppression of ${s.ruleId} here matches no failure; remove it`
        : `the suppression names rule "${s.ruleId}", which does not exist; use one of the pack's rule ids (see packages/policy/README.md)`,
    });
  }

  return {
    stack: stack.name,
    environment: stack.context.environment,
    counts,
    findings,
    suppressions: suppressions.map((s) => ({ ...s, used: used.has(s) })),
  };
}

/** The readable form of a report: a summary line, then one row per failure or suppression. */
export function formatReport(report: PolicyReport): string {
  const { counts } = report;
  const lines = [
    `policy ${report.stack}: ${counts.pass} passed, ${counts.fail} failed, ${counts.suppressed} suppressed, ${counts.notApplicable} not applicable`,
  ];
  for (const f of report.findings) {
    const what = f.status === 'fail' ? `FAIL ${f.severity}` : 'suppressed';
    lines.push(`  ${what.padEnd(13)} ${f.ruleId.padEnd(34)} ${f.address}`);
    lines.push(`      ${f.message}`);
    if (f.reason) lines.push(`      reason: ${f.reason}`);
  }
  return lines.join('\n');
}

/**
 * The synth output's policy lines: one per stack with its counts, then every suppression with its
 * reason (suppressions are never silent).
 */
export function formatSuppressions(reports: readonly PolicyReport[]): string {
  const lines: string[] = [];
  for (const r of reports) {
    const { counts } = r;
    lines.push(`policy ${r.stack}: ${counts.pass} passed, ${counts.fail} failed, ${counts.suppressed} suppressed`);
    for (const f of r.findings.filter((x) => x.status === 'suppressed')) {
      lines.push(`  suppressed ${f.ruleId} on ${f.address}: ${f.reason}`);
    }
  }
  return lines.length > 0 ? `${lines.join('\n')}\n` : '';
}
