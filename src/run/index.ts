/**
 * A whole run, in memory: validated data and a scheme in; journeys, outcome decisions (in output
 * order) and the outcome part of `summary.json` out. Pure; the command line and the streaming
 * national-scale runner build on the same pieces.
 * @module
 */
import type { IsoDate } from '../calendar/index.js';
import { evaluateDataset, type ClientResult } from '../engine/index.js';
import { calculatePayments, type PaymentResult } from '../payments/index.js';
import type { OutcomeDecision } from '../outcomes/types.js';
import { outcomeCounter, type OutcomeSummary } from '../output/summary.js';
import { INPUT_FILES, type InputFile } from '../schema/codes.js';
import type { Dataset, DatasetCounts, Rejection } from '../schema/dataset.js';
import type { Scheme } from '../schema/scheme/index.js';
import { validateDataset, type RawRow } from '../validate/index.js';

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
 * Whether a scheme says anything about money (a tariff, a contract or a cohort tariff).
 * @example paysAnything(presetScheme('national-model-2012')) // true
 */
export function paysAnything(scheme: Pick<Scheme, 'tariff' | 'contract' | 'cohortTariff'>): boolean {
  return scheme.tariff !== undefined || scheme.contract !== undefined || scheme.cohortTariff !== undefined;
}

/**
 * Runs a scheme on validated data as known at `asOf`: journeys, every outcome decision and, when the
 * scheme has prices, the payments.
 * @example
 * const prepared = prepareRecords(records, scheme);
 * const run = runScheme(prepared, scheme, { asOf: '2015-03-31' });
 * outcomesCsv(run.decisions)
 */
export function runScheme(prepared: PreparedData, scheme: Scheme, options: { asOf: IsoDate }): RunResult {
  const { clients } = evaluateDataset(prepared.data, scheme, options);
  const counter = outcomeCounter();
  const decisions: OutcomeDecision[] = [];
  let journeys = 0;
  let withJourneys = 0;
  for (const c of clients) {
    journeys += c.journeys.length;
    if (c.journeys.length > 0) withJourneys++;
    for (const d of c.decisions) {
      counter.add(d);
      decisions.push(d);
    }
  }
  return {
    asOf: options.asOf,
    clients,
    decisions,
    outcomes: counter.result(withJourneys, journeys),
    payments: paysAnything(scheme) ? calculatePayments({ clients }, scheme, options) : undefined,
    rejections: prepared.rejections,
    counts: prepared.counts,
  };
}
