/**
 * `recovery-pbr/modelling`: questions commissioners and providers ask of a scheme — what if a price
 * or a rule changed (comparison), which prices would spend a budget (calibration), what income to
 * expect from projected journeys (forecast). Pure and browser-safe; built on the outcome engine and
 * the payment rules of the root entry.
 * @example
 * import { compareOverrides, comparisonTable } from 'recovery-pbr/modelling';
 * const cmp = compareOverrides(data, presetDocument('national-model-2012'), [{ path: 'tariff.outcomes.free-from-dependence.3', value: '3000.00' }], { asOf: '2015-03-31' });
 * console.log(comparisonTable(cmp));
 * @module
 */
export { paymentRun, type PaymentRun } from '../modelling/run.js';
export {
  COMPARISON_COLUMNS,
  compareOverrides,
  compareSchemes,
  comparisonCsv,
  comparisonTable,
  withOverrides,
  type ComparisonRow,
  type ComparisonTotal,
  type PaymentComparison,
  type SchemeOverride,
  type Side,
} from '../modelling/compare.js';
export {
  calibrate,
  calibratePrices,
  calibrateSummary,
  type CalibrationOptions,
  type CalibrationResult,
  type Nudge,
  type PricePoint,
  type PriceTable,
  type SummaryCalibrationOptions,
} from '../modelling/calibrate.js';
export { calibratedScheme, calibratedSchemeDocument } from '../modelling/calibrated-scheme.js';
export {
  FORECAST_CAVEATS,
  forecastFromSummaries,
  forecastIncome,
  forecastIncomeFrom,
  forecastTally,
  parseProjectedJourneys,
  type AssumptionSource,
  type ForecastHorizon,
  type ForecastInput,
  type ForecastOptions,
  type ForecastQuarter,
  type ForecastTally,
  type ForecastTallyJson,
  type IncomeForecast,
  type LagAssumption,
  type Pipeline,
  type PipelineRow,
  type ProjectedJourneys,
  type RateAssumption,
} from '../modelling/forecast.js';
// Summaries built client by client and mergeable (a national run feeds them part by part).
export {
  payableSummaryTally,
  type CappedItem,
  type FreePayables,
  type PayableSummary,
  type PayableSummaryJson,
  type PayableSummaryTally,
} from '../modelling/payables.js';
export {
  observationTally,
  type DelayProfile,
  type ObservationJson,
  type ObservationTally,
  type ObservedOutcomes,
  type PendingOutcomes,
} from '../modelling/observations.js';
export type { ModelJob, TallyOutput, TallySpec } from '../modelling/tallies.js';
