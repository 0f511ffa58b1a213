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
export { calibrate, calibratePrices, priceShape, type CalibrationOptions, type CalibrationResult, type PricePoint, type PriceTable } from './calibrate.js';
export {
  forecastIncome,
  forecastIncomeFrom,
  parseProjectedJourneys,
  type ForecastOptions,
  type ForecastQuarter,
  type IncomeForecast,
  type LagAssumption,
  type ProjectedJourneys,
  type RateAssumption,
} from './forecast.js';
export { seededRandom } from './random.js';
