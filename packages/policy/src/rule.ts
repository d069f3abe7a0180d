/**
 * What a policy rule is: a pure check of one synthesized resource (it may look at what the
 * resource references, through the {@link StackView}), returning pass, fail or not applicable.
 */
import { StackView } from './stack-view';

/** How bad a failure is. Every unsuppressed failure stops synthesis, whatever its severity. */
export type Severity = 'critical' | 'high' | 'medium' | 'low';

/** One resource (or data source) of a synthesized stack, with its references resolved to strings. */
export interface ResourceView {
  /** Terraform type, e.g. `aws_s3_bucket`. */
  readonly type: string;
  /** Terraform name (logical id), e.g. `lake_raw_bucket`. */
  readonly name: string;
  /** `<type>.<name>`, or `data.<type>.<name>` for data sources. */
  readonly address: string;
  /** Construct path that created it, e.g. `dev-lake/lake/lake/raw/bucket`. */
  readonly path: string;
  /** The resource's arguments as Terraform JSON holds them (references are `${...}` strings). */
  readonly config: Readonly<Record<string, unknown>>;
}

/** Facts about the stack's environment that rules may need. */
export interface RuleContext {
  readonly environment: string;
  readonly stage: string;
  /** Stateful resources must be protected from destroy. */
  readonly protect: boolean;
  readonly account: string;
  readonly region: string;
}

export type Outcome =
  | { readonly status: 'pass' }
  | { readonly status: 'fail'; readonly message: string }
  | { readonly status: 'not-applicable'; readonly reason: string };

export const pass = (): Outcome => ({ status: 'pass' });
/** A failure: say what is wrong with this resource and how to fix it. */
export const fail = (message: string): Outcome => ({ status: 'fail', message });
export const notApplicable = (reason: string): Outcome => ({ status: 'not-applicable', reason });

/** `a`, `a and b`, `a, b and c` (or `a, b or c`): items listed in a message. */
export function listing(items: readonly string[], conjunction: 'and' | 'or' = 'and'): string {
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} ${conjunction} ${items[items.length - 1]}`;
}

/** One rule of the pack. One rule per file under `rules/`, with a test beside it. */
export interface Rule {
  /** Stable id used in reports and suppressions, e.g. `s3-kms-encryption`. */
  readonly id: string;
  readonly severity: Severity;
  /** The resource types it checks (data sources as `data.<type>`). */
  readonly resourceTypes: readonly string[];
  /** One line: what it requires. */
  readonly description: string;
  /** Why it matters. */
  readonly rationale: string;
  check(resource: ResourceView, stack: StackView): Outcome;
}
