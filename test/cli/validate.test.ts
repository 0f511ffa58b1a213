import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { CliIO } from '../../src/cli/command.js';
import { main } from '../../src/cli/main.js';
import { closedEpisode, dataDir, episode, review, tempDir } from '../io/helpers.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/io/', import.meta.url));

/** The cells of the printed table row that starts with `first` (columns are 2+ spaces apart). */
function tableRow(stdout: string, first: string): string[] | undefined {
  const line = stdout.split('\n').find((l) => l.split(/\s{2,}/)[0] === first);
  return line?.split(/\s{2,}/);
}

/** Runs the CLI in-process with a fake terminal. */
async function run(argv: string[], cwd = FIXTURES, isTTY = false) {
  let stdout = '';
  let stderr = '';
  const io: CliIO = { stdout: (s) => void (stdout += s), stderr: (s) => void (stderr += s), isTTY, cwd };
  const code = await main(argv, io);
  return { code, stdout, stderr };
}

describe('recovery-pbr validate (SPEC §5)', () => {
  it('a clean folder: exit 0, counts per file, a header-only rejections.csv, a journey summary', async () => {
    const out = join(tempDir(), 'new-out');
    const r = await run(['validate', '--data', 'good', '--out', out]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(tableRow(r.stdout, 'file')).toEqual(['file', 'format', 'read', 'used', 'rejected']);
    expect(tableRow(r.stdout, 'episodes')).toEqual(['episodes', 'csv', '5', '5', '0']);
    expect(tableRow(r.stdout, 'drug_tests')).toEqual(['drug_tests', 'ndjson', '3', '3', '0']);
    expect(tableRow(r.stdout, 'total')).toEqual(['total', '19', '19', '0']);
    expect(r.stdout).toContain('Journeys as of 2023-12-31');
    expect(r.stdout).toContain('4 clients, 4 journeys (1 open, 3 closed)');
    expect(tableRow(r.stdout, 'substance group')).toEqual(['substance group', 'journeys', 'open', 'closed', 'successful', 'transfer', 'unplanned', 'died']);
    expect(tableRow(r.stdout, 'opiate')).toEqual(['opiate', '1', '1', '0', '0', '0', '0', '0']);
    expect(tableRow(r.stdout, 'non_opiate_and_alcohol')).toEqual(['non_opiate_and_alcohol', '2', '0', '2', '0', '1', '1', '0']);
    expect(readFileSync(join(out, 'rejections.csv'), 'utf8')).toBe('file,row,field,value,reason,code\n');
  });

  it('rows rejected: exit 1, the count on stderr, every rejection in rejections.csv (SPEC §4 columns)', async () => {
    const out = tempDir();
    const r = await run(['validate', '--data', 'mixed', '--out', out]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^recovery-pbr validate: 24 rows were rejected; see .*rejections.csv\n/m);
    expect(r.stderr).toContain("  episodes row 3, start_date '2023-02-30': is not a real calendar date");
    const csv = readFileSync(join(out, 'rejections.csv'), 'utf8').split('\n');
    // SPEC §4's five columns first, in their places; then the rejection code.
    expect(csv[0]).toBe('file,row,field,value,reason,code');
    expect(csv).toHaveLength(1 + 24 + 1);
    expect(csv).toContain('reviews.csv,10,episode_id,E2,its episode was rejected (episodes row 3); fix that row first,episode_rejected');
    // R-VAL-3: the NHS number is rejected and never written out, even as a rejected value.
    expect(csv).toContain('episodes.csv,11,client_id,[NHS number removed],looks like an NHS number (valid check digit); use a pseudonymous id instead — NHS numbers must not be in the data (R-VAL-3),nhs_number');
    expect(csv.join('\n')).not.toMatch(/943.?476.?5919/);
    expect(tableRow(r.stdout, 'episodes')).toEqual(['episodes', 'csv', '15', '2', '13']);
    expect(tableRow(r.stdout, 'drug_tests')).toEqual(['drug_tests', 'not supplied']);
    // Unknown columns are named on stderr, not only in summary.json (issue #13).
    expect(r.stderr).toContain("recovery-pbr validate: note: episodes.csv: column 'notes' is not used and ignored");
  });

  it('--scheme: a scheme file adding an exit code accepts rows that use it', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'local.json'), JSON.stringify({ extends: 'national-model-2012', id: 'local', exitReasons: { pbr_drug_free: 'completed_drug_free' } }));
    const out = tempDir();
    const r = await run(['validate', '--data', join(FIXTURES, 'mixed'), '--out', out, '--scheme', 'local.json'], dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('Scheme: local');
    expect(tableRow(r.stdout, 'episodes')).toEqual(['episodes', 'csv', '15', '3', '12']);
    expect(readFileSync(join(out, 'rejections.csv'), 'utf8')).not.toContain('pbr_drug_free');
  });

  it('--as-of: journeys open or closed at that date; later episodes are not counted', async () => {
    const r = await run(['validate', '--data', 'good', '--out', tempDir(), '--as-of', '2023-03-15']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Journeys as of 2023-03-15');
    expect(r.stdout).toContain('3 clients, 3 journeys (3 open, 0 closed)');
    expect(r.stdout).toContain('(2 episodes start after 2023-03-15 and are not counted.)');
  });

  it('a direct identifier in a header: exit 1 with the columns to remove, and no output file', async () => {
    const out = join(tempDir(), 'out');
    const r = await run(['validate', '--data', 'identifier', '--out', out]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^recovery-pbr validate: episodes.csv: columns 'Client Name' \(a name\), 'Post Code' \(a postcode\) identify people directly\. Remove them/);
    expect(existsSync(out)).toBe(false);
  });

  it('a missing data folder or an unknown scheme: exit 1, message, no output', async () => {
    const out = join(tempDir(), 'out');
    const a = await run(['validate', '--data', 'no-such-folder', '--out', out]);
    expect(a.code).toBe(1);
    expect(a.stderr).toMatch(/data folder not found: .*no-such-folder/);
    const b = await run(['validate', '--data', 'good', '--out', out, '--scheme', 'nope']);
    expect(b.code).toBe(1);
    expect(b.stderr).toMatch(/--scheme 'nope' is neither a preset nor an existing file/);
    expect(existsSync(out)).toBe(false);
  });

  it('rejections.csv guards cells a spreadsheet would run as formulas (SPEC §4)', async () => {
    const out = tempDir();
    const data = dataDir({
      episodes: [closedEpisode(), episode({ episode_id: 'E2', start_date: '=HYPERLINK("http://x")' })],
      reviews: [review({ days_opiates: '-1' })],
    });
    const r = await run(['validate', '--data', data, '--out', out]);
    expect(r.code).toBe(1);
    const csv = readFileSync(join(out, 'rejections.csv'), 'utf8');
    expect(csv).toContain(`episodes.csv,3,start_date,"'=HYPERLINK(""http://x"")",is not a date; write it as YYYY-MM-DD,not_a_date\n`);
    expect(csv).toContain('reviews.csv,2,days_opiates,-1,is outside 0–28 days (of the previous 28),out_of_range\n');
  });

  it('usage errors exit 2 with the usage text', async () => {
    const a = await run(['validate', '--out', tempDir()]);
    expect(a.code).toBe(2);
    expect(a.stderr).toMatch(/--data <folder> is required[\s\S]*Usage: recovery-pbr validate/);
    const b = await run(['validate', '--data', 'good']);
    expect(b.code).toBe(2);
    expect(b.stderr).toContain('--out <folder> is required');
    const c = await run(['validate', '--data', 'good', '--out', tempDir(), '--as-of', '2023-02-30']);
    expect(c.code).toBe(2);
    expect(c.stderr).toContain("--as-of must be a real date written YYYY-MM-DD (got '2023-02-30')");
    const d = await run(['validate', '--data', 'good', '--out', tempDir(), '--colour']);
    expect(d.code).toBe(2);
  });

  it('header-only files: exit 0, zero counts, no journeys, a note that an empty file means "none recorded"', async () => {
    const r = await run(['validate', '--data', 'header-only', '--out', tempDir()]);
    expect(r.code).toBe(0);
    expect(tableRow(r.stdout, 'episodes')).toEqual(['episodes', 'csv', '0', '0', '0']);
    expect(tableRow(r.stdout, 'clients')).toEqual(['clients', 'not supplied']);
    expect(r.stdout).toContain('Journeys: none (no usable episodes).');
    expect(r.stderr).toContain('reviews.csv has no rows: read as "no reviews recorded"');
  });

  it('shows reading progress on an interactive terminal only', async () => {
    const tty = await run(['validate', '--data', 'good', '--out', tempDir()], FIXTURES, true);
    expect(tty.code).toBe(0);
    expect(tty.stderr).toMatch(/reading \[[#.]{20}\] \d+% · \d+ rows \(episodes\.csv\)/);
    const quiet = await run(['validate', '--data', 'good', '--out', tempDir(), '--quiet'], FIXTURES, true);
    expect(quiet.stderr).toBe('');
    // --quiet hides the progress only: the counts and the journey summary are printed as without it.
    expect(quiet.stdout.replace(/Wrote \S+/, '')).toBe(tty.stdout.replace(/Wrote \S+/, ''));
    expect(tableRow(quiet.stdout, 'episodes')).toEqual(['episodes', 'csv', '5', '5', '0']);
    const pipe = await run(['validate', '--data', 'good', '--out', tempDir()]);
    expect(pipe.stderr).toBe('');
  });

  it('warns about tariff bands in the data that the scheme\'s tariff does not price, naming them and the journeys (R-PAY-2)', async () => {
    const data = dataDir({
      episodes: [
        closedEpisode({ episode_id: 'E1', client_id: 'C1', tariff_band: '2' }),
        closedEpisode({ episode_id: 'E2', client_id: 'C2', tariff_band: '4' }),
        closedEpisode({ episode_id: 'E3', client_id: 'C3', tariff_band: '4' }),
        closedEpisode({ episode_id: 'E4', client_id: 'C4', tariff_band: 'high' }),
        closedEpisode({ episode_id: 'E5', client_id: 'C5' }),
      ],
    });
    const r = await run(['validate', '--data', data, '--out', tempDir()]);
    expect(r.code).toBe(0); // a warning, not a rejection: the rows are usable
    expect(r.stderr).toBe(
      "warning: tariff bands '4' (2 journeys), 'high' (1 journey) are in the data but not in the tariff of scheme national-model-2012 (bands 1, 2, 3): " +
        '3 journeys are not paid (R-PAY-2). Correct the bands in the data, or add them to the tariff.\n',
    );
    // A scheme whose tariff has the band: no warning.
    const dir = tempDir();
    writeFileSync(
      join(dir, 'four.json'),
      JSON.stringify({ id: 'four', version: '1', title: 'four bands', outcomes: [{ id: 'o', title: 'o', primitives: [{ type: 'successful_completion' }] }], tariff: { bands: ['2', '4', 'high'], attachment: { '2': '1.00', '4': '1.00', high: '1.00' } } }),
    );
    const ok = await run(['validate', '--data', data, '--out', tempDir(), '--scheme', join(dir, 'four.json')]);
    expect(ok.stderr).toBe('');
  });

  it('--help prints the usage and exits 0', async () => {
    const r = await run(['validate', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Usage: recovery-pbr validate --data <folder> --out <folder>/);
    expect(r.stdout).toContain('header = 1, first record = 2');
  });
});
