/**
 * The reason codes of R-OUT-12 with their meaning in plain English (the closed list; a scheme may
 * add documented codes of its own through `reasonCodes`).
 * @module
 */
import type { ReasonCode } from '../schema/codes.js';

/** What each reason code means. */
export const REASON_TEXT: Readonly<Record<ReasonCode, string>> = {
  in_treatment: 'the journey is still open, so an outcome that waits on its end cannot be decided',
  window_open: 'the outcome window has not closed yet (see due_on)',
  re_presented: 'the client started a new journey within the re-presentation window',
  unsuccessful_exit: 'the journey ended with a transfer, an unplanned exit or death, not a successful completion',
  occasional_user_opiate: "'completed_occasional_user' does not count for an opiate or crack journey",
  substitute_medication_at_exit: 'the opiate journey ended on substitute medication (or it was not recorded)',
  no_qualifying_review: 'no review of the kind the rule needs was recorded within the journey',
  not_abstinent: 'no qualifying review recorded 0 days of use for every substance required',
  not_confirmed: 'abstinence recorded at review was not confirmed by drug tests',
  no_prior_offence: 'no proven offence before the journey started, so there is nothing to reduce',
  reoffended: 'proven offences after the journey started exceed what the rule allows',
  no_start_review: 'no start review records the measure, so there is no baseline',
  no_improvement: 'no later review reached the baseline plus the required points',
  not_injecting_at_start: 'the client was not recorded as injecting at the start',
  still_injecting: 'no later review recorded 0 days injecting',
  not_in_population: "the journey is outside the outcome's population",
  gateway_not_met: 'a required (gateway) outcome was not met',
  gateway_pending: 'a required (gateway) outcome is still pending',
  died: 'the client died before the outcome was achieved',
  no_evidence: 'the input file this rule needs was not supplied',
  not_in_work_long_enough: 'qualifying work did not (or can no longer) reach the required weeks in the window',
};

/**
 * The meaning of a reason code, including a scheme's own codes.
 * @example reasonText('re_presented')
 */
export function reasonText(code: string, schemeCodes: Readonly<Record<string, string>> = {}): string {
  return (REASON_TEXT as Record<string, string>)[code] ?? schemeCodes[code] ?? code;
}
