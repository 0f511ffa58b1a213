/**
 * The report's Health Premium section (SPEC §3.5, R-HP-1..4): in a report of `recovery-pbr
 * health-premium`, each area's national (and local) indicator in the baseline and current periods,
 * the rate it had to reach, whether it earned, and its share of the pot; segments for information.
 * In a run's report, a short note on where the Health Premium is assessed.
 * @module
 */
import { addDays, addMonths } from '../calendar/index.js';
import type { HealthPremiumRow, RowFigures } from '../health-premium/assess.js';
import { NEWER_USERS, LONGER_TERM_USERS, type SegmentRow } from '../health-premium/segments.js';
import { Dec, ZERO, decimal, type Decimal } from '../money/amount.js';
import type { HealthPremium } from '../schema/scheme/health-premium.js';
import { changeRows, legend } from './charts.js';
import { colTh, esc, longDate, moneyCell, num, pounds, rowTh } from './html.js';
import type { ReportHealthPremium, ReportInput } from './input.js';

/**
 * A rate as a percentage with two decimals (Health Premium thresholds are fine: 17.29% needed
 * against 16.95% reached), or '–'.
 * @example ratePercent('0.172881') // '17.29%'
 */
export function ratePercent(rate: string | undefined): string {
  return rate === undefined ? '–' : `${new Dec(rate).times(100).toFixed(2, Dec.ROUND_HALF_UP)}%`;
}

function figures(f: RowFigures | undefined): string {
  if (!f) return 'not supplied';
  if (f.rate === undefined) return '0 of 0';
  const base = f.numerator === undefined ? f.rate : `${ratePercent(f.rate)} (${f.numerator}/${f.denominator})`;
  return f.status === 'provisional' ? `${base}, provisional` : base;
}

/** The last day of a period of `months` months from `start`. */
function periodEnd(start: string, months: number): string {
  return addDays(addMonths(start, months), -1);
}

function ruleText(hp: HealthPremium, r: ReportHealthPremium['result']): string {
  const t = hp.national.threshold;
  const threshold = t.type === 'relative' ? `the baseline rate plus ${ratePercent(t.value).replace(/\.00%$/, '%')} of it` : `the baseline rate plus ${new Dec(t.value).times(100).toFixed()} percentage points`;
  const test = hp.national.significance ? `, with a one-sided two-proportion test significant at ${ratePercent(hp.national.significance).replace(/\.00%$/, '%')}` : '';
  const groups = hp.national.noFallIn.map((g) => g.replace(/_/g, '-'));
  const noFall = groups.length > 0 ? ` and its ${groups.join(' and ')} ${groups.length === 1 ? 'rate does' : 'rates do'} not fall` : '';
  const weight = { equal: 'equally among them', denominator: "in proportion to each area's current denominator (clients in treatment)", supplied: 'in proportion to the weights supplied per area' }[r.weight];
  const combine = r.local_supplied
    ? {
        separate: 'Each indicator earns its own part of the pot.',
        both: 'An area earns either part only when it is eligible on both indicators.',
        either: 'An area eligible on at least one indicator earns both parts.',
      }[r.combine]
    : 'No local indicator was supplied, so the whole pot is judged on the national indicator.';
  return (
    `An area's rate is the share of its adults in treatment during a ${hp.periodMonths}-month period who left treatment successfully and did not return within ${hp.followUpMonths} months (PHOF 2.15, R-HP-1). ` +
    `The national indicator is <strong>${esc(r.national_indicator)}</strong> (${esc(hp.national.groups.map((g) => g.replace(/_/g, '-')).join(' and '))} users counted together). ` +
    `An area is eligible when its current rate reaches ${esc(threshold)}${esc(test)}${esc(noFall)} (R-HP-3). ` +
    `The pot of ${esc(pounds(decimal(r.pot)))} is split ${esc(pounds(decimal(r.parts.national)))} national and ${esc(pounds(decimal(r.parts.local)))} local. ${esc(combine)} ` +
    `Each part is shared among the areas that earn it ${esc(weight)}, to the penny (R-HP-4).`
  );
}

function segmentLabel(s: string): string {
  if (s === NEWER_USERS) return 'Newer opiate users';
  if (s === LONGER_TERM_USERS) return 'Longer-term opiate users';
  if (s.startsWith('age:')) {
    const b = s.slice(4);
    return b === 'unknown' ? 'Age not known' : b.startsWith('under_') ? `Aged under ${b.slice(6)}` : `Aged ${b}`;
  }
  return s;
}

/** Segments for information: newer and longer-term opiate users, and the national indicator by age band. */
function segmentsTable(segments: readonly SegmentRow[], national: string): string {
  const shown = segments.filter((s) => (s.segment === NEWER_USERS || s.segment === LONGER_TERM_USERS ? s.indicator === 'opiate' : s.indicator === national));
  if (shown.length === 0) return '';
  const cols = [...new Set(shown.map((s) => s.segment))];
  const order = (s: string) => (s === NEWER_USERS ? 0 : s === LONGER_TERM_USERS ? 1 : s === 'age:unknown' ? 3 : 2);
  const lower = (s: string) => (s.includes('under_') ? -1 : Number(/\d+/.exec(s)?.[0] ?? 0));
  cols.sort((a, b) => order(a) - order(b) || lower(a) - lower(b));
  const areas = [...new Set(shown.map((s) => s.area_code))];
  const at = new Map(shown.map((s) => [`${s.area_code}\u0000${s.segment}`, s]));
  const cell = (s: SegmentRow | undefined) => {
    if (!s) return num('–');
    const r = (c: SegmentRow['current']) => (c.denominator > 0 ? `${ratePercent(new Dec(c.numerator).dividedBy(c.denominator).toFixed(6))} (${c.numerator}/${c.denominator})` : '0 of 0');
    return `<td class="num">${esc(r(s.current))}<span class="sub">${esc(`baseline ${r(s.baseline)}`)}</span></td>`;
  };
  const out: string[] = ['<h3>Segments, for information</h3>'];
  out.push(
    `<p>The same rate for newer and longer-term opiate users and, for the ${esc(national)} indicator, by age band (Drug Strategy 2017). Segments are not judged and earn nothing; small counts make their rates unsteady. Every segment and group, with its interval, is in <code>health_premium_segments.csv</code>.</p>`,
  );
  out.push('<div class="scroll"><table id="hp-segments" class="matrix"><caption>Current rate by segment (baseline beneath)</caption>');
  out.push(`<thead><tr>${colTh('Area')}${cols.map((c) => colTh(esc(segmentLabel(c)), true)).join('')}</tr></thead><tbody>`);
  for (const a of areas) out.push(`<tr>${rowTh(a)}${cols.map((c) => cell(at.get(`${a}\u0000${c}`))).join('')}</tr>`);
  out.push('</tbody></table></div>');
  return out.join('');
}

/**
 * The Health Premium section of a `health-premium` report.
 * @example healthPremiumSection(input, input.healthPremium, 1)
 */
export function healthPremiumSection(input: ReportInput, hpRun: ReportHealthPremium, n: number): string {
  const hp = input.scheme.healthPremium;
  const r = hpRun.result;
  const out: string[] = [`<section id="health-premium" aria-labelledby="h-health-premium"><h2 id="h-health-premium">${n}. Health Premium</h2>`];
  const months = hp?.periodMonths ?? 12;
  out.push(
    `<p>Baseline period ${esc(longDate(r.baseline_start))} to ${esc(longDate(periodEnd(r.baseline_start, months)))}; current period ${esc(longDate(r.current_start))} to ${esc(longDate(periodEnd(r.current_start, months)))}; ` +
      `figures as known on ${esc(longDate(input.asOf))}, from ${hpRun.source === 'episodes' ? 'episode data' : 'published counts'}.` +
      (r.provisional ? ' <strong>Some figures are provisional</strong>: a completion\'s follow-up was still open on that date, so a rate can still change.' : '') +
      '</p>',
  );
  if (hp) out.push(`<p>${ruleText(hp, r)}</p>`);

  const national = r.rows.filter((x) => x.role === 'national');
  const local = new Map<string, HealthPremiumRow>(r.rows.filter((x) => x.role === 'local').map((x) => [x.area_code, x]));
  const areas = new Map(r.areas.map((a) => [a.area_code, a]));
  out.push('<figure><figcaption>National indicator per area: baseline rate (open dot), current rate (filled dot) and the rate needed (tick)</figcaption>');
  out.push(legend([{ label: 'Earns its share', colour: '#0b6e3a' }, { label: 'Does not earn', colour: '#c2410c' }]));
  out.push(
    changeRows({
      id: 'chart-hp',
      title: `${r.national_indicator} rate per area, baseline and current, with the rate needed`,
      desc: `${national.length} areas; ${r.areas.filter((a) => a.earns_national).length} earn on the national indicator. Exact figures in the table below.`,
      rows: national.map((x) => ({
        label: x.area_code,
        from: x.baseline?.rate === undefined ? undefined : Number(x.baseline.rate),
        to: x.current?.rate === undefined ? undefined : Number(x.current.rate),
        target: x.judgement?.target === undefined ? undefined : Number(x.judgement.target),
        good: x.eligible === true,
        note: x.eligible ? pounds(decimal(x.allocation)) : 'not eligible',
      })),
      width: 900,
    }),
  );
  out.push('</figure>');

  const withLocal = r.local_supplied;
  const cols = 1 + 5 + (withLocal ? 4 : 0) + 1;
  out.push('<div class="scroll"><table id="hp-areas"><caption>Health Premium per area</caption>');
  out.push(
    `<thead><tr><td></td><th scope="colgroup" colspan="5" class="group-head">National indicator (${esc(r.national_indicator)})</th>` +
      (withLocal ? '<th scope="colgroup" colspan="4" class="group-head">Local indicator</th>' : '') +
      '<td></td></tr>' +
      `<tr>${colTh('Area')}${colTh('Baseline', true)}${colTh('Current', true)}${colTh('Needed', true)}${colTh('Earns', true)}${colTh('Share of the pot', true)}` +
      (withLocal ? `${colTh('Baseline', true)}${colTh('Current', true)}${colTh('Earns', true)}${colTh('Share of the pot', true)}` : '') +
      `${colTh('Total', true)}</tr></thead><tbody>`,
  );
  let total: Decimal = ZERO;
  for (const x of national) {
    const a = areas.get(x.area_code);
    const l = local.get(x.area_code);
    const areaTotal = decimal(a?.total ?? x.allocation);
    total = total.plus(areaTotal);
    out.push(
      `<tr class="first-of-group" data-area="${esc(x.area_code)}">${rowTh(x.area_code)}${num(figures(x.baseline))}${num(figures(x.current))}${num(ratePercent(x.judgement?.target))}${num(x.eligible ? 'yes' : 'no')}${moneyCell(decimal(x.allocation))}` +
        (withLocal
          ? `${num(figures(l?.baseline))}${num(figures(l?.current))}${num(l?.eligible ? 'yes' : 'no')}${moneyCell(decimal(l?.allocation ?? '0'))}`
          : '') +
        `${moneyCell(areaTotal, ' data-total')}</tr>`,
    );
    const why = [x.reason, ...(l ? [l.reason] : [])].join(' ');
    out.push(`<tr class="reason"><td colspan="${cols}">${esc(why)}</td></tr>`);
  }
  out.push(
    `</tbody><tfoot><tr>${rowTh('All areas')}<td></td><td></td><td></td><td></td>${moneyCell(national.reduce((s, x) => s.plus(decimal(x.allocation)), ZERO as Decimal))}` +
      (withLocal ? `<td></td><td></td><td></td>${moneyCell([...local.values()].reduce((s, x) => s.plus(decimal(x.allocation)), ZERO as Decimal))}` : '') +
      `${moneyCell(total, ' data-total')}</tr></tfoot></table></div>`,
  );
  const un = decimal(r.unallocated.total);
  out.push(
    `<p>Paid ${esc(pounds(decimal(r.paid)))} of the ${esc(pounds(decimal(r.pot)))} pot${un.isZero() ? '' : `; ${esc(pounds(un))} was not earned by any area and is not paid out`}. The same figures, with every group's rate and interval, are in <code>health_premium.csv</code> and <code>health_premium.json</code>.</p>`,
  );
  if (r.notes.length > 0) out.push(`<ul>${r.notes.map((x) => `<li>${esc(x)}</li>`).join('')}</ul>`);
  out.push(segmentsTable(hpRun.segments, r.national_indicator));
  out.push('</section>');
  return out.join('');
}

/**
 * In a run's report, for a scheme with a Health Premium section: what it is and how to assess it.
 * @example healthPremiumNote(input, 4)
 */
export function healthPremiumNote(input: ReportInput, n: number): string {
  const hp = input.scheme.healthPremium;
  if (!hp) return '';
  return (
    `<section id="health-premium" aria-labelledby="h-health-premium"><h2 id="h-health-premium">${n}. Health Premium</h2>` +
    `<p>The scheme includes a Health Premium (R-HP): a pot of ${esc(pounds(decimal(hp.pot)))} shared among the areas whose rate of successful completions without a return to treatment within ${hp.followUpMonths} months improved enough between a baseline and a current ${hp.periodMonths}-month period. ` +
    'It is judged per area and period, not per journey, so this run does not assess it. ' +
    `<code>recovery-pbr health-premium --scheme ${esc(input.scheme.id)} --data &lt;folder&gt; --baseline &lt;date&gt; --current &lt;date&gt; --out &lt;folder&gt; --report health-premium.html</code> writes its report. ` +
    'Its parameters are in the appendix.</p></section>'
  );
}
