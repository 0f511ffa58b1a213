/**
 * Streaming CSV reader for Node (SPEC §2: UTF-8, comma, RFC 4180 quoting, header row) on the core's
 * tokenizer (src/ingest/csv.ts, where the rules are written: line ends, quotes, blank lines, byte
 * order marks, row numbers). A file of several GB is never loaded whole: it is read in
 * `chunkBytes` pieces and its records come back a batch at a time, each as its row number and its
 * cells by column name. Used for the files that are not input records of a run (Health Premium
 * counts, weights) and by the in-memory `readDataset`.
 * @module
 */
import { open, stat, type FileHandle } from 'node:fs/promises';
import { RecoveryPbrError } from '../errors.js';
import { CsvTokenizer, DEFAULT_MAX_RECORD_CHARS, cellText, isBlankRecord, type CsvRecord } from '../ingest/csv.js';
import { readError } from '../ingest/errors.js';
import { REPLACEMENT_CHAR, notUtf8Problem, wrongWidthProblem } from '../ingest/problems.js';
import { fileSystemError, flatten, labelOf, type ReadOptions, type ReadRow, type TableSource } from './source.js';

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

/**
 * Opens a CSV file and reads its header row; the rows are then streamed from `rows` (or `batches`).
 * File-level problems (missing, empty, unreadable, unclosed quote) throw a `RecoveryPbrError` with a
 * message that says what to do. A row whose number of cells differs from the header's, or that holds
 * bytes that are not UTF-8, comes with its `problem`.
 * @example
 * const src = await openCsv('data/episodes.csv');
 * for await (const { row, values } of src.rows) console.log(row, values['episode_id']);
 */
export async function openCsv(path: string, options: ReadOptions = {}): Promise<TableSource> {
  const label = labelOf(path, options);
  const maxRecordChars = options.maxRecordChars ?? DEFAULT_MAX_RECORD_CHARS;
  const chunkBytes = options.chunkBytes ?? 1024 * 1024;
  try {
    const s = await stat(path);
    if (s.isDirectory()) throw new RecoveryPbrError('input_file', `${path} is a folder, not a CSV file`);
    if (s.size === 0) {
      throw new RecoveryPbrError('input_syntax', `${label} is empty (0 bytes). A file with no rows still needs its header row; if you have no such data, remove the file.`);
    }
  } catch (e) {
    throw fileSystemError(path, e);
  }
  let fh: FileHandle;
  try {
    fh = await open(path, 'r');
  } catch (e) {
    throw fileSystemError(path, e);
  }
  let bytesRead = 0;
  let closed = false;
  const close = () => {
    if (closed) return;
    closed = true;
    fh.close().catch(() => undefined);
  };

  let columns: string[] | undefined;
  let headerBlank = false;
  let kept: CsvColumns = { idx: [], name: [] };
  let checkUtf8: boolean[] = [];
  let batch: ReadRow[] = [];
  const tok = new CsvTokenizer(
    (r: CsvRecord) => {
      if (columns === undefined) {
        if (isBlankRecord(r)) {
          headerBlank = true;
          columns = [];
          return;
        }
        columns = [];
        for (let i = 0; i < r.cells; i++) columns.push(cellText(r, i).trim());
        kept = keptColumns(columns, options);
        checkUtf8 = kept.name.map((n) => (options.utf8Fields ? options.utf8Fields.includes(n) : true));
        return;
      }
      if (isBlankRecord(r)) return;
      const values: Record<string, unknown> = {};
      let problem: ReadRow['problem'];
      for (let k = 0; k < kept.idx.length; k++) {
        const i = kept.idx[k]!;
        if (i >= r.cells) continue;
        const cell = cellText(r, i);
        values[kept.name[k]!] = cell;
        if (problem === undefined && checkUtf8[k] && r.highBytes && cell.indexOf(REPLACEMENT_CHAR) !== -1) problem = notUtf8Problem(kept.name[k]!, cell);
      }
      if (r.cells !== columns.length) problem = wrongWidthProblem(r.cells, columns.length);
      batch.push(problem ? { row: r.row, values, problem } : { row: r.row, values });
    },
    { maxRecordChars },
  );
  const buf = Buffer.allocUnsafe(chunkBytes);
  /** Reads pieces until a batch of rows is ready (or the file ends): false at the end. */
  const readMore = async (): Promise<boolean> => {
    for (;;) {
      let n: number;
      try {
        n = (await fh.read(buf, 0, chunkBytes, null)).bytesRead;
      } catch (e) {
        throw fileSystemError(path, e);
      }
      if (n === 0) {
        tok.end();
        return false;
      }
      bytesRead += n;
      const piece = buf.subarray(0, n);
      options.onBytes?.(piece);
      tok.push(piece);
      if (batch.length > 0) return true;
    }
  };
  // The header first (a piece may also hold the first rows: they wait in `batch`).
  try {
    while (columns === undefined) if (!(await readMore()) && columns === undefined) break;
  } catch (e) {
    close();
    throw readError(e, label, maxRecordChars);
  }
  if (columns === undefined || headerBlank) {
    close();
    throw new RecoveryPbrError('input_header', `${label} has no header row: its first line must name the columns (e.g. episode_id,client_id,…).`);
  }

  let started = false;
  async function* batches(): AsyncGenerator<ReadRow[]> {
    if (started) throw new Error(`${label}: rows can be read only once`);
    started = true;
    try {
      for (;;) {
        if (batch.length > 0) {
          const out = batch;
          batch = [];
          yield out;
        }
        if (closed) return;
        const more = await readMore();
        if (!more) {
          if (batch.length > 0) {
            const out = batch;
            batch = [];
            yield out;
          }
          return;
        }
      }
    } catch (e) {
      throw readError(e, label, maxRecordChars);
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
    bytesRead: () => bytesRead,
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
