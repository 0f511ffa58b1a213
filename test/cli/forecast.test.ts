import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectedJourneysFromCsv } from '../../src/cli/commands/forecast.js';
import { isRecoveryPbrError } from '../../src/errors.js';
import { tempDir } from '../io/helpers.js';
import { runCli } from '../support/cli.js';

const base = ['forecast', '--scheme', 'national-model-2012', '--data', 'examples/demo', '--as-of', '2015-03-31'];

describe('recovery-pbr forecast: usage errors', () => {
  it('needs a provider, and projected journeys that parse (exit 2)', async () => {
    const a = await runCli(base);
    expect(a.code).toBe(2);
    expect(a.stderr).toMatch(/--provider <provider id> is required/);
    const b = await runCli([...base, '--provider', 'P1', '--journeys', 'Q1:1=x']);
    expect(b.code).toBe(2);
    expect(b.stderr).toMatch(/band=count/);
    expect((await runCli([...base, '--provider', 'P1', '--journeys', 'Q1:1=2', '--seed', '-4'])).code).toBe(2);
    const c = await runCli([...base, '--provider', 'P1', '--journeys', 'no-such-file.csv']);
    expect(c.code).toBe(2);
    expect(c.stderr).toMatch(/neither projected journeys .* nor a CSV file/);
  });

  it('reads projected journeys from a CSV file and checks each row (exit 1 on a bad row)', async () => {
    const dir = tempDir('rpbr-fc-');
    writeFileSync(join(dir, 'journeys.csv'), 'quarter,band,journeys\nQ1,1,20\nQ2,2,many\n');
    const r = await runCli([...base, '--data', '.', '--provider', 'P1', '--journeys', 'journeys.csv'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/journeys\.csv row 3: needs quarter/);
  });
});

describe('the projected journeys table (--journeys FILE)', () => {
  it('reads quarter, band and journeys in any column order, with a BOM, CRLF, quotes and blank lines', () => {
    const text = '\uFEFFband,Journeys,quarter\r\n"1",20,Q1\r\n\r\n2,5,3\r\n';
    expect(projectedJourneysFromCsv(text, 'j.csv')).toEqual([
      { quarter: 1, band: '1', count: 20 },
      { quarter: 3, band: '2', count: 5 },
    ]);
  });

  it('names a misspelled or missing column, a short row and an unclosed quote, with the row', () => {
    const problem = (text: string) => {
      try {
        projectedJourneysFromCsv(text, 'j.csv');
      } catch (e) {
        return isRecoveryPbrError(e) ? `${e.code}: ${e.message}` : String(e);
      }
      return 'no error';
    };
    expect(problem('quarter,band,jouneys\nQ1,1,2\n')).toMatch(/^options: j\.csv: .*missing: journeys; not a column of this table: jouneys \(check the spelling\)/);
    expect(problem('quarter,band,journeys\nQ1,1\n')).toBe('options: j.csv row 2: has 2 cells, the header 3');
    expect(problem('quarter,band,journeys\nQ0,1,2\n')).toMatch(/j\.csv row 2: needs quarter \(1 or Q1, from 1\)/);
    expect(problem('quarter,band,journeys\nQ1,"1,2\n')).toMatch(/j\.csv row 2: a quote \("\) is never closed/);
  });
});

describe('recovery-pbr forecast on the demo data', () => {
  it('includes the income of outcomes pending at asOf, shows quarters until the slowest lands, and prints its caveats', async () => {
    const out = tempDir('rpbr-fco-');
    const r = await runCli([...base, '--provider', 'P901A', '--journeys', 'Q1:1=20,2=10,3=5', '--simulations', '200', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    const f = JSON.parse(readFileSync(join(out, 'forecast.json'), 'utf8'));
    // P901A has about a hundred outcomes pending at 2015-03-31 (journeys in treatment or in a
    // follow-up window): they are in the forecast, by outcome and band, with their expected income.
    expect(f.pipeline.pending).toBeGreaterThan(90);
    expect(Number(f.total.pipeline)).toBeGreaterThan(10_000);
    expect(f.pipeline.rows.map((x: { outcome_id: string }) => x.outcome_id)).toContain('free-from-dependence');
    expect(Number(f.total.expected)).toBeCloseTo(Number(f.total.pipeline) + Number(f.total.new_journeys) + Number(f.total.fixed), 2);
    // The default horizon runs past the old 5 quarters, until the slowest outcome lands.
    expect(f.horizon.chosen).toBe('default');
    expect(f.quarters.length).toBeGreaterThan(5);
    expect(f.horizon.reason).toMatch(/slowest outcome lands/);
    // The model's caveats travel with the numbers, in JSON and in text.
    expect(f.caveats.length).toBeGreaterThan(3);
    expect(r.stdout).toMatch(/^Expected income £[\d,.]+ over \d+ quarters/m);
    expect(r.stdout).toMatch(/£[\d,.]+ from \d+ outcomes pending at 2015-03-31/);
    expect(r.stdout).toMatch(/Pipeline: P901A's outcomes pending at 2015-03-31/);
    expect(r.stdout).toContain(`Caveats\n- ${f.caveats[0]}`);
    const csv = readFileSync(join(out, 'forecast.csv'), 'utf8').split('\n');
    expect(csv[0]).toBe('provider_id,quarter,period_start,period_end,journeys,fixed,pipeline,expected,mean,p10,p50,p90');
    expect(csv.at(-2)).toMatch(new RegExp(`^P901A,total,2015-04-01,.*,35,0\\.00,${f.total.pipeline.replace('.', '\\.')},${f.total.expected.replace('.', '\\.')},`));
  });

  it('forecasts the pipeline alone without --journeys; the same seed gives the same bytes', async () => {
    const runOnce = async () => {
      const out = tempDir('rpbr-fco-');
      const r = await runCli([...base, '--provider', 'P901A', '--simulations', '100', '--seed', '5', '--quarters', '6', '--out', out]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toMatch(/no new journeys projected/);
      expect(existsSync(join(out, 'forecast.json'))).toBe(true);
      return readFileSync(join(out, 'forecast.csv'), 'utf8');
    };
    const a = await runOnce();
    expect(a.split('\n')).toHaveLength(6 + 3);
    expect(await runOnce()).toBe(a);
  });
});
