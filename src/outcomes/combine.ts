/**
 * Combining the primitives of one outcome, which must all hold (SPEC §3.3). A failure of any
 * primitive decides the outcome: the failure that became certain first wins (on the same day a
 * `not_eligible` precondition before a `not_met`, then primitive order), so the reported reason
 * does not change as asOf moves later (R-CAL-5). Otherwise `pending`: due on the earliest date a
 * pending primitive fails if no further record arrives (a failure that only waits for the journey
 * to settle, R-CAL-4: the outcome is decided then, whatever the others wait for); else on the
 * latest due date, unknown when any is unknown. Otherwise `met` on the latest achieved_on.
 * @module
 */
import type { IsoDate } from '../calendar/index.js';
import type { OutcomeStatus, ReasonCode } from '../schema/codes.js';
import type { PrimitiveDecision } from './types.js';

/** An outcome's status at some step (own, after gateways, after death). */
export interface CombinedStatus {
  status: OutcomeStatus;
  achieved_on: IsoDate | undefined;
  due_on: IsoDate | undefined;
  /** Day the status became certain (see PrimitiveDecision.decided_on). */
  decided_on: IsoDate | undefined;
  /** Reason code (R-OUT-12); undefined when met. */
  reason: ReasonCode | undefined;
}

/**
 * Combines primitive decisions (all must hold): the first `n` of `steps` (all by default).
 * @example combine([metOn('2024-01-01'), pendingUntil('2024-07-01')]) // pending, due 2024-07-01
 */
export function combine(steps: readonly PrimitiveDecision[], n = steps.length): CombinedStatus {
  let fail: PrimitiveDecision | undefined;
  for (let i = 0; i < n; i++) {
    const s = steps[i]!;
    if (s.status !== 'not_met' && s.status !== 'not_eligible') continue;
    if (
      !fail ||
      s.decided_on! < fail.decided_on! ||
      (s.decided_on === fail.decided_on && s.status === 'not_eligible' && fail.status === 'not_met')
    ) {
      fail = s;
    }
  }
  if (fail) return { status: fail.status, achieved_on: undefined, due_on: undefined, decided_on: fail.decided_on, reason: fail.reason };
  // The pending steps, in one pass and no list of them (this runs for every outcome of every journey).
  // A failure waiting only for the settle date decides the outcome on that date (R-CAL-4):
  // successful_completion + no_representation on an unsuccessful exit is due on the settle date,
  // not when the re-presentation window would close. Else in_treatment (no known due date)
  // dominates; otherwise the latest due date. Each is the first such step on ties.
  let failing: PrimitiveDecision | undefined;
  let unknown: PrimitiveDecision | undefined;
  let latest: PrimitiveDecision | undefined;
  for (let i = 0; i < n; i++) {
    const s = steps[i]!;
    if (s.status !== 'pending') continue;
    if (s.settles_as !== undefined && s.due_on !== undefined && (!failing || s.due_on < failing.due_on!)) failing = s;
    if (s.due_on === undefined) unknown ??= s;
    else if (!latest || s.due_on > latest.due_on!) latest = s;
  }
  if (failing) return { status: 'pending', achieved_on: undefined, due_on: failing.due_on, decided_on: undefined, reason: failing.reason };
  if (unknown) return { status: 'pending', achieved_on: undefined, due_on: undefined, decided_on: undefined, reason: unknown.reason };
  if (latest) return { status: 'pending', achieved_on: undefined, due_on: latest.due_on, decided_on: undefined, reason: latest.reason };
  let achieved: IsoDate | undefined;
  for (let i = 0; i < n; i++) {
    const s = steps[i]!;
    if (achieved === undefined || s.achieved_on! > achieved) achieved = s.achieved_on;
  }
  return { status: 'met', achieved_on: achieved, due_on: undefined, decided_on: achieved, reason: undefined };
}
