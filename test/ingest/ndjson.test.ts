/**
 * The NDJSON reader (src/ingest/ndjson.ts; SPEC §2: one JSON object per line; R-VAL-1: the row is
 * the line). The laws: the bytes pushed in pieces cut anywhere (inside a UTF-8 sequence, between CR
 * and LF, inside the BOM) give the same rows as the whole; each object line comes back as
 * JSON.parse reads it, with its line number, blank lines skipped; a line over `maxRecordChars`
 * stops the file whatever the pieces.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NdjsonLineTooLong, NdjsonLines, type NdjsonOptions, type NdjsonRow } from '../../src/ingest/ndjson.js';

const enc = new TextEncoder();

function read(pieces: readonly Uint8Array[], options?: NdjsonOptions): NdjsonRow[] | { tooLong: number } {
  const rows: NdjsonRow[] = [];
  const r = new NdjsonLines((row) => rows.push(structuredClone(row)), options);
  try {
    for (const p of pieces) r.push(p);
    r.end();
  } catch (e) {
    if (e instanceof NdjsonLineTooLong) return { tooLong: e.line };
    throw e;
  }
  return rows;
}

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

const valueArb = fc.oneof(fc.string({ unit: fc.constantFrom('a', '"', '\\', '\n', '\r', 'é', '😀', ' ', '\u2028'), maxLength: 6 }), fc.integer(), fc.boolean(), fc.constant(null));
const lineArb = fc.oneof(
  { arbitrary: fc.dictionary(fc.constantFrom('client_id', 'date', 'note', 'é'), valueArb, { maxKeys: 3 }).map((o) => ({ json: JSON.stringify(o), object: o as unknown })), weight: 5 },
  { arbitrary: fc.constantFrom('', '  ', '\t').map((blank) => ({ json: blank, object: undefined as unknown })), weight: 1 },
  { arbitrary: fc.constantFrom('[1]', '{"a": oops}', '"x"', '{').map((bad) => ({ json: bad, object: 'problem' as unknown })), weight: 1 },
);
const fileArb = fc.record({
  lines: fc.array(fc.record({ line: lineArb, eol: fc.constantFrom('\n', '\r\n') }), { maxLength: 8 }),
  bom: fc.boolean(),
  finalEol: fc.boolean(),
});
const textOf = (f: { lines: { line: { json: string }; eol: string }[]; bom: boolean; finalEol: boolean }) =>
  (f.bom ? '\ufeff' : '') + f.lines.map((l, i) => l.line.json + (i < f.lines.length - 1 || f.finalEol ? l.eol : '')).join('');

describe('NdjsonLines', () => {
  it('reads every object line as JSON.parse does, with its line number; skips blank lines; a line that is not an object is a problem of its row', () => {
    fc.assert(
      fc.property(fileArb, (f) => {
        const rows = read([enc.encode(textOf(f))]) as NdjsonRow[];
        const expected = f.lines.flatMap((l, i) => (l.line.object === undefined ? [] : [{ row: i + 1, object: l.line.object }]));
        expect(rows.map((r) => r.row)).toEqual(expected.map((e) => e.row));
        rows.forEach((r, k) => {
          if (expected[k]!.object === 'problem') expect(r.problem?.reason).toMatch(/not valid JSON|not a JSON object/);
          else expect({ values: r.values, problem: r.problem }).toEqual({ values: expected[k]!.object, problem: undefined });
        });
      }),
      { numRuns: 200 },
    );
  });

  it('gives the same rows whatever the pieces (cut inside a UTF-8 sequence, a CRLF, the BOM)', () => {
    fc.assert(
      fc.property(fileArb, fc.array(fc.nat(), { maxLength: 8 }), (f, cuts) => {
        const bytes = enc.encode(textOf(f));
        const whole = read([bytes]);
        expect(read(split(bytes, cuts))).toEqual(whole);
        expect(read(Array.from(bytes, (b) => Uint8Array.of(b)))).toEqual(whole);
      }),
      { numRuns: 150 },
    );
  });

  it('a line longer than maxRecordChars stops the file, whatever the pieces (a complete line included)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10 }), fc.boolean(), fc.array(fc.nat(), { maxLength: 4 }), (over, ends, cuts) => {
        const max = 40;
        const long = JSON.stringify({ note: 'x'.repeat(max + over - 11) }); // max + over characters
        expect(long.length).toBe(max + over);
        const bytes = enc.encode(`{"a":1}\n${long}${ends ? '\n{"a":2}\n' : ''}`);
        for (const pieces of [[bytes], split(bytes, cuts)]) expect(read(pieces, { maxRecordChars: max })).toEqual({ tooLong: 2 });
      }),
      { numRuns: 60 },
    );
  });

  it('a line of exactly maxRecordChars characters is read', () => {
    const line = JSON.stringify({ note: 'x'.repeat(29) });
    expect(line).toHaveLength(40);
    const bytes = enc.encode(`${line}\n${line}`);
    expect(read([bytes], { maxRecordChars: 40 })).toHaveLength(2);
    expect(read(split(bytes, [5, 20, 41, 60]), { maxRecordChars: 40 })).toHaveLength(2);
  });
});
