import { IConstruct } from 'constructs';
import { PlatformError } from './errors';

/** Metadata type under which suppressions are stored on constructs (read by packages/policy). */
export const POLICY_SUPPRESSION_METADATA = 'data-platform/policy-suppression';
/** Shortest reason a suppression accepts: a reason must say why the risk is acceptable here. */
export const MIN_SUPPRESSION_REASON_LENGTH = 30;

/** One suppression of a policy rule on a construct and everything below it. */
export interface PolicySuppression {
  readonly ruleId: string;
  readonly reason: string;
}

/**
 * Suppresses policy rule `ruleId` for `scope` and every resource below it, with a written reason.
 *
 * There is no global switch: each suppression names one rule and one construct, its reason is
 * listed in the synth output and in each stack's policy report, and tests review every reason.
 * A suppression that matches no failure is itself reported, so stale ones do not pile up.
 *
 * @throws PlatformError when the reason is shorter than {@link MIN_SUPPRESSION_REASON_LENGTH}
 */
export function suppressRule(scope: IConstruct, ruleId: string, reason: string): void {
  const trimmed = reason.trim();
  if (trimmed.length < MIN_SUPPRESSION_REASON_LENGTH) {
    throw new PlatformError(`suppression at ${scope.node.path}`, [
      {
        path: `reason for ${ruleId}`,
        message: `is ${JSON.stringify(trimmed)} (${trimmed.length} characters); explain in at least ${MIN_SUPPRESSION_REASON_LENGTH} characters why the risk is acceptable here`,
      },
    ]);
  }
  scope.node.addMetadata(POLICY_SUPPRESSION_METADATA, { ruleId, reason: trimmed } satisfies PolicySuppression);
}

/** The suppressions placed directly on `scope` (not its ancestors). */
export function suppressionsOf(scope: IConstruct): PolicySuppression[] {
  return scope.node.metadata.filter((m) => m.type === POLICY_SUPPRESSION_METADATA).map((m) => m.data as PolicySuppression);
}
