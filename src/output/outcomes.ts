/**
 * `outcomes.csv` (SPEC §4): one row per journey and outcome, sorted by client_id, journey_id,
 * outcome_id (code point order, R-JNY-5).
 * @module
 */
import { compareCodePoint } from '../calendar/index.js';
import type { OutcomeDecision } from '../outcomes/types.js';
import { csvCell, csvLine } from './csv.js';

/** The columns of `outcomes.csv`, in order. */
export const OUTCOME_COLUMNS = [
  'client_id',
  'journey_id',
  'provider_id',
  'area_code',
  'substance_group',
  'tariff_band',
  'outcome_id',
  'status',
  'achieved_on',
  'due_on',
  'reason',
] as const;

/** One row of `outcomes.csv`. */
export type OutcomeRow = Record<(typeof OUTCOME_COLUMNS)[number], string>;

/**
 * The `outcomes.csv` row of a decision.
 * @example outcomeRow(decision).status // 'met'
 */
export function outcomeRow(d: OutcomeDecision): OutcomeRow {
  return {
    client_id: d.client_id,
    journey_id: d.journey_id,
    provider_id: d.provider_id,
    area_code: d.area_code,
    substance_group: d.substance_group,
    tariff_band: d.tariff_band ?? '',
    outcome_id: d.outcome_id,
    status: d.status,
    achieved_on: d.achieved_on ?? '',
    due_on: d.due_on ?? '',
    reason: d.reason ?? '',
  };
}

/**
 * Sort order of `outcomes.csv`: client_id, journey_id, outcome_id.
 * @example decisions.sort(compareOutcomeRows)
 */
export function compareOutcomeRows(a: Pick<OutcomeDecision, 'client_id' | 'journey_id' | 'outcome_id'>, b: typeof a): number {
  return compareCodePoint(a.client_id, b.client_id) || compareCodePoint(a.journey_id, b.journey_id) || compareCodePoint(a.outcome_id, b.outcome_id);
}

/**
 * The header line of `outcomes.csv`.
 * @example outcomesHeader() // 'client_id,journey_id,…,reason\n'
 */
export function outcomesHeader(): string {
  return csvLine(OUTCOME_COLUMNS);
}

/**
 * CSV lines (no header) of decisions already in output order.
 * @example outcomesHeader() + outcomeLines(decisions)
 */
export function outcomeLines(decisions: Iterable<OutcomeDecision>): string {
  let out = '';
  // The cells of outcomeRow(d) in OUTCOME_COLUMNS order (a blank is undefined here, '' there: the
  // same cell), without a row object and an array per decision: millions at national scale. A
  // journey's outcomes follow one another and share its first six cells, written once per journey.
  let journey: OutcomeDecision | undefined;
  let prefix = '';
  for (const d of decisions) {
    if (journey === undefined || !sameJourneyCells(journey, d)) {
      journey = d;
      prefix =
        csvCell(d.client_id) + ',' + csvCell(d.journey_id) + ',' + csvCell(d.provider_id) + ',' + csvCell(d.area_code) + ',' +
        csvCell(d.substance_group) + ',' + csvCell(d.tariff_band) + ',';
    }
    // A status, a reason code and an ISO date are their own cells (no character a cell must quote
    // or guard; test/output/outcomes.test.ts holds every one of them to csvCell): only the outcome
    // id, the scheme's, is looked up.
    out += prefix + knownCell(d.outcome_id) + ',' + d.status + ',' + (d.achieved_on ?? '') + ',' + (d.due_on ?? '') + ',' + (d.reason ?? '') + '\n';
  }
  return out;
}

/** Whether two decisions have the same first six cells (those of their journey). */
function sameJourneyCells(a: OutcomeDecision, b: OutcomeDecision): boolean {
  return (
    a.client_id === b.client_id &&
    a.journey_id === b.journey_id &&
    a.provider_id === b.provider_id &&
    a.area_code === b.area_code &&
    a.substance_group === b.substance_group &&
    a.tariff_band === b.tariff_band
  );
}

const KNOWN_CELLS = new Map<string, string>();
const KNOWN_CELLS_LIMIT = 1 << 16;

/**
 * A cell of few distinct values (a scheme's outcome ids), remembered: the same few strings fill
 * millions of lines. Bounded, so that a scheme of odd ids cannot grow the
 * memo without end; past the bound a cell is simply written again.
 */
function knownCell(value: string | undefined): string {
  if (value === undefined) return '';
  let cell = KNOWN_CELLS.get(value);
  if (cell === undefined) {
    cell = csvCell(value);
    if (KNOWN_CELLS.size < KNOWN_CELLS_LIMIT) KNOWN_CELLS.set(value, cell);
  }
  return cell;
}

/**
 * The whole `outcomes.csv` text for a set of decisions (sorted here).
 * @example outcomesCsv(result.clients.flatMap((c) => c.decisions))
 */
export function outcomesCsv(decisions: readonly OutcomeDecision[]): string {
  return outcomesHeader() + outcomeLines([...decisions].sort(compareOutcomeRows));
}
