/**
 * The CSV tokenizer of the columnar reader (SPEC §2: UTF-8, comma, RFC 4180 quoting, header row):
 * bytes in, records out as byte offsets of their cells, so that a reader can decode a date or look
 * up an id straight from the bytes without first making a string of every cell. Browser-safe: bytes
 * arrive in pieces of any size (a file read in chunks, a `File` stream in the page).
 *
 * The rules, as a spreadsheet reads a file:
 * - Line ends `\r\n`, `\n` and a lone `\r` all end a record, even mixed in one file. A line break
 *   inside a quoted cell is part of the cell and reads as `\n` whatever was written.
 * - A cell is quoted when its first character is `"`; inside it, `""` is one quote. Spaces between a
 *   closing quote and the comma or line end are dropped. A quote anywhere else in an unquoted cell is
 *   an ordinary character.
 * - Text after a closing quote (`"a"b`) stops the file: where the value ends is unclear. So does a
 *   quote that is never closed, and a record longer than `maxRecordChars` characters (almost always
 *   an unclosed quote): a reader that guessed would merge rows.
 * - Row numbers (R-VAL-1) are records as a spreadsheet numbers them: header = 1, first record = 2;
 *   after a quoted cell holding a line break the row is smaller than the editor's line (errors name
 *   both). A blank line (one cell holding only spaces) takes a row number but carries no data: it
 *   is skipped.
 * - A UTF-8 byte order mark is removed; a UTF-16 one switches to UTF-16 (the text is re-encoded as
 *   UTF-8 before it is tokenized). Bytes that are not UTF-8 are left as they are: the reader decodes
 *   the cells it uses and rejects a row holding such bytes.
 * @module
 */

/** Bytes the CSV readers look for (the tokenizer, the slices' probes, the scan of repeated episode ids). */
export const COMMA = 44;
export const QUOTE = 34;
export const LF = 10;
export const CR = 13;
const SPACE = 32;
const TAB = 9;
/** Bytes of the work buffer kept past its text: the `\n` scan writes there, and a word read at it. */
const PAD = 8;

/** Why a CSV file cannot be read past a record. */
export type CsvSyntaxCode = 'unclosed_quote' | 'text_after_quote' | 'record_too_long';

/** A CSV file that cannot be read past a record: the record's row and the editor line it starts on. */
export class CsvSyntaxError extends Error {
  constructor(
    readonly code: CsvSyntaxCode,
    /** Row number of the record in error (header = 1). */
    readonly row: number,
    /** Editor line (1-based) where the record in error starts. */
    readonly line: number,
    /** Editor line reached when reading stopped (record_too_long). */
    readonly lineReached: number,
  ) {
    super(`${code} in row ${row}`);
    this.name = 'CsvSyntaxError';
  }
}

/** Default longest record, in characters (8 Mi). */
export const DEFAULT_MAX_RECORD_CHARS = 8 * 1024 * 1024;

/**
 * The record the tokenizer hands out: cells as byte ranges of `bytes`. Valid during the callback only
 * (the next record reuses it).
 */
export interface CsvRecord {
  /** The bytes the cells point into. */
  bytes: Uint8Array;
  /** Number of cells. */
  cells: number;
  /** Byte offset where cell i starts. */
  start: Int32Array;
  /** Byte offset where cell i ends (exclusive). */
  end: Int32Array;
  /** 1 when cell i must be unescaped (quoted with `""` or a line break inside): read it with {@link cellText}. */
  escaped: Uint8Array;
  /** Row number (header = 1). */
  row: number;
  /** Editor line where the record starts. */
  line: number;
  /** Whether a cell holds a byte of 0x80 or above (non-ASCII text, or bytes that are not UTF-8). */
  highBytes: boolean;
}

// A U+FEFF inside the text is a character of its cell: only the byte order mark at the start of
// the file is removed (by the tokenizer), so the decoders must not drop one at the start of a cell.
const decoder = new TextDecoder('utf-8', { ignoreBOM: true });

/**
 * Whether bytes [from, to) are plain ASCII (no byte of 0x80 or above).
 * @example isAscii(new TextEncoder().encode('C1'), 0, 2) // true
 */
export function isAscii(bytes: Uint8Array, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (bytes[i]! >= 0x80) return false;
  return true;
}

/**
 * The text of bytes [from, to), decoded as UTF-8 (bytes that are not UTF-8 become U+FFFD).
 * @example bytesText(new TextEncoder().encode('abc'), 0, 2) // 'ab'
 */
export function bytesText(bytes: Uint8Array, from: number, to: number): string {
  const n = to - from;
  if (n <= 0) return '';
  if (n <= 24 && isAscii(bytes, from, to)) {
    // Short ASCII cells (ids, dates, codes): no decoder call.
    if (n <= 16) return shortAscii(bytes, from, n);
    let s = '';
    for (let i = from; i < to; i++) s += String.fromCharCode(bytes[i]!);
    return s;
  }
  return decoder.decode(bytes.subarray(from, to));
}

/**
 * The string of `n` (1 to 16) ASCII bytes from `f`, made in one call: a string grown a character
 * at a time makes a string for each (about 90 ns for an 11-character episode id against 20; a
 * national run makes a string of each of some three million ids).
 */
function shortAscii(b: Uint8Array, f: number, n: number): string {
  switch (n) {
    case 1:
      return String.fromCharCode(b[f]!);
    case 2:
      return String.fromCharCode(b[f]!, b[f + 1]!);
    case 3:
      return String.fromCharCode(b[f]!, b[f + 1]!, b[f + 2]!);
    case 4:
      return String.fromCharCode(b[f]!, b[f + 1]!, b[f + 2]!, b[f + 3]!);
    case 5:
      return String.fromCharCode(b[f]!, b[f + 1]!, b[f + 2]!, b[f + 3]!, b[f + 4]!);
    case 6:
      return String.fromCharCode(b[f]!, b[f + 1]!, b[f + 2]!, b[f + 3]!, b[f + 4]!, b[f + 5]!);
    case 7:
      return String.fromCharCode(b[f]!, b[f + 1]!, b[f + 2]!, b[f + 3]!, b[f + 4]!, b[f + 5]!, b[f + 6]!);
    case 8:
      return String.fromCharCode(b[f]!, b[f + 1]!, b[f + 2]!, b[f + 3]!, b[f + 4]!, b[f + 5]!, b[f + 6]!, b[f + 7]!);
    case 9:
      return String.fromCharCode(b[f]!, b[f + 1]!, b[f + 2]!, b[f + 3]!, b[f + 4]!, b[f + 5]!, b[f + 6]!, b[f + 7]!, b[f + 8]!);
    case 10:
      return String.fromCharCode(b[f]!, b[f + 1]!, b[f + 2]!, b[f + 3]!, b[f + 4]!, b[f + 5]!, b[f + 6]!, b[f + 7]!, b[f + 8]!, b[f + 9]!);
    case 11:
      return String.fromCharCode(b[f]!, b[f + 1]!, b[f + 2]!, b[f + 3]!, b[f + 4]!, b[f + 5]!, b[f + 6]!, b[f + 7]!, b[f + 8]!, b[f + 9]!, b[f + 10]!);
    case 12:
      return String.fromCharCode(b[f]!, b[f + 1]!, b[f + 2]!, b[f + 3]!, b[f + 4]!, b[f + 5]!, b[f + 6]!, b[f + 7]!, b[f + 8]!, b[f + 9]!, b[f + 10]!, b[f + 11]!);
    case 13:
      return String.fromCharCode(b[f]!, b[f + 1]!, b[f + 2]!, b[f + 3]!, b[f + 4]!, b[f + 5]!, b[f + 6]!, b[f + 7]!, b[f + 8]!, b[f + 9]!, b[f + 10]!, b[f + 11]!, b[f + 12]!);
    case 14:
      return String.fromCharCode(b[f]!, b[f + 1]!, b[f + 2]!, b[f + 3]!, b[f + 4]!, b[f + 5]!, b[f + 6]!, b[f + 7]!, b[f + 8]!, b[f + 9]!, b[f + 10]!, b[f + 11]!, b[f + 12]!, b[f + 13]!);
    case 15:
      return String.fromCharCode(b[f]!, b[f + 1]!, b[f + 2]!, b[f + 3]!, b[f + 4]!, b[f + 5]!, b[f + 6]!, b[f + 7]!, b[f + 8]!, b[f + 9]!, b[f + 10]!, b[f + 11]!, b[f + 12]!, b[f + 13]!, b[f + 14]!);
    case 16:
      return String.fromCharCode(b[f]!, b[f + 1]!, b[f + 2]!, b[f + 3]!, b[f + 4]!, b[f + 5]!, b[f + 6]!, b[f + 7]!, b[f + 8]!, b[f + 9]!, b[f + 10]!, b[f + 11]!, b[f + 12]!, b[f + 13]!, b[f + 14]!, b[f + 15]!);
    default:
      throw new RangeError(`shortAscii takes 1 to 16 bytes, not ${n}`);
  }
}

/**
 * The text of cell `i` of a record: unquoted, `""` read as `"`, line breaks read as `\n`.
 * @example cellText(record, 0) // 'C0000001'
 */
export function cellText(r: CsvRecord, i: number): string {
  const s = r.start[i]!;
  const e = r.end[i]!;
  if (r.escaped[i] === 0) return bytesText(r.bytes, s, e);
  return bytesText(r.bytes, s, e).replace(/""/g, '"').replace(/\r\n?/g, '\n');
}

/** Whether a record is a blank line: one cell holding nothing but white space. */
export function isBlankRecord(r: CsvRecord): boolean {
  if (r.cells !== 1) return false;
  const s = r.start[0]!;
  const e = r.end[0]!;
  for (let i = s; i < e; i++) {
    const b = r.bytes[i]!;
    if (b !== SPACE && b !== TAB && b !== 11 && b !== 12) return cellText(r, 0).trim().length === 0;
  }
  return true;
}

/** Options of a {@link CsvTokenizer}. */
export interface CsvTokenizerOptions {
  /** Longest record in characters before reading stops (default {@link DEFAULT_MAX_RECORD_CHARS}). */
  maxRecordChars?: number;
  /**
   * Makes the tokenizer's work buffer of n bytes (default: a `Uint8Array`). Node passes
   * `Buffer.alloc`: a Buffer's `indexOf` finds a byte with the C library's search, several
   * times faster than a typed array's, and the tokenizer looks for line ends, quotes and `\r`
   * that way (in the rows it passes over, over most of the bytes of a national run).
   */
  allocBytes?: (n: number) => Uint8Array;
}

/**
 * A push tokenizer: `push` pieces of bytes, then `end`; `onRecord` is called for every record in
 * file order (the header first), synchronously, but for records passed over (see `passCell`). Throws a {@link CsvSyntaxError} where the file
 * cannot be read on.
 * @example
 * const t = new CsvTokenizer((r) => rows.push(cellText(r, 0)));
 * t.push(new TextEncoder().encode('a,b\n1,2\n')); t.end();
 */
export class CsvTokenizer {
  private readonly maxChars: number;
  private readonly alloc: (n: number) => Uint8Array;
  // The work buffer: the unfinished record carried from the last piece, then the new piece.
  private work: Uint8Array;
  /** The work buffer read four bytes at a time (see scan). */
  private view: DataView;
  private workLen = 0;
  private readonly rec: CsvRecord;
  private row = 0;
  private line = 1;
  private started = false;
  private afterCr = false;
  private utf16: InstanceType<typeof TextDecoder> | undefined;
  private readonly encoder = new TextEncoder();
  private head: Uint8Array | undefined;
  private ended = false;
  /**
   * A record whose cell `passCell` (unquoted) makes `passOver(bytes, start, end)` say yes is passed
   * over: counted, not handed out, its other cells not split when the rest of its line holds no
   * quote and no `\r` (found by the engine's own byte search). Set after the header, by a reader
   * to which such records are nothing (another partition's rows); off (-1) by default. Whether a
   * file can be read does not change: a line that could hold a syntax error is split as usual.
   */
  passCell = -1;
  passOver: ((bytes: Uint8Array, start: number, end: number) => boolean) | undefined;
  /**
   * Takes a row whole, where the reader can (a plain row of its own, read straight into its
   * columns: src/ingest/table.ts, `plainRowReader`): given the bytes, where the record starts, where
   * the text ends, the record's row number and the most bytes it may have, where its `\n` is once
   * the row is taken (counted, not handed out), or -1 to leave it to the tokenizer, which then reads
   * and hands it out as usual. Set after the header; off by default.
   */
  plainRow: ((bytes: Uint8Array, start: number, len: number, row: number, maxBytes: number) => number) | undefined;

  constructor(
    private readonly onRecord: (r: CsvRecord) => void,
    options: CsvTokenizerOptions = {},
  ) {
    this.maxChars = options.maxRecordChars ?? DEFAULT_MAX_RECORD_CHARS;
    this.alloc = options.allocBytes ?? ((n) => new Uint8Array(n));
    this.work = this.alloc(0);
    this.view = new DataView(this.work.buffer, this.work.byteOffset, 0);
    this.rec = { bytes: this.work, cells: 0, start: new Int32Array(64), end: new Int32Array(64), escaped: new Uint8Array(64), row: 0, line: 1, highBytes: false };
  }

  /** Adds the next piece of the file. */
  push(piece: Uint8Array): void {
    if (piece.length === 0) return;
    if (!this.started) {
      // The encoding is told by the first bytes (a byte order mark), even when they come in two pieces.
      const bytes = this.head ? concat(this.head, piece) : piece;
      if (bytes.length < 3) {
        this.head = new Uint8Array(bytes); // a copy (on a Node Buffer, slice() is a view)
        return;
      }
      this.head = undefined;
      this.started = true;
      if (bytes[0] === 0xff && bytes[1] === 0xfe) this.utf16 = new TextDecoder('utf-16le', { ignoreBOM: true });
      else if (bytes[0] === 0xfe && bytes[1] === 0xff) this.utf16 = new TextDecoder('utf-16be', { ignoreBOM: true });
      if (this.utf16) {
        this.feed(this.encoder.encode(this.utf16.decode(bytes.subarray(2), { stream: true })));
        return;
      }
      this.feed(bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? bytes.subarray(3) : bytes);
      return;
    }
    this.feed(this.utf16 ? this.encoder.encode(this.utf16.decode(piece, { stream: true })) : piece);
  }

  /**
   * Reads the next piece of the file straight into the tokenizer's own buffer, after the unfinished
   * record it holds, rather than copying a piece given to {@link push}: `read(into, at)` writes at
   * most `max` bytes into `into` from `at` and returns how many (0: none left). `seen` is shown the
   * bytes read (a view, valid until it returns: hash them there) before they are read. Returns how
   * many bytes were read, or -1 when this piece must be pushed instead: before the first push (the
   * encoding is not known yet), in a UTF-16 file, and after a piece that ended in a `\r`.
   * @example const n = t.fill((into, at) => readSync(fd, into, at, 1 << 22, position), 1 << 22, (b) => hash.update(b));
   */
  fill(read: (into: Uint8Array, at: number) => number, max: number, seen: (bytes: Uint8Array) => void): number {
    if (!this.started || this.utf16 !== undefined || this.afterCr || this.ended) return -1;
    this.room(this.workLen + max);
    const n = read(this.work, this.workLen);
    if (n <= 0) return 0;
    seen(this.work.subarray(this.workLen, this.workLen + n));
    this.workLen += n;
    this.scan(false);
    return n;
  }

  /** Ends the file: the last record is handed out even without a final line break. */
  end(): void {
    if (this.ended) return;
    this.ended = true;
    if (!this.started && this.head) {
      const h = this.head;
      this.head = undefined;
      this.started = true;
      if (h.length >= 2 && h[0] === 0xff && h[1] === 0xfe) this.feed(this.encoder.encode(new TextDecoder('utf-16le', { ignoreBOM: true }).decode(h.subarray(2))));
      else if (h.length >= 2 && h[0] === 0xfe && h[1] === 0xff) this.feed(this.encoder.encode(new TextDecoder('utf-16be', { ignoreBOM: true }).decode(h.subarray(2))));
      else this.feed(h);
    }
    if (this.utf16) this.feed(this.encoder.encode(this.utf16.decode()));
    if (this.workLen > 0) this.scan(true);
  }

  /**
   * Goes on at a later record of the same file (the bytes pushed next start one), after
   * `rowsBefore` rows (header included): a partition reading its slice of a part after the header
   * (src/node/slices.ts). Only between records. The editor line is taken to be the row: the rows
   * before may hold a quoted line break (when another partition read them), so a slice's editor
   * lines are not to be trusted; they reach the person only through a CSV syntax error, which in a
   * slice sends the run to a whole reading instead.
   */
  resumeAt(rowsBefore: number): void {
    if (this.workLen !== 0 || !this.started || this.afterCr) throw new Error('internal error: a CSV tokenizer resumed inside a record');
    this.row = rowsBefore;
    this.line = rowsBefore + 1;
  }

  /** Rows so far: handed out or passed over (header included; blank lines included). */
  get rows(): number {
    return this.row;
  }

  private feed(piece: Uint8Array): void {
    if (piece.length === 0) return;
    let from = 0;
    if (this.afterCr) {
      // The `\n` of a `\r\n` cut between two pieces.
      this.afterCr = false;
      if (piece[0] === LF) from = 1;
    }
    const need = this.workLen + piece.length - from;
    this.room(need);
    this.work.set(from === 0 ? piece : piece.subarray(from), this.workLen);
    this.workLen = need;
    this.scan(false);
  }

  /** Makes the work buffer hold `need` bytes, and room past them for the `\n` that scan writes there and a word read at it (PAD). */
  private room(need: number): void {
    if (need + PAD <= this.work.length) return;
    const grown = this.alloc(Math.max(need + PAD, this.work.length * 2, 1 << 16));
    grown.set(this.work.subarray(0, this.workLen));
    this.work = grown;
    this.view = new DataView(grown.buffer, grown.byteOffset, grown.length);
  }

  private grow(): void {
    const n = this.rec.start.length * 2;
    const start = new Int32Array(n);
    const end = new Int32Array(n);
    const escaped = new Uint8Array(n);
    start.set(this.rec.start);
    end.set(this.rec.end);
    escaped.set(this.rec.escaped);
    this.rec.start = start;
    this.rec.end = end;
    this.rec.escaped = escaped;
  }

  /**
   * Tokenizes the work buffer up to its last complete record (all of it when `final`), hands the
   * records out and keeps the unfinished one.
   */
  private scan(final: boolean): void {
    const buf = this.work;
    const len = this.workLen;
    const rec = this.rec;
    rec.bytes = buf;
    let recStart = 0; // where the current record starts
    let i = 0;
    this.nextQuote = -1;
    this.nextCr = -1;
    // A `\n` past the text (feed leaves room for it and for a word read at it), so that the plain
    // path below needs no bound as it goes: meeting it at `len` means the record has not ended in
    // what has arrived.
    const view = this.view;
    if (len + PAD > buf.length) throw new Error("internal error: no room past a CSV tokenizer's text");
    buf[len] = LF;
    records: for (;;) {
      const plainRow = this.plainRow;
      if (plainRow !== undefined) {
        const lf = plainRow(buf, recStart, len, this.row + 1, this.maxChars);
        if (lf >= 0) {
          this.line++;
          recStart = this.afterLine(lf, len);
          if (recStart < 0) return;
          continue;
        }
      }
      // A plain record (no quote, no `\r`) ending in a `\n` — most rows of a national extract — is
      // read four bytes at a time: a word with no byte below 0x2d (`-`) holds no comma, quote or
      // line end, and most cells (dates, ids, codes) are made of such bytes. Any other record is
      // read by the general loop below, from its start, with the same result.
      plain: {
        let st = rec.start;
        let en = rec.end;
        let k = 0;
        let s = recStart;
        let j = recStart;
        let h = 0; // the record's bytes OR-ed together: its high bit tells of a byte of 0x80 or above
        const passCell = this.passCell;
        for (;;) {
          const w = view.getInt32(j, true);
          // The high bit of each byte below 0x2d (of which the first, in memory order, is exact:
          // a borrow runs only towards later bytes, and bytes of 0x80 or above are masked out).
          const below = (w - 0x2d2d2d2d) & ~w & 0x80808080;
          if (below === 0) {
            h |= w;
            j += 4;
            continue;
          }
          const at = (31 - Math.clz32(below & -below)) >>> 3;
          if (at > 0) {
            h |= w & ((1 << (at << 3)) - 1);
            j += at;
          }
          const c = buf[j]!;
          if (c === COMMA || c === LF) {
            if (k === st.length) {
              this.grow();
              st = rec.start;
              en = rec.end;
            }
            st[k] = s;
            en[k] = j;
            if (c === LF) break;
            if (k === passCell && this.passOver !== undefined && this.passOver(buf, s, j)) {
              const lf = this.plainLineEnd(buf, j, recStart, len);
              if (lf >= 0) {
                this.line++;
                recStart = this.afterLine(lf, len);
                if (recStart < 0) return;
                continue records;
              }
            }
            k++;
            s = ++j;
            continue;
          }
          if (c === QUOTE || c === CR) break plain;
          j++; // another byte below `-` (a space, `+`, …): part of the cell
        }
        // The `\n` written past the text: the record goes on in the next piece.
        if (j >= len) break plain;
        if (j - recStart > this.maxChars) break plain; // the general loop tells whether it is too long
        this.row++;
        rec.cells = k + 1;
        rec.row = this.row;
        rec.line = this.line;
        rec.highBytes = (h & 0x80808080) !== 0;
        this.line++;
        this.onRecord(rec);
        recStart = j + 1;
        if (recStart >= len) {
          this.workLen = 0;
          return;
        }
        continue records;
      }
      // One record from recStart.
      let cells = 0;
      let hi = 0;
      let line = this.line;
      let p = recStart;
      let complete = false;
      let atEnd = false;
      let end = 0; // where the record's text ends (before its line end)
      for (;;) {
        // One cell from p.
        if (cells === rec.start.length) this.grow();
        if (p < len && buf[p] === QUOTE) {
          // Quoted cell: up to the closing quote (a `""` is an escaped quote).
          let q = p + 1;
          let escaped = 0;
          for (;;) {
            const next = buf.indexOf(QUOTE, q);
            if (next === -1 || next >= len) {
              // Not closed in what has arrived.
              if (!final) return this.keep(recStart, buf, len);
              throw new CsvSyntaxError('unclosed_quote', this.row + 1, this.line, line + breaks(buf, p, len));
            }
            if (next + 1 < len && buf[next + 1] === QUOTE) {
              escaped = 1;
              q = next + 2;
              continue;
            }
            if (next + 1 >= len && !final) return this.keep(recStart, buf, len);
            // The closing quote.
            for (let k = p + 1; k < next; k++) hi |= buf[k]!;
            const b = breaks(buf, p + 1, next);
            if (b > 0) {
              escaped = 1;
              line += b;
            }
            rec.start[cells] = p + 1;
            rec.end[cells] = next;
            rec.escaped[cells] = escaped;
            cells++;
            i = next + 1;
            while (i < len && (buf[i] === SPACE || buf[i] === TAB)) i++;
            break;
          }
          if (i >= len) {
            if (!final) return this.keep(recStart, buf, len);
            atEnd = true;
            complete = true;
            end = i;
            break;
          }
          const c = buf[i]!;
          if (c === COMMA) {
            p = i + 1;
            continue;
          }
          if (c === LF || c === CR) {
            end = i;
            i = this.lineEnd(buf, i, len, final);
            if (i < 0) return this.keep(recStart, buf, len);
            complete = true;
            break;
          }
          throw new CsvSyntaxError('text_after_quote', this.row + 1, this.line, line);
        }
        // Unquoted cell: up to the next comma or line end.
        i = p;
        while (i < len) {
          const c = buf[i]!;
          if (c > COMMA) {
            hi |= c;
            i++;
            continue;
          }
          if (c === COMMA || c === LF || c === CR) break;
          i++;
        }
        rec.start[cells] = p;
        rec.end[cells] = i;
        rec.escaped[cells] = 0;
        cells++;
        end = i;
        if (cells - 1 === this.passCell && i < len && buf[i] === COMMA && this.passOver !== undefined && this.passOver(buf, p, i)) {
          const lf = this.plainLineEnd(buf, i, recStart, len);
          if (lf >= 0) {
            this.line = line + 1;
            // An earlier cell of this record may have been quoted with `""`: the plain path
            // counts on every `escaped` entry being 0 between records.
            rec.escaped.fill(0, 0, cells);
            recStart = this.afterLine(lf, len);
            if (recStart < 0) return;
            continue records;
          }
        }
        if (i >= len) {
          if (!final) return this.keep(recStart, buf, len);
          atEnd = true;
          complete = true;
          break;
        }
        if (buf[i] === COMMA) {
          p = i + 1;
          continue;
        }
        i = this.lineEnd(buf, i, len, final);
        if (i < 0) return this.keep(recStart, buf, len);
        complete = true;
        break;
      }
      if (!complete) return;
      // A record that arrived whole is held to the same limit as one still arriving (keep), so
      // whether a file can be read does not depend on how its bytes were cut into pieces.
      if (end - recStart > this.maxChars && chars(buf, recStart, end) > this.maxChars) {
        throw new CsvSyntaxError('record_too_long', this.row + 1, this.line, line);
      }
      this.row++;
      rec.cells = cells;
      rec.row = this.row;
      rec.line = this.line;
      rec.highBytes = hi >= 0x80;
      this.line = line + 1;
      this.onRecord(rec);
      // The plain path writes no `escaped`: it counts on every entry being 0 between records.
      rec.escaped.fill(0, 0, cells);
      recStart = i;
      if (atEnd || recStart >= len) {
        this.workLen = 0;
        return;
      }
    }
  }

  // Where the next quote and `\r` of the work buffer are (its length: none), looked up again only
  // once passed (see plainLineEnd); reset by every scan.
  private nextQuote = -1;
  private nextCr = -1;

  /**
   * The `\n` ending the line of a record passed over after its cell ending at `at`, when the rest
   * of the line is plain — no quote or `\r` before it, within `maxRecordChars` of the record's
   * start — so that its other cells need not be split; else -1 (the record is read as usual).
   */
  private plainLineEnd(buf: Uint8Array, at: number, recStart: number, len: number): number {
    const lf = buf.indexOf(LF, at);
    if (lf === -1 || lf >= len || lf - recStart > this.maxChars) return -1;
    if (this.nextQuote < at) this.nextQuote = after(buf, QUOTE, at, len);
    if (this.nextCr < at) this.nextCr = after(buf, CR, at, len);
    return this.nextQuote > lf && this.nextCr > lf ? lf : -1;
  }

  /**
   * A row counted but not handed out — taken by `plainRow`, or passed over — whose `\n` is at `lf`
   * (its editor line is the caller's to count): where the next record starts, or -1 when nothing of
   * the text is left (then nothing is kept for the next piece).
   */
  private afterLine(lf: number, len: number): number {
    this.row++;
    if (lf + 1 < len) return lf + 1;
    this.workLen = 0;
    return -1;
  }

  /** After a line end at `i`: the offset after it, or -1 when a `\r` ends what has arrived. */
  private lineEnd(buf: Uint8Array, i: number, len: number, final: boolean): number {
    if (buf[i] === LF) return i + 1;
    // `\r`: alone, or the first half of `\r\n`.
    if (i + 1 < len) return buf[i + 1] === LF ? i + 2 : i + 1;
    if (final) return i + 1;
    this.afterCr = true;
    return i + 1;
  }

  /** Keeps the unfinished record [recStart, len) for the next piece (checking its length). */
  private keep(recStart: number, buf: Uint8Array, len: number): void {
    const n = len - recStart;
    if (n > this.maxChars && chars(buf, recStart, len) > this.maxChars) {
      throw new CsvSyntaxError('record_too_long', this.row + 1, this.line, this.line + breaks(buf, recStart, len));
    }
    if (recStart > 0) buf.copyWithin(0, recStart, len);
    this.workLen = n;
    // The unfinished record is read again from its start (by the general loop: it holds a quote
    // or a `\r`, or has not ended): no `escaped` entry of it is left for a plain record.
    this.rec.escaped.fill(0);
  }
}

/** The first `byte` in buf[from, len), or len when there is none (bytes past len are stale). */
function after(buf: Uint8Array, byte: number, from: number, len: number): number {
  const at = buf.indexOf(byte, from);
  return at === -1 || at >= len ? len : at;
}

/** Line breaks (`\r\n`, `\n`, lone `\r`) in bytes [from, to). */
function breaks(buf: Uint8Array, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const b = buf[i]!;
    if (b === LF) n++;
    else if (b === CR) {
      n++;
      if (i + 1 < to && buf[i + 1] === LF) i++;
    }
  }
  return n;
}

/** Characters (UTF-8 sequences) in bytes [from, to). */
function chars(buf: Uint8Array, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) if ((buf[i]! & 0xc0) !== 0x80) n++;
  return n;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

/**
 * A small CSV text as rows of cell strings (header first), read by the same tokenizer as every
 * input file: for tables a person types, such as `forecast --journeys`. Blank lines are kept as
 * rows of one empty cell. Throws a {@link CsvSyntaxError} where the text cannot be read on.
 * @example csvRows('quarter,band\nQ1,"1"\n') // [['quarter', 'band'], ['Q1', '1']]
 */
export function csvRows(text: string | Uint8Array, options: CsvTokenizerOptions = {}): string[][] {
  const rows: string[][] = [];
  const t = new CsvTokenizer((r) => {
    const cells: string[] = [];
    for (let i = 0; i < r.cells; i++) cells.push(cellText(r, i));
    rows.push(cells);
  }, options);
  t.push(typeof text === 'string' ? new TextEncoder().encode(text) : text);
  t.end();
  return rows;
}
