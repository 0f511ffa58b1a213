/**
 * The HTML report (one self-contained file: data, charts and styles inline; no script, no font,
 * no image, no request of any kind): payments per period and provider, outcome rates with their
 * intervals, caps and payers, inputs and rejections, and the scheme's parameters with provenance.
 * Same input ⇒ the same bytes: no clock is read and every list has a fixed order.
 * @module
 */
import { compareCodePoint, type IsoDate } from '../calendar/index.js';
import { ZERO, decimal, formatMoney, formatPounds, type Decimal } from '../money/amount.js';
import type { PaymentCounts } from '../payments/index.js';
import { contractCalendar, type ContractCalendar } from '../payments/contract.js';
import type { PaymentRow } from '../payments/types.js';
import type { InputFileSummary } from '../output/summary.js';
import { INPUT_FILES } from '../schema/codes.js';
import type { Provenance } from '../schema/scheme/common.js';
import type { Scheme } from '../schema/scheme/index.js';
import type { ContractTerms } from '../schema/scheme/tariff.js';
import { TYPE_COLOURS, TYPE_LABELS, capBars, intervalRows, legend, stackedBars, type IntervalRow } from './charts.js';
import { count, esc, slug } from './html.js';
import { formatPercent, outcomeRates, type OutcomeBreakdown, type RateLine } from './outcome-rates.js';
import { capPicture, contractYearLabel, paymentGrid, payerPicture, periodLabel, type CapLine, type CapPicture, type PaidCell, type PaymentGrid } from './payments.js';
import { idPath, schemeParameters, type SchemeParameter } from './parameters.js';
import type { RejectionDigest } from './rejections.js';
import { REPORT_CSS } from './style.js';

/** The payment figures the report needs: the rows of `payments.csv` and what was not paid. */
export interface ReportPayments {
  rows: readonly PaymentRow[];
  counts: PaymentCounts;
}

/**
 * Everything the report shows, as plain data a run already has (nothing is re-read).
 * Build it with {@link reportFromRun} in a command, or by hand from the library.
 */
export interface ReportInput {
  tool: { name: string; version: string };
  scheme: Scheme;
  /** `sha256:…` of the scheme's resolved rules (as in `summary.json`). */
  schemeHash: string;
  asOf: IsoDate;
  /** Per input file: name, hash, size, rows read/used/rejected (`summary.json` `inputs`). */
  inputs: Readonly<Record<string, InputFileSummary>>;
  clients: number;
  journeys: number;
  /** Outcome counts by band and substance group ({@link outcomeBreakdownCounter}). */
  outcomes: OutcomeBreakdown;
  /** Undefined when the scheme pays nothing (no tariff, contract or cohort tariff). */
  payments: ReportPayments | undefined;
  /** Rejected rows by file and reason, with examples ({@link rejectionTally}). */
  rejections: RejectionDigest;
  /** Things the run noted (ignored columns, …). */
  notes?: readonly string[];
}

const MONTH_NAMES = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/**
 * A date for people: `31 March 2015`.
 * @example longDate('2015-03-31') // '31 March 2015'
 */
export function longDate(iso: IsoDate): string {
  return `${+iso.slice(8, 10)} ${MONTH_NAMES[+iso.slice(5, 7) - 1]} ${iso.slice(0, 4)}`;
}

const num = (s: string, attrs = '') => `<td class="num"${attrs}>${esc(s)}</td>`;
const money = (d: Decimal, attrs = '') => num(formatMoney(d), attrs);
const rowTh = (s: string, attrs = '') => `<th scope="row"${attrs}>${esc(s)}</th>`;
const colTh = (html: string, numeric = false) => `<th scope="col"${numeric ? ' class="num"' : ''}>${html}</th>`;

function toNumber(d: Decimal): number {
  return d.toNumber();
}

function periodHeader(p: IsoDate, cal: ContractCalendar): string {
  return `${esc(periodLabel(p, cal))}<span class="sub">${esc(p)}</span>`;
}

/** Year labels for a period axis: the contract year at the first period of each. */
function yearTicks(periods: readonly IsoDate[], cal: ContractCalendar): Map<number, string> {
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

function seriesOf(grid: PaymentGrid, cells: readonly PaidCell[]) {
  return grid.types.map((t) => ({ key: t, label: TYPE_LABELS[t] ?? t, colour: TYPE_COLOURS[t] ?? '#444', values: cells.map((c) => toNumber(c.by_type[t])) }));
}

function periodNoun(cal: ContractCalendar): string {
  return cal.periodMonths === 1 ? 'month' : 'quarter';
}

// ---------------------------------------------------------------------------------------------
// Payments

function notPaidList(c: PaymentCounts): string {
  // Each item is HTML: text escaped here, plus at most a fixed link.
  const items: string[] = [];
  if (c.unbanded.journeys > 0 || c.unbanded.items > 0) {
    items.push(esc(`${count(c.unbanded.journeys)} journeys had no tariff band and the scheme has no default band: ${count(c.unbanded.items)} items were not priced (R-PAY-2).`));
  }
  if (c.unknown_band.items > 0) {
    items.push(esc(`${count(c.unknown_band.items)} items had a band with no price in the tariff (${c.unknown_band.bands.map((b) => `'${b}'`).join(', ')}) and were not paid.`));
  }
  if (c.outside_contract.items > 0) {
    items.push(esc(`${count(c.outside_contract.items)} items (${formatPounds(c.outside_contract.amount)}) fell outside the contract dates and were not paid (R-PAY-8).`));
  }
  if (c.over_client_limit.items > 0) {
    items.push(esc(`${count(c.over_client_limit.items)} items (${formatPounds(c.over_client_limit.amount)}) went beyond a per-client limit and were not paid (R-OUT-10).`));
  }
  items.push(
    c.capped.items > 0
      ? `${esc(`${count(c.capped.items)} items were cut by a cap, in whole or in part: ${formatPounds(c.capped.amount)} not paid`)} (R-PAY-4; see <a href="#caps">Caps and payers</a>).`
      : 'No payment was cut by a cap.',
  );
  return `<ul>${items.map((i) => `<li>${i}</li>`).join('')}</ul>`;
}

/** Splits periods into tables of at most 12 columns, cut at contract-year boundaries when possible. */
function periodChunks(periods: readonly IsoDate[], cal: ContractCalendar): IsoDate[][] {
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

function paymentsSection(input: ReportInput, payments: ReportPayments, grid: PaymentGrid): string {
  const scheme = input.scheme;
  const cal = contractCalendar(scheme.contract);
  const noun = periodNoun(cal);
  const out: string[] = [];
  out.push('<section id="payments" aria-labelledby="h-payments"><h2 id="h-payments">1. Payments</h2>');
  if (grid.providers.length === 0) {
    out.push(`<p>No payment fell due by ${esc(longDate(input.asOf))}.</p>`);
    out.push(notPaidList(payments.counts));
    out.push('</section>');
    return out.join('');
  }
  const first = grid.periods[0]!;
  out.push(
    `<p>Amounts paid per ${noun} (R-PAY-5: ${noun}s counted from ${esc(longDate(cal.anchor))}), from <code>payments.csv</code> with the payers' shares added together. ` +
      `A column headed <strong>${esc(periodLabel(first, cal))}</strong> is the ${noun} starting ${esc(longDate(first))} (<code>period_start</code> ${esc(first)}). ` +
      'Tables give every amount to the penny, written as in <code>payments.csv</code> (pounds, no thousands separator); each total is the exact sum of the amounts in <code>payments.csv</code>.</p>',
  );
  // All providers.
  const types = grid.types;
  const typeLegend = legend(types.map((t) => ({ label: TYPE_LABELS[t] ?? t, colour: TYPE_COLOURS[t] })));
  out.push('<h3>All providers</h3><div class="pair"><figure>');
  out.push(`<figcaption>Paid per ${noun}, all providers, by payment type</figcaption>${typeLegend}`);
  out.push(
    stackedBars({
      id: 'chart-all',
      title: `Paid per ${noun}, all providers, by payment type`,
      desc: `Stacked bars for ${grid.periods.length} ${noun}s from ${periodLabel(first, cal)} to ${periodLabel(grid.periods[grid.periods.length - 1]!, cal)}; total ${formatPounds(grid.all.total)}. The table beside the chart gives the exact amounts.`,
      labels: grid.periods.map((p) => periodLabel(p, cal)),
      barLabels: grid.periods.length <= 24 ? grid.periods.map((p) => periodLabel(p, cal).split(' ')[0]!) : undefined,
      axisLabels: yearTicks(grid.periods, cal),
      series: seriesOf(grid, grid.periodTotals),
      width: 680,
      height: 280,
    }),
  );
  out.push('</figure><div class="scroll"><table id="period-totals">');
  out.push(`<caption>Paid per ${noun}, all providers (£)</caption>`);
  out.push(`<thead><tr>${colTh('Period')}${types.map((t) => colTh(esc(TYPE_LABELS[t] ?? t), true)).join('')}${colTh('Total', true)}${colTh('Cut by cap', true)}</tr></thead><tbody>`);
  grid.periods.forEach((p, i) => {
    const c = grid.periodTotals[i]!;
    out.push(`<tr><th scope="row">${periodHeader(p, cal)}</th>${types.map((t) => money(c.by_type[t])).join('')}${money(c.total)}${money(c.capped)}</tr>`);
  });
  out.push(`</tbody><tfoot><tr>${rowTh('All periods')}${types.map((t) => money(grid.all.by_type[t])).join('')}${money(grid.all.total, ' data-grand-total')}${money(grid.all.capped)}</tr></tfoot></table></div></div>`);

  // By provider: small multiples on one scale, then the totals table.
  const yMax = Math.max(0, ...grid.providers.flatMap((p) => p.periods.map((c) => toNumber(c.total))));
  out.push(`<h3>By provider</h3><p>One panel per provider, all on the same scale (the tallest ${noun} of any provider fills its panel), so panels can be compared directly.</p>${typeLegend}<div class="multiples">`);
  for (const p of grid.providers) {
    out.push(`<figure><figcaption><span>${esc(p.provider_id)}</span><span class="amt">${esc(formatPounds(p.all.total))}</span></figcaption>`);
    out.push(
      stackedBars({
        id: slug(p.provider_id, 'chart-provider'),
        title: `${p.provider_id}: paid per ${noun}`,
        desc: `Total ${formatPounds(p.all.total)} over ${grid.periods.length} ${noun}s; exact amounts in the table "Paid per provider and ${noun}".`,
        labels: grid.periods.map((x) => periodLabel(x, cal)),
        axisLabels: yearTicks(grid.periods, cal),
        series: seriesOf(grid, p.periods),
        width: 280,
        height: 120,
        yMax,
        compact: true,
      }),
    );
    out.push('</figure>');
  }
  out.push('</div>');
  out.push('<div class="scroll"><table id="provider-totals">');
  out.push('<caption>Paid per provider, by payment type (£)</caption>');
  out.push(`<thead><tr>${colTh('Provider')}${types.map((t) => colTh(esc(TYPE_LABELS[t] ?? t), true)).join('')}${colTh('Total paid', true)}${colTh('Cut by cap', true)}</tr></thead><tbody>`);
  for (const p of grid.providers) {
    out.push(`<tr data-provider="${esc(p.provider_id)}">${rowTh(p.provider_id)}${types.map((t) => money(p.all.by_type[t])).join('')}${money(p.all.total, ' data-total')}${money(p.all.capped)}</tr>`);
  }
  out.push(`</tbody><tfoot><tr>${rowTh('All providers')}${types.map((t) => money(grid.all.by_type[t])).join('')}${money(grid.all.total, ' data-total')}${money(grid.all.capped)}</tr></tfoot></table></div>`);

  // Provider × period matrix, at most 12 periods a table.
  const chunks = periodChunks(grid.periods, cal);
  const index = new Map(grid.periods.map((p, i) => [p, i]));
  chunks.forEach((chunk, ci) => {
    const whole = chunks.length === 1;
    const range = `${periodLabel(chunk[0]!, cal)} to ${periodLabel(chunk[chunk.length - 1]!, cal)}`;
    out.push(`<div class="scroll"><table class="matrix">`);
    out.push(`<caption>Paid per provider and ${noun} (£)${whole ? '' : `, ${esc(range)} (part ${ci + 1} of ${chunks.length})`}</caption>`);
    out.push(`<thead><tr>${colTh('Provider')}${chunk.map((p) => colTh(periodHeader(p, cal), true)).join('')}${colTh(whole ? 'Total' : 'These periods', true)}</tr></thead><tbody>`);
    const sumOf = (cells: readonly PaidCell[]) => chunk.reduce((s, p) => s.plus(cells[index.get(p)!]!.total), ZERO);
    for (const p of grid.providers) {
      out.push(`<tr>${rowTh(p.provider_id)}${chunk.map((x) => money(p.periods[index.get(x)!]!.total)).join('')}${money(sumOf(p.periods))}</tr>`);
    }
    out.push(`</tbody><tfoot><tr>${rowTh('All providers')}${chunk.map((x) => money(grid.periodTotals[index.get(x)!]!.total)).join('')}${money(sumOf(grid.periodTotals))}</tr></tfoot></table></div>`);
  });
  out.push('<h3>What was not paid</h3>');
  out.push(notPaidList(payments.counts));
  out.push('</section>');
  return out.join('');
}

// ---------------------------------------------------------------------------------------------
// Outcome rates

function intervalText(l: RateLine): string {
  return l.lower === undefined || l.upper === undefined ? '–' : `${formatPercent(l.lower).slice(0, -1)}–${formatPercent(l.upper)}`;
}

function outcomesSection(input: ReportInput, n: number): string {
  const scheme = input.scheme;
  const titles = new Map(scheme.outcomes.map((o) => [o.id, o]));
  const rates = outcomeRates(input.outcomes, { outcomes: scheme.outcomes.map((o) => o.id), bands: scheme.tariff?.bands });
  const out: string[] = [`<section id="outcomes" aria-labelledby="h-outcomes"><h2 id="h-outcomes">${n}. Outcome rates</h2>`];
  out.push(
    '<p class="note"><strong>Rate</strong> = met ÷ (met + not met): of the journeys whose outcome has been decided and who were eligible for it, the share who achieved it. ' +
      '<strong>Not eligible</strong> journeys (outside the outcome\'s population or without the precondition it needs, e.g. no offence before the journey for reduced offending) and ' +
      `<strong>pending</strong> ones (not decidable by ${esc(longDate(input.asOf))}) are counted beside the rate, not in it. ` +
      'The <strong>interval</strong> is the 95% Wilson score interval: with few decided journeys it is wide. ' +
      'Where many outcomes are pending the rate can still move, because failures (an unplanned exit, a re-presentation) are often decided before successes, which wait for the end of a follow-up window.</p>',
  );
  if (rates.length === 0) {
    out.push('<p>No outcome was decided for any journey.</p></section>');
    return out.join('');
  }
  out.push(legend([{ label: 'Rate', colour: '#1d4f91' }, { label: '95% interval: the line either side', colour: '#1b1b1b', cls: 'cap' }, { label: 'All journeys (reference)', cls: 'reference' }]));
  for (const r of rates) {
    const def = titles.get(r.outcome_id);
    const id = slug(r.outcome_id, 'rate');
    const all = r.lines[0]!;
    out.push(`<h3 id="${id}">${esc(r.outcome_id)}${def ? `<span class="lead"> — ${esc(def.title)}</span>` : ''}</h3>`);
    const rows: IntervalRow[] = [];
    const push = (l: RateLine) =>
      rows.push({
        label: l.label,
        value: l.rate?.toNumber(),
        lower: l.lower?.toNumber(),
        upper: l.upper?.toNumber(),
        // Short enough to fit beside the plot; the interval is drawn and in the table.
        note: l.rate === undefined ? 'none decided' : `${formatPercent(l.rate)} of ${count(l.decided)}`,
      });
    push(all);
    const bands = r.lines.filter((l) => l.kind === 'band');
    const groups = r.lines.filter((l) => l.kind === 'substance_group');
    if (bands.length > 0) rows.push({ label: 'By tariff band', heading: true, note: '' });
    bands.forEach(push);
    if (groups.length > 0) rows.push({ label: 'By substance group', heading: true, note: '' });
    groups.forEach(push);
    out.push('<div class="pair"><figure>');
    out.push(
      intervalRows({
        id: `${id}-chart`,
        title: `${r.outcome_id}: rate met ÷ (met + not met) by band and substance group, with 95% intervals`,
        desc: `All journeys: ${all.rate === undefined ? 'none decided' : `${formatPercent(all.rate)} of ${count(all.decided)} decided (${intervalText(all)})`}. The table beside the chart gives every count.`,
        rows,
        reference: all.rate?.toNumber(),
        width: 560,
      }),
    );
    out.push('</figure><div class="scroll"><table class="rates">');
    out.push(`<caption>${esc(r.outcome_id)}: journeys by status</caption>`);
    out.push(`<thead><tr>${colTh('Journeys')}${colTh('Met', true)}${colTh('Not met', true)}${colTh('Rate', true)}${colTh('95% interval', true)}${colTh('Not eligible', true)}${colTh('Pending', true)}</tr></thead>`);
    const line = (l: RateLine) =>
      `<tr>${rowTh(l.label)}${num(count(l.counts.met))}${num(count(l.counts.not_met))}${num(formatPercent(l.rate))}${num(intervalText(l))}${num(count(l.counts.not_eligible))}${num(count(l.counts.pending))}</tr>`;
    out.push(`<tbody>${line(all)}</tbody>`);
    for (const [heading, lines] of [['By tariff band', bands], ['By substance group', groups]] as const) {
      if (lines.length > 0) out.push(`<tbody><tr class="group"><th scope="rowgroup" colspan="7">${heading}</th></tr>${lines.map(line).join('')}</tbody>`);
    }
    out.push('</table></div></div>');
  }
  out.push('</section>');
  return out.join('');
}

// ---------------------------------------------------------------------------------------------
// Caps and payers

function termsCells(t: ContractTerms | undefined): string {
  if (!t) return `${num('–')}${num('–')}${num('–')}${num('no cap')}`;
  const fixed = decimal(t.annualValue).times(decimal(1).minus(decimal(t.pbrShare)));
  return `${num(formatMoney(decimal(t.annualValue)))}${num(formatPercent(decimal(t.pbrShare)))}${num(formatMoney(fixed))}${num(t.cap === undefined ? 'no cap' : formatMoney(decimal(t.cap)))}`;
}

/** Per provider and contract year against the cap, with the fixed part (when there are terms or caps). */
function capTable(caps: CapPicture): string {
  const out: string[] = ['<div class="scroll"><table id="cap-table">'];
  out.push('<caption>Paid per provider and contract year (£)</caption>');
  out.push(
    `<thead><tr>${colTh('Provider')}${colTh('Contract year')}${colTh('Cap', true)}${colTh('Paid against the cap', true)}${colTh('Cut by the cap', true)}${colTh('Room left under the cap', true)}${colTh('Fixed instalments', true)}${colTh('Total paid', true)}</tr></thead><tbody>`,
  );
  let last = '';
  for (const l of caps.lines) {
    const first = l.provider_id !== last && last !== '';
    last = l.provider_id;
    out.push(
      `<tr${first ? ' class="first-of-group"' : ''}>${rowTh(l.provider_id)}<td class="nowrap">${esc(contractYearLabel(l.contract_year))}</td>` +
        `${num(l.cap ? formatMoney(l.cap) : 'no cap')}${money(l.covered)}${l.capped.greaterThan(0) ? `<td class="num warn">${esc(formatMoney(l.capped))}</td>` : money(l.capped)}` +
        `${num(l.headroom ? formatMoney(l.headroom) : '–')}${money(l.fixed)}${money(l.total)}</tr>`,
    );
  }
  const sum = (f: (l: CapLine) => Decimal) => caps.lines.reduce((a, l) => a.plus(f(l)), ZERO);
  out.push(
    `</tbody><tfoot><tr>${rowTh('All providers')}<td></td><td></td>${money(sum((l) => l.covered))}${money(sum((l) => l.capped))}<td></td>${money(sum((l) => l.fixed))}${money(sum((l) => l.total))}</tr></tfoot></table></div>`,
  );
  return out.join('');
}

/** Without caps or terms: what each provider was paid in each contract year, as a compact matrix. */
function yearTable(caps: CapPicture): string {
  const years = [...new Set(caps.lines.map((l) => l.contract_year))].sort(compareCodePoint);
  const providers = [...new Set(caps.lines.map((l) => l.provider_id))].sort(compareCodePoint);
  const at = new Map(caps.lines.map((l) => [`${l.provider_id}\u0000${l.contract_year}`, l.total]));
  const out: string[] = ['<div class="scroll"><table id="year-table"><caption>Paid per provider and contract year (£)</caption>'];
  out.push(`<thead><tr>${colTh('Provider')}${years.map((y) => colTh(`${esc(contractYearLabel(y))}<span class="sub">from ${esc(y)}</span>`, true)).join('')}${colTh('Total', true)}</tr></thead><tbody>`);
  for (const p of providers) {
    const cells = years.map((y) => at.get(`${p}\u0000${y}`) ?? ZERO);
    out.push(`<tr>${rowTh(p)}${cells.map((c) => money(c)).join('')}${money(cells.reduce((a, c) => a.plus(c), ZERO))}</tr>`);
  }
  const yearTotals = years.map((y) => caps.lines.filter((l) => l.contract_year === y).reduce((a, l) => a.plus(l.total), ZERO));
  out.push(`</tbody><tfoot><tr>${rowTh('All providers')}${yearTotals.map((c) => money(c)).join('')}${money(yearTotals.reduce((a, c) => a.plus(c), ZERO))}</tr></tfoot></table></div>`);
  return out.join('');
}

function capsSection(input: ReportInput, payments: ReportPayments, n: number): string {
  const scheme = input.scheme;
  const cal = contractCalendar(scheme.contract);
  const caps = capPicture(payments.rows, scheme);
  const payers = payerPicture(payments.rows, scheme.payers);
  const out: string[] = [`<section id="caps" aria-labelledby="h-caps"><h2 id="h-caps">${n}. Caps and payers</h2>`];
  const c = scheme.contract;
  const dates = c?.start ? `The contract runs from ${esc(longDate(c.start))}${c.end ? ` to ${esc(longDate(c.end))}` : ' with no end date'}; ` : 'The scheme gives no contract dates; ';
  out.push(
    `<p>${dates}contract years run 12 months from ${esc(longDate(cal.anchor))}. ` +
      (caps.anyCap
        ? `A cap limits what a provider is paid in a contract year for ${esc(caps.covers.map((t) => (TYPE_LABELS[t] ?? t).toLowerCase()).join(', '))} payments; payments beyond it are cut in date order (R-PAY-4). Fixed instalments are never capped.`
        : 'No provider has a cap, so nothing was cut.') +
      (caps.anyTerms ? '' : ' No provider has contract terms (contract value and share at risk), so there are no fixed instalments.') +
      '</p>',
  );
  if (caps.anyTerms && c) {
    out.push('<div class="scroll"><table id="terms-table"><caption>Contract terms per contract year (£)</caption>');
    out.push(`<thead><tr>${colTh('Provider')}${colTh('Contract value', true)}${colTh('Share at risk on results', true)}${colTh('Fixed part', true)}${colTh('Cap', true)}</tr></thead><tbody>`);
    for (const id of Object.keys(c.providers).sort(compareCodePoint)) out.push(`<tr>${rowTh(id)}${termsCells(c.providers[id])}</tr>`);
    if (c.defaultTerms) out.push(`<tr>${rowTh(Object.keys(c.providers).length > 0 ? 'Every other provider' : 'Every provider')}${termsCells(c.defaultTerms)}</tr>`);
    out.push('</tbody></table></div>');
  }
  if (caps.anyCap) {
    const capped = caps.lines.filter((l) => l.cap !== undefined);
    out.push('<figure><figcaption>Results-based payments against the cap, per provider and contract year</figcaption>');
    out.push(legend([{ label: 'Paid (counts against the cap)', colour: '#0072b2' }, { label: 'Cut by the cap (not paid)', cls: 'cut' }, { label: 'Cap', cls: 'cap' }]));
    out.push(
      capBars({
        id: 'chart-caps',
        title: 'Results-based payments against the cap, per provider and contract year',
        desc: `${capped.length} provider-years with a cap; ${capped.filter((l) => l.capped.greaterThan(0)).length} of them reached it. Exact amounts in the table below.`,
        bars: capped.map((l) => ({
          label: `${l.provider_id} ${contractYearLabel(l.contract_year)}`,
          group: l.provider_id,
          paid: toNumber(l.covered),
          capped: toNumber(l.capped),
          cap: l.cap ? toNumber(l.cap) : undefined,
        })),
        width: 900,
      }),
    );
    out.push('</figure>');
  }
  if (caps.anyCap || caps.anyTerms) out.push(capTable(caps));
  else out.push(yearTable(caps));

  // Payers.
  const total = payers.reduce((a, p) => a.plus(p.paid), ZERO);
  out.push('<h3>Payers</h3>');
  out.push(
    `<p>${payers.length === 1 && payers[0]!.payer === 'default' ? 'The scheme does not split payments between payers: one payer, <code>default</code>, pays everything.' : 'Each payment is split between the payers by their shares, to the penny; the parts always add up to the payment (R-PAY-6).'}</p>`,
  );
  out.push('<div class="scroll"><table id="payer-table"><caption>Paid per payer (£)</caption>');
  out.push(`<thead><tr>${colTh('Payer')}${colTh('Share', true)}${colTh('Paid', true)}${colTh('Cut by cap', true)}</tr></thead><tbody>`);
  for (const p of payers) out.push(`<tr>${rowTh(p.payer)}${num(p.share === '' ? '–' : formatPercent(decimal(p.share)))}${money(p.paid)}${money(p.capped)}</tr>`);
  out.push(`</tbody><tfoot><tr>${rowTh('All payers')}<td></td>${money(total)}${money(payers.reduce((a, p) => a.plus(p.capped), ZERO))}</tr></tfoot></table></div>`);
  if (payers.length > 1) {
    const providers = [...new Set(payments.rows.map((r) => r.provider_id))].sort(compareCodePoint);
    out.push('<div class="scroll"><table id="payer-provider-table"><caption>Paid per provider and payer (£)</caption>');
    out.push(`<thead><tr>${colTh('Provider')}${payers.map((p) => colTh(esc(p.payer), true)).join('')}${colTh('All payers', true)}</tr></thead><tbody>`);
    for (const id of providers) {
      const all = payers.reduce((a, p) => a.plus(p.providers.get(id) ?? ZERO), ZERO);
      out.push(`<tr>${rowTh(id)}${payers.map((p) => money(p.providers.get(id) ?? ZERO)).join('')}${money(all)}</tr>`);
    }
    out.push(`</tbody><tfoot><tr>${rowTh('All providers')}${payers.map((p) => money(p.paid)).join('')}${money(total)}</tr></tfoot></table></div>`);
  }
  out.push('</section>');
  return out.join('');
}

// ---------------------------------------------------------------------------------------------
// Inputs and rejections

const REASONS_PER_FILE = 10;

/** The name of an input file as read, or its kind for typed objects (`api`). */
function fileName(input: ReportInput, kind: string): string {
  const f = input.inputs[kind]?.file;
  return f === undefined || f === 'api' ? kind : f;
}

/** Input files in SPEC §2 order (others after, by code point). */
function compareInputKinds(a: string, b: string): number {
  const ia = (INPUT_FILES as readonly string[]).indexOf(a);
  const ib = (INPUT_FILES as readonly string[]).indexOf(b);
  return (ia < 0 ? 99 : ia) - (ib < 0 ? 99 : ib) || compareCodePoint(a, b);
}

function inputsSection(input: ReportInput, n: number): string {
  const out: string[] = [`<section id="inputs" aria-labelledby="h-inputs"><h2 id="h-inputs">${n}. Input data and rejections</h2>`];
  const kinds = Object.keys(input.inputs).sort(compareInputKinds);
  const nameOf = (kind: string) => fileName(input, kind);
  const read = kinds.reduce((s, k) => s + input.inputs[k]!.read, 0);
  out.push(
    `<p>Every input row is either used or listed in <code>rejections.csv</code> (beside this report) with its file, row, field, value and a reason a person can act on; rows used + rejected = rows read, for every file (R-VAL-1). ` +
      `${count(input.rejections.total)} of ${count(read)} rows were rejected.</p>`,
  );
  out.push('<div class="scroll"><table id="input-table"><caption>Input files</caption>');
  out.push(`<thead><tr>${colTh('File')}${colTh('Rows read', true)}${colTh('Used', true)}${colTh('Rejected', true)}${colTh('Bytes', true)}${colTh('SHA-256')}</tr></thead><tbody>`);
  for (const k of kinds) {
    const f = input.inputs[k]!;
    out.push(
      `<tr>${rowTh(fileName(input, k))}${num(count(f.read))}${num(count(f.used))}${f.rejected > 0 ? `<td class="num warn">${esc(count(f.rejected))}</td>` : num('0')}${num(f.bytes === undefined ? '–' : count(f.bytes))}<td class="hash">${esc(f.hash ?? '–')}</td></tr>`,
    );
  }
  out.push('</tbody></table></div>');
  if (input.notes && input.notes.length > 0) out.push(`<h3>Notes from reading the inputs</h3><ul>${input.notes.map((x) => `<li>${esc(x)}</li>`).join('')}</ul>`);
  const d = input.rejections;
  if (d.total > 0) {
    out.push('<h3>Rejected rows by reason</h3>');
    out.push('<p>Reasons that differ only in a row number, an id, a date or a quoted value are counted together; the first such row is shown as an example.</p>');
    out.push('<div class="scroll"><table id="rejection-reasons"><caption>Rejections by file, field and reason</caption>');
    out.push(`<thead><tr>${colTh('Field')}${colTh('Reason')}${colTh('Rows', true)}${colTh('First row')}</tr></thead>`);
    for (const f of d.files) {
      out.push(`<tbody><tr class="group"><th scope="rowgroup" colspan="4">${esc(nameOf(f.file))}: ${esc(count(f.rows))} ${f.rows === 1 ? 'row' : 'rows'} rejected</th></tr>`);
      for (const r of f.reasons.slice(0, REASONS_PER_FILE)) {
        out.push(
          `<tr><td><code>${esc(r.field)}</code></td><td>${esc(r.reason)}</td>${num(count(r.rows))}<td>row ${esc(String(r.example.row))}: <code>${esc(r.example.value === '' ? '(blank)' : r.example.value)}</code></td></tr>`,
        );
      }
      const rest = f.reasons.slice(REASONS_PER_FILE);
      if (rest.length > 0) {
        out.push(`<tr><td></td><td>${esc(`${rest.length} other kinds of reason`)}</td>${num(count(rest.reduce((a, r) => a + r.rows, 0)))}<td>see <code>rejections.csv</code></td></tr>`);
      }
      out.push('</tbody>');
    }
    out.push('</table></div>');
    out.push(`<h3>First rejected rows</h3><div class="scroll"><table id="rejection-examples"><caption>The first ${count(d.examples.length)} of ${count(d.total)} rows in <code>rejections.csv</code></caption>`);
    out.push(`<thead><tr>${colTh('File')}${colTh('Row', true)}${colTh('Field')}${colTh('Value')}${colTh('Reason')}</tr></thead><tbody>`);
    for (const r of d.examples) out.push(`<tr>${rowTh(nameOf(r.file))}${num(String(r.row))}<td><code>${esc(r.field)}</code></td><td><code>${esc(r.value)}</code></td><td>${esc(r.reason)}</td></tr>`);
    out.push('</tbody></table></div>');
  }
  out.push('</section>');
  return out.join('');
}

// ---------------------------------------------------------------------------------------------
// Scheme parameters and provenance

const KIND_LABELS: Record<string, string> = { documented: 'Documented', reconstructed: 'Reconstructed', illustrative: 'Illustrative', none: 'Not stated' };

function badge(kind: string): string {
  return `<span class="badge ${esc(kind)}">${esc(KIND_LABELS[kind] ?? kind)}</span>`;
}

function provenanceText(p: Provenance | undefined): string {
  return [p?.source, p?.note].filter((x): x is string => x !== undefined).map(esc).join('<br>');
}

function parameterRow(scheme: Scheme, p: SchemeParameter): string {
  const kind = p.provenance?.kind ?? 'none';
  // Provenance stated for an enclosing object is printed once above the table; rows point to it.
  const inherited = p.provenanceFrom !== undefined && p.provenanceFrom !== p.path;
  const text = inherited
    ? `<span class="from">as stated for ${p.provenanceFrom === '' ? 'the whole scheme' : `<code>${esc(idPath(scheme, p.provenanceFrom!))}</code>`}</span>`
    : p.provenance
      ? provenanceText(p.provenance)
      : '<span class="from">no provenance given</span>';
  return `<tr data-path="${esc(p.path)}" data-kind="${esc(kind)}"><td class="path"><code>${esc(p.label)}</code></td><td class="value"><code>${esc(p.value)}</code></td><td>${badge(kind)}</td><td class="source">${text}</td></tr>`;
}

function schemeSection(input: ReportInput, n: number): string {
  const scheme = input.scheme;
  const sections = schemeParameters(scheme);
  const all = sections.flatMap((s) => s.parameters);
  const kinds = ['documented', 'reconstructed', 'illustrative', 'none'];
  const tally = kinds.map((k) => [k, all.filter((p) => (p.provenance?.kind ?? 'none') === k).length] as const).filter(([, c]) => c > 0);
  const out: string[] = [`<section id="scheme" class="params" aria-labelledby="h-scheme"><h2 id="h-scheme">${n}. Scheme parameters and where they come from</h2>`];
  if (scheme.description) out.push(`<p>${esc(scheme.description)}</p>`);
  out.push(
    `<p>Every parameter of scheme <code>${esc(scheme.id)}</code> ${esc(scheme.version)}, with its provenance: <strong>documented</strong> (a published source says so), <strong>reconstructed</strong> (inferred from the sources), or <strong>illustrative</strong> (a placeholder to be replaced by local figures). ` +
      'Provenance stated for a section applies to every value in it. Paths are written as in a what-if override (outcomes and payers by id).</p>',
  );
  out.push(`<p>${count(all.length)} parameters: ${tally.map(([k, c]) => `${badge(k)} ${count(c)}`).join(' · ')}</p>`);
  const sources = Object.keys(scheme.sources).sort(compareCodePoint);
  if (sources.length > 0) {
    out.push('<h3>Sources</h3><ul>');
    for (const id of sources) {
      const s = scheme.sources[id]!;
      const bits = [s.file ? `<code>${esc(s.file)}</code>` : '', s.url ? `<code>${esc(s.url)}</code>` : '', s.note ? esc(s.note) : ''].filter(Boolean);
      out.push(`<li><code>${esc(id)}</code>: ${esc(s.title)}${bits.length ? ` — ${bits.join('; ')}` : ''}</li>`);
    }
    out.push('</ul>');
  }
  const root = scheme.provenance.find((e) => e.path === '');
  if (root) out.push(`<p class="note">${badge(root.provenance.kind)} <strong>Stated for the whole scheme:</strong> ${provenanceText(root.provenance)}</p>`);
  for (const s of sections) {
    out.push(`<h3>${esc(s.title)}</h3>${s.subtitle ? `<p class="lead">${esc(s.subtitle)}</p>` : ''}`);
    const stated = [...new Set(s.parameters.map((p) => p.provenanceFrom).filter((f): f is string => f !== undefined && f !== '' && !s.parameters.some((p) => p.path === f)))];
    if (stated.length > 0) {
      out.push('<ul class="stated">');
      for (const path of stated) {
        const e = scheme.provenance.find((x) => x.path === path)!;
        out.push(`<li>${badge(e.provenance.kind)} stated for <code>${esc(idPath(scheme, path))}</code>: ${provenanceText(e.provenance)}</li>`);
      }
      out.push('</ul>');
    }
    out.push('<div class="scroll"><table><colgroup><col class="c-path"><col class="c-value"><col class="c-kind"><col class="c-source"></colgroup>');
    out.push(`<thead><tr>${colTh('Parameter')}${colTh('Value')}${colTh('Provenance')}${colTh('Source or note')}</tr></thead><tbody>`);
    for (const p of s.parameters) out.push(parameterRow(scheme, p));
    out.push('</tbody></table></div>');
  }
  out.push('</section>');
  return out.join('');
}

// ---------------------------------------------------------------------------------------------
// The document

function keyFigures(input: ReportInput, grid: PaymentGrid | undefined): string {
  let met = 0;
  let decided = 0;
  let pending = 0;
  for (const bands of Object.values(input.outcomes.by_band)) {
    for (const c of Object.values(bands)) {
      met += c.met;
      decided += c.met + c.not_met;
      pending += c.pending;
    }
  }
  const items: [string, string][] = [];
  if (grid) {
    items.push([formatPounds(grid.all.total), 'paid in total']);
    items.push([formatPounds(grid.all.capped), 'cut by caps']);
  }
  items.push([count(input.clients), 'clients with a journey']);
  items.push([count(input.journeys), 'treatment journeys']);
  items.push([count(met), `outcomes met, of ${count(decided)} decided`]);
  items.push([count(pending), 'outcomes pending']);
  items.push([count(input.rejections.total), 'input rows rejected']);
  return `<ul class="figures" aria-label="Key figures">${items.map(([v, l]) => `<li><span class="value">${esc(v)}</span><span class="label">${esc(l)}</span></li>`).join('')}</ul>`;
}

/**
 * Renders the report as one complete, self-contained HTML document (UTF-8; no script, no external
 * resource; a Content-Security-Policy forbids fetching anything).
 * @example writeFileSync('report.html', renderReport(input))
 */
export function renderReport(input: ReportInput): string {
  const s = input.scheme;
  const title = `Payment-by-results report: ${s.id} ${s.version}, as of ${input.asOf}`;
  const kinds = Object.keys(input.inputs).sort(compareInputKinds);
  const sections: { id: string; title: string }[] = [];
  if (input.payments) sections.push({ id: 'payments', title: 'Payments' });
  sections.push({ id: 'outcomes', title: 'Outcome rates' });
  if (input.payments) sections.push({ id: 'caps', title: 'Caps and payers' });
  sections.push({ id: 'inputs', title: 'Input data and rejections' }, { id: 'scheme', title: 'Scheme parameters and provenance' });
  const parts: string[] = [];
  parts.push('<!DOCTYPE html>\n<html lang="en-GB">\n<head>\n<meta charset="utf-8">\n');
  parts.push('<meta name="viewport" content="width=device-width, initial-scale=1">\n');
  parts.push(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">\n`);
  parts.push(`<meta name="generator" content="${esc(`${input.tool.name} ${input.tool.version}`)}">\n`);
  parts.push(`<title>${esc(title)}</title>\n<style>${REPORT_CSS}</style>\n</head>\n<body>\n`);
  parts.push('<header class="top">');
  parts.push(`<h1>Payment-by-results report</h1><p class="lead">${esc(s.title)}</p>`);
  parts.push('<dl class="meta">');
  parts.push(`<dt>Scheme</dt><dd><code>${esc(s.id)}</code> version ${esc(s.version)}</dd>`);
  parts.push(`<dt>Scheme hash</dt><dd class="hash">${esc(input.schemeHash)}</dd>`);
  parts.push(`<dt>As of</dt><dd>${esc(longDate(input.asOf))} (${esc(input.asOf)}): records dated later are not seen</dd>`);
  parts.push(`<dt>Produced by</dt><dd>${esc(input.tool.name)} ${esc(input.tool.version)}</dd>`);
  parts.push(
    `<dt>Inputs</dt><dd>${kinds.map((k) => `${esc(fileName(input, k))} <span class="hash">${esc(input.inputs[k]!.hash ?? '(no hash)')}</span>`).join('<br>')}</dd>`,
  );
  parts.push('</dl>');
  parts.push(`<nav class="toc" aria-label="Contents"><ol>${sections.map((x) => `<li><a href="#${x.id}">${esc(x.title)}</a></li>`).join('')}</ol></nav>`);
  parts.push('</header>\n<main>\n');
  const grid = input.payments ? paymentGrid(input.payments.rows, input.scheme) : undefined;
  parts.push(keyFigures(input, grid));
  if (input.payments) parts.push(paymentsSection(input, input.payments, grid!), '\n');
  parts.push(outcomesSection(input, input.payments ? 2 : 1), '\n');
  if (input.payments) parts.push(capsSection(input, input.payments, 3), '\n');
  const n = input.payments ? 4 : 2;
  parts.push(inputsSection(input, n), '\n', schemeSection(input, n + 1), '\n');
  parts.push('</main>\n<footer>');
  parts.push(
    `<p>Produced by ${esc(input.tool.name)} ${esc(input.tool.version)} with scheme <code>${esc(s.id)}</code> ${esc(s.version)} as of ${esc(input.asOf)}. ` +
      'The same inputs, scheme and date give this report byte for byte. The figures are those of <code>payments.csv</code>, <code>outcomes.csv</code>, <code>rejections.csv</code> and <code>summary.json</code> written with it; money totals are exact sums of <code>payments.csv</code>.</p>',
  );
  parts.push('</footer>\n</body>\n</html>\n');
  return parts.join('');
}
