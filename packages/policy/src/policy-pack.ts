import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { IAspect, TerraformStack } from 'cdktf';
import { IConstruct } from 'constructs';
import { PlatformError, PlatformStack, Problem, suppressionsOf } from '@data-platform/core';
import { PolicyReport, SuppressionAt, evaluateStack, formatReport } from './evaluate';
import { Rule, RuleContext } from './rule';
import { ALL_RULES } from './rules';
import { StackJson, StackView } from './stack-view';

/** File names of a stack's report, written in the stack's output folder. */
export const REPORT_FILES = { json: 'policy-report.json', text: 'policy-report.txt' } as const;

/** Unsuppressed policy failures, one problem per failure: where, which rule, what is wrong. */
export class PolicyViolationError extends PlatformError {
  constructor(reports: readonly PolicyReport[]) {
    const problems: Problem[] = reports.flatMap((r) =>
      r.findings
        .filter((f) => f.status === 'fail')
        .map((f) => ({ source: `policy ${r.stack}`, path: `${f.address} [${f.ruleId}, ${f.severity}]`, message: `${f.message} (at ${f.path})` })),
    );
    super('policy', problems);
    this.name = 'PolicyViolationError';
  }
}

/**
 * The rule pack as a cdktf Aspect. Add it to every stack (aspects on the App never run): it
 * registers a validation that checks the stack's synthesized Terraform against every rule, after
 * all other aspects have run, so synthesis fails on any unsuppressed failure.
 *
 * Reports are kept per stack in {@link PolicyPack.reports}; {@link PolicyPack.writeReports}
 * writes them beside each stack's cdk.tf.json.
 */
export class PolicyPack implements IAspect {
  /** Reports by stack name, filled as stacks are validated. */
  readonly reports = new Map<string, PolicyReport>();
  private readonly registered = new WeakSet<TerraformStack>();

  constructor(readonly rules: readonly Rule[] = ALL_RULES) {
    const ids = new Set<string>();
    for (const r of rules) {
      if (ids.has(r.id)) throw new Error(`PolicyPack: two rules have the id ${r.id}`);
      ids.add(r.id);
    }
  }

  visit(node: IConstruct): void {
    if (!(node instanceof TerraformStack) || this.registered.has(node)) return;
    this.registered.add(node);
    node.node.addValidation({ validate: () => this.check(node) });
  }

  /** Checks one stack now; returns one line per unsuppressed failure. */
  check(stack: TerraformStack): string[] {
    const view = new StackView(stack.node.id, stack.toTerraform() as StackJson, contextOf(stack));
    const report = evaluateStack(view, this.rules, suppressionsIn(stack));
    this.reports.set(report.stack, report);
    return report.findings.filter((f) => f.status === 'fail').map((f) => `[${f.ruleId}] ${f.address}: ${f.message}`);
  }

  /** Reports with unsuppressed failures. */
  get failing(): PolicyReport[] {
    return [...this.reports.values()].filter((r) => r.counts.fail > 0);
  }

  /** Writes each report as JSON and text into `<outdir>/stacks/<stack>/`. */
  writeReports(outdir: string): void {
    for (const report of this.reports.values()) {
      const dir = join(outdir, 'stacks', report.stack);
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, REPORT_FILES.json), `${JSON.stringify(report, null, 2)}\n`);
      writeFileSync(join(dir, REPORT_FILES.text), `${formatReport(report)}\n`);
    }
  }
}

function contextOf(stack: TerraformStack): RuleContext {
  if (stack instanceof PlatformStack) {
    const { env } = stack;
    return { environment: env.name, stage: env.stage, protect: env.protect, account: env.account, region: env.region };
  }
  return { environment: stack.node.id, stage: 'development', protect: false, account: '', region: '' };
}

/** Every suppression placed on a construct of `stack`. */
function suppressionsIn(stack: TerraformStack): SuppressionAt[] {
  return stack.node.findAll().flatMap((c) => suppressionsOf(c).map((s) => ({ path: c.node.path, ...s })));
}
