import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { money } from '../../src/money/amount.js';
import { loadScheme, provenanceAt, schemeJsonSchema } from '../../src/schema/scheme/index.js';
import { tempDir } from '../io/helpers.js';
import { runCli } from '../support/cli.js';

const base = ['calibrate', '--scheme', 'national-model-2012', '--data', 'examples/demo', '--as-of', '2014-03-31'];

describe('recovery-pbr calibrate: usage errors', () => {
  it('needs a target in pounds and pence (exit 2)', async () => {
    const a = await runCli(base);
    expect(a.code).toBe(2);
    expect(a.stderr).toMatch(/--target <amount>.* is required/);
    const b = await runCli([...base, '--target', '12.345']);
    expect(b.code).toBe(2);
    expect(b.stderr).toMatch(/pounds and pence/);
  });

  it('checks --of, --keep and --weight (exit 2)', async () => {
    for (const extra of [['--of', 'all'], ['--keep', 'bands'], ['--keep', 'band', '--weight', 'ffd=2'], ['--weight', 'band:1=2'], ['--keep', 'band', '--weight', 'band:1=2']]) {
      expect((await runCli([...base, '--target', '100.00', ...extra])).code, extra.join(' ')).toBe(2);
    }
  });
});

describe('recovery-pbr calibrate on the demo data', () => {
  it('writes an honest scheme: new id and version, calibrated provenance, and the JSON Schema its $schema points to', async () => {
    const out = tempDir('rpbr-cal-');
    const r = await runCli([...base, '--target', '50000.00', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/Target: £50,000\.00 of outcome payments/);
    expect(r.stdout).toMatch(/Calibrated scheme: national-model-2012-calibrated 1\.0\.0\+calibrated\.20140331\.[0-9a-f]{8}\n/);
    const result = JSON.parse(readFileSync(join(out, 'calibration.json'), 'utf8'));
    expect(result.exact).toBe(true);
    expect(result.best.amount).toBe('50000.00');
    expect(result.data).toMatch(/^sha256:[0-9a-f]{64}$/);
    const doc = JSON.parse(readFileSync(join(out, 'scheme.json'), 'utf8'));
    // $schema points to a file written next to it, and the document follows that schema.
    expect(doc.$schema).toBe('./scheme.schema.json');
    // (test/schema/scheme.test.ts checks that a calibrated document follows that schema.)
    expect(JSON.parse(readFileSync(join(out, 'scheme.schema.json'), 'utf8'))).toEqual(JSON.parse(JSON.stringify(schemeJsonSchema())));
    // It loads, with a new id and version, and every changed price says where it came from.
    const s = loadScheme(doc);
    expect(s.id).toBe('national-model-2012-calibrated');
    expect(s.version).toBe(result.scheme.version);
    expect(s.title).toMatch(/— calibrated to £50,000\.00 of outcome payments as of 2014-03-31$/);
    const p = provenanceAt(s.provenance, 'tariff.outcomes.free-from-dependence.3')!.provenance;
    expect(p.kind).toBe('calibrated');
    expect(p.calibration).toMatchObject({ scheme: 'national-model-2012 1.0.0', from: '2400.00', target: '50000.00', amount: '50000.00', of: 'outcome', keep: 'all', asOf: '2014-03-31', data: result.data });
    expect(s.tariff!.outcomes['free-from-dependence']!['3']).toBe(result.best.prices['free-from-dependence']['3']);
    expect(readFileSync(join(out, 'prices.csv'), 'utf8').split('\n')[0]).toBe('outcome_id,tariff_band,price_before,price_found,count');
  });

  it('--keep band keeps the ratios between outcomes within a band', async () => {
    const r = await runCli([...base, '--target', '40000.00', '--keep', 'band', '--weight', 'outcome:quality-of-life=2', '--out', tempDir('rpbr-cal-')]);
    expect(r.code, r.stderr).toBe(0);
    const row = (o: string, b: string) => money(new RegExp(`^${o}\\s+${b}\\s+£[\\d,.]+\\s+£([\\d,.]+)`, 'm').exec(r.stdout)![1]!.replaceAll(',', ''));
    // In the preset, free from dependence is twice abstinent-confirmed in every band, and six times
    // quality-of-life; quality-of-life weighted 2 becomes a third of free from dependence.
    for (const b of ['1', '2', '3']) {
      expect(row('free-from-dependence', b).dividedBy(row('abstinent-confirmed', b)).minus(2).abs().lessThan('0.01')).toBe(true);
      expect(row('free-from-dependence', b).dividedBy(row('quality-of-life', b)).minus(3).abs().lessThan('0.01')).toBe(true);
    }
  });

  it('exits 1 on a target no prices can meet, saying the nearest totals, and writes nothing', async () => {
    const out = join(tempDir('rpbr-cal-'), 'out');
    const r = await runCli([...base, '--target', '1000.01', '--provider', 'P901A', '--factor-only', '--out', out]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/cannot meet £1,000\.01 of outcome payments to P901A to the penny/);
    expect(r.stderr).toMatch(/nearest below: £[\d,.]+ \(factor [\d.]+; --target [\d.]+\)/);
    expect(r.stderr).toMatch(/nearest above: £[\d,.]+ \(factor [\d.]+; --target [\d.]+\)/);
    expect(r.stdout).toBe('');
    expect(existsSync(out)).toBe(false);
  });

  it('exits 1 on a provider with no journeys in the data, naming those it has', async () => {
    const r = await runCli([...base, '--target', '1000.00', '--provider', 'P999X']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/provider 'P999X' has no journeys in the data as of 2014-03-31.*providers in the data: P901A/);
  });
});
