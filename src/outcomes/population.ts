/**
 * Population filters (SPEC §3.3): which journeys an outcome applies to. A journey outside the
 * population is `not_eligible`/`not_in_population`. While a journey can still change (open, or
 * closed but not settled), a verdict that rests on its substance group or band — which a later
 * episode could change — waits (`pending`), so decisions never flip later (R-CAL-3).
 * @module
 */
import type { Population } from '../schema/scheme/outcomes.js';
import { decision, explains, settlesOn, type OutcomeContext } from './context.js';
import type { PrimitiveDecision } from './types.js';

/**
 * The population step for one journey: `undefined` when the journey is in the population (and that
 * cannot change), else a `not_eligible` or `pending` decision.
 * @example decidePopulation(ctx, { substanceGroups: ['opiate'] })
 */
export function decidePopulation(ctx: OutcomeContext, pop: Population): PrimitiveDecision | undefined {
  const j = ctx.journey;
  const first = j.first_episode;
  const why = explains(ctx);
  // The tests the journey fails: counted, and worded only when explaining.
  let failed = 0;
  const out: string[] = [];
  let changeable = false;
  if (pop.substanceGroups) {
    if (!pop.substanceGroups.includes(j.substance_group)) {
      failed++;
      if (why) out.push(`substance group ${j.substance_group} is not one of ${pop.substanceGroups.join(', ')}`);
    }
    // 'opiate' takes precedence over every other group, so only it cannot change when episodes join.
    if (j.substance_group !== 'opiate') changeable = true;
  }
  if (pop.bands) {
    if (j.tariff_band === undefined || !pop.bands.includes(j.tariff_band)) {
      failed++;
      if (why) out.push(`tariff band ${j.tariff_band ?? '(blank)'} is not one of ${pop.bands.join(', ')}`);
    }
    if (j.tariff_band === undefined) changeable = true;
  }
  const age = first.age_at_start;
  if (pop.minAge !== undefined && (age === undefined || age < pop.minAge)) {
    failed++;
    if (why) out.push(`age at start ${age ?? '(blank)'} is below ${pop.minAge}`);
  }
  if (pop.maxAge !== undefined && (age === undefined || age > pop.maxAge)) {
    failed++;
    if (why) out.push(`age at start ${age ?? '(blank)'} is above ${pop.maxAge}`);
  }
  if (pop.injectingAtStart !== undefined && first.injecting_at_start !== pop.injectingAtStart) {
    failed++;
    if (why) out.push(`injecting_at_start is ${first.injecting_at_start ?? '(blank)'}, not ${pop.injectingAtStart}`);
  }
  if (pop.journeyStartFrom !== undefined && j.start_date < pop.journeyStartFrom) {
    failed++;
    if (why) out.push(`the journey started ${j.start_date}, before ${pop.journeyStartFrom}`);
  }
  if (pop.journeyStartTo !== undefined && j.start_date > pop.journeyStartTo) {
    failed++;
    if (why) out.push(`the journey started ${j.start_date}, after ${pop.journeyStartTo}`);
  }
  if (pop.providers && !pop.providers.includes(first.provider_id)) {
    failed++;
    if (why) out.push(`first provider ${first.provider_id} is not one of ${pop.providers.join(', ')}`);
  }
  if (pop.areas && !pop.areas.includes(first.area_code)) {
    failed++;
    if (why) out.push(`first area ${first.area_code} is not one of ${pop.areas.join(', ')}`);
  }

  const settles = settlesOn(ctx);
  if (changeable && (settles === undefined || settles > ctx.asOf)) {
    const verdict = failed > 0 ? 'outside' : 'inside';
    return decision('population', 'R-JNY-3', 'pending', {
      due_on: settles,
      settles_as: settles !== undefined && failed > 0 ? 'not_eligible' : undefined,
      reason: settles === undefined ? 'in_treatment' : 'window_open',
      note: why
        ? `The journey is ${verdict} the population so far, but its substance group or band can still change while ${
            settles === undefined ? 'it is open' : `it may be continued (until ${settles})`
          }.`
        : '',
    });
  }
  if (failed === 0) return undefined;
  return decision('population', 'R-JNY-3', 'not_eligible', {
    reason: 'not_in_population',
    decided_on: changeable ? settles : j.start_date,
    note: why ? `Not in the outcome's population: ${out.join('; ')}.` : '',
  });
}
