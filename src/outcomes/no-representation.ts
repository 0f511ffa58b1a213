/**
 * R-OUT-2 `no_representation`: no later journey of the client starts within `months` after the
 * journey's end (scope `any_provider`, or `same_area` as the exit episode). achieved_on =
 * end + months; a re-presentation inside the window decides `not_met` at once (R-CAL-3).
 * @module
 */
import { addMonths, laterOf } from '../calendar/index.js';
import type { Primitive } from '../schema/scheme/outcomes.js';
import { NO_WINDOWS, decision, explains, settlesOn, waitForEnd, type OutcomeContext } from './context.js';
import type { PrimitiveDecision } from './types.js';

type Params = Extract<Primitive, { type: 'no_representation' }>;

/**
 * Decides R-OUT-2 for one journey.
 * @example decideNoRepresentation(ctx, { type: 'no_representation', months: 6, scope: 'any_provider' })
 */
export function decideNoRepresentation(ctx: OutcomeContext, p: Params): PrimitiveDecision {
  const RULE = 'R-OUT-2';
  const j = ctx.journey;
  if (j.end_date === undefined) {
    return waitForEnd(ctx, 'no_representation', RULE, 'whether the client re-presents')!;
  }
  const end = j.end_date;
  const to = addMonths(end, p.months);
  const why = explains(ctx);
  const windows = why ? [{ label: `${p.months}-month re-presentation window`, from: end, to, fromIncluded: false }] : NO_WINDOWS;
  const area = j.current_episode.area_code;
  const later = ctx.journeys.find(
    (o) => o.start_date > end && o.start_date <= to && (p.scope === 'any_provider' || o.first_episode.area_code === area),
  );
  if (later) {
    const e = later.first_episode;
    return decision('no_representation', RULE, 'not_met', {
      reason: 're_presented',
      decided_on: later.start_date,
      windows,
      evidence: why
        ? [
            {
              file: 'episodes',
              row: e.row,
              part: e.part,
              date: e.start_date,
              detail: `episode ${e.episode_id} started a new journey at provider ${e.provider_id}, area ${e.area_code}`,
            },
          ]
        : [],
      note: why
        ? `The client re-presented on ${later.start_date} (journey ${later.journey_id}), within ${p.months} months of the end on ${end}${
            p.scope === 'same_area' ? ` in the same area ${area}` : ''
          }.`
        : '',
    });
  }
  // Decided when the window has closed and the journey can no longer be continued (R-JNY-1).
  const due = laterOf(to, settlesOn(ctx))!;
  if (due > ctx.asOf) {
    return decision('no_representation', RULE, 'pending', {
      due_on: due,
      reason: 'window_open',
      windows,
      note: why ? `No re-presentation so far; the ${p.months}-month window after ${end} closes on ${to}.` : '',
    });
  }
  return decision('no_representation', RULE, 'met', {
    achieved_on: to,
    windows,
    note: why ? `No new journey started${p.scope === 'same_area' ? ` in area ${area}` : ''} between ${end} and ${to} (${p.months} months).` : '',
  });
}
