/**
 * Gateways (R-OUT-8): an outcome may require `allOf` or `anyOf` other outcomes of the same journey.
 * The outcome's own status is judged first; `not_eligible` and `not_met` stand.
 * @module
 */
import type { IsoDate } from '../calendar/index.js';
import type { Gateway } from '../schema/scheme/outcomes.js';
import type { CombinedStatus } from './combine.js';
import type { PrimitiveDecision } from './types.js';
import { NO_EVIDENCE, NO_WINDOWS } from './context.js';

/** The combined statuses of a journey's outcomes decided so far, by outcome id (a `Map` is one). */
export interface StatusesById {
  get(id: string): CombinedStatus | undefined;
}

/** The state of a gateway requirement. */
export interface GatewayState {
  status: 'met' | 'not_met' | 'pending';
  /** When met: the gateway date (anyOf: earliest met member; allOf: latest). */
  achieved_on: IsoDate | undefined;
  /** When pending: the date by which every pending member is decided (unknown if any is). */
  due_on: IsoDate | undefined;
  /** When not met: the day that became certain (allOf: first member failure; anyOf: last). */
  decided_on: IsoDate | undefined;
}

/**
 * The state of a gateway from its members' statuses (after their own gateways). A member that is
 * `not_eligible` counts as not met.
 * @example gatewayState({ anyOf: ['a', 'b'] }, statuses)
 */
export function gatewayState(req: Gateway, statuses: StatusesById): GatewayState {
  const all = 'allOf' in req;
  const ids = all ? req.allOf : req.anyOf;
  // One pass over the members (a few, for every journey of every client): counts and the first and
  // last dates, kept in locals (no object per gateway). A date that is missing counts as last, as in
  // a sorted list (`[…].sort()` puts undefined at the end): MISSING stands for it while counting.
  let met = 0;
  let metFirst: IsoDate | undefined;
  let metLast: IsoDate | undefined;
  let failed = 0;
  let failedFirst: IsoDate | undefined;
  let failedLast: IsoDate | undefined;
  let pending = 0;
  let latestDue: IsoDate | undefined = '';
  for (const id of ids) {
    const m = statuses.get(id)!;
    if (m.status === 'met') {
      met++;
      metFirst = firstOf(metFirst, m.achieved_on);
      metLast = lastOf(metLast, m.achieved_on);
    } else if (m.status === 'not_met' || m.status === 'not_eligible') {
      failed++;
      failedFirst = firstOf(failedFirst, m.decided_on);
      failedLast = lastOf(failedLast, m.decided_on);
    } else {
      pending++;
      // The date every pending member is decided by: unknown as soon as one member's is.
      if (latestDue !== undefined) latestDue = m.due_on === undefined ? undefined : m.due_on > latestDue ? m.due_on : latestDue;
    }
  }
  if (metLast === MISSING) metLast = undefined;
  if (failedLast === MISSING) failedLast = undefined;
  if (all) {
    if (failed > 0) return { status: 'not_met', achieved_on: undefined, due_on: undefined, decided_on: failedFirst };
    if (pending > 0) return { status: 'pending', achieved_on: undefined, due_on: latestDue, decided_on: undefined };
    return { status: 'met', achieved_on: metLast, due_on: undefined, decided_on: metLast };
  }
  if (met > 0) return { status: 'met', achieved_on: metFirst, due_on: undefined, decided_on: metFirst };
  if (pending > 0) return { status: 'pending', achieved_on: undefined, due_on: latestDue, decided_on: undefined };
  return { status: 'not_met', achieved_on: undefined, due_on: undefined, decided_on: failedLast };
}

/** Stands for a missing date while the last is looked for: after every date, as undefined is in a sorted list. */
const MISSING = '\uffff';

/** The earlier of the first date so far and `d` (a missing date is never the first). */
function firstOf(first: IsoDate | undefined, d: IsoDate | undefined): IsoDate | undefined {
  return d !== undefined && (first === undefined || d < first) ? d : first;
}

/** The later of the last date so far and `d`, a missing date counting as the last of all ({@link MISSING}). */
function lastOf(last: IsoDate | undefined, d: IsoDate | undefined): IsoDate {
  const v = d ?? MISSING;
  return last === undefined || v > last ? v : last;
}

/**
 * Applies a gateway to an outcome's own status (R-OUT-8), returning the new status and the step
 * that explains it (its note left empty unless `why`: see OutcomeContext.explain).
 * @example applyGateway(own, { anyOf: ['free-from-dependence'] }, statuses)
 */
export function applyGateway(
  own: CombinedStatus,
  req: Gateway,
  statuses: StatusesById,
  why = true,
): { status: CombinedStatus; step: PrimitiveDecision } {
  const g = gatewayState(req, statuses);
  // The new status and what the note says of it, then one step (no closure made per call: this runs
  // for every gated outcome of every journey). A status that does not change is `own` itself.
  let status: CombinedStatus;
  let then: string;
  // The outcome's own failure stands (R-OUT-8), unless the gateway had already failed before it: the
  // outcome was then already not_met/gateway_not_met, and a decided status never changes (R-CAL-3).
  const gatewayFailedFirst = g.status === 'not_met' && (own.status === 'pending' || g.decided_on! < own.decided_on!);
  if ((own.status === 'not_eligible' || own.status === 'not_met') && !gatewayFailedFirst) {
    status = own;
    then = 'The outcome itself was not achieved, so its own status stands.';
  } else if (g.status === 'not_met') {
    // Certain once both the outcome could no longer be paid without the gateway and the gateway failed.
    status = { status: 'not_met', achieved_on: undefined, due_on: undefined, decided_on: g.decided_on, reason: 'gateway_not_met' };
    then = 'The gateway was not met.';
  } else if (own.status === 'met') {
    if (g.status === 'met') {
      const on = own.achieved_on! > g.achieved_on! ? own.achieved_on! : g.achieved_on!;
      status = on === own.achieved_on && on === own.decided_on ? own : { status: own.status, achieved_on: on, due_on: own.due_on, decided_on: on, reason: own.reason };
      then = why ? `The gateway was met on ${g.achieved_on}; the outcome counts from ${on}.` : '';
    } else {
      status = { status: 'pending', achieved_on: undefined, due_on: g.due_on, decided_on: undefined, reason: 'gateway_pending' };
      then = 'The outcome itself is met but its gateway is still pending.';
    }
  } else {
    // Own pending, gateway met or pending: the later due date, unknown when either is unknown.
    let due = own.due_on;
    if (g.status === 'pending') due = due === undefined || g.due_on === undefined ? undefined : due > g.due_on ? due : g.due_on;
    status = due === own.due_on ? own : { status: own.status, achieved_on: own.achieved_on, due_on: due, decided_on: own.decided_on, reason: own.reason };
    then = g.status === 'met' ? 'The gateway is met; the outcome itself is still pending.' : 'Both the outcome and its gateway are pending.';
  }
  return {
    status,
    step: {
      type: 'gateway',
      rule: 'R-OUT-8',
      status: g.status,
      achieved_on: g.achieved_on,
      due_on: g.due_on,
      decided_on: g.status === 'pending' ? undefined : g.status === 'met' ? g.achieved_on : g.decided_on,
      reason: g.status === 'not_met' ? 'gateway_not_met' : g.status === 'pending' ? 'gateway_pending' : undefined,
      windows: NO_WINDOWS,
      evidence: NO_EVIDENCE,
      note: why ? gatewayNote(req, statuses, then) : '',
    },
  };
}

/** A gateway step's note: the members' statuses, then what the gateway did (`then`). */
function gatewayNote(req: Gateway, statuses: StatusesById, then: string): string {
  const ids = 'allOf' in req ? req.allOf : req.anyOf;
  const kind = 'allOf' in req ? 'all of' : 'any of';
  let members = '';
  for (let i = 0; i < ids.length; i++) {
    const m = statuses.get(ids[i]!)!;
    members += `${i > 0 ? ', ' : ''}${ids[i]} ${m.status}${m.achieved_on ? ` on ${m.achieved_on}` : ''}`;
  }
  return `Requires ${kind} ${ids.join(', ')} (${members}). ${then}`;
}
