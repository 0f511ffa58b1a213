/**
 * One partition of a run on a data folder, on this thread or in a worker thread: every input part
 * is streamed from disk once into the partition's columns (src/pipeline/read.ts) — of a part read
 * in slices, the header and this partition's slice (src/node/slices.ts) — the partition is
 * checked (src/pipeline/partition.ts), and its job runs over its clients in client_id order — the
 * run's `outcomes.csv` lines going to a file of the partition's (or to memory when there is no
 * temporary folder). What comes back is plain data for the main thread to merge.
 * @module
 */
import { createHash, type Hash } from 'node:crypto';
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import type { IsoDate } from '../calendar/index.js';
import { buildJourneys } from '../journeys/index.js';
import { addClientJourneys, emptyJourneyTally, type JourneyTally } from '../journeys/tally.js';
import type { ClientRecords, EvidencePresence } from '../evidence/index.js';
import type { InputFormat } from '../io/dataset.js';
import { feedPart, readForeignEpisodes } from '../pipeline/inputs.js';
import { modelPartition, type ModelJob } from '../modelling/tallies.js';
import { datasetOf } from '../pipeline/memory.js';
import { checkPartition, eachClient, partitionClients, type ClientVisitor } from '../pipeline/partition.js';
import type { PartNames } from '../pipeline/positions.js';
import { PartitionReader, rangeRouter } from '../pipeline/read.js';
import type { PlacedRejection } from '../pipeline/rejections.js';
import { runPartition, type RunPartial } from '../pipeline/run.js';
import type { ByteSink } from '../output/outcomes.js';
import { INPUT_FILES } from '../schema/codes.js';
import type { Dataset, DatasetCounts } from '../schema/dataset.js';
import type { Scheme } from '../schema/scheme/index.js';
import { isMainThread } from 'node:worker_threads';
import { repeatedIdsOf } from './repeated-ids.js';
import { tempError, writeAllSync } from './temp.js';
import { openInput, RowCounter, type PartSlice } from './slices.js';
import { SliceMismatch, type PartRead } from '../pipeline/read.js';
import { readError } from '../ingest/errors.js';
import { CsvSyntaxError } from '../ingest/csv.js';
import { PostedLines, type LinesOut } from './line-slots.js';

/** One input part to read. */
export interface TaskPart {
  kind: number;
  part: number;
  path: string;
  /** Name in messages (`episodes.csv`, `episodes/2013.csv`). */
  name: string;
  format: InputFormat;
  bytes: number;
  /** Whether this partition computes the part's SHA-256 (one partition per part does). */
  hash: boolean;
  /** This partition's slice of the part, when the part is read in slices (src/node/slices.ts). */
  slice?: PartSlice;
}

/** The scheme's rules that reading and checking rows need (a scheme has them all). */
export interface ReadRules {
  /** Exit reason codes the scheme adds (SPEC §2.1). */
  exitReasons?: Readonly<Record<string, string>> | undefined;
  calendar: { reviewToleranceDays: number; journeyGapDays: number };
}

/** What the partition's job is. */
export type JobSpec =
  | { kind: 'run'; scheme: Scheme; asOf: IsoDate; present: EvidencePresence }
  | { kind: 'check'; asOf: IsoDate | undefined }
  | { kind: 'pick'; client: string }
  | { kind: 'collect' }
  | { kind: 'model'; job: ModelJob; present: EvidencePresence };

/** A partition to run. */
export interface PartitionTask {
  partition: number;
  /** First client ids of partitions 1, 2, … (code point order). */
  bounds: string[];
  parts: TaskPart[];
  names: PartNames;
  maxRecordChars: number | undefined;
  /**
   * Of a run whose episode parts are all read in slices: where the main thread tells which episode
   * ids are on more than one row (src/node/repeated-ids.ts), so that the partition may spare its
   * pass over the other partitions' episode rows.
   */
  repeatedIds?: SharedArrayBuffer;
  /** Where the partition writes its `outcomes.csv` lines (undefined: kept in memory). */
  outcomesPath: string | undefined;
  /**
   * Of a run in worker threads that writes `outcomes.csv` as it goes: the lines go to the main
   * thread as they are made, in `slots` slots of `bytes` bytes (src/node/line-slots.ts; the
   * worker thread gives them to {@link runPartitionTask} as `onLines`), rather than to `outcomesPath`.
   */
  postLines?: { slots: number; bytes: number };
  rules: ReadRules;
  job: JobSpec;
}

/** How far a partition is: reading (bytes and its rows so far, the part being read), then deciding. */
export type PartitionProgress =
  | {
      phase: 'read';
      bytes: number;
      rows: number;
      file: string;
      /** A part read: its rows of this partition, and of a slice, the part's rows through the slice's end (header included). */
      partDone?: { kind: number; part: number; read: number; rowsThrough?: number };
    }
  | { phase: 'evaluate'; clients: number; done: number; journeys: number };

/** A partition done. */
export interface PartitionDone {
  partition: number;
  counts: DatasetCounts;
  rejections: PlacedRejection[];
  notUtf8: number[];
  /** kind → part → NDJSON keys that are not fields. */
  unknownKeys: { kind: number; part: number; keys: string[] }[];
  /** Passes it made over other partitions' rows of episode parts read in slices. */
  otherEpisodePasses: number;
  /** Part hashes this partition computed: `kind/part` → `sha256:…`. */
  hashes: Record<string, string>;
  /** Rows read per part (of this partition). */
  readPerPart: Record<string, number>;
  run?: RunPartial;
  /** `outcomes.csv` lines in memory (no outcomes file), UTF-8 bytes in pieces. */
  outcomesBytes?: Uint8Array[];
  journeys?: JourneyTally;
  picked?: ClientRecords;
  /** The usable records (per file, read order). */
  dataset?: Dataset;
  /** The modelling job's tallies, as plain data. */
  model?: unknown[];
}

const PIECE = 4 * 1024 * 1024;

/**
 * Runs one partition: reads every part, checks, runs the job. `onProgress` hears of bytes read,
 * and of each part when it is read (with its rows).
 * @example const done = await runPartitionTask(task, (bytes) => {})
 */
export async function runPartitionTask(task: PartitionTask, onProgress?: (p: PartitionProgress) => void, onLines?: LinesOut): Promise<PartitionDone> {
  const job = task.job;
  const { rules } = task;
  const reader = new PartitionReader({
    partition: task.partition,
    router: rangeRouter(task.bounds),
    exitReasonMap: rules.exitReasons,
    maxRecordChars: task.maxRecordChars,
    // A Buffer's indexOf finds line ends and quotes with the C library's search.
    allocBytes: (n) => Buffer.alloc(n),
    // Node may make code: records by a function written out from the field table.
    compileRecords: true,
    onlyClient: job.kind === 'pick' ? job.client : undefined,
  });
  const hashes: Record<string, string> = {};
  const readPerPart: Record<string, number> = {};
  const unknownKeys: PartitionDone['unknownKeys'] = [];
  const buf = Buffer.allocUnsafe(PIECE);
  let bytesDone = 0;
  // Episode parts read in slices: the rows through the end of this partition's slice.
  const rowsThrough = new Map<number, number>();
  for (const part of task.parts) {
    const before = reader.read[part.kind]!;
    const hash: Hash | undefined = part.hash ? createHash('sha256') : undefined;
    const onChunk = (piece: Uint8Array) => {
      bytesDone += piece.length;
      onProgress?.({ phase: 'read', bytes: bytesDone, rows: rowsOf(reader), file: part.name });
    };
    const r = part.slice
      ? feedSlice(reader, part, part.slice, buf, hash, onChunk, task.maxRecordChars)
      : feedPart(reader, part, fileChunks(part.path, buf), {
          maxRecordChars: task.maxRecordChars,
          onChunk: (piece) => {
            hash?.update(piece);
            onChunk(piece);
          },
        });
    if (part.kind === 0 && part.slice) rowsThrough.set(part.part, r.rows!);
    const through = part.slice ? { rowsThrough: r.rows! } : {};
    if (r.unknownKeys.length > 0) unknownKeys.push({ kind: part.kind, part: part.part, keys: r.unknownKeys });
    if (hash) hashes[`${part.kind}/${part.part}`] = `sha256:${hash.digest('hex')}`;
    readPerPart[`${part.kind}/${part.part}`] = reader.read[part.kind]! - before;
    onProgress?.({ phase: 'read', bytes: bytesDone, rows: rowsOf(reader), file: part.name, partDone: { kind: part.kind, part: part.part, read: reader.read[part.kind]! - before, ...through } });
  }
  // Other partitions' rows of the episode parts read in slices, for the checks across clients —
  // none when every episode id the partition names is on its own rows alone (told by the main thread).
  const repeated = task.repeatedIds ? repeatedIdsOf(task.repeatedIds, !isMainThread) : undefined;
  const spared = repeated !== undefined && reader.namesOnlyItsOwnEpisodes(repeated);
  let otherEpisodePasses = 0;
  for (const part of task.parts) {
    if (spared || part.kind !== 0 || !part.slice) continue;
    readOtherEpisodes(reader, part, part.slice, rowsThrough.get(part.part)!, buf, task.maxRecordChars);
    otherEpisodePasses++;
  }
  readForeignEpisodes(reader, task.parts.filter((p) => !p.slice), (part) => fileChunks(part.path, buf), task.maxRecordChars);
  const checked = checkPartition(reader, { names: task.names, reviewToleranceDays: rules.calendar.reviewToleranceDays });
  const done: PartitionDone = {
    partition: task.partition,
    counts: checked.counts,
    rejections: checked.rejections,
    notUtf8: reader.notUtf8,
    unknownKeys,
    otherEpisodePasses,
    hashes,
    readPerPart,
  };
  switch (job.kind) {
    case 'run': {
      const out = onLines ? new PostedLines(onLines) : task.outcomesPath ? new FileLines(task.outcomesPath) : new PieceLines();
      done.run = runPartition(checked, {
        scheme: job.scheme,
        asOf: job.asOf,
        present: job.present,
        lines: out,
        onProgress: onProgress ? (clients, d, journeys) => onProgress({ phase: 'evaluate', clients, done: d, journeys }) : undefined,
      });
      if (out instanceof PieceLines) done.outcomesBytes = out.close();
      else out.close();
      break;
    }
    case 'check': {
      const journeys = new JourneyCheck(rules, job.asOf);
      // Journeys alone: no rule reads the drug tests, so none is made into a record.
      eachClient(partitionClients(checked, undefined, { testsOnFirstRead: true }), journeys);
      done.journeys = journeys.tally;
      break;
    }
    case 'pick': {
      for (const records of partitionClients(checked)) if (records.client_id === job.client) done.picked = records;
      break;
    }
    case 'collect':
      done.dataset = datasetOf(checked);
      break;
    case 'model':
      done.model = modelPartition(checked, job.job, job.present, onProgress ? (clients, d) => onProgress({ phase: 'evaluate', clients, done: d, journeys: 0 }) : undefined);
      break;
  }
  return done;
}

/** One client after another of a check's journey counts (see eachClient). */
class JourneyCheck implements ClientVisitor {
  readonly tally = emptyJourneyTally();
  constructor(
    private readonly rules: ReadRules,
    private readonly asOf: IsoDate | undefined,
  ) {}

  add(records: ClientRecords): void {
    if (records.episodes.length === 0) return;
    const js = buildJourneys(records.episodes, { asOf: this.asOf, journeyGapDays: this.rules.calendar.journeyGapDays, exitReasonMap: this.rules.exitReasons });
    addClientJourneys(this.tally, records.episodes, js, this.asOf);
  }
}

/**
 * Reads a partition's slice of a CSV part (src/node/slices.ts): the header, then the rows before
 * the slice are counted (not read), then the slice is read; the partition that hashes the part
 * reads every byte. Throws {@link SliceMismatch} when the slice holds another partition's row or the
 * rows before it cannot be counted by their line breaks.
 */
function feedSlice(
  reader: PartitionReader,
  part: TaskPart,
  slice: PartSlice,
  buf: Buffer,
  hash: Hash | undefined,
  onChunk: (piece: Uint8Array) => void,
  maxRecordChars: number | undefined,
): PartRead {
  const sink = reader.csv(part.kind, part.part, true);
  // Every byte read for the partition's own rows: hashed (by the partition that hashes the part) and told.
  const seen = (c: Uint8Array) => {
    hash?.update(c);
    onChunk(c);
  };
  return withPartFile(part, maxRecordChars, (fd) => {
    for (const c of fileRange(fd, buf, 0, slice.headerEnd)) {
      seen(c);
      sink.push(c);
    }
    // The rows before the slice: from another partition's count where there is one (the rows
    // through the end of its slice), and line breaks counted from there on.
    const from = slice.known?.at ?? slice.headerEnd;
    if (hash) for (const c of fileRange(fd, buf, slice.headerEnd, from)) hash.update(c);
    const before = new RowCounter();
    for (const c of fileRange(fd, buf, from, slice.start)) {
      hash?.update(c);
      before.add(c);
    }
    sink.resume((slice.known?.rows ?? 1) + before.rows);
    let read = 0;
    for (let at = slice.start; at < slice.end; ) {
      const want = Math.min(buf.length, slice.end - at);
      // Read straight into the tokenizer's buffer where it can take them (the slice's 4 MiB pieces
      // are not copied from one buffer into another); otherwise through `buf`.
      let n = sink.fill ? sink.fill((into, o) => readSync(fd, into, o, want, at), want, seen) : -1;
      if (n < 0) {
        n = readSync(fd, buf, 0, want, at);
        if (n > 0) {
          const c = buf.subarray(0, n);
          seen(c);
          sink.push(c);
        }
      }
      if (n <= 0) break;
      // After the first piece (4 MiB), the columns are sized for the whole slice.
      if (read === 0) sink.expect?.(n, slice.end - slice.start - n);
      read += n;
      at += n;
    }
    if (hash) for (const c of fileRange(fd, buf, slice.end, Number.POSITIVE_INFINITY)) hash.update(c);
    return sink.end();
  });
}

/**
 * Runs `read` on a part's open file, then closes it: a file that cannot be read on is a
 * `RecoveryPbrError` worded for the person (as feedPart words it); a {@link SliceMismatch} passes
 * through, for the run to read every part whole. So does a CSV syntax error (a quote never closed,
 * a record too long): a slice may begin or end inside a quoted cell that spans lines, which the
 * planning's small reads cannot see, and a real error is reported by the whole reading, as the
 * first in the file.
 */
function withPartFile<T>(part: TaskPart, maxRecordChars: number | undefined, read: (fd: number) => T): T {
  const fd = openInput(part.path);
  try {
    return read(fd);
  } catch (e) {
    if (e instanceof SliceMismatch) throw e;
    if (e instanceof CsvSyntaxError) throw new SliceMismatch();
    throw readError(e, part.name, maxRecordChars);
  } finally {
    closeSync(fd);
  }
}

/**
 * The other partitions' rows of an episode part this partition read only its slice of
 * ({@link PartitionReader.otherEpisodes}): the bytes before the slice and after it, with the row
 * numbers of a whole reading (`rowsThrough`: rows through the end of the slice, header included).
 */
function readOtherEpisodes(reader: PartitionReader, part: TaskPart, slice: PartSlice, rowsThrough: number, buf: Buffer, maxRecordChars: number | undefined): void {
  const sink = reader.otherEpisodes(part.part);
  withPartFile(part, maxRecordChars, (fd) => {
    for (const c of fileRange(fd, buf, 0, slice.start)) sink.push(c);
    // A slice at the end of the file has nothing after it: the bytes before it may end in a last
    // line with no line break, which the tokenizer still holds (no row starts after it).
    if (slice.end < fstatSync(fd).size) {
      sink.resume(rowsThrough);
      for (const c of fileRange(fd, buf, slice.end, Number.POSITIVE_INFINITY)) sink.push(c);
    }
    sink.end();
  });
}

/** Bytes [from, to) of an open file (to the end when `to` is past it), a chunk at a time into `buf`. */
function* fileRange(fd: number, buf: Buffer, from: number, to: number): Generator<Uint8Array> {
  let at = from;
  while (at < to) {
    const n = readSync(fd, buf, 0, Math.min(buf.length, to - at), at);
    if (n === 0) return;
    at += n;
    yield buf.subarray(0, n);
  }
}

/**
 * A file's bytes, a chunk at a time, into `buf` (reused: each chunk is consumed before the next
 * read). Stopping early (a header read) closes the file. A file that cannot be opened is a
 * `RecoveryPbrError` naming it.
 * @example for (const chunk of fileChunks('episodes.csv', Buffer.allocUnsafe(1 << 16))) hash.update(chunk);
 */
export function* fileChunks(path: string, buf: Buffer): Generator<Uint8Array> {
  const fd = openInput(path);
  try {
    for (;;) {
      const n = readSync(fd, buf, 0, buf.length, null);
      if (n === 0) return;
      yield buf.subarray(0, n);
    }
  } finally {
    closeSync(fd);
  }
}

function rowsOf(reader: PartitionReader): number {
  return reader.read.reduce((a, b) => a + b, 0);
}

/**
 * Lines written to a temporary file through a large buffer (synchronous: a worker thread does
 * nothing else). A full disk or an I/O error is a `RecoveryPbrError` (`temp`) naming the file.
 */
class FileLines implements ByteSink {
  private readonly fd: number;
  bytes: Uint8Array = Buffer.allocUnsafe(LINES_BUFFER);
  length = 0;
  constructor(private readonly path: string) {
    try {
      this.fd = openSync(path, 'w');
    } catch (e) {
      throw tempError(path, e);
    }
  }
  room(n: number): void {
    if (this.length + n <= this.bytes.length && this.bytes.length === LINES_BUFFER) return;
    this.flush();
    // A line longer than the buffer (cells of megabytes) gets a buffer of its size, written out
    // before the next line, which has the usual buffer again.
    if (n > LINES_BUFFER) this.bytes = Buffer.allocUnsafe(n);
    else if (this.bytes.length !== LINES_BUFFER) this.bytes = Buffer.allocUnsafe(LINES_BUFFER);
  }
  private flush(): void {
    if (this.length > 0) writeAllSync(this.fd, this.bytes.subarray(0, this.length), this.path);
    this.length = 0;
  }
  close(): void {
    this.flush();
    try {
      closeSync(this.fd);
    } catch (e) {
      throw tempError(this.path, e);
    }
  }
}

/** Lines kept in memory, in pieces of {@link LINES_PIECE} bytes (a run without an outcomes file). */
class PieceLines implements ByteSink {
  bytes = new Uint8Array(0);
  length = 0;
  private readonly pieces: Uint8Array[] = [];
  room(n: number): void {
    if (this.length + n <= this.bytes.length) return;
    if (this.length > 0) this.pieces.push(this.bytes.subarray(0, this.length));
    this.bytes = new Uint8Array(Math.max(LINES_PIECE, n));
    this.length = 0;
  }
  close(): Uint8Array[] {
    if (this.length > 0) this.pieces.push(this.bytes.subarray(0, this.length));
    this.length = 0;
    return this.pieces;
  }
}

/** The buffer of a temporary outcomes file's writer. */
const LINES_BUFFER = 8 * 1024 * 1024;
/** A piece of lines kept in memory. */
const LINES_PIECE = 1 << 16;
