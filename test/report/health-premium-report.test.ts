/**
 * The Health Premium report (`recovery-pbr health-premium --report`, R-HP-1..4): each area's
 * national (and local) indicator, the rate needed, what it earns and why; its amounts are those of
 * health_premium.csv to the penny, and it is self-contained like the run's report.
 */
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Dec, sumMoney } from '../../src/money/amount.js';
import { pounds } from '../../src/report/html.js';
import { tempDir } from '../io/helpers.js';
import { runCli } from '../support/cli.js';
import { parsePounds, tableRows } from './support.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const csvRows = (text: string) => text.trimEnd().split('\n').map((l) => l.split(','));

describe('health-premium --report on the demo data, with the health-premium preset', async () => {
  const out = tempDir('rpbr-hp-report-');
  const r = await runCli(
    ['health-premium', '--scheme', 'health-premium-2015-16', '--data', 'examples/demo', '--baseline', '2012-04-01', '--current', '2013-04-01', '--out', out, '--report', 'health-premium.html'],
    { cwd: ROOT },
  );
  const html = readFileSync(join(out, 'health-premium.html'), 'utf8');
  const csv = csvRows(readFileSync(join(out, 'health_premium.csv'), 'utf8')).slice(1);

  it('writes the report beside the other files', () => {
    expect(r.code).toBe(0);
    expect(readdirSync(out).sort()).toEqual(['health-premium.html', 'health_premium.csv', 'health_premium.json', 'health_premium_segments.csv', 'rejections.csv', 'summary.json']);
    expect(html).toContain('<title>Health Premium report: health-premium-2015-16 1.0.0, as of 2014-09-30</title>');
    expect(html).toContain('<h2 id="h-health-premium">1. Health Premium</h2>');
    expect(html).not.toContain('id="spend"');
  });

  it('each area’s share and the total are those of health_premium.csv, in £', () => {
    const rows = tableRows(html, 'hp-areas');
    const areas = rows.filter((x) => x.attrs.includes('data-area'));
    const national = csv.filter((x) => x[1] === 'combined');
    expect(areas.map((a) => a.head)).toEqual(national.map((x) => x[0]));
    for (const a of areas) {
      const line = national.find((x) => x[0] === a.head)!;
      // cells: baseline, current, needed, earns, national part, total
      expect(a.cells[3], a.head).toBe(line[9] === 'true' ? 'yes' : 'no');
      expect(parsePounds(a.cells[4]!).equals(new Dec(line[10]!)), a.head).toBe(true);
      expect(a.cells[0]).toBe(`${new Dec(line[4]!).times(100).toFixed(2)}% (${line[2]}/${line[3]})`);
      expect(a.cells[1]).toBe(`${new Dec(line[7]!).times(100).toFixed(2)}% (${line[5]}/${line[6]})`);
    }
    const total = sumMoney(csv.map((x) => new Dec(x[10]!)));
    expect(rows.find((x) => x.head === 'All areas')!.cells.at(-1)).toBe(pounds(total));
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    expect(total.toFixed(2)).toBe(summary.health_premium.paid);
    expect(html).toContain(`${pounds(total)}</span><span class="label">paid of the £5,000,000.00 pot`);
  });

  it('says why each area did or did not earn, with the rate it needed', () => {
    expect(html).toContain('An area is eligible when its current rate reaches the baseline rate plus 2% of it and its opiate and non-opiate rates do not fall (R-HP-3).');
    const reasons = [...html.matchAll(/<tr class="reason"><td colspan="\d+">([^<]*)<\/td><\/tr>/g)].map((m) => m[1]!);
    expect(reasons).toHaveLength(csv.filter((x) => x[1] === 'combined').length);
    expect(reasons.some((x) => x.includes('the opiate rate fell'))).toBe(true);
    expect(html).toContain('No local indicator data was supplied, so the whole pot is judged on the national indicator.');
    // The chart: one row per area, labelled.
    expect(html).toMatch(/<svg class="chart chart-change" role="img" aria-labelledby="chart-hp-t chart-hp-d"/);
  });

  it('segments for information, age bands in order; self-contained, no identifier', () => {
    const seg = tableRows(html, 'hp-segments');
    expect(seg.length).toBeGreaterThan(0);
    const head = /<table id="hp-segments"[\s\S]*?<\/thead>/.exec(html)![0];
    const labels = [...head.matchAll(/<th scope="col" class="num">([^<]*)</g)].map((m) => m[1]);
    expect(labels.slice(0, 2)).toEqual(['Newer opiate users', 'Longer-term opiate users']);
    const ages = labels.filter((l) => l!.startsWith('Aged '));
    expect(ages).toEqual([...ages].sort((a, b) => parseInt(a!.slice(5), 10) - parseInt(b!.slice(5), 10)));
    expect(html).not.toMatch(/https?:\/\//);
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/C\d{7}/);
  });
});

describe('health-premium --report with published counts and local indicators (R-HP-2)', () => {
  it('shows the local indicator and its part of the pot beside the national one', async () => {
    const dir = tempDir('rpbr-hp-report-');
    const write = (name: string, lines: string[]) => {
      const p = join(dir, name);
      writeFileSync(p, lines.join('\n') + '\n');
      return p;
    };
    const counts = write('phof.csv', [
      'area_code,indicator,period_start,numerator,denominator',
      'E1,opiate,2013-04-01,50,1000',
      'E1,non_opiate,2013-04-01,100,250',
      'E1,opiate,2014-04-01,55,1000',
      'E1,non_opiate,2014-04-01,100,250',
      'E2,opiate,2013-04-01,40,500',
      'E2,non_opiate,2013-04-01,50,100',
      'E2,opiate,2014-04-01,30,500',
      'E2,non_opiate,2014-04-01,70,100',
    ]);
    const local = write('local.csv', [
      'area_code,indicator,period_start,value,direction',
      'E1,alcohol_admissions,2013-04-01,700,lower',
      'E1,alcohol_admissions,2014-04-01,690,lower',
      'E2,alcohol_admissions,2013-04-01,500,lower',
      'E2,alcohol_admissions,2014-04-01,480,lower',
    ]);
    const out = join(dir, 'out');
    const r = await runCli(['health-premium', '--counts', counts, '--local', local, '--baseline', '2013-04-01', '--current', '2014-04-01', '--out', out, '--report', 'hp.html'], { cwd: ROOT });
    expect(r.code).toBe(0);
    const html = readFileSync(join(out, 'hp.html'), 'utf8');
    expect(html).toContain('<th scope="colgroup" colspan="4" class="group-head">Local indicator</th>');
    const rows = tableRows(html, 'hp-areas');
    // cells: national baseline, current, needed, earns, part; local baseline, current, earns, part; total
    expect(rows.filter((x) => x.attrs.includes('data-area')).map((x) => [x.head, x.cells[3], x.cells[4], x.cells[7], x.cells[8], x.cells[9]])).toEqual([
      ['E1', 'yes', '£2,500,000.00', 'no', '£0.00', '£2,500,000.00'],
      ['E2', 'no', '£0.00', 'yes', '£2,500,000.00', '£2,500,000.00'],
    ]);
    expect(html).toContain('from published counts');
    expect(html).toContain('Each indicator earns its own part of the pot.');
    expect(html).not.toContain('id="hp-segments"');
  });

  it('--report takes a file name, not a path (usage error, nothing written)', async () => {
    const dir = tempDir('rpbr-hp-report-');
    const out = join(dir, 'out');
    const r = await runCli(['health-premium', '--data', 'examples/demo', '--baseline', '2012-04-01', '--current', '2013-04-01', '--out', out, '--report', '../x.html'], { cwd: ROOT });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--report takes a file name');
    expect(existsSync(out)).toBe(false);
  });
});
