/**
 * What the money bought, for the report: spend by payment kind (attachment, each outcome, each
 * outcome's sustainment, cohort, fixed) × tariff band, from `payments.csv` rows only, and the cost
 * per met outcome and per journey, from those sums and the outcome counts by band. Everything is
 * a sum or a count per key, so the figures of parts of a run merge by adding, and every amount
 * equals the sum of the matching `payments.csv` amounts to the penny.
 * @module
 */
import { ZERO, decimal, type Decimal } from '../money/amount.js';
import type { PaymentRow, PaymentType } from '../payments/types.js';
import type { Scheme } from '../schema/scheme/index.js';
import { orderBands, orderOutcomes, type OutcomeBreakdown } from './outcome-rates.js';

/** Paid amount and number of payable items (a fully capped item still counts, as in `payments.csv`). */
export interface SpendCell {
  amount: Decimal;
  items: number;
}

/** One line of the spend table: a payment type, and for outcome and sustainment payments the outcome. */
export interface SpendLine {
  kind: PaymentType;
  /** Outcome paid for (outcome and sustainment lines); `''` otherwise. */
  outcome_id: string;
  /** Band → paid, for payments priced by band (attachment, outcome, sustainment). Empty for cohort and fixed. */
  bands: Map<string, SpendCell>;
  total: SpendCell;
}

/** Spend by payment kind and band, with journeys per band. */
export interface SpendPicture {
  /** Bands with a payment or a journey: the tariff's order, then others, then `''` (no band). */
  bands: string[];
  /** Attachment, then outcome payments in scheme order, sustainment in scheme order, cohort, fixed. Lines with no row are left out. */
  lines: SpendLine[];
  /** Band → paid on every band-priced line. */
  byBand: Map<string, Decimal>;
  /** Cohort and fixed payments: not priced by band (a cohort groups several bands). */
  notByBand: Decimal;
  total: Decimal;
  /** Band → journeys in it (`''` = no band), from the outcome counts; empty when there are none. */
  journeys: Map<string, number>;
  /** Every journey counted. */
  allJourneys: number;
}

const BAND_PRICED: ReadonlySet<PaymentType> = new Set(['attachment', 'outcome', 'sustainment']);
const KIND_ORDER: readonly PaymentType[] = ['attachment', 'outcome', 'sustainment', 'cohort', 'fixed'];

/** The `payments.csv` group a row belongs to: its `count` is repeated on each payer's row, so items are counted once per group. */
function groupKey(r: PaymentRow): string {
  return `${r.provider_id}\u0000${r.period_start}\u0000${r.payment_type}\u0000${r.outcome_id}\u0000${r.tariff_band}`;
}

/**
 * The band a journey's payments are priced at: its own, or the tariff's default band for a journey
 * without one (R-PAY-2). Outcome counts are by the journey's own band; payments by the price band.
 */
function pricedBand(band: string, tariff: Scheme['tariff']): string {
  return band === '' && tariff?.defaultBand !== undefined ? tariff.defaultBand : band;
}

/**
 * Journeys per band their payments are priced at (a journey without a band counts in the tariff's
 * default band, if any), from outcome counts. Every journey has a decision for every outcome (one
 * `outcomes.csv` row per journey and outcome), so any outcome's total is the number of journeys in
 * the band; the largest is taken, so an outcome evaluated on fewer journeys never lowers it.
 * @example journeysByBand(breakdown, scheme.tariff).get('2') // 894
 */
export function journeysByBand(breakdown: OutcomeBreakdown, tariff?: Scheme['tariff']): Map<string, number> {
  const out = new Map<string, number>();
  for (const bands of Object.values(breakdown.by_band)) {
    const perBand = new Map<string, number>();
    for (const [band, c] of Object.entries(bands)) {
      const b = pricedBand(band, tariff);
      perBand.set(b, (perBand.get(b) ?? 0) + c.met + c.not_met + c.not_eligible + c.pending);
    }
    for (const [b, n] of perBand) if (n > (out.get(b) ?? 0)) out.set(b, n);
  }
  return new Map(orderBands(out.keys(), tariff?.bands).map((b) => [b, out.get(b)!]));
}

/**
 * Spend by payment kind × tariff band from `payments.csv` rows (payers added together).
 * @example spendPicture(payments.rows, breakdown, scheme).lines.find((l) => l.outcome_id === 'free-from-dependence')?.bands.get('2')?.amount
 */
export function spendPicture(rows: readonly PaymentRow[], breakdown: OutcomeBreakdown, scheme: Pick<Scheme, 'outcomes' | 'tariff'>): SpendPicture {
  const lines = new Map<string, SpendLine>();
  const counted = new Set<string>();
  const byBand = new Map<string, Decimal>();
  let notByBand: Decimal = ZERO;
  let total: Decimal = ZERO;
  for (const r of rows) {
    const outcome = r.payment_type === 'outcome' || r.payment_type === 'sustainment' ? r.outcome_id : '';
    const k = `${r.payment_type}\u0000${outcome}`;
    let l = lines.get(k);
    if (!l) lines.set(k, (l = { kind: r.payment_type, outcome_id: outcome, bands: new Map(), total: { amount: ZERO, items: 0 } }));
    const g = groupKey(r);
    const items = counted.has(g) ? 0 : r.count;
    counted.add(g);
    l.total.amount = l.total.amount.plus(r.amount);
    l.total.items += items;
    total = total.plus(r.amount);
    if (BAND_PRICED.has(r.payment_type)) {
      const c = l.bands.get(r.tariff_band) ?? { amount: ZERO, items: 0 };
      l.bands.set(r.tariff_band, { amount: c.amount.plus(r.amount), items: c.items + items });
      byBand.set(r.tariff_band, (byBand.get(r.tariff_band) ?? ZERO).plus(r.amount));
    } else notByBand = notByBand.plus(r.amount);
  }
  const journeys = journeysByBand(breakdown, scheme.tariff);
  const outcomeOrder = orderOutcomes(
    [...lines.values()].map((l) => l.outcome_id).filter((id) => id !== ''),
    scheme.outcomes.map((o) => o.id),
  );
  const ordered: SpendLine[] = [];
  for (const kind of KIND_ORDER) {
    const ids = kind === 'outcome' || kind === 'sustainment' ? outcomeOrder : [''];
    for (const id of ids) {
      const l = lines.get(`${kind}\u0000${id}`);
      if (l) ordered.push(l);
    }
  }
  const bands = orderBands([...byBand.keys(), ...journeys.keys()], scheme.tariff?.bands);
  // Band order is the tariff's, whatever order the rows came in.
  for (const l of ordered) l.bands = new Map(bands.filter((b) => l.bands.has(b)).map((b) => [b, l.bands.get(b)!]));
  const byBandOrdered = new Map(bands.filter((b) => byBand.has(b)).map((b) => [b, byBand.get(b)!]));
  let allJourneys = 0;
  for (const n of journeys.values()) allJourneys += n;
  return { bands, lines: ordered, byBand: byBandOrdered, notByBand, total, journeys, allJourneys };
}

/** The cost of one outcome in one band (or all bands). */
export interface OutcomeCostLine {
  /** Band (`''` = no band), or undefined for all bands. */
  band: string | undefined;
  /** Journeys that met the outcome by asOf (paid or not). */
  met: number;
  /** Outcome payments made for it (items in `payments.csv`, a fully capped one included). */
  items: number;
  /** Paid for it: the sum of its `payments.csv` outcome rows (sustainment not included). */
  paid: Decimal;
  /** paid ÷ met, unrounded; undefined when none was met. */
  perMet: Decimal | undefined;
  /** The tariff's price of the outcome in the band, when it has one. */
  price: Decimal | undefined;
}

/** What one outcome cost, by band and in all. */
export interface OutcomeCost {
  outcome_id: string;
  bands: OutcomeCostLine[];
  all: OutcomeCostLine;
}

function costLine(band: string | undefined, met: number, cell: SpendCell | undefined, price: string | undefined): OutcomeCostLine {
  const paid = cell?.amount ?? ZERO;
  return { band, met, items: cell?.items ?? 0, paid, perMet: met > 0 ? paid.dividedBy(met) : undefined, price: price === undefined ? undefined : decimal(price) };
}

/**
 * Cost per met outcome, by outcome and band: outcome payments (from `payments.csv`) ÷ journeys
 * that met the outcome by asOf (a journey without a band counts in the default band, if any). Outcomes the scheme prices are listed (in scheme order) even when
 * nothing was paid; outcomes with neither a price nor a payment are left out.
 * @example outcomeCosts(spend, breakdown, scheme)[0].all.perMet?.toFixed(2)
 */
export function outcomeCosts(spend: SpendPicture, breakdown: OutcomeBreakdown, scheme: Pick<Scheme, 'outcomes' | 'tariff'>): OutcomeCost[] {
  const prices = scheme.tariff?.outcomes ?? {};
  const paidLines = new Map(spend.lines.filter((l) => l.kind === 'outcome').map((l) => [l.outcome_id, l]));
  const ids = orderOutcomes([...Object.keys(prices), ...paidLines.keys()], scheme.outcomes.map((o) => o.id));
  return ids.map((id) => {
    const line = paidLines.get(id);
    // Met outcomes by the band they are priced at, as payments are.
    const met = new Map<string, number>();
    for (const [band, c] of Object.entries(breakdown.by_band[id] ?? {})) met.set(pricedBand(band, scheme.tariff), (met.get(pricedBand(band, scheme.tariff)) ?? 0) + c.met);
    const bands = orderBands([...met.keys(), ...(line ? line.bands.keys() : []), ...Object.keys(prices[id] ?? {})], scheme.tariff?.bands);
    const lines = bands.map((b) => costLine(b, met.get(b) ?? 0, line?.bands.get(b), prices[id]?.[b]));
    const allMet = lines.reduce((s, l) => s + l.met, 0);
    return { outcome_id: id, bands: lines, all: costLine(undefined, allMet, line?.total, undefined) };
  });
}
