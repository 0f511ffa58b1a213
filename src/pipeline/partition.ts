/**
 * One partition after reading: the checks across rows (R-VAL-2: duplicates, reviews against
 * episodes), the counts that reconcile (R-VAL-1: used + rejected = read, per file), and the
 * partition's clients, one at a time, in client_id order (R-JNY-5), each with its usable records.
 * Browser-safe.
 * @module
 */
import { compareCodePoint } from '../calendar/index.js';
import type { ClientRecords } from '../evidence/index.js';
import { countByte } from '../ingest/bytes.js';
import type { RecordTable } from '../ingest/table.js';
import { INPUT_FILES, type InputFile } from '../schema/codes.js';
import type { DatasetCounts } from '../schema/dataset.js';
import type { Client, DrugTest, EmploymentSpell, Episode, Located, Offence, Review } from '../schema/records.js';
import { dedupeRows } from './checks/duplicates.js';
import { checkReviews, type EpisodeDirectory } from './checks/reviews.js';
import { partOf, rowOf, type PartNames } from './positions.js';
import { markIds, type PartitionReader } from './read.js';
import { comparePlacedRejections, type PlacedRejection } from './rejections.js';
import { keepShape } from '../shapes.js';

/** Options of {@link checkPartition}. */
export interface CheckOptions {
  names: PartNames;
  /** Days after discharge a review may still be dated (R-VAL-2); default 28. */
  reviewToleranceDays?: number;
}

/** A partition checked: which rows are used, every rejection, the counts. */
export interface CheckedPartition {
  reader: PartitionReader;
  names: PartNames;
  /** Per row of each present kind: 1 when used by this partition. */
  used: Partial<Record<InputFile, Uint8Array>>;
  /** This partition's rejections, in `rejections.csv` order. */
  rejections: PlacedRejection[];
  /** Rows read, used and rejected per kind (this partition's). */
  counts: DatasetCounts;
}

/**
 * Runs the cross-row checks of a partition (R-VAL-2) and counts its rows (R-VAL-1).
 * @example const checked = checkPartition(reader, { names: singleFileNames() })
 */
export function checkPartition(reader: PartitionReader, options: CheckOptions): CheckedPartition {
  const { names } = options;
  const rejections = reader.rejections.slice();
  const used: Partial<Record<InputFile, Uint8Array>> = {};
  const clients = reader.vocab.clients.values;
  const episodes = reader.tables.episodes ?? reader.table('episodes');
  const own = reader.episodeOwn;

  // Episodes: duplicate ids across every episode row (each partition rejects its own).
  const ec = episodes.cols[1] as Int32Array;
  const keptEpisodes = dedupeRows(episodes, 0, reader.vocab.episodes.size, names, rejections, own, (r) => clients[ec[r]!]);
  const keptRow = new Int32Array(reader.vocab.episodes.size).fill(-1);
  const firstDropped = new Float64Array(reader.vocab.episodes.size).fill(NaN);
  const ownUsed = new Uint8Array(episodes.length);
  placeEpisodes(episodes.cols[0] as Int32Array, episodes.pos, episodes.length, keptEpisodes, own, keptRow, firstDropped, ownUsed);
  used.episodes = ownUsed;

  const dir: EpisodeDirectory = { keptRow, refused: reader.rejectedEpisodeIds, unknownExit: reader.unknownExitEpisodeIds, firstDropped };
  const reviews = reader.tables.reviews;
  if (reviews) used.reviews = checkReviews(reviews, episodes, dir, options.reviewToleranceDays ?? 28, names, rejections);
  const clientRows = reader.tables.clients;
  if (clientRows) {
    const cc = clientRows.cols[0] as Int32Array;
    used.clients = dedupeRows(clientRows, 0, reader.vocab.clients.size, names, rejections, undefined, (r) => clients[cc[r]!]);
  }
  for (const f of ['drug_tests', 'offences', 'employment'] as const) {
    const t = reader.tables[f];
    if (t) used[f] = new Uint8Array(t.length).fill(1);
  }
  rejections.sort(comparePlacedRejections);

  const counts: DatasetCounts = {};
  const rejectedPerKind = INPUT_FILES.map(() => 0);
  for (const r of rejections) rejectedPerKind[r.kind]!++;
  INPUT_FILES.forEach((f, kind) => {
    const u = used[f];
    if (!reader.tables[f]) return;
    const n = u ? countByte(u, 1) : 0;
    const read = reader.read[kind]!;
    const rejected = rejectedPerKind[kind]!;
    if (n + rejected !== read) throw new Error(`internal error: ${f} counts do not reconcile (read ${read}, used ${n}, rejected ${rejected})`);
    counts[f] = { read, used: n, rejected };
  });
  return { reader, names, used, rejections, counts };
}

/** Rows of one kind grouped by client rank: `rows` in client order, `start[c]..start[c+1]` per client. */
interface Grouped {
  rows: Int32Array;
  start: Int32Array;
}

// A partition's own rows are all read in the first pass, in read order (rows of a second pass,
// src/pipeline/read.ts, are other clients' episodes, never used here): so grouping in table order
// keeps each client's records in read order.
function groupRows(table: RecordTable | undefined, used: Uint8Array | undefined, clientCol: number, rank: Int32Array, clients: number): Grouped {
  const start = new Int32Array(clients + 1);
  if (!table || !used) return { rows: new Int32Array(0), start };
  const col = table.cols[clientCol] as Int32Array;
  countRows(start, used, col, rank, table.length);
  runningTotals(start);
  const next = start.slice(0, clients);
  const rows = new Int32Array(start[clients]!);
  placeRows(rows, next, used, col, rank, table.length);
  return { rows, start };
}

// Loops compiled while they run. A loop over a partition's rows runs once or a few times per
// partition, so V8 compiles it while it runs (on-stack replacement). Code after the loop in the
// same function, not yet run then, had no type feedback, so the compiled loop was thrown away at
// its end — in every call — and the rest ran uncompiled until the next loop was compiled in turn
// (at 1M some 70 times a run; bench/README.md, twentieth session). So each such loop is alone in
// a function of its own, here and in read.ts and ingest/bytes.ts: groupRows' three, below, and
// the loop over the clients (eachClient).

/** start[i] becomes the sum of start[0..i]. */
function runningTotals(start: Int32Array): void {
  for (let c = 1; c < start.length; c++) start[c]! += start[c - 1]!;
}

/** Rows used per client rank, into start[rank + 1]. */
function countRows(start: Int32Array, used: Uint8Array, col: Int32Array, rank: Int32Array, length: number): void {
  for (let r = 0; r < length; r++) if (used[r] === 1) start[rank[col[r]!]! + 1]!++;
}

/** Each used row into its client's run of `rows` (next: where each client's next row goes). */
function placeRows(rows: Int32Array, next: Int32Array, used: Uint8Array, col: Int32Array, rank: Int32Array, length: number): void {
  for (let r = 0; r < length; r++) if (used[r] === 1) rows[next[rank[col[r]!]!]!++] = r;
}

/** What takes a partition's clients one at a time ({@link eachClient}): a class, whose method V8 compiles once per thread. */
export interface ClientVisitor {
  add(records: ClientRecords): void;
}

/**
 * Hands each client to `visitor.add`. The loop over a partition's clients runs once per partition
 * and is compiled while it runs, again for each partition (see above): alone in its function, with
 * the client's work in a method, it is these few lines, not all of that work.
 * @example eachClient(partitionClients(checked), run)
 */
export function eachClient(clients: Iterable<ClientRecords>, visitor: ClientVisitor): void {
  for (const records of clients) visitor.add(records);
}

/** Options of {@link partitionClients}. */
export interface PartitionClientsOptions {
  /**
   * Make each client's drug tests into records only when `drug_tests` is first read (a getter on
   * the client's records; the same list at every read). Only abstinence's confirmation reads them,
   * for a review that shows no use: at national scale about one client in five, while tests are two
   * rows in five (1M: about 0.975× the wall time in pairs, bench/README.md). For records that go straight to the rules;
   * without it (the default) plain objects, to keep, copy or post to another thread.
   */
  testsOnFirstRead?: boolean;
}

/**
 * The clients of a checked partition in client_id order (code point, R-JNY-5), each with its usable
 * records as the field parsers would have made them (with `row`, and `part` for folders of parts),
 * in read order. Clients with usable rows of any kind are included.
 * @example for (const records of partitionClients(checked)) evaluateClient(records, scheme, options)
 */
export function* partitionClients(p: CheckedPartition, onCount?: (clients: number) => void, options: PartitionClientsOptions = {}): Generator<ClientRecords> {
  const { reader, used, names } = p;
  const values = reader.vocab.clients.values;
  // Clients with a usable row, sorted by id.
  const seen = new Uint8Array(values.length);
  for (const f of INPUT_FILES) {
    const t = reader.tables[f];
    const u = used[f];
    if (t && u) markIds(t.cols[f === 'episodes' ? 1 : 0] as Int32Array, t.length, seen, u);
  }
  const { order, rank } = clientOrder(seen, values);
  const n = order.length;
  onCount?.(n);
  const t = reader.tables;
  const grouped = new GroupedRecords(t, INPUT_FILES.map((f) => groupRows(t[f], used[f], f === 'episodes' ? 1 : 0, rank, n)), names);
  for (let c = 0; c < n; c++) {
    const clientRows = grouped.recordsOf<Client>(5, c);
    const client_id = values[order[c]!]!;
    const episodes = grouped.recordsOf<Episode>(0, c);
    const reviews = grouped.recordsOf<Review>(1, c);
    const offences = grouped.recordsOf<Offence>(3, c);
    const employment = grouped.recordsOf<EmploymentSpell>(4, c);
    const client = clientRows[0];
    yield options.testsOnFirstRead
      ? new RecordsTestsOnRead(client_id, episodes, reviews, grouped, c, offences, employment, client)
      : { client_id, episodes, reviews, drug_tests: grouped.of(c), offences, employment, client };
  }
}

/**
 * The clients marked in `seen` (vocabulary indexes) sorted by id, and each one's place in that order
 * (`rank`, -1 for a client not seen). Typed arrays of the size counted rather than a list grown by a
 * push per client; a function of its own, so that the loops V8 compiles while they run (once per
 * partition) are these few lines, not the whole of {@link partitionClients}.
 */
function clientOrder(seen: Uint8Array, values: readonly string[]): { order: Int32Array; rank: Int32Array } {
  const order = seenClients(seen);
  // Clients are numbered as first met, which for files in client order (national extracts) is
  // already id order: then the sort, some 17 comparisons a client (a typed array's sort does as
  // many on sorted input), is left out. The ids are distinct, so the order is the same either way.
  if (!inOrder(order, values)) order.sort((a, b) => compareCodePoint(values[a]!, values[b]!));
  return { order, rank: ranksOf(order, values.length) };
}

// clientOrder's loops, each alone in its function (see groupRows).

/** The clients marked in `seen`, in vocabulary order. */
function seenClients(seen: Uint8Array): Int32Array {
  const order = new Int32Array(countByte(seen, 1));
  for (let c = 0, i = 0; c < seen.length; c++) if (seen[c] === 1) order[i++] = c;
  return order;
}

/** Each client's place in `order` (-1 for a client not in it). */
function ranksOf(order: Int32Array, clients: number): Int32Array {
  const rank = new Int32Array(clients).fill(-1);
  for (let i = 0; i < order.length; i++) rank[order[i]!] = i;
  return rank;
}

/** Whether the clients of `order` are in id order (code point order). */
function inOrder(order: Int32Array, values: readonly string[]): boolean {
  for (let i = 1; i < order.length; i++) if (compareCodePoint(values[order[i - 1]!]!, values[order[i]!]!) > 0) return false;
  return true;
}

// checkPartition's loop, alone in its function (see groupRows).

/**
 * Each episode id's kept row (keptRow) and, of its rows not kept, the first position
 * (firstDropped); the kept rows that are this partition's own (ownUsed).
 */
function placeEpisodes(
  ids: Int32Array,
  pos: Float64Array,
  length: number,
  kept: Uint8Array,
  own: Uint8Array,
  keptRow: Int32Array,
  firstDropped: Float64Array,
  ownUsed: Uint8Array,
): void {
  for (let r = 0; r < length; r++) {
    const id = ids[r]!;
    if (kept[r] === 1) {
      keptRow[id] = r;
      if (own[r] === 1) ownUsed[r] = 1;
    } else if (Number.isNaN(firstDropped[id]!) || pos[r]! < firstDropped[id]!) firstDropped[id] = pos[r]!;
  }
}

/** The drug tests of a partition's client by rank, made on asking. */
interface TestsOf {
  of(c: number): Located<DrugTest>[];
}

/**
 * A partition's usable rows grouped by client rank, made into records on asking. A class, whose
 * methods V8 compiles once per thread (closures made for each partition were compiled into the
 * loop that calls them and thrown away with the partition; bench/README.md, seventeenth session).
 */
class GroupedRecords implements TestsOf {
  constructor(
    private readonly tables: CheckedPartition['reader']['tables'],
    private readonly groups: readonly Grouped[],
    private readonly names: PartNames,
  ) {}

  /** The records of kind `kind` of the client ranked `c`, in read order (none when the kind is absent). */
  recordsOf<T>(kind: number, c: number): Located<T>[] {
    const table = this.tables[INPUT_FILES[kind]!];
    if (!table) return [];
    const grouped = this.groups[kind]!;
    const inFolder = this.names.folder[kind];
    const from = grouped.start[c]!;
    // Made at its length: a list grown by push from empty takes room for 17 records at once.
    const out: Located<T>[] = new Array(grouped.start[c + 1]! - from);
    for (let i = 0; i < out.length; i++) {
      const r = grouped.rows[from + i]!;
      const pos = table.pos[r]!;
      out[i] = table.record(r, rowOf(pos), inFolder ? this.names.parts[kind]![partOf(pos)] : undefined) as unknown as Located<T>;
    }
    return out;
  }

  of(c: number): Located<DrugTest>[] {
    return this.recordsOf<DrugTest>(2, c);
  }
}

/** A client's records whose drug tests are made when first read ({@link PartitionClientsOptions.testsOnFirstRead}). */
class RecordsTestsOnRead implements ClientRecords {
  #tests: Located<DrugTest>[] | undefined = undefined;
  readonly #from: TestsOf;
  readonly #rank: number;
  constructor(
    readonly client_id: string,
    readonly episodes: Located<Episode>[],
    readonly reviews: Located<Review>[],
    from: TestsOf,
    rank: number,
    readonly offences: Located<Offence>[],
    readonly employment: Located<EmploymentSpell>[],
    readonly client: Located<Client> | undefined,
  ) {
    this.#from = from;
    this.#rank = rank;
  }

  get drug_tests(): Located<DrugTest>[] {
    return (this.#tests ??= this.#from.of(this.#rank));
  }
}

// One client's records of this kind (of no client) kept for the thread's life, so that V8 keeps
// their shape (src/shapes.ts).
keepShape(RecordsTestsOnRead, 0, new RecordsTestsOnRead('', [], [], { of: () => [] }, 0, [], [], undefined));
