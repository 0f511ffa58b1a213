/**
 * Combining the primitives of one outcome, which must all hold (SPEC §3.3): any `not_eligible`
 * (a precondition failed) wins, then any `not_met` (certain failure), then `pending` (due_on = the
 * latest due date, unknown when any is unknown), else `met` on the latest achieved_on.
 * @module
 */
import type { IsoDate } from '../calendar/index.js';
import type { OutcomeStatus } from '../schema/codes.js';
import type { PrimitiveDecision } from './types.js';

/** An outcome's own status before gateways and death. */
export interface CombinedStatus {
  status: OutcomeStatus;
  achieved_on: IsoDate | undefined;
  due_on: IsoDate | undefined;
  reason: string | undefined;
}

/**
 * Combines primitive decisions (all must hold).
 * @example combine([metOn('2024-01-01'), pendingUntil('2024-07-01')]) // pending, due 2024-07-01
 */
export function combine(steps: readonly PrimitiveDecision[]): CombinedStatus {
  const ne = steps.find((s) => s.status === 'not_eligible');
  if (ne) return { status: 'not_eligible', achieved_on: undefined, due_on: undefined, reason: ne.reason };
  const nm = steps.find((s) => s.status === 'not_met');
  if (nm) return { status: 'not_met', achieved_on: undefined, due_on: undefined, reason: nm.reason };
  const pending = steps.filter((s) => s.status === 'pending');
  if (pending.length > 0) {
    // in_treatment (no known due date) dominates; otherwise the latest due date.
    const unknown = pending.find((s) => s.due_on === undefined);
    if (unknown) return { status: 'pending', achieved_on: undefined, due_on: undefined, reason: unknown.reason };
    let latest = pending[0]!;
    for (const s of pending) if (s.due_on! > latest.due_on!) latest = s;
    return { status: 'pending', achieved_on: undefined, due_on: latest.due_on, reason: latest.reason };
  }
  let achieved: IsoDate | undefined;
  for (const s of steps) if (achieved === undefined || s.achieved_on! > achieved) achieved = s.achieved_on;
  return { status: 'met', achieved_on: achieved, due_on: undefined, reason: undefined };
}
