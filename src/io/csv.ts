/**
 * Streaming CSV reader (SPEC §2: UTF-8, comma, RFC 4180 quoting, header row) on PapaParse, a
 * well-kept CSV parser (issue #2). A file of several GB is never loaded whole: the file is read in
 * `chunkBytes` pieces, decoded, and fed to PapaParse's stream reader, which hands back the records
 * of each piece; reading pauses while the records read are not yet taken (backpressure). One record
 * may be at most `maxRecordChars` long, so an unclosed quote cannot make the reader hold the rest of
 * a file (PapaParse has no such limit: the reader counts the characters fed since the last complete
 * record and stops there).
 *
 * Row numbers (R-VAL-1) are the records as a spreadsheet shows them: header = 1, first record = 2.
 * A quoted field holding a line break is still one record (one spreadsheet row), so after such a
 * record the row number is smaller than the editor's line number. A blank line is a row (it takes
 * a row number, as in a spreadsheet) but carries no data: it is skipped and not counted as read.
 *
 * Line ends: PapaParse reads one newline style per file, so the text is normalised before it is
 * parsed: `\r\n` and a lone `\r` become `\n` (also across the cut between two pieces). `\r\n`, `\n`
 * and `\r` line ends are therefore all accepted, even mixed in one file, and a line break inside a
 * quoted cell reads as `\n` whatever was written (as spreadsheets show it).
 *
 * Lenient where a spreadsheet is: a UTF-8 BOM is removed (a UTF-16 BOM switches to UTF-16), a stray
 * quote inside an unquoted cell is kept as a character, spaces between a closing quote and the comma
 * or line end are dropped. Strict where guessing would be wrong: a row with more or fewer cells
 * than the header is rejected as a whole; bytes that are not UTF-8 reject the row; a quote that is
 * never closed stops the file with a message naming the row and the editor line where it starts, and
 * so does text after a closing quote (`"a"b`: PapaParse would take the quote as still open and read
 * on into the next lines up to another quote, merging rows).
 * @module
 */
import { open, stat, type FileHandle } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { TextDecoder } from 'node:util';
import Papa from 'papaparse';
import { RecoveryPbrError } from '../errors.js';
import {
  DEFAULT_MAX_RECORD_CHARS,
  REPLACEMENT_CHAR,
  fileSystemError,
  flatten,
  labelOf,
  notUtf8Problem,
  wrongWidthProblem,
  type ReadOptions,
  type ReadRow,
  type TableSource,
} from './source.js';

/** Why a CSV file cannot be read past a record (its row number and the editor line where it starts). */
class CsvReadError extends Error {
  constructor(
    readonly code: 'unclosed_quote' | 'text_after_quote' | 'record_too_long',
    /** Row number of the record in error (header = 1). */
    readonly row: number,
    /** Line (1-based, as an editor counts) where the record in error starts. */
    readonly line: number,
    /** Line reached when reading stopped (record_too_long). */
    readonly lineReached: number,
  ) {
    super(`${code} in row ${row}`);
  }
}

function csvError(e: unknown, path: string, label: string, maxRecordChars: number): Error {
  if (e instanceof CsvReadError) {
    const { row, line } = e;
    const where = `row ${row}${line !== row ? ` (line ${line} in a text editor)` : ` (line ${line})`}`;
    if (e.code === 'unclosed_quote') {
      return new RecoveryPbrError('input_syntax', 
        `${label}: a quote (") opened in ${where} is never closed, so the rest of the file would be one cell. ` +
          'Add the missing closing quote, or remove the stray one, and run again.',
      );
    }
    if (e.code === 'text_after_quote') {
      return new RecoveryPbrError('input_syntax', 
        `${label}: in ${where} a quoted value has text after its closing quote (like "a"b), so where the value ends is unclear. ` +
          'Put the whole value in quotes and write each quote inside it twice ("a""b"), or remove the stray quote, and run again.',
      );
    }
    return new RecoveryPbrError('input_syntax', 
      `${label}: ${where} runs on for more than ${maxRecordChars.toLocaleString('en-GB')} characters (reading stopped at line ${e.lineReached}). ` +
        'Most likely a quote (") in that row is never closed; check the quotes there. No rows were used.',
    );
  }
  if (typeof (e as NodeJS.ErrnoException)?.code === 'string') return fileSystemError(path, e);
  return e as Error;
}

function isBlank(rec: string[]): boolean {
  if (rec.length !== 1) return false;
  const c = rec[0]!;
  return c.length === 0 || c.trim().length === 0;
}

const INTERN_LIMIT = 10_000;

/** The text encoding a file's first bytes announce (a UTF-16 BOM switches to UTF-16; default UTF-8). */
function encodingOf(head: Uint8Array): 'utf-8' | 'utf-16le' | 'utf-16be' {
  if (head.length >= 2 && head[0] === 0xff && head[1] === 0xfe) return 'utf-16le';
  if (head.length >= 2 && head[0] === 0xfe && head[1] === 0xff) return 'utf-16be';
  return 'utf-8';
}

const LF = 10;
const CR = 13;
const CRLF_OR_CR = /\r\n?/g;

/** Line breaks (`\n`: the text is normalised) in `text`. */
function lineBreaks(text: string): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

/**
 * Turns the line ends of text arriving in pieces into `\n` (PapaParse reads one newline style per
 * file; a spreadsheet accepts any, even mixed): `\r\n` and a lone `\r` become `\n`, also when a
 * piece ends with the `\r` of a `\r\n`.
 * @example const lf = lineEndsToLf(); lf('a\r') + lf('\nb\rc') // 'a\nb\nc'
 */
function lineEndsToLf(): (text: string) => string {
  let afterCr = false;
  return (text) => {
    if (text.length === 0) return text;
    if (afterCr && text.charCodeAt(0) === LF) text = text.slice(1);
    afterCr = text.charCodeAt(text.length - 1) === CR;
    return text.indexOf('\r') === -1 ? text : text.replace(CRLF_OR_CR, '\n');
  };
}

/** How many parsed records may wait for the reader before reading pauses. */
const MAX_WAITING_BATCHES = 2;

/** How a CSV file is read: piece size, longest record, a tap on the bytes, and whether records come back as lines. */
interface BatchOptions {
  chunkBytes: number;
  maxRecordChars: number;
  onBytes: (chunk: Uint8Array) => void;
  /** A record whose cells hold no quote, comma or line break comes back as its line. */
  raw: boolean;
  /** Receives the function that stops reading (the reader is then done, without error). */
  onStart?: (stop: () => void) => void;
}

/**
 * Records of a CSV file, a batch at a time: the file is read in `chunkBytes` pieces, decoded (BOM
 * removed; bytes that are not UTF-8 become U+FFFD), its line ends turned into `\n`, and parsed by
 * PapaParse's stream reader (`Papa.parse(readable, { chunk })`). Reading pauses while
 * {@link MAX_WAITING_BATCHES} batches wait to be taken. With `raw`, a record whose cells hold no
 * quote, comma or line break comes back as its line, for a reader that routes lines before it looks
 * at them.
 */
async function* recordBatches(fh: FileHandle, options: BatchOptions): AsyncGenerator<(string | string[])[]> {
  const { chunkBytes, maxRecordChars, onBytes, raw } = options;
  const waiting: (string | string[])[][] = [];
  let failure: unknown;
  let ended = false;
  let wake: (() => void) | undefined;
  const notify = () => {
    const w = wake;
    wake = undefined;
    w?.();
  };

  // Text handed to the parser, piece by piece (each piece is parsed by one `chunk` call, in order).
  const fed: { text: string; start: number; lastQuote: number }[] = [];
  let fedChars = 0;
  let lastChar = -1;
  const toLf = lineEndsToLf();
  let decoder: TextDecoder | undefined;
  let head: Buffer | undefined;
  const buf = Buffer.allocUnsafe(chunkBytes);

  const source = new Readable({
    objectMode: true,
    highWaterMark: 1,
    read() {
      void readPiece();
    },
  });
  const fail = (e: unknown) => {
    failure ??= e;
    source.destroy();
    notify();
  };
  options.onStart?.(() => {
    ended = true;
    waiting.length = 0;
    source.destroy();
    notify();
  });
  const feed = (text: string) => {
    const q = text.indexOf('"'); // (indexOf is the fast search; most pieces hold no quote)
    fed.push({ text, start: fedChars, lastQuote: q === -1 ? -1 : text.lastIndexOf('"') });
    fedChars += text.length;
    lastChar = text.charCodeAt(text.length - 1);
    source.push(text);
  };
  async function readPiece(): Promise<void> {
    try {
      for (;;) {
        const { bytesRead } = await fh.read(buf, 0, chunkBytes, null);
        if (source.destroyed) return;
        if (bytesRead === 0) {
          if (head !== undefined) decoder = new TextDecoder('utf-8');
          const tail = decoder ? toLf(decoder.decode(head)) : '';
          if (tail.length > 0) feed(tail);
          // Every record then ends with a line break: the last one is read like any other.
          if (fedChars > 0 && lastChar !== LF) feed('\n');
          source.push(null);
          return;
        }
        let bytes: Uint8Array = buf.subarray(0, bytesRead);
        onBytes(bytes);
        if (decoder === undefined) {
          // The encoding is told by the first two bytes (a BOM), even if they come in two reads.
          if (head !== undefined) bytes = Buffer.concat([head, bytes]);
          head = undefined;
          if (bytes.length < 2) {
            head = Buffer.from(bytes);
            continue;
          }
          decoder = new TextDecoder(encodingOf(bytes));
        }
        const text = toLf(decoder.decode(bytes, { stream: true }));
        if (text.length > 0) {
          feed(text);
          return;
        }
      }
    } catch (e) {
      if (!source.destroyed) fail(e);
    }
  }

  // Where the parser stands: records completed (header included), the editor line where the next
  // one starts, and the character (in the text fed) where it starts.
  let records = 0;
  let line = 1;
  let consumed = 0;
  let lastQuoteAt = -1;
  // The pieces parsed that hold the start of the next record (for the line reached, in a message).
  const kept: { text: string; start: number }[] = [];
  /** The text fed from character `from` to `to` (kept pieces only). */
  const textBetween = (from: number, to = Number.MAX_SAFE_INTEGER) => {
    let out = '';
    for (const k of kept) {
      const end = k.start + k.text.length;
      if (end <= from || k.start >= to) continue;
      out += from <= k.start && to >= end ? k.text : k.text.slice(Math.max(0, from - k.start), Math.min(k.text.length, to - k.start));
    }
    return out;
  };

  /** Editor line where `rows[upTo]` starts. */
  const lineOf = (rows: string[][], upTo: number): number => {
    let l = line;
    for (let i = 0; i < upTo; i++) {
      l++;
      for (const cell of rows[i]!) if (cell.indexOf('\n') !== -1) l += lineBreaks(cell);
    }
    return l;
  };

  const onChunk = (results: Papa.ParseResult<string[]>) => {
    if (failure !== undefined) return;
    const piece = fed.shift();
    const final = piece === undefined;
    if (piece) {
      if (piece.lastQuote !== -1) lastQuoteAt = piece.start + piece.lastQuote;
      kept.push(piece);
    }
    const rows = results.data;
    // A quote in the text parsed: cells may hold commas, quotes and line breaks.
    const quoted = lastQuoteAt >= consumed;
    if (results.errors.length > 0) {
      // PapaParse reports a malformed quote (text after a closing quote) and, at the end of the
      // text, a quote never closed. A malformed quote in the last record may only be the cut
      // between two pieces: it counts once the record is complete.
      let bad: { at: number; code: CsvReadError['code'] } | undefined;
      for (const e of results.errors) {
        if (e.code !== 'MissingQuotes' && e.code !== 'InvalidQuotes') continue;
        const at = e.row ?? 0;
        if (!final && at >= rows.length) continue;
        const code = e.code === 'MissingQuotes' ? 'unclosed_quote' : 'text_after_quote';
        if (bad === undefined || at < bad.at || (at === bad.at && code === 'text_after_quote')) bad = { at, code };
      }
      if (bad !== undefined) {
        fail(new CsvReadError(bad.code, records + bad.at + 1, lineOf(rows, bad.at), 0));
        return;
      }
    }
    let recs: (string | string[])[] = rows;
    if (quoted) {
      // Quoted cells may hold line breaks (for the editor line of a later record). With `raw`, a
      // record is its line when that line gives its cells back: no quote or line break, and no
      // comma but the separators.
      let breaks = 0;
      if (raw) recs = new Array<string | string[]>(rows.length);
      for (let i = 0; i < rows.length; i++) {
        const cells = rows[i]!;
        if (raw) {
          const joined = cells.join(',');
          let commas = 0;
          for (let c = joined.indexOf(','); c !== -1; c = joined.indexOf(',', c + 1)) commas++;
          const hasBreak = joined.indexOf('\n') !== -1;
          if (hasBreak) breaks += lineBreaks(joined);
          recs[i] = !hasBreak && commas === cells.length - 1 && joined.indexOf('"') === -1 ? joined : cells;
        } else {
          for (let c = 0; c < cells.length; c++) if (cells[c]!.indexOf('\n') !== -1) breaks += lineBreaks(cells[c]!);
        }
      }
      line += breaks;
    } else if (raw && rows.length > 0) {
      // No quote in the text parsed: each record is one line of it, ended by '\n' (the text always
      // ends with one), so its line is taken as written rather than joined again from its cells.
      const lines = piece ? textBetween(consumed, results.meta.cursor).split('\n') : [];
      if (lines.length === rows.length + 1) {
        lines.pop();
        recs = lines;
      } else {
        recs = new Array<string>(rows.length);
        for (let i = 0; i < rows.length; i++) recs[i] = rows[i]!.join(',');
      }
    }
    records += rows.length;
    line += rows.length;
    if (piece) {
      consumed = results.meta.cursor;
      while (kept.length > 0 && kept[0]!.start + kept[0]!.text.length <= consumed) kept.shift();
      if (piece.start + piece.text.length - consumed > maxRecordChars) {
        fail(new CsvReadError('record_too_long', records + 1, line, line + lineBreaks(textBetween(consumed))));
        return;
      }
    }
    if (recs.length > 0) {
      waiting.push(recs);
      if (waiting.length >= MAX_WAITING_BATCHES) source.pause();
      notify();
    }
  };

  try {
    Papa.parse<string[], NodeJS.ReadableStream>(source, {
      delimiter: ',',
      newline: '\n',
      quoteChar: '"',
      escapeChar: '"',
      header: false,
      dynamicTyping: false,
      skipEmptyLines: false,
      chunk: onChunk,
      complete: () => {
        ended = true;
        notify();
      },
      error: fail,
    });
    for (;;) {
      const recs = waiting.shift();
      if (recs !== undefined) {
        if (waiting.length === 0 && failure === undefined && source.isPaused()) source.resume();
        yield recs;
        continue;
      }
      if (failure !== undefined) throw failure;
      if (ended) return;
      if (source.isPaused()) source.resume();
      await new Promise<void>((resolve) => (wake = resolve));
    }
  } finally {
    source.destroy();
  }
}

/** An opened CSV file, its first records read (the header among them). */
async function startCsv(path: string, options: ReadOptions, raw: boolean) {
  const label = labelOf(path, options);
  const maxRecordChars = options.maxRecordChars ?? DEFAULT_MAX_RECORD_CHARS;
  let size: number;
  try {
    const s = await stat(path);
    if (s.isDirectory()) throw new RecoveryPbrError('input_syntax', `${path} is a folder, not a CSV file`);
    size = s.size;
  } catch (e) {
    throw fileSystemError(path, e);
  }
  if (size === 0) {
    throw new RecoveryPbrError('input_syntax', 
      `${label} is empty (0 bytes). A file with no rows still needs its header row; if you have no such data, remove the file.`,
    );
  }
  let fh: FileHandle;
  try {
    fh = await open(path, 'r');
  } catch (e) {
    throw fileSystemError(path, e);
  }
  let bytesRead = 0;
  let closed = false;
  let stop: (() => void) | undefined;
  const close = () => {
    if (closed) return;
    closed = true;
    stop?.();
    fh.close().catch(() => undefined);
  };
  const source = recordBatches(fh, {
    chunkBytes: options.chunkBytes ?? 256 * 1024,
    maxRecordChars,
    onBytes: (chunk) => {
      bytesRead += chunk.length;
      options.onBytes?.(chunk);
    },
    raw,
    onStart: (s) => (stop = s),
  });
  let first: (string | string[])[] = [];
  try {
    for (;;) {
      const r = await source.next();
      if (r.done) break;
      if (r.value.length > 0) {
        first = r.value;
        break;
      }
    }
  } catch (e) {
    close();
    throw csvError(e, path, label, maxRecordChars);
  }
  const head = first[0];
  const headerRec = typeof head === 'string' ? head.split(',') : head;
  if (headerRec === undefined || isBlank(headerRec)) {
    close();
    throw new RecoveryPbrError('input_syntax', `${label} has no header row: its first line must name the columns (e.g. episode_id,client_id,…).`);
  }
  const columns = headerRec.map((c) => c.trim());
  return { label, maxRecordChars, source, first, close, bytesRead: () => bytesRead, columns };
}

/** Which header cells feed which fields: cell index and field name of every kept column. */
export interface CsvColumns {
  idx: number[];
  name: string[];
}

function keptColumns(columns: string[], options: ReadOptions): CsvColumns {
  const names = options.fields ? options.fields(columns) : columns.map((c) => c);
  const idx: number[] = [];
  const name: string[] = [];
  names.forEach((n, i) => {
    if (n !== undefined && n !== '' && !name.includes(n)) {
      idx.push(i);
      name.push(n);
    }
  });
  return { idx, name };
}

/** A CSV file read as lines, for readers that route rows before looking at them (issue #6). */
export interface CsvLines {
  columns: string[];
  kept: CsvColumns;
  /** Records in file order, a chunk at a time: `first` is the row number of `records[0]`; a record is its line (no quote in it) or its cells. */
  batches: AsyncIterable<{ first: number; records: (string | string[])[] }>;
  bytesRead(): number;
  close(): void;
}

/**
 * Opens a CSV file for line-level reading: the header is read and mapped as by {@link openCsv},
 * and each record comes back as its raw line when it holds no quote (else as cells), with its row
 * number; blank records are included (the caller skips them).
 * @example const src = await openCsvLines('episodes.csv'); for await (const b of src.batches) b.records.length
 */
export async function openCsvLines(path: string, options: ReadOptions = {}): Promise<CsvLines> {
  const st = await startCsv(path, options, true);
  const kept = keptColumns(st.columns, options);
  let started = false;
  async function* batches(): AsyncGenerator<{ first: number; records: (string | string[])[] }> {
    if (started) throw new Error(`${st.label}: rows can be read only once`);
    started = true;
    let row = 2;
    try {
      if (st.first.length > 1) {
        yield { first: row, records: st.first.slice(1) };
        row += st.first.length - 1;
      }
      for (;;) {
        const r = await st.source.next();
        if (r.done) break;
        yield { first: row, records: r.value };
        row += r.value.length;
      }
    } catch (e) {
      throw csvError(e, path, st.label, st.maxRecordChars);
    } finally {
      st.close();
    }
  }
  return { columns: st.columns, kept, batches: { [Symbol.asyncIterator]: () => batches() }, bytesRead: st.bytesRead, close: st.close };
}

/**
 * Opens a CSV file and reads its header row; the rows are then streamed from `rows` (or `batches`).
 * File-level problems (missing, empty, unreadable, unclosed quote) throw a `RecoveryPbrError` with a
 * message that says what to do.
 * @example
 * const src = await openCsv('data/episodes.csv');
 * for await (const { row, values } of src.rows) console.log(row, values['episode_id']);
 */
export async function openCsv(path: string, options: ReadOptions = {}): Promise<TableSource> {
  const st = await startCsv(path, options, false);
  const { label, maxRecordChars, source, close, columns } = st;
  const first = st.first as string[][];
  const { idx: keepIdx, name: keepName } = keptColumns(columns, options);
  const checkUtf8 = keepName.map((n) => (options.utf8Fields ? options.utf8Fields.includes(n) : true));
  const width = columns.length;
  const nKeep = keepIdx.length;
  // Low-cardinality columns (provider, area, dates, codes) repeat a few values millions of times;
  // sharing one string per value cut the memory of a 1M-row episodes file by about a third, at no
  // measurable cost in time. A column that keeps showing new values (ids) stops being interned
  // once it has shown INTERN_LIMIT of them.
  const interned: (Map<string, string> | undefined)[] = keepName.map(() => (options.intern === false ? undefined : new Map<string, string>()));
  let row = 1;

  function toRows(recs: string[][], from: number): ReadRow[] {
    const out: ReadRow[] = [];
    for (let i = from; i < recs.length; i++) {
      const rec = recs[i]!;
      row++;
      if (isBlank(rec)) continue;
      const n = rec.length;
      const values: Record<string, unknown> = {};
      let problem: ReadRow['problem'];
      for (let k = 0; k < nKeep; k++) {
        const cell = rec[keepIdx[k]!];
        if (cell === undefined) continue;
        const pool = interned[k];
        if (pool !== undefined && cell.length <= 32) {
          const shared = pool.get(cell);
          if (shared !== undefined) values[keepName[k]!] = shared;
          else {
            values[keepName[k]!] = cell;
            if (pool.size < INTERN_LIMIT) pool.set(cell, cell);
            else interned[k] = undefined;
          }
        } else values[keepName[k]!] = cell;
        if (problem === undefined && checkUtf8[k] && cell.indexOf(REPLACEMENT_CHAR) !== -1) {
          problem = notUtf8Problem(keepName[k]!, cell);
        }
      }
      if (n !== width) problem = wrongWidthProblem(n, width);
      out.push(problem ? { row, values, problem } : { row, values });
    }
    return out;
  }

  let started = false;
  async function* batches(): AsyncGenerator<ReadRow[]> {
    if (started) throw new Error(`${label}: rows can be read only once`);
    started = true;
    try {
      const rest = toRows(first, 1);
      if (rest.length > 0) yield rest;
      for (;;) {
        const r = await source.next();
        if (r.done) break;
        const rows = toRows(r.value as string[][], 0);
        if (rows.length > 0) yield rows;
      }
    } catch (e) {
      throw csvError(e, path, label, maxRecordChars);
    } finally {
      close();
    }
  }

  return {
    path,
    format: 'csv',
    columns,
    rows: { [Symbol.asyncIterator]: () => flatten(batches()) },
    batches: { [Symbol.asyncIterator]: () => batches() },
    bytesRead: st.bytesRead,
    close,
  };
}

/**
 * Streams the rows of a CSV file (header = row 1, so the first record is row 2), every column kept
 * under its trimmed header name.
 * @example for await (const r of readCsv('episodes.csv')) console.log(r.row, r.values);
 */
export async function* readCsv(path: string, options: ReadOptions = {}): AsyncGenerator<ReadRow> {
  const src = await openCsv(path, options);
  yield* src.rows;
}
