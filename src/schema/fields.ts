/**
 * Field parsers shared by every record schema. Each takes a raw value (a CSV cell, an NDJSON value
 * or a typed object's property) and returns the typed value, `undefined` for blank, or an
 * {@link Invalid} with a reason a person can act on (R-VAL-1, R-VAL-2).
 * @module
 */
import { daysInMonth, isIsoDate, MAX_DATE, MIN_DATE } from '../calendar/index.js';
import { SUBSTANCES, type Substance } from './codes.js';
import type { RejectionCode } from './rejection-codes.js';

/**
 * A field value that could not be used: the kind of problem (a code from the closed list of
 * `REJECTION_CODES`) and the reason written for the person fixing the file.
 * @example new Invalid('not_a_date', 'is not a date; write it as YYYY-MM-DD')
 */
export class Invalid {
  constructor(
    readonly code: RejectionCode,
    readonly reason: string,
  ) {}
}

/** Result of a field parser. */
export type Parsed<T> = T | undefined | Invalid;

// The white space a cell may be padded with: the ASCII space, tab and line ends. Other spaces (a
// no-break space, U+FEFF) are never trimmed, wherever they are, so that ' \u00a0C1' and '\u00a0C1'
// get the same answer (both refused: the value holds a space that looks like none).
/**
 * Whether a character code (or a byte) is the ASCII white space {@link text} trims.
 * @example isPad(32) // true
 */
export const isPad = (c: number) => c === 32 || (c >= 9 && c <= 13);

/**
 * Text of a raw value with ASCII white space (space, tab, line ends) trimmed; blank (empty, only
 * such white space, null, undefined) is `undefined`.
 * @example text('  C1 ') // 'C1'
 */
export function text(v: unknown): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string') {
    let a = 0;
    let b = v.length;
    while (a < b && isPad(v.charCodeAt(a))) a++;
    while (b > a && isPad(v.charCodeAt(b - 1))) b--;
    if (a === b) return undefined;
    return a === 0 && b === v.length ? v : v.slice(a, b);
  }
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  return undefined;
}

/** The longest identifier, in characters (R-VAL-2). */
export const MAX_ID = 64;

// Characters that are never part of an identifier. Controls (C0, DEL, C1) and U+FFFD (the mark of
// bytes that were not UTF-8) have their own messages; the others are invisible or reorder text, so
// two ids that differ only by them would look identical: text-direction controls (U+061C,
// U+200E/F, U+202A–U+202E, U+2066–U+2069), zero-width characters (U+200B–U+200D, U+2060–U+2064,
// U+FEFF), the soft hyphen and the Mongolian vowel separator; line and paragraph separators.
// eslint-disable-next-line no-control-regex
const CONTROL_CHARS = /[\u0000-\u001f\u007f-\u009f]/;
const INVISIBLE_CHARS = /[\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2028\u2029\u2060-\u2064\u2066-\u2069\ufeff]/;
// Spaces other than the plain space: `C 1` and `C\u00a01` look the same.
const SPECIAL_SPACES = /[\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

function codePointWords(c: string): string {
  return `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** The message for an id with invisible characters or special spaces, or undefined when its characters are fine (R-VAL-2). */
function badIdCharacters(t: string): Invalid | undefined {
  const invisible = INVISIBLE_CHARS.exec(t);
  if (invisible) {
    return new Invalid(
      'bad_character',
      `contains an invisible character (${codePointWords(invisible[0])}, a zero-width or text-direction mark), so it could look the same as another id; remove it`,
    );
  }
  const space = SPECIAL_SPACES.exec(t);
  if (space) return new Invalid('bad_character', `contains a non-breaking or other special space (${codePointWords(space[0])}); use plain spaces or none`);
  if (LONE_SURROGATE.test(t)) return new Invalid('bad_character', 'contains a broken character (half of a UTF-16 pair); save the file as UTF-8');
  return undefined;
}

const NHS_ID_REASON = 'looks like an NHS number (valid check digit); use a pseudonymous id instead — NHS numbers must not be in the data (R-VAL-3)';

/**
 * An identifier (episode, client, provider, area, band): up to 64 printable characters, without
 * invisible or text-direction characters or special spaces, and never an NHS number in any written
 * form (see {@link looksLikeNhsNumber}; R-VAL-3).
 * @example parseId('P01') // 'P01'
 * @example parseId('943 476 5919') // Invalid: looks like an NHS number
 */
export function parseId(v: unknown): Parsed<string> {
  if (typeof v === 'object' && v !== null) return new Invalid('not_a_single_value', 'must be a single value, not a list or object');
  const t = text(v);
  if (t === undefined) return undefined;
  if (t.length > MAX_ID) return new Invalid('too_long', `is ${t.length} characters long; identifiers are at most ${MAX_ID}`);
  // Written as a key of an object (summary.json's providers), it would replace the object's prototype.
  if (t === '__proto__') return new Invalid('reserved_name', 'is a reserved name (__proto__); use another id');
  // Fast path (millions of ids): printable ASCII with fewer than 10 digits cannot be anything else
  // (isPlainIdBytes says the same of bytes).
  let digits = 0;
  let ascii = true;
  for (let i = 0; i < t.length; i++) {
    const c = t.charCodeAt(i);
    if (c < 0x20 || c > 0x7e) {
      ascii = false;
      break;
    }
    if (c >= 48 && c <= 57) digits++;
  }
  if (ascii && digits < 10) return t;
  if (t.includes('\ufffd')) return new Invalid('not_utf8', 'contains bytes that are not UTF-8; save the file as UTF-8');
  if (CONTROL_CHARS.test(t)) return new Invalid('bad_character', 'contains control characters');
  // An NHS number is the first thing to say, however it is written (non-breaking spaces included).
  if (looksLikeNhsNumber(t)) return new Invalid('nhs_number', NHS_ID_REASON);
  return ascii ? t : (badIdCharacters(t) ?? t);
}

/**
 * Whether UTF-8 bytes [from, to), already trimmed ({@link text}), are an id {@link parseId} takes
 * as it is by its fast path: 1 to 64 printable ASCII characters with fewer than 10 digits, not
 * `__proto__`. False says nothing (the id may still be usable); true says it is.
 * @example isPlainIdBytes(new TextEncoder().encode('C1'), 0, 2) // true
 */
export function isPlainIdBytes(bytes: Uint8Array, from: number, to: number): boolean {
  const n = to - from;
  if (n < 1 || n > MAX_ID) return false;
  let digits = 0;
  for (let i = from; i < to; i++) {
    const c = bytes[i]!;
    if (c < 0x20 || c > 0x7e) return false;
    if (c >= 48 && c <= 57) digits++;
  }
  if (digits >= 10 || (n === PROTO.length && PROTO.every((c, i) => bytes[from + i] === c))) return false;
  // Untrimmed bytes say nothing.
  return bytes[from] !== 32 && bytes[to - 1] !== 32;
}
const PROTO = [...'__proto__'].map((c) => c.charCodeAt(0));

/**
 * True when `s` is a 10-digit NHS number with a valid modulus-11 check digit (spaces or dashes in
 * the 3-3-4 pattern allowed). The strict shape; {@link looksLikeNhsNumber} knows every common
 * written form and is what the anonymisation guard uses (R-VAL-3).
 * @example isNhsNumber('943 476 5919') // true
 */
export function isNhsNumber(s: string): boolean {
  const digits = /^\d{3}[ -]?\d{3}[ -]?\d{4}$/.test(s) ? s.replace(/[ -]/g, '') : '';
  return digits.length === 10 && nhsCheckDigitOk(digits);
}

/** Whether ten ASCII digits carry a valid NHS modulus-11 check digit (a check of 10 is never issued). */
function nhsCheckDigitOk(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += (digits.charCodeAt(i) - 48) * (10 - i);
  let check = 11 - (sum % 11);
  if (check === 11) check = 0;
  if (check === 10) return false;
  return check === digits.charCodeAt(9) - 48;
}

const UNICODE_DIGIT = /\p{Nd}/u;

/** The value of a Unicode decimal digit (any script: ٩, ９, 𝟗, …): its place in its run of ten. */
function digitValue(ch: string): number {
  const cp = ch.codePointAt(0)!;
  if (cp >= 48 && cp <= 57) return cp - 48;
  let start = cp;
  while (start > 0 && UNICODE_DIGIT.test(String.fromCodePoint(start - 1))) start--;
  return (cp - start) % 10;
}

/**
 * A value written the way a person or a spreadsheet writes numbers, made plain: compatibility
 * forms folded (full-width digits, non-breaking spaces; NFKC), digits of any script made ASCII,
 * letters lower case, every kind of space a single space, dashes a `-`.
 */
function plainForm(value: string): string {
  let s = value.normalize('NFKC');
  s = s.replace(/\p{Nd}/gu, (d) => String(digitValue(d)));
  s = s.replace(/[\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/g, '');
  s = s.replace(/[\s\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/g, ' ');
  s = s.replace(/[\u2010-\u2015\u2212\ufe58\ufe63\uff0d]/g, '-');
  return s.toLowerCase();
}

/** Digits of a number written in scientific notation (`9.434765919E9`, `9.434765919e+09`), or undefined unless whole. */
function expandExponent(mantissa: string, exponent: string): string | undefined {
  const [int = '', frac = ''] = mantissa.split(/[.,]/);
  const e = Number(exponent);
  if (!Number.isInteger(e) || e < 0 || e > 30) return undefined;
  const all = int + frac;
  const point = int.length + e;
  if (point < all.length) {
    if (!/^0*$/.test(all.slice(point))) return undefined;
    return all.slice(0, point);
  }
  return all + '0'.repeat(point - all.length);
}

// A prefix that says what the number is: `NHS`, `NHS no.`, `NHS number:`, `nhs#`, `NHS-`.
const NHS_PREFIX = /^(?:nhs|n\.h\.s\.?)\s?(?:number|num|nbr|no\.?|#)?\s?[:#=.\-_]?\s?/;
// A whole value that is one number: digits with separators (spaces, - . _ / ,), an optional
// decimal part of zeros (`9434765919.0`), or scientific notation; optional quotes or an
// apostrophe (a spreadsheet's text mark) around it.
const NUMBER_FORM = /^['"`+]?\s?(\d(?:[ \-._/,]{0,2}\d)*)\s?['"`]?$/;
const EXPONENT_FORM = /^['"`+]?(\d+(?:[.,]\d+)?)e\+?(\d{1,2})['"`]?$/;

/**
 * Whether a value looks like an NHS number in any common written form: ten digits with a valid
 * modulus-11 check digit, written plain or with separators (` `, `-`, `.`, `/`, doubled or
 * non-breaking spaces), after a prefix such as `NHS` or `NHS no:`, as a decimal (`9434765919.0`)
 * or in scientific notation (`9.434765919E9`, as a spreadsheet shows a long number), in
 * full-width or other digits, in quotes. The one test of the anonymisation guard (R-VAL-3): an id
 * for which it is true is rejected, and {@link redactNhsNumbers} hides such numbers wherever a
 * value is shown. A value holding other text too (`C9434765919`) is not judged.
 * @example looksLikeNhsNumber('NHS 943.476.5919') // true
 * @example looksLikeNhsNumber('9.434765919E9') // true
 * @example looksLikeNhsNumber('9434765918') // false (wrong check digit)
 */
export function looksLikeNhsNumber(value: string): boolean {
  if (value.length > 80) return false;
  let s = plainForm(value).trim();
  const prefix = NHS_PREFIX.exec(s);
  if (prefix) s = s.slice(prefix[0].length).trim();
  const exp = EXPONENT_FORM.exec(s);
  if (exp) {
    const digits = expandExponent(exp[1]!, exp[2]!);
    return digits !== undefined && digits.length === 10 && nhsCheckDigitOk(digits);
  }
  const m = NUMBER_FORM.exec(s);
  if (!m) return false;
  const digits = m[1]!.replace(/\D/g, '');
  if (digits.length === 10) return nhsCheckDigitOk(digits);
  // A decimal part of zeros (`9434765919.0`, `9434765919,00`) is not part of the number.
  const whole = /^(.*\d)[.,]0+$/.exec(m[1]!)?.[1]?.replace(/\D/g, '');
  return whole !== undefined && whole.length === 10 && nhsCheckDigitOk(whole);
}

/** What {@link redactNhsNumbers} puts in place of an NHS number. */
export const NHS_NUMBER_REMOVED = '[NHS number removed]';

// Runs of digits (any script) with separators between them, and numbers in scientific notation.
const DIGIT_GROUPS = /\p{Nd}+(?:[ \u00a0\u2000-\u200b\u202f\u3000\-._/,\u2010-\u2015\u2212\uff0d]{1,3}\p{Nd}+)*/gu;
const EXPONENT_ANYWHERE = /\p{Nd}[.,]\p{Nd}+[eE]\+?\p{Nd}{1,2}/gu;

/**
 * A value with every NHS number in it replaced by `[NHS number removed]`: a whole value that
 * {@link looksLikeNhsNumber}, or, inside longer text, ten digits with a valid check digit written
 * together or grouped as an NHS number is written (`patient 943 476 5919`, `9,434,765,919`): what every
 * rejected value goes through before it is shown — in `rejections.csv`, the report, and on the
 * terminal — so that an identifier never leaves through an output (R-VAL-3). Values without ten
 * digits come back as they were, at once.
 * @example redactNhsNumbers('943 476 5919') // '[NHS number removed]'
 * @example redactNhsNumbers('C0042') // 'C0042'
 */
export function redactNhsNumbers(value: string): string {
  // Fast path: fewer than ten ASCII digits and nothing else that could be a digit.
  let digits = 0;
  let ascii = true;
  for (let i = 0; i < value.length && ascii && digits < 10; i++) {
    const c = value.charCodeAt(i);
    if (c >= 48 && c <= 57) digits++;
    else if (c > 0x7e) ascii = false;
  }
  if (ascii && digits < 10) return value;
  if (looksLikeNhsNumber(value)) return NHS_NUMBER_REMOVED;
  let out = value.replace(EXPONENT_ANYWHERE, (m) => (looksLikeNhsNumber(m) ? NHS_NUMBER_REMOVED : m));
  out = out.replace(DIGIT_GROUPS, (run) => {
    // The groups of digits in the run and the separators between them. Ten digits are hidden when
    // they are one group, or grouped as people write an NHS number (3-3-4, or 1-3-3-3 as thousands)
    // with one kind of separator, and carry a valid check digit; `0042, 2014-03-12` is left alone.
    const groups: { digits: string; start: number; end: number }[] = [];
    const re = /\p{Nd}+/gu;
    for (let g = re.exec(run); g; g = re.exec(run)) {
      groups.push({ digits: g[0].replace(/\p{Nd}/gu, (d) => String(digitValue(d))), start: g.index, end: g.index + g[0].length });
    }
    const sep = (i: number) => run.slice(groups[i]!.end, groups[i + 1]!.start).replace(/[\s\u00a0\u2000-\u200b\u202f\u3000]+/g, ' ');
    const hide: [number, number][] = [];
    for (let i = 0; i < groups.length; i++) {
      for (const shape of [[10], [3, 3, 4], [1, 3, 3, 3]]) {
        const j = i + shape.length - 1;
        if (j >= groups.length || shape.some((n, k) => groups[i + k]!.digits.length !== n)) continue;
        if (shape.length > 1 && shape.slice(1).some((_, k) => sep(i + k) !== sep(i))) continue;
        const d = groups.slice(i, j + 1).map((g) => g.digits).join('');
        if (nhsCheckDigitOk(d)) {
          hide.push([groups[i]!.start, groups[j]!.end]);
          i = j;
          break;
        }
      }
    }
    if (hide.length === 0) return run;
    let res = '';
    let at = 0;
    for (const [a, b] of hide) {
      res += run.slice(at, a) + NHS_NUMBER_REMOVED;
      at = b;
    }
    return res + run.slice(at);
  });
  return out;
}

/** How long a value may be in a rejection report before it is cut (the report stays readable). */
export const MAX_SHOWN_VALUE = 200;

/**
 * A value as a rejection shows it (in `rejections.csv`, the report, on the terminal): NHS numbers
 * hidden ({@link redactNhsNumbers}, R-VAL-3), and values longer than {@link MAX_SHOWN_VALUE}
 * characters cut, with their full length stated. Every rejection's value is made with it.
 * @example shownValue('943 476 5919') // '[NHS number removed]'
 * @example shownValue('x'.repeat(1000)).length // < 260
 */
export function shownValue(value: string): string {
  const v = redactNhsNumbers(value);
  if (v.length <= MAX_SHOWN_VALUE) return v;
  return `${v.slice(0, MAX_SHOWN_VALUE)}… (${v.length} characters)`;
}

/**
 * A client identifier: an identifier (see {@link parseId}: never an NHS number, R-VAL-3). The
 * columnar reader takes a cell that {@link isPlainIdBytes} says is plainly an id as its own value
 * without calling this: a rule added here must refuse only ids that function refuses too.
 * @example parseClientId('9434765919') // Invalid: looks like an NHS number
 */
export function parseClientId(v: unknown): Parsed<string> {
  return parseId(v);
}

/**
 * Text made safe to show on a terminal or in a one-line message: control characters (ESC, NUL, …),
 * invisible and text-direction characters are written as `\u001B`-style escapes (line breaks and
 * tabs too, unless `keepLines`), and text longer than `max` characters is cut, its length stated.
 * @example printable('a\u001b[31mb') // 'a\\u001B[31mb'
 */
export function printable(value: string, max = Infinity, keepLines = false): string {
  const cut = value.length > max ? value.slice(0, max) : value;
  const escaped = cut.replace(
    // eslint-disable-next-line no-control-regex
    /[\u0000-\u001f\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2028\u2029\u2060-\u2064\u2066-\u2069\ufeff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g,
    (c) => (keepLines && (c === '\n' || c === '\t') ? c : `\\u${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`),
  );
  return value.length > max ? `${escaped}… (${value.length} characters)` : escaped;
}

/** Digit value of a character code, or -1. */
function digit(c: number): number {
  return c >= 48 && c <= 57 ? c - 48 : -1;
}

/**
 * The common case of {@link isIsoDate} without a regular expression (millions of dates are read):
 * `true` only for a real date in range; anything else is left to `isIsoDate` and its messages.
 */
function isPlainIsoDate(t: string): boolean {
  if (t.length !== 10 || t.charCodeAt(4) !== 45 || t.charCodeAt(7) !== 45) return false;
  const y0 = digit(t.charCodeAt(0));
  const y1 = digit(t.charCodeAt(1));
  const y2 = digit(t.charCodeAt(2));
  const y3 = digit(t.charCodeAt(3));
  const m0 = digit(t.charCodeAt(5));
  const m1 = digit(t.charCodeAt(6));
  const d0 = digit(t.charCodeAt(8));
  const d1 = digit(t.charCodeAt(9));
  if ((y0 | y1 | y2 | y3 | m0 | m1 | d0 | d1) < 0) return false;
  const y = y0 * 1000 + y1 * 100 + y2 * 10 + y3;
  const m = m0 * 10 + m1;
  const d = d0 * 10 + d1;
  return m >= 1 && m <= 12 && d >= 1 && d <= daysInMonth(y, m) && t >= MIN_DATE && t <= MAX_DATE;
}

/**
 * An ISO calendar date `YYYY-MM-DD` that exists (2023-02-30 does not).
 * @example parseDate('2023-02-30') // Invalid: is not a real calendar date
 */
export function parseDate(v: unknown): Parsed<string> {
  const t = text(v);
  if (t === undefined) return undefined;
  if (isPlainIsoDate(t)) return t;
  if (isIsoDate(t)) return t;
  if (/^\d{4}-\d{2}-\d{2}$/.test(t)) {
    if (t < MIN_DATE || t > MAX_DATE) return new Invalid('date_out_of_range', `is outside ${MIN_DATE} to ${MAX_DATE}`);
    return new Invalid('not_a_date', 'is not a real calendar date');
  }
  if (/^\d{1,2}\/\d{1,2}\/\d{2,4}$/.test(t)) return new Invalid('date_format', 'is not an ISO date; write it as YYYY-MM-DD (day/month order is ambiguous)');
  if (/^\d{4}-\d{2}-\d{2}[T ]/.test(t)) return new Invalid('date_format', 'has a time part; write the date alone as YYYY-MM-DD');
  return new Invalid('not_a_date', 'is not a date; write it as YYYY-MM-DD');
}

/**
 * `true` / `false` (any letter case).
 * @example parseBool('TRUE') // true
 */
export function parseBool(v: unknown): Parsed<boolean> {
  if (typeof v === 'boolean') return v;
  const t = text(v);
  if (t === undefined) return undefined;
  const l = t.toLowerCase();
  if (l === 'true') return true;
  if (l === 'false') return false;
  return new Invalid('not_true_or_false', 'must be true or false');
}

/**
 * A whole number within [min, max]; `what` names the unit in the message.
 * @example intInRange(0, 28, 'days')('35') // Invalid: is outside 0–28 days
 */
export function intInRange(min: number, max: number, what: string): (v: unknown) => Parsed<number> {
  return (v) => {
    const t = text(v);
    if (t === undefined) return undefined;
    if (t.length <= 3) {
      // Common case: one to three digits (a day count, a score, an age), no regular expression.
      let n = 0;
      let i = 0;
      for (; i < t.length; i++) {
        const d = digit(t.charCodeAt(i));
        if (d < 0) break;
        n = n * 10 + d;
      }
      if (i === t.length) return n < min || n > max ? new Invalid('out_of_range', `is outside ${min}–${max} ${what}`) : n;
    }
    const n = Number(t);
    if (!Number.isFinite(n) || !/^[+-]?\d+(\.0+)?$/.test(t)) return new Invalid('not_a_number', `must be a whole number of ${what} (${min}–${max})`);
    if (n < min || n > max) return new Invalid('out_of_range', `is outside ${min}–${max} ${what}`);
    return n;
  };
}

/**
 * A number within [min, max] (decimals allowed).
 * @example numberInRange(0, 168, 'hours a week')('37.5') // 37.5
 */
export function numberInRange(min: number, max: number, what: string): (v: unknown) => Parsed<number> {
  return (v) => {
    const t = text(v);
    if (t === undefined) return undefined;
    const n = Number(t);
    if (!Number.isFinite(n) || !/^[+-]?(\d+\.?\d*|\.\d+)$/.test(t)) return new Invalid('not_a_number', `must be a number of ${what} (${min}–${max})`);
    if (n < min || n > max) return new Invalid('out_of_range', `is outside ${min}–${max} ${what}`);
    return n;
  };
}

/**
 * One code from a closed list.
 * @example oneOf(['negative', 'positive'])('Positive') // 'positive'
 */
export function oneOf<T extends string>(codes: readonly T[]): (v: unknown) => Parsed<T> {
  const set = new Set<string>(codes);
  const list = codes.join(', ');
  return (v) => {
    const t = text(v);
    if (t === undefined) return undefined;
    if (set.has(t)) return t as T;
    const l = t.toLowerCase();
    if (set.has(l)) return l as T;
    return new Invalid('unknown_code', `is not a known code; use one of: ${list}`);
  };
}

const SUBSTANCE_ORDER = new Map<string, number>(SUBSTANCES.map((s, i) => [s, i]));

/**
 * A `;`-separated list of substance codes (or an array), deduplicated into canonical order.
 * @example parseSubstances('alcohol; opiates') // ['opiates', 'alcohol']
 */
export function parseSubstances(v: unknown): Parsed<Substance[]> {
  let parts: unknown[];
  if (Array.isArray(v)) parts = v;
  else {
    const t = text(v);
    if (t === undefined) return undefined;
    parts = t.split(';');
  }
  const seen = new Set<Substance>();
  for (const p of parts) {
    const t = text(p);
    if (t === undefined) continue;
    const l = t.toLowerCase();
    if (!SUBSTANCE_ORDER.has(l)) return new Invalid('unknown_code', `'${redactNhsNumbers(t.slice(0, 40))}' is not a known substance; use ;-separated codes from: ${SUBSTANCES.join(', ')}`);
    seen.add(l as Substance);
  }
  if (seen.size === 0) return undefined;
  return [...seen].sort((a, b) => SUBSTANCE_ORDER.get(a)! - SUBSTANCE_ORDER.get(b)!);
}
