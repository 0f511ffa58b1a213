import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareLines, compareOverrides, comparisonCsv, comparisonTable } from '../../src/modelling/compare.js';
import { formatMoney, sumMoney } from '../../src/money/amount.js';
import { calculatePayments } from '../../src/payments/index.js';
import { presetDocument } from '../../src/presets/index.js';
import type { Dataset } from '../../src/schema/dataset.js';
import { byClient, episode, journey, met, testScheme } from '../payments/builders.js';
import { arbitraryRun } from '../payments/generators.js';

describe('what-if comparison', () => {
  const js = [
    journey(episode({ id: 'E1', client: 'C1', start: '2012-05-01', end: '2012-06-01', band: '1' })),
    journey(episode({ id: 'E2', client: 'C2', start: '2012-05-03', end: '2012-07-01', band: '2' })),
    journey(episode({ id: 'E3', client: 'C3', provider: 'P2', start: '2012-06-01', end: '2012-07-01', band: '2' })),
  ];
  const clients = byClient(js, [met(js[0]!, 'ffd', '2012-12-01'), met(js[1]!, 'ffd', '2013-01-01'), met(js[2]!, 'ffd', '2013-01-01')]);

  it('reports the difference per provider, payment type, outcome and band, with totals (B − A)', () => {
    const a = calculatePayments({ clients }, testScheme(), { asOf: '2013-03-31' });
    const b = calculatePayments({ clients }, testScheme({ tariff: { outcomes: { ffd: { '2': '2000.00' } } } }), { asOf: '2013-03-31' });
    const c = compareLines(a.lines, b.lines);
    expect(c.rows.map((r) => `${r.provider_id} ${r.payment_type} ${r.outcome_id || '-'} ${r.tariff_band} ${formatMoney(r.a.amount)} ${formatMoney(r.b.amount)} ${formatMoney(r.difference)}`)).toEqual([
      'P1 attachment - 1 100.00 100.00 0.00',
      'P1 attachment - 2 150.00 150.00 0.00',
      'P1 outcome ffd 1 1000.00 1000.00 0.00',
      'P1 outcome ffd 2 1500.00 2000.00 500.00',
      'P2 attachment - 2 150.00 150.00 0.00',
      'P2 outcome ffd 2 1500.00 2000.00 500.00',
    ]);
    expect(c.providers.map((p) => `${p.provider_id} ${formatMoney(p.difference)}`)).toEqual(['P1 500.00', 'P2 500.00']);
    expect(formatMoney(c.total.difference)).toBe('1000.00');
    const csv = comparisonCsv(c).split('\n');
    expect(csv[0]).toBe('provider_id,payment_type,outcome_id,tariff_band,count_a,amount_a,capped_amount_a,count_b,amount_b,capped_amount_b,difference');
    expect(csv.at(-2)).toBe(',total,,,6,4400.00,0.00,6,5400.00,0.00,1000.00');
  });

  it('property: the total difference is the difference of the totals, and each side matches its own run', () => {
    fc.assert(
      fc.property(arbitraryRun(), fc.integer({ min: 0, max: 5000 }), ({ clients: cs, asOf }, cap) => {
        const a = calculatePayments({ clients: cs }, testScheme(), { asOf });
        const b = calculatePayments({ clients: cs }, testScheme({ contract: { defaultTerms: { annualValue: '1000', pbrShare: '0.5', cap: `${cap}` } } }), { asOf });
        const c = compareLines(a.lines, b.lines);
        expect(c.total.a.amount.equals(a.totals.total)).toBe(true);
        expect(c.total.b.amount.equals(b.totals.total)).toBe(true);
        expect(c.total.difference.equals(b.totals.total.minus(a.totals.total))).toBe(true);
        expect(sumMoney(c.rows.map((r) => r.difference)).equals(c.total.difference)).toBe(true);
      }),
      { numRuns: 30 },
    );
  });

  it('compares a preset with a parameter override on a dataset, running the engine once', () => {
    const ep = (id: string, client: string, start: string, end: string, band: string) => ({
      ...episode({ id, client, start, end, band }),
      substances: ['alcohol' as const],
      exit_reason: 'completed_alcohol_free',
    });
    const data: Dataset = { episodes: [ep('E1', 'C1', '2012-05-01', '2012-09-01', '2'), ep('E2', 'C2', '2012-06-01', '2012-10-01', '1')] };
    const c = compareOverrides(data, presetDocument('national-model-2012'), [{ path: 'tariff.outcomes.free-from-dependence.2', value: '2000.00' }], {
      asOf: '2013-06-30',
    });
    // E1 (band 2) completes on 2012-09-01 and does not return by 2013-03-01: free from dependence paid £1,800 → £2,000.
    expect(c.rows.filter((r) => !r.difference.isZero()).map((r) => `${r.outcome_id} ${r.tariff_band} ${formatMoney(r.difference)}`)).toEqual([
      'free-from-dependence 2 200.00',
    ]);
    expect(c.runs[1].clients).toBe(c.runs[0].clients);
    expect(c.b.label).toContain('tariff.outcomes.free-from-dependence.2=2000.00');
    expect(comparisonTable(c)).toContain('+£200.00');
  });

  it('refuses an override that breaks the scheme, naming the path', () => {
    expect(() => compareOverrides({ episodes: [] }, presetDocument('national-model-2012'), [{ path: 'tariff.outcomes.free-from-dependence.2', value: '-5' }], { asOf: '2013-06-30' })).toThrow(
      /tariff\.outcomes\.free-from-dependence\.2/,
    );
  });
});
