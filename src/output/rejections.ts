/**
 * `rejections.csv` (SPEC §4, R-VAL-1): file, row, field, value, reason — one line per rejected row,
 * sorted by file (SPEC order), row and field. `file` is the file name as read (e.g. `episodes.csv`).
 * @module
 */
import type { InputFile } from '../schema/codes.js';
import type { Rejection } from '../schema/dataset.js';
import { csvLine } from './csv.js';

/** The columns of `rejections.csv`, in order. */
export const REJECTION_COLUMNS = ['file', 'row', 'field', 'value', 'reason'] as const;

/**
 * The lines of `rejections.csv`, header first. `fileNames` maps each input kind to the name of the
 * file it was read from (default: the kind itself, as for typed-object input).
 * @example [...rejectionLines(rejections, { episodes: 'episodes.csv' })].join('')
 */
export function* rejectionLines(rejections: Iterable<Rejection>, fileNames: Partial<Record<InputFile, string>> = {}): Generator<string> {
  yield csvLine(REJECTION_COLUMNS);
  for (const r of rejections) yield csvLine([fileNames[r.file] ?? r.file, r.row, r.field, r.value, r.reason]);
}

/**
 * `rejections.csv` as one text (header first): the rejections in the order given (sorted as the
 * engine returns them). `fileNames` as for {@link rejectionLines}.
 * @example rejectionsCsv(run.rejections) // 'file,row,field,value,reason\nepisodes,3,discharge_date,…'
 */
export function rejectionsCsv(rejections: Iterable<Rejection>, fileNames: Partial<Record<InputFile, string>> = {}): string {
  return [...rejectionLines(rejections, fileNames)].join('');
}
