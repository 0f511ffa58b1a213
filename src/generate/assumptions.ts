/**
 * The assumptions behind the synthetic cohort, as readable tables. They aim at realistic
 * proportions, not at any real area's figures. Where a figure leans on a source it is cited
 * (`/work/shared/sources/<file>`, section); the rest is a stated assumption of this generator and is
 * listed in `examples/README.md`.
 *
 * Durations and counts are piecewise-uniform tables `[min, max, weight]` (see `Rng.buckets`).
 * @module
 */
import type { Substance, SubstanceGroup } from '../schema/codes.js';

/** A piecewise-uniform table: `[min, max, weight]` rows. */
export type Buckets = readonly (readonly [number, number, number])[];
/** A weighted choice table: `[value, weight]` rows. */
export type Weights<T> = readonly (readonly [T, number])[];

/**
 * A synthetic area: an ONS-style 9-character code with serials in the 9xx range, which ONS has not
 * issued, so no real local authority is implied. Two to four providers each.
 */
export interface AreaSpec {
  readonly code: string;
  /** Relative size of the treatment population. */
  readonly weight: number;
  /** Provider ids, the first being the main provider (most referrals). */
  readonly providers: readonly string[];
}

/** Eight areas, echoing the eight pilot sites (SPEC §1): metropolitan, unitary, county, London. */
export const AREAS: readonly AreaSpec[] = [
  { code: 'E08000901', weight: 16, providers: ['P901A', 'P901B', 'P901C'] },
  { code: 'E08000902', weight: 12, providers: ['P902A', 'P902B'] },
  { code: 'E08000903', weight: 8, providers: ['P903A', 'P903B'] },
  { code: 'E06000901', weight: 7, providers: ['P904A', 'P904B'] },
  { code: 'E06000902', weight: 6, providers: ['P905A', 'P905B', 'P905C'] },
  { code: 'E10000901', weight: 22, providers: ['P906A', 'P906B', 'P906C', 'P906D'] },
  { code: 'E10000902', weight: 17, providers: ['P907A', 'P907B', 'P907C'] },
  { code: 'E09000901', weight: 12, providers: ['P908A', 'P908B', 'P908C'] },
];

/** Weights for choosing a provider within an area: the main provider takes most referrals. */
export const PROVIDER_WEIGHTS: readonly number[] = [60, 25, 10, 5];

/**
 * Substance group mix of adults in treatment. Around 170,000 heroin/crack users were in treatment
 * in a year (drug-strategy-2010.txt, "Introduction") and about 110,000 people were treated for
 * alcohol dependence (putting-full-recovery-first-2012.txt, "Alcohol"), so opiates ± crack are about
 * half and alcohol only about 30%; the non-opiate groups share the rest.
 */
export const GROUP_MIX: Weights<SubstanceGroup> = [
  ['opiate', 50],
  ['alcohol', 30],
  ['non_opiate', 10],
  ['non_opiate_and_alcohol', 10],
];

/** Non-opiate primary drugs, by weight (cannabis and powder cocaine most common). */
export const NON_OPIATE_DRUGS: Weights<Substance> = [
  ['cannabis', 45],
  ['cocaine', 32],
  ['amphetamines', 14],
  ['other_drugs', 9],
];

/**
 * Opiate clients: share also citing crack, and extra substances cited. About 30,000 people in drug
 * treatment also had an alcohol dependence (putting-full-recovery-first-2012.txt, "Alcohol").
 */
export const OPIATE_PROFILE = {
  /** Crack only (no opiates): still the opiate group by R-JNY-3. */
  crackOnly: 0.06,
  alsoCrack: 0.45,
  alsoAlcohol: 0.18,
  alsoCannabis: 0.12,
  alsoOtherDrugs: 0.06,
  alsoCocaine: 0.05,
} as const;

/** Share of non-opiate clients citing a second drug. */
export const SECOND_DRUG = 0.2;

/** Age at first start, by group: [min, max] of a triangular distribution. */
export const AGE: Record<SubstanceGroup, readonly [number, number]> = {
  opiate: [21, 58],
  alcohol: [22, 72],
  non_opiate: [18, 46],
  non_opiate_and_alcohol: [18, 55],
};

/**
 * Injecting at start, by group. Injectors (93,401) were about a third of heroin/crack users
 * (298,752) in 2010/11 (drug-strategy-2010-annual-review-2013.txt, "Building Recovery").
 */
export const INJECTING = {
  opiate: 0.34,
  /** Non-opiate clients who cite amphetamines or other drugs (the injectable ones); others never. */
  stimulantOrOther: 0.12,
} as const;

/** Tariff (complexity) band weights by group; injecting opiate clients are moved up a band more often. */
export const BANDS: Record<SubstanceGroup, Weights<string>> = {
  opiate: [['1', 12], ['2', 43], ['3', 45]],
  alcohol: [['1', 45], ['2', 40], ['3', 15]],
  non_opiate: [['1', 60], ['2', 32], ['3', 8]],
  non_opiate_and_alcohol: [['1', 45], ['2', 40], ['3', 15]],
};
/** Share of episodes with no band recorded (first episodes; later episodes of a journey more often). */
export const BAND_BLANK = 0.03;

/** How a journey's main episode ends. */
export type Fate = 'successful' | 'transfer_custody' | 'transfer' | 'unplanned' | 'died';

/**
 * Exit class of a journey, by group. Successful completion is much likelier for alcohol and
 * non-opiate clients than for opiate clients; nationally "nearly one third" of users completed and
 * did not return (drug-strategy-2010-annual-review-2013.txt, introduction, list of positive trends). Deaths are drawn
 * separately (see {@link DEATH}).
 */
export const FATE: Record<SubstanceGroup, Weights<Exclude<Fate, 'died'>>> = {
  opiate: [['successful', 30], ['transfer_custody', 7], ['transfer', 8], ['unplanned', 55]],
  alcohol: [['successful', 58], ['transfer_custody', 2], ['transfer', 6], ['unplanned', 34]],
  non_opiate: [['successful', 62], ['transfer_custody', 3], ['transfer', 5], ['unplanned', 30]],
  non_opiate_and_alcohol: [['successful', 55], ['transfer_custody', 3], ['transfer', 6], ['unplanned', 36]],
};

/** Unplanned exit reasons (SPEC §2.1) by weight. */
export const UNPLANNED_REASONS: Weights<string> = [
  ['dropped_out', 62],
  ['declined', 8],
  ['withdrawn_by_provider', 5],
  ['retained_in_custody', 6],
  ['moved_away', 6],
  ['no_appropriate_treatment', 2],
  ['other', 6],
  ['not_known', 5],
];

/**
 * Successful exits: opiate completions are sometimes recorded while still on substitute
 * medication, and a few as `completed_occasional_user` (neither counts for opiates, R-OUT-1).
 */
export const OPIATE_SUCCESS = { onSubstitution: 0.15, substitutionBlank: 0.04, occasionalUser: 0.07 } as const;
/** Non-opiate successful exits recorded as occasional user. */
export const NON_OPIATE_OCCASIONAL = 0.12;

/**
 * Episode length in days, by group and how it ends. Opiate treatment (substitute prescribing) runs
 * much longer, often over a year, so many opiate episodes are still open at the extract.
 */
export const EPISODE_DAYS: Record<'opiate' | 'other', Record<Exclude<Fate, 'died'>, Buckets>> = {
  opiate: {
    successful: [[120, 270, 15], [270, 540, 35], [540, 900, 30], [900, 1600, 20]],
    transfer_custody: [[14, 120, 40], [120, 365, 40], [365, 900, 20]],
    transfer: [[30, 180, 45], [180, 540, 40], [540, 1100, 15]],
    unplanned: [[7, 60, 15], [60, 180, 20], [180, 540, 30], [540, 1100, 20], [1100, 1800, 15]],
  },
  other: {
    successful: [[42, 120, 35], [120, 210, 40], [210, 400, 25]],
    transfer_custody: [[14, 90, 60], [90, 240, 40]],
    transfer: [[20, 90, 50], [90, 240, 50]],
    unplanned: [[7, 42, 35], [42, 120, 40], [120, 300, 25]],
  },
};

/**
 * Gap in days before a follow-on episode of the same episode chain (transfer or quick return). It
 * straddles the 21-day journey rule on purpose: same-day restarts, gaps of 1–20, exactly 21 (same
 * journey), exactly 22 (a new journey) and a little more.
 */
export const FOLLOW_ON_GAP: Buckets = [
  [0, 0, 28],
  [1, 20, 44],
  [21, 21, 9],
  [22, 22, 8],
  [23, 60, 11],
];

/** Chance that an episode ending this way is followed by a quick follow-on episode (FOLLOW_ON_GAP). */
export const FOLLOW_ON: Record<Exclude<Fate, 'died'>, number> = {
  successful: 0.03,
  transfer_custody: 0.12,
  transfer: 0.85,
  unplanned: 0.12,
};

/** Chance a journey has an extra, overlapping episode at another provider (e.g. alcohol work alongside a script). */
export const OVERLAP = { opiate: 0.07, other: 0.03 } as const;

/** Re-presentation: chance of a later journey after a journey ending this way, and the months until it starts. */
export const REPRESENT: Record<Exclude<Fate, 'died'>, { chance: number; days: Buckets }> = {
  successful: { chance: 0.16, days: [[30, 182, 40], [183, 540, 60]] },
  transfer_custody: { chance: 0.6, days: [[25, 120, 50], [120, 400, 50]] },
  transfer: { chance: 0.35, days: [[25, 120, 50], [120, 540, 50]] },
  unplanned: { chance: 0.42, days: [[25, 120, 35], [120, 365, 40], [365, 900, 25]] },
};
/** A re-presentation goes to another provider of the same area / to another area this often. */
export const REPRESENT_ELSEWHERE = { otherProvider: 0.3, otherArea: 0.1 } as const;

/**
 * Deaths in the observation window, by group (about 1% overall, most among opiate clients), and
 * the share whose date of death is not linked to the client row (an exit reason `died` without a
 * date, R-OUT-9).
 */
export const DEATH: Record<SubstanceGroup, number> & { dateMissing: number } = {
  opiate: 0.017,
  alcohol: 0.009,
  non_opiate: 0.003,
  non_opiate_and_alcohol: 0.005,
  dateMissing: 0.1,
};

/** Days of use in the 28 before the start review, by substance (triangular [min, max]). */
export const BASELINE_USE: Record<Substance, readonly [number, number]> = {
  opiates: [12, 28],
  crack: [3, 22],
  cocaine: [3, 18],
  amphetamines: [4, 20],
  cannabis: [8, 28],
  other_drugs: [3, 20],
  alcohol: [10, 28],
};

/**
 * Housing problem at start: 9% of presentations were of no fixed abode and 15% had another housing
 * problem in 2010-11 (putting-full-recovery-first-2012.txt, "Tackling housing needs").
 */
export const HOUSING_PROBLEM = 0.24;

/** Chance of a TOP review of each stage being recorded. */
export const TOP = {
  start: 0.93,
  startFollowOn: 0.6,
  reviewEveryDays: [77, 105] as const,
  reviewMissed: 0.15,
  exit: { successful: 0.88, transfer_custody: 0.1, transfer: 0.35, unplanned: 0.12, died: 0 } as Record<Fate, number>,
  postExit: 0.12,
  blankCount: 0.03,
  blankScore: 0.05,
} as const;

/** Drug testing of opiate/crack clients; a few non-opiate clients are tested too. */
export const TESTS = {
  atReview: 0.75,
  everyDays: [28, 70] as const,
  extra: 0.4,
  invalid: 0.02,
  refused: 0.03,
  nonOpiateTested: 0.25,
  alsoOtherSubstance: 0.15,
} as const;

/**
 * Proven offending: a minority offend (opiate clients most often: regular heroin/crack users
 * commit around 45% of acquisitive offences, drug-strategy-2017.txt, "Offenders"), with a heavy
 * tail in the 12 months before treatment; offending falls after the start for those who do well.
 */
export const OFFENDING = {
  share: { opiate: 0.36, alcohol: 0.12, non_opiate: 0.18, non_opiate_and_alcohol: 0.2 } as Record<SubstanceGroup, number>,
  /** Proven offences in the year before the first start. */
  yearBefore: [[1, 1, 42], [2, 3, 30], [4, 8, 20], [9, 24, 8]] as Buckets,
  /** Offending rate after start relative to before, for a journey that goes well / badly. */
  afterFactorWell: 0.12,
  afterFactorBadly: 0.7,
  /** An offence on the start date itself (counts as before, R-OUT-4). */
  onStartDate: 0.06,
  categoryBlank: 0.03,
  categories: {
    opiate: [['acquisitive', 60], ['violent', 12], ['drugs', 16], ['other', 12]],
    alcohol: [['acquisitive', 15], ['violent', 38], ['drugs', 5], ['other', 42]],
    non_opiate: [['acquisitive', 25], ['violent', 25], ['drugs', 32], ['other', 18]],
    non_opiate_and_alcohol: [['acquisitive', 22], ['violent', 33], ['drugs', 22], ['other', 23]],
  } as Record<SubstanceGroup, Weights<string>>,
} as const;

/** Paid work: a minority in work at the start; more find work when treatment goes well. */
export const EMPLOYMENT = {
  atStart: { opiate: 0.04, alcohol: 0.2, non_opiate: 0.18, non_opiate_and_alcohol: 0.15 } as Record<SubstanceGroup, number>,
  findsWorkWell: 0.22,
  findsWorkBadly: 0.05,
  /** Spell length in days. */
  days: [[14, 60, 20], [60, 120, 25], [120, 400, 30], [400, 1200, 25]] as Buckets,
  secondSpell: 0.2,
  /** Hours a week: full-time, part-time under 16 hours, or not recorded. */
  hours: [
    [37.5, 25], [40, 15], [35, 10], [30, 8], [20, 6], [16, 4],
    [15, 6], [12, 5], [8, 5], [4, 2],
    [undefined, 14],
  ] as Weights<number | undefined>,
} as const;
