/**
 * CSV cells of the outputs (src/output/csv.ts, SPEC §4): RFC 4180 quoting and the formula guard.
 * The law: a cell is quoted exactly when it holds a quote, a comma, a carriage return or a line
 * feed, and reads back (unquoted, `""` as `"`, the guard's apostrophe off) as the value written.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { csvCell } from '../../src/output/csv.js';

const cellText = fc.string({ unit: fc.constantFrom('a', 'Z', '1', '.', ' ', '"', ',', '\r', '\n', '=', '+', '-', '@', '\t', 'é', '😀'), maxLength: 24 });

describe('csvCell', () => {
  it('property: quoted exactly when the value holds " , \\r or \\n, and reads back as the value', () => {
    fc.assert(
      fc.property(cellText, (v) => {
        const out = csvCell(v);
        const quoted = /[",\r\n]/.test(out);
        expect(out.startsWith('"') && out.endsWith('"') && out.length >= 2).toBe(quoted);
        const inner = quoted ? out.slice(1, -1).replace(/""/g, '"') : out;
        const guarded = inner !== v;
        // The guard adds one apostrophe in front of a formula-like value, nothing else changes.
        expect(inner).toBe(guarded ? `'${v}` : v);
        if (guarded) expect('=+-@\t\r'.includes(v[0]!)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('worked examples', () => {
    expect(csvCell('C0000001')).toBe('C0000001');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell('cr\r')).toBe('"cr\r"');
    expect(csvCell('=SUM(A1)')).toBe("'=SUM(A1)");
    expect(csvCell('=1,2')).toBe('"\'=1,2"');
    expect(csvCell('-12.50')).toBe('-12.50');
    expect(csvCell(undefined)).toBe('');
  });
});
