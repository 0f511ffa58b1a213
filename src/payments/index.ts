/**
 * Payments (SPEC §3.4, R-PAY-1..8): from the outcome engine's journeys and decisions to payable
 * items, payment lines (contract dates, per-client limits, caps), `payments.csv` rows and totals.
 * @module
 */
import { compareCodePoint, type IsoDate } from '../calendar/index.js';
import { ZERO, formatMoney, type Decimal } from '../money/amount.js';
import type { Scheme } from '../schema/scheme/index.js';
import { applyCaps, compareChronological } from './caps.js';
import { cohortItems } from './cohort.js';
import { contractCalendar, contractYearOf, inContract, periodOf } from './contract.js';
import { fixedItems } from './fixed.js';
import { clientItems, type UnpricedCounts } from './items.js';
import { applyClientLimits } from './limits.js';
import { DEFAULT_PAYERS } from './payers.js';
import { paymentRows, paymentTotals, paymentTotalsJson, type PaymentTotals } from './table.js';
import type { CohortRate, PayableItem, PaymentInput, PaymentLine, PaymentRow } from './types.js';

/** The parts of a scheme the payment rules read. */
export type PaymentScheme = Pick<Scheme, 'tariff' | 'contract' | 'payers' | 'cohortTariff'>;

/** Counts of what was not paid and why (for `summary.json`). */
export interface PaymentCounts extends UnpricedCounts {
  /** R-PAY-8: items dated outside [contract.start, contract.end]. */
  outside_contract: { items: number; amount: Decimal };
  /** R-OUT-10: outcome and sustainment items beyond `maxPerClientPerYear`. */
  over_client_limit: { items: number; amount: Decimal };
  /** R-PAY-4: items cut by a cap in whole or in part, and the amount cut. */
  capped: { items: number; amount: Decimal };
}

/** Everything the payment rules produce for one run. */
export interface PaymentResult {
  asOf: IsoDate;
  /** Every item with its status, period and paid/capped parts, in chronological (cap) order. */
  lines: PaymentLine[];
  /** `payments.csv` rows, sorted as SPEC §4. */
  rows: PaymentRow[];
  totals: PaymentTotals;
  counts: PaymentCounts;
  /** Cohort tariff rates behind each cohort payment (R-PAY-3). */
  cohorts: CohortRate[];
}

/**
 * Payment lines from payable items: period and contract year, R-PAY-8 contract dates, R-OUT-10
 * limits and R-PAY-4 caps. Exposed so that modelling can re-price items without re-running the rules.
 * @example toPaymentLines(items, scheme)
 */
export function toPaymentLines(items: readonly PayableItem[], scheme: PaymentScheme): PaymentLine[] {
  return applyCaps(linesBeforeCaps(items, scheme), scheme.contract);
}

/** Where a payable date falls in the contract: its period, its contract year, and whether it is inside. */
export interface ContractDates {
  period: IsoDate;
  year: IsoDate;
  inside: boolean;
}

/**
 * The contract's dates of a payable date, each date worked out once (many items share a date).
 * @example contractDates(scheme)('2013-05-02').period // '2013-04-01' with quarterly periods from April
 */
export function contractDates(scheme: PaymentScheme): (date: IsoDate) => ContractDates {
  // One per contract calendar: a national run asks once per partition, and the code that calls it
  // is compiled by V8 once per thread only if it meets the same function each time
  // (bench/README.md, seventeenth session). Keyed by the calendar's values, not the scheme object,
  // which a caller of the library may change in place between runs.
  const c = scheme.contract;
  const key = c === undefined ? '' : JSON.stringify([c.start, c.end, c.period]);
  let made = CONTRACT_DATES.get(key);
  if (!made) {
    const cal = contractCalendar(scheme.contract);
    const dates = new Map<IsoDate, ContractDates>();
    made = (date) => {
      let d = dates.get(date);
      if (!d) dates.set(date, (d = { period: periodOf(cal, date), year: contractYearOf(cal, date), inside: inContract(cal, date) }));
      return d;
    };
    // A few calendars in a process; one that meets ever-new ones starts again.
    if (CONTRACT_DATES.size >= 64) CONTRACT_DATES.clear();
    CONTRACT_DATES.set(key, made);
  }
  return made;
}

/** {@link contractDates} by a contract's calendar (start, end, period). */
const CONTRACT_DATES = new Map<string, (date: IsoDate) => ContractDates>();

/**
 * An item as a payment line, before caps (nothing paid or capped yet).
 * @example paymentLine(item, contractDates(scheme)(item.payable_on), 'payable').paid.isZero() // true
 */
export function paymentLine(it: PayableItem, d: ContractDates, status: PaymentLine['status']): PaymentLine {
  // Fields written out, not spread: V8's slow path for `{ ...it, more }` costs ~10 µs an item.
  return {
    item_id: it.item_id,
    provider_id: it.provider_id,
    payment_type: it.payment_type,
    outcome_id: it.outcome_id,
    tariff_band: it.tariff_band,
    payable_on: it.payable_on,
    client_id: it.client_id,
    journey_id: it.journey_id,
    amount: it.amount,
    status,
    period_start: d.period,
    contract_year: d.year,
    paid: ZERO,
    capped: ZERO,
  };
}

/**
 * Payment lines before the caps: period and contract year, R-PAY-8 contract dates and R-OUT-10
 * per-client limits. The limits look at one client at a time, so items may be given client by
 * client (the national-scale runner does); the caps need every provider's items in date order.
 * A caller that gives items client by client passes the scheme's `datesOf`, worked out once.
 * @example applyCaps(linesBeforeCaps(items, scheme), scheme.contract)
 */
export function linesBeforeCaps(items: readonly PayableItem[], scheme: PaymentScheme, datesOf = contractDates(scheme)): PaymentLine[] {
  const lines: PaymentLine[] = items.map((it) => {
    const d = datesOf(it.payable_on);
    return paymentLine(it, d, it.payment_type === 'fixed' || d.inside ? 'payable' : 'outside_contract');
  });
  return applyClientLimits(lines, scheme.tariff?.maxPerClientPerYear ?? {});
}

/** Providers seen in the journeys (episodes as known at asOf): they get default contract terms. */
function seenProviders(input: PaymentInput): string[] {
  const s = new Set<string>();
  for (const c of input.clients) for (const j of c.journeys) for (const e of j.episodes) s.add(e.provider_id);
  return [...s].sort(compareCodePoint);
}

/**
 * Every payable item of a run: attachment, outcome, sustainment (per client), cohort and fixed.
 * @example const { items } = payableItems(result, scheme, '2014-03-31');
 */
export function payableItems(
  input: PaymentInput,
  scheme: PaymentScheme,
  asOf: IsoDate,
): { items: PayableItem[]; unpriced: UnpricedCounts; cohorts: CohortRate[] } {
  const rounding = scheme.tariff?.rounding ?? 'half_up';
  const { items, unpriced } = clientItems(input.clients, scheme.tariff, asOf);
  const cohort = cohortItems(input.clients, scheme.cohortTariff, contractCalendar(scheme.contract), scheme.tariff?.defaultBand, rounding, asOf);
  const fixed = fixedItems(scheme.contract, seenProviders(input), asOf, rounding);
  const all = [...items, ...cohort.items, ...fixed].sort(compareChronological);
  const cohorts = cohort.rates;
  return { items: all, unpriced, cohorts };
}

/**
 * Counts of items not paid (outside the contract, over a client limit) and cut by caps.
 * @example paymentCounts(lines, unpriced).outside_contract.items
 */
export function paymentCounts(lines: readonly PaymentLine[], unpriced: UnpricedCounts): PaymentCounts {
  const counts: PaymentCounts = {
    unbanded: { ...unpriced.unbanded },
    unknown_band: { items: unpriced.unknown_band.items, bands: [...unpriced.unknown_band.bands] },
    outside_contract: { items: 0, amount: ZERO },
    over_client_limit: { items: 0, amount: ZERO },
    capped: { items: 0, amount: ZERO },
  };
  for (const l of lines) {
    if (l.status === 'outside_contract') {
      counts.outside_contract.items += 1;
      counts.outside_contract.amount = counts.outside_contract.amount.plus(l.amount);
    } else if (l.status === 'over_client_limit') {
      counts.over_client_limit.items += 1;
      counts.over_client_limit.amount = counts.over_client_limit.amount.plus(l.amount);
    } else if (l.capped.greaterThan(0)) {
      counts.capped.items += 1;
      counts.capped.amount = counts.capped.amount.plus(l.capped);
    }
  }
  return counts;
}

/**
 * Applies a scheme's tariff, contract, payers and cohort tariff to the outcome engine's results
 * (SPEC §3.4). Pure: the same results, scheme and asOf give the same result whatever the order of
 * clients, journeys and decisions (R-PAY-7).
 * @example
 * const { clients } = evaluateDataset(data, scheme, { asOf: '2014-03-31' });
 * const payments = calculatePayments({ clients }, scheme, { asOf: '2014-03-31' });
 * writeFileSync('payments.csv', paymentsCsv(payments.rows));
 */
export function calculatePayments(input: PaymentInput, scheme: PaymentScheme, options: { asOf: IsoDate }): PaymentResult {
  const { items, unpriced, cohorts } = payableItems(input, scheme, options.asOf);
  const lines = toPaymentLines(items, scheme);
  return {
    asOf: options.asOf,
    lines,
    rows: paymentRows(lines, scheme.payers ?? DEFAULT_PAYERS),
    totals: paymentTotals(lines),
    counts: paymentCounts(lines, unpriced),
    cohorts,
  };
}

/**
 * The payments part of `summary.json`: totals per provider and payment type, and the counts of
 * items not paid (`unbanded`, `unknown_band`, `outside_contract`, `over_client_limit`) and capped.
 * Money as strings with 2 places.
 * @example summary.payments = paymentSummaryJson(payments)
 */
export function paymentSummaryJson(result: Pick<PaymentResult, 'totals' | 'counts'>) {
  const c = result.counts;
  return {
    ...paymentTotalsJson(result.totals),
    unbanded: { journeys: c.unbanded.journeys, items: c.unbanded.items },
    unknown_band: { items: c.unknown_band.items, bands: c.unknown_band.bands },
    outside_contract: { items: c.outside_contract.items, amount: formatMoney(c.outside_contract.amount) },
    over_client_limit: { items: c.over_client_limit.items, amount: formatMoney(c.over_client_limit.amount) },
    capped: { items: c.capped.items, amount: formatMoney(c.capped.amount) },
  };
}

export { applyCaps, compareChronological, copyLine } from './caps.js';
export { addCohortMembers, cohortAmount, cohortItems, cohortItemsOf, type CohortMember, type CohortMembers } from './cohort.js';
export { DEFAULT_ANCHOR, contractCalendar, contractYearOf, inContract, periodOf, termsFor, type ContractCalendar } from './contract.js';
export { fixedItems, fixedPart } from './fixed.js';
export { clientItems, type UnpricedCounts } from './items.js';
export { applyClientLimits } from './limits.js';
export { DEFAULT_PAYERS, splitByPayers } from './payers.js';
export {
  PAYMENT_COLUMNS,
  comparePaymentRows,
  formatTextTable,
  paymentRows,
  paymentTable,
  paymentTotals,
  paymentTotalsJson,
  paymentsCsv,
  type AmountsByType,
  type PaymentTotals,
  type ProviderTotals,
} from './table.js';
export * from './types.js';
