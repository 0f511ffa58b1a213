/**
 * `summary.json` (SPEC §4): scheme id, version and hash, a hash of each input, asOf, counts
 * read/used/rejected per file, outcome counts, and (when payments are computed) totals per
 * provider and payment type. Keys are written in a fixed order and maps in code point order, so
 * the same run gives the same bytes (R-PAY-7).
 * @module
 */
import { compareCodePoint, type IsoDate } from '../calendar/index.js';
import { OUTCOME_STATUSES } from '../schema/codes.js';
import type { DatasetCounts } from '../schema/dataset.js';

/** What is known about one input file, for reproducibility. */
export interface InputFileSummary {
  /** File name as read (e.g. `episodes.csv`), or `api` for typed objects. */
  file: string;
  /** `sha256:<hex>` of the file's bytes. */
  hash: string | undefined;
  bytes: number | undefined;
  read: number;
  used: number;
  rejected: number;
}

/** Outcome counts by status, for one outcome or a band of one outcome. */
export type StatusCounts = Record<(typeof OUTCOME_STATUSES)[number], number>;

/** Outcome counts of a run. */
export interface OutcomeSummary {
  clients: number;
  journeys: number;
  /** outcome id → status → count. */
  by_outcome: Record<string, StatusCounts>;
  /** outcome id → band ('' = no band) → status → count. */
  by_outcome_and_band: Record<string, Record<string, StatusCounts>>;
}

/**
 * Sorts an object's keys by code point (for stable JSON).
 * @example sortedRecord({ b: 1, a: 2 }) // { a: 2, b: 1 }
 */
export function sortedRecord<T>(r: Record<string, T>): Record<string, T> {
  const out: Record<string, T> = {};
  for (const k of Object.keys(r).sort(compareCodePoint)) out[k] = r[k]!;
  return out;
}

/** The whole summary document. Sections not computed by a command are left out. */
export interface RunSummary {
  tool: { name: 'recovery-pbr'; version: string };
  scheme: { id: string; version: string; title: string; hash: string };
  asOf: IsoDate;
  inputs: Record<string, InputFileSummary>;
  rejected_total: number;
  outcomes?: OutcomeSummary;
  payments?: unknown;
  health_premium?: unknown;
  notes?: string[];
}

/**
 * Input summaries from per-file counts and (optionally) file names, hashes and sizes.
 * @example inputSummaries(counts, { episodes: { file: 'episodes.csv', hash: 'sha256:…', bytes: 1234 } })
 */
export function inputSummaries(
  counts: DatasetCounts,
  files: Partial<Record<string, { file: string; hash?: string | undefined; bytes?: number | undefined }>> = {},
): Record<string, InputFileSummary> {
  const out: Record<string, InputFileSummary> = {};
  for (const [kind, c] of Object.entries(counts)) {
    const f = files[kind];
    out[kind] = { file: f?.file ?? 'api', hash: f?.hash, bytes: f?.bytes, read: c!.read, used: c!.used, rejected: c!.rejected };
  }
  return out;
}

/**
 * The JSON text of a summary: two-space indented, keys in the documented order, a final newline.
 * @example summaryJson(summary)
 */
export function summaryJson(s: RunSummary): string {
  return JSON.stringify(s, (_k, v) => (v === undefined ? null : v), 2) + '\n';
}
