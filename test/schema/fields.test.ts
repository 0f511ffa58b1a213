import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  Invalid,
  intInRange,
  isNhsNumber,
  oneOf,
  parseBool,
  parseClientId,
  parseDate,
  parseId,
  parseSubstances,
  text,
} from '../../src/schema/fields.js';

/** Appends the modulus-11 check digit to 9 digits, or undefined when the check would be 10 (no valid number). */
function withCheckDigit(nine: string): string | undefined {
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += Number(nine[i]) * (10 - i);
  let check = 11 - (sum % 11);
  if (check === 11) check = 0;
  return check === 10 ? undefined : nine + String(check);
}

describe('isNhsNumber: the modulus-11 check (R-VAL-3)', () => {
  it('accepts the published example number, plain, spaced 3-3-4 and dashed', () => {
    expect(isNhsNumber('9434765919')).toBe(true);
    expect(isNhsNumber('943 476 5919')).toBe(true);
    expect(isNhsNumber('943-476-5919')).toBe(true);
  });

  it('refuses a wrong check digit and other shapes', () => {
    expect(isNhsNumber('9434765918')).toBe(false);
    expect(isNhsNumber('943 476 5910')).toBe(false);
    expect(isNhsNumber('94347659')).toBe(false);
    expect(isNhsNumber('94347659190')).toBe(false);
    expect(isNhsNumber('9434 765 919')).toBe(false);
    expect(isNhsNumber('C9434765919')).toBe(false);
  });

  it('refuses a number whose check would be 10 (never issued)', () => {
    // 000000001 → sum 2, 11 − 2 = 9; find 9 digits whose check is 10 by search instead of guessing.
    let nine = '';
    for (let i = 0; i < 1000 && !nine; i++) {
      const s = String(100000000 + i);
      if (withCheckDigit(s) === undefined) nine = s;
    }
    expect(nine).not.toBe('');
    for (let d = 0; d <= 9; d++) expect(isNhsNumber(nine + d)).toBe(false);
  });

  it('accepts exactly one final digit for any 9 digits (property)', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^\d{9}$/), (nine) => {
        const valid = [...'0123456789'].filter((d) => isNhsNumber(nine + d));
        const expected = withCheckDigit(nine);
        expect(valid).toEqual(expected === undefined ? [] : [expected[9]]);
      }),
    );
  });
});

describe('parseClientId rejects NHS-number-shaped ids with a valid check digit (R-VAL-3)', () => {
  it.each(['9434765919', '943 476 5919', '943-476-5919', ' 9434765919 '])('rejects %j', (id) => {
    const r = parseClientId(id);
    expect(r).toBeInstanceOf(Invalid);
    expect((r as Invalid).reason).toMatch(/NHS number.*pseudonymous/);
  });

  it.each(['9434765918', '943 476 5918', 'C9434765919', '12345'])('accepts %j (not a valid NHS number)', (id) => {
    expect(parseClientId(id)).toBe(id.trim());
  });

  it('a client id given as a JSON number is checked too', () => {
    expect(parseClientId(9434765919)).toBeInstanceOf(Invalid);
  });
});

describe('field parsers (R-VAL-2)', () => {
  it('text trims and turns blanks into undefined', () => {
    expect(text('  a ')).toBe('a');
    expect(text('')).toBeUndefined();
    expect(text(' \t')).toBeUndefined();
    expect(text(null)).toBeUndefined();
    expect(text(3)).toBe('3');
    expect(text({})).toBeUndefined();
  });

  it('parseId refuses over-long ids, control characters and non-UTF-8 marks', () => {
    expect(parseId('x'.repeat(64))).toBe('x'.repeat(64));
    expect((parseId('x'.repeat(1024 * 1024)) as Invalid).reason).toMatch(/is 1048576 characters long/);
    expect((parseId('a\u0001b') as Invalid).reason).toMatch(/control characters/);
    expect((parseId('Caf\ufffd') as Invalid).reason).toMatch(/not UTF-8/);
    expect(parseId(['a'])).toBeInstanceOf(Invalid);
  });

  it('parseDate accepts real ISO dates only, with a reason for each kind of mistake', () => {
    expect(parseDate('2024-02-29')).toBe('2024-02-29');
    expect((parseDate('2023-02-30') as Invalid).reason).toBe('is not a real calendar date');
    expect((parseDate('2023-02-29') as Invalid).reason).toBe('is not a real calendar date');
    expect((parseDate('01/02/2023') as Invalid).reason).toMatch(/day\/month order is ambiguous/);
    expect((parseDate('2023-01-01T10:00') as Invalid).reason).toMatch(/time part/);
    expect((parseDate('1899-12-31') as Invalid).reason).toMatch(/outside/);
    expect(parseDate(' ')).toBeUndefined();
  });

  it('day counts are whole numbers 0–28', () => {
    const day28 = intInRange(0, 28, 'days');
    expect(day28('0')).toBe(0);
    expect(day28('28')).toBe(28);
    expect(day28('28.0')).toBe(28);
    expect((day28('29') as Invalid).reason).toBe('is outside 0–28 days');
    expect((day28('-1') as Invalid).reason).toBe('is outside 0–28 days');
    expect(day28('2.5')).toBeInstanceOf(Invalid);
    expect(day28('1e1')).toBeInstanceOf(Invalid);
  });

  it('codes match exactly or ignoring letter case', () => {
    const stage = oneOf(['start', 'review'] as const);
    expect(stage('Start')).toBe('start');
    expect((stage('halfway') as Invalid).reason).toBe('is not a known code; use one of: start, review');
  });

  it('booleans are true/false only', () => {
    expect(parseBool('TRUE')).toBe(true);
    expect(parseBool(false)).toBe(false);
    expect(parseBool('yes')).toBeInstanceOf(Invalid);
  });

  it('substances: ;-list or array, deduplicated into canonical order', () => {
    expect(parseSubstances('alcohol; opiates;alcohol')).toEqual(['opiates', 'alcohol']);
    expect(parseSubstances(['Crack', 'opiates'])).toEqual(['opiates', 'crack']);
    expect(parseSubstances(' ; ')).toBeUndefined();
    expect((parseSubstances('heroin') as Invalid).reason).toMatch(/'heroin' is not a known substance/);
  });
});
