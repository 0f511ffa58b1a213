/**
 * The problems a reader finds in a row before its fields are parsed, worded for the person who
 * fixes the file (R-VAL-1), and how a value is shown in a rejection. Browser-safe.
 * @module
 */
import { shownValue } from '../schema/fields.js';
import type { FieldProblem } from '../schema/records.js';
import { jsonErrorOffset, jsonErrorWhat } from './json.js';

// One function makes every shown value (NHS numbers hidden, long values cut), the schema's.
export { MAX_SHOWN_VALUE, shownValue } from '../schema/fields.js';

/** The UTF-8 decoder's replacement character: the mark of bytes that were not UTF-8. */
export const REPLACEMENT_CHAR = '\ufffd';

/** The start of the reason given for a cell holding bytes that are not UTF-8. */
const NOT_UTF8_REASON = 'contains bytes that are not UTF-8';

/**
 * The problem of a cell that held bytes that were not UTF-8.
 * @example notUtf8Problem('area_code', 'Caf\ufffd').reason // 'contains bytes that are not UTF-8 …'
 */
export function notUtf8Problem(field: string, value: string): FieldProblem {
  return {
    field,
    value: shownValue(value),
    code: 'not_utf8',
    reason: `${NOT_UTF8_REASON} (shown as \ufffd), e.g. a Latin-1 or Windows-1252 accented letter; save the file as UTF-8 (in Excel: "CSV UTF-8")`,
  };
}

/**
 * The problem of a CSV row whose number of cells differs from the header's. The cells are not
 * shown: shifted by a stray comma, any of them may come from a column that must never reach an
 * output (R-VAL-3). The row number finds the row.
 * @example wrongWidthProblem(5, 4).reason // 'has 5 cells but the header has 4 columns; …'
 */
export function wrongWidthProblem(n: number, width: number): FieldProblem {
  return {
    field: '',
    value: '',
    code: 'wrong_width',
    reason:
      n > width
        ? `has ${n} cells but the header has ${width} columns; a comma inside a value needs quotes around the value ("a, b")`
        : `has ${n} ${n === 1 ? 'cell' : 'cells'} but the header has ${width} columns; add the missing cells (blank is fine: ,,)`,
  };
}

/**
 * The problem of an NDJSON line that is not valid JSON, from the parser's message. The line itself
 * is never shown: it may hold keys that must never reach an output (R-VAL-3).
 * @example notJsonProblem('{"a": }', "Unexpected token '}'").reason // "is not valid JSON (Unexpected token '}' at column 7); …"
 */
export function notJsonProblem(line: string, message: string): FieldProblem {
  const column = jsonErrorOffset(line, message) + 1;
  return {
    field: '',
    value: '',
    code: 'not_json',
    reason: `is not valid JSON (${jsonErrorWhat(message)} at column ${column}); each line must be one JSON object such as {"client_id": "C1", …}`,
  };
}

/**
 * The problem of an NDJSON line that is valid JSON but not an object (`null`, an array, a string, …).
 * @example notJsonObjectProblem([1]).reason // 'is a JSON array, not a JSON object; …'
 */
export function notJsonObjectProblem(v: unknown): FieldProblem {
  return {
    field: '',
    value: '',
    code: 'not_json_object',
    reason: `is ${jsonKindOf(v)}, not a JSON object; each line must be one object such as {"client_id": "C1", …}`,
  };
}

function jsonKindOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a JSON array';
  if (typeof v === 'string') return 'a JSON string';
  if (typeof v === 'number') return 'a JSON number';
  if (typeof v === 'boolean') return 'a JSON true/false';
  return 'not an object';
}
