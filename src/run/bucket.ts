/**
 * One bucket of a partitioned run (issue #6): the records of the clients whose id hashes to this
 * bucket are checked across rows (R-VAL-2, as `checkDataset` does for a whole dataset), grouped by
 * client and evaluated client by client; each client's `outcomes.csv` lines are handed out at once,
 * in client_id order, and only counts and payment tallies are kept. Pure (browser-safe).
 * @module
 */
import { compareCodePoint, type IsoDate } from '../calendar/index.js';
import { evaluateClient } from '../engine/index.js';
import { buildJourneys } from '../journeys/index.js';
import { addClientJourneys, emptyJourneyTally, type JourneyTally } from '../journeys/tally.js';
import type { ClientRecords, EvidencePresence } from '../evidence/index.js';
import { text as fieldText } from '../schema/fields.js';
import { outcomeLines } from '../output/outcomes.js';
import { sortedRecord, type OutcomeSummary, type StatusCounts } from '../output/summary.js';
import { paymentTally, type PaymentTallyJson } from '../payments/stream.js';
import { OUTCOME_STATUSES, INPUT_FILES } from '../schema/codes.js';
import { RECORD_FIELDS, parseCells, parseRow, type FieldSpec, type Client, type DrugTest, type EmploymentSpell, type Episode, type Located, type Offence, type Review } from '../schema/records.js';
import type { Scheme } from '../schema/scheme/index.js';
import { paysAnything } from './index.js';
import {
  KIND_INDEX,
  checkReviews,
  comparePlacedRejections,
  decodeRow,
  dedupePlaced,
  fieldCells,
  partOf,
  rowOf,
  shownValue,
  type PartColumns,
  type ForeignReview,
  type PartNames,
  type Placed,
  type PlacedRejection,
} from './partition.js';

/** What every bucket of a run shares. */
export interface BucketContext {
  scheme: Scheme;
  /** kind index → part index → which CSV cells feed which fields (undefined for NDJSON parts). */
  columns: readonly (readonly (PartColumns | undefined)[])[];
  asOf: IsoDate;
  /** Which optional files were supplied (R-OUT-11). */
  present: EvidencePresence;
  names: PartNames;
  /** What the bucket is for (default: a run). */
  purpose?: BucketPurpose;
}

/**
 * What a pass over the buckets is for. Rows are always checked as a run checks them; then
 * - `run`: outcomes are decided and paid (`recovery-pbr run`);
 * - `check`: journeys are built as of `asOf` (undefined: every episode counts) and counted (`validate`);
 * - `pick`: only `client`'s records are gathered, handed back as `picked` (`explain`);
 * - `collect`: every client's records are gathered, handed back as `collected` (the commands that
 *   hold the whole dataset in memory: compare, calibrate, forecast, health-premium).
 */
export type BucketPurpose =
  | { kind: 'run' }
  | { kind: 'check'; asOf: IsoDate | undefined }
  | { kind: 'pick'; client: string }
  | { kind: 'collect' };

const RUN: BucketPurpose = { kind: 'run' };

/** Outcome counts by outcome, band and status, mergeable across buckets. */
export type OutcomeCounts = Record<string, Record<string, [number, number, number, number]>>;

/** What a bucket hands back besides its outcome lines. */
export interface BucketResult {
  bucket: number;
  /** Records used per kind (SPEC order). */
  used: number[];
  /** Cross-row rejections, sorted by kind, position. */
  rejections: PlacedRejection[];
  /** Reviews rejected because their episode is not among this bucket's usable episodes. */
  foreign: ForeignReview[];
  /** Episode ids that had identical copies here, one of which was kept. */
  keptCopies: string[];
  /** Clients with at least one journey, and journeys. */
  clients: number;
  journeys: number;
  /** outcome → band → counts by status. */
  outcomes: OutcomeCounts;
  /** outcome → substance group → counts by status (for the report, `run --report`). */
  groups: OutcomeCounts;
  payments: PaymentTallyJson | undefined;
  /** Journey counts (purpose `check`). */
  journeyTally?: JourneyTally;
  /** The records of the client asked for (purpose `pick`), checked, when the bucket holds any. */
  picked?: ClientRecords;
  /**
   * Purpose `pick`: the cross-row rejections of the client's rows (its own rows, and reviews of its
   * episodes under another client_id), sorted; the reviews left for the runner (`foreign`) are all
   * the client's too.
   */
  pickedRejections?: PlacedRejection[];
  /** Every client's checked records, in client_id order (purpose `collect`). */
  collected?: ClientRecords[];
}

/** Index of `client_id` in each file's field table. */
const CLIENT_FIELD: readonly number[] = INPUT_FILES.map((f) => (RECORD_FIELDS[f] as readonly FieldSpec[]).findIndex((x) => x.name === 'client_id'));

/**
 * The client a bucket row belongs to, read from the row before it is parsed (its client_id cell,
 * trimmed): the same id as the parsed record's, for every row that parses.
 */
function clientKeyOf(text: string, start: number, end: number, clientCell: readonly (readonly number[])[]): string | undefined {
  const t1 = text.indexOf('\t', start);
  const t2 = text.indexOf('\t', t1 + 1);
  const kind = +text.slice(start, t1);
  const col = clientCell[kind]![partOf(+text.slice(t1 + 1, t2))]!;
  const tag = text.charCodeAt(t2 + 1);
  if (tag === 67) {
    // C: a CSV line with no quote; the cell between the right commas.
    let from = t2 + 2;
    for (let i = 0; i < col; i++) {
      const c = text.indexOf(',', from);
      if (c === -1 || c >= end) return undefined;
      from = c + 1;
    }
    const comma = text.indexOf(',', from);
    return fieldText(text.slice(from, comma === -1 || comma > end ? end : comma));
  }
  const payload = text.slice(t2 + 2, end);
  if (tag === 74) return fieldText((JSON.parse(payload) as string[])[col]);
  return fieldText((JSON.parse(payload) as Record<string, unknown>)['client_id']);
}

const STATUS_INDEX: Record<string, number> = Object.fromEntries(OUTCOME_STATUSES.map((s, i) => [s, i]));

/**
 * Checks and evaluates one bucket. `texts` hold its rows, one a line, as phase 1 wrote them (see `decodeRow`); `spanning` lists
 * episode ids whose rows fall in several buckets (with every position), which are all rejected.
 * `emit` receives each client's `outcomes.csv` lines, in client_id order.
 * @example processBucket(0, [text], new Map(), ctx, (id, text) => out.push(text))
 */
export function processBucket(
  bucket: number,
  texts: readonly string[],
  spanning: ReadonlyMap<string, readonly number[]>,
  ctx: BucketContext,
  emit: (clientId: string, text: string, journeys: number) => void,
): BucketResult {
  const { scheme, asOf, names } = ctx;
  const rejections: PlacedRejection[] = [];
  const at = ctx.columns.map((parts, kind) => parts.map((c) => (c ? fieldCells(INPUT_FILES[kind]!, c) : undefined)));
  const clientCell = at.map((parts, kind) => parts.map((a) => (a ? a[CLIENT_FIELD[kind]!]! : -1)));
  const used = INPUT_FILES.map(() => 0);
  /** Parses one row as read (R-VAL-2 row rules); a row that fails is rejected. */
  const parse = (line: string): { kind: number; placed: Placed } | undefined => {
    const d = decodeRow(line, at);
    const file = INPUT_FILES[d.kind]!;
    const p = d.cells ? parseCells(file, d.cells, d.at!) : parseRow(file, d.values!);
    if (!p.ok) {
      rejections.push({ kind: d.kind, pos: d.pos, field: p.problem.field, value: shownValue(p.problem.value), reason: p.problem.reason });
      return undefined;
    }
    const record = p.record as Record<string, unknown>;
    record['row'] = rowOf(d.pos);
    if (names.folder[d.kind]) record['part'] = names.parts[d.kind]![partOf(d.pos)];
    return { kind: d.kind, placed: { pos: d.pos, record: record as Located<Record<string, unknown>> } };
  };

  // Episodes are parsed at once (the duplicate and review checks need all of them); the other rows
  // wait, as offsets into the bucket's text grouped by client, and are cut out and parsed just
  // before their client is evaluated: few records and no per-row string live for long.
  const episodes: Placed<Episode>[] = [];
  const clientIndex = new Map<string, number>();
  const rowText: number[] = [];
  const rowStart: number[] = [];
  const rowEnd: number[] = [];
  const rowClient: number[] = [];
  texts.forEach((text, ti) => {
    let s = 0;
    while (s < text.length) {
      let e = text.indexOf('\n', s);
      if (e === -1) e = text.length;
      if (e > s) {
        if (text.charCodeAt(s) === 48 /* kind 0: episodes */ && text.charCodeAt(s + 1) === 9) {
          const r = parse(text.slice(s, e));
          if (r) episodes.push(r.placed as Placed<Episode>);
        } else {
          const key = clientKeyOf(text, s, e, clientCell) ?? '';
          let c = clientIndex.get(key);
          if (c === undefined) clientIndex.set(key, (c = clientIndex.size));
          rowText.push(ti);
          rowStart.push(s);
          rowEnd.push(e);
          rowClient.push(c);
        }
      }
      s = e + 1;
    }
  });
  // Rows of each client together (a counting sort on the client index).
  const firstRow = new Int32Array(clientIndex.size + 1);
  for (const c of rowClient) firstRow[c + 1]!++;
  for (let c = 0; c < clientIndex.size; c++) firstRow[c + 1]! += firstRow[c]!;
  const order = new Int32Array(rowClient.length);
  {
    const next = firstRow.slice(0, clientIndex.size);
    rowClient.forEach((c, i) => (order[next[c]!++] = i));
  }
  rowClient.length = 0;
  // Read order (parts in name order, then rows), as the in-memory path sees the rows.
  const byPos = (a: Placed, b: Placed) => a.pos - b.pos;
  episodes.sort(byPos);
  const foreign: ForeignReview[] = [];
  const ep = dedupePlaced(KIND_INDEX.episodes, episodes, (e) => e.episode_id, 'episode_id', names, rejections, spanning);
  used[KIND_INDEX.episodes] = ep.kept.length;
  const byId = new Map<string, Located<Episode>>();
  const episodesOf = new Map<string, Located<Episode>[]>();
  for (const p of ep.kept) {
    byId.set(p.record.episode_id, p.record);
    const list = episodesOf.get(p.record.client_id);
    if (list) list.push(p.record);
    else episodesOf.set(p.record.client_id, [p.record]);
  }
  const ids = [...new Set([...episodesOf.keys(), ...clientIndex.keys()])].sort(compareCodePoint);

  /** One client's records, checked (reviews against the bucket's episodes, duplicate client rows). */
  const recordsOf = (id: string): ClientRecords => {
    const placed: Placed[][] = [[], [], [], [], [], []];
    const c = clientIndex.get(id);
    if (c !== undefined) {
      for (let k = firstRow[c]!; k < firstRow[c + 1]!; k++) {
        const i = order[k]!;
        const r = parse(texts[rowText[i]!]!.slice(rowStart[i]!, rowEnd[i]!));
        if (r) placed[r.kind]!.push(r.placed);
      }
    }
    for (const list of placed) if (list.length > 1) list.sort(byPos);
    const reviews = checkReviews(placed[KIND_INDEX.reviews] as Placed<Review>[], byId, scheme.calendar.reviewToleranceDays, rejections, foreign);
    const clientRows = dedupePlaced(KIND_INDEX.clients, placed[KIND_INDEX.clients] as Placed<Client>[], (c) => c.client_id, 'client_id', names, rejections);
    const add = (kind: number, n: number) => (used[kind] = used[kind]! + n);
    add(KIND_INDEX.reviews, reviews.length);
    add(KIND_INDEX.drug_tests, placed[KIND_INDEX.drug_tests]!.length);
    add(KIND_INDEX.offences, placed[KIND_INDEX.offences]!.length);
    add(KIND_INDEX.employment, placed[KIND_INDEX.employment]!.length);
    add(KIND_INDEX.clients, clientRows.kept.length);
    // A row whose client_id cannot be parsed is rejected above; the records kept all belong to `id`.
    return {
      client_id: id,
      episodes: episodesOf.get(id) ?? [],
      reviews: reviews.map((p) => p.record),
      drug_tests: (placed[KIND_INDEX.drug_tests] as Placed<DrugTest>[]).map((p) => p.record),
      offences: (placed[KIND_INDEX.offences] as Placed<Offence>[]).map((p) => p.record),
      employment: (placed[KIND_INDEX.employment] as Placed<EmploymentSpell>[]).map((p) => p.record),
      client: clientRows.kept[0]?.record,
    };
  };

  const purpose = ctx.purpose ?? RUN;
  const tally = purpose.kind === 'run' && paysAnything(scheme) ? paymentTally(scheme, asOf) : undefined;
  const journeyTally = purpose.kind === 'check' ? emptyJourneyTally() : undefined;
  const outcomes: OutcomeCounts = {};
  const groups: OutcomeCounts = {};
  let clients = 0;
  let journeys = 0;
  let picked: ClientRecords | undefined;
  const collected: ClientRecords[] | undefined = purpose.kind === 'collect' ? [] : undefined;
  for (const id of ids) {
    if (collected) {
      collected.push(recordsOf(id));
      continue;
    }
    if (purpose.kind === 'pick') {
      if (id === purpose.client) picked = recordsOf(id);
      // Other ids here are reviews of the client's episodes under another client_id: checked for their rejections.
      else if (clientIndex.has(id)) recordsOf(id);
      continue;
    }
    const records = recordsOf(id);
    if (records.episodes.length === 0) continue; // no journeys, so no outcome and no payment
    if (purpose.kind === 'check') {
      const js = buildJourneys(records.episodes, { asOf: purpose.asOf, journeyGapDays: scheme.calendar.journeyGapDays, exitReasonMap: scheme.exitReasons });
      addClientJourneys(journeyTally!, records.episodes, js, purpose.asOf);
      journeys += js.length;
      if (js.length > 0) clients++;
      continue;
    }
    const result = evaluateClient(records, scheme, { asOf, present: ctx.present });
    journeys += result.journeys.length;
    if (result.journeys.length > 0) clients++;
    for (const d of result.decisions) {
      const bands = (outcomes[d.outcome_id] ??= {});
      const c = (bands[d.tariff_band ?? ''] ??= [0, 0, 0, 0]);
      const k = STATUS_INDEX[d.status]!;
      c[k] = c[k]! + 1;
      const g = ((groups[d.outcome_id] ??= {})[d.substance_group] ??= [0, 0, 0, 0]);
      g[k] = g[k]! + 1;
    }
    tally?.addClient(result);
    emit(id, result.decisions.length > 0 ? outcomeLines(result.decisions) : '', result.journeys.length);
  }
  rejections.sort(comparePlacedRejections);
  let pickedRejections: PlacedRejection[] | undefined;
  if (purpose.kind === 'pick') {
    // The bucket holds only the client's rows, apart from the other clients' episodes.
    const mine = new Set(episodes.filter((p) => p.record.client_id === purpose.client).map((p) => p.pos));
    pickedRejections = rejections.filter((r) => r.kind !== KIND_INDEX.episodes || mine.has(r.pos));
  }
  return {
    bucket,
    used,
    rejections,
    foreign,
    keptCopies: ep.keptCopies,
    clients,
    journeys,
    outcomes,
    groups,
    payments: tally?.toJSON(),
    ...(journeyTally ? { journeyTally } : {}),
    ...(picked ? { picked } : {}),
    ...(pickedRejections ? { pickedRejections } : {}),
    ...(collected ? { collected } : {}),
  };
}

/**
 * Adds the outcome counts of one bucket to another's.
 * @example mergeOutcomeCounts(total, result.outcomes)
 */
export function mergeOutcomeCounts(into: OutcomeCounts, from: OutcomeCounts): void {
  for (const [outcome, bands] of Object.entries(from)) {
    const mine = (into[outcome] ??= {});
    for (const [band, c] of Object.entries(bands)) {
      const m = (mine[band] ??= [0, 0, 0, 0]);
      for (let i = 0; i < 4; i++) m[i] = m[i]! + c[i]!;
    }
  }
}

function statusCounts(c: readonly number[]): StatusCounts {
  return { met: c[0]!, not_met: c[1]!, not_eligible: c[2]!, pending: c[3]! };
}

/**
 * The outcome part of `summary.json` from merged counts: the same document `outcomeCounter` builds.
 * @example outcomeSummaryOf(counts, 1996, 2382).by_outcome['free-from-dependence'].met
 */
export function outcomeSummaryOf(counts: OutcomeCounts, clients: number, journeys: number): OutcomeSummary {
  const byOutcome: Record<string, StatusCounts> = {};
  const byBand: Record<string, Record<string, StatusCounts>> = {};
  for (const [outcome, bands] of Object.entries(counts)) {
    const total = [0, 0, 0, 0];
    const b: Record<string, StatusCounts> = {};
    for (const [band, c] of Object.entries(bands)) {
      for (let i = 0; i < 4; i++) total[i] = total[i]! + c[i]!;
      b[band] = statusCounts(c);
    }
    byOutcome[outcome] = statusCounts(total);
    byBand[outcome] = sortedRecord(b);
  }
  return { clients, journeys, by_outcome: sortedRecord(byOutcome), by_outcome_and_band: sortedRecord(byBand) };
}

/**
 * The report's outcome breakdown (by band and by substance group) from merged counts: the same
 * document `outcomeBreakdownCounter` builds decision by decision.
 * @example outcomeBreakdownOf(bands, groups).by_substance_group['free-from-dependence'].opiate.met
 */
export function outcomeBreakdownOf(
  bands: OutcomeCounts,
  groups: OutcomeCounts,
): { by_band: Record<string, Record<string, StatusCounts>>; by_substance_group: Record<string, Record<string, StatusCounts>> } {
  const shape = (counts: OutcomeCounts) => {
    const out: Record<string, Record<string, StatusCounts>> = {};
    for (const [outcome, by] of Object.entries(counts)) {
      const b: Record<string, StatusCounts> = {};
      for (const [k, c] of Object.entries(by)) b[k] = statusCounts(c);
      out[outcome] = sortedRecord(b);
    }
    return sortedRecord(out);
  };
  return { by_band: shape(bands), by_substance_group: shape(groups) };
}
