/**
 * One bucket of a partitioned run (issue #6): the records of the clients whose id hashes to this
 * bucket are checked across rows (R-VAL-2, as `checkDataset` does for a whole dataset), grouped by
 * client and evaluated client by client; each client's `outcomes.csv` lines are handed out at once,
 * in client_id order, and only counts and payment tallies are kept. Pure (browser-safe).
 * @module
 */
import { compareCodePoint, type IsoDate } from '../calendar/index.js';
import { evaluateClient } from '../engine/index.js';
import type { ClientRecords, EvidencePresence } from '../evidence/index.js';
import { outcomeLines } from '../output/outcomes.js';
import { sortedRecord, type OutcomeSummary, type StatusCounts } from '../output/summary.js';
import { paymentTally, type PaymentTallyJson } from '../payments/stream.js';
import { OUTCOME_STATUSES, INPUT_FILES } from '../schema/codes.js';
import { parseCells, parseRow, type Client, type DrugTest, type EmploymentSpell, type Episode, type Located, type Offence, type Review } from '../schema/records.js';
import type { Scheme } from '../schema/scheme/index.js';
import { paysAnything } from './index.js';
import {
  KIND_INDEX,
  checkReviews,
  comparePlacedRejections,
  decodeRow,
  dedupePlaced,
  fieldCells,
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
}

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
  outcomes: OutcomeCounts;
  payments: PaymentTallyJson | undefined;
}

const STATUS_INDEX: Record<string, number> = Object.fromEntries(OUTCOME_STATUSES.map((s, i) => [s, i]));

/**
 * Checks and evaluates one bucket. `lines` are rows as phase 1 wrote them (see `decodeRow`); `spanning` lists
 * episode ids whose rows fall in several buckets (with every position), which are all rejected.
 * `emit` receives each client's `outcomes.csv` lines, in client_id order.
 * @example processBucket(0, lines, new Map(), ctx, (id, text) => out.push(text))
 */
export function processBucket(
  bucket: number,
  lines: Iterable<string>,
  spanning: ReadonlyMap<string, readonly number[]>,
  ctx: BucketContext,
  emit: (clientId: string, text: string, journeys: number) => void,
): BucketResult {
  const { scheme, asOf, names } = ctx;
  const placed: Placed[][] = INPUT_FILES.map(() => []);
  const rejections: PlacedRejection[] = [];
  const at = ctx.columns.map((parts, kind) => parts.map((c) => (c ? fieldCells(INPUT_FILES[kind]!, c) : undefined)));
  // Rows as read: parsed here (R-VAL-2 row rules), in parallel across buckets.
  for (const line of lines) {
    if (line.length === 0) continue;
    const d = decodeRow(line, at);
    const file = INPUT_FILES[d.kind]!;
    const p = d.cells ? parseCells(file, d.cells, d.at!) : parseRow(file, d.values!);
    if (p.ok) {
      const record = p.record as Record<string, unknown>;
      record['row'] = rowOf(d.pos);
      placed[d.kind]!.push({ pos: d.pos, record: record as Located<Record<string, unknown>> });
    } else {
      rejections.push({ kind: d.kind, pos: d.pos, field: p.problem.field, value: shownValue(p.problem.value), reason: p.problem.reason });
    }
  }
  // Read order (parts in name order, then rows), as the in-memory path sees the rows.
  for (const list of placed) list.sort((a, b) => a.pos - b.pos);
  const foreign: ForeignReview[] = [];

  const ep = dedupePlaced(
    KIND_INDEX.episodes,
    placed[KIND_INDEX.episodes] as Placed<Episode>[],
    (e) => e.episode_id,
    'episode_id',
    names,
    rejections,
    spanning,
  );
  const byId = new Map<string, Located<Episode>>();
  for (const p of ep.kept) byId.set(p.record.episode_id, p.record);
  const reviews = checkReviews(
    placed[KIND_INDEX.reviews] as Placed<Review>[],
    byId,
    scheme.calendar.reviewToleranceDays,
    rejections,
    foreign,
  );
  const clientRows = dedupePlaced(KIND_INDEX.clients, placed[KIND_INDEX.clients] as Placed<Client>[], (c) => c.client_id, 'client_id', names, rejections);

  const used = INPUT_FILES.map(() => 0);
  used[KIND_INDEX.episodes] = ep.kept.length;
  used[KIND_INDEX.reviews] = reviews.length;
  used[KIND_INDEX.drug_tests] = placed[KIND_INDEX.drug_tests]!.length;
  used[KIND_INDEX.offences] = placed[KIND_INDEX.offences]!.length;
  used[KIND_INDEX.employment] = placed[KIND_INDEX.employment]!.length;
  used[KIND_INDEX.clients] = clientRows.kept.length;

  // Group by client (as groupByClient), then evaluate in client_id order.
  const byClient = new Map<string, ClientRecords>();
  const get = (id: string) => {
    let c = byClient.get(id);
    if (!c) byClient.set(id, (c = { client_id: id, episodes: [], reviews: [], drug_tests: [], offences: [], employment: [], client: undefined }));
    return c;
  };
  for (const p of ep.kept) get(p.record.client_id).episodes.push(p.record);
  for (const p of reviews) get(p.record.client_id).reviews.push(p.record);
  for (const p of placed[KIND_INDEX.drug_tests] as Placed<DrugTest>[]) get(p.record.client_id).drug_tests.push(p.record);
  for (const p of placed[KIND_INDEX.offences] as Placed<Offence>[]) get(p.record.client_id).offences.push(p.record);
  for (const p of placed[KIND_INDEX.employment] as Placed<EmploymentSpell>[]) get(p.record.client_id).employment.push(p.record);
  for (const p of clientRows.kept) get(p.record.client_id).client = p.record;
  placed.length = 0;
  const ids = [...byClient.keys()].sort(compareCodePoint);

  const tally = paysAnything(scheme) ? paymentTally(scheme, asOf) : undefined;
  const outcomes: OutcomeCounts = {};
  let clients = 0;
  let journeys = 0;
  for (const id of ids) {
    const records = byClient.get(id)!;
    byClient.delete(id);
    const result = evaluateClient(records, scheme, { asOf, present: ctx.present });
    journeys += result.journeys.length;
    if (result.journeys.length > 0) clients++;
    for (const d of result.decisions) {
      const bands = (outcomes[d.outcome_id] ??= {});
      const c = (bands[d.tariff_band ?? ''] ??= [0, 0, 0, 0]);
      const k = STATUS_INDEX[d.status]!;
      c[k] = c[k]! + 1;
    }
    tally?.addClient(result);
    emit(id, result.decisions.length > 0 ? outcomeLines(result.decisions) : '', result.journeys.length);
  }
  rejections.sort(comparePlacedRejections);
  return {
    bucket,
    used,
    rejections,
    foreign,
    keptCopies: ep.keptCopies,
    clients,
    journeys,
    outcomes,
    payments: tally?.toJSON(),
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
