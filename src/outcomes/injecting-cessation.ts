/**
 * R-OUT-7 `injecting_cessation`: a client injecting at start (the first episode's
 * injecting_at_start, or days_injected > 0 on the baseline start review) records a later review in
 * the journey with days_injected = 0 (blank does not count). achieved_on = that review's date.
 * @module
 */
import type { Primitive } from '../schema/scheme/outcomes.js';
import { baselineReview } from './baseline.js';
import { NO_EVIDENCE, decision, explains, journeyReviews, reviewRef, settlesOn, stageLabel, waitForEnd, withEvidence, type OutcomeContext } from './context.js';
import type { EvidenceRef, PrimitiveDecision } from './types.js';

type Params = Extract<Primitive, { type: 'injecting_cessation' }>;

/** The count field shown with each review (one list for every decision). */
const FIELDS: readonly string[] = Object.freeze(['days_injected']);

/**
 * Decides R-OUT-7 for one journey.
 * @example decideInjectingCessation(ctx, { type: 'injecting_cessation' })
 */
export function decideInjectingCessation(ctx: OutcomeContext, _p: Params): PrimitiveDecision {
  const RULE = 'R-OUT-7';
  const T = 'injecting_cessation' as const;
  const first = ctx.journey.first_episode;
  const flag = first.injecting_at_start === true;
  const why = explains(ctx);
  if (!ctx.evidence.present.reviews) {
    // Both the start evidence and the cessation are in reviews (R-OUT-11).
    return decision(T, RULE, 'not_met', {
      reason: 'no_evidence',
      decided_on: ctx.journey.start_date,
      note: why ? 'No reviews file was supplied, so stopping injecting cannot be shown.' : '',
    });
  }
  const base = baselineReview(ctx, 'days_injected');
  const fields = FIELDS;
  // Evidence is listed only when the decision is explained: otherwise the shared empty list.
  const evidence: EvidenceRef[] = why ? [] : NO_EVIDENCE;
  if (why) {
    evidence.push({
      file: 'episodes',
      row: first.row,
      part: first.part,
      date: first.start_date,
      detail: `first episode ${first.episode_id}: injecting_at_start ${first.injecting_at_start === undefined ? 'blank' : String(first.injecting_at_start)}`,
    });
    if (base) evidence.push(reviewRef(base, fields));
  }
  const injecting = flag || (base !== undefined && base.days_injected! > 0);
  if (!injecting) {
    if (!base) {
      // No baseline yet on an open or unsettled journey: one may still be recorded (R-OUT-7, R-CAL-4).
      const wait = waitForEnd(ctx, T, RULE, 'whether the client was injecting at start', 'not_eligible');
      if (wait) return withEvidence(wait, evidence);
    }
    return decision(T, RULE, 'not_eligible', {
      reason: 'not_injecting_at_start',
      // The flag and the baseline review are fixed once the baseline exists.
      decided_on: base ? base.date : settlesOn(ctx),
      evidence,
      note: !why
        ? ''
        : base
          ? `The start review on ${base.date} records ${base.days_injected} days injecting and the first episode does not record injecting at start.`
          : 'Neither the first episode nor a start review records injecting at start.',
    });
  }
  // With the episode flag, injecting is shown at the journey start; otherwise from the baseline
  // review. (A start review recorded later must not move the reference date: R-CAL-3.)
  const from = flag ? ctx.journey.start_date : base!.date;
  const reviews = journeyReviews(ctx);
  let hit: (typeof reviews)[number] | undefined;
  for (let i = 0; i < reviews.length && hit === undefined; i++) if (reviews[i]!.date > from && reviews[i]!.days_injected === 0) hit = reviews[i];
  if (hit) {
    return decision(T, RULE, 'met', {
      achieved_on: hit.date,
      evidence: why ? [...evidence, reviewRef(hit, fields)] : evidence,
      note: why ? `The client was injecting at start and the ${stageLabel(hit.stage)} on ${hit.date} records 0 days injecting.` : '',
    });
  }
  // The later reviews looked at, none recording 0 days injecting.
  if (why) for (const r of journeyReviews(ctx)) if (r.date > from) evidence.push(reviewRef(r, fields));
  const wait = waitForEnd(ctx, T, RULE, 'whether injecting stops', 'not_met');
  if (wait) return withEvidence(wait, evidence);
  return decision(T, RULE, 'not_met', {
    reason: 'still_injecting',
    decided_on: settlesOn(ctx),
    evidence,
    note: why ? `No review after ${from} within the journey records 0 days injecting.` : '',
  });
}
