import { describe, expect, it } from 'vitest';
import { brief, dataset, decide, died, episode, job, oneOutcome } from '../support/builders.js';

const continuous = oneOutcome({ type: 'sustained_employment', weeks: 13, minHoursPerWeek: 16, withinMonths: 12, continuous: true });
const cumulative = oneOutcome({ type: 'sustained_employment', weeks: 13, minHoursPerWeek: 16, withinMonths: 12, continuous: false });
const withSustainment = oneOutcome({
  type: 'sustained_employment',
  weeks: 13,
  minHoursPerWeek: 16,
  withinMonths: 12,
  sustainment: { everyWeeks: 4, maxPayments: 3 },
});
const ep = () => episode('E1', '2024-01-01');

describe('R-OUT-5 sustained_employment', () => {
  it('met on the day 13 weeks (91 days) of qualifying work is reached', () => {
    const d = decide(dataset({ episodes: [ep()], employment: [job('2024-02-01')] }), continuous, '2025-06-01');
    expect(brief(d)).toEqual({ status: 'met', achieved_on: '2024-05-01' }); // 1 Feb + 90 days
  });

  it('work before or on the journey start does not count (window (start, start + 12 months])', () => {
    const d = decide(dataset({ episodes: [ep()], employment: [job('2023-12-01', '2024-03-31')] }), continuous, '2025-06-01');
    expect(d.reason).toBe('not_in_work_long_enough'); // 2 Jan – 31 Mar = 90 days
    const e = decide(dataset({ episodes: [ep()], employment: [job('2023-12-01', '2024-04-01')] }), continuous, '2025-06-01');
    expect(brief(e)).toEqual({ status: 'met', achieved_on: '2024-04-01' });
  });

  it('spells under the hours threshold, or with blank hours, do not count', () => {
    expect(decide(dataset({ episodes: [ep()], employment: [job('2024-02-01', undefined, 15.5)] }), continuous, '2025-06-01').reason).toBe('not_in_work_long_enough');
    expect(decide(dataset({ episodes: [ep()], employment: [job('2024-02-01', undefined, null)] }), continuous, '2025-06-01').reason).toBe('not_in_work_long_enough');
    expect(decide(dataset({ episodes: [ep()], employment: [job('2024-02-01', undefined, 16)] }), continuous, '2025-06-01').status).toBe('met');
  });

  it('adjacent and overlapping spells merge into one unbroken run; a gap breaks it', () => {
    const adjacent = [job('2024-02-01', '2024-03-15'), job('2024-03-16', '2024-06-01')];
    expect(decide(dataset({ episodes: [ep()], employment: adjacent }), continuous, '2025-06-01').achieved_on).toBe('2024-05-01');
    const broken = [job('2024-02-01', '2024-03-15'), job('2024-03-17', '2024-05-31')];
    expect(decide(dataset({ episodes: [ep()], employment: broken }), continuous, '2025-06-01').reason).toBe('not_in_work_long_enough');
    // Summed (cumulative): 44 + 76 days ≥ 91 on 16 Apr + … = reached on 2024-05-02.
    expect(decide(dataset({ episodes: [ep()], employment: broken }), cumulative, '2025-06-01').achieved_on).toBe('2024-05-02');
  });

  it('is pending while the target can still be reached, and not met once it cannot', () => {
    // 61 days so far and 32 days left in the window: 93 ≥ 91, still reachable.
    const data = dataset({ episodes: [ep()], employment: [job('2024-10-01')] });
    expect(brief(decide(data, continuous, '2024-11-30'))).toEqual({ status: 'pending', due_on: '2025-01-01', reason: 'window_open' });
    // A run that starts too late can never reach 91 days in the window: decided at once (R-CAL-3).
    const late = dataset({ episodes: [ep()], employment: [job('2024-11-01')] });
    expect(brief(decide(late, continuous, '2024-11-30'))).toEqual({ status: 'not_met', reason: 'not_in_work_long_enough' });
    // The work stopped, and a new run from 2 Dec has only 30 days left: unreachable.
    const stopped = dataset({ episodes: [ep()], employment: [job('2024-10-01', '2024-11-30')] });
    expect(brief(decide(stopped, continuous, '2024-12-02'))).toEqual({ status: 'not_met', reason: 'not_in_work_long_enough' });
    // Summed work could still reach 61 + 30 = 91 days on the last day of the window; a day later it cannot.
    expect(brief(decide(stopped, cumulative, '2024-12-02'))).toEqual({ status: 'pending', due_on: '2025-01-01', reason: 'window_open' });
    expect(brief(decide(stopped, cumulative, '2024-12-03'))).toEqual({ status: 'not_met', reason: 'not_in_work_long_enough' });
  });

  it('sustainment: a payable date for each further 4 weeks of unbroken work, up to the maximum', () => {
    const d = decide(dataset({ episodes: [ep()], employment: [job('2024-02-01')] }), withSustainment, '2025-06-01');
    expect(d.achieved_on).toBe('2024-05-01');
    expect(d.sustainment).toEqual(['2024-05-29', '2024-06-26', '2024-07-24']);
  });

  it('sustainment stops at asOf, and blocks restart after a break', () => {
    const d = decide(dataset({ episodes: [ep()], employment: [job('2024-02-01', '2024-06-10'), job('2024-07-01')] }), withSustainment, '2024-08-01');
    // 2 May – 29 May is one block; the run breaks on 10 Jun; a new block runs 1 Jul – 28 Jul.
    expect(d.sustainment).toEqual(['2024-05-29', '2024-07-28']);
  });

  it('no sustainment payments after death (R-OUT-9)', () => {
    const d = decide(dataset({ episodes: [ep()], employment: [job('2024-02-01')], clients: [died('2024-06-30')] }), withSustainment, '2025-06-01');
    expect(d.status).toBe('met');
    expect(d.sustainment).toEqual(['2024-05-29', '2024-06-26']);
  });

  it('without an employment file: no_evidence (R-OUT-11)', () => {
    expect(brief(decide({ ...dataset({ episodes: [ep()] }), employment: undefined }, continuous, '2025-06-01'))).toEqual({ status: 'not_met', reason: 'no_evidence' });
  });

  it('R-OUT-5 (v3): sustainment.withinMonths lets the payments run beyond the outcome window, counted from achieved_on', () => {
    const data = dataset({ episodes: [ep()], employment: [job('2024-02-01')] });
    const twenty = (withinMonths?: number) =>
      oneOutcome({ type: 'sustained_employment', weeks: 13, minHoursPerWeek: 16, withinMonths: 12, sustainment: { everyWeeks: 4, maxPayments: 20, ...(withinMonths ? { withinMonths } : {}) } });
    // Inside the 12-month window (to 2025-01-01) only 8 four-weekly blocks fit after 2024-05-01.
    const inWindow = decide(data, twenty(), '2026-06-01').sustainment;
    expect([inWindow.length, inWindow.at(-1)]).toEqual([8, '2024-12-11']); // 2024-05-01 + 8 × 28 days
    // With 24 months after achieved_on (to 2026-05-01) all 20 fit: the last on 2024-05-01 + 560 days.
    const longer = decide(data, twenty(24), '2026-06-01').sustainment;
    expect([longer.length, longer.at(-1)]).toEqual([20, '2025-11-12']);
    // 6 months after achieved_on (to 2024-11-01): 6 blocks.
    expect(decide(data, twenty(6), '2026-06-01').sustainment).toHaveLength(6);
  });
});
