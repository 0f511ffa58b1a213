/**
 * Validation of a whole dataset (R-VAL-1, R-VAL-2): per-row parsing with the field tables, then the
 * checks that need several rows: exit reason codes known to the scheme, duplicate episodes and
 * clients, reviews that point at an unknown or foreign episode or fall outside its dates.
 * Every input row ends up either used or rejected, with counts that reconcile per file.
 * @module
 */
import { addDays } from '../calendar/index.js';
import { INPUT_FILES, STANDARD_EXIT_REASONS, type InputFile } from '../schema/codes.js';
import type { Dataset, DatasetCounts, Rejection } from '../schema/dataset.js';
import { text } from '../schema/fields.js';
import { parseRow, sameValues, type Episode, type Located, type RecordOf } from '../schema/records.js';

/** Options of {@link validateDataset}. */
export interface ValidationOptions {
  /** Exit reason codes a scheme adds (SPEC §2.1), mapped to standard codes. */
  exitReasonMap?: Readonly<Record<string, string>>;
  /** Days after discharge a review may still be dated (R-VAL-2); default 28. */
  reviewToleranceDays?: number;
  /**
   * Episode ids of episode rows rejected before these checks (id → row), so that a review of such an
   * episode says "its episode was rejected" rather than "unknown episode".
   */
  rejectedEpisodes?: ReadonlyMap<string, number>;
}

/** Raw input rows per file: each row's values (column → cell) and its row number. */
export type RawDataset = Partial<Record<InputFile, Iterable<RawRow>>>;

/** One raw input row: its row number (header = 1, first record = 2) and its cells. */
export interface RawRow {
  row: number;
  values: Record<string, unknown>;
}

/** Result of validation: the usable records, every rejected row, and counts per file. */
export interface ValidationResult {
  data: Dataset;
  rejections: Rejection[];
  counts: DatasetCounts;
}

/**
 * Parses raw rows of one file with the field table, returning records (with their row numbers) and
 * rejections. Row-level rules only (R-VAL-2: required, dates, ranges, codes, discharge before start).
 * @example parseRows('offences', [{ row: 2, values: { client_id: 'C1', offence_date: '2020-13-01' } }])
 */
export function parseRows<F extends InputFile>(
  file: F,
  rows: Iterable<RawRow>,
): { records: Located<RecordOf<F>>[]; rejections: Rejection[]; read: number; rejectedEpisodes: Map<string, number> } {
  const records: Located<RecordOf<F>>[] = [];
  const rejections: Rejection[] = [];
  const rejectedEpisodes = new Map<string, number>();
  let read = 0;
  for (const r of rows) {
    read++;
    const p = parseRow(file, r.values);
    if (p.ok) {
      (p.record as any).row = r.row;
      records.push(p.record as Located<RecordOf<F>>);
    } else {
      rejections.push({ file, row: r.row, ...p.problem });
      const id = file === 'episodes' ? text(r.values['episode_id']) : undefined;
      if (id !== undefined && !rejectedEpisodes.has(id)) rejectedEpisodes.set(id, r.row);
    }
  }
  return { records, rejections, read, rejectedEpisodes };
}


/**
 * Rejects rows whose key repeats (R-VAL-2). When the repeated rows are identical the first (lowest
 * row) is used and the others are rejected as copies; when they differ none can be trusted, so all
 * are rejected. Either way the result does not depend on row order.
 */
function dedupe<T extends { row?: number }>(
  file: InputFile,
  records: T[],
  key: (r: T) => string,
  keyField: string,
  rejections: Rejection[],
): T[] {
  const byKey = new Map<string, T[]>();
  let dup = false;
  for (const r of records) {
    const k = key(r);
    const list = byKey.get(k);
    if (list) {
      list.push(r);
      dup = true;
    } else byKey.set(k, [r]);
  }
  if (!dup) return records;
  const out: T[] = [];
  for (const [k, list] of byKey) {
    if (list.length === 1) {
      out.push(list[0]!);
      continue;
    }
    list.sort((a, b) => (a.row ?? 0) - (b.row ?? 0));
    const rows = list.map((r) => r.row ?? 0).join(', ');
    if (list.every((r) => sameValues(r, list[0]!))) {
      out.push(list[0]!);
      for (const r of list.slice(1)) {
        rejections.push({ file, row: r.row ?? 0, field: keyField, value: k, reason: `duplicate: the same row already appears at row ${list[0]!.row ?? 0}` });
      }
    } else {
      for (const r of list) {
        rejections.push({ file, row: r.row ?? 0, field: keyField, value: k, reason: `appears in rows ${rows} with different values; keep one correct row` });
      }
    }
  }
  return out;
}

/**
 * Checks that need more than one row (R-VAL-2) on already-parsed records, returning the usable
 * dataset and the rejections. Rows are never dropped silently.
 * @example checkDataset({ episodes: [...], reviews: [...] }, { reviewToleranceDays: 28 })
 */
export function checkDataset(data: Dataset, options: ValidationOptions = {}): { data: Dataset; rejections: Rejection[] } {
  const rejections: Rejection[] = [];
  const tolerance = options.reviewToleranceDays ?? 28;
  const extra = options.exitReasonMap ?? {};
  // Own properties only: `constructor` or `__proto__` must not pass as exit codes.
  const knownExit = (c: string) => Object.hasOwn(STANDARD_EXIT_REASONS, c) || Object.hasOwn(extra, c);
  const exitList = [...Object.keys(STANDARD_EXIT_REASONS), ...Object.keys(extra)].join(', ');

  // Every parsed episode id (before any is rejected here), so a review of a rejected episode says so.
  const parsedIds = new Map<string, number>();
  for (const e of data.episodes) if (!parsedIds.has(e.episode_id)) parsedIds.set(e.episode_id, e.row ?? 0);
  // Episodes: exit reason codes, then duplicates.
  let episodes = data.episodes.filter((e) => {
    if (e.exit_reason !== undefined && !knownExit(e.exit_reason)) {
      rejections.push({ file: 'episodes', row: e.row ?? 0, field: 'exit_reason', value: e.exit_reason, reason: `is not a known code; use one of: ${exitList}` });
      return false;
    }
    return true;
  });
  episodes = dedupe('episodes', episodes, (e) => e.episode_id, 'episode_id', rejections);
  const byId = new Map<string, Located<Episode>>();
  for (const e of episodes) byId.set(e.episode_id, e);
  const rejectedEpisodeRows = new Map<string, number>(options.rejectedEpisodes ?? []);
  for (const r of rejections) {
    // The first rejected row of an id is the one a review message points at.
    if (r.file === 'episodes' && r.field === 'episode_id' && !rejectedEpisodeRows.has(r.value)) rejectedEpisodeRows.set(r.value, r.row);
  }

  const out: Dataset = { episodes };
  if (data.reviews) {
    out.reviews = data.reviews.filter((r) => {
      const reject = (field: string, value: string, reason: string) => {
        rejections.push({ file: 'reviews', row: r.row ?? 0, field, value, reason });
        return false;
      };
      const e = byId.get(r.episode_id);
      if (!e) {
        const rejRow = rejectedEpisodeRows.get(r.episode_id);
        if (rejRow !== undefined || parsedIds.has(r.episode_id)) {
          return reject('episode_id', r.episode_id, `its episode was rejected (episodes row ${rejRow ?? parsedIds.get(r.episode_id)}); fix that row first`);
        }
        return reject('episode_id', r.episode_id, 'no episode has this episode_id');
      }
      if (e.client_id !== r.client_id) {
        return reject('client_id', r.client_id, `episode ${r.episode_id} belongs to another client`);
      }
      if (r.date < e.start_date) {
        return reject('date', r.date, `is before the start of episode ${r.episode_id} (${e.start_date})`);
      }
      if (e.discharge_date !== undefined && r.date > addDays(e.discharge_date, tolerance)) {
        return reject('date', r.date, `is more than ${tolerance} days after the discharge of episode ${r.episode_id} (${e.discharge_date})`);
      }
      return true;
    });
  }
  if (data.drug_tests) out.drug_tests = data.drug_tests;
  if (data.offences) out.offences = data.offences;
  if (data.employment) out.employment = data.employment;
  if (data.clients) out.clients = dedupe('clients', data.clients, (c) => c.client_id, 'client_id', rejections);
  return { data: out, rejections };
}

/**
 * Parses and checks a raw dataset (R-VAL-1, R-VAL-2): returns the usable records, every rejected row
 * (sorted by file, then row) and counts per file where `used + rejected = read`.
 * @example
 * const { data, rejections, counts } = validateDataset({ episodes: [{ row: 2, values: { episode_id: 'E1', ... } }] });
 */
export function validateDataset(raw: RawDataset, options: ValidationOptions = {}): ValidationResult {
  const rejections: Rejection[] = [];
  const parsed: Partial<Dataset> = {};
  const read: Partial<Record<InputFile, number>> = {};
  let rejectedEpisodes = new Map<string, number>();
  for (const file of INPUT_FILES) {
    const rows = raw[file];
    if (!rows) continue;
    const p = parseRows(file, rows);
    (parsed as any)[file] = p.records;
    read[file] = p.read;
    rejections.push(...p.rejections);
    if (file === 'episodes') rejectedEpisodes = p.rejectedEpisodes;
  }
  const checked = checkDataset({ ...parsed, episodes: parsed.episodes ?? [] } as Dataset, { ...options, rejectedEpisodes });
  rejections.push(...checked.rejections);
  return { data: checked.data, rejections: sortRejections(rejections), counts: countFiles(read, checked.data, rejections) };
}

/**
 * Counts per file from rows read, records used and rejections; throws if they do not reconcile.
 * @example countFiles({ episodes: 3 }, data, rejections) // { episodes: { read: 3, used: 2, rejected: 1 } }
 */
export function countFiles(read: Partial<Record<InputFile, number>>, data: Dataset, rejections: Rejection[]): DatasetCounts {
  const counts: DatasetCounts = {};
  for (const file of INPUT_FILES) {
    if (read[file] === undefined) continue;
    const used = (data[file] as unknown[] | undefined)?.length ?? 0;
    const rejected = rejections.filter((r) => r.file === file).length;
    counts[file] = { read: read[file]!, used, rejected };
    if (used + rejected !== read[file]) {
      throw new Error(`internal error: ${file} counts do not reconcile (read ${read[file]}, used ${used}, rejected ${rejected})`);
    }
  }
  return counts;
}

/**
 * Sorts rejections by file (SPEC order), row, then field, so reports are stable.
 * @example sortRejections(rejections)[0].file // 'episodes'
 */
export function sortRejections(rejections: Rejection[]): Rejection[] {
  const fileOrder = new Map<string, number>(INPUT_FILES.map((f, i) => [f, i]));
  return rejections.sort(
    (a, b) => fileOrder.get(a.file)! - fileOrder.get(b.file)! || a.row - b.row || (a.field < b.field ? -1 : a.field > b.field ? 1 : 0),
  );
}
