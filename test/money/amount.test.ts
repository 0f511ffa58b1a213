import DecimalJs from 'decimal.js';
import { describe, expect, it } from 'vitest';
import { decimal, formatMoney, formatPounds, fromPence, isWholePence, money, roundToPenny, sumMoney, toPence } from '../../src/money/amount.js';

describe('money amounts (R-PAY-1)', () => {
  it('0.1 + 0.2 is exactly 0.3 (no binary floats)', () => {
    expect(sumMoney([money('0.10'), money('0.20')]).equals(money('0.30'))).toBe(true);
  });

  it('rounds each item to the penny with the scheme mode', () => {
    expect(formatMoney(roundToPenny(decimal('10.005')))).toBe('10.01');
    expect(formatMoney(roundToPenny(decimal('10.005'), 'half_even'))).toBe('10.00');
    expect(formatMoney(roundToPenny(decimal('10.015'), 'half_even'))).toBe('10.02');
    expect(formatMoney(roundToPenny(decimal('10.005'), 'half_down'))).toBe('10.00');
    expect(formatMoney(roundToPenny(decimal('10.001'), 'up'))).toBe('10.01');
    expect(formatMoney(roundToPenny(decimal('10.009'), 'down'))).toBe('10.00');
    expect(formatMoney(roundToPenny(decimal('-10.005')))).toBe('-10.01');
  });

  it('ignores the global decimal.js configuration', () => {
    const saved = { precision: DecimalJs.precision, rounding: DecimalJs.rounding };
    DecimalJs.set({ precision: 2, rounding: DecimalJs.ROUND_DOWN });
    try {
      expect(formatMoney(money('123456.78').times(3))).toBe('370370.34');
      expect(formatMoney(roundToPenny(decimal('0.125')))).toBe('0.13');
    } finally {
      DecimalJs.set(saved);
    }
  });

  it('formats plain decimals with 2 places, never -0.00 or exponents', () => {
    expect(formatMoney(money('1200'))).toBe('1200.00');
    expect(formatMoney(money('-0'))).toBe('0.00');
    expect(formatMoney(money('100000000000000000000000'))).toBe('100000000000000000000000.00');
    expect(formatPounds(money('1234567.5'))).toBe('£1,234,567.50');
    expect(formatPounds(money('-12'))).toBe('-£12.00');
  });

  it('refuses text that is not an amount', () => {
    expect(() => money('12,00')).toThrow(/not an amount/);
    expect(() => money('1e3')).toThrow(/not an amount/);
  });

  it('converts to and from whole pence', () => {
    expect(toPence(money('12.34'))).toBe(1234n);
    expect(formatMoney(fromPence(-5n))).toBe('-0.05');
    expect(isWholePence(money('1.005'))).toBe(false);
    expect(() => toPence(money('1.005'))).toThrow(/pence/);
  });
});
