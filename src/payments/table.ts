/**
 * `payments.csv` (SPEC §4) and the payment totals of `summary.json`, from payment lines.
 * One row per distinct (provider_id, payer, period_start, payment_type, outcome_id, tariff_band);
 * outcome_id is blank unless outcome or sustainment; sorted by provider_id, period_start,
 * payment_type, outcome_id, tariff_band, payer (code point order). Same lines in any order ⇒ the
 * same rows and byte-identical CSV (R-PAY-7).
 * @module
 */
import { compareCodePoint, type IsoDate } from '../calendar/index.js';
import { ZERO, formatMoney, formatPounds, type Decimal } from '../money/amount.js';
import { csvLine } from '../output/csv.js';
import type { Payer } from '../schema/scheme/tariff.js';
import { DEFAULT_PAYERS, splitByPayers } from './payers.js';
import { PAYMENT_TYPES, type PaymentLine, type PaymentRow, type PaymentType } from './types.js';

/** Columns of `payments.csv`, in order (SPEC §4). */
export const PAYMENT_COLUMNS = [
  'provider_id',
  'payer',
  'period_start',
  'payment_type',
  'outcome_id',
  'tariff_band',
  'count',
  'amount',
  'capped_amount',
] as const;

/**
 * Orders `payments.csv` rows: provider_id, period_start, payment_type, outcome_id, tariff_band, payer.
 * @example rows.sort(comparePaymentRows)
 */
export function comparePaymentRows(a: PaymentRow, b: PaymentRow): number {
  return (
    compareCodePoint(a.provider_id, b.provider_id) ||
    compareCodePoint(a.period_start, b.period_start) ||
    compareCodePoint(a.payment_type, b.payment_type) ||
    compareCodePoint(a.outcome_id, b.outcome_id) ||
    compareCodePoint(a.tariff_band, b.tariff_band) ||
    compareCodePoint(a.payer, b.payer)
  );
}

/**
 * The rows of `payments.csv` from payment lines (only `payable` lines; a fully capped item still
 * counts in its row), each payment split between payers (R-PAY-6).
 * @example paymentRows(result.lines, scheme.payers)
 */
export function paymentRows(lines: readonly PaymentLine[], payers: readonly Payer[] = DEFAULT_PAYERS): PaymentRow[] {
  const groups = new Map<string, { key: Omit<PaymentRow, 'payer' | 'count' | 'amount' | 'capped_amount'>; count: number; amount: Decimal; capped: Decimal }>();
  for (const l of lines) {
    if (l.status !== 'payable') continue;
    const outcome_id = l.payment_type === 'outcome' || l.payment_type === 'sustainment' ? l.outcome_id : '';
    const k = [l.provider_id, l.period_start, l.payment_type, outcome_id, l.tariff_band].join('\u0000');
    const g = groups.get(k);
    if (g) {
      g.count += 1;
      g.amount = g.amount.plus(l.paid);
      g.capped = g.capped.plus(l.capped);
    } else {
      groups.set(k, {
        key: { provider_id: l.provider_id, period_start: l.period_start, payment_type: l.payment_type, outcome_id, tariff_band: l.tariff_band },
        count: 1,
        amount: l.paid,
        capped: l.capped,
      });
    }
  }
  const rows: PaymentRow[] = [];
  for (const g of groups.values()) {
    const amounts = splitByPayers(g.amount, payers);
    const capped = splitByPayers(g.capped, payers);
    amounts.forEach((a, i) => rows.push({ ...g.key, payer: a.payer, count: g.count, amount: a.amount, capped_amount: capped[i]!.amount }));
  }
  return rows.sort(comparePaymentRows);
}

/**
 * The text of `payments.csv` (header included; money with 2 places).
 * @example paymentsCsv(paymentRows(lines)) // 'provider_id,payer,period_start,...\nP1,default,2012-04-01,attachment,,1,3,450.00,0.00\n'
 */
export function paymentsCsv(rows: readonly PaymentRow[]): string {
  const parts = [csvLine(PAYMENT_COLUMNS)];
  for (const r of [...rows].sort(comparePaymentRows)) {
    parts.push(
      csvLine([r.provider_id, r.payer, r.period_start, r.payment_type, r.outcome_id, r.tariff_band, r.count, formatMoney(r.amount), formatMoney(r.capped_amount)]),
    );
  }
  return parts.join('');
}

/** Paid amounts per payment type (every type present). */
export type AmountsByType = Record<PaymentType, Decimal>;

/** Totals of one provider. */
export interface ProviderTotals {
  provider_id: string;
  by_type: AmountsByType;
  total: Decimal;
  capped: Decimal;
  /** Items paid (in whole or in part) and items cut entirely. */
  items: number;
}

/** Totals per provider and payment type (for `summary.json`, R-PAY-1: sums of rounded items). */
export interface PaymentTotals {
  providers: ProviderTotals[];
  by_type: AmountsByType;
  total: Decimal;
  capped: Decimal;
}

function emptyByType(): AmountsByType {
  return Object.fromEntries(PAYMENT_TYPES.map((t) => [t, ZERO])) as AmountsByType;
}

/**
 * Totals per provider and payment type of the payable lines.
 * @example paymentTotals(result.lines).total.toFixed(2)
 */
export function paymentTotals(lines: readonly PaymentLine[]): PaymentTotals {
  const byProvider = new Map<string, ProviderTotals>();
  const all: PaymentTotals = { providers: [], by_type: emptyByType(), total: ZERO, capped: ZERO };
  for (const l of lines) {
    if (l.status !== 'payable') continue;
    let p = byProvider.get(l.provider_id);
    if (!p) byProvider.set(l.provider_id, (p = { provider_id: l.provider_id, by_type: emptyByType(), total: ZERO, capped: ZERO, items: 0 }));
    p.by_type[l.payment_type] = p.by_type[l.payment_type].plus(l.paid);
    p.total = p.total.plus(l.paid);
    p.capped = p.capped.plus(l.capped);
    p.items += 1;
    all.by_type[l.payment_type] = all.by_type[l.payment_type].plus(l.paid);
    all.total = all.total.plus(l.paid);
    all.capped = all.capped.plus(l.capped);
  }
  all.providers = [...byProvider.values()].sort((a, b) => compareCodePoint(a.provider_id, b.provider_id));
  return all;
}

function typesJson(t: AmountsByType): Record<PaymentType, string> {
  return Object.fromEntries(PAYMENT_TYPES.map((k) => [k, formatMoney(t[k])])) as Record<PaymentType, string>;
}

/**
 * Totals as plain JSON (money as strings with 2 places), keys in a fixed order.
 * @example JSON.stringify(paymentTotalsJson(paymentTotals(lines)))
 */
export function paymentTotalsJson(t: PaymentTotals): {
  total: string;
  capped_amount: string;
  by_type: Record<PaymentType, string>;
  providers: Record<string, { total: string; capped_amount: string; by_type: Record<PaymentType, string> }>;
} {
  const providers: Record<string, { total: string; capped_amount: string; by_type: Record<PaymentType, string> }> = {};
  for (const p of t.providers) providers[p.provider_id] = { total: formatMoney(p.total), capped_amount: formatMoney(p.capped), by_type: typesJson(p.by_type) };
  return { total: formatMoney(t.total), capped_amount: formatMoney(t.capped), by_type: typesJson(t.by_type), providers };
}

/**
 * A readable table of payments per provider and period (payment types that occur as columns,
 * payers summed), with a total per provider, for the demo and the terminal.
 * @example console.log(paymentTable(result.rows))
 */
export function paymentTable(rows: readonly PaymentRow[]): string {
  const present = new Set(rows.map((r) => r.payment_type));
  const types = PAYMENT_TYPES.filter((t) => present.has(t));
  const cells = new Map<string, { provider: string; period: IsoDate; byType: AmountsByType; capped: Decimal }>();
  for (const r of rows) {
    const k = `${r.provider_id}\u0000${r.period_start}`;
    let c = cells.get(k);
    if (!c) cells.set(k, (c = { provider: r.provider_id, period: r.period_start, byType: emptyByType(), capped: ZERO }));
    c.byType[r.payment_type] = c.byType[r.payment_type].plus(r.amount);
    c.capped = c.capped.plus(r.capped_amount);
  }
  const sorted = [...cells.values()].sort((a, b) => compareCodePoint(a.provider, b.provider) || compareCodePoint(a.period, b.period));
  const header = ['provider', 'period', ...types, 'total', 'capped'];
  const body: string[][] = [];
  let last = '';
  const subtotal = (provider: string) => {
    const mine = sorted.filter((c) => c.provider === provider);
    const byType = emptyByType();
    let capped = ZERO;
    for (const c of mine) {
      for (const t of types) byType[t] = byType[t].plus(c.byType[t]);
      capped = capped.plus(c.capped);
    }
    const total = types.reduce((s, t) => s.plus(byType[t]), ZERO);
    body.push(['', 'total', ...types.map((t) => formatPounds(byType[t])), formatPounds(total), formatPounds(capped)]);
  };
  for (const c of sorted) {
    if (last !== '' && c.provider !== last) subtotal(last);
    const total = types.reduce((s, t) => s.plus(c.byType[t]), ZERO);
    body.push([c.provider === last ? '' : c.provider, c.period, ...types.map((t) => formatPounds(c.byType[t])), formatPounds(total), formatPounds(c.capped)]);
    last = c.provider;
  }
  if (last !== '') subtotal(last);
  return formatTextTable(header, body, [false, false, ...types.map(() => true), true, true]);
}

/**
 * Lays out a text table with aligned columns (`right[i]` right-aligns column i).
 * @example formatTextTable(['a', 'b'], [['x', '1']], [false, true])
 */
export function formatTextTable(header: readonly string[], body: readonly (readonly string[])[], right: readonly boolean[] = []): string {
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => (r[i] ?? '').length)));
  const line = (r: readonly string[]) =>
    r
      .map((c, i) => (right[i] ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n') + '\n';
}
