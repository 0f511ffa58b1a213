/**
 * What the report is made from: plain figures a run already has (counts and exact sums per key,
 * `payments.csv` rows, cohort rates, the Health Premium assessment), never a list of every
 * decision, so a streaming or parallel run can build it from merged tallies.
 * @module
 */
import type { IsoDate } from '../calendar/index.js';
import type { HealthPremiumResult } from '../health-premium/assess.js';
import type { SegmentRow } from '../health-premium/segments.js';
import type { InputFileSummary } from '../output/summary.js';
import type { PaymentCounts } from '../payments/index.js';
import type { CohortRate, PaymentRow } from '../payments/types.js';
import type { Scheme } from '../schema/scheme/index.js';
import type { OutcomeBreakdown } from './outcome-rates.js';
import type { RejectionDigest } from './rejections.js';

/** The payment figures the report needs: the rows of `payments.csv`, what was not paid, and the cohort rates. */
export interface ReportPayments {
  rows: readonly PaymentRow[];
  counts: PaymentCounts;
  /** The rate behind each cohort payment (R-PAY-3), one per provider, cohort, outcome and period; empty or absent without a cohort tariff. */
  cohorts?: readonly CohortRate[] | undefined;
}

/** A Health Premium assessment (R-HP-1..4), as `recovery-pbr health-premium` makes it. */
export interface ReportHealthPremium {
  result: HealthPremiumResult;
  /** Segmented indicators (episode data only; empty for supplied counts). */
  segments: readonly SegmentRow[];
  /** Where the national figures came from. */
  source: 'episodes' | 'counts';
}

/**
 * Everything the report shows, as plain data a run already has (nothing is re-read).
 * Build it with `reportInputFromRun` or `reportInputFromHealthPremium`, or by hand from the library.
 */
export interface ReportInput {
  tool: { name: string; version: string };
  scheme: Scheme;
  /** `sha256:…` of the scheme's resolved rules (as in `summary.json`). */
  schemeHash: string;
  asOf: IsoDate;
  /** Per input file: name, hash, size, rows read/used/rejected (`summary.json` `inputs`). */
  inputs: Readonly<Record<string, InputFileSummary>>;
  clients: number;
  journeys: number;
  /** Outcome counts by band and substance group (`outcomeBreakdownCounter`). */
  outcomes: OutcomeBreakdown;
  /** Undefined when the scheme pays nothing (no tariff, contract or cohort tariff). */
  payments: ReportPayments | undefined;
  /** Rejected rows by file and reason, with examples (`rejectionTally`). */
  rejections: RejectionDigest;
  /** The Health Premium assessment, in a report of `recovery-pbr health-premium`. */
  healthPremium?: ReportHealthPremium | undefined;
  /** Things the run noted (ignored columns, …). */
  notes?: readonly string[];
}
