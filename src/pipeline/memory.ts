/**
 * The pipeline with one partition, on rows given in memory (the library's in-memory calls:
 * `prepareRecords`, `validateDataset`, `runScheme`): the same reader, checks and clients as a run
 * on a data folder, so the library and the command line cannot disagree. Browser-safe.
 * @module
 */
import { INPUT_FILES, type InputFile } from '../schema/codes.js';
import type { Dataset, Rejection } from '../schema/dataset.js';
import type { Located, RecordOf } from '../schema/records.js';
import { checkPartition, type CheckedPartition } from './partition.js';
import { partOf, rowOf, singleFileNames } from './positions.js';
import { PartitionReader } from './read.js';
import { toRejection } from './rejections.js';

/** One row given in memory: its row number and its raw values (cells, or a typed object's fields). */
export interface MemoryRow {
  row: number;
  values: Record<string, unknown>;
  /** The part of a folder of parts it was read from, when it was (its rows are numbered within it). */
  part?: string;
}

/** Options of {@link checkRows}. */
export interface MemoryOptions {
  /** Exit reason codes a scheme adds (SPEC §2.1), mapped to standard codes. */
  exitReasonMap?: Readonly<Record<string, string>>;
  /** Days after discharge a review may still be dated (R-VAL-2); default 28. */
  reviewToleranceDays?: number;
}

/**
 * Reads and checks rows given in memory as one partition (R-VAL-1, R-VAL-2).
 * @example const checked = checkRows({ episodes: [{ row: 2, values: { episode_id: 'E1', … } }] })
 */
export function checkRows(raw: Partial<Record<InputFile, Iterable<MemoryRow>>>, options: MemoryOptions = {}): CheckedPartition {
  const reader = new PartitionReader({ exitReasonMap: options.exitReasonMap });
  const names = singleFileNames();
  const parts = INPUT_FILES.map(() => new Map<string, number>());
  INPUT_FILES.forEach((f, kind) => {
    const rows = raw[f];
    if (!rows) return;
    reader.table(f);
    for (const r of rows) {
      let part = 0;
      if (r.part !== undefined) {
        const known = parts[kind]!;
        part = known.get(r.part) ?? known.size;
        known.set(r.part, part);
      }
      reader.values(kind, part, { row: r.row, values: r.values });
    }
  });
  const partNames = INPUT_FILES.map((f, kind) => (parts[kind]!.size > 0 ? [...parts[kind]!.keys()] : names.parts[kind]!));
  const folder = INPUT_FILES.map((_, kind) => parts[kind]!.size > 0);
  return checkPartition(reader, { names: { parts: partNames, folder }, reviewToleranceDays: options.reviewToleranceDays });
}

/**
 * The rows of a dataset (records that carry their row number, as the readers return them) as
 * rows for {@link checkRows}. Records without a row number are numbered by position (first = 1).
 * @example rowsOfDataset(data).episodes
 */
export function rowsOfDataset(data: Partial<Dataset>): Partial<Record<InputFile, MemoryRow[]>> {
  const out: Partial<Record<InputFile, MemoryRow[]>> = {};
  for (const f of INPUT_FILES) {
    const list = data[f] as readonly Located<Record<string, unknown>>[] | undefined;
    if (!list) continue;
    out[f] = list.map((r, i) => {
      const { row, part, ...values } = r as Located<Record<string, unknown>>;
      return part !== undefined ? { row: row ?? i + 1, values, part } : { row: row ?? i + 1, values };
    });
  }
  return out;
}

/**
 * The usable records of a checked partition, per file in read order (files not supplied are absent).
 * @example datasetOf(checked).episodes.length
 */
export function datasetOf(checked: CheckedPartition): Dataset {
  const { reader, used, names } = checked;
  const out: Partial<Dataset> = {};
  INPUT_FILES.forEach((f, kind) => {
    const t = reader.tables[f];
    const u = used[f];
    if (!t || !u) return;
    const list: Located<RecordOf<typeof f>>[] = [];
    for (let r = 0; r < t.length; r++) {
      if (u[r] !== 1) continue;
      const pos = t.pos[r]!;
      const part = names.folder[kind] ? names.parts[kind]![partOf(pos)] : undefined;
      list.push(t.record(r, rowOf(pos), part) as never);
    }
    (out as Record<string, unknown>)[f] = list;
  });
  return { ...out, episodes: out.episodes ?? [] } as Dataset;
}

/**
 * Every rejection of a checked partition, in `rejections.csv` order.
 * @example rejectionsOf(checked)[0]?.reason
 */
export function rejectionsOf(checked: CheckedPartition): Rejection[] {
  return checked.rejections.map((r) => toRejection(r, checked.names));
}
