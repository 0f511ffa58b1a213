/**
 * Tiny HTML helpers for the report: escaping and stable number formatting for SVG coordinates.
 * Everything the report shows passes through {@link esc}, so a provider id, a rejected value or a
 * scheme note can never become markup.
 * @module
 */
import { Dec, type Decimal } from '../money/amount.js';

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/**
 * Escapes text for HTML content and attribute values.
 * @example esc('<b> & "x"') // '&lt;b&gt; &amp; &quot;x&quot;'
 */
export function esc(text: string | number): string {
  return String(text).replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

/**
 * A coordinate or length for SVG, with at most 2 decimals and no `-0`, so output is byte-stable.
 * @example px(12.3456) // '12.35'
 * @example px(-0.001) // '0'
 */
export function px(n: number): string {
  const r = Math.round(n * 100) / 100;
  return Object.is(r, -0) || r === 0 ? '0' : String(r);
}

/**
 * A whole number with thousands separators (counts of rows, clients, journeys).
 * @example count(1234567) // '1,234,567'
 */
export function count(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/**
 * An id for an HTML element from free text (letters, digits, `-`), stable for the same text.
 * @example slug('free-from-dependence', 'rate') // 'rate-free-from-dependence'
 */
export function slug(text: string, prefix: string): string {
  const s = text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
  // Different texts could share a slug (e.g. 'a.b' and 'a-b'): a short hash keeps them apart.
  let h = 0;
  for (let i = 0; i < text.length; i++) h = (Math.imul(h, 31) + text.charCodeAt(i)) >>> 0;
  return `${prefix}-${s || 'x'}-${h.toString(36)}`;
}

/**
 * Money for people, as the report shows it in prose and tables: a £ sign, thousands separated by
 * commas and pence always shown (`£1,234,567.89`). Amounts with fractions of a penny (a cost per
 * outcome, say) are rounded half away from zero. A negative amount is written with a minus sign
 * (U+2212) before the £, and an amount that rounds to zero is never `−£0.00`. Exact amounts stay in
 * the CSV files; this is only how they read.
 * @example pounds(money('2407700')) // '£2,407,700.00'
 * @example pounds(money('-0.5')) // '−£0.50'
 * @example pounds(decimal('1010.795')) // '£1,010.80'
 */
export function pounds(value: Decimal): string {
  const d = new Dec(value).toDecimalPlaces(2, Dec.ROUND_HALF_UP);
  const [whole, pence] = d.abs().toFixed(2).split('.') as [string, string];
  return `${d.isNegative() && !d.isZero() ? '\u2212' : ''}£${whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${pence}`;
}

const MONTH_NAMES = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/**
 * A date for people: `31 March 2015`.
 * @example longDate('2015-03-31') // '31 March 2015'
 */
export function longDate(iso: string): string {
  return `${+iso.slice(8, 10)} ${MONTH_NAMES[+iso.slice(5, 7) - 1]} ${iso.slice(0, 4)}`;
}

/** A numeric table cell (right-aligned), its text escaped. */
export const num = (s: string, attrs = ''): string => `<td class="num"${attrs}>${esc(s)}</td>`;
/** A money table cell, written with {@link pounds}. */
export const moneyCell = (d: Decimal, attrs = ''): string => num(pounds(d), attrs);
/** A row header cell, its text escaped. */
export const rowTh = (s: string, attrs = ''): string => `<th scope="row"${attrs}>${esc(s)}</th>`;
/** A column header cell holding HTML (escape text before passing it). */
export const colTh = (html: string, numeric = false): string => `<th scope="col"${numeric ? ' class="num"' : ''}>${html}</th>`;
