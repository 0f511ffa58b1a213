/**
 * Calendar arithmetic on ISO calendar dates (R-CAL-1). Dates are `YYYY-MM-DD` strings with no time
 * and no time zone; ISO strings of the same width sort chronologically, so comparisons are plain
 * string comparisons. Day counts go through integer day numbers; month arithmetic is date-fns
 * `addMonths`', which clamps to the end of the month (31 Jan + 1 month = 28/29 Feb): worked out from
 * a table of the accepted range's months, or by date-fns itself outside it.
 * @module
 */
import { addMonths as dfAddMonths } from 'date-fns/addMonths';

/** An ISO calendar date, `YYYY-MM-DD`. */
export type IsoDate = string;

/** Earliest date the library accepts (a guard against typos such as 0202). */
export const MIN_DATE: IsoDate = '1900-01-01';
/** Latest date the library accepts (a guard against typos such as 2202). */
export const MAX_DATE: IsoDate = '2199-12-31';

const ISO_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

function isLeap(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

/**
 * Number of days in a month (1–12) of a year.
 * @example daysInMonth(2024, 2) // 29
 */
export function daysInMonth(year: number, month: number): number {
  return month === 2 ? (isLeap(year) ? 29 : 28) : [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]!;
}

/**
 * Checks that a string is a real ISO calendar date between {@link MIN_DATE} and {@link MAX_DATE}.
 * @example isIsoDate('2024-02-29') // true
 * @example isIsoDate('2023-02-30') // false
 */
export function isIsoDate(s: string): boolean {
  const m = ISO_RE.exec(s);
  if (!m) return false;
  const y = +m[1]!;
  const mo = +m[2]!;
  const d = +m[3]!;
  if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo)) return false;
  return s >= MIN_DATE && s <= MAX_DATE;
}

/**
 * Days since 1970-01-01 of an ISO date (civil-from-days, proleptic Gregorian). Assumes a valid date.
 * @example toDayNumber('1970-01-02') // 1
 */
export function toDayNumber(iso: IsoDate): number {
  let y = (iso.charCodeAt(0) - 48) * 1000 + (iso.charCodeAt(1) - 48) * 100 + (iso.charCodeAt(2) - 48) * 10 + (iso.charCodeAt(3) - 48);
  const m = (iso.charCodeAt(5) - 48) * 10 + (iso.charCodeAt(6) - 48);
  const d = (iso.charCodeAt(8) - 48) * 10 + (iso.charCodeAt(9) - 48);
  y -= m <= 2 ? 1 : 0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/**
 * The ISO date of a day number (inverse of {@link toDayNumber}).
 * @example fromDayNumber(0) // '1970-01-01'
 */
export function fromDayNumber(n: number): IsoDate {
  const z = n + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp + (mp < 10 ? 3 : -9);
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  return `${y}-${pad2(m)}-${pad2(d)}`;
}

/**
 * `iso` plus `days` calendar days (negative goes back).
 * @example addDays('2024-02-28', 2) // '2024-03-01'
 */
export function addDays(iso: IsoDate, days: number): IsoDate {
  return isoOfDay(toDayNumber(iso) + days);
}

/** Day number of {@link MIN_DATE}, the first day of the accepted range. */
export const MIN_DAY = toDayNumber(MIN_DATE);
/** Day number of {@link MAX_DATE}, the last day of the accepted range. */
export const MAX_DAY = toDayNumber(MAX_DATE);
// Every day of the accepted range, filled up front: an empty array written at an index some 40,000
// days in holds its elements in a dictionary, and each look-up hashed (4 times as long, and there is
// one for each date of every record made, and for each day the rules count on from a date).
// Made at the first call, not when the module loads (the page loads it too).
let isoCache: (IsoDate | undefined)[] | undefined;

/**
 * The ISO date of a day number, {@link fromDayNumber} remembered for the days of the accepted range
 * (a data set holds a few thousand distinct dates; each becomes text once).
 * @example isoOfDay(toDayNumber('2015-03-31')) // '2015-03-31'
 */
export function isoOfDay(day: number): IsoDate {
  const k = day - MIN_DAY;
  // A whole number of days in the range only (a fraction would add a property to the array).
  if (k >= 0 && k <= MAX_DAY - MIN_DAY && (k | 0) === k) {
    const cache = (isoCache ??= new Array<IsoDate | undefined>(MAX_DAY - MIN_DAY + 1).fill(undefined));
    return (cache[k] ??= fromDayNumber(day));
  }
  return fromDayNumber(day);
}

/**
 * Calendar days from `from` to `to` (positive when `to` is later).
 * @example daysBetween('2024-01-01', '2024-01-22') // 21
 */
export function daysBetween(from: IsoDate, to: IsoDate): number {
  return toDayNumber(to) - toDayNumber(from);
}

/** The first and last years of the accepted range ({@link MIN_DATE}, {@link MAX_DATE}). */
const FIRST_YEAR = +MIN_DATE.slice(0, 4);
const LAST_YEAR = +MAX_DATE.slice(0, 4);
/**
 * Per month of the accepted range ((year − FIRST_YEAR) × 12 + month − 1): the day number of its
 * first day, and its length. 3,600 months, made when the module loads: a date of the range is then
 * two look-ups from its year, month and day ({@link dayOfDate}), and a month count from it one more
 * ({@link addMonths}), for the tens of millions of date cells and outcome windows of a national run.
 */
const MONTH_START = new Int32Array((LAST_YEAR - FIRST_YEAR + 1) * 12);
const MONTH_DAYS = new Uint8Array(MONTH_START.length);
for (let y = FIRST_YEAR, k = 0; y <= LAST_YEAR; y++) {
  for (let m = 1; m <= 12; m++, k++) {
    MONTH_START[k] = toDayNumber(`${y}-${pad2(m)}-01`);
    MONTH_DAYS[k] = daysInMonth(y, m);
  }
}

/**
 * The day number of year `y`, month `m`, day `d` (whole numbers), or NaN when that is not a real
 * date of the accepted range.
 * @example dayOfDate(1970, 1, 2) // 1
 * @example dayOfDate(2023, 2, 29) // NaN
 */
export function dayOfDate(y: number, m: number, d: number): number {
  if (y < FIRST_YEAR || y > LAST_YEAR || m < 1 || m > 12 || d < 1) return NaN;
  const k = (y - FIRST_YEAR) * 12 + m - 1;
  return d > MONTH_DAYS[k]! ? NaN : MONTH_START[k]! + d - 1;
}

/**
 * "N months after D" (R-CAL-1): date-fns `addMonths` with end-of-month clamping; N may be negative.
 * For a date and a result in the accepted range, worked out from the month table (the result's
 * month, the day clamped to its length) and given as {@link isoOfDay}'s string, so that equal dates
 * are mostly one string; otherwise by date-fns itself.
 * @example addMonths('2023-01-31', 1) // '2023-02-28'
 * @example addMonths('2024-01-31', 1) // '2024-02-29'
 */
export function addMonths(iso: IsoDate, months: number): IsoDate {
  if (months === 0) return iso;
  if (iso.length === 10 && (months | 0) === months) {
    const day = toDayNumber(iso);
    // The date must be the plain ISO text of its day number (not, say, 2023-02-30).
    if (day >= MIN_DAY && day <= MAX_DAY && isoOfDay(day) === iso) {
      const y = (iso.charCodeAt(0) - 48) * 1000 + (iso.charCodeAt(1) - 48) * 100 + (iso.charCodeAt(2) - 48) * 10 + (iso.charCodeAt(3) - 48);
      const k = (y - FIRST_YEAR) * 12 + (iso.charCodeAt(5) - 48) * 10 + (iso.charCodeAt(6) - 48) - 1 + months;
      if (k >= 0 && k < MONTH_START.length) {
        const d = (iso.charCodeAt(8) - 48) * 10 + (iso.charCodeAt(9) - 48);
        return isoOfDay(MONTH_START[k]! + Math.min(d, MONTH_DAYS[k]!) - 1);
      }
    }
  }
  return monthsAfter(iso, months);
}

/** {@link addMonths} worked out by date-fns (a result in the accepted range as isoOfDay's string). */
function monthsAfter(iso: IsoDate, months: number): IsoDate {
  // A local-time Date at midnight: date-fns works in local time and we only read back y/m/d,
  // so the machine's time zone cannot shift the calendar date.
  const y = +iso.slice(0, 4);
  const m = +iso.slice(5, 7);
  const d = +iso.slice(8, 10);
  const r = dfAddMonths(new Date(y, m - 1, d), months);
  const out = `${String(r.getFullYear()).padStart(4, '0')}-${pad2(r.getMonth() + 1)}-${pad2(r.getDate())}`;
  const day = out.length === 10 ? toDayNumber(out) : NaN;
  return day >= MIN_DAY && day <= MAX_DAY && isoOfDay(day) === out ? isoOfDay(day) : out;
}

/**
 * Is `date` within the half-open window (from, to] of R-CAL-1 ("within N months after from")?
 * @example inWindow('2024-07-01', '2024-01-01', '2024-07-01') // true
 * @example inWindow('2024-01-01', '2024-01-01', '2024-07-01') // false
 */
export function inWindow(date: IsoDate, from: IsoDate, to: IsoDate): boolean {
  return date > from && date <= to;
}

/**
 * The later of two ISO dates (either may be undefined, meaning unknown; unknown wins).
 * @example laterOf('2024-01-01', '2024-03-01') // '2024-03-01'
 */
export function laterOf(a: IsoDate | undefined, b: IsoDate | undefined): IsoDate | undefined {
  if (a === undefined || b === undefined) return undefined;
  return a > b ? a : b;
}

/**
 * The earlier of two ISO dates.
 * @example earlierOf('2024-01-01', '2023-12-31') // '2023-12-31'
 */
export function earlierOf(a: IsoDate, b: IsoDate): IsoDate {
  return a < b ? a : b;
}

/**
 * Start of the period of `lengthMonths` months (counted from `anchor`) that contains `date`
 * (R-PAY-5). Periods run [start, start + lengthMonths); anchor is any period start.
 * @example periodStart('2024-05-10', '2012-04-01', 3) // '2024-04-01'
 */
export function periodStart(date: IsoDate, anchor: IsoDate, lengthMonths: number): IsoDate {
  // Month index difference, then step back if the date falls before that period's start.
  const dy = +date.slice(0, 4) - +anchor.slice(0, 4);
  const dm = +date.slice(5, 7) - +anchor.slice(5, 7);
  let k = Math.floor((dy * 12 + dm) / lengthMonths);
  let start = addMonths(anchor, k * lengthMonths);
  while (start > date) {
    k -= 1;
    start = addMonths(anchor, k * lengthMonths);
  }
  while (addMonths(anchor, (k + 1) * lengthMonths) <= date) {
    k += 1;
    start = addMonths(anchor, k * lengthMonths);
  }
  return start;
}

/**
 * Compares two strings by Unicode code point (R-JNY-5): UTF-8 byte order, never locale collation.
 * Blank/undefined sorts first.
 * @example compareCodePoint('B', 'a') // -1 (upper case sorts before lower case)
 */
export function compareCodePoint(a: string | undefined, b: string | undefined): number {
  if (a === b) return 0;
  if (a === undefined || a === '') return -1;
  if (b === undefined || b === '') return 1;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) {
      // UTF-16 order differs from code point order only when one side is a surrogate (≥ U+D800
      // and < U+E000) and the other is in U+E000–U+FFFF: surrogates encode code points above U+FFFF.
      const xs = x >= 0xd800 && x <= 0xdfff;
      const ys = y >= 0xd800 && y <= 0xdfff;
      if (xs !== ys) return xs ? 1 : -1;
      return x < y ? -1 : 1;
    }
  }
  return a.length < b.length ? -1 : a.length > b.length ? 1 : 0;
}

/**
 * Sorts `list` in place, as `list.sort(compare)` does (stably), but leaves a list that is already in
 * order untouched: V8's sort copies every array it is given, and most of a client's lists (reviews,
 * tests, episodes) arrive in date order, millions of times at national scale. A stable sort of a
 * list already in order changes nothing, so the result is the same either way.
 * @example sortInPlace(['2020-01-02', '2020-01-01'], (a, b) => compareCodePoint(a, b)) // ['2020-01-01', '2020-01-02']
 */
export function sortInPlace<T>(list: T[], compare: (a: T, b: T) => number): T[] {
  // The test V8's sort makes of a run in order (each item against the one before it, `< 0` ends the
  // run), so that even a comparator that is not symmetric gives what sort gives; sort alone puts
  // undefined items last without comparing them.
  for (let i = 0; i < list.length; i++) {
    if (list[i] === undefined || (i > 0 && compare(list[i]!, list[i - 1]!) < 0)) return list.sort(compare);
  }
  return list;
}
