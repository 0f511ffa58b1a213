/**
 * The fast paths added for national scale (issue #6) in the field parsers give exactly what the
 * general rules give (R-VAL-2): dates and whole numbers, on random and edge-case text.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isIsoDate, MAX_DATE, MIN_DATE } from '../../src/calendar/index.js';
import { Invalid, intInRange, parseDate } from '../../src/schema/fields.js';

/** parseDate as written before the fast path. */
function referenceDate(t: string): string | Invalid | undefined {
  const s = t.trim();
  if (s === '') return undefined;
  if (isIsoDate(s)) return s;
  if (/^\d{4}-\d{2}-\d{2}$/.test(s)) {
    return s < MIN_DATE || s > MAX_DATE ? new Invalid('date_out_of_range', `is outside ${MIN_DATE} to ${MAX_DATE}`) : new Invalid('not_a_date', 'is not a real calendar date');
  }
  return new Invalid('not_a_date', 'other');
}

/** intInRange as written before the fast path. */
function referenceInt(t: string, min: number, max: number): number | 'invalid' | 'outside' | undefined {
  const s = t.trim();
  if (s === '') return undefined;
  const n = Number(s);
  if (!Number.isFinite(n) || !/^[+-]?\d+(\.0+)?$/.test(s)) return 'invalid';
  return n < min || n > max ? 'outside' : n;
}

const digits = fc.string({ unit: fc.constantFrom('0', '1', '2', '3', '9', '-', '+', '.', ' ', 'a'), maxLength: 11 });
const dateLike = fc
  .tuple(fc.integer({ min: 1800, max: 2300 }), fc.integer({ min: 0, max: 13 }), fc.integer({ min: 0, max: 32 }))
  .map(([y, m, d]) => `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`);

describe('field parser fast paths agree with the general rules', () => {
  it('parseDate', () => {
    fc.assert(
      fc.property(fc.oneof(dateLike, digits), (t) => {
        const got = parseDate(t);
        const want = referenceDate(t);
        if (typeof want === 'string' || want === undefined) expect(got).toBe(want);
        else {
          expect(got).toBeInstanceOf(Invalid);
          if (want.reason !== 'other') expect(got).toEqual(want);
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('intInRange', () => {
    const parse = intInRange(0, 28, 'days');
    fc.assert(
      fc.property(fc.oneof(digits, fc.integer({ min: -5, max: 999 }).map(String)), (t) => {
        const got = parse(t);
        const want = referenceInt(t, 0, 28);
        if (typeof want === 'number' || want === undefined) expect(got).toBe(want);
        else if (want === 'outside') expect(got).toEqual(new Invalid('out_of_range', 'is outside 0–28 days'));
        else expect(got).toEqual(new Invalid('not_a_number', 'must be a whole number of days (0–28)'));
      }),
      { numRuns: 3000 },
    );
  });
});
