/**
 * Phase 1 of a partitioned run (issue #6): one input part is streamed once, every row is parsed
 * and checked on its own (R-VAL-2 row rules, an episode's exit code), and each usable record is
 * written, as one line, to the bucket of its client. Rejected rows go to the part's rejection list
 * in row order; episode rows also feed the shared episode index (see `episode-index.ts`).
 * Runs on the main thread or in a worker thread.
 * @module
 */
import { openCsvLines, type CsvLines } from '../io/csv.js';
import { ndjsonIdentifierCheck, type InputFormat } from '../io/dataset.js';
import { openNdjson } from '../io/ndjson.js';
import { REPLACEMENT_CHAR, notUtf8Problem, shownValue, wrongWidthProblem, type TableSource } from '../io/source.js';
import { bucketOf, exitCodeCheck, positionOf } from '../run/partition.js';
import { INPUT_FILES } from '../schema/codes.js';
import { parseClientId, text } from '../schema/fields.js';
import { columnsOf, parseRow, type FieldProblem } from '../schema/records.js';
import { checkHeader } from '../validate/header.js';

/** One part to read. */
export interface PartTask {
  kind: number;
  part: number;
  path: string;
  /** Name in messages (`episodes.csv`, `episodes/2013.csv`). */
  name: string;
  format: InputFormat;
  buckets: number;
  exitReasonMap: Readonly<Record<string, string>> | undefined;
  maxRecordChars: number | undefined;
  /**
   * One client only (`explain`): only the episodes of this client's bucket (the bucket's checks
   * need them all) and this client's other rows go to the bucket; every row is still read and checked.
   * `episodes` (reviews parts, once the episodes are read): the client's episode ids, whose reviews
   * go to the bucket too whatever their client_id, so that their rejections are the client's.
   */
  pick?: { bucket: number; client: string; episodes?: readonly string[] };
}

/** Episode index flags: the row was rejected / parsed / parsed with a known exit code (a dedupe candidate). */
export const EPISODE_REJECTED = 1;
export const EPISODE_PARSED = 2;
export const EPISODE_CANDIDATE = 3;

/** Where phase 1 puts what it reads. */
export interface PartSinks {
  /** A row for a bucket, as `kind<TAB>pos<TAB>` then `C` + the CSV line, `J` + JSON cells or `N` + the NDJSON object. */
  record(bucket: number, line: string): void;
  /** A rejected row, as JSON `[kind, pos, field, value, reason]`, in row order. */
  rejection(line: string): void;
  /** An episode row for the episode index. */
  episode?(flag: number, id: string, pos: number, bucket: number): void;
  /** Rows and bytes read so far in this part. */
  progress?(rows: number, bytes: number): void;
}

/** What phase 1 learned about a part besides its rows. */
export interface PartResult {
  kind: number;
  part: number;
  read: number;
  rejected: number;
  notUtf8: number;
  /** NDJSON keys that are not fields (ignored, never copied to outputs). */
  unknownKeys: string[];
  /**
   * With `pick`: the rejections (as the `rejection` sink got them) of the client's rows, i.e. rows
   * whose client_id cell is the client, and reviews of the client's episodes (`pick.episodes`).
   */
  picked?: string[];
  /** With `pick`, in an episodes part: the episode_id cells of the client's rows, rejected or not. */
  pickedEpisodes?: string[];
}

/** Opens an NDJSON part with the identifier-key guard (R-VAL-3). */
function openNdjsonPart(task: Pick<PartTask, 'kind' | 'path' | 'name' | 'maxRecordChars'>, unknownKeys: Set<string>, onBytes?: (chunk: Uint8Array) => void): Promise<TableSource> {
  const file = INPUT_FILES[task.kind]!;
  const known = new Set(columnsOf(file));
  return openNdjson(task.path, {
    label: task.name,
    maxRecordChars: task.maxRecordChars,
    utf8Fields: [...known],
    onBytes,
    onNewKeys: (keys, line) => {
      const err = ndjsonIdentifierCheck(file, task.name, keys, line);
      if (err) throw err;
      for (const k of keys) if (!known.has(k)) unknownKeys.add(k);
    },
  });
}

/**
 * Opens a CSV part as lines, its header mapped to the record fields (every header has been checked
 * before any row of any file is read, R-VAL-3).
 * @example const src = await openCsvPart(task); src.kept.name // ['episode_id', 'client_id', …]
 */
export function openCsvPart(task: Pick<PartTask, 'kind' | 'path' | 'name' | 'maxRecordChars'>, onBytes?: (chunk: Uint8Array) => void): Promise<CsvLines> {
  const file = INPUT_FILES[task.kind]!;
  return openCsvLines(task.path, { label: task.name, maxRecordChars: task.maxRecordChars, onBytes, fields: (cols) => checkHeader(file, cols).fields });
}

/**
 * Reads one part. Every row is either rejected here (a reader problem: wrong number of cells, bytes
 * that are not UTF-8, an NDJSON line that is not an object; for episodes, any problem, since the
 * episode index needs them) or written, as read, to its client's bucket, where it is parsed
 * (R-VAL-1: every row is one or the other). A row is routed by its client_id as parsed; a row whose
 * client_id cannot be parsed goes to bucket 0, where it is rejected.
 * @example await readPart(task, { record: (b, line) => buckets[b].push(line), rejection: (l) => rejected.push(l) })
 */
export async function readPart(task: PartTask, sinks: PartSinks, onBytes?: (chunk: Uint8Array) => void): Promise<PartResult> {
  const file = INPUT_FILES[task.kind]!;
  const isEpisodes = file === 'episodes';
  const exit = exitCodeCheck(task.exitReasonMap);
  const base = positionOf(task.part, 0);
  const prefix = `${task.kind}\t`;
  let read = 0;
  let rejected = 0;
  let notUtf8 = 0;
  const unknown = new Set<string>();
  // With `pick`: which rows are the client's (see PartResult.picked).
  const pick = task.pick;
  const picked: string[] = [];
  const pickedEpisodes = new Set<string>();
  const ofEpisodes = new Set(file === 'reviews' ? (pick?.episodes ?? []) : []);
  const isPicked = (clientCell: unknown, episodeCell: unknown): boolean =>
    pick !== undefined && (text(clientCell) === pick.client || (ofEpisodes.size > 0 && ofEpisodes.has(text(episodeCell) ?? '')));
  const rejectLine = (line: string, mine: boolean) => {
    rejected++;
    sinks.rejection(line);
    if (mine) picked.push(line);
  };
  const reject = (pos: number, problem: FieldProblem, id: string | undefined, mine = false) => {
    rejectLine(JSON.stringify([task.kind, pos, problem.field, shownValue(problem.value), problem.reason]), mine);
    if (isEpisodes && id !== undefined) sinks.episode?.(EPISODE_REJECTED, id, pos, -1);
  };
  /** Episodes are parsed here (the index needs them); true when the row goes on to its bucket. */
  const episode = (pos: number, values: Record<string, unknown>): number | undefined => {
    const mine = isPicked(values['client_id'], undefined);
    const id = text(values['episode_id']);
    if (mine && id !== undefined) pickedEpisodes.add(id);
    const p = parseRow('episodes', values);
    if (!p.ok) {
      reject(pos, p.problem, id, mine);
      return undefined;
    }
    const rec = p.record;
    const bucket = bucketOf(rec.client_id, task.buckets);
    if (rec.exit_reason !== undefined && !exit.known(rec.exit_reason)) {
      // R-VAL-2: an exit code the scheme does not know; the row takes no part in duplicate checks.
      sinks.episode?.(EPISODE_PARSED, rec.episode_id, pos, bucket);
      rejectLine(JSON.stringify([task.kind, pos, 'exit_reason', shownValue(rec.exit_reason), exit.reason]), mine);
      return undefined;
    }
    sinks.episode?.(EPISODE_CANDIDATE, rec.episode_id, pos, bucket);
    return bucket;
  };
  const routeOf = (cell: unknown, episodeCell?: unknown): number => {
    const id = parseClientId(cell);
    if (pick && id !== pick.client) return isPicked(undefined, episodeCell) ? pick.bucket : -1;
    return typeof id === 'string' ? bucketOf(id, task.buckets) : 0;
  };
  const record: PartSinks['record'] = pick
    ? (b, line) => {
        if (b === pick.bucket) sinks.record(b, line);
      }
    : (b, line) => sinks.record(b, line);

  if (task.format === 'ndjson') {
    const src = await openNdjsonPart(task, unknown, onBytes);
    try {
      for await (const batch of src.batches) {
        for (const r of batch) {
          read++;
          const pos = base + r.row;
          if (r.problem) {
            if (r.problem.reason.startsWith('contains bytes that are not UTF-8')) notUtf8++;
            reject(pos, r.problem, isEpisodes ? text(r.values['episode_id']) : undefined, isPicked(r.values['client_id'], r.values['episode_id']));
            continue;
          }
          const bucket = isEpisodes ? episode(pos, r.values) : routeOf(r.values['client_id'], r.values['episode_id']);
          if (bucket !== undefined) record(bucket, `${prefix}${pos}\tN${JSON.stringify(r.values)}`);
        }
        sinks.progress?.(read, src.bytesRead());
      }
    } finally {
      src.close();
    }
    return { kind: task.kind, part: task.part, read, rejected, notUtf8, unknownKeys: [...unknown].sort(), ...pickedOf() };
  }

  const src = await openCsvPart(task, onBytes);
  const width = src.columns.length;
  const { idx: keepIdx, name: keepName } = src.kept;
  const clientAt = keepIdx[keepName.indexOf('client_id')] ?? -1;
  // The episode_id cell of a review matters only to pick the reviews of a client's episodes.
  const episodeAt = ofEpisodes.size > 0 ? (keepIdx[keepName.indexOf('episode_id')] ?? -1) : -1;
  const valuesOf = (cells: readonly string[]) => {
    const values: Record<string, unknown> = {};
    for (let k = 0; k < keepIdx.length; k++) {
      const cell = cells[keepIdx[k]!];
      if (cell !== undefined) values[keepName[k]!] = cell;
    }
    return values;
  };
  /** The first kept cell holding U+FFFD, as the CSV reader reports it. */
  const utf8Problem = (cells: readonly string[]): FieldProblem | undefined => {
    for (let k = 0; k < keepIdx.length; k++) {
      const cell = cells[keepIdx[k]!];
      if (cell !== undefined && cell.indexOf(REPLACEMENT_CHAR) !== -1) return notUtf8Problem(keepName[k]!, cell);
    }
    return undefined;
  };
  try {
    for await (const { first, records } of src.batches) {
      for (let i = 0; i < records.length; i++) {
        const rec = records[i]!;
        const pos = base + first + i;
        let cells: string[] | undefined;
        let line: string | undefined;
        if (typeof rec === 'string') {
          line = rec;
          if (line.length === 0 || (line.charCodeAt(0) <= 32 && line.trim().length === 0)) continue;
        } else {
          cells = rec;
          if (cells.length === 1 && cells[0]!.trim().length === 0) continue;
        }
        read++;
        // Cells: counted on the line (no split) unless the row needs a closer look.
        let n: number;
        let clientCell: string | undefined;
        let episodeCell: string | undefined;
        if (line !== undefined && !isEpisodes && line.indexOf(REPLACEMENT_CHAR) === -1) {
          n = 1;
          let start = 0;
          for (let c = line.indexOf(','); c !== -1; c = line.indexOf(',', c + 1)) {
            if (n - 1 === clientAt) clientCell = line.slice(start, c);
            else if (n - 1 === episodeAt) episodeCell = line.slice(start, c);
            n++;
            start = c + 1;
          }
          if (n - 1 === clientAt) clientCell = line.slice(start);
          else if (n - 1 === episodeAt) episodeCell = line.slice(start);
          if (n !== width) {
            reject(pos, wrongWidthProblem(n, width), undefined, isPicked(clientCell, episodeCell));
            continue;
          }
          record(routeOf(clientCell, episodeCell), `${prefix}${pos}\tC${line}`);
          continue;
        }
        cells ??= line!.split(',');
        n = cells.length;
        let problem = utf8Problem(cells);
        if (problem) notUtf8++;
        if (n !== width) problem = wrongWidthProblem(n, width);
        if (problem) {
          const values = isEpisodes ? valuesOf(cells) : undefined;
          reject(pos, problem, values ? text(values['episode_id']) : undefined, isPicked(cells[clientAt], episodeAt >= 0 ? cells[episodeAt] : undefined));
          continue;
        }
        const bucket = isEpisodes ? episode(pos, valuesOf(cells)) : routeOf(cells[clientAt], episodeAt >= 0 ? cells[episodeAt] : undefined);
        if (bucket !== undefined) record(bucket, line !== undefined ? `${prefix}${pos}\tC${line}` : `${prefix}${pos}\tJ${JSON.stringify(cells)}`);
      }
      sinks.progress?.(read, src.bytesRead());
    }
  } finally {
    src.close();
  }
  return { kind: task.kind, part: task.part, read, rejected, notUtf8, unknownKeys: [], ...pickedOf() };

  function pickedOf(): Pick<PartResult, 'picked' | 'pickedEpisodes'> {
    return pick ? { picked, pickedEpisodes: [...pickedEpisodes] } : {};
  }
}
