/**
 * recovery-pbr: payment-by-results outcomes for drug and alcohol recovery services.
 *
 * The root entry is the browser-safe core, limited to what a user works with: schemes and presets,
 * the input records, errors, a run (outcomes and payments), explanations, money and the Health
 * Premium. More lives in subpath entries, each documented on its own:
 * - `recovery-pbr/node`: reading files, folders of parts and schemes from disk; the engine of the
 *   commands at national scale; writing outputs and synthetic data (Node only).
 * - `recovery-pbr/report`: the HTML report and `summary.json` of a run.
 * - `recovery-pbr/modelling`: what-if comparisons, price calibration and income forecasts.
 * - `recovery-pbr/generate`: seeded synthetic treatment data.
 * Everything else is internal and may change without notice.
 * @module
 */

// Errors a user can act on: a stable code and every problem (file, row, field or scheme path).
export { ERROR_CODES, RecoveryPbrError, isRecoveryPbrError, type ErrorCode, type Problem } from './errors.js';

// Schemes (SPEC §3) and the presets shipped with the library (SPEC §6).
export { loadScheme, parseScheme, schemeJsonSchema, type Scheme } from './schema/scheme/index.js';
export type { Provenance, ProvenanceEntry, SchemeProblem } from './schema/scheme/common.js';
export type { Gateway, OutcomeDefinition, Population, Primitive, PrimitiveType } from './schema/scheme/outcomes.js';
export type { CohortMeasure, CohortStep, CohortTariff, Contract, ContractTerms, Payer, Rounding, Tariff } from './schema/scheme/tariff.js';
export type { HealthPremium, HpGroup, IndicatorRule, NationalIndicatorRule, Threshold } from './schema/scheme/health-premium.js';
export { PRESET_IDS, presetDocument, presetScheme, resolveExtends } from './presets/index.js';

// Input records (SPEC §2): the six files, their columns and codes, and the rejection report.
export {
  EXIT_CLASSES,
  INPUT_FILES,
  OFFENCE_CATEGORIES,
  OUTCOME_STATUSES,
  REASON_CODES,
  REVIEW_STAGES,
  STANDARD_EXIT_REASONS,
  SUBSTANCES,
  SUBSTANCE_GROUPS,
  TEST_RESULTS,
  type ExitClass,
  type InputFile,
  type OffenceCategory,
  type OutcomeStatus,
  type ReasonCode,
  type ReviewStage,
  type StandardExitReason,
  type Substance,
  type SubstanceGroup,
  type TestResult,
} from './schema/codes.js';
export {
  columnsOf,
  requiredColumnsOf,
  type Client,
  type DrugTest,
  type EmploymentSpell,
  type Episode,
  type Located,
  type Offence,
  type RecordOf,
  type Review,
  type RowRef,
} from './schema/records.js';
export type { Dataset, DatasetCounts, FileCounts, LocatedRejection, Rejection } from './schema/dataset.js';
export { REJECTION_CODES, REJECTION_CODE_TEXT, type RejectionCode } from './schema/rejection-codes.js';
export { validateDataset, type RawDataset, type RawRow, type ValidationOptions, type ValidationResult } from './validate/index.js';
export { checkHeader, type HeaderCheck, type IdentifierKind } from './validate/header.js';

// A run: validated records in; journeys, outcome decisions and payments out; one client at a time.
export { prepareRecords, runScheme, type PreparedData, type RecordInput, type RunResult } from './run/index.js';
export { evaluateClient, evaluateDataset, type ClientResult, type EvaluateOptions } from './engine/index.js';
export { groupByClient, presenceOf, type ClientRecords, type EvidencePresence } from './evidence/index.js';
export type { Journey } from './journeys/index.js';
export type { DecisionWindow, EvidenceRef, OutcomeDecision, PrimitiveDecision } from './outcomes/types.js';
export { REASON_TEXT, reasonText } from './outcomes/reasons.js';
export type { OutcomeSummary, StatusCounts } from './output/summary.js';
export { OUTCOME_COLUMNS, outcomesCsv, type OutcomeRow } from './output/outcomes.js';
export { REJECTION_COLUMNS, rejectionsCsv } from './output/rejections.js';

// Explanations: why was this client (not) paid, and how much?
export {
  dependsOnCaps,
  explainClient,
  explainPayments,
  formatExplanation,
  type ClientExplanation,
  type ClientPaymentSummary,
  type ClientPayments,
  type EpisodeLine,
  type ExplainedLine,
  type ExplainedLineStatus,
  type ExplainOptions,
  type JourneyExplanation,
  type OutcomeExplanation,
  type PaymentExplanation,
  type RejectedRow,
  type UnpaidCause,
  type UnpaidReason,
} from './explain/index.js';

// Payments (SPEC §3.4) and money (R-PAY-1: exact decimals, penny-exact allocation).
export {
  calculatePayments,
  type PaymentCounts,
  type PaymentResult,
  type PaymentScheme,
} from './payments/index.js';
export { PAYMENT_COLUMNS, paymentsCsv, type AmountsByType, type PaymentTotals, type ProviderTotals } from './payments/table.js';
export type { UnpricedCounts } from './payments/items.js';
export {
  PAYMENT_TYPES,
  type ClientOutcomes,
  type CohortRate,
  type LineStatus,
  type PayableItem,
  type PaymentInput,
  type PaymentLine,
  type PaymentRow,
  type PaymentType,
} from './payments/types.js';
export { decimal, formatMoney, formatPounds, money, sumMoney, type Decimal, type DecimalInput, type RoundingMode } from './money/amount.js';
export { allocate } from './money/allocate.js';

// The Health Premium Incentive Scheme (SPEC §3.5).
export { runHealthPremium, type HealthPremiumRun, type HealthPremiumRunInput } from './health-premium/index.js';
export {
  parseAggregateCounts,
  parseLocalIndicators,
  parseWeights,
  type AggregateCountRow,
  type LocalIndicator,
  type LocalIndicatorRow,
  type SuppliedProblem,
  type SuppliedRow,
  type WeightRow,
} from './health-premium/aggregate.js';
export type { AreaResult, HealthPremiumResult, HealthPremiumRow, RowFigures, RowRole, RowStatus } from './health-premium/assess.js';
export type { IndicatorCount, IndicatorStatus } from './health-premium/indicators.js';
export type { SegmentRow } from './health-premium/segments.js';
export type { Direction, Measure } from './health-premium/eligibility.js';
export {
  healthPremiumCsv,
  healthPremiumJson,
  healthPremiumSegmentsCsv,
  healthPremiumSummary,
  healthPremiumText,
  type HealthPremiumRunInfo,
  type HealthPremiumSummary,
} from './health-premium/output.js';

// Calendar basics: dates are ISO strings (YYYY-MM-DD, no time zone), months as the rules count them.
export { addDays, addMonths, daysBetween, isIsoDate, type IsoDate } from './calendar/index.js';
