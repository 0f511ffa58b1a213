import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays } from '../../src/calendar/index.js';
import { calibrateSummary } from '../../src/modelling/calibrate.js';
import { forecastFromSummaries, forecastTally } from '../../src/modelling/forecast.js';
import { observationTally } from '../../src/modelling/observations.js';
import { payableSummaryTally, summarisePayables } from '../../src/modelling/payables.js';
import { decimal } from '../../src/money/amount.js';
import { calculatePayments } from '../../src/payments/index.js';
import type { ClientOutcomes } from '../../src/payments/types.js';
import { decision, testScheme } from '../payments/builders.js';
import { arbitraryRun } from '../payments/generators.js';

// Everything the summaries must carry: a default band, sustainment prices, a per-client limit, a
// cap that may bind, fixed instalments and a cohort tariff.
const scheme = testScheme({
  tariff: { defaultBand: '2', sustainment: { emp: { '1': '10.00', '2': '20.00', '3': '30.00' } }, maxPerClientPerYear: { ffd: 1 } },
  contract: { defaultTerms: { annualValue: '12000.00', pbrShare: '0.4', cap: '2500.00' } },
  cohortTariff: { cohorts: [{ id: 'all', bands: ['1', '2', '3'] }], measures: [{ outcome: 'abst', schedule: [{ minRate: '0.1', pricePerMember: '5.00' }] }] },
});

/** A run with some outcomes pending at asOf (due or in treatment) on the journeys that lack a decision. */
function arbitraryRunWithPending() {
  return arbitraryRun().chain(({ clients, asOf }) =>
    fc.array(fc.integer({ min: -1, max: 200 }), { minLength: clients.length, maxLength: clients.length }).map((dues) => ({
      asOf,
      clients: clients.map((c, i): ClientOutcomes => {
        const j = c.journeys[c.journeys.length - 1]!;
        if (c.decisions.some((d) => d.journey_id === j.journey_id && d.outcome_id === 'abst') || j.start_date > asOf) return c;
        const due = dues[i]!;
        const d = { ...decision(j, 'abst', 'pending', { reason: due < 0 ? 'in_treatment' : 'window_open' }), due_on: due < 0 ? undefined : addDays(asOf, due + 1) };
        return { ...c, decisions: [...c.decisions, d] };
      }),
    })),
  );
}

/** Splits clients into `parts` groups by the given assignment, each group in its own order. */
function split<T>(items: readonly T[], assign: readonly number[], parts: number): T[][] {
  const out: T[][] = Array.from({ length: parts }, () => []);
  items.forEach((x, i) => out[assign[i]! % parts]!.push(x));
  return out.map((g, k) => (k % 2 === 0 ? g : [...g].reverse()));
}

describe('modelling summaries (issue #10): mergeable, client by client', () => {
  it('property: merging the summaries of any split of the clients gives the same calibration and forecast as one summary of all', () => {
    fc.assert(
      fc.property(
        arbitraryRunWithPending(),
        fc.integer({ min: 1, max: 4 }),
        fc.array(fc.nat(), { minLength: 12, maxLength: 12 }),
        fc.integer({ min: 0, max: 1_500_000 }),
        fc.constantFrom<'outcome' | 'total'>('outcome', 'total'),
        ({ clients, asOf }, parts, assign, pence, of) => {
          const whole = forecastTally(scheme, asOf);
          for (const c of clients) whole.addClient(c);
          // Each part in its own tally, passed on as plain data (as between threads), merged into one.
          const merged = forecastTally(scheme, asOf);
          for (const group of split(clients, assign, parts)) {
            const t = forecastTally(scheme, asOf);
            for (const c of group) t.addClient(c);
            merged.merge(JSON.parse(JSON.stringify(t.toJSON())));
          }
          const a = whole.result();
          const b = merged.result();
          const target = decimal(pence).dividedBy(100);
          const cal = (s: typeof a) => JSON.stringify(calibrateSummary(s.payables, scheme, { target, of }));
          expect(cal(b)).toBe(cal(a));
          const options = { provider: 'P1', asOf, journeys: [{ quarter: 1, band: '1', count: 3 }], simulations: 30, seed: 3 };
          expect(JSON.stringify(forecastFromSummaries(b, scheme, options))).toBe(JSON.stringify(forecastFromSummaries(a, scheme, options)));
        },
      ),
      { numRuns: 60 },
    );
  });

  it('property: the payable items, priced as the scheme prices them, pay what the payment rules pay', () => {
    fc.assert(
      fc.property(arbitraryRunWithPending(), ({ clients, asOf }) => {
        const s = summarisePayables(clients, scheme, asOf);
        const totals = calculatePayments({ clients }, scheme, { asOf }).totals;
        // The rules' own totals are reachable (at factor 1), so calibration must meet them exactly,
        // and the scheme it finds must pay them under the rules: the summary lost nothing they count.
        const r = calibrateSummary(s, scheme, { target: totals.by_type.outcome });
        expect(r.exact).toBe(true);
        expect(calculatePayments({ clients }, r.scheme!, { asOf }).totals.by_type.outcome.equals(totals.by_type.outcome)).toBe(true);
        const t = calibrateSummary(s, scheme, { target: totals.total, of: 'total' });
        expect(t.exact).toBe(true);
        expect(calculatePayments({ clients }, t.scheme!, { asOf }).totals.total.equals(totals.total)).toBe(true);
      }),
      { numRuns: 40 },
    );
  });

  it('refuses to merge summaries of different days', () => {
    const a = payableSummaryTally(scheme, '2014-03-31');
    expect(() => a.merge(payableSummaryTally(scheme, '2014-04-01').toJSON())).toThrow(/as of 2014-04-01/);
    const o = observationTally(undefined, '2014-03-31');
    expect(() => o.merge(observationTally(undefined, '2014-04-01').toJSON())).toThrow(/as of 2014-04-01/);
  });
});
