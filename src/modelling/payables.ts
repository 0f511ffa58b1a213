/**
 * Compact payable items for price calibration and forecasts (issue #10): what the payment rules
 * make of the outcome engine's results, kept small enough to gather at national scale and to merge.
 *
 * Which items are payable never depends on prices: contract dates (R-PAY-8) look at dates, the
 * per-client limits (R-OUT-10, `maxPerClientPerYear`) at one client's decisions, the outcome
 * decisions at the evidence. Only the amounts do, and only the cap (R-PAY-4) mixes amounts across
 * clients. So the summary keeps, client by client:
 * - items no cap covers, counted: outcome items per provider, outcome and band (an outcome item is
 *   worth its price, whatever the price is), and the other payable amounts per provider and
 *   payment type (attachment, sustainment, cohort, fixed: calibration never re-prices them);
 * - items a cap covers (a provider with a cap, a type in `capCovers`), one by one with what the
 *   cap's chronological order needs (payable date, client_id, outcome_id, item id), because the
 *   cap pays them in that order and cuts the rest;
 * - the providers seen (for fixed instalments) and the cohort members (R-PAY-3), whose payments
 *   are worked out when all clients are in.
 * Items that are not payable (outside the contract, over a client limit) are left out: no price
 * changes them. Summaries of any split of the clients merge to the summary of all of them.
 * @module
 */
import { compareCodePoint, type IsoDate } from '../calendar/index.js';
import { ZERO, decimal, type Decimal } from '../money/amount.js';
import { addCohortMembers, cohortItemsOf, cohortMembersJson, mergeCohortMembers, type CohortMembers, type CohortMembersJson } from '../payments/cohort.js';
import { contractCalendar, termsFor } from '../payments/contract.js';
import { fixedItems } from '../payments/fixed.js';
import { compareChronological } from '../payments/caps.js';
import { clientItems } from '../payments/items.js';
import { contractDates, linesBeforeCaps, type PaymentScheme } from '../payments/index.js';
import type { ClientOutcomes, PaymentLine, PaymentType } from '../payments/types.js';

/** Items of one provider that no cap covers: paid in full whatever the prices. */
export interface FreePayables {
  /** Outcome items by `outcome_id + '\u0000' + tariff_band`: how many. */
  outcomes: Map<string, number>;
  /** Every other payable amount (attachment, sustainment, cohort, fixed) by payment type. */
  other: Map<PaymentType, Decimal>;
}

/** A payable item a cap covers (R-PAY-4): its provider, type, price slot, contract year and amount at the scheme's prices. */
export interface CappedItem {
  provider_id: string;
  payment_type: PaymentType;
  outcome_id: string;
  tariff_band: string;
  contract_year: IsoDate;
  amount: Decimal;
}

/** The payable items of a run, compact (see the module notes). */
export interface PayableSummary {
  asOf: IsoDate;
  /** Providers of any episode seen (they get default contract terms), sorted. */
  providers: string[];
  /** Provider → items no cap covers. */
  free: Map<string, FreePayables>;
  /** Items a cap covers, in the cap's chronological order (payable date, client_id, outcome_id, item id). */
  capped: CappedItem[];
}

/** A capped item before ordering: the order fields travel with it until all clients are in. */
type CappedEntry = [payable_on: IsoDate, client_id: string, outcome_id: string, item_id: string, provider_id: string, payment_type: PaymentType, tariff_band: string, contract_year: IsoDate, amount: string];

/** A {@link PayableSummaryTally} as plain data (money as decimal strings), e.g. to pass between threads. */
export interface PayableSummaryJson {
  asOf: IsoDate;
  providers: string[];
  /** [provider, outcome_id, tariff_band, items] */
  outcomes: [string, string, string, number][];
  /** [provider, payment type, amount] */
  other: [string, PaymentType, string][];
  capped: CappedEntry[];
  cohort: CohortMembersJson;
}

/** Payable items of some clients, mergeable with those of others. */
export interface PayableSummaryTally {
  /** Adds one client's journeys and outcome decisions. */
  addClient(client: ClientOutcomes): void;
  /** Adds what another tally gathered (for the same scheme and asOf). */
  merge(other: PayableSummaryJson): void;
  /** Plain data, for another thread or process. */
  toJSON(): PayableSummaryJson;
  /** The summary of everything added: cohort and fixed items are worked out here. */
  result(): PayableSummary;
}

const key = (outcome: string, band: string) => `${outcome}\u0000${band}`;

/**
 * A tally of compact payable items for a scheme as known at asOf, to which clients are added one
 * at a time (see the module notes).
 * @example
 * const t = payableSummaryTally(scheme, '2015-03-31');
 * for (const c of clients) t.addClient(c);
 * calibrateSummary(t.result(), scheme, { target: '250000.00' });
 */
export function payableSummaryTally(scheme: PaymentScheme, asOf: IsoDate): PayableSummaryTally {
  const providers = new Set<string>();
  const free = new Map<string, FreePayables>();
  const capped: CappedEntry[] = [];
  const cohort: CohortMembers = { groups: new Map(), earliest: undefined };
  const covers = new Set<string>(scheme.contract?.capCovers ?? []);
  const hasCap = new Map<string, boolean>();
  const underCap = (provider: string, type: PaymentType): boolean => {
    if (!covers.has(type)) return false;
    let h = hasCap.get(provider);
    if (h === undefined) hasCap.set(provider, (h = termsFor(scheme.contract, provider)?.cap !== undefined));
    return h;
  };
  const freeOf = (target: Map<string, FreePayables>, provider: string): FreePayables => {
    let f = target.get(provider);
    if (!f) target.set(provider, (f = { outcomes: new Map(), other: new Map() }));
    return f;
  };
  const addCount = (target: Map<string, FreePayables>, provider: string, outcome: string, band: string, n: number) => {
    const o = freeOf(target, provider).outcomes;
    const k = key(outcome, band);
    o.set(k, (o.get(k) ?? 0) + n);
  };
  const addAmount = (target: Map<string, FreePayables>, provider: string, type: PaymentType, amount: Decimal) => {
    const o = freeOf(target, provider).other;
    o.set(type, (o.get(type) ?? ZERO).plus(amount));
  };
  // The contract's dates, looked up once rather than for each client's lines.
  const datesOf = contractDates(scheme);
  /** Files payable lines (status set, before caps) into free counts/amounts or capped entries. */
  const addLines = (lines: readonly PaymentLine[], freeInto: Map<string, FreePayables>, cappedInto: CappedEntry[]) => {
    for (const l of lines) {
      if (l.status !== 'payable') continue;
      if (underCap(l.provider_id, l.payment_type)) {
        cappedInto.push([l.payable_on, l.client_id, l.outcome_id, l.item_id, l.provider_id, l.payment_type, l.tariff_band, l.contract_year, l.amount.toString()]);
      } else if (l.payment_type === 'outcome') addCount(freeInto, l.provider_id, l.outcome_id, l.tariff_band, 1);
      else addAmount(freeInto, l.provider_id, l.payment_type, l.amount);
    }
  };

  return {
    addClient(c) {
      for (const j of c.journeys) for (const e of j.episodes) providers.add(e.provider_id);
      const { items } = clientItems([c], scheme.tariff, asOf);
      // Per-client limits look at this client's items only, so each client's lines are final here.
      if (items.length > 0) addLines(linesBeforeCaps(items, scheme, datesOf), free, capped);
      if (scheme.cohortTariff) addCohortMembers(cohort, [c], scheme.cohortTariff, scheme.tariff?.defaultBand, asOf);
    },
    merge(o) {
      if (o.asOf !== asOf) throw new RangeError(`cannot merge payable items as of ${o.asOf} into those as of ${asOf}`);
      for (const p of o.providers) providers.add(p);
      for (const [p, outcome, band, n] of o.outcomes) addCount(free, p, outcome, band, n);
      for (const [p, type, amount] of o.other) addAmount(free, p, type, decimal(amount));
      for (const e of o.capped) capped.push(e);
      mergeCohortMembers(cohort, o.cohort);
    },
    toJSON() {
      const outcomes: PayableSummaryJson['outcomes'] = [];
      const other: PayableSummaryJson['other'] = [];
      for (const [p, f] of free) {
        for (const [k, n] of f.outcomes) {
          const [o, b] = k.split('\u0000') as [string, string];
          outcomes.push([p, o, b, n]);
        }
        for (const [t, a] of f.other) other.push([p, t, a.toString()]);
      }
      return { asOf, providers: [...providers], outcomes, other, capped: [...capped], cohort: cohortMembersJson(cohort) };
    },
    result() {
      // Work on copies, so that result() may be called again after more clients are added.
      const outFree = new Map<string, FreePayables>();
      for (const [p, f] of free) outFree.set(p, { outcomes: new Map(f.outcomes), other: new Map(f.other) });
      const outCapped = [...capped];
      const rounding = scheme.tariff?.rounding ?? 'half_up';
      const cohortPart = scheme.cohortTariff ? cohortItemsOf(cohort, scheme.cohortTariff, contractCalendar(scheme.contract), rounding, asOf).items : [];
      const fixed = fixedItems(scheme.contract, [...providers].sort(compareCodePoint), asOf, rounding);
      addLines(linesBeforeCaps([...cohortPart, ...fixed], scheme), outFree, outCapped);
      const order = outCapped.map(([payable_on, client_id, outcome_id, item_id], i) => ({ payable_on, client_id, outcome_id, item_id, i }));
      order.sort(compareChronological);
      return {
        asOf,
        providers: [...providers].sort(compareCodePoint),
        free: outFree,
        capped: order.map(({ i }) => {
          const e = outCapped[i]!;
          return { provider_id: e[4], payment_type: e[5], outcome_id: e[2], tariff_band: e[6], contract_year: e[7], amount: decimal(e[8]) };
        }),
      };
    },
  };
}

/**
 * The compact payable items of some clients, in one call.
 * @example summarisePayables(clients, scheme, '2015-03-31').capped.length
 */
export function summarisePayables(clients: Iterable<ClientOutcomes>, scheme: PaymentScheme, asOf: IsoDate): PayableSummary {
  const t = payableSummaryTally(scheme, asOf);
  for (const c of clients) t.addClient(c);
  return t.result();
}
