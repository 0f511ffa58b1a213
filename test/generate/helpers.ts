import { generateClients, type GeneratedClient, type GenerateOptions } from '../../src/generate/index.js';
import { INPUT_FILES, type InputFile } from '../../src/schema/codes.js';
import { validateDataset, type RawDataset, type RawRow, type ValidationResult } from '../../src/validate/index.js';

/** A whole generated cohort as raw rows (row numbers as in a CSV: header = 1, first record = 2). */
export interface Cohort {
  clients: GeneratedClient[];
  raw: Record<InputFile, RawRow[]>;
  /** Row numbers of the rows corrupted on purpose, per file. */
  corruptedRows: Record<InputFile, Set<number>>;
}

/** Generates a small cohort in memory (tests only: real runs stream). */
export function cohort(options: GenerateOptions): Cohort {
  const raw = Object.fromEntries(INPUT_FILES.map((f) => [f, [] as RawRow[]])) as Record<InputFile, RawRow[]>;
  const corruptedRows = Object.fromEntries(INPUT_FILES.map((f) => [f, new Set<number>()])) as Record<InputFile, Set<number>>;
  const clients: GeneratedClient[] = [];
  for (const c of generateClients(options)) {
    clients.push(c);
    const base = Object.fromEntries(INPUT_FILES.map((f) => [f, raw[f].length + 2])) as Record<InputFile, number>;
    for (const k of c.corruptions) corruptedRows[k.file].add(base[k.file] + k.index);
    for (const f of INPUT_FILES) for (const values of c.rows[f]) raw[f].push({ row: raw[f].length + 2, values });
  }
  return { clients, raw, corruptedRows };
}

/** Validates a cohort with the library's own validator (R-VAL-1, R-VAL-2). */
export function validate(c: Cohort): ValidationResult {
  return validateDataset(c.raw as RawDataset);
}

/** Every date-valued cell of a raw row, by column. */
export const DATE_COLUMNS: Record<InputFile, string[]> = {
  episodes: ['start_date', 'discharge_date'],
  reviews: ['date'],
  drug_tests: ['date'],
  offences: ['offence_date'],
  employment: ['start_date', 'end_date'],
  clients: ['date_of_death'],
};
