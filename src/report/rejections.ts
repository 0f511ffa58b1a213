/**
 * The rejection summary of the report (R-VAL-1): rejected rows counted by file, field and kind of
 * reason, plus the first few rows as examples. Accumulated one rejection at a time so a streaming
 * run can feed it without keeping every rejection; the result does not depend on feeding order.
 * @module
 */
import { compareCodePoint } from '../calendar/index.js';
import { INPUT_FILES, type InputFile } from '../schema/codes.js';
import type { Rejection } from '../schema/dataset.js';

/** Rows rejected for one kind of reason on one field of one file. */
export interface RejectionReason {
  field: string;
  /** The reason with row numbers, ids, dates and quoted values masked as `…` (see {@link reasonPattern}). */
  reason: string;
  rows: number;
  /** The first such row (lowest row number): its row, value and full reason. */
  example: { row: number; value: string; reason: string };
}

/** Rejections of one input file. */
export interface FileRejections {
  file: InputFile;
  rows: number;
  /** Most rows first, then field and reason in code point order. */
  reasons: RejectionReason[];
}

/** What the report shows about rejected rows. */
export interface RejectionDigest {
  total: number;
  /** Files with at least one rejection, in SPEC file order. */
  files: FileRejections[];
  /** The first rejections in `rejections.csv` order (file, row, field), at most `examples` of them. */
  examples: Rejection[];
}

/**
 * A reason with its row-specific parts masked, so that rows rejected for the same kind of reason
 * are counted together: quoted values, row numbers, episode ids and dates in brackets become `…`.
 * @example reasonPattern('duplicate: the same row already appears at row 184') // 'duplicate: the same row already appears at row …'
 * @example reasonPattern("'spice' is not a known substance") // "'…' is not a known substance"
 */
export function reasonPattern(reason: string): string {
  return reason
    .replace(/'[^']*'/g, "'…'")
    .replace(/\b(rows?) \d+(?:(?:, | and )\d+)*/g, '$1 …')
    .replace(/\b(episode) [A-Za-z0-9_.-]*\d[A-Za-z0-9_.-]*/g, '$1 …')
    .replace(/\b(start_date) \d{4}-\d{2}-\d{2}\b/g, '$1 …')
    .replace(/\(\d{4}-\d{2}-\d{2}\)/g, '(…)')
    .replace(/\bis \d+ characters long\b/g, 'is … characters long');
}

const FILE_ORDER = new Map<string, number>(INPUT_FILES.map((f, i) => [f, i]));

/**
 * The order of `rejections.csv`: file (SPEC order), row, field; then value and reason so that the
 * order is total.
 * @example rejections.sort(compareRejections)
 */
export function compareRejections(a: Rejection, b: Rejection): number {
  return (
    (FILE_ORDER.get(a.file) ?? 99) - (FILE_ORDER.get(b.file) ?? 99) ||
    compareCodePoint(a.file, b.file) ||
    a.row - b.row ||
    compareCodePoint(a.field, b.field) ||
    compareCodePoint(a.value, b.value) ||
    compareCodePoint(a.reason, b.reason)
  );
}

/**
 * Accumulates a {@link RejectionDigest}, keeping only the counts and the `examples` first rows.
 * @example
 * const tally = rejectionTally();
 * for (const r of read.rejections) tally.add(r);
 * const digest = tally.result();
 */
export function rejectionTally(options: { examples?: number } = {}): { add(r: Rejection): void; result(): RejectionDigest } {
  const keep = options.examples ?? 10;
  const groups = new Map<string, { file: InputFile; field: string; reason: string; rows: number; first: Rejection }>();
  let examples: Rejection[] = [];
  let total = 0;
  return {
    add(r) {
      total++;
      const reason = reasonPattern(r.reason);
      const k = `${r.file}\u0000${r.field}\u0000${reason}`;
      const g = groups.get(k);
      if (!g) groups.set(k, { file: r.file, field: r.field, reason, rows: 1, first: r });
      else {
        g.rows++;
        if (compareRejections(r, g.first) < 0) g.first = r;
      }
      // Keep the `keep` smallest: cheap when rejections arrive in order, correct when they do not.
      if (examples.length < keep || (keep > 0 && compareRejections(r, examples[examples.length - 1]!) < 0)) {
        examples.push(r);
        examples.sort(compareRejections);
        if (examples.length > keep) examples = examples.slice(0, keep);
      }
    },
    result() {
      const byFile = new Map<InputFile, FileRejections>();
      for (const g of groups.values()) {
        let f = byFile.get(g.file);
        if (!f) byFile.set(g.file, (f = { file: g.file, rows: 0, reasons: [] }));
        f.rows += g.rows;
        f.reasons.push({ field: g.field, reason: g.reason, rows: g.rows, example: { row: g.first.row, value: g.first.value, reason: g.first.reason } });
      }
      const files = [...byFile.values()].sort((a, b) => (FILE_ORDER.get(a.file) ?? 99) - (FILE_ORDER.get(b.file) ?? 99) || compareCodePoint(a.file, b.file));
      for (const f of files) f.reasons.sort((a, b) => b.rows - a.rows || compareCodePoint(a.field, b.field) || compareCodePoint(a.reason, b.reason));
      return { total, files, examples: examples.map((e) => ({ ...e })) };
    },
  };
}
