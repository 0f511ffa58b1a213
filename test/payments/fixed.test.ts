import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatMoney, money, sumMoney } from '../../src/money/amount.js';
import { fixedItems, fixedPart } from '../../src/payments/fixed.js';
import { testScheme } from './builders.js';

const show = (items: ReturnType<typeof fixedItems>) => items.map((i) => `${i.provider_id} ${i.payable_on} ${formatMoney(i.amount)}`);

describe('fixed instalments (R-PAY-4, R-PAY-5)', () => {
  it('pays (1 − pbrShare) × value in equal quarterly instalments, extra pence to the earliest', () => {
    const c = testScheme({ contract: { providers: { P1: { annualValue: '100000.01', pbrShare: '0.3' } } } }).contract;
    // fixed part = 70,000.007 → 70,000.01; four instalments 17,500.01 / 17,500.00 × 3
    expect(formatMoney(fixedPart({ annualValue: '100000.01', pbrShare: '0.3' }))).toBe('70000.01');
    expect(show(fixedItems(c, [], '2012-04-01'))).toEqual([
      'P1 2012-04-01 17500.01',
      'P1 2012-07-01 17500.00',
      'P1 2012-10-01 17500.00',
      'P1 2013-01-01 17500.00',
    ]);
  });

  it('shows every contract year started by asOf; with fixedThrough period only periods started by asOf', () => {
    const doc = { contract: { period: 'monthly', providers: { P1: { annualValue: '1200.00', pbrShare: '0' } } } };
    expect(fixedItems(testScheme(doc).contract, [], '2013-04-01')).toHaveLength(24);
    expect(fixedItems(testScheme(doc).contract, [], '2013-03-31')).toHaveLength(12);
    expect(show(fixedItems(testScheme({ contract: { ...doc.contract, fixedThrough: 'period' } }).contract, [], '2012-05-15'))).toEqual([
      'P1 2012-04-01 100.00',
      'P1 2012-05-01 100.00',
    ]);
    expect(fixedItems(testScheme(doc).contract, [], '2012-03-31')).toEqual([]);
  });

  it('stops at the contract end (a contract ending mid-year gets the periods up to its end)', () => {
    const c = testScheme({ contract: { end: '2012-09-30', providers: { P1: { annualValue: '4000.00', pbrShare: '0' } } } }).contract;
    expect(show(fixedItems(c, [], '2014-01-01'))).toEqual(['P1 2012-04-01 1000.00', 'P1 2012-07-01 1000.00']);
  });

  it('default terms apply to every provider seen in the data; listed terms win', () => {
    const c = testScheme({
      contract: { defaultTerms: { annualValue: '400.00', pbrShare: '0' }, providers: { P2: { annualValue: '800.00', pbrShare: '0.5' } } },
    }).contract;
    const items = fixedItems(c, ['P1', 'P2'], '2012-04-01');
    expect(items.filter((i) => i.payable_on === '2012-04-01').map((i) => `${i.provider_id} ${formatMoney(i.amount)}`)).toEqual(['P1 100.00', 'P2 100.00']);
  });

  it('property: instalments of each contract year sum to the fixed part', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 10_000_000_00n }),
        fc.integer({ min: 0, max: 100 }),
        fc.constantFrom('monthly', 'quarterly'),
        (pence, pct, period) => {
          const value = money(pence.toString()).dividedBy(100).toFixed(2);
          const terms = { annualValue: value, pbrShare: (pct / 100).toString() };
          const c = testScheme({ contract: { period, providers: { P1: terms } } }).contract;
          const items = fixedItems(c, [], '2014-06-30');
          for (const year of ['2012', '2013', '2014']) {
            const mine = items.filter((i) => i.payable_on >= `${year}-04-01` && i.payable_on < `${+year + 1}-04-01`);
            if (fixedPart(terms).isZero()) expect(mine).toEqual([]);
            else expect(sumMoney(mine.map((i) => i.amount)).equals(fixedPart(terms))).toBe(true);
          }
        },
      ),
      { numRuns: 100 },
    );
  });
});
