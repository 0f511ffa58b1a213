/**
 * The report's payment figures from payments.csv rows: grid per provider and period, cap picture
 * per provider and contract year (R-PAY-4), payers (R-PAY-6). Totals are exact sums of the rows.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Dec, formatMoney, sumMoney } from '../../src/money/amount.js';
import { contractCalendar } from '../../src/payments/contract.js';
import { PAYMENT_TYPES } from '../../src/payments/types.js';
import { capPicture, contractYearLabel, payerPicture, paymentGrid, periodLabel, periodRange } from '../../src/report/payments.js';
import type { Contract } from '../../src/schema/scheme/tariff.js';
import { paymentRow } from './support.js';

const quarterly = { contract: { start: '2012-04-01', period: 'quarterly', providers: {}, capCovers: ['attachment', 'outcome', 'sustainment', 'cohort'], fixedThrough: 'contract_year' } as Contract };

describe('paymentGrid', () => {
  it('sums rows per provider and period (payers added together) and fills periods with no payment', () => {
    const g = paymentGrid(
      [
        paymentRow({ provider: 'P2', period: '2012-04-01', type: 'attachment', amount: '150.00' }),
        paymentRow({ provider: 'P1', period: '2012-10-01', type: 'outcome', amount: '1200.00', payer: 'local' }),
        paymentRow({ provider: 'P1', period: '2012-10-01', type: 'outcome', amount: '300.01', payer: 'central', capped: '0.99' }),
      ],
      quarterly,
    );
    expect(g.periods).toEqual(['2012-04-01', '2012-07-01', '2012-10-01']);
    expect(g.types).toEqual(['attachment', 'outcome']);
    expect(g.providers.map((p) => p.provider_id)).toEqual(['P1', 'P2']);
    expect(g.providers[0]!.periods.map((c) => formatMoney(c.total))).toEqual(['0.00', '0.00', '1500.01']);
    expect(formatMoney(g.providers[0]!.all.capped)).toBe('0.99');
    expect(formatMoney(g.all.total)).toBe('1650.01');
    expect(g.periodTotals.map((c) => formatMoney(c.total))).toEqual(['150.00', '0.00', '1500.01']);
  });

  const row = fc
    .record({
      provider: fc.constantFrom('P1', 'P2', 'p1', 'Ä'),
      payer: fc.constantFrom('local', 'central'),
      q: fc.integer({ min: 0, max: 11 }),
      type: fc.constantFrom(...PAYMENT_TYPES),
      pence: fc.bigInt({ min: 0n, max: 10_000_000n }),
      cappedPence: fc.bigInt({ min: 0n, max: 100_000n }),
    })
    .map((r) =>
      paymentRow({
        provider: r.provider,
        payer: r.payer,
        period: `${2012 + Math.floor((r.q + 3) / 12)}-${String(((r.q * 3 + 3) % 12) + 1).padStart(2, '0')}-01`,
        type: r.type,
        amount: (Number(r.pence) / 100).toFixed(2),
        capped: (Number(r.cappedPence) / 100).toFixed(2),
      }),
    );

  it('conservation: provider totals, period totals and type totals each add up exactly to the sum of the rows', () => {
    fc.assert(
      fc.property(fc.array(row, { maxLength: 50 }), (rows) => {
        const g = paymentGrid(rows, quarterly);
        const total = sumMoney(rows.map((r) => r.amount));
        expect(g.all.total.equals(total)).toBe(true);
        expect(sumMoney(g.providers.map((p) => p.all.total)).equals(total)).toBe(true);
        expect(sumMoney(g.periodTotals.map((c) => c.total)).equals(total)).toBe(true);
        expect(sumMoney(PAYMENT_TYPES.map((t) => g.all.by_type[t])).equals(total)).toBe(true);
        for (const p of g.providers) {
          expect(p.all.total.equals(sumMoney(rows.filter((r) => r.provider_id === p.provider_id).map((r) => r.amount)))).toBe(true);
        }
        expect(g.all.capped.equals(sumMoney(rows.map((r) => r.capped_amount)))).toBe(true);
      }),
    );
  });

  it('is the same whatever the order of rows; providers in code point order', () => {
    fc.assert(
      fc.property(fc.array(row, { maxLength: 30 }), (rows) => {
        const a = paymentGrid(rows, quarterly);
        const b = paymentGrid([...rows].reverse(), quarterly);
        expect(JSON.stringify(b)).toBe(JSON.stringify(a));
        const ids = a.providers.map((p) => p.provider_id);
        expect(ids).toEqual([...ids].sort());
      }),
    );
  });
});

describe('periods and labels (R-PAY-5)', () => {
  it('quarters are numbered within the contract year', () => {
    const cal = contractCalendar({ start: '2012-04-01', period: 'quarterly' });
    expect(['2012-04-01', '2012-07-01', '2012-10-01', '2013-01-01', '2013-04-01'].map((p) => periodLabel(p, cal))).toEqual([
      'Q1 2012/13',
      'Q2 2012/13',
      'Q3 2012/13',
      'Q4 2012/13',
      'Q1 2013/14',
    ]);
  });
  it('months are named; calendar-year contracts have a one-year label', () => {
    const cal = contractCalendar({ start: '2013-01-01', period: 'monthly' });
    expect(periodLabel('2013-02-01', cal)).toBe('Feb 2013');
    expect(contractYearLabel('2013-01-01')).toBe('2013');
    expect(contractYearLabel('2019-04-01')).toBe('2019/20');
    expect(contractYearLabel('1999-04-01')).toBe('1999/00');
  });
  it('periodRange steps from the anchor, so month-end anchors keep their periods', () => {
    const cal = contractCalendar({ start: '2012-01-31', period: 'monthly' });
    expect(periodRange(cal, '2012-01-31', '2012-04-30')).toEqual(['2012-01-31', '2012-02-29', '2012-03-31', '2012-04-30']);
  });
});

describe('capPicture (R-PAY-4)', () => {
  const contract: Contract = {
    start: '2012-04-01',
    period: 'quarterly',
    providers: { P1: { annualValue: '100000.00', pbrShare: '0.25', cap: '1000.00' } },
    defaultTerms: { annualValue: '50000.00', pbrShare: '0.1' },
    capCovers: ['outcome'],
    fixedThrough: 'contract_year',
  };
  it('per provider and contract year: paid on the types the cap covers, cut, room left, fixed and total', () => {
    const caps = capPicture(
      [
        paymentRow({ provider: 'P1', period: '2012-04-01', type: 'fixed', amount: '18750.00' }),
        paymentRow({ provider: 'P1', period: '2012-07-01', type: 'outcome', amount: '600.00' }),
        paymentRow({ provider: 'P1', period: '2013-01-01', type: 'outcome', amount: '400.00', capped: '800.00' }),
        paymentRow({ provider: 'P1', period: '2013-01-01', type: 'attachment', amount: '150.00' }),
        paymentRow({ provider: 'P1', period: '2013-04-01', type: 'outcome', amount: '200.00' }),
        paymentRow({ provider: 'P2', period: '2012-04-01', type: 'outcome', amount: '5000.00' }),
      ],
      { contract },
    );
    expect(caps.covers).toEqual(['outcome']);
    expect(caps.anyCap).toBe(true);
    expect(caps.anyTerms).toBe(true);
    const show = caps.lines.map((l) => [l.provider_id, l.contract_year, l.cap && formatMoney(l.cap), formatMoney(l.covered), formatMoney(l.capped), l.headroom && formatMoney(l.headroom), formatMoney(l.fixed), formatMoney(l.total)]);
    expect(show).toEqual([
      ['P1', '2012-04-01', '1000.00', '1000.00', '800.00', '0.00', '18750.00', '19900.00'],
      ['P1', '2013-04-01', '1000.00', '200.00', '0.00', '800.00', '0.00', '200.00'],
      ['P2', '2012-04-01', undefined, '5000.00', '0.00', undefined, '0.00', '5000.00'],
    ]);
  });
  it('without a contract: no terms, no cap, everything results-based', () => {
    const caps = capPicture([paymentRow({ amount: '10.00' })], {});
    expect([caps.anyCap, caps.anyTerms, caps.lines[0]!.contract_year]).toEqual([false, false, '2012-04-01']);
  });
});

describe('payerPicture (R-PAY-6)', () => {
  it('in the scheme order of payers, the parts adding up to the total', () => {
    const rows = [
      paymentRow({ provider: 'P1', payer: 'local', amount: '80.01' }),
      paymentRow({ provider: 'P1', payer: 'central', amount: '20.00' }),
      paymentRow({ provider: 'P2', payer: 'central', amount: '1.00' }),
    ];
    const p = payerPicture(rows, [
      { id: 'local', share: '0.8' },
      { id: 'central', share: '0.2' },
    ]);
    expect(p.map((x) => [x.payer, x.share, formatMoney(x.paid)])).toEqual([
      ['local', '0.8', '80.01'],
      ['central', '0.2', '21.00'],
    ]);
    expect(formatMoney(p[1]!.providers.get('P2')!)).toBe('1.00');
    expect(sumMoney(p.map((x) => x.paid)).equals(new Dec('101.01'))).toBe(true);
  });
  it('the default payer when the scheme splits nothing', () => {
    expect(payerPicture([paymentRow({ amount: '5.00' })], undefined).map((x) => [x.payer, x.share])).toEqual([['default', '1']]);
  });
});
