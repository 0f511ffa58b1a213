/**
 * Outcome counts, one accumulator for every use: `summary.json` (by outcome, by outcome and band),
 * the report (by band and by substance group) and the command line. Decisions are added one at a
 * time; tallies of parts of the clients merge exactly (counts add), so a partitioned run counts what
 * a single pass counts. Browser-safe.
 * @module
 */
import { OUTCOME_STATUSES } from '../schema/codes.js';
import type { OutcomeDecision } from '../outcomes/types.js';
import { sortedRecord, type OutcomeSummary, type StatusCounts } from './summary.js';

/** Counts by status in SPEC order: met, not_met, not_eligible, pending. */
type Counts = [number, number, number, number];

/** outcome → key (a band, or a substance group) → counts by status. */
type Nested = Record<string, Record<string, Counts>>;

/** An {@link OutcomeTally} as plain data (for another thread). */
export interface OutcomeTallyJson {
  clients: number;
  journeys: number;
  bands: Nested;
  groups: Nested;
}

/** Outcome counts by band and by substance group, for the report. */
export interface OutcomeBreakdown {
  /** outcome → band ('' = no band) → counts. */
  by_band: Record<string, Record<string, StatusCounts>>;
  /** outcome → substance group → counts. */
  by_substance_group: Record<string, Record<string, StatusCounts>>;
}

const STATUS_INDEX: Record<string, number> = Object.fromEntries(OUTCOME_STATUSES.map((s, i) => [s, i]));

function statusCounts(c: readonly number[]): StatusCounts {
  return { met: c[0]!, not_met: c[1]!, not_eligible: c[2]!, pending: c[3]! };
}

function addNested(into: Nested, from: Nested): void {
  for (const [outcome, byKey] of Object.entries(from)) {
    const mine = (into[outcome] ??= {});
    for (const [key, c] of Object.entries(byKey)) {
      const m = (mine[key] ??= [0, 0, 0, 0]);
      for (let i = 0; i < 4; i++) m[i] = m[i]! + c[i]!;
    }
  }
}

function shaped(n: Nested): Record<string, Record<string, StatusCounts>> {
  const out: Record<string, Record<string, StatusCounts>> = {};
  for (const [outcome, byKey] of Object.entries(n)) {
    const b: Record<string, StatusCounts> = {};
    for (const [k, c] of Object.entries(byKey)) b[k] = statusCounts(c);
    out[outcome] = sortedRecord(b);
  }
  return sortedRecord(out);
}

/**
 * Outcome counts of a run, decision by decision, mergeable.
 * @example
 * const t = new OutcomeTally();
 * for (const c of results) t.addClient(c);
 * t.summary().by_outcome['free-from-dependence'].met
 */
export class OutcomeTally {
  clients = 0;
  journeys = 0;
  private readonly bands: Nested = {};
  private readonly groups: Nested = {};

  /** Adds one decision (one row of `outcomes.csv`). */
  add(d: Pick<OutcomeDecision, 'outcome_id' | 'tariff_band' | 'substance_group' | 'status'>): void {
    const k = STATUS_INDEX[d.status]!;
    const b = ((this.bands[d.outcome_id] ??= {})[d.tariff_band ?? ''] ??= [0, 0, 0, 0]);
    b[k] = b[k]! + 1;
    const g = ((this.groups[d.outcome_id] ??= {})[d.substance_group] ??= [0, 0, 0, 0]);
    g[k] = g[k]! + 1;
  }

  /** Adds one client's journeys and decisions (a client counts when it has a journey). */
  addClient(c: { journeys: readonly unknown[]; decisions: readonly OutcomeDecision[] }): void {
    this.journeys += c.journeys.length;
    if (c.journeys.length > 0) this.clients++;
    for (const d of c.decisions) this.add(d);
  }

  /** Adds what another tally counted. */
  merge(o: OutcomeTallyJson): void {
    this.clients += o.clients;
    this.journeys += o.journeys;
    addNested(this.bands, o.bands);
    addNested(this.groups, o.groups);
  }

  toJSON(): OutcomeTallyJson {
    return { clients: this.clients, journeys: this.journeys, bands: this.bands, groups: this.groups };
  }

  /** The `outcomes` section of `summary.json`. */
  summary(): OutcomeSummary {
    const byOutcome: Record<string, StatusCounts> = {};
    for (const [outcome, bands] of Object.entries(this.bands)) {
      const total = [0, 0, 0, 0];
      for (const c of Object.values(bands)) for (let i = 0; i < 4; i++) total[i] = total[i]! + c[i]!;
      byOutcome[outcome] = statusCounts(total);
    }
    return { clients: this.clients, journeys: this.journeys, by_outcome: sortedRecord(byOutcome), by_outcome_and_band: shaped(this.bands) };
  }

  /** Counts by band and by substance group (the report's outcome rates). */
  breakdown(): OutcomeBreakdown {
    return { by_band: shaped(this.bands), by_substance_group: shaped(this.groups) };
  }
}
