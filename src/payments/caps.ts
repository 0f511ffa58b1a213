/**
 * Caps per provider per contract year (R-PAY-4). Results-based items (the types in
 * `contract.capCovers`, by default attachment, outcome, sustainment and cohort; never fixed) are
 * taken in chronological order — payable date, then client_id, then outcome_id (code point order,
 * blanks first), then the item id — and paid while the provider's total for that contract year
 * stays within the cap. The item that crosses the cap is paid in part, up to the cap exactly; the
 * rest of it and every later item of that year are cut. The cut shows as `capped`.
 * @module
 */
import { compareCodePoint } from '../calendar/index.js';
import { ZERO, minMoney, money, type Decimal } from '../money/amount.js';
import type { Contract } from '../schema/scheme/tariff.js';
import { termsFor } from './contract.js';
import type { PayableItem, PaymentLine } from './types.js';

/** The fields of an item that place it in the cap's chronological order. */
export type ChronologicalKey = Pick<PayableItem, 'payable_on' | 'client_id' | 'outcome_id' | 'item_id'>;

/**
 * The chronological order of the cap cut (R-PAY-4): payable date, client_id, outcome_id, then item id.
 * @example items.sort(compareChronological)
 */
export function compareChronological(a: ChronologicalKey, b: ChronologicalKey): number {
  if (a.payable_on !== b.payable_on) return a.payable_on < b.payable_on ? -1 : 1;
  return compareCodePoint(a.client_id, b.client_id) || compareCodePoint(a.outcome_id, b.outcome_id) || compareCodePoint(a.item_id, b.item_id);
}

/**
 * A copy of a payment line with some fields changed. Fields are written out rather than spread:
 * V8's slow path for `{ ...line, more }` costs microseconds an item on large runs.
 * @example copyLine(line, { status: 'over_client_limit' })
 */
export function copyLine(l: PaymentLine, change: Partial<Pick<PaymentLine, 'status' | 'paid' | 'capped'>>): PaymentLine {
  return {
    item_id: l.item_id,
    provider_id: l.provider_id,
    payment_type: l.payment_type,
    outcome_id: l.outcome_id,
    tariff_band: l.tariff_band,
    payable_on: l.payable_on,
    client_id: l.client_id,
    journey_id: l.journey_id,
    amount: l.amount,
    status: change.status ?? l.status,
    period_start: l.period_start,
    contract_year: l.contract_year,
    paid: change.paid ?? l.paid,
    capped: change.capped ?? l.capped,
  };
}

/**
 * Applies each provider's cap per contract year to payable lines, in chronological order.
 * Lines must already carry `contract_year` and `status`; returns new lines with `paid`/`capped` set.
 * @example applyCaps(lines, scheme.contract)
 */
export function applyCaps(lines: readonly PaymentLine[], contract: Contract | undefined): PaymentLine[] {
  const covers = new Set<string>(contract?.capCovers ?? []);
  const used = new Map<string, Decimal>(); // provider|contract year → paid so far
  const capOf = new Map<string, Decimal | null>();
  const sorted = [...lines].sort(compareChronological);
  const withParts = (l: PaymentLine, paid: Decimal, capped: Decimal): PaymentLine => copyLine(l, { paid, capped });
  return sorted.map((l) => {
    if (l.status !== 'payable') return withParts(l, ZERO, ZERO);
    if (!covers.has(l.payment_type)) return withParts(l, l.amount, ZERO);
    let cap = capOf.get(l.provider_id);
    if (cap === undefined) {
      const c = termsFor(contract, l.provider_id)?.cap;
      cap = c === undefined ? null : money(c);
      capOf.set(l.provider_id, cap);
    }
    if (cap === null) return withParts(l, l.amount, ZERO);
    const key = `${l.provider_id}\u0000${l.contract_year}`;
    const so = used.get(key) ?? ZERO;
    const room = cap.minus(so);
    const paid = room.greaterThan(0) ? minMoney(room, l.amount) : ZERO;
    used.set(key, so.plus(paid));
    return withParts(l, paid, l.amount.minus(paid));
  });
}
