import fc from 'fast-check';
import { addMonths as dfAddMonths } from 'date-fns';
import { describe, expect, it } from 'vitest';
import {
  addDays,
  addMonths,
  compareCodePoint,
  dayOfDate,
  daysBetween,
  fromDayNumber,
  inWindow,
  isIsoDate,
  isoOfDay,
  MAX_DATE,
  MIN_DATE,
  periodStart,
  sortInPlace,
  toDayNumber,
} from '../../src/calendar/index.js';

const isoDate = fc
  .date({ min: new Date(Date.UTC(1950, 0, 1)), max: new Date(Date.UTC(2150, 11, 31)), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));

describe('R-CAL-1 month arithmetic', () => {
  it('clamps to the end of the month: 31 Jan + 1 month', () => {
    expect(addMonths('2023-01-31', 1)).toBe('2023-02-28');
    expect(addMonths('2024-01-31', 1)).toBe('2024-02-29'); // leap year
    expect(addMonths('2024-02-29', 12)).toBe('2025-02-28');
    expect(addMonths('2024-08-31', 6)).toBe('2025-02-28');
    expect(addMonths('2023-03-31', -1)).toBe('2023-02-28');
    expect(addMonths('2023-05-15', 6)).toBe('2023-11-15');
  });

  it('agrees with date-fns addMonths on calendar dates (property)', () => {
    fc.assert(
      fc.property(isoDate, fc.integer({ min: -48, max: 48 }), (d, n) => {
        const [y, m, dd] = d.split('-').map(Number) as [number, number, number];
        const r = dfAddMonths(new Date(y, m - 1, dd), n);
        const expected = `${r.getFullYear()}-${String(r.getMonth() + 1).padStart(2, '0')}-${String(r.getDate()).padStart(2, '0')}`;
        expect(addMonths(d, n)).toBe(expected);
      }),
    );
  });

  it('agrees with date-fns at the edges of the accepted range, beyond it, on dates that are not real days and for month counts across the whole range, asked once or again (property)', () => {
    const reference = (d: string, n: number) => {
      const r = dfAddMonths(new Date(+d.slice(0, 4), +d.slice(5, 7) - 1, +d.slice(8, 10)), n);
      return `${String(r.getFullYear()).padStart(4, '0')}-${String(r.getMonth() + 1).padStart(2, '0')}-${String(r.getDate()).padStart(2, '0')}`;
    };
    const edgeDate = fc.oneof(
      fc.date({ min: new Date(Date.UTC(1890, 0, 1)), max: new Date(Date.UTC(1905, 0, 1)), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)),
      fc.date({ min: new Date(Date.UTC(2190, 0, 1)), max: new Date(Date.UTC(2205, 0, 1)), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)),
      // Not real days: month ends past the month's length, day 00.
      fc.tuple(fc.integer({ min: 1950, max: 2050 }), fc.integer({ min: 1, max: 12 }), fc.constantFrom(0, 29, 30, 31)).map(([y, m, d]) => `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`),
    );
    // Counts up to the range's whole length (3,600 months) and past it.
    const months = fc.oneof(fc.integer({ min: -48, max: 48 }), fc.integer({ min: -3700, max: 3700 }));
    fc.assert(
      fc.property(fc.oneof(isoDate, edgeDate), months, (d, n) => {
        const expected = n === 0 ? d : reference(d, n);
        expect(addMonths(d, n)).toBe(expected);
        expect(addMonths(d, n)).toBe(expected);
      }),
      { numRuns: 500 },
    );
  });

  it('N months after a date at the first and last months of the accepted range (1900-01, 2199-12) and one past them', () => {
    expect(addMonths('1900-02-28', -1)).toBe('1900-01-28');
    expect(addMonths('1900-01-15', -1)).toBe('1899-12-15');
    expect(addMonths('2199-11-30', 1)).toBe('2199-12-30');
    expect(addMonths('2199-12-15', 1)).toBe('2200-01-15');
    expect(addMonths('2199-01-31', 1)).toBe('2199-02-28');
    expect(addMonths('1900-01-31', 3599)).toBe('2199-12-31');
    expect(addMonths('1900-01-31', 3600)).toBe('2200-01-31');
    expect(addMonths('2199-12-31', -3599)).toBe('1900-01-31');
    expect(addMonths('2199-12-31', -3600)).toBe('1899-12-31');
  });

  it('window "within N months after D" is half-open (D, D+N]', () => {
    const to = addMonths('2024-01-31', 6);
    expect(to).toBe('2024-07-31');
    expect(inWindow('2024-01-31', '2024-01-31', to)).toBe(false);
    expect(inWindow('2024-02-01', '2024-01-31', to)).toBe(true);
    expect(inWindow('2024-07-31', '2024-01-31', to)).toBe(true); // last day inside
    expect(inWindow('2024-08-01', '2024-01-31', to)).toBe(false); // first day outside
  });
});

describe('day numbers', () => {
  it('dayOfDate (R-CAL-1): the day number of a real date of the accepted range, NaN otherwise', () => {
    expect(dayOfDate(1970, 1, 2)).toBe(1);
    expect(dayOfDate(2000, 2, 29)).toBe(toDayNumber('2000-02-29'));
    expect(dayOfDate(1900, 1, 1)).toBe(toDayNumber(MIN_DATE));
    expect(dayOfDate(2199, 12, 31)).toBe(toDayNumber(MAX_DATE));
    for (const [y, m, d] of [[1900, 2, 29], [2023, 2, 29], [2024, 4, 31], [2024, 13, 1], [2024, 0, 1], [2024, 1, 0], [1899, 12, 31], [2200, 1, 1]] as const) {
      expect(dayOfDate(y, m, d)).toBeNaN();
    }
    fc.assert(
      fc.property(fc.integer({ min: toDayNumber(MIN_DATE), max: toDayNumber(MAX_DATE) }), (n) => {
        const iso = fromDayNumber(n);
        expect(dayOfDate(+iso.slice(0, 4), +iso.slice(5, 7), +iso.slice(8, 10))).toBe(n);
      }),
    );
  });

  it('round-trip and count days', () => {
    expect(toDayNumber('1970-01-01')).toBe(0);
    expect(fromDayNumber(toDayNumber('2000-02-29'))).toBe('2000-02-29');
    expect(daysBetween('2024-02-28', '2024-03-01')).toBe(2);
    expect(daysBetween('2023-02-28', '2023-03-01')).toBe(1);
    expect(addDays('2024-12-31', 1)).toBe('2025-01-01');
  });

  it('addDays and isoOfDay give what fromDayNumber does, in the accepted range and past its ends (property)', () => {
    const lo = toDayNumber(MIN_DATE);
    const hi = toDayNumber(MAX_DATE);
    fc.assert(
      fc.property(fc.integer({ min: lo - 800, max: hi + 800 }), fc.integer({ min: -800, max: 800 }), (day, n) => {
        expect(isoOfDay(day)).toBe(fromDayNumber(day));
        const iso = fromDayNumber(day);
        expect(addDays(iso, n)).toBe(fromDayNumber(day + n));
        // Asked again (now remembered), the same.
        expect(isoOfDay(day)).toBe(fromDayNumber(day));
      }),
      { numRuns: 500 },
    );
    expect(isoOfDay(toDayNumber(MIN_DATE))).toBe(MIN_DATE);
    expect(isoOfDay(toDayNumber(MAX_DATE))).toBe(MAX_DATE);
    expect(addDays(MAX_DATE, 1)).toBe('2200-01-01');
  });

  it('match Date.UTC for every date (property)', () => {
    fc.assert(
      fc.property(isoDate, (d) => {
        expect(toDayNumber(d)).toBe(Date.parse(d + 'T00:00:00Z') / 86_400_000);
        expect(fromDayNumber(toDayNumber(d))).toBe(d);
      }),
    );
  });

  it('accepts only real dates', () => {
    expect(isIsoDate('2023-02-30')).toBe(false);
    expect(isIsoDate('2023-02-28')).toBe(true);
    expect(isIsoDate('1900-02-29')).toBe(false); // not a leap year
    expect(isIsoDate('2000-02-29')).toBe(true);
    expect(isIsoDate('2023-2-28')).toBe(false);
    expect(isIsoDate('2023-13-01')).toBe(false);
    expect(isIsoDate('0999-01-01')).toBe(false);
  });
});

describe('R-PAY-5 periods', () => {
  it('finds the quarter that contains a date', () => {
    expect(periodStart('2024-05-10', '2012-04-01', 3)).toBe('2024-04-01');
    expect(periodStart('2024-03-31', '2012-04-01', 3)).toBe('2024-01-01');
    expect(periodStart('2012-03-31', '2012-04-01', 3)).toBe('2012-01-01');
    expect(periodStart('2024-04-01', '2012-04-01', 1)).toBe('2024-04-01');
  });
  it('period contains the date (property)', () => {
    fc.assert(
      fc.property(isoDate, isoDate, fc.constantFrom(1, 3, 12), (d, anchor, len) => {
        const s = periodStart(d, anchor, len);
        expect(s <= d).toBe(true);
        // The next period starts after d (periods are counted from the anchor, so a 31st anchor
        // gives clamped starts such as 28 Feb then 31 Mar).
        const next = periodStart(addDays(d, 1), anchor, len);
        expect(next === s || next === addDays(d, 1)).toBe(true);
        if (Number(anchor.slice(8)) <= 28) expect(addMonths(s, len) > d).toBe(true);
      }),
    );
  });
});

describe('R-JNY-5 code point order', () => {
  it('sorts by code point, not locale', () => {
    const ids = ['b', 'B', 'a', '', 'Z', 'é', '\u{1F600}', '\uFF21'];
    const sorted = [...ids].sort(compareCodePoint);
    expect(sorted).toEqual(['', 'B', 'Z', 'a', 'b', 'é', '\uFF21', '\u{1F600}']);
  });
  it('agrees with UTF-8 byte order (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), fc.string({ unit: 'grapheme' }), (a, b) => {
        const byBytes = Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
        expect(Math.sign(compareCodePoint(a, b))).toBe(a === '' && b === '' ? 0 : Math.sign(byBytes));
      }),
    );
  });
});

describe('sortInPlace', () => {
  it('gives what a stable sort gives, in place, and leaves a list in order untouched', () => {
    // Pairs compared by their first item only, so that stability shows in the second.
    const byFirst = (a: [number, number], b: [number, number]) => a[0] - b[0];
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 5 }), fc.integer())), (list) => {
        const expected = [...list].sort(byFirst);
        const copy = [...list];
        expect(sortInPlace(copy, byFirst)).toBe(copy);
        expect(copy).toEqual(expected);
        const sorted = [...expected];
        expect(sortInPlace(sorted, byFirst)).toEqual(expected);
      }),
    );
  });

  it('gives what sort gives even with a comparator that is not symmetric, and with undefined items', () => {
    // Not symmetric: of two items with the same key, one tagged 'x' is less whichever side it is on.
    const lopsided = (a: [number, string], b: [number, string]) => a[0] - b[0] || (a[1] === 'x' ? -1 : 0);
    const item = fc.option(fc.tuple(fc.integer({ min: 0, max: 2 }), fc.constantFrom('x', 'y')), { nil: undefined, freq: 8 });
    fc.assert(
      fc.property(fc.array(item, { maxLength: 6 }), (list) => {
        const expected = [...list].sort(lopsided as (a: unknown, b: unknown) => number);
        expect(sortInPlace([...list], lopsided as (a: unknown, b: unknown) => number)).toEqual(expected);
      }),
      { numRuns: 500 },
    );
  });
});
