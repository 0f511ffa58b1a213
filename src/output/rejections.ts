/**
 * `rejections.csv` (SPEC §4, R-VAL-1): file, row, field, value, reason, code — one line per rejected
 * row, sorted by file (SPEC order), row and field. `file` is the file name as read (e.g.
 * `episodes.csv`). `code` is the kind of problem, from the closed list of `REJECTION_CODES`; it comes
 * last so that the five columns of SPEC §4 keep their places for a program reading them by position.
 * @module
 */
import type { InputFile } from '../schema/codes.js';
import type { Rejection } from '../schema/dataset.js';
import { csvLine } from './csv.js';

/** The columns of `rejections.csv`, in order. */
export const REJECTION_COLUMNS = ['file', 'row', 'field', 'value', 'reason', 'code'] as const;

/**
 * One line of `rejections.csv` (the columns of {@link REJECTION_COLUMNS}) for a rejection whose file
 * is shown as `file` (the name read, or the part of a folder of parts).
 * @example rejectionLine('episodes.csv', r) // 'episodes.csv,5,start_date,2023-02-30,is not a real calendar date,not_a_date\n'
 */
export function rejectionLine(file: string, r: Pick<Rejection, 'row' | 'field' | 'value' | 'reason' | 'code'>): string {
  return csvLine([file, r.row, r.field, r.value, r.reason, r.code]);
}

/**
 * The lines of `rejections.csv`, header first. `fileNames` maps each input kind to the name of the
 * file it was read from (default: the kind itself, as for typed-object input).
 * @example [...rejectionLines(rejections, { episodes: 'episodes.csv' })].join('')
 */
export function* rejectionLines(rejections: Iterable<Rejection>, fileNames: Partial<Record<InputFile, string>> = {}): Generator<string> {
  yield csvLine(REJECTION_COLUMNS);
  for (const r of rejections) yield rejectionLine(fileNames[r.file] ?? r.file, r);
}

/**
 * `rejections.csv` as one text (header first): the rejections in the order given (sorted as the
 * engine returns them). `fileNames` as for {@link rejectionLines}.
 * @example rejectionsCsv(run.rejections) // 'file,row,field,value,reason,code\nepisodes,3,discharge_date,…'
 */
export function rejectionsCsv(rejections: Iterable<Rejection>, fileNames: Partial<Record<InputFile, string>> = {}): string {
  return [...rejectionLines(rejections, fileNames)].join('');
}
