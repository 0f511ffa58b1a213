/**
 * The baseline start review of a journey for a measure (R-OUT-6, R-OUT-7): the earliest `start`-stage
 * review in the journey with the measure recorded; on a same-day tie, the highest value.
 * @module
 */
import type { Located, Review } from '../schema/records.js';
import { journeyReviews, type OutcomeContext } from './context.js';

/** A numeric review measure. */
export type ReviewMeasure = 'quality_of_life' | 'psychological_health' | 'physical_health' | 'days_injected';

/**
 * The baseline start review for `measure`, or undefined when the journey has none.
 * @example baselineReview(ctx, 'quality_of_life')?.quality_of_life
 */
export function baselineReview(ctx: OutcomeContext, measure: ReviewMeasure): Located<Review> | undefined {
  let best: Located<Review> | undefined;
  for (const r of journeyReviews(ctx)) {
    if (r.stage !== 'start' || r[measure] === undefined) continue;
    if (!best) best = r;
    else if (r.date === best.date && r[measure]! > best[measure]!) best = r;
    else if (r.date > best.date) break;
  }
  return best;
}
