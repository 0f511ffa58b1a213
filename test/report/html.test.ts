/**
 * How the report writes money and dates for people: £1,234,567.89 in prose and tables (exact
 * amounts stay in the CSV files, SPEC §4), British long dates.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decimal, money } from '../../src/money/amount.js';
import { longDate, pounds } from '../../src/report/html.js';
import { parsePounds } from './support.js';

describe('pounds: money as £1,234,567.89', () => {
  it.each([
    ['2407700', '£2,407,700.00'],
    ['1234567.89', '£1,234,567.89'],
    ['999.99', '£999.99'],
    ['1000', '£1,000.00'],
    ['100000', '£100,000.00'],
    ['0', '£0.00'],
  ])('%s → %s: a £ sign, thousands separated by commas, pence always shown', (amount, text) => {
    expect(pounds(money(amount))).toBe(text);
  });

  it.each([
    ['0.05', '£0.05'],
    ['0.5', '£0.50'],
    ['7', '£7.00'],
    ['0.004', '£0.00'],
    ['0.005', '£0.01'],
    ['1010.795', '£1,010.80'],
    ['999.995', '£1,000.00'],
    ['2407700.004999', '£2,407,700.00'],
  ])('pennies: %s → %s (a fraction of a penny, as in a cost per outcome, is rounded half away from zero)', (amount, text) => {
    expect(pounds(decimal(amount))).toBe(text);
  });

  it.each([
    ['-1234.5', '\u2212£1,234.50'],
    ['-0.01', '\u2212£0.01'],
    ['-1000000', '\u2212£1,000,000.00'],
    ['-0.005', '\u2212£0.01'],
    ['-0.004', '£0.00'],
    ['-0', '£0.00'],
  ])('negative amounts: %s → %s (a minus sign before the £, never −£0.00)', (amount, text) => {
    expect(pounds(decimal(amount))).toBe(text);
  });

  it('reads back exactly: any whole-pence amount, positive or negative, survives pounds → parse', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 13n), max: 10n ** 13n }), (pence) => {
        const d = decimal(pence.toString()).dividedBy(100);
        const text = pounds(d);
        expect(text).toMatch(/^\u2212?£\d{1,3}(,\d{3})*\.\d{2}$/);
        expect(parsePounds(text).equals(d)).toBe(true);
      }),
    );
  });

  it('is monotone: a larger amount never reads smaller', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e9, max: 1e9 }), fc.integer({ min: 0, max: 1e9 }), (a, b) => {
        const x = decimal(a).dividedBy(1000);
        const y = x.plus(decimal(b).dividedBy(1000));
        expect(parsePounds(pounds(y)).greaterThanOrEqualTo(parsePounds(pounds(x)))).toBe(true);
      }),
    );
  });
});

describe('longDate', () => {
  it('writes dates the British way', () => {
    expect(longDate('2015-03-31')).toBe('31 March 2015');
    expect(longDate('2012-04-01')).toBe('1 April 2012');
  });
});
