import { describe, expect, it } from 'vitest';
import { evaluateDataset } from '../../src/engine/index.js';
import { brief, dataset, decide, episode, offence, oneOutcome } from '../support/builders.js';

const binary = oneOutcome({ type: 'reduced_offending', beforeMonths: 12, afterMonths: 6, mode: 'binary' });
const halve = oneOutcome({ type: 'reduced_offending', beforeMonths: 12, afterMonths: 12, mode: 'frequency', minReduction: '0.5' });
const start = '2024-02-29';
const ep = () => episode('E1', start);

describe('R-OUT-4 reduced_offending', () => {
  it('needs a prior offence in [start − 12 months, start]', () => {
    expect(brief(decide(dataset({ episodes: [ep()], offences: [] }), binary, '2025-01-01'))).toEqual({ status: 'not_eligible', reason: 'no_prior_offence' });
    // 29 Feb 2024 − 12 months = 28 Feb 2023: that day is inside, the day before is not.
    expect(decide(dataset({ episodes: [ep()], offences: [offence('2023-02-27')] }), binary, '2025-01-01').reason).toBe('no_prior_offence');
    expect(decide(dataset({ episodes: [ep()], offences: [offence('2023-02-28')] }), binary, '2025-01-01').status).toBe('met');
  });

  it('an offence on the start date is a before offence', () => {
    const d = decide(dataset({ episodes: [ep()], offences: [offence(start)] }), binary, '2025-01-01');
    expect(brief(d)).toEqual({ status: 'met', achieved_on: '2024-08-29' });
  });

  it('binary: an offence on the last day of the after window fails; the day after does not', () => {
    const last = dataset({ episodes: [ep()], offences: [offence('2023-10-01'), offence('2024-08-29')] });
    expect(brief(decide(last, binary, '2025-01-01'))).toEqual({ status: 'not_met', reason: 'reoffended' });
    const next = dataset({ episodes: [ep()], offences: [offence('2023-10-01'), offence('2024-08-30')] });
    expect(decide(next, binary, '2025-01-01').status).toBe('met');
  });

  it('decides a reoffence at once, and is otherwise pending until start + 6 months, open journey or not', () => {
    const data = dataset({ episodes: [ep()], offences: [offence('2023-10-01'), offence('2024-03-10')] });
    expect(decide(data, binary, '2024-03-10').reason).toBe('reoffended');
    const clean = dataset({ episodes: [ep()], offences: [offence('2023-10-01')] });
    expect(brief(decide(clean, binary, '2024-08-28'))).toEqual({ status: 'pending', due_on: '2024-08-29', reason: 'window_open' });
    expect(decide(clean, binary, '2024-08-29').status).toBe('met');
  });

  it('frequency: after ≤ before × (1 − minReduction)', () => {
    const before = ['2023-04-01', '2023-06-01', '2023-08-01', '2023-10-01'].map((d) => offence(d));
    const two = dataset({ episodes: [ep()], offences: [...before, offence('2024-05-01'), offence('2024-09-01')] });
    expect(brief(decide(two, halve, '2025-06-01'))).toEqual({ status: 'met', achieved_on: '2025-02-28' });
    const three = dataset({ episodes: [ep()], offences: [...before, offence('2024-05-01'), offence('2024-09-01'), offence('2024-10-01')] });
    expect(brief(decide(three, halve, '2024-10-01'))).toEqual({ status: 'not_met', reason: 'reoffended' });
  });

  it('a reoffence is decided on the offence that took the count over the limit; the offences shown are the two windows\', in date order', () => {
    const outside = [offence('2022-01-01'), offence('2025-06-01')];
    const before = ['2023-04-01', '2023-06-01', '2023-08-01', '2023-10-01'].map((d) => offence(d));
    const after = ['2024-05-01', '2024-09-01', '2024-10-01'].map((d) => offence(d));
    const data = dataset({ episodes: [ep()], offences: [outside[0]!, ...before, ...after, outside[1]!] });
    // Halving allows 2 of the 4: the third after offence decides it.
    expect(decide(data, halve, '2025-12-01').steps[0]!.decided_on).toBe('2024-10-01');
    // Binary allows none: the first after offence decides it.
    expect(decide(data, binary, '2025-12-01').steps[0]!.decided_on).toBe('2024-05-01');
    const shown = evaluateDataset(data, halve, { asOf: '2025-12-01', explain: true }).clients[0]!.decisions[0]!.steps[0]!;
    expect(shown.evidence.map((e) => e.date)).toEqual([...before, ...after].map((o) => o.offence_date));
  });

  it('counts offences by date whatever journey they fall in', () => {
    const data = dataset({
      episodes: [episode('E0', '2023-05-01', '2023-07-01'), ep()],
      offences: [offence('2023-06-01')], // during the previous journey
    });
    expect(decide(data, binary, '2025-01-01', 'o', 'E1').status).toBe('met');
  });

  it('without an offences file: no_evidence (R-OUT-11)', () => {
    expect(brief(decide({ ...dataset({ episodes: [ep()] }), offences: undefined }, binary, '2025-01-01'))).toEqual({ status: 'not_met', reason: 'no_evidence' });
  });
});
