/**
 * A whole run, in memory: rows or records in; journeys, outcome decisions (in output order), the
 * outcome part of `summary.json` and the payments out. It is the pipeline with one partition
 * (src/pipeline): the same reader, checks, per-client kernel and tallies as a run on a data folder
 * at national scale. Pure.
 * @module
 */
import type { IsoDate } from '../calendar/index.js';
import type { ClientResult } from '../engine/index.js';
import type { OutcomeDecision } from '../outcomes/types.js';
import { OutcomeTally } from '../output/outcome-tally.js';
import type { OutcomeSummary } from '../output/summary.js';
import { calculatePayments, type PaymentResult } from '../payments/index.js';
import { checkRows, rowsOfDataset } from '../pipeline/memory.js';
import { paysAnything, runPartition } from '../pipeline/run.js';
import { presenceOf } from '../evidence/index.js';
import { INPUT_FILES, type InputFile } from '../schema/codes.js';
import type { Dataset, DatasetCounts, Rejection } from '../schema/dataset.js';
import type { Scheme } from '../schema/scheme/index.js';
import { validateDataset, type RawRow } from '../validate/index.js';

export { paysAnything };

/** Validated input: the usable records, the rejected rows and the counts per file. */
export interface PreparedData {
  data: Dataset;
  rejections: Rejection[];
  counts: DatasetCounts;
}

/** Input given as plain objects (e.g. from an API or a database query), one array per file. */
export type RecordInput = Partial<Record<InputFile, readonly Record<string, unknown>[]>> & { episodes: readonly Record<string, unknown>[] };

/**
 * Validates plain objects exactly as files are validated (R-VAL-1, R-VAL-2): each object is parsed
 * with the record schema; rejections carry the object's position (first object = row 1).
 * @example const prepared = prepareRecords({ episodes: [{ episode_id: 'E1', client_id: 'C1', … }] }, scheme);
 */
export function prepareRecords(input: RecordInput, scheme?: Pick<Scheme, 'exitReasons' | 'calendar'>): PreparedData {
  const raw: Partial<Record<InputFile, RawRow[]>> = {};
  for (const f of INPUT_FILES) {
    const rows = input[f];
    if (rows) raw[f] = rows.map((values, i) => ({ row: i + 1, values }));
  }
  return validateDataset(raw, { exitReasonMap: scheme?.exitReasons, reviewToleranceDays: scheme?.calendar.reviewToleranceDays });
}

/** The result of {@link runScheme}. */
export interface RunResult {
  asOf: IsoDate;
  clients: ClientResult[];
  /** Every decision in `outcomes.csv` order (client, journey, outcome). */
  decisions: OutcomeDecision[];
  outcomes: OutcomeSummary;
  /** Payments (R-PAY), when the scheme has a tariff, a contract or a cohort tariff. */
  payments: PaymentResult | undefined;
  rejections: Rejection[];
  counts: DatasetCounts;
}

/**
 * Runs a scheme on validated data as known at `asOf`: journeys, every outcome decision and, when the
 * scheme has prices, the payments (with every payment line, for explanations).
 * @example
 * const prepared = prepareRecords(records, scheme);
 * const run = runScheme(prepared, scheme, { asOf: '2015-03-31' });
 * outcomesCsv(run.decisions)
 */
export function runScheme(prepared: PreparedData, scheme: Scheme, options: { asOf: IsoDate }): RunResult {
  const checked = checkRows(rowsOfDataset(prepared.data), { exitReasonMap: scheme.exitReasons, reviewToleranceDays: scheme.calendar.reviewToleranceDays });
  const clients: ClientResult[] = [];
  const decisions: OutcomeDecision[] = [];
  const tally = new OutcomeTally();
  runPartition(checked, {
    scheme,
    asOf: options.asOf,
    present: presenceOf(prepared.data),
    payments: false,
    // The library's result shows every decision with its notes, evidence and windows.
    explain: true,
    onClient: (_records, result) => {
      clients.push(result);
      for (const d of result.decisions) decisions.push(d);
      tally.addClient(result);
    },
  });
  return {
    asOf: options.asOf,
    clients,
    decisions,
    outcomes: tally.summary(),
    payments: paysAnything(scheme) ? calculatePayments({ clients }, scheme, options) : undefined,
    rejections: prepared.rejections,
    counts: prepared.counts,
  };
}
