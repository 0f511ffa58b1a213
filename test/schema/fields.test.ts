import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  Invalid,
  intInRange,
  isNhsNumber,
  isPlainIdBytes,
  looksLikeNhsNumber,
  NHS_NUMBER_REMOVED,
  printable,
  redactNhsNumbers,
  shownValue,
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

describe('looksLikeNhsNumber: every common written form (R-VAL-3, issue #13)', () => {
  // 943 476 5919 is the NHS's published example number (valid check digit).
  it.each([
    '9434765919',
    '943 476 5919',
    '943-476-5919',
    '943.476.5919',
    '943/476/5919',
    '943  476  5919',
    '943\u00a0476\u00a05919',
    '943\u202f476\u2009 5919',
    ' 9434765919 ',
    'NHS9434765919',
    'NHS 943 476 5919',
    'nhs no: 943-476-5919',
    'NHS Number 943 476 5919',
    'NHS#9434765919',
    '9434765919.0',
    '9434765919.00',
    '9434765919,0',
    '9.434765919E9',
    '9.434765919e+09',
    '９４３４７６５９１９',
    '٩٤٣٤٧٦٥٩١٩',
    '𝟗𝟒𝟑𝟒𝟕𝟔𝟓𝟗𝟏𝟗',
    '"9434765919"',
    "'9434765919",
    '943\u2013476\u20135919',
  ])('%j looks like an NHS number, is rejected as an id and redacted', (form) => {
    expect(looksLikeNhsNumber(form)).toBe(true);
    const r = parseId(form);
    expect(r).toBeInstanceOf(Invalid);
    expect((r as Invalid).reason).toMatch(/^looks like an NHS number/);
    expect(redactNhsNumbers(form)).toBe(NHS_NUMBER_REMOVED);
    expect(shownValue(form)).toBe('[NHS number removed]');
  });

  it.each(['9434765918', '943 476 5918', 'C9434765919', '94347659190', '943476591', '2014-03-12', '12345', 'P01', '9.434765918E9', '9.434765917E9', 'NHS trust 12'])('%j does not', (v) => {
    expect(looksLikeNhsNumber(v)).toBe(false);
  });

  it('the forms of any valid number are caught, and no number with a wrong check digit is (property)', () => {
    const write = (d: string, how: number) =>
      [
        d,
        `${d.slice(0, 3)} ${d.slice(3, 6)} ${d.slice(6)}`,
        `${d.slice(0, 3)}-${d.slice(3, 6)}-${d.slice(6)}`,
        `NHS ${d}`,
        `${d}.0`,
        `${d[0]}.${d.slice(1)}E9`,
        d.replace(/\d/g, (c) => String.fromCharCode(0xff10 + Number(c))),
      ][how]!;
    fc.assert(
      fc.property(fc.stringMatching(/^[1-9]\d{8}$/), fc.integer({ min: 0, max: 6 }), fc.integer({ min: 0, max: 9 }), (nine, how, last) => {
        const valid = withCheckDigit(nine);
        const d = nine + String(last);
        expect(looksLikeNhsNumber(write(d, how))).toBe(valid === d);
      }),
    );
  });
});

describe('redactNhsNumbers / shownValue: what a rejection shows (R-VAL-3)', () => {
  it('hides NHS numbers inside longer text, keeps the rest', () => {
    expect(redactNhsNumbers('patient 943 476 5919 seen')).toBe('patient [NHS number removed] seen');
    expect(redactNhsNumbers('9434765919;9434765919')).toBe('[NHS number removed];[NHS number removed]');
    expect(redactNhsNumbers('ref 9.434765919E9')).toBe('ref [NHS number removed]');
    expect(redactNhsNumbers('total 9,434,765,919 and 9 434 765 919')).toBe('total [NHS number removed] and [NHS number removed]');
    expect(redactNhsNumbers('a ９４３ ４７６ ５９１９ b')).toBe('a [NHS number removed] b');
    expect(redactNhsNumbers('C0042, 2014-03-12, 0161 496 0000')).toBe('C0042, 2014-03-12, 0161 496 0000');
  });

  it('is idempotent and leaves values with fewer than ten digits as they are (property)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), (s) => {
        const once = redactNhsNumbers(s);
        expect(redactNhsNumbers(once)).toBe(once);
        if ((s.match(/\p{Nd}/gu) ?? []).length < 10) expect(once).toBe(s);
      }),
    );
  });

  it('shownValue redacts before it cuts, so a number at the cut is never half shown', () => {
    const v = `${'x'.repeat(195)}9434765919${'y'.repeat(100)}`;
    expect(shownValue(v)).toBe(`${'x'.repeat(195)}[NHS `.slice(0, 200) + `… (${195 + NHS_NUMBER_REMOVED.length + 100} characters)`);
    expect(shownValue(v)).not.toMatch(/94347/);
  });
});

describe('ids are printable and unambiguous (R-VAL-2, issue #13)', () => {
  it.each([
    ['C1\u202e', /U\+202E, a zero-width or text-direction mark/],
    ['C\u200b1', /U\+200B/],
    ['\u2066C1', /U\+2066/],
    ['C1\u200e', /U\+200E/],
    ['C\ufeff1', /U\+FEFF/],
    ['C\u20601', /U\+2060/],
    ['C\u00a01', /non-breaking or other special space \(U\+00A0\)/],
    ['C\u00851', /control characters/],
    ['C\ud8001', /broken character/],
    ['__proto__', /reserved name/],
  ])('%j is rejected', (id, reason) => {
    const r = parseId(id);
    expect(r).toBeInstanceOf(Invalid);
    expect((r as Invalid).reason).toMatch(reason);
  });

  it.each(['Café-7', 'Zürich 1', 'プロバイダ1', 'C 1', 'E08000012'])('%j is a fine id', (id) => {
    expect(parseId(id)).toBe(id);
  });
});

describe('printable: text made safe for a terminal', () => {
  it('escapes controls, ESC sequences and invisible characters; cuts long text stating its length', () => {
    expect(printable('a\u001b[31mb\u0000')).toBe('a\\u001B[31mb\\u0000');
    expect(printable('x\u202ey')).toBe('x\\u202Ey');
    expect(printable('line 1\nline 2', Infinity, true)).toBe('line 1\nline 2');
    expect(printable('line 1\nline 2')).toBe('line 1\\u000Aline 2');
    expect(printable('\u0000'.repeat(1_000_000), 10)).toBe(`${'\\u0000'.repeat(10)}… (1000000 characters)`);
  });
});

describe('text: only ASCII white space is padding (R-VAL-2)', () => {
  it('trims spaces, tabs and line ends, never other spaces, so padding cannot change the answer', () => {
    expect(text('  C1\t\r\n')).toBe('C1');
    expect(text(' \u00a0C1')).toBe('\u00a0C1');
    expect(text('\ufeff2014-01-01 ')).toBe('\ufeff2014-01-01');
    expect(text(' \t ')).toBeUndefined();
    fc.assert(
      fc.property(fc.string(), fc.stringMatching(/^[ \t\r\n]{0,3}$/), fc.stringMatching(/^[ \t\r\n]{0,3}$/), (v, pre, post) => {
        const a = parseClientId(v);
        const b = parseClientId(pre + v + post);
        expect(a instanceof Invalid ? `invalid: ${a.reason}` : a).toEqual(b instanceof Invalid ? `invalid: ${b.reason}` : b);
      }),
    );
  });
});

describe('isPlainIdBytes: the fast path of parseId, on bytes (R-VAL-2, R-VAL-3)', () => {
  it('true only for an id parseId takes as it is', () => {
    const enc = new TextEncoder();
    const unit = fc.constantFrom('C', 'a', '0', '1', '9', ' ', '_', 'p', 'r', 'o', 't', '\t', '~', 'é', '\u200b');
    const idArb = fc.oneof(fc.string({ unit, maxLength: 70 }), fc.constantFrom('__proto__', '9434765919', '1234567890', 'C'.repeat(64), 'C'.repeat(65), ''));
    fc.assert(
      fc.property(idArb, (id) => {
        const b = enc.encode(id);
        // Both id parsers: the table reads a plain client_id or episode_id by its bytes alone.
        if (isPlainIdBytes(b, 0, b.length)) {
          expect(parseId(id)).toBe(id);
          expect(parseClientId(id)).toBe(id);
        }
      }),
      { numRuns: 1000 },
    );
    const plain = (s: string) => isPlainIdBytes(enc.encode(s), 0, enc.encode(s).length);
    expect(['C1', 'C'.repeat(64), '123456789x', 'a b'].map(plain)).toEqual([true, true, true, true]);
    expect(['', 'C'.repeat(65), '__proto__', '1234567890', ' C1', 'C1 ', 'Cé', 'C\u200b1'].map(plain)).toEqual([false, false, false, false, false, false, false, false]);
  });
});
