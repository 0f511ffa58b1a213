/**
 * The rejection summary of the report (R-VAL-1): rejected rows counted by file, field and rejection
 * code, plus the first few rows as examples. Accumulated one rejection at a time so a streaming run
 * can feed it without keeping every rejection; the result does not depend on feeding order.
 * @module
 */
import { compareCodePoint } from '../calendar/index.js';
import { INPUT_FILES, type InputFile } from '../schema/codes.js';
import type { Rejection } from '../schema/dataset.js';
import type { RejectionCode } from '../schema/rejection-codes.js';

/** Rows rejected with one code on one field of one file. */
export interface RejectionReason {
  field: string;
  /** The rejection code (its meaning: `REJECTION_CODE_TEXT`). */
  code: RejectionCode;
  rows: number;
  /** The first such row (lowest row number): its row, value and full reason. */
  example: { row: number; value: string; reason: string };
}

/** Rejections of one input file. */
export interface FileRejections {
  file: InputFile;
  rows: number;
  /** Most rows first, then field and code in code point order. */
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

const FILE_ORDER = new Map<string, number>(INPUT_FILES.map((f, i) => [f, i]));

/**
 * The order of `rejections.csv`: file (SPEC order), row, field; then value, code and reason so that
 * the order is total.
 * @example rejections.sort(compareRejections)
 */
export function compareRejections(a: Rejection, b: Rejection): number {
  return (
    (FILE_ORDER.get(a.file) ?? 99) - (FILE_ORDER.get(b.file) ?? 99) ||
    compareCodePoint(a.file, b.file) ||
    a.row - b.row ||
    compareCodePoint(a.field, b.field) ||
    compareCodePoint(a.value, b.value) ||
    compareCodePoint(a.code, b.code) ||
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
  const groups = new Map<string, { file: InputFile; field: string; code: RejectionCode; rows: number; first: Rejection }>();
  let examples: Rejection[] = [];
  let total = 0;
  return {
    add(r) {
      total++;
      const k = `${r.file}\u0000${r.field}\u0000${r.code}`;
      const g = groups.get(k);
      if (!g) groups.set(k, { file: r.file, field: r.field, code: r.code, rows: 1, first: r });
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
        f.reasons.push({ field: g.field, code: g.code, rows: g.rows, example: { row: g.first.row, value: g.first.value, reason: g.first.reason } });
      }
      const files = [...byFile.values()].sort((a, b) => (FILE_ORDER.get(a.file) ?? 99) - (FILE_ORDER.get(b.file) ?? 99) || compareCodePoint(a.file, b.file));
      for (const f of files) f.reasons.sort((a, b) => b.rows - a.rows || compareCodePoint(a.field, b.field) || compareCodePoint(a.code, b.code));
      return { total, files, examples: examples.map((e) => ({ ...e })) };
    },
  };
}
