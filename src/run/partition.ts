/**
 * The pure pieces of a partitioned run (issue #6, national scale): input rows are routed to K
 * buckets by a hash of their client_id, so that every record of a client lands in the same bucket,
 * and each bucket is then checked (the cross-row rules of R-VAL-2) and evaluated on its own. Only a
 * small index of episode ids is shared between buckets: the cross-row checks that look across
 * clients (a duplicated episode_id, a review of another client's episode) need it.
 *
 * Where a row is: `pos` = part index × 2³² + row, so that positions order rows as they are read
 * (parts in name order, then rows), and a rejection can name the part file.
 *
 * Browser-safe: no Node built-ins (the Node runner in `src/node` does the files and threads).
 * @module
 */
import { addDays, compareCodePoint } from '../calendar/index.js';
import { INPUT_FILES, STANDARD_EXIT_REASONS, type InputFile } from '../schema/codes.js';
import { RECORD_FIELDS, sameValues, type Episode, type FieldSpec, type Located, type Review } from '../schema/records.js';

/** Size of one part's row range inside a position (rows of a part are below 2³²). */
export const PART_SPAN = 4294967296;

/**
 * The position of a row: part index and row number in one number that orders rows as they are read.
 * @example positionOf(1, 5) > positionOf(0, 900) // true
 */
export function positionOf(part: number, row: number): number {
  return part * PART_SPAN + row;
}

/**
 * Part index of a position.
 * @example partOf(positionOf(2, 7)) // 2
 */
export function partOf(pos: number): number {
  return Math.floor(pos / PART_SPAN);
}

/**
 * Row number (within its part) of a position.
 * @example rowOf(positionOf(2, 7)) // 7
 */
export function rowOf(pos: number): number {
  return pos % PART_SPAN;
}

/** Index of an input kind in SPEC order (episodes = 0 … clients = 5). */
export const KIND_INDEX: Readonly<Record<InputFile, number>> = Object.fromEntries(INPUT_FILES.map((f, i) => [f, i])) as Record<InputFile, number>;

/**
 * The bucket of a client: FNV-1a (32 bit) of the client_id's UTF-16 code units, modulo K. Any fixed
 * function would do; this one is cheap and spreads ids like `C0000001` evenly.
 * @example bucketOf('C0000001', 1) // 0
 */
export function bucketOf(clientId: string, buckets: number): number {
  if (buckets <= 1) return 0;
  let h = 0x811c9dc5;
  for (let i = 0; i < clientId.length; i++) {
    h ^= clientId.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) % buckets;
}

// ---------------------------------------------------------------------------------------------
// Rows in buckets: `kind<TAB>pos<TAB>` then `C` + a CSV line (no quote in it), `J` + the cells as
// JSON, or `N` + an NDJSON object. Rows travel as read and are parsed in their bucket.

/** Which cells of a CSV part feed which fields (as the CSV reader maps its header). */
export interface PartColumns {
  idx: readonly number[];
  name: readonly string[];
}

/** A decoded bucket row: kind, position, and its raw values or cells (with the cell of each field). */
export interface BucketRow {
  kind: number;
  pos: number;
  /** NDJSON: the object. */
  values: Record<string, unknown> | undefined;
  /** CSV: the cells, and `at[i]` = the cell of the i-th field of the file's table (-1: no column). */
  cells: readonly string[] | undefined;
  at: readonly number[] | undefined;
}

/**
 * The cell of each field of a file's table in a CSV part (-1 when the part has no such column).
 * @example fieldCells('offences', { idx: [2, 0], name: ['offence_date', 'client_id'] }) // [0, 2, -1]
 */
export function fieldCells(file: InputFile, cols: PartColumns): number[] {
  return (RECORD_FIELDS[file] as readonly FieldSpec[]).map((f) => {
    const k = cols.name.indexOf(f.name);
    return k < 0 ? -1 : cols.idx[k]!;
  });
}

/** Cells of the last CSV line split (reused: a row is parsed before the next one is split). */
const CELLS: string[] = [];

/** The cells of a CSV line without quotes, from `from` (about a third faster than `split`). */
function splitCells(line: string, from: number): string[] {
  let n = 0;
  let s = from;
  for (let c = line.indexOf(',', s); c !== -1; c = line.indexOf(',', c + 1)) {
    CELLS[n++] = line.slice(s, c);
    s = c + 1;
  }
  CELLS[n++] = line.slice(s);
  CELLS.length = n;
  return CELLS;
}

/**
 * A bucket row's kind, position and raw content (see the format above). `at[kind][part]` gives
 * the cell of each field for CSV parts (see {@link fieldCells}). The cells of a CSV line are in an
 * array that the next call reuses: use them before decoding the next row.
 * @example decodeRow('3\t2\tCC1,2020-01-05,', [[], [], [], [[0, 1, 2]]]).cells // ['C1', '2020-01-05', '']
 */
export function decodeRow(line: string, at: readonly (readonly (readonly number[] | undefined)[])[]): BucketRow {
  const t1 = line.indexOf('\t');
  const t2 = line.indexOf('\t', t1 + 1);
  const kind = +line.slice(0, t1);
  const pos = +line.slice(t1 + 1, t2);
  const tag = line.charCodeAt(t2 + 1);
  if (tag === 78) return { kind, pos, values: JSON.parse(line.slice(t2 + 2)) as Record<string, unknown>, cells: undefined, at: undefined }; // N
  const cells = tag === 67 ? splitCells(line, t2 + 2) : (JSON.parse(line.slice(t2 + 2)) as string[]); // C or J
  return { kind, pos, values: undefined, cells, at: at[kind]![partOf(pos)]! };
}

/** A decoded record with its position. */
export interface Placed<T = Record<string, unknown>> {
  pos: number;
  record: Located<T>;
}

// The one function that makes a rejection's shown value (NHS numbers hidden, long values cut).
export { shownValue } from '../schema/fields.js';

// ---------------------------------------------------------------------------------------------
// Where rows are, in words.

/** Names of the parts of each input kind, to word rejections (R-VAL-1). */
export interface PartNames {
  /** kind index → part display names in read order (`episodes.csv`, or `episodes/2013.csv`, …). */
  parts: readonly (readonly string[])[];
  /** kind index → whether the kind was given as a folder of parts (then rows are named with the part). */
  folder: readonly boolean[];
}

/**
 * "row 5" for a kind read from one file; "episodes/2013.csv row 5" for a folder of parts.
 * @example rowWords({ parts: [['episodes.csv']], folder: [false] }, 0, 5) // 'row 5'
 */
export function rowWords(names: PartNames, kind: number, pos: number): string {
  if (!names.folder[kind]) return `row ${rowOf(pos)}`;
  return `${names.parts[kind]![partOf(pos)]} row ${rowOf(pos)}`;
}

/**
 * The wording of R-VAL-2 cross-row rejections, for one file or a folder of parts.
 * @example duplicateReason(names, 0, positionOf(0, 4)) // 'duplicate: the same row already appears at row 4'
 */
export function duplicateReason(names: PartNames, kind: number, first: number): string {
  return `duplicate: the same row already appears at ${rowWords(names, kind, first)}`;
}

/**
 * Reason for rows that share a key but differ (all are rejected).
 * @example conflictReason(names, 0, [4, 9]) // 'appears in rows 4, 9 with different values; keep one correct row'
 */
export function conflictReason(names: PartNames, kind: number, positions: readonly number[]): string {
  const where = names.folder[kind]
    ? positions.map((p) => rowWords(names, kind, p)).join(', ')
    : `rows ${positions.map(rowOf).join(', ')}`;
  return `appears in ${where} with different values; keep one correct row`;
}

/**
 * Reason for a review whose episode was rejected.
 * @example rejectedEpisodeReason(names, 12) // 'its episode was rejected (episodes row 12); fix that row first'
 */
export function rejectedEpisodeReason(names: PartNames, pos: number): string {
  const where = names.folder[0] ? rowWords(names, 0, pos) : `episodes row ${rowOf(pos)}`;
  return `its episode was rejected (${where}); fix that row first`;
}

/**
 * The exit reason codes a scheme accepts, and the list shown when one is unknown (R-VAL-2).
 * @example exitCodeCheck(scheme.exitReasons).known('completed_drug_free') // true
 */
export function exitCodeCheck(exitReasonMap: Readonly<Record<string, string>> | undefined): {
  known: (code: string) => boolean;
  reason: string;
} {
  const extra = exitReasonMap ?? {};
  const list = [...Object.keys(STANDARD_EXIT_REASONS), ...Object.keys(extra)].join(', ');
  return {
    // Own properties only: `constructor` or `__proto__` must not pass as exit codes.
    known: (c) => Object.hasOwn(STANDARD_EXIT_REASONS, c) || Object.hasOwn(extra, c),
    reason: `is not a known code; use one of: ${list}`,
  };
}

// ---------------------------------------------------------------------------------------------
// Cross-row checks of one bucket.

/** A rejection with its position (kind index, pos) so that rejections can be merged in read order. */
export interface PlacedRejection {
  kind: number;
  pos: number;
  field: string;
  value: string;
  reason: string;
}

/**
 * A review rejected because its episode is not among the bucket's usable episodes: the reason needs
 * the global episode index (rejected where? another client's?), so it is worded by the runner.
 */
export interface ForeignReview {
  pos: number;
  episode_id: string;
  client_id: string;
}


/**
 * Duplicate keys within a bucket (R-VAL-2, as `checkDataset`): identical rows keep the first, rows
 * that differ are all rejected. `spanning` lists keys that also occur in other buckets, with every
 * position: such rows belong to different clients, so they differ and all are rejected.
 * Returns the kept records in position order and the keys that had copies and kept one.
 * @example dedupePlaced(1, clientRows, (c) => c.client_id, 'client_id', names, rejections).kept
 */
export function dedupePlaced<T extends object>(
  kind: number,
  placed: readonly Placed<T>[],
  key: (r: T) => string,
  keyField: string,
  names: PartNames,
  rejections: PlacedRejection[],
  spanning?: ReadonlyMap<string, readonly number[]>,
): { kept: Placed<T>[]; keptCopies: string[] } {
  // One map entry per key; a list only for keys that repeat (rare).
  const first = new Map<string, Placed<T>>();
  const repeated = new Map<string, Placed<T>[]>();
  for (const p of placed) {
    const k = key(p.record);
    const f = first.get(k);
    if (f === undefined) first.set(k, p);
    else {
      const list = repeated.get(k);
      if (list) list.push(p);
      else repeated.set(k, [f, p]);
    }
  }
  const keptCopies: string[] = [];
  const across = spanning ?? new Map<string, readonly number[]>();
  if (repeated.size === 0 && across.size === 0) return { kept: [...placed], keptCopies };
  const drop = new Set<Placed<T>>();
  const keys = new Set<string>([...repeated.keys(), ...[...across.keys()].filter((k) => first.has(k))]);
  for (const k of keys) {
    const list = repeated.get(k) ?? [first.get(k)!];
    const positions = across.get(k);
    if (positions) {
      const reason = conflictReason(names, kind, positions);
      for (const p of list) {
        drop.add(p);
        rejections.push({ kind, pos: p.pos, field: keyField, value: k, reason });
      }
      continue;
    }
    list.sort((a, b) => a.pos - b.pos);
    if (list.every((p) => sameValues(p.record, list[0]!.record))) {
      keptCopies.push(k);
      const reason = duplicateReason(names, kind, list[0]!.pos);
      for (const p of list.slice(1)) {
        drop.add(p);
        rejections.push({ kind, pos: p.pos, field: keyField, value: k, reason });
      }
    } else {
      const reason = conflictReason(
        names,
        kind,
        list.map((p) => p.pos),
      );
      for (const p of list) {
        drop.add(p);
        rejections.push({ kind, pos: p.pos, field: keyField, value: k, reason });
      }
    }
  }
  return { kept: placed.filter((p) => !drop.has(p)), keptCopies };
}

/**
 * Reviews of one bucket against the bucket's usable episodes (R-VAL-2): a review whose episode is
 * here is checked for its client and dates; one whose episode is not here is rejected, and its
 * reason is left to the runner (see {@link ForeignReview}).
 * @example checkReviews(reviews, episodesById, 28, rejections, foreign)
 */
export function checkReviews(
  reviews: readonly Placed<Review>[],
  episodes: ReadonlyMap<string, Located<Episode>>,
  tolerance: number,
  rejections: PlacedRejection[],
  foreign: ForeignReview[],
): Placed<Review>[] {
  const kind = KIND_INDEX.reviews;
  return reviews.filter((p) => {
    const r = p.record;
    const reject = (field: string, value: string, reason: string) => {
      rejections.push({ kind, pos: p.pos, field, value, reason });
      return false;
    };
    const e = episodes.get(r.episode_id);
    if (!e) {
      foreign.push({ pos: p.pos, episode_id: r.episode_id, client_id: r.client_id });
      return false;
    }
    if (e.client_id !== r.client_id) return reject('client_id', r.client_id, `episode ${r.episode_id} belongs to another client`);
    if (r.date < e.start_date) return reject('date', r.date, `is before the start of episode ${r.episode_id} (${e.start_date})`);
    if (e.discharge_date !== undefined && r.date > addDays(e.discharge_date, tolerance)) {
      return reject('date', r.date, `is more than ${tolerance} days after the discharge of episode ${r.episode_id} (${e.discharge_date})`);
    }
    return true;
  });
}

/**
 * Orders rejections as `rejections.csv` lists them: file (SPEC order), part, row (then field).
 * @example rejections.sort(comparePlacedRejections)
 */
export function comparePlacedRejections(a: Pick<PlacedRejection, 'kind' | 'pos' | 'field'>, b: typeof a): number {
  return a.kind - b.kind || a.pos - b.pos || compareCodePoint(a.field, b.field);
}
