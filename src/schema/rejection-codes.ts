/**
 * Why an input row was rejected, as data (R-VAL-1): every rejection carries one code from this
 * closed list beside the sentence written for the person fixing the file. The sentence says what
 * was wrong with this row (`is outside 0–28 days (of the previous 28)`); the code says which kind
 * of problem it is, so rejections can be counted, filtered and handled by a program without reading
 * the English. A code never changes meaning; new kinds of problem get new codes. Browser-safe.
 * @module
 */
import * as z from 'zod';
import { MAX_DATE, MIN_DATE } from '../calendar/index.js';
import { MAX_ID } from './fields.js';

/**
 * The rejection codes, in the order a row is checked: the row as a whole, then each field, then
 * the fields of a row together, then the checks across rows.
 */
export const REJECTION_CODES = [
  // The row as a whole (the reader), before its fields are read.
  'wrong_width',
  'not_utf8',
  'not_json',
  'not_json_object',
  // One field (the field parsers).
  'blank_required',
  'not_a_single_value',
  'too_long',
  'reserved_name',
  'bad_character',
  'nhs_number',
  'not_a_date',
  'date_format',
  'date_out_of_range',
  'not_true_or_false',
  'not_a_number',
  'out_of_range',
  'unknown_code',
  // The fields of one row together.
  'date_order',
  'discharge_without_exit_reason',
  'exit_reason_without_discharge',
  // Across rows.
  'duplicate_row',
  'conflicting_rows',
  'unknown_episode',
  'episode_rejected',
  'episode_of_another_client',
  'review_before_episode',
  'review_after_discharge',
] as const;

/** One rejection code, e.g. `'not_a_date'`. */
export type RejectionCode = (typeof REJECTION_CODES)[number];

/** zod schema of a rejection code (for reading `rejections.csv` back). */
export const RejectionCodeSchema = z.enum(REJECTION_CODES);

/** What each rejection code means, in a few plain words (the row's `reason` has the detail). */
export const REJECTION_CODE_TEXT: Readonly<Record<RejectionCode, string>> = {
  wrong_width: 'a CSV row with more or fewer cells than the header has columns',
  not_utf8: 'a value with bytes that are not UTF-8 (save the file as UTF-8)',
  not_json: 'an NDJSON line that is not valid JSON',
  not_json_object: 'an NDJSON line that is not a JSON object',
  blank_required: 'a required field that is blank or missing',
  not_a_single_value: 'a list or an object where one value belongs',
  too_long: `an identifier longer than ${MAX_ID} characters`,
  reserved_name: 'an identifier that is a reserved name (__proto__)',
  bad_character: 'an identifier with a character ids may not hold (a control or invisible character, a special space)',
  nhs_number: 'an identifier that looks like an NHS number (never shown)',
  not_a_date: 'not a date, or a day that does not exist',
  date_format: 'a date not written YYYY-MM-DD (day/month/year, or with a time)',
  date_out_of_range: `a date outside ${MIN_DATE} to ${MAX_DATE}`,
  not_true_or_false: 'not true or false',
  not_a_number: 'not a number, or not a whole number where one is needed',
  out_of_range: "a number outside the field's range",
  unknown_code: "not one of the field's codes (or the scheme's exit codes)",
  date_order: 'an end date before its start date',
  discharge_without_exit_reason: 'a discharge date without an exit reason',
  exit_reason_without_discharge: 'an exit reason without a discharge date',
  duplicate_row: 'an exact copy of an earlier row with the same key (the first is used)',
  conflicting_rows: 'rows with the same key but different values (all are rejected)',
  unknown_episode: 'a review of an episode that no episode row has',
  episode_rejected: 'a review of an episode whose own row was rejected',
  episode_of_another_client: "a review of another client's episode",
  review_before_episode: 'a review dated before its episode started',
  review_after_discharge: "a review dated too long after its episode's discharge",
};

/** The rule each rejection code comes from: R-VAL-1 (the row can be read), R-VAL-2 (its values and their agreement), R-VAL-3 (anonymised data only). */
export const REJECTION_CODE_RULE: Readonly<Record<RejectionCode, 'R-VAL-1' | 'R-VAL-2' | 'R-VAL-3'>> = {
  wrong_width: 'R-VAL-1',
  not_utf8: 'R-VAL-1',
  not_json: 'R-VAL-1',
  not_json_object: 'R-VAL-1',
  blank_required: 'R-VAL-2',
  not_a_single_value: 'R-VAL-2',
  too_long: 'R-VAL-2',
  reserved_name: 'R-VAL-2',
  bad_character: 'R-VAL-2',
  nhs_number: 'R-VAL-3',
  not_a_date: 'R-VAL-2',
  date_format: 'R-VAL-2',
  date_out_of_range: 'R-VAL-2',
  not_true_or_false: 'R-VAL-2',
  not_a_number: 'R-VAL-2',
  out_of_range: 'R-VAL-2',
  unknown_code: 'R-VAL-2',
  date_order: 'R-VAL-2',
  discharge_without_exit_reason: 'R-VAL-2',
  exit_reason_without_discharge: 'R-VAL-2',
  duplicate_row: 'R-VAL-2',
  conflicting_rows: 'R-VAL-2',
  unknown_episode: 'R-VAL-2',
  episode_rejected: 'R-VAL-2',
  episode_of_another_client: 'R-VAL-2',
  review_before_episode: 'R-VAL-2',
  review_after_discharge: 'R-VAL-2',
};

/**
 * Whether a string is a rejection code.
 * @example isRejectionCode('not_a_date') // true
 */
export function isRejectionCode(code: string): code is RejectionCode {
  return Object.hasOwn(REJECTION_CODE_TEXT, code);
}
