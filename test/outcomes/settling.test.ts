/**
 * R-CAL-4 (v3): a journey that has ended settles on end + journeyGapDays (or the client's death, if
 * earlier); what waits on its end is pending until then, due on the settle date. R-OUT-8: outcomes
 * gated on such an outcome inherit that date.
 */
import { describe, expect, it } from 'vitest';
import { presetScheme } from '../../src/presets/index.js';
import { brief, dataset, decide, died, episode, offence, oneOutcome, schemeOf } from '../support/builders.js';

const national = presetScheme('national-model-2012');
const completion = oneOutcome({ type: 'successful_completion' });
const freeFromDependence = oneOutcome({ type: 'successful_completion' }, { type: 'no_representation', months: 6 });

describe('R-CAL-4 (v3) due_on of an outcome waiting on an unsettled journey', () => {
  // The example: ended 2014-06-23 with an unsuccessful exit; settles on 2014-07-14.
  const droppedOut = dataset({ episodes: [episode('E1', '2014-01-06', '2014-06-23', { exit_reason: 'dropped_out' })] });

  it('R-CAL-4: successful_completion on an unsettled journey is pending/window_open, due on the settle date', () => {
    expect(brief(decide(droppedOut, completion, '2014-07-01'))).toEqual({ status: 'pending', due_on: '2014-07-14', reason: 'window_open' });
    expect(brief(decide(droppedOut, completion, '2014-07-14'))).toEqual({ status: 'not_met', reason: 'unsuccessful_exit' });
  });

  it('R-CAL-4: completion + no re-presentation after an unsuccessful exit is due on the settle date, not end + 6 months', () => {
    expect(brief(decide(droppedOut, freeFromDependence, '2014-07-01'))).toEqual({ status: 'pending', due_on: '2014-07-14', reason: 'window_open' });
    expect(brief(decide(droppedOut, freeFromDependence, '2014-07-13'))).toEqual({ status: 'pending', due_on: '2014-07-14', reason: 'window_open' });
    expect(brief(decide(droppedOut, freeFromDependence, '2014-07-14'))).toEqual({ status: 'not_met', reason: 'unsuccessful_exit' });
    // The same for every kind of failure shown so far, e.g. leaving an opiate journey on substitute medication.
    const onScript = dataset({ episodes: [episode('E1', '2014-01-06', '2014-06-23', { substances: ['opiates'], substitute_medication_at_exit: true })] });
    expect(brief(decide(onScript, freeFromDependence, '2014-07-01'))).toEqual({ status: 'pending', due_on: '2014-07-14', reason: 'window_open' });
  });

  it('R-CAL-4: an episode joining before the settle date reopens the journey (so nothing was decided)', () => {
    const joined = dataset({ episodes: [...droppedOut.episodes, episode('E2', '2014-07-10')] });
    expect(brief(decide(joined, freeFromDependence, '2014-07-14'))).toEqual({ status: 'pending', reason: 'in_treatment' });
  });

  it('R-CAL-4: after a successful exit the outcome still waits for the re-presentation window (end + 6 months)', () => {
    const completed = dataset({ episodes: [episode('E1', '2014-01-06', '2014-06-23')] });
    expect(brief(decide(completed, freeFromDependence, '2014-07-01'))).toEqual({ status: 'pending', due_on: '2014-12-23', reason: 'window_open' });
  });

  it('R-CAL-4: a death before end + journeyGapDays settles the journey on the day of death', () => {
    const data = dataset({ episodes: droppedOut.episodes, clients: [died('2014-06-30')] });
    expect(brief(decide(data, freeFromDependence, '2014-06-25'))).toEqual({ status: 'pending', due_on: '2014-07-14', reason: 'window_open' }); // death not yet known
    expect(brief(decide(data, freeFromDependence, '2014-06-30'))).toEqual({ status: 'not_met', reason: 'unsuccessful_exit' });
  });

  it('R-OUT-8: outcomes gated on it inherit the settle date (national model)', () => {
    // Offence before the start; reduced offending itself is met on start + 6 months (2014-07-06).
    const data = { ...droppedOut, offences: [offence('2013-12-01')] };
    const at = (id: string) => brief(decide(data, national, '2014-07-10', id));
    expect(at('free-from-dependence')).toEqual({ status: 'pending', due_on: '2014-07-14', reason: 'window_open' });
    expect(at('abstinent-confirmed')).toEqual({ status: 'pending', due_on: '2014-07-14', reason: 'window_open' });
    expect(at('reduced-offending')).toEqual({ status: 'pending', due_on: '2014-07-14', reason: 'gateway_pending' });
    expect(at('quality-of-life')).toEqual({ status: 'pending', due_on: '2014-07-14', reason: 'window_open' });
    expect(brief(decide(data, national, '2014-07-14', 'reduced-offending'))).toEqual({ status: 'not_met', reason: 'gateway_not_met' });
  });

  it('R-CAL-4: the earliest certain failure sets due_on whatever the other primitives wait for', () => {
    // Score improvement with no start review fails on the settle date; reduced offending waits to 2015-01-06.
    const s = schemeOf([
      { id: 'o', title: 'o', primitives: [{ type: 'reduced_offending', beforeMonths: 12, afterMonths: 12 }, { type: 'score_improvement', measure: 'quality_of_life', minPoints: 4 }] },
    ]);
    const data = { ...droppedOut, offences: [offence('2013-12-01')] };
    expect(brief(decide(data, s, '2014-07-01'))).toEqual({ status: 'pending', due_on: '2014-07-14', reason: 'window_open' });
    expect(brief(decide(data, s, '2014-07-14'))).toEqual({ status: 'not_eligible', reason: 'no_start_review' });
  });
});
