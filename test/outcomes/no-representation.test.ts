import { describe, expect, it } from 'vitest';
import { brief, dataset, decide, episode, oneOutcome, schemeOf } from '../support/builders.js';

const anyProvider = oneOutcome({ type: 'successful_completion' }, { type: 'no_representation', months: 6 });
const sameArea = oneOutcome({ type: 'no_representation', months: 6, scope: 'same_area' });

describe('R-OUT-2 no_representation', () => {
  const done = episode('E1', '2024-01-31', '2024-01-31');

  it('window is (end, end + 6 months]: 31 Jan + 6 months = 31 Jul; met on that day', () => {
    const d = decide(dataset({ episodes: [done] }), anyProvider, '2024-07-31');
    expect(brief(d)).toEqual({ status: 'met', achieved_on: '2024-07-31' });
    expect(brief(decide(dataset({ episodes: [done] }), anyProvider, '2024-07-30'))).toEqual({ status: 'pending', due_on: '2024-07-31', reason: 'window_open' });
  });

  it('31 Aug + 6 months clamps to 28 Feb (29 Feb in a leap year)', () => {
    const d = decide(dataset({ episodes: [episode('E1', '2023-06-01', '2023-08-31')] }), anyProvider, '2025-01-01');
    expect(d.achieved_on).toBe('2024-02-29');
    const e = decide(dataset({ episodes: [episode('E1', '2024-06-01', '2024-08-31')] }), anyProvider, '2026-01-01');
    expect(e.achieved_on).toBe('2025-02-28');
  });

  it('a new journey on the last day inside the window is a re-presentation; the first day outside is not', () => {
    const inside = dataset({ episodes: [done, episode('E2', '2024-07-31', '2024-08-10')] });
    expect(brief(decide(inside, anyProvider, '2025-01-01', 'o', 'E1'))).toEqual({ status: 'not_met', reason: 're_presented' });
    const outside = dataset({ episodes: [done, episode('E2', '2024-08-01', '2024-08-10')] });
    expect(brief(decide(outside, anyProvider, '2025-01-01', 'o', 'E1'))).toEqual({ status: 'met', achieved_on: '2024-07-31' });
  });

  it('re-presentation is decided at once, before the window closes (R-CAL-3)', () => {
    const data = dataset({ episodes: [done, episode('E2', '2024-04-01')] });
    expect(brief(decide(data, anyProvider, '2024-04-01', 'o', 'E1'))).toEqual({ status: 'not_met', reason: 're_presented' });
  });

  it('re-presentation at another provider counts (any_provider)', () => {
    const data = dataset({ episodes: [done, episode('E2', '2024-05-01', undefined, { provider_id: 'P9', area_code: 'A9' })] });
    expect(decide(data, anyProvider, '2025-01-01', 'o', 'E1').reason).toBe('re_presented');
    // …but not in another area with scope same_area.
    expect(decide(data, sameArea, '2025-01-01', 'o', 'E1').status).toBe('met');
  });

  it('an episode within the journey gap is not a re-presentation: it continues the journey', () => {
    const data = dataset({ episodes: [done, episode('E2', '2024-02-21', '2024-03-15')] });
    const d = decide(data, anyProvider, '2025-01-01');
    expect(d.journey_id).toBe('E1');
    expect(brief(d)).toEqual({ status: 'met', achieved_on: '2024-09-15' });
  });

  it('is pending/in_treatment while the journey is open', () => {
    expect(brief(decide(dataset({ episodes: [episode('E1', '2024-01-01')] }), anyProvider, '2025-01-01'))).toEqual({ status: 'pending', reason: 'in_treatment' });
  });

  it('an unsuccessful journey is not met whatever happens afterwards', () => {
    const data = dataset({ episodes: [episode('E1', '2024-01-01', '2024-02-01', { exit_reason: 'dropped_out' })] });
    expect(brief(decide(data, anyProvider, '2024-03-01'))).toEqual({ status: 'not_met', reason: 'unsuccessful_exit' });
  });

  it('the 12-month variant (Drug Strategy 2017) uses a 12-month window', () => {
    const s = schemeOf([{ id: 'o', title: 'o', primitives: [{ type: 'successful_completion' }, { type: 'no_representation', months: 12 }] }]);
    const data = dataset({ episodes: [done, episode('E2', '2024-12-01', '2024-12-10')] });
    expect(decide(data, s, '2025-06-01', 'o', 'E1').reason).toBe('re_presented');
  });
});
