import { describe, expect, it } from 'vitest';
import { forecastIncomeFrom, parseProjectedJourneys } from '../../src/modelling/forecast.js';
import { formatMoney } from '../../src/money/amount.js';
import { byClient, decision, episode, journey, met, testScheme } from '../payments/builders.js';

const show = (q: { quarter: number; expected: { toFixed(n: number): string }; p10: unknown; p50: unknown; p90: unknown }) =>
  `Q${q.quarter} ${formatMoney(q.expected as never)} ${formatMoney(q.p10 as never)}/${formatMoney(q.p50 as never)}/${formatMoney(q.p90 as never)}`;

// Only ffd is priced here (abst and emp get no price), to keep the hand checks small.
const scheme = testScheme({ tariff: { outcomes: { abst: null } } });

describe('income forecast', () => {
  it('worked example by hand: one band-1 journey, ffd rate 30%, paid on the start day', () => {
    // Q1 = 2013-04-01..06-30. Income: £100 attachment for sure; £1,000 more with probability 0.3.
    // Expected = 100 + 0.3 × 1000 = £400.00; P10 = P50 = £100 (70% of runs), P90 = £1,100.
    const f = forecastIncomeFrom({ clients: [] }, scheme, {
      provider: 'P1',
      asOf: '2013-03-31',
      journeys: [{ quarter: 1, band: '1', count: 1 }],
      rates: { ffd: { '1': '0.3' } },
      lags: { ffd: [0] },
      quarters: 1,
    });
    expect(f.quarters.map(show)).toEqual(['Q1 400.00 100.00/100.00/1100.00']);
    expect(f.quarters[0]!.start).toBe('2013-04-01');
    expect(f.quarters[0]!.end).toBe('2013-06-30');
    // The simulated mean is close to the exact expectation (sd of the mean ≈ £10 with 2000 runs).
    expect(Math.abs(Number(f.quarters[0]!.mean.minus(400)))).toBeLessThan(45);
  });

  it('worked example by hand: a 100-day lag spreads the outcome over the next quarters', () => {
    // A start drawn uniformly from the 91 days of Q1 (Apr–Jun 2013) + 100 days lands in Q2
    // (Jul–Sep) for starts 1 Apr – 22 Jun (83 days) and in Q3 for 23–30 Jun (8 days):
    // Q2 = 0.3 × 1000 × 83/91 = £273.63, Q3 = 0.3 × 1000 × 8/91 = £26.37.
    const f = forecastIncomeFrom({ clients: [] }, scheme, {
      provider: 'P1',
      asOf: '2013-03-31',
      journeys: [{ quarter: 1, band: '1', count: 1 }],
      rates: { ffd: { '1': '0.3' } },
      lags: { ffd: [100] },
      quarters: 3,
    });
    expect(f.quarters.map((q) => formatMoney(q.expected))).toEqual(['100.00', '273.63', '26.37']);
    expect(formatMoney(f.total.expected)).toBe('400.00');
    expect(f.quarters.map((q) => formatMoney(q.p10))).toEqual(['100.00', '0.00', '0.00']);
  });

  it('uses the rates and delays observed in a run: the provider first, then all providers', () => {
    // P1: 4 band-1 journeys decided (1 met after 200 days), 1 pending (left out). P2: band 2, 1 of 2 met.
    const p1 = [1, 2, 3, 4, 5].map((i) => journey(episode({ id: `J${i}`, client: `C${i}`, start: '2012-04-01', end: '2012-05-01', band: '1' })));
    const p2 = [6, 7].map((i) => journey(episode({ id: `J${i}`, client: `C${i}`, provider: 'P2', start: '2012-04-01', end: '2012-05-01', band: '2' })));
    const decisions = [
      met(p1[0]!, 'ffd', '2012-10-18'),
      decision(p1[1]!, 'ffd', 'not_met'),
      decision(p1[2]!, 'ffd', 'not_met'),
      decision(p1[3]!, 'ffd', 'not_eligible', { reason: 'not_in_population' }),
      decision(p1[4]!, 'ffd', 'pending'),
      met(p2[0]!, 'ffd', '2012-06-01'),
      decision(p2[1]!, 'ffd', 'not_met'),
    ];
    const f = forecastIncomeFrom({ clients: byClient([...p1, ...p2], decisions) }, scheme, {
      provider: 'P1',
      asOf: '2013-03-31',
      journeys: parseProjectedJourneys('Q1:1=4,2=2'),
      simulations: 200,
    });
    expect(f.assumptions.rates.map((r) => `${r.outcome_id} ${r.band} ${r.met}/${r.decided} ${r.source}`)).toEqual([
      'ffd 1 1/4 provider',
      'ffd 2 1/2 all providers',
    ]);
    expect(f.assumptions.lags.map((l) => `${l.outcome_id} ${l.source} ${l.observations} ${l.median_days}`)).toEqual(['ffd provider 1 200']);
    // Expected total: attachments 4 × 100 + 2 × 150 = 700; ffd 4 × 0.25 × 1000 + 2 × 0.5 × 1500 = 2500 (all within 5 quarters).
    expect(formatMoney(f.total.expected)).toBe('3200.00');
    expect(f.assumptions.notes.join(' ')).toMatch(/P1 has no decided journeys of band 2/);
  });

  it('is reproducible with a seed, includes fixed instalments, and pays nothing after the contract end', () => {
    const s = testScheme({
      tariff: { outcomes: { abst: null } },
      contract: { end: '2013-09-30', providers: { P1: { annualValue: '4000.00', pbrShare: '0.5' } } },
    });
    const opts = { provider: 'P1', asOf: '2013-03-31', journeys: parseProjectedJourneys('Q1:1=5 Q2:2=3'), rates: { ffd: { '1': '0.5', '2': '0.5' } }, lags: { ffd: [30, 120] }, seed: 7 };
    const a = forecastIncomeFrom({ clients: [] }, s, opts);
    const b = forecastIncomeFrom({ clients: [] }, s, { ...opts, journeys: [...opts.journeys].reverse() });
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
    // Fixed: (1 − 0.5) × 4000 = 2000 a year, £500 a quarter, in Q1 and Q2 only (the contract ends 30 Sep 2013).
    expect(a.quarters.map((q) => formatMoney(q.fixed))).toEqual(['500.00', '500.00', '0.00', '0.00', '0.00', '0.00']);
    expect(a.quarters.slice(2).every((q) => q.p90.isZero() && q.expected.isZero())).toBe(true);
    const c = forecastIncomeFrom({ clients: [] }, s, { ...opts, seed: 8 });
    expect(c.quarters.map((q) => formatMoney(q.expected))).toEqual(a.quarters.map((q) => formatMoney(q.expected)));
  });

  it('applies the cap per contract year in the simulation', () => {
    const s = testScheme({ tariff: { outcomes: { abst: null } }, contract: { providers: { P1: { annualValue: '0', pbrShare: '1', cap: '1000.00' } } } });
    const f = forecastIncomeFrom({ clients: [] }, s, {
      provider: 'P1',
      asOf: '2013-03-31',
      journeys: parseProjectedJourneys('Q1:1=20'),
      rates: { ffd: { '1': '1' } },
      lags: { ffd: [0] },
      quarters: 4,
      simulations: 50,
    });
    // Gross: 20 × (100 + 1000) = 22,000 in Q1; the cap keeps the year at £1,000.
    expect(formatMoney(f.quarters[0]!.expected)).toBe('22000.00');
    expect(formatMoney(f.quarters[0]!.p90)).toBe('1000.00');
    expect(formatMoney(f.total.p50)).toBe('1000.00');
  });

  it('parses projected journeys and refuses nonsense', () => {
    expect(parseProjectedJourneys('Q1:1=20,2=10;Q2:1=25')).toEqual([
      { quarter: 1, band: '1', count: 20 },
      { quarter: 1, band: '2', count: 10 },
      { quarter: 2, band: '1', count: 25 },
    ]);
    expect(() => parseProjectedJourneys('1:1=20')).toThrow(/Q1:1=20,2=10/);
    expect(() => parseProjectedJourneys('Q1:1=x')).toThrow(/band=count/);
    expect(() => forecastIncomeFrom({ clients: [] }, scheme, { provider: 'P1', asOf: '2013-03-31', journeys: [{ quarter: 1, band: '9', count: 1 }] })).toThrow(/band '9'/);
  });
});
