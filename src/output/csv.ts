/**
 * CSV text for outputs (SPEC §4): RFC 4180 quoting, `\n` line ends, UTF-8, and the formula guard:
 * a cell a spreadsheet would run as a formula (starting `=`, `+`, `-`, `@`, tab or carriage return,
 * when not a number) is written with a leading apostrophe.
 * @module
 */

const NUMBER_RE = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
const QUOTE = /"/g;

/**
 * Whether a cell starting with this UTF-16 unit is one a spreadsheet may run as a formula
 * (`=`, `+`, `-`, `@`, tab, carriage return): {@link csvCell} guards it unless it is a number.
 * @example startsFormula('='.charCodeAt(0)) // true
 */
export function startsFormula(c: number): boolean {
  return c === 61 || c === 43 || c === 45 || c === 64 || c === 9 || c === 13;
}

/**
 * Whether this UTF-16 unit makes {@link csvCell} quote its cell (`"`, `,`, carriage return, line feed).
 * @example quotesCell(','.charCodeAt(0)) // true
 */
export function quotesCell(c: number): boolean {
  return c === 34 || c === 44 || c === 13 || c === 10;
}

/**
 * One CSV cell: guarded against formula injection, quoted when it holds a comma, quote or line break.
 * @example csvCell('=SUM(A1)') // "'=SUM(A1)"
 * @example csvCell('-12.50') // '-12.50' (a number stays a number)
 * @example csvCell('a,b') // '"a,b"'
 */
export function csvCell(value: string | number | boolean | undefined | null): string {
  if (value === undefined || value === null) return '';
  let s = typeof value === 'string' ? value : String(value);
  if (s === '') return s;
  if (startsFormula(s.charCodeAt(0)) && !NUMBER_RE.test(s)) s = `'${s}`;
  for (let i = 0; i < s.length; i++) {
    if (quotesCell(s.charCodeAt(i))) return `"${s.replace(QUOTE, '""')}"`;
  }
  return s;
}

/**
 * One CSV line (with its `\n`).
 * @example csvLine(['a', 1, undefined]) // 'a,1,\n'
 */
export function csvLine(values: readonly (string | number | boolean | undefined | null)[]): string {
  let out = '';
  for (let i = 0; i < values.length; i++) {
    if (i > 0) out += ',';
    out += csvCell(values[i]);
  }
  return out + '\n';
}

/**
 * A whole CSV document from a header and rows of objects keyed by column.
 * @example toCsv(['file', 'row'], [{ file: 'episodes', row: 2 }]) // 'file,row\nepisodes,2\n'
 */
export function toCsv<T extends object>(columns: readonly (keyof T & string)[], rows: Iterable<T>): string {
  const parts: string[] = [csvLine(columns)];
  for (const r of rows) parts.push(csvLine(columns.map((c) => r[c] as unknown as string | number | undefined)));
  return parts.join('');
}
