/**
 * Figures for people, from the worker's plain strings: money as £1,234.56 (the same text as the
 * core's `formatPounds`), signed differences as +£1,200.00 / −£350.00, counts as 1,234.
 * @module
 */

/**
 * Pounds from a decimal string with 2 places: `1234.5` → `£1,234.50`, `-12.00` → `-£12.00`.
 * @example pounds('15375.00') // '£15,375.00'
 */
export function pounds(amount: string): string {
  const neg = amount.startsWith('-');
  const abs = neg ? amount.slice(1) : amount.startsWith('+') ? amount.slice(1) : amount;
  const [whole = '0', pence = ''] = abs.split('.');
  return `${neg ? '-' : ''}£${whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${(pence + '00').slice(0, 2)}`;
}

/**
 * A signed difference in pounds: `+£1,200.00`, `-£350.00`, `£0.00`.
 * @example signedPounds('+1200.00') // '+£1,200.00'
 */
export function signedPounds(amount: string): string {
  return amount.startsWith('+') ? `+${pounds(amount.slice(1))}` : pounds(amount);
}

/**
 * A whole number with thousands separators (British English).
 * @example count(12345) // '12,345'
 */
export function count(n: number): string {
  return n.toLocaleString('en-GB');
}

/**
 * Bytes for people: `1.6 MB`.
 * @example size(1621985) // '1.6 MB'
 */
export function size(bytes: number): string {
  if (bytes >= 1e9) return `${(bytes / 1e9).toFixed(1)} GB`;
  if (bytes >= 1e6) return `${(bytes / 1e6).toFixed(1)} MB`;
  if (bytes >= 1e3) return `${(bytes / 1e3).toFixed(0)} kB`;
  return `${bytes} bytes`;
}
