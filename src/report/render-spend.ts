/**
 * The report's "What the money bought" section: spend by payment kind × tariff band (what drives
 * the cost), cost per journey by band, and cost per met outcome by outcome and band.
 * @module
 */
import { ZERO, type Decimal } from '../money/amount.js';
import { BAND_COLOURS, NOT_BY_BAND_COLOUR, NO_BAND_COLOUR, barRows, compactPounds, legend } from './charts.js';
import { colTh, count, esc, longDate, moneyCell, num, pounds, rowTh } from './html.js';
import type { ReportInput, ReportPayments } from './input.js';
import { formatPercent, orderBands } from './outcome-rates.js';
import { outcomeCosts, spendPicture, type OutcomeCost, type SpendLine, type SpendPicture } from './spend.js';

/** A band's name for people: `Band 2`, `No band`. */
export function bandLabel(band: string): string {
  return band === '' ? 'No band' : `Band ${band}`;
}

/** A spend line's name for people. */
export function spendLineLabel(l: Pick<SpendLine, 'kind' | 'outcome_id'>): string {
  switch (l.kind) {
    case 'attachment':
      return 'Attachment fees';
    case 'outcome':
      return `Outcome: ${l.outcome_id}`;
    case 'sustainment':
      return `Sustainment: ${l.outcome_id}`;
    case 'cohort':
      return 'Cohort payments';
    case 'fixed':
      return 'Fixed instalments';
  }
}

/** A spend line in a sentence: `free-from-dependence outcome payments`. */
function spendPhrase(l: Pick<SpendLine, 'kind' | 'outcome_id'>): string {
  return l.kind === 'outcome' || l.kind === 'sustainment' ? `${l.outcome_id} ${l.kind} payments` : spendLineLabel(l).toLowerCase();
}

/** A band's colour: a scale in the tariff's band order, grey for no band. */
export function bandColour(band: string, bands: readonly string[]): string {
  if (band === '') return NO_BAND_COLOUR;
  const i = bands.filter((b) => b !== '').indexOf(band);
  return BAND_COLOURS[Math.max(0, i) % BAND_COLOURS.length]!;
}

/** part ÷ whole as a percentage with one decimal, or '–'. */
function share(part: Decimal, whole: Decimal): string {
  return whole.isZero() ? '–' : formatPercent(part.dividedBy(whole));
}

/** The largest band-priced cell: what drives the cost most. */
function largestCell(spend: SpendPicture): { line: SpendLine; band: string; amount: Decimal } | undefined {
  let best: { line: SpendLine; band: string; amount: Decimal } | undefined;
  for (const l of spend.lines) {
    for (const [band, c] of l.bands) if (!best || c.amount.greaterThan(best.amount)) best = { line: l, band, amount: c.amount };
  }
  return best;
}

function metOutcomes(input: ReportInput): number {
  let met = 0;
  for (const bands of Object.values(input.outcomes.by_band)) for (const c of Object.values(bands)) met += c.met;
  return met;
}

/**
 * The figures the top of the report states in words: total, per journey, per met outcome, and
 * the biggest cost. Returns HTML (text escaped).
 */
export function spendInBrief(input: ReportInput, payments: ReportPayments): string {
  const spend = spendPicture(payments.rows, input.outcomes, input.scheme);
  const providers = new Set(payments.rows.map((r) => r.provider_id)).size;
  const s: string[] = [];
  s.push(
    `By ${longDate(input.asOf)}, ${pounds(spend.total)} was paid to ${count(providers)} ${providers === 1 ? 'provider' : 'providers'} for ${count(input.journeys)} treatment ${input.journeys === 1 ? 'journey' : 'journeys'} of ${count(input.clients)} ${input.clients === 1 ? 'client' : 'clients'}` +
      (input.journeys > 0 ? `: ${pounds(spend.total.dividedBy(input.journeys))} a journey.` : '.'),
  );
  const parts = spend.lines.filter((l) => l.total.amount.greaterThan(0));
  const byKind = new Map<string, Decimal>();
  for (const l of parts) byKind.set(l.kind, (byKind.get(l.kind) ?? ZERO).plus(l.total.amount));
  const kindNames: Record<string, string> = { outcome: 'outcome payments', attachment: 'attachment fees', sustainment: 'sustainment payments', cohort: 'cohort payments', fixed: 'fixed instalments' };
  const kinds = [...byKind].sort((a, b) => b[1].comparedTo(a[1]));
  if (kinds.length > 1) s.push(`Of this, ${kinds.map(([k, v]) => `${kindNames[k]} came to ${pounds(v)} (${share(v, spend.total)})`).join(', ')}.`);
  const big = largestCell(spend);
  const cells = spend.lines.reduce((n, l) => n + l.bands.size, 0);
  if (big && big.amount.greaterThan(0) && cells > 1) {
    s.push(`The largest single cost is ${spendPhrase(big.line)} in ${big.band === '' ? 'journeys with no band' : `band ${big.band}`}: ${pounds(big.amount)} (${share(big.amount, spend.total)} of the total).`);
  }
  const met = metOutcomes(input);
  if (met > 0) s.push(`${count(met)} outcomes were met by journeys in the data, so everything paid comes to ${pounds(spend.total.dividedBy(met))} per met outcome.`);
  return esc(s.join(' '));
}

/**
 * The "What the money bought" section.
 * @example spendSection(input, input.payments, 2)
 */
export function spendSection(input: ReportInput, payments: ReportPayments, n: number): string {
  const scheme = input.scheme;
  const spend = spendPicture(payments.rows, input.outcomes, scheme);
  const out: string[] = [`<section id="spend" aria-labelledby="h-spend"><h2 id="h-spend">${n}. What the money bought</h2>`];
  if (spend.lines.length === 0) {
    out.push(`<p>Nothing was paid by ${esc(longDate(input.asOf))}, so there is no spend to break down.</p></section>`);
    return out.join('');
  }
  const paidBands = spend.bands.filter((b) => spend.byBand.has(b));
  const hasNotByBand = spend.lines.some((l) => l.bands.size === 0);
  const defaultBand = scheme.tariff?.defaultBand;
  out.push(
    '<p>Spend by what it paid for and by tariff band (the complexity group a journey was placed in), from the rows of <code>payments.csv</code> with the payers\' shares added together. ' +
      'Cohort payments and fixed instalments are not priced by band, so they have a column of their own. ' +
      (defaultBand !== undefined ? `Journeys without a band are paid at the price of band ${esc(defaultBand)} (the tariff's default band) and are counted in it here. ` : '') +
      'Every amount is the exact sum of the matching rows of <code>payments.csv</code>.</p>',
  );

  // Chart: one bar per line, stacked by band.
  const series = [...paidBands.map((b) => ({ key: b, label: bandLabel(b), colour: bandColour(b, spend.bands) })), ...(hasNotByBand ? [{ key: '\u0000', label: 'Not priced by band', colour: NOT_BY_BAND_COLOUR }] : [])];
  out.push('<figure><figcaption>Spend by payment and tariff band</figcaption>');
  out.push(legend(series.map((s) => ({ label: s.label, colour: s.colour }))));
  out.push(
    barRows({
      id: 'chart-spend',
      title: 'Spend by payment and tariff band',
      desc: `${spend.lines.length} kinds of payment, stacked by band; total ${pounds(spend.total)}. The table below gives the exact amounts.`,
      rows: spend.lines.map((l) => ({
        label: spendLineLabel(l),
        values: series.map((s) => (s.key === '\u0000' ? (l.bands.size === 0 ? l.total.amount.toNumber() : 0) : (l.bands.get(s.key)?.amount.toNumber() ?? 0))),
        note: `${compactPounds(l.total.amount.toNumber())} · ${share(l.total.amount, spend.total)}`,
      })),
      series,
      width: 900,
    }),
  );
  out.push('</figure>');

  // Table: lines × bands, and beside it the cost per journey.
  out.push('<div class="pair tables"><div class="scroll"><table id="spend-table"><caption>Spend by payment and tariff band</caption>');
  out.push(
    `<thead><tr>${colTh('Payment')}${paidBands.map((b) => colTh(esc(bandLabel(b)), true)).join('')}${hasNotByBand ? colTh('Not priced by band', true) : ''}${colTh('Total', true)}${colTh('Share', true)}</tr></thead><tbody>`,
  );
  for (const l of spend.lines) {
    const cells = paidBands.map((b) => {
      const c = l.bands.get(b);
      return c ? moneyCell(c.amount, ` data-band="${esc(b)}"`) : num('–');
    });
    out.push(
      `<tr data-kind="${esc(l.kind)}" data-outcome="${esc(l.outcome_id)}">${rowTh(spendLineLabel(l))}${cells.join('')}${hasNotByBand ? (l.bands.size === 0 ? moneyCell(l.total.amount) : num('–')) : ''}${moneyCell(l.total.amount, ' data-total')}${num(share(l.total.amount, spend.total))}</tr>`,
    );
  }
  out.push(
    `</tbody><tfoot><tr>${rowTh('All payments')}${paidBands.map((b) => moneyCell(spend.byBand.get(b)!)).join('')}${hasNotByBand ? moneyCell(spend.notByBand) : ''}${moneyCell(spend.total, ' data-total')}${num(spend.total.isZero() ? '–' : '100.0%')}</tr></tfoot></table></div>`,
  );

  out.push(journeyCostTable(spend));
  out.push('</div>');
  const costs = outcomeCosts(spend, input.outcomes, scheme);
  out.push(outcomeCostTable(costs, orderBands(costs.flatMap((c) => c.bands.map((l) => l.band!)), scheme.tariff?.bands)));
  out.push('</section>');
  return out.join('');
}

/** Cost per journey by band: band-priced spend ÷ journeys in the band; all payments ÷ all journeys. */
function journeyCostTable(spend: SpendPicture): string {
  const out: string[] = ['<div class="scroll"><table id="journey-cost-table"><caption>Cost per journey, by tariff band</caption>'];
  out.push(`<thead><tr>${colTh('Journeys')}${colTh('Journeys', true)}${colTh('Paid', true)}${colTh('Per journey', true)}</tr></thead><tbody>`);
  const perJourney = (paid: Decimal, n: number) => (n > 0 ? pounds(paid.dividedBy(n)) : '–');
  for (const b of spend.bands) {
    const n = spend.journeys.get(b) ?? 0;
    const paid = spend.byBand.get(b) ?? ZERO;
    out.push(`<tr data-band="${esc(b)}">${rowTh(bandLabel(b))}${num(count(n))}${moneyCell(paid)}${num(perJourney(paid, n))}</tr>`);
  }
  if (!spend.notByBand.isZero()) out.push(`<tr>${rowTh('Cohort and fixed (not by band)')}${num('–')}${moneyCell(spend.notByBand)}${num('–')}</tr>`);
  out.push(`</tbody><tfoot><tr>${rowTh('All journeys')}${num(count(spend.allJourneys))}${moneyCell(spend.total)}${num(perJourney(spend.total, spend.allJourneys))}</tr></tfoot></table>`);
  out.push(
    '<p class="table-note">Per journey = what was paid at the band\'s prices ÷ the journeys in that band (every journey in the data, whether or not anything was paid for it). ' +
      'The last line divides everything paid, cohort and fixed payments included, by all journeys.</p></div>',
  );
  return out.join('');
}

/** Cost per met outcome: one row per outcome, all bands first, then each band (price beneath). */
function outcomeCostTable(costs: readonly OutcomeCost[], bands: readonly string[]): string {
  if (costs.length === 0) return '';
  const out: string[] = ['<h3>Cost per met outcome</h3>'];
  out.push(
    '<p><strong>Per met outcome</strong> = outcome payments for it ÷ the journeys that met it by the run\'s date. ' +
      'It is below the price where met outcomes were not paid: achieved outside the contract dates, on a journey with no band, beyond a per-client limit, or cut by a cap (see <a href="#payments">What was not paid</a>). ' +
      'Sustainment payments are not included; they have their own lines above. Under each band: the journeys that met the outcome and its price.</p>',
  );
  out.push('<div class="scroll"><table id="outcome-cost-table"><caption>Cost per met outcome, by outcome and tariff band</caption>');
  out.push(
    `<thead><tr>${colTh('Outcome')}${colTh('Met', true)}${colTh('Paid for', true)}${colTh('Paid', true)}${colTh('Per met outcome', true)}` +
      `${bands.map((b) => colTh(`${esc(bandLabel(b))}<span class="sub">per met outcome</span>`, true)).join('')}</tr></thead><tbody>`,
  );
  for (const c of costs) {
    const byBand = new Map(c.bands.map((l) => [l.band!, l]));
    const a = c.all;
    const cells = bands.map((b) => {
      const l = byBand.get(b);
      if (!l) return num('–');
      const sub = `${count(l.met)} met${l.price ? ` · price ${pounds(l.price)}` : ''}`;
      return `<td class="num" data-band="${esc(b)}">${esc(l.perMet ? pounds(l.perMet) : '–')}<span class="sub">${esc(sub)}</span></td>`;
    });
    out.push(
      `<tr data-outcome="${esc(c.outcome_id)}">${rowTh(c.outcome_id)}${num(count(a.met))}${num(count(a.items))}${moneyCell(a.paid, ' data-paid')}${num(a.perMet ? pounds(a.perMet) : '–', ' data-per-met')}${cells.join('')}</tr>`,
    );
  }
  const met = costs.reduce((s, c) => s + c.all.met, 0);
  const items = costs.reduce((s, c) => s + c.all.items, 0);
  const paid = costs.reduce((s, c) => s.plus(c.all.paid), ZERO as Decimal);
  out.push(
    `</tbody><tfoot><tr>${rowTh('All outcomes')}${num(count(met))}${num(count(items))}${moneyCell(paid)}${num(met > 0 ? pounds(paid.dividedBy(met)) : '–')}${bands.map(() => '<td></td>').join('')}</tr></tfoot></table></div>`,
  );
  return out.join('');
}
