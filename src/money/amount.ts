/**
 * Money amounts (R-PAY-1): exact decimals through a private `Decimal.clone()`, so no caller's
 * global decimal.js configuration can change a result, and no JS number ever holds money.
 * Amounts are pounds with pence; each payable item is rounded to the penny when it is created.
 * @module
 */
import { Decimal as DecimalJs } from 'decimal.js';

/**
 * The private decimal constructor: 60 significant digits (far beyond any money amount or rate we
 * handle, so sums and products of prices and counts are exact) and plain notation in `toString`.
 */
export const Dec = DecimalJs.clone({ precision: 60, rounding: DecimalJs.ROUND_HALF_UP, toExpNeg: -60, toExpPos: 60 });

/** An exact decimal (money, rate, share or factor). Instances of any decimal.js constructor are accepted. */
export type Decimal = DecimalJs;

/** What may be turned into a decimal: a decimal string, a Decimal, or a JS number for counts and ratios (never money). */
export type DecimalInput = string | number | DecimalJs;

/** How a payable item is rounded to the penny (R-PAY-1); `half_up` by default. `up`/`down` are away from / towards zero. */
export type RoundingMode = 'half_up' | 'half_even' | 'half_down' | 'up' | 'down';

const MODES: Record<RoundingMode, DecimalJs.Rounding> = {
  half_up: DecimalJs.ROUND_HALF_UP,
  half_even: DecimalJs.ROUND_HALF_EVEN,
  half_down: DecimalJs.ROUND_HALF_DOWN,
  up: DecimalJs.ROUND_UP,
  down: DecimalJs.ROUND_DOWN,
};

/** Zero pounds. */
export const ZERO: Decimal = new Dec(0);
/** One penny. */
export const PENNY: Decimal = new Dec('0.01');

/**
 * An exact decimal from a string, a Decimal or a (count/ratio) number.
 * @example decimal('0.25').times(4).toString() // '1'
 */
export function decimal(value: DecimalInput): Decimal {
  if (typeof value === 'number' && !Number.isFinite(value)) throw new RangeError(`${value} is not a finite number`);
  return new Dec(value);
}

/**
 * A money amount from a decimal string such as `"1200.00"` (or a Decimal). Throws on anything
 * that is not a plain decimal, so a typo never becomes a price.
 * @example money('150').toFixed(2) // '150.00'
 */
export function money(value: string | Decimal): Decimal {
  if (typeof value === 'string') {
    const s = value.trim();
    if (!/^-?(\d+(\.\d*)?|\.\d+)$/.test(s)) throw new RangeError(`'${value}' is not an amount; write it like "1200.00"`);
    return new Dec(s);
  }
  return new Dec(value);
}

/**
 * Rounds to the penny with the scheme's rounding mode (R-PAY-1).
 * @example roundToPenny(decimal('10.005')).toFixed(2) // '10.01'
 * @example roundToPenny(decimal('10.005'), 'half_even').toFixed(2) // '10.00'
 */
export function roundToPenny(value: Decimal, mode: RoundingMode = 'half_up'): Decimal {
  return new Dec(value).toDecimalPlaces(2, MODES[mode]);
}

/**
 * Rounds to a whole number with a rounding mode (for counts derived from decimals).
 * @example roundTo(decimal('2.5'), 0, 'half_even').toString() // '2'
 */
export function roundTo(value: Decimal, places: number, mode: RoundingMode = 'half_up'): Decimal {
  return new Dec(value).toDecimalPlaces(places, MODES[mode]);
}

/**
 * Money as a plain decimal with exactly 2 places (SPEC §4), never `-0.00` and never exponent notation.
 * @example formatMoney(money('1200')) // '1200.00'
 */
export function formatMoney(value: Decimal): string {
  const d = new Dec(value);
  if (d.isZero()) return '0.00';
  return d.toFixed(2, DecimalJs.ROUND_HALF_UP);
}

/**
 * Money for people: thousands separated by commas and a £ sign, e.g. for printed tables.
 * @example formatPounds(money('12345.5')) // '£12,345.50'
 */
export function formatPounds(value: Decimal): string {
  const s = formatMoney(value);
  const neg = s.startsWith('-');
  const [whole, pence] = (neg ? s.slice(1) : s).split('.') as [string, string];
  return `${neg ? '-' : ''}£${whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${pence}`;
}

/**
 * The exact sum of amounts.
 * @example sumMoney([money('0.10'), money('0.20')]).toFixed(2) // '0.30'
 */
export function sumMoney(values: Iterable<Decimal>): Decimal {
  let s: Decimal = ZERO;
  for (const v of values) s = s.plus(v);
  return s;
}

/**
 * Is this a whole number of pence?
 * @example isWholePence(money('1.005')) // false
 */
export function isWholePence(value: Decimal): boolean {
  // Read off the value's digits: no product made (the allocator asks for every payments.csv row).
  return value.isFinite() && value.decimalPlaces() <= 2;
}

/**
 * An amount in pence as a BigInt (exact integer arithmetic for allocation); throws on fractions of a penny.
 * @example toPence(money('12.34')) // 1234n
 */
export function toPence(value: Decimal): bigint {
  const p = new Dec(value).times(100);
  if (!p.isInteger()) throw new RangeError(`${value.toString()} is not a whole number of pence; round it to the penny first`);
  return BigInt(p.toFixed(0));
}

/**
 * Pence (BigInt) back to an amount in pounds.
 * @example fromPence(1234n).toFixed(2) // '12.34'
 */
export function fromPence(pence: bigint): Decimal {
  return new Dec(pence.toString()).dividedBy(100);
}

/**
 * The larger of two amounts.
 * @example maxMoney(money('1'), money('2')).toString() // '2'
 */
export function maxMoney(a: Decimal, b: Decimal): Decimal {
  return a.greaterThanOrEqualTo(b) ? a : b;
}

/**
 * The smaller of two amounts.
 * @example minMoney(money('1'), money('2')).toString() // '1'
 */
export function minMoney(a: Decimal, b: Decimal): Decimal {
  return a.lessThanOrEqualTo(b) ? a : b;
}
