/**
 * Counting bytes four at a time (src/ingest/bytes.ts): the rows before a partition's slice, the
 * rows a partition uses.
 */
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { countByte } from '../../src/ingest/bytes.js';

it('countByte counts a byte exactly, at any offset and length (four bytes at a time)', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 200 }), fc.nat(7), fc.constantFrom(10, 13, 0, 1, 255, 0x8a), (bytes, skip, byte) => {
      const b = bytes.subarray(Math.min(skip, bytes.length));
      let n = 0;
      for (const x of b) if (x === byte) n++;
      expect(countByte(b, byte)).toBe(n);
    }),
  );
});
