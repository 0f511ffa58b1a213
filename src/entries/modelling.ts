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
export { calibrate, calibratePrices, type CalibrationOptions, type CalibrationResult, type PricePoint, type PriceTable } from '../modelling/calibrate.js';
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
} from '../modelling/forecast.js';
