/**
 * Issue #6 / R-PAY-7: the same rows, shuffled and split differently across files (folders of parts,
 * CSV and NDJSON parts), give byte-identical outputs. Precisely:
 * - `outcomes.csv` and `payments.csv`: byte-identical;
 * - `summary.json`: byte-identical apart from the input list (`inputs.*.file`, `hash`, `bytes`,
 *   `parts`), which describes the files read;
 * - `rejections.csv`: the same rejected rows (by content), each with the same field, value and
 *   reason, apart from the file names and row numbers that locate rows (also those quoted inside a
 *   reason, e.g. "appears in rows 4, 9"); rows are listed in file, part and row order.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { writeGeneratedDataset } from '../../src/io/generate.js';
import { seededRandom } from '../../src/modelling/random.js';
import { presetScheme } from '../../src/presets/index.js';
import { INPUT_FILES, type InputFile } from '../../src/schema/codes.js';
import { tempDir as temp } from '../io/helpers.js';
import { folderOutputs, type OutputTexts } from '../run/support.js';

function shuffle<T>(xs: T[], rnd: () => number): T[] {
  const a = [...xs];
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a;
}

/** The records of a CSV text (csv-parse: a reader independent of the one under test). */
function records(text: string): string[][] {
  return parse(text) as string[][];
}
const cell = (c: string) => (/[",\r\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c);
const csvText = (rows: string[][]) => rows.map((r) => r.map(cell).join(',')).join('\n') + '\n';

/** Where each row was written: `name#row` → the row's content (kind + cells). */
type Located = Map<string, string>;

/** Writes `dir`'s single-file cohort again as shuffled folders of parts; returns where every row went. */
function rechunk(source: string, target: string, seed: number): { original: Located; moved: Located } {
  const rnd = seededRandom(seed); // the same sequence on every run
  const original: Located = new Map();
  const moved: Located = new Map();
  for (const kind of INPUT_FILES) {
    const [header, ...rows] = records(readFileSync(join(source, `${kind}.csv`), 'utf8'));
    rows.forEach((r, i) => original.set(`${kind}.csv#${i + 2}`, `${kind}|${JSON.stringify(r)}`));
    const mixed = shuffle(rows, rnd);
    if (kind === 'clients') {
      // One file, shuffled.
      writeFileSync(join(target, 'clients.csv'), csvText([header!, ...mixed]));
      mixed.forEach((r, i) => moved.set(`clients.csv#${i + 2}`, `${kind}|${JSON.stringify(r)}`));
      continue;
    }
    // A folder of 1–4 parts of random sizes; drug tests partly as NDJSON.
    mkdirSync(join(target, kind));
    const parts = 1 + Math.floor(rnd() * 4);
    const cuts = [0, ...Array.from({ length: parts - 1 }, () => Math.floor(rnd() * mixed.length)).sort((a, b) => a - b), mixed.length];
    for (let p = 0; p < parts; p++) {
      const chunk = mixed.slice(cuts[p], cuts[p + 1]);
      const ndjson = kind === 'drug_tests' && p === 0;
      const name = `${kind}/part-${String(p).padStart(2, '0')}.${ndjson ? 'ndjson' : 'csv'}`;
      if (ndjson) {
        writeFileSync(join(target, name), chunk.map((r) => JSON.stringify(Object.fromEntries(header!.map((h, i) => [h, r[i] ?? ''])))).join('\n') + '\n');
        chunk.forEach((r, i) => moved.set(`${name}#${i + 1}`, `${kind}|${JSON.stringify(r)}`));
      } else {
        writeFileSync(join(target, name), csvText([header!, ...chunk]));
        chunk.forEach((r, i) => moved.set(`${name}#${i + 2}`, `${kind}|${JSON.stringify(r)}`));
      }
    }
  }
  return { original, moved };
}

/** Row references inside reasons ("rows 4, 9", "episodes row 12", "episodes/part-01.csv row 3"). */
const ROW_REFS = /(?:episodes |[\w.-]+\/[\w.-]+ )?rows? \d+(?:, (?:[\w.-]+\/[\w.-]+ )?(?:row )?\d+)*/g;

/** rejections.csv as a sorted list of (row content, field, value, reason without row references). */
function canonicalRejections(text: string, where: Located): string[] {
  const [, ...rows] = records(text);
  return rows
    .map(([file, row, field, value, reason]) => {
      const content = where.get(`${file}#${row}`);
      expect(content, `${file} row ${row} is a row that was written`).toBeDefined();
      return JSON.stringify([content, field, value, reason!.replace(ROW_REFS, '<rows>')]);
    })
    .sort();
}

function withoutInputFiles(summary: string): unknown {
  const s = JSON.parse(summary) as { inputs: Record<string, Record<string, unknown>> };
  for (const i of Object.values(s.inputs)) {
    delete i['file'];
    delete i['hash'];
    delete i['bytes'];
    delete i['parts'];
  }
  return s;
}

function expectSameRun(a: OutputTexts, aWhere: Located, b: OutputTexts, bWhere: Located): void {
  expect(b.outcomes).toBe(a.outcomes);
  expect(b.payments).toBe(a.payments);
  expect(withoutInputFiles(b.summary)).toEqual(withoutInputFiles(a.summary));
  expect(canonicalRejections(b.rejections, bWhere)).toEqual(canonicalRejections(a.rejections, aWhere));
}

describe('shuffled and re-chunked inputs give the same outputs (issue #6, R-PAY-7)', () => {
  it('folders of parts in any order, CSV and NDJSON parts, any K and thread count', async () => {
    const source = temp('rpbr-src-');
    await writeGeneratedDataset({ clients: 300, seed: 66, errorRate: 0.12 }, source);
    const scheme = presetScheme('national-model-2012');
    const base = await folderOutputs(source, scheme, { asOf: '2015-03-31', partitions: 1, workers: 0 });
    const { original } = rechunk(source, temp('rpbr-unused-'), 1);
    expect(base.rejections.split('\n').length).toBeGreaterThan(40);
    for (const [seed, buckets, workers] of [
      [11, 1, 0],
      [12, 4, 0],
      [13, 3, 2],
    ] as const) {
      const target = temp('rpbr-parts-');
      const { moved } = rechunk(source, target, seed);
      const got = await folderOutputs(target, scheme, { asOf: '2015-03-31', partitions: buckets, workers });
      expectSameRun(base, original, got, moved);
      // summary.json lists every part with its hash.
      const inputs = JSON.parse(got.summary).inputs as Record<InputFile, { file: string; hash: string; parts?: { file: string; hash: string }[] }>;
      expect(inputs.episodes.file).toBe('episodes/');
      expect(inputs.episodes.parts!.length).toBeGreaterThan(0);
      for (const p of inputs.episodes.parts!) expect(p.hash).toMatch(/^sha256:[0-9a-f]{64}$/);
      expect(inputs.clients.parts).toBeUndefined();
    }
  }, 60_000);
});
