/**
 * Interning by bytes: a hash table from a cell's UTF-8 bytes to a small integer, without making a
 * string of the cell (a million clients' ids appear in sixteen million rows; each id becomes a
 * string once). Used to memoise field parsing: a cell's bytes are looked up, and only a cell never
 * seen before is parsed by the field's own parser (so the rules of SPEC §2 live in one place,
 * src/schema/fields.ts). Browser-safe.
 * @module
 */

const EMPTY = -1;

/**
 * FNV-1a (32 bit) of bytes [from, to).
 * @example hashBytes(new TextEncoder().encode('C1'), 0, 2)
 */
export function hashBytes(bytes: Uint8Array, from: number, to: number): number {
  let h = 0x811c9dc5;
  for (let i = from; i < to; i++) {
    h ^= bytes[i]!;
    h = Math.imul(h, 0x01000193);
  }
  return h | 0;
}

/**
 * Bytes [aFrom, aTo) of `a` against bytes [bFrom, bTo) of `b`, byte by byte (a prefix first):
 * negative, zero or positive. For UTF-8 this is code point order (R-JNY-5).
 * @example compareBytes(enc('C1'), 0, 2, enc('C10'), 0, 3) < 0 // true
 */
export function compareBytes(a: Uint8Array, aFrom: number, aTo: number, b: Uint8Array, bFrom: number, bTo: number): number {
  const n = aTo - aFrom;
  const m = bTo - bFrom;
  const k = n < m ? n : m;
  for (let i = 0; i < k; i++) {
    const d = a[aFrom + i]! - b[bFrom + i]!;
    if (d !== 0) return d;
  }
  return n - m;
}

/** A second hash from a first (a mix of its bits), for a filter's second bit. */
function secondHash(h: number): number {
  const g = Math.imul(h ^ (h >>> 16), 0x45d9f3b);
  return g ^ (g >>> 16);
}

/**
 * A table of distinct byte strings, each with an index (0, 1, 2… in first-seen order).
 * @example
 * const t = new ByteIntern();
 * t.indexOf(bytes, 0, 2) // 0 (new), then 0 again for the same bytes
 */
export class ByteIntern {
  private pool: Uint8Array;
  /** {@link pool} read four bytes at a time (see same). */
  private poolView: DataView;
  private poolLen = 0;
  private offsets: Int32Array;
  private lengths: Int32Array;
  private hashes: Int32Array;
  private slots: Int32Array;
  private mask: number;
  /** Number of distinct byte strings. */
  size = 0;
  /**
   * The entry found last. Input files usually list a client's rows together (and an episode's
   * reviews), clients in the same order in every file: so the id a cell holds is most often the
   * last one found, or the entry after it (the next client, numbered when first seen in the file
   * read before). Comparing with those two, whose bytes are in the cache, spares hashing and the
   * table's probes, each a likely cache miss in a table of a million ids. Any order gives the same
   * indexes; only the time differs.
   */
  private last = EMPTY;

  constructor(expected = 1024) {
    let cap = 16;
    while (cap < expected * 2) cap *= 2;
    this.slots = new Int32Array(cap).fill(EMPTY);
    this.mask = cap - 1;
    this.offsets = new Int32Array(expected);
    this.lengths = new Int32Array(expected);
    this.hashes = new Int32Array(expected);
    this.pool = new Uint8Array(Math.max(1024, expected * 12));
    this.poolView = new DataView(this.pool.buffer);
  }

  /** Entry `last` or the one after it, when it holds bytes [from, from + n); else EMPTY. */
  private nearLast(bytes: Uint8Array, from: number, n: number): number {
    const last = this.last;
    if (last === EMPTY) return EMPTY;
    if (this.holds(last, bytes, from, from + n)) return last;
    const next = last + 1;
    if (next < this.size && this.holds(next, bytes, from, from + n)) return (this.last = next);
    return EMPTY;
  }

  /** The index of bytes [from, to), adding them when new (then `size` grows by one). */
  indexOf(bytes: Uint8Array, from: number, to: number): number {
    const n = to - from;
    const near = this.nearLast(bytes, from, n);
    if (near !== EMPTY) return near;
    const h = hashBytes(bytes, from, to);
    const slots = this.slots;
    const mask = this.mask;
    let s = h & mask;
    for (;;) {
      const k = slots[s]!;
      if (k === EMPTY) break;
      if (this.hashes[k] === h && this.lengths[k] === n && this.same(k, bytes, from, n)) return (this.last = k);
      s = (s + 1) & mask;
    }
    return (this.last = this.add(bytes, from, n, h, s));
  }

  /** The index of bytes [from, to), or -1 when they were never added. */
  find(bytes: Uint8Array, from: number, to: number): number {
    const n = to - from;
    const near = this.nearLast(bytes, from, n);
    if (near !== EMPTY) return near;
    const h = hashBytes(bytes, from, to);
    let s = h & this.mask;
    for (;;) {
      const k = this.slots[s]!;
      if (k === EMPTY) return -1;
      if (this.hashes[k] === h && this.lengths[k] === n && this.same(k, bytes, from, n)) return (this.last = k);
      s = (s + 1) & this.mask;
    }
  }

  /** Whether entry k's bytes are bytes [from, to). */
  holds(k: number, bytes: Uint8Array, from: number, to: number): boolean {
    const n = to - from;
    return this.lengths[k] === n && this.same(k, bytes, from, n);
  }

  /**
   * Whether bytes [from, to) are surely not an entry (false: they may be one; {@link find} says).
   * For many lookups that mostly miss in a large table — the episode_ids of the other partitions'
   * rows, looked up among one partition's (src/pipeline/read.ts) — where each probe of the table
   * is a likely cache miss: two bits of a small filter of the entries' hashes are read instead.
   * The filter is made at the first call and takes in entries added since at every call, so it
   * never leaves one out; it holds 8 to 32 bits an entry (made again twice as large when it falls
   * to 8, where about one miss in twenty still probes the table; one in seventy at 16, one in 270
   * at 32), a few hundred KiB for a partition's ids.
   * @example t.surelyAbsent(bytes, 0, 2) || t.find(bytes, 0, 2) >= 0
   */
  surelyAbsent(bytes: Uint8Array, from: number, to: number): boolean {
    if (this.filtered !== this.size || this.filter.length === 0) this.fillFilter();
    const h = hashBytes(bytes, from, to);
    const f = this.filter;
    const a = h & this.filterMask;
    if ((f[a >>> 5]! & (1 << (a & 31))) === 0) return true;
    const b = secondHash(h) & this.filterMask;
    return (f[b >>> 5]! & (1 << (b & 31))) === 0;
  }
  /** Bits of {@link surelyAbsent}'s filter (a power of two, as 32-bit words; none before the first call), its mask, and the entries in it. */
  private filter = new Int32Array(0);
  private filterMask = 0;
  private filtered = 0;

  /**
   * Takes the entries added since into the filter; first makes it again, with 16 to 32 bits an
   * entry, when it would hold under 8 (fewer lets too many misses through to the table). At most
   * 2^30 bits (128 MiB), so that a bit's index stays a positive 32-bit number.
   */
  private fillFilter(): void {
    if (this.filter.length === 0 || (this.filter.length * 32 < this.size * 8 && this.filter.length < 1 << 25)) {
      let bits = 1024;
      while (bits < this.size * 16 && bits < 1 << 30) bits *= 2;
      this.filter = new Int32Array(bits >>> 5);
      this.filterMask = bits - 1;
      this.filtered = 0;
    }
    const f = this.filter;
    const m = this.filterMask;
    for (let k = this.filtered; k < this.size; k++) {
      const h = this.hashes[k]!;
      const a = h & m;
      const b = secondHash(h) & m;
      f[a >>> 5]! |= 1 << (a & 31);
      f[b >>> 5]! |= 1 << (b & 31);
    }
    this.filtered = this.size;
  }

  /** The bytes of entry k. */
  bytesOf(k: number): Uint8Array {
    const o = this.offsets[k]!;
    return this.pool.subarray(o, o + this.lengths[k]!);
  }

  private same(k: number, bytes: Uint8Array, from: number, n: number): boolean {
    const o = this.offsets[k]!;
    // Short ids, and bytes asked beyond the array's end (or of a buffer since detached), byte by byte.
    if (n < 4 || from + n > bytes.length) {
      const pool = this.pool;
      for (let i = n - 1; i >= 0; i--) if (pool[o + i] !== bytes[from + i]) return false;
      return true;
    }
    // Four bytes at a time: a byte-by-byte loop took about 2 ns a byte, and this runs for the ids
    // of every row (bench/README.md, twenty-first session). The last four first — ids that differ
    // mostly differ at the end (C0000001, C0000002), and the entry after the last one found is tried
    // for each new client's first row (nearLast) — then the rest from the start (the last word read
    // may overlap the first ones: never past the id).
    const p = this.poolView;
    // The view is of the bytes as they were when it was made: a length-tracking view of a
    // resizable buffer may have changed length since.
    const v = bytes === viewed && bytes.byteLength === viewedLength ? view : viewOf(bytes);
    if (p.getInt32(o + n - 4, true) !== v.getInt32(from + n - 4, true)) return false;
    for (let i = 0; i < n - 4; i += 4) if (p.getInt32(o + i, true) !== v.getInt32(from + i, true)) return false;
    return true;
  }

  private add(bytes: Uint8Array, from: number, n: number, h: number, slot: number): number {
    const k = this.size++;
    if (k === this.offsets.length) {
      const cap = k * 2;
      this.offsets = grow(this.offsets, cap);
      this.lengths = grow(this.lengths, cap);
      this.hashes = grow(this.hashes, cap);
    }
    if (this.poolLen + n > this.pool.length) {
      const p = new Uint8Array(Math.max(this.pool.length * 2, this.poolLen + n));
      p.set(this.pool.subarray(0, this.poolLen));
      this.pool = p;
      this.poolView = new DataView(p.buffer);
    }
    // Byte by byte: an id is a few bytes, and a subarray (on a Node Buffer, an object of its own)
    // for each of a million new ids cost more than the copy.
    const pool = this.pool;
    const at = this.poolLen;
    for (let i = 0; i < n; i++) pool[at + i] = bytes[from + i]!;
    this.offsets[k] = this.poolLen;
    this.lengths[k] = n;
    this.hashes[k] = h;
    this.poolLen += n;
    this.slots[slot] = k;
    if (this.size * 2 > this.slots.length) this.rehash();
    return k;
  }

  private rehash(): void {
    const cap = this.slots.length * 2;
    const slots = new Int32Array(cap).fill(EMPTY);
    const mask = cap - 1;
    for (let k = 0; k < this.size; k++) {
      let s = this.hashes[k]! & mask;
      while (slots[s] !== EMPTY) s = (s + 1) & mask;
      slots[s] = k;
    }
    this.slots = slots;
    this.mask = mask;
  }
}

/**
 * A view of the bytes looked up last by any table of the thread (a reader's buffer, the same for
 * many lookups), for ByteIntern's word comparison; one for all tables, so that no table keeps an
 * old buffer alive.
 */
function viewOf(bytes: Uint8Array): DataView<ArrayBufferLike> {
  viewed = bytes;
  viewedLength = bytes.byteLength;
  return (view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength));
}
let viewed: Uint8Array | undefined = undefined;
let viewedLength = 0;
let view: DataView<ArrayBufferLike> = new DataView(new ArrayBuffer(0));

/**
 * A table of distinct strings, each with an index in first-seen order (for values already parsed).
 * Kept as the strings' bytes in a {@link ByteIntern}, not a `Map`: a national run interns millions
 * of ids, and a `Map` that large costs far more time and memory than typed arrays do.
 * @example const ids = new StringIntern(); ids.indexOf('C1') // 0
 */
export class StringIntern {
  private readonly table = new ByteIntern(1024);
  private scratch = new Uint8Array(256);
  /** The strings, by index. */
  readonly values: string[] = [];

  /** The index of `s`, adding it when new. */
  indexOf(s: string): number {
    const n = this.encode(s);
    const before = this.table.size;
    const k = this.table.indexOf(this.scratch, 0, n);
    if (k === before) this.values.push(s);
    return k;
  }

  /**
   * The index of the string whose bytes are [from, to), adding it when new: `decode` makes the
   * string (once). The bytes must be those {@link indexOf} would store for the string — UTF-8
   * that decodes to it (plain ASCII always does) — or the table would hold one string twice.
   * @example ids.indexOfBytes(new TextEncoder().encode('C1'), 0, 2, bytesText) // ids.indexOf('C1')
   */
  indexOfBytes(bytes: Uint8Array, from: number, to: number, decode: (bytes: Uint8Array, from: number, to: number) => string): number {
    const before = this.table.size;
    const k = this.table.indexOf(bytes, from, to);
    if (k === before) this.values.push(decode(bytes, from, to));
    return k;
  }

  /** Whether entry k's bytes are bytes [from, to). */
  holds(k: number, bytes: Uint8Array, from: number, to: number): boolean {
    return this.table.holds(k, bytes, from, to);
  }

  /** The index of `s`, or -1. */
  find(s: string): number {
    // Encoded first: encode may replace the scratch buffer with a longer one.
    const n = this.encode(s);
    return this.table.find(this.scratch, 0, n);
  }

  /** The index of the string whose UTF-8 bytes are [from, to), or -1 (a plain ASCII id's bytes are its string's). */
  findBytes(bytes: Uint8Array, from: number, to: number): number {
    return this.table.find(bytes, from, to);
  }

  /** Whether no string has the UTF-8 bytes [from, to) — surely; false when one may (see {@link ByteIntern.surelyAbsent}). */
  surelyAbsentBytes(bytes: Uint8Array, from: number, to: number): boolean {
    return this.table.surelyAbsent(bytes, from, to);
  }

  get size(): number {
    return this.values.length;
  }

  /** The bytes of entry k (UTF-8; a lone surrogate as its own three bytes). */
  bytesOf(k: number): Uint8Array {
    return this.table.bytesOf(k);
  }

  /**
   * `s` as bytes in `scratch` (their number): UTF-8, with a lone surrogate written as its own
   * three bytes (WTF-8), so that two different strings never have the same bytes.
   */
  private encode(s: string): number {
    if (this.scratch.length < s.length * 3) this.scratch = new Uint8Array(s.length * 3);
    const b = this.scratch;
    let n = 0;
    for (let i = 0; i < s.length; i++) {
      let c = s.charCodeAt(i);
      if (c < 0x80) b[n++] = c;
      else if (c < 0x800) {
        b[n++] = 0xc0 | (c >> 6);
        b[n++] = 0x80 | (c & 63);
      } else {
        if (c >= 0xd800 && c < 0xdc00 && i + 1 < s.length) {
          const d = s.charCodeAt(i + 1);
          if (d >= 0xdc00 && d < 0xe000) {
            c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
            i++;
            b[n++] = 0xf0 | (c >> 18);
            b[n++] = 0x80 | ((c >> 12) & 63);
            b[n++] = 0x80 | ((c >> 6) & 63);
            b[n++] = 0x80 | (c & 63);
            continue;
          }
        }
        b[n++] = 0xe0 | (c >> 12);
        b[n++] = 0x80 | ((c >> 6) & 63);
        b[n++] = 0x80 | (c & 63);
      }
    }
    return n;
  }
}

/**
 * A copy of `a` with room for `n` entries.
 * @example grow(new Int32Array([1, 2]), 4) // Int32Array [1, 2, 0, 0]
 */
export function grow<T extends Int32Array | Uint8Array | Int8Array | Float64Array | Uint16Array | Int16Array | Uint32Array>(a: T, n: number): T {
  const b = new (a.constructor as new (n: number) => T)(n);
  b.set(a.subarray(0, Math.min(a.length, n)) as never);
  return b;
}
