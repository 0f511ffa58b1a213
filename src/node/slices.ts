/**
 * Slices of a CSV part, one per partition (issue #11). When a part lists its rows in client order
 * (as national extracts do), partition k's rows are one run of the file's bytes, and partition k
 * can read that run alone, rather than every partition reading every byte and passing over the
 * other partitions' rows.
 *
 * 1. **Planning** (main thread, a few dozen small reads per part): the cut before partition k's
 *    first row is found by a binary search over line starts, routing each probed line by the bytes
 *    of its client_id cell. The probes, and a sample of lines spread over the file, must route in
 *    order and hold no `"`, or the part is read whole.
 * 2. **Reading and checking** (each partition, src/node/partition-task.ts): partition k counts the
 *    rows before its slice (line breaks, which are rows when no `"` and no lone `\r` is there: the
 *    count checks that, in what it counts; from the end of an earlier partition's slice when that
 *    partition has told its rows through there, {@link PartSlice.known}), so that its row numbers
 *    are those of a reading of the whole part; then it reads its slice, and every row in it must be
 *    its own (a row whose client_id cannot be read is the slice's partition's to reject). A row
 *    of another partition in a slice (the file is not in client order after all), or a CSV syntax
 *    error there, stops the partition with {@link SliceMismatch}, and the run starts again reading
 *    every part whole.
 *
 * So slicing changes the time a run takes, never its results: each partition reads exactly the
 * rows, with the row numbers, that it reads in a whole part.
 * @module
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { countByte } from '../ingest/bytes.js';
import { COMMA, CR, LF, QUOTE } from '../ingest/csv.js';
import { isPad, isPlainIdBytes } from '../schema/fields.js';
import { fileSystemError } from '../io/source.js';
import { SliceMismatch } from '../pipeline/read.js';

/**
 * Opens an input file for reading; one that cannot be opened is a `RecoveryPbrError` naming it.
 * @example const fd = openInput('episodes.csv')
 */
export function openInput(path: string): number {
  try {
    return openSync(path, 'r');
  } catch (e) {
    throw fileSystemError(path, e);
  }
}

/** Partition k's run of bytes of a part: the header is bytes [0, headerEnd), the slice [start, end). */
export interface PartSlice {
  headerEnd: number;
  start: number;
  end: number;
  /**
   * The rows (header included) before byte `at`, a line start at or before `start`, when another
   * partition has read them (the rows through the end of its slice): the rows before the slice are
   * then counted from `at` only, not from the header. Set by the main thread when it hands out the
   * partition.
   */
  known?: { at: number; rows: number };
}

/** Bytes read per probe: a line of a national extract is under 200 bytes. */
const PROBE = 4096;
/** Lines sampled besides the binary searches' probes. */
const SAMPLES = 64;

/**
 * The slices of a CSV part for `partitions` partitions, or undefined when it is to be read whole
 * (not plainly in client order, quotes, UTF-16, a line too long to probe). `route` is the
 * partition of a client_id's trimmed bytes; `clientCell` the index of the client_id column.
 * @example planSlices('reviews.csv', 327998802, 0, 4, router.partitionOfBytes)
 */
export function planSlices(
  path: string,
  size: number,
  clientCell: number,
  partitions: number,
  route: (bytes: Uint8Array, from: number, to: number) => number,
): PartSlice[] | undefined {
  if (partitions < 2 || size === 0) return undefined;
  const fd = openInput(path);
  try {
    return plan(new Prober(fd, size, clientCell, route), size, partitions);
  } finally {
    closeSync(fd);
  }
}

function plan(probe: Prober, size: number, partitions: number): PartSlice[] | undefined {
  const headerEnd = probe.headerEnd();
  if (headerEnd === undefined) return undefined;
  const cuts: number[] = [headerEnd];
  for (let k = 1; k < partitions; k++) {
    // The first line start x (≥ headerEnd) whose line routes to k or later.
    let lo = cuts[k - 1]!;
    let hi = size;
    while (lo < hi) {
      const mid = lo + Math.floor((hi - lo) / 2);
      const at = probe.lineFrom(mid);
      if (at === undefined) return undefined;
      if (at.start >= hi || at.route >= k) hi = mid;
      else lo = Math.max(mid + 1, at.end);
    }
    const at = probe.lineFrom(lo);
    if (at === undefined) return undefined;
    cuts.push(at.start);
  }
  // A sample of lines spread over the part must route in order too.
  for (let s = 1; s < SAMPLES; s++) if (probe.lineFrom(headerEnd + Math.floor(((size - headerEnd) * s) / SAMPLES)) === undefined) return undefined;
  if (!probe.inOrder()) return undefined;
  return cuts.map((start, k) => ({ headerEnd, start, end: k + 1 < cuts.length ? cuts[k + 1]! : size }));
}

/** Lines of a part read at byte offsets, remembered to check that they route in order. */
class Prober {
  private readonly buf = Buffer.allocUnsafe(PROBE);
  /** Line start → route, of every line probed. */
  private readonly seen = new Map<number, number>();
  constructor(
    private readonly fd: number,
    private readonly size: number,
    private readonly clientCell: number,
    private readonly route: (bytes: Uint8Array, from: number, to: number) => number,
  ) {}

  /** The end of the header line (after its line break); undefined for UTF-16, a quote, or no line break in the first bytes. */
  headerEnd(): number | undefined {
    const n = readSync(this.fd, this.buf, 0, PROBE, 0);
    if (n >= 2 && ((this.buf[0] === 0xff && this.buf[1] === 0xfe) || (this.buf[0] === 0xfe && this.buf[1] === 0xff))) return undefined;
    const lf = this.buf.indexOf(LF);
    if (lf === -1 || lf >= n) return undefined;
    const quote = this.buf.indexOf(QUOTE);
    if (quote !== -1 && quote < lf) return undefined;
    // A `\r` but before the `\n` ends the header there and makes a blank row of the rest of the
    // line (`\r\r\n`, `\r \n`): the header would then not be one row.
    const cr = this.buf.indexOf(CR);
    if (cr !== -1 && cr < lf - 1) return undefined;
    return lf + 1;
  }

  /**
   * The first line starting at or after `x` (x ≥ the header's end): where it starts and ends, and
   * its route (partitions + 1 past the end of the file). Undefined when it cannot be told by its
   * client_id cell: a quote near it, a lone `\r`, a client_id that is not plainly an id, a line
   * longer than a probe.
   */
  lineFrom(x: number): { start: number; end: number; route: number } | undefined {
    // A blank line routes as the line after it: a loop, not a call per blank line (a run of
    // thousands of them would overflow the stack).
    for (;;) {
      const line = this.lineAt(x);
      if (line === undefined || typeof line === 'object') return line;
      x = line;
    }
  }

  /** {@link lineFrom} of one line: the line, undefined, or (a blank line) where the next line starts. */
  private lineAt(x: number): { start: number; end: number; route: number } | number | undefined {
    if (x >= this.size) return { start: this.size, end: this.size, route: Number.MAX_SAFE_INTEGER };
    // The byte before x tells whether x starts a line.
    const from = x - 1;
    const n = readSync(this.fd, this.buf, 0, PROBE, from);
    const b = this.buf.subarray(0, n);
    if (b.indexOf(QUOTE) !== -1) return undefined;
    let s = b[0] === LF ? 1 : b.indexOf(LF) + 1;
    if (s === 0) return from + n >= this.size ? { start: this.size, end: this.size, route: Number.MAX_SAFE_INTEGER } : undefined;
    if (from + s >= this.size) return { start: this.size, end: this.size, route: Number.MAX_SAFE_INTEGER };
    let lf = b.indexOf(LF, s);
    if (lf === -1) {
      if (from + n < this.size) return undefined;
      lf = n;
    }
    let e = lf > s && b[lf - 1] === CR ? lf - 1 : lf;
    const cr = b.indexOf(CR, s);
    if (cr !== -1 && cr < e) return undefined;
    const start = from + s;
    const end = from + Math.min(lf + 1, n);
    if (e === s) return end;
    for (let c = 0; c < this.clientCell; c++) {
      while (s < e && b[s] !== COMMA) s++;
      if (s === e) return undefined;
      s++;
    }
    let t = s;
    while (t < e && b[t] !== COMMA) t++;
    while (s < t && isPad(b[s]!)) s++;
    while (t > s && isPad(b[t - 1]!)) t--;
    e = t;
    if (!isPlainIdBytes(b, s, e)) return undefined;
    const route = this.route(b, s, e);
    this.seen.set(start, route);
    return { start, end, route };
  }

  /** Whether the lines probed route in the order they stand in the file. */
  inOrder(): boolean {
    let last = -1;
    for (const start of [...this.seen.keys()].sort((a, b) => a - b)) {
      const r = this.seen.get(start)!;
      if (r < last) return false;
      last = r;
    }
    return true;
  }
}

/**
 * Counts the rows in bytes that hold whole lines (partition k's bytes before its slice): line
 * breaks, after checking that they are rows — no `"` (a quoted cell could hold a line break) and no
 * `\r` but before a `\n`. Fed piece by piece; `rows` throws {@link SliceMismatch} when the bytes
 * cannot be counted so.
 * @example const c = new RowCounter(); c.add(bytes); c.rows // line breaks in bytes
 */
export class RowCounter {
  private lines = 0;
  private pendingCr = false;
  private bad = false;

  add(b: Uint8Array): void {
    if (b.length === 0 || this.bad) return;
    if (this.pendingCr && b[0] !== LF) this.bad = true;
    this.pendingCr = false;
    if (b.indexOf(QUOTE) !== -1) {
      this.bad = true;
      return;
    }
    for (let cr = b.indexOf(CR); cr !== -1; cr = b.indexOf(CR, cr + 1)) {
      if (cr + 1 === b.length) this.pendingCr = true;
      else if (b[cr + 1] !== LF) {
        this.bad = true;
        return;
      }
    }
    this.lines += countByte(b, LF);
  }

  /** The rows counted (line breaks); throws {@link SliceMismatch} when they are not rows. */
  get rows(): number {
    if (this.bad || this.pendingCr) throw new SliceMismatch();
    return this.lines;
  }
}
