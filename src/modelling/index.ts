/**
 * Modelling for commissioners and providers: what-if comparisons, price calibration and income
 * forecasts, on top of the outcome engine and the payment rules.
 * @module
 */
export { outcomeRulesKey, paymentRun, type PaymentRun } from './run.js';
export {
  COMPARISON_COLUMNS,
  compareLines,
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
} from './compare.js';
export {
  calibrate,
  calibratePrices,
  calibrateSummary,
  fewestSummingTo,
  priceShape,
  type CalibrationOptions,
  type CalibrationResult,
  type Nudge,
  type PricePoint,
  type PriceTable,
  type SummaryCalibrationOptions,
} from './calibrate.js';
export { CALIBRATED_SCHEMA_REF, calibratedScheme, calibratedSchemeDocument, calibrationStamp, type CalibrationStamp, type PriceChange } from './calibrated-scheme.js';
export {
  FORECAST_CAVEATS,
  MAX_DEFAULT_QUARTERS,
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
} from './forecast.js';
export {
  decidedOn,
  observationTally,
  observeOutcomes,
  type DelayProfile,
  type ObservationJson,
  type ObservationTally,
  type ObservedOutcomes,
  type PendingOutcomes,
} from './observations.js';
export {
  payableSummaryTally,
  summarisePayables,
  type CappedItem,
  type FreePayables,
  type PayableSummary,
  type PayableSummaryJson,
  type PayableSummaryTally,
} from './payables.js';
export { seededRandom } from './random.js';
