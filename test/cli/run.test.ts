import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import type { CliIO } from '../../src/cli/command.js';
import { tempDir } from '../io/helpers.js';
import { readDataset } from '../../src/node/run-folder.js';
import { presetScheme } from '../../src/presets/index.js';
import { outcomeBreakdownCounter, rejectionTally, reportFromRun } from '../../src/report/index.js';
import { runScheme } from '../../src/run/index.js';

function fakeIO(cwd = process.cwd()) {
  const out = { stdout: '', stderr: '' };
  const io: CliIO = { stdout: (s) => void (out.stdout += s), stderr: (s) => void (out.stderr += s), isTTY: false, cwd };
  return { io, out };
}
const demo = 'examples/demo';

describe('recovery-pbr run (SPEC §5)', () => {
  it('writes outcomes.csv, rejections.csv and summary.json; rejections are counted on stderr', async () => {
    const dir = tempDir('run-');
    const { io, out } = fakeIO();
    const code = await main(['run', '--scheme', 'national-model-2012', '--data', demo, '--as-of', '2015-03-31', '--out', dir], io);
    expect(code).toBe(0);
    const csv = readFileSync(join(dir, 'outcomes.csv'), 'utf8').split('\n');
    expect(csv[0]).toBe('client_id,journey_id,provider_id,area_code,substance_group,tariff_band,outcome_id,status,achieved_on,due_on,reason');
    const summary = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'));
    expect(summary.scheme.id).toBe('national-model-2012');
    expect(summary.scheme.hash).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(summary.inputs.episodes.hash).toMatch(/^sha256:/);
    expect(summary.inputs.episodes.read).toBe(summary.inputs.episodes.used + summary.inputs.episodes.rejected);
    expect(csv.length - 2).toBe(summary.outcomes.journeys * 5);
    expect(out.stderr).toMatch(/\d+ input rows were rejected/);
    expect(out.stdout).toContain('free-from-dependence');
  });

  it('is byte-identical when run twice', async () => {
    const a = tempDir('run-a-');
    const b = tempDir('run-b-');
    for (const d of [a, b]) await main(['run', '--scheme', 'national-model-2012', '--data', demo, '--as-of', '2015-03-31', '--out', d, '--quiet'], fakeIO().io);
    for (const f of ['outcomes.csv', 'rejections.csv', 'summary.json']) expect(readFileSync(join(a, f), 'utf8')).toBe(readFileSync(join(b, f), 'utf8'));
  });

  it('--strict: any rejection exits 1 and only rejections.csv is written', async () => {
    const dir = tempDir('run-strict-');
    const { io, out } = fakeIO();
    expect(await main(['run', '--scheme', 'national-model-2012', '--data', demo, '--as-of', '2015-03-31', '--out', dir, '--strict'], io)).toBe(1);
    expect(existsSync(join(dir, 'rejections.csv'))).toBe(true);
    expect(existsSync(join(dir, 'outcomes.csv'))).toBe(false);
    expect(out.stderr).toContain('--strict');
  });

  it('an unusable scheme exits 1 with every problem and no output files', async () => {
    const dir = tempDir('run-bad-');
    const scheme = join(dir, 'bad.json');
    writeFileSync(scheme, JSON.stringify({ id: 'x', version: '1', title: 't', outcomes: [{ id: 'a', title: 'A', primitives: [{ type: 'abstinence', at: 'review_after_months' }] }] }));
    const outDir = join(dir, 'out');
    const { io, out } = fakeIO();
    expect(await main(['run', '--scheme', scheme, '--data', demo, '--as-of', '2015-03-31', '--out', outDir], io)).toBe(1);
    expect(out.stderr).toContain('outcomes[0].primitives[0].months: is required when at is review_after_months');
    expect(existsSync(join(outDir, 'outcomes.csv'))).toBe(false);
  });

  it('usage errors exit 2', async () => {
    const { io, out } = fakeIO();
    expect(await main(['run', '--scheme', 'national-model-2012', '--data', demo, '--out', '/tmp/x'], io)).toBe(2);
    expect(out.stderr).toContain('--as-of <YYYY-MM-DD> is required');
    expect(await main(['run', '--nope'], fakeIO().io)).toBe(2);
  });

  it('a missing data folder exits 1 with a clear message', async () => {
    const { io, out } = fakeIO();
    expect(await main(['run', '--scheme', 'national-model-2012', '--data', '/nonexistent/x', '--as-of', '2015-03-31', '--out', '/tmp/y'], io)).toBe(1);
    expect(out.stderr).not.toMatch(/at .*\.ts:\d+/); // no stack trace
  });
});

/** A data folder with the demo's episodes and a reviews.ndjson whose 3rd line names a direct identifier (R-VAL-3). */
function identifierMidFile(): string {
  const dir = tempDir('run-id-');
  writeFileSync(join(dir, 'episodes.csv'), readFileSync(join(demo, 'episodes.csv')));
  writeFileSync(
    join(dir, 'reviews.ndjson'),
    [
      { client_id: 'C0000001', episode_id: 'E0000001-01', date: '2011-06-09', stage: 'start' },
      { client_id: 'C0000001', episode_id: 'E0000001-01', date: '2011-07-12', stage: 'exit' },
      { client_id: 'C0000002', episode_id: 'E0000002-01', date: '2012-01-01', stage: 'start', email: 'x@example.org' },
    ]
      .map((o) => JSON.stringify(o))
      .join('\n') + '\n',
  );
  return dir;
}

describe('recovery-pbr run at national scale (issue #6)', () => {
  it('a run that fails while reading (identifier key in an NDJSON line, in a worker thread) writes no output and leaves no temporary file', async () => {
    for (const workers of ['0', '2']) {
      const data = identifierMidFile();
      const outDir = join(data, 'out');
      const temp = tempDir('run-tmp-');
      const { io, out } = fakeIO();
      const args = ['run', '--scheme', 'national-model-2012', '--data', data, '--as-of', '2015-03-31', '--out', outDir, '--workers', workers, '--temp-dir', temp];
      expect(await main(args, io)).toBe(1);
      expect(out.stderr).toContain("reviews.ndjson line 3: key 'email' (an email address) identifies people directly");
      expect(existsSync(outDir)).toBe(false);
      expect(readdirSync(temp)).toEqual([]);
    }
  }, 30_000);

  it('missing episodes: exit 1, no output files', async () => {
    const data = tempDir('run-noep-');
    writeFileSync(join(data, 'reviews.csv'), 'client_id,episode_id,date,stage\n');
    const outDir = join(data, 'out');
    const { io, out } = fakeIO();
    expect(await main(['run', '--scheme', 'national-model-2012', '--data', data, '--as-of', '2015-03-31', '--out', outDir], io)).toBe(1);
    expect(out.stderr).toContain('episodes file is required');
    expect(existsSync(outDir)).toBe(false);
  });

  it('a folder of parts: rejections name the part, summary.json lists every part with its hash', async () => {
    const data = tempDir('run-parts-');
    const [header, ...rows] = readFileSync(join(demo, 'episodes.csv'), 'utf8').trimEnd().split('\n');
    mkdirSync(join(data, 'episodes'));
    writeFileSync(join(data, 'episodes', '2011.csv'), [header, ...rows.slice(0, 1000)].join('\n') + '\n');
    writeFileSync(join(data, 'episodes', '2012.csv'), [header, ...rows.slice(1000), 'E-bad,C1,P1,A1,opiates,2013-02-30,,,,,,'].join('\n') + '\n');
    const outDir = join(data, 'out');
    expect(await main(['run', '--scheme', 'national-model-2012', '--data', data, '--as-of', '2015-03-31', '--out', outDir, '--quiet'], fakeIO().io)).toBe(0);
    const rejections = readFileSync(join(outDir, 'rejections.csv'), 'utf8');
    expect(rejections).toContain(`episodes/2012.csv,${rows.length - 1000 + 2},start_date,2013-02-30,`);
    const summary = JSON.parse(readFileSync(join(outDir, 'summary.json'), 'utf8'));
    expect(summary.inputs.episodes.file).toBe('episodes/');
    expect(summary.inputs.episodes.parts.map((p: { file: string }) => p.file)).toEqual(['episodes/2011.csv', 'episodes/2012.csv']);
    expect(summary.inputs.episodes.read).toBe(rows.length + 1);
  });

  it('progress: one updating line on a terminal (rows read, then journeys decided), nothing with --quiet or without a terminal', async () => {
    const args = ['run', '--scheme', 'national-model-2012', '--data', demo, '--as-of', '2015-03-31'];
    const tty = fakeIO();
    tty.io.isTTY = true;
    expect(await main([...args, '--out', tempDir('run-p-')], tty.io)).toBe(0);
    expect(tty.out.stderr).toMatch(/\r\x1b\[2Kreading \[[#.]+\] \d+% · [\d,]+ rows/);
    expect(tty.out.stderr).toMatch(/\r\x1b\[2Kdeciding \[[#.]+\] [\d,]+ journeys of [\d,]+ clients/);
    const quiet = fakeIO();
    quiet.io.isTTY = true;
    await main([...args, '--out', tempDir('run-p-'), '--quiet'], quiet.io);
    expect(quiet.out.stderr).not.toContain('\r');
    const pipe = fakeIO();
    await main([...args, '--out', tempDir('run-p-')], pipe.io);
    expect(pipe.out.stderr).not.toContain('\r');
  });
});

describe('recovery-pbr run --report (the HTML report from the national-scale run)', () => {
  it('writes the same report.html as the in-memory pipeline (reportFromRun on runScheme)', async () => {
    const dir = tempDir('run-report-');
    expect(await main(['run', '--scheme', 'national-model-2012', '--data', demo, '--as-of', '2015-03-31', '--out', dir, '--report', 'report.html', '--quiet'], fakeIO().io)).toBe(0);
    const html = readFileSync(join(dir, 'report.html'), 'utf8');
    // The reference: the in-memory run, counted decision by decision and rejection by rejection.
    const scheme = presetScheme('national-model-2012');
    const read = await readDataset(demo, { exitReasonMap: scheme.exitReasons, reviewToleranceDays: scheme.calendar.reviewToleranceDays });
    const run = runScheme(read, scheme, { asOf: '2015-03-31' });
    const counter = outcomeBreakdownCounter();
    for (const d of run.decisions) counter.add(d);
    const tally = rejectionTally();
    for (const r of read.rejections) tally.add(r);
    const summary = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'));
    expect(html).toBe(reportFromRun({ summary, scheme, outcomes: counter.result(), payments: run.payments, rejections: tally.result() }));
  });

  it('--report takes a plain file name', async () => {
    const { io, out } = fakeIO();
    expect(await main(['run', '--scheme', 'national-model-2012', '--data', demo, '--as-of', '2015-03-31', '--out', '/tmp/x', '--report', 'a/b.html'], io)).toBe(2);
    expect(out.stderr).toContain('--report takes a file name');
  });
});

describe('recovery-pbr run leads with the answer (issue #12)', () => {
  it('prints the total paid first (as summary.json has it, in £), what was not paid, then the tables', async () => {
    const dir = tempDir('run-lead-');
    const { io, out } = fakeIO();
    expect(await main(['run', '--scheme', 'national-model-2012', '--data', demo, '--as-of', '2015-03-31', '--out', dir], io)).toBe(0);
    const summary = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'));
    const lines = out.stdout.split('\n');
    expect(summary.payments.total).toBe('2407700.00');
    expect(lines[0]).toBe('Total paid: £2,407,700.00 (attachment £367,200.00, outcome £2,040,500.00) to 22 providers.');
    expect(lines[1]).toBe('Not paid:');
    expect(lines[2]).toMatch(/^  before the contract start \(2012-04-01\) \(R-PAY-8\) +786 items +£247,700\.00$/);
    expect(lines[3]).toMatch(/^  cut by provider caps \(R-PAY-4\) +0 items +£0\.00$/);
    expect(lines[4]).toMatch(/^  journeys with no tariff band \(R-PAY-2\) +182 items +no price \(95 journeys\)$/);
    // Then the counts and the tables, money as £ with thousands separated.
    const order = ['Total paid:', 'Scheme national-model-2012 1.0.0, as of 2015-03-31', 'outcome  ', 'Payments by provider and period:', 'Wrote '].map((t) => out.stdout.indexOf(t));
    expect(order.every((n, i) => n >= 0 && (i === 0 || n > order[i - 1]!))).toBe(true);
    expect(out.stdout).toMatch(/P901A +2012-04-01 +£3,375\.00 +£9,300\.00 +£12,675\.00 +£0\.00/);
    // The CSV files keep plain decimals.
    expect(readFileSync(join(dir, 'payments.csv'), 'utf8')).not.toContain('£');
  });

  it('--quiet hides the progress bar only: the totals and tables are printed as without it', async () => {
    const args = ['run', '--scheme', 'national-model-2012', '--data', demo, '--as-of', '2015-03-31'];
    const quiet = fakeIO();
    quiet.io.isTTY = true;
    const dirA = tempDir('run-q-');
    expect(await main([...args, '--out', dirA, '--quiet'], quiet.io)).toBe(0);
    expect(quiet.out.stderr).not.toContain('\r');
    const plain = fakeIO();
    const dirB = tempDir('run-q-');
    await main([...args, '--out', dirB], plain.io);
    expect(quiet.out.stdout.replaceAll(dirA, 'OUT')).toBe(plain.out.stdout.replaceAll(dirB, 'OUT'));
    expect(quiet.out.stdout).toContain('Payments by provider and period:');
  });

  it('warns on stderr about tariff bands in the data that the tariff does not price (those journeys are not paid)', async () => {
    const data = tempDir('run-band-');
    const [header, ...rows] = readFileSync(join(demo, 'episodes.csv'), 'utf8').trimEnd().split('\n');
    const band = header!.split(',').indexOf('tariff_band');
    // Two clients' episodes get band 4, one gets band X.
    const changed = rows.map((r, i) => {
      const cells = r.split(',');
      if (i < 2 || i === 5) cells[band] = i === 5 ? 'X' : '4';
      return cells.join(',');
    });
    writeFileSync(join(data, 'episodes.csv'), [header, ...changed].join('\n') + '\n');
    const { io, out } = fakeIO();
    expect(await main(['run', '--scheme', 'national-model-2012', '--data', data, '--as-of', '2015-03-31', '--out', join(data, 'out')], io)).toBe(0);
    expect(out.stderr).toMatch(/^warning: tariff bands '4' \(\d+ journeys?\), 'X' \(1 journey\) are in the data but not in the tariff of scheme national-model-2012 \(bands 1, 2, 3\): \d+ journeys are not paid \(R-PAY-2\)\./m);
    expect(out.stdout).toMatch(/bands not in the tariff \(4, X\) +\d+ items +no price/);
    const clean = fakeIO();
    await main(['run', '--scheme', 'national-model-2012', '--data', demo, '--as-of', '2015-03-31', '--out', tempDir('run-band-')], clean.io);
    expect(clean.out.stderr).not.toContain('warning: tariff band');
  });
});
