/**
 * Interning (src/ingest/intern.ts): the tables that number a data set's ids and memoise field
 * parsing by a cell's bytes. The law: equal bytes (strings) get equal indexes, different bytes
 * (strings) different ones, numbered 0, 1, 2… in first-seen order — through the table's growth and
 * through hash collisions — so a memoised parse can never hand one cell's answer to another.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ByteIntern, StringIntern, compareBytes, grow, hashBytes } from '../../src/ingest/intern.js';
import { compareCodePoint } from '../../src/calendar/index.js';

const enc = new TextEncoder();
const dec = new TextDecoder();

/**
 * Byte strings, many of them repeated (few distinct values) or not (many), and in runs of the same
 * value (as a client's rows come together in a file: the table checks the last entry first).
 */
const valuesArb = fc.oneof(
  fc.array(fc.string({ unit: fc.constantFrom('a', 'b', '1', 'é', '😀'), maxLength: 4 }), { maxLength: 400 }),
  fc.array(fc.string({ unit: 'binary', maxLength: 12 }), { maxLength: 400 }),
  fc
    .array(fc.tuple(fc.string({ unit: fc.constantFrom('a', 'b', 'ab'), maxLength: 3 }), fc.integer({ min: 1, max: 4 })), { maxLength: 100 })
    .map((runs) => runs.flatMap(([v, n]) => Array.from({ length: n }, () => v))),
);

/** Strings of UTF-16 code units around the surrogates, lone halves included (not UTF-8 as they are). */
const unitsArb = fc.array(fc.string({ unit: fc.integer({ min: 0xd7fe, max: 0xe001 }).map((c) => String.fromCharCode(c)), maxLength: 3 }), { maxLength: 100 });

/** The index a reference map gives each value: first-seen order. */
function referenceIndexes(values: readonly string[]): number[] {
  const m = new Map<string, number>();
  return values.map((v) => {
    if (!m.has(v)) m.set(v, m.size);
    return m.get(v)!;
  });
}

describe('ByteIntern', () => {
  it('gives equal bytes the same index and different bytes different indexes, in first-seen order, through growth', () => {
    fc.assert(
      fc.property(valuesArb, fc.integer({ min: 1, max: 64 }), fc.nat({ max: 5 }), (values, expected, pad) => {
        // The bytes sit at an offset inside a larger buffer, as a cell sits in a CSV record.
        const t = new ByteIntern(expected);
        const got = values.map((v) => {
          const b = enc.encode(v);
          const buf = new Uint8Array(pad + b.length + pad).fill(0x2c);
          buf.set(b, pad);
          return t.indexOf(buf, pad, pad + b.length);
        });
        expect(got).toEqual(referenceIndexes(values));
        const distinct = [...new Set(values)];
        expect(t.size).toBe(distinct.length);
        distinct.forEach((v, k) => {
          const b = enc.encode(v);
          expect(t.find(b, 0, b.length)).toBe(k);
          expect(dec.decode(t.bytesOf(k))).toBe(v);
        });
      }),
      { numRuns: 150 },
    );
  });

  it('tells apart ids that differ in any one byte, read from one buffer written over for each lookup (as a reader reuses its buffer)', () => {
    // Lengths around the four bytes compared at a time, ids of two letters (so that many differ in
    // one byte only, anywhere: the first word, a middle one, the last four, the bytes the last word
    // and the one before share), at any offset in the buffer; now and then from a second buffer.
    const id = fc.string({ unit: fc.constantFrom('a', 'b'), minLength: 0, maxLength: 13 });
    fc.assert(
      fc.property(fc.array(fc.tuple(id, fc.nat({ max: 7 }), fc.boolean()), { maxLength: 200 }), (cells) => {
        const t = new ByteIntern(4);
        const bufs = [new Uint8Array(32), new Uint8Array(32)];
        const got = cells.map(([v, at, other]) => {
          const buf = bufs[other ? 1 : 0]!;
          buf.fill(0x2c);
          buf.set(enc.encode(v), at);
          return t.indexOf(buf, at, at + v.length);
        });
        expect(got).toEqual(referenceIndexes(cells.map(([v]) => v)));
      }),
      { numRuns: 200 },
    );
  });

  it('holds: every length to 40, at every offset, in arrays at any byteOffset of plain and shared buffers, one byte changed anywhere', () => {
    // Exhaustive where the random tests are not: an entry is compared with bytes that differ from
    // it in exactly one byte (each place, three ways) or in length, as a reader's cell is.
    const t = new ByteIntern(4);
    const ids: Uint8Array[] = [];
    for (let n = 0; n <= 40; n++) {
      const id = new Uint8Array(n).map((_, i) => 0x41 + ((i * 7 + n) % 26));
      ids.push(id);
      expect(t.indexOf(id, 0, n)).toBe(n);
    }
    const wrong: string[] = [];
    for (const Buf of [ArrayBuffer, SharedArrayBuffer]) {
      for (const byteOffset of [0, 1, 3, 5]) {
        const bytes = new Uint8Array(new Buf(byteOffset + 64), byteOffset, 56);
        for (let n = 0; n <= 40; n++) {
          for (const at of [0, 1, 2, 3, 7, 16 - (n % 4)]) {
            bytes.fill(0x2c);
            bytes.set(ids[n]!, at);
            if (!t.holds(n, bytes, at, at + n)) wrong.push(`${Buf.name}+${byteOffset} n=${n} at=${at}: equal not held`);
            if (n > 0 && t.holds(n, bytes, at, at + n - 1)) wrong.push(`n=${n}: shorter held`);
            for (let i = 0; i < n; i++) {
              for (const flip of [0x01, 0x80, 0xff]) {
                bytes[at + i]! ^= flip;
                if (t.holds(n, bytes, at, at + n)) wrong.push(`${Buf.name}+${byteOffset} n=${n} at=${at}: byte ${i} ^ ${flip} held`);
                bytes[at + i]! ^= flip;
              }
            }
          }
        }
      }
    }
    expect(wrong).toEqual([]);
    // Bytes asked for beyond the array's end are not an entry (and do not throw).
    const short = new Uint8Array(8);
    short.set(ids[8]!);
    expect(t.holds(8, short, 4, 12)).toBe(false);
  });

  it('find says -1 for bytes never added, and adds nothing', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.string({ maxLength: 6 }), { maxLength: 60 }), (values) => {
        const [absent, ...present] = values;
        const t = new ByteIntern(4);
        for (const v of present) t.indexOf(enc.encode(v), 0, enc.encode(v).length);
        if (absent !== undefined) expect(t.find(enc.encode(absent), 0, enc.encode(absent).length)).toBe(-1);
        expect(t.size).toBe(present.length);
      }),
      { numRuns: 100 },
    );
  });

  it('keeps apart byte strings whose hashes are equal (FNV-1a collisions among client ids)', () => {
    const [a, b] = ['C0139599', 'C0322382'];
    const ba = enc.encode(a);
    const bb = enc.encode(b);
    expect(hashBytes(ba, 0, ba.length)).toBe(hashBytes(bb, 0, bb.length));
    const t = new ByteIntern(1);
    expect(t.indexOf(ba, 0, ba.length)).toBe(0);
    expect(t.find(bb, 0, bb.length)).toBe(-1);
    expect(t.indexOf(bb, 0, bb.length)).toBe(1);
    expect([t.indexOf(ba, 0, ba.length), t.indexOf(bb, 0, bb.length)]).toEqual([0, 1]);
    expect(dec.decode(t.bytesOf(1))).toBe(b);
  });

  it('holds a cohort of ids (50,000 distinct, each seen twice, from a table sized for 16)', () => {
    const t = new ByteIntern(16);
    const ids = Array.from({ length: 50_000 }, (_, i) => enc.encode(`C${String(i * 7919 % 1_000_000).padStart(7, '0')}`));
    const firstPass = ids.filter((b, i) => t.indexOf(b, 0, b.length) !== i).length;
    // Second pass: every id found again (none added); the empty string is a value of its own.
    const secondPass = ids.filter((b, i) => t.indexOf(b, 0, b.length) !== i || t.find(b, 0, b.length) !== i).length;
    expect([firstPass, secondPass]).toEqual([0, 0]);
    expect(t.size).toBe(ids.length);
    expect(t.indexOf(new Uint8Array(0), 0, 0)).toBe(ids.length);
    expect(t.find(new Uint8Array(3), 1, 1)).toBe(ids.length);
  });
});

describe('ByteIntern.surelyAbsent: a filter that never leaves out an entry', () => {
  it('never says "surely absent" of an entry, with entries added between lookups (the filter grows and takes them in)', () => {
    fc.assert(
      // Long enough (size 'max') that the filter is made again larger, more than once, between lookups.
      fc.property(fc.array(fc.tuple(fc.boolean(), fc.string({ unit: fc.constantFrom('a', 'b', 'C', '1', '-', 'é'), maxLength: 6 })), { minLength: 100, maxLength: 600, size: 'max' }), (steps) => {
        const t = new ByteIntern(4);
        const added = new Set<string>();
        for (const [add, v] of steps) {
          const b = enc.encode(v);
          if (add) {
            t.indexOf(b, 0, b.length);
            added.add(v);
          }
          // Said of every value, added or not: "surely absent" only of one never added.
          if (t.surelyAbsent(b, 0, b.length)) expect(added.has(v)).toBe(false);
        }
        for (const a of added) expect(t.surelyAbsent(enc.encode(a), 0, enc.encode(a).length)).toBe(false);
      }),
      // Shrinking hundreds of steps takes minutes: the failing case as found is reported at once.
      { numRuns: 60, endOnFailure: true },
    );
  });

  it('asked after every add, through every time the filter is made again (5,000 ids): never "surely absent" of one added', () => {
    const t = new ByteIntern(4);
    const id = (i: number) => enc.encode(`C${(i * 7919) % 100_000}`);
    let wrong = 0;
    for (let i = 0; i < 5_000; i++) {
      t.indexOf(id(i), 0, id(i).length);
      if (t.surelyAbsent(id(i), 0, id(i).length)) wrong++;
      // An id added long before, through the filter's growth.
      if (t.surelyAbsent(id(i >> 1), 0, id(i >> 1).length)) wrong++;
    }
    expect(wrong).toBe(0);
    for (let i = 0; i < 5_000; i++) if (t.surelyAbsent(id(i), 0, id(i).length)) wrong++;
    expect(wrong).toBe(0);
  });

  it('says "surely absent" of nearly every id not added (20,000 ids in, 20,000 others asked)', () => {
    const t = new ByteIntern(16);
    const id = (i: number) => enc.encode(`E${String(i).padStart(7, '0')}-01`);
    for (let i = 0; i < 20_000; i++) t.indexOf(id(i), 0, id(i).length);
    let absent = 0;
    for (let i = 20_000; i < 40_000; i++) if (t.surelyAbsent(id(i), 0, id(i).length)) absent++;
    // 20,000 entries in 2^19 bits (about 26 an entry), two bits each: a miss passes about once in 170.
    expect(absent).toBeGreaterThan(19_000);
    for (let i = 0; i < 20_000; i += 97) expect(t.surelyAbsent(id(i), 0, id(i).length)).toBe(false);
  });
});

describe('StringIntern', () => {
  it('gives equal strings the same index and different strings different ones, in first-seen order; values lists them', () => {
    fc.assert(
      fc.property(fc.oneof(valuesArb, unitsArb), (values) => {
        const t = new StringIntern();
        expect(values.map((v) => t.indexOf(v))).toEqual(referenceIndexes(values));
        expect(t.values).toEqual([...new Set(values)]);
        expect(t.size).toBe(t.values.length);
        t.values.forEach((v, k) => expect(t.find(v)).toBe(k));
      }),
      { numRuns: 150 },
    );
  });

  it('indexOfBytes (UTF-8 bytes) and indexOf (strings) share one numbering: a value added either way is found either way', () => {
    fc.assert(
      fc.property(valuesArb, fc.array(fc.boolean(), { minLength: 1 }), (raw, byBytes) => {
        // Strings that UTF-8 can hold (a lone surrogate is written as U+FFFD): the bytes of each
        // then decode to it, as indexOfBytes requires.
        const values = raw.map((v) => dec.decode(enc.encode(v)));
        const t = new StringIntern();
        const got = values.map((v, i) => {
          if (!byBytes[i % byBytes.length]) return t.indexOf(v);
          const b = enc.encode(v);
          return t.indexOfBytes(b, 0, b.length, (x, s, e) => dec.decode(x.subarray(s, e)));
        });
        expect(got).toEqual(referenceIndexes(values));
        expect(t.values).toEqual([...new Set(values)]);
      }),
      { numRuns: 150 },
    );
  });

  it('treats strings that look alike but differ as different (case, spaces, NFC/NFD, __proto__)', () => {
    const t = new StringIntern();
    // A lone surrogate is not U+FFFD (TextEncoder would write both as EF BF BD), nor another half.
    const values = ['C1', 'c1', ' C1', 'C1 ', 'é', 'e\u0301', '__proto__', 'constructor', '', '\ud800', '\ufffd', '\udc00', '\ud800\udc00', '😀', 'x'.repeat(300)];
    values.forEach((v, k) => expect(t.indexOf(v)).toBe(k));
    expect(t.find('toString')).toBe(-1);
    // A string longer than any before: its bytes are looked up, not the last string's.
    const u = new StringIntern();
    u.indexOf('中'.repeat(30));
    expect(u.find('a'.repeat(90))).toBe(-1);
    expect(u.find('中'.repeat(30))).toBe(0);
    expect(t.size).toBe(values.length);
  });
});

describe('grow', () => {
  it('copies a typed array into a longer (or shorter) one of the same type', () => {
    expect(grow(new Int32Array([1, 2]), 4)).toEqual(new Int32Array([1, 2, 0, 0]));
    expect(grow(new Float64Array([1.5, NaN, 3]), 2)).toEqual(new Float64Array([1.5, NaN]));
    expect(grow(new Int8Array([-1]), 3)).toBeInstanceOf(Int8Array);
  });
});

describe('compareBytes: the UTF-8 bytes of ids in code point order (R-JNY-5)', () => {
  it('orders any two strings as compareCodePoint does, wherever their bytes sit in their buffers', () => {
    const str = fc.string({ unit: fc.constantFrom('a', 'b', 'Z', '1', 'é', '€', '😀', '\uffff'), maxLength: 6 });
    fc.assert(
      fc.property(str, str, fc.nat(3), fc.nat(3), (x, y, padX, padY) => {
        const a = new Uint8Array([...new Uint8Array(padX).fill(0xff), ...enc.encode(x), 0]);
        const b = new Uint8Array([...new Uint8Array(padY).fill(0), ...enc.encode(y), 0xff]);
        const got = compareBytes(a, padX, a.length - 1, b, padY, b.length - 1);
        expect(Math.sign(got)).toBe(Math.sign(compareCodePoint(x, y)));
      }),
    );
  });
});
