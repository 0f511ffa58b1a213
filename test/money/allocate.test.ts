import fc from 'fast-check';
import DecimalJs from 'decimal.js';
import { describe, expect, it } from 'vitest';
import { allocate, allocateUnits, allocator, equalInstalments } from '../../src/money/allocate.js';
import { splitByPayers } from '../../src/payments/payers.js';
import { decimal, formatMoney, money, sumMoney } from '../../src/money/amount.js';

const pence = fc.bigInt({ min: -10_000_000_00n, max: 10_000_000_00n });
const amountOf = (p: bigint) => decimal(p.toString()).dividedBy(100);
const ratios = fc.array(fc.integer({ min: 0, max: 10_000 }), { minLength: 1, maxLength: 12 }).filter((r) => r.some((x) => x > 0));

describe('allocate (R-PAY-1, R-PAY-6 largest remainder)', () => {
  it('splits £100.00 three ways: the extra penny goes to the first part (tie-break: earliest)', () => {
    expect(allocate(money('100.00'), [1, 1, 1]).map(formatMoney)).toEqual(['33.34', '33.33', '33.33']);
  });

  it('gives leftover pence to the largest remainders, not simply the first', () => {
    // exact shares of £0.10 by 1:2:3 are 1.667p, 3.333p, 5p → floors 1, 3, 5 (9p); the penny left goes to 1.667p
    expect(allocate(money('0.10'), [1, 2, 3]).map(formatMoney)).toEqual(['0.02', '0.03', '0.05']);
  });

  it('splits 80/20 exactly and a zero ratio gets nothing', () => {
    expect(allocate(money('100.01'), ['0.8', '0.2']).map(formatMoney)).toEqual(['80.01', '20.00']);
    expect(allocate(money('5.00'), [0, 1]).map(formatMoney)).toEqual(['0.00', '5.00']);
  });

  it('refuses fractions of a penny, negative ratios and all-zero ratios', () => {
    expect(() => allocate(money('1.005'), [1, 1])).toThrow(/pence/);
    expect(() => allocate(money('1.00'), [1, -1])).toThrow(/negative/);
    expect(() => allocate(money('1.00'), [0, 0])).toThrow(/zero/);
  });

  it('allocates a negative amount as the negated allocation of its magnitude', () => {
    expect(allocate(money('-100.00'), [1, 1, 1]).map(formatMoney)).toEqual(['-33.34', '-33.33', '-33.33']);
  });

  it('property: parts sum exactly to the amount, each within a penny of its exact share', () => {
    fc.assert(
      fc.property(pence, ratios, (p, r) => {
        const amount = amountOf(p);
        const parts = allocate(amount, r);
        expect(sumMoney(parts).equals(amount)).toBe(true);
        const total = r.reduce((s, x) => s + x, 0);
        parts.forEach((part, i) => {
          const exact = amount.times(r[i]!).dividedBy(total);
          expect(part.minus(exact).abs().lessThan('0.01')).toBe(true);
          expect(part.times(100).isInteger()).toBe(true);
        });
      }),
    );
  });

  it('property: deterministic (same inputs, same parts) and untouched by the global decimal.js config', () => {
    fc.assert(
      fc.property(pence, ratios, (p, r) => {
        const a = allocate(amountOf(p), r).map(formatMoney);
        const saved = { precision: DecimalJs.precision, rounding: DecimalJs.rounding };
        DecimalJs.set({ precision: 3, rounding: DecimalJs.ROUND_DOWN });
        try {
          expect(allocate(amountOf(p), r).map(formatMoney)).toEqual(a);
        } finally {
          DecimalJs.set(saved);
        }
      }),
      { numRuns: 50 },
    );
  });

  it('property: a larger ratio never gets less; equal ratios favour the earlier part', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10_000_000_00n }), ratios, (p, r) => {
        const parts = allocate(amountOf(p), r);
        for (let i = 0; i < r.length; i++) {
          for (let j = i + 1; j < r.length; j++) {
            if (r[i]! >= r[j]!) expect(parts[i]!.greaterThanOrEqualTo(parts[j]!)).toBe(true);
            if (r[i]! < r[j]!) expect(parts[i]!.lessThanOrEqualTo(parts[j]!)).toBe(true);
          }
        }
      }),
    );
  });

  it('property: an allocator made once gives, amount after amount, the parts allocate gives', () => {
    fc.assert(
      fc.property(ratios, fc.array(pence, { minLength: 1, maxLength: 8 }), (r, amounts) => {
        const split = allocator(r);
        for (const p of amounts) expect(split(amountOf(p)).map(formatMoney)).toEqual(allocate(amountOf(p), r).map(formatMoney));
      }),
      { numRuns: 100 },
    );
    expect(() => allocator([1, -1])).toThrow(/negative/);
    expect(() => allocator([0, 0])(money('1.00'))).toThrow(/all zero/);
    expect(() => allocator([1])(decimal('1.001'))).toThrow();
  });

  it('property: an allocator of one share (a scheme with one payer, R-PAY-6) gives what allocate gives, in value and in print', () => {
    const share = fc.oneof(fc.integer({ min: 1, max: 1000 }), fc.constantFrom('0.5', '1', '0.001', '7.25'));
    fc.assert(
      fc.property(share, fc.array(pence, { minLength: 1, maxLength: 8 }), (r, amounts) => {
        const split = allocator([r]);
        for (const p of amounts) {
          const got = split(amountOf(p));
          const want = allocate(amountOf(p), [r]);
          expect(got.map((d) => [d.toString(), d.toFixed(2)])).toEqual(want.map((d) => [d.toString(), d.toFixed(2)]));
        }
      }),
      { numRuns: 100 },
    );
    // A negative zero comes back as allocate gives it: zero, not negative.
    expect(allocator([1])(decimal('-0')).map((d) => [d.toFixed(2), d.isNegative()])).toEqual([['0.00', false]]);
    expect(allocator(['2'])(decimal('12.50')).map((d) => d.toFixed(2))).toEqual(['12.50']);
    expect(() => allocator([1])(decimal('0.001'))).toThrow(/whole number of pence/);
    expect(() => allocator([1])(decimal('Infinity'))).toThrow(/whole number of pence/);
    expect(() => allocator([0])(money('1.00'))).toThrow(/all zero/);
    // An amount of more significant digits than the arithmetic keeps: what allocate gives too.
    const long = decimal(`1.${'0'.repeat(60)}1`);
    expect(allocator([1])(long).map((d) => d.toString())).toEqual(allocate(long, [1]).map((d) => d.toString()));
  });

  it('splitByPayers: the same list split again and again gives what a fresh split gives (R-PAY-6)', () => {
    const payers = [{ id: 'local', share: '0.8' }, { id: 'zero', share: '0' }, { id: 'central', share: '0.2' }];
    fc.assert(
      fc.property(fc.array(fc.bigInt({ min: 0n, max: 10_000_000_00n }), { minLength: 1, maxLength: 8 }), (amounts) => {
        for (const p of amounts) {
          const got = splitByPayers(amountOf(p), payers).map((x) => [x.payer, formatMoney(x.amount)]);
          const fresh = splitByPayers(amountOf(p), payers.map((x) => ({ ...x }))).map((x) => [x.payer, formatMoney(x.amount)]);
          const parts = allocate(amountOf(p), ['0.8', '0.2']).map(formatMoney);
          expect(got).toEqual(fresh);
          expect(got).toEqual([['local', parts[0]], ['central', parts[1]]]);
        }
      }),
      { numRuns: 50 },
    );
    expect(splitByPayers(money('12.34')).map((x) => [x.payer, formatMoney(x.amount)])).toEqual([['default', '12.34']]);
  });

  it('allocateUnits: integer units by integer weights', () => {
    expect(allocateUnits(10n, [1n, 1n, 1n])).toEqual([4n, 3n, 3n]);
    expect(allocateUnits(0n, [1n, 2n])).toEqual([0n, 0n]);
  });
});

describe('equalInstalments (R-PAY-4)', () => {
  it('gives the extra pence to the earliest periods', () => {
    expect(equalInstalments(money('1000.00'), 3).map(formatMoney)).toEqual(['333.34', '333.33', '333.33']);
    expect(equalInstalments(money('0.05'), 4).map(formatMoney)).toEqual(['0.02', '0.01', '0.01', '0.01']);
  });

  it('property: instalments sum to the fixed part and differ by at most a penny, larger first', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 100_000_000_00n }), fc.constantFrom(4, 12), (p, n) => {
        const parts = equalInstalments(amountOf(p), n);
        expect(sumMoney(parts).equals(amountOf(p))).toBe(true);
        for (let i = 1; i < n; i++) {
          expect(parts[i - 1]!.greaterThanOrEqualTo(parts[i]!)).toBe(true);
          expect(parts[0]!.minus(parts[i]!).lessThanOrEqualTo('0.01')).toBe(true);
        }
      }),
    );
  });
});
