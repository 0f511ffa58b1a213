import { describe, expect, it } from 'vitest';
import { forecastIncomeFrom, parseProjectedJourneys } from '../../src/modelling/forecast.js';
import { addDays } from '../../src/calendar/index.js';
import { formatMoney } from '../../src/money/amount.js';
import type { OutcomeDecision } from '../../src/outcomes/types.js';
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
    // By default the quarters shown stop at the contract end: nothing is paid after it (R-PAY-8).
    const byDefault = forecastIncomeFrom({ clients: [] }, s, opts);
    expect(byDefault.quarters.map((q) => q.start)).toEqual(['2013-04-01', '2013-07-01']);
    expect(byDefault.horizon.reason).toMatch(/contract end \(2013-09-30\)/);
    const a = forecastIncomeFrom({ clients: [] }, s, { ...opts, quarters: 6 });
    const b = forecastIncomeFrom({ clients: [] }, s, { ...opts, quarters: 6, journeys: [...opts.journeys].reverse() });
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
    // Fixed: (1 − 0.5) × 4000 = 2000 a year, £500 a quarter, in Q1 and Q2 only (the contract ends 30 Sep 2013).
    expect(a.quarters.map((q) => formatMoney(q.fixed))).toEqual(['500.00', '500.00', '0.00', '0.00', '0.00', '0.00']);
    expect(a.quarters.slice(2).every((q) => q.p90.isZero() && q.expected.isZero())).toBe(true);
    const c = forecastIncomeFrom({ clients: [] }, s, { ...opts, quarters: 6, seed: 8 });
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

describe('income forecast: the pipeline (outcomes pending at asOf)', () => {
  // Four decided band-1 journeys of P1 started 2011-06-01: ffd not met 100 days in, met 200 days
  // in, not met 300 days in, met 400 days in (decision days: achieved_on, or the failing step's day).
  const asOf = '2013-03-31';
  const failedOn = (d: OutcomeDecision, on: string): OutcomeDecision => ({
    ...d,
    steps: [{ type: 'successful_completion', rule: 'R-OUT-1', status: 'not_met', achieved_on: undefined, due_on: undefined, decided_on: on, reason: 'unsuccessful_exit', windows: [], evidence: [], note: '' }],
  });
  const start = '2011-06-01';
  const past = [1, 2, 3, 4].map((i) => journey(episode({ id: `D${i}`, client: `D${i}`, start, end: addDays(start, 50), band: '1' })));
  const decided = [
    failedOn(decision(past[0]!, 'ffd', 'not_met'), addDays(start, 100)),
    met(past[1]!, 'ffd', addDays(start, 200)),
    failedOn(decision(past[2]!, 'ffd', 'not_met'), addDays(start, 300)),
    met(past[3]!, 'ffd', addDays(start, 400)),
  ];
  const pendingOn = (id: string, daysBefore: number, due?: string) => {
    const j = journey(episode({ id, client: id, start: addDays(asOf, -daysBefore), band: '1' }));
    return { j, d: { ...decision(j, 'ffd', 'pending', { reason: due ? 'window_open' : 'in_treatment' }), due_on: due } };
  };
  // A: in treatment for 150 days. B: 350 days in, due 20 days after asOf. C: 500 days in, in treatment.
  const a = pendingOn('A', 150);
  const b = pendingOn('B', 350, addDays(asOf, 20));
  const c = pendingOn('C', 500);
  const clients = byClient([...past, a.j, b.j, c.j], [...decided, a.d, b.d, c.d]);

  it('worked example by hand: conditional rates, due dates and delays longer than the time already in treatment', () => {
    const f = forecastIncomeFrom({ clients }, scheme, { provider: 'P1', asOf, journeys: [], simulations: 4000 });
    // A (t = 150): decided later than day 150 are met@200, not@300, met@400 → rate 2/3; it lands
    //   150 → 200 or 400 days after its start (asOf + 50 = 2013-05-20, Q1; asOf + 250 = 2013-12-06, Q3), half each.
    // B (t = 350): decided later than day 350: met@400 → rate 1; it lands on its due date 2013-04-20 (Q1).
    // C (t = 500): no journey was undecided that long: left out, and said so.
    // Q1 = 1000 × (2/3 × 1/2) + 1000 = 1333.33; Q2 = 0; Q3 = 333.33.
    expect(f.quarters.map((q) => `${q.start} ${formatMoney(q.pipeline)} ${formatMoney(q.expected)}`)).toEqual([
      '2013-04-01 1333.33 1333.33',
      '2013-07-01 0.00 0.00',
      '2013-10-01 333.33 333.33',
    ]);
    expect(formatMoney(f.total.pipeline)).toBe('1666.66');
    expect(formatMoney(f.total.expected)).toBe('1666.66');
    expect(f.horizon.chosen).toBe('default');
    expect(f.horizon.reason).toMatch(/slowest outcome lands: a pending ffd \(in treatment\), on 2013-12-06/);
    expect(f.pipeline.pending).toBe(3);
    expect(f.pipeline.left_out).toBe(1);
    const row = f.pipeline.rows[0]!;
    expect([row.outcome_id, row.band, row.pending, row.with_due_date, row.first_due, row.left_out, row.expected_met.toFixed(4), row.sources.join()]).toEqual([
      'ffd', '1', 3, 1, '2013-04-20', 1, '1.6667', 'provider',
    ]);
    expect(f.assumptions.notes.join(' ')).toMatch(/1 pending outcome of P1 left out: no observed journey/);
    expect(f.caveats.length).toBeGreaterThan(3);
    // The simulation agrees with the exact expectation (sd of the mean ≈ £8 with 4000 runs).
    expect(Math.abs(Number(f.total.mean.minus(f.total.expected)))).toBeLessThan(40);
    // P2 has no pending outcomes: its pipeline is empty.
    expect(forecastIncomeFrom({ clients }, scheme, { provider: 'P2', asOf, journeys: [], simulations: 10 }).pipeline.pending).toBe(0);
  });

  it('supplied rates replace the observed ones for pending outcomes too; pending items before quarter 1 are reported', () => {
    const f = forecastIncomeFrom({ clients }, scheme, { provider: 'P1', asOf, journeys: [], rates: { ffd: { '1': '0.5' } }, start: '2013-07-01', simulations: 10 });
    // Before quarter 1: B, due 2013-04-20 (0.5 × 1000), and A's landing 200 days in, 2013-05-20 (0.5 × 1/2 × 1000).
    expect(formatMoney(f.pipeline.before_start)).toBe('750.00');
    expect(f.assumptions.notes.join(' ')).toMatch(/£750\.00 expected from pending outcomes due before quarter 1 \(2013-07-01\)/);
    expect(f.pipeline.rows[0]!.sources).toEqual(['supplied']);
  });

  it('a pending outcome of a band the tariff does not price is counted, not paid', () => {
    const j = journey(episode({ id: 'U', client: 'U', start: addDays(asOf, -10) }));
    const f = forecastIncomeFrom({ clients: [...clients, ...byClient([j], [decision(j, 'ffd', 'pending', { reason: 'in_treatment' })])] }, scheme, { provider: 'P1', asOf, journeys: [], simulations: 10 });
    expect(f.pipeline.unpriced).toBe(1);
    expect(f.assumptions.notes.join(' ')).toMatch(/1 pending outcome of P1 cannot be paid/);
  });
});
