import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RecoveryPbrError } from '../../src/errors.js';
import { openCsv, readCsv } from '../../src/io/csv.js';
import { csvLine } from '../../src/output/csv.js';
import { collect, tempFile } from './helpers.js';

const rowsOf = async (text: string | Uint8Array, opts = {}) => collect(readCsv(tempFile('t.csv', text), opts));

describe('readCsv row numbers (R-VAL-1: header = 1, first record = 2)', () => {
  it('numbers records as a spreadsheet shows them', async () => {
    const rows = await rowsOf('a,b\n1,2\n3,4\n');
    expect(rows).toEqual([
      { row: 2, values: { a: '1', b: '2' } },
      { row: 3, values: { a: '3', b: '4' } },
    ]);
  });

  it('counts a quoted field with a line break as one record (one spreadsheet row)', async () => {
    const rows = await rowsOf('a,b\n"line one\nline two",2\n3,4\n');
    expect(rows.map((r) => r.row)).toEqual([2, 3]);
    expect(rows[0]!.values['a']).toBe('line one\nline two');
  });

  it('skips blank lines without counting them as read, but they keep their row number', async () => {
    const rows = await rowsOf('a,b\n1,2\n\n   \n3,4\n\n');
    expect(rows.map((r) => r.row)).toEqual([2, 5]);
  });

  it('a header-only file has no rows', async () => {
    expect(await rowsOf('a,b\n')).toEqual([]);
    expect(await rowsOf('a,b')).toEqual([]);
  });
});

describe('readCsv bytes and quoting', () => {
  it('removes a UTF-8 BOM from the first column name', async () => {
    const src = await openCsv(tempFile('bom.csv', '\ufeffepisode_id,b\nE1,2\n'));
    expect(src.columns).toEqual(['episode_id', 'b']);
    expect(await collect(src.rows)).toEqual([{ row: 2, values: { episode_id: 'E1', b: '2' } }]);
  });

  it('reads CRLF, LF and CR line ends, even mixed in one file', async () => {
    const expected = [
      { row: 2, values: { a: '1', b: '2' } },
      { row: 3, values: { a: '3', b: '4' } },
      { row: 4, values: { a: '5', b: '6' } },
    ];
    expect(await rowsOf('a,b\r\n1,2\r\n3,4\r\n5,6\r\n')).toEqual(expected);
    expect(await rowsOf('a,b\r\n1,2\n3,4\r5,6')).toEqual(expected);
  });

  it('keeps quoted commas, doubled quotes and a line break inside quotes (read as \\n, as a spreadsheet shows it)', async () => {
    const rows = await rowsOf('a,b\n"x, y","say ""hi"""\n"multi\r\nline",z\n"old\rMac",w\n');
    expect(rows[0]!.values).toEqual({ a: 'x, y', b: 'say "hi"' });
    expect(rows[1]!.values).toEqual({ a: 'multi\nline', b: 'z' });
    expect(rows[2]!.values).toEqual({ a: 'old\nMac', b: 'w' });
    expect(rows.map((r) => r.row)).toEqual([2, 3, 4]);
  });

  it('reads a CRLF cut between two pieces of the file as one line end', async () => {
    const text = 'a,b\r\n1,2\r\n"x\r\ny",3\r\n4,5\r\n';
    const expected = [
      { row: 2, values: { a: '1', b: '2' } },
      { row: 3, values: { a: 'x\ny', b: '3' } },
      { row: 4, values: { a: '4', b: '5' } },
    ];
    // Every cut position: a piece may end with the \r of a \r\n, inside or outside quotes.
    for (let chunkBytes = 1; chunkBytes <= 12; chunkBytes++) expect(await rowsOf(text, { chunkBytes })).toEqual(expected);
  });

  it('keeps a stray quote inside an unquoted cell as a character (as spreadsheets do)', async () => {
    const rows = await rowsOf('a,b\n5\'10",x\n');
    expect(rows[0]!.values).toEqual({ a: '5\'10"', b: 'x' });
  });

  it('reads UTF-8 text (accents, non-Latin scripts) unchanged', async () => {
    const rows = await rowsOf('a,b\nCafé,日本\n');
    expect(rows[0]!.values).toEqual({ a: 'Café', b: '日本' });
    expect(rows[0]!.problem).toBeUndefined();
  });

  it('reads a UTF-16LE file with a BOM (Excel "Unicode text" with commas)', async () => {
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('a,b\n1,2\n', 'utf16le')]);
    expect(await rowsOf(bytes)).toEqual([{ row: 2, values: { a: '1', b: '2' } }]);
  });

  it('reads UTF-16 (LE or BE) text even when the file comes in pieces smaller than its BOM', async () => {
    const le = Buffer.from('a,b\r\n"x\r\ny",日本\r\n', 'utf16le');
    const be = Buffer.from(le).swap16();
    for (const bytes of [Buffer.concat([Buffer.from([0xff, 0xfe]), le]), Buffer.concat([Buffer.from([0xfe, 0xff]), be])]) {
      for (const chunkBytes of [1, 2, 3, 1024]) expect(await rowsOf(bytes, { chunkBytes })).toEqual([{ row: 2, values: { a: 'x\ny', b: '日本' } }]);
    }
    expect(await rowsOf('a', { chunkBytes: 1 })).toEqual([]);
  });

  it('rejects a row with bytes that are not UTF-8 (Latin-1 é), telling the user to save as UTF-8', async () => {
    const bytes = Buffer.concat([Buffer.from('a,b\nok,1\nCaf'), Buffer.from([0xe9]), Buffer.from(',2\n')]);
    const rows = await rowsOf(bytes);
    expect(rows[0]!.problem).toBeUndefined();
    expect(rows[1]!.row).toBe(3);
    expect(rows[1]!.problem).toMatchObject({ field: 'a', reason: expect.stringMatching(/not UTF-8.*save the file as UTF-8/) });
  });

  it('checks only the fields it is told to for non-UTF-8 bytes', async () => {
    const bytes = Buffer.concat([Buffer.from('a,b\nCaf'), Buffer.from([0xe9]), Buffer.from(',2\n')]);
    const rows = await rowsOf(bytes, { utf8Fields: ['b'] });
    expect(rows[0]!.problem).toBeUndefined();
  });
});

describe('readCsv cell counts (a rejection with the row number, never a crash)', () => {
  it('flags a row with too many cells', async () => {
    const rows = await rowsOf('a,b\n1,2,3\n4,5\n');
    expect(rows[0]).toMatchObject({ row: 2, problem: { field: '', value: '', reason: expect.stringContaining('has 3 cells but the header has 2 columns') } });
    expect(rows[1]!.problem).toBeUndefined();
  });

  it('flags a row with too few cells, keeping the cells it has', async () => {
    const rows = await rowsOf('a,b,c\n1,2\n');
    expect(rows[0]).toMatchObject({ row: 2, values: { a: '1', b: '2' }, problem: { reason: expect.stringContaining('has 2 cells but the header has 3') } });
  });
});

describe('readCsv file-level problems are RecoveryPbrErrors with an actionable message', () => {
  it('missing file', async () => {
    await expect(openCsv('/nonexistent/dir/episodes.csv')).rejects.toThrow(/not found: \/nonexistent\/dir\/episodes.csv/);
    await expect(openCsv('/nonexistent/dir/episodes.csv')).rejects.toBeInstanceOf(RecoveryPbrError);
  });

  it('empty (0-byte) file', async () => {
    await expect(openCsv(tempFile('episodes.csv', ''))).rejects.toThrow(/episodes.csv is empty \(0 bytes\).*header row/);
  });

  it('a file whose first line is blank has no header', async () => {
    await expect(openCsv(tempFile('episodes.csv', '\n\n'))).rejects.toThrow(/has no header row/);
  });

  it('unclosed quote at the end of the file names the row and the line where it opens', async () => {
    const text = 'a,b\n"multi\nline",1\n2,"never closed\n3,4\n5,6\n';
    const err = await openCsv(tempFile('episodes.csv', text))
      .then((src) => collect(src.rows))
      .catch((e) => e);
    expect(err).toBeInstanceOf(RecoveryPbrError);
    expect(err.message).toMatch(/episodes.csv: a quote \(\"\) opened in row 3 \(line 4 in a text editor\) is never closed/);
  });

  it('an unclosed quote in a large file stops at maxRecordChars, quickly, naming the row', async () => {
    const tail = '1,2\n'.repeat(50_000);
    const text = `a,b\n1,2\n3,"oops\n${tail}`;
    const t0 = Date.now();
    // The error may surface while the header is read (small file) or while rows are read.
    const err = await openCsv(tempFile('big.csv', text), { maxRecordChars: 10_000 })
      .then((src) => collect(src.rows))
      .catch((e) => e);
    expect(err).toBeInstanceOf(RecoveryPbrError);
    expect(err.message).toMatch(/big.csv: row 3 \(line 3\) runs on for more than 10,000 characters.*quote/);
    expect(Date.now() - t0).toBeLessThan(5000);
  });

  it('a 1 MB cell is read (to be rejected by its field parser), not refused or hung on', async () => {
    const big = 'x'.repeat(1024 * 1024);
    const t0 = Date.now();
    const rows = await rowsOf(`a,b\n${big},1\n2,3\n`);
    expect(rows.map((r) => r.row)).toEqual([2, 3]);
    expect((rows[0]!.values['a'] as string).length).toBe(1024 * 1024);
    expect(Date.now() - t0).toBeLessThan(5000);
  });

  it('a folder given as a file', async () => {
    await expect(openCsv('/tmp')).rejects.toThrow(/is a folder/);
  });
});

describe('openCsv header mapping', () => {
  it('keeps only the columns `fields` maps, under the field name', async () => {
    const src = await openCsv(tempFile('t.csv', ' Episode_ID ,junk\nE1,zzz\n'), {
      fields: (cols) => cols.map((c) => (c.toLowerCase() === 'episode_id' ? 'episode_id' : undefined)),
    });
    expect(src.columns).toEqual(['Episode_ID', 'junk']);
    expect(await collect(src.rows)).toEqual([{ row: 2, values: { episode_id: 'E1' } }]);
  });

  it('batches give the same rows as rows', async () => {
    const text = 'a,b\n' + Array.from({ length: 5000 }, (_, i) => `${i},${i * 2}`).join('\n');
    const p = tempFile('t.csv', text);
    const viaRows = await collect((await openCsv(p)).rows);
    const viaBatches = (await collect((await openCsv(p)).batches)).flat();
    expect(viaBatches).toEqual(viaRows);
    expect(viaRows).toHaveLength(5000);
    expect(viaRows[4999]).toEqual({ row: 5001, values: { a: '4999', b: '9998' } });
  });

  it('close() before reading releases the file without error', async () => {
    const src = await openCsv(tempFile('t.csv', 'a\n1\n'));
    src.close();
    src.close();
  });
});

describe('readCsv quoting that is not RFC 4180 (SPEC §2)', () => {
  it('refuses text after a closing quote ("a"b), naming the row and its line, rather than guess where the value ends', async () => {
    for (const text of ['a,b\n1,2\n"x\ny",3\n"a"b,4\n5,6\n', 'a,b\n1,2\n"x\ny",3\n"a"b,4\n"5",6\n', 'a,b\n1,2\n"x\ny",3\n"a"b,4']) {
      const err = await collect(readCsv(tempFile('episodes.csv', text))).catch((e) => e);
      expect(err).toBeInstanceOf(RecoveryPbrError);
      expect(err.message).toMatch(/episodes.csv: in row 4 \(line 5 in a text editor\) a quoted value has text after its closing quote.*""/);
    }
  });

  it('drops spaces between a closing quote and the comma or line end, wherever the file is cut into pieces', async () => {
    const text = 'a,b\n"x"  ,1\n2,"y" \n3,4\n';
    const expected = [
      { row: 2, values: { a: 'x', b: '1' } },
      { row: 3, values: { a: '2', b: 'y' } },
      { row: 4, values: { a: '3', b: '4' } },
    ];
    for (let chunkBytes = 1; chunkBytes <= 16; chunkBytes++) expect(await rowsOf(text, { chunkBytes })).toEqual(expected);
    // Also at the very end of a file with no final line break.
    expect(await rowsOf('a,b\n"x"  ,1\n2,"y" ')).toEqual(expected.slice(0, 2));
  });

  it('an unclosed quote cut across many pieces is still named by its row and line', async () => {
    const text = 'a,b\n"multi\nline",1\n2,"never closed\n3,4\n5,6\n';
    for (const chunkBytes of [1, 3, 7]) {
      const err = await collect(readCsv(tempFile('episodes.csv', text), { chunkBytes })).catch((e) => e);
      expect(err.message).toMatch(/a quote \(\"\) opened in row 3 \(line 4 in a text editor\) is never closed/);
    }
  });

  it('a line with no line break for more than maxRecordChars stops the file too', async () => {
    const err = await collect(readCsv(tempFile('big.csv', `a,b\n1,2\n${'x'.repeat(50_000)}`), { maxRecordChars: 10_000, chunkBytes: 4096 })).catch((e) => e);
    expect(err).toBeInstanceOf(RecoveryPbrError);
    expect(err.message).toMatch(/big.csv: row 3 \(line 3\) runs on for more than 10,000 characters/);
  });
});

describe('streaming (issue #2: a file of several GB is never loaded whole)', () => {
  const big = () => tempFile('big.csv', 'a,b,c\n' + '123456,abcdef,2015-03-31\n'.repeat(200_000)); // about 5 MB

  it('reads ahead only a few pieces while the rows read are not taken', async () => {
    const path = big();
    const src = await openCsv(path, { chunkBytes: 64 * 1024 });
    const it = src.batches[Symbol.asyncIterator]();
    expect((await it.next()).done).toBe(false);
    await new Promise((r) => setTimeout(r, 50));
    expect(src.bytesRead()).toBeLessThan(8 * 64 * 1024);
    let rows = (await it.next()).value!.length;
    for (let r = await it.next(); !r.done; r = await it.next()) rows += r.value.length;
    expect(src.bytesRead()).toBe(5_000_006);
    expect(rows).toBeGreaterThan(190_000);
  });

  it('close() in the middle of the rows stops reading: the batches end', async () => {
    const src = await openCsv(big(), { chunkBytes: 64 * 1024 });
    const it = src.batches[Symbol.asyncIterator]();
    await it.next();
    src.close();
    expect((await it.next()).done).toBe(true);
    expect(src.bytesRead()).toBeLessThan(8 * 64 * 1024);
  });
});

/** Cells as the reader gives them back: a line break inside a cell reads as \n (SPEC §2, see csv.ts). */
const asRead = (cell: string) => cell.replace(/\r\n?/g, '\n');

// Cells with commas, quotes, CR/LF, spaces, non-Latin text and emoji (a surrogate pair may be cut
// between two pieces of bytes), and empty cells. A cell starting with CR is left out: csvLine writes
// it with the apostrophe of the formula guard (SPEC §4), so it is not the cell written.
const anyCell = fc.string({ unit: fc.constantFrom('a', 'B', '1', ' ', ',', '"', '\r', '\n', 'é', '日', '😀', "'", ';'), maxLength: 8 }).filter((c) => !c.startsWith('\r'));
const table = fc.integer({ min: 1, max: 5 }).chain((width) =>
  fc.record({
    width: fc.constant(width),
    // A one-column record that is blank would be a blank line, which has no cells to give back.
    rows: fc.array(fc.array(anyCell, { minLength: width, maxLength: width }).filter((r) => width > 1 || r[0]!.trim() !== ''), { maxLength: 12 }),
    ends: fc.array(fc.constantFrom('\n', '\r\n', '\r'), { minLength: 1, maxLength: 13 }),
    finalBreak: fc.boolean(),
    chunkBytes: fc.constantFrom(1, 2, 3, 5, 16, 64, 256 * 1024),
  }),
);

/** CSV text written by the project's own writer (`csvLine`), with the given line end after each record. */
function written(width: number, rows: string[][], ends: string[], finalBreak: boolean): string {
  const records = [Array.from({ length: width }, (_, j) => `h${j}`), ...rows];
  return records
    .map((r, i) => csvLine(r).slice(0, -1) + (i < records.length - 1 || finalBreak ? ends[i % ends.length]! : ''))
    .join('');
}

describe('readCsv gives back what csvLine wrote (differential property, SPEC §2 / R-VAL-1)', () => {
  it('the same cells and spreadsheet row numbers, whatever the line ends and the pieces the file is read in', async () => {
    await fc.assert(
      fc.asyncProperty(table, async ({ width, rows, ends, finalBreak, chunkBytes }) => {
        const path = tempFile('t.csv', written(width, rows, ends, finalBreak));
        const expected = rows.map((r, i) => ({ row: i + 2, values: Object.fromEntries(r.map((c, j) => [`h${j}`, asRead(c)])) }));
        expect(await collect(readCsv(path, { chunkBytes }))).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });
});
