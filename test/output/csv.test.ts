/**
 * The output cells of SPEC §4: the formula guard and RFC 4180 quoting, character by character
 * (test/ingest/csv.test.ts reads what the writer writes back through the tokenizer).
 */
import { describe, expect, it } from 'vitest';
import { csvCell, quotesCell, startsFormula } from '../../src/output/csv.js';

describe('csvCell (SPEC §4: the formula guard, quoting)', () => {
  it('guards a cell starting with each of = + - @ TAB CR that is not a number, and no other', () => {
    for (const c of ['=', '+', '-', '@', '\t']) expect(csvCell(`${c}SUM(A1)`)).toBe(`'${c}SUM(A1)`);
    // A carriage return also makes the cell quoted.
    expect(csvCell('\rx')).toBe('"\'\rx"');
    for (const n of ['-12.50', '+3', '-1e5', '-.5']) expect(csvCell(n)).toBe(n);
    for (let c = 0; c < 0x10000; c++) expect(startsFormula(c)).toBe('=+-@\t\r'.includes(String.fromCharCode(c)));
  });

  it('quotes a cell holding a quote, comma, CR or LF, doubling its quotes, and no other', () => {
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "x"')).toBe('"say ""x"""');
    expect(csvCell('a\rb')).toBe('"a\rb"');
    expect(csvCell('a\nb')).toBe('"a\nb"');
    expect(csvCell('café;€ \t x')).toBe('café;€ \t x');
    for (let c = 0; c < 0x10000; c++) expect(quotesCell(c)).toBe('",\r\n'.includes(String.fromCharCode(c)));
  });
});
