import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CsvSyntaxError, CsvTokenizer } from '../../src/io/csv-tokenizer.js';

/** RFC 4180 writer: a cell is quoted when it holds a comma, a quote or a line break. */
function writeCsv(records: string[][], lineEnd: (i: number) => string): string {
  return records
    .map((r, i) => r.map((c) => (/[",\r\n]/.test(c) || c.startsWith('"') ? `"${c.replace(/"/g, '""')}"` : c)).join(',') + lineEnd(i))
    .join('');
}

/** Tokenizes text cut into pieces at the given offsets. */
function tokenize(text: string, cuts: number[]): string[][] {
  const t = new CsvTokenizer();
  const out: string[][] = [];
  let from = 0;
  for (const c of [...new Set(cuts)].sort((a, b) => a - b)) {
    if (c <= from || c >= text.length) continue;
    out.push(...t.push(text.slice(from, c)));
    from = c;
  }
  out.push(...t.push(text.slice(from)));
  out.push(...t.end());
  return out;
}

const cell = fc.string({ unit: fc.constantFrom('a', 'b', ',', '"', '\n', '\r', ' ', 'é', '1'), maxLength: 6 });
// A record is never a single empty cell here (that is a blank line, which has no cells to recover).
const record = fc.array(cell, { minLength: 1, maxLength: 5 }).filter((r) => !(r.length === 1 && r[0] === ''));

describe('CsvTokenizer (SPEC §2: RFC 4180, any line ends, text in pieces)', () => {
  it('recovers the cells of any RFC 4180 text, whatever the line ends and wherever the pieces are cut', () => {
    fc.assert(
      fc.property(
        fc.array(record, { minLength: 1, maxLength: 8 }),
        fc.array(fc.constantFrom('\n', '\r\n', '\r'), { minLength: 1, maxLength: 8 }),
        fc.boolean(),
        fc.array(fc.nat(200), { maxLength: 6 }),
        (records, ends, finalBreak, cuts) => {
          const text = writeCsv(records, (i) => (i < records.length - 1 || finalBreak ? ends[i % ends.length]! : ''));
          expect(tokenize(text, cuts)).toEqual(records);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('keeps a stray quote inside an unquoted cell, and text after a closing quote', () => {
    expect(tokenize('5\'10",x\n"a"b,c\n', [])).toEqual([
      ['5\'10"', 'x'],
      ['ab', 'c'],
    ]);
  });

  it('counts records and lines for an unclosed quote (row and editor line of its record)', () => {
    const err = (() => {
      try {
        tokenize('a,b\n"x\ny",1\n2,"open\n3,4\n', [7]);
      } catch (e) {
        return e;
      }
    })() as CsvSyntaxError;
    expect(err).toBeInstanceOf(CsvSyntaxError);
    expect(err.code).toBe('unclosed_quote');
    expect(err.records).toBe(2);
    expect(err.line).toBe(4);
  });

  it('refuses a record longer than maxRecordChars before the text ends', () => {
    const t = new CsvTokenizer({ maxRecordChars: 100 });
    expect(() => t.push(`a\n"${'x'.repeat(200)}`)).toThrow(CsvSyntaxError);
  });
});
