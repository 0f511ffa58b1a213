/**
 * The HTML report of a run (`run --report`): one self-contained file for commissioners and
 * provider finance staff, with payments per period and provider, outcome rates with intervals,
 * caps and payers, rejections, and the scheme's parameters with provenance. Pure and browser-safe.
 * @module
 */
import type { RunSummary } from '../output/summary.js';
import type { Scheme } from '../schema/scheme/index.js';
import type { OutcomeBreakdown } from './outcome-rates.js';
import type { RejectionDigest } from './rejections.js';
import { renderReport, type ReportInput, type ReportPayments } from './render.js';

/** What a run command has at hand when it writes its outputs. */
export interface RunReportParts {
  /** The document written as `summary.json` (tool, scheme hash, asOf, inputs, clients, journeys, notes). */
  summary: RunSummary;
  scheme: Scheme;
  /** Outcome counts by band and substance group, fed decision by decision ({@link outcomeBreakdownCounter}). */
  outcomes: OutcomeBreakdown;
  /** The payment result (only `rows` and `counts` are read), or undefined when the scheme pays nothing. */
  payments: ReportPayments | undefined;
  /** Rejections fed one by one into {@link rejectionTally}. */
  rejections: RejectionDigest;
}

/**
 * The report input from what a run already has: `summary.json`'s document, the scheme, and three
 * small accumulations. Nothing is re-read and no decision is kept.
 * @example reportInputFromRun({ summary, scheme, outcomes: counter.result(), payments: run.payments, rejections: tally.result() })
 */
export function reportInputFromRun(parts: RunReportParts): ReportInput {
  const s = parts.summary;
  return {
    tool: { name: s.tool.name, version: s.tool.version },
    scheme: parts.scheme,
    schemeHash: s.scheme.hash,
    asOf: s.asOf,
    inputs: s.inputs,
    clients: s.outcomes?.clients ?? 0,
    journeys: s.outcomes?.journeys ?? 0,
    outcomes: parts.outcomes,
    payments: parts.payments ? { rows: parts.payments.rows, counts: parts.payments.counts } : undefined,
    rejections: parts.rejections,
    notes: s.notes ?? [],
  };
}

/**
 * The HTML text of a run's report (see {@link renderReport}).
 * @example
 * const counter = outcomeBreakdownCounter();
 * for (const d of run.decisions) counter.add(d);
 * const tally = rejectionTally();
 * for (const r of read.rejections) tally.add(r);
 * const html = reportFromRun({ summary, scheme, outcomes: counter.result(), payments: run.payments, rejections: tally.result() });
 */
export function reportFromRun(parts: RunReportParts): string {
  return renderReport(reportInputFromRun(parts));
}

export { renderReport, longDate, type ReportInput, type ReportPayments } from './render.js';
export { outcomeBreakdownCounter, outcomeRates, rateLine, formatPercent, orderBands, orderOutcomes, type CountedDecision, type OutcomeBreakdown, type OutcomeRates, type RateLine } from './outcome-rates.js';
export { rejectionTally, reasonPattern, compareRejections, type FileRejections, type RejectionDigest, type RejectionReason } from './rejections.js';
export { paymentGrid, capPicture, payerPicture, periodRange, periodLabel, contractYearLabel, type CapLine, type CapPicture, type PaidCell, type PayerLine, type PaymentGrid, type ProviderPayments, type TypeAmounts } from './payments.js';
export { schemeParameters, idPath, type ParameterSection, type SchemeParameter } from './parameters.js';
