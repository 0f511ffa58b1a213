/**
 * Sharing a sum of money pro rata to weights, to the penny, summing exactly (R-HP-4, R-PAY-1
 * largest remainder).
 *
 * NOTE for the merge: this is a local largest-remainder allocation over decimal pence because the
 * shared money module (`src/money`) is not on this branch yet; swap it in when merging, keeping the
 * tie-break documented below.
 * @module
 */
import { Decimal } from 'decimal.js';
import { compareCodePoint } from '../calendar/index.js';

// Integer arithmetic on pence × scaled weights: wide enough for a £1bn pot and weights with up to
// 20 significant digits. Private clone so no global configuration leaks.
const D = Decimal.clone({ precision: 120, rounding: Decimal.ROUND_DOWN });

/** One claimant of a share: a key (e.g. an area code) and its weight (≥ 0). */
export interface AllocationWeight<K extends string = string> {
  key: K;
  weight: Decimal.Value;
}

/**
 * Shares `pot` (pounds, at most 2 decimal places) among `weights` pro rata, to the penny, by the
 * largest-remainder method: each key first gets the whole pence of its exact share
 * pot × weight / Σ weights (rounded down), then the pence left over go one each to the largest
 * remainders. Ties: the larger weight first, then the key in code point order (R-JNY-5), so the
 * result never depends on the order of `weights`. The parts always sum exactly to the pot. With no
 * keys, or when every weight is 0, nothing is allocated (an empty map): the caller reports the pot
 * as unallocated. Keys must be distinct; weights must be ≥ 0.
 * @example
 * allocatePot('100.00', [{ key: 'A', weight: 1 }, { key: 'B', weight: 1 }, { key: 'C', weight: 1 }])
 * // Map { 'A' => '33.34', 'B' => '33.33', 'C' => '33.33' }
 */
export function allocatePot<K extends string>(pot: Decimal.Value, weights: readonly AllocationWeight<K>[]): Map<K, string> {
  const potD = new D(pot);
  if (potD.isNeg() || !potD.times(100).isInteger()) throw new RangeError(`allocatePot: pot must be ≥ 0 with at most 2 decimal places, got ${potD.toString()}`);
  const seen = new Set<string>();
  const items = weights.map((w) => {
    if (seen.has(w.key)) throw new RangeError(`allocatePot: key '${w.key}' is listed twice`);
    seen.add(w.key);
    const weight = new D(w.weight);
    if (weight.isNeg() || !weight.isFinite()) throw new RangeError(`allocatePot: weight of '${w.key}' must be ≥ 0, got ${weight.toString()}`);
    return { key: w.key, weight };
  });
  const out = new Map<K, string>();
  if (items.length === 0) return out;
  // Scale weights to integers so every share is an exact fraction of integers.
  const places = Math.max(0, ...items.map((i) => i.weight.decimalPlaces()));
  const scale = new D(10).pow(places);
  const ints = items.map((i) => ({ key: i.key, weight: i.weight, w: i.weight.times(scale) }));
  const total = ints.reduce((s, i) => s.plus(i.w), new D(0));
  if (total.isZero()) return out;
  const pence = potD.times(100);
  const parts = ints.map((i) => {
    const exact = pence.times(i.w); // share in pence = exact / total
    const whole = exact.divToInt(total);
    return { key: i.key, weight: i.weight, pence: whole, remainder: exact.minus(whole.times(total)) };
  });
  let left = pence.minus(parts.reduce((s, p) => s.plus(p.pence), new D(0))).toNumber();
  const order = [...parts].sort(
    (a, b) => b.remainder.comparedTo(a.remainder) || b.weight.comparedTo(a.weight) || compareCodePoint(a.key, b.key),
  );
  for (const p of order) {
    if (left <= 0) break;
    p.pence = p.pence.plus(1);
    left--;
  }
  // Keys in code point order, so iterating the map is deterministic too.
  for (const p of [...parts].sort((a, b) => compareCodePoint(a.key, b.key))) out.set(p.key, p.pence.div(100).toFixed(2));
  return out;
}
