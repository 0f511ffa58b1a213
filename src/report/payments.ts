/**
 * The payment figures of the report, from `payments.csv` rows only (SPEC §4): per provider and
 * period by payment type, per provider and contract year against the cap (R-PAY-4), and per payer
 * (R-PAY-6). Sums are exact decimals of the rows' amounts, so every total equals the sum of the
 * matching `payments.csv` amounts to the penny.
 * @module
 */
import { addMonths, compareCodePoint, type IsoDate } from '../calendar/index.js';
import { ZERO, money, type Decimal } from '../money/amount.js';
import { contractCalendar, contractYearOf, termsFor, type ContractCalendar } from '../payments/contract.js';
import { DEFAULT_PAYERS } from '../payments/payers.js';
import { PAYMENT_TYPES, type PaymentRow, type PaymentType } from '../payments/types.js';
import type { Scheme } from '../schema/scheme/index.js';
import { esc } from './html.js';
import { RESULTS_PAYMENT_TYPES, type ContractTerms } from '../schema/scheme/tariff.js';

/** Paid amounts by payment type. */
export type TypeAmounts = Record<PaymentType, Decimal>;

/** Paid amounts in one cell (a provider or all providers, in one period or over all periods). */
export interface PaidCell {
  by_type: TypeAmounts;
  total: Decimal;
  capped: Decimal;
}

/** One provider's payments. */
export interface ProviderPayments {
  provider_id: string;
  /** One cell per period of {@link PaymentGrid.periods}. */
  periods: PaidCell[];
  all: PaidCell;
}

/** Payments per provider and period, with totals. */
export interface PaymentGrid {
  /** Every period from the first to the last one paid in, consecutive. */
  periods: IsoDate[];
  periodMonths: number;
  /** Payment types with at least one row, in SPEC §4 order. */
  types: PaymentType[];
  /** Code point order. */
  providers: ProviderPayments[];
  /** All providers, per period. */
  periodTotals: PaidCell[];
  all: PaidCell;
}

function emptyCell(): PaidCell {
  return { by_type: Object.fromEntries(PAYMENT_TYPES.map((t) => [t, ZERO])) as TypeAmounts, total: ZERO, capped: ZERO };
}

function addRow(c: PaidCell, r: PaymentRow): void {
  c.by_type[r.payment_type] = c.by_type[r.payment_type].plus(r.amount);
  c.total = c.total.plus(r.amount);
  c.capped = c.capped.plus(r.capped_amount);
}

function monthIndex(d: IsoDate): number {
  return +d.slice(0, 4) * 12 + +d.slice(5, 7) - 1;
}

/**
 * The consecutive periods from `first` to `last` (both period starts of the calendar).
 * @example periodRange(contractCalendar({ start: '2012-04-01', period: 'quarterly' }), '2012-04-01', '2012-10-01') // ['2012-04-01', '2012-07-01', '2012-10-01']
 */
export function periodRange(cal: ContractCalendar, first: IsoDate, last: IsoDate): IsoDate[] {
  // Period k starts at addMonths(anchor, k × months): stepping from the anchor (not from the
  // previous period) keeps month-end anchors right (31 Jan, 29 Feb, 31 Mar, …).
  const k0 = Math.round((monthIndex(first) - monthIndex(cal.anchor)) / cal.periodMonths);
  const k1 = Math.round((monthIndex(last) - monthIndex(cal.anchor)) / cal.periodMonths);
  const out: IsoDate[] = [];
  for (let k = k0; k <= k1; k++) out.push(addMonths(cal.anchor, k * cal.periodMonths));
  return out;
}

/**
 * Payments per provider and period by payment type, from `payments.csv` rows (payers summed).
 * @example paymentGrid(payments.rows, scheme).all.total.toFixed(2)
 */
export function paymentGrid(rows: readonly PaymentRow[], scheme: Pick<Scheme, 'contract'>): PaymentGrid {
  const cal = contractCalendar(scheme.contract);
  const seen = new Set<IsoDate>();
  for (const r of rows) seen.add(r.period_start);
  const sorted = [...seen].sort(compareCodePoint);
  const periods = sorted.length === 0 ? [] : periodRange(cal, sorted[0]!, sorted[sorted.length - 1]!);
  // Rows whose period is not on the calendar (should not happen) still count: they get their own column.
  for (const p of sorted) if (!periods.includes(p)) periods.push(p);
  periods.sort(compareCodePoint);
  const index = new Map(periods.map((p, i) => [p, i]));
  const providers = new Map<string, ProviderPayments>();
  const periodTotals = periods.map(emptyCell);
  const all = emptyCell();
  const types = new Set<PaymentType>();
  for (const r of rows) {
    let p = providers.get(r.provider_id);
    if (!p) providers.set(r.provider_id, (p = { provider_id: r.provider_id, periods: periods.map(emptyCell), all: emptyCell() }));
    const i = index.get(r.period_start)!;
    addRow(p.periods[i]!, r);
    addRow(p.all, r);
    addRow(periodTotals[i]!, r);
    addRow(all, r);
    types.add(r.payment_type);
  }
  return {
    periods,
    periodMonths: cal.periodMonths,
    types: PAYMENT_TYPES.filter((t) => types.has(t)),
    providers: [...providers.values()].sort((a, b) => compareCodePoint(a.provider_id, b.provider_id)),
    periodTotals,
    all,
  };
}

/** One provider in one contract year, against its cap (R-PAY-4). */
export interface CapLine {
  provider_id: string;
  /** Start of the contract year. */
  contract_year: IsoDate;
  terms: ContractTerms | undefined;
  cap: Decimal | undefined;
  /** Paid on the payment types the cap covers (`contract.capCovers`). */
  covered: Decimal;
  /** Cut by the cap. */
  capped: Decimal;
  /** cap − covered (undefined without a cap). */
  headroom: Decimal | undefined;
  fixed: Decimal;
  /** Everything paid to the provider in the contract year. */
  total: Decimal;
}

/** Caps per provider and contract year, and what they cover. */
export interface CapPicture {
  lines: CapLine[];
  /** Payment types that count against the cap. */
  covers: PaymentType[];
  /** Whether any provider has a cap. */
  anyCap: boolean;
  /** Whether any provider has contract terms. */
  anyTerms: boolean;
}

/**
 * Paid and capped amounts per provider and contract year, with each provider's cap.
 * @example capPicture(payments.rows, scheme).lines.filter((l) => l.capped.greaterThan(0))
 */
export function capPicture(rows: readonly PaymentRow[], scheme: Pick<Scheme, 'contract'>): CapPicture {
  const cal = contractCalendar(scheme.contract);
  const covers = new Set<PaymentType>(scheme.contract?.capCovers ?? RESULTS_PAYMENT_TYPES);
  const lines = new Map<string, CapLine>();
  const yearOf = new Map<IsoDate, IsoDate>();
  for (const r of rows) {
    let year = yearOf.get(r.period_start);
    if (year === undefined) yearOf.set(r.period_start, (year = contractYearOf(cal, r.period_start)));
    const k = `${r.provider_id}\u0000${year}`;
    let l = lines.get(k);
    if (!l) {
      const terms = termsFor(scheme.contract, r.provider_id);
      const cap = terms?.cap === undefined ? undefined : money(terms.cap);
      lines.set(k, (l = { provider_id: r.provider_id, contract_year: year, terms, cap, covered: ZERO, capped: ZERO, headroom: undefined, fixed: ZERO, total: ZERO }));
    }
    if (covers.has(r.payment_type)) l.covered = l.covered.plus(r.amount);
    if (r.payment_type === 'fixed') l.fixed = l.fixed.plus(r.amount);
    l.capped = l.capped.plus(r.capped_amount);
    l.total = l.total.plus(r.amount);
  }
  const out = [...lines.values()].sort((a, b) => compareCodePoint(a.provider_id, b.provider_id) || compareCodePoint(a.contract_year, b.contract_year));
  for (const l of out) if (l.cap) l.headroom = l.cap.minus(l.covered);
  const c = scheme.contract;
  return {
    lines: out,
    covers: PAYMENT_TYPES.filter((t) => covers.has(t)),
    anyCap: out.some((l) => l.cap !== undefined),
    anyTerms: c !== undefined && (Object.keys(c.providers).length > 0 || c.defaultTerms !== undefined),
  };
}

/** What one payer pays (R-PAY-6). */
export interface PayerLine {
  payer: string;
  /** The scheme's share ('1' for the default payer). */
  share: string;
  paid: Decimal;
  capped: Decimal;
  /** provider id → paid by this payer. */
  providers: Map<string, Decimal>;
}

/**
 * Paid and capped amounts per payer (and per provider), in the scheme's payer order.
 * @example payerPicture(payments.rows, scheme.payers).map((p) => p.paid.toFixed(2))
 */
export function payerPicture(rows: readonly PaymentRow[], payers: Scheme['payers']): PayerLine[] {
  const list = payers ?? DEFAULT_PAYERS;
  const lines = new Map<string, PayerLine>(list.map((p) => [p.id, { payer: p.id, share: p.share, paid: ZERO, capped: ZERO, providers: new Map() }]));
  for (const r of rows) {
    let l = lines.get(r.payer);
    if (!l) lines.set(r.payer, (l = { payer: r.payer, share: '', paid: ZERO, capped: ZERO, providers: new Map() }));
    l.paid = l.paid.plus(r.amount);
    l.capped = l.capped.plus(r.capped_amount);
    l.providers.set(r.provider_id, (l.providers.get(r.provider_id) ?? ZERO).plus(r.amount));
  }
  return [...lines.values()];
}

/**
 * A label for a contract year: `2012/13` for a year that starts after January, `2012` otherwise.
 * @example contractYearLabel('2012-04-01') // '2012/13'
 */
export function contractYearLabel(start: IsoDate): string {
  const y = +start.slice(0, 4);
  return start.slice(5) === '01-01' ? String(y) : `${y}/${String((y + 1) % 100).padStart(2, '0')}`;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * A label for a payment period: `Q1 2012/13` for quarters (numbered within the contract year),
 * `Apr 2012` for months.
 * @example periodLabel('2012-07-01', contractCalendar({ start: '2012-04-01', period: 'quarterly' })) // 'Q2 2012/13'
 */
export function periodLabel(period: IsoDate, cal: ContractCalendar): string {
  if (cal.periodMonths === 1) return `${MONTHS[+period.slice(5, 7) - 1]} ${period.slice(0, 4)}`;
  const year = contractYearOf(cal, period);
  const q = Math.floor((((monthIndex(period) - monthIndex(year)) % 12) + 12) % 12 / cal.periodMonths) + 1;
  return `Q${q} ${contractYearLabel(year)}`;
}

/**
 * A period's column heading (HTML): its label, and its start date beneath.
 * @example periodHeader('2012-07-01', cal) // 'Q2 2012/13<span class="sub">2012-07-01</span>'
 */
export function periodHeader(p: IsoDate, cal: ContractCalendar): string {
  return `${esc(periodLabel(p, cal))}<span class="sub">${esc(p)}</span>`;
}

/**
 * Year labels for a period axis: bar index → the contract year (or calendar year for months) at
 * the first period of each.
 * @example yearTicks(['2012-04-01', '2012-07-01', '2013-04-01'], cal) // Map { 0 => '2012/13', 2 => '2013/14' }
 */
export function yearTicks(periods: readonly IsoDate[], cal: ContractCalendar): Map<number, string> {
  const out = new Map<number, string>();
  let last = '';
  periods.forEach((p, i) => {
    const label = periodLabel(p, cal);
    const year = cal.periodMonths === 1 ? p.slice(0, 4) : label.slice(label.indexOf(' ') + 1);
    if (year !== last) out.set(i, year);
    last = year;
  });
  return out;
}

/**
 * Splits periods into tables of at most 12 columns, cut at contract-year boundaries when possible.
 * @example periodChunks(sixteenQuarters, cal).map((c) => c.length) // [12, 4]
 */
export function periodChunks(periods: readonly IsoDate[], cal: ContractCalendar): IsoDate[][] {
  if (periods.length <= 12) return [periods.slice()];
  const perYear = 12 / cal.periodMonths;
  const years: IsoDate[][] = [];
  const ticks = yearTicks(periods, cal);
  periods.forEach((p, i) => {
    if (ticks.has(i) || years.length === 0) years.push([]);
    years[years.length - 1]!.push(p);
  });
  const chunks: IsoDate[][] = [];
  for (const y of years) {
    const last = chunks[chunks.length - 1];
    if (last && last.length + y.length <= Math.max(12, perYear)) last.push(...y);
    else chunks.push([...y]);
  }
  return chunks;
}
