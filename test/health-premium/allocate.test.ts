import { Decimal } from 'decimal.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allocatePot } from '../../src/health-premium/allocate.js';

const D = Decimal.clone({ precision: 60 });
const total = (m: Map<string, string>) => [...m.values()].reduce((s, v) => s.plus(v), new D(0)).toFixed(2);

describe('allocatePot: largest remainder to the penny (R-HP-4, R-PAY-1)', () => {
  it('£100 in three equal shares: the odd penny goes to the first key in code point order', () => {
    expect([...allocatePot('100.00', [{ key: 'C', weight: 1 }, { key: 'A', weight: 1 }, { key: 'B', weight: 1 }])]).toEqual([
      ['A', '33.34'],
      ['B', '33.33'],
      ['C', '33.33'],
    ]);
  });

  it('pro rata to weights, with the largest remainder getting the leftover penny', () => {
    // exact shares in pence: 1000 × 1/6 = 166.67, × 2/6 = 333.33, × 3/6 = 500
    expect(Object.fromEntries(allocatePot('10.00', [{ key: 'A', weight: 1 }, { key: 'B', weight: 2 }, { key: 'C', weight: 3 }]))).toEqual({
      A: '1.67',
      B: '3.33',
      C: '5.00',
    });
  });

  it('on equal remainders the larger weight wins before the key', () => {
    // 1p shared 1:1:2 is 0.25, 0.25, 0.5: C (largest remainder) gets it.
    expect(Object.fromEntries(allocatePot('0.01', [{ key: 'A', weight: 1 }, { key: 'B', weight: 1 }, { key: 'C', weight: 2 }]))).toEqual({ A: '0.00', B: '0.00', C: '0.01' });
    // 3p shared 1:2 over keys 'B' (1) and 'A' (2): exact 1 and 2, nothing left over.
    expect(Object.fromEntries(allocatePot('0.03', [{ key: 'B', weight: 1 }, { key: 'A', weight: 2 }]))).toEqual({ A: '0.02', B: '0.01' });
    // 1p shared 1:1 by weights written differently ('1' vs '1.0') is a key tie: A.
    expect(Object.fromEntries(allocatePot('0.01', [{ key: 'B', weight: '1.0' }, { key: 'A', weight: '1' }]))).toEqual({ A: '0.01', B: '0.00' });
  });

  it('decimal weights are exact (no float dust)', () => {
    expect(Object.fromEntries(allocatePot('1.00', [{ key: 'A', weight: '0.1' }, { key: 'B', weight: '0.2' }]))).toEqual({ A: '0.33', B: '0.67' });
  });

  it('a zero weight gets nothing; all zero weights or no keys allocate nothing', () => {
    expect(Object.fromEntries(allocatePot('5.00', [{ key: 'A', weight: 0 }, { key: 'B', weight: 3 }]))).toEqual({ A: '0.00', B: '5.00' });
    expect(allocatePot('5.00', [{ key: 'A', weight: 0 }]).size).toBe(0);
    expect(allocatePot('5.00', []).size).toBe(0);
  });

  it('refuses fractions of a penny, negative weights and repeated keys', () => {
    expect(() => allocatePot('1.005', [{ key: 'A', weight: 1 }])).toThrow(RangeError);
    expect(() => allocatePot('1.00', [{ key: 'A', weight: -1 }])).toThrow(RangeError);
    expect(() => allocatePot('1.00', [{ key: 'A', weight: 1 }, { key: 'A', weight: 2 }])).toThrow(RangeError);
  });

  const weightsArb = fc.uniqueArray(
    fc.record({ key: fc.string({ minLength: 1, maxLength: 4 }), weight: fc.oneof(fc.nat({ max: 100_000 }), fc.integer({ min: 0, max: 99_999 }).map((n) => (n / 1000).toFixed(3))) }),
    { selector: (w) => w.key, maxLength: 12 },
  );
  const potArb = fc.bigInt({ min: 0n, max: 1_000_000_000_00n }).map((p) => new D(p.toString()).div(100).toFixed(2));

  it('sums exactly to the pot whenever any weight is positive (property)', () => {
    fc.assert(
      fc.property(potArb, weightsArb, (pot, weights) => {
        const m = allocatePot(pot, weights);
        if (weights.some((w) => new D(w.weight).gt(0))) expect(total(m)).toBe(new D(pot).toFixed(2));
        else expect(m.size).toBe(0);
      }),
      { numRuns: 300 },
    );
  });

  it('each part is within one penny of its exact share, and the order of the weights does not matter (property)', () => {
    fc.assert(
      fc.property(
        potArb,
        weightsArb.chain((w) => fc.tuple(fc.constant(w), fc.shuffledSubarray(w, { minLength: w.length, maxLength: w.length }))),
        (pot, [weights, shuffled]) => {
          const m = allocatePot(pot, weights);
          expect([...allocatePot(pot, shuffled)]).toEqual([...m]);
          const sum = weights.reduce((s, w) => s.plus(w.weight), new D(0));
          if (sum.isZero()) return;
          for (const w of weights) {
            const exact = new D(pot).times(w.weight).div(sum);
            expect(new D(m.get(w.key)!).minus(exact).abs().lt('0.01')).toBe(true);
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});
