/**
 * Tiny HTML helpers for the report: escaping and stable number formatting for SVG coordinates.
 * Everything the report shows passes through {@link esc}, so a provider id, a rejected value or a
 * scheme note can never become markup.
 * @module
 */

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
