/**
 * The per-client evidence index: a client's episodes, reviews, drug tests, offences, employment
 * spells and death, grouped from a dataset, as known at `asOf` (R-CAL-2), each list sorted by date
 * with a full tie-break so that nothing depends on input row order (R-PAY-7).
 * @module
 */
import { compareCodePoint, sortInPlace, type IsoDate } from '../calendar/index.js';
import { REVIEW_STAGES, type InputFile } from '../schema/codes.js';
import type { Dataset } from '../schema/dataset.js';
import type { Client, DrugTest, EmploymentSpell, Episode, Located, Offence, Review } from '../schema/records.js';
import { keepShape } from '../shapes.js';

/** Which optional evidence files were supplied (R-OUT-11: a missing file is `no_evidence`). */
export type EvidencePresence = Record<Exclude<InputFile, 'episodes'>, boolean>;

/** All records of one client. */
export interface ClientRecords {
  client_id: string;
  episodes: Located<Episode>[];
  reviews: Located<Review>[];
  /**
   * Read-only: a partition's records may make it when first read (partitionClients'
   * `testsOnFirstRead`), a getter; read it before copying the records.
   */
  readonly drug_tests: Located<DrugTest>[];
  offences: Located<Offence>[];
  employment: Located<EmploymentSpell>[];
  /** The client's row in `clients`, if any. */
  client: Located<Client> | undefined;
}

/**
 * One client's evidence as known at asOf, sorted by date. A list is the client's own records list
 * when that already is every record known at asOf, in order (most clients: no copy is made), so
 * these lists are read, never changed.
 */
export interface ClientEvidence {
  client_id: string;
  reviews: Located<Review>[];
  /**
   * Made when first read ({@link evidenceAsOf}): only abstinence's confirmation reads a client's
   * tests, for a review that shows no use — at national scale about one client in five.
   */
  readonly drug_tests: Located<DrugTest>[];
  offences: Located<Offence>[];
  /** Spells started by asOf; a spell ending after asOf is shown as ongoing (end_date undefined). */
  employment: Located<EmploymentSpell>[];
  /** Date of death if known at asOf. */
  date_of_death: IsoDate | undefined;
  /** The clients row that recorded the death (for explanations). */
  death_row: number | undefined;
  /** The part of a folder of parts that row is in. */
  death_part?: string;
  present: EvidencePresence;
}

/**
 * Which optional files were supplied: the kinds present in a dataset (or in any record keyed by
 * input kind, such as the inputs found in a data folder).
 * @example presenceOf({ episodes: [], reviews: [] }).reviews // true
 */
export function presenceOf(data: { readonly [K in keyof EvidencePresence]?: unknown }): EvidencePresence {
  return {
    reviews: data.reviews !== undefined,
    drug_tests: data.drug_tests !== undefined,
    offences: data.offences !== undefined,
    employment: data.employment !== undefined,
    clients: data.clients !== undefined,
  };
}

function emptyClient(client_id: string): ClientRecords {
  return { client_id, episodes: [], reviews: [], drug_tests: [], offences: [], employment: [], client: undefined };
}

/**
 * Groups a dataset by client, in client_id code point order (R-JNY-5). Clients with evidence but no
 * episode are included (they have no journeys, so no outcomes).
 * @example groupByClient(data).map((c) => c.client_id)
 */
export function groupByClient(data: Dataset): ClientRecords[] {
  const map = new Map<string, ClientRecords>();
  const get = (id: string) => {
    let c = map.get(id);
    if (!c) map.set(id, (c = emptyClient(id)));
    return c;
  };
  for (const e of data.episodes) get(e.client_id).episodes.push(e);
  for (const r of data.reviews ?? []) get(r.client_id).reviews.push(r);
  for (const t of data.drug_tests ?? []) get(t.client_id).drug_tests.push(t);
  for (const o of data.offences ?? []) get(o.client_id).offences.push(o);
  for (const s of data.employment ?? []) get(s.client_id).employment.push(s);
  for (const c of data.clients ?? []) get(c.client_id).client = c;
  return [...map.values()].sort((a, b) => compareCodePoint(a.client_id, b.client_id));
}

const STAGE_INDEX = new Map<string, number>(REVIEW_STAGES.map((s, i) => [s, i]));

/** Compares two records field by field on their values (not where they were read), as a last tie-break. */
function compareValues(a: object, b: object): number {
  for (const k of Object.keys(a)) {
    if (k === 'row' || k === 'part') continue;
    const x = (a as any)[k];
    const y = (b as any)[k];
    if (x === y) continue;
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    if (typeof x === 'number' && typeof y === 'number') return x - y;
    const c = compareCodePoint(String(x), String(y));
    if (c !== 0) return c;
  }
  return 0;
}

/**
 * Review order: date, stage (start, review, exit, post_exit), episode_id, then values.
 * @example reviews.sort(compareReviews)
 */
export function compareReviews(a: Review, b: Review): number {
  if (a.date !== b.date) return a.date < b.date ? -1 : 1;
  const s = STAGE_INDEX.get(a.stage)! - STAGE_INDEX.get(b.stage)!;
  if (s !== 0) return s;
  return compareCodePoint(a.episode_id, b.episode_id) || compareValues(a, b);
}

function byDate<T extends object>(field: keyof T): (a: T, b: T) => number {
  return (a, b) => {
    const x = a[field] as unknown as string;
    const y = b[field] as unknown as string;
    return x < y ? -1 : x > y ? 1 : compareValues(a, b);
  };
}

const BY_TEST_DATE = byDate<DrugTest>('date');
const BY_OFFENCE_DATE = byDate<Offence>('offence_date');
const BY_SPELL_START = byDate<EmploymentSpell>('start_date');

/**
 * The records of `list` dated on or before `asOf` (all of them when undefined), sorted by `compare`,
 * which orders by `date` first: `list` itself when that is every record in its order, else a new
 * array. Most lists arrive in order (a client's reviews and
 * tests, millions of times at national scale): while filtering, a record dated after the one before
 * it is in order under any such `compare` without asking it, and `compare` is asked only of two
 * records of the same date (tests of several substances on one day) — the test {@link sortInPlace}
 * makes, item against the one before. A list whose dates are out of order goes to sortInPlace, whose
 * result is `list.sort(compare)`'s. A list in date order whose records of one date are not (a
 * national extract lists a day's tests in its own substance order) has only each such run of one
 * date sorted, by {@link sortRuns}: what a stable sort gives, since `compare` puts every earlier
 * date first.
 */
function seenInOrder<T>(list: readonly T[], date: (x: T) => string, asOf: IsoDate | undefined, compare: (a: T, b: T) => number): T[] {
  // A new list is made only at the first record left out or out of order, of the records before
  // it: while every record is kept in order, the answer is the list itself (nothing changes a list
  // of records once made) — most clients' lists.
  let out: T[] | undefined;
  let prev: T | undefined;
  let last = '';
  let datesInOrder = true;
  let tiesInOrder = true;
  for (let i = 0; i < list.length; i++) {
    const x = list[i]!;
    const d = date(x);
    if (asOf !== undefined && !(d <= asOf)) {
      out ??= list.slice(0, i);
      continue;
    }
    // Every date is above '' (an empty date is not valid); a date that is not a string sorts.
    if (datesInOrder) {
      if (typeof d !== 'string' || d < last) datesInOrder = false;
      else if (d === last && tiesInOrder && prev !== undefined && compare(x, prev) < 0) tiesInOrder = false;
    }
    if (out === undefined && !(datesInOrder && tiesInOrder)) out = list.slice(0, i);
    out?.push(x);
    last = d;
    prev = x;
  }
  if (out === undefined) return list as T[];
  if (!datesInOrder) return sortInPlace(out, compare);
  return tiesInOrder ? out : sortRuns(out, date, compare);
}

/**
 * Sorts, in place, each run of records of one date in a list whose dates are in order: a stable
 * insertion sort within the run (runs are a few tests of one day). For a `compare` that orders by
 * date first and is consistent — as it is on records of one shape, every field present, which is
 * how the columns make them — the list is then what a stable sort of the whole gives, at a fraction
 * of the comparisons.
 * @example sortRuns(tests, (t) => t.date, BY_TEST_DATE)
 */
function sortRuns<T>(list: T[], date: (x: T) => string, compare: (a: T, b: T) => number): T[] {
  for (let i = 1; i < list.length; i++) {
    const x = list[i]!;
    const d = date(x);
    let j = i;
    while (j > 0 && date(list[j - 1]!) === d && compare(x, list[j - 1]!) < 0) {
      list[j] = list[j - 1]!;
      j--;
    }
    list[j] = x;
  }
  return list;
}

/**
 * One client's evidence as known at `asOf` (R-CAL-2: later records are dropped, a record dated
 * exactly asOf is seen), sorted by date. The drug tests are filtered and sorted when first read
 * (`drug_tests` is a getter; the same list at every read): two input rows in five at national
 * scale are tests, and most clients' are never looked at. Read them before handing the evidence
 * to code that copies own properties (a spread, `structuredClone`, JSON).
 * @example evidenceAsOf(records, presenceOf(data), '2024-03-31').offences
 */
export function evidenceAsOf(records: ClientRecords, present: EvidencePresence, asOf: IsoDate | undefined): ClientEvidence {
  return new EvidenceAsOf(records, present, asOf);
}

/** {@link evidenceAsOf}'s evidence: every list but the drug tests made at once. */
class EvidenceAsOf implements ClientEvidence {
  readonly client_id: string;
  readonly reviews: Located<Review>[];
  readonly offences: Located<Offence>[];
  readonly employment: Located<EmploymentSpell>[];
  readonly date_of_death: IsoDate | undefined;
  readonly death_row: number | undefined;
  readonly death_part: string | undefined;
  readonly present: EvidencePresence;
  readonly #records: ClientRecords;
  readonly #asOf: IsoDate | undefined;
  #tests: Located<DrugTest>[] | undefined = undefined;

  constructor(records: ClientRecords, present: EvidencePresence, asOf: IsoDate | undefined) {
    this.client_id = records.client_id;
    this.reviews = seenInOrder(records.reviews, reviewDate, asOf, compareReviews);
    this.offences = seenInOrder(records.offences, offenceDate, asOf, BY_OFFENCE_DATE);
    // Sorted after an end beyond asOf is cleared: the cleared end is what ties are broken on.
    // Most clients have no spell of work: their empty list is taken as it is.
    this.employment = records.employment.length === 0 ? records.employment : sortInPlace(
      records.employment
        .filter((s) => asOf === undefined || s.start_date <= asOf)
        .map((s) => (asOf !== undefined && s.end_date !== undefined && s.end_date > asOf ? { ...s, end_date: undefined } : s)),
      BY_SPELL_START,
    );
    const dod = records.client?.date_of_death;
    const deathKnown = dod !== undefined && (asOf === undefined || dod <= asOf);
    this.date_of_death = deathKnown ? dod : undefined;
    this.death_row = deathKnown ? records.client?.row : undefined;
    this.death_part = deathKnown ? records.client?.part : undefined;
    this.present = present;
    this.#records = records;
    this.#asOf = asOf;
  }

  get drug_tests(): Located<DrugTest>[] {
    return (this.#tests ??= seenInOrder(this.#records.drug_tests, testDate, this.#asOf, BY_TEST_DATE));
  }
}

const reviewDate = (r: Review) => r.date;
const testDate = (t: DrugTest) => t.date;
const offenceDate = (o: Offence) => o.offence_date;

// One evidence object (of no client) kept for the thread's life, so that V8 keeps its shape (src/shapes.ts).
keepShape(EvidenceAsOf, 0, new EvidenceAsOf(emptyClient(''), presenceOf({}), undefined));
