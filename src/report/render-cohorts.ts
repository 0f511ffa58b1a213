/**
 * The report's cohort tariff section (R-PAY-3): the schedule, the cohort rates and what they earned
 * per period (all providers), and per provider.
 * @module
 */
import { ZERO, decimal, type Decimal } from '../money/amount.js';
import { contractCalendar } from '../payments/contract.js';
import type { CohortMeasure, CohortTariff } from '../schema/scheme/tariff.js';
import { cohortPicture, type CohortCell, type CohortMeasureLine } from './cohorts.js';
import { colTh, esc, longDate, moneyCell, num, pounds, rowTh } from './html.js';
import type { ReportInput, ReportPayments } from './input.js';
import { formatPercent } from './outcome-rates.js';
import { periodChunks, periodHeader, periodLabel } from './payments.js';

function stepsText(m: CohortMeasure): string {
  if (m.perPoint) {
    return `${pounds(decimal(m.perPoint.pricePerPoint))} per percentage point above ${formatPercent(decimal(m.perPoint.baseline))}`;
  }
  return m.schedule.map((s) => `from ${formatPercent(decimal(s.minRate))}: ${pounds(decimal(s.pricePerMember))} per member`).join('; ');
}

function cohortName(tariff: CohortTariff, id: string): string {
  const c = tariff.cohorts.find((x) => x.id === id);
  return c ? `${id} (${c.bands.length === 1 ? 'band' : 'bands'} ${c.bands.join(', ')})` : id;
}

/** `abstinent, standard`: a measure line's short name. */
function lineName(l: Pick<CohortMeasureLine, 'outcome_id' | 'cohort_id'>): string {
  return `${l.outcome_id}, ${l.cohort_id}`;
}

function rateCell(c: CohortCell | undefined): string {
  if (!c) return num('–');
  return `<td class="num">${esc(formatPercent(c.rate))}<span class="sub">${esc(`${c.met}/${c.members}`)}</span></td>`;
}

/**
 * The cohort tariff section; empty when the scheme has no cohort tariff.
 * @example cohortSection(input, input.payments, 3)
 */
export function cohortSection(input: ReportInput, payments: ReportPayments, n: number): string {
  const tariff = input.scheme.cohortTariff;
  if (!tariff) return '';
  const cal = contractCalendar(input.scheme.contract);
  const noun = cal.periodMonths === 1 ? 'month' : 'quarter';
  const pic = cohortPicture(payments.cohorts ?? [], tariff);
  const out: string[] = [`<section id="cohorts" aria-labelledby="h-cohorts"><h2 id="h-cohorts">${n}. Cohort tariff</h2>`];
  const w = tariff.window;
  out.push(
    `<p>Besides the per-client tariff, each provider is paid every ${noun} on the rates of its cohorts (R-PAY-3). ` +
      (w.kind === 'rolling'
        ? `A ${noun}'s rate is measured over the ${w.months} months ending with its last day (a rolling window), `
        : `Rates are measured over consecutive blocks of ${w.months} months from the contract start and paid in a block's last ${noun}, `) +
      'over the journeys attributed to the provider whose band is in the cohort, that were in treatment on some day of the window and eligible for the outcome. ' +
      'The <strong>rate</strong> is the share of them that met the outcome by the window\'s last day; the highest step it reaches sets the price per member, paid for every member. ' +
      'A journey in treatment across several windows counts in each, so members below are counted once per window.</p>',
  );
  out.push('<div class="scroll"><table id="cohort-schedule"><caption>Cohorts and schedules</caption>');
  out.push(`<thead><tr>${colTh('Outcome measured')}${colTh('Cohorts')}${colTh('Price')}</tr></thead><tbody>`);
  for (const m of tariff.measures) {
    const ids = m.cohorts ?? tariff.cohorts.map((c) => c.id);
    out.push(`<tr>${rowTh(m.outcome)}<td>${esc(ids.map((id) => cohortName(tariff, id)).join('; '))}</td><td>${esc(stepsText(m))}</td></tr>`);
  }
  out.push('</tbody></table></div>');

  if (pic.lines.length === 0) {
    out.push(`<p>No cohort ${noun} had closed with members by ${esc(longDate(input.asOf))}, so no cohort rate was measured.</p></section>`);
    return out.join('');
  }

  // Rates and earnings per period, all providers.
  out.push(
    `<p>All providers together, per ${noun}: the rate (met/members, summed over providers), and what the rates earned. Each provider is paid on its own rate, so a ${noun} can earn something below a step's rate, or nothing above it.</p>`,
  );
  const chunks = periodChunks(pic.periods, cal);
  chunks.forEach((chunk, ci) => {
    const whole = chunks.length === 1;
    out.push(`<div class="scroll"><table${ci === 0 ? ' id="cohort-periods"' : ''} class="matrix">`);
    out.push(
      `<caption>Cohort rates per ${noun}, all providers${whole ? '' : `, ${esc(`${periodLabel(chunk[0]!, cal)} to ${periodLabel(chunk[chunk.length - 1]!, cal)}`)} (part ${ci + 1} of ${chunks.length})`}</caption>`,
    );
    out.push(`<thead><tr>${colTh('Measure')}${chunk.map((p) => colTh(periodHeader(p, cal), true)).join('')}</tr></thead><tbody>`);
    for (const l of pic.lines) out.push(`<tr>${rowTh(lineName(l))}${chunk.map((p) => rateCell(l.periods.get(p))).join('')}</tr>`);
    out.push('</tbody><tbody>');
    for (const l of pic.lines) out.push(`<tr>${rowTh(`Earned: ${lineName(l)}`)}${chunk.map((p) => moneyCell(l.periods.get(p)?.earned ?? ZERO)).join('')}</tr>`);
    out.push(
      `</tbody><tfoot><tr>${rowTh('Earned, all measures')}${chunk.map((p) => moneyCell(pic.lines.reduce((s, l) => s.plus(l.periods.get(p)?.earned ?? ZERO), ZERO as Decimal))).join('')}</tr></tfoot></table></div>`,
    );
  });

  // Per provider.
  out.push(`<div class="scroll"><table id="cohort-providers"><caption>Cohort payments earned per provider, all ${noun}s</caption>`);
  out.push(
    `<thead><tr>${colTh('Provider')}${pic.lines.map((l) => colTh(`${esc(lineName(l))}<span class="sub">earned; ${noun}s paid</span>`, true)).join('')}${colTh('Total', true)}</tr></thead><tbody>`,
  );
  for (const p of pic.providers) {
    const cells = pic.lines.map((l) => l.providers.get(p));
    const total = cells.reduce((s, c) => s.plus(c?.earned ?? ZERO), ZERO as Decimal);
    out.push(
      `<tr data-provider="${esc(p)}">${rowTh(p)}${cells
        .map((c) => (c ? `<td class="num">${esc(pounds(c.earned))}<span class="sub">${esc(`${c.paid} of ${c.measured}`)}</span></td>` : num('–')))
        .join('')}${moneyCell(total)}</tr>`,
    );
  }
  out.push(`</tbody><tfoot><tr>${rowTh('All providers')}${pic.lines.map((l) => moneyCell(l.all.earned)).join('')}${moneyCell(pic.earned, ' data-total')}</tr></tfoot></table></div>`);

  // What the rates earned against what payments.csv holds.
  let paid: Decimal = ZERO;
  let cut: Decimal = ZERO;
  for (const r of payments.rows) {
    if (r.payment_type !== 'cohort') continue;
    paid = paid.plus(r.amount);
    cut = cut.plus(r.capped_amount);
  }
  const rest = pic.earned.minus(paid).minus(cut);
  out.push(
    `<p>The cohort rates earned ${esc(pounds(pic.earned))}; <code>payments.csv</code> holds ${esc(pounds(paid))} of cohort payments` +
      (cut.isZero() ? '' : ` and ${esc(pounds(cut))} cut by caps`) +
      (rest.isZero() ? '.' : `; the other ${esc(pounds(rest))} fell outside the contract dates and was not paid (R-PAY-8).`) +
      '</p>',
  );
  out.push('</section>');
  return out.join('');
}
