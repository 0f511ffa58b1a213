/**
 * A data folder through the pipeline (issues #6, #10, #11): the `run`, `validate` and `explain`
 * commands' engine, at any scale, with folders of parts.
 *
 * 1. Every CSV header is checked before any row is read (R-VAL-3: identifier columns stop the run).
 * 2. Clients are shared out among P partitions by ranges of client_id (code point order; the ranges
 *    are drawn from a sample of the episodes file so that each partition gets a like share, the
 *    last W partitions, W the threads, a half share each when there are four or more per thread). Each
 *    partition — a worker thread when P > 1 — reads its slice of each part in client order
 *    (src/node/slices.ts; of an episode part, also the other partitions' rows whose episode_id its
 *    own rows name) and streams every other part whole, keeps its clients'
 *    rows as columns and passes over the others by the bytes of their client_id (noting other
 *    clients' episode ids; the few episode rows of other clients that its own rows name are parsed
 *    in a second pass over the episode parts read whole, for the checks across clients), checks them
 *    (R-VAL-2) and runs the job over its clients in client_id order (src/node/partition-task.ts,
 *    src/pipeline/read.ts).
 * 3. The partitions' results merge: counts and tallies add, rejections interleave in read order,
 *    and `outcomes.csv` is the partitions' files end to end (their ranges are in order).
 *
 * One partition is the whole run; the result is the same, to the byte, whatever P, the order of
 * rows, or how rows are split into parts (apart from the file names and row numbers that locate
 * rejected rows, and the input list of `summary.json`). `outcomes.csv`'s lines go from worker
 * threads to `outcomesTo` through shared memory (src/node/posted-outcomes.ts); otherwise, for large
 * inputs, each partition's go to a temporary file in the OS temporary folder (or `tempDir`),
 * always removed.
 * @module
 */
import { createHash } from 'node:crypto';
import { closeSync, openSync, readSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { compareCodePoint, type IsoDate } from '../calendar/index.js';
import { RecoveryPbrError } from '../errors.js';
import { findInputFiles, findInputParts, type InputSet, type ReadDatasetOptions, type ReadDatasetResult } from '../io/dataset.js';
import type { FileSink } from '../io/write.js';
import { emptyJourneyTally, mergeJourneyTallies, type JourneyTally } from '../journeys/tally.js';
import { presenceOf, type ClientRecords, type EvidencePresence } from '../evidence/index.js';
import { csvLine } from '../output/csv.js';
import type { OutcomeBreakdown } from '../output/outcome-tally.js';
import { outcomesHeader } from '../output/outcomes.js';
import { REJECTION_COLUMNS, rejectionLine } from '../output/rejections.js';
import type { OutcomeSummary } from '../output/summary.js';
import type { PaymentLine, PaymentResult } from '../payments/index.js';
import { partOf, rowOf, type PartNames } from '../pipeline/positions.js';
import { comparePlacedRejections, toRejection, type PlacedRejection } from '../pipeline/rejections.js';
import { RunMerger } from '../pipeline/run.js';
import { mergeModel, type ModelJob, type TallyOutput } from '../modelling/tallies.js';
import { INPUT_FILES, type InputFile } from '../schema/codes.js';
import type { Dataset, DatasetCounts, Rejection } from '../schema/dataset.js';
import { parseClientId } from '../schema/fields.js';
import type { Scheme } from '../schema/scheme/index.js';
import { checkHeader } from '../validate/header.js';
import { checkHeaders, headerOf, readingNotes } from '../pipeline/inputs.js';
import { fileChunks, runPartitionTask, type JobSpec, type PartitionDone, type PartitionProgress, type PartitionTask, type ReadRules, type TaskPart } from './partition-task.js';
import { WorkerPool } from './pool.js';
import { openInput, planSlices, type PartSlice } from './slices.js';
import { rangeRouter, SLICE_MISMATCH } from '../pipeline/read.js';
import { makeTempDir, removeTempDir } from './temp.js';
import { PostedOutcomesWriter } from './posted-outcomes.js';
import { WriteQueue } from './write-queue.js';
import type { LinesPiece } from './line-slots.js';
import { repeatedIdsBuffer, tellRepeatedIds } from './repeated-ids.js';

/** Progress of a run (for a progress bar). */
export type RunProgress =
  | { phase: 'read'; rowsRead: number; bytesRead: number; bytesTotal: number; file: string }
  | { phase: 'evaluate'; clients: number; clientsDone: number; journeys: number }
  | { phase: 'write' };

/** Options of {@link runFolder}. */
export interface RunFolderOptions {
  /** The run's date (R-CAL-2). */
  asOf: IsoDate;
  /**
   * Worker threads, one per partition (0: one partition on this thread). Default: one per core (at
   * most 4) when the input is larger than {@link THREADS_FROM} bytes, else 0.
   */
  workers?: number;
  /**
   * Partitions of the clients (default: {@link defaultPartitions} — one per worker thread, and
   * more for large inputs, so that a partition's rows stay a bounded size). More
   * partitions than threads run one after another; results never depend on the number. Shares are
   * even, but with four or more partitions per thread the last `workers` take half a share
   * ({@link partitionShares}).
   */
  partitions?: number;
  /** Where temporary files go (default: the OS temporary folder). */
  tempDir?: string;
  /** Called as the run goes (a few times a second at most). */
  onProgress?: (p: RunProgress) => void;
  /** Longest CSV record / NDJSON line in characters (default 8 Mi). */
  maxRecordChars?: number;
  /**
   * Keep this client's payment lines under a cap, as the caps cut them (`cappedLines`): a cap
   * (R-PAY-4) depends on every client's items, so explaining a cut needs the whole run.
   */
  keepCappedLinesOf?: string;
  /**
   * Where `outcomes.csv` goes as the run goes (the header, then each partition's lines in order,
   * each partition synced once written; the caller closes it), rather than all at the end. In
   * worker threads the lines are written as the threads make them (a part found out of client order
   * while reading starts the run again: the sink is emptied with `restart()` and written anew), and
   * no copy is kept: `outcomesCsv` and `outcomesPieces` then throw. On this thread a partition's
   * lines are written once it and every partition before it are done and no partition is still
   * reading, and `outcomesCsv` and `outcomesPieces` still give the same text.
   */
  outcomesTo?: FileSink;
  /**
   * How worker threads hand `outcomes.csv`'s lines to this thread (with `outcomesTo`): `slots`
   * slots of `bytes` bytes a thread (default 8 of 2 MiB), and at most `held` bytes of later
   * partitions' lines copied and held till their turn (default 256 MiB; past it, a thread whose
   * turn has not come waits). Smaller values only cost time; the tests use them to make threads wait.
   */
  lineSlots?: { slots: number; bytes: number; held: number };
}

/** {@link RunFolderOptions.lineSlots} by default. */
const LINE_SLOTS = { slots: 8, bytes: 2 * 1024 * 1024, held: 256 * 1024 * 1024 };

/** Inputs from this size up are shared among threads by default (smaller ones start faster alone). */
export const THREADS_FROM = 24 * 1024 * 1024;
/**
 * Input bytes per partition by default: a partition holds its clients' rows as columns (about 60
 * bytes a row), so a national data set is split further than into one partition per thread to keep
 * each thread's memory bounded. Since parts in client order are read in slices (each partition
 * reads its own run of bytes, not every file), more partitions cost little: at 1M clients (756 MiB)
 * on 2 threads, 8 partitions of about 96 MiB ran in 0.98× the wall time of 4 of about 192 MiB, with
 * 614 MiB peak instead of 788 (5 pairs; fewer page faults on smaller columns, system time 3.3 →
 * 2.2 s); 6 (128 MiB) took as long as 8 with 685 MiB; 12 and more took longer again, each
 * partition making V8 compile much of the hot code again (bench/README.md, sixteenth session).
 * With four or more partitions per thread the last ones are half as large as the others
 * ({@link partitionShares}), so the others are up to 8/7 of an even share: at 1M on 2 threads, 6
 * of about 108 MiB and 2 of 54.
 */
export const PARTITION_BYTES = 96 * 1024 * 1024;

/**
 * The number of partitions by default: one per thread, or more to keep them near
 * {@link PARTITION_BYTES} each — a multiple of the threads, so that no thread is left with a last
 * partition to run alone.
 * @example defaultPartitions(756 * 2 ** 20, 2) // 8
 */
export function defaultPartitions(totalBytes: number, workers: number): number {
  const n = Math.max(1, workers, Math.ceil(totalBytes / PARTITION_BYTES));
  return workers > 1 ? Math.ceil(n / workers) * workers : n;
}
/** Inputs from this size up write `outcomes.csv` lines to a temporary file rather than memory. */
const SPILL_FROM = 16 * 1024 * 1024;

/** One input part as `summary.json` lists it. */
export interface PartSummary {
  file: string;
  hash: string;
  bytes: number;
  read: number;
}

/** What every pass over a data folder learns: inputs, counts, rejections, notes. */
export interface FolderPass {
  /** Input kinds found, with their parts. */
  inputs: Partial<Record<InputFile, InputSet>>;
  /** Per part: name, hash, size and rows read, by kind. */
  parts: Partial<Record<InputFile, PartSummary[]>>;
  counts: DatasetCounts;
  rejected: number;
  notes: string[];
  /** Partitions (and worker threads) the pass used. */
  partitions: number;
  workers: number;
  /**
   * CSV parts each partition read only its slice of (src/node/slices.ts): parts in client order.
   * 0 when every part was read whole (one partition; no part in client order; or a slice turned
   * out to hold another partition's row, and the run read every part whole again).
   */
  slicedParts: number;
  /**
   * Passes the partitions made over other partitions' rows of episode parts read in slices (one a
   * partition and part, fewer when the main thread could tell a partition that no episode id it
   * names is on another's row: src/node/repeated-ids.ts).
   */
  otherEpisodePasses: number;
  /**
   * `rejections.csv`, header first, in pieces. `onRejection` sees every rejection as it is written
   * (e.g. to tally them for the report).
   */
  rejectionsCsv(onRejection?: (r: Rejection) => void): Iterable<string>;
  /** Every rejection, in `rejections.csv` order (with `part` for folders of parts). */
  rejections(): Rejection[];
}

/** What {@link runFolder} returns: the figures of the run, and its output texts, streamed. */
export interface FolderRun extends FolderPass {
  asOf: IsoDate;
  outcomes: OutcomeSummary;
  /** Outcome counts by band and by substance group (what the HTML report reads). */
  outcomeBreakdown: OutcomeBreakdown;
  payments: Pick<PaymentResult, 'asOf' | 'rows' | 'totals' | 'counts' | 'cohorts'> | undefined;
  /** With `keepCappedLinesOf`: that client's lines under a cap, after the cut (`paid`, `capped`). */
  cappedLines?: PaymentLine[];
  /**
   * `outcomes.csv`, header first, in pieces of text (read once). Throws for a run in worker threads
   * given `outcomesTo` (its lines went there only).
   */
  outcomesCsv(): Iterable<string>;
  /**
   * The same, the header as text and the partitions' lines as the bytes they were written in
   * (UTF-8, from their temporary files or memory): spared decoding and encoding again a file that
   * at national scale is hundreds of MiB (read once). Each piece of bytes is a buffer of its own,
   * which the caller may keep. Throws for a run in worker threads given `outcomesTo`.
   */
  outcomesPieces(): Iterable<string | Uint8Array>;
  /** Removes the temporary files (call when the outputs are written). */
  dispose(): Promise<void>;
}

/** Part names and folder flags per kind, for wording rejections. */
function partNamesOf(inputs: Partial<Record<InputFile, InputSet>>): PartNames {
  return {
    parts: INPUT_FILES.map((f) => inputs[f]?.parts.map((p) => p.name) ?? []),
    folder: INPUT_FILES.map((f) => inputs[f]?.folder ?? false),
  };
}

/** Bytes read at a time for a header (a header is read until its line ends, then the file is closed). */
const HEAD_CHUNK = 64 * 1024;

/**
 * Every CSV header checked before any row is read (R-VAL-3): the notes of the headers, and the
 * columns of each episodes part (read once: the partition bounds are sampled with them).
 */
function checkFolderHeaders(inputs: Partial<Record<InputFile, InputSet>>): {
  notes: string[];
  episodeColumns: (string[] | undefined)[];
  /** `kind/part` → the index of its client_id column (CSV parts). */
  clientCells: Map<string, number>;
} {
  const parts = INPUT_FILES.flatMap((f, kind) =>
    (inputs[f]?.parts ?? []).map((p, part) => ({ kind, part, name: p.name, format: p.format, header: p.format === 'csv' ? headerOf(fileChunks(p.path, Buffer.allocUnsafe(HEAD_CHUNK))) : undefined })),
  );
  const notes = checkHeaders(parts);
  const clientCells = new Map<string, number>();
  for (const p of parts) {
    const columns = p.header?.columns;
    if (!columns) continue;
    const at = checkHeader(INPUT_FILES[p.kind]!, columns).fields.indexOf('client_id');
    if (at >= 0) clientCells.set(`${p.kind}/${p.part}`, at);
  }
  return { notes, episodeColumns: parts.filter((p) => p.kind === 0).map((p) => p.header?.columns), clientCells };
}

/**
 * The slices of the CSV parts that can be read in slices (src/node/slices.ts): `kind/part` → one
 * slice per partition.
 */
function planFolderSlices(inputs: Partial<Record<InputFile, InputSet>>, clientCells: ReadonlyMap<string, number>, bounds: readonly string[]): Map<string, PartSlice[]> {
  const out = new Map<string, PartSlice[]>();
  const route = rangeRouter(bounds).partitionOfBytes;
  if (bounds.length === 0 || !route) return out;
  INPUT_FILES.forEach((f, kind) => {
    inputs[f]?.parts.forEach((p, part) => {
      const key = `${kind}/${part}`;
      const cell = clientCells.get(key);
      if (p.format !== 'csv' || cell === undefined) return;
      const slices = planSlices(p.path, p.bytes, cell, bounds.length + 1, route);
      if (slices) out.set(key, slices);
    });
  });
  return out;
}

/**
 * Each partition's share of the clients, in partition order: like shares, but with `threads` > 1
 * and at least four partitions per thread, the last `threads` partitions take half a share each.
 * Threads take the next partition when free, so they end at different times; the last partitions
 * being short, the threads that end first wait less for the last. Four rounds or more, so that the
 * other partitions grow by at most 1/7 (8/7 of an even share); with fewer the growth would be up
 * to 1/3, and was not measured.
 * @example partitionShares(8, 2) // [1, 1, 1, 1, 1, 1, 0.5, 0.5]
 */
export function partitionShares(partitions: number, threads = 1): number[] {
  const tapered = threads > 1 && partitions >= 4 * threads;
  return Array.from({ length: partitions }, (_, k) => (tapered && k >= partitions - threads ? 0.5 : 1));
}

/**
 * Client ids that share the clients out among `partitions` partitions (their shares as
 * {@link partitionShares} gives them for `threads`): quantiles of the client ids of a sample of
 * episode rows (spread over the episodes parts). Any bounds give the same results; good ones only
 * balance the work. Fewer bounds come back when the sample is small.
 */
export function sampleBounds(set: InputSet | undefined, columns: readonly (string[] | undefined)[], partitions: number, threads = 1): string[] {
  if (!set || partitions <= 1) return [];
  const ids: string[] = [];
  // Many small windows rather than a few large ones: files usually list rows by client, so a
  // window is a run of neighbouring clients, and the quantiles of 48 runs left the partitions of
  // the 1M bench cohort 8% apart in rows, one thread idle for the last seconds; 512 windows of
  // 8 KiB (4 MiB read rather than 3) leave them within 1% (bench/README.md).
  const WINDOW = 8 * 1024;
  const WINDOWS = 512;
  for (const [k, part] of set.parts.entries()) {
    const header = columns[k];
    if (part.format !== 'csv' || part.bytes === 0 || !header) continue;
    const at = checkHeader('episodes', header).fields.indexOf('client_id');
    if (at < 0) continue;
    const fd = openInput(part.path);
    try {
      const buf = Buffer.allocUnsafe(WINDOW);
      const windows = Math.max(1, Math.min(WINDOWS, Math.ceil(part.bytes / WINDOW)));
      for (let w = 0; w < windows; w++) {
        const n = readSync(fd, buf, 0, WINDOW, Math.floor((part.bytes * w) / windows));
        const lines = buf.subarray(0, n).toString('utf8').split('\n');
        // The first line of a window may be cut; the last one too. A client's rows follow one
        // another: a cell like the line before's adds nothing to the quantiles.
        let cellBefore: string | undefined;
        for (let i = 1; i < lines.length - 1; i++) {
          const line = lines[i]!;
          if (line.includes('"')) continue;
          const cell = nthCell(line, at);
          if (cell === cellBefore) continue;
          cellBefore = cell;
          const id = parseClientId(cell);
          if (typeof id === 'string') ids.push(id);
        }
      }
    } finally {
      closeSync(fd);
    }
  }
  // Without surrogates (ids of plain text), UTF-16 order, the default sort's and much the faster
  // on the main thread before its code is compiled, is code point order (R-JNY-5).
  if (ids.some((x) => SURROGATE.test(x))) ids.sort(compareCodePoint);
  else ids.sort();
  const distinct = ids.filter((x, i) => i === 0 || x !== ids[i - 1]);
  const bounds: string[] = [];
  const shares = partitionShares(partitions, threads);
  const total = shares.reduce((a, x) => a + x, 0);
  let sharesBefore = 0;
  for (let k = 1; k < partitions; k++) {
    sharesBefore += shares[k - 1]!;
    const b = distinct[Math.floor((distinct.length * sharesBefore) / total)];
    if (b !== undefined && (bounds.length === 0 || compareCodePoint(b, bounds[bounds.length - 1]) > 0)) bounds.push(b);
  }
  return bounds;
}

const SURROGATE = /[\ud800-\udfff]/;

/** Cell `k` of a CSV line without quotes (undefined past its last cell). */
function nthCell(line: string, k: number): string | undefined {
  let from = 0;
  for (let i = 0; i < k; i++) {
    const comma = line.indexOf(',', from);
    if (comma < 0) return undefined;
    from = comma + 1;
  }
  const end = line.indexOf(',', from);
  return end < 0 ? line.slice(from) : line.slice(from, end);
}

/** Whether an error is a partition's {@link SLICE_MISMATCH} (from a worker thread, the message is what crosses). */
function isSliceMismatch(e: unknown): boolean {
  return e instanceof Error && e.message === SLICE_MISMATCH;
}

/** The SHA-256 of a folder of parts: of the lines `<hash of part>  <part name>`, one per part in read order. */
function folderHash(parts: readonly PartSummary[]): string {
  const h = createHash('sha256');
  for (const p of parts) h.update(`${p.hash.replace(/^sha256:/, '')}  ${p.file}\n`);
  return `sha256:${h.digest('hex')}`;
}

/** Options of one pass over a data folder. */
interface PassOptions extends Omit<RunFolderOptions, 'asOf'> {
  /** Hears of each part read by the single partition (with its rows). */
  onPart?: (kind: number, part: number, read: number) => void;
  /** Force one partition (explain reads one client). */
  single?: boolean;
  /**
   * Hears each partition's result in partition order, as soon as it and every partition before it
   * are done (a run merges its tallies meanwhile rather than at the end, when the other threads
   * are idle); `restart` when the run starts again from the first partition (a part found out of
   * client order), before the second attempt's results.
   */
  inOrder?: { add(done: PartitionDone): void; restart(): void };
  /** Keep outcome lines in files (a run). */
  outcomes?: boolean;
}

/** A pass over a data folder with a job: the partitions done, merged where every job agrees. */
async function pass(
  dataDir: string,
  rules: ReadRules,
  job: (present: EvidencePresence) => JobSpec,
  options: PassOptions,
): Promise<PassResult> {
  const lineSlots = options.lineSlots ?? LINE_SLOTS;
  if (!(Number.isInteger(lineSlots.slots) && lineSlots.slots >= 1 && Number.isInteger(lineSlots.bytes) && lineSlots.bytes >= 64 && lineSlots.held >= 0)) {
    throw new RangeError(`lineSlots must be at least 1 slot of at least 64 bytes, and held 0 or more (given ${JSON.stringify(lineSlots)})`);
  }
  const found = await findInputParts(dataDir);
  const headers = checkFolderHeaders(found.inputs);
  const totalBytes = INPUT_FILES.reduce((a, f) => a + (found.inputs[f]?.bytes ?? 0), 0);
  const cores = Math.max(1, availableParallelism());
  const workers = options.single ? 0 : Math.max(0, Math.floor(options.workers ?? (totalBytes >= THREADS_FROM && cores > 1 ? Math.min(cores, 4) : 0)));
  const wanted = options.single ? 1 : Math.max(1, options.partitions ?? defaultPartitions(totalBytes, workers));
  // The threads start before the partitions are planned: each takes about 0.3 s to start and load
  // its code, which then overlaps the planning (sampling client ids, cutting slices: about 0.1 s at
  // 1M) rather than following it. Threads the run does not take (fewer partitions than planned)
  // are stopped whatever happens.
  const spare: SparePool = { pool: workers > 0 && wanted > 1 ? new WorkerPool(Math.min(workers, wanted), () => ({})) : undefined };
  try {
    return await planAndRun(rules, job, options, { lineSlots, found, headers, totalBytes, workers, wanted, spare });
  } finally {
    await spare.pool?.destroy();
  }
}

/** What a {@link pass} hands back. */
interface PassResult {
  base: FolderPass;
  done: PartitionDone[];
  tempDir: string | undefined;
  dispose: () => Promise<void>;
  present: EvidencePresence;
  posted: boolean;
}

/** Worker threads started before a pass needs them, for it to take ({@link pass}). */
interface SparePool {
  pool: WorkerPool | undefined;
}

/** What {@link pass} learns before it plans the partitions. */
interface PassStart {
  lineSlots: NonNullable<PassOptions['lineSlots']>;
  found: Awaited<ReturnType<typeof findInputParts>>;
  headers: ReturnType<typeof checkFolderHeaders>;
  totalBytes: number;
  workers: number;
  /** Partitions asked for (fewer may come of the sample). */
  wanted: number;
  spare: SparePool;
}

/** The rest of {@link pass}: plans the partitions, runs them, gathers what they found. */
async function planAndRun(
  rules: ReadRules,
  job: (present: EvidencePresence) => JobSpec,
  options: PassOptions,
  start: PassStart,
): Promise<PassResult> {
  const { lineSlots, found, headers, totalBytes, wanted, spare } = start;
  let { workers } = start;
  const inputs = found.inputs;
  const notes = [...found.notes, ...headers.notes];
  const names = partNamesOf(inputs);
  const present = presenceOf(inputs);
  const bounds = sampleBounds(inputs.episodes, headers.episodeColumns, wanted, workers);
  const partitions = bounds.length + 1;
  if (workers > partitions) workers = partitions > 1 ? partitions : 0;
  // One partition after all: the threads started for the pass are stopped now, not after it.
  if (workers === 0 && spare.pool) {
    await spare.pool.destroy();
    spare.pool = undefined;
  }
  // Partitions in worker threads of a run that writes outcomes.csv as it goes send their lines to
  // this thread as they make them (no temporary file); otherwise the lines are kept until the end.
  const posted = options.outcomes === true && options.outcomesTo !== undefined && workers > 0;
  const spill = options.outcomes === true && !posted && (partitions > 1 || totalBytes >= SPILL_FROM);
  // Held by src/node/temp.ts: removed on any exit the process can see, and by a later run after a SIGKILL.
  const tempDir = spill ? await makeTempDir(options.tempDir) : undefined;
  const postedWriter = posted ? new PostedOutcomesWriter(options.outcomesTo!, partitions, lineSlots.held) : undefined;
  const writer = options.outcomes === true && options.outcomesTo && !posted ? new OutcomesWriter(options.outcomesTo, tempDir) : undefined;
  const dispose = async () => {
    if (tempDir) await removeTempDir(tempDir);
  };
  // Parts in client order are read in slices, each partition its own (src/node/slices.ts).
  const slices = options.single ? new Map<string, PartSlice[]>() : planFolderSlices(inputs, headers.clientCells, bounds);
  const taskParts = (partition: number, sliced: boolean): TaskPart[] => {
    const out: TaskPart[] = [];
    let i = 0;
    INPUT_FILES.forEach((f, kind) =>
      inputs[f]?.parts.forEach((p, part) => {
        const slice = sliced ? slices.get(`${kind}/${part}`)?.[partition] : undefined;
        out.push({ kind, part, path: p.path, name: p.name, format: p.format, bytes: p.bytes, hash: i++ % partitions === partition, ...(slice ? { slice } : {}) });
      }),
    );
    return out;
  };
  const spec = job(present);
  // Episode parts all read in slices: the main thread tells the partitions which episode ids are on
  // more than one row while they read (src/node/repeated-ids.ts).
  const episodeParts = inputs.episodes?.parts ?? [];
  const repeatedParts =
    partitions > 1 && episodeParts.length > 0 && episodeParts.every((p, part) => p.format === 'csv' && slices.has(`0/${part}`))
      ? episodeParts.map((p, part) => ({ path: p.path, bytes: p.bytes, column: checkHeader('episodes', headers.episodeColumns[part] ?? []).fields.indexOf('episode_id') }))
      : undefined;
  const repeatedShared = repeatedParts ? repeatedIdsBuffer() : undefined;
  const tasksOf = (sliced: boolean): PartitionTask[] =>
    Array.from({ length: partitions }, (_, k) => ({
      partition: k,
      ...(sliced && repeatedShared ? { repeatedIds: repeatedShared } : {}),
      bounds,
      parts: taskParts(k, sliced),
      names,
      maxRecordChars: options.maxRecordChars,
      outcomesPath: tempDir ? join(tempDir, `outcomes-${k}.csv`) : undefined,
      ...(posted ? { postLines: { slots: lineSlots.slots, bytes: lineSlots.bytes } } : {}),
      rules: { exitReasons: rules.exitReasons, calendar: rules.calendar },
      job: spec,
    }));
  // Bytes each partition reads for its rows (a slice, or the whole part), for the progress line.
  const planned = (t: PartitionTask) => t.parts.reduce((a, p) => a + (p.slice ? p.slice.headerEnd + p.slice.end - p.slice.start : p.bytes), 0);
  let progress: PartitionProgress[] = [];
  let plannedBytes = 1;
  let lastReport = 0;
  let lastPhase: 'read' | 'evaluate' | undefined;
  const report = (k: number, p: PartitionProgress) => {
    progress[k] = p;
    if (!options.onProgress) return;
    const now = Date.now();
    const phase = progress.some((x) => x.phase === 'read') ? 'read' : 'evaluate';
    // At most ten reports a second, but the first of a phase always: a short deciding phase (a
    // small input) would otherwise never be reported.
    if (now - lastReport < 100 && phase === lastPhase) return;
    lastReport = now;
    lastPhase = phase;
    if (phase === 'read') {
      let bytes = 0;
      let rows = 0;
      for (const [i, x] of progress.entries()) {
        bytes += x.phase === 'read' ? x.bytes : planned(tasks[i]!);
        rows += x.phase === 'read' ? x.rows : 0;
      }
      options.onProgress({ phase: 'read', rowsRead: rows, bytesRead: Math.min(totalBytes, (bytes / plannedBytes) * totalBytes), bytesTotal: totalBytes, file: p.phase === 'read' ? p.file : '' });
    } else {
      let clients = 0;
      let done = 0;
      let journeys = 0;
      for (const x of progress) {
        if (x.phase !== 'evaluate') continue;
        clients += x.clients;
        done += x.done;
        journeys += x.journeys;
      }
      options.onProgress({ phase: 'evaluate', clients, clientsDone: done, journeys });
    }
  };
  // The rows through the end of each partition's slice of each part (`kind/part` → the slice's end →
  // rows, header included), as the partitions read them: a partition handed out later counts the
  // rows before its slice from the nearest such point rather than from the header, so that the
  // counting does not grow with partitions × input. Partitions are handed out in order, so the one
  // before has mostly read its slices by then; on one thread, always.
  const through = new Map<string, Map<number, number>>();
  const noteThrough = (t: PartitionTask, p: PartitionProgress) => {
    const done = p.phase === 'read' ? p.partDone : undefined;
    if (done?.rowsThrough === undefined) return;
    const slice = t.parts.find((x) => x.kind === done.kind && x.part === done.part)?.slice;
    if (!slice) return;
    const key = `${done.kind}/${done.part}`;
    let ends = through.get(key);
    if (!ends) through.set(key, (ends = new Map()));
    ends.set(slice.end, done.rowsThrough);
  };
  /** Task `t` with, for each slice, the nearest count before it that another partition made. */
  const withCounts = (t: PartitionTask): PartitionTask => ({
    ...t,
    parts: t.parts.map((p) => {
      const ends = p.slice && through.get(`${p.kind}/${p.part}`);
      if (!p.slice || !ends) return p;
      let known: { at: number; rows: number } | undefined;
      // Any slice's end at or before this slice's start will do (slices are contiguous, in order).
      for (const [at, rows] of ends) if (at > p.slice.headerEnd && at <= p.slice.start && (!known || at > known.at)) known = { at, rows };
      return known ? { ...p, slice: { ...p.slice, known } } : p;
    }),
  });
  const runTasks = async (tasks: PartitionTask[]): Promise<PartitionDone[]> => {
    progress = tasks.map(() => ({ phase: 'read', bytes: 0, rows: 0, file: '' }));
    // Which partitions may still be reading (and so may yet find a part out of client order), and
    // the partitions done: the outcomes writer goes on from them.
    const reading = tasks.map(() => true);
    const finished: (PartitionDone | undefined)[] = tasks.map(() => undefined);
    // The partitions handed to `inOrder` so far (in order).
    let handed = 0;
    const heard = (k: number, p: PartitionProgress | undefined, d?: PartitionDone) => {
      if (d) {
        finished[k] = d;
        for (; handed < finished.length && finished[handed] !== undefined; handed++) options.inOrder?.add(finished[handed]!);
      }
      if (!writer) return;
      if (d || p?.phase === 'evaluate') reading[k] = false;
      writer.offer(finished, reading.some(Boolean));
    };
    plannedBytes = Math.max(1, tasks.reduce((a, t) => a + planned(t), 0));
    through.clear();
    // The run's attempt the posted lines belong to (a run started again takes back the first's).
    const attempt = postedWriter?.attempt ?? 0;
    if (workers > 0) {
      // The threads started at the pass's beginning, for the first attempt.
      const pool = spare.pool ?? new WorkerPool(workers, () => ({}));
      spare.pool = undefined;
      let stopped = false;
      try {
        // Each thread takes the next partition when it is free: a task is made when it is handed out.
        const results: PartitionDone[] = [];
        let next = 0;
        let failed = false;
        const thread = async () => {
          // A write of outcomes.csv that failed fails the run: no partition is begun after it.
          while (next < tasks.length && !failed && !postedWriter?.failed) {
            const t = withCounts(tasks[next++]!);
            try {
              results[t.partition] = await pool.run<PartitionDone>({ type: 'partition', task: t }, (m) => {
                if (m.type === 'lines') postedWriter?.piece(attempt, t.partition, m as unknown as LinesPiece);
                if (m.type !== 'progress') return;
                const p = m['progress'] as PartitionProgress;
                noteThrough(t, p);
                report(t.partition, p);
                heard(t.partition, p);
              });
              heard(t.partition, undefined, results[t.partition]);
              postedWriter?.ended(attempt, t.partition);
            } catch (e) {
              failed = true;
              // Its lines are of no use now, and a thread whose later partition waits for slots held
              // till this one's end would keep the pool from closing. (A slice out of client order
              // starts the run again instead, and restart() drops what is held; so do errors that
              // come while this attempt is given up, which the pool still hands on as it stops.)
              if (!isSliceMismatch(e) && !stopped) postedWriter?.stop();
              throw e;
            }
          }
        };
        const all = Promise.all(Array.from({ length: Math.min(workers, tasks.length) }, thread));
        // The threads have their first partitions and read their slices meanwhile.
        if (tasks[0]!.repeatedIds && repeatedParts) tellRepeatedIds(repeatedParts, tasks[0]!.repeatedIds);
        await all;
        return results;
      } catch (e) {
        // A slice out of client order: the other partitions' work is of no use; stop them now.
        if (isSliceMismatch(e)) {
          stopped = true;
          await pool.destroy().catch(() => undefined);
        }
        throw e;
      } finally {
        if (!stopped) await pool.close().catch(() => undefined);
      }
    }
    const out: PartitionDone[] = [];
    if (tasks[0]?.repeatedIds && repeatedParts) tellRepeatedIds(repeatedParts, tasks[0].repeatedIds);
    for (const task of tasks) {
      const t = withCounts(task);
      out.push(
        await runPartitionTask(t, (p) => {
          noteThrough(t, p);
          report(t.partition, p);
          heard(t.partition, p);
          if (p.phase === 'read' && p.partDone && options.onPart) options.onPart(p.partDone.kind, p.partDone.part, p.partDone.read);
        }),
      );
      heard(t.partition, undefined, out[out.length - 1]);
    }
    return out;
  };
  let tasks = tasksOf(slices.size > 0);
  let done: PartitionDone[];
  try {
    try {
      done = await runTasks(tasks);
    } catch (e) {
      if (!isSliceMismatch(e)) throw e;
      // A part was not in client order after all: every partition reads every part whole (lines
      // of the first attempt already written are taken back).
      await postedWriter?.restart();
      options.inOrder?.restart();
      tasks = tasksOf(false);
      done = await runTasks(tasks);
    }
    await writer?.finish(done);
    await postedWriter?.finish();
  } catch (e) {
    await writer?.settle();
    await postedWriter?.settle();
    await dispose();
    throw e;
  }
  options.onProgress?.({ phase: 'write' });

  // Counts per kind (R-VAL-1: used + rejected = read), part summaries, notes.
  const counts: DatasetCounts = {};
  const parts: Partial<Record<InputFile, PartSummary[]>> = {};
  let rejected = 0;
  INPUT_FILES.forEach((file, kind) => {
    const set = inputs[file];
    if (!set) return;
    let read = 0;
    let used = 0;
    let rej = 0;
    for (const d of done) {
      const c = d.counts[file];
      if (!c) continue;
      read += c.read;
      used += c.used;
      rej += c.rejected;
    }
    counts[file] = { read, used, rejected: rej };
    rejected += rej;
    parts[file] = set.parts.map((p, part) => {
      const key = `${kind}/${part}`;
      const hash = done.find((d) => d.hashes[key] !== undefined)!.hashes[key]!;
      return { file: p.name, hash, bytes: p.bytes, read: done.reduce((a, d) => a + (d.readPerPart[key] ?? 0), 0) };
    });
  });
  // A pick reads only its client's rows: notes about a file's rows (none, not UTF-8) would be about
  // that client's, not the file's, so it makes none (its header notes stand).
  if (spec.kind !== 'pick') notes.push(
    ...readingNotes(
      INPUT_FILES.flatMap((file, kind) => {
        const set = inputs[file];
        if (!set) return [];
        return [
          {
            kind,
            name: set.name,
            read: counts[file]!.read,
            // Such a row is counted by the one partition that rejects it: the file's count is the sum.
            notUtf8: done.reduce((n, d) => n + d.notUtf8[kind]!, 0),
            // Every partition reads every NDJSON line: any one's keys are all of them.
            unknownKeys: set.parts.map((p, part) => ({ name: p.name, keys: done[0]!.unknownKeys.find((u) => u.kind === kind && u.part === part)?.keys ?? [] })),
          },
        ];
      }),
    ),
  );
  const merged = (): PlacedRejection[] => {
    const all = done.length === 1 ? done[0]!.rejections : done.flatMap((d) => d.rejections).sort(comparePlacedRejections);
    return all;
  };
  const base: FolderPass = {
    inputs,
    parts,
    counts,
    rejected,
    notes,
    partitions,
    workers,
    slicedParts: tasks[0]!.parts.filter((p) => p.slice !== undefined).length,
    otherEpisodePasses: done.reduce((a, d) => a + d.otherEpisodePasses, 0),
    rejectionsCsv: (onRejection) => rejectionsText(merged(), names, onRejection),
    rejections: () => merged().map((r) => toRejection(r, names)),
  };
  return { base, done, tempDir, dispose, present, posted };
}

/** `rejections.csv`: every rejection in read order (file, part, row, field). */
function* rejectionsText(rejections: readonly PlacedRejection[], names: PartNames, onRejection?: (r: Rejection) => void): Generator<string> {
  yield csvLine(REJECTION_COLUMNS);
  let piece = '';
  for (const r of rejections) {
    const rejection = toRejection(r, names);
    onRejection?.(rejection);
    piece += rejectionLine(names.parts[r.kind]![partOf(r.pos)]!, rejection);
    if (piece.length > 1 << 16) {
      yield piece;
      piece = '';
    }
  }
  if (piece.length > 0) yield piece;
}

/**
 * `outcomes.csv`: the partitions' lines end to end (their client ranges are in order) — held
 * in memory, or the bytes of a partition's temporary file (see {@link partitionOutcomes} for `fresh`).
 */
function* outcomesPieces(done: readonly PartitionDone[], tempDir: string | undefined, fresh = false): Generator<string | Uint8Array> {
  yield outcomesHeader();
  for (const d of [...done].sort((a, b) => a.partition - b.partition)) yield* partitionOutcomes(d, tempDir, fresh);
}

/** Bytes read at a time from a partition's temporary `outcomes.csv` lines. */
const OUTCOMES_PIECE = 4 * 1024 * 1024;

/**
 * One partition's `outcomes.csv` lines: its bytes in memory, or those of its temporary file. The
 * file is read into one buffer, so a piece holds until the next is asked for: for a consumer done
 * with each piece before the next (a write awaited, a decoder's copy). Half a million lines a
 * partition read into a fresh 4 MiB buffer each time cost 5 times as long as the reads themselves
 * (new memory mapped, filled and collected: 0.2–0.4 s against 0.04–0.05 s for 140 MB); `fresh`
 * gives that, for a caller that may keep the pieces.
 */
function* partitionOutcomes(d: PartitionDone, tempDir: string | undefined, fresh = false): Generator<string | Uint8Array> {
  if (d.outcomesBytes) {
    yield* d.outcomesBytes;
    return;
  }
  if (!tempDir) return;
  const fd = openSync(join(tempDir, `outcomes-${d.partition}.csv`), 'r');
  let shared: Buffer | undefined;
  try {
    for (;;) {
      const buf = fresh ? Buffer.allocUnsafe(OUTCOMES_PIECE) : (shared ??= Buffer.allocUnsafe(OUTCOMES_PIECE));
      const n = readSync(fd, buf, 0, buf.length, null);
      if (n === 0) break;
      yield buf.subarray(0, n);
    }
  } finally {
    closeSync(fd);
  }
}

/**
 * Writes `outcomes.csv` into a sink while a run goes on ({@link RunFolderOptions.outcomesTo}): the
 * header, then partition 0's lines, 1's, … each as soon as it and those before it are done and no
 * partition is still reading (reading may yet find a part out of client order, which starts the
 * run again with every part read whole), each synced once written, so that the file's last sync,
 * at its close, has only the last partitions' lines left. On 2 threads the first partitions end
 * well before the last, whose thread is the only one busy by then: the copying and syncing take
 * time from nobody.
 */
class OutcomesWriter {
  private next = 0;
  private queue = new WriteQueue();

  constructor(
    private readonly sink: FileSink,
    private readonly tempDir: string | undefined,
  ) {}

  /** The partitions done so far (by index); `stillReading`: whether any partition may still be reading. */
  offer(done: readonly (PartitionDone | undefined)[], stillReading: boolean): void {
    if (stillReading) return;
    while (this.next < done.length && done[this.next] !== undefined) {
      const d = done[this.next]!;
      const first = this.next === 0;
      this.next++;
      this.queue.add(() => this.copy(d, first));
    }
  }

  private async copy(d: PartitionDone, first: boolean): Promise<void> {
    if (first) await this.sink.write(outcomesHeader());
    // Each piece is written (awaited) before the next is read.
    for (const piece of partitionOutcomes(d, this.tempDir)) {
      // The run failed meanwhile (settle): what is left is of no use.
      if (this.queue.failed) return;
      await this.sink.write(piece);
    }
    await this.sink.sync();
  }

  /** Writes every partition not yet written (all are done) and waits for the writes. */
  async finish(done: readonly PartitionDone[]): Promise<void> {
    const byIndex: PartitionDone[] = [];
    for (const d of done) byIndex[d.partition] = d;
    this.offer(byIndex, false);
    await this.queue.finish();
    if (this.next !== byIndex.length) throw new Error('internal error: outcomes.csv written without every partition');
  }

  /** Waits for writes under way (the run failed: what was written is of no use). */
  async settle(): Promise<void> {
    this.queue.stop();
    await this.queue.settled();
  }
}

/** What outcomesCsv() and outcomesPieces() do of a run whose lines went only to outcomesTo. */
function notKept(): never {
  throw new Error('this run wrote outcomes.csv into outcomesTo as it went, from worker threads, and kept no copy: read what was written there');
}

/** {@link outcomesPieces} as text (a UTF-8 character cut between two reads is decoded whole). */
function* outcomesText(pieces: Iterable<string | Uint8Array>): Generator<string> {
  const decoder = new TextDecoder('utf-8', { ignoreBOM: true });
  for (const p of pieces) {
    if (typeof p === 'string') yield p;
    else {
      const t = decoder.decode(p, { stream: true });
      if (t.length > 0) yield t;
    }
  }
  const rest = decoder.decode();
  if (rest.length > 0) yield rest;
}

/**
 * Runs a scheme on a data folder as known at `asOf` (see the module notes). Input problems throw a
 * `RecoveryPbrError` and leave no temporary file behind.
 * @example
 * const run = await runFolder('data', scheme, { asOf: '2015-03-31' });
 * try { for (const piece of run.outcomesCsv()) process.stdout.write(piece); } finally { await run.dispose(); }
 */
export async function runFolder(dataDir: string, scheme: Scheme, options: RunFolderOptions): Promise<FolderRun> {
  const { asOf } = options;
  // The partitions' tallies are merged as they end, in partition order (see PassOptions.inOrder).
  let merger = new RunMerger(scheme, asOf);
  const inOrder = { add: (d: PartitionDone) => merger.add(d.run!), restart: () => void (merger = new RunMerger(scheme, asOf)) };
  const p = await pass(dataDir, scheme, (present) => ({ kind: 'run', scheme, asOf, present }), { ...options, outcomes: true, inOrder });
  if (merger.added !== p.done.length) throw new Error(`internal error: ${merger.added} of ${p.done.length} partitions merged`);
  const keep = options.keepCappedLinesOf;
  const cappedLines: PaymentLine[] | undefined = keep === undefined ? undefined : [];
  const totals = merger.result(cappedLines ? (l) => void (l.client_id === keep && cappedLines.push(l)) : undefined);
  return {
    ...p.base,
    asOf,
    outcomes: totals.outcomes,
    outcomeBreakdown: totals.breakdown,
    payments: totals.payments,
    ...(cappedLines ? { cappedLines } : {}),
    // Each piece is decoded (copied) before the next is read; the pieces given out may be kept.
    outcomesCsv: () => (p.posted ? notKept() : outcomesText(outcomesPieces(p.done, p.tempDir))),
    outcomesPieces: () => (p.posted ? notKept() : outcomesPieces(p.done, p.tempDir, true)),
    dispose: p.dispose,
  };
}

/** What {@link checkFolder} returns. */
export interface FolderCheck extends FolderPass {
  /** The date journeys were counted at: the given one, or the latest date among the usable episodes. */
  asOf: IsoDate | undefined;
  journeys: JourneyTally;
  dispose(): Promise<void>;
}

/**
 * Checks a data folder as a run would (R-VAL-1..3: every row used or rejected, the same
 * `rejections.csv`), at any scale and with folders of parts, but decides no outcome: journeys are
 * built as of `asOf` and counted. Without `asOf`, every usable episode counts and `asOf` is the
 * latest start or discharge date among them (the journeys are then the same as at that date).
 * @example
 * const check = await checkFolder('data', scheme, {});
 * check.counts.episodes?.rejected;
 */
export async function checkFolder(dataDir: string, scheme: Scheme, options: Omit<RunFolderOptions, 'asOf'> & { asOf?: IsoDate }): Promise<FolderCheck> {
  const p = await pass(dataDir, scheme, () => ({ kind: 'check', asOf: options.asOf }), options);
  const journeys = emptyJourneyTally();
  for (const d of p.done) if (d.journeys) mergeJourneyTallies(journeys, d.journeys);
  return { ...p.base, asOf: options.asOf ?? journeys.latest, journeys, dispose: p.dispose };
}

/** What {@link clientRecordsInFolder} returns. */
export interface FolderClient {
  /** The client's usable records, checked as a run checks them; undefined when there is none. */
  records: ClientRecords | undefined;
  /** Which optional files were supplied (R-OUT-11). */
  present: EvidencePresence;
  /**
   * Every rejected row of the client, as `rejections.csv` lists it: rows whose client_id is the
   * client's (whether or not the row parses), and reviews of the client's episodes whatever their
   * client_id.
   */
  rejections: Rejection[];
  /** Rejected rows whose rejected value is the client id (to say why a client has no record). */
  rejectedWithId: number;
  notes: string[];
}

/**
 * One client's records from a data folder, checked exactly as a run checks them (duplicates and
 * reviews across the whole data, R-VAL-2), at any scale and with folders of parts: every file is
 * read, but only the client's rows (and every episode) are parsed. Records read from a part carry
 * its name (`part`). What `recovery-pbr explain` uses.
 * @example const { records } = await clientRecordsInFolder('data', scheme, 'C0000042', { asOf: '2015-03-31' });
 */
export async function clientRecordsInFolder(dataDir: string, scheme: Scheme, clientId: string, options: Omit<RunFolderOptions, 'workers'> & { workers?: number }): Promise<FolderClient> {
  const p = await pass(dataDir, scheme, () => ({ kind: 'pick', client: clientId }), { ...options, single: true });
  try {
    // The partition holds only the client's rows (and reviews of its episodes under another client_id).
    const rejections = p.done[0]!.rejections.map((r) => toRejection(r, partNamesOf(p.base.inputs)));
    const r = p.done[0]!.picked;
    const any = r !== undefined && (r.episodes.length + r.reviews.length + r.drug_tests.length + r.offences.length + r.employment.length > 0 || r.client !== undefined);
    return { records: any ? r : undefined, present: p.present, rejections, rejectedWithId: rejections.filter((x) => x.value === clientId).length, notes: p.base.notes };
  } finally {
    await p.dispose();
  }
}

/** What {@link readFolderDataset} returns. */
export interface FolderDataset {
  /** The usable records, per file in read order, each with its row (and part). */
  data: Dataset;
  counts: DatasetCounts;
  rejected: number;
  /** Every rejection, as `rejections.csv` lists them. */
  rejections: Rejection[];
  /** `rejections.csv` as `run` writes it (parts named). */
  rejectionsCsv: string;
  notes: string[];
  inputs: Partial<Record<InputFile, InputSet>>;
  /** The inputs as `summary.json` lists them (files or parts, hashes, counts). */
  inputsSummary: Record<string, unknown>;
}

/**
 * A whole data folder in memory, read and checked exactly as a run reads it (one partition: folders
 * of parts, the same rejections as `run`). Nothing is decided.
 * @example const { data, rejected } = await readFolderDataset('data', scheme);
 */
export async function readFolderDataset(dataDir: string, rules: ReadRules, options: Omit<PassOptions, 'workers' | 'partitions' | 'single' | 'outcomes'> = {}): Promise<FolderDataset> {
  const p = await pass(dataDir, rules, () => ({ kind: 'collect' }), { ...options, single: true });
  try {
    const rejections: Rejection[] = [];
    const rejectionsCsv = [...p.base.rejectionsCsv((r) => void rejections.push(r))].join('');
    return {
      data: p.done[0]!.dataset!,
      counts: p.base.counts,
      rejected: p.base.rejected,
      rejections,
      rejectionsCsv,
      notes: p.base.notes,
      inputs: p.base.inputs,
      inputsSummary: folderInputsSummary(p.base),
    };
  } finally {
    await p.dispose();
  }
}

/** What {@link modelFolder} returns: the pass's figures and each tally's result, in the job's order. */
export interface FolderModel extends FolderPass {
  tallies: TallyOutput[];
}

/**
 * A modelling job over a data folder (compare, calibrate, forecast, health-premium at national
 * scale): the data read and checked exactly as a run reads it, in partitions and threads, each
 * client decided once per set of outcome rules, and only the job's tallies kept and merged.
 * @example
 * const m = await modelFolder('data', scheme, { schemes: [a, b], asOf, tallies: [{ kind: 'payments', scheme: 0 }, { kind: 'payments', scheme: 1 }] });
 */
export async function modelFolder(dataDir: string, rules: ReadRules, job: ModelJob, options: Omit<RunFolderOptions, 'asOf' | 'keepCappedLinesOf'> = {}): Promise<FolderModel> {
  const p = await pass(dataDir, rules, (present) => ({ kind: 'model', job, present }), options);
  try {
    return { ...p.base, tallies: mergeModel(job, p.done.map((d) => d.model!)) };
  } finally {
    await p.dispose();
  }
}

/**
 * Reads and validates the input files of a data folder (SPEC §2, R-VAL-1..3), each kind one file
 * (`episodes.csv` or `episodes.ndjson`, …; folders of parts are read by {@link readFolderDataset}):
 * the pipeline with one partition. Headers of all files are checked before any row is read; rows
 * are streamed, never held as text. File-level problems throw a `RecoveryPbrError` (exit 1);
 * row-level problems become rejections.
 * @example
 * const { data, rejections, counts } = await readDataset('data', { reviewToleranceDays: 28 });
 */
export async function readDataset(dir: string, options: ReadDatasetOptions = {}): Promise<ReadDatasetResult> {
  const { files } = await findInputFiles(dir);
  const rules: ReadRules = { exitReasons: options.exitReasonMap, calendar: { reviewToleranceDays: options.reviewToleranceDays ?? 28, journeyGapDays: 21 } };
  const read = await readFolderDataset(dir, rules, {
    maxRecordChars: options.maxRecordChars,
    onPart: options.onProgress
      ? (kind, _part, rows) => {
          const file = INPUT_FILES[kind]!;
          const info = files[file]!;
          options.onProgress!({ file, path: info.path, bytesRead: info.bytes, bytesTotal: info.bytes, rowsRead: rows, done: true });
        }
      : undefined,
  });
  return { data: read.data, rejections: read.rejections, counts: read.counts, notes: read.notes, files };
}

/**
 * The `inputs` section of `summary.json`: per kind its name, hash, size and counts; a folder of
 * parts also lists every part (name, hash, size, rows read) and its hash is that of the part list.
 * @example folderInputsSummary(run).episodes.hash
 */
export function folderInputsSummary(run: Pick<FolderPass, 'inputs' | 'parts' | 'counts'>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const file of INPUT_FILES) {
    const set = run.inputs[file];
    const c = run.counts[file];
    if (!set || !c) continue;
    const parts = run.parts[file] ?? [];
    if (!set.folder) {
      out[file] = { file: set.name, hash: parts[0]?.hash, bytes: set.bytes, read: c.read, used: c.used, rejected: c.rejected };
    } else {
      out[file] = { file: set.name, hash: folderHash(parts), bytes: set.bytes, read: c.read, used: c.used, rejected: c.rejected, parts };
    }
  }
  return out;
}
