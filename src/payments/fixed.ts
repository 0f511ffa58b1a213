/**
 * Fixed instalments (R-PAY-4): the fixed part `(1 − pbrShare) × annualValue` of each contract year,
 * rounded to the penny, is paid in equal instalments, one per payment period of that year (4
 * quarterly or 12 monthly), allocated to the penny by largest remainder (earliest periods get the
 * extra pence). Each instalment is payable on its period's first day.
 *
 * Which instalments a run shows: every contract year that has started on or before asOf (and on or
 * before the contract end), all its periods (`fixedThrough: 'contract_year'`, the default — the
 * year's fixed part is committed when the year begins) or only the periods that have started by
 * asOf (`fixedThrough: 'period'`). Periods that start after the contract end are not paid: a
 * contract that ends mid-year gets that year's instalments up to its end only.
 * @module
 */
import { addMonths, compareCodePoint, type IsoDate } from '../calendar/index.js';
import { equalInstalments } from '../money/allocate.js';
import { decimal, money, roundToPenny, type Decimal, type RoundingMode } from '../money/amount.js';
import type { Contract, ContractTerms } from '../schema/scheme/tariff.js';
import { contractCalendar, termsFor } from './contract.js';
import type { PayableItem } from './types.js';

/**
 * The fixed part of a contract year, rounded to the penny.
 * @example fixedPart({ annualValue: '100000', pbrShare: '0.3' }).toFixed(2) // '70000.00'
 */
export function fixedPart(terms: Pick<ContractTerms, 'annualValue' | 'pbrShare'>, rounding: RoundingMode = 'half_up'): Decimal {
  return roundToPenny(money(terms.annualValue).times(decimal(1).minus(decimal(terms.pbrShare))), rounding);
}

/**
 * The fixed instalments of every provider with contract terms (those listed, plus every provider in
 * `seenProviders` when the contract has default terms), as known at asOf.
 * @example fixedItems(scheme.contract, ['P1', 'P2'], '2013-03-31')
 */
export function fixedItems(
  contract: Contract | undefined,
  seenProviders: Iterable<string>,
  asOf: IsoDate,
  rounding: RoundingMode = 'half_up',
): PayableItem[] {
  if (!contract || contract.start === undefined) return [];
  const start = contract.start;
  const providers = new Set(Object.keys(contract.providers));
  if (contract.defaultTerms) for (const p of seenProviders) providers.add(p);
  const cal = contractCalendar(contract);
  const perYear = 12 / cal.periodMonths;
  const items: PayableItem[] = [];
  for (const provider of [...providers].sort(compareCodePoint)) {
    const terms = termsFor(contract, provider);
    if (!terms) continue;
    const part = fixedPart(terms, rounding);
    if (part.isZero()) continue; // all at risk on results: no fixed instalments
    for (let y = 0; ; y++) {
      const yearStart = addMonths(start, 12 * y);
      if (yearStart > asOf || (cal.end !== undefined && yearStart > cal.end)) break;
      const parts = equalInstalments(part, perYear);
      parts.forEach((amount, i) => {
        const ps = addMonths(start, 12 * y + i * cal.periodMonths);
        if (cal.end !== undefined && ps > cal.end) return;
        if (contract.fixedThrough === 'period' && ps > asOf) return;
        items.push({
          item_id: `fixed|${provider}|${ps}`,
          provider_id: provider,
          payment_type: 'fixed',
          outcome_id: '',
          tariff_band: '',
          payable_on: ps,
          client_id: '',
          journey_id: '',
          amount,
        });
      });
    }
  }
  return items;
}
