/**
 * Temporary files of a partitioned run (issue #6): buffered appends to one file per bucket, a
 * synchronous line reader, and a k-way merge of sorted sources. Everything here is written to the
 * run's own temporary folder, which the runner always removes.
 * @module
 */
import { closeSync, existsSync, openSync, readSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { tempError, writeAllSync } from './temp.js';

/**
 * Buffered appends of lines to one file per bucket (files are opened when first written).
 * @example const w = new SpillWriter((b) => `/tmp/b${b}`, 4); w.add(2, 'row'); w.close();
 */
export class SpillWriter {
  private readonly buffers: string[];
  private readonly fds: (number | undefined)[];
  private buffered = 0;

  /**
   * @param pathOf the file of a bucket
   * @param buckets number of buckets
   * @param limit bytes (roughly) held in memory across all buckets before the largest buffers are written
   */
  constructor(
    private readonly pathOf: (bucket: number) => string,
    buckets: number,
    private readonly limit = 16 * 1024 * 1024,
  ) {
    this.buffers = new Array<string>(buckets).fill('');
    this.fds = new Array<number | undefined>(buckets).fill(undefined);
  }

  /** Appends one line (a line break is added). */
  add(bucket: number, line: string): void {
    this.buffers[bucket] += line + '\n';
    this.buffered += line.length + 1;
    if (this.buffered > this.limit) this.flush();
  }

  /** Writes every buffer to its file. */
  flush(): void {
    for (let b = 0; b < this.buffers.length; b++) {
      const text = this.buffers[b]!;
      if (text.length === 0) continue;
      let fd = this.fds[b];
      if (fd === undefined) {
        try {
          this.fds[b] = fd = openSync(this.pathOf(b), 'a');
        } catch (e) {
          throw tempError(this.pathOf(b), e);
        }
      }
      // Every byte, or a message a person can act on (a full temporary disk is not a bug).
      writeAllSync(fd, text, this.pathOf(b));
      this.buffers[b] = '';
    }
    this.buffered = 0;
  }

  /** Flushes and closes every file. */
  close(): void {
    this.flush();
    for (let b = 0; b < this.fds.length; b++) {
      const fd = this.fds[b];
      if (fd === undefined) continue;
      try {
        closeSync(fd);
      } catch (e) {
        throw tempError(this.pathOf(b), e);
      }
    }
    this.fds.fill(undefined);
  }
}

/**
 * Lines of a text file, read synchronously a chunk at a time (the last line may lack its break).
 * @example const r = new LineReader('/tmp/b2'); for (let l = r.next(); l !== undefined; l = r.next()) console.log(l);
 */
export class LineReader {
  private fd: number | undefined;
  private readonly decoder = new StringDecoder('utf8');
  private readonly chunk: Buffer;
  private text = '';
  private at = 0;
  private done = false;

  constructor(path: string, chunkBytes = 1 << 20) {
    this.fd = existsSync(path) ? openSync(path, 'r') : undefined;
    this.done = this.fd === undefined;
    this.chunk = Buffer.allocUnsafe(this.fd === undefined ? 0 : chunkBytes);
  }

  /** The next line (without its break), or `undefined` at the end. */
  next(): string | undefined {
    for (;;) {
      const nl = this.text.indexOf('\n', this.at);
      if (nl !== -1) {
        const line = this.text.slice(this.at, nl);
        this.at = nl + 1;
        return line;
      }
      if (this.done) {
        if (this.at < this.text.length) {
          const line = this.text.slice(this.at);
          this.text = '';
          this.at = 0;
          return line;
        }
        this.close();
        return undefined;
      }
      const n = readSync(this.fd!, this.chunk, 0, this.chunk.length, null);
      const rest = this.text.slice(this.at);
      this.at = 0;
      if (n === 0) {
        this.done = true;
        this.text = rest + this.decoder.end();
      } else this.text = rest + this.decoder.write(this.chunk.subarray(0, n));
    }
  }

  /**
   * The next `n` lines as one text, each with its line break (one slice rather than n strings).
   * Lines missing at the end of the file are left out.
   */
  nextLines(n: number): string {
    let out = '';
    let left = n;
    while (left > 0) {
      // Whole lines already in the buffer.
      let end = this.at;
      let k = 0;
      while (k < left) {
        const nl = this.text.indexOf('\n', end);
        if (nl === -1) break;
        end = nl + 1;
        k++;
      }
      if (k > 0) {
        out += this.text.slice(this.at, end);
        this.at = end;
        left -= k;
        continue;
      }
      const line = this.next();
      if (line === undefined) break;
      out += line + '\n';
      left--;
    }
    return out;
  }

  /** Releases the file (safe to call more than once). */
  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
    this.done = true;
  }
}

/** A sorted source of items for {@link mergeSorted}. */
export type SortedSource<T> = Iterator<T, undefined>;

/**
 * Merges sorted sources into one sorted sequence (a binary heap of the sources' heads). Ties go to
 * the source listed first, so the merge is deterministic.
 * @example [...mergeSorted([[1, 4][Symbol.iterator](), [2, 3][Symbol.iterator]()], (a, b) => a - b)] // [1, 2, 3, 4]
 */
export function* mergeSorted<T>(sources: readonly SortedSource<T>[], compare: (a: T, b: T) => number): Generator<T> {
  const heads: { item: T; src: number }[] = [];
  const less = (a: { item: T; src: number }, b: { item: T; src: number }) => {
    const c = compare(a.item, b.item);
    return c < 0 || (c === 0 && a.src < b.src);
  };
  const push = (h: { item: T; src: number }) => {
    heads.push(h);
    let i = heads.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!less(heads[i]!, heads[p]!)) break;
      [heads[i], heads[p]] = [heads[p]!, heads[i]!];
      i = p;
    }
  };
  const pop = (): { item: T; src: number } => {
    const top = heads[0]!;
    const last = heads.pop()!;
    if (heads.length > 0) {
      heads[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < heads.length && less(heads[l]!, heads[m]!)) m = l;
        if (r < heads.length && less(heads[r]!, heads[m]!)) m = r;
        if (m === i) break;
        [heads[i], heads[m]] = [heads[m]!, heads[i]!];
        i = m;
      }
    }
    return top;
  };
  sources.forEach((s, src) => {
    const r = s.next();
    if (!r.done) push({ item: r.value, src });
  });
  while (heads.length > 0) {
    const h = pop();
    yield h.item;
    const r = sources[h.src]!.next();
    if (!r.done) push({ item: r.value, src: h.src });
  }
}

/**
 * Texts joined into pieces of at least `size` characters (the last may be shorter), so that an
 * output written in many small texts reaches the file in few large writes.
 * @example [...inPieces(['a', 'b', 'c'], 2)] // ['ab', 'c']
 */
export function* inPieces(texts: Iterable<string>, size = 1 << 20): Generator<string> {
  let piece = '';
  for (const t of texts) {
    piece += t;
    if (piece.length >= size) {
      yield piece;
      piece = '';
    }
  }
  if (piece.length > 0) yield piece;
}
