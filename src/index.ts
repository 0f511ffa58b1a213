/**
 * recovery-pbr: payment-by-results outcomes for drug and alcohol recovery services.
 * This file is the public API of the browser-safe core and nothing else.
 * @module
 */
export * from './errors.js';
export * from './calendar/index.js';
export * from './schema/codes.js';
export * from './schema/dataset.js';
export {
  RECORD_FIELDS,
  RECORD_SCHEMAS,
  columnsOf,
  parseCells,
  parseRow,
  requiredColumnsOf,
  type Client,
  type DrugTest,
  type EmploymentSpell,
  type Episode,
  type FieldProblem,
  type FieldSpec,
  type Located,
  type Offence,
  type RecordOf,
  type Review,
  type RowRef,
} from './schema/records.js';
export { Invalid, isNhsNumber } from './schema/fields.js';
export * from './schema/scheme/index.js';
export type { OutcomeDefinition, Population, Primitive, PrimitiveType, Gateway } from './schema/scheme/outcomes.js';
export type { CohortTariff, Contract, ContractTerms, Payer, Rounding, Tariff } from './schema/scheme/tariff.js';
export type { HealthPremium } from './schema/scheme/health-premium.js';
export * from './validate/index.js';
export { checkHeader, columnTokens, identifierKind, type HeaderCheck, type IdentifierKind } from './validate/header.js';
export * from './journeys/index.js';
export * from './journeys/tally.js';
export * from './evidence/index.js';
export type * from './outcomes/types.js';
export * from './output/csv.js';
export * from './presets/index.js';
export {
  GENERATE_DEFAULTS,
  GENERATE_OPTIONS_SCHEMA,
  MAX_CLIENTS,
  clientIdOf,
  episodeIdOf,
  generateClient,
  generateClients,
  generateRows,
  resolveGenerateOptions,
  type Cell,
  type ClientRows,
  type Corruption,
  type GeneratedClient,
  type GeneratedRow,
  type GenerateOptions,
  type ResolvedGenerateOptions,
} from './generate/index.js';
export { evaluateClient, evaluateDataset, type ClientResult, type EvaluateOptions } from './engine/index.js';
export { decideJourney, decidePrimitive, outcomesInGatewayOrder } from './outcomes/decide.js';
export { REASON_TEXT, reasonText } from './outcomes/reasons.js';
export { settlesOn, type OutcomeContext } from './outcomes/context.js';
export { explainClient, formatExplanation, type ClientExplanation, type EpisodeLine, type JourneyExplanation } from './explain/index.js';
export { OUTCOME_COLUMNS, compareOutcomeRows, outcomeLines, outcomeRow, outcomesCsv, outcomesHeader, type OutcomeRow } from './output/outcomes.js';
export { REJECTION_COLUMNS, rejectionLines } from './output/rejections.js';
export { inputSummaries, sortedRecord, summaryJson, type InputFileSummary, type OutcomeSummary, type RunSummary, type StatusCounts } from './output/summary.js';
export { prepareRecords, runScheme, type PreparedData, type RecordInput, type RunResult } from './run/index.js';
export * from './health-premium/index.js';
export { HP_GROUPS, type HpGroup, type IndicatorRule, type NationalIndicatorRule, type Threshold } from './schema/scheme/health-premium.js';
export * from './money/index.js';
export * from './payments/index.js';
export * from './modelling/index.js';
export type { CohortMeasure, CohortStep } from './schema/scheme/tariff.js';
export {
  capPicture, compareRejections, contractYearLabel, formatPercent, idPath, longDate, orderBands, orderOutcomes,
  outcomeBreakdownCounter, outcomeRates, payerPicture, paymentGrid, periodLabel, periodRange, rateLine, reasonPattern,
  rejectionTally, renderReport, reportFromRun, reportInputFromRun, schemeParameters,
  type CapLine, type CapPicture, type CountedDecision, type FileRejections, type OutcomeBreakdown, type OutcomeRates,
  type PaidCell, type ParameterSection, type PayerLine, type PaymentGrid, type ProviderPayments, type RateLine,
  type RejectionDigest, type RejectionReason, type ReportInput, type ReportPayments, type RunReportParts,
  type SchemeParameter, type TypeAmounts,
} from './report/index.js';
export { paymentTally, type PaymentTally, type PaymentTallyJson } from './payments/stream.js';
