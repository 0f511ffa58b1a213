/**
 * Payments client by client (issue #6, national scale): the same rules as `calculatePayments`,
 * computed without holding every payment line. Each client's items become lines at once (the
 * per-client limits of R-OUT-10 look at one client only); a line not under a cap is final and is
 * added to a tally of `payments.csv` groups; lines under a cap (R-PAY-4, which needs date order
 * across clients) are kept and cut at the end. Cohort members (R-PAY-3) and the providers seen
 * (fixed instalments) are gathered on the way. Tallies of parts of the clients merge exactly
 * (decimal sums), so the result is the same, to the byte, as `calculatePayments` on all clients.
 * @module
 */
import { compareCodePoint, type IsoDate } from '../calendar/index.js';
import { ZERO, decimal, type Decimal } from '../money/amount.js';
import { applyCaps, copyLine } from './caps.js';
import { addCohortMembers, cohortItemsOf, cohortMembersJson, mergeCohortMembers, type CohortMembers, type CohortMembersJson } from './cohort.js';
import { contractCalendar, termsFor } from './contract.js';
import { fixedItems } from './fixed.js';
import { clientItems, type UnpricedCounts } from './items.js';
import { contractDates, linesBeforeCaps, paymentLine, type ContractDates, type PaymentCounts, type PaymentResult, type PaymentScheme } from './index.js';
import { DEFAULT_PAYERS, splitByPayers } from './payers.js';
import { comparePaymentRows, type PaymentTotals, type ProviderTotals } from './table.js';
import { PAYMENT_TYPES, type ClientOutcomes, type PayableItem, type PaymentLine, type PaymentRow, type PaymentType } from './types.js';

/**
 * Paid items of one provider, period, payment type, outcome and band, with what was cut: what
 * `payments.csv` rows are made of (a cohort item keeps its measured outcome here; the row does not).
 */
export interface PaymentGroup {
  provider_id: string;
  period_start: IsoDate;
  payment_type: PaymentType;
  outcome_id: string;
  tariff_band: string;
  count: number;
  paid: Decimal;
  capped: Decimal;
}

type Group = PaymentGroup;

interface Tally {
  items: number;
  amount: Decimal;
}

/** Payments of some clients, mergeable with those of others (see {@link paymentTally}). */
export interface PaymentTally {
  /** Adds one client's journeys and decisions. */
  addClient(client: ClientOutcomes): void;
  /** Adds what another tally gathered (e.g. in another thread, via {@link PaymentTally.toJSON}). */
  merge(other: PaymentTallyJson): void;
  /** Plain data for another thread. */
  toJSON(): PaymentTallyJson;
  /**
   * The payments of everything added: fixed and cohort items and the caps are applied here;
   * `cohorts` holds the rate behind each cohort payment. `onCappedLine` sees each line under a cap
   * once the caps have cut it (e.g. to explain a cut).
   */
  result(onCappedLine?: (line: PaymentLine) => void): TallyResult;
}

/** What a {@link PaymentTally} comes to: `payments.csv` rows, totals, counts, cohort rates, and the groups behind the rows. */
export type TallyResult = Pick<PaymentResult, 'asOf' | 'rows' | 'totals' | 'counts' | 'cohorts'> & { groups: PaymentGroup[] };

/** A {@link PaymentTally} as plain data (money as decimal strings). */
export interface PaymentTallyJson {
  groups: [string, IsoDate, PaymentType, string, string, number, string, string][];
  outside: [number, string];
  over: [number, string];
  capped: [number, string];
  unbanded: [number, number];
  unknown: [number, string[]];
  providers: string[];
  capLines: [string, string, PaymentType, string, string, IsoDate, string, string, string, IsoDate, IsoDate][];
  cohort: CohortMembersJson;
}

/**
 * A tally of payments for a scheme as known at asOf, to which clients are added one at a time.
 * @example
 * const t = paymentTally(scheme, '2015-03-31');
 * for (const c of clients) t.addClient(c);
 * paymentsCsv(t.result().rows) // the same text as paymentsCsv(calculatePayments({ clients }, scheme, { asOf }).rows)
 */
export function paymentTally(scheme: PaymentScheme, asOf: IsoDate): PaymentTally {
  return new StreamTally(scheme, asOf);
}

/**
 * {@link paymentTally}'s tally. A class, not closures: a national run makes a tally per partition,
 * several a thread, and the code that adds items is compiled by V8 once per thread only if it
 * calls the same functions in every partition (closures made for each tally were compiled into it
 * and thrown away with the partition; bench/README.md, seventeenth session).
 */
class StreamTally implements PaymentTally {
  /** In the order first met (the outputs keep it); found through `index`. */
  private readonly groups: Group[] = [];
  private readonly outside: Tally = { items: 0, amount: ZERO };
  private readonly over: Tally = { items: 0, amount: ZERO };
  private readonly capped: Tally = { items: 0, amount: ZERO };
  private unbandedJourneys = 0;
  private unbandedItems = 0;
  private unknownItems = 0;
  private readonly unknownBands = new Set<string>();
  private readonly providers = new Set<string>();
  private readonly capLines: PaymentLine[] = [];
  private readonly cohort: CohortMembers = { groups: new Map(), earliest: undefined };
  private readonly covers: Set<string>;
  private readonly hasCap = new Map<string, boolean>();
  /** The groups by provider and period, then a short list: looking a group up needs no key text. */
  private readonly index: GroupIndex = new Map();
  /** The list of {@link index} looked up last, and its provider and period (see addGroup). */
  private lastList: number[] | undefined = undefined;
  private lastProvider = '';
  private lastPeriod = '';
  /**
   * A group's paid amount is added as runs of one price: the items of a group are mostly paid the
   * same tariff amount (often the very same value), so each group keeps the price of its current
   * run and how many amounts of that price have come (`runPrice`, `runCount`, by the group's place
   * in `groups`; an amount merged from another tally counts as one), and adds price × count to
   * `paid` when the price changes and before `paid` is read ({@link settle}), rather than one
   * decimal addition per item. The sum is exact either way.
   */
  private readonly runPrice: (Decimal | undefined)[] = [];
  private readonly runCount: number[] = [];
  /**
   * Items become lines as linesBeforeCaps makes them. Without per-client limits a line depends on
   * its item alone, so it is added at once, without building the line (dates looked up once).
   */
  private readonly noLimits: boolean;
  private readonly datesOf: (date: IsoDate) => ContractDates;

  constructor(
    private readonly scheme: PaymentScheme,
    private readonly asOf: IsoDate,
  ) {
    this.covers = new Set<string>(scheme.contract?.capCovers ?? []);
    this.noLimits = Object.keys(scheme.tariff?.maxPerClientPerYear ?? {}).length === 0;
    this.datesOf = contractDates(scheme);
  }

  private underCap(payment_type: PaymentType, provider_id: string): boolean {
    if (!this.covers.has(payment_type)) return false;
    let h = this.hasCap.get(provider_id);
    if (h === undefined) this.hasCap.set(provider_id, (h = termsFor(this.scheme.contract, provider_id)?.cap !== undefined));
    return h;
  }

  /** Adds a final line (status, paid and capped set) to the groups and counts, as paymentRows/Totals/Counts read it. */
  private addFinal(l: PaymentLine): void {
    if (l.status === 'outside_contract') {
      this.outside.items += 1;
      this.outside.amount = this.outside.amount.plus(l.amount);
      return;
    }
    if (l.status === 'over_client_limit') {
      this.over.items += 1;
      this.over.amount = this.over.amount.plus(l.amount);
      return;
    }
    if (l.capped.greaterThan(0)) {
      this.capped.items += 1;
      this.capped.amount = this.capped.amount.plus(l.capped);
    }
    this.addGroup(l.provider_id, l.period_start, l.payment_type, l.outcome_id, l.tariff_band, 1, l.paid, l.capped);
  }

  /** Adds the run of group i to its paid amount and starts none. */
  private closeRun(i: number): void {
    const count = this.runCount[i]!;
    if (count > 0) this.groups[i]!.paid = this.groups[i]!.paid.plus(this.runPrice[i]!.times(count));
    this.runPrice[i] = undefined;
    this.runCount[i] = 0;
  }

  private settle(): void {
    for (let i = 0; i < this.groups.length; i++) this.closeRun(i);
  }

  private addGroup(provider_id: string, period_start: IsoDate, payment_type: PaymentType, outcome_id: string, tariff_band: string, count: number, paid: Decimal, cut: Decimal): void {
    // A client's items mostly follow one another with the same provider and period: the list
    // looked up last is tried first, before the two maps (two hash look-ups for each of millions).
    let here = this.lastList;
    if (here === undefined || provider_id !== this.lastProvider || period_start !== this.lastPeriod) {
      here = entryOf(entryOf(this.index, provider_id, newMap), period_start, newList);
      this.lastList = here;
      this.lastProvider = provider_id;
      this.lastPeriod = period_start;
    }
    // A provider's period has a few groups (payment types × outcomes × bands: a dozen or two in
    // the presets, at most some hundreds in any scheme): a look through them costs less than three
    // more maps, for each of millions of items.
    // A group found is moved one place towards the front of the list (the list's order is only
    // the search's; the groups keep theirs), so that the few groups most items go to are soon
    // found first: a look through a list of some tens compared three keys at each.
    const groups = this.groups;
    let i = -1;
    for (let k = 0; k < here.length; k++) {
      const at = here[k]!;
      const g = groups[at]!;
      if (g.payment_type === payment_type && g.outcome_id === outcome_id && g.tariff_band === tariff_band) {
        i = at;
        if (k > 0) {
          here[k] = here[k - 1]!;
          here[k - 1] = at;
        }
        break;
      }
    }
    if (i < 0) {
      i = groups.length;
      here.push(i);
      groups.push({ provider_id, period_start, payment_type, outcome_id, tariff_band, count: 0, paid: ZERO, capped: ZERO });
      this.runPrice.push(undefined);
      this.runCount.push(0);
    }
    const g = groups[i]!;
    g.count += count;
    if (!paid.isZero()) {
      const price = this.runPrice[i];
      if (!(price === paid || price?.eq(paid))) {
        this.closeRun(i);
        this.runPrice[i] = paid;
      }
      this.runCount[i]! += 1;
    }
    if (!cut.isZero()) g.capped = g.capped.plus(cut);
  }

  /** Lines before caps: final at once unless under a cap. */
  private addLines(lines: readonly PaymentLine[]): void {
    for (const l of lines) {
      if (l.status !== 'payable') this.addFinal(copyLine(l, { paid: ZERO, capped: ZERO }));
      else if (this.underCap(l.payment_type, l.provider_id)) this.capLines.push(l);
      else {
        // Paid in full, nothing cut (as applyCaps leaves a line no cap covers).
        this.addGroup(l.provider_id, l.period_start, l.payment_type, l.outcome_id, l.tariff_band, 1, l.amount, ZERO);
      }
    }
  }

  private addItems(items: readonly PayableItem[]): void {
    if (!this.noLimits) {
      this.addLines(linesBeforeCaps(items, this.scheme, this.datesOf));
      return;
    }
    for (const it of items) {
      const d = this.datesOf(it.payable_on);
      if (it.payment_type !== 'fixed' && !d.inside) {
        this.outside.items += 1;
        this.outside.amount = this.outside.amount.plus(it.amount);
        continue;
      }
      // The line itself is made only for the caps: a group needs its keys alone.
      if (this.underCap(it.payment_type, it.provider_id)) this.capLines.push(paymentLine(it, d, 'payable'));
      else {
        this.addGroup(it.provider_id, d.period, it.payment_type, it.outcome_id, it.tariff_band, 1, it.amount, ZERO);
      }
    }
  }

  private addUnpriced(u: UnpricedCounts): void {
    this.unbandedJourneys += u.unbanded.journeys;
    this.unbandedItems += u.unbanded.items;
    this.unknownItems += u.unknown_band.items;
    for (const b of u.unknown_band.bands) this.unknownBands.add(b);
  }

  addClient(c: ClientOutcomes): void {
    for (const j of c.journeys) for (const e of j.episodes) this.providers.add(e.provider_id);
    const { items, unpriced } = clientItems([c], this.scheme.tariff, this.asOf);
    this.addUnpriced(unpriced);
    if (items.length > 0) this.addItems(items);
    if (this.scheme.cohortTariff) addCohortMembers(this.cohort, [c], this.scheme.cohortTariff, this.scheme.tariff?.defaultBand, this.asOf);
  }

  merge(o: PaymentTallyJson): void {
    for (const g of o.groups) this.addGroup(g[0], g[1], g[2], g[3], g[4], g[5], decimal(g[6]), decimal(g[7]));
    this.outside.items += o.outside[0];
    this.outside.amount = this.outside.amount.plus(decimal(o.outside[1]));
    this.over.items += o.over[0];
    this.over.amount = this.over.amount.plus(decimal(o.over[1]));
    this.capped.items += o.capped[0];
    this.capped.amount = this.capped.amount.plus(decimal(o.capped[1]));
    this.unbandedJourneys += o.unbanded[0];
    this.unbandedItems += o.unbanded[1];
    this.unknownItems += o.unknown[0];
    for (const b of o.unknown[1]) this.unknownBands.add(b);
    for (const p of o.providers) this.providers.add(p);
    for (const l of o.capLines) {
      this.capLines.push({
        item_id: l[0],
        provider_id: l[1],
        payment_type: l[2],
        outcome_id: l[3],
        tariff_band: l[4],
        payable_on: l[5],
        client_id: l[6],
        journey_id: l[7],
        amount: decimal(l[8]),
        status: 'payable',
        period_start: l[9],
        contract_year: l[10],
        paid: ZERO,
        capped: ZERO,
      });
    }
    mergeCohortMembers(this.cohort, o.cohort);
  }

  toJSON(): PaymentTallyJson {
    this.settle();
    const { outside, over, capped } = this;
    return {
      groups: this.groups.map((g) => [g.provider_id, g.period_start, g.payment_type, g.outcome_id, g.tariff_band, g.count, g.paid.toString(), g.capped.toString()]),
      outside: [outside.items, outside.amount.toString()],
      over: [over.items, over.amount.toString()],
      capped: [capped.items, capped.amount.toString()],
      unbanded: [this.unbandedJourneys, this.unbandedItems],
      unknown: [this.unknownItems, [...this.unknownBands]],
      providers: [...this.providers],
      capLines: this.capLines.map((l) => [l.item_id, l.provider_id, l.payment_type, l.outcome_id, l.tariff_band, l.payable_on, l.client_id, l.journey_id, l.amount.toString(), l.period_start, l.contract_year]),
      cohort: cohortMembersJson(this.cohort),
    };
  }

  result(onCappedLine?: (line: PaymentLine) => void): TallyResult {
    const { scheme, asOf } = this;
    const rounding = scheme.tariff?.rounding ?? 'half_up';
    const cohortPart = scheme.cohortTariff ? cohortItemsOf(this.cohort, scheme.cohortTariff, contractCalendar(scheme.contract), rounding, asOf) : { items: [], rates: [] };
    const fixed = fixedItems(scheme.contract, [...this.providers].sort(compareCodePoint), asOf, rounding);
    this.addItems([...cohortPart.items, ...fixed]);
    for (const l of applyCaps(this.capLines, scheme.contract)) {
      onCappedLine?.(l);
      this.addFinal(l);
    }
    this.capLines.length = 0;
    this.settle();
    const cohorts = cohortPart.rates;
    return { asOf, rows: rowsOf(this.groups, scheme), totals: totalsOf(this.groups), counts: this.countsOf(), cohorts, groups: [...this.groups] };
  }

  private countsOf(): PaymentCounts {
    const { outside, over, capped } = this;
    return {
      unbanded: { journeys: this.unbandedJourneys, items: this.unbandedItems },
      unknown_band: { items: this.unknownItems, bands: [...this.unknownBands].sort(compareCodePoint) },
      outside_contract: { items: outside.items, amount: outside.amount },
      over_client_limit: { items: over.items, amount: over.amount },
      capped: { items: capped.items, amount: capped.amount },
    };
  }
}

/** Groups by provider and period: provider → period → the places in `groups` of that period's groups (one per payment type, outcome and tariff band). */
type GroupIndex = Map<string, Map<string, number[]>>;

/** The value under `key`, made by `make` when missing. */
function entryOf<V>(m: Map<string, V>, key: string, make: () => V): V {
  let v = m.get(key);
  if (v === undefined) m.set(key, (v = make()));
  return v;
}
const newMap = () => new Map<string, number[]>();
const newList = (): number[] => [];

function rowsOf(groups: readonly Group[], scheme: PaymentScheme): PaymentRow[] {
  const payers = scheme.payers ?? DEFAULT_PAYERS;
  // payments.csv names the outcome of outcome and sustainment rows only (SPEC §4): groups that
  // differ only in a cohort item's measured outcome are one row.
  const rowGroups = new Map<string, Group>();
  for (const g of groups) {
    const outcome_id = g.payment_type === 'outcome' || g.payment_type === 'sustainment' ? g.outcome_id : '';
    const k = `${g.provider_id}\u0000${g.period_start}\u0000${g.payment_type}\u0000${outcome_id}\u0000${g.tariff_band}`;
    const r = rowGroups.get(k);
    if (r) {
      r.count += g.count;
      r.paid = r.paid.plus(g.paid);
      r.capped = r.capped.plus(g.capped);
    } else rowGroups.set(k, { ...g, outcome_id });
  }
  const rows: PaymentRow[] = [];
  for (const g of rowGroups.values()) {
    const amounts = splitByPayers(g.paid, payers);
    const cut = splitByPayers(g.capped, payers);
    const key = { provider_id: g.provider_id, period_start: g.period_start, payment_type: g.payment_type, outcome_id: g.outcome_id, tariff_band: g.tariff_band };
    amounts.forEach((a, i) => rows.push({ ...key, payer: a.payer, count: g.count, amount: a.amount, capped_amount: cut[i]!.amount }));
  }
  return rows.sort(comparePaymentRows);
}

function emptyByType(): Record<PaymentType, Decimal> {
  return Object.fromEntries(PAYMENT_TYPES.map((t) => [t, ZERO])) as Record<PaymentType, Decimal>;
}

function totalsOf(groups: readonly Group[]): PaymentTotals {
  const byProvider = new Map<string, ProviderTotals>();
  const all: PaymentTotals = { providers: [], by_type: emptyByType(), total: ZERO, capped: ZERO };
  for (const g of groups) {
    let p = byProvider.get(g.provider_id);
    if (!p) byProvider.set(g.provider_id, (p = { provider_id: g.provider_id, by_type: emptyByType(), total: ZERO, capped: ZERO, items: 0 }));
    p.by_type[g.payment_type] = p.by_type[g.payment_type].plus(g.paid);
    p.total = p.total.plus(g.paid);
    p.capped = p.capped.plus(g.capped);
    p.items += g.count;
    all.by_type[g.payment_type] = all.by_type[g.payment_type].plus(g.paid);
    all.total = all.total.plus(g.paid);
    all.capped = all.capped.plus(g.capped);
  }
  all.providers = [...byProvider.values()].sort((a, b) => compareCodePoint(a.provider_id, b.provider_id));
  return all;
}
