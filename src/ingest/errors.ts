/**
 * Why a file cannot be read on, in words that say what to do (SPEC §5: exit 1 with a clear
 * message): the tokenizers' own errors turned into a `RecoveryPbrError` naming the file, the row and
 * the editor line. Browser-safe (the workbench shows the same messages as the command line).
 * @module
 */
import { RecoveryPbrError } from '../errors.js';
import { CsvSyntaxError, DEFAULT_MAX_RECORD_CHARS } from './csv.js';
import { NdjsonLineTooLong } from './ndjson.js';

/**
 * The error a person reads for a CSV or NDJSON file that cannot be read past a point, or `e` itself
 * when it is not such an error.
 * @example readError(new CsvSyntaxError('unclosed_quote', 5, 5, 9), 'episodes.csv').message
 */
export function readError(e: unknown, name: string, maxRecordChars = DEFAULT_MAX_RECORD_CHARS): unknown {
  if (e instanceof CsvSyntaxError) {
    const where = `row ${e.row}${e.line !== e.row ? ` (line ${e.line} in a text editor)` : ` (line ${e.line})`}`;
    const at = { file: name, row: e.row };
    if (e.code === 'unclosed_quote') {
      const message =
        `${name}: a quote (") opened in ${where} is never closed, so the rest of the file would be one cell. ` +
        'Add the missing closing quote, or remove the stray one, and run again.';
      return new RecoveryPbrError('input_syntax', message, [{ ...at, message }]);
    }
    if (e.code === 'text_after_quote') {
      const message =
        `${name}: in ${where} a quoted value has text after its closing quote (like "a"b), so where the value ends is unclear. ` +
        'Put the whole value in quotes and write each quote inside it twice ("a""b"), or remove the stray quote, and run again.';
      return new RecoveryPbrError('input_syntax', message, [{ ...at, message }]);
    }
    const message =
      `${name}: ${where} runs on for more than ${maxRecordChars.toLocaleString('en-GB')} characters (reading stopped at line ${e.lineReached}). ` +
      'Most likely a quote (") in that row is never closed; check the quotes there. No rows were used.';
    return new RecoveryPbrError('input_syntax', message, [{ ...at, message }]);
  }
  if (e instanceof NdjsonLineTooLong) {
    const message =
      `${name}: line ${e.line} is longer than ${e.maxChars.toLocaleString('en-GB')} characters and has not ended; ` +
      'each line of an NDJSON file must be one JSON object. Is this file NDJSON (one object per line)?';
    return new RecoveryPbrError('input_syntax', message, [{ file: name, row: e.line, message }]);
  }
  return e;
}
