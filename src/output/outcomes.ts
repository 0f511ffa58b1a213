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
  for (const d of decisions) {
    // The cells of outcomeRow(d) in OUTCOME_COLUMNS order (a blank is undefined here, '' there: the
    // same cell), without a row object and an array per decision: millions at national scale.
    out +=
      csvCell(d.client_id) + ',' + csvCell(d.journey_id) + ',' + csvCell(d.provider_id) + ',' + csvCell(d.area_code) + ',' +
      csvCell(d.substance_group) + ',' + csvCell(d.tariff_band) + ',' + csvCell(d.outcome_id) + ',' + csvCell(d.status) + ',' +
      csvCell(d.achieved_on) + ',' + csvCell(d.due_on) + ',' + csvCell(d.reason) + '\n';
  }
  return out;
}

/**
 * The whole `outcomes.csv` text for a set of decisions (sorted here).
 * @example outcomesCsv(result.clients.flatMap((c) => c.decisions))
 */
export function outcomesCsv(decisions: readonly OutcomeDecision[]): string {
  return outcomesHeader() + outcomeLines([...decisions].sort(compareOutcomeRows));
}
