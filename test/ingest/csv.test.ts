/**
 * The CSV tokenizer (src/ingest/csv.ts; SPEC §2: UTF-8, comma, RFC 4180 quoting; R-VAL-1 row
 * numbers). The laws:
 * - differential: on any text written with RFC 4180 quoting and any mix of CRLF, LF and lone-CR
 *   line ends, its cells are csv-parse's (line breaks inside quotes read as `\n`);
 * - chunking: the same bytes pushed in pieces cut anywhere (inside a UTF-8 sequence, a quote, a
 *   CRLF, the BOM) give the same records — and the same error;
 * - round trip: rows written by the project's writer (`csvLine`) read back as written (after the
 *   writer's formula guard);
 * - a record's editor line is 1 + the line breaks before it; `highBytes` says whether a cell holds
 *   non-ASCII text;
 * - an unclosed quote, text after a closing quote and a record over `maxRecordChars` stop reading
 *   with a `CsvSyntaxError` naming the record's row and line.
 */
import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RecoveryPbrError } from '../../src/errors.js';
import { CsvSyntaxError, CsvTokenizer, bytesText, cellText, isAscii, isBlankRecord, type CsvTokenizerOptions } from '../../src/ingest/csv.js';
import { readError } from '../../src/ingest/errors.js';
import { csvCell, csvLine } from '../../src/output/csv.js';

const enc = new TextEncoder();

/** What a record says, as plain data (the tokenizer's record object is reused). */
interface Rec {
  cells: string[];
  row: number;
  line: number;
  highBytes: boolean;
}

/** Tokenizes `pieces` in order; the records, or the error thrown. */
function tokenize(pieces: readonly Uint8Array[], options?: CsvTokenizerOptions): Rec[] {
  const out: Rec[] = [];
  const t = new CsvTokenizer((r) => {
    const cells: string[] = [];
    for (let i = 0; i < r.cells; i++) cells.push(cellText(r, i));
    out.push({ cells, row: r.row, line: r.line, highBytes: r.highBytes });
  }, options);
  for (const p of pieces) t.push(p);
  t.end();
  return out;
}

const cellsOf = (recs: readonly Rec[]) => recs.map((r) => r.cells);

/** The outcome of tokenizing: records, or the error's code, row and line. */
function outcome(pieces: readonly Uint8Array[], options?: CsvTokenizerOptions): Rec[] | { code: string; row: number; line: number } {
  try {
    return tokenize(pieces, options);
  } catch (e) {
    if (e instanceof CsvSyntaxError) return { code: e.code, row: e.row, line: e.line };
    throw e;
  }
}

/** `bytes` cut at `cuts` (offsets, any order, out of range folded in). */
function split(bytes: Uint8Array, cuts: readonly number[]): Uint8Array[] {
  const at = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const out: Uint8Array[] = [];
  let from = 0;
  for (const c of at) {
    out.push(bytes.slice(from, c));
    from = c;
  }
  out.push(bytes.slice(from));
  return out;
}

/** Every byte a piece of its own. */
const bytewise = (bytes: Uint8Array) => Array.from(bytes, (b) => Uint8Array.of(b));

/** csv-parse, set to RFC 4180 and the tokenizer's line-end rules. */
function reference(text: string, strict = false): string[][] {
  const rows = parse(text, {
    // Every line end ends a record, CRLF before a lone CR (so `\r\n` is one line end).
    record_delimiter: ['\r\n', '\n', '\r'],
    // Records may differ in width (the reader, not the tokenizer, compares them with the header).
    relax_column_count: true,
    // A UTF-8 BOM is removed.
    bom: true,
    // An empty line is a record of one empty cell (the reader skips it as a blank line).
    skip_empty_lines: false,
    // A quote inside an unquoted cell (`x"y`) is an ordinary character, as in the tokenizer; the
    // writer below never puts text after a closing quote, which this option would also accept.
    relax_quotes: !strict,
  }) as string[][];
  // The tokenizer reads a line break inside a quoted cell as `\n`, whatever was written.
  return rows.map((r) => r.map((c) => c.replace(/\r\n?/g, '\n')));
}

// Characters that matter to CSV, and text of every UTF-8 width (1 to 4 bytes).
const ATOMS = ['a', 'Z', '7', ' ', '\t', ',', '"', '\r', '\n', ';', "'", '=', 'é', '€', '中', '😀', '𝟗', '\u2028', '\u00a0', '\ufeff'];
const valueArb = fc.oneof(
  { arbitrary: fc.string({ unit: fc.constantFrom(...ATOMS), maxLength: 8 }), weight: 4 },
  { arbitrary: fc.string({ unit: 'binary', maxLength: 6 }), weight: 2 },
  { arbitrary: fc.constantFrom('', ' ', '""', '"', 'C0000001', '2014-02-29'), weight: 1 },
);

/**
 * Whether a value must be quoted for the tokenizer (and RFC 4180) to read it back. A value that
 * starts with U+FEFF then a quote counts as starting with a quote: at the start of a file the
 * U+FEFF is the byte order mark, removed, and the quote after it opens a quoted cell.
 */
const mustQuote = (v: string) => /[,\r\n]/.test(v) || /^\ufeff?"/.test(v);
const quoted = (v: string) => `"${v.replace(/"/g, '""')}"`;

/** A cell as written: quoted when it must be, or when the writer chooses to. */
const cellArb = fc.record({ value: valueArb, quote: fc.boolean() }).map(({ value, quote }) => ({
  value,
  text: mustQuote(value) || quote ? quoted(value) : value,
}));

const EOL = fc.constantFrom('\n', '\r\n', '\r');

/** A CSV text: records of cells, each with its line end (mixed), a BOM or not, a final line end or not. */
const csvTextArb = fc
  .record({
    records: fc.array(fc.record({ cells: fc.array(cellArb, { minLength: 1, maxLength: 5 }), eol: EOL }), { maxLength: 6 }),
    finalEol: fc.boolean(),
    bom: fc.boolean(),
  })
  .map(({ records, finalEol, bom }) => {
    const body = records.map((r, i) => r.cells.map((c) => c.text).join(',') + (i < records.length - 1 || finalEol ? r.eol : '')).join('');
    return { text: (bom ? '\ufeff' : '') + body, body, records };
  });

const cutsArb = fc.array(fc.nat(), { maxLength: 8 });

describe('CsvTokenizer against csv-parse (SPEC §2: RFC 4180 quoting; CRLF, LF and CR line ends)', () => {
  it('gives csv-parse’s cells on any text: quotes, doubled quotes, line breaks inside quotes, empty cells, unicode, a BOM', () => {
    fc.assert(
      fc.property(csvTextArb, ({ text }) => {
        expect(cellsOf(tokenize([enc.encode(text)]))).toEqual(reference(text));
      }),
      { numRuns: 400 },
    );
  });

  it('agrees with csv-parse on the edge cases of line ends', () => {
    // An empty line is a record of one empty cell; a last line end adds no record; a lone CR ends
    // a record like LF; CR then LF is one line end, LF then CR two.
    for (const text of ['', '\n', '\r', '\r\n', 'a', 'a\n', 'a\n\n', 'a\r\rb', 'a\n\rb', 'a\r\n\r\nb', 'a,\n,', ',', '""', '""\n""', '\ufeff', '\ufeffa,b\r']) {
      expect(cellsOf(tokenize([enc.encode(text)])), JSON.stringify(text)).toEqual(reference(text));
    }
  });

  it('reads a line break inside quotes as \\n, where csv-parse keeps it as written', () => {
    const text = '"a\r\nb","c\rd","e\nf"\r\n';
    expect(parse(text, { record_delimiter: ['\r\n', '\n', '\r'] })).toEqual([['a\r\nb', 'c\rd', 'e\nf']]);
    expect(cellsOf(tokenize([enc.encode(text)]))).toEqual([['a\nb', 'c\nd', 'e\nf']]);
  });

  it('drops spaces and tabs after a closing quote, where csv-parse (strict) refuses them', () => {
    const text = '"a" ,"b"\t\n"c"  ';
    expect(() => reference(text, true)).toThrow(/Invalid Closing Quote/);
    expect(cellsOf(tokenize([enc.encode(text)]))).toEqual([['a', 'b'], ['c']]);
  });

  it('keeps a quote that does not open a cell as an ordinary character (csv-parse needs relax_quotes)', () => {
    const text = 'x"y, "z",w""\n';
    expect(() => reference(text, true)).toThrow(/Invalid Opening Quote/);
    expect(cellsOf(tokenize([enc.encode(text)]))).toEqual([['x"y', ' "z"', 'w""']]);
    expect(cellsOf(tokenize([enc.encode(text)]))).toEqual(reference(text));
  });
});

describe('CsvTokenizer row and line numbers (R-VAL-1: header = 1; errors name the editor line)', () => {
  it('numbers records 1, 2, … and gives each the editor line it starts on: 1 + the line breaks before it', () => {
    fc.assert(
      fc.property(csvTextArb, ({ text }) => {
        const recs = tokenize([enc.encode(text)]);
        let line = 1;
        recs.forEach((r, k) => {
          expect(r.row).toBe(k + 1);
          expect(r.line).toBe(line);
          // A record ends with one line end; each line break inside its quoted cells reads as one \n.
          line += 1 + r.cells.reduce((n, c) => n + c.split('\n').length - 1, 0);
        });
        // And the last record's line is the text's line count (without a final line end).
        const breaks = (text.match(/\r\n|\r|\n/g) ?? []).length;
        if (recs.length > 0) expect(line - 1).toBe(breaks + (/[\r\n]$/.test(text) ? 0 : 1));
      }),
      { numRuns: 300 },
    );
  });

  it('flags a record whose cells hold a byte of 0x80 or above (non-ASCII text)', () => {
    fc.assert(
      fc.property(csvTextArb, ({ text }) => {
        for (const r of tokenize([enc.encode(text)])) expect(r.highBytes).toBe(r.cells.some((c) => /[^\0-\x7f]/.test(c)));
      }),
      { numRuns: 200 },
    );
  });

  it('numbers a worked example as a spreadsheet and an editor do', () => {
    const recs = tokenize([enc.encode('id,note\r\nC1,"two\r\nlines"\n\nC2,x\rC3,"é"')]);
    expect(recs).toEqual([
      { cells: ['id', 'note'], row: 1, line: 1, highBytes: false },
      { cells: ['C1', 'two\nlines'], row: 2, line: 2, highBytes: false },
      { cells: [''], row: 3, line: 4, highBytes: false },
      { cells: ['C2', 'x'], row: 4, line: 5, highBytes: false },
      { cells: ['C3', 'é'], row: 5, line: 6, highBytes: true },
    ]);
  });
});

describe('CsvTokenizer on plain rows, read four bytes at a time', () => {
  // Mostly plain records (no quote, no `\r`), as a national extract's: bytes either side of the
  // word test's bound (`-` is 0x2d: `,` `+` `*` space below it; `-` `.` `/` digits above), high
  // bytes (é, €, 😀) at every offset within a word, cells of 0 to 11 bytes; now and then a quote or
  // a `\r\n` sends a record to the general loop.
  const plainUnit = fc.constantFrom('0', '9', '-', '.', '/', 'A', 'z', '~', '\x7f', ' ', '+', '*', '!', '#', '&', ')', 'é', '€', '😀', '\x00');
  const plainCell = fc.oneof({ arbitrary: fc.string({ unit: plainUnit, maxLength: 11 }), weight: 9 }, { arbitrary: fc.constantFrom('"q"', 'a"b'), weight: 1 });
  const plainText = fc
    .array(fc.record({ cells: fc.array(plainCell, { minLength: 1, maxLength: 9 }), eol: fc.constantFrom('\n', '\n', '\n', '\r\n') }), { minLength: 1, maxLength: 12 })
    .map((rs) => rs.map((r) => r.cells.join(',') + r.eol).join(''));
  const allocs = [undefined, (n: number) => Buffer.alloc(n)] as const;

  it('marks as escaped only a quoted cell, whatever the records before it held, with records passed over or not', () => {
    // A record with a `""` cell passed over (its rest plain), or cut between pieces, must leave no
    // `escaped` mark for a plain record after it, which the four-byte path does not write.
    const quotedCell = fc.constantFrom('"a""b"', '"x""""y"', '"p\nq"');
    const row = fc.tuple(fc.oneof(quotedCell, plainCell), fc.constantFrom('X', 'Y', '7'), fc.oneof(quotedCell, plainCell, plainCell));
    const text = fc.array(row, { minLength: 1, maxLength: 10 }).map((rs) => 'h,c,z\n' + rs.map((r) => r.join(',') + '\n').join(''));
    fc.assert(
      fc.property(text, cutsArb, fc.boolean(), (t, cuts, passing) => {
        const bytes = enc.encode(t);
        const marks: boolean[] = [];
        const tok = new CsvTokenizer((r) => {
          for (let i = 0; i < r.cells; i++) if (r.escaped[i] === 1) marks.push(r.bytes[r.start[i]! - 1] === 0x22);
          if (r.row === 1 && passing) {
            tok.passCell = 1;
            tok.passOver = (b, s, e) => e - s === 1 && b[s] === 0x58; // 'X'
          }
        });
        for (const piece of split(bytes, cuts)) tok.push(piece);
        tok.end();
        expect(marks.every(Boolean)).toBe(true);
      }),
      { numRuns: 400 },
    );
  });

  it('gives csv-parse’s cells and tells of high bytes, whole or cut anywhere, in a Uint8Array or a Buffer', () => {
    fc.assert(
      fc.property(plainText, cutsArb, fc.constantFrom(...allocs), (text, cuts, allocBytes) => {
        const bytes = enc.encode(text);
        const recs = tokenize(split(bytes, cuts), { allocBytes });
        expect(cellsOf(recs)).toEqual(reference(text));
        for (const r of recs) expect(r.highBytes).toBe(r.cells.some((c) => /[^\0-\x7f]/.test(c)));
        expect(recs).toEqual(tokenize(bytewise(bytes)));
      }),
      { numRuns: 400 },
    );
  });
});

describe('CsvTokenizer chunking: bytes in pieces of any size give the same records', () => {
  it('cut at any points (inside a UTF-8 sequence, a quote, a CRLF, the BOM)', () => {
    fc.assert(
      fc.property(csvTextArb, cutsArb, ({ text }, cuts) => {
        const bytes = enc.encode(text);
        const whole = tokenize([bytes]);
        expect(tokenize(split(bytes, cuts))).toEqual(whole);
      }),
      { numRuns: 300 },
    );
  });

  it('in a Node Buffer (allocBytes), whose indexOf is another byte search, cut anywhere', () => {
    fc.assert(
      fc.property(csvTextArb, cutsArb, ({ text }, cuts) => {
        const bytes = new TextEncoder().encode(text);
        expect(outcome(split(bytes, cuts), { allocBytes: (n) => Buffer.alloc(n) })).toEqual(outcome([bytes]));
      }),
      { numRuns: 300 },
    );
  });

  it('one byte at a time', () => {
    fc.assert(
      fc.property(csvTextArb, ({ text }) => {
        const bytes = enc.encode(text);
        expect(tokenize(bytewise(bytes))).toEqual(tokenize([bytes]));
      }),
      { numRuns: 150 },
    );
  });

  it('cut between the CR and the LF of a CRLF, and inside a 4-byte character', () => {
    const bytes = enc.encode('a,b\r\n😀,"x\r\ny"\r\nc,d\r');
    const expected = [['a', 'b'], ['😀', 'x\ny'], ['c', 'd']];
    const crlf = bytes.indexOf(10);
    expect(cellsOf(tokenize([bytes.slice(0, crlf), bytes.slice(crlf)]))).toEqual(expected);
    for (let k = 0; k <= bytes.length; k++) expect(cellsOf(tokenize(split(bytes, [k])))).toEqual(expected);
  });

  it('pieces read straight into its buffer (fill) where it can take them, pushed where it cannot: the same records, errors and bytes seen', () => {
    // UTF-8 and UTF-16 text, cut anywhere; each piece filled when fill says it can, else pushed.
    fc.assert(
      fc.property(csvTextArb, cutsArb, fc.boolean(), fc.boolean(), ({ text }, cuts, wide, buffer) => {
        const bytes = wide ? utf16(text, 'le') : enc.encode(text);
        const pieces = split(bytes, cuts);
        const options = buffer ? { allocBytes: (n: number) => Buffer.alloc(n) } : undefined;
        const out: Rec[] = [];
        let filled = 0;
        const seen: number[] = [];
        const read = (): Rec[] | { code: string; row: number; line: number } => {
          const t = new CsvTokenizer((r) => {
            const cells: string[] = [];
            for (let i = 0; i < r.cells; i++) cells.push(cellText(r, i));
            out.push({ cells, row: r.row, line: r.line, highBytes: r.highBytes });
          }, options);
          try {
            for (const p of pieces) {
              const n = t.fill(
                (into, at) => {
                  into.set(p, at);
                  return p.length;
                },
                p.length,
                (b) => seen.push(...b),
              );
              if (n < 0) {
                seen.push(...p);
                t.push(p);
              } else {
                expect(n).toBe(p.length);
                filled++;
              }
            }
            t.end();
          } catch (e) {
            if (e instanceof CsvSyntaxError) return { code: e.code, row: e.row, line: e.line };
            throw e;
          }
          return out;
        };
        const got = read();
        expect(got).toEqual(outcome([bytes], options));
        // Read to the end (not stopped by an error): every byte was shown once, in order.
        if (Array.isArray(got)) expect(seen).toEqual([...bytes]);
        // A UTF-16 file is never filled (its bytes are made UTF-8 first); a UTF-8 one is, from its
        // second piece on, but for a piece after one that ended in a \r (whose \n is dropped).
        if (wide) expect(filled).toBe(0);
        else if (Array.isArray(got) && pieces.length > 1 && pieces[0]!.length >= 3 && pieces[0]!.at(-1) !== 13) expect(filled).toBeGreaterThan(0);
      }),
      { numRuns: 300 },
    );
  });

  it('empty pieces change nothing', () => {
    const bytes = enc.encode('\ufeffa,"b\nc"\r\nd');
    const empty = new Uint8Array(0);
    expect(tokenize([empty, bytes.slice(0, 2), empty, bytes.slice(2, 9), empty, bytes.slice(9), empty])).toEqual(tokenize([bytes]));
  });
});

/** UTF-16 bytes (with their BOM) of a text. */
function utf16(text: string, endian: 'le' | 'be'): Uint8Array {
  const out = new Uint8Array(2 + text.length * 2);
  const put = (i: number, u: number) => {
    out[i] = endian === 'le' ? u & 0xff : u >> 8;
    out[i + 1] = endian === 'le' ? u >> 8 : u & 0xff;
  };
  put(0, 0xfeff);
  for (let i = 0; i < text.length; i++) put(2 + 2 * i, text.charCodeAt(i));
  return out;
}

describe('CsvTokenizer encodings (SPEC §2: UTF-8; a UTF-8 BOM removed; UTF-16 with a BOM read as text)', () => {
  it('reads a UTF-16 file (LE or BE, with its BOM) as the same text in UTF-8, in pieces cut anywhere (inside a code unit or a surrogate pair)', () => {
    fc.assert(
      fc.property(csvTextArb, cutsArb, fc.constantFrom('le' as const, 'be' as const), ({ body }, cuts, endian) => {
        // The same text in UTF-8 with its BOM (one U+FEFF removed, whatever follows it).
        const expected = tokenize([enc.encode(`\ufeff${body}`)]);
        const bytes = utf16(body, endian);
        expect(tokenize([bytes])).toEqual(expected);
        expect(tokenize(split(bytes, cuts))).toEqual(expected);
      }),
      { numRuns: 150 },
    );
  });

  it('removes one UTF-8 BOM, even when it arrives a byte at a time', () => {
    const bytes = enc.encode('\ufeffepisode_id,b\nE1,2\n');
    expect(cellsOf(tokenize(bytewise(bytes)))).toEqual([['episode_id', 'b'], ['E1', '2']]);
    // A file that is only a BOM, or shorter than one, has no record (or one of what it holds).
    expect(tokenize([Uint8Array.of(0xef, 0xbb, 0xbf)])).toEqual([]);
    expect(cellsOf(tokenize([enc.encode('a')]))).toEqual([['a']]);
    expect(cellsOf(tokenize([enc.encode('ab')]))).toEqual([['ab']]);
  });

  it('leaves bytes that are not UTF-8 in the cell (read as U+FFFD), and flags the record', () => {
    const bytes = Uint8Array.of(...enc.encode('a,Caf'), 0xe9, ...enc.encode(',b\n'));
    const [r] = tokenize([bytes]);
    expect(r).toEqual({ cells: ['a', 'Caf\ufffd', 'b'], row: 1, line: 1, highBytes: true });
  });
});

describe('CsvTokenizer and the project’s CSV writer (src/output/csv.ts): a round trip', () => {
  // The writer's formula guard (SPEC §4) puts an apostrophe before a cell a spreadsheet would run.
  const guarded = (v: string) => (csvCell(v).startsWith('"') ? csvCell(v).slice(1, -1).replace(/""/g, '"') : csvCell(v));

  it('any rows written with csvLine read back as written (line breaks inside a value read as \\n)', () => {
    const rowArb = fc.array(valueArb, { minLength: 1, maxLength: 6 });
    fc.assert(
      fc.property(fc.array(rowArb, { maxLength: 8 }), cutsArb, (rows, cuts) => {
        const bytes = enc.encode(rows.map((r) => csvLine(r)).join(''));
        const expected = rows.map((r) => r.map((v) => guarded(v).replace(/\r\n?/g, '\n')));
        // A U+FEFF that starts the file is its byte order mark, removed (SPEC §2), whoever wrote it.
        if (expected[0] && bytes[0] === 0xef) expected[0][0] = expected[0][0]!.replace(/^\ufeff/, '');
        expect(cellsOf(tokenize([bytes]))).toEqual(expected);
        expect(cellsOf(tokenize(split(bytes, cuts)))).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });

  it('property: a cell is quoted exactly when it holds a quote, comma or line break, and the guard adds an apostrophe only before a formula-like value', () => {
    const formulaArb = fc.tuple(fc.constantFrom('=', '+', '-', '@', '\t', '\r'), valueArb).map(([c, v]) => c + v);
    fc.assert(
      fc.property(fc.oneof(valueArb, formulaArb), (v) => {
        const out = csvCell(v);
        expect(out.startsWith('"')).toBe(/[",\r\n]/.test(v));
        const inner = guarded(v);
        expect(inner === v || inner === `'${v}`).toBe(true);
        if (inner !== v) expect('=+-@\t\r'.includes(v[0]!)).toBe(true);
      }),
      { numRuns: 1000 },
    );
    expect(csvCell('cr\r')).toBe('"cr\r"');
    expect(csvCell('=1,2')).toBe('"\'=1,2"');
    expect(csvCell('C0000001')).toBe('C0000001');
  });

  it('a worked example: commas, quotes, line breaks, a formula', () => {
    const text = csvLine(['C1', 'a, b', 'say "hi"', 'two\nlines', '=1+1', '-12.5', undefined]);
    expect(text).toBe('C1,"a, b","say ""hi""","two\nlines",\'=1+1,-12.5,\n');
    expect(cellsOf(tokenize([enc.encode(text)]))).toEqual([['C1', 'a, b', 'say "hi"', 'two\nlines', "'=1+1", '-12.5', '']]);
  });
});

/** Valid records to put before an error: their text, and where the record after them starts (row, editor line). */
const prefixArb = fc.array(fc.record({ cells: fc.array(cellArb, { minLength: 1, maxLength: 3 }), eol: EOL }), { maxLength: 4 }).map((recs) => {
  const text = recs.map((r) => r.cells.map((c) => c.text).join(',') + r.eol).join('');
  // csv-parse counts the records; every line end (CRLF once) moves the editor one line on.
  return { text, row: reference(text).length + 1, line: 1 + (text.match(/\r\n|\r|\n/g) ?? []).length, longest: Math.max(0, ...recs.map((r) => [...r.cells.map((c) => c.text).join(',')].length)) };
});

/** Text without quotes (what follows an unclosed quote must not close it). */
const noQuotesArb = fc.string({ unit: fc.constantFrom('a', ',', ' ', '\n', '\r', 'é', '😀'), maxLength: 12 });

describe('CsvTokenizer errors: the file cannot be read past a record (CsvSyntaxError, then the message a person reads)', () => {
  it('an unclosed quote: code, row and line of the record it opens in, whatever the pieces', () => {
    fc.assert(
      fc.property(prefixArb, fc.array(cellArb, { maxLength: 2 }), noQuotesArb, cutsArb, (prefix, before, rest, cuts) => {
        // The prefix's records all end with a line end, so they are records 1 … n whatever follows.
        const text = prefix.text + before.map((c) => c.text + ',').join('') + '"' + rest;
        const bytes = enc.encode(text);
        const expected = { code: 'unclosed_quote', row: prefix.row, line: prefix.line };
        expect(outcome([bytes])).toEqual(expected);
        expect(outcome(split(bytes, cuts))).toEqual(expected);
        expect(() => reference(text)).toThrow(/Quote Not Closed/);
      }),
      { numRuns: 200 },
    );
  });

  it('text after a closing quote: code, row and line of the record, whatever the pieces', () => {
    const afterArb = fc.string({ unit: fc.constantFrom('a', 'b', '"', 'é', '😀'), minLength: 1, maxLength: 3 }).filter((s) => s[0] !== '"');
    fc.assert(
      fc.property(prefixArb, fc.array(cellArb, { maxLength: 2 }), valueArb, afterArb, fc.constantFrom('', ' ', '\t', ' \t'), noQuotesArb, cutsArb, (prefix, before, value, after, spaces, rest, cuts) => {
        const text = prefix.text + before.map((c) => c.text + ',').join('') + quoted(value) + spaces + after + rest;
        const bytes = enc.encode(text);
        const expected = { code: 'text_after_quote', row: prefix.row, line: prefix.line };
        expect(outcome([bytes])).toEqual(expected);
        expect(outcome(split(bytes, cuts))).toEqual(expected);
        // csv-parse (strict) refuses the file too (perhaps earlier, at a quote inside an unquoted cell).
        expect(() => reference(text, true)).toThrow(/Quote/);
      }),
      { numRuns: 200 },
    );
  });

  it('a record longer than maxRecordChars, whatever the pieces (a complete record included)', () => {
    fc.assert(
      fc.property(prefixArb, fc.integer({ min: 1, max: 12 }), fc.string({ unit: fc.constantFrom('a', ',', 'é', '😀'), maxLength: 6 }), fc.boolean(), cutsArb, (prefix, over, tail, closed, cuts) => {
        const max = 60;
        // A record of max + over characters (é and 😀 are one character, two and four bytes).
        const body = `${'x'.repeat(max + over - [...tail].length)}${tail}`;
        const text = prefix.text + (closed ? `${body}\nnext` : `"${body}`);
        const bytes = enc.encode(text);
        expect(prefix.longest).toBeLessThanOrEqual(max);
        for (const pieces of [[bytes], split(bytes, cuts), bytewise(bytes)]) {
          const got = outcome(pieces, { maxRecordChars: max });
          expect(got).toMatchObject({ row: prefix.row, line: prefix.line });
          // An unclosed quote over the limit is reported as one or the other, by where reading stopped.
          expect(closed ? ['record_too_long'] : ['record_too_long', 'unclosed_quote']).toContain((got as { code: string }).code);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('a record of exactly maxRecordChars characters is read', () => {
    const row = `${'é'.repeat(10)},${'😀'.repeat(9)}`; // 20 characters, 57 bytes
    const bytes = enc.encode(`${row}\n${row}`);
    for (const pieces of [[bytes], bytewise(bytes)]) expect(tokenize(pieces, { maxRecordChars: 20 })).toHaveLength(2);
  });

  it('worked examples: the errors and the messages a person reads (SPEC §5: a clear error, exit 1)', () => {
    const fail = (text: string, options?: CsvTokenizerOptions): CsvSyntaxError => {
      try {
        tokenize([enc.encode(text)], options);
      } catch (e) {
        if (e instanceof CsvSyntaxError) return e;
        throw e;
      }
      throw new Error('no error');
    };

    const unclosed = fail('episode_id,client_id\nE1,"C1\nE2,C2\n');
    expect(unclosed).toMatchObject({ name: 'CsvSyntaxError', code: 'unclosed_quote', row: 2, line: 2, lineReached: 4, message: 'unclosed_quote in row 2' });
    const u = readError(unclosed, 'episodes.csv') as RecoveryPbrError;
    expect(u).toBeInstanceOf(RecoveryPbrError);
    expect(u.code).toBe('input_syntax');
    expect(u.message).toBe(
      'episodes.csv: a quote (") opened in row 2 (line 2) is never closed, so the rest of the file would be one cell. Add the missing closing quote, or remove the stray one, and run again.',
    );
    expect(u.problems).toEqual([{ file: 'episodes.csv', row: 2, message: u.message }]);

    const after = fail('episode_id,note\nE1,"two\nlines"\nE2,"a"b\n');
    expect(after).toMatchObject({ code: 'text_after_quote', row: 3, line: 4, lineReached: 4 });
    expect((readError(after, 'episodes.csv') as Error).message).toBe(
      'episodes.csv: in row 3 (line 4 in a text editor) a quoted value has text after its closing quote (like "a"b), so where the value ends is unclear. Put the whole value in quotes and write each quote inside it twice ("a""b"), or remove the stray quote, and run again.',
    );

    const long = fail(`a,b\n1,"${'x'.repeat(30)}\n${'y'.repeat(30)}\n`, { maxRecordChars: 40 });
    expect(long).toMatchObject({ code: 'record_too_long', row: 2, line: 2 });
    expect((readError(long, 'reviews.csv', 40) as Error).message).toBe(
      `reviews.csv: row 2 (line 2) runs on for more than 40 characters (reading stopped at line ${long.lineReached}). Most likely a quote (") in that row is never closed; check the quotes there. No rows were used.`,
    );

    // Anything else passes through readError untouched.
    const other = new Error('disk');
    expect(readError(other, 'x.csv')).toBe(other);
  });
});

describe('cell helpers', () => {
  it('cellText unquotes `""` and reads line breaks as \\n only in escaped cells; isBlankRecord', () => {
    const recs: { text: string; blank: boolean; escaped: number[] }[] = [];
    const t = new CsvTokenizer((r) => {
      const cells = Array.from({ length: r.cells }, (_, i) => cellText(r, i));
      recs.push({ text: cells.join('|'), blank: isBlankRecord(r), escaped: Array.from(r.escaped.subarray(0, r.cells)) });
    });
    t.push(enc.encode('"a""b","c\r\nd","e",f""\n   \n\t\n""\n"  "\n\u00a0\n'));
    t.end();
    expect(recs).toEqual([
      { text: 'a"b|c\nd|e|f""', blank: false, escaped: [1, 1, 0, 0] },
      { text: '   ', blank: true, escaped: [0] },
      { text: '\t', blank: true, escaped: [0] },
      { text: '', blank: true, escaped: [0] },
      { text: '  ', blank: true, escaped: [0] },
      // A no-break space is white space too (JavaScript's trim).
      { text: '\u00a0', blank: true, escaped: [0] },
    ]);
    expect(t.rows).toBe(6);
  });

  it('bytesText and isAscii', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 40 }), fc.nat(), fc.nat(), (s, a, b) => {
        const bytes = enc.encode(s);
        const from = Math.min(a, b) % (bytes.length + 1);
        const to = Math.max(from, Math.max(a, b) % (bytes.length + 1));
        expect(bytesText(bytes, from, to)).toBe(new TextDecoder().decode(bytes.subarray(from, to)));
        expect(isAscii(bytes, from, to)).toBe(bytes.subarray(from, to).every((x) => x < 0x80));
      }),
      { numRuns: 200 },
    );
    // Plain ASCII of every length a cell of a run has (ids, dates, codes: made in one call up to 16
    // bytes, grown past it), anywhere in a buffer.
    fc.assert(
      fc.property(fc.string({ unit: fc.integer({ min: 0, max: 0x7f }).map((c) => String.fromCharCode(c)), minLength: 0, maxLength: 30 }), fc.nat({ max: 5 }), (s, pad) => {
        const bytes = enc.encode('#'.repeat(pad) + s + '#');
        expect(bytesText(bytes, pad, pad + s.length)).toBe(s);
      }),
      { numRuns: 300 },
    );
    for (let n = 0; n <= 26; n++) {
      const s = 'E0123456789abcdefghijklmnop'.slice(0, n);
      expect(bytesText(enc.encode(`,${s},`), 1, 1 + n)).toBe(s);
    }
  });
});

// Typed arrays as in the page, Node Buffers as in worker threads (another indexOf finds the line ends).
describe.each([
  ['typed arrays', undefined],
  ['Node Buffers', (n: number) => Buffer.alloc(n)],
] as const)('passing over records by one cell (passCell / passOver), in %s', (_name, allocBytes) => {
  /** The records handed out (cells as text) and the row count, with records of client `other` passed over. */
  const tokenize = (pieces: string[], other: string) => {
    const out: string[][] = [];
    const t = new CsvTokenizer((r) => {
      const cells: string[] = [];
      for (let i = 0; i < r.cells; i++) cells.push(cellText(r, i));
      out.push([String(r.row), ...cells]);
      if (r.row === 1) {
        t.passCell = 0;
        t.passOver = (b, s, e) => bytesText(b, s, e) === other;
      }
    }, { allocBytes });
    for (const p of pieces) t.push(new TextEncoder().encode(p));
    t.end();
    return { out, rows: t.rows };
  };

  it('passes over a plain line, counting it; a line with a quote or \\r after the cell is split as usual', () => {
    const { out, rows } = tokenize(['h,x\nC1,a\nC2,b\nC2,"q\nq"\nC2,c\rC3,d\n'], 'C2');
    expect(out).toEqual([
      ['1', 'h', 'x'],
      ['2', 'C1', 'a'],
      ['4', 'C2', 'q\nq'],
      ['5', 'C2', 'c'],
      ['6', 'C3', 'd'],
    ]);
    expect(rows).toBe(6);
  });

  it('never reads past the bytes that have arrived (an old line break left in the buffer)', () => {
    // After the first piece the unfinished "C2,b" is moved to the front of the buffer; the old
    // bytes behind it still hold a line break, which must not be taken for the end of C2's line.
    const { out, rows } = tokenize(['h,x\nC1,aaaaaaaaaaaaaaaaaa\nC2,b', 'b', 'b\nC3,c\n'], 'C2');
    expect(out).toEqual([
      ['1', 'h', 'x'],
      ['2', 'C1', 'aaaaaaaaaaaaaaaaaa'],
      ['4', 'C3', 'c'],
    ]);
    expect(rows).toBe(4);
  });
});
