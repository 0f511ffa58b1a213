/**
 * `recovery-pbr run --report` end to end (the folder runner, client by client): with the
 * wigan-cohort-2012 preset the report has its cohort-tariff section, whose earnings are the cohort
 * payments of the payments.csv written beside it (R-PAY-3), and its totals are that file's.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Dec, sumMoney } from '../../src/money/amount.js';
import { tempDir } from '../io/helpers.js';
import { runCli } from '../support/cli.js';
import { csvSums, csvSumsBy, parsePounds, tableRows } from './support.js';
import { parse } from 'csv-parse/sync';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

describe('run --report with the wigan-cohort-2012 preset', async () => {
  const out = tempDir('rpbr-run-report-');
  const r = await runCli(['run', '--scheme', 'wigan-cohort-2012', '--data', 'examples/demo', '--as-of', '2015-03-31', '--out', out, '--report', 'report.html', '--quiet'], { cwd: ROOT });
  const html = readFileSync(join(out, 'report.html'), 'utf8');
  const payments = readFileSync(join(out, 'payments.csv'), 'utf8');

  it('writes a report with the cohort tariff between payments and outcome rates', () => {
    expect(r.code).toBe(0);
    expect(html).toMatch(/<h2 id="h-payments">2\. Payments by period and provider<\/h2>[\s\S]*<h2 id="h-cohorts">3\. Cohort tariff<\/h2>[\s\S]*<h2 id="h-outcomes">4\. Outcome rates<\/h2>/);
  });

  it('what the cohort rates earned is what payments.csv holds for cohort payments, paid plus cut', () => {
    const rows = parse(payments, { columns: true }) as Record<string, string>[];
    const cohort = rows.filter((x) => x['payment_type'] === 'cohort');
    expect(cohort.length).toBeGreaterThan(0);
    const earned = sumMoney(cohort.map((x) => new Dec(x['amount']!).plus(new Dec(x['capped_amount']!))));
    const all = tableRows(html, 'cohort-providers').find((x) => x.head === 'All providers')!;
    expect(parsePounds(all.cells.at(-1)!).equals(earned)).toBe(true);
    // Per provider too.
    const byProvider = csvSumsBy(payments, (x) => (x['payment_type'] === 'cohort' ? x['provider_id'] : undefined));
    for (const p of tableRows(html, 'cohort-providers').filter((x) => x.attrs.includes('data-provider'))) {
      expect(parsePounds(p.cells.at(-1)!).equals(byProvider.get(p.head) ?? new Dec(0)), p.head).toBe(true);
    }
  });

  it('the provider totals and the spend table equal payments.csv', () => {
    const sums = csvSums(payments);
    const foot = tableRows(html, 'provider-totals').find((x) => x.head === 'All providers')!;
    expect(parsePounds(foot.cells.at(-2)!).equals(sums.total)).toBe(true);
    const spend = tableRows(html, 'spend-table').find((x) => x.head === 'All payments')!;
    expect(parsePounds(spend.cells[spend.cellAttrs.findIndex((a) => a.includes('data-total'))]!).equals(sums.total)).toBe(true);
  });
});
