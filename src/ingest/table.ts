/**
 * Records held as columns (issue #11): one typed array per field of an input file's field table
 * (src/schema/records.ts), plus where each row was read. A row goes in from the bytes of a CSV
 * record or from values (NDJSON, typed objects); a record object comes out only when a rule needs it
 * (one client at a time), so a million clients' sixteen million rows are a few hundred MB of arrays
 * rather than sixteen million objects.
 *
 * Parsing is the field table's: every field's own parser (`FieldSpec.parse`) decides what a cell
 * means. The bytes of a cell are only read directly in the three commonest cases, where the answer
 * is certain (a plain `YYYY-MM-DD` date, a whole number of one to three digits, an id that is
 * plainly one, {@link isPlainIdBytes}: its own value); any other cell is parsed by the field's
 * parser, once per distinct cell (memoised by its bytes), so the rules of SPEC §2 live in one
 * place. Browser-safe.
 * @module
 */
import { dayOfDate, isoOfDay, toDayNumber } from '../calendar/index.js';
import { maskOfSubstances, substancesOfMask, type InputFile, type Substance } from '../schema/codes.js';
import { Invalid, isPlainIdBytes, parseClientId, parseId } from '../schema/fields.js';
import { RECORD_FIELDS, fieldProblem, rowCheck, type FieldProblem, type FieldSpec, type FieldStorage, type Located, type RecordOf } from '../schema/records.js';
import { bytesText, cellText, type CsvRecord } from './csv.js';
import { ByteIntern, StringIntern, grow } from './intern.js';
import { notUtf8Problem, wrongWidthProblem } from './problems.js';
import { keepShape } from '../shapes.js';

/** "Not recorded" in an integer column (a date or a count). */
export const NA = -2147483648;

/** The id vocabularies shared by the tables of one data set: client ids, episode ids, other ids. */
export interface Vocabularies {
  clients: StringIntern;
  episodes: StringIntern;
  /** Provider, area, band and exit reason codes (few distinct values). */
  ids: StringIntern;
  /**
   * The parse of an id's bytes when they are not plainly an id (those go straight into the
   * vocabulary), one memo per id parser, shared by every file's field that uses it (client_id in
   * six files, episode_id in two): such an id is remembered once, not once per file. Keyed by
   * vocabulary, then parser.
   */
  idMemos: Map<StringIntern, Map<unknown, Memo>>;
}

/**
 * New, empty vocabularies.
 * @example const v = vocabularies(); v.clients.indexOf('C1') // 0
 */
export function vocabularies(): Vocabularies {
  return { clients: new StringIntern(), episodes: new StringIntern(), ids: new StringIntern(), idMemos: new Map() };
}

/** A table's column: one typed array per field. */
export type Column = Int32Array | Int16Array | Int8Array | Uint8Array | Float64Array;

const D0 = 48;

/** Day number of a plain `YYYY-MM-DD` date at bytes [s, s+10), or NA when it is anything else (not a date, or outside the accepted range). */
function plainDate(b: Uint8Array, s: number): number {
  if (b[s + 4] !== 45 || b[s + 7] !== 45) return NA;
  const y0 = b[s]! - D0, y1 = b[s + 1]! - D0, y2 = b[s + 2]! - D0, y3 = b[s + 3]! - D0;
  const m0 = b[s + 5]! - D0, m1 = b[s + 6]! - D0, d0 = b[s + 8]! - D0, d1 = b[s + 9]! - D0;
  if (y0 >>> 0 > 9 || y1 >>> 0 > 9 || y2 >>> 0 > 9 || y3 >>> 0 > 9 || m0 >>> 0 > 9 || m1 >>> 0 > 9 || d0 >>> 0 > 9 || d1 >>> 0 > 9) return NA;
  const day = dayOfDate(y0 * 1000 + y1 * 100 + y2 * 10 + y3, m0 * 10 + m1, d0 * 10 + d1);
  return day === day ? day : NA; // NaN: not a real date of the accepted range
}

/** Result of decoding one cell: the column value, or a problem (the field's parser said no: see `Codec.invalid`). */
const INVALID = Symbol('invalid');

/**
 * How one field's values go into and come out of its column. `fromBytes` and `fromValue` return
 * the column value, {@link NA} (or the column's own blank) for blank, or INVALID with `problem` set.
 */
interface Codec {
  readonly spec: FieldSpec;
  column(n: number): Column;
  /** A cell's bytes (unquoted, not escaped) → column value. */
  fromBytes(b: Uint8Array, s: number, e: number): number | typeof INVALID;
  /** A raw value (a cell's text, an NDJSON value, an object's property) → column value. */
  fromRaw(v: unknown): number | typeof INVALID;
  /** Column value → the record's value. */
  toValue(x: number): unknown;
  /** The blank of the column. */
  readonly blank: number;
  /** After INVALID: the parser's answer (its rejection code and reason). */
  invalid: Invalid;
}

/** Placeholder of `Codec.invalid` before any cell was refused. */
const NO_PROBLEM = new Invalid('blank_required', '');

/** What a {@link Memo} remembers the answers of: a field's parser on a cell's bytes, and its last refusal. */
interface BytesParser {
  /** The field's parser on a cell's bytes [s, e): the column value, or INVALID (with `invalid` set). */
  parseBytes(b: Uint8Array, s: number, e: number): number | typeof INVALID;
  invalid: Invalid;
}

type CompiledCellReader = (r: CsvRecord, pos: number, client: number) => FieldProblem | undefined;

const FRONT_MASK = 255;

/** Memo of a field's parser by cell bytes: column value, or the parser's refusal. */
export class Memo {
  private readonly keys = new ByteIntern(64);
  private values = new Float64Array(64);
  private readonly refusals: (Invalid | undefined)[] = [];
  /** Cache slot → an entry of `keys` (-1: none), see {@link get}. */
  private readonly front = new Int32Array(FRONT_MASK + 1).fill(-1);
  constructor(private readonly limit: number) {}

  /**
   * The column value of the cell bytes [s, e): remembered, or `codec.parseBytes(b, s, e)` (this
   * runs for every cell of millions of rows; the parser only for cells not met before).
   */
  get(b: Uint8Array, s: number, e: number, codec: BytesParser): number | typeof INVALID {
    // A cell is first looked for in a small direct-mapped cache by its length and end bytes: a
    // column of a few codes (a stage, a result, true or false) alternates between them, so the
    // table's own check of the entry found last rarely helps, while this spares hashing every byte
    // and probing. The entry is checked byte for byte: the cache only says where to look.
    const slot = ((e - s) * 31 + b[s]! * 7 + b[e - 1]!) & FRONT_MASK;
    const f = this.front[slot]!;
    if (f >= 0 && this.keys.holds(f, b, s, e)) return this.answer(f, codec);
    if (this.keys.size >= this.limit) {
      // Past the limit (a column of ever-new values), parse without remembering.
      const k = this.keys.find(b, s, e);
      if (k < 0) return codec.parseBytes(b, s, e);
      return this.answer(k, codec);
    }
    const before = this.keys.size;
    const k = this.keys.indexOf(b, s, e);
    this.front[slot] = k;
    if (k === before) {
      const r = codec.parseBytes(b, s, e);
      if (k === this.values.length) this.values = grow(this.values, k * 2);
      if (r === INVALID) {
        this.values[k] = NaN;
        this.refusals[k] = codec.invalid;
      } else this.values[k] = r;
      return r;
    }
    return this.answer(k, codec);
  }

  private answer(k: number, codec: BytesParser): number | typeof INVALID {
    const r = this.refusals[k];
    if (r !== undefined) {
      codec.invalid = r;
      return INVALID;
    }
    return this.values[k]!;
  }
}

/**
 * A field's codec. Codecs are classes, not closures, for speed: a table is made for each partition
 * (several a thread at national scale), and the hot code that calls a codec — the cell readers, the
 * record makers — is compiled by V8 once per thread only if what it calls is the same function in
 * every partition. A closure made for each table made V8 inline that partition's closure, then
 * throw the compiled code away when the partition's objects died and compile it again for the next
 * (bench/README.md, seventeenth session). A class's methods are made once.
 */
function makeCodec(spec: FieldSpec, vocab: Vocabularies): Codec {
  const st: FieldStorage = spec.storage;
  switch (st.kind) {
    case 'client':
    case 'episode':
    case 'id': {
      const intern = st.kind === 'client' ? vocab.clients : st.kind === 'episode' ? vocab.episodes : vocab.ids;
      let memos = vocab.idMemos.get(intern);
      if (!memos) vocab.idMemos.set(intern, (memos = new Map()));
      let memo = memos.get(spec.parse);
      if (!memo) memos.set(spec.parse, (memo = new Memo(Infinity)));
      return new IdCodec(spec, memo, intern);
    }
    case 'date':
      return new DateCodec(spec);
    case 'int':
      return new IntCodec(spec);
    case 'number':
      return new NumberCodec(spec);
    case 'bool':
      return new BoolCodec(spec);
    case 'code':
      return new CodeCodec(spec, st.codes);
    case 'substances':
      return new SubstancesCodec(spec);
  }
}

/** A kind of typed array a column is made of. */
type ColumnKind = new (n: number) => Column;

/**
 * What every codec shares: its field, its blank, its column's kind, its last refusal, the field's
 * parser, and the memo of that parser's answers by a cell's bytes (each kind may read some cells
 * faster than through it).
 */
abstract class FieldCodec implements Codec, BytesParser {
  invalid: Invalid = NO_PROBLEM;
  constructor(
    readonly spec: FieldSpec,
    readonly blank: number,
    private readonly kind: ColumnKind,
    protected readonly memo: Memo,
  ) {}

  column(n: number): Column {
    return new this.kind(n);
  }

  abstract toValue(x: number): unknown;
  /** The column value of a value the field's parser accepted (not blank). */
  protected abstract encode(x: unknown): number;

  /** The column value of a cell's bytes: the field's parser, remembered by the bytes. */
  fromBytes(b: Uint8Array, s: number, e: number): number | typeof INVALID {
    return this.memo.get(b, s, e, this);
  }

  /** Runs the field's parser: the column value of its answer. */
  fromRaw(v: unknown): number | typeof INVALID {
    const p = this.spec.parse(v);
    if (p instanceof Invalid) {
      this.invalid = p;
      return INVALID;
    }
    if (p === undefined) return this.blank;
    return this.encode(p);
  }

  /** The field's parser on a cell's bytes (what a memo remembers). */
  parseBytes(b: Uint8Array, s: number, e: number): number | typeof INVALID {
    return this.fromRaw(bytesText(b, s, e));
  }
}

/** Ids (client, episode, other): indexes into a vocabulary shared by the data set's tables. */
class IdCodec extends FieldCodec {
  /** Whether a cell that is plainly an id is its own value (parseId's fast path). */
  private readonly plain: boolean;
  /** The id read last by its bytes (-1: none). */
  private last = -1;
  constructor(
    spec: FieldSpec,
    memo: Memo,
    private readonly intern: StringIntern,
  ) {
    super(spec, -1, Int32Array, memo);
    this.plain = spec.parse === parseId || spec.parse === parseClientId;
  }

  protected encode(x: unknown): number {
    return this.intern.indexOf(x as string);
  }

  toValue(x: number): unknown {
    return x < 0 ? undefined : this.intern.values[x];
  }

  override fromBytes(b: Uint8Array, s: number, e: number): number | typeof INVALID {
    if (!this.plain) return this.memo.get(b, s, e, this);
    // A cell that is plainly an id is its own value (parseId's fast path), so it is looked up, or
    // added, in the vocabulary by its bytes: one table rather than a memo beside it (two hash
    // tables of a million ids each, and a string encoded twice, for every new id). The id read last
    // by its bytes is tried first: a client's rows come together, and bytes equal to a plain id's
    // are plain, so most cells need neither the check nor the table.
    const last = this.last;
    if (last >= 0 && this.intern.holds(last, b, s, e)) return last;
    if (!isPlainIdBytes(b, s, e)) return this.memo.get(b, s, e, this);
    return (this.last = this.intern.indexOfBytes(b, s, e, bytesText));
  }
}

/** Dates as day numbers; a plain `YYYY-MM-DD` read straight from its bytes. */
class DateCodec extends FieldCodec {
  constructor(spec: FieldSpec) {
    super(spec, NA, Int32Array, new Memo(1 << 16));
  }

  protected encode(x: unknown): number {
    return toDayNumber(x as string);
  }

  toValue(x: number): unknown {
    return x === NA ? undefined : isoOfDay(x);
  }

  override fromBytes(b: Uint8Array, s: number, e: number): number | typeof INVALID {
    if (e - s === 10) {
      const d = plainDate(b, s);
      if (d !== NA) return d;
    }
    return this.memo.get(b, s, e, this);
  }
}

/** Whole numbers; one to three digits answered from a cache by number (parsed once per number). */
class IntCodec extends FieldCodec {
  private readonly small: (number | typeof INVALID | undefined)[] = new Array(1000);
  private readonly smallRefusal: Invalid[] = new Array(1000);
  constructor(spec: FieldSpec) {
    super(spec, -1, Int16Array, new Memo(1 << 12));
  }

  protected encode(x: unknown): number {
    return x as number;
  }

  toValue(x: number): unknown {
    return x === -1 ? undefined : x;
  }

  override fromBytes(b: Uint8Array, s: number, e: number): number | typeof INVALID {
    const n = e - s;
    if (n >= 1 && n <= 3) {
      let v = 0;
      let i = s;
      for (; i < e; i++) {
        const d = b[i]! - D0;
        if (d < 0 || d > 9) break;
        v = v * 10 + d;
      }
      if (i === e) return this.ofDigits(v);
    }
    return this.memo.get(b, s, e, this);
  }

  /**
   * The value of a cell of one to three digits whose number is `v` (0–999), as {@link fromBytes}
   * gives it: the parser's answer for the number, asked once per number (a leading zero changes
   * nothing: `05` is 5).
   */
  ofDigits(v: number): number | typeof INVALID {
    let r = this.small[v];
    if (r === undefined) {
      r = this.small[v] = this.fromRaw(String(v));
      if (r === INVALID) this.smallRefusal[v] = this.invalid;
    }
    if (r === INVALID) this.invalid = this.smallRefusal[v]!;
    return r;
  }
}

/** Decimal numbers (NaN: blank). */
class NumberCodec extends FieldCodec {
  constructor(spec: FieldSpec) {
    super(spec, NaN, Float64Array, new Memo(1 << 14));
  }

  protected encode(x: unknown): number {
    return x as number;
  }

  toValue(x: number): unknown {
    return Number.isNaN(x) ? undefined : x;
  }
}

/** Yes or no (1, 0; -1: blank). */
class BoolCodec extends FieldCodec {
  constructor(spec: FieldSpec) {
    super(spec, -1, Int8Array, new Memo(1 << 10));
  }

  protected encode(x: unknown): number {
    return x ? 1 : 0;
  }

  toValue(x: number): unknown {
    return x === -1 ? undefined : x === 1;
  }
}

/** One of the field's codes, by its place in the list (-1: blank). */
class CodeCodec extends FieldCodec {
  private readonly index: Map<string, number>;
  constructor(
    spec: FieldSpec,
    private readonly codes: readonly string[],
  ) {
    super(spec, -1, Int8Array, new Memo(1 << 10));
    this.index = new Map(codes.map((c, i) => [c, i]));
  }

  protected encode(x: unknown): number {
    return this.index.get(x as string)!;
  }

  toValue(x: number): unknown {
    return x === -1 ? undefined : this.codes[x];
  }
}

/** A set of substances, as a bit mask (0: blank). */
class SubstancesCodec extends FieldCodec {
  constructor(spec: FieldSpec) {
    super(spec, 0, Uint8Array, new Memo(1 << 12));
  }

  protected encode(x: unknown): number {
    return maskOfSubstances(x as Substance[]);
  }

  toValue(x: number): unknown {
    return x === 0 ? undefined : substancesOfMask(x);
  }
}

/** What {@link RecordTable.recordProblem} finds in a CSV record before its fields are read. */
export interface RecordProblems {
  /** Why the row is rejected (the wrong number of cells first), or undefined. */
  problem: FieldProblem | undefined;
  /** The first cell read holding bytes that are not UTF-8, or undefined. */
  bytes: FieldProblem | undefined;
}

/** A row that could not be used: its position and the problem (R-VAL-1). */
export interface RowProblem extends FieldProblem {
  pos: number;
}

/**
 * The rows of one input file kind as columns.
 * @example
 * const t = new RecordTable('offences', vocabularies());
 * t.pushValues({ client_id: 'C1', offence_date: '2020-01-05' }, 2);
 * t.record(0, 2) // { client_id: 'C1', offence_date: '2020-01-05', category: undefined, row: 2 }
 */
export class RecordTable<F extends InputFile = InputFile> {
  readonly fields: readonly FieldSpec[];
  private readonly codecs: Codec[];
  /** Column i holds field i of the field table. */
  cols: Column[];
  /** Where each row was read: part index × 2³² + row number. */
  pos: Float64Array;
  length = 0;
  /** Rows that held bytes that are not UTF-8 in a cell read (for the note that says how to save the file). */
  notUtf8 = 0;
  private readonly check: ((r: any) => FieldProblem | undefined) | undefined;
  /** The fields the row check reads (field indexes): only those are made values for it. */
  private readonly checkFields: readonly number[];
  private readonly values: number[];
  private readonly compile: boolean;

  /**
   * `capacity`: rows before the columns first grow (default 1,024). `compile`: make records, and
   * read a CSV part's cells ({@link cellReader}), with functions written out from the field table
   * ({@link recordMaker}); Node's partitions ask for it,
   * the page cannot (its Content-Security-Policy forbids making code, and the browser would report
   * the attempt).
   */
  constructor(
    readonly file: F,
    readonly vocab: Vocabularies,
    options: { capacity?: number; compile?: boolean } = {},
  ) {
    const capacity = options.capacity ?? 1024;
    this.fields = RECORD_FIELDS[file] as readonly FieldSpec[];
    this.codecs = this.fields.map((f) => makeCodec(f, vocab));
    this.cols = this.codecs.map((c) => c.column(capacity));
    this.pos = new Float64Array(capacity);
    const check = rowCheck(file);
    this.check = check?.check;
    this.checkFields = check ? check.reads.map((name) => this.fields.findIndex((f) => f.name === name)) : [];
    if (this.checkFields.includes(-1)) throw new Error(`internal error: the row check of ${file} reads a field it does not have`);
    this.values = this.fields.map(() => 0);
    this.spans = new Int32Array(2 * this.fields.length);
    this.idFields = this.fields.flatMap((f, i) => (isIdStorage(f.storage) ? [i] : []));
    this.compile = options.compile ?? false;
    this.fillCheck = this.compile && this.check ? checkFiller(this.fields, this.checkFields) : undefined;
    this.makeRecord = recordMaker(this.fields, this.compile);
    const of = (kind: ColumnKind) => this.cols.flatMap((c, i) => (c instanceof kind ? [i] : []));
    this.byKind = { i32: of(Int32Array), i16: of(Int16Array), i8: of(Int8Array), u8: of(Uint8Array), f64: of(Float64Array) };
    if (Object.values(this.byKind).reduce((a, b) => a + b.length, 0) !== this.cols.length) throw new Error('internal error: a column of an unknown kind');
  }

  /** Makes room in the columns for row `length` (a compiled {@link cellReader} calls it too). */
  ensureRoom(): void {
    if (this.length < this.pos.length) return;
    this.resize(Math.ceil((this.pos.length * this.growth) / 4));
  }

  /**
   * Makes room for `rows` rows at once, when a reader knows about how many are coming (a slice of
   * a part, from the rows per byte of its first piece): every column doubled as it fills copies
   * every column each time, and ends up to twice as large as it needs. Past that, the columns grow
   * by a quarter at a time: the estimate was close.
   * @example table.reserve(250_000)
   */
  reserve(rows: number): void {
    if (rows <= this.pos.length) return;
    this.resize(rows);
    this.growth = 5;
  }

  /** The rows reserved for have come (the slice is read): the columns double again as they fill. */
  reserved(): void {
    this.growth = 8;
  }

  /**
   * How much the columns grow when full (see {@link reserve}), in quarters: 8 (doubled) or 5 (a
   * quarter more). Whole numbers, never 1.25: V8 keeps a field that has only held small integers as
   * a small integer, and the first fraction stored in it changes the field's representation for
   * every table of the thread: the code compiled so far for tables (13 object layouts, in the
   * thread's first partition) is thrown away and compiled again.
   */
  private growth = 8;

  private resize(n: number): void {
    this.pos = grow(this.pos, n);
    this.cols = this.cols.map((c) => grow(c, n));
  }

  /**
   * The problems of a CSV record before its fields are read (R-VAL-1): `bytes`, the first cell read
   * (header order) that holds bytes that are not UTF-8; `problem`, what the row is rejected for — a
   * number of cells that differs from the header's, else those bytes. Counting the row in
   * {@link notUtf8} (whenever `bytes` is found, even when the width is wrong too) is for the reader
   * that rejects it. Reuses one result object: read it before the next call.
   */
  recordProblem(r: CsvRecord, at: readonly number[], width: number, kept: readonly number[]): RecordProblems {
    const out = this.problems;
    out.bytes = r.highBytes ? utf8Problem(r, kept, this.fields, at) : undefined;
    out.problem = r.cells !== width ? wrongWidthProblem(r.cells, width) : out.bytes;
    return out;
  }
  private readonly problems: RecordProblems = { problem: undefined, bytes: undefined };

  /**
   * The client of a CSV record (field `field` is its client_id, in cell `k`): the index of its
   * client_id in the vocabulary, or -1 when the cell is not a usable client_id.
   */
  clientOfCell(r: CsvRecord, field: number, k: number): number {
    if (k < 0) return -1;
    if (r.escaped[k] !== 1) return this.clientOfBytes(field, r.bytes, r.start[k]!, r.end[k]!);
    const v = this.codecs[field]!.fromRaw(cellText(r, k));
    return v === INVALID ? -1 : v;
  }

  /** {@link clientOfCell} of an unquoted client_id cell (field `field`), its bytes [s, e) of `b`. */
  private clientOfBytes(field: number, b: Uint8Array, s: number, e: number): number {
    if (s === e) return -1;
    const v = this.codecs[field]!.fromBytes(b, s, e);
    return v === INVALID ? -1 : v;
  }

  /** The vocabulary index of a raw client_id value (field `field`), or -1 when it is not usable. */
  clientOfRaw(field: number, raw: unknown): number {
    const v = this.codecs[field]!.fromRaw(raw);
    return v === INVALID ? -1 : v;
  }

  /**
   * Adds a CSV record whose cells are already known to be well formed ({@link recordProblem}):
   * `at[i]` is the cell of field i (-1: no such column). Each field is parsed (R-VAL-2 row rules),
   * then the row's cross-field check. Returns the problem when the row cannot be used (the row is
   * then not added). `client`: the client_id field's value when the reader has it already
   * ({@link clientOfCell} of field `clientField`, ≥ 0): that cell is not parsed a second time.
   */
  pushCells(r: CsvRecord, at: readonly number[], pos: number, clientField = -1, client = -1): FieldProblem | undefined {
    const codecs = this.codecs;
    const values = this.values;
    const b = r.bytes;
    for (let i = 0; i < codecs.length; i++) {
      const c = codecs[i]!;
      const k = at[i]!;
      let v: number | typeof INVALID;
      if (i === clientField && client >= 0) v = client;
      else if (k < 0) v = c.fromRaw(undefined);
      else if (r.escaped[k] === 1) v = c.fromRaw(cellText(r, k));
      else {
        const s = r.start[k]!;
        const e = r.end[k]!;
        v = s === e ? c.blank : c.fromBytes(b, s, e);
      }
      if (v === INVALID) return this.cellProblem(r, i, k, true);
      if (c.spec.required && isBlank(c, v)) return this.cellProblem(r, i, k, false);
      values[i] = v;
    }
    return this.commit(pos);
  }

  /**
   * {@link pushCells} for one layout of columns (`at`, `clientField`: a part's header), as a
   * function: with `compile`, one written out for the layout, field by field — each field's parse
   * at a call site of its own, so that V8 can inline it (in the loop of {@link pushCells} every
   * field's parse goes through one call site), and each value stored straight into its column
   * (a row refused half-way is overwritten by the next one, as `length` has not moved). Without
   * `compile` (or where code cannot be made), {@link pushCells} itself. Either way the same rows,
   * values and problems.
   * @example const push = table.cellReader(at, 0); const problem = push(record, pos, client);
   */
  cellReader(at: readonly number[], clientField = -1): (r: CsvRecord, pos: number, client: number) => FieldProblem | undefined {
    const loop = (r: CsvRecord, pos: number, client: number) => this.pushCells(r, at, pos, clientField, client);
    if (!this.compile) return loop;
    // One function per layout, made once: every part of a file, and every pass over it, shares
    // the header's layout as a rule, and a function made again starts cold.
    const key = `${clientField}:${at.join(',')}`;
    let made = this.readers.get(key);
    if (made === undefined) {
      const read = compiledCellReader(this.codecs, at, clientField);
      const codecs = this.codecs;
      made = read ? (r, pos, client) => read(this, codecs, r, pos, client) : null;
      this.readers.set(key, made);
    }
    return made ?? loop;
  }

  /** Compiled cell readers by layout (null: no code could be made). */
  private readonly readers = new Map<string, CompiledCellReader | null>();

  /**
   * A reader of plain rows for one layout of columns (`at`, a header of `width` cells), or
   * undefined where code cannot be made (the page) or without `compile`. A plain row — no quote, no
   * `\r`, no byte of 0x80 or above, exactly `width` cells, ending in a `\n` — is nearly every row
   * of a national extract; for those, the tokenizer's work (cutting the row into cells, then
   * handing it on) and the cell reader's (finding each cell again, then parsing it) are done in one
   * pass over the bytes, cell by cell, each parsed as it is found. {@link readPlain} with it reads the
   * row starting at `start` of `b` (whose bytes end at `len`) into row `length` of the columns,
   * except the ids, whose cells are only noted ({@link commitPlain} looks them up): it returns
   * where the row's `\n` is, or -1 when the row is not plain, not whole in `b`, or has a cell its
   * field refuses (or blank where required). It then has changed nothing a reader can see: values
   * in the row past `length` (which the next row overwrites) and the parsers' memos, which only
   * remember answers. Every row it says no to is read by the tokenizer and {@link cellReader}
   * as before, which give the same values, and the problems.
   * @example const read = table.plainRowReader(at, 4); const lf = read ? table.readPlain(read, bytes, 0, bytes.length) : -1;
   */
  plainRowReader(at: readonly number[], width: number): PlainRowReader | undefined {
    if (!this.compile) return undefined;
    const key = `${width}:${at.join(',')}`;
    let made = this.plainReaders.get(key);
    if (made === undefined) {
      made = compiledPlainReader(this.codecs, at, width) ?? null;
      this.plainReaders.set(key, made);
    }
    return made ?? undefined;
  }

  /**
   * Reads a plain row with `read` ({@link plainRowReader}'s, for this table): where its `\n` is, or -1.
   * The reader is called from here, not through a closure made for each table, so that every
   * table and layout goes through this one method.
   */
  readPlain(read: PlainRowReader, b: Uint8Array, start: number, len: number): number {
    return read(this, this.codecs, b, start, len);
  }

  /** Plain row readers by layout (null: no code could be made). */
  private readonly plainReaders = new Map<string, PlainRowReader | null>();

  /** Where the id cells of the row a plain reader read are: field i's in [spans[2i], spans[2i + 1]). */
  readonly spans: Int32Array;

  /** The fields stored as ids (client, episode and other ids), in field order. */
  private readonly idFields: readonly number[];

  /**
   * The client of the row a {@link plainRowReader} read from `b` (its client_id is field `field`), as
   * {@link clientOfCell} gives it: the index of its client_id in the vocabulary, or -1.
   */
  clientOfPlain(b: Uint8Array, field: number): number {
    return this.clientOfBytes(field, b, this.spans[2 * field]!, this.spans[2 * field + 1]!);
  }

  /**
   * Ends the row a {@link plainRowReader} read from `b`: its ids looked up (added when new) in
   * field order, field `clientField` being `client` (≥ 0, from {@link clientOfPlain}), then the
   * row's check, as {@link cellReader} would. True when the row is added; false when an id is
   * refused or the check fails — the same ids are then looked up again by the cell reader, in the
   * same order, with the same answers, and it gives the problem.
   */
  commitPlain(b: Uint8Array, clientField: number, client: number, pos: number): boolean {
    const n = this.length;
    const ids = this.idFields;
    for (let x = 0; x < ids.length; x++) {
      const i = ids[x]!;
      let v: number | typeof INVALID;
      if (i === clientField) v = client;
      else {
        const s = this.spans[2 * i]!;
        const e = this.spans[2 * i + 1]!;
        // A missing column's blank was stored by the reader (its span is empty as well).
        if (s === e) continue;
        v = this.codecs[i]!.fromBytes(b, s, e);
        if (v === INVALID) return false;
      }
      (this.cols[i] as Int32Array)[n] = v;
    }
    return this.commitStored(pos) === undefined;
  }

  /**
   * Once every field of row `length` is stored in the columns (by {@link commit} or a compiled
   * {@link cellReader}): the row's cross-field check, then the row counted. The check reads the row
   * from one object per table holding the fields it reads, filled again for every row (the check
   * keeps no reference to it).
   */
  commitStored(pos: number): FieldProblem | undefined {
    const n = this.length;
    if (this.check) {
      const out = (this.scratch ??= {});
      const fill = this.fillCheck;
      if (fill !== undefined) fill(out, this.codecs, this.cols, n);
      else for (const i of this.checkFields) out[this.fields[i]!.name] = this.codecs[i]!.toValue(this.cols[i]![n]!);
      const problem = this.check(out);
      if (problem) return problem;
    }
    this.pos[n] = pos;
    this.length = n + 1;
    return undefined;
  }

  /** The problem of field i (cell k) of a record, refused by its parser or blank though required. */
  cellProblem(r: CsvRecord, i: number, k: number, refused: boolean): FieldProblem {
    const c = this.codecs[i]!;
    const text = k < 0 ? '' : cellText(r, k);
    return refused ? fieldProblem(c.spec.name, text, c.invalid) : fieldProblem(c.spec.name, text);
  }

  /**
   * Adds a row of raw values (an NDJSON object, a typed object): each field parsed by its parser.
   * Returns the problem when the row cannot be used.
   */
  pushValues(raw: Record<string, unknown>, pos: number): FieldProblem | undefined {
    const codecs = this.codecs;
    for (let i = 0; i < codecs.length; i++) {
      const c = codecs[i]!;
      const v = raw[c.spec.name];
      const x = c.fromRaw(v);
      if (x === INVALID) return fieldProblem(c.spec.name, shown(v), c.invalid);
      if (c.spec.required && isBlank(c, x)) return fieldProblem(c.spec.name, shown(v));
      this.values[i] = x;
    }
    return this.commit(pos);
  }

  /** Stores the parsed values as row `length` ({@link commitStored} counts it, or not). */
  private commit(pos: number): FieldProblem | undefined {
    this.ensureRoom();
    const n = this.length;
    const values = this.values;
    const cols = this.cols;
    // One loop per kind of typed array: a store that meets all five kinds (over the tables of a
    // run) is megamorphic in V8, about ten times slower than one that meets one kind; this store
    // runs for every field of every row.
    const k = this.byKind;
    for (const i of k.i32) (cols[i] as Int32Array)[n] = values[i]!;
    for (const i of k.i16) (cols[i] as Int16Array)[n] = values[i]!;
    for (const i of k.i8) (cols[i] as Int8Array)[n] = values[i]!;
    for (const i of k.u8) (cols[i] as Uint8Array)[n] = values[i]!;
    for (const i of k.f64) (cols[i] as Float64Array)[n] = values[i]!;
    return this.commitStored(pos);
  }
  /** The columns by kind of typed array (field indexes). */
  private readonly byKind: Record<'i32' | 'i16' | 'i8' | 'u8' | 'f64', number[]>;

  private scratch: Record<string, unknown> | undefined;
  /**
   * With `compile`, the row check's fields put into its object by a function written out for the
   * field table (a store of a fixed key each, its codec's value at a call site of its own), where
   * the loop stores keys by name through one call site for every codec: a row of an episode or an
   * employment spell is checked this way, millions at national scale. Undefined: the loop.
   */
  private readonly fillCheck: CheckFiller | undefined;

  /** The value of field i in row r. */
  value(i: number, r: number): unknown {
    return this.codecs[i]!.toValue(this.cols[i]![r]!);
  }

  /**
   * Row r as a record, fields in table order, with its row number (and part, when given), exactly as
   * the field parsers would have made it.
   */
  record(r: number, row: number, part?: string): Located<RecordOf<F>> {
    const made = this.makeRecord(this.codecs, this.cols, r, row, part);
    // One record of each shape (without `part`, with it) kept for the thread's life (src/shapes.ts).
    const shape = part === undefined ? 1 : 2;
    if ((this.shapesKept & shape) === 0) {
      keepShape(this.makeRecord, shape, made);
      this.shapesKept |= shape;
    }
    return made as Located<RecordOf<F>>;
  }
  /** The shapes of record this table has seen kept (keepShape): 1 without `part`, 2 with. */
  private shapesKept = 0;
  private readonly makeRecord: RecordMaker;
}

/** Makes row `r` of columns `cols` into a record, each field's value by its codec (see {@link recordMaker}). */
export type RecordMaker = (values: readonly ValueOf[], cols: readonly Column[], r: number, row: number, part: string | undefined) => Record<string, unknown>;

/** How a column value becomes a record's value (a field's codec). */
export interface ValueOf {
  toValue(x: number): unknown;
}

/**
 * How the tables of a field table make records: fields in table order, each the codec's value of
 * its column, then `row`, then `part` when given. A record is made for every row a rule reads
 * (sixteen million at national scale), so where the platform allows it (Node; not the workbench
 * page, whose Content-Security-Policy forbids making code) and `generate` asks for it, the maker is
 * a constructor written out from the field table, one store of a fixed key per field: V8 gives its
 * objects one shape from the start, where a loop storing keys one by one goes through its generic
 * (megamorphic) paths. Either maker is made once per field table and given each table's codecs, so
 * the records of every partition and every pass of a process share one shape, and the code that
 * calls the maker meets the same function in every partition (a maker made per table was compiled
 * into its callers and thrown away with the partition; bench/README.md, seventeenth session). Both
 * makers give the same records, keys in the same order, plain objects (a property test compares
 * them); without `generate`, or where code may not be made, the loop.
 * @example recordMaker(RECORD_FIELDS.offences)([ids, days, categories], cols, 0, 2, undefined) // { client_id: 'C1', offence_date: '2020-01-05', category: undefined, row: 2 }
 */
export function recordMaker(fields: readonly FieldSpec[], generate = false): RecordMaker {
  const written = generate ? writtenMaker(fields) : undefined;
  if (written) return written;
  let maker = LOOP_MAKERS.get(fields);
  if (!maker) {
    const names = fields.map((f) => f.name);
    maker = function loopRecord(values, cols, r, row, part) {
      const out: Record<string, unknown> = {};
      for (let i = 0; i < names.length; i++) out[names[i]!] = values[i]!.toValue(cols[i]![r]!);
      out['row'] = row;
      if (part !== undefined) out['part'] = part;
      return out;
    };
    LOOP_MAKERS.set(fields, maker);
  }
  return maker;
}

/** Puts row `n`'s values of a row check's fields into `out` (see RecordTable's `fillCheck`). */
type CheckFiller = (out: Record<string, unknown>, C: readonly ValueOf[], cols: readonly Column[], n: number) => void;

/** {@link CheckFiller}s by field table, made once (undefined: code may not be made here). */
const CHECK_FILLERS = new WeakMap<readonly FieldSpec[], CheckFiller | undefined>();

/** The written-out {@link CheckFiller} of a field table's check fields, or undefined where code may not be made. */
function checkFiller(fields: readonly FieldSpec[], checkFields: readonly number[]): CheckFiller | undefined {
  if (CHECK_FILLERS.has(fields)) return CHECK_FILLERS.get(fields);
  // The names come from the field table, never from the input.
  const stores = checkFields.map((i) => `out[${JSON.stringify(fields[i]!.name)}] = C[${i}].toValue(cols[${i}][n]);`).join(' ');
  const fill = madeOrUndefined(() => new Function(`'use strict'; return function fillCheck(out, C, cols, n) { ${stores} };`)() as CheckFiller);
  CHECK_FILLERS.set(fields, fill);
  return fill;
}

/** {@link recordMaker}'s makers of each field table: the written-out one (undefined: code may not be made here), and the loop. */
const WRITTEN_MAKERS = new WeakMap<readonly FieldSpec[], RecordMaker | undefined>();
const LOOP_MAKERS = new WeakMap<readonly FieldSpec[], RecordMaker>();

type RowConstructor = new (values: readonly ValueOf[], cols: readonly Column[], r: number, row: number, part: string | undefined) => Record<string, unknown>;

/** {@link recordMaker}'s written-out maker for a field table, made once; undefined where code may not be made. */
function writtenMaker(fields: readonly FieldSpec[]): RecordMaker | undefined {
  if (WRITTEN_MAKERS.has(fields)) return WRITTEN_MAKERS.get(fields);
  // The names come from the field table, never from the input.
  const stores = fields.map((f, i) => `this[${JSON.stringify(f.name)}] = t[${i}].toValue(cols[${i}][r]);`).join(' ');
  // A constructor, not an object literal: V8 may decide to allocate a literal's objects straight in
  // the old generation once some survive a collection (allocation-site pretenuring), which for
  // records that live as long as one client raised peak memory by a sixth. Its instances' prototype
  // is Object.prototype, as a literal's is.
  const body = `'use strict'; function Row(t, cols, r, row, part) { ${stores} this.row = row; if (part !== undefined) this.part = part; } Row.prototype = Object.prototype; return Row;`;
  const Row = madeOrUndefined(() => new Function(body)() as RowConstructor);
  const maker: RecordMaker | undefined = Row
    ? function writtenRecord(values, cols, r, row, part) {
        return new Row(values, cols, r, row, part);
      }
    : undefined;
  WRITTEN_MAKERS.set(fields, maker);
  return maker;
}

/**
 * What `make` makes by making code, or undefined where code may not be made: a
 * Content-Security-Policy without 'unsafe-eval' refuses with an EvalError (the caller's loop then).
 */
function madeOrUndefined<T>(make: () => T): T | undefined {
  try {
    return make();
  } catch (e) {
    if (!(e instanceof EvalError)) throw e;
    return undefined;
  }
}

/**
 * The body of {@link RecordTable.cellReader} written out for one layout of columns, or undefined
 * where code cannot be made (as {@link writtenMaker}). Every line is the loop of
 * {@link RecordTable.pushCells} for one field, its cell and codec fixed.
 */
function compiledCellReader(codecs: readonly Codec[], at: readonly number[], clientField: number): CellReaderCode | undefined {
  const lines: string[] = ['table.ensureRoom();', 'const n = table.length;', 'const cols = table.cols;', 'const b = r.bytes, st = r.start, en = r.end, esc = r.escaped;', 'let v, s, e, d;'];
  codecs.forEach((c, i) => {
    const k = at[i]!;
    const C = `C[${i}]`;
    let parse: string;
    if (k < 0) parse = `v = ${C}.fromRaw(undefined);`;
    else {
      const fromBytes = c.spec.storage.kind === 'date' ? `(e - s === 10 && (d = plainDate(b, s)) !== NA ? d : ${C}.fromBytes(b, s, e))` : `${C}.fromBytes(b, s, e)`;
      parse = `if (esc[${k}] === 1) v = ${C}.fromRaw(cellText(r, ${k})); else { s = st[${k}]; e = en[${k}]; v = s === e ? ${C}.blank : ${fromBytes}; }`;
    }
    // As pushCells: the client the reader has already read is taken, column or not.
    if (i === clientField) parse = `if (client >= 0) v = client; else { ${parse} }`;
    lines.push(parse);
    lines.push(`if (v === INVALID) return table.cellProblem(r, ${i}, ${k}, true);`);
    if (c.spec.required) lines.push(`if (${Number.isNaN(c.blank) ? 'v !== v' : `v === ${C}.blank`}) return table.cellProblem(r, ${i}, ${k}, false);`);
    lines.push(`cols[${i}][n] = v;`);
  });
  lines.push('return table.commitStored(pos);');
  const body = `'use strict'; return function readCells(table, C, r, pos, client) { ${lines.join('\n')} };`;
  return keptCode(CELL_READERS, body, () => new Function('INVALID', 'plainDate', 'NA', 'cellText', body)(INVALID, plainDate, NA, cellText) as CellReaderCode);
}

/**
 * The function written out as `body`, made by `make` the first time and kept in `cache` by its
 * code, or undefined where code may not be made. A reader is made once per layout (per thread) and
 * kept: every table of the layout (one a partition) calls the same function with its own table and
 * codecs, so V8 keeps one optimised reader for the thread's whole life, where a function (or
 * closure) made for each partition's table was compiled anew for each, once its predecessor's code
 * had gone with its table.
 */
function keptCode<T>(cache: Map<string, T>, body: string, make: () => T): T | undefined {
  let code = cache.get(body);
  if (code === undefined) {
    code = madeOrUndefined(make);
    if (code === undefined) return undefined;
    // A few layouts in a run; a process reading files of ever-new layouts starts the cache again.
    if (cache.size >= 256) cache.clear();
    cache.set(body, code);
  }
  return code;
}

/** A written-out cell reader: row `r`'s cells into `table`'s columns through `codecs`. */
type CellReaderCode = (table: RecordTable, C: readonly Codec[], r: CsvRecord, pos: number, client: number) => FieldProblem | undefined;

/** {@link compiledCellReader}'s readers by their code (a few per process: one per file's layout of columns). */
const CELL_READERS = new Map<string, CellReaderCode>();

/** Whether a field is stored as an id of a vocabulary (its cell is looked up, or added, there). */
function isIdStorage(st: FieldStorage): boolean {
  return st.kind === 'client' || st.kind === 'episode' || st.kind === 'id';
}

/**
 * The body of {@link RecordTable.plainRowReader} written out for one layout: the cells in the
 * header's order, each scanned byte by byte to its comma (the last to its `\n`) and parsed at once
 * by its field's codec, as {@link compiledCellReader} parses it; a cell of no field only passed
 * over; an id cell only noted in `table.spans`. Any byte that makes the row other than plain (a
 * quote, a `\r`, a byte of 0x80 or above), a line end before the last cell or a comma after it, the
 * text's end (the `\n` the tokenizer writes past it), a refused cell, or a blank one where its
 * field is required: -1, the row left to the tokenizer.
 */
function compiledPlainReader(codecs: readonly Codec[], at: readonly number[], width: number): PlainRowReader | undefined {
  const fieldOf: number[] = new Array(width).fill(-1);
  at.forEach((k, i) => {
    if (k >= 0 && k < width) fieldOf[k] = i;
  });
  const lines: string[] = ['table.ensureRoom();', 'const n = table.length;', 'const cols = table.cols;', 'const spans = table.spans;', 'let j = start, s = 0, c = 0, v, d;'];
  // Written as literals, not read from the codec: a branch of the code that has not yet run has no
  // type feedback, and V8 throws away the compiled reader the first time it runs such a branch (a
  // first blank cell in one column, say), then compiles it again, once per cell of every layout.
  const blank = (c: Codec) => (Number.isNaN(c.blank) ? 'NaN' : String(c.blank));
  const required = (c: Codec) => (c.spec.required ? ` if (${Number.isNaN(c.blank) ? 'v !== v' : `v === ${blank(c)}`}) return -1;` : '');
  // The value `v` of field i stored, unless its parser refused it or it is blank though required.
  const stored = (c: Codec, i: number) => `if (v === INVALID) return -1;${required(c)} cols[${i}][n] = v;`;
  // A field whose column the header lacks: its value is the parser's for no value, as the cell reader's.
  codecs.forEach((c, i) => {
    if (at[i]! >= 0 && at[i]! < width) return;
    if (isIdStorage(c.spec.storage)) lines.push(`spans[${2 * i}] = 0; spans[${2 * i + 1}] = 0;`);
    lines.push(`v = C[${i}].fromRaw(undefined); ${stored(c, i)}`);
  });
  for (let k = 0; k < width; k++) {
    const last = k === width - 1;
    // To the cell's end: bytes from '-' (0x2d) to 0x7f are never special. Any other byte but the
    // comma (or, for the last cell, the \n) leaves the row to the tokenizer: a quote, a \r, a line
    // end too soon, a byte of 0x80 or above, and the rare bytes below '-' that may be in a cell (a
    // space). The test of it is one comparison with no branch of its own (a branch not yet run
    // would have V8 compile the reader again when it first ran, once per cell of each layout).
    const end = last ? 'if (c !== 10 || j >= len) return -1;' : 'if (c !== 44) return -1;';
    const scan = `s = j; while ((c = b[j]) > 44 && c < 128) j++; ${end}`;
    const i = fieldOf[k]!;
    const c = i >= 0 ? codecs[i]! : undefined;
    const store = c === undefined ? '' : stored(c, i);
    // The cell [s, j) parsed by its field's codec (a blank: the column's).
    const parsed = c === undefined ? '' : `v = s === j ? ${blank(c)} : C[${i}].fromBytes(b, s, j);`;
    switch (c?.spec.storage.kind) {
      case undefined:
        // A cell of no field: passed over.
        lines.push(scan);
        break;
      case 'int':
        // Digits read as they are found (a cell of anything else but digits: left to the tokenizer);
        // one to three of them answered by the number, as IntCodec.fromBytes answers them.
        lines.push(`s = j; d = 0; while ((c = b[j]) > 47 && c < 58) { d = d * 10 + c - 48; j++; } ${end}`);
        lines.push(`v = s === j ? ${blank(c!)} : j - s < 4 ? C[${i}].ofDigits(d) : C[${i}].fromBytes(b, s, j); ${store}`);
        break;
      case 'date':
        // A plain date (its ten bytes, then the comma or \n) read at once; any other cell as below.
        lines.push(`if (j + 10 < len && b[j + 10] === ${last ? 10 : 44} && (d = plainDate(b, j)) !== NA) { cols[${i}][n] = d; j += 10; }`);
        lines.push(`else { ${scan} ${parsed} ${store} }`);
        break;
      case 'client':
      case 'episode':
      case 'id':
        // Only noted, its blank stored now (commitPlain looks any other id up, then stores it).
        lines.push(scan);
        lines.push(`spans[${2 * i}] = s; spans[${2 * i + 1}] = j;${c!.spec.required ? ' if (s === j) return -1;' : ''} cols[${i}][n] = ${blank(c!)};`);
        break;
      default:
        lines.push(scan);
        lines.push(`${parsed} ${store}`);
    }
    if (!last) lines.push('j++;');
  }
  lines.push('return j;');
  const body = `'use strict'; return function readPlainRow(table, C, b, start, len) { ${lines.join('\n')} };`;
  return keptCode(PLAIN_READERS, body, () => new Function('INVALID', 'plainDate', 'NA', body)(INVALID, plainDate, NA) as PlainRowReader);
}

/** A written-out plain row reader (see {@link RecordTable.plainRowReader}): row `length` of `table` from the bytes at `start`. */
export type PlainRowReader = (table: RecordTable, C: readonly Codec[], b: Uint8Array, start: number, len: number) => number;

/** {@link compiledPlainReader}'s readers by their code. */
const PLAIN_READERS = new Map<string, PlainRowReader>();

function isBlank(c: Codec, v: number): boolean {
  return Number.isNaN(c.blank) ? Number.isNaN(v) : v === c.blank;
}

/** A raw value as shown in a rejection (as the field table's parsers see it). */
function shown(v: unknown): string {
  if (v === undefined || v === null) return '';
  if (typeof v === 'string') return v;
  try {
    return typeof v === 'object' ? JSON.stringify(v) : String(v);
  } catch {
    return String(v);
  }
}

/** The first cell read (header order) that holds bytes that are not UTF-8, as a problem. */
function utf8Problem(r: CsvRecord, kept: readonly number[], fields: readonly FieldSpec[], at: readonly number[]): FieldProblem | undefined {
  for (const k of kept) {
    if (k >= r.cells) continue;
    const text = cellText(r, k);
    if (text.indexOf('\ufffd') !== -1) {
      const i = at.indexOf(k);
      return notUtf8Problem(fields[i]!.name, text);
    }
  }
  return undefined;
}
