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

/** What each rejection code means, in plain English. */
export const REJECTION_CODE_TEXT: Readonly<Record<RejectionCode, string>> = {
  wrong_width: 'a CSV row has more or fewer cells than the header has columns; its cells are not shown',
  not_utf8: 'a value holds bytes that are not UTF-8, e.g. a Latin-1 accented letter',
  not_json: 'an NDJSON line is not valid JSON',
  not_json_object: 'an NDJSON line is valid JSON but not an object, e.g. an array or a string',
  blank_required: 'a required field is blank or missing',
  not_a_single_value: 'a list or an object was given where one value belongs',
  too_long: 'an identifier is longer than 64 characters',
  reserved_name: 'an identifier is a reserved name (__proto__)',
  bad_character:
    'an identifier holds a character an id may not contain: a control character, an invisible or text-direction mark, a special space, or half of a broken character',
  nhs_number: 'an identifier looks like an NHS number; the value is never shown',
  not_a_date: 'a date is not a date, or is a day that does not exist such as 2023-02-30',
  date_format: 'a date is written in another form than YYYY-MM-DD: day/month/year, or with a time',
  date_out_of_range: `a date is outside the range recovery-pbr accepts (${MIN_DATE} to ${MAX_DATE})`,
  not_true_or_false: 'a yes/no field is not true or false',
  not_a_number: 'a numeric field is not a number, or not a whole number where it counts days, points or years',
  out_of_range: "a number is outside its field's range: days of the previous 28 (0–28), scores (0–20), age (10–120), hours a week (0–168)",
  unknown_code:
    "a code is not in its field's list: a review stage, a substance, a test result, an offence category, or an exit reason neither standard nor added by the scheme",
  date_order: 'an end date is before its start date: discharge_date before start_date, or end_date before start_date',
  discharge_without_exit_reason: 'an episode has a discharge date but no exit reason',
  exit_reason_without_discharge: 'an episode has an exit reason but no discharge date',
  duplicate_row: 'an exact copy of an earlier row with the same key (episode_id, or client_id in clients): the first is used, the copy rejected',
  conflicting_rows: 'rows share a key (episode_id, or client_id in clients) but differ: every one of them is rejected, since none can be trusted',
  unknown_episode: 'a review names an episode_id that no episode row has',
  episode_rejected: 'a review names an episode whose own row was rejected; fix that row first',
  episode_of_another_client: 'a review names an episode of another client',
  review_before_episode: 'a review is dated before its episode started',
  review_after_discharge: "a review is dated more than the scheme's tolerance (28 days by default) after its episode's discharge",
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
