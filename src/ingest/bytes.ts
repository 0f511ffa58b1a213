/**
 * Counting bytes, four at a time: the line breaks before a partition's slice of a file
 * (src/node/slices.ts), the rows a partition uses (src/pipeline/partition.ts). Browser-safe.
 * @module
 */

/**
 * Occurrences of `byte` in `b`, four bytes at a time (a byte equal to `byte` is a zero byte of
 * the word XOR `byte` repeated, found exactly by the carry-free test; a loop over bytes is several
 * times slower, and a search call per line more so).
 * @example countByte(new TextEncoder().encode('a\nb\n'), 10) // 2
 */
export function countByte(b: Uint8Array, byte: number): number {
  let n = 0;
  let i = 0;
  const end = b.length;
  // Bytes before a 4-byte boundary of the underlying buffer.
  while (i < end && (b.byteOffset + i) % 4 !== 0) if (b[i++] === byte) n++;
  const words = Math.floor((end - i) / 4);
  if (words > 0) {
    n += countInWords(new Uint32Array(b.buffer, b.byteOffset + i, words), Math.imul(byte, 0x01010101));
    i += words * 4;
  }
  while (i < end) if (b[i++] === byte) n++;
  return n;
}

/**
 * The bytes of `pattern` (one byte repeated) in the words `w`: a loop alone in its function, and
 * without a branch, one taken only at a match having had no type feedback when V8 compiled the loop
 * (see src/pipeline/partition.ts, on loops compiled while they run).
 */
function countInWords(w: Uint32Array, pattern: number): number {
  let n = 0;
  for (let j = 0; j < w.length; j++) {
    const x = w[j]! ^ pattern;
    // The high bit of each byte of x that is zero, moved to its low bit, the four added up (0 when none).
    const y = ~(((x & 0x7f7f7f7f) + 0x7f7f7f7f) | x | 0x7f7f7f7f);
    n += Math.imul(y >>> 7, 0x01010101) >>> 24;
  }
  return n;
}
