/**
 * A run on a data folder at national scale (issue #6): the `run` command's engine. Memory does not
 * grow with the whole history: work is grouped per client.
 *
 * 1. Every input part is streamed once (in worker threads when there are several buckets); each row
 *    is parsed and checked on its own, and each usable record is written to one of K bucket files
 *    chosen by a hash of its client_id. Only a small index of episode ids is kept in memory.
 * 2. Each bucket (all the records of its clients) is loaded, checked across rows (R-VAL-2) with the
 *    episode index, and evaluated client by client; its `outcomes.csv` lines are written in
 *    client_id order, and only counts and payment tallies come back.
 * 3. The buckets' outcome files are merged (k-way, client_id code point order) into `outcomes.csv`,
 *    the rejections of every part and bucket into `rejections.csv` (file, part, row order), and the
 *    tallies into payments and `summary.json`.
 *
 * Small inputs use one bucket in memory (no temporary files, no threads). Results are the same, to
 * the byte, whatever K, the number of worker threads, the order of rows, or how rows are split into
 * parts (apart from the file names and row numbers that locate rejected rows and the input list of
 * `summary.json`). Temporary files go in the OS temporary folder (or `tempDir`) and are always
 * removed.
 * @module
 */
import { createHash } from 'node:crypto';
import { rmSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { compareCodePoint, type IsoDate } from '../calendar/index.js';
import { RecoveryPbrError } from '../errors.js';
import { openCsvLines } from '../io/csv.js';
import { findInputParts, type InputSet } from '../io/dataset.js';
import { csvLine } from '../output/csv.js';
import { outcomesHeader } from '../output/outcomes.js';
import { REJECTION_COLUMNS } from '../output/rejections.js';
import type { OutcomeSummary } from '../output/summary.js';
import type { PaymentLine, PaymentResult } from '../payments/index.js';
import { paymentTally } from '../payments/stream.js';
import { mergeOutcomeCounts, outcomeBreakdownOf, outcomeSummaryOf, type BucketContext, type BucketPurpose, type OutcomeCounts } from '../run/bucket.js';
import { paysAnything } from '../run/index.js';
import { bucketOf, comparePlacedRejections, partOf, rowOf, type PartColumns, type PartNames, type PlacedRejection } from '../run/partition.js';
import { INPUT_FILES, type InputFile } from '../schema/codes.js';
import type { Dataset, DatasetCounts, LocatedRejection, Rejection } from '../schema/dataset.js';
import type { Scheme } from '../schema/scheme/index.js';
import { checkHeader } from '../validate/header.js';
import { presenceOf, type ClientRecords, type EvidencePresence } from '../evidence/index.js';
import { emptyJourneyTally, mergeJourneyTallies, type JourneyTally } from '../journeys/tally.js';
import { EpisodeIndex } from './episode-index.js';
import { PhaseWorker, spillFiles, type BucketDone, type EpisodeBatch, type MemoryParts, type PartDone } from './phases.js';
import { WorkerPool } from './pool.js';
import type { PartTask } from './read-part.js';
import { LineReader, inPieces, mergeSorted, type SortedSource } from './spill.js';

/** Progress of a run (for a progress bar). */
export type RunProgress =
  | { phase: 'read'; rowsRead: number; bytesRead: number; bytesTotal: number; file: string }
  | { phase: 'evaluate'; buckets: number; bucketsDone: number; clients: number; journeys: number }
  | { phase: 'write' };

/** Options of {@link runFolder}. */
export interface RunFolderOptions {
  /** The run's date (R-CAL-2). */
  asOf: IsoDate;
  /** Worker threads (0: everything on this thread). Default: one per core (at most 4) when there are several buckets, else 0. */
  workers?: number;
  /** Number of buckets K. Default: from the input size and `bucketBytes` (1 for small inputs). */
  buckets?: number;
  /** Input bytes per bucket when K is chosen from the input size (default 12 MiB). */
  bucketBytes?: number;
  /** Where temporary files go (default: the OS temporary folder). */
  tempDir?: string;
  /** Called as the run goes (a few times a second at most). */
  onProgress?: (p: RunProgress) => void;
  /** Longest CSV record / NDJSON line in characters (default 8 Mi). */
  maxRecordChars?: number;
  /**
   * What the pass is for (default `run`); see {@link checkFolder}, {@link clientRecordsInFolder}
   * and {@link readFolderDataset} for the others.
   */
  purpose?: BucketPurpose;
  /**
   * A run (purpose `run`) that also keeps this client's payment lines under a cap, as the caps cut
   * them (`cappedLines`): a cap (R-PAY-4) depends on every client's items, so explaining a cut
   * needs the whole run.
   */
  keepCappedLinesOf?: string;
}

/** One input part as `summary.json` lists it. */
export interface PartSummary {
  file: string;
  hash: string;
  bytes: number;
  read: number;
}

/** What {@link runFolder} returns: the figures of the run, and its output texts, streamed. */
export interface FolderRun {
  asOf: IsoDate;
  /** Input kinds found, with their parts. */
  inputs: Partial<Record<InputFile, InputSet>>;
  /** Per part: name, hash, size and rows read, by kind. */
  parts: Partial<Record<InputFile, PartSummary[]>>;
  counts: DatasetCounts;
  rejected: number;
  outcomes: OutcomeSummary;
  /** Outcome counts by band and by substance group (what the HTML report reads). */
  outcomeBreakdown: ReturnType<typeof outcomeBreakdownOf>;
  payments: Pick<PaymentResult, 'asOf' | 'rows' | 'totals' | 'counts' | 'cohorts'> | undefined;
  notes: string[];
  /** How the run was partitioned. */
  buckets: number;
  workers: number;
  /** `outcomes.csv`, header first, in pieces (read once). */
  outcomesCsv(): Iterable<string>;
  /**
   * `rejections.csv`, header first, in pieces (read once). `onRejection` sees every rejection as it
   * is written (e.g. to tally them for the report).
   */
  rejectionsCsv(onRejection?: (r: Rejection) => void): Iterable<string>;
  /** Removes the temporary files (call when the outputs are written). */
  dispose(): Promise<void>;
  /** Journey counts (purpose `check`). */
  journeyTally?: JourneyTally;
  /** The client's records (purpose `pick`, when the client has any usable record). */
  picked?: ClientRecords;
  /** Purpose `pick`: the client's rejected rows (see {@link FolderClient.rejections}), in `rejections.csv` order. */
  pickedRejections?: LocatedRejection[];
  /** With `keepCappedLinesOf`: that client's lines under a cap, after the cut (`paid`, `capped`). */
  cappedLines?: PaymentLine[];
  /** Every client's records, in client_id order (purpose `collect`). */
  collected?: ClientRecords[];
}

const DEFAULT_BUCKET_BYTES = 12 * 1024 * 1024;
const KIND_EPISODES = INPUT_FILES.indexOf('episodes');
const KIND_REVIEWS = INPUT_FILES.indexOf('reviews');

// The run's asOf when nothing is decided (check, collect): reading and checking rows do not depend
// on it (R-CAL-2 applies when records are used), so any date will do.
const UNUSED_AS_OF: IsoDate = '9999-12-31';

// Temporary folders of the runs under way. If the process exits before a run is disposed, they
// still go: on exit, and on Ctrl-C or a kill (SIGINT, SIGTERM), which are turned into an exit
// (code 130) when nothing else in the process listens for them, as they would have ended it anyway.
const liveTempDirs = new Set<string>();
const removeLiveTempDirs = () => {
  for (const d of liveTempDirs) rmSync(d, { recursive: true, force: true });
};
const exitOnSignal = () => process.exit(130);
let signalsTaken = false;

function holdTempDir(dir: string): void {
  if (liveTempDirs.size === 0) {
    process.on('exit', removeLiveTempDirs);
    signalsTaken = process.listenerCount('SIGINT') === 0 && process.listenerCount('SIGTERM') === 0;
    if (signalsTaken) {
      process.on('SIGINT', exitOnSignal);
      process.on('SIGTERM', exitOnSignal);
    }
  }
  liveTempDirs.add(dir);
}

function releaseTempDir(dir: string): void {
  if (!liveTempDirs.delete(dir) || liveTempDirs.size > 0) return;
  process.removeListener('exit', removeLiveTempDirs);
  if (signalsTaken) {
    process.removeListener('SIGINT', exitOnSignal);
    process.removeListener('SIGTERM', exitOnSignal);
    signalsTaken = false;
  }
}

/** Part names and folder flags per kind, for wording rejections. */
function partNamesOf(inputs: Partial<Record<InputFile, InputSet>>): PartNames {
  return {
    parts: INPUT_FILES.map((f) => inputs[f]?.parts.map((p) => p.name) ?? []),
    folder: INPUT_FILES.map((f) => inputs[f]?.folder ?? false),
  };
}

/**
 * Checks the header of every CSV part before any row is read (R-VAL-3: identifier columns stop the
 * run; required columns must be there). Returns the notes (ignored columns).
 */
async function checkHeaders(
  inputs: Partial<Record<InputFile, InputSet>>,
  maxRecordChars: number | undefined,
): Promise<{ notes: string[]; columns: (PartColumns | undefined)[][] }> {
  const errors: string[] = [];
  const notes: string[] = [];
  const columns: (PartColumns | undefined)[][] = INPUT_FILES.map(() => []);
  for (const [kind, file] of INPUT_FILES.entries()) {
    for (const part of inputs[file]?.parts ?? []) {
      if (part.format !== 'csv') {
        columns[kind]!.push(undefined);
        continue;
      }
      let check: ReturnType<typeof checkHeader> | undefined;
      const src = await openCsvLines(part.path, {
        label: part.name,
        maxRecordChars,
        fields: (cols) => {
          check = checkHeader(file, cols);
          return check.fields;
        },
      });
      src.close();
      columns[kind]!.push(src.kept);
      if (check) {
        const rename = (e: string) => e.replace(new RegExp(`^${file}:`), `${part.name}:`);
        errors.push(...check.errors.map(rename));
        notes.push(...check.notes.map(rename));
      }
    }
  }
  if (errors.length > 0) {
    throw new RecoveryPbrError('input_header', errors.length === 1 ? errors[0]! : `the input files cannot be used:\n${errors.map((e) => `  - ${e}`).join('\n')}`);
  }
  return { notes, columns };
}

/** The SHA-256 of a folder of parts: of the lines `<hash of part>  <part name>`, one per part in read order. */
function folderHash(parts: readonly PartSummary[]): string {
  const h = createHash('sha256');
  for (const p of parts) h.update(`${p.hash.replace(/^sha256:/, '')}  ${p.file}\n`);
  return `sha256:${h.digest('hex')}`;
}

/**
 * Runs a scheme on a data folder as known at `asOf`, partitioned by client (see the module notes).
 * Input problems throw a `RecoveryPbrError` and leave no temporary file behind.
 * @example
 * const run = await runFolder('data', scheme, { asOf: '2015-03-31' });
 * try { for (const piece of run.outcomesCsv()) process.stdout.write(piece); } finally { await run.dispose(); }
 */
export async function runFolder(dataDir: string, scheme: Scheme, options: RunFolderOptions): Promise<FolderRun> {
  const { asOf } = options;
  const t0 = Date.now();
  const found = await findInputParts(dataDir);
  const inputs = found.inputs;
  const notes = [...found.notes];
  const headers = await checkHeaders(inputs, options.maxRecordChars);
  notes.push(...headers.notes);
  const names = partNamesOf(inputs);
  const totalBytes = INPUT_FILES.reduce((a, f) => a + (inputs[f]?.bytes ?? 0), 0);
  const buckets = Math.max(1, Math.floor(options.buckets ?? Math.ceil(totalBytes / (options.bucketBytes ?? DEFAULT_BUCKET_BYTES))));
  const cores = Math.max(1, availableParallelism());
  const workers = Math.max(0, Math.floor(options.workers ?? (buckets > 1 && cores > 1 ? Math.min(cores, 4) : 0)));
  const onDisk = buckets > 1 || workers > 0;
  let tempDir: string | undefined;
  if (onDisk) {
    const parent = options.tempDir ?? tmpdir();
    try {
      await mkdir(parent, { recursive: true });
      tempDir = await mkdtemp(join(parent, 'recovery-pbr-'));
    } catch (e) {
      throw new RecoveryPbrError('temp', `cannot make a temporary folder in ${parent}: ${(e as Error).message} (choose another with --temp-dir)`);
    }
  }
  let pool: WorkerPool | undefined;
  let local: PhaseWorker | undefined;
  if (tempDir) holdTempDir(tempDir);
  const dispose = async () => {
    if (pool) await pool.destroy().catch(() => undefined);
    pool = undefined;
    if (tempDir) {
      await rm(tempDir, { recursive: true, force: true });
      releaseTempDir(tempDir);
    }
  };
  const present = presenceOf(inputs);
  const purpose: BucketPurpose = options.purpose ?? { kind: 'run' };
  const ctx: BucketContext = { scheme, asOf, present, names, columns: headers.columns, purpose };
  // With purpose `pick`, only the client's bucket is kept (phase 1) and gone through (phase 2).
  const pickBucket = purpose.kind === 'pick' ? bucketOf(purpose.client, buckets) : undefined;
  try {
    // Each worker holds one bucket at a time: about 20 bytes of heap per input byte at most.
    const heapMiB = Math.max(512, Math.ceil((48 * totalBytes) / buckets / 2 ** 20));
    if (workers > 0) pool = new WorkerPool(workers, (i) => ({ tempDir: tempDir!, writerId: i, buckets, ctx }), heapMiB);
    else local = new PhaseWorker(tempDir, workers, buckets);
    const writers = workers > 0 ? Array.from({ length: workers }, (_, i) => i) : [0];

    // Phase 1: read every part into the buckets; the episode index is built on this thread.
    const index = new EpisodeIndex();
    const tasks: PartTask[] = [];
    for (const file of INPUT_FILES) {
      const set = inputs[file];
      set?.parts.forEach((p, part) =>
        tasks.push({
          kind: INPUT_FILES.indexOf(file),
          part,
          path: p.path,
          name: p.name,
          format: p.format,
          buckets,
          exitReasonMap: scheme.exitReasons,
          maxRecordChars: options.maxRecordChars,
          ...(purpose.kind === 'pick' ? { pick: { bucket: pickBucket!, client: purpose.client } } : {}),
        }),
      );
    }
    const bytesOf = (t: PartTask) => inputs[INPUT_FILES[t.kind]!]!.parts[t.part]!.bytes;
    const progress = new Map<string, { rows: number; bytes: number }>();
    let lastReport = 0;
    const report = (file: string, force = false) => {
      if (!options.onProgress) return;
      const now = Date.now();
      if (!force && now - lastReport < 100) return;
      lastReport = now;
      let rows = 0;
      let bytes = 0;
      for (const p of progress.values()) {
        rows += p.rows;
        bytes += p.bytes;
      }
      options.onProgress({ phase: 'read', rowsRead: rows, bytesRead: bytes, bytesTotal: totalBytes, file });
    };
    const onEpisodes = (b: EpisodeBatch) => index.addBatch(b.flags, b.ids, b.positions, b.buckets);
    // Largest parts first, so that the threads finish together.
    const debug = process.env['RECOVERY_PBR_DEBUG']
      ? (what: string) => {
          const m = process.memoryUsage();
          process.stderr.write(`[${((Date.now() - t0) / 1000).toFixed(2)} s] ${what} (rss ${(m.rss / 2 ** 20).toFixed(0)} MiB, main heap ${(m.heapUsed / 2 ** 20).toFixed(0)} MiB)\n`);
        }
      : undefined;
    debug?.(`${buckets} buckets, ${workers} workers`);
    const readParts = async (list: readonly PartTask[]): Promise<PartDone[]> => {
      if (pool) {
        const p = pool;
        const order = [...list].sort((a, b) => bytesOf(b) - bytesOf(a) || a.kind - b.kind || a.part - b.part);
        return Promise.all(
          order.map((t) =>
            p.run<PartDone>({ type: 'part', task: t }, (m) => {
              if (m.type === 'episodes') onEpisodes(m['batch'] as EpisodeBatch);
              else if (m.type === 'progress') {
                progress.set(t.name, { rows: m['rows'] as number, bytes: m['bytes'] as number });
                report(t.name);
              }
            }),
          ),
        );
      }
      const out: PartDone[] = [];
      for (const t of list) {
        out.push(
          await local!.readPart(t, onEpisodes, (rows, bytes) => {
            progress.set(t.name, { rows, bytes });
            report(t.name);
          }),
        );
        progress.set(t.name, { rows: out[out.length - 1]!.read, bytes: bytesOf(t) });
        report(t.name, true);
      }
      return out;
    };
    let done: PartDone[];
    if (purpose.kind === 'pick') {
      // Episodes first: the reviews of the client's episodes are then picked whatever their client_id.
      done = await readParts(tasks.filter((t) => t.kind === KIND_EPISODES));
      const episodes = [...new Set(done.flatMap((d) => d.pickedEpisodes ?? []))];
      const rest = tasks.filter((t) => t.kind !== KIND_EPISODES).map((t) => (t.kind === KIND_REVIEWS ? { ...t, pick: { ...t.pick!, episodes } } : t));
      done.push(...(await readParts(rest)));
    } else done = await readParts(tasks);
    done.sort((a, b) => a.kind - b.kind || a.part - b.part);
    debug?.(`phase 1 done: ${index.size} episode ids`);

    // Phase 2: check and evaluate every bucket.
    const results: BucketDone[] = [];
    let clients = 0;
    let journeys = 0;
    const evaluateReport = () =>
      options.onProgress?.({ phase: 'evaluate', buckets, bucketsDone: results.length, clients, journeys });
    evaluateReport();
    const collect = (r: BucketDone) => {
      if (results.length % 8 === 0) debug?.(`bucket ${results.length}`);
      results.push(r);
      clients += r.clients;
      journeys += r.journeys;
      evaluateReport();
    };
    const todo = pickBucket !== undefined ? [pickBucket] : Array.from({ length: buckets }, (_, b) => b);
    if (pool) {
      const p = pool;
      await Promise.all(
        todo.map((b) =>
          p.run<BucketDone>({ type: 'bucket', bucket: b, writers, spanning: [...index.spanning(b)] }).then(collect),
        ),
      );
    } else {
      for (const b of todo) collect(local!.runBucket(b, writers, index.spanning(b), ctx));
    }
    results.sort((a, b) => a.bucket - b.bucket);
    debug?.('phase 2 done');
    if (pool) {
      await pool.close();
      pool = undefined;
    }
    local?.close();
    options.onProgress?.({ phase: 'write' });

    // Phase 3: reviews of episodes in other buckets (or rejected) get their reason from the index.
    const keptCopies = new Set<string>();
    for (const r of results) for (const id of r.keptCopies) keptCopies.add(id);
    const foreign: PlacedRejection[] = [];
    for (const r of results) for (const f of r.foreign) foreign.push(index.foreignRejection(f, bucketOf(f.client_id, buckets), keptCopies, names));
    foreign.sort(comparePlacedRejections);

    // Counts per kind (R-VAL-1: used + rejected = read).
    const counts: DatasetCounts = {};
    const parts: Partial<Record<InputFile, PartSummary[]>> = {};
    let rejected = 0;
    INPUT_FILES.forEach((file, kind) => {
      if (!inputs[file]) return;
      const mine = done.filter((d) => d.kind === kind);
      const read = mine.reduce((a, d) => a + d.read, 0);
      let rej = mine.reduce((a, d) => a + d.rejected, 0);
      let used = 0;
      for (const r of results) {
        used += r.used[kind]!;
        rej += r.rejected[kind]!;
      }
      rej += foreign.filter((f) => f.kind === kind).length;
      // (With `pick`, rows of other buckets are read but not kept, so they are in neither count.)
      if (used + rej !== read && purpose.kind !== 'pick') {
        throw new Error(`internal error: ${file} counts do not reconcile (read ${read}, used ${used}, rejected ${rej})`);
      }
      counts[file] = { read, used, rejected: rej };
      rejected += rej;
      parts[file] = mine.map((d) => ({ file: names.parts[kind]![d.part]!, hash: d.hash, bytes: bytesOf({ kind, part: d.part } as PartTask), read: d.read }));
      const name = inputs[file]!.name;
      const notUtf8 = mine.reduce((a, d) => a + d.notUtf8, 0);
      if (notUtf8 > 0) {
        notes.push(
          `${name}: ${notUtf8} ${notUtf8 === 1 ? 'row holds' : 'rows hold'} bytes that are not UTF-8 (the file was probably saved as Latin-1 or Windows-1252); save it as UTF-8 and run again.`,
        );
      }
      if (read === 0 && file !== 'episodes') {
        notes.push(`${name} has no rows: read as "no ${file.replace('_', ' ')} recorded" (remove the file if the data is simply not available).`);
      }
      for (const d of mine) {
        if (d.unknownKeys.length === 0) continue;
        const list = d.unknownKeys;
        notes.push(`${names.parts[kind]![d.part]}: ${list.length === 1 ? 'key' : 'keys'} ${list.map((k) => `'${k}'`).join(', ')} ${list.length === 1 ? 'is' : 'are'} not used and ignored (never copied to outputs).`);
      }
    });

    // Outcome counts and payments.
    const outcomeCounts: OutcomeCounts = {};
    const groupCounts: OutcomeCounts = {};
    for (const r of results) {
      mergeOutcomeCounts(outcomeCounts, r.outcomes);
      mergeOutcomeCounts(groupCounts, r.groups);
    }
    let journeyTally: JourneyTally | undefined;
    if (purpose.kind === 'check') {
      journeyTally = emptyJourneyTally();
      for (const r of results) if (r.journeyTally) mergeJourneyTallies(journeyTally, r.journeyTally);
    }
    let payments: FolderRun['payments'];
    let cappedLines: PaymentLine[] | undefined;
    if (purpose.kind === 'run' && paysAnything(scheme)) {
      const tally = paymentTally(scheme, asOf);
      for (const r of results) if (r.payments) tally.merge(r.payments);
      const keep = options.keepCappedLinesOf;
      if (keep !== undefined) cappedLines = [];
      payments = tally.result(keep === undefined ? undefined : (l) => void (l.client_id === keep && cappedLines!.push(l)));
    }
    const memory = local?.memory;
    return {
      asOf,
      inputs,
      parts,
      counts,
      rejected,
      outcomes: outcomeSummaryOf(outcomeCounts, clients, journeys),
      outcomeBreakdown: outcomeBreakdownOf(outcomeCounts, groupCounts),
      payments,
      notes,
      buckets,
      workers,
      outcomesCsv: () => outcomesText(buckets, tempDir, memory),
      rejectionsCsv: (onRejection) => rejectionsText(done, buckets, foreign, names, tempDir, memory, onRejection),
      dispose,
      ...(journeyTally ? { journeyTally } : {}),
      ...(purpose.kind === 'pick' ? { picked: results.find((r) => r.picked)?.picked, pickedRejections: pickedRejectionsOf(done, results, foreign, names) } : {}),
      ...(cappedLines ? { cappedLines } : {}),
      ...(purpose.kind === 'collect' ? { collected: mergeCollected(results) } : {}),
    };
  } catch (e) {
    await dispose();
    throw e;
  }
}

/** What {@link checkFolder} returns. */
export type FolderCheck = Omit<FolderRun, 'outcomes' | 'outcomeBreakdown' | 'payments' | 'outcomesCsv' | 'journeyTally' | 'asOf'> & {
  /** The date journeys were counted at: the given one, or the latest date among the usable episodes. */
  asOf: IsoDate | undefined;
  journeys: JourneyTally;
};

/**
 * Checks a data folder as a run would (R-VAL-1..3: every row used or rejected, the same
 * `rejections.csv`), at any scale and with folders of parts, but decides no outcome: journeys are
 * built as of `asOf` and counted. Without `asOf`, every usable episode counts and `asOf` is the
 * latest start or discharge date among them (the journeys are then the same as at that date).
 * @example
 * const check = await checkFolder('data', scheme, {});
 * try { check.counts.episodes?.rejected; } finally { await check.dispose(); }
 */
export async function checkFolder(
  dataDir: string,
  scheme: Scheme,
  options: Omit<RunFolderOptions, 'asOf' | 'purpose'> & { asOf?: IsoDate },
): Promise<FolderCheck> {
  const run = await runFolder(dataDir, scheme, { ...options, asOf: options.asOf ?? UNUSED_AS_OF, purpose: { kind: 'check', asOf: options.asOf } });
  const { outcomes: _o, outcomeBreakdown: _b, payments: _p, outcomesCsv: _c, journeyTally, asOf: _a, ...rest } = run;
  const journeys = journeyTally ?? emptyJourneyTally();
  return { ...rest, asOf: options.asOf ?? journeys.latest, journeys };
}

/** What {@link clientRecordsInFolder} returns. */
export interface FolderClient {
  /** The client's usable records, checked as a run checks them; undefined when there is none. */
  records: ClientRecords | undefined;
  /** Which optional files were supplied (R-OUT-11). */
  present: EvidencePresence;
  /** Rejected rows whose rejected value is the client id (to say why a client has no record). */
  rejectedWithId: number;
  /**
   * Every rejected row of the client, as `rejections.csv` lists it (file, part, row order): rows
   * whose client_id cell is the client (trimmed, whether or not the row parses), and reviews of
   * the client's episodes whatever their client_id.
   */
  rejections: LocatedRejection[];
  notes: string[];
}

/**
 * One client's records from a data folder, checked exactly as a run checks them (duplicates and
 * reviews across the whole data, R-VAL-2), at any scale and with folders of parts: every file is
 * read, but only the client's bucket is gathered. Records read from a part carry its name (`part`).
 * What `recovery-pbr explain` uses.
 * @example const { records } = await clientRecordsInFolder('data', scheme, 'C0000042', { asOf: '2015-03-31' });
 */
export async function clientRecordsInFolder(
  dataDir: string,
  scheme: Scheme,
  clientId: string,
  options: Omit<RunFolderOptions, 'purpose'>,
): Promise<FolderClient> {
  const run = await runFolder(dataDir, scheme, { ...options, purpose: { kind: 'pick', client: clientId } });
  try {
    let rejectedWithId = 0;
    for (const _piece of run.rejectionsCsv((r) => void (r.value === clientId && rejectedWithId++))) {
      // Only counted: the rejections themselves are for validate and run to write.
    }
    const present = presenceOf(run.inputs);
    const r = run.picked;
    const any = r !== undefined && (r.episodes.length + r.reviews.length + r.drug_tests.length + r.offences.length + r.employment.length > 0 || r.client !== undefined);
    return { records: any ? r : undefined, present, rejectedWithId, rejections: run.pickedRejections ?? [], notes: run.notes };
  } finally {
    await run.dispose();
  }
}

/**
 * Purpose `pick`: the client's rejected rows from the parts (phase 1), the bucket (phase 2) and the
 * reviews worded from the index (all the client's in that pass), in `rejections.csv` order.
 */
function pickedRejectionsOf(done: readonly PartDone[], results: readonly BucketDone[], foreign: readonly PlacedRejection[], names: PartNames): LocatedRejection[] {
  const placed: PlacedRejection[] = [...foreign];
  for (const d of done) {
    for (const line of d.picked ?? []) {
      const [kind, pos, field, value, reason] = JSON.parse(line) as [number, number, string, string, string];
      placed.push({ kind, pos, field, value, reason });
    }
  }
  for (const r of results) placed.push(...(r.pickedRejections ?? []));
  return placed.sort(comparePlacedRejections).map((r) => ({
    file: INPUT_FILES[r.kind]!,
    ...(names.folder[r.kind] ? { part: names.parts[r.kind]![partOf(r.pos)]! } : {}),
    row: rowOf(r.pos),
    field: r.field,
    value: r.value,
    reason: r.reason,
  }));
}

/** The buckets' clients in client_id order (each bucket's are in that order; buckets interleave). */
function mergeCollected(results: readonly BucketDone[]): ClientRecords[] {
  const sources = results.map((r) => (r.collected ?? [])[Symbol.iterator]() as SortedSource<ClientRecords>);
  return [...mergeSorted(sources, (a, b) => compareCodePoint(a.client_id, b.client_id))];
}

/** Each item of `items`, transformed, lazily. */
function* map<T, U>(items: Iterable<T>, f: (item: T) => U): Generator<U> {
  for (const x of items) yield f(x);
}

/** What {@link readFolderDataset} returns. */
export interface FolderDataset {
  /** The usable records, grouped by client (client_id order), each with its row (and part). */
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
 * A whole data folder in memory, read and checked exactly as a run reads it (folders of parts,
 * the same rejections as `run`), for the jobs that need every record at once (compare, calibrate,
 * forecast, health-premium). Nothing is decided. Records are grouped by client (client_id order);
 * every rule that reads them is independent of record order.
 * @example const { data, rejected } = await readFolderDataset('data', scheme);
 */
export async function readFolderDataset(
  dataDir: string,
  scheme: Scheme,
  options: Omit<RunFolderOptions, 'asOf' | 'purpose'> = {},
): Promise<FolderDataset> {
  const run = await runFolder(dataDir, scheme, { ...options, asOf: UNUSED_AS_OF, purpose: { kind: 'collect' } });
  try {
    const rejections: Rejection[] = [];
    const rejectionsCsv = [...run.rejectionsCsv((r) => void rejections.push(r))].join('');
    const clients = run.collected ?? [];
    const data: Dataset = { episodes: clients.flatMap((c) => c.episodes) };
    if (run.inputs.reviews) data.reviews = clients.flatMap((c) => c.reviews);
    if (run.inputs.drug_tests) data.drug_tests = clients.flatMap((c) => c.drug_tests);
    if (run.inputs.offences) data.offences = clients.flatMap((c) => c.offences);
    if (run.inputs.employment) data.employment = clients.flatMap((c) => c.employment);
    if (run.inputs.clients) data.clients = clients.flatMap((c) => (c.client ? [c.client] : []));
    return { data, counts: run.counts, rejected: run.rejected, rejections, rejectionsCsv, notes: run.notes, inputs: run.inputs, inputsSummary: folderInputsSummary(run) };
  } finally {
    await run.dispose();
  }
}

/** `outcomes.csv`: the buckets' client blocks merged in client_id order. */
function* outcomesText(buckets: number, tempDir: string | undefined, memory: MemoryParts | undefined): Generator<string> {
  yield outcomesHeader();
  type Block = { id: string; text: string };
  const sources: SortedSource<Block>[] = [];
  const readers: LineReader[] = [];
  for (let b = 0; b < buckets; b++) {
    if (memory) {
      sources.push((memory.outcomes[b] ?? [])[Symbol.iterator]() as SortedSource<Block>);
      continue;
    }
    const r = new LineReader(spillFiles.outcomes(tempDir!, b));
    readers.push(r);
    sources.push({
      next(): IteratorResult<Block, undefined> {
        const head = r.next();
        if (head === undefined) return { done: true, value: undefined };
        const tab = head.lastIndexOf('\t');
        const n = Number(head.slice(tab + 1));
        return { done: false, value: { id: head.slice(0, tab), text: r.nextLines(n) } };
      },
    });
  }
  try {
    if (buckets === 1 && memory) {
      for (const b of memory.outcomes[0] ?? []) yield b.text;
      return;
    }
    yield* inPieces(map(mergeSorted(sources, (a, b) => compareCodePoint(a.id, b.id)), (block) => block.text));
  } finally {
    for (const r of readers) r.close();
  }
}

/** `rejections.csv`: the parts' row rejections and the buckets' cross-row rejections, in read order. */
function* rejectionsText(
  done: readonly PartDone[],
  buckets: number,
  foreign: readonly PlacedRejection[],
  names: PartNames,
  tempDir: string | undefined,
  memory: MemoryParts | undefined,
  onRejection?: (r: Rejection) => void,
): Generator<string> {
  yield csvLine(REJECTION_COLUMNS);
  type Item = [number, number, string, string, string];
  const readers: LineReader[] = [];
  const fromLines = (next: () => string | undefined): SortedSource<Item> => ({
    next() {
      const l = next();
      return l === undefined || l.length === 0 ? { done: true, value: undefined } : { done: false, value: JSON.parse(l) as Item };
    },
  });
  const fromFile = (path: string) => {
    const r = new LineReader(path);
    readers.push(r);
    return fromLines(() => r.next());
  };
  const fromArray = (lines: readonly string[]) => {
    const it = lines[Symbol.iterator]();
    return fromLines(() => it.next().value);
  };
  const sources: SortedSource<Item>[] = [];
  for (const d of done) {
    if (d.rejected === 0) continue;
    sources.push(memory ? fromArray(memory.partRejections.get(`${d.kind}/${d.part}`) ?? []) : fromFile(spillFiles.partRejections(tempDir!, d.kind, d.part)));
  }
  for (let b = 0; b < buckets; b++) sources.push(memory ? fromArray(memory.bucketRejections[b] ?? []) : fromFile(spillFiles.bucketRejections(tempDir!, b)));
  sources.push(foreign.map((f): Item => [f.kind, f.pos, f.field, f.value, f.reason])[Symbol.iterator]() as SortedSource<Item>);
  const merged = mergeSorted(sources, (a, b) => a[0] - b[0] || a[1] - b[1] || (a[2] < b[2] ? -1 : a[2] > b[2] ? 1 : 0));
  try {
    yield* inPieces(
      map(merged, ([kind, pos, field, value, reason]) => {
        onRejection?.({ file: INPUT_FILES[kind]!, row: rowOf(pos), field, value, reason });
        return csvLine([names.parts[kind]![partOf(pos)], rowOf(pos), field, value, reason]);
      }),
    );
  } finally {
    for (const r of readers) r.close();
  }
}

/**
 * The `inputs` section of `summary.json`: per kind its name, hash, size and counts; a folder of
 * parts also lists every part (name, hash, size, rows read) and its hash is that of the part list.
 * @example folderInputsSummary(run).episodes.hash
 */
export function folderInputsSummary(run: Pick<FolderRun, 'inputs' | 'parts' | 'counts'>): Record<string, unknown> {
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

