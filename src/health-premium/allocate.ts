/**
 * Sharing the Health Premium pot among areas pro rata to weights, to the penny, summing exactly
 * (R-HP-4), with the money module's largest-remainder {@link allocate} (R-PAY-1).
 * @module
 */
import { compareCodePoint } from '../calendar/index.js';
import { allocate, decimal, formatMoney, isWholePence, type DecimalInput } from '../money/index.js';

/** One claimant of a share: a key (e.g. an area code) and its weight (≥ 0). */
export interface AllocationWeight<K extends string = string> {
  key: K;
  weight: DecimalInput;
}

/**
 * Shares `pot` (pounds, at most 2 decimal places) among `weights` pro rata, to the penny, by the
 * largest-remainder method. Ties for a leftover penny go to the larger weight, then the key in code
 * point order (R-JNY-5), so the result never depends on the order of `weights`: the claimants are
 * handed to `allocate` in that order, whose ties go to the earlier part. The parts always sum
 * exactly to the pot. With no keys, or when every weight is 0, nothing is allocated (an empty map):
 * the caller reports the pot as unallocated. Keys must be distinct; weights must be ≥ 0.
 * @example
 * allocatePot('100.00', [{ key: 'A', weight: 1 }, { key: 'B', weight: 1 }, { key: 'C', weight: 1 }])
 * // Map { 'A' => '33.34', 'B' => '33.33', 'C' => '33.33' }
 */
export function allocatePot<K extends string>(pot: DecimalInput, weights: readonly AllocationWeight<K>[]): Map<K, string> {
  const potD = decimal(pot);
  if (potD.isNeg() || !isWholePence(potD)) throw new RangeError(`allocatePot: pot must be ≥ 0 with at most 2 decimal places, got ${potD.toString()}`);
  const seen = new Set<string>();
  const items = weights.map((w) => {
    if (seen.has(w.key)) throw new RangeError(`allocatePot: key '${w.key}' is listed twice`);
    seen.add(w.key);
    const weight = decimal(w.weight);
    if (weight.isNeg() || !weight.isFinite()) throw new RangeError(`allocatePot: weight of '${w.key}' must be ≥ 0, got ${weight.toString()}`);
    return { key: w.key, weight };
  });
  const out = new Map<K, string>();
  if (items.length === 0 || items.every((i) => i.weight.isZero())) return out;
  items.sort((a, b) => b.weight.comparedTo(a.weight) || compareCodePoint(a.key, b.key));
  const parts = allocate(potD, items.map((i) => i.weight));
  // Keys in code point order, so iterating the map is deterministic too.
  const byKey = items.map((i, n) => ({ key: i.key, amount: parts[n]! })).sort((a, b) => compareCodePoint(a.key, b.key));
  for (const p of byKey) out.set(p.key, formatMoney(p.amount));
  return out;
}
