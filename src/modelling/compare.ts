/**
 * What-if comparison: two schemes (or a scheme and parameter overrides) on the same data, and the
 * difference in payments per provider, payment type, outcome and band, with totals. Cohort lines
 * keep the measured outcome here (payments.csv leaves it blank) so a change of one cohort
 * schedule shows where it lands. Money stays Decimal; differences are B − A.
 * @module
 */
import { compareCodePoint, type IsoDate } from '../calendar/index.js';
import { ZERO, formatMoney, formatPounds, type Decimal } from '../money/amount.js';
import { csvLine } from '../output/csv.js';
import { formatTextTable } from '../payments/table.js';
import type { PaymentGroup } from '../payments/stream.js';
import type { PaymentLine, PaymentType } from '../payments/types.js';
import type { Dataset } from '../schema/dataset.js';
import { loadScheme, setSchemeParameter, type Scheme } from '../schema/scheme/index.js';
import { paymentRun, type PaymentRun } from './run.js';

/** Paid, capped and count of one side. */
export interface Side {
  count: number;
  amount: Decimal;
  capped: Decimal;
}

/** One line of a comparison. */
export interface ComparisonRow {
  provider_id: string;
  payment_type: PaymentType;
  outcome_id: string;
  tariff_band: string;
  a: Side;
  b: Side;
  /** b.amount − a.amount. */
  difference: Decimal;
}

/** Totals of a comparison, per provider and overall. */
export interface ComparisonTotal {
  provider_id: string;
  a: Side;
  b: Side;
  difference: Decimal;
}

/** The difference between two runs. */
export interface PaymentComparison {
  a: { id: string; version: string; label: string };
  b: { id: string; version: string; label: string };
  asOf: IsoDate;
  rows: ComparisonRow[];
  providers: ComparisonTotal[];
  total: ComparisonTotal;
}

const empty = (): Side => ({ count: 0, amount: ZERO, capped: ZERO });

/**
 * Compares the payment lines of two runs on the same data (pure): payable lines only.
 * @example compareLines(runA.payments.lines, runB.payments.lines).total.difference
 */
export function compareLines(a: readonly PaymentLine[], b: readonly PaymentLine[]): Pick<PaymentComparison, 'rows' | 'providers' | 'total'> {
  const groups = (lines: readonly PaymentLine[]): PaymentGroup[] =>
    lines.filter((l) => l.status === 'payable').map((l) => ({ provider_id: l.provider_id, period_start: l.period_start, payment_type: l.payment_type, outcome_id: l.outcome_id, tariff_band: l.tariff_band, count: 1, paid: l.paid, capped: l.capped }));
  return compareGroups(groups(a), groups(b));
}

/**
 * Compares two runs' payment groups (a payment tally's, for national-scale data) per provider,
 * payment type, outcome and band, with totals (pure).
 * @example compareGroups(tallyA.result().groups, tallyB.result().groups).total.difference
 */
export function compareGroups(a: readonly PaymentGroup[], b: readonly PaymentGroup[]): Pick<PaymentComparison, 'rows' | 'providers' | 'total'> {
  const rows = new Map<string, ComparisonRow>();
  const put = (g: PaymentGroup, side: 'a' | 'b') => {
    const k = [g.provider_id, g.payment_type, g.outcome_id, g.tariff_band].join('\u0000');
    let r = rows.get(k);
    if (!r) rows.set(k, (r = { provider_id: g.provider_id, payment_type: g.payment_type, outcome_id: g.outcome_id, tariff_band: g.tariff_band, a: empty(), b: empty(), difference: ZERO }));
    const s = r[side];
    s.count += g.count;
    s.amount = s.amount.plus(g.paid);
    s.capped = s.capped.plus(g.capped);
  };
  for (const g of a) put(g, 'a');
  for (const g of b) put(g, 'b');
  const sorted = [...rows.values()].sort(
    (x, y) =>
      compareCodePoint(x.provider_id, y.provider_id) ||
      compareCodePoint(x.payment_type, y.payment_type) ||
      compareCodePoint(x.outcome_id, y.outcome_id) ||
      compareCodePoint(x.tariff_band, y.tariff_band),
  );
  const providers = new Map<string, ComparisonTotal>();
  const total: ComparisonTotal = { provider_id: '', a: empty(), b: empty(), difference: ZERO };
  for (const r of sorted) {
    r.difference = r.b.amount.minus(r.a.amount);
    let p = providers.get(r.provider_id);
    if (!p) providers.set(r.provider_id, (p = { provider_id: r.provider_id, a: empty(), b: empty(), difference: ZERO }));
    for (const t of [p, total]) {
      for (const s of ['a', 'b'] as const) {
        t[s].count += r[s].count;
        t[s].amount = t[s].amount.plus(r[s].amount);
        t[s].capped = t[s].capped.plus(r[s].capped);
      }
      t.difference = t.difference.plus(r.difference);
    }
  }
  return { rows: sorted, providers: [...providers.values()], total };
}

function label(s: Scheme, fallback: string): { id: string; version: string; label: string } {
  return { id: s.id, version: s.version, label: fallback };
}

/**
 * Runs two schemes on the same data and compares their payments. The engine runs once when both
 * schemes decide outcomes the same way.
 * @example compareSchemes(data, presetScheme('national-model-2012'), myScheme, { asOf: '2014-03-31' })
 */
export function compareSchemes(
  data: Dataset,
  schemeA: Scheme,
  schemeB: Scheme,
  options: { asOf: IsoDate; labels?: [string, string] },
): PaymentComparison & { runs: [PaymentRun, PaymentRun] } {
  const runA = paymentRun(data, schemeA, { asOf: options.asOf });
  const runB = paymentRun(data, schemeB, { asOf: options.asOf, reuse: runA });
  const [la, lb] = options.labels ?? [`${schemeA.id} ${schemeA.version}`, `${schemeB.id} ${schemeB.version}`];
  return {
    a: label(schemeA, la),
    b: label(schemeB, lb),
    asOf: options.asOf,
    ...compareLines(runA.payments.lines, runB.payments.lines),
    runs: [runA, runB],
  };
}

/** A parameter override `path=value`, e.g. `tariff.outcomes.free-from-dependence.2` = `"2000"`. */
export interface SchemeOverride {
  path: string;
  value: unknown;
}

/**
 * Applies overrides to a raw scheme document (by dotted path, outcomes by id) and parses it;
 * throws a `RecoveryPbrError` (`scheme`) listing every problem when the result is not a valid scheme.
 * @example withOverrides(presetDocument('national-model-2012'), [{ path: 'tariff.outcomes.free-from-dependence.2', value: '2000' }])
 */
export function withOverrides(document: unknown, overrides: readonly SchemeOverride[], name = 'scheme with overrides'): Scheme {
  let doc = document;
  for (const o of overrides) doc = setSchemeParameter(doc, o.path, o.value);
  return loadScheme(doc, name);
}

/**
 * Compares a scheme with itself under parameter overrides, on the same data.
 * @example compareOverrides(data, presetDocument('national-model-2012'), [{ path: 'tariff.outcomes.free-from-dependence.2', value: '2000' }], { asOf })
 */
export function compareOverrides(
  data: Dataset,
  document: unknown,
  overrides: readonly SchemeOverride[],
  options: { asOf: IsoDate },
): PaymentComparison & { runs: [PaymentRun, PaymentRun] } {
  const a = loadScheme(document);
  const b = withOverrides(document, overrides);
  const desc = overrides.map((o) => `${o.path}=${typeof o.value === 'string' ? o.value : JSON.stringify(o.value)}`).join(', ');
  return compareSchemes(data, a, b, { asOf: options.asOf, labels: [`${a.id} ${a.version}`, `${a.id} ${a.version} with ${desc}`] });
}

/** Columns of `comparison.csv`. */
export const COMPARISON_COLUMNS = [
  'provider_id',
  'payment_type',
  'outcome_id',
  'tariff_band',
  'count_a',
  'amount_a',
  'capped_amount_a',
  'count_b',
  'amount_b',
  'capped_amount_b',
  'difference',
] as const;

/**
 * The comparison as CSV: one line per provider, payment type, outcome and band, then a line per
 * provider (payment_type `total`) and the grand total (provider blank, payment_type `total`).
 * @example comparisonCsv(compareSchemes(data, a, b, { asOf }))
 */
export function comparisonCsv(c: Pick<PaymentComparison, 'rows' | 'providers' | 'total'>): string {
  const line = (p: string, t: string, o: string, band: string, a: Side, b: Side, d: Decimal) =>
    csvLine([p, t, o, band, a.count, formatMoney(a.amount), formatMoney(a.capped), b.count, formatMoney(b.amount), formatMoney(b.capped), formatMoney(d)]);
  const out = [csvLine(COMPARISON_COLUMNS)];
  for (const r of c.rows) out.push(line(r.provider_id, r.payment_type, r.outcome_id, r.tariff_band, r.a, r.b, r.difference));
  for (const p of c.providers) out.push(line(p.provider_id, 'total', '', '', p.a, p.b, p.difference));
  out.push(line('', 'total', '', '', c.total.a, c.total.b, c.total.difference));
  return out.join('');
}

function signed(d: Decimal): string {
  return d.greaterThan(0) ? `+${formatPounds(d)}` : formatPounds(d);
}

/**
 * A readable comparison table for the terminal.
 * @example process.stdout.write(comparisonTable(cmp))
 */
export function comparisonTable(c: PaymentComparison): string {
  const body: string[][] = [];
  for (const p of c.providers) {
    for (const r of c.rows.filter((x) => x.provider_id === p.provider_id)) {
      body.push([r.provider_id, r.payment_type, r.outcome_id, r.tariff_band, formatPounds(r.a.amount), formatPounds(r.b.amount), signed(r.difference)]);
    }
    body.push([p.provider_id, 'total', '', '', formatPounds(p.a.amount), formatPounds(p.b.amount), signed(p.difference)]);
  }
  body.push(['all', 'total', '', '', formatPounds(c.total.a.amount), formatPounds(c.total.b.amount), signed(c.total.difference)]);
  return (
    `A: ${c.a.label}\nB: ${c.b.label}\nas of ${c.asOf}\n\n` +
    formatTextTable(['provider', 'type', 'outcome', 'band', 'A paid', 'B paid', 'B − A'], body, [false, false, false, false, true, true, true])
  );
}
