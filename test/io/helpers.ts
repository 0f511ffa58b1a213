/**
 * Readable builders for input files in tests: rows as objects, rendered as CSV or NDJSON into a
 * temporary data folder.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { columnsOf } from '../../src/schema/records.js';
import type { InputFile } from '../../src/schema/codes.js';
import { tempDir } from '../support/temp-dirs.js';

export type Row = Record<string, string | undefined>;

export { tempDir };

/** An episode row with sensible defaults (an open opiate episode). */
export function episode(p: Row = {}): Row {
  return {
    episode_id: 'E1',
    client_id: 'C1',
    provider_id: 'P1',
    area_code: 'A1',
    substances: 'opiates',
    start_date: '2023-01-10',
    discharge_date: '',
    exit_reason: '',
    ...p,
  };
}

/** A closed episode: `episode()` with a discharge and a successful exit. */
export function closedEpisode(p: Row = {}): Row {
  return episode({ discharge_date: '2023-06-30', exit_reason: 'completed_drug_free', ...p });
}

/** A review row (defaults: C1's start review of E1 on its start date). */
export function review(p: Row = {}): Row {
  return { client_id: 'C1', episode_id: 'E1', date: '2023-01-10', stage: 'start', ...p };
}

/** A drug test row. */
export function drugTest(p: Row = {}): Row {
  return { client_id: 'C1', date: '2023-02-01', substance: 'opiates', result: 'negative', ...p };
}

/** An offence row. */
export function offence(p: Row = {}): Row {
  return { client_id: 'C1', offence_date: '2022-06-01', category: 'acquisitive', ...p };
}

/** An employment spell row. */
export function employmentSpell(p: Row = {}): Row {
  return { client_id: 'C1', start_date: '2023-08-01', end_date: '', hours_per_week: '20', ...p };
}

/** A clients row. */
export function client(p: Row = {}): Row {
  return { client_id: 'C1', date_of_death: '', ...p };
}

/** RFC 4180 cell: quoted when needed (no formula guard: these are inputs, not outputs). */
export function csvCellRaw(v: string | undefined): string {
  const s = v ?? '';
  return /[",\r\n]/.test(s) || s !== s.trim() ? `"${s.replace(/"/g, '""')}"` : s;
}

/** CSV text of rows under the given columns (default: the file's SPEC columns). */
export function csvText(columns: readonly string[], rows: readonly Row[], eol = '\n'): string {
  return [columns.map(csvCellRaw).join(','), ...rows.map((r) => columns.map((c) => csvCellRaw(r[c])).join(','))].join(eol) + eol;
}

/** NDJSON text of rows (blank cells left out, as a JSON producer would). */
export function ndjsonText(rows: readonly Row[]): string {
  return rows.map((r) => JSON.stringify(Object.fromEntries(Object.entries(r).filter(([, v]) => v !== undefined && v !== '')))).join('\n') + '\n';
}

/** Writes a data folder: each entry is rows (CSV with SPEC columns), or `{ ndjson: rows }`, or raw text/bytes. */
export function dataDir(
  files: Partial<Record<InputFile, Row[] | { ndjson: Row[] } | { text: string | Uint8Array; ext?: 'csv' | 'ndjson' }>>,
  dir = tempDir(),
): string {
  mkdirSync(dir, { recursive: true });
  for (const [file, spec] of Object.entries(files) as [InputFile, Row[] | { ndjson: Row[] } | { text: string | Uint8Array; ext?: 'csv' | 'ndjson' }][]) {
    if (Array.isArray(spec)) writeFileSync(join(dir, `${file}.csv`), csvText(columnsOf(file), spec));
    else if ('ndjson' in spec) writeFileSync(join(dir, `${file}.ndjson`), ndjsonText(spec.ndjson));
    else writeFileSync(join(dir, `${file}.${spec.ext ?? 'csv'}`), spec.text);
  }
  return dir;
}

/** Writes one file into a fresh temp folder and returns its path. */
export function tempFile(name: string, content: string | Uint8Array): string {
  const p = join(tempDir(), name);
  writeFileSync(p, content);
  return p;
}

/** All rows of an async iterable. */
export async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}
