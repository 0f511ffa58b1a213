/**
 * Largest-remainder allocation (R-PAY-1, R-PAY-4, R-PAY-6): splits an amount into parts
 * proportional to ratios, to the penny, so that the parts always sum to the whole — never a penny
 * lost or invented.
 *
 * Method: in exact integer arithmetic (BigInt pence, ratios scaled to integers), each part first
 * gets the floor of its exact share; the pence left over go one each to the parts with the largest
 * remainders. Ties go to the part listed first (the earliest period, the first payer as the scheme
 * lists them), so the result is deterministic. A negative amount is allocated as its magnitude
 * and negated.
 * @module
 */
import { Dec, ZERO, decimal, fromPence, isWholePence, toPence, type Decimal, type DecimalInput } from './amount.js';

/** Scales decimal ratios to BigInt integers with a common power of ten. */
function scaledRatios(ratios: readonly DecimalInput[]): bigint[] {
  const ds = ratios.map((r, i) => {
    const d = decimal(r);
    if (d.isNegative() && !d.isZero()) throw new RangeError(`ratio ${i + 1} is negative (${d.toString()}); ratios must be 0 or more`);
    return d;
  });
  const places = Math.max(0, ...ds.map((d) => d.decimalPlaces()));
  return ds.map((d) => BigInt(d.times(new Dec(10).pow(places)).toFixed(0)));
}

/**
 * Allocates integer units (e.g. pence) in proportion to integer weights, largest remainder,
 * ties to the earlier index. `units` must be ≥ 0; the weights must not all be zero.
 * @example allocateUnits(10n, [1n, 1n, 1n]) // [4n, 3n, 3n]
 */
export function allocateUnits(units: bigint, weights: readonly bigint[]): bigint[] {
  if (units < 0n) throw new RangeError('allocateUnits needs units ≥ 0');
  const total = weights.reduce((s, w) => s + w, 0n);
  if (weights.length === 0 || total === 0n) throw new RangeError('cannot allocate over ratios that are all zero (or none)');
  const parts = weights.map((w) => (units * w) / total);
  const rems = weights.map((w, i) => units * w - parts[i]! * total);
  let left = units - parts.reduce((s, p) => s + p, 0n);
  // Indices by remainder, largest first; ties keep list order (earliest first).
  const order = weights.map((_, i) => i).sort((a, b) => (rems[a]! > rems[b]! ? -1 : rems[a]! < rems[b]! ? 1 : a - b));
  for (let k = 0; left > 0n; k++, left--) parts[order[k % order.length]!]! += 1n;
  return parts;
}

/**
 * Splits `amount` (a whole number of pence) into parts proportional to `ratios`, to the penny, by
 * largest remainder; the parts sum exactly to `amount`. Ties go to the earlier ratio.
 * Throws if the amount has fractions of a penny, a ratio is negative, or all ratios are zero.
 * @example allocate(money('100.00'), [1, 1, 1]).map(formatMoney) // ['33.34', '33.33', '33.33']
 * @example allocate(money('10.00'), ['0.8', '0.2']).map(formatMoney) // ['8.00', '2.00']
 */
export function allocate(amount: Decimal | string, ratios: readonly DecimalInput[]): Decimal[] {
  const pence = toPence(decimal(amount));
  return splitPence(pence, scaledRatios(ratios));
}

/**
 * {@link allocate} with its ratios fixed: they are checked and scaled once, for splitting many
 * amounts the same way (a scheme's payers, R-PAY-6). Same parts as `allocate(amount, ratios)`.
 * @example const thirds = allocator([1, 1, 1]); thirds(money('100.00')).map(formatMoney) // ['33.34', '33.33', '33.33']
 */
export function allocator(ratios: readonly DecimalInput[]): (amount: Decimal | string) => Decimal[] {
  const weights = scaledRatios(ratios);
  // One share (a scheme with one payer, R-PAY-6): the one part is the whole amount, once it is
  // known to be a whole number of pence — the value and print the round trip through pence gives,
  // without it (payments.csv splits every row: about a tenth of a second at the end of a national run).
  if (weights.length === 1 && weights[0]! > 0n) return (amount) => [wholePence(decimal(amount))];
  return (amount) => splitPence(toPence(decimal(amount)), weights);
}

/**
 * `amount` when it is a whole number of pence (zero as ZERO, never negative zero); else the round
 * trip through pence, as for several shares: toPence refuses a fraction of a penny (and rounds, at
 * the arithmetic's precision, an amount of more significant digits than it keeps).
 */
function wholePence(amount: Decimal): Decimal {
  if (!isWholePence(amount)) return fromPence(toPence(amount));
  return amount.isZero() ? ZERO : amount;
}

/** Whole pence split by integer weights (a negative amount as its magnitude, negated). */
function splitPence(pence: bigint, weights: readonly bigint[]): Decimal[] {
  const neg = pence < 0n;
  const parts = allocateUnits(neg ? -pence : pence, weights);
  // Nothing to share (a payment with nothing capped) is zero in every part.
  return parts.map((p) => (p === 0n ? ZERO : fromPence(neg ? -p : p)));
}

/**
 * Splits `amount` into `n` equal parts to the penny (largest remainder: the earliest parts get
 * the extra pence), e.g. a contract's fixed part into instalments (R-PAY-4).
 * @example equalInstalments(money('1000.00'), 3).map(formatMoney) // ['333.34', '333.33', '333.33']
 */
export function equalInstalments(amount: Decimal | string, n: number): Decimal[] {
  if (!Number.isInteger(n) || n < 1) throw new RangeError('the number of instalments must be a whole number ≥ 1');
  return allocate(amount, new Array<number>(n).fill(1));
}
