/**
 * Streaming NDJSON reader (SPEC §2: one JSON object per line, the same field names as the CSV
 * files). The row number of a record is its line number (R-VAL-1). Blank lines are skipped and not
 * counted as read. A line that is not a JSON object is rejected with its line number; a line longer
 * than `maxRecordChars` stops the run (the file is probably not NDJSON).
 * @module
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { StringDecoder } from 'node:string_decoder';
import { RecoveryPbrError } from '../errors.js';
import { REPLACEMENT_CHAR, notJsonObjectProblem, notJsonProblem, notUtf8Problem } from '../ingest/problems.js';
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
  const decoder = new StringDecoder('utf8');
  let closed = false;
  const close = () => {
    if (closed) return;
    closed = true;
    input.destroy();
  };
  const seen = new Set<string>();
  const utf8Fields = options.utf8Fields;

  function toRow(text: string, line: number): ReadRow | undefined {
    let t = text;
    if (t.length > 0 && t.charCodeAt(t.length - 1) === 13) t = t.slice(0, -1);
    if (line === 1 && t.charCodeAt(0) === 0xfeff) t = t.slice(1);
    // Blank line: no data, not a row.
    if (t.length === 0 || t.trim().length === 0) return undefined;
    let v: unknown;
    try {
      v = JSON.parse(t);
    } catch (e) {
      // The line itself is not shown: it may hold keys that must never reach an output (R-VAL-3).
      return { row: line, values: {}, problem: notJsonProblem(t, (e as Error).message) };
    }
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return { row: line, values: {}, problem: notJsonObjectProblem(v) };
    const values = v as Record<string, unknown>;
    if (options.onNewKeys) {
      let fresh: string[] | undefined;
      for (const k in values) {
        if (!seen.has(k)) {
          seen.add(k);
          (fresh ??= []).push(k);
        }
      }
      if (fresh) options.onNewKeys(fresh, line);
    }
    // U+FFFD marks bytes the UTF-8 decoder could not read; scan the line once before looking closer.
    if (t.indexOf(REPLACEMENT_CHAR) !== -1) {
      for (const k of utf8Fields ?? Object.keys(values)) {
        const c = values[k];
        if (typeof c === 'string' && c.indexOf(REPLACEMENT_CHAR) !== -1) return { row: line, values, problem: notUtf8Problem(k, c) };
      }
    }
    return { row: line, values };
  }

  let started = false;
  async function* batches(): AsyncGenerator<ReadRow[]> {
    if (started) throw new Error(`${label}: rows can be read only once`);
    started = true;
    let line = 0;
    let rest = '';
    try {
      for await (const bytes of input as AsyncIterable<Buffer>) {
        options.onBytes?.(bytes);
        const chunk = decoder.write(bytes);
        const out: ReadRow[] = [];
        let start = 0;
        let nl = chunk.indexOf('\n');
        while (nl !== -1) {
          line++;
          const text = rest.length > 0 ? rest + chunk.slice(start, nl) : chunk.slice(start, nl);
          rest = '';
          const r = toRow(text, line);
          if (r) out.push(r);
          start = nl + 1;
          nl = chunk.indexOf('\n', start);
        }
        if (start < chunk.length) rest = rest.length > 0 ? rest + chunk.slice(start) : chunk.slice(start);
        if (rest.length > maxChars) {
          throw new RecoveryPbrError('input_syntax', 
            `${label}: line ${line + 1} is longer than ${maxChars.toLocaleString('en-GB')} characters and has not ended; ` +
              'each line of an NDJSON file must be one JSON object. Is this file NDJSON (one object per line)?',
          );
        }
        if (out.length > 0) yield out;
      }
      rest += decoder.end();
      if (rest.length > 0) {
        line++;
        const r = toRow(rest, line);
        if (r) yield [r];
      }
    } catch (e) {
      // File-system errors get a message; anything else (an onNewKeys refusal) passes through.
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
