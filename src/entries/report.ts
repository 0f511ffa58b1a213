/**
 * `recovery-pbr/report`: the documents of a run beyond its CSV files — the self-contained HTML
 * report (`run --report`, `health-premium --report`) and `summary.json`. Pure and browser-safe.
 * @example
 * import { outcomeBreakdownCounter, rejectionTally, reportFromRun } from 'recovery-pbr/report';
 * const outcomes = outcomeBreakdownCounter();
 * for (const d of run.decisions) outcomes.add(d);
 * const rejections = rejectionTally();
 * for (const r of run.rejections) rejections.add(r);
 * const html = reportFromRun({ summary, scheme, outcomes: outcomes.result(), payments: run.payments, rejections: rejections.result() });
 * @module
 */
export {
  reportFromHealthPremium,
  reportFromRun,
  reportInputFromHealthPremium,
  reportInputFromRun,
  type HealthPremiumReportParts,
  type RunReportParts,
} from '../report/index.js';
export { renderReport, type ReportHealthPremium, type ReportInput, type ReportPayments } from '../report/render.js';
export { outcomeBreakdownCounter, type CountedDecision, type OutcomeBreakdown } from '../report/outcome-rates.js';
export { rejectionTally, type FileRejections, type RejectionDigest, type RejectionReason } from '../report/rejections.js';
export {
  inputSummaries,
  summaryJson,
  type InputFileSummary,
  type OutcomeSummary,
  type RunSummary,
  type StatusCounts,
} from '../output/summary.js';
