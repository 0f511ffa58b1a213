/**
 * What every outcome rule looks at: one journey, the client's other journeys, the client's evidence
 * as known at asOf, and helpers shared by the primitives (reviews within the journey, when a closed
 * journey is settled, decision builders).
 * @module
 */
import { addDays, type IsoDate } from '../calendar/index.js';
import type { ClientEvidence } from '../evidence/index.js';
import type { Journey } from '../journeys/index.js';
import type { OutcomeStatus, ReasonCode } from '../schema/codes.js';
import type { Located, Review } from '../schema/records.js';
import type { DecisionWindow, EvidenceRef, PrimitiveDecision } from './types.js';

/** The inputs of one journey's outcome decisions. */
export interface OutcomeContext {
  journey: Journey;
  /** All of the client's journeys as known at asOf, in start order. */
  journeys: readonly Journey[];
  evidence: ClientEvidence;
  asOf: IsoDate;
  /** R-JNY-1 gap: a closed journey may still be continued by an episode starting up to end + gap. */
  journeyGapDays: number;
  /**
   * Whether decisions carry their explanation: notes, evidence and windows (default true). A run
   * that writes only statuses, dates and reasons (outcomes.csv, payments) passes false: every
   * decision and step is the same but for those three, which are left empty (see {@link explains}).
   */
  explain?: boolean;
}

/**
 * Whether the decisions of `ctx` carry notes, evidence and windows. Without them a rule decides
 * exactly as with them: only the words and the lists of rows looked at are not made (at national
 * scale they are most of what a decision allocates, and only `explain` reads them).
 * @example explains({ ...ctx, explain: false }) // false
 */
export function explains(ctx: Pick<OutcomeContext, 'explain'>): boolean {
  return ctx.explain !== false;
}

/**
 * The date from which a closed journey can no longer be continued by a new episode (R-JNY-1):
 * end + journeyGapDays, or the client's death if that comes first (and is known at asOf): the
 * settle date of R-CAL-4. Decisions that wait on the end of a journey are only final from then, so
 * that a decided status never changes when asOf moves later (R-CAL-3).
 * @example settlesOn(ctx) // '2024-01-22' for a journey that ended 2024-01-01
 */
export function settlesOn(ctx: OutcomeContext): IsoDate | undefined {
  const end = ctx.journey.end_date;
  if (end === undefined) return undefined;
  const gap = ctx.journeyGapDays;
  const dod = ctx.evidence.date_of_death;
  // Every primitive of a journey asks in turn: the last answer is kept, by its inputs.
  if (end === settled.end && gap === settled.gap && dod === settled.dod) return settled.on;
  const gapEnd = addDays(end, gap);
  const afterDeath = dod === undefined ? undefined : dod > end ? dod : end;
  const on = afterDeath !== undefined && afterDeath < gapEnd ? afterDeath : gapEnd;
  settled.end = end;
  settled.gap = gap;
  settled.dod = dod;
  settled.on = on;
  return on;
}

/** The last {@link settlesOn} answer and its inputs. */
const settled: { end: IsoDate | undefined; gap: number; dod: IsoDate | undefined; on: IsoDate | undefined } = { end: undefined, gap: 0, dod: undefined, on: undefined };

/**
 * The last {@link journeyReviews} answer and what it was worked out from. A journey's primitives are
 * decided one after another, so one entry serves them all; a map keyed by journey (a WeakMap, as
 * before) held an entry for each of a million journeys, which the young-generation collector had to
 * walk at every collection.
 */
const lastReviews: { journey: Journey | undefined; reviews: readonly Located<Review>[] | undefined; asOf: IsoDate; out: Located<Review>[] } = {
  journey: undefined,
  reviews: undefined,
  asOf: '',
  out: [],
};

/**
 * Reviews that count for a journey (R-OUT-3): of one of its episodes and dated within the journey,
 * from its start to its end (to asOf while open). Sorted by date.
 * @example journeyReviews(ctx).map((r) => r.date)
 */
export function journeyReviews(ctx: OutcomeContext): Located<Review>[] {
  const last = lastReviews;
  if (last.journey === ctx.journey && last.reviews === ctx.evidence.reviews && last.asOf === ctx.asOf) return last.out;
  const j = ctx.journey;
  const to = j.end_date ?? ctx.asOf;
  const from = j.start_date;
  let out: Located<Review>[];
  if (j.episodes.length === 1) {
    // Most journeys have one episode: no set of ids to make. When every review of the client is
    // the journey's (a client of one journey, most often), the client's list is the answer as it
    // is: no copy is made (nothing changes a list of reviews once made).
    const id = j.episodes[0]!.episode_id;
    const all = ctx.evidence.reviews;
    let k = 0;
    while (k < all.length && ofEpisodeWithin(all[k]!, id, from, to)) k++;
    out = k === all.length ? (all as Located<Review>[]) : all.filter((r) => ofEpisodeWithin(r, id, from, to));
  } else {
    const ids = new Set(j.episodes.map((e) => e.episode_id));
    out = ctx.evidence.reviews.filter((r) => ids.has(r.episode_id) && r.date >= from && r.date <= to);
  }
  last.journey = j;
  last.reviews = ctx.evidence.reviews;
  last.asOf = ctx.asOf;
  last.out = out;
  return out;
}

/** Whether review `r` is of episode `id` and dated within [from, to] (no closure made per journey for the usual case). */
function ofEpisodeWithin(r: Located<Review>, id: string, from: IsoDate, to: IsoDate): boolean {
  return r.episode_id === id && r.date >= from && r.date <= to;
}

/**
 * Whether two lists hold the same items (by `===`) in the same order: how a kept answer is checked
 * against what it was made from.
 * @example sameItems(['a', 'b'], ['a', 'b']) // true
 */
export function sameItems<T>(a: readonly T[], b: readonly T[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * The windows of a decision that lists none: one frozen empty array shared by all of them, as most
 * decisions are made without their explanation (millions at national scale). Nothing appends to a
 * decision's windows, evidence or sustainment dates once it is made; code that tried would throw
 * rather than change every other decision.
 */
export const NO_WINDOWS: DecisionWindow[] = Object.freeze([]) as unknown as DecisionWindow[];
/** The evidence of a decision that lists none (shared and frozen, as {@link NO_WINDOWS}). */
export const NO_EVIDENCE: EvidenceRef[] = Object.freeze([]) as unknown as EvidenceRef[];

/**
 * A primitive's decision, built field by field.
 * @example decision('abstinence', 'R-OUT-3', 'met', { achieved_on: '2024-07-01', note: 'No use recorded.' })
 */
export function decision(
  type: PrimitiveDecision['type'],
  rule: string,
  status: OutcomeStatus,
  fields: {
    achieved_on?: IsoDate | undefined;
    due_on?: IsoDate | undefined;
    /** For not_met / not_eligible: the day the failure became certain. */
    decided_on?: IsoDate | undefined;
    /** For pending: the failure it becomes on due_on if no record arrives (R-CAL-4). */
    settles_as?: 'not_met' | 'not_eligible' | undefined;
    reason?: ReasonCode | undefined;
    windows?: DecisionWindow[];
    evidence?: EvidenceRef[];
    note: string;
  },
): PrimitiveDecision {
  if ((status === 'not_met' || status === 'not_eligible') && fields.decided_on === undefined) {
    throw new Error(`internal error: ${rule} ${status} without the date it became certain`);
  }
  // One literal, every key always present (undefined where it does not apply): one object shape
  // for millions of decisions at national scale, and no spread.
  return {
    type,
    rule,
    status,
    achieved_on: fields.achieved_on,
    due_on: fields.due_on,
    decided_on: status === 'met' ? fields.achieved_on : status === 'pending' ? undefined : fields.decided_on,
    settles_as: status === 'pending' ? fields.settles_as : undefined,
    reason: fields.reason,
    windows: fields.windows === undefined || fields.windows.length === 0 ? NO_WINDOWS : fields.windows,
    evidence: fields.evidence === undefined || fields.evidence.length === 0 ? NO_EVIDENCE : fields.evidence,
    note: fields.note,
  };
}

/**
 * `d` with other evidence: a fresh decision of the same object shape as {@link decision} makes (a
 * spread, `{ ...d, evidence }`, gives each call site objects V8 handles more slowly, for millions
 * of decisions); `d` itself when both lists are empty.
 * @example withEvidence(wait, [reviewRef(review, ['days_injected'])])
 */
export function withEvidence(d: PrimitiveDecision, evidence: EvidenceRef[]): PrimitiveDecision {
  // Nothing to add (a decision without its explanation, or no rows looked at): `d` as it is.
  if (evidence.length === 0 && d.evidence.length === 0) return d;
  return {
    type: d.type,
    rule: d.rule,
    status: d.status,
    achieved_on: d.achieved_on,
    due_on: d.due_on,
    decided_on: d.decided_on,
    settles_as: d.settles_as,
    reason: d.reason,
    windows: d.windows,
    evidence: evidence.length === 0 ? NO_EVIDENCE : evidence,
    note: d.note,
  };
}

/**
 * The decision for an outcome that waits on the end of the journey (R-CAL-2, R-CAL-4): `pending`/
 * `in_treatment` with no due date while open; `pending`/`window_open` with due_on = the settle date
 * until the closed journey settles; otherwise `undefined` (decide now, as of {@link settlesOn}).
 * `settlesAs` names the failure the journey shows so far, which it becomes on the settle date
 * unless an episode joins (R-CAL-4).
 * @example const wait = waitForEnd(ctx, 'score_improvement', 'R-OUT-6', 'the score', 'not_met'); if (wait) return wait;
 */
export function waitForEnd(
  ctx: OutcomeContext,
  type: PrimitiveDecision['type'],
  rule: string,
  what: string,
  settlesAs?: 'not_met' | 'not_eligible',
): PrimitiveDecision | undefined {
  const j = ctx.journey;
  if (j.end_date === undefined) {
    return decision(type, rule, 'pending', {
      reason: 'in_treatment',
      note: explains(ctx) ? `The journey is still open at ${ctx.asOf}, so ${what} cannot be decided until it ends.` : '',
    });
  }
  const settles = settlesOn(ctx)!;
  if (settles > ctx.asOf) {
    return decision(type, rule, 'pending', {
      due_on: settles,
      settles_as: settlesAs,
      reason: 'window_open',
      note: explains(ctx)
        ? `The journey ended on ${j.end_date}, but an episode starting by ${settles} would continue it (R-JNY-1), so ${what} is decided on ${settles}${
            settlesAs ? ` (${settlesAs.replace('_', ' ')} then, unless an episode joins)` : ''
          }.`
        : '',
    });
  }
  return undefined;
}

/**
 * How a review stage reads in a sentence: "start review", "review", "exit review".
 * @example stageLabel('exit') // 'exit review'
 */
export function stageLabel(stage: Review['stage']): string {
  return stage === 'review' ? 'review' : `${stage.replace('_', '-')} review`;
}

/**
 * A short description of a review's counts for explanations.
 * @example reviewDetail(review, ['days_opiates']) // 'review of episode E1: opiates=0'
 */
export function reviewDetail(r: Review, fields: readonly string[]): string {
  let counts = '';
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i]!;
    const v = (r as unknown as Record<string, unknown>)[f];
    counts += `${i > 0 ? ', ' : ''}${countLabel(f)}=${v === undefined ? 'blank' : String(v)}`;
  }
  return `${stageLabel(r.stage)} of episode ${r.episode_id}: ${counts}`;
}

const COUNT_LABELS = new Map<string, string>();

/** A count's field name without its `days_` prefix (`days_opiates` → `opiates`), worked out once per name. */
function countLabel(field: string): string {
  let label = COUNT_LABELS.get(field);
  if (label === undefined) COUNT_LABELS.set(field, (label = field.startsWith('days_') ? field.slice(5) : field));
  return label;
}

/**
 * Evidence reference to a review row (`more`: words added to its detail).
 * @example reviewRef(review, ['days_opiates']).row // 12
 */
export function reviewRef(r: Located<Review>, fields: readonly string[], more = ''): EvidenceRef {
  return { file: 'reviews', row: r.row, part: r.part, date: r.date, detail: reviewDetail(r, fields) + more };
}
