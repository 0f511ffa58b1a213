import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import type { CliIO } from '../../src/cli/command.js';
import { tempDir } from '../io/helpers.js';

/** A fake terminal that records what a command prints. */
function fakeIO(cwd = process.cwd()): CliIO & { out: string; err: string } {
  const io = { out: '', err: '', isTTY: false, cwd, stdout: (s: string) => void (io.out += s), stderr: (s: string) => void (io.err += s) };
  return io;
}


describe('recovery-pbr compare: usage and scheme errors', () => {
  it('needs a second scheme or an override (exit 2)', async () => {
    const io = fakeIO();
    expect(await main(['compare', '--scheme', 'national-model-2012', '--data', 'x', '--as-of', '2014-03-31'], io)).toBe(2);
    expect(io.err).toMatch(/--set path=value/);
  });

  it('refuses a bad date and a malformed --set (exit 2)', async () => {
    const io = fakeIO();
    expect(await main(['compare', '--scheme', 'national-model-2012', '--set', 'a=1', '--data', 'x', '--as-of', '2014-02-30'], io)).toBe(2);
    expect(io.err).toMatch(/--as-of must be a real date/);
    const io2 = fakeIO();
    expect(await main(['compare', '--scheme', 'national-model-2012', '--set', 'novalue', '--data', 'x', '--as-of', '2014-03-31'], io2)).toBe(2);
  });

  it('an override that breaks the scheme is refused with its path, before any data is read (exit 1)', async () => {
    const io = fakeIO();
    const code = await main(['compare', '--scheme', 'national-model-2012', '--set', 'tariff.outcomes.free-from-dependence.2=-1', '--data', 'nowhere', '--as-of', '2014-03-31'], io);
    expect(code).toBe(1);
    expect(io.err).toMatch(/tariff\.outcomes\.free-from-dependence\.2/);
  });

  it('an unknown scheme file is an input error (exit 1)', async () => {
    const io = fakeIO();
    expect(await main(['compare', '--scheme', 'no-such.json', '--scheme', 'national-model-2012', '--data', 'x', '--as-of', '2014-03-31'], io)).toBe(1);
    expect(io.err).toMatch(/neither a preset/);
  });

  it('a scheme file may extend a preset', async () => {
    const dir = tempDir('rpbr-');
    writeFileSync(join(dir, 'mine.json'), JSON.stringify({ extends: 'national-model-2012', id: 'mine', tariff: { outcomes: { 'free-from-dependence': { '1': '-3' } } } }));
    const io = fakeIO(dir);
    expect(await main(['compare', '--scheme', 'national-model-2012', '--scheme', 'mine.json', '--data', 'x', '--as-of', '2014-03-31'], io)).toBe(1);
    expect(io.err).toMatch(/scheme file mine\.json[^]*tariff\.outcomes\.free-from-dependence\.1/);
  });
});

describe('recovery-pbr compare on the demo data', () => {
  it('prints the difference and writes comparison.csv', async () => {
    const out = tempDir('rpbr-out-');
    const io = fakeIO();
    const code = await main(
      ['compare', '--scheme', 'national-model-2012', '--set', 'tariff.outcomes.free-from-dependence.2=2000.00', '--data', 'examples/demo', '--as-of', '2014-03-31', '--out', out],
      io,
    );
    expect(code, io.err).toBe(0);
    expect(io.out).toMatch(/B − A/);
    const csv = readFileSync(join(out, 'comparison.csv'), 'utf8');
    expect(csv.split('\n')[0]).toBe('provider_id,payment_type,outcome_id,tariff_band,count_a,amount_a,capped_amount_a,count_b,amount_b,capped_amount_b,difference');
    // Only free-from-dependence band 2 changes: every other line has a zero difference.
    for (const line of csv.trim().split('\n').slice(1)) {
      const cells = line.split(',');
      if (cells[1] !== 'total' && !(cells[2] === 'free-from-dependence' && cells[3] === '2')) expect(cells.at(-1)).toBe('0.00');
    }
    expect(existsSync(join(out, 'payments_a.csv'))).toBe(true);
  });
});

describe('recovery-pbr compare leads with the totals and shows what changed (issue #12)', () => {
  const args = ['compare', '--scheme', 'national-model-2012', '--set', 'tariff.outcomes.free-from-dependence.2=2000.00', '--data', 'examples/demo', '--as-of', '2014-03-31'];
  /** The printed table's body rows (after the dashes). */
  const bodyOf = (out: string) => out.slice(out.indexOf('--------')).split('\n').slice(1).filter((l) => l.trim() !== '');

  it('by default: the totals first, then only the lines that changed, with their providers\' totals', async () => {
    const io = fakeIO();
    expect(await main(args, io)).toBe(0);
    const lines = io.out.split('\n');
    expect(lines.slice(0, 3)).toEqual(['A: national-model-2012', 'B: national-model-2012 with tariff.outcomes.free-from-dependence.2=2000.00', 'as of 2014-03-31']);
    expect(lines[4]).toMatch(/^Total paid: A £[\d,]+\.\d\d, B £[\d,]+\.\d\d, B − A \+£[\d,]+\.\d\d\.$/);
    expect(lines[5]).toMatch(/^Changed: (\d+) of ([\d,]+) lines \(provider, payment type, outcome, band\), at \d+ providers; --all shows every line\.$/);
    const [, changed] = /^Changed: (\d+)/.exec(lines[5]!)!;
    const body = bodyOf(io.out);
    const detail = body.filter((l) => !/^\S+\s+total/.test(l));
    // Only free-from-dependence band 2 changed.
    expect(detail).toHaveLength(Number(changed));
    for (const l of detail) expect(l).toMatch(/^P\d{3}[A-D]\s+outcome\s+free-from-dependence\s+2\s/);
    expect(body.at(-1)).toMatch(/^all\s+total/);
  });

  it('--all prints every line, the unchanged ones too', async () => {
    const io = fakeIO();
    expect(await main([...args, '--all'], io)).toBe(0);
    const [, , total] = /^Changed: (\d+) of ([\d,]+) lines/m.exec(io.out)!;
    const detail = bodyOf(io.out).filter((l) => !/^\S+\s+total/.test(l));
    expect(detail).toHaveLength(Number(total!.replace(',', '')));
    expect(detail.some((l) => /\sattachment\s/.test(l))).toBe(true);
  });

  it('--quiet hides the progress bar only', async () => {
    const q = fakeIO();
    q.isTTY = true;
    expect(await main([...args, '--quiet'], q)).toBe(0);
    expect(q.err).not.toContain('\r');
    const loud = fakeIO();
    loud.isTTY = true;
    expect(await main(args, loud)).toBe(0);
    expect(loud.err).toContain('\r');
    expect(q.out).toBe(loud.out);
  });
});
