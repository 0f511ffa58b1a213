/**
 * The workbench page (issue #14) in a real browser: Debian's Chromium driven by playwright-core,
 * through the stable `data-testid` hooks commissioners' IT will use. The page is built once for
 * this file (vite, into a temporary folder) and served by `recovery-pbr workbench`'s own server.
 * Checked against the command line on the same files: the total paid (run), the what-if difference
 * (compare --set), exported payments.csv and report (run with the exported scheme), calibration
 * meeting its target; a scheme problem shown beside its field (R-VAL-4); and no request leaving
 * the page for another origin, nor any data sent to the server (GET of the page's files only).
 *
 * Set RECOVERY_PBR_SKIP_BROWSER=1 to skip it locally (a loud message says so); CI installs Chromium.
 */
import { execFile, execFileSync } from 'node:child_process';
import { readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { CHROMIUM_ARGS, findChromium } from '../support/chromium.mjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveWorkbench, type WorkbenchServer } from '../../src/cli/commands/workbench.js';
import { presetDocument, resolveExtends } from '../../src/presets/index.js';
import { parseScheme, setSchemeParameter } from '../../src/schema/scheme/index.js';
import { pounds, signedPounds } from '../../workbench/src/format.js';
import { tempDir } from '../io/helpers.js';
import { runCli } from '../support/cli.js';

const SKIP = process.env['RECOVERY_PBR_SKIP_BROWSER'] === '1';
const REPO = join(import.meta.dirname, '../..');
const DEMO = join(REPO, 'examples/demo');
const AS_OF = '2015-03-31';
const PRICE = 'tariff.outcomes.free-from-dependence.2';

if (SKIP) {
  console.warn('\n*****  RECOVERY_PBR_SKIP_BROWSER=1: the workbench browser test is SKIPPED; the page is NOT checked in a browser.  *****\n');
}

describe.skipIf(SKIP)('the workbench page in headless Chromium', () => {
  const dir = tempDir('rpbr-wb-browser-');
  const out = join(dir, 'page');
  let server: WorkbenchServer;
  let browser: Browser;
  let page: Page;
  const foreign: string[] = [];
  const notGet: string[] = [];
  const problems: string[] = [];

  beforeAll(async () => {
    const executablePath = findChromium();
    if (!executablePath) throw new Error('Chromium is not installed (apt-get install -y chromium), or set RECOVERY_PBR_SKIP_BROWSER=1 to skip this test locally.');
    // Build the page once for this file, from the current sources (in a child process), while this
    // process runs the command line on the same files for the figures to compare with.
    const build = new Promise<void>((ok, fail) =>
      execFile(process.execPath, [join(REPO, 'node_modules/vite/bin/vite.js'), 'build', '-c', join(REPO, 'workbench/vite.config.ts'), '--logLevel', 'error'], { env: { ...process.env, RECOVERY_PBR_WORKBENCH_OUT: out } }, (e, _stdout, stderr) =>
        e ? fail(new Error(`vite build failed: ${stderr || e.message}`)) : ok(),
      ),
    );
    const run = await runCli(['run', '--scheme', 'national-model-2012', '--data', DEMO, '--as-of', AS_OF, '--out', join(dir, 'run'), '--quiet']);
    expect(run.code, run.stderr).toBe(0);
    const compare = await runCli(['compare', '--scheme', 'national-model-2012', '--set', `${PRICE}=2000.00`, '--data', DEMO, '--as-of', AS_OF, '--out', join(dir, 'compare')]);
    expect(compare.code, compare.stderr).toBe(0);
    await build;
    server = await serveWorkbench(out, { port: 0 });
    browser = await chromium.launch({ executablePath, args: [...CHROMIUM_ARGS], timeout: 20_000 });
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
    // Every request the page makes: another origin fails the test (and is refused), and so does
    // anything but a GET (no data is ever sent, not even to the page's own server).
    await context.route('**/*', (route) => {
      const r = route.request();
      if (!r.url().startsWith(server.url) && !r.url().startsWith('blob:') && !r.url().startsWith('data:')) {
        foreign.push(r.url());
        return route.abort();
      }
      if (r.method() !== 'GET') notGet.push(`${r.method()} ${r.url()}`);
      return route.continue();
    });
    page = await context.newPage();
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(`console: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    await page.goto(server.url);
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Waits until the page says its results have settled. */
  const ready = async (timeout = 60_000) => {
    await page.waitForFunction(
      () => (globalThis as unknown as { document: { querySelector(s: string): { textContent: string | null } | null } }).document.querySelector('[data-testid=status]')?.textContent === 'ready',
      null,
      { timeout },
    );
  };
  const text = (testid: string) => page.getByTestId(testid).innerText();
  /** Clicks an export button and returns the file it downloads. */
  const exported = async (testid: string) => {
    const [d] = await Promise.all([page.waitForEvent('download'), page.getByTestId(testid).click()]);
    return { name: d.suggestedFilename(), text: readFileSync((await d.path())!, 'utf8') };
  };

  it('loads the demo files through data-files: total-paid equals the total of recovery-pbr run for the same scheme and asOf', async () => {
    const summary = JSON.parse(readFileSync(join(dir, 'run/summary.json'), 'utf8')) as { rejected_total: number; payments: { total: string } };

    await page.getByTestId('scheme-select').selectOption('national-model-2012');
    await page.getByTestId('as-of').fill(AS_OF);
    await page.getByTestId('data-files').setInputFiles(readdirSync(DEMO).map((n) => join(DEMO, n)));
    await ready();
    expect(await text('total-paid')).toBe(pounds(summary.payments.total));
    expect(await text('rejections-count')).toBe(String(summary.rejected_total));
    expect(await text('delta-total')).toBe('£0.00');

    // Unedited, the exported payments.csv and report are the CLI's, byte for byte.
    const payments = await exported('export-payments');
    expect(payments.name).toBe('payments.csv');
    expect(payments.text).toBe(readFileSync(join(dir, 'run/payments.csv'), 'utf8'));
    expect((await exported('export-rejections')).text).toBe(readFileSync(join(dir, 'run/rejections.csv'), 'utf8'));
  });

  it('a price edit updates the what-if without deciding again: delta-total equals what compare --set reports', async () => {
    const total = readFileSync(join(dir, 'compare/comparison.csv'), 'utf8').trim().split('\n').pop()!.split(',');
    const difference = total[total.length - 1]!;

    const t0 = Date.now();
    await page.getByTestId('price-free-from-dependence-2').fill('2000.00');
    await ready();
    const ms = Date.now() - t0;
    expect(await text('delta-total')).toBe(signedPounds(Number(difference) > 0 ? `+${difference}` : difference));
    const repriced = Number(/re-priced in (\d+) ms/.exec(await page.locator('#what-if').innerText())![1]);
    console.log(`workbench: price edit to settled what-if ${ms} ms in the page (worker: ${repriced} ms)`);
    // 200 ms on a quiet machine (README); this shared test machine gets a wide margin.
    expect(ms).toBeLessThan(3_000);
  });

  it('exports the edited scheme as a scheme of its own; the CLI run with it writes the same payments.csv and report', async () => {
    await page.getByTestId('scheme-id').fill('my-tariff');
    await page.getByTestId('scheme-version').fill('2');
    await ready();
    const scheme = await exported('export-scheme');
    expect(scheme.name).toBe('my-tariff.json');
    const doc = JSON.parse(scheme.text) as { id: string; version: string; tariff: { outcomes: Record<string, Record<string, unknown>> } };
    expect([doc.id, doc.version]).toEqual(['my-tariff', '2']);
    expect(doc.tariff.outcomes['free-from-dependence']!['2']).toMatchObject({ value: '2000.00', provenance: { kind: 'illustrative', note: expect.stringMatching(/^Edited in the recovery-pbr workbench \(was 1800\.00\)/) } });
    writeFileSync(join(dir, 'my-tariff.json'), scheme.text);
    const cli = await runCli(['run', '--scheme', join(dir, 'my-tariff.json'), '--data', DEMO, '--as-of', AS_OF, '--out', join(dir, 'edited'), '--report', 'report.html', '--quiet']);
    expect(cli.code, cli.stderr).toBe(0);
    expect((await exported('export-payments')).text).toBe(readFileSync(join(dir, 'edited/payments.csv'), 'utf8'));
    expect((await exported('export-report')).text).toBe(readFileSync(join(dir, 'edited/report.html'), 'utf8'));
    expect((await exported('export-outcomes')).text).toBe(readFileSync(join(dir, 'edited/outcomes.csv'), 'utf8'));
  });

  it('a scheme problem is shown beside its field, with the message the CLI gives (R-VAL-4)', async () => {
    const bad = parseScheme(setSchemeParameter(resolveExtends(presetDocument('national-model-2012')), PRICE, '20x'));
    expect(bad.ok).toBe(false);
    const message = !bad.ok ? bad.problems.find((p) => p.path === PRICE)!.message : '';
    const input = page.getByTestId('price-free-from-dependence-2');
    await input.fill('20x');
    const problem = page.locator(`[data-problem-path="${PRICE}"]`);
    await expect.poll(() => problem.innerText()).toBe(message);
    expect(await text('status')).toBe('scheme has problems');
    expect(await input.getAttribute('aria-invalid')).toBe('true');
    expect(await input.getAttribute('aria-describedby')).toBe(await problem.getAttribute('id'));
    // Beside it: the problem sits in the same table cell as its input.
    type Node = { parentElement: { querySelector(s: string): { getAttribute(n: string): string | null } | null } | null };
    expect(await problem.evaluate((p) => (p as unknown as Node).parentElement?.querySelector('input')?.getAttribute('data-testid'))).toBe('price-free-from-dependence-2');
    await input.fill('2000.00');
    await ready();
    expect(await page.locator('[data-problem-path]').count()).toBe(0);
  });

  it('calibrates the outcome prices to a budget and meets it to the penny', async () => {
    await page.getByTestId('calibrate-target').fill('1500000.00');
    await page.getByTestId('calibrate-run').click();
    await expect.poll(() => page.getByTestId('calibrate-amount').count(), { timeout: 60_000 }).toBe(1);
    expect(await text('calibrate-amount')).toBe('£1,500,000.00');
    expect(await page.getByTestId('calibrate-result').innerText()).toMatch(/^Met exactly/);
    // With these prices in the editor, the outcome payments of the edited scheme are the budget.
    await page.getByTestId('calibrate-apply').click();
    await ready();
    const table = page.getByTestId('by-provider');
    const column = (await table.locator('thead th').allInnerTexts()).indexOf('Outcome');
    expect(column).toBeGreaterThan(0);
    expect(await table.locator('tfoot tr > *').nth(column).innerText()).toBe('£1,500,000.00');
  });

  it('explains a client and forecasts a provider', async () => {
    const outcomes = readFileSync(join(dir, 'run/outcomes.csv'), 'utf8').split('\n');
    const met = outcomes.find((l) => l.includes(',free-from-dependence,met,'))!.split(',');
    await page.getByTestId('explain-client').fill(met[0]!);
    await page.getByTestId('explain-run').click();
    await expect.poll(() => page.getByTestId('explain-result').count()).toBe(1);
    const explanation = await page.getByTestId('explain-result').innerText();
    expect(explanation).toContain(`Journey ${met[1]}`);
    expect(await page.getByTestId('explain-payments').innerText()).toMatch(/Outcome\s+free-from-dependence/);

    await page.getByTestId('forecast-run').click();
    await expect.poll(() => page.getByTestId('forecast-result').count(), { timeout: 60_000 }).toBe(1);
    expect(await text('forecast-total')).toMatch(/^£[\d,]+\.\d\d$/);
  });

  it('is plain and accessible: every control labelled, a sensible print view', async () => {
    // (The test compiles without the DOM library, hence the narrow types for the page's objects.)
    type El = { labels?: unknown[] | null; tagName: string; textContent: string | null; outerHTML: string; getAttribute(n: string): string | null };
    const unlabelled = await page.evaluate(() =>
      [...(globalThis as unknown as { document: { querySelectorAll(s: string): Iterable<El> } }).document.querySelectorAll('input, select, button, textarea')]
        .filter((el) => !((el.labels?.length ?? 0) > 0 || el.getAttribute('aria-label') || (el.tagName === 'BUTTON' && (el.textContent ?? '').trim() !== '')))
        .map((el) => el.outerHTML.slice(0, 120)),
    );
    expect(unlabelled).toEqual([]);
    await page.screenshot({ path: '/tmp/recovery-pbr-workbench.png', fullPage: true });
    await page.emulateMedia({ media: 'print' });
    type Win = { getComputedStyle(e: unknown): { display: string } };
    expect(await page.locator('nav.toc').evaluate((n) => (globalThis as unknown as Win).getComputedStyle(n).display)).toBe('none');
    expect(await page.getByTestId('total-paid').isVisible()).toBe(true);
    await page.emulateMedia({ media: 'screen' });
  });

  it('makes no request to another origin and sends nothing to its own server', async () => {
    expect(foreign).toEqual([]);
    expect(notGet).toEqual([]);
    expect(problems).toEqual([]);
    // The page's content security policy refuses a request elsewhere even if code tried one.
    const blocked = await page.evaluate(() => fetch('https://example.org/').then(() => 'sent', () => 'refused'));
    expect(blocked).toBe('refused');
    expect(foreign).toEqual([]);
    // The server takes no data at all.
    const post = await fetch(server.url, { method: 'POST', body: 'x' });
    expect(post.status).toBe(405);
  });
});
