/**
 * Field parsers shared by every record schema. Each takes a raw value (a CSV cell, an NDJSON value
 * or a typed object's property) and returns the typed value, `undefined` for blank, or an
 * {@link Invalid} with a reason a person can act on (R-VAL-1, R-VAL-2).
 * @module
 */
import { isIsoDate, MAX_DATE, MIN_DATE } from '../calendar/index.js';
import { SUBSTANCES, type Substance } from './codes.js';

/** A field value that could not be used, with the reason written for the person fixing the file. */
export class Invalid {
  constructor(readonly reason: string) {}
}

/** Result of a field parser. */
export type Parsed<T> = T | undefined | Invalid;

/**
 * Trimmed text of a raw value; blank (empty, whitespace, null, undefined) is `undefined`.
 * @example text('  C1 ') // 'C1'
 */
export function text(v: unknown): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string') {
    // Fast path: most cells need no trimming.
    const c0 = v.charCodeAt(0);
    const cl = v.charCodeAt(v.length - 1);
    if (v.length === 0) return undefined;
    if (c0 > 32 && cl > 32) return v;
    const t = v.trim();
    return t === '' ? undefined : t;
  }
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  return undefined;
}

const MAX_ID = 64;
// Identifiers: printable, no control characters, no U+FFFD (the mark of bytes that were not UTF-8).
const BAD_ID_CHARS = /[\u0000-\u001f\u007f\ufffd]/;

/**
 * An identifier (episode, client, provider, area, band): up to 64 printable characters.
 * @example parseId('P01') // 'P01'
 */
export function parseId(v: unknown): Parsed<string> {
  if (typeof v === 'object' && v !== null) return new Invalid('must be a single value, not a list or object');
  const t = text(v);
  if (t === undefined) return undefined;
  if (t.length > MAX_ID) return new Invalid(`is ${t.length} characters long; identifiers are at most ${MAX_ID}`);
  if (BAD_ID_CHARS.test(t)) {
    return t.includes('\ufffd')
      ? new Invalid('contains bytes that are not UTF-8; save the file as UTF-8')
      : new Invalid('contains control characters');
  }
  return t;
}

/**
 * True when `s` is a 10-digit NHS number with a valid modulus-11 check digit (spaces or dashes in
 * the 3-3-4 pattern allowed). Used by the anonymisation guard (R-VAL-3).
 * @example isNhsNumber('943 476 5919') // true
 */
export function isNhsNumber(s: string): boolean {
  const digits = /^\d{3}[ -]?\d{3}[ -]?\d{4}$/.test(s) ? s.replace(/[ -]/g, '') : '';
  if (digits.length !== 10) return false;
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += (digits.charCodeAt(i) - 48) * (10 - i);
  let check = 11 - (sum % 11);
  if (check === 11) check = 0;
  if (check === 10) return false;
  return check === digits.charCodeAt(9) - 48;
}

/**
 * A client identifier: an identifier that is not an NHS number (R-VAL-3).
 * @example parseClientId('9434765919') // Invalid: looks like an NHS number
 */
export function parseClientId(v: unknown): Parsed<string> {
  const r = parseId(v);
  if (typeof r === 'string' && isNhsNumber(r)) {
    return new Invalid('looks like an NHS number (valid check digit); use a pseudonymous client id instead');
  }
  return r;
}

/**
 * An ISO calendar date `YYYY-MM-DD` that exists (2023-02-30 does not).
 * @example parseDate('2023-02-30') // Invalid: is not a real calendar date
 */
export function parseDate(v: unknown): Parsed<string> {
  const t = text(v);
  if (t === undefined) return undefined;
  if (isIsoDate(t)) return t;
  if (/^\d{4}-\d{2}-\d{2}$/.test(t)) {
    if (t < MIN_DATE || t > MAX_DATE) return new Invalid(`is outside ${MIN_DATE} to ${MAX_DATE}`);
    return new Invalid('is not a real calendar date');
  }
  if (/^\d{1,2}\/\d{1,2}\/\d{2,4}$/.test(t)) return new Invalid('is not an ISO date; write it as YYYY-MM-DD (day/month order is ambiguous)');
  if (/^\d{4}-\d{2}-\d{2}[T ]/.test(t)) return new Invalid('has a time part; write the date alone as YYYY-MM-DD');
  return new Invalid('is not a date; write it as YYYY-MM-DD');
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
  return new Invalid('must be true or false');
}

/**
 * A whole number within [min, max]; `what` names the unit in the message.
 * @example intInRange(0, 28, 'days')('35') // Invalid: is outside 0–28 days
 */
export function intInRange(min: number, max: number, what: string): (v: unknown) => Parsed<number> {
  return (v) => {
    const t = text(v);
    if (t === undefined) return undefined;
    const n = Number(t);
    if (!Number.isFinite(n) || !/^[+-]?\d+(\.0+)?$/.test(t)) return new Invalid(`must be a whole number of ${what} (${min}–${max})`);
    if (n < min || n > max) return new Invalid(`is outside ${min}–${max} ${what}`);
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
    if (!Number.isFinite(n) || !/^[+-]?(\d+\.?\d*|\.\d+)$/.test(t)) return new Invalid(`must be a number of ${what} (${min}–${max})`);
    if (n < min || n > max) return new Invalid(`is outside ${min}–${max} ${what}`);
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
    return new Invalid(`is not a known code; use one of: ${list}`);
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
    if (!SUBSTANCE_ORDER.has(l)) return new Invalid(`'${t.slice(0, 40)}' is not a known substance; use ;-separated codes from: ${SUBSTANCES.join(', ')}`);
    seen.add(l as Substance);
  }
  if (seen.size === 0) return undefined;
  return [...seen].sort((a, b) => SUBSTANCE_ORDER.get(a)! - SUBSTANCE_ORDER.get(b)!);
}
