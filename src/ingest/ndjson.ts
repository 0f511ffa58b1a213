/**
 * The NDJSON side of the columnar reader (SPEC §2: one JSON object per line, the same field names
 * as the CSV files): bytes in, one row of values per line out. The row number of a record is its
 * line number (R-VAL-1). Blank lines are skipped and not counted as read. A line that is not a JSON
 * object is a problem of that row (the line itself is never shown: it may hold keys that must never
 * reach an output, R-VAL-3); a line longer than `maxRecordChars` stops the file (it is probably not
 * NDJSON). Browser-safe.
 * @module
 */
import type { FieldProblem } from '../schema/records.js';
import { DEFAULT_MAX_RECORD_CHARS } from './csv.js';
import { REPLACEMENT_CHAR, notJsonObjectProblem, notJsonProblem, notUtf8Problem } from './problems.js';

/** One NDJSON line read: its line number, its values, or the problem that makes it unusable. */
export interface NdjsonRow {
  row: number;
  values: Record<string, unknown>;
  problem?: FieldProblem;
}

/** Options of an {@link NdjsonLines} reader. */
export interface NdjsonOptions {
  /** Longest line in characters before reading stops (default 8 Mi). */
  maxRecordChars?: number;
  /** Keys whose string values are checked for bytes that were not UTF-8 (default: every key). */
  utf8Fields?: readonly string[];
  /**
   * Called with the keys of a line that no earlier line had, before that line is handed out; may
   * throw to stop the file (the anonymisation guard, R-VAL-3, runs this way on NDJSON files).
   */
  onNewKeys?: (keys: string[], line: number) => void;
}

/** An NDJSON line that has not ended within the limit: the file is probably not NDJSON. */
export class NdjsonLineTooLong extends Error {
  constructor(
    readonly line: number,
    readonly maxChars: number,
  ) {
    super(`line ${line} is longer than ${maxChars} characters`);
    this.name = 'NdjsonLineTooLong';
  }
}

/**
 * A push reader of NDJSON: `push` pieces of bytes, then `end`; `onRow` receives every non-blank
 * line in order.
 * @example
 * const r = new NdjsonLines((row) => rows.push(row));
 * r.push(new TextEncoder().encode('{"client_id":"C1"}\n')); r.end();
 */
export class NdjsonLines {
  private readonly decoder = new TextDecoder('utf-8');
  private rest = '';
  private line = 0;
  private readonly seen = new Set<string>();
  private readonly maxChars: number;

  constructor(
    private readonly onRow: (row: NdjsonRow) => void,
    private readonly options: NdjsonOptions = {},
  ) {
    this.maxChars = options.maxRecordChars ?? DEFAULT_MAX_RECORD_CHARS;
  }

  /** Adds the next piece of the file. */
  push(bytes: Uint8Array): void {
    this.lines(this.decoder.decode(bytes, { stream: true }), false);
  }

  /** Ends the file (a last line without a line break is read too). */
  end(): void {
    this.lines(this.decoder.decode(), true);
  }

  private lines(chunk: string, final: boolean): void {
    let start = 0;
    let nl = chunk.indexOf('\n');
    while (nl !== -1) {
      this.line++;
      const text = this.rest.length > 0 ? this.rest + chunk.slice(start, nl) : chunk.slice(start, nl);
      this.rest = '';
      // A line that arrived whole is held to the limit as one still arriving is (below), so whether
      // a file can be read does not depend on how its bytes were cut into pieces.
      if (text.length > this.maxChars) throw new NdjsonLineTooLong(this.line, this.maxChars);
      this.toRow(text);
      start = nl + 1;
      nl = chunk.indexOf('\n', start);
    }
    if (start < chunk.length) this.rest = this.rest.length > 0 ? this.rest + chunk.slice(start) : chunk.slice(start);
    if (this.rest.length > this.maxChars) throw new NdjsonLineTooLong(this.line + 1, this.maxChars);
    if (final && this.rest.length > 0) {
      this.line++;
      const text = this.rest;
      this.rest = '';
      this.toRow(text);
    }
  }

  private toRow(text: string): void {
    const line = this.line;
    let t = text;
    if (t.length > 0 && t.charCodeAt(t.length - 1) === 13) t = t.slice(0, -1);
    if (line === 1 && t.charCodeAt(0) === 0xfeff) t = t.slice(1);
    // Blank line: no data, not a row.
    if (t.length === 0 || t.trim().length === 0) return;
    let v: unknown;
    try {
      v = JSON.parse(t);
    } catch (e) {
      this.onRow({ row: line, values: {}, problem: notJsonProblem(t, (e as Error).message) });
      return;
    }
    if (typeof v !== 'object' || v === null || Array.isArray(v)) {
      this.onRow({ row: line, values: {}, problem: notJsonObjectProblem(v) });
      return;
    }
    const values = v as Record<string, unknown>;
    if (this.options.onNewKeys) {
      let fresh: string[] | undefined;
      for (const k in values) {
        if (!this.seen.has(k)) {
          this.seen.add(k);
          (fresh ??= []).push(k);
        }
      }
      if (fresh) this.options.onNewKeys(fresh, line);
    }
    // U+FFFD marks bytes the UTF-8 decoder could not read; scan the line once before looking closer.
    if (t.indexOf(REPLACEMENT_CHAR) !== -1) {
      for (const k of this.options.utf8Fields ?? Object.keys(values)) {
        const c = values[k];
        if (typeof c === 'string' && c.indexOf(REPLACEMENT_CHAR) !== -1) {
          this.onRow({ row: line, values, problem: notUtf8Problem(k, c) });
          return;
        }
      }
    }
    this.onRow({ row: line, values });
  }
}
