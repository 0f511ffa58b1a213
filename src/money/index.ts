/**
 * Money (R-PAY-1): exact amounts and penny-exact allocation.
 * @module
 */
export {
  Dec,
  PENNY,
  ZERO,
  decimal,
  formatMoney,
  formatPounds,
  fromPence,
  isWholePence,
  maxMoney,
  minMoney,
  money,
  roundTo,
  roundToPenny,
  sumMoney,
  toPence,
  type Decimal,
  type DecimalInput,
  type RoundingMode,
} from './amount.js';
export { allocate, allocateUnits, allocator, equalInstalments } from './allocate.js';
