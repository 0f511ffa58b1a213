import { describe, expect, it } from 'vitest';
import { RecoveryPbrError } from '../../src/errors.js';
import { openNdjson, readNdjson } from '../../src/io/ndjson.js';
import { collect, tempFile } from './helpers.js';

const rowsOf = async (text: string | Uint8Array, opts = {}) => collect(readNdjson(tempFile('t.ndjson', text), opts));

describe('readNdjson (R-VAL-1: the row number is the line number)', () => {
  it('yields one row per line with its line number', async () => {
    const rows = await rowsOf('{"a":"1"}\n{"a":"2","b":3}\n');
    expect(rows).toEqual([
      { row: 1, values: { a: '1' } },
      { row: 2, values: { a: '2', b: 3 } },
    ]);
  });

  it('skips blank lines (not counted as read) but keeps line numbers', async () => {
    const rows = await rowsOf('\n{"a":"1"}\n  \n\n{"a":"2"}');
    expect(rows.map((r) => r.row)).toEqual([2, 5]);
  });

  it('reads CRLF line ends and a leading BOM', async () => {
    const rows = await rowsOf('\ufeff{"a":"1"}\r\n{"a":"2"}\r\n');
    expect(rows).toEqual([
      { row: 1, values: { a: '1' } },
      { row: 2, values: { a: '2' } },
    ]);
  });

  it('an empty (0-byte) NDJSON file has no rows (NDJSON has no header to write)', async () => {
    expect(await rowsOf('')).toEqual([]);
  });

  it('keeps a line break escaped inside a JSON string', async () => {
    const rows = await rowsOf('{"a":"x\\ny"}\n');
    expect(rows[0]!.values['a']).toBe('x\ny');
  });

  it('rejects a line that is not JSON, with its line number', async () => {
    const rows = await rowsOf('{"a":"1"}\n{"a": oops}\n{"a":"3"}\n');
    expect(rows[1]).toMatchObject({ row: 2, problem: { field: '', value: '', reason: expect.stringMatching(/^is not valid JSON \(Unexpected token 'o' at column 7\); each line/) } });
    expect(rows[2]!.problem).toBeUndefined();
  });

  it.each([
    ['[1,2]', 'a JSON array'],
    ['"text"', 'a JSON string'],
    ['42', 'a JSON number'],
    ['null', 'null'],
  ])('rejects a line holding %s: it is not a JSON object', async (line, kind) => {
    const rows = await rowsOf(`${line}\n`);
    expect(rows[0]!.problem!.reason).toContain(`is ${kind}, not a JSON object`);
  });

  it('rejects a row with bytes that are not UTF-8', async () => {
    const bytes = Buffer.concat([Buffer.from('{"a":"Caf'), Buffer.from([0xe9]), Buffer.from('"}\n{"a":"ok"}\n')]);
    const rows = await rowsOf(bytes);
    expect(rows[0]!.problem).toMatchObject({ field: 'a', reason: expect.stringContaining('save the file as UTF-8') });
    expect(rows[1]!.problem).toBeUndefined();
  });

  it('a multi-byte character split across read chunks is decoded intact', async () => {
    const line = JSON.stringify({ a: 'é'.repeat(100) });
    const rows = await rowsOf(`${line}\n${line}\n`, { chunkBytes: 7 });
    expect(rows.map((r) => r.values['a'])).toEqual(['é'.repeat(100), 'é'.repeat(100)]);
    expect(rows.every((r) => r.problem === undefined)).toBe(true);
  });

  it('a line that never ends stops the run with a RecoveryPbrError (the file is probably not NDJSON)', async () => {
    const err = await rowsOf(`{"a":"1"}\n{"a":"${'x'.repeat(5000)}`, { maxRecordChars: 1000, chunkBytes: 256 }).catch((e) => e);
    expect(err).toBeInstanceOf(RecoveryPbrError);
    expect(err.message).toMatch(/line 2 is longer than 1,000 characters/);
  });

  it('a line over the limit stops the run even when it arrives whole in one chunk, as a run on a folder reads it', async () => {
    const err = await rowsOf(`{"a":"1"}\n{"a":"${'x'.repeat(5000)}"}\n{"a":"2"}\n`, { maxRecordChars: 1000, chunkBytes: 64 * 1024 }).catch((e) => e);
    expect(err).toBeInstanceOf(RecoveryPbrError);
    expect(err.message).toMatch(/line 2 is longer than 1,000 characters/);
  });

  it('a missing file is a RecoveryPbrError', async () => {
    await expect(openNdjson('/nonexistent/reviews.ndjson')).rejects.toThrow(/not found/);
  });

  it('tells onNewKeys about keys as they first appear, and may stop the run', async () => {
    const seen: [string[], number][] = [];
    await rowsOf('{"a":1}\n{"a":2,"b":3}\n{"b":1}\n', { onNewKeys: (k: string[], l: number) => seen.push([k, l]) });
    expect(seen).toEqual([
      [['a'], 1],
      [['b'], 2],
    ]);
    const err = await rowsOf('{"a":1}\n{"name":"x"}\n', {
      onNewKeys: (k: string[]) => {
        if (k.includes('name')) throw new RecoveryPbrError('input_header', 'stop');
      },
    }).catch((e) => e);
    expect(err.message).toBe('stop');
  });
});
