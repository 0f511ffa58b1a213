/**
 * The episode ids found on more than one row of a run's episode parts, told by the main thread to
 * the partitions while they read, so that a partition whose episode ids are all its own need not
 * pass over the other partitions' episode rows at all (src/node/partition-task.ts). Parts whose ids
 * come in byte order, each after the one before, hold no id twice: the scan only compares neighbours.
 * Otherwise each id is kept as two 32-bit hashes of its bytes: a partition asks of some hundreds of
 * thousands of ids, and a single false "maybe" only costs it the pass it would have made anyway.
 *
 * The scan gives up (and every partition makes its pass, as before) on anything it cannot read
 * exactly as the CSV tokenizer does from the bytes alone: a quote or a `\r` anywhere, a row with
 * too few cells, an `episode_id` cell that is not plainly an id (blank, padded, unusual).
 * @module
 */
import { closeSync, readSync } from 'node:fs';
import { COMMA, CR, LF, QUOTE } from '../ingest/csv.js';
import { compareBytes, hashBytes } from '../ingest/intern.js';
import { isPlainIdBytes } from '../schema/fields.js';
import { openInput } from './slices.js';

/** Layout of the shared buffer: two Int32 words [status, count], then the keys as Float64 from byte 8. */
const STATUS = 0;
const COUNT = 1;
const KEYS_AT = 8;
/** Not yet told. */
export const REPEATED_PENDING = 0;
/** Told: the pairs are the hashes of every id on more than one row. */
export const REPEATED_READY = 1;
/** Not told: the scan gave up (or found too many repeats); every partition makes its pass. */
export const REPEATED_UNKNOWN = 2;
/** Repeated ids the buffer holds; past that the scan says REPEATED_UNKNOWN (such data makes every pass anyway). */
const CAPACITY = 1 << 16;

/** A buffer for {@link tellRepeatedIds}, shared with the partitions' threads. */
export function repeatedIdsBuffer(): SharedArrayBuffer {
  return new SharedArrayBuffer(KEYS_AT + CAPACITY * 8);
}

/** The second hash of an id's bytes (FNV-1a from another start, mixed): independent enough of {@link hashBytes}. */
export function secondIdHash(bytes: ArrayLike<number>, from: number, to: number): number {
  let h = 0x9747b28c;
  for (let i = from; i < to; i++) {
    h ^= bytes[i]!;
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  return (h ^ (h >>> 12)) | 0;
}

/**
 * Scans the episode parts (`column`: each part's episode_id cell) and writes into `shared` the
 * hashes of every id on more than one row, then REPEATED_READY — or REPEATED_UNKNOWN — and wakes
 * the partitions waiting for it.
 * @example tellRepeatedIds([{ path: 'episodes.csv', column: 0, bytes: 1024 }], shared)
 */
export function tellRepeatedIds(parts: IdParts, shared: SharedArrayBuffer): void {
  const view = new Int32Array(shared, 0, 2);
  let status = REPEATED_UNKNOWN;
  try {
    const repeated = repeatedIds(parts);
    if (repeated && repeated.length <= CAPACITY) {
      new Float64Array(shared, KEYS_AT, repeated.length).set(repeated);
      view[COUNT] = repeated.length;
      status = REPEATED_READY;
    }
  } catch {
    // A part that cannot be read: the partitions say so themselves, reading it.
    status = REPEATED_UNKNOWN;
  } finally {
    Atomics.store(view, STATUS, status);
    Atomics.notify(view, STATUS);
  }
}

/** The keys of the ids on more than one row, or undefined when the parts cannot be read so. */
function repeatedIds(parts: IdParts): Float64Array | undefined {
  // Extracts mostly list episodes in id order: ids each after the one before (in byte order) are
  // all different, so the first scan only compares each id with the one before — no hashing, no
  // sort. The first id out of that order starts the scan again, every id counted.
  const order = new IdOrder();
  const first = scanIds(parts, (b, s, e) => order.follows(b, s, e));
  if (first === 'read') return new Float64Array(0);
  if (first === 'unreadable') return undefined;
  // Room for a row of every 50 bytes (a national extract's are about 100): seldom grown.
  const seen = new PairCounts(parts.reduce((a, p) => a + p.bytes, 0) / 50);
  const all = scanIds(parts, (b, s, e) => {
    seen.add(hashBytes(b, s, e), secondIdHash(b, s, e));
    return true;
  });
  return all === 'read' ? seen.repeated() : undefined;
}

type IdParts = readonly { path: string; column: number; bytes: number }[];

/**
 * Hands each row's episode_id (bytes [s, e) of `b`) to `visit`, part after part: 'read' when every
 * row was handed, 'stopped' when `visit` said false, 'unreadable' when a part cannot be read from
 * its bytes alone (see the module notes).
 */
function scanIds(parts: IdParts, visit: (b: Buffer, s: number, e: number) => boolean): 'read' | 'stopped' | 'unreadable' {
  let buf = Buffer.allocUnsafe(4 * 1024 * 1024);
  for (const { path, column } of parts) {
    if (column < 0) return 'unreadable';
    const fd = openInput(path);
    try {
      let kept = 0; // bytes of an unfinished line, moved to the front of buf
      let header = true;
      for (;;) {
        if (kept === buf.length) {
          const grown = Buffer.allocUnsafe(buf.length * 2);
          buf.copy(grown, 0, 0, kept);
          buf = grown;
        }
        const n = readSync(fd, buf, kept, buf.length - kept, null);
        const end = kept + n;
        if (n === 0) {
          if (kept > 0 && !header) {
            const r = lineId(buf, 0, kept, column, visit);
            if (r !== 'read') return r;
          }
          break;
        }
        if (buf.indexOf(QUOTE, kept) !== -1 && buf.indexOf(QUOTE, kept) < end) return 'unreadable';
        const cr = buf.indexOf(CR, kept);
        if (cr !== -1 && cr < end) return 'unreadable';
        let start = 0;
        for (let lf = buf.indexOf(LF, start); lf !== -1 && lf < end; lf = buf.indexOf(LF, start)) {
          if (header) header = false;
          else {
            const r = lineId(buf, start, lf, column, visit);
            if (r !== 'read') return r;
          }
          start = lf + 1;
        }
        kept = end - start;
        if (kept > 0 && start > 0) buf.copy(buf, 0, start, end);
      }
    } finally {
      closeSync(fd);
    }
  }
  return 'read';
}

/** Hands the id of the line [from, to) to `visit` (a blank line has none); 'unreadable' when the line cannot be read from its bytes alone. */
function lineId(b: Buffer, from: number, to: number, column: number, visit: (b: Buffer, s: number, e: number) => boolean): 'read' | 'stopped' | 'unreadable' {
  if (from === to) return 'read'; // a blank line: no row
  let s = from;
  for (let k = 0; k < column; k++) {
    const c = b.indexOf(COMMA, s);
    if (c === -1 || c >= to) return 'unreadable';
    s = c + 1;
  }
  let e = s;
  while (e < to && b[e] !== COMMA) e++;
  if (!isPlainIdBytes(b, s, e)) return 'unreadable';
  return visit(b, s, e) ? 'read' : 'stopped';
}

/** The id seen last, and whether each next one comes after it in byte order (then it is new). */
class IdOrder {
  private last = new Uint8Array(64);
  private length = -1; // no id yet

  /** Whether bytes [s, e) come strictly after the id before (kept as the last from then on). */
  follows(b: Uint8Array, s: number, e: number): boolean {
    const n = e - s;
    if (this.length >= 0 && compareBytes(b, s, e, this.last, 0, this.length) <= 0) return false;
    if (n > this.last.length) this.last = new Uint8Array(n * 2);
    for (let i = 0; i < n; i++) this.last[i] = b[s + i]!;
    this.length = n;
    return true;
  }
}

/**
 * The ids' two hashes in two lists, grouped once at the end by a radix sort on the first (three
 * passes of 11 bits, the second hash carried along): equal neighbours are the ids on more than one
 * row. Sequential writes and two passes over some ten MB, rather than a hash table of tens of MB
 * probed at random, or a comparison sort (several times slower here).
 */
class PairCounts {
  private h1: Uint32Array;
  private h2: Int32Array;
  private size = 0;

  constructor(expected: number) {
    const n = Math.max(1024, Math.ceil(expected));
    this.h1 = new Uint32Array(n);
    this.h2 = new Int32Array(n);
  }

  add(a: number, b: number): void {
    if (this.size === this.h1.length) {
      const h1 = new Uint32Array(this.size * 2);
      const h2 = new Int32Array(this.size * 2);
      h1.set(this.h1);
      h2.set(this.h2);
      this.h1 = h1;
      this.h2 = h2;
    }
    this.h1[this.size] = a;
    this.h2[this.size++] = b;
  }

  /** The keys ({@link pairKey}) of the pairs seen more than once, each once. */
  repeated(): Float64Array {
    const n = this.size;
    let a: Uint32Array = this.h1;
    let b: Int32Array = this.h2;
    let ta: Uint32Array = new Uint32Array(n);
    let tb: Int32Array = new Int32Array(n);
    // Digits of 11 bits (three passes): 2,048 buckets, whose write positions stay in the cache.
    const count = new Uint32Array(2049);
    for (let shift = 0; shift < 32; shift += 11) {
      count.fill(0);
      for (let i = 0; i < n; i++) count[((a[i]! >>> shift) & 0x7ff) + 1]!++;
      for (let d = 0; d < 2048; d++) count[d + 1]! += count[d]!;
      for (let i = 0; i < n; i++) {
        const j = count[(a[i]! >>> shift) & 0x7ff]!++;
        ta[j] = a[i]!;
        tb[j] = b[i]!;
      }
      [a, ta] = [ta, a];
      [b, tb] = [tb, b];
    }
    const out: number[] = [];
    for (let i = 0; i < n; ) {
      let k = i + 1;
      while (k < n && a[k] === a[i]) k++;
      if (k - i > 1) {
        // A run of one first hash (nearly always one id, on two rows — or on every row, when a
        // column holds one value): its second hashes sorted, equal neighbours are repeats.
        const run = b.subarray(i, k).sort();
        for (let x = 1; x < run.length; x++) if (run[x] === run[x - 1] && (x === 1 || run[x - 1] !== run[x - 2])) out.push(pairKey(a[i]!, run[x]!));
      }
      i = k;
    }
    return Float64Array.from(out);
  }
}

/**
 * In a partition: waits (in a worker thread) until the main thread has told, then the repeated
 * ids as a test of an id's bytes — or undefined when the main thread could not tell.
 */
export function repeatedIdsOf(shared: SharedArrayBuffer, canWait: boolean): ((bytes: Uint8Array, from: number, to: number) => boolean) | undefined {
  const view = new Int32Array(shared, 0, 2);
  if (canWait) Atomics.wait(view, STATUS, REPEATED_PENDING);
  if (Atomics.load(view, STATUS) !== REPEATED_READY) return undefined;
  const keys = new Set<number>(new Float64Array(shared, KEYS_AT, view[COUNT]!));
  return (bytes, from, to) => keys.has(pairKey(hashBytes(bytes, from, to), secondIdHash(bytes, from, to)));
}

/** One number of a pair (53 bits of it: a collision only makes a pass that was not needed). */
function pairKey(a: number, b: number): number {
  return (a >>> 0) * 2097152 + (b >>> 11);
}
