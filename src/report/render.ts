/**
 * The HTML report (one self-contained file: data, charts and styles inline; no script, no font,
 * no image, no request of any kind): payments per period and provider, outcome rates with their
 * intervals, caps and payers, inputs and rejections, and the scheme's parameters with provenance.
 * Same input ⇒ the same bytes: no clock is read and every list has a fixed order.
 * @module
 */
import { compareCodePoint } from '../calendar/index.js';
import { ZERO, decimal, type Decimal } from '../money/amount.js';
import type { PaymentCounts } from '../payments/index.js';
import { contractCalendar, type ContractCalendar } from '../payments/contract.js';
import { INPUT_FILES } from '../schema/codes.js';
import { redactNhsNumbers } from '../schema/fields.js';
import { REJECTION_CODE_TEXT, type RejectionCode } from '../schema/rejection-codes.js';
import { withoutEpisodeId } from '../pipeline/checks/reviews.js';
import type { ContractTerms } from '../schema/scheme/tariff.js';
import { TYPE_COLOURS, TYPE_LABELS, capBars, intervalRows, legend, stackedBars, type IntervalRow } from './charts.js';
import { colTh, count, esc, longDate, moneyCell, num, pounds, rowTh, slug } from './html.js';
import type { ReportInput, ReportPayments } from './input.js';
import { formatPercent, orderBands, outcomeRates, type RateLine } from './outcome-rates.js';
import { capPicture, contractYearLabel, paymentGrid, payerPicture, periodChunks, periodHeader, periodLabel, yearTicks, type CapLine, type CapPicture, type PaidCell, type PaymentGrid } from './payments.js';
import { appendixSection } from './render-appendix.js';
import { cohortSection } from './render-cohorts.js';
import { healthPremiumNote, healthPremiumSection } from './render-health-premium.js';
import { spendInBrief, spendSection } from './render-spend.js';
import { REPORT_CSS } from './style.js';

export type { ReportHealthPremium, ReportInput, ReportPayments } from './input.js';
export { longDate } from './html.js';

const money = moneyCell;

function toNumber(d: Decimal): number {
  return d.toNumber();
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
    items.push(esc(`${count(c.outside_contract.items)} items (${pounds(c.outside_contract.amount)}) fell outside the contract dates and were not paid (R-PAY-8).`));
  }
  if (c.over_client_limit.items > 0) {
    items.push(esc(`${count(c.over_client_limit.items)} items (${pounds(c.over_client_limit.amount)}) went beyond a per-client limit and were not paid (R-OUT-10).`));
  }
  items.push(
    c.capped.items > 0
      ? `${esc(`${count(c.capped.items)} items were cut by a cap, in whole or in part: ${pounds(c.capped.amount)} not paid`)} (R-PAY-4; see <a href="#caps">Caps and payers</a>).`
      : 'No payment was cut by a cap.',
  );
  return `<ul>${items.map((i) => `<li>${i}</li>`).join('')}</ul>`;
}

function paymentsSection(input: ReportInput, payments: ReportPayments, grid: PaymentGrid, n: number): string {
  const scheme = input.scheme;
  const cal = contractCalendar(scheme.contract);
  const noun = periodNoun(cal);
  const out: string[] = [];
  out.push(`<section id="payments" aria-labelledby="h-payments"><h2 id="h-payments">${n}. Payments by period and provider</h2>`);
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
      'Amounts are in pounds to the penny; each total is the exact sum of the amounts in <code>payments.csv</code> (which writes them without the £ sign and thousands separators).</p>',
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
      desc: `Stacked bars for ${grid.periods.length} ${noun}s from ${periodLabel(first, cal)} to ${periodLabel(grid.periods[grid.periods.length - 1]!, cal)}; total ${pounds(grid.all.total)}. The table beside the chart gives the exact amounts.`,
      labels: grid.periods.map((p) => periodLabel(p, cal)),
      barLabels: grid.periods.length <= 24 ? grid.periods.map((p) => periodLabel(p, cal).split(' ')[0]!) : undefined,
      axisLabels: yearTicks(grid.periods, cal),
      series: seriesOf(grid, grid.periodTotals),
      width: 680,
      height: 280,
    }),
  );
  out.push('</figure><div class="scroll"><table id="period-totals">');
  out.push(`<caption>Paid per ${noun}, all providers</caption>`);
  out.push(`<thead><tr>${colTh('Period')}${types.map((t) => colTh(esc(TYPE_LABELS[t] ?? t), true)).join('')}${colTh('Total', true)}${colTh('Cut by cap', true)}</tr></thead><tbody>`);
  grid.periods.forEach((p, i) => {
    const c = grid.periodTotals[i]!;
    out.push(`<tr><th scope="row">${periodHeader(p, cal)}</th>${types.map((t) => money(c.by_type[t])).join('')}${money(c.total)}${money(c.capped)}</tr>`);
  });
  out.push(`</tbody><tfoot><tr>${rowTh('All periods')}${types.map((t) => money(grid.all.by_type[t])).join('')}${money(grid.all.total, ' data-grand-total')}${money(grid.all.capped)}</tr></tfoot></table></div></div>`);

  // By provider: small multiples on one scale, then the totals table.
  const yMax = Math.max(0, ...grid.providers.flatMap((p) => p.periods.map((c) => toNumber(c.total))));
  // The panels are for the screen: in print the tables below carry the same figures in less room.
  out.push(`<h3>By provider</h3><div class="screen-only"><p>One panel per provider, all on the same scale (the tallest ${noun} of any provider fills its panel), so panels can be compared directly.</p>${typeLegend}<div class="multiples">`);
  for (const p of grid.providers) {
    out.push(`<figure><figcaption><span>${esc(p.provider_id)}</span><span class="amt">${esc(pounds(p.all.total))}</span></figcaption>`);
    out.push(
      stackedBars({
        id: slug(p.provider_id, 'chart-provider'),
        title: `${p.provider_id}: paid per ${noun}`,
        desc: `Total ${pounds(p.all.total)} over ${grid.periods.length} ${noun}s; exact amounts in the table "Paid per provider and ${noun}".`,
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
  out.push('</div></div>');
  out.push(`<div class="scroll${grid.providers.length > 12 ? ' split' : ''}"><table id="provider-totals">`);
  out.push('<caption>Paid per provider, by payment type</caption>');
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
    out.push(`<caption>Paid per provider and ${noun}${whole ? '' : `, ${esc(range)} (part ${ci + 1} of ${chunks.length})`}</caption>`);
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
  // At a glance: every outcome on one line, with its rate in each band.
  const bands = [...new Set(rates.flatMap((r) => r.lines.filter((l) => l.kind === 'band').map((l) => l.key)))];
  const bandOrder = orderBands(bands, scheme.tariff?.bands);
  out.push('<div class="scroll"><table id="rates-summary"><caption>Outcome rates at a glance</caption>');
  out.push(
    `<thead><tr>${colTh('Outcome')}${colTh('Met', true)}${colTh('Not met', true)}${colTh('Rate', true)}${colTh('95% interval', true)}${colTh('Not eligible', true)}${colTh('Pending', true)}` +
      `${bandOrder.map((b) => colTh(`${esc(b === '' ? 'No band' : `Band ${b}`)}<span class="sub">rate</span>`, true)).join('')}</tr></thead><tbody>`,
  );
  for (const r of rates) {
    const all = r.lines[0]!;
    const byBand = new Map(r.lines.filter((l) => l.kind === 'band').map((l) => [l.key, l]));
    out.push(
      `<tr data-outcome="${esc(r.outcome_id)}">${rowTh(r.outcome_id)}${num(count(all.counts.met))}${num(count(all.counts.not_met))}${num(formatPercent(all.rate))}${num(intervalText(all))}${num(count(all.counts.not_eligible))}${num(count(all.counts.pending))}` +
        `${bandOrder.map((b) => num(formatPercent(byBand.get(b)?.rate))).join('')}</tr>`,
    );
  }
  out.push('</tbody></table></div>');
  out.push('<h3>By outcome</h3>');
  out.push(legend([{ label: 'Rate', colour: '#1d4f91' }, { label: '95% interval: the line either side', colour: '#1b1b1b', cls: 'cap' }, { label: 'All journeys (reference)', cls: 'reference' }]));
  out.push('<div class="outcome-grid">');
  for (const r of rates) {
    const def = titles.get(r.outcome_id);
    const id = slug(r.outcome_id, 'rate');
    const all = r.lines[0]!;
    out.push(`<div class="outcome"><h4 id="${id}">${esc(r.outcome_id)}${def ? `<span class="lead"> — ${esc(def.title)}</span>` : ''}</h4>`);
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
    out.push('</table></div></div></div>');
  }
  out.push('</div></section>');
  return out.join('');
}

// ---------------------------------------------------------------------------------------------
// Caps and payers

function termsCells(t: ContractTerms | undefined): string {
  if (!t) return `${num('–')}${num('–')}${num('–')}${num('no cap')}`;
  const fixed = decimal(t.annualValue).times(decimal(1).minus(decimal(t.pbrShare)));
  return `${num(pounds(decimal(t.annualValue)))}${num(formatPercent(decimal(t.pbrShare)))}${num(pounds(fixed))}${num(t.cap === undefined ? 'no cap' : pounds(decimal(t.cap)))}`;
}

/** Per provider and contract year against the cap, with the fixed part (when there are terms or caps). */
function capTable(caps: CapPicture): string {
  const out: string[] = ['<div class="scroll"><table id="cap-table">'];
  out.push('<caption>Paid per provider and contract year</caption>');
  out.push(
    `<thead><tr>${colTh('Provider')}${colTh('Contract year')}${colTh('Cap', true)}${colTh('Paid against the cap', true)}${colTh('Cut by the cap', true)}${colTh('Room left under the cap', true)}${colTh('Fixed instalments', true)}${colTh('Total paid', true)}</tr></thead><tbody>`,
  );
  let last = '';
  for (const l of caps.lines) {
    const first = l.provider_id !== last && last !== '';
    last = l.provider_id;
    out.push(
      `<tr${first ? ' class="first-of-group"' : ''}>${rowTh(l.provider_id)}<td class="nowrap">${esc(contractYearLabel(l.contract_year))}</td>` +
        `${num(l.cap ? pounds(l.cap) : 'no cap')}${money(l.covered)}${l.capped.greaterThan(0) ? `<td class="num warn">${esc(pounds(l.capped))}</td>` : money(l.capped)}` +
        `${num(l.headroom ? pounds(l.headroom) : '–')}${money(l.fixed)}${money(l.total)}</tr>`,
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
  const out: string[] = [`<div class="scroll${caps.lines.length > 12 ? ' split' : ''}"><table id="year-table"><caption>Paid per provider and contract year</caption>`];
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
    out.push('<div class="scroll"><table id="terms-table"><caption>Contract terms per contract year</caption>');
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
  // Without caps the contract-year table only regroups the quarters of the provider × period
  // table, so print leaves it out.
  else out.push(`<div class="screen-only">${yearTable(caps)}</div>`);

  // Payers.
  const total = payers.reduce((a, p) => a.plus(p.paid), ZERO);
  out.push('<h3>Payers</h3>');
  out.push(
    `<p>${payers.length === 1 && payers[0]!.payer === 'default' ? 'The scheme does not split payments between payers: one payer, <code>default</code>, pays everything.' : 'Each payment is split between the payers by their shares, to the penny; the parts always add up to the payment (R-PAY-6).'}</p>`,
  );
  out.push('<div class="scroll"><table id="payer-table"><caption>Paid per payer</caption>');
  out.push(`<thead><tr>${colTh('Payer')}${colTh('Share', true)}${colTh('Paid', true)}${colTh('Cut by cap', true)}</tr></thead><tbody>`);
  for (const p of payers) out.push(`<tr>${rowTh(p.payer)}${num(p.share === '' ? '–' : formatPercent(decimal(p.share)))}${money(p.paid)}${money(p.capped)}</tr>`);
  out.push(`</tbody><tfoot><tr>${rowTh('All payers')}<td></td>${money(total)}${money(payers.reduce((a, p) => a.plus(p.capped), ZERO))}</tr></tfoot></table></div>`);
  if (payers.length > 1) {
    const providers = [...new Set(payments.rows.map((r) => r.provider_id))].sort(compareCodePoint);
    out.push('<div class="scroll"><table id="payer-provider-table"><caption>Paid per provider and payer</caption>');
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

/** Fields whose values identify a client or an episode: the report (often shared) never shows them; rejections.csv has them. */
const IDENTIFIER_FIELDS: ReadonlySet<string> = new Set(['client_id', 'episode_id', 'journey_id']);

/** A rejected value as the report shows it (HTML): the value, `(blank)`, or a note in place of an identifier. */
function shownValue(field: string, value: string): string {
  if (value === '') return '<code>(blank)</code>';
  if (IDENTIFIER_FIELDS.has(field)) return '<span class="masked">(an identifier: see rejections.csv)</span>';
  return `<code>${esc(redactNhsNumbers(value))}</code>`;
}

/** Rejection codes whose reason names the review's episode (`… of episode E12 …`), whatever the field. */
const NAMES_EPISODE: ReadonlySet<RejectionCode> = new Set(['episode_of_another_client', 'review_before_episode', 'review_after_discharge']);

/** A rejection's reason with the rejected identifier (if any), and an episode id it names, left out. */
function withoutIdentifier(r: { field: string; value: string; code: RejectionCode; reason: string }): string {
  let reason = IDENTIFIER_FIELDS.has(r.field) && r.value !== '' ? r.reason.split(r.value).join('…') : r.reason;
  if (NAMES_EPISODE.has(r.code)) reason = withoutEpisodeId(reason);
  // NHS numbers are hidden in any field (R-VAL-3), as rejections.csv hides them.
  return redactNhsNumbers(reason);
}

function inputsSection(input: ReportInput, n: number): string {
  const out: string[] = [`<section id="inputs" aria-labelledby="h-inputs"><h2 id="h-inputs">${n}. Input data and rejections</h2>`];
  const kinds = Object.keys(input.inputs).sort(compareInputKinds);
  const nameOf = (kind: string) => fileName(input, kind);
  const read = kinds.reduce((s, k) => s + input.inputs[k]!.read, 0);
  out.push(
    `<p>Every input row is either used or listed in <code>rejections.csv</code> (beside this report) with its file, row, field, value, a reason a person can act on and its code; rows used + rejected = rows read, for every file (R-VAL-1). ` +
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
    out.push('<p>Rows are counted by file, field and rejection code (the <code>code</code> column of <code>rejections.csv</code>, from a fixed list); the first such row is shown as an example.</p>');
    out.push('<div class="scroll"><table id="rejection-reasons"><caption>Rejections by file, field and code</caption>');
    out.push(`<thead><tr>${colTh('Field')}${colTh('Reason')}${colTh('Rows', true)}${colTh('First row')}</tr></thead>`);
    for (const f of d.files) {
      out.push(`<tbody><tr class="group"><th scope="rowgroup" colspan="4">${esc(nameOf(f.file))}: ${esc(count(f.rows))} ${f.rows === 1 ? 'row' : 'rows'} rejected</th></tr>`);
      for (const r of f.reasons.slice(0, REASONS_PER_FILE)) {
        out.push(
          `<tr><td><code>${esc(r.field)}</code></td><td><code>${esc(r.code)}</code>: ${esc(REJECTION_CODE_TEXT[r.code] ?? '')}</td>${num(count(r.rows))}<td>row ${esc(String(r.example.row))}: ${shownValue(r.field, r.example.value)}</td></tr>`,
        );
      }
      const rest = f.reasons.slice(REASONS_PER_FILE);
      if (rest.length > 0) {
        out.push(`<tr><td></td><td>${esc(`${rest.length} other ${rest.length === 1 ? 'code' : 'codes'}`)}</td>${num(count(rest.reduce((a, r) => a + r.rows, 0)))}<td>see <code>rejections.csv</code></td></tr>`);
      }
      out.push('</tbody>');
    }
    out.push('</table></div>');
    // On screen only: in print the table above already gives the first row of each reason.
    out.push(`<div class="screen-only"><h3>First rejected rows</h3><div class="scroll"><table id="rejection-examples"><caption>The first ${count(d.examples.length)} of ${count(d.total)} rows in <code>rejections.csv</code></caption>`);
    out.push(`<thead><tr>${colTh('File')}${colTh('Row', true)}${colTh('Field')}${colTh('Value')}${colTh('Reason')}${colTh('Code')}</tr></thead><tbody>`);
    for (const r of d.examples) {
      out.push(
        `<tr>${rowTh(nameOf(r.file))}${num(String(r.row))}<td><code>${esc(r.field)}</code></td><td>${shownValue(r.field, r.value)}</td><td>${esc(withoutIdentifier(r))}</td><td><code>${esc(r.code)}</code></td></tr>`,
      );
    }
    out.push('</tbody></table></div></div>');
  }
  out.push('</section>');
  return out.join('');
}

// ---------------------------------------------------------------------------------------------
// The document

function outcomeTotals(input: ReportInput): { met: number; decided: number; pending: number } {
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
  return { met, decided, pending };
}

function keyFigures(input: ReportInput, grid: PaymentGrid | undefined): string {
  const items: [string, string][] = [];
  const hp = input.healthPremium?.result;
  if (hp) {
    const earning = hp.areas.filter((a) => !decimal(a.total).isZero()).length;
    items.push([pounds(decimal(hp.paid)), `paid of the ${pounds(decimal(hp.pot))} pot`]);
    items.push([pounds(decimal(hp.unallocated.total)), 'not earned by any area']);
    items.push([`${count(earning)} of ${count(hp.areas.length)}`, 'areas paid a share']);
    items.push([hp.provisional ? 'Provisional' : 'Final', hp.provisional ? 'some follow-ups still open' : 'every follow-up closed']);
  }
  if (grid) {
    items.push([pounds(grid.all.total), 'paid in total']);
    if (input.journeys > 0) items.push([pounds(grid.all.total.dividedBy(input.journeys)), 'paid per journey']);
    items.push([pounds(grid.all.capped), 'cut by caps']);
  }
  if (!hp || input.journeys > 0) {
    const o = outcomeTotals(input);
    items.push([count(input.clients), 'clients with a journey']);
    items.push([count(input.journeys), 'treatment journeys']);
    if (hasOutcomes(input)) {
      items.push([count(o.met), `outcomes met, of ${count(o.decided)} decided`]);
      items.push([count(o.pending), 'outcomes pending']);
    }
  }
  items.push([count(input.rejections.total), 'input rows rejected']);
  return `<ul class="figures" aria-label="Key figures">${items.map(([v, l]) => `<li><span class="value">${esc(v)}</span><span class="label">${esc(l)}</span></li>`).join('')}</ul>`;
}

/** The opening paragraph: the answer in words. */
function inBrief(input: ReportInput): string {
  const hp = input.healthPremium?.result;
  if (hp) {
    const earning = hp.areas.filter((a) => !decimal(a.total).isZero()).length;
    const un = decimal(hp.unallocated.total);
    return `<p class="brief">${esc(
      `${count(earning)} of ${count(hp.areas.length)} areas earn a share of the Health Premium: ${pounds(decimal(hp.paid))} of the ${pounds(decimal(hp.pot))} pot is paid` +
        (un.isZero() ? '.' : `, and ${pounds(un)} is not earned by any area.`) +
        (hp.provisional ? ' Some figures are provisional.' : ''),
    )}</p>`;
  }
  if (input.payments) return `<p class="brief">${spendInBrief(input, input.payments)}</p>`;
  return '';
}

function hasOutcomes(input: ReportInput): boolean {
  return input.scheme.outcomes.length > 0 || Object.keys(input.outcomes.by_band).length > 0;
}

/** A numbered section of the report: its anchor, its title in the contents, and how to render it. */
interface Part {
  id: string;
  title: string;
  render: (n: number) => string;
}

/**
 * Renders the report as one complete, self-contained HTML document (UTF-8; no script, no external
 * resource; a Content-Security-Policy forbids fetching anything).
 *
 * Sections, each only when it has something to show: Health Premium (a `health-premium` report),
 * what the money bought, payments by period and provider, cohort tariff, Health Premium (a note, in
 * a run's report), outcome rates, caps and payers, input data and rejections, and the appendix of
 * scheme parameters (folded on screen, compact in print).
 * @example writeFileSync('report.html', renderReport(input))
 */
export function renderReport(input: ReportInput): string {
  const s = input.scheme;
  const hpRun = input.healthPremium;
  const heading = hpRun ? 'Health Premium report' : 'Payment-by-results report';
  const title = `${heading}: ${s.id} ${s.version}, as of ${input.asOf}`;
  const kinds = Object.keys(input.inputs).sort(compareInputKinds);
  const payments = input.payments;
  const grid = payments ? paymentGrid(payments.rows, s) : undefined;
  const plan: Part[] = [];
  if (hpRun) plan.push({ id: 'health-premium', title: 'Health Premium', render: (n) => healthPremiumSection(input, hpRun, n) });
  if (payments) {
    plan.push({ id: 'spend', title: 'What the money bought', render: (n) => spendSection(input, payments, n) });
    plan.push({ id: 'payments', title: 'Payments by period and provider', render: (n) => paymentsSection(input, payments, grid!, n) });
    if (s.cohortTariff) plan.push({ id: 'cohorts', title: 'Cohort tariff', render: (n) => cohortSection(input, payments, n) });
  }
  if (!hpRun && s.healthPremium) plan.push({ id: 'health-premium', title: 'Health Premium', render: (n) => healthPremiumNote(input, n) });
  if (hasOutcomes(input)) plan.push({ id: 'outcomes', title: 'Outcome rates', render: (n) => outcomesSection(input, n) });
  if (payments) plan.push({ id: 'caps', title: 'Caps and payers', render: (n) => capsSection(input, payments, n) });
  plan.push({ id: 'inputs', title: 'Input data and rejections', render: (n) => inputsSection(input, n) });
  plan.push({ id: 'scheme', title: 'Appendix: scheme parameters', render: (n) => appendixSection(input, n) });

  const parts: string[] = [];
  parts.push('<!DOCTYPE html>\n<html lang="en-GB">\n<head>\n<meta charset="utf-8">\n');
  parts.push('<meta name="viewport" content="width=device-width, initial-scale=1">\n');
  parts.push(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">\n`);
  parts.push(`<meta name="generator" content="${esc(`${input.tool.name} ${input.tool.version}`)}">\n`);
  parts.push(`<title>${esc(title)}</title>\n<style>${REPORT_CSS}</style>\n</head>\n<body>\n`);
  parts.push('<header class="top">');
  parts.push(`<h1>${esc(heading)}</h1><p class="lead">${esc(s.title)}</p>`);
  parts.push('<dl class="meta">');
  parts.push(`<dt>Scheme</dt><dd><code>${esc(s.id)}</code> version ${esc(s.version)}</dd>`);
  parts.push(`<dt>Scheme hash</dt><dd class="hash">${esc(input.schemeHash)}</dd>`);
  parts.push(`<dt>As of</dt><dd>${esc(longDate(input.asOf))} (${esc(input.asOf)}): records dated later are not seen</dd>`);
  if (hpRun) {
    parts.push(`<dt>Periods</dt><dd>baseline from ${esc(longDate(hpRun.result.baseline_start))}, current from ${esc(longDate(hpRun.result.current_start))}</dd>`);
  }
  parts.push(`<dt>Produced by</dt><dd>${esc(input.tool.name)} ${esc(input.tool.version)}</dd>`);
  parts.push(
    `<dt>Inputs</dt><dd>${kinds.map((k) => `<span class="input">${esc(fileName(input, k))} <span class="hash">${esc(input.inputs[k]!.hash ?? '(no hash)')}</span></span>`).join('<br>')}</dd>`,
  );
  parts.push('</dl>');
  parts.push(`<nav class="toc" aria-label="Contents"><ol>${plan.map((x) => `<li><a href="#${x.id}">${esc(x.title)}</a></li>`).join('')}</ol></nav>`);
  parts.push('</header>\n<main>\n');
  parts.push(keyFigures(input, grid), inBrief(input), '\n');
  plan.forEach((x, i) => parts.push(x.render(i + 1), '\n'));
  parts.push('</main>\n<footer>');
  const files = hpRun
    ? '<code>health_premium.csv</code>, <code>health_premium.json</code>, <code>rejections.csv</code> and <code>summary.json</code> written with it; money totals are exact sums of <code>health_premium.csv</code>.'
    : '<code>payments.csv</code>, <code>outcomes.csv</code>, <code>rejections.csv</code> and <code>summary.json</code> written with it; money totals are exact sums of <code>payments.csv</code>.';
  parts.push(
    `<p>Produced by ${esc(input.tool.name)} ${esc(input.tool.version)} with scheme <code>${esc(s.id)}</code> ${esc(s.version)} as of ${esc(input.asOf)}. ` +
      `The same inputs, scheme and date give this report byte for byte. The figures are those of ${files}</p>`,
  );
  parts.push('</footer>\n</body>\n</html>\n');
  return parts.join('');
}
