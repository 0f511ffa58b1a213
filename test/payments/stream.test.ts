/**
 * The payment tally (src/payments/stream.ts): clients added one at a time, in one tally or in
 * several merged (as the partitions of a run are), come to the rows, totals and counts of
 * calculatePayments over all of them at once. A group's paid amount is kept as runs of one price
 * and added up when read, so the laws below also pin that adding up: prices that change within a
 * group, a tally read (as JSON) and then added to again.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { calculatePayments, contractDates, type PaymentScheme } from '../../src/payments/index.js';
import { paymentsCsv } from '../../src/payments/table.js';
import { paymentTally, type PaymentTally } from '../../src/payments/stream.js';
import type { ClientOutcomes } from '../../src/payments/types.js';
import type { Scheme } from '../../src/schema/scheme/index.js';
import { byClient, episode, journey, met, testScheme } from './builders.js';
import { compareCodePoint } from '../../src/calendar/index.js';
import { arbitraryRun } from './generators.js';

/** The figures a tally and calculatePayments both give, as text (exact, comparable): cohort rates in their order (R-PAY-3) too. */
function figures(r: Pick<ReturnType<PaymentTally['result']>, 'rows' | 'totals' | 'counts' | 'cohorts'>) {
  return JSON.stringify({ csv: paymentsCsv(r.rows), totals: r.totals, counts: r.counts, cohorts: r.cohorts });
}

/** Whether cohort rates come by provider, period, cohort and outcome, each in code point order (R-PAY-3). */
function inRateOrder(rates: readonly { provider_id: string; period_start: string; cohort_id: string; outcome_id: string }[]): boolean {
  const key = (r: (typeof rates)[number]) => [r.provider_id, r.period_start, r.cohort_id, r.outcome_id];
  const before = (a: string[], b: string[]) => {
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return compareCodePoint(a[i]!, b[i]!) < 0;
    return false;
  };
  return rates.every((r, i) => i === 0 || !before(key(r), key(rates[i - 1]!)));
}

/**
 * Schemes of several kinds. A group (provider, period, payment type, outcome, band) is paid one
 * price per item unless something cuts it: a cap pays the item that crosses it in part and the
 * later ones nothing, and per-client limits pay some items nothing, so within one group the
 * amounts then change (A, A, B, A…), which is what the runs of one price must survive.
 */
const schemeArb: fc.Arbitrary<Scheme> = fc.constantFrom(
  testScheme(),
  testScheme({ payers: [{ id: 'local', share: '0.7' }, { id: 'central', share: '0.3' }] }),
  testScheme({ tariff: { outcomes: { ffd: { '1': '1000.01', '2': '999.99', '3': '0.01' } } } }),
  testScheme({ contract: { defaultTerms: { annualValue: '50000.00', pbrShare: '0.5', cap: '2750.00' } } }),
  testScheme({ contract: { defaultTerms: { annualValue: '0', pbrShare: '1', cap: '1250.50' } } }),
  testScheme({ tariff: { maxPerClientPerYear: { abst: 1, ffd: 1 } } }),
  // Cohort payments (R-PAY-3): cohorts and outcomes named against the order the tariff lists them.
  testScheme({
    cohortTariff: {
      cohorts: [{ id: 'z-low', bands: ['1', '2'] }, { id: 'a-high', bands: ['3'] }],
      measures: [
        { outcome: 'ffd', schedule: [{ minRate: '0', pricePerMember: '1.00' }] },
        { outcome: 'abst', schedule: [{ minRate: '0.2', pricePerMember: '2.50' }] },
      ],
    },
  }),
);

describe('paymentTally: totals are sums of the items (R-PAY-1), whatever the split (R-PAY-7)', () => {
  it('property: clients added one by one, in one tally or in parts merged, come to what calculatePayments gives (caps R-PAY-4, payers R-PAY-6, limits R-OUT-10), cohort rates in the order of R-PAY-3', () => {
    fc.assert(
      fc.property(arbitraryRun(), schemeArb, fc.integer({ min: 1, max: 4 }), ({ clients, asOf }, scheme, parts) => {
        const want = figures(calculatePayments({ clients }, scheme, { asOf }));
        // One tally.
        const one = paymentTally(scheme, asOf);
        for (const c of clients) one.addClient(c as ClientOutcomes);
        expect(figures(one.result())).toBe(want);
        // Parts merged through their JSON, as partitions in worker threads are.
        const merged = paymentTally(scheme, asOf);
        for (let p = 0; p < parts; p++) {
          const t = paymentTally(scheme, asOf);
          clients.forEach((c, i) => {
            if (i % parts === p) t.addClient(c as ClientOutcomes);
          });
          merged.merge(JSON.parse(JSON.stringify(t.toJSON())));
        }
        const result = merged.result();
        expect(figures(result)).toBe(want);
        expect(inRateOrder(result.cohorts)).toBe(true);
      }),
      { numRuns: 150 },
    );
  });

  it('keeps one group per provider, period, payment type, outcome and band, in the order first met, however its items alternate', () => {
    // One provider and period; items going to six groups and more in turn (the tally's search list
    // is reordered as groups are found: the groups themselves must not be).
    const scheme = testScheme();
    const bands = ['1', '2', '3', '2', '1', '3', '3', '1', '2', '2', '1', '3', '1', '1', '3', '2', '3', '2'];
    const day = (k: number) => String(1 + (k % 28)).padStart(2, '0');
    const js = bands.map((band, k) => journey(episode({ id: `E${k}`, client: `C${String(k).padStart(2, '0')}`, provider: 'P1', start: `2012-04-${day(k)}`, end: '2012-05-01', band })));
    const clients = byClient(js, js.map((j, k) => met(j, k % 3 === 0 || k % 5 === 0 ? 'abst' : 'ffd', `2012-05-${day(k + 3)}`)));
    const t = paymentTally(scheme, '2013-03-31');
    for (const c of clients) t.addClient(c);
    const keys = t.toJSON().groups.map((g) => g.slice(0, 5).join('|'));
    expect(new Set(keys).size).toBe(keys.length);
    // First met: each client's items in turn (attachment, then the outcome).
    const period = (d: string) => contractDates(scheme)(d).period;
    const met1 = clients.flatMap((c) => c.journeys.flatMap((j) => [`P1|${period(j.start_date)}|attachment||${j.tariff_band}`, ...c.decisions.filter((d) => d.journey_id === j.journey_id && d.status === 'met').map((d) => `P1|${period(d.achieved_on!)}|outcome|${d.outcome_id}|${j.tariff_band}`)]));
    expect(keys).toEqual([...new Set(met1)]);
    expect(figures(t.result())).toBe(figures(calculatePayments({ clients }, scheme, { asOf: '2013-03-31' })));
  });

  it('worked example: a cap crossed inside a group pays its items 1000, 1000, then 200 (R-PAY-4: a price that changes mid-group)', () => {
    const scheme = testScheme({ contract: { providers: { P1: { annualValue: '10000.00', pbrShare: '1', cap: '2500.00' } } } });
    const js = [1, 2, 3].map((k) => journey(episode({ id: `E${k}`, client: `C${k}`, start: `2012-04-0${k + 1}`, end: '2012-05-01', band: '1' })));
    const clients = byClient(js, js.map((j, k) => met(j, 'ffd', `2012-05-1${k}`)));
    const t = paymentTally(scheme, '2013-03-31');
    for (const c of clients) t.addClient(c);
    const r = t.result();
    // Attachments 3 × 100 = 300; ffd 1000 (1,300), 1000 (2,300), then 200 paid and 800 cut.
    expect(paymentsCsv(r.rows)).toContain('P1,default,2012-04-01,outcome,ffd,1,3,2200.00,800.00\n');
    expect(figures(r)).toBe(figures(calculatePayments({ clients }, scheme, { asOf: '2013-03-31' })));
  });

  it('property: a tally read as JSON part-way and then added to again gives what it would have given', () => {
    fc.assert(
      fc.property(arbitraryRun(), fc.nat(), ({ clients, asOf }, cut) => {
        const scheme = testScheme();
        const want = figures(calculatePayments({ clients }, scheme, { asOf }));
        const t = paymentTally(scheme, asOf);
        const k = cut % (clients.length + 1);
        clients.slice(0, k).forEach((c) => t.addClient(c as ClientOutcomes));
        t.toJSON();
        clients.slice(k).forEach((c) => t.addClient(c as ClientOutcomes));
        expect(figures(t.result())).toBe(want);
      }),
      { numRuns: 100 },
    );
  });
});

describe('contractDates (R-PAY-5, R-PAY-8): made once per contract calendar', () => {
  it('gives the calendar of the contract as it is now: a scheme changed between runs is not answered from the old one', () => {
    const of = (contract: { start: string; end?: string; period: 'monthly' | 'quarterly' } | undefined) => ({ contract }) as unknown as PaymentScheme;
    const calendar = { start: '2012-04-01', period: 'quarterly' as 'monthly' | 'quarterly' };
    const scheme = of(calendar);
    expect(contractDates(scheme)('2012-06-15')).toEqual({ period: '2012-04-01', year: '2012-04-01', inside: true });
    calendar.period = 'monthly';
    expect(contractDates(scheme)('2012-06-15').period).toBe('2012-06-01');
    // Two schemes with one calendar share the function; another calendar has its own.
    expect(contractDates(of({ start: '2012-04-01', period: 'monthly' }))).toBe(contractDates(scheme));
    expect(contractDates(of({ start: '2013-04-01', period: 'monthly' }))('2012-06-15').inside).toBe(false);
    expect(contractDates(of(undefined))('2012-06-15').period).toBe('2012-04-01');
    // The same start and period with an end: a calendar of its own (a date after the end is outside).
    expect(contractDates(of({ start: '2012-04-01', end: '2012-05-31', period: 'monthly' }))('2012-06-15').inside).toBe(false);
    expect(contractDates(of({ start: '2012-04-01', period: 'monthly' }))('2012-06-15').inside).toBe(true);
  });
});
