/**
 * What the money bought (issue 12): spend by payment kind × tariff band from payments.csv rows
 * (SPEC §4, R-PAY-1, R-PAY-2), cost per journey and cost per met outcome. Every figure is a sum or
 * a count per key, so it can be built from merged parts.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Dec, ZERO, sumMoney } from '../../src/money/amount.js';
import { PAYMENT_TYPES } from '../../src/payments/types.js';
import { outcomeBreakdownCounter } from '../../src/report/outcome-rates.js';
import { journeysByBand, outcomeCosts, spendPicture } from '../../src/report/spend.js';
import { presetScheme } from '../../src/presets/index.js';
import { decided, paymentRow } from './support.js';

const scheme = presetScheme('national-model-2012');

function breakdown(decisions: ReturnType<typeof decided>[]) {
  const c = outcomeBreakdownCounter();
  for (const d of decisions) c.add(d);
  return c.result();
}

describe('spendPicture: spend by payment kind × band (R-PAY-2)', () => {
  it('sums payers together, counts each payments.csv group once, and keeps cohort and fixed out of the bands', () => {
    const rows = [
      paymentRow({ provider: 'P1', type: 'attachment', band: '1', count: 2, amount: '240.00', payer: 'local' }),
      paymentRow({ provider: 'P1', type: 'attachment', band: '1', count: 2, amount: '60.00', payer: 'central' }),
      paymentRow({ provider: 'P1', type: 'outcome', outcome: 'free-from-dependence', band: '2', count: 1, amount: '1440.00', payer: 'local' }),
      paymentRow({ provider: 'P1', type: 'outcome', outcome: 'free-from-dependence', band: '2', count: 1, amount: '360.00', payer: 'central' }),
      paymentRow({ provider: 'P2', type: 'outcome', outcome: 'free-from-dependence', band: '2', period: '2012-07-01', count: 3, amount: '5400.00' }),
      paymentRow({ provider: 'P2', type: 'outcome', outcome: 'quality-of-life', band: '3', count: 1, amount: '400.00' }),
      paymentRow({ provider: 'P2', type: 'cohort', band: '1+2', count: 1, amount: '95.50' }),
      paymentRow({ provider: 'P2', type: 'fixed', count: 1, amount: '1000.00' }),
    ];
    const s = spendPicture(rows, breakdown([]), scheme);
    expect(s.lines.map((l) => [l.kind, l.outcome_id, l.total.amount.toFixed(2), l.total.items])).toEqual([
      ['attachment', '', '300.00', 2],
      ['outcome', 'free-from-dependence', '7200.00', 4],
      ['outcome', 'quality-of-life', '400.00', 1],
      ['cohort', '', '95.50', 1],
      ['fixed', '', '1000.00', 1],
    ]);
    const ffd = s.lines[1]!;
    expect([...ffd.bands].map(([b, c]) => [b, c.amount.toFixed(2), c.items])).toEqual([['2', '7200.00', 4]]);
    expect(s.lines[3]!.bands.size).toBe(0);
    expect(s.notByBand.toFixed(2)).toBe('1095.50');
    expect([...s.byBand].map(([b, v]) => [b, v.toFixed(2)])).toEqual([
      ['1', '300.00'],
      ['2', '7200.00'],
      ['3', '400.00'],
    ]);
    expect(s.total.toFixed(2)).toBe('8995.50');
    expect(s.bands).toEqual(['1', '2', '3']);
  });

  const row = fc
    .record({
      provider: fc.constantFrom('P1', 'P2'),
      payer: fc.constantFrom('local', 'central'),
      q: fc.integer({ min: 0, max: 3 }),
      type: fc.constantFrom(...PAYMENT_TYPES),
      outcome: fc.constantFrom('free-from-dependence', 'quality-of-life', 'other'),
      band: fc.constantFrom('1', '2', '3', ''),
      pence: fc.bigInt({ min: 0n, max: 10_000_000n }),
    })
    .map((r) =>
      paymentRow({
        provider: r.provider,
        payer: r.payer,
        period: `2012-${String(r.q * 3 + 4).padStart(2, '0')}-01`,
        type: r.type,
        outcome: r.outcome,
        band: r.band,
        amount: (Number(r.pence) / 100).toFixed(2),
      }),
    );

  it('conservation: every cell is the exact sum of its rows, lines add up to the total, bands + not by band = total', () => {
    fc.assert(
      fc.property(fc.array(row, { maxLength: 60 }), (rows) => {
        const s = spendPicture(rows, breakdown([]), scheme);
        const total = sumMoney(rows.map((r) => r.amount));
        expect(s.total.equals(total)).toBe(true);
        expect(sumMoney(s.lines.map((l) => l.total.amount)).equals(total)).toBe(true);
        expect(sumMoney(s.byBand.values()).plus(s.notByBand).equals(total)).toBe(true);
        for (const l of s.lines) {
          for (const [band, c] of l.bands) {
            const mine = rows.filter((r) => r.payment_type === l.kind && r.outcome_id === l.outcome_id && r.tariff_band === band);
            expect(c.amount.equals(sumMoney(mine.map((r) => r.amount)))).toBe(true);
          }
          if (l.kind === 'cohort' || l.kind === 'fixed') expect(l.bands.size).toBe(0);
        }
      }),
    );
  });

  it('partition invariance: the same figures whatever the order of rows', () => {
    fc.assert(
      fc.property(fc.array(row, { maxLength: 40 }), (rows) => {
        const show = (s: ReturnType<typeof spendPicture>) => JSON.stringify(s.lines.map((l) => [l.kind, l.outcome_id, l.total, [...l.bands]]));
        expect(show(spendPicture([...rows].reverse(), breakdown([]), scheme))).toBe(show(spendPicture(rows, breakdown([]), scheme)));
      }),
    );
  });
});

describe('journeysByBand and outcomeCosts: cost per journey and per met outcome', () => {
  const decisions = [
    // Band 1: four journeys, three met free-from-dependence.
    ...['met', 'met', 'met', 'not_met'].map((s) => decided('free-from-dependence', s as 'met', { band: '1' })),
    ...['met', 'not_met', 'not_eligible', 'pending'].map((s) => decided('quality-of-life', s as 'met', { band: '1' })),
    // Two journeys with no band, one met.
    decided('free-from-dependence', 'met'),
    decided('free-from-dependence', 'pending'),
    decided('quality-of-life', 'not_met'),
    decided('quality-of-life', 'not_met'),
  ];

  it('journeys per band come from any outcome’s counts (every journey has a decision for every outcome)', () => {
    expect([...journeysByBand(breakdown(decisions))]).toEqual([
      ['1', 4],
      ['', 2],
    ]);
  });

  it('per met outcome = outcome payments ÷ journeys that met it; a met outcome not paid lowers it below the price', () => {
    const rows = [paymentRow({ type: 'outcome', outcome: 'free-from-dependence', band: '1', count: 2, amount: '2400.00' })];
    const costs = outcomeCosts(spendPicture(rows, breakdown(decisions), scheme), breakdown(decisions), scheme);
    const ffd = costs.find((c) => c.outcome_id === 'free-from-dependence')!;
    const band1 = ffd.bands.find((l) => l.band === '1')!;
    expect([band1.met, band1.items, band1.paid.toFixed(2), band1.perMet!.toFixed(2), band1.price!.toFixed(2)]).toEqual([3, 2, '2400.00', '800.00', '1200.00']);
    const none = ffd.bands.find((l) => l.band === '')!;
    expect([none.met, none.items, none.paid.toFixed(2), none.perMet!.toFixed(2), none.price]).toEqual([1, 0, '0.00', '0.00', undefined]);
    expect([ffd.all.met, ffd.all.items, ffd.all.perMet!.toFixed(2)]).toEqual([4, 2, '600.00']);
    // Every priced outcome is listed, in scheme order, even with nothing paid; none met: no cost per met outcome.
    expect(costs.map((c) => c.outcome_id)).toEqual(scheme.outcomes.map((o) => o.id));
    const si = costs.find((c) => c.outcome_id === 'stopped-injecting')!;
    expect([si.all.met, si.all.perMet]).toEqual([0, undefined]);
  });

  it("with a default band, journeys without one count in it, as their payments do (R-PAY-2)", () => {
    const withDefault = { ...scheme, tariff: { ...scheme.tariff!, defaultBand: '1' } };
    expect([...journeysByBand(breakdown(decisions), withDefault.tariff)]).toEqual([['1', 6]]);
    const rows = [paymentRow({ type: 'outcome', outcome: 'free-from-dependence', band: '1', count: 4, amount: '4800.00' })];
    const ffd = outcomeCosts(spendPicture(rows, breakdown(decisions), withDefault), breakdown(decisions), withDefault).find((c) => c.outcome_id === 'free-from-dependence')!;
    expect(ffd.bands.map((l) => [l.band, l.met, l.perMet?.toFixed(2)])).toEqual([
      ['1', 4, '1200.00'],
      ['2', 0, undefined],
      ['3', 0, undefined],
    ]);
  });

  it('cost per met outcome never exceeds the price when every payment is at the price (law)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 50 }), fc.integer({ min: 0, max: 50 }), (met, unpaid) => {
        const paid = Math.max(0, met - unpaid);
        const ds = Array.from({ length: met }, () => decided('free-from-dependence', 'met', { band: '2' }));
        const rows = paid > 0 ? [paymentRow({ type: 'outcome', outcome: 'free-from-dependence', band: '2', count: paid, amount: new Dec(1800).times(paid).toFixed(2) })] : [];
        const l = outcomeCosts(spendPicture(rows, breakdown(ds), scheme), breakdown(ds), scheme)
          .find((c) => c.outcome_id === 'free-from-dependence')!
          .bands.find((x) => x.band === '2')!;
        expect(l.perMet!.lessThanOrEqualTo(l.price!)).toBe(true);
        expect(l.paid.equals(rows[0]?.amount ?? ZERO)).toBe(true);
      }),
    );
  });
});
