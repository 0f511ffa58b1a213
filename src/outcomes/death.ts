/**
 * Death (R-OUT-9): if the client died strictly before an outcome's achieved_on (after gateways) it
 * is `not_met`/`died`; an outcome still pending for a client whose death is known at asOf is
 * `not_met`/`died`. An exit reason `died` without a date of death is simply an unsuccessful exit.
 * @module
 */
import type { IsoDate } from '../calendar/index.js';
import type { CombinedStatus } from './combine.js';
import type { PrimitiveDecision } from './types.js';

/**
 * Applies R-OUT-9 to an outcome status; returns the status unchanged when the client is not known
 * to have died, or died on or after achieved_on.
 * @example applyDeath({ status: 'met', achieved_on: '2024-05-01', … }, '2024-04-30', 12) // not_met/died
 */
export function applyDeath(
  s: CombinedStatus,
  dateOfDeath: IsoDate | undefined,
  deathRow: number | undefined,
): { status: CombinedStatus; step: PrimitiveDecision | undefined } {
  if (dateOfDeath === undefined) return { status: s, step: undefined };
  const affected = (s.status === 'met' && s.achieved_on! > dateOfDeath) || s.status === 'pending';
  if (!affected) return { status: s, step: undefined };
  const note =
    s.status === 'met'
      ? `The client died on ${dateOfDeath}, before the outcome was achieved on ${s.achieved_on}.`
      : `The client died on ${dateOfDeath} while the outcome was still pending.`;
  return {
    status: { status: 'not_met', achieved_on: undefined, due_on: undefined, reason: 'died' },
    step: {
      type: 'death',
      rule: 'R-OUT-9',
      status: 'not_met',
      achieved_on: undefined,
      due_on: undefined,
      reason: 'died',
      windows: [],
      evidence: [{ file: 'clients', row: deathRow, date: dateOfDeath, detail: `date_of_death ${dateOfDeath}` }],
      note,
    },
  };
}
