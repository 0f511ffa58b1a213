/**
 * Validation of a whole dataset given in memory (R-VAL-1, R-VAL-2): the pipeline's reader and
 * checks with one partition (src/pipeline), so rows given as objects are judged exactly as rows
 * read from files: every field by the field table, exit reason codes known to the scheme, duplicate
 * episodes and clients, reviews that point at an unknown or foreign episode or fall outside its
 * dates. Every input row ends up either used or rejected, with counts that reconcile per file.
 * @module
 */
import type { InputFile } from '../schema/codes.js';
import type { Dataset, DatasetCounts, Rejection } from '../schema/dataset.js';
import { checkRows, datasetOf, rejectionsOf, rowsOfDataset, type MemoryRow } from '../pipeline/memory.js';

/** Options of {@link validateDataset}. */
export interface ValidationOptions {
  /** Exit reason codes a scheme adds (SPEC §2.1), mapped to standard codes. */
  exitReasonMap?: Readonly<Record<string, string>>;
  /** Days after discharge a review may still be dated (R-VAL-2); default 28. */
  reviewToleranceDays?: number;
}

/** Raw input rows per file: each row's values (column → cell) and its row number. */
export type RawDataset = Partial<Record<InputFile, Iterable<RawRow>>>;

/** One raw input row: its row number (header = 1, first record = 2) and its cells. */
export type RawRow = MemoryRow;

/** Result of validation: the usable records, every rejected row, and counts per file. */
export interface ValidationResult {
  data: Dataset;
  rejections: Rejection[];
  counts: DatasetCounts;
}

/**
 * Parses and checks a raw dataset (R-VAL-1, R-VAL-2): returns the usable records (per file, in read
 * order), every rejected row (sorted by file, then row) and counts per file where
 * `used + rejected = read`.
 * @example
 * const { data, rejections, counts } = validateDataset({ episodes: [{ row: 2, values: { episode_id: 'E1', ... } }] });
 */
export function validateDataset(raw: RawDataset, options: ValidationOptions = {}): ValidationResult {
  const checked = checkRows(raw, options);
  return { data: datasetOf(checked), rejections: rejectionsOf(checked), counts: checked.counts };
}

/**
 * The checks of R-VAL-2 on records already parsed (each with its row number, as the readers return
 * them): returns the usable dataset and the rejections. Rows are never dropped silently.
 * @example checkDataset({ episodes: [...], reviews: [...] }, { reviewToleranceDays: 28 })
 */
export function checkDataset(data: Dataset, options: ValidationOptions = {}): { data: Dataset; rejections: Rejection[] } {
  const r = validateDataset(rowsOfDataset(data), options);
  return { data: r.data, rejections: r.rejections };
}
