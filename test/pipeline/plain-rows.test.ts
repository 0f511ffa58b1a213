/**
 * Plain rows read straight from their bytes (src/ingest/table.ts `plainRowReader`, taken by the
 * tokenizer's `plainRow` in a slice or a reading of one partition, when records are compiled): a row
 * with no quote, no `\r`, no byte of 0x80 or above and the header's number of cells, ending in a
 * `\n`, is cut into cells and parsed in one pass; any other row (or one with a cell its field
 * refuses) is left to the tokenizer and the cell reader. The law: the reader with it gives exactly
 * what the reader without it gives — the same columns and row positions, ids in the same order, the
 * same rejections (R-VAL-1, R-VAL-2) and counts — however the rows are faulty and the bytes cut.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generateClients } from '../../src/generate/index.js';
import { csvLine } from '../../src/output/csv.js';
import { feedPart } from '../../src/pipeline/inputs.js';
import { checkPartition } from '../../src/pipeline/partition.js';
import { singleFileNames } from '../../src/pipeline/positions.js';
import { PartitionReader } from '../../src/pipeline/read.js';
import { presetScheme } from '../../src/presets/index.js';
import { INPUT_FILES, type InputFile } from '../../src/schema/codes.js';
import { columnsOf } from '../../src/schema/records.js';
import { CsvTokenizer } from '../../src/ingest/csv.js';
import { RecordTable, vocabularies } from '../../src/ingest/table.js';

const enc = new TextEncoder();
const scheme = presetScheme('national-model-2012');

/** A generated cohort's six files as lines (no header), rows of each client together. */
function cohortLines(clients: number, seed: number, errorRate: number): Record<InputFile, string[]> {
  const lines = Object.fromEntries(INPUT_FILES.map((f) => [f, [] as string[]])) as Record<InputFile, string[]>;
  for (const c of generateClients({ clients, seed, errorRate })) {
    for (const f of INPUT_FILES) for (const row of c.rows[f]) lines[f].push(csvLine(columnsOf(f).map((k) => row[k])));
  }
  return lines;
}

/**
 * Ways to spoil a line that the plain reader must leave to the tokenizer (or that the tokenizer
 * reads otherwise): a cell quoted, a `\r\n` or lone `\r`, a space or tab in a cell, a byte of 0x80
 * or above (valid UTF-8 and not), a cell too many or too few, a blank line, a cell its field
 * refuses (a date that is not one, a number out of range, a code not in the list).
 */
const SPOILS: readonly ((line: string, at: number) => string)[] = [
  (l) => `"${l.slice(0, -1).split(',').join('","')}"\n`,
  (l) => `${l.slice(0, -1)}\r\n`,
  (l) => `${l.slice(0, -1)}\r`,
  (l, at) => l.slice(0, at) + ' ' + l.slice(at),
  (l, at) => l.slice(0, at) + '\t' + l.slice(at),
  (l, at) => l.slice(0, at) + 'é' + l.slice(at),
  (l) => `${l.slice(0, -1)},\n`,
  (l) => `${l.slice(0, l.lastIndexOf(','))}\n`,
  () => '\n',
  () => '   \n',
  (l) => l.replace(/\d{4}-\d{2}-\d{2}/, '2014-02-30'),
  (l) => l.replace(/,(\d{1,2}),/, ',999,'),
  (l) => l.replace(/,(start|review|exit|negative|positive|refused),/, ',sometimes,'),
  (l) => l.replace(/^C/, ' C'),
  (l) => l.replace(/,E/, ',,E'),
  (l, at) => l.slice(0, at) + '~' + l.slice(at),
  (l, at) => l.slice(0, at) + '\u0001' + l.slice(at),
];

/** The bytes of a file with its header and lines, some spoilt, cut into pieces at `cuts`. */
function pieces(file: InputFile, lines: readonly string[], spoil: readonly { line: number; how: number; at: number }[], cuts: readonly number[]): Uint8Array[] {
  const out = [...lines];
  for (const s of spoil) {
    if (out.length === 0) break;
    const i = s.line % out.length;
    const l = out[i]!;
    out[i] = SPOILS[s.how % SPOILS.length]!(l, s.at % Math.max(1, l.length - 1));
  }
  // A `~` (in no generated cell) stands for a byte that is not UTF-8.
  const bytes = enc.encode(csvLine(columnsOf(file)) + out.join('')).map((b) => (b === 0x7e ? 0xff : b));
  // A cut inside the two bytes of a spoilt é leaves two pieces, each read whole: the tokenizer
  // joins them (the plain reader sees the é whole, and leaves its row to the tokenizer).
  const at = [0, ...cuts.map((c) => c % (bytes.length + 1)).filter((c) => c > 0 && c < bytes.length).sort((a, b) => a - b), bytes.length];
  return at.slice(1).map((end, i) => bytes.slice(at[i]!, end));
}

/** What a partition reading the parts says, from its columns to its checks (or the error that stops it: a spoilt line may not be CSV). */
function read(parts: readonly { kind: number; pieces: Uint8Array[] }[], compileRecords: boolean) {
  const reader = new PartitionReader({ exitReasonMap: scheme.exitReasons, compileRecords });
  try {
    for (const p of parts) feedPart(reader, { kind: p.kind, part: 0, name: `${INPUT_FILES[p.kind]}.csv`, format: 'csv' }, p.pieces);
  } catch (e) {
    return { error: (e as Error).message };
  }
  const tables = INPUT_FILES.map((f) => {
    const t = reader.tables[f];
    if (!t) return undefined;
    return { length: t.length, pos: [...t.pos.subarray(0, t.length)], rows: Array.from({ length: t.length }, (_, r) => t.record(r, 0)), cols: t.cols.map((c) => [...c.subarray(0, t.length)]) };
  });
  const vocab = { clients: [...reader.vocab.clients.values], episodes: [...reader.vocab.episodes.values], ids: [...reader.vocab.ids.values] };
  const checked = checkPartition(reader, { names: singleFileNames(), reviewToleranceDays: scheme.calendar.reviewToleranceDays });
  return { tables, vocab, read: [...reader.read], notUtf8: reader.notUtf8, rejections: checked.rejections, counts: checked.counts };
}

describe('plain rows read straight from their bytes (R-VAL-1, R-VAL-2)', () => {
  it('give the columns, ids, positions, rejections and counts the tokenizer and cell readers give, whatever is spoilt and however the bytes are cut', () => {
    let stopped = 0;
    const spoilArb = fc.array(fc.record({ line: fc.nat(), how: fc.nat(), at: fc.nat() }), { maxLength: 12 });
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 25 }),
        fc.integer({ min: 0, max: 1_000_000 }),
        fc.constantFrom(0, 0.05, 0.2),
        fc.array(spoilArb, { minLength: 6, maxLength: 6 }),
        fc.array(fc.array(fc.nat(), { maxLength: 6 }), { minLength: 6, maxLength: 6 }),
        (clients, seed, errorRate, spoils, cuts) => {
          const lines = cohortLines(clients, seed, errorRate);
          const parts = INPUT_FILES.map((f, kind) => ({ kind, pieces: pieces(f, lines[f], spoils[kind]!, cuts[kind]!) }));
          const plain = read(parts, true);
          expect(plain).toStrictEqual(read(parts, false));
          if ('error' in plain) stopped++;
        },
      ),
      { numRuns: 60 },
    );
    // Most cases are read to the end (a spoilt quote can make a file that is not CSV at all).
    expect(stopped).toBeLessThan(30);
  });

  it('take the plain rows, and leave the others to the tokenizer (a worked example)', () => {
    const table = new RecordTable('offences', vocabularies(), { compile: true });
    const at = [0, 1, 2];
    const reader = table.plainRowReader(at, 3)!;
    expect(reader).toBeDefined();
    const readRow = (b: Uint8Array, start: number, len: number) => table.readPlain(reader, b, start, len);
    const text = enc.encode('C1,2014-01-05,violent\nC1,"2014-01-06",violent\nC1,2014-01-07,violent,x\nC1,2014-01-08,violent\r\nC1,2014-13-01,violent\nC1,2014-01-09');
    // The tokenizer writes a \n past the text (its buffer has room for it).
    const b = new Uint8Array(text.length + 8);
    b.set(text);
    b[text.length] = 10;
    const len = text.length;
    const lf = readRow(b, 0, len);
    expect(lf).toBe(21);
    expect(table.clientOfPlain(b, 0)).toBe(0);
    expect(table.commitPlain(b, 0, 0, 2)).toBe(true);
    expect(table.record(0, 2)).toMatchObject({ client_id: 'C1', offence_date: '2014-01-05', category: 'violent' });
    // Quoted, a cell too many, a \r, a date that is not one, the text's end: left to the tokenizer.
    let start = 22;
    for (let k = 0; k < 5; k++) {
      expect(readRow(b, start, len)).toBe(-1);
      start = text.indexOf(10, start) + 1 || len;
    }
    expect(table.length).toBe(1);
  });

  it("is not made without compiled records (the page's tables), and a tokenizer without it reads as always", () => {
    expect(new RecordTable('offences', vocabularies()).plainRowReader([0, 1, 2], 3)).toBeUndefined();
    // A tokenizer without it reads as always.
    const got: number[] = [];
    const t = new CsvTokenizer((r) => got.push(r.cells));
    t.push(enc.encode('a,b\n1,2\n'));
    t.end();
    expect(got).toEqual([2, 2]);
  });
});
