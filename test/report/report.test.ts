/**
 * The HTML report on the real pipeline (examples/demo): its money totals equal the sums of
 * payments.csv exactly, it is self-contained, deterministic and escapes everything it shows.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { pounds } from '../../src/report/html.js';
import { presetDocument, resolveExtends } from '../../src/presets/index.js';
import { loadScheme, mergeSchemeDocuments } from '../../src/schema/scheme/index.js';
import { outcomeBreakdownCounter, rejectionTally, renderReport, reportFromRun, reportInputFromRun, type ReportInput } from '../../src/report/index.js';
import { csvSums, demoPresetAndCapped, parsePounds, paymentRow, rejection, tableRows, type DemoRun } from './support.js';

let plain: DemoRun;
let capped: DemoRun;
beforeAll(async () => {
  const runs = await demoPresetAndCapped();
  plain = runs[0]!;
  capped = runs[1]!;
});

describe('report totals equal payments.csv (SPEC §4, R-PAY-1)', () => {
  it.each([['national-model-2012', () => plain], ['capped scheme with two payers', () => capped]])(
    '%s: each provider total and the grand total are the exact sums of payments.csv amounts',
    (_name, get) => {
      const { html, paymentsCsv } = get();
      const sums = csvSums(paymentsCsv);
      const rows = tableRows(html, 'provider-totals');
      const providers = rows.filter((r) => r.attrs.includes('data-provider'));
      expect(providers.map((r) => r.head)).toEqual([...sums.providers.keys()].sort());
      const totalCol = rows[0]!.cells.length - 2; // … total paid, cut by cap
      for (const r of providers) expect(r.cells[totalCol], r.head).toBe(pounds(sums.providers.get(r.head)!));
      const foot = rows.find((r) => r.head === 'All providers')!;
      expect(foot.cells[totalCol]).toBe(pounds(sums.total));
      expect(foot.cells[totalCol + 1]).toBe(pounds(sums.capped));
      expect(sums.providers.size).toBeGreaterThan(10);
    },
  );

  it('per-period totals, payer totals and the key figure agree with payments.csv', () => {
    const sums = csvSums(capped.paymentsCsv);
    const periods = tableRows(capped.html, 'period-totals').filter((r) => r.head !== 'All periods');
    expect(periods).toHaveLength(sums.periods.size);
    for (const [period, amount] of sums.periods) {
      const row = periods.find((r) => r.head.endsWith(period))!;
      expect(row.cells[row.cells.length - 2], period).toBe(pounds(amount));
    }
    const payers = tableRows(capped.html, 'payer-table');
    for (const [payer, amount] of sums.payers) expect(payers.find((r) => r.head === payer)!.cells[1]).toBe(pounds(amount));
    expect(payers.find((r) => r.head === 'All payers')!.cells[1]).toBe(pounds(sums.total));
    expect(sums.payers.size).toBe(2);
    // The headline figure, for people: £ and thousands separators, same pence.
    expect(capped.html).toContain(`${pounds(sums.total)}</span><span class="label">paid in total`);
    expect(parsePounds(pounds(sums.total)).equals(sums.total)).toBe(true);
  });

  it('the provider × period matrix adds up to the provider totals (every cell from payments.csv)', () => {
    const sums = csvSums(plain.paymentsCsv);
    const matrix = plain.html.slice(plain.html.indexOf('<table class="matrix">'));
    const rows = tableRows(matrix.replace('<table class="matrix">', '<table id="m">'), 'm');
    for (const r of rows.filter((x) => x.head !== 'All providers')) {
      expect(r.cells[r.cells.length - 1], r.head).toBe(pounds(sums.providers.get(r.head)!));
    }
  });

  it('the cap table shows the cap cut per provider and contract year, summing to the capped amount (R-PAY-4)', () => {
    const sums = csvSums(capped.paymentsCsv);
    expect(sums.capped.greaterThan(0)).toBe(true);
    const rows = tableRows(capped.html, 'cap-table');
    const foot = rows.find((r) => r.head === 'All providers')!;
    // cells: year, cap, paid against cap, cut, room, fixed, total
    expect(foot.cells[3]).toBe(pounds(sums.capped));
    expect(foot.cells[6]).toBe(pounds(sums.total));
    for (const r of rows.filter((x) => x.head !== 'All providers' && x.cells[1] !== 'no cap')) {
      expect(parsePounds(r.cells[2]!).lessThanOrEqualTo(45000), `${r.head} ${r.cells[0]}`).toBe(true);
    }
    expect(rows.some((r) => r.head === 'P905C' && r.cells[1] === 'no cap')).toBe(true);
  });
});

describe('outcome rates in the report', () => {
  it('states the rate definition and shows met, not met, rate, interval, not eligible and pending per outcome', () => {
    expect(plain.html).toContain('<strong>Rate</strong> = met ÷ (met + not met)');
    for (const o of plain.scheme.outcomes) expect(plain.html).toContain(`<caption>${o.id}: journeys by status</caption>`);
    // The "All journeys" line of each outcome equals summary.json's counts by outcome.
    for (const [id, c] of Object.entries(plain.run.outcomes.by_outcome)) {
      const start = plain.html.indexOf(`<caption>${id}: journeys by status</caption>`);
      const row = /<tr><th scope="row">All journeys<\/th>(.*?)<\/tr>/.exec(plain.html.slice(start))![1]!;
      const cells = [...row.matchAll(/<td class="num">([^<]*)<\/td>/g)].map((m) => m[1]!.replace(/,/g, ''));
      expect([cells[0], cells[1], cells[4], cells[5]].map(Number), id).toEqual([c.met, c.not_met, c.not_eligible, c.pending]);
    }
  });
});

describe('self-contained (no network, data inline)', () => {
  it.each([['plain', () => plain], ['capped', () => capped]])('%s: no script, no external link, no fetch, a CSP that forbids fetching', (_n, get) => {
    const html = get().html;
    expect(html.startsWith('<!DOCTYPE html>\n<html lang="en-GB">')).toBe(true);
    expect(html).not.toMatch(/https?:\/\//i);
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<link\b/i);
    expect(html).not.toMatch(/<(img|iframe|object|embed|audio|video|source)\b/i);
    expect(html).not.toMatch(/@import/i);
    expect(html).not.toMatch(/url\(/i);
    expect(html).not.toMatch(/\ssrc=/i);
    for (const m of html.matchAll(/\shref="([^"]*)"/g)) expect(m[1]).toMatch(/^#[a-z0-9-]+$/);
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`);
    expect(html).toContain('@media print');
  });

  it('a source URL in the scheme is shown as text, never as a link or a fetch', () => {
    const scheme = loadScheme(mergeSchemeDocuments(resolveExtends(presetDocument('national-model-2012')), { sources: { web: { title: 'A web page', url: 'https://example.org/x.css' } } }));
    const html = renderReport({ ...reportInputFromRun(plain.parts), scheme });
    expect(html).toContain('<code>https://example.org/x.css</code>');
    expect(html).not.toMatch(/(src|href)="https?:/);
  });
});

describe('deterministic (R-PAY-7): same input, same bytes', () => {
  it('rendering twice gives identical bytes, with no date or time of rendering in them', () => {
    expect(reportFromRun(plain.parts)).toBe(plain.html);
    const today = new Date().toISOString().slice(0, 10);
    expect(plain.html.includes(today)).toBe(today === '2015-03-31');
  });

  it('whatever the order of payment rows, decisions and rejections', () => {
    const run = capped.run;
    fc.assert(
      fc.property(fc.integer(), (seed) => {
        const shuffle = <T>(xs: readonly T[]): T[] => {
          const a = [...xs];
          let s = seed >>> 0;
          for (let i = a.length - 1; i > 0; i--) {
            s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
            const j = s % (i + 1);
            [a[i], a[j]] = [a[j]!, a[i]!];
          }
          return a;
        };
        const counter = outcomeBreakdownCounter();
        for (const d of shuffle(run.decisions)) counter.add(d);
        const tally = rejectionTally();
        for (const r of shuffle(run.rejections)) tally.add(r);
        const html = reportFromRun({
          ...capped.parts,
          outcomes: counter.result(),
          payments: { rows: shuffle(run.payments!.rows), counts: run.payments!.counts },
          rejections: tally.result(),
        });
        return html === capped.html;
      }),
      { numRuns: 5 },
    );
  });
});

describe('escaping: nothing from the data or the scheme becomes markup', () => {
  it('provider ids, rejected values and reasons are escaped', () => {
    const evil = '<script>alert("x")</script>';
    const tally = rejectionTally();
    tally.add(rejection({ row: 2, field: 'provider_id', value: '<img src=x onerror=alert(1)>', reason: 'is "odd" & <b>bad</b>' }));
    const input: ReportInput = {
      ...reportInputFromRun(plain.parts),
      payments: { rows: [paymentRow({ provider: evil, amount: '10.00' })], counts: plain.run.payments!.counts },
      rejections: tally.result(),
    };
    const html = renderReport(input);
    expect(html).not.toContain('<script');
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<b>bad');
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });
});

describe('a scheme that pays nothing', () => {
  it('leaves out payments, caps and payers, and numbers the other sections from 1', () => {
    const html = renderReport({ ...reportInputFromRun(plain.parts), payments: undefined });
    expect(html).not.toContain('id="payments"');
    expect(html).not.toContain('id="caps"');
    expect(html).toContain('<h2 id="h-outcomes">1. Outcome rates</h2>');
    expect(html).toContain('<h2 id="h-scheme">3. Appendix: scheme parameters and where they come from</h2>');
    expect(html).not.toContain('id="spend"');
    expect(html).not.toContain('paid in total');
  });

  it('a run with no payment due yet says so', () => {
    const html = renderReport({ ...reportInputFromRun(plain.parts), payments: { rows: [], counts: plain.run.payments!.counts } });
    expect(html).toContain('No payment fell due by 31 March 2015.');
  });
});

describe('inputs and rejections', () => {
  it('lists every input file with its hash and read/used/rejected counts, and points to rejections.csv', () => {
    const rows = tableRows(plain.html, 'input-table');
    expect(rows.map((r) => r.head)).toEqual(['episodes.csv', 'reviews.csv', 'drug_tests.csv', 'offences.csv', 'employment.csv', 'clients.csv']);
    for (const r of rows) {
      const f = Object.values(plain.summary.inputs).find((x) => x.file === r.head)!;
      expect(r.cells.slice(0, 3).map((c) => Number(c.replace(/,/g, '')))).toEqual([f.read, f.used, f.rejected]);
      expect(r.cells[4]).toBe(f.hash);
      expect(f.read).toBe(f.used + f.rejected);
    }
    expect(plain.html).toContain('<code>rejections.csv</code>');
    const examples = tableRows(plain.html, 'rejection-examples');
    expect(examples).toHaveLength(10);
    expect(examples[0]!.cells[0]).toBe(String(plain.run.rejections[0]!.row));
  });
});

describe('caps and payers without caps or contract terms', () => {
  it('shows paid per provider and contract year as a matrix whose total is the payments.csv total', () => {
    const sums = csvSums(plain.paymentsCsv);
    expect(plain.html).not.toContain('id="cap-table"');
    expect(plain.html).toContain('No provider has a cap, so nothing was cut.');
    const rows = tableRows(plain.html, 'year-table');
    for (const r of rows.filter((x) => x.head !== 'All providers')) expect(r.cells[r.cells.length - 1], r.head).toBe(pounds(sums.providers.get(r.head)!));
    expect(rows.find((r) => r.head === 'All providers')!.cells.at(-1)).toBe(pounds(sums.total));
    expect(plain.html).toContain('one payer, <code>default</code>, pays everything');
  });
});
