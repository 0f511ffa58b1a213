/**
 * Plain rows in slices (PartitionReader.csv(kind, part, true)) and at the record limit: the reader
 * with compiled records (plain rows taken straight from the bytes, pieces filled into the
 * tokenizer's buffer) gives what the reader without them gives — the same columns, ids, rejections,
 * counts and rows gone through, or the same SliceMismatch / CSV syntax error.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generateClients } from '../../src/generate/index.js';
import { csvLine } from '../../src/output/csv.js';
import { feedPart } from '../../src/pipeline/inputs.js';
import { PartitionReader, rangeRouter } from '../../src/pipeline/read.js';
import { presetScheme } from '../../src/presets/index.js';
import { INPUT_FILES } from '../../src/schema/codes.js';
import { columnsOf } from '../../src/schema/records.js';

const enc = new TextEncoder();
const scheme = presetScheme('national-model-2012');

/** What a partition's reader holds after reading: its tables, ids in order, counts, rejections and the episodes it noted. */
function state(reader: PartitionReader) {
  const tables = INPUT_FILES.map((f) => {
    const t = reader.tables[f];
    return t && { length: t.length, pos: [...t.pos.subarray(0, t.length)], rows: Array.from({ length: t.length }, (_, r) => t.record(r, 0)) };
  });
  const v = reader.vocab;
  return {
    tables,
    vocab: [[...v.clients.values], [...v.episodes.values], [...v.ids.values]],
    read: [...reader.read],
    notUtf8: reader.notUtf8,
    rejections: reader.rejections.slice(),
    rejectedEpisodeIds: [...reader.rejectedEpisodeIds],
    unknownExitEpisodeIds: [...reader.unknownExitEpisodeIds],
    episodeOwn: [...reader.episodeOwn.subarray(0, reader.tables.episodes?.length ?? 0)],
  };
}

/** A slice read as a partition of `bounds` reads it: the header pushed, then the slice's pieces filled (where the tokenizer takes them) or pushed. */
function readSlice(kind: number, header: Uint8Array, rowsBefore: number, pieces: Uint8Array[], o: { bounds: string[]; partition: number; compileRecords: boolean; fill: boolean; maxRecordChars?: number }) {
  const reader = new PartitionReader({ exitReasonMap: scheme.exitReasons, compileRecords: o.compileRecords, router: rangeRouter(o.bounds), partition: o.partition, maxRecordChars: o.maxRecordChars });
  const sink = reader.csv(kind, 0, true);
  try {
    sink.push(header);
    sink.resume(rowsBefore);
    for (const p of pieces) {
      const n = o.fill && sink.fill ? sink.fill((into, at) => (into.set(p, at), p.length), p.length, () => {}) : -1;
      if (n < 0) sink.push(p);
    }
    const r = sink.end();
    return { rows: r.rows, read: r.read, state: state(reader) };
  } catch (e) {
    return { error: (e as Error).name + ': ' + (e as Error).message };
  }
}

describe('plain rows in slices (R-VAL-1, R-VAL-2: the rows, rejections and row numbers of a whole reading) and at the record limit', () => {
  it('a slice read with compiled records and filled pieces gives what the cell readers give, SliceMismatch included', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1_000_000 }), fc.nat(5), fc.nat(), fc.nat(), fc.nat(2), fc.array(fc.nat(), { maxLength: 6 }), fc.boolean(), (seed, kind, a, b, partition, cuts, dropLast) => {
        const file = INPUT_FILES[kind]!;
        const lines: { client: string; line: string }[] = [];
        for (const c of generateClients({ clients: 12, seed, errorRate: 0.1 })) for (const row of c.rows[file]) lines.push({ client: String(row['client_id'] ?? ''), line: csvLine(columnsOf(file).map((k) => row[k])) });
        if (lines.length === 0) return;
        lines.sort((x, y) => (x.client < y.client ? -1 : x.client > y.client ? 1 : 0));
        const ids = [...new Set(lines.map((l) => l.client))].sort();
        const bounds = [ids[Math.floor(ids.length / 3)]!, ids[Math.floor((2 * ids.length) / 3)]!];
        const i0 = a % lines.length;
        const i1 = i0 + (b % (lines.length - i0 + 1));
        let text = lines.slice(i0, i1).map((l) => l.line).join('');
        if (dropLast) text = text.replace(/\n$/, '');
        const bytes = enc.encode(text);
        const at = [0, ...cuts.map((c) => c % (bytes.length + 1)).filter((c) => c > 0 && c < bytes.length).sort((x, y) => x - y), bytes.length];
        const pieces = at.slice(1).map((e, i) => bytes.slice(at[i]!, e));
        const header = enc.encode(csvLine(columnsOf(file)));
        const o = { bounds, partition };
        const plain = readSlice(kind, header, 1 + i0, pieces, { ...o, compileRecords: true, fill: true });
        expect(plain).toStrictEqual(readSlice(kind, header, 1 + i0, pieces, { ...o, compileRecords: false, fill: false }));
        expect(plain).toStrictEqual(readSlice(kind, header, 1 + i0, pieces, { ...o, compileRecords: true, fill: false }));
      }),
      { numRuns: 80 },
    );
  });

  it('a plain row as long as maxRecordChars is read, one character longer stops the file, however the bytes are cut', () => {
    const head = 'client_id,offence_date,category\n';
    const id = 'C123456789abcdefghijklmnopqrstuvwxyz';
    const row = `${id},2014-01-05,violent\n`; // 55 characters before its \n (the header: 31)
    const bytes = enc.encode(head + row + row);
    const read = (compileRecords: boolean, max: number, cut: number) => {
      const reader = new PartitionReader({ compileRecords, maxRecordChars: max });
      try {
        feedPart(reader, { kind: 3, part: 0, name: 'offences.csv', format: 'csv' }, [bytes.slice(0, cut), bytes.slice(cut)], { maxRecordChars: max });
      } catch (e) {
        return { error: (e as Error).message, length: reader.tables.offences?.length };
      }
      return { length: reader.tables.offences!.length, clients: [...reader.vocab.clients.values] };
    };
    for (const max of [54, 55, 56])
      for (let cut = 0; cut <= bytes.length; cut++) expect(read(true, max, cut)).toStrictEqual(read(false, max, cut));
    expect(read(true, 55, bytes.length)).toStrictEqual({ length: 2, clients: [id] });
    expect(read(true, 54, bytes.length)).toHaveProperty('error');
  });
});
