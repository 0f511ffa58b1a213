/**
 * The report a commissioner reads (issue 12, item 5), on the real pipeline over examples/demo:
 * what the money bought (spend by outcome × band equal to payments.csv, cost per met outcome and
 * per journey), the cohort tariff (R-PAY-3, wigan-cohort-2012), the Health Premium note in a run,
 * the appendix folded on screen and compact in print, headings, labels and British English.
 */
import { Decimal } from 'decimal.js';
import { parse } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import { withoutEpisodeId } from '../../src/pipeline/checks/reviews.js';
import { Dec, sumMoney } from '../../src/money/amount.js';
import { presetScheme } from '../../src/presets/index.js';
import { pounds } from '../../src/report/html.js';
import { rejectionTally, renderReport, reportInputFromRun, schemeParameters } from '../../src/report/index.js';
import { cappedScheme, csvSums, csvSumsBy, demoRuns, parsePounds, rejection, tableRows, type DemoRun } from './support.js';

let plain: DemoRun;
let capped: DemoRun;
let wigan: DemoRun;
let hpScheme: DemoRun;
beforeAll(async () => {
  const runs = await demoRuns([presetScheme('national-model-2012'), cappedScheme(), presetScheme('wigan-cohort-2012'), presetScheme('health-premium-2015-16')]);
  plain = runs[0]!;
  capped = runs[1]!;
  wigan = runs[2]!;
  hpScheme = runs[3]!;
});

const bandOf = (attrs: string) => /data-band="([^"]*)"/.exec(attrs)?.[1];

describe('what the money bought: spend by outcome × band (R-PAY-2, SPEC §4)', () => {
  it.each([
    ['national-model-2012', () => plain],
    ['capped scheme with two payers', () => capped],
    ['wigan-cohort-2012', () => wigan],
  ])('%s: each outcome × band cell is the exact sum of the payments.csv outcome rows of that outcome and band', (_n, get) => {
    const { html, paymentsCsv } = get();
    const byOutcomeBand = csvSumsBy(paymentsCsv, (r) => (r['payment_type'] === 'outcome' ? `${r['outcome_id']}|${r['tariff_band']}` : undefined));
    const byType = csvSumsBy(paymentsCsv, (r) => r['payment_type']);
    const rows = tableRows(html, 'spend-table');
    let cells = 0;
    for (const r of rows.filter((x) => x.attrs.includes('data-kind="outcome"'))) {
      const outcome = /data-outcome="([^"]*)"/.exec(r.attrs)![1]!;
      r.cellAttrs.forEach((a, i) => {
        const band = bandOf(a);
        if (band === undefined) return;
        cells++;
        expect(parsePounds(r.cells[i]!).equals(byOutcomeBand.get(`${outcome}|${band}`)!), `${outcome} band ${band}`).toBe(true);
      });
      const total = sumMoney([...byOutcomeBand].filter(([k]) => k.startsWith(`${outcome}|`)).map(([, v]) => v));
      expect(parsePounds(r.cells[r.cellAttrs.findIndex((a) => a.includes('data-total'))]!).equals(total), outcome).toBe(true);
    }
    // Every outcome × band with a payment has its cell, and nothing else does.
    expect(cells).toBe(byOutcomeBand.size);
    // Each kind's total and the grand total.
    for (const r of rows.filter((x) => /data-kind="(attachment|cohort|fixed)"/.test(x.attrs))) {
      const kind = /data-kind="([^"]*)"/.exec(r.attrs)![1]!;
      expect(parsePounds(r.cells[r.cellAttrs.findIndex((a) => a.includes('data-total'))]!).equals(byType.get(kind)!), kind).toBe(true);
    }
    const foot = rows.find((x) => x.head === 'All payments')!;
    expect(parsePounds(foot.cells[foot.cellAttrs.findIndex((a) => a.includes('data-total'))]!).equals(csvSums(paymentsCsv).total)).toBe(true);
  });

  it('cost per met outcome = outcome payments ÷ journeys that met it, overall and per band, as summary.json counts them', () => {
    const { html, paymentsCsv, run } = plain;
    const paid = csvSumsBy(paymentsCsv, (r) => (r['payment_type'] === 'outcome' ? r['outcome_id'] : undefined));
    const paidBand = csvSumsBy(paymentsCsv, (r) => (r['payment_type'] === 'outcome' ? `${r['outcome_id']}|${r['tariff_band']}` : undefined));
    const rows = tableRows(html, 'outcome-cost-table').filter((r) => r.attrs.includes('data-outcome'));
    expect(rows.map((r) => r.head)).toEqual(plain.scheme.outcomes.map((o) => o.id));
    for (const r of rows) {
      const met = run.outcomes.by_outcome[r.head]!.met;
      // cells: met, paid for, paid, per met outcome, then one per band
      expect(Number(r.cells[0]!.replace(/,/g, '')), r.head).toBe(met);
      expect(parsePounds(r.cells[2]!).equals(paid.get(r.head)!), r.head).toBe(true);
      expect(r.cells[3], r.head).toBe(pounds(paid.get(r.head)!.dividedBy(met)));
      r.cellAttrs.forEach((a, i) => {
        const band = bandOf(a);
        if (band === undefined) return;
        const m = run.outcomes.by_outcome_and_band[r.head]![band]!.met;
        expect(r.main[i], `${r.head} band ${band}`).toBe(pounds((paidBand.get(`${r.head}|${band}`) ?? new Dec(0)).dividedBy(m)));
        expect(r.cells[i]).toContain(`${m.toLocaleString('en-GB')} met`);
      });
    }
    // Below the price, since some met outcomes were achieved before the contract started (R-PAY-8).
    const ffd = rows.find((r) => r.head === 'free-from-dependence')!;
    const band1 = ffd.cellAttrs.findIndex((a) => bandOf(a) === '1');
    expect(parsePounds(ffd.main[band1]!).lessThan(1200)).toBe(true);
    expect(ffd.cells[band1]).toContain('price £1,200.00');
  });

  it('cost per journey: everything paid ÷ every journey, and per band what was paid at its prices ÷ its journeys', () => {
    const { html, paymentsCsv, run } = plain;
    const total = csvSums(paymentsCsv).total;
    const rows = tableRows(html, 'journey-cost-table');
    const all = rows.find((r) => r.head === 'All journeys')!;
    expect(Number(all.cells[0]!.replace(/,/g, ''))).toBe(run.outcomes.journeys);
    expect(parsePounds(all.cells[1]!).equals(total)).toBe(true);
    expect(all.cells[2]).toBe(pounds(total.dividedBy(run.outcomes.journeys)));
    const byBand = csvSumsBy(paymentsCsv, (r) => r['tariff_band']);
    const journeys = Object.values(run.outcomes.by_outcome_and_band)[0]!;
    for (const r of rows.filter((x) => x.attrs.includes('data-band'))) {
      const band = bandOf(r.attrs)!;
      const c = journeys[band]!;
      const n = c.met + c.not_met + c.not_eligible + c.pending;
      expect(Number(r.cells[0]!.replace(/,/g, '')), band).toBe(n);
      const p = byBand.get(band) ?? new Dec(0);
      expect(parsePounds(r.cells[1]!).equals(p), band).toBe(true);
      expect(r.cells[2], band).toBe(pounds(p.dividedBy(n)));
    }
    expect(rows.find((r) => r.head === 'No band')!.cells[1]).toBe('£0.00');
  });

  it('says it in words at the top: total, per journey, the biggest cost, per met outcome, all in £1,234.56', () => {
    const total = csvSums(plain.paymentsCsv).total;
    const brief = /<p class="brief">(.*?)<\/p>/.exec(plain.html)![1]!;
    expect(brief).toContain(`${pounds(total)} was paid to 22 providers for 2,382 treatment journeys of 1,996 clients: ${pounds(total.dividedBy(2382))} a journey.`);
    expect(brief).toContain('The largest single cost is free-from-dependence outcome payments in band 2');
    expect(brief).toMatch(/so everything paid comes to £[\d,]+\.\d\d per met outcome\./);
    // No money in prose or tables is written the CSV way (digits and a point, no £).
    const visible = plain.html.replace(/<style>[\s\S]*?<\/style>/, '').replace(/<svg[\s\S]*?<\/svg>/g, '').replace(/<code>[^<]*<\/code>/g, '');
    expect(visible).not.toMatch(/>\d{4,}\.\d\d</);
    expect(visible).not.toMatch(/[^£\d,.]\d{1,3}(,\d{3})+\.\d\d\b/);
  });
});

describe('cohort tariff section (R-PAY-3), wigan-cohort-2012', () => {
  it('is there only when the scheme has a cohort tariff', () => {
    expect(wigan.html).toContain('<h2 id="h-cohorts">3. Cohort tariff</h2>');
    expect(plain.html).not.toContain('id="cohorts"');
  });

  it('lists each measure with its cohorts and schedule', () => {
    const rows = tableRows(wigan.html, 'cohort-schedule');
    expect(rows.map((r) => r.head)).toEqual(['abstinent', 'abstinent', 'completed', 'completed-no-return']);
    expect(rows[0]!.cells).toEqual(['standard (bands 1, 2)', 'from 20.0%: £8.00 per member; from 30.0%: £15.00 per member; from 40.0%: £22.00 per member']);
    expect(rows[1]!.cells[0]).toBe('complex (band 3)');
  });

  it('the rates per period sum the cohort rates over providers; earnings equal the rates, and the cohort payments of payments.csv', () => {
    const rates = wigan.run.payments!.cohorts;
    expect(rates.length).toBeGreaterThan(0);
    const rows = tableRows(wigan.html, 'cohort-periods');
    const periods = [...new Set(rates.map((r) => r.period_start))].sort().slice(0, 12);
    // The first measure's rate in the first period: met/members over every provider.
    const first = rates.filter((r) => r.outcome_id === 'abstinent' && r.cohort_id === 'standard' && r.period_start === periods[0]);
    const met = first.reduce((s, r) => s + r.met, 0);
    const members = first.reduce((s, r) => s + r.members, 0);
    const line = rows.find((r) => r.head === 'abstinent, standard')!;
    expect(line.cells[0]).toBe(`${new Dec(met).dividedBy(members).times(100).toFixed(1)}% ${met}/${members}`);
    const earned = rows.find((r) => r.head === 'Earned, all measures')!;
    periods.forEach((p, i) => {
      expect(parsePounds(earned.cells[i]!).equals(sumMoney(rates.filter((r) => r.period_start === p).map((r) => r.amount))), p).toBe(true);
    });
    // Per provider: earned by all measures; the total equals what payments.csv holds for cohort payments (paid + cut).
    const prov = tableRows(wigan.html, 'cohort-providers');
    const all = prov.find((r) => r.head === 'All providers')!;
    const earnedAll = sumMoney(rates.map((r) => r.amount));
    expect(parsePounds(all.cells.at(-1)!).equals(earnedAll)).toBe(true);
    const csv = parse(wigan.paymentsCsv, { columns: true }) as Record<string, string>[];
    const cohortRows = csv.filter((r) => r['payment_type'] === 'cohort');
    const paid = sumMoney(cohortRows.map((r) => new Dec(r['amount']!)));
    const cut = sumMoney(cohortRows.map((r) => new Dec(r['capped_amount']!)));
    expect(paid.plus(cut).equals(earnedAll)).toBe(true);
    expect(wigan.html).toContain(`The cohort rates earned ${pounds(earnedAll)}; <code>payments.csv</code> holds ${pounds(paid)} of cohort payments.`);
    for (const r of prov.filter((x) => x.attrs.includes('data-provider'))) {
      expect(parsePounds(r.cells.at(-1)!).equals(sumMoney(rates.filter((x) => x.provider_id === r.head).map((x) => x.amount))), r.head).toBe(true);
    }
  });

  it('the cohort payments appear in the spend table as not priced by band', () => {
    const row = tableRows(wigan.html, 'spend-table').find((r) => r.attrs.includes('data-kind="cohort"'))!;
    expect(row.head).toBe('Cohort payments');
    expect(row.cellAttrs.some((a) => a.includes('data-band'))).toBe(false);
  });

  it('a report input without cohort rates (a library caller) says no rate was measured instead of failing', () => {
    const input = reportInputFromRun(wigan.parts);
    const html = renderReport({ ...input, payments: { ...input.payments!, cohorts: undefined } });
    expect(html).toContain('no cohort rate was measured');
  });
});

describe('Health Premium in a run (R-HP)', () => {
  it('a run with the health-premium preset says what the Health Premium is and how to assess it', () => {
    const html = hpScheme.html;
    expect(html).toContain('<h2 id="h-health-premium">1. Health Premium</h2>');
    expect(html).toContain('a pot of £5,000,000.00');
    expect(html).toContain('recovery-pbr health-premium --scheme health-premium-2015-16');
    // Nothing about payments or outcome rates: the scheme has neither.
    expect(html).not.toContain('id="spend"');
    expect(html).not.toContain('id="outcomes"');
    expect(plain.html).not.toContain('id="health-premium"');
  });
});

describe('appendix: folded on screen, compact in print', () => {
  it('the full parameter tables sit in a closed <details>; a print-only compact copy lists every parameter once, sources numbered', () => {
    const html = plain.html;
    const params = schemeParameters(plain.scheme).flatMap((s) => s.parameters);
    const details = /<details class="screen-only" id="parameters"><summary>([^<]*)<\/summary>([\s\S]*?)<\/details>/.exec(html)!;
    expect(details[1]).toBe(`Show all ${params.length} parameters with their provenance`);
    expect(details[0]).not.toContain(' open');
    expect((details[2]!.match(/<tr data-path=/g) ?? []).length).toBe(params.length);
    const print = /<div class="print-only appendix-print">([\s\S]*?)<\/ol><\/div>/.exec(html)![1]!;
    expect((print.match(/<tr><td><code>/g) ?? []).length).toBe(params.length);
    const refs = [...print.matchAll(/ \[(\d+)\]<\/td>/g)].map((m) => Number(m[1]));
    const notes = (print.match(/<li>/g) ?? []).length;
    expect(Math.max(...refs)).toBe(notes);
    expect(new Set(refs).size).toBe(notes);
  });
});

describe('accessible and British', () => {
  it.each([
    ['national-model-2012', () => plain],
    ['capped', () => capped],
    ['wigan-cohort-2012', () => wigan],
  ])('%s: headings in order, every table captioned with header cells, every chart labelled', (_n, get) => {
    const html = get().html;
    const levels = [...html.matchAll(/<h([1-6])[\s>]/g)].map((m) => Number(m[1]));
    expect(levels[0]).toBe(1);
    expect(levels.filter((l) => l === 1)).toHaveLength(1);
    for (let i = 1; i < levels.length; i++) expect(levels[i]! - levels[i - 1]!, `heading ${i}`).toBeLessThanOrEqual(1);
    const tables = html.match(/<table[^>]*>[\s\S]*?<\/table>/g)!;
    for (const t of tables) {
      expect(t, t.slice(0, 80)).toMatch(/^<table[^>]*><caption/);
      expect(t).toMatch(/<th scope="col"/);
    }
    const svgs = html.match(/<svg[^>]*>/g)!;
    for (const s of svgs) {
      expect(s).toContain('role="img"');
      const [t, d] = /aria-labelledby="([^ "]+) ([^"]+)"/.exec(s)!.slice(1);
      expect(html).toContain(`<title id="${t}">`);
      expect(html).toContain(`<desc id="${d}">`);
    }
    expect(html.startsWith('<!DOCTYPE html>\n<html lang="en-GB">')).toBe(true);
  });

  it('the words a reader sees are British English', () => {
    for (const html of [plain.html, wigan.html, hpScheme.html]) {
      const text = html
        .replace(/<style>[\s\S]*?<\/style>/, '')
        .replace(/<code>[^<]*<\/code>/g, ' ')
        .replace(/<[^>]+>/g, ' ');
      expect(text).not.toMatch(/\b(color|colors|center|centered|behavior|analyze|analyzed|organization|favor|favorable|honor|labeled|modeling|modeled|catalog|fulfill|enrollment)\b/i);
    }
  });
});

describe('the report input stays plain, mergeable figures', () => {
  it('holds payments.csv rows, counts and cohort rates only: no decision, journey or client list', () => {
    const input = reportInputFromRun(wigan.parts);
    const keys = Object.keys(input.payments!).sort();
    expect(keys).toEqual(['cohorts', 'counts', 'rows']);
    const json = JSON.stringify(input, (_k, v) => (v instanceof Decimal || (v && typeof v === 'object' && 'd' in v && 'e' in v && 's' in v) ? String(v) : v));
    expect(json).not.toMatch(/"(client_id|journey_id|item_id|decisions)":/);
  });

  it('shows no client or episode identifier, not even a rejected one (rejections.csv beside it has them)', () => {
    for (const html of [plain.html, capped.html, wigan.html]) {
      expect(html).not.toMatch(/C\d{7}/);
      expect(html).not.toMatch(/E\d{7}-\d{2}/);
      expect(html).toContain('(an identifier: see rejections.csv)');
    }
  });

  it('counts rejections by file, field and code, and leaves out an episode id a review reason names (R-VAL-3)', () => {
    const tally = rejectionTally();
    tally.add(rejection({ file: 'reviews', row: 5, field: 'client_id', value: 'C0000002', code: 'episode_of_another_client', reason: 'episode E0000001-01 belongs to another client' }));
    tally.add(rejection({ file: 'reviews', row: 6, field: 'date', value: '2013-09-01', code: 'review_after_discharge', reason: 'is more than 28 days after the discharge of episode E0000001-01 (2013-06-30)' }));
    tally.add(rejection({ file: 'reviews', row: 7, field: 'date', value: '2010-01-01', code: 'review_before_episode', reason: 'is before the start of episode E0000001-01 (2011-02-03)' }));
    const html = renderReport({ ...reportInputFromRun(plain.parts), rejections: tally.result() });
    expect(html).not.toMatch(/[CE]\d{7}/);
    expect(html).toContain('is more than 28 days after the discharge of episode … (2013-06-30)');
    expect(html).toContain("<td><code>date</code></td><td><code>review_after_discharge</code>: a review dated too long after its episode&#39;s discharge</td>");
  });

  it('leaves out the whole of an episode id that holds spaces, in each reason that names one (R-VAL-3)', () => {
    expect(withoutEpisodeId('episode EP 0001 x belongs to another client')).toBe('episode … belongs to another client');
    expect(withoutEpisodeId('is before the start of episode EP 0001 (2011-02-03)')).toBe('is before the start of episode … (2011-02-03)');
    expect(withoutEpisodeId('is more than 28 days after the discharge of episode A (B) C (2013-06-30)')).toBe('is more than 28 days after the discharge of episode … (2013-06-30)');
    // Other reasons are left as they are.
    expect(withoutEpisodeId('no episode has this episode_id')).toBe('no episode has this episode_id');
  });
});
