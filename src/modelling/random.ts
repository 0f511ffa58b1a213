/**
 * A small seeded pseudo-random generator (mulberry32) for forecasts: the same seed gives the same
 * sequence on every platform, so a seeded forecast is reproducible to the penny.
 * @module
 */

/**
 * A generator of numbers in [0, 1) from a 32-bit seed.
 * @example const next = seededRandom(42); next() // 0.6011037519201636 (always, for seed 42)
 */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
