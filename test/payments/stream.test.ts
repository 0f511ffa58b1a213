/**
 * The payment tally (src/payments/stream.ts): clients added one at a time, in one tally or in
 * several merged (as the partitions of a run are), come to the rows, totals and counts of
 * calculatePayments over all of them at once. A group's paid amount is kept as runs of one price
 * and added up when read, so the laws below also pin that adding up: prices that change within a
 * group, a tally read (as JSON) and then added to again.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { calculatePayments } from '../../src/payments/index.js';
import { paymentsCsv } from '../../src/payments/table.js';
import { paymentTally, type PaymentTally } from '../../src/payments/stream.js';
import type { ClientOutcomes } from '../../src/payments/types.js';
import type { Scheme } from '../../src/schema/scheme/index.js';
import { testScheme } from './builders.js';
import { arbitraryRun } from './generators.js';

/** The figures a tally and calculatePayments both give, as text (exact, comparable). */
function figures(r: Pick<ReturnType<PaymentTally['result']>, 'rows' | 'totals' | 'counts'>) {
  return JSON.stringify({ csv: paymentsCsv(r.rows), totals: r.totals, counts: r.counts });
}

/** Schemes whose prices differ between bands and payers, so that groups meet several amounts. */
const schemeArb: fc.Arbitrary<Scheme> = fc.constantFrom(
  testScheme(),
  testScheme({ payers: [{ id: 'local', share: '0.7' }, { id: 'central', share: '0.3' }] }),
  testScheme({ tariff: { outcomes: { ffd: { '1': '1000.01', '2': '999.99', '3': '0.01' } } } }),
);

describe('paymentTally', () => {
  it('property: clients added one by one, in one tally or in parts merged, come to what calculatePayments gives', () => {
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
        expect(figures(merged.result())).toBe(want);
      }),
      { numRuns: 150 },
    );
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
