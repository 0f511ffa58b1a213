import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, describe, expect, it } from 'vitest';
import type { CliIO } from '../../src/cli/command.js';
import { main } from '../../src/cli/main.js';
import { INPUT_FILES } from '../../src/schema/codes.js';
import { parseRow } from '../../src/schema/records.js';

const ROOT = new URL('../../', import.meta.url);
const tmp = mkdtempSync(join(tmpdir(), 'recovery-pbr-generate-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
let n = 0;
const dir = () => join(tmp, `out${n++}`);

function fakeIO(): CliIO & { out: string; err: string } {
  const io = {
    out: '',
    err: '',
    isTTY: false,
    cwd: tmp,
    stdout(s: string) {
      io.out += s;
    },
    stderr(s: string) {
      io.err += s;
    },
  };
  return io;
}

async function run(args: string[]) {
  const io = fakeIO();
  const code = await main(args, io);
  return { code, out: io.out, err: io.err };
}

const read = (d: string, f: string) => readFileSync(join(d, f));

describe('recovery-pbr generate', () => {
  it('regenerating the demo cohort with the command in examples/README.md reproduces examples/demo byte for byte', async () => {
    const readme = readFileSync(new URL('examples/README.md', ROOT), 'utf8');
    const m = /^npx recovery-pbr (generate [^\n`]*--out examples\/demo)\s*$/m.exec(readme);
    expect(m, 'examples/README.md must show the command that regenerates examples/demo').not.toBeNull();
    const args = m![1]!.trim().split(/\s+/);
    const out = dir();
    args[args.indexOf('examples/demo')] = out;
    const r = await run(args);
    expect(r.code, r.err).toBe(0);
    for (const f of INPUT_FILES) {
      const committed = readFileSync(new URL(`examples/demo/${f}.csv`, ROOT));
      expect(read(out, `${f}.csv`).equals(committed), `${f}.csv differs from examples/demo; rerun the command in examples/README.md`).toBe(true);
    }
  });

  it('same seed ⇒ same bytes; another seed ⇒ different bytes', async () => {
    const [a, b, c] = [dir(), dir(), dir()];
    expect((await run(['generate', '--clients', '60', '--seed', '9', '--out', a])).code).toBe(0);
    expect((await run(['generate', '--clients', '60', '--seed', '9', '--out', b])).code).toBe(0);
    expect((await run(['generate', '--clients', '60', '--seed', '10', '--out', c])).code).toBe(0);
    for (const f of INPUT_FILES) expect(read(a, `${f}.csv`).equals(read(b, `${f}.csv`)), f).toBe(true);
    expect(read(a, 'episodes.csv').equals(read(c, 'episodes.csv'))).toBe(false);
  });

  it('prints rows and bytes per file, matching what it wrote; relative --out is resolved against cwd', async () => {
    const r = await run(['generate', '--clients', '40', '--seed', '3', '--out', 'rel/out']);
    expect(r.code, r.err).toBe(0);
    const out = join(tmp, 'rel/out');
    expect(r.out).toMatch(/^Wrote 40 synthetic clients \(seed 3, csv\) to rel\/out\n/);
    for (const f of INPUT_FILES) {
      const text = readFileSync(join(out, `${f}.csv`), 'utf8');
      const rows = text.split('\n').length - 2; // header and the final newline
      const line = new RegExp(`^  ${f}\\.csv +${rows} rows +${statSync(join(out, `${f}.csv`)).size} bytes$`, 'm');
      expect(r.out).toMatch(line);
    }
    expect(readdirSync(out).sort()).toEqual(INPUT_FILES.map((f) => `${f}.csv`).sort());
  });

  it('--format ndjson writes the same records as CSV', async () => {
    const [c, j] = [dir(), dir()];
    const common = ['--clients', '50', '--seed', '21', '--error-rate', '0.02', '--from', '2012-01-01', '--to', '2012-12-31', '--extract', '2013-06-30'];
    expect((await run(['generate', ...common, '--out', c])).code).toBe(0);
    const r = await run(['generate', ...common, '--format', 'ndjson', '--out', j]);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/episodes\.ndjson/);
    expect(r.out).toMatch(/rows corrupted on purpose \(error rate 0\.02\)/);
    for (const f of INPUT_FILES) {
      const csvRows = parse(read(c, `${f}.csv`), { columns: true }) as Record<string, string>[];
      const jsonRows = read(j, `${f}.ndjson`).toString('utf8').trimEnd().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
      expect(jsonRows.length, f).toBe(csvRows.length);
      csvRows.forEach((row, i) => expect(parseRow(f, jsonRows[i]!), `${f} row ${i + 2}`).toEqual(parseRow(f, row)));
    }
  });

  it.each([
    [['--seed', '1', '--out', 'x'], /--clients is required/],
    [['--clients', '10', '--out', 'x'], /--seed is required/],
    [['--clients', '10', '--seed', '1'], /--out is required/],
    [['--clients', 'ten', '--seed', '1', '--out', 'x'], /--clients must be a whole number, not 'ten'/],
    [['--clients', '0', '--seed', '1', '--out', 'x'], /--clients must be at least 1/],
    [['--clients', '10', '--seed', '-1', '--out', 'x'], /--seed/], // parseArgs reads -1 as an option
    [['--clients', '10', '--seed', '1.5', '--out', 'x'], /--seed must be a whole number/],
    [['--clients', '10', '--seed', '1', '--error-rate', 'lots', '--out', 'x'], /--error-rate must be a number/],
    [['--clients', '10', '--seed', '1', '--error-rate', '0.9', '--out', 'x'], /--error-rate must be at most 0.5/],
    [['--clients', '10', '--seed', '1', '--format', 'xml', '--out', 'x'], /--format must be csv or ndjson/],
    [['--clients', '10', '--seed', '1', '--from', '2013-02-30', '--out', 'x'], /--from must be a real date/],
    [['--clients', '10', '--seed', '1', '--to', '2016-01-01', '--out', 'x'], /--extract \(2015-03-31\) is before to/],
    [['--clients', '10', '--seed', '1', '--out', 'x', '--bogus'], /bogus/],
  ])('usage error %j → exit 2 with usage', async (args, message) => {
    const r = await run(['generate', ...args]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
    expect(r.err).toMatch(/Usage: recovery-pbr generate --clients N --seed S --out DIR/);
    expect(r.out).toBe('');
  });

  it('--help shows the usage', async () => {
    const r = await run(['generate', '--help']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/--error-rate R/);
  });
});
