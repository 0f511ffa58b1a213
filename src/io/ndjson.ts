/**
 * Streaming NDJSON reader (SPEC §2: one JSON object per line, the same field names as the CSV
 * files). The row number of a record is its line number (R-VAL-1). Blank lines are skipped and not
 * counted as read. A line that is not a JSON object is rejected with its line number; a line longer
 * than `maxRecordChars` stops the run (the file is probably not NDJSON).
 * @module
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { RecoveryPbrError } from '../errors.js';
import { readError } from '../ingest/errors.js';
import { NdjsonLines } from '../ingest/ndjson.js';
import { DEFAULT_MAX_RECORD_CHARS, fileSystemError, flatten, labelOf, type ReadOptions, type ReadRow, type TableSource } from './source.js';

/** Options of the NDJSON reader. */
export interface NdjsonOptions extends ReadOptions {
  /**
   * Called with the keys of a line that no earlier line had, before that line is yielded; may
   * throw to stop the run (the anonymisation guard, R-VAL-3, is run this way on NDJSON files).
   */
  onNewKeys?: (keys: string[], line: number) => void;
}

/**
 * Opens an NDJSON file; rows are streamed from `rows` (no header, `columns` is `undefined`).
 * @example
 * const src = await openNdjson('data/reviews.ndjson');
 * for await (const { row, values } of src.rows) console.log(row, values['date']);
 */
export async function openNdjson(path: string, options: NdjsonOptions = {}): Promise<TableSource> {
  const label = labelOf(path, options);
  const maxChars = options.maxRecordChars ?? DEFAULT_MAX_RECORD_CHARS;
  try {
    const s = await stat(path);
    if (s.isDirectory()) throw new RecoveryPbrError('input_syntax', `${path} is a folder, not an NDJSON file`);
  } catch (e) {
    throw fileSystemError(path, e);
  }
  const input = createReadStream(path, { highWaterMark: options.chunkBytes ?? 256 * 1024 });
  let closed = false;
  const close = () => {
    if (closed) return;
    closed = true;
    input.destroy();
  };

  let started = false;
  // The core's NDJSON line reader (src/ingest/ndjson.ts), fed the file's chunks: the same lines,
  // rows and problems as a run on a data folder reads.
  async function* batches(): AsyncGenerator<ReadRow[]> {
    if (started) throw new Error(`${label}: rows can be read only once`);
    started = true;
    let out: ReadRow[] = [];
    const lines = new NdjsonLines((r) => out.push(r), { maxRecordChars: maxChars, utf8Fields: options.utf8Fields, onNewKeys: options.onNewKeys });
    try {
      for await (const bytes of input as AsyncIterable<Buffer>) {
        options.onBytes?.(bytes);
        lines.push(bytes);
        if (out.length > 0) {
          const batch = out;
          out = [];
          yield batch;
        }
      }
      lines.end();
      if (out.length > 0) yield out;
    } catch (e) {
      // A line too long gets its message; file-system errors get theirs; anything else (an
      // onNewKeys refusal) passes through.
      const read = readError(e, label, maxChars);
      if (read !== e) throw read;
      throw typeof (e as NodeJS.ErrnoException)?.code === 'string' ? fileSystemError(path, e) : e;
    } finally {
      close();
    }
  }

  return {
    path,
    format: 'ndjson',
    columns: undefined,
    rows: { [Symbol.asyncIterator]: () => flatten(batches()) },
    batches: { [Symbol.asyncIterator]: () => batches() },
    bytesRead: () => input.bytesRead,
    close,
  };
}

/**
 * Streams the rows of an NDJSON file; the row number is the line number.
 * @example for await (const r of readNdjson('reviews.ndjson')) console.log(r.row, r.values);
 */
export async function* readNdjson(path: string, options: NdjsonOptions = {}): AsyncGenerator<ReadRow> {
  const src = await openNdjson(path, options);
  yield* src.rows;
}
