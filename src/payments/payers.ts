/**
 * Payers (R-PAY-6): each payment (one `payments.csv` key without the payer) is split between the
 * scheme's payers by share, to the penny, by largest remainder (ties to the payer listed first), so
 * the parts always sum to the payment. A scheme without payers has one payer, `default`.
 * @module
 */
import { allocator } from '../money/allocate.js';
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
  let split = SPLITS.get(payers);
  if (!split) {
    const live = payers.filter((p) => !decimal(p.share).isZero() || payers.length === 1);
    split = { live, parts: allocator(live.map((p) => p.share)) };
    SPLITS.set(payers, split);
  }
  const parts = split.parts(amount);
  return split.live.map((p, i) => ({ payer: p.id, amount: parts[i]! }));
}

/**
 * Each payer list's payers with a share and its allocator, made once: `payments.csv` splits every
 * row by the same list (a scheme's, which is a value and never changed once parsed), and scaling
 * the shares was most of the cost of a split.
 */
const SPLITS = new WeakMap<readonly Payer[], { live: readonly Payer[]; parts: (amount: Decimal) => Decimal[] }>();
