/**
 * Reading one partition's rows (the first step of the pipeline): every part of every input kind is
 * read in full — CSV or NDJSON bytes, or rows of values given in memory — and each row is either
 * used (parsed into the partition's columns, src/ingest/table.ts) or rejected with its reason
 * (R-VAL-1, the row rules of R-VAL-2), or left to the partition that owns it.
 *
 * Partitions are by client: a row belongs to the partition of its client_id (a row whose client_id
 * cannot be read belongs to partition 0, which rejects it; a CSV row that cannot be split into its
 * fields, to the partition its client_id cell's bytes route to when they are plainly an id, else
 * to partition 0). A partition passes over the CSV rows of other partitions by the bytes of their
 * client_id cell, without parsing them (for kinds other than episodes, without even splitting the
 * rest of the line when it holds no quote and no `\r`). Episodes need more,
 * because the checks that look across clients (an episode_id given to two clients, a review of
 * another client's episode, a review of a rejected episode) need other clients' episode rows: of an
 * episode row passed over, the partition keeps the bytes of its episode_id; when, after reading, one
 * of its own episodes or reviews has such an id, those rows are read after all in a second pass
 * ({@link PartitionReader.foreignPass}) and parsed as every partition once parsed every episode
 * row. Each partition still rejects only its own rows. So a partition's answers do not depend on how
 * clients were split, and one partition is the whole run (the in-memory library call). A part in
 * client order may instead be read in slices (src/node/slices.ts): a partition is then handed only
 * its own rows of it, and {@link SliceMismatch} says when one is not.
 * Browser-safe: bytes come from a file, a `File` in the page, or memory.
 * @module
 */
import { INPUT_FILES, type InputFile } from '../schema/codes.js';
import { isPad, isPlainIdBytes, text } from '../schema/fields.js';
import type { FieldProblem, FieldSpec } from '../schema/records.js';
import { RECORD_FIELDS } from '../schema/records.js';
import { checkHeader } from '../validate/header.js';
import { CsvTokenizer, cellText, isBlankRecord, type CsvRecord } from '../ingest/csv.js';
import { NdjsonLines, type NdjsonRow } from '../ingest/ndjson.js';
import { shownValue } from '../ingest/problems.js';
import { RecordTable, type PlainRowReader, vocabularies, type Vocabularies } from '../ingest/table.js';
import { ByteIntern, compareBytes, grow } from '../ingest/intern.js';
import { KIND_INDEX, exitCodeCheck, positionOf } from './positions.js';
import type { PlacedRejection } from './rejections.js';

/** How rows are shared out: the number of partitions and the partition of a client id. */
export interface Router {
  partitions: number;
  /** The partition (0 … partitions − 1) of a parsed client_id. */
  partitionOf(clientId: string): number;
  /**
   * The partition of the client_id whose trimmed UTF-8 bytes are [from, to): the same answer as
   * `partitionOf` on the id they spell (UTF-8 byte order is code point order). Lets a partition
   * pass over another partition's rows without making or looking up their ids.
   */
  partitionOfBytes?(bytes: Uint8Array, from: number, to: number): number;
}

/** One partition for everything. */
export const ONE_PARTITION: Router = { partitions: 1, partitionOf: () => 0 };

/**
 * Partitions by ranges of client ids in code point order (R-JNY-5): `bounds` are the first ids of
 * partitions 1, 2, …; partition k holds ids from bounds[k−1] (inclusive) to bounds[k]. Contiguous
 * ranges let the partitions' outputs, each in client_id order, be joined end to end.
 * @example rangeRouter(['C5']).partitionOf('C1') // 0
 */
export function rangeRouter(bounds: readonly string[]): Router {
  const enc = new TextEncoder();
  const byteBounds = bounds.map((b) => enc.encode(b));
  const partitionOf = (id: string) => {
    let k = 0;
    while (k < bounds.length && !codePointLess(id, bounds[k]!)) k++;
    return k;
  };
  // A bound with half a UTF-16 pair has no UTF-8 bytes of its own (it would be read as U+FFFD):
  // such bounds route by the id alone.
  if (bounds.some((b) => LONE_SURROGATE.test(b))) return { partitions: bounds.length + 1, partitionOf };
  return {
    partitions: bounds.length + 1,
    partitionOf,
    partitionOfBytes(bytes, from, to) {
      let k = 0;
      while (k < byteBounds.length && compareBytes(bytes, from, to, byteBounds[k]!, 0, byteBounds[k]!.length) >= 0) k++;
      return k;
    },
  };
}

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** a < b in code point order (UTF-16 order differs only around surrogates). */
function codePointLess(a: string, b: string): boolean {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.codePointAt(i)!;
    const y = b.codePointAt(i)!;
    if (x !== y) return x < y;
    if (x > 0xffff) i++;
  }
  return a.length < b.length;
}

/** The message of {@link SliceMismatch} (the same across a worker thread's boundary). */
export const SLICE_MISMATCH = 'internal: a slice of a part holds a row of another partition';

/** {@link PartitionReader}'s owner of a row whose client_id cell is not plainly an id. */
const NOT_ROUTED = -1;

/**
 * A partition reading a slice of a part (src/node/slices.ts) met a row of another partition, or a
 * CSV syntax error (a slice may start or end inside a quoted cell of many lines), or the rows before
 * its slice could not be counted by line breaks: the part is not in client order after all, or not
 * simply so, and the run reads every part whole instead.
 */
export class SliceMismatch extends Error {
  constructor() {
    super(SLICE_MISMATCH);
    this.name = 'SliceMismatch';
  }
}

/** What reading one part learned, besides its rows. */
export interface PartRead {
  kind: number;
  part: number;
  /** Rows of this partition read (blank lines are not rows). */
  read: number;
  /** Of a CSV part: the rows (records) the tokenizer went through, the header included. */
  rows?: number;
  /** NDJSON keys that are not fields (ignored, never copied to outputs). */
  unknownKeys: string[];
}

/** Options of a {@link PartitionReader}. */
export interface ReaderOptions {
  /** This partition's number, and how clients are shared out. */
  partition?: number;
  router?: Router;
  /** The scheme's own exit reason codes (SPEC §2.1), accepted besides the standard ones. */
  exitReasonMap?: Readonly<Record<string, string>>;
  /** Longest CSV record or NDJSON line, in characters. */
  maxRecordChars?: number;
  /** How the CSV tokenizer makes its work buffer (CsvTokenizerOptions.allocBytes: Node's Buffer). */
  allocBytes?: (n: number) => Uint8Array;
  /** Only this client's rows are kept (explain): every row is still read and checked. */
  onlyClient?: string;
  /**
   * Records are made, and a CSV part's cells read, by functions written out from the field table
   * (RecordTable's `compile`): Node's partitions ask for it; the page cannot (its
   * Content-Security-Policy forbids making code).
   */
  compileRecords?: boolean;
}

/** A part being read: push its bytes, then end it. */
export interface PartSink {
  push(bytes: Uint8Array): void;
  /**
   * Of a slice (see {@link PartitionReader.csv}), after its header: the next bytes pushed are the
   * slice, which starts after `rowsBefore` rows (the header included).
   */
  resume(rowsBefore: number): void;
  /**
   * Of a slice, after its first bytes: `read` bytes of it have been pushed and `toCome` more will
   * be. The columns are made large enough at once for the rows that many bytes should hold (see
   * {@link RecordTable.reserve}). Only a hint: any number of rows may still come.
   */
  expect?(read: number, toCome: number): void;
  /**
   * Reads the next piece straight into the reader's buffer, where it can (CsvTokenizer.fill): the
   * bytes read, or -1 when they must be pushed instead.
   */
  fill?(read: (into: Uint8Array, at: number) => number, max: number, seen: (bytes: Uint8Array) => void): number;
  end(): PartRead;
}

/**
 * The rows of one partition: read part by part, kept as columns, with every rejected row of the
 * partition. The checks across rows come next (src/pipeline/checks.ts).
 * @example
 * const reader = new PartitionReader({});
 * const sink = reader.csv(0, 0); sink.push(bytes); sink.end();
 */
export class PartitionReader {
  readonly vocab: Vocabularies = vocabularies();
  /** Tables of the kinds present. */
  readonly tables: Partial<{ [F in InputFile]: RecordTable<F> }> = {};
  /** Rejected rows of this partition, in read order within each part. */
  readonly rejections: PlacedRejection[] = [];
  /** Rows read per kind (this partition's), SPEC order. */
  readonly read: number[] = INPUT_FILES.map(() => 0);
  /**
   * Rows with bytes that are not UTF-8, per kind, of the rows this partition rejects (summed over
   * partitions: the file's): each kind's table keeps the count, of CSV rows and NDJSON lines alike.
   */
  get notUtf8(): number[] {
    return INPUT_FILES.map((f) => this.tables[f]?.notUtf8 ?? 0);
  }
  /**
   * Episode rows of other partitions passed over by their bytes: their episode_id (trimmed, a
   * plainly usable id). Undefined until one is passed over.
   */
  private foreignIds: ByteIntern | undefined;
  /** The episode ids among {@link foreignIds} that this partition's rows name (read in the second pass). */
  private wanted: ByteIntern | undefined;
  /** For every episode row kept in the table: 1 when it is this partition's. */
  episodeOwn = new Uint8Array(1024);
  /** Episode ids (as written, trimmed) of episode rows rejected by their row rules: the first position. */
  readonly rejectedEpisodeIds = new Map<string, number>();
  /** Episode ids of rows that parsed but have an exit code the scheme does not know: the first position. */
  readonly unknownExitEpisodeIds = new Map<string, number>();
  private readonly partition: number;
  private readonly router: Router;
  private routeOf = new Int32Array(1024).fill(-1);
  private readonly exit: ReturnType<typeof exitCodeCheck>;
  private readonly maxRecordChars: number | undefined;
  private readonly allocBytes: ((n: number) => Uint8Array) | undefined;
  private readonly onlyClient: string | undefined;
  private readonly compileRecords: boolean;

  constructor(options: ReaderOptions) {
    this.compileRecords = options.compileRecords ?? false;
    this.partition = options.partition ?? 0;
    this.router = options.router ?? ONE_PARTITION;
    this.exit = exitCodeCheck(options.exitReasonMap);
    this.maxRecordChars = options.maxRecordChars;
    this.allocBytes = options.allocBytes;
    this.onlyClient = options.onlyClient;
    this.othersBytes = othersOf(this.router.partitionOfBytes, this.partition);
  }

  /**
   * Whether no episode id this partition names (of its episode rows and its reviews) can be on
   * another partition's episode row, told by `repeated` (the ids on more than one row of the
   * episode parts): each is an id of one of its own episode rows, and on no other row. Then the
   * pass over the other partitions' episode rows would read none of them. Asked after its slices
   * are read, before that pass.
   */
  namesOnlyItsOwnEpisodes(repeated: (bytes: Uint8Array, from: number, to: number) => boolean): boolean {
    const ids = this.vocab.episodes;
    const own = new Uint8Array(ids.size);
    const table = this.tables.episodes;
    if (table) markIds(table.cols[table.fields.findIndex((f) => f.name === 'episode_id')] as Int32Array, table.length, own);
    return allOwnUnrepeated(ids.values, own, repeated);
  }

  /** The table of a kind (made on first use: a kind read, even with no row, is present). */
  table<F extends InputFile>(file: F): RecordTable<F> {
    let t = this.tables[file] as RecordTable<F> | undefined;
    if (!t) {
      t = new RecordTable(file, this.vocab, { compile: this.compileRecords });
      (this.tables as Record<string, RecordTable>)[file] = t;
    }
    return t;
  }

  /** Whether the client with vocabulary index `c` is this partition's. */
  private mine(c: number): boolean {
    if (c >= this.routeOf.length) {
      const n = Math.max(c + 1, this.routeOf.length * 2);
      const r = new Int32Array(n).fill(-1);
      r.set(this.routeOf);
      this.routeOf = r;
    }
    let p = this.routeOf[c]!;
    if (p < 0) {
      const id = this.vocab.clients.values[c]!;
      p = this.onlyClient !== undefined ? (id === this.onlyClient ? this.partition : -2) : this.router.partitionOf(id);
      this.routeOf[c] = p;
    }
    return p === this.partition;
  }

  private reject(kind: number, pos: number, problem: FieldProblem, client?: string): void {
    this.rejections.push({ kind, pos, field: problem.field, value: shownValue(problem.value), code: problem.code, reason: problem.reason, client });
  }

  /**
   * Whose a row is, from its client (vocabulary index, or -1 when its client_id cannot be read, or
   * for an NDJSON line unusable before its fields are read): this partition's or not, reading a
   * part whole. (A CSV row unusable before its fields are read goes by {@link unsplitOwner}; of a
   * part read in slices, a row whose client cannot be read is the slice's partition's.)
   */
  private owns(client: number): boolean {
    if (client >= 0) return this.mine(client);
    return this.ownsUnrouted(false, false);
  }

  /**
   * Whether a row whose client cannot be routed (its client_id cannot be read, or, refused before
   * its fields are read, its client_id bytes are not plainly an id) is this partition's to reject:
   * reading a part whole, the first partition's; of a part read in slices, the partition's whose
   * slice holds it (rows are in client order, so such a row can be anywhere), never the one reading
   * other partitions' episode rows (`others`). Either way, exactly one partition rejects it.
   */
  private ownsUnrouted(sliced: boolean, others: boolean): boolean {
    if (sliced || others) return sliced;
    return this.partition === 0 && this.onlyClient === undefined;
  }

  /**
   * Whether a row is surely another partition's, known from the bytes of its
   * client_id cell (cell `k`) alone: most rows of a run on many partitions are another's, and this
   * spares making or looking up their ids. A row whose client_id is not a usable id is partition
   * 0's, so partition 0 passes over a row only when its id is plainly usable
   * ({@link isPlainIdBytes}); any doubt (a quoted cell, a pick) reads the row as usual.
   */
  private elsewhere(r: CsvRecord, k: number): boolean {
    const others = this.othersBytes;
    if (others === undefined || this.onlyClient !== undefined || k < 0 || r.escaped[k] === 1) return false;
    return others(r.bytes, r.start[k]!, r.end[k]!);
  }

  /**
   * {@link elsewhere} on the bytes [s, e) of a client_id cell (not quoted with escapes); undefined
   * when rows cannot be routed by bytes. A closure over the router and partition: it runs for
   * nearly every row (here and in the tokenizer's pass-over).
   */
  private readonly othersBytes: ((b: Uint8Array, s: number, e: number) => boolean) | undefined;

  // With `onlyClient`: the episode ids of the client's episodes (a review of one of them is the
  // client's to explain whatever its client_id). Episodes are read before reviews.
  private clientEpisodes: Set<number> | undefined;
  private isClientEpisode(episode: number): boolean {
    if (this.onlyClient === undefined || episode < 0) return false;
    if (!this.clientEpisodes) {
      this.clientEpisodes = new Set();
      const t = this.tables.episodes;
      const c = this.vocab.clients.find(this.onlyClient);
      if (t && c >= 0) for (let r = 0; r < t.length; r++) if ((t.cols[1] as Int32Array)[r] === c) this.clientEpisodes.add((t.cols[0] as Int32Array)[r]!);
    }
    return this.clientEpisodes.has(episode);
  }

  /**
   * When reading for one client (a pick), the owner of a row refused before its fields were read
   * (wrong width, bytes that are not UTF-8): the picked client when its client_id cell (or, for a
   * review, its episode) is the picked client's as far as it can be read, so that explain lists
   * every rejected row of the client that rejections.csv gives it; else -1. Without a pick, -1
   * (an NDJSON line: the first partition's; a CSV row goes by {@link unsplitOwner}).
   */
  private pickedOf(kind: number, clientCell: string | undefined, episodeCell: string | undefined): number {
    if (this.onlyClient === undefined) return -1;
    if (clientCell !== undefined && text(clientCell) === this.onlyClient) return this.vocab.clients.indexOf(this.onlyClient);
    if (kind === 1 && episodeCell !== undefined) {
      const e = this.vocab.episodes.find(text(episodeCell) ?? '');
      if (this.isClientEpisode(e)) return this.vocab.clients.indexOf(this.onlyClient);
    }
    return -1;
  }

  /**
   * A row of `kind` refused by its row rules (`problem`), of client `client` (-1: unknown): the
   * partition that owns it rejects it. Every partition notes a refused episode row's id (the
   * review checks need it).
   */
  private refused(kind: number, pos: number, problem: FieldProblem, client: number, episodeId: () => string | undefined, owned = this.owns(client)): void {
    if (kind === 0) {
      const id = episodeId();
      if (id !== undefined) noteFirst(this.rejectedEpisodeIds, id, pos);
    }
    if (!owned) return;
    this.read[kind]!++;
    this.reject(kind, pos, problem, client >= 0 ? this.vocab.clients.values[client] : undefined);
  }

  /**
   * A row just added to its table (the last row): an episode's exit code is checked against the
   * scheme (R-VAL-2) and its partition noted (a partition keeps other clients' episode rows it
   * could not pass over by bytes, or read in the second pass); a row of
   * another kind is always this partition's (rows of other partitions are not parsed).
   */
  private added(kind: number, table: RecordTable, pos: number): void {
    if (kind !== 0) {
      this.read[kind]!++;
      return;
    }
    const last = table.length - 1;
    const c = table.cols[1]![last]!;
    const own = this.mine(c);
    const code = table.value(EXIT_REASON, last) as string | undefined;
    if (code !== undefined && !this.exit.known(code)) {
      // An exit code the scheme does not know: the row takes no part in duplicate checks.
      const id = table.value(0, last) as string;
      noteFirst(this.unknownExitEpisodeIds, id, pos);
      table.length--;
      if (own) {
        this.read[kind]!++;
        this.reject(kind, pos, { field: 'exit_reason', value: code, code: 'unknown_code', reason: this.exit.reason }, this.vocab.clients.values[c]);
      }
      return;
    }
    if (last >= this.episodeOwn.length) this.episodeOwn = grow(this.episodeOwn, this.episodeOwn.length * 2);
    this.episodeOwn[last] = own ? 1 : 0;
    if (own) this.read[kind]!++;
  }

  /**
   * Starts reading a CSV part of `kind`: its first record is the header (already checked, R-VAL-3).
   * A row whose number of cells differs from the header's, or that holds bytes that are not UTF-8,
   * is rejected by the partition of its client_id cell's bytes, or partition 0's when those bytes
   * are not plainly an id ({@link unsplitOwner}; of a part read in slices, the partition whose slice
   * holds it, as for any row whose client_id cannot be read); any other row is its client's partition's (other
   * partitions pass over it by the bytes of its client_id, noting an episode's episode_id for the
   * second pass).
   *
   * `sliced`: what is pushed is the part's header, then (after `resume`) the bytes of this
   * partition's slice (src/node/slices.ts), whose every row must be this partition's (or have a
   * client_id that cannot be read: this partition rejects it) — a row of another throws
   * {@link SliceMismatch}. The other partitions' rows of a sliced episode part are
   * read afterwards by {@link otherEpisodes}.
   */
  csv(kind: number, part: number, sliced = false): PartSink {
    return this.csvPass(kind, part, sliced ? 'slice' : 'first');
  }

  /**
   * After every part is read: the other partitions' rows of an episode part this partition read
   * only its slice of (the header, then the bytes before the slice, then — after `resume` — the
   * bytes after it). The checks across clients (R-VAL-2) need, of those rows, only the ones whose
   * episode_id this partition's rows name (its episodes, its reviews' episodes): such a row is read
   * as a whole reading reads another partition's episode row (a refused row's id noted, a usable
   * one kept for the checks); any other is passed over from the bytes of its episode_id, which a
   * whole reading would have merely noted. So no second pass is needed for such a part.
   * @example const sink = reader.otherEpisodes(0); sink.push(header); sink.push(before); sink.resume(rowsThroughSlice); sink.push(after); sink.end();
   */
  otherEpisodes(part: number): PartSink {
    return this.csvPass(0, part, 'others');
  }

  /**
   * After every part is read ({@link csv}): whether some episode rows passed over (of other
   * partitions) have an episode_id this partition's episodes or reviews also have. Those rows are
   * then read in a second pass over the episode CSV parts ({@link foreignPass}), since the checks
   * across clients need them. Rare: an episode_id given to two clients, or a review of another
   * client's episode.
   * @example if (reader.wantsForeignPass()) for (const p of episodeParts) feed(reader.foreignPass(p.part), p)
   */
  wantsForeignPass(): boolean {
    const foreign = this.foreignIds;
    if (!foreign) return false;
    const ids = this.vocab.episodes;
    const wanted = new ByteIntern(64);
    // Each episode id once, however many rows name it.
    const seen = new Uint8Array(ids.size);
    const want = (col: Int32Array, length: number) => {
      for (let r = 0; r < length; r++) {
        const e = col[r]!;
        if (e < 0 || seen[e] === 1) continue;
        seen[e] = 1;
        const b = ids.bytesOf(e);
        if (foreign.find(b, 0, b.length) >= 0) wanted.indexOf(b, 0, b.length);
      }
    };
    const episodes = this.tables.episodes;
    if (episodes) want(episodes.cols[0] as Int32Array, episodes.length);
    const reviews = this.tables.reviews;
    if (reviews) want(reviews.cols[1] as Int32Array, reviews.length);
    // The second pass needs only the wanted ids.
    this.foreignIds = undefined;
    this.wanted = wanted.size > 0 ? wanted : undefined;
    return this.wanted !== undefined;
  }

  /**
   * The second pass over an episode CSV part (after {@link wantsForeignPass} said yes): the rows
   * passed over in the first pass whose episode_id is wanted are parsed as in the first pass; every
   * other row was dealt with then and is passed over now.
   */
  foreignPass(part: number): PartSink {
    return this.csvPass(0, part, 'second');
  }

  /**
   * Reads a CSV part: `first` (whole), `second` (the second pass over an episode part), `slice`
   * (this partition's slice), `others` (the other partitions' rows of a sliced episode part).
   */
  private csvPass(kind: number, part: number, mode: 'first' | 'second' | 'slice' | 'others'): PartSink {
    const table = this.table(INPUT_FILES[kind]!);
    const p = new CsvPass(kind, mode, table, positionOf(part, 0));
    // A closure of one line: the row's work is in csvRecord, one method for every pass, which V8
    // compiles once per thread. When that work was the body of a closure made here for each part,
    // V8 compiled it again for every partition (bench/README.md, eighteenth session).
    const tok = new CsvTokenizer((r) => this.csvRecord(p, tok, r), { maxRecordChars: this.maxRecordChars, allocBytes: this.allocBytes });
    const lengthBefore = table.length;
    return {
      push: (bytes) => tok.push(bytes),
      fill: (read, max, seen) => tok.fill(read, max, seen),
      resume: (rowsBefore) => tok.resumeAt(rowsBefore),
      expect: (read, toCome) => {
        const rows = table.length - lengthBefore;
        // A tenth more than the rows per byte so far say, so that the estimate is seldom short.
        if (rows > 0 && read > 0) table.reserve(Math.ceil(table.length + ((rows * toCome) / read) * 1.1));
      },
      end: () => {
        tok.end();
        table.reserved();
        if (p.header) throw new Error('internal error: a CSV part without a header reached the reader');
        return { kind, part, read: this.read[kind]!, rows: tok.rows, unknownKeys: [] };
      },
    };
  }

  /** The header of a CSV pass (its first record): the columns, then how the rows are read. */
  private csvHeader(p: CsvPass, tok: CsvTokenizer, r: CsvRecord): void {
    const file = INPUT_FILES[p.kind]!;
    const fields = RECORD_FIELDS[file] as readonly FieldSpec[];
    p.header = false;
    const columns: string[] = [];
    for (let i = 0; i < r.cells; i++) columns.push(cellText(r, i).trim());
    p.width = columns.length;
    const mapped = checkHeader(file, columns).fields;
    p.at = fields.map((f) => mapped.indexOf(f.name));
    p.readCells = p.table.cellReader(p.at, p.clientField);
    p.kept = p.at.filter((k) => k >= 0).sort((a, b) => a - b);
    // Rows that are surely this partition's (a slice's; any row when there is one partition) and
    // plain are read straight from the bytes (plainRow); any other row as below. Not with a single
    // column, where a blank line would be a row of one blank cell (csvRecord passes over it).
    if (p.width > 1 && (p.sliced || (p.first && this.router.partitions === 1 && this.onlyClient === undefined))) {
      const read = p.at[p.clientField]! >= 0 ? p.table.plainRowReader(p.at, p.width) : undefined;
      if (read) tok.plainRow = (b, start, len, row, maxBytes) => this.plainRow(p, read, b, start, len, row, maxBytes);
    }
    // A slice's rows are all this partition's: none to pass over. Of other partitions' rows of an
    // episode part, those whose episode_id none of this partition's rows name.
    if (p.others) {
      tok.passCell = p.at[0]!;
      tok.passOver = (b, s, e) => this.unnamedEpisode(b, s, e);
      return;
    }
    const passOver = p.kind === 0 || p.sliced ? undefined : this.passOverOthers();
    if (passOver) {
      tok.passCell = p.at[p.clientField]!;
      tok.passOver = passOver;
    }
  }

  /**
   * A plain row of a pass whose rows are this partition's, read whole from the bytes (see
   * CsvTokenizer.plainRow): its cells, its client (which must be this partition's), its ids and its
   * check, then counted as {@link csvRecord} counts a row it adds. -1 at the first doubt, having
   * changed nothing csvRecord would not change in the same order: it then reads the row.
   */
  private plainRow(p: CsvPass, read: PlainRowReader, b: Uint8Array, start: number, len: number, row: number, maxBytes: number): number {
    const table = p.table;
    const lf = table.readPlain(read, b, start, len);
    if (lf < 0 || lf - start > maxBytes) return -1;
    const client = table.clientOfPlain(b, p.clientField);
    if (client < 0 || !this.owns(client)) return -1;
    const pos = p.base + row;
    if (!table.commitPlain(b, p.clientField, client, pos)) return -1;
    this.added(p.kind, table, pos);
    return lf;
  }

  /** One record of a CSV pass: the header, then each row used, rejected, or left to its partition. */
  private csvRecord(p: CsvPass, tok: CsvTokenizer, r: CsvRecord): void {
    if (p.header) return this.csvHeader(p, tok, r);
    if (isBlankRecord(r)) return;
    const { kind, table, at, clientField, sliced, others } = p;
    // The tokenizer hands out such a row when the rest of its line holds a quote or a `\r`.
    if (others && trimmedCell(r, at[0]!) && this.unnamedEpisode(r.bytes, SPAN[0]!, SPAN[1]!)) return;
    const pos = p.base + r.row;
    const { problem: early, bytes } = table.recordProblem(r, at, p.width, p.kept);
    if (p.second) {
      // Counted, and refused, in the first pass; so was every row that is this partition's.
      if (early || !this.elsewhere(r, at[clientField]!) || !this.passedOver(r, at[0]!, this.wanted)) return;
    } else {
      if (early) {
        const picked = this.pickedOf(kind, cellAt(r, at[clientField]!), kind === 1 ? cellAt(r, at[1]!) : undefined);
        const owner = this.onlyClient !== undefined ? undefined : this.unsplitOwner(r, at[clientField]!);
        const owned = owner === undefined ? this.owns(picked) : owner === NOT_ROUTED ? this.ownsUnrouted(sliced, others) : owner === this.partition;
        if (owner !== NOT_ROUTED && (owned ? others : sliced)) throw new SliceMismatch();
        // Counted (as not UTF-8) by the partition that rejects it alone.
        if (owned && bytes) table.notUtf8++;
        this.refused(kind, pos, early, picked, kind === 0 ? episodeIdOf(r, at) : noId, owned);
        return;
      }
      if (p.first && this.elsewhere(r, at[clientField]!) && (kind !== 0 || this.passedOver(r, at[0]!, undefined))) return;
    }
    const client = table.clientOfCell(r, clientField, at[clientField]!);
    // Every row of a slice is this partition's; none of the others' rows is. A row whose client_id
    // cannot be read (it is then rejected) is the slice's partition's to reject.
    if (sliced || others) {
      if (client >= 0 && this.owns(client) !== sliced) throw new SliceMismatch();
    } else if (kind !== 0 && !this.owns(client) && !(kind === 1 && this.isClientEpisode(table.clientOfCell(r, 1, at[1]!)))) return;
    const problem = p.readCells(r, pos, client);
    if (problem) this.refused(kind, pos, problem, client, kind === 0 ? episodeIdOf(r, at) : noId, client >= 0 ? this.owns(client) : this.ownsUnrouted(sliced, others));
    else this.added(kind, table, pos);
  }

  /**
   * A test of a row's client_id cell bytes that says the row is another partition's (as
   * {@link elsewhere} does), so that the tokenizer need not split the rest of it. Such a row of a
   * kind other than episodes is nothing to this partition — not even when its cells are faulty: a
   * row refused before its fields are read is rejected (and counted, when its bytes are not UTF-8)
   * by the partition its client_id bytes route to when they are plainly an id, which splits it, or
   * else by the first partition, which never passes over such a row ({@link unsplitOwner}; parts read
   * in slices are not passed over: each partition reads only its slice). Episode
   * rows are always split (every partition notes the ids of rejected ones). Undefined when rows
   * cannot be routed by bytes, or when reading for one client.
   */
  private passOverOthers(): ((bytes: Uint8Array, start: number, end: number) => boolean) | undefined {
    if (this.router.partitions === 1 || this.onlyClient !== undefined) return undefined;
    // The tokenizer calls it on an unquoted cell only.
    return this.othersBytes;
  }

  /**
   * Whether the trimmed episode_id bytes [s, e) are plainly an id that no row of this partition
   * names (no episode, no review of it): another partition's episode row with such an id is
   * nothing to this partition's checks.
   */
  private unnamedEpisode(b: Uint8Array, s: number, e: number): boolean {
    if (!trimmedSpan(b, s, e) || !isPlainIdBytes(b, SPAN[0]!, SPAN[1]!)) return false;
    // Nearly all are not named: a filter of the ids' hashes says so without probing the table of
    // ids, each probe a likely cache miss (a miss there has no effect, so the answer is the same).
    const ids = this.vocab.episodes;
    return ids.surelyAbsentBytes(b, SPAN[0]!, SPAN[1]!) || ids.findBytes(b, SPAN[0]!, SPAN[1]!) < 0;
  }

  /**
   * The partition that rejects a row refused before its fields are read (the wrong number of cells,
   * bytes that are not UTF-8): the partition its client_id cell's bytes route to, when that cell is
   * there and plainly a usable id ({@link isPlainIdBytes}); otherwise {@link NOT_ROUTED}: the first
   * partition's, or, of a part read in slices, the partition's whose slice holds it. Every partition
   * works out the same owner from the same bytes, so exactly one rejects the row; and every other
   * partition may pass over the row without splitting it ({@link passOverOthers}).
   */
  private unsplitOwner(r: CsvRecord, k: number): number {
    const route = this.router.partitionOfBytes;
    if (route === undefined || k < 0 || k >= r.cells || !trimmedCell(r, k) || !isPlainIdBytes(r.bytes, SPAN[0]!, SPAN[1]!)) return NOT_ROUTED;
    return route(r.bytes, SPAN[0]!, SPAN[1]!);
  }

  /**
   * An episode row of another partition (known by {@link elsewhere}) whose episode_id cell (cell
   * `k`) is a plainly usable id: in the first pass (`wanted` undefined) its id is noted and the row
   * passed over; in the second, whether its id is wanted. A quoted or unusual id is never passed
   * over: the row is parsed in the first pass, as before.
   */
  private passedOver(r: CsvRecord, k: number, wanted: ByteIntern | undefined): boolean {
    if (!trimmedCell(r, k) || !isPlainIdBytes(r.bytes, SPAN[0]!, SPAN[1]!)) return false;
    if (wanted) return wanted.find(r.bytes, SPAN[0]!, SPAN[1]!) >= 0;
    (this.foreignIds ??= new ByteIntern(1024)).indexOf(r.bytes, SPAN[0]!, SPAN[1]!);
    return true;
  }

  /**
   * Starts reading an NDJSON part of `kind`. `onNewKeys` may refuse keys (the anonymisation guard,
   * R-VAL-3); keys that are not fields are listed in the result.
   */
  ndjson(kind: number, part: number, onNewKeys?: (keys: string[], line: number) => void): PartSink {
    const file = INPUT_FILES[kind]!;
    const known = new Set((RECORD_FIELDS[file] as readonly FieldSpec[]).map((f) => f.name));
    const unknown = new Set<string>();
    const lines = new NdjsonLines((row) => this.values(kind, part, row), {
      maxRecordChars: this.maxRecordChars,
      utf8Fields: [...known],
      onNewKeys: (keys, line) => {
        onNewKeys?.(keys, line);
        for (const k of keys) if (!known.has(k)) unknown.add(k);
      },
    });
    this.table(file);
    return {
      push: (bytes) => lines.push(bytes),
      resume: () => {
        throw new Error('internal error: an NDJSON part is never read in slices');
      },
      end: () => {
        lines.end();
        return { kind, part, read: this.read[kind]!, unknownKeys: [...unknown].sort() };
      },
    };
  }

  /**
   * Reads one row of values (an NDJSON line, or an object given in memory: row = its position, first = 1).
   */
  values(kind: number, part: number, row: NdjsonRow): void {
    const file = INPUT_FILES[kind]!;
    const table = this.table(file);
    const pos = positionOf(part, row.row);
    const episodeId = () => (kind === 0 ? text(row.values['episode_id']) : undefined);
    if (row.problem) {
      const raw = (v: unknown) => (typeof v === 'string' ? v : undefined);
      const picked = this.pickedOf(kind, raw(row.values['client_id']), kind === 1 ? raw(row.values['episode_id']) : undefined);
      // Every partition parses every NDJSON line: such a line is the first partition's (or a pick's).
      // Counted in the table, whose count a CSV part of the same kind also adds to.
      if (row.problem.code === 'not_utf8' && this.owns(picked)) table.notUtf8++;
      this.refused(kind, pos, row.problem, picked, episodeId);
      return;
    }
    const client = table.clientOfRaw(kind === 0 ? 1 : 0, row.values['client_id']);
    if (kind !== 0 && !this.owns(client) && !(kind === 1 && this.isClientEpisode(table.clientOfRaw(1, row.values['episode_id'])))) return;
    const problem = table.pushValues(row.values, pos);
    if (problem) this.refused(kind, pos, problem, client, episodeId);
    else this.added(kind, table, pos);
  }
}

const noId = () => undefined;

// namesOnlyItsOwnEpisodes' loops, each alone in its function (see src/pipeline/partition.ts, on
// loops compiled while they run).

/**
 * Marks (1) in `marks` the id of each of a column's first `length` rows (a blank, -1, is no id); of
 * the rows `used` marks only, when given.
 * @example markIds(table.cols[0] as Int32Array, table.length, seen, used)
 */
export function markIds(col: Int32Array, length: number, marks: Uint8Array, used?: Uint8Array): void {
  for (let r = 0; r < length; r++) {
    const k = col[r]!;
    if (k >= 0 && (used === undefined || used[r] === 1)) marks[k] = 1;
  }
}

/** Whether every id is marked in `own`, is plain ASCII, and is not among the repeated ones. */
function allOwnUnrepeated(values: readonly string[], own: Uint8Array, repeated: (bytes: Uint8Array, from: number, to: number) => boolean): boolean {
  let scratch = new Uint8Array(64);
  for (let k = 0; k < values.length; k++) {
    if (own[k] !== 1) return false;
    const s = values[k]!;
    if (s.length > scratch.length) scratch = new Uint8Array(s.length * 2);
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c > 0x7e) return false; // not as the episode files' bytes hold it: ask no further
      scratch[i] = c;
    }
    if (repeated(scratch, 0, s.length)) return false;
  }
  return true;
}

/** The episode_id of an episode row (read only when the row is refused). */
function episodeIdOf(r: CsvRecord, at: readonly number[]): () => string | undefined {
  return () => text(cellAt(r, at[0]!));
}

/** The text of cell `k` of a record, or undefined when the record has no such cell (or no such column, k < 0). */
function cellAt(r: CsvRecord, k: number): string | undefined {
  return k >= 0 && k < r.cells ? cellText(r, k) : undefined;
}

/** One pass over a CSV part ({@link PartitionReader.csvPass}): its mode and what its header said. */
class CsvPass {
  readonly first: boolean;
  readonly second: boolean;
  readonly sliced: boolean;
  readonly others: boolean;
  /** The field of the client id (episodes: field 1). */
  readonly clientField: number;
  /** Whether the next record is the header. */
  header = true;
  /** The cell of each field, in field order (-1: no such column). */
  at: number[] = [];
  /** The cells read, in header order. */
  kept: number[] = [];
  /** The header's number of cells. */
  width = 0;
  /** The layout's cell reader (set by the header). */
  readCells: ReturnType<RecordTable['cellReader']> = () => {
    throw new Error('internal error: a CSV row read before its header');
  };
  constructor(
    readonly kind: number,
    mode: 'first' | 'second' | 'slice' | 'others',
    readonly table: RecordTable,
    /** Position of the part's row 0. */
    readonly base: number,
  ) {
    this.first = mode === 'first';
    this.second = mode === 'second';
    this.sliced = mode === 'slice';
    this.others = mode === 'others';
    this.clientField = kind === 0 ? 1 : 0;
  }
}

/**
 * Notes the position of a row with `id`, keeping the first: the rows of the second pass over the
 * episodes come after later rows of the first, so they are not in position order.
 */
function noteFirst(map: Map<string, number>, id: string, pos: number): void {
  const at = map.get(id);
  if (at === undefined || pos < at) map.set(id, pos);
}

/** Where {@link trimmedCell} puts a cell's trimmed bytes: [start, end). */
const SPAN = new Int32Array(2);

/**
 * Whether cell `k` of a record has bytes to route by: not quoted with escapes, not blank once the
 * white space {@link text} trims is left off; its trimmed bytes are then SPAN[0] … SPAN[1].
 */
function trimmedCell(r: CsvRecord, k: number): boolean {
  if (k < 0 || r.escaped[k] === 1) return false;
  return trimmedSpan(r.bytes, r.start[k]!, r.end[k]!);
}

/** Whether the client_id bytes [s, e) are surely another partition's than `partition` (see PartitionReader.elsewhere). */
function othersOf(route: Router['partitionOfBytes'], partition: number): ((b: Uint8Array, s: number, e: number) => boolean) | undefined {
  if (route === undefined) return undefined;
  return (b, s, e) => {
    if (!trimmedSpan(b, s, e)) return false;
    if (route(b, SPAN[0]!, SPAN[1]!) === partition) return false;
    return partition !== 0 || isPlainIdBytes(b, SPAN[0]!, SPAN[1]!);
  };
}

/** Bytes [s, e) without the white space {@link text} trims, into SPAN; whether any are left. */
function trimmedSpan(b: Uint8Array, s: number, e: number): boolean {
  while (s < e && isPad(b[s]!)) s++;
  while (e > s && isPad(b[e - 1]!)) e--;
  SPAN[0] = s;
  SPAN[1] = e;
  return s < e;
}
/** Field index of exit_reason in the episodes table. */
const EXIT_REASON = (RECORD_FIELDS.episodes as readonly FieldSpec[]).findIndex((f) => f.name === 'exit_reason');

export { KIND_INDEX };
