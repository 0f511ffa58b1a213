/**
 * Closed code lists of SPEC §2 and §3: substances, exit reasons, review stages, test results,
 * offence categories, substance groups, outcome statuses and reason codes.
 * @module
 */

/** Substances an episode may cite, in the canonical order used when listing them (SPEC §2). */
export const SUBSTANCES = [
  'opiates',
  'crack',
  'cocaine',
  'amphetamines',
  'cannabis',
  'other_drugs',
  'alcohol',
] as const;
/** One substance code, e.g. `'opiates'`. */
export type Substance = (typeof SUBSTANCES)[number];

const SUBSTANCE_BIT = new Map<string, number>(SUBSTANCES.map((s, i) => [s, 1 << i]));
const substanceLists: Substance[][] = [];

/**
 * The bit of a substance in a set of substances (`1 << its place in SUBSTANCES`), or undefined for
 * a code that is not a substance.
 * @example substanceBit('crack') // 2
 */
export function substanceBit(s: string): number | undefined {
  return SUBSTANCE_BIT.get(s);
}

/**
 * The substance list (canonical order) of a bit mask: one frozen array per mask, shared by every
 * record and journey citing that set (read it; an edit throws).
 * @example substancesOfMask(0b1000001) // ['opiates', 'alcohol']
 */
export function substancesOfMask(mask: number): Substance[] {
  return (substanceLists[mask] ??= Object.freeze(SUBSTANCES.filter((_, i) => (mask & (1 << i)) !== 0)) as Substance[]);
}

/** The bit mask of a substance list. */
export function maskOfSubstances(list: readonly Substance[]): number {
  let m = 0;
  for (const s of list) m |= SUBSTANCE_BIT.get(s)!;
  return m;
}

/** Exit classes of SPEC §2.1. */
export const EXIT_CLASSES = ['successful', 'transfer', 'unplanned', 'died'] as const;
/** Class of an exit reason: `successful`, `transfer`, `unplanned` or `died`. */
export type ExitClass = (typeof EXIT_CLASSES)[number];

/** The standard exit reason codes of SPEC §2.1 and their class. */
export const STANDARD_EXIT_REASONS = {
  completed_drug_free: 'successful',
  completed_alcohol_free: 'successful',
  completed_occasional_user: 'successful',
  transferred_not_in_custody: 'transfer',
  transferred_in_custody: 'transfer',
  dropped_out: 'unplanned',
  declined: 'unplanned',
  withdrawn_by_provider: 'unplanned',
  retained_in_custody: 'unplanned',
  moved_away: 'unplanned',
  no_appropriate_treatment: 'unplanned',
  other: 'unplanned',
  not_known: 'unplanned',
  died: 'died',
} as const satisfies Record<string, ExitClass>;
/** One standard exit reason code, e.g. `'completed_drug_free'`. */
export type StandardExitReason = keyof typeof STANDARD_EXIT_REASONS;
/** All standard exit reason codes in SPEC order. */
export const STANDARD_EXIT_REASON_CODES = Object.keys(STANDARD_EXIT_REASONS) as StandardExitReason[];

/** TOP review stages (SPEC §2 `reviews.stage`). */
export const REVIEW_STAGES = ['start', 'review', 'exit', 'post_exit'] as const;
/** One review stage. */
export type ReviewStage = (typeof REVIEW_STAGES)[number];

/** Drug test results (SPEC §2 `drug_tests.result`). */
export const TEST_RESULTS = ['negative', 'positive', 'invalid', 'refused'] as const;
/** One drug test result. */
export type TestResult = (typeof TEST_RESULTS)[number];

/** Offence categories (SPEC §2 `offences.category`). */
export const OFFENCE_CATEGORIES = ['acquisitive', 'violent', 'drugs', 'other'] as const;
/** One offence category. */
export type OffenceCategory = (typeof OFFENCE_CATEGORIES)[number];

/** Substance groups of R-JNY-3, in precedence order. */
export const SUBSTANCE_GROUPS = ['opiate', 'non_opiate_and_alcohol', 'non_opiate', 'alcohol'] as const;
/** One substance group, e.g. `'opiate'`. */
export type SubstanceGroup = (typeof SUBSTANCE_GROUPS)[number];

/** Outcome statuses of SPEC §3.3. */
export const OUTCOME_STATUSES = ['met', 'not_met', 'not_eligible', 'pending'] as const;
/** One outcome status. */
export type OutcomeStatus = (typeof OUTCOME_STATUSES)[number];

/** The closed list of reason codes of R-OUT-12 (a scheme may add documented codes of its own). */
export const REASON_CODES = [
  'in_treatment',
  'window_open',
  're_presented',
  'unsuccessful_exit',
  'occasional_user_opiate',
  'substitute_medication_at_exit',
  'no_qualifying_review',
  'not_abstinent',
  'not_confirmed',
  'no_prior_offence',
  'reoffended',
  'no_start_review',
  'no_improvement',
  'not_injecting_at_start',
  'still_injecting',
  'not_in_population',
  'gateway_not_met',
  'gateway_pending',
  'died',
  'no_evidence',
  'not_in_work_long_enough',
] as const;
/** One reason code of R-OUT-12. */
export type ReasonCode = (typeof REASON_CODES)[number];

/** The six input files of SPEC §2, in the order they are read. */
export const INPUT_FILES = ['episodes', 'reviews', 'drug_tests', 'offences', 'employment', 'clients'] as const;
/** One input file kind. */
export type InputFile = (typeof INPUT_FILES)[number];
