/**
 * R-OUT-6 `score_improvement`: a TOP score (quality of life, psychological or physical health)
 * rises by at least `minPoints` over the baseline start review. Met at the earliest later review
 * in the journey reaching baseline + minPoints (achieved_on = its date).
 * @module
 */
import type { Primitive } from '../schema/scheme/outcomes.js';
import { baselineReview } from './baseline.js';
import { NO_EVIDENCE, decision, explains, journeyReviews, reviewRef, settlesOn, waitForEnd, withEvidence, type OutcomeContext } from './context.js';
import type { PrimitiveDecision } from './types.js';

type Params = Extract<Primitive, { type: 'score_improvement' }>;

/** The fields of a decision that shows none (one shared list). */
const NO_FIELDS: readonly string[] = Object.freeze([]);

/** Highest value a TOP score can take. */
const MAX_SCORE = 20;

/**
 * Decides R-OUT-6 for one journey.
 * @example decideScoreImprovement(ctx, { type: 'score_improvement', measure: 'quality_of_life', minPoints: 4 })
 */
export function decideScoreImprovement(ctx: OutcomeContext, p: Params): PrimitiveDecision {
  const RULE = 'R-OUT-6';
  const T = 'score_improvement' as const;
  const why = explains(ctx);
  if (!ctx.evidence.present.reviews) {
    return decision(T, RULE, 'not_met', {
      reason: 'no_evidence',
      decided_on: ctx.journey.start_date,
      note: why ? `No reviews file was supplied, so ${p.measure} cannot be compared.` : '',
    });
  }
  const base = baselineReview(ctx, p.measure);
  // The count field shown with each review: read only when the decision is explained.
  const fields: readonly string[] = why ? [p.measure] : NO_FIELDS;
  if (!base) {
    // The start reviews looked at, all without the measure.
    const starts = why ? journeyReviews(ctx).filter((r) => r.stage === 'start').map((r) => reviewRef(r, fields)) : NO_EVIDENCE;
    // A start review may still be recorded while the journey is open, or continued (R-CAL-4).
    const wait = waitForEnd(ctx, T, RULE, why ? `whether there is a start review with ${p.measure}` : '', 'not_eligible');
    if (wait) return withEvidence(wait, starts);
    return decision(T, RULE, 'not_eligible', {
      reason: 'no_start_review',
      decided_on: settlesOn(ctx),
      evidence: starts,
      note: why ? `The journey has no start review recording ${p.measure}, so there is no baseline.` : '',
    });
  }
  const target = base[p.measure]! + p.minPoints;
  if (target > MAX_SCORE) {
    return decision(T, RULE, 'not_met', {
      reason: 'no_improvement',
      decided_on: base.date,
      evidence: why ? [reviewRef(base, fields)] : NO_EVIDENCE,
      note: why ? `The baseline ${p.measure} of ${base[p.measure]} on ${base.date} cannot rise by ${p.minPoints} points (the scale tops at ${MAX_SCORE}).` : '',
    });
  }
  const reviews = journeyReviews(ctx);
  let hit: (typeof reviews)[number] | undefined;
  for (let i = 0; i < reviews.length && hit === undefined; i++) {
    const r = reviews[i]!;
    if (r.date > base.date && r[p.measure] !== undefined && r[p.measure]! >= target) hit = r;
  }
  if (hit) {
    return decision(T, RULE, 'met', {
      achieved_on: hit.date,
      evidence: why ? [reviewRef(base, fields), reviewRef(hit, fields)] : NO_EVIDENCE,
      note: why ? `${p.measure} rose from ${base[p.measure]} (start review ${base.date}) to ${hit[p.measure]} on ${hit.date}: at least ${p.minPoints} points.` : '',
    });
  }
  // The later reviews looked at, none reaching the target.
  const checked = why ? [reviewRef(base, fields), ...reviews.filter((r) => r.date > base.date).map((r) => reviewRef(r, fields))] : NO_EVIDENCE;
  const wait = waitForEnd(ctx, T, RULE, why ? `whether ${p.measure} reaches ${target}` : '', 'not_met');
  if (wait) return withEvidence(wait, checked);
  return decision(T, RULE, 'not_met', {
    reason: 'no_improvement',
    decided_on: settlesOn(ctx),
    evidence: checked,
    note: why ? `No review after the start review of ${base.date} (${p.measure} ${base[p.measure]}) reached ${target}.` : '',
  });
}
