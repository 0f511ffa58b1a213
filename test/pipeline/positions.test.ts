import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { partOf, positionOf, rowOf } from '../../src/pipeline/positions.js';

describe('row positions (R-VAL-1)', () => {
  it('gives back the part and row of a position, for every part of a folder and every row below 2³²', () => {
    const part = fc.integer({ min: 0, max: 1 << 20 });
    const row = fc.integer({ min: 0, max: 2 ** 32 - 1 });
    fc.assert(
      fc.property(part, row, (p, r) => {
        const pos = positionOf(p, r);
        expect(partOf(pos)).toBe(p);
        expect(rowOf(pos)).toBe(r);
      }),
    );
    expect(rowOf(positionOf(0, 2 ** 32 - 1))).toBe(2 ** 32 - 1);
    expect(rowOf(positionOf(1 << 20, 0))).toBe(0);
    expect(partOf(positionOf(1 << 20, 2 ** 32 - 1))).toBe(1 << 20);
  });

  it('orders positions as rows are read: parts in order, then rows', () => {
    const at = fc.tuple(fc.integer({ min: 0, max: 1000 }), fc.integer({ min: 0, max: 2 ** 32 - 1 }));
    fc.assert(
      fc.property(at, at, ([p1, r1], [p2, r2]) => {
        expect(Math.sign(positionOf(p1, r1) - positionOf(p2, r2))).toBe(Math.sign(p1 - p2 || r1 - r2));
      }),
    );
  });
});
