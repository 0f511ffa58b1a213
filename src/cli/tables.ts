/**
 * Text printed by the commands: tables, and the answer that leads them (totals first). Money is
 * printed as £1,234,567.89; the CSV files keep plain decimals.
 * @module
 */
import { formatPounds, type Decimal } from '../money/amount.js';
import type { ComparisonRow, PaymentComparison } from '../modelling/compare.js';
import type { OutcomeSummary } from '../output/summary.js';
import { formatTextTable, type PaymentResult } from '../payments/index.js';
import { PAYMENT_TYPES } from '../payments/types.js';
import type { Scheme } from '../schema/scheme/index.js';
import { plural } from './shared.js';

/**
 * A plain text table; columns listed in `right` are right-aligned (numbers).
 * @example textTable(['a', 'n'], [['x', '1']], [1])
 */
export function textTable(header: readonly string[], rows: readonly (readonly (string | number)[])[], right: readonly number[] = []): string {
  const cells = [header, ...rows].map((r) => r.map(String));
  const widths = header.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  return cells
    .map((r) => r.map((c, i) => (right.includes(i) ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd())
    .join('\n');
}

/**
 * Outcome counts by outcome and band: met / not met / not eligible / pending.
 * @example outcomeTable(run.outcomes, scheme)
 */
export function outcomeTable(s: OutcomeSummary, scheme: Pick<Scheme, 'outcomes'>): string {
  const rows: (string | number)[][] = [];
  for (const o of scheme.outcomes) {
    const bands = s.by_outcome_and_band[o.id] ?? {};
    for (const [band, c] of Object.entries(bands)) rows.push([o.id, band === '' ? '(none)' : band, c.met, c.not_met, c.not_eligible, c.pending]);
    const t = s.by_outcome[o.id];
    if (t && Object.keys(bands).length > 1) rows.push([o.id, 'all', t.met, t.not_met, t.not_eligible, t.pending]);
  }
  return textTable(['outcome', 'band', 'met', 'not met', 'not eligible', 'pending'], rows, [2, 3, 4, 5]);
}

/** Money for people: £1,234,567.89. */
const pounds = (d: Decimal) => formatPounds(d);

/**
 * The answer first (issue #12): the total paid, by payment type, and what was not paid — outside
 * the contract (R-PAY-8), cut by caps (R-PAY-4), journeys without a band (R-PAY-2), and, when they
 * occur, items over a per-client limit (R-OUT-10) and bands the tariff does not price.
 * @example paymentHeadline(run.payments, scheme)
 */
export function paymentHeadline(p: Pick<PaymentResult, 'totals' | 'counts'> | undefined, scheme: Pick<Scheme, 'id' | 'tariff' | 'contract'>): string {
  if (!p) return `Total paid: nothing — scheme ${scheme.id} has no tariff, contract or cohort tariff, so it decides outcomes only.`;
  const t = p.totals;
  const types = PAYMENT_TYPES.filter((k) => !t.by_type[k].isZero());
  const providers = t.providers.filter((x) => !x.total.isZero()).length;
  const lines = [
    `Total paid: ${pounds(t.total)}${types.length > 0 ? ` (${types.map((k) => `${k} ${pounds(t.by_type[k])}`).join(', ')})` : ''}${providers > 0 ? ` to ${plural(providers, 'provider')}` : ''}.`,
  ];
  const c = p.counts;
  const rows: string[][] = [
    [`${contractWords(scheme.contract)} (R-PAY-8)`, plural(c.outside_contract.items, 'item'), pounds(c.outside_contract.amount)],
    ['cut by provider caps (R-PAY-4)', plural(c.capped.items, 'item'), pounds(c.capped.amount)],
    ['journeys with no tariff band (R-PAY-2)', plural(c.unbanded.items, 'item'), c.unbanded.journeys > 0 ? `no price (${plural(c.unbanded.journeys, 'journey')})` : ''],
  ];
  if (c.over_client_limit.items > 0 || Object.keys(scheme.tariff?.maxPerClientPerYear ?? {}).length > 0) {
    rows.push(['over a per-client limit (R-OUT-10)', plural(c.over_client_limit.items, 'item'), pounds(c.over_client_limit.amount)]);
  }
  if (c.unknown_band.items > 0) {
    rows.push([`bands not in the tariff (${c.unknown_band.bands.join(', ')})`, plural(c.unknown_band.items, 'item'), 'no price']);
  }
  lines.push('Not paid:', ...textTable(['', '', ''], rows, [1, 2]).split('\n').slice(1).map((l) => `  ${l}`));
  return lines.join('\n');
}

/** Which dates are outside the contract, in words. */
function contractWords(c: Scheme['contract']): string {
  if (c?.start !== undefined && c.end !== undefined) return `outside the contract (${c.start} to ${c.end})`;
  if (c?.start !== undefined) return `before the contract start (${c.start})`;
  if (c?.end !== undefined) return `after the contract end (${c.end})`;
  return 'outside the contract';
}

/** Is anything different between the two sides of a comparison line? */
function changed(r: Pick<ComparisonRow, 'a' | 'b'>): boolean {
  return r.a.count !== r.b.count || !r.a.amount.equals(r.b.amount) || !r.a.capped.equals(r.b.capped);
}

function signed(d: Decimal): string {
  return d.greaterThan(0) ? `+${pounds(d)}` : pounds(d);
}

/**
 * A comparison for the terminal, totals first: the total paid under A and B and the difference,
 * how many lines changed, then the lines that changed (count, paid or capped) with their providers'
 * totals — or every line with `all`.
 * @example comparisonText(cmp, { all: false })
 */
export function comparisonText(c: PaymentComparison, options: { all?: boolean } = {}): string {
  const all = options.all === true;
  const shown = all ? c.rows : c.rows.filter(changed);
  const providers = new Set(shown.map((r) => r.provider_id));
  const changedProviders = c.providers.filter(changed).length;
  const out = [
    `A: ${c.a.label}`,
    `B: ${c.b.label}`,
    `as of ${c.asOf}`,
    '',
    `Total paid: A ${pounds(c.total.a.amount)}, B ${pounds(c.total.b.amount)}, B − A ${signed(c.total.difference)}` +
      (c.total.a.capped.isZero() && c.total.b.capped.isZero() ? '' : ` (cut by caps: A ${pounds(c.total.a.capped)}, B ${pounds(c.total.b.capped)})`) +
      '.',
  ];
  const nChanged = all ? c.rows.filter(changed).length : shown.length;
  out.push(
    nChanged === 0
      ? `Nothing changed: the ${plural(c.rows.length, 'line')} (provider, payment type, outcome, band) are the same under A and B.`
      : `Changed: ${nChanged} of ${plural(c.rows.length, 'line')} (provider, payment type, outcome, band), at ${plural(changedProviders, 'provider')}${all ? '' : '; --all shows every line'}.`,
  );
  if (shown.length === 0) return out.join('\n') + '\n';
  const body: string[][] = [];
  for (const p of c.providers) {
    if (!providers.has(p.provider_id)) continue;
    for (const r of shown) {
      if (r.provider_id !== p.provider_id) continue;
      body.push([r.provider_id, r.payment_type, r.outcome_id, r.tariff_band, String(r.a.count), pounds(r.a.amount), String(r.b.count), pounds(r.b.amount), signed(r.difference)]);
    }
    body.push([p.provider_id, 'total', '', '', String(p.a.count), pounds(p.a.amount), String(p.b.count), pounds(p.b.amount), signed(p.difference)]);
  }
  body.push(['all', 'total', '', '', String(c.total.a.count), pounds(c.total.a.amount), String(c.total.b.count), pounds(c.total.b.amount), signed(c.total.difference)]);
  out.push('', formatTextTable(['provider', 'type', 'outcome', 'band', 'A count', 'A paid', 'B count', 'B paid', 'B − A'], body, [false, false, false, false, true, true, true, true, true]).trimEnd());
  return out.join('\n') + '\n';
}
