/**
 * A small seeded pseudo-random number generator for the synthetic data generator: xoshiro128**
 * (Blackman & Vigna) seeded through splitmix32. Everything is 32-bit integer arithmetic
 * (`Math.imul`, shifts) and exactly rounded IEEE operations, so the same seed gives the same
 * numbers on every machine and in every browser. Nothing here calls `Math.random`, the clock, or
 * a transcendental function (`Math.log`, `Math.exp` may differ in the last bit between engines).
 *
 * Each client gets its own stream derived from (seed, client index, stream number), so clients can
 * be generated independently, in any order and in any chunking.
 * @module
 */

/** splitmix32 step: a well-mixed 32-bit value from a 32-bit state (used to seed and to hash). */
function mix32(x: number): number {
  x = (x + 0x9e3779b9) | 0;
  let z = x;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/**
 * A 32-bit hash of a list of non-negative integers (each taken modulo 2^32, plus its high part
 * when above 2^32), order-sensitive.
 * @example hashInts([2012, 7, 1]) === hashInts([2012, 7, 1]) // true
 */
export function hashInts(values: readonly number[]): number {
  let h = 0x2545f491;
  for (const v of values) {
    const lo = v >>> 0;
    const hi = Math.floor(v / 4294967296) >>> 0;
    h = mix32(h ^ lo);
    h = mix32(h ^ hi);
  }
  return h;
}

/**
 * Seeded random stream (xoshiro128**). Construct with {@link Rng.of}.
 * @example const r = Rng.of(2012, 0, 1); r.int(1, 6) // a die roll, the same on every machine
 */
export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  private constructor(a: number, b: number, c: number, d: number) {
    this.a = a | 0;
    this.b = b | 0;
    this.c = c | 0;
    this.d = d | 0;
  }

  /**
   * The stream for a key such as (seed, client index, stream number): the key is hashed, then
   * expanded by splitmix32 into the 128-bit state (never all zero).
   * @example Rng.of(2012, 41, 1).next()
   */
  static of(...key: number[]): Rng {
    let s = hashInts(key);
    const a = (s = mix32(s));
    const b = (s = mix32(s));
    const c = (s = mix32(s));
    const d = mix32(s) | 1;
    return new Rng(a, b, c, d);
  }

  /**
   * A stream from a raw xoshiro128** state (not all zero), e.g. to check against the reference
   * implementation's published outputs.
   * @example Rng.fromState(1, 2, 3, 4).u32() // 11520
   */
  static fromState(a: number, b: number, c: number, d: number): Rng {
    if ((a | b | c | d) === 0) throw new RangeError('xoshiro128** state must not be all zero');
    return new Rng(a, b, c, d);
  }

  /** Next raw 32-bit unsigned integer. */
  u32(): number {
    const result = Math.imul(rotl(Math.imul(this.b, 5), 7), 9) >>> 0;
    const t = this.b << 9;
    this.c ^= this.a;
    this.d ^= this.b;
    this.b ^= this.c;
    this.a ^= this.d;
    this.c ^= t;
    this.d = rotl(this.d, 11);
    return result;
  }

  /** A number in [0, 1) with 32 bits of precision. */
  next(): number {
    return this.u32() / 4294967296;
  }

  /** True with probability `p`. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  /** An integer in [min, max] (both inclusive), uniform. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** One element of a non-empty list, uniform. */
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }

  /**
   * One value by weight: `[[value, weight], ...]` (weights need not sum to 1).
   * @example r.weighted([['opiate', 50], ['alcohol', 30]])
   */
  weighted<T>(table: readonly (readonly [T, number])[]): T {
    let total = 0;
    for (const [, w] of table) total += w;
    let x = this.next() * total;
    for (const [v, w] of table) {
      if (x < w) return v;
      x -= w;
    }
    return table[table.length - 1]![0];
  }

  /**
   * An integer from a piecewise-uniform distribution: `[[min, max, weight], ...]` picks a bucket by
   * weight, then a whole number uniformly inside it. Used for durations and counts, because every
   * assumption is then a readable table.
   * @example r.buckets([[14, 90, 10], [90, 365, 40], [365, 1460, 50]])
   */
  buckets(table: readonly (readonly [number, number, number])[]): number {
    let total = 0;
    for (const [, , w] of table) total += w;
    let x = this.next() * total;
    for (const [lo, hi, w] of table) {
      if (x < w) return this.int(lo, hi);
      x -= w;
    }
    const last = table[table.length - 1]!;
    return this.int(last[0], last[1]);
  }

  /** A whole number in [min, max], peaked in the middle (mean of two uniforms: triangular). */
  around(min: number, max: number): number {
    return Math.round(min + ((this.next() + this.next()) / 2) * (max - min));
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
