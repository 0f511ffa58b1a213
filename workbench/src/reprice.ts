/**
 * Re-pricing for the what-if (issue #14 §5): which items are payable never depends on a price
 * (R-PAY-2: an outcome is decided before it is priced), so the page decides outcomes once, keeps
 * the payable items, and on every price edit only puts the new prices on those items and runs the
 * payment rules that come after pricing (contract dates, per-client limits, caps, payers) — the
 * same core functions `calculatePayments` runs, so the result is the same to the penny.
 *
 * When an edit changes which items exist (bands, the default band, which outcomes are priced,
 * the contract, the cohort tariff, the rounding), the items are made again from the decided
 * outcomes (still without deciding anything again).
 * @module
 */
import type { IsoDate } from '../../src/calendar/index.js';
import { money, roundToPenny, type Decimal } from '../../src/money/amount.js';
import {
  DEFAULT_PAYERS,
  payableItems,
  paymentCounts,
  paymentRows,
  paymentTotals,
  toPaymentLines,
  type PaymentResult,
  type UnpricedCounts,
} from '../../src/payments/index.js';
import type { CohortRate, PayableItem, PaymentInput } from '../../src/payments/types.js';
import type { Scheme } from '../../src/schema/scheme/index.js';

/** The payable items of a scheme on decided outcomes, and what could not be priced. */
export interface PricedItems {
  /** {@link itemsKey} of the scheme and asOf they were made with. */
  key: string;
  asOf: IsoDate;
  items: PayableItem[];
  unpriced: UnpricedCounts;
  cohorts: CohortRate[];
}

function bandsOf(table: Record<string, string> | undefined): string[] | undefined {
  return table === undefined ? undefined : Object.keys(table).sort();
}

/**
 * What decides which items exist, apart from the decisions: two schemes with the same key have the
 * same items, differing at most in the price of attachment, outcome and sustainment items.
 * @example itemsKey(a, asOf) === itemsKey(withNewPrice, asOf) // true
 */
export function itemsKey(scheme: Pick<Scheme, 'tariff' | 'contract' | 'cohortTariff'>, asOf: IsoDate): string {
  const t = scheme.tariff;
  const tables = t && {
    bands: t.bands,
    defaultBand: t.defaultBand ?? null,
    rounding: t.rounding,
    attachment: bandsOf(t.attachment) ?? null,
    outcomes: Object.fromEntries(Object.keys(t.outcomes).sort().map((o) => [o, bandsOf(t.outcomes[o])])),
    sustainment: Object.fromEntries(Object.keys(t.sustainment).sort().map((o) => [o, bandsOf(t.sustainment[o])])),
  };
  return JSON.stringify({ asOf, tables: tables ?? null, contract: scheme.contract ?? null, cohortTariff: scheme.cohortTariff ?? null });
}

/**
 * The payable items of decided outcomes under a scheme (the core's `payableItems`).
 * @example const base = itemsOf({ clients }, scheme, '2015-03-31')
 */
export function itemsOf(input: PaymentInput, scheme: Scheme, asOf: IsoDate): PricedItems {
  const { items, unpriced, cohorts } = payableItems(input, scheme, asOf);
  return { key: itemsKey(scheme, asOf), asOf, items, unpriced, cohorts };
}

/**
 * Payments of a scheme from items made under another scheme with the same {@link itemsKey}: each
 * attachment, outcome and sustainment item takes its price from the scheme's tariff (rounded to the
 * penny, R-PAY-1), then contract dates, client limits, caps and payers apply as in
 * `calculatePayments`. Throws when the keys differ (the items would not be the same).
 * @example reprice(base, editedScheme).totals
 */
export function reprice(base: PricedItems, scheme: Scheme): PaymentResult {
  if (itemsKey(scheme, base.asOf) !== base.key) throw new Error('reprice: the scheme changes which items exist; make the items again with itemsOf');
  const t = scheme.tariff;
  const rounded = new Map<string, Decimal>();
  const priceOf = (text: string): Decimal => {
    let d = rounded.get(text);
    if (!d) rounded.set(text, (d = roundToPenny(money(text), t!.rounding)));
    return d;
  };
  const items: PayableItem[] = base.items.map((it) => {
    let table: Record<string, string> | undefined;
    if (it.payment_type === 'attachment') table = t?.attachment;
    else if (it.payment_type === 'outcome') table = t?.outcomes[it.outcome_id];
    else if (it.payment_type === 'sustainment') table = t?.sustainment[it.outcome_id];
    else return it;
    const price = table?.[it.tariff_band];
    if (price === undefined) return it; // (cannot happen with equal keys)
    const amount = priceOf(price);
    return amount.equals(it.amount) ? it : { ...it, amount };
  });
  const lines = toPaymentLines(items, scheme);
  // Rows (the payer split, for payments.csv) and totals are worked out when first read: the
  // what-if reads neither, so a price edit only pays for the lines.
  let rows: PaymentResult['rows'] | undefined;
  let totals: PaymentResult['totals'] | undefined;
  let counts: PaymentResult['counts'] | undefined;
  return {
    asOf: base.asOf,
    lines,
    get rows() {
      return (rows ??= paymentRows(lines, scheme.payers ?? DEFAULT_PAYERS));
    },
    get totals() {
      return (totals ??= paymentTotals(lines));
    },
    get counts() {
      return (counts ??= paymentCounts(lines, base.unpriced));
    },
    cohorts: base.cohorts,
  };
}

/**
 * Payments of a scheme on decided outcomes, re-pricing `base` when only prices differ, else making
 * the items again (and returning them, to re-price from next time).
 * @example const { payments, items } = pricePayments({ clients }, scheme, asOf, previous)
 */
export function pricePayments(input: PaymentInput, scheme: Scheme, asOf: IsoDate, base: PricedItems | undefined): { payments: PaymentResult; items: PricedItems } {
  const items = base && base.key === itemsKey(scheme, asOf) ? base : itemsOf(input, scheme, asOf);
  return { payments: reprice(items, scheme), items };
}
