/**
 * Nothing lost, nothing leaked (issue #13), at the command line: output folders replaced as a
 * whole; misspelled columns stop the run; NHS numbers never leave through an output (R-VAL-3);
 * scheme paths, preset names and `extends` are own keys only; files, depths and amounts within
 * limits; what a file holds is never echoed raw to the terminal.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { writeGeneratedDataset } from '../../src/io/generate.js';
import { presetDocument } from '../../src/presets/index.js';
import { columnsOf } from '../../src/schema/records.js';
import { csvText, dataDir, episode, tempDir } from '../io/helpers.js';
import { runCli } from '../support/cli.js';

let cohort = '';
beforeAll(async () => {
  cohort = join(tempDir(), 'cohort');
  await writeGeneratedDataset({ clients: 60, seed: 7, errorRate: 0.02 }, cohort);
});

const run = (data: string, out: string, ...more: string[]) =>
  runCli(['run', '--scheme', 'national-model-2012', '--data', data, '--as-of', '2015-03-31', '--out', out, '--quiet', '--workers', '0', ...more]);

/** A copy of the cohort with one file's header changed. */
function withHeader(file: string, from: string, to: string): string {
  const dir = tempDir();
  for (const f of readdirSync(cohort)) {
    let text = readFileSync(join(cohort, f), 'utf8');
    if (f === file) {
      const nl = text.indexOf('\n');
      text = text.slice(0, nl).replace(from, to) + text.slice(nl);
    }
    writeFileSync(join(dir, f), text);
  }
  return dir;
}

function noInternalError(stderr: string): void {
  expect(stderr).not.toMatch(/internal error|This is a bug|\n\s+at /);
}

describe('the output folder is replaced as a whole (issue #13)', () => {
  it('a rerun without --report leaves no report of the earlier run beside the new outputs', async () => {
    const out = tempDir();
    expect((await run(cohort, out, '--report', 'report.html')).code).toBe(0);
    expect(readdirSync(out).sort()).toEqual(['outcomes.csv', 'payments.csv', 'rejections.csv', 'report.html', 'summary.json']);
    expect((await run(cohort, out)).code).toBe(0);
    expect(readdirSync(out).sort()).toEqual(['outcomes.csv', 'payments.csv', 'rejections.csv', 'summary.json']);
  });

  it('--strict with rejections: the folder holds rejections.csv alone, never an old summary beside it, and it says so', async () => {
    const out = tempDir();
    expect((await run(cohort, out)).code).toBe(0);
    const r = await run(cohort, out, '--strict');
    expect(r.code).toBe(1);
    expect(readdirSync(out)).toEqual(['rejections.csv']);
    expect(r.stderr).toContain('now holds rejections.csv only: the outputs of the earlier run were removed');
  });

  it('OUT/summary.json a folder: refused at once, before any row is read, and the folder is left as it was', async () => {
    const out = tempDir();
    writeFileSync(join(out, 'outcomes.csv'), 'earlier\n');
    mkdirSync(join(out, 'summary.json'));
    const r = await run(cohort, out);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/holds something recovery-pbr did not write: 'summary.json'/);
    expect(r.stderr).not.toMatch(/rejected/);
    expect(readdirSync(out).sort()).toEqual(['outcomes.csv', 'summary.json']);
    expect(readFileSync(join(out, 'outcomes.csv'), 'utf8')).toBe('earlier\n');
  });

  it('a run that fails says what became of --out: left as it was, or nothing written', async () => {
    const out = tempDir();
    expect((await run(cohort, out)).code).toBe(0);
    const before = readFileSync(join(out, 'summary.json'), 'utf8');
    const bad = withHeader('episodes.csv', 'provider_id', 'Post Code');
    const r = await run(bad, out);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/identifies people directly[\s\S]*\n.* was left as it was \(the outputs of the earlier run are untouched\)\.\n$/);
    expect(readFileSync(join(out, 'summary.json'), 'utf8')).toBe(before);
    // The run wrote outcomes.csv into a staging folder beside --out as it went: gone, and nothing said of success.
    expect(readdirSync(dirname(out)).filter((n) => n.startsWith(`.${basename(out)}.recovery-pbr-`))).toEqual([]);
    expect(r.stdout).toBe('');
    const fresh = join(tempDir(), 'new');
    const r2 = await run(bad, fresh);
    expect(r2.stderr).toMatch(/Nothing was written \(.*new was not created\)\./);
    expect(existsSync(fresh)).toBe(false);
  });

  it('the data folder itself as --out is refused (its input files are not outputs)', async () => {
    const r = await run(cohort, cohort);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/did not write: 'clients.csv', 'drug_tests.csv'/);
    expect(readdirSync(cohort)).toHaveLength(6);
  });

  it.each([['/proc/self/x'], ['/sys/out'], ['/dev/out']])('--out %s is refused at once', async (out) => {
    const t0 = Date.now();
    const r = await run(cohort, out);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/which holds no files: give a folder on a disk/);
    expect(Date.now() - t0).toBeLessThan(3000);
  });

  it('--report must be an .html name; --temp-dir must not be inside --out (usage errors)', async () => {
    const out = tempDir();
    expect((await run(cohort, out, '--report', 'summary.json')).code).toBe(2);
    const r = await run(cohort, out, '--temp-dir', join(out, 'tmp'));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--temp-dir must not be inside --out');
  });

  it('every command that writes --out replaces it the same way (compare, generate, validate)', async () => {
    const out = tempDir();
    expect((await run(cohort, out, '--report', 'r.html')).code).toBe(0);
    const c = await runCli(['compare', '--scheme', 'national-model-2012', '--set', 'tariff.outcomes.free-from-dependence.2=2000.00', '--data', cohort, '--as-of', '2015-03-31', '--out', out]);
    expect(c.code, c.stderr).toBe(0);
    expect(readdirSync(out).sort()).toEqual(['comparison.csv', 'payments_a.csv', 'payments_b.csv']);
    const v = await runCli(['validate', '--data', cohort, '--out', out, '--quiet']);
    expect(v.code).toBe(1); // the cohort has rows corrupted on purpose
    expect(readdirSync(out)).toEqual(['rejections.csv']);
    const g = await runCli(['generate', '--clients', '5', '--seed', '1', '--out', out]);
    expect(g.code, g.stderr).toBe(0);
    expect(readdirSync(out).sort()).toEqual(['clients.csv', 'drug_tests.csv', 'employment.csv', 'episodes.csv', 'offences.csv', 'reviews.csv']);
  });

  it('calibrate (with the scheme.schema.json it writes), forecast and health-premium --report replace it the same way', async () => {
    const out = tempDir();
    expect((await run(cohort, out)).code).toBe(0);
    const calibrate = ['calibrate', '--scheme', 'national-model-2012', '--data', 'examples/demo', '--as-of', '2014-03-31', '--target', '1000.02', '--provider', 'P901A', '--out', out];
    const c = await runCli(calibrate);
    expect(c.code, c.stderr).toBe(0);
    expect(readdirSync(out).sort()).toEqual(['calibration.json', 'prices.csv', 'scheme.json', 'scheme.schema.json']);
    // A rerun finds only its own outputs there (scheme.schema.json included) and replaces them.
    expect((await runCli(calibrate)).code).toBe(0);
    // An unreachable target leaves the folder as it was, and says so once.
    const u = await runCli([...calibrate.slice(0, -4), '--target', '1000.01', '--provider', 'P901A', '--factor-only', '--out', out]);
    expect(u.code).toBe(1);
    expect(u.stderr).toContain('was left as it was (the outputs of the earlier run are untouched).');
    expect(u.stderr).not.toMatch(/Nothing was written/);
    expect(readdirSync(out).sort()).toEqual(['calibration.json', 'prices.csv', 'scheme.json', 'scheme.schema.json']);
    const f = await runCli(['forecast', '--scheme', 'national-model-2012', '--data', 'examples/demo', '--as-of', '2015-03-31', '--provider', 'P901A', '--simulations', '50', '--out', out]);
    expect(f.code, f.stderr).toBe(0);
    expect(readdirSync(out).sort()).toEqual(['forecast.csv', 'forecast.json']);
    const hp = ['health-premium', '--scheme', 'health-premium-2015-16', '--data', 'examples/demo', '--baseline', '2012-04-01', '--current', '2013-04-01', '--out', out];
    const h = await runCli([...hp, '--report', 'hp.html']);
    expect(h.code, h.stderr).toBe(0);
    expect(readdirSync(out)).toContain('hp.html');
    expect(readdirSync(out)).not.toContain('forecast.csv');
    // The report must be an .html name, so that a later run knows it as its own.
    expect((await runCli([...hp, '--report', 'hp.txt'])).code).toBe(2);
  });

  it('forecast --journeys reads only a small regular file (a device never ends)', async () => {
    const t0 = Date.now();
    const r = await runCli(['forecast', '--scheme', 'national-model-2012', '--data', 'examples/demo', '--as-of', '2015-03-31', '--provider', 'P901A', '--journeys', '/dev/zero']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('--journeys /dev/zero is not a regular file');
    noInternalError(r.stderr);
    expect(Date.now() - t0).toBeLessThan(30_000);
  });
});

describe('a misspelled column stops the run; other unknown columns are named on stderr (issue #13)', () => {
  it("employment.csv 'end_dt' (every spell would be ongoing): exit 1, did you mean end_date?", async () => {
    const data = withHeader('employment.csv', 'end_date', 'end_dt');
    const out = join(tempDir(), 'out');
    const r = await run(data, out);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("employment.csv: column 'end_dt' is not a column of employment; did you mean end_date?");
    expect(existsSync(out)).toBe(false);
  });

  it("clients.csv 'date_of_deth' (every death would be ignored): exit 1, did you mean date_of_death?", async () => {
    const r = await run(withHeader('clients.csv', 'date_of_death', 'date_of_deth'), join(tempDir(), 'out'));
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('did you mean date_of_death?');
  });

  it('NDJSON keys are checked the same way', async () => {
    const data = dataDir({ episodes: [episode()], employment: { text: '{"client_id":"C1","start_date":"2023-01-01","end_dt":"2023-03-01"}\n', ext: 'ndjson' } });
    const r = await run(data, join(tempDir(), 'out'));
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("employment.ndjson line 1: key 'end_dt' (did you mean end_date?) is not a field of employment");
    const rv = await runCli(['validate', '--data', data, '--out', join(tempDir(), 'v')]);
    expect(rv.code).toBe(1);
    expect(rv.stderr).toContain('did you mean end_date?');
  });

  it('wrong letter case or spacing is the same column (End Date feeds end_date): same outputs', async () => {
    const a = tempDir();
    const b = tempDir();
    expect((await run(cohort, a)).code).toBe(0);
    expect((await run(withHeader('employment.csv', 'end_date', 'End Date'), b)).code).toBe(0);
    expect(readFileSync(join(b, 'payments.csv'), 'utf8')).toBe(readFileSync(join(a, 'payments.csv'), 'utf8'));
  });

  it('any other unknown column is named on stderr, not only in summary.json', async () => {
    const data = dataDir({ episodes: { text: csvText([...columnsOf('episodes'), 'team'], [{ ...episode(), team: 'north' }]) } });
    const r = await run(data, tempDir());
    expect(r.code).toBe(0);
    expect(r.stderr).toContain("recovery-pbr run: note: episodes.csv: column 'team' is not used and ignored (never copied to outputs).");
  });
});

describe('NHS numbers never leave through an output (R-VAL-3, issue #13)', () => {
  const forms = ['9434765919', '943 476 5919', '943-476-5919', '943.476.5919', 'NHS9434765919', '9434765919.0', '9.434765919E9', '943\u00a0476\u00a05919', '943  476  5919', '９４３４７６５９１９', 'NHS no: 943 476 5919'];

  it('every written form is rejected as a client_id, and redacted in rejections.csv, the report and on stderr', async () => {
    const rows = forms.map((id, i) => episode({ episode_id: `E${i}`, client_id: id, start_date: '2014-01-10' }));
    rows.push(episode({ episode_id: 'EX', client_id: 'C1', substances: 'opiates;NHS 943 476 5919' }));
    const data = dataDir({ episodes: rows });
    const out = tempDir();
    const r = await run(data, out, '--report', 'report.html');
    expect(r.code).toBe(0);
    const rejections = readFileSync(join(out, 'rejections.csv'), 'utf8');
    expect(rejections.split('\n').filter((l) => l.includes('client_id,[NHS number removed],looks like an NHS number'))).toHaveLength(forms.length);
    const report = readFileSync(join(out, 'report.html'), 'utf8');
    const v = await runCli(['validate', '--data', data, '--out', tempDir()]);
    expect(v.stderr).toContain("client_id '[NHS number removed]': looks like an NHS number");
    for (const text of [rejections, report, v.stderr, v.stdout, r.stderr, readFileSync(join(out, 'summary.json'), 'utf8'), readFileSync(join(out, 'outcomes.csv'), 'utf8')]) {
      expect(text.normalize('NFKC').replace(/\D/g, '')).not.toContain('9434765919');
      expect(text).not.toMatch(/943\D{0,3}476\D{0,3}5919|9\.434765919/);
    }
  });

  it("explain shows a client's rejected rows with NHS numbers hidden, as rejections.csv does", async () => {
    const data = dataDir({ episodes: [episode({ client_id: 'C1' }), episode({ episode_id: 'EX', client_id: 'C1', substances: 'opiates;NHS 943 476 5919' })] });
    const r = await runCli(['explain', '--scheme', 'national-model-2012', '--data', data, '--as-of', '2015-03-31', '--client', 'C1', '--quiet']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('[NHS number removed]');
    expect(r.stdout).not.toMatch(/943\D{0,3}476\D{0,3}5919/);
  });

  it('ids with a text-direction mark or a zero-width character are rejected (two ids could look the same)', async () => {
    const data = dataDir({ episodes: [episode({ client_id: 'C1\u202e' }), episode({ episode_id: 'E2', client_id: 'C\u200b1' }), episode({ episode_id: 'E3', provider_id: 'P\ufeff1' })] });
    const v = await runCli(['validate', '--data', data, '--out', tempDir()]);
    expect(v.code).toBe(1);
    expect(v.stdout).toMatch(/episodes +csv +3 +0 +3/);
    expect(v.stderr).toMatch(/U\+202E, a zero-width or text-direction mark/);
    expect(v.stderr).not.toMatch(/[\u202e\u200b\ufeff]/);
  });
});

describe('schemes: own keys only, limits, and refusals with a message (issue #13)', () => {
  it('compare --set __proto__.polluted=1 is refused and pollutes nothing', async () => {
    for (const path of ['__proto__.polluted', 'constructor.prototype.polluted', 'tariff.__proto__.polluted']) {
      const r = await runCli(['compare', '--scheme', 'national-model-2012', '--set', `${path}=1`, '--data', cohort, '--as-of', '2015-03-31']);
      expect(r.code, path).toBe(1);
      expect(r.stderr).toMatch(/is not a parameter of a scheme/);
      expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    }
  });

  it.each(['toString', 'constructor', '__proto__', 'valueOf'])('--scheme %s is neither a preset nor a file (no internal error)', async (name) => {
    const r = await run(cohort, tempDir(), '--scheme', name);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/is neither a preset nor an existing file/);
    noInternalError(r.stderr);
  });

  function schemeFile(doc: unknown, raw?: string): string {
    const p = join(tempDir(), 'scheme.json');
    writeFileSync(p, raw ?? JSON.stringify(doc));
    return p;
  }

  it.each([
    ['extends /dev/zero (never ends)', { extends: '/dev/zero' }, /not a regular file/],
    ['extends toString', { extends: 'toString' }, /scheme file not found/],
    ['a __proto__ key', undefined, /unknown key '__proto__'/],
    ['a price of 80 nines', { extends: 'national-model-2012', tariff: { outcomes: { 'free-from-dependence': { '1': '9'.repeat(80) } } } }, /more than 12 digits before the point/],
    ['a price with 3 decimals', { extends: 'national-model-2012', tariff: { outcomes: { 'free-from-dependence': { '1': '10.005' } } } }, /at most 2 decimal places/],
    ['a gap of 1e300 days', { extends: 'national-model-2012', calendar: { journeyGapDays: 1e300 } }, /must be at most 10000/],
  ])('a scheme file with %s: exit 1 with a message, at once', async (_what, doc, message) => {
    const raw = doc === undefined ? '{"extends":"national-model-2012","__proto__":{"polluted":1}}' : undefined;
    const t0 = Date.now();
    const r = await run(cohort, tempDir(), '--scheme', schemeFile(doc, raw));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(message);
    noInternalError(r.stderr);
    expect(Date.now() - t0).toBeLessThan(10_000);
  });

  it('at the largest price accepted (999999999999.99) the summary total still equals the sum of payments.csv, to the penny', async () => {
    const tariff = (presetDocument('national-model-2012') as { tariff: { attachment: Record<string, string>; outcomes: Record<string, Record<string, string>> } }).tariff;
    const max = '999999999999.99';
    const attachment = Object.fromEntries(Object.keys(tariff.attachment).map((b) => [b, max]));
    const outcomes = Object.fromEntries(Object.entries(tariff.outcomes).map(([o, bands]) => [o, Object.fromEntries(Object.keys(bands).map((b) => [b, max]))]));
    const out = tempDir();
    const r = await run(cohort, out, '--scheme', schemeFile({ extends: 'national-model-2012', tariff: { attachment, outcomes } }));
    expect(r.code, r.stderr).toBe(0);
    const pence = (s: string) => BigInt(s.replace('.', ''));
    const lines = readFileSync(join(out, 'payments.csv'), 'utf8').trim().split('\n').slice(1);
    const sum = lines.reduce((a, l) => a + pence(l.split(',')[7]!), 0n);
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as { payments: { total: string } };
    expect(sum).toBeGreaterThan(10n ** 15n);
    expect(pence(summary.payments.total)).toBe(sum);
  });

  it('a scheme nested 2,000 (or 100,000) levels deep is refused with a clear message', async () => {
    for (const n of [2000, 100_000]) {
      const r = await run(cohort, tempDir(), '--scheme', schemeFile(undefined, `{"a":${'['.repeat(n)}${']'.repeat(n)}}`));
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/nests more than 32 levels deep/);
      noInternalError(r.stderr);
    }
  });

  it('a scheme file larger than 1 MiB is not read', async () => {
    const doc = presetDocument('national-model-2012') as Record<string, unknown>;
    const r = await run(cohort, tempDir(), '--scheme', schemeFile(undefined, JSON.stringify({ ...doc, description: 'x'.repeat(1100 * 1024) })));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/is larger than 1 MiB/);
  });
});

describe('what a file holds is never echoed raw to the terminal (issue #13)', () => {
  it('escape sequences and 1 MB of NUL in a header are escaped and cut', async () => {
    const header = [...columnsOf('episodes').filter((c) => c !== 'start_date'), '\u001b[2J\u001b[31mevil', '\u0000'.repeat(1024 * 1024)];
    const data = dataDir({ episodes: { text: csvText(header, [episode()]) } });
    const r = await run(data, tempDir());
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/required column 'start_date' is missing/);
    expect(r.stderr).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);
    expect(r.stderr).toContain('\\u001B[2J');
    expect(r.stderr.length).toBeLessThan(5000);
  });
});
