import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/cli/command.js';
import { openCsv, readCsv } from '../../src/io/csv.js';
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

  it('keeps quoted commas, doubled quotes and a line break inside quotes', async () => {
    const rows = await rowsOf('a,b\n"x, y","say ""hi"""\n"multi\r\nline",z\n');
    expect(rows[0]!.values).toEqual({ a: 'x, y', b: 'say "hi"' });
    expect(rows[1]!.values).toEqual({ a: 'multi\r\nline', b: 'z' });
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

describe('readCsv file-level problems are InputErrors with an actionable message', () => {
  it('missing file', async () => {
    await expect(openCsv('/nonexistent/dir/episodes.csv')).rejects.toThrow(/not found: \/nonexistent\/dir\/episodes.csv/);
    await expect(openCsv('/nonexistent/dir/episodes.csv')).rejects.toBeInstanceOf(InputError);
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
    expect(err).toBeInstanceOf(InputError);
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
    expect(err).toBeInstanceOf(InputError);
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
