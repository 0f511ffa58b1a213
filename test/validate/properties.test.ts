/**
 * Laws of validation (R-VAL-1, R-VAL-2) over arbitrary mixes of good and corrupted rows:
 * every row is used or rejected exactly once, corrupted rows are rejected, clean rows that depend on
 * nothing corrupted are used, and the readers give the same records for CSV and NDJSON.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readCsv } from '../../src/io/csv.js';
import { readDataset } from '../../src/node/run-folder.js';
import { readNdjson } from '../../src/io/ndjson.js';
import { addDays } from '../../src/calendar/index.js';
import { INPUT_FILES, type InputFile } from '../../src/schema/codes.js';
import { columnsOf, parseRow } from '../../src/schema/records.js';
import { validateDataset, type RawDataset } from '../../src/validate/index.js';
import { collect, csvText, tempDir, type Row } from '../io/helpers.js';

// ---- A valid dataset, built from a few choices per client ------------------------------------

interface Plan {
  clients: { episodes: { startOffset: number; length: number | null; reviews: number[] }[]; tests: number; offences: number; jobs: number }[];
}

const planArb: fc.Arbitrary<Plan> = fc.record({
  clients: fc.array(
    fc.record({
      episodes: fc.array(
        fc.record({
          startOffset: fc.integer({ min: 0, max: 600 }),
          length: fc.option(fc.integer({ min: 0, max: 300 }), { nil: null }),
          reviews: fc.array(fc.integer({ min: 0, max: 100 }), { maxLength: 3 }),
        }),
        { minLength: 1, maxLength: 3 },
      ),
      tests: fc.integer({ min: 0, max: 2 }),
      offences: fc.integer({ min: 0, max: 2 }),
      jobs: fc.integer({ min: 0, max: 1 }),
    }),
    { minLength: 1, maxLength: 6 },
  ),
});

type Files = Record<InputFile, Row[]>;
/** Row index (in its file) of the episode each review belongs to. */
type Deps = Map<string, number>;

function buildFiles(plan: Plan): { files: Files; deps: Deps } {
  const files: Files = { episodes: [], reviews: [], drug_tests: [], offences: [], employment: [], clients: [] };
  const deps: Deps = new Map();
  const base = '2020-01-01';
  plan.clients.forEach((c, ci) => {
    const client_id = `C${ci + 1}`;
    c.episodes.forEach((e, ei) => {
      const episode_id = `${client_id}-E${ei + 1}`;
      const start = addDays(base, e.startOffset);
      const discharge = e.length === null ? '' : addDays(start, e.length);
      files.episodes.push({
        episode_id, client_id, provider_id: `P${ci % 3}`, area_code: 'A1', substances: ei % 2 ? 'alcohol' : 'opiates;crack', start_date: start,
        discharge_date: discharge, exit_reason: discharge ? 'completed_drug_free' : '', tariff_band: '1', substitute_medication_at_exit: '', age_at_start: '30', injecting_at_start: 'false',
      });
      const epIndex = files.episodes.length - 1;
      for (const off of e.reviews) {
        const span = e.length === null ? 100 : e.length;
        files.reviews.push({ client_id, episode_id, date: addDays(start, Math.min(off, span)), stage: 'review', days_opiates: String(off % 29), quality_of_life: String(off % 21) });
        deps.set(`reviews:${files.reviews.length - 1}`, epIndex);
      }
    });
    for (let t = 0; t < c.tests; t++) files.drug_tests.push({ client_id, date: addDays(base, 30 * t), substance: 'opiates', result: t % 2 ? 'positive' : 'negative' });
    for (let o = 0; o < c.offences; o++) files.offences.push({ client_id, offence_date: addDays(base, 40 * o), category: 'acquisitive' });
    for (let j = 0; j < c.jobs; j++) files.employment.push({ client_id, start_date: addDays(base, 100), end_date: '', hours_per_week: '16' });
    files.clients.push({ client_id, date_of_death: '' });
  });
  return { files, deps };
}

// ---- Corruptions ----------------------------------------------------------------------------

type Corruption = 'bad_date' | 'out_of_range' | 'blank_required' | 'unknown_code' | 'duplicate' | 'foreign_review';

const DATE_FIELD: Record<InputFile, string> = {
  episodes: 'start_date', reviews: 'date', drug_tests: 'date', offences: 'offence_date', employment: 'start_date', clients: 'date_of_death',
};
const CODE_FIELD: Partial<Record<InputFile, [string, string]>> = {
  episodes: ['substances', 'heroin'], reviews: ['stage', 'halfway'], drug_tests: ['result', 'unclear'], offences: ['category', 'fraud'],
};
const RANGE_FIELD: Partial<Record<InputFile, [string, string]>> = {
  reviews: ['days_opiates', '29'], episodes: ['age_at_start', '200'], employment: ['hours_per_week', '169'],
};

/** Applies one corruption to row `i` of `file`; returns the index of the corrupted row, or undefined if not applicable. */
function corrupt(files: Files, file: InputFile, i: number, kind: Corruption, pick: number): number | undefined {
  const rows = files[file];
  const row = rows[i];
  if (!row) return undefined;
  switch (kind) {
    case 'bad_date':
      row[DATE_FIELD[file]] = ['2023-02-30', '31/01/2023', 'soon'][pick % 3]!;
      return i;
    case 'out_of_range': {
      const f = RANGE_FIELD[file];
      if (!f) return undefined;
      row[f[0]] = f[1];
      return i;
    }
    case 'blank_required':
      row[columnsOf(file)[0]!] = ' ';
      return i;
    case 'unknown_code': {
      const f = CODE_FIELD[file];
      if (!f) return undefined;
      row[f[0]] = f[1];
      return i;
    }
    case 'duplicate':
      // An identical copy (episodes, clients): the copy is rejected, the original kept.
      if (file !== 'episodes' && file !== 'clients') return undefined;
      rows.push({ ...row });
      return rows.length - 1;
    case 'foreign_review': {
      if (file !== 'reviews') return undefined;
      // Another client than the episode's owner (a second corruption of the same row must not swap it back).
      const owner = files.episodes.find((e) => e['episode_id'] === row['episode_id'])?.['client_id'] ?? row['client_id'];
      const other = files.clients.find((c) => c['client_id'] !== owner);
      if (!other) return undefined;
      row['client_id'] = other['client_id'];
      return i;
    }
  }
}

const corruptionArb = fc.array(
  fc.record({
    file: fc.constantFrom(...INPUT_FILES),
    at: fc.nat(),
    kind: fc.constantFrom<Corruption>('bad_date', 'out_of_range', 'blank_required', 'unknown_code', 'duplicate', 'foreign_review'),
    pick: fc.nat(),
  }),
  { maxLength: 8 },
);

interface Scenario {
  files: Files;
  corrupted: Record<InputFile, Set<number>>;
  deps: Deps;
}

const scenarioArb: fc.Arbitrary<Scenario> = fc.tuple(planArb, corruptionArb).map(([plan, cs]) => {
  const { files, deps } = buildFiles(plan);
  const corrupted = Object.fromEntries(INPUT_FILES.map((f) => [f, new Set<number>()])) as Record<InputFile, Set<number>>;
  // Copies are made last, and only of clean rows: a row rejected for its own problem takes no part in
  // duplicate detection, so a copy of it would (rightly) be used.
  const ordered = [...cs.filter((c) => c.kind !== 'duplicate'), ...cs.filter((c) => c.kind === 'duplicate')];
  for (const c of ordered) {
    const n = files[c.file].length;
    if (n === 0) continue;
    const i = c.at % n;
    if (c.kind === 'duplicate' && corrupted[c.file].has(i)) continue;
    const hit = corrupt(files, c.file, i, c.kind, c.pick);
    if (hit !== undefined) corrupted[c.file].add(hit);
  }
  return { files, corrupted, deps };
});

function rawOf(files: Files): RawDataset {
  return Object.fromEntries(INPUT_FILES.map((f) => [f, files[f].map((values, i) => ({ row: i + 2, values }))])) as RawDataset;
}

/** The laws every validation result must satisfy for a scenario. */
function checkLaws(s: Scenario, r: { data: Record<string, unknown>; rejections: { file: string; row: number }[]; counts: Record<string, { read: number; used: number; rejected: number } | undefined> }) {
  for (const file of INPUT_FILES) {
    const n = s.files[file].length;
    const c = r.counts[file]!;
    // R-VAL-1: used + rejected = read, per file.
    expect(c.read).toBe(n);
    expect(c.used + c.rejected).toBe(c.read);
    const usedRows = ((r.data[file] as { row: number }[] | undefined) ?? []).map((x) => x.row);
    const rejectedRows = r.rejections.filter((x) => x.file === file).map((x) => x.row);
    // Each row has exactly one fate.
    const all = [...usedRows, ...rejectedRows].sort((a, b) => a - b);
    expect(all).toEqual(Array.from({ length: n }, (_, i) => i + 2));
    // Corrupted rows are rejected.
    for (const i of s.corrupted[file]) expect(rejectedRows, `${file} row ${i + 2}`).toContain(i + 2);
    // A clean row is used when nothing it depends on is corrupted and no other row shares its key.
    for (let i = 0; i < n; i++) {
      if (s.corrupted[file].has(i)) continue;
      const dep = s.deps.get(`${file}:${i}`);
      if (dep !== undefined && s.corrupted.episodes.has(dep)) continue;
      if (dep !== undefined && s.files.episodes.some((e, j) => j !== dep && e['episode_id'] === s.files.episodes[dep]!['episode_id'])) continue;
      if ((file === 'episodes' || file === 'clients') && s.files[file].some((x, j) => j !== i && j < i && x[columnsOf(file)[0]!] === s.files[file][i]![columnsOf(file)[0]!])) continue;
      expect(usedRows, `${file} row ${i + 2}`).toContain(i + 2);
    }
  }
}

describe('validation laws (R-VAL-1, R-VAL-2), property tests', () => {
  it('validateDataset: every row is used or rejected once, corrupted rows are rejected, clean rows used', () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        const r = validateDataset(rawOf(s.files));
        checkLaws(s, r as never);
      }),
      { numRuns: 300 },
    );
  });

  it('readDataset on files (CSV or NDJSON per file) obeys the same laws', async () => {
    await fc.assert(
      fc.asyncProperty(scenarioArb, fc.array(fc.boolean(), { minLength: 6, maxLength: 6 }), async (s, asNdjson) => {
        const dir = tempDir('rpbr-prop-');
        INPUT_FILES.forEach((file, k) => {
          const rows = s.files[file];
          if (asNdjson[k]) {
            // NDJSON: line 1 is row 1; shift by writing a blank first line so rows line up with CSV numbering.
            writeFileSync(join(dir, `${file}.ndjson`), '\n' + rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
          } else writeFileSync(join(dir, `${file}.csv`), csvText(columnsOf(file), rows));
        });
        const r = await readDataset(dir);
        checkLaws(s, r as never);
      }),
      { numRuns: 40 },
    );
  });

  it('the records used do not depend on the order of the rows', () => {
    fc.assert(
      fc.property(scenarioArb, fc.integer(), (s, seed) => {
        const shuffled = Object.fromEntries(
          INPUT_FILES.map((f) => {
            const rows = [...s.files[f]];
            let x = seed >>> 0;
            for (let i = rows.length - 1; i > 0; i--) {
              x = (Math.imul(x, 1103515245) + 12345) >>> 0;
              const j = x % (i + 1);
              [rows[i], rows[j]] = [rows[j]!, rows[i]!];
            }
            return [f, rows];
          }),
        ) as Files;
        const strip = (d: Record<string, unknown>) =>
          Object.fromEntries(INPUT_FILES.map((f) => [f, ((d[f] as object[]) ?? []).map(({ row: _row, ...rest }: any) => JSON.stringify(rest)).sort()]));
        const a = validateDataset(rawOf(s.files));
        const b = validateDataset(rawOf(shuffled));
        expect(strip(b.data as never)).toEqual(strip(a.data as never));
        expect(b.counts).toEqual(a.counts);
      }),
      { numRuns: 200 },
    );
  });
});

// ---- CSV and NDJSON renderings of the same rows --------------------------------------------

const cellArb = fc.oneof(
  fc.constantFrom('', ' ', 'E1', 'C1', '2023-01-10', '2023-02-30', 'opiates;alcohol', 'a,b', 'say "hi"', 'two\nlines', 'cr\r\nlf', ' padded ', '=1+1', 'Café', '日本'),
  fc.string({ unit: 'binary', maxLength: 12 }).filter((s) => !/[\ud800-\udfff]/.test(s.replace(/[\ud800-\udbff][\udc00-\udfff]/g, '')) && !s.includes('\ufffd')),
);

describe('readers: CSV and NDJSON renderings of the same rows give the same records (property)', () => {
  it('same values, same parsed records, row numbers shifted by the header', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom<InputFile>('episodes', 'reviews', 'offences', 'clients'), fc.array(fc.array(cellArb, { minLength: 18, maxLength: 18 }), { maxLength: 20 }), async (file, cells) => {
        const cols = columnsOf(file);
        const rows: Row[] = cells.map((cs) => Object.fromEntries(cols.map((c, i) => [c, cs[i]!])));
        const dir = tempDir('rpbr-rend-');
        const csvPath = join(dir, `${file}.csv`);
        const ndPath = join(dir, `${file}.ndjson`);
        writeFileSync(csvPath, csvText(cols, rows));
        writeFileSync(ndPath, rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
        const fromCsv = await collect(readCsv(csvPath));
        const fromNd = await collect(readNdjson(ndPath));
        expect(fromCsv.map((r) => r.row)).toEqual(rows.map((_, i) => i + 2));
        expect(fromNd.map((r) => r.row)).toEqual(rows.map((_, i) => i + 1));
        // The CSV reader reads a line break inside a quoted cell as \n, whatever was written (SPEC §2,
        // `src/io/csv.ts`: PapaParse reads one newline style, so \r\n and \r become \n first).
        const asCsvReads = (r: Record<string, unknown>) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === 'string' ? v.replace(/\r\n?/g, '\n') : v]));
        expect(fromCsv.map((r) => r.values)).toEqual(rows.map(asCsvReads));
        expect(fromNd.map((r) => r.values)).toEqual(rows);
        expect(fromCsv.map((r) => parseRow(file, r.values))).toEqual(fromNd.map((r) => parseRow(file, asCsvReads(r.values))));
      }),
      { numRuns: 60 },
    );
  });
});
