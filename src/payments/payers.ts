/**
 * Payers (R-PAY-6): each payment (one `payments.csv` key without the payer) is split between the
 * scheme's payers by share, to the penny, by largest remainder (ties to the payer listed first), so
 * the parts always sum to the payment. A scheme without payers has one payer, `default`.
 * @module
 */
import { allocate } from '../money/allocate.js';
import { decimal, type Decimal } from '../money/amount.js';
import type { Payer } from '../schema/scheme/tariff.js';

/** The payer of a scheme that splits nothing. */
export const DEFAULT_PAYERS: readonly Payer[] = [{ id: 'default', share: '1' }];

/**
 * Splits an amount between payers; parts are in the scheme's payer order and sum to `amount`.
 * Payers with a zero share are left out.
 * @example splitByPayers(money('100.01'), [{ id: 'local', share: '0.8' }, { id: 'central', share: '0.2' }])
 * // [{ payer: 'local', amount: 80.01 }, { payer: 'central', amount: 20.00 }]
 */
export function splitByPayers(amount: Decimal, payers: readonly Payer[] = DEFAULT_PAYERS): { payer: string; amount: Decimal }[] {
  const live = payers.filter((p) => !decimal(p.share).isZero() || payers.length === 1);
  const parts = allocate(amount, live.map((p) => p.share));
  return live.map((p, i) => ({ payer: p.id, amount: parts[i]! }));
}
