/**
 * Death (R-OUT-9): if the client died strictly before an outcome's achieved_on (after gateways) it
 * is `not_met`/`died`; an outcome still pending for a client whose death is known at asOf is
 * `not_met`/`died`. A failure that only became certain after the death was still pending when the
 * client died, so it is `died` too: the status and reason are then the same at every later asOf
 * (R-CAL-3). An exit reason `died` without a date of death is simply an unsuccessful exit.
 * @module
 */
import type { IsoDate } from '../calendar/index.js';
import type { CombinedStatus } from './combine.js';
import type { PrimitiveDecision } from './types.js';
import { NO_EVIDENCE, NO_WINDOWS } from './context.js';

/**
 * Applies R-OUT-9 to an outcome status; returns the status unchanged when the client is not known
 * to have died, or died on or after achieved_on. The step's note and evidence are left empty unless
 * `why` (see OutcomeContext.explain).
 * @example applyDeath({ status: 'met', achieved_on: '2024-05-01', … }, '2024-04-30', 12) // not_met/died
 */
export function applyDeath(
  s: CombinedStatus,
  dateOfDeath: IsoDate | undefined,
  deathRow: number | undefined,
  deathPart?: string,
  why = true,
): { status: CombinedStatus; step: PrimitiveDecision | undefined } {
  if (dateOfDeath === undefined) return { status: s, step: undefined };
  const affected =
    s.status === 'pending' ||
    (s.status === 'met' && s.achieved_on! > dateOfDeath) ||
    ((s.status === 'not_met' || s.status === 'not_eligible') && s.decided_on! > dateOfDeath && s.reason !== 'died');
  if (!affected) return { status: s, step: undefined };
  const note = !why
    ? ''
    : s.status === 'met'
      ? `The client died on ${dateOfDeath}, before the outcome was achieved on ${s.achieved_on}.`
      : `The client died on ${dateOfDeath} while the outcome was still undecided${s.decided_on ? ` (it would have been decided on ${s.decided_on})` : ''}.`;
  return {
    status: { status: 'not_met', achieved_on: undefined, due_on: undefined, decided_on: dateOfDeath, reason: 'died' },
    step: {
      type: 'death',
      rule: 'R-OUT-9',
      status: 'not_met',
      achieved_on: undefined,
      due_on: undefined,
      decided_on: dateOfDeath,
      reason: 'died',
      windows: NO_WINDOWS,
      evidence: why ? [{ file: 'clients', row: deathRow, part: deathPart, date: dateOfDeath, detail: `date_of_death ${dateOfDeath}` }] : NO_EVIDENCE,
      note,
    },
  };
}
