/**
 * Phase 1 of a partitioned run (issue #6): one input part is streamed once, every row is parsed
 * and checked on its own (R-VAL-2 row rules, an episode's exit code), and each usable record is
 * written, as one line, to the bucket of its client. Rejected rows go to the part's rejection list
 * in row order; episode rows also feed the shared episode index (see `episode-index.ts`).
 * Runs on the main thread or in a worker thread.
 * @module
 */
import { openCsv } from '../io/csv.js';
import { ndjsonIdentifierCheck, type InputFormat } from '../io/dataset.js';
import { openNdjson } from '../io/ndjson.js';
import { shownValue, type TableSource } from '../io/source.js';
import { bucketOf, encodeRecord, exitCodeCheck, positionOf } from '../run/partition.js';
import { INPUT_FILES } from '../schema/codes.js';
import { text } from '../schema/fields.js';
import { columnsOf, parseRow } from '../schema/records.js';
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
}

/** Episode index flags: the row was rejected / parsed / parsed with a known exit code (a dedupe candidate). */
export const EPISODE_REJECTED = 1;
export const EPISODE_PARSED = 2;
export const EPISODE_CANDIDATE = 3;

/** Where phase 1 puts what it reads. */
export interface PartSinks {
  /** A usable record, encoded, for a bucket. */
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
}

/**
 * Opens a part for reading: CSV with its header mapped to the record fields (the header has been
 * checked before any row of any file is read, R-VAL-3), NDJSON with the identifier-key guard.
 */
export async function openPart(
  task: Pick<PartTask, 'kind' | 'path' | 'name' | 'format' | 'maxRecordChars'>,
  unknownKeys?: Set<string>,
  onBytes?: (chunk: Uint8Array) => void,
): Promise<TableSource> {
  const file = INPUT_FILES[task.kind]!;
  if (task.format === 'csv') {
    return openCsv(task.path, {
      label: task.name,
      maxRecordChars: task.maxRecordChars,
      intern: false,
      onBytes,
      fields: (cols) => checkHeader(file, cols).fields,
    });
  }
  const known = new Set(columnsOf(file));
  return openNdjson(task.path, {
    label: task.name,
    maxRecordChars: task.maxRecordChars,
    utf8Fields: [...known],
    onBytes,
    onNewKeys: (keys, line) => {
      const err = ndjsonIdentifierCheck(file, task.name, keys, line);
      if (err) throw err;
      for (const k of keys) if (!known.has(k)) unknownKeys?.add(k);
    },
  });
}

/**
 * Reads one part: parses every row, sends usable records to their client's bucket and rejected
 * rows to the rejection list (R-VAL-1: every row is one or the other).
 * @example await readPart(task, { record: (b, line) => buckets[b].push(line), rejection: (l) => rejected.push(l) })
 */
export async function readPart(task: PartTask, sinks: PartSinks, onBytes?: (chunk: Uint8Array) => void): Promise<PartResult> {
  const file = INPUT_FILES[task.kind]!;
  const unknown = new Set<string>();
  const src = await openPart(task, unknown, onBytes);
  const isEpisodes = file === 'episodes';
  const exit = exitCodeCheck(task.exitReasonMap);
  const base = positionOf(task.part, 0);
  let read = 0;
  let rejected = 0;
  let notUtf8 = 0;
  try {
    for await (const batch of src.batches) {
      for (let i = 0; i < batch.length; i++) {
        const r = batch[i]!;
        read++;
        const pos = base + r.row;
        let problem = r.problem;
        if (problem === undefined) {
          const p = parseRow(file, r.values);
          if (p.ok) {
            const rec = p.record as Record<string, unknown>;
            const bucket = bucketOf(rec['client_id'] as string, task.buckets);
            if (isEpisodes) {
              const id = rec['episode_id'] as string;
              const code = rec['exit_reason'] as string | undefined;
              if (code !== undefined && !exit.known(code)) {
                // R-VAL-2: an exit code the scheme does not know; the row takes no part in duplicate checks.
                sinks.episode?.(EPISODE_PARSED, id, pos, bucket);
                rejected++;
                sinks.rejection(JSON.stringify([task.kind, pos, 'exit_reason', shownValue(code), exit.reason]));
                continue;
              }
              sinks.episode?.(EPISODE_CANDIDATE, id, pos, bucket);
            }
            sinks.record(bucket, encodeRecord(task.kind, pos, rec));
            continue;
          }
          problem = p.problem;
        } else if (problem.reason.startsWith('contains bytes that are not UTF-8')) notUtf8++;
        rejected++;
        sinks.rejection(JSON.stringify([task.kind, pos, problem.field, shownValue(problem.value), problem.reason]));
        if (isEpisodes) {
          const id = text(r.values['episode_id']);
          if (id !== undefined) sinks.episode?.(EPISODE_REJECTED, id, pos, -1);
        }
      }
      sinks.progress?.(read, src.bytesRead());
    }
  } finally {
    src.close();
  }
  return { kind: task.kind, part: task.part, read, rejected, notUtf8, unknownKeys: [...unknown].sort() };
}
