import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CliIO } from '../../src/cli/command.js';
import { main } from '../../src/cli/main.js';
import { parseScheme } from '../../src/schema/scheme/index.js';

function fakeIO(cwd = process.cwd()): CliIO & { out: string; err: string } {
  const io = { out: '', err: '', isTTY: false, cwd, stdout: (s: string) => void (io.out += s), stderr: (s: string) => void (io.err += s) };
  return io;
}

const base = ['calibrate', '--scheme', 'national-model-2012', '--data', 'examples/demo', '--as-of', '2014-03-31'];

describe('recovery-pbr calibrate: usage errors', () => {
  it('needs a target in pounds and pence (exit 2)', async () => {
    const io = fakeIO();
    expect(await main(base, io)).toBe(2);
    expect(io.err).toMatch(/--target <amount>.* is required/);
    const io2 = fakeIO();
    expect(await main([...base, '--target', '12.345'], io2)).toBe(2);
    expect(io2.err).toMatch(/pounds and pence/);
  });

  it('checks --of, --keep and --weight (exit 2)', async () => {
    for (const extra of [['--of', 'all'], ['--keep', 'bands'], ['--keep', 'band', '--weight', 'ffd=2'], ['--weight', 'band:1=2']]) {
      const io = fakeIO();
      expect(await main([...base, '--target', '100.00', ...extra], io), extra.join(' ')).toBe(2);
    }
  });
});

describe('recovery-pbr calibrate on the demo data', () => {
  it('finds prices and writes a scheme that passes parseScheme', async () => {
    const out = mkdtempSync(join(tmpdir(), 'rpbr-cal-'));
    const io = fakeIO();
    expect(await main([...base, '--target', '50000.00', '--out', out], io), io.err).toBe(0);
    expect(io.out).toMatch(/Target: £50,000\.00 of outcome payments/);
    const result = JSON.parse(readFileSync(join(out, 'calibration.json'), 'utf8')) as { exact: boolean; best: { amount: string } };
    if (result.exact) expect(result.best.amount).toBe('50000.00');
    expect(parseScheme(JSON.parse(readFileSync(join(out, 'scheme.json'), 'utf8'))).ok).toBe(true);
    expect(readFileSync(join(out, 'prices.csv'), 'utf8').split('\n')[0]).toBe('outcome_id,tariff_band,price_before,price_found,count');
  });
});
