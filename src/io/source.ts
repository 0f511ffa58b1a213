/**
 * What the streaming readers share: the row they yield, the opened-file handle, options, and the
 * file-level error messages (SPEC §5: an input that cannot be used is exit 1 with a clear message).
 * @module
 */
import { basename } from 'node:path';
import { RecoveryPbrError, isRecoveryPbrError } from '../errors.js';
import type { FieldProblem } from '../schema/records.js';
import type { RawRow } from '../validate/index.js';

/**
 * One row as read from a file: its row number (R-VAL-1) and cells, plus a problem the reader
 * found itself (wrong number of cells, bytes that are not UTF-8, an NDJSON line that is not a
 * JSON object). A row with a problem is rejected as a whole.
 */
export interface ReadRow extends RawRow {
  problem?: FieldProblem;
}

/** Options of the readers. */
export interface ReadOptions {
  /**
   * Maps each CSV header cell to the record field it feeds (`undefined` = ignore the column), e.g.
   * `checkHeader(file, columns).fields`. Without it every column is kept under its trimmed name.
   * NDJSON keys are used as they are.
   */
  fields?: (columns: string[]) => (string | undefined)[];
  /**
   * Fields whose text is checked for bytes that were not UTF-8 (the U+FFFD mark); default: every
   * kept column (CSV) or every string value (NDJSON).
   */
  utf8Fields?: readonly string[];
  /** Longest record (CSV) or line (NDJSON) in characters before the file is refused; default 8 Mi. */
  maxRecordChars?: number;
  /** Name used in messages (default: the file's base name). */
  label?: string;
  /** Size of read chunks in bytes (default 256 KiB). */
  chunkBytes?: number;
  /**
   * Share one string per repeated short cell value (default true): saves memory when every row is
   * kept; a reader that passes rows on at once is faster without it.
   */
  intern?: boolean;
  /** Called with every chunk of bytes read from disk, in order (e.g. to hash the file while reading it). */
  onBytes?: (chunk: Uint8Array) => void;
}

/** An opened input file: its header (CSV) and its rows, streamed. */
export interface TableSource {
  path: string;
  format: 'csv' | 'ndjson';
  /** Header cells as written (CSV; BOM removed); `undefined` for NDJSON, which has no header. */
  columns: string[] | undefined;
  /** Rows in file order. Use either `rows` or `batches`, once: both drain the same stream. */
  rows: AsyncIterable<ReadRow>;
  /** The same rows in file order, a few thousand at a time (less per-row overhead on large files). */
  batches: AsyncIterable<ReadRow[]>;
  /** Bytes read from disk so far (for progress). */
  bytesRead(): number;
  /** Stops reading and releases the file (safe to call more than once). */
  close(): void;
}

/** Default longest record: a 1 MB cell is still read (and rejected by its field), a runaway quote is not. */
export const DEFAULT_MAX_RECORD_CHARS = 8 * 1024 * 1024;


/**
 * A `RecoveryPbrError` (`input_file`) for a file that cannot be read, from a Node file-system error.
 * @example fileSystemError('data/episodes.csv', { code: 'ENOENT' }).message // 'input file not found: data/episodes.csv'
 */
export function fileSystemError(path: string, e: unknown, what = 'input file'): Error {
  const err = e as NodeJS.ErrnoException;
  if (isRecoveryPbrError(e)) return e;
  switch (err?.code) {
    case 'ENOENT':
      return new RecoveryPbrError('input_file', `${what} not found: ${path}`);
    case 'EISDIR':
      return new RecoveryPbrError('input_file', `${path} is a folder, not a file`);
    case 'EACCES':
    case 'EPERM':
      return new RecoveryPbrError('input_file', `cannot read ${path}: permission denied`);
    default:
      return new RecoveryPbrError('input_file', `cannot read ${path}: ${err?.message ?? String(e)}`);
  }
}

/**
 * The name a file is called in messages.
 * @example labelOf('/data/episodes.csv', undefined) // 'episodes.csv'
 */
export function labelOf(path: string, options: ReadOptions | undefined): string {
  return options?.label ?? basename(path);
}

/**
 * Rows of a batch stream, one at a time.
 * @example for await (const row of flatten(source.batches)) console.log(row.row);
 */
export async function* flatten<T>(batches: AsyncIterable<T[]>): AsyncGenerator<T> {
  for await (const b of batches) yield* b;
}
