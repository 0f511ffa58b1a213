import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Rng, hashInts } from '../../src/generate/random.js';

describe('xoshiro128** stream', () => {
  it('matches the reference C implementation from the state (1, 2, 3, 4)', () => {
    // Outputs of the reference xoshiro128starstar.c (Blackman & Vigna, prng.di.unimi.it) seeded with s = {1, 2, 3, 4}.
    const r = Rng.fromState(1, 2, 3, 4);
    const got = Array.from({ length: 8 }, () => r.u32());
    expect(got).toEqual([11520, 0, 5927040, 70819200, 2031721883, 1637235492, 1287239034, 3734860849]);
  });

  it('refuses the all-zero state', () => {
    expect(() => Rng.fromState(0, 0, 0, 0)).toThrow(RangeError);
  });

  it('is a function of its key: same key, same numbers; another key, other numbers', () => {
    const draw = (...key: number[]) => {
      const r = Rng.of(...key);
      return Array.from({ length: 16 }, () => r.u32());
    };
    expect(draw(2012, 7, 1)).toEqual(draw(2012, 7, 1));
    expect(draw(2012, 7, 1)).not.toEqual(draw(2012, 7, 2));
    expect(draw(2012, 7, 1)).not.toEqual(draw(2012, 8, 1));
    expect(draw(2012, 7, 1)).not.toEqual(draw(2013, 7, 1));
  });

  it('hashes key order and high bits', () => {
    expect(hashInts([1, 2])).not.toBe(hashInts([2, 1]));
    expect(hashInts([2 ** 32 + 5])).not.toBe(hashInts([5]));
  });

  it('int(min, max) stays inside [min, max] (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 32 - 1 }), fc.integer({ min: -1000, max: 1000 }), fc.integer({ min: 0, max: 1000 }), (seed, min, span) => {
        const r = Rng.of(seed);
        for (let i = 0; i < 50; i++) {
          const x = r.int(min, min + span);
          expect(Number.isInteger(x) && x >= min && x <= min + span).toBe(true);
        }
      }),
    );
  });

  it('buckets() draws inside one of its buckets, weighted (property + rough frequency)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 32 - 1 }), (seed) => {
        const r = Rng.of(seed);
        for (let i = 0; i < 50; i++) {
          const x = r.buckets([[0, 9, 1], [100, 199, 3]]);
          expect((x >= 0 && x <= 9) || (x >= 100 && x <= 199)).toBe(true);
        }
      }),
    );
    const r = Rng.of(99);
    let high = 0;
    for (let i = 0; i < 20000; i++) if (r.buckets([[0, 9, 1], [100, 199, 3]]) >= 100) high++;
    expect(high / 20000).toBeGreaterThan(0.72);
    expect(high / 20000).toBeLessThan(0.78);
  });

  it('next() is roughly uniform on [0, 1)', () => {
    const r = Rng.of(1);
    const bins = new Array(10).fill(0);
    for (let i = 0; i < 50000; i++) {
      const x = r.next();
      expect(x >= 0 && x < 1).toBe(true);
      bins[Math.floor(x * 10)]++;
    }
    for (const b of bins) expect(Math.abs(b - 5000)).toBeLessThan(300);
  });
});
