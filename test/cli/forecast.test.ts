import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CliIO } from '../../src/cli/command.js';
import { main } from '../../src/cli/main.js';

function fakeIO(cwd = process.cwd()): CliIO & { out: string; err: string } {
  const io = { out: '', err: '', isTTY: false, cwd, stdout: (s: string) => void (io.out += s), stderr: (s: string) => void (io.err += s) };
  return io;
}

const base = ['forecast', '--scheme', 'national-model-2012', '--data', 'examples/demo', '--as-of', '2014-03-31'];

describe('recovery-pbr forecast: usage errors', () => {
  it('needs a provider and projected journeys (exit 2)', async () => {
    const io = fakeIO();
    expect(await main(base, io)).toBe(2);
    expect(io.err).toMatch(/--provider <provider id> is required/);
    const io2 = fakeIO();
    expect(await main([...base, '--provider', 'P1', '--journeys', 'Q1:1=x'], io2)).toBe(2);
    expect(io2.err).toMatch(/band=count/);
    const io3 = fakeIO();
    expect(await main([...base, '--provider', 'P1', '--journeys', 'Q1:1=2', '--seed', '-4'], io3)).toBe(2);
  });

  it('reads projected journeys from a CSV file and checks each row (exit 1 on a bad row)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rpbr-fc-'));
    writeFileSync(join(dir, 'journeys.csv'), 'quarter,band,journeys\nQ1,1,20\nQ2,2,many\n');
    const io = fakeIO(dir);
    expect(await main([...base, '--data', '.', '--provider', 'P1', '--journeys', 'journeys.csv'], io)).toBe(1);
    expect(io.err).toMatch(/journeys\.csv row 3/);
  });
});

describe('recovery-pbr forecast on the demo data', () => {
  it('prints quarters with P10–P90 and writes forecast.csv; the same seed gives the same bytes', async () => {
    const runOnce = async () => {
      const out = mkdtempSync(join(tmpdir(), 'rpbr-fco-'));
      const io = fakeIO();
      const provider = readFileSync('examples/demo/episodes.csv', 'utf8').split('\n')[1]!.split(',')[2]!;
      expect(await main([...base, '--provider', provider, '--journeys', 'Q1:1=10,2=5;Q2:1=10', '--simulations', '300', '--seed', '5', '--out', out], io), io.err).toBe(0);
      expect(io.out).toMatch(/P10/);
      return readFileSync(join(out, 'forecast.csv'), 'utf8');
    };
    const a = await runOnce();
    expect(a.split('\n')[0]).toBe('provider_id,quarter,period_start,period_end,journeys,fixed,expected,mean,p10,p50,p90');
    expect(await runOnce()).toBe(a);
  });
});
