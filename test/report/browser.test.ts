/**
 * The HTML report in a real browser: Debian's Chromium, driven by playwright-core (no browser
 * download). Renders the report of the real pipeline on examples/demo and checks that it loads
 * without errors or requests, that its charts have a size, that the provider totals the page
 * shows are the sums of payments.csv, that the parameter appendix is folded on screen and compact
 * in print, and that the demo prints to a handful of A4 pages. Leaves screenshots in /tmp to look at.
 *
 * CI (`.ci/run`) installs Chromium, and this test fails if it is missing. Locally, set
 * RECOVERY_PBR_SKIP_BROWSER=1 to skip it (a loud message says so).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { CHROMIUM_ARGS, findChromium } from '../support/chromium.mjs';
import { afterAll, describe, expect, it } from 'vitest';
import { presetScheme } from '../../src/presets/index.js';
import { pounds } from '../../src/report/html.js';
import { cappedScheme, csvSums, demoRuns } from './support.js';

const SKIP = process.env['RECOVERY_PBR_SKIP_BROWSER'] === '1';
const SCREENSHOTS = {
  top: '/tmp/recovery-pbr-report-top.png',
  full: '/tmp/recovery-pbr-report-full.png',
  print: '/tmp/recovery-pbr-report-print.pdf',
  demoPrint: '/tmp/recovery-pbr-report-demo-print.pdf',
};

/** Pages of a PDF as Chromium writes it: one `/Type /Page` object per page (the tree's root is `/Type /Pages`). */
function pdfPages(pdf: Buffer): number {
  return (pdf.toString('latin1').match(/\/Type\s*\/Page(?![a-zA-Z])/g) ?? []).length;
}

if (SKIP) {
  console.warn(
    '\n' +
      '*****************************************************************************\n' +
      '*  RECOVERY_PBR_SKIP_BROWSER=1: the HTML report browser test is SKIPPED.     *\n' +
      '*  The report is NOT checked in a browser in this run.                      *\n' +
      '*****************************************************************************\n',
  );
}

describe.skipIf(SKIP)('HTML report in headless Chromium', () => {
  let browser: Browser | undefined;
  const dir = mkdtempSync(join(tmpdir(), 'recovery-pbr-report-'));
  afterAll(async () => {
    await browser?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('renders the demo report: no console error, no request, charts with a size, provider totals equal to payments.csv', async () => {
    const executablePath = findChromium();
    if (!executablePath) {
      throw new Error(
        'Chromium is not installed, so the HTML report cannot be checked in a browser. Install it with ' +
          '`apt-get update && apt-get install -y chromium` (.ci/run does this in CI), or set RECOVERY_PBR_SKIP_BROWSER=1 to skip this test locally.',
      );
    }
    // The real pipeline, as `run --report` writes it: payments.csv and the report side by side.
    const [demo] = await demoRuns([cappedScheme()]);
    writeFileSync(join(dir, 'payments.csv'), demo!.paymentsCsv);
    writeFileSync(join(dir, 'report.html'), demo!.html);
    const sums = csvSums(readFileSync(join(dir, 'payments.csv'), 'utf8'));
    const url = pathToFileURL(join(dir, 'report.html')).href;

    browser = await chromium.launch({ executablePath, args: [...CHROMIUM_ARGS], timeout: 15_000 });
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const problems: string[] = [];
    const requests: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('request', (r) => {
      if (r.url() !== url) requests.push(r.url());
    });
    await page.goto(url, { waitUntil: 'load' });

    expect(problems).toEqual([]);
    expect(requests).toEqual([]);
    expect(await page.title()).toContain('demo-capped');

    // Charts: every SVG is laid out with a non-zero size; one per provider plus the overviews.
    const charts = await page.$$eval('svg.chart', (svgs) => svgs.map((s) => ({ w: s.getBoundingClientRect().width, h: s.getBoundingClientRect().height })));
    expect(charts.length).toBeGreaterThanOrEqual(sums.providers.size + 1 + demo!.scheme.outcomes.length + 1);
    for (const c of charts) {
      expect(c.w).toBeGreaterThan(50);
      expect(c.h).toBeGreaterThan(50);
    }

    // The provider totals as the page shows them (rendered text) equal the sums of payments.csv.
    const providers = await page.locator('#provider-totals tbody tr').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-provider') ?? ''));
    const totals = await page.locator('#provider-totals tbody tr td[data-total]').allInnerTexts();
    expect(providers).toEqual([...sums.providers.keys()].sort());
    expect(totals).toHaveLength(providers.length);
    providers.forEach((p, i) => expect(totals[i], p).toBe(pounds(sums.providers.get(p)!)));
    expect(await page.locator('#provider-totals tfoot td[data-total]').innerText()).toBe(pounds(sums.total));
    expect(await page.locator('.figures').innerText()).toContain(pounds(sums.total));

    // The stylesheet is applied (figures in columns), and the print stylesheet hides the navigation.
    // (The test compiles without the DOM library, hence the narrow type for the page's window.)
    type Win = { getComputedStyle(e: unknown): { display: string; fontVariantNumeric: string } };
    expect(await page.locator('#provider-totals').evaluate((t) => (globalThis as unknown as Win).getComputedStyle(t).fontVariantNumeric)).toBe('tabular-nums');
    await page.screenshot({ path: SCREENSHOTS.top });
    await page.screenshot({ path: SCREENSHOTS.full, fullPage: true });
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('nav.toc').evaluate((n) => (globalThis as unknown as Win).getComputedStyle(n).display)).toBe('none');
    const pdf = await page.pdf({ path: SCREENSHOTS.print, preferCSSPageSize: true, printBackground: true });
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    // 22 providers with caps and terms (a cap bar and a cap line per provider and year): still a short document.
    expect(pdfPages(pdf)).toBeLessThanOrEqual(12);
  }, 60_000);

  it('the demo report prints to a handful of A4 pages, the appendix folded on screen and compact in print', async () => {
    const executablePath = findChromium();
    if (!executablePath) throw new Error('Chromium is not installed (see the first test).');
    const [demo] = await demoRuns([presetScheme('national-model-2012')]);
    writeFileSync(join(dir, 'demo.html'), demo!.html);
    const url = pathToFileURL(join(dir, 'demo.html')).href;
    browser ??= await chromium.launch({ executablePath, args: [...CHROMIUM_ARGS], timeout: 15_000 });
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const requests: string[] = [];
    page.on('request', (r) => {
      if (r.url() !== url) requests.push(r.url());
    });
    await page.goto(url, { waitUntil: 'load' });
    type El = { getBoundingClientRect(): { height: number } };
    const shown = (selector: string) => page.locator(selector).first().evaluate((e) => (e as unknown as El).getBoundingClientRect().height > 0);
    // Whether the element comes to be shown (`want` true) or hidden within a few seconds: once, in a
    // full CI run on a loaded machine, a table in the closed <details> measured a height just after
    // load and none on any later look. A state that does not come about still fails the test.
    const settles = async (selector: string, want: boolean) => {
      for (let i = 0; i < 50; i++) {
        if ((await shown(selector)) === want) return want;
        await page.waitForTimeout(100);
      }
      return !want;
    };

    // On screen: the appendix's tables are folded away until the reader opens them; the print copy is hidden.
    expect(await page.locator('details#parameters').getAttribute('open')).toBeNull();
    expect(await shown('details#parameters > summary')).toBe(true);
    expect(await settles('details#parameters table', false)).toBe(false);
    expect(await shown('.appendix-print')).toBe(false);
    await page.locator('details#parameters > summary').click();
    expect(await shown('details#parameters table')).toBe(true);

    // In print: the compact copy instead, and a handful of pages (26 before issue 12).
    await page.emulateMedia({ media: 'print' });
    expect(await shown('details#parameters')).toBe(false);
    expect(await shown('.appendix-print table')).toBe(true);
    const pdf = await page.pdf({ path: SCREENSHOTS.demoPrint, preferCSSPageSize: true, printBackground: true });
    const pages = pdfPages(pdf);
    expect(pages).toBeGreaterThanOrEqual(3);
    expect(pages).toBeLessThanOrEqual(8);
    expect(requests).toEqual([]);
  }, 60_000);
});
