import { Decimal } from 'decimal.js';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { CliIO } from '../../src/cli/command.js';
import { main } from '../../src/cli/main.js';
import { PRESET_IDS } from '../../src/presets/index.js';
import { tempDir } from '../io/helpers.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
// The preset is read from its file until it is registered in src/presets/index.ts.
const SCHEME = 'seeds/health-premium-2015-16.json';
const D = Decimal.clone({ precision: 40 });

async function run(argv: string[], cwd = ROOT) {
  let stdout = '';
  let stderr = '';
  const io: CliIO = { stdout: (s) => void (stdout += s), stderr: (s) => void (stderr += s), isTTY: false, cwd };
  const code = await main(['health-premium', ...argv], io);
  return { code, stdout, stderr };
}
const demoArgs = (out: string) => ['--scheme', SCHEME, '--data', 'examples/demo', '--baseline', '2012-04-01', '--current', '2013-04-01', '--out', out];
const csvRows = (text: string) => text.trimEnd().split('\n').map((l) => l.split(','));

function writeFile(dir: string, name: string, lines: string[]): string {
  const p = join(dir, name);
  writeFileSync(p, lines.join('\n') + '\n');
  return p;
}

describe('recovery-pbr health-premium on the demo data (R-HP-1..4)', async () => {
  const out = tempDir('rpbr-hp-');
  const r = await run(demoArgs(out));

  it('exits 0 and writes its five files', () => {
    expect(r.code).toBe(0);
    expect(r.stdout).not.toBe('');
    expect(readdirSync(out).sort()).toEqual(['health_premium.csv', 'health_premium.json', 'health_premium_segments.csv', 'rejections.csv', 'summary.json']);
  });

  it('summary.json: scheme and input hashes, and the health premium amounts and provisional flags', () => {
    const s = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    expect(s.scheme).toMatchObject({ id: 'health-premium-2015-16', version: '1.0.0' });
    expect(s.scheme.hash).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(s.asOf).toBe('2014-09-30');
    expect(s.inputs.episodes).toMatchObject({ file: 'episodes.csv' });
    expect(s.inputs.episodes.hash).toMatch(/^sha256:/);
    expect(s.inputs.episodes.read).toBe(s.inputs.episodes.used + s.inputs.episodes.rejected);
    expect(s.health_premium).toMatchObject({
      national_indicator: 'combined',
      local_supplied: false,
      pot: '5000000.00',
      parts: { national: '5000000.00', local: '0.00' },
      paid: '5000000.00',
      unallocated: { national: '0.00', local: '0.00', total: '0.00' },
      provisional: false,
      provisional_areas: [],
    });
    expect(s.health_premium.paid_areas.national).toBeGreaterThan(0);
  });

  it('health_premium.csv has the SPEC §4 columns, sorted rows, and allocations summing to the pot', () => {
    const rows = csvRows(readFileSync(join(out, 'health_premium.csv'), 'utf8'));
    expect(rows[0]).toEqual(['area_code', 'indicator', 'baseline_numerator', 'baseline_denominator', 'baseline_rate', 'current_numerator', 'current_denominator', 'current_rate', 'status', 'eligible', 'allocation']);
    const body = rows.slice(1);
    const keys = body.map((x) => `${x[0]}|${x[1]}`);
    expect([...keys].sort()).toEqual(keys);
    expect(body.reduce((s, x) => s.plus(x[10]!), new D(0)).toFixed(2)).toBe('5000000.00');
    expect(body.filter((x) => x[1] === 'combined').every((x) => x[9] === 'true' || x[9] === 'false')).toBe(true);
    expect(body.filter((x) => x[1] !== 'combined').every((x) => x[9] === '' && x[10] === '0.00')).toBe(true);
  });

  it('as-of defaults to the day the current follow-up closes; the JSON gives reasons and the summary amounts', () => {
    const doc = JSON.parse(readFileSync(join(out, 'health_premium.json'), 'utf8'));
    expect(doc).toMatchObject({ as_of: '2014-09-30', source: 'episodes', pot: '5000000.00', paid: '5000000.00', unallocated: { total: '0.00' }, provisional: false });
    expect(doc.scheme).toEqual({ id: 'health-premium-2015-16', version: '1.0.0' });
    for (const row of doc.rows) expect(row.reason.length).toBeGreaterThan(10);
  });

  it('prints each area with its reason and says the whole pot was judged on the national indicator', () => {
    expect(r.stdout).toContain('National indicator: combined (from episode data)');
    expect(r.stdout).toMatch(/E\d+ {2}combined: 0\.\d{6} \(\d+\/\d+\) → 0\.\d{6} \(\d+\/\d+\) \[final\] (eligible, £[\d,]+\.\d\d|not eligible)/);
    expect(r.stdout).toContain('Note: No local indicator data was supplied, so the whole pot is judged on the national indicator.');
    expect(r.stderr).toMatch(/\d+ input rows were rejected and not counted; see rejections.csv/);
  });

  it('segments: newer and longer-term opiate users and age bands, with intervals', () => {
    const rows = csvRows(readFileSync(join(out, 'health_premium_segments.csv'), 'utf8'));
    const segments = new Set(rows.slice(1).map((x) => x[1]));
    expect(segments).toContain('newer_users');
    expect(segments).toContain('longer_term_users');
    expect([...segments].some((s) => s!.startsWith('age:'))).toBe(true);
  });

  it('the same run gives byte-identical files', async () => {
    const again = tempDir('rpbr-hp-');
    expect((await run(demoArgs(again))).code).toBe(0);
    for (const f of ['health_premium.csv', 'health_premium.json', 'health_premium_segments.csv']) {
      expect(readFileSync(join(again, f), 'utf8')).toBe(readFileSync(join(out, f), 'utf8'));
    }
  });

  it('--as-of earlier makes figures provisional; --strict refuses rejected rows, writing only rejections.csv', async () => {
    const early = tempDir('rpbr-hp-');
    expect((await run([...demoArgs(early), '--as-of', '2014-06-30'])).code).toBe(0);
    const doc = JSON.parse(readFileSync(join(early, 'health_premium.json'), 'utf8'));
    expect(doc.provisional).toBe(true);
    expect(doc.rows.some((x: { status: string }) => x.status === 'provisional')).toBe(true);
    const strict = tempDir('rpbr-hp-');
    const s = await run([...demoArgs(strict), '--strict']);
    expect(s.code).toBe(1);
    expect(s.stderr).toContain('rejected and --strict is set');
    expect(readdirSync(strict)).toEqual(['rejections.csv']);
    const summary = JSON.parse(readFileSync(join(early, 'summary.json'), 'utf8'));
    expect(summary.health_premium.provisional).toBe(true);
    expect(summary.health_premium.provisional_areas.length).toBeGreaterThan(0);
  });
});

describe('recovery-pbr health-premium with published counts (R-HP-2)', () => {
  const counts = (dir: string) =>
    writeFile(dir, 'phof.csv', [
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
  const base = (dir: string, out: string) => ['--scheme', SCHEME, '--counts', counts(dir), '--baseline', '2013-04-01', '--current', '2014-04-01', '--out', out];

  it('judges and shares the pot from counts alone; local indicators take their half', async () => {
    const dir = tempDir('rpbr-hp-');
    const local = writeFile(dir, 'local.csv', [
      'area_code,indicator,period_start,value,direction',
      'E1,alcohol_admissions,2013-04-01,700,lower',
      'E1,alcohol_admissions,2014-04-01,690,lower',
      'E2,alcohol_admissions,2013-04-01,500,lower',
      'E2,alcohol_admissions,2014-04-01,480,lower',
    ]);
    const out = join(dir, 'out');
    const r = await run([...base(dir, out), '--local', local]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(readdirSync(out).sort()).toEqual(['health_premium.csv', 'health_premium.json', 'summary.json']);
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    expect(summary.inputs.counts).toMatchObject({ file: 'phof.csv', read: 8, used: 8, rejected: 0 });
    expect(summary.inputs.local).toMatchObject({ file: 'local.csv', read: 4, used: 4 });
    expect(summary.health_premium).toMatchObject({ local_supplied: true, paid: '5000000.00', paid_areas: { national: 1, local: 1 } });
    const rows = csvRows(readFileSync(join(out, 'health_premium.csv'), 'utf8'));
    // E1: 150/1250 → 155/1250 (+3.3%), neither group falls. E2: opiate falls. Local: E1 −1.4% (no), E2 −4% (yes).
    expect(rows.filter((x) => x[1] === 'combined' || x[1] === 'alcohol_admissions').map((x) => [x[0], x[1], x[9], x[10]])).toEqual([
      ['E1', 'alcohol_admissions', 'false', '0.00'], // the local indicator under its own name, in code point order (SPEC §4 v3)
      ['E1', 'combined', 'true', '2500000.00'],
      ['E2', 'alcohol_admissions', 'true', '2500000.00'],
      ['E2', 'combined', 'false', '0.00'],
    ]);
    expect(rows.find((x) => x[0] === 'E2' && x[1] === 'alcohol_admissions')!.slice(2, 9)).toEqual(['', '', '500', '', '', '480', 'final']);
  });

  it('reads counts as NDJSON too (numbers or strings), with the same result as CSV', async () => {
    const dir = tempDir('rpbr-hp-');
    const lines = readFileSync(counts(dir), 'utf8').trim().split('\n').slice(1).map((l) => {
      const [area_code, indicator, period_start, numerator, denominator] = l.split(',');
      return JSON.stringify({ area_code, indicator, period_start, numerator: Number(numerator), denominator: String(denominator) });
    });
    const nd = writeFile(dir, 'phof.ndjson', lines);
    const a = join(dir, 'a');
    const b = join(dir, 'b');
    expect((await run(base(dir, a))).code).toBe(0);
    expect((await run(['--scheme', SCHEME, '--counts', nd, '--baseline', '2013-04-01', '--current', '2014-04-01', '--out', b])).code).toBe(0);
    expect(readFileSync(join(b, 'health_premium.csv'), 'utf8')).toBe(readFileSync(join(a, 'health_premium.csv'), 'utf8'));
  });

  it('a counts file with a bad row stops the run (exit 1) and writes nothing', async () => {
    const dir = tempDir('rpbr-hp-');
    const bad = writeFile(dir, 'bad.csv', ['area_code,indicator,period_start,numerator,denominator', 'E1,opiate,2013-04-01,60,50', 'E1,heroin,2013-04-01,1,2']);
    const out = join(dir, 'out');
    const r = await run(['--scheme', SCHEME, '--counts', bad, '--baseline', '2013-04-01', '--current', '2014-04-01', '--out', out]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('bad.csv cannot be used (2 problems)');
    expect(r.stderr).toContain('bad.csv row 2, numerator');
    expect(r.stderr).toContain("bad.csv row 3, indicator 'heroin'");
    expect(existsSync(out)).toBe(false);
  });

  it('supplied weights: required by the scheme, and every eligible area needs one', async () => {
    const dir = tempDir('rpbr-hp-');
    const preset = JSON.parse(readFileSync(join(ROOT, SCHEME), 'utf8'));
    const own = writeFile(dir, 'own.json', [JSON.stringify({ ...preset, id: 'own', healthPremium: { ...preset.healthPremium, weight: 'supplied' } })]);
    const args = ['--scheme', own, '--counts', counts(dir), '--baseline', '2013-04-01', '--current', '2014-04-01', '--out', join(dir, 'out')];
    const noWeights = await run(args);
    expect(noWeights.code).toBe(2);
    expect(noWeights.stderr).toContain('give --weights <file>');
    const none = writeFile(dir, 'w.csv', ['area_code,weight', 'E2,3']);
    const missing = await run([...args, '--weights', none]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('no weight was supplied for eligible area E1');
    const w = writeFile(dir, 'w2.csv', ['area_code,weight', 'E1,2', 'E2,3']);
    expect((await run([...args, '--weights', w])).code).toBe(0);
  });
});

describe('recovery-pbr health-premium usage (SPEC §5)', () => {
  it.each([
    [['--data', 'examples/demo', '--current', '2013-04-01', '--out', 'x'], '--baseline <YYYY-MM-DD> is required'],
    [['--data', 'examples/demo', '--baseline', '2012-04-31', '--current', '2013-04-01', '--out', 'x'], "--baseline must be a real date written YYYY-MM-DD (got '2012-04-31')"],
    [['--baseline', '2012-04-01', '--current', '2013-04-01', '--out', 'x'], 'give --data <folder> (episode data) or --counts <file>'],
    [['--data', 'd', '--counts', 'c', '--baseline', '2012-04-01', '--current', '2013-04-01', '--out', 'x'], 'give either --data or --counts, not both'],
    [['--data', 'd', '--baseline', '2013-04-01', '--current', '2013-04-01', '--out', 'x'], 'must be after --baseline'],
    [['--scheme', SCHEME, '--data', 'examples/demo', '--baseline', '2012-04-01', '--current', '2013-04-01', '--as-of', '2013-01-01', '--out', 'x'], 'is before the current period starts'],
  ])('%j → exit 2', async (argv, message) => {
    const r = await run(argv as string[]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
  });

  it('a scheme without a healthPremium section → exit 1', async () => {
    const r = await run(['--scheme', 'national-model-2012', '--data', 'examples/demo', '--baseline', '2012-04-01', '--current', '2013-04-01', '--out', tempDir('rpbr-hp-')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("scheme 'national-model-2012' has no healthPremium section");
  });

  it.runIf(PRESET_IDS.includes('health-premium-2015-16'))('--scheme by preset id (once registered) gives the same files as the seed file', async () => {
    const a = tempDir('rpbr-hp-');
    const b = tempDir('rpbr-hp-');
    expect((await run(demoArgs(a))).code).toBe(0);
    expect((await run(['--scheme', 'health-premium-2015-16', ...demoArgs(b).slice(2)])).code).toBe(0);
    expect(readFileSync(join(b, 'health_premium.csv'), 'utf8')).toBe(readFileSync(join(a, 'health_premium.csv'), 'utf8'));
  });
});

describe('recovery-pbr health-premium --quiet', () => {
  it('hides the progress bar only: the results are printed as without it', async () => {
    const outA = tempDir('rpbr-hp-q-');
    const outB = tempDir('rpbr-hp-q-');
    const io = (isTTY: boolean) => {
      const o = { stdout: '', stderr: '' };
      const cli: CliIO = { stdout: (s) => void (o.stdout += s), stderr: (s) => void (o.stderr += s), isTTY, cwd: ROOT };
      return { o, cli };
    };
    const quiet = io(true);
    expect(await main(['health-premium', ...demoArgs(outA), '--quiet'], quiet.cli)).toBe(0);
    expect(quiet.o.stderr).not.toContain('\r');
    const plain = io(false);
    expect(await main(['health-premium', ...demoArgs(outB)], plain.cli)).toBe(0);
    expect(quiet.o.stdout.replaceAll(outA, 'OUT')).toBe(plain.o.stdout.replaceAll(outB, 'OUT'));
    expect(quiet.o.stdout.length).toBeGreaterThan(100);
  });
});
