import { describe, expect, it } from 'vitest';
import { brief, dataset, decide, episode, oneOutcome, opiateEpisode, review } from '../support/builders.js';

const qol = oneOutcome({ type: 'score_improvement', measure: 'quality_of_life', minPoints: 4 });
const stopped = oneOutcome({ type: 'injecting_cessation' });

describe('R-OUT-6 score_improvement', () => {
  it('met at the earliest later review reaching baseline + minPoints', () => {
    const data = dataset({
      episodes: [episode('E1', '2024-01-01', '2024-12-01')],
      reviews: [
        review('E1', '2024-01-01', 'start', { quality_of_life: 8 }),
        review('E1', '2024-04-01', 'review', { quality_of_life: 11 }),
        review('E1', '2024-07-01', 'review', { quality_of_life: 12 }),
        review('E1', '2024-10-01', 'review', { quality_of_life: 15 }),
      ],
    });
    expect(brief(decide(data, qol, '2025-01-01'))).toEqual({ status: 'met', achieved_on: '2024-07-01' });
  });

  it('baseline: the earliest start review with the measure; same-day ties take the highest score', () => {
    const data = dataset({
      episodes: [episode('E1', '2024-01-01', '2024-12-01')],
      reviews: [
        review('E1', '2024-01-01', 'start', { quality_of_life: 6 }),
        review('E1', '2024-01-01', 'start', { quality_of_life: 9 }),
        review('E1', '2024-04-01', 'review', { quality_of_life: 12 }),
      ],
    });
    expect(brief(decide(data, qol, '2025-01-01'))).toEqual({ status: 'not_met', reason: 'no_improvement' });
  });

  it('no start review: not eligible once the journey has ended and settled; pending while open', () => {
    const closed = dataset({ episodes: [episode('E1', '2024-01-01', '2024-06-01')], reviews: [review('E1', '2024-03-01', 'review', { quality_of_life: 15 })] });
    expect(brief(decide(closed, qol, '2025-01-01'))).toEqual({ status: 'not_eligible', reason: 'no_start_review' });
    const open = dataset({ episodes: [episode('E1', '2024-01-01')], reviews: [] });
    expect(brief(decide(open, qol, '2025-01-01'))).toEqual({ status: 'pending', reason: 'in_treatment' });
  });

  it('a baseline too high to rise by minPoints is not met at once', () => {
    const data = dataset({ episodes: [episode('E1', '2024-01-01')], reviews: [review('E1', '2024-01-01', 'start', { quality_of_life: 18 })] });
    expect(brief(decide(data, qol, '2024-02-01'))).toEqual({ status: 'not_met', reason: 'no_improvement' });
  });
});

describe('R-OUT-7 injecting_cessation', () => {
  it('eligible from the first episode flag; met at the first later review with 0 days injected', () => {
    const data = dataset({
      episodes: [opiateEpisode('E1', '2024-01-01', '2024-12-01', { injecting_at_start: true })],
      reviews: [review('E1', '2024-04-01', 'review', { days_injected: 3 }), review('E1', '2024-07-01', 'review', { days_injected: 0 })],
    });
    expect(brief(decide(data, stopped, '2025-01-01'))).toEqual({ status: 'met', achieved_on: '2024-07-01' });
  });

  it('eligible from the start review; a blank count does not show cessation', () => {
    const data = dataset({
      episodes: [opiateEpisode('E1', '2024-01-01', '2024-12-01')],
      reviews: [review('E1', '2024-01-01', 'start', { days_injected: 12 }), review('E1', '2024-07-01', 'review', {})],
    });
    expect(brief(decide(data, stopped, '2025-01-01'))).toEqual({ status: 'not_met', reason: 'still_injecting' });
  });

  it('not injecting at start: not eligible', () => {
    const data = dataset({
      episodes: [opiateEpisode('E1', '2024-01-01', '2024-12-01', { injecting_at_start: false })],
      reviews: [review('E1', '2024-01-01', 'start', { days_injected: 0 })],
    });
    expect(brief(decide(data, stopped, '2024-02-01'))).toEqual({ status: 'not_eligible', reason: 'not_injecting_at_start' });
  });

  it('open journey still injecting: pending/in_treatment', () => {
    const data = dataset({ episodes: [opiateEpisode('E1', '2024-01-01', undefined, { injecting_at_start: true })], reviews: [] });
    expect(brief(decide(data, stopped, '2025-01-01'))).toEqual({ status: 'pending', reason: 'in_treatment' });
  });
});

describe('SPEC v3 readings: pending baselines, cessation from the journey start', () => {
  it('R-OUT-6 / R-CAL-4 (v3): no start review on a journey that has ended but not settled is pending, due on the settle date', () => {
    const data = dataset({ episodes: [episode('E1', '2024-01-01', '2024-06-01')], reviews: [review('E1', '2024-03-01', 'review', { quality_of_life: 15 })] });
    expect(brief(decide(data, qol, '2024-06-10'))).toEqual({ status: 'pending', due_on: '2024-06-22', reason: 'window_open' });
    expect(brief(decide(data, qol, '2024-06-22'))).toEqual({ status: 'not_eligible', reason: 'no_start_review' });
    // An episode joining by then brings its own start review, which becomes the baseline.
    const joined = dataset({
      episodes: [episode('E1', '2024-01-01', '2024-06-01'), episode('E2', '2024-06-20', '2024-12-01')],
      reviews: [review('E2', '2024-06-20', 'start', { quality_of_life: 8 }), review('E2', '2024-10-01', 'review', { quality_of_life: 12 })],
    });
    expect(brief(decide(joined, qol, '2025-01-01'))).toEqual({ status: 'met', achieved_on: '2024-10-01' });
  });

  it('R-OUT-7 / R-CAL-4 (v3): no baseline on an unsettled journey is pending, not not_eligible', () => {
    const data = dataset({ episodes: [opiateEpisode('E1', '2024-01-01', '2024-06-01')], reviews: [] });
    expect(brief(decide(data, stopped, '2024-06-10'))).toEqual({ status: 'pending', due_on: '2024-06-22', reason: 'window_open' });
    expect(brief(decide(data, stopped, '2024-06-22'))).toEqual({ status: 'not_eligible', reason: 'not_injecting_at_start' });
  });

  it('R-OUT-7 (v3): with the episode flag cessation counts from the journey start; otherwise from the baseline review', () => {
    const reviews = [review('E1', '2024-02-01', 'review', { days_injected: 0 }), review('E1', '2024-03-01', 'start', { days_injected: 9 })];
    const flagged = dataset({ episodes: [opiateEpisode('E1', '2024-01-01', '2024-12-01', { injecting_at_start: true })], reviews });
    expect(brief(decide(flagged, stopped, '2025-01-01'))).toEqual({ status: 'met', achieved_on: '2024-02-01' });
    // Without the flag the 2024-03-01 start review shows injecting; the 0 of 2024-02-01 came before it.
    const unflagged = dataset({ episodes: [opiateEpisode('E1', '2024-01-01', '2024-12-01')], reviews });
    expect(brief(decide(unflagged, stopped, '2025-01-01'))).toEqual({ status: 'not_met', reason: 'still_injecting' });
  });
});
