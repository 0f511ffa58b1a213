/**
 * The HTML report of a run (`run --report`) or of a Health Premium assessment (`health-premium
 * --report`): one self-contained file for commissioners and provider finance staff, with what the
 * money bought (spend by outcome and band, cost per met outcome and per journey), payments per
 * period and provider, the cohort tariff, the Health Premium, outcome rates with intervals, caps and
 * payers, rejections, and the scheme's parameters with provenance. Pure and browser-safe.
 * @module
 */
import type { HealthPremiumRun } from '../health-premium/index.js';
import type { RunSummary } from '../output/summary.js';
import type { Scheme } from '../schema/scheme/index.js';
import type { ReportInput, ReportPayments } from './input.js';
import type { OutcomeBreakdown } from './outcome-rates.js';
import type { RejectionDigest } from './rejections.js';
import { renderReport } from './render.js';

/** What a run command has at hand when it writes its outputs. */
export interface RunReportParts {
  /** The document written as `summary.json` (tool, scheme hash, asOf, inputs, clients, journeys, notes). */
  summary: RunSummary;
  scheme: Scheme;
  /** Outcome counts by band and substance group, fed decision by decision ({@link outcomeBreakdownCounter}). */
  outcomes: OutcomeBreakdown;
  /** The payment result (only `rows`, `counts` and `cohorts` are read), or undefined when the scheme pays nothing. */
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
    payments: parts.payments ? { rows: parts.payments.rows, counts: parts.payments.counts, cohorts: parts.payments.cohorts ?? [] } : undefined,
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

/** What `recovery-pbr health-premium` has at hand when it writes its outputs. */
export interface HealthPremiumReportParts {
  /** The document written as `summary.json` (tool, scheme hash, asOf, inputs, notes). */
  summary: RunSummary;
  scheme: Scheme;
  /** The assessment (`runHealthPremium`). */
  run: Pick<HealthPremiumRun, 'result' | 'segments' | 'source'>;
  /** Rejections of the episode data (none for published counts), fed into {@link rejectionTally}. */
  rejections: RejectionDigest;
}

/**
 * The report input of a Health Premium assessment: the areas, their indicators, what they earn.
 * @example reportInputFromHealthPremium({ summary, scheme, run, rejections: tally.result() })
 */
export function reportInputFromHealthPremium(parts: HealthPremiumReportParts): ReportInput {
  const s = parts.summary;
  return {
    tool: { name: s.tool.name, version: s.tool.version },
    scheme: parts.scheme,
    schemeHash: s.scheme.hash,
    asOf: s.asOf,
    inputs: s.inputs,
    clients: 0,
    journeys: 0,
    outcomes: { by_band: {}, by_substance_group: {} },
    payments: undefined,
    rejections: parts.rejections,
    healthPremium: { result: parts.run.result, segments: parts.run.segments, source: parts.run.source },
    notes: s.notes ?? [],
  };
}

/**
 * The HTML text of a Health Premium assessment's report (`health-premium --report`).
 * @example writeFileSync('health-premium.html', reportFromHealthPremium({ summary, scheme, run, rejections }))
 */
export function reportFromHealthPremium(parts: HealthPremiumReportParts): string {
  return renderReport(reportInputFromHealthPremium(parts));
}

export { renderReport, longDate } from './render.js';
export type { ReportHealthPremium, ReportInput, ReportPayments } from './input.js';
export { pounds } from './html.js';
export { spendPicture, outcomeCosts, journeysByBand, type OutcomeCost, type OutcomeCostLine, type SpendCell, type SpendLine, type SpendPicture } from './spend.js';
export { cohortPicture, type CohortCell, type CohortMeasureLine, type CohortPicture } from './cohorts.js';
export { outcomeBreakdownCounter, outcomeRates, rateLine, formatPercent, orderBands, orderOutcomes, type CountedDecision, type OutcomeBreakdown, type OutcomeRates, type RateLine } from './outcome-rates.js';
export { rejectionTally, compareRejections, type FileRejections, type RejectionDigest, type RejectionReason } from './rejections.js';
export { paymentGrid, capPicture, payerPicture, periodRange, periodLabel, contractYearLabel, type CapLine, type CapPicture, type PaidCell, type PayerLine, type PaymentGrid, type ProviderPayments, type TypeAmounts } from './payments.js';
export { schemeParameters, idPath, type ParameterSection, type SchemeParameter } from './parameters.js';
