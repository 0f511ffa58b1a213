import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { RecoveryPbrError } from '../../src/errors.js';
import { findInputFiles, type ReadProgress } from '../../src/io/dataset.js';
import { readDataset } from '../../src/node/run-folder.js';
import { columnsOf } from '../../src/schema/records.js';
import {
  client,
  closedEpisode,
  csvText,
  dataDir,
  drugTest,
  employmentSpell,
  episode,
  offence,
  review,
  tempDir,
} from './helpers.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/io/', import.meta.url));

/** The rejections of a data folder as `file row field: reason` lines. */
async function rejectionsOf(files: Parameters<typeof dataDir>[0], options = {}) {
  const r = await readDataset(dataDir(files), options);
  return r.rejections;
}

describe('readDataset: files found and counted (SPEC §2, R-VAL-1)', () => {
  it('reads every file of the good fixture, CSV and NDJSON, and the counts reconcile', async () => {
    const r = await readDataset(join(FIXTURES, 'good'));
    expect(r.rejections).toEqual([]);
    expect(r.counts).toEqual({
      episodes: { read: 5, used: 5, rejected: 0 },
      reviews: { read: 4, used: 4, rejected: 0 },
      drug_tests: { read: 3, used: 3, rejected: 0 },
      offences: { read: 2, used: 2, rejected: 0 },
      employment: { read: 1, used: 1, rejected: 0 },
      clients: { read: 4, used: 4, rejected: 0 },
    });
    expect(r.files.drug_tests).toMatchObject({ format: 'ndjson' });
    expect(r.files.episodes).toMatchObject({ format: 'csv', path: join(FIXTURES, 'good', 'episodes.csv') });
    expect(r.data.episodes[0]).toMatchObject({ episode_id: 'E1', substances: ['opiates', 'crack'], row: 2, injecting_at_start: true, age_at_start: 34 });
    // NDJSON row numbers are lines: the blank third line is skipped.
    expect(r.data.drug_tests!.map((t) => t.row)).toEqual([1, 2, 4]);
  });

  it('an absent optional file is undefined; a header-only file is an empty list (R-OUT-11)', async () => {
    const r = await readDataset(join(FIXTURES, 'header-only'));
    expect(r.data.episodes).toEqual([]);
    expect(r.data.reviews).toEqual([]);
    expect(r.data.offences).toBeUndefined();
    expect(r.counts).toEqual({ episodes: { read: 0, used: 0, rejected: 0 }, reviews: { read: 0, used: 0, rejected: 0 } });
    expect(r.notes.some((n) => n.startsWith('reviews.csv has no rows'))).toBe(true);
  });

  it('finds files whatever the letter case of their names', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'Episodes.CSV'), csvText(columnsOf('episodes'), [episode()]));
    const { files } = await findInputFiles(dir);
    expect(files.episodes?.path).toBe(join(dir, 'Episodes.CSV'));
  });

  it('reports progress, ending each file with done', async () => {
    const seen: ReadProgress[] = [];
    await readDataset(join(FIXTURES, 'good'), { onProgress: (p) => seen.push(p) });
    const done = seen.filter((p) => p.done).map((p) => [p.file, p.rowsRead]);
    expect(done).toEqual([['episodes', 5], ['reviews', 4], ['drug_tests', 3], ['offences', 2], ['employment', 1], ['clients', 4]]);
  });
});

describe('readDataset: file-level problems are RecoveryPbrErrors (exit 1)', () => {
  it('missing data folder', async () => {
    await expect(readDataset('/nonexistent/data')).rejects.toThrow(/data folder not found: \/nonexistent\/data/);
  });

  it('a file given as the data folder', async () => {
    await expect(readDataset(join(FIXTURES, 'good', 'episodes.csv'))).rejects.toThrow(/--data takes the folder/);
  });

  it('no episodes file, with a hint when a spreadsheet is there instead', async () => {
    const dir = dataDir({ reviews: [review()] });
    await expect(readDataset(dir)).rejects.toThrow(/no episodes.csv or episodes.ndjson in .*: the episodes file is required/);
    writeFileSync(join(dir, 'episodes.xlsx'), 'PK');
    await expect(readDataset(dir)).rejects.toThrow(/episodes.xlsx is a spreadsheet: save it as "CSV UTF-8"/);
  });

  it('both episodes.csv and episodes.ndjson present', async () => {
    await expect(readDataset(join(FIXTURES, 'both-formats'))).rejects.toThrow(/episodes.csv and episodes.ndjson: keep one episodes file/);
  });

  it('a missing required column', async () => {
    const err = await readDataset(join(FIXTURES, 'missing-column')).catch((e) => e);
    expect(err).toBeInstanceOf(RecoveryPbrError);
    expect(err.message).toMatch(/episodes.csv: required column 'area_code' is missing/);
  });

  it('an empty (0-byte) CSV file, even an optional one', async () => {
    const dir = dataDir({ episodes: [episode()], reviews: { text: '' } });
    await expect(readDataset(dir)).rejects.toThrow(/reviews.csv is empty \(0 bytes\)/);
  });

  it('an unclosed quote names the row', async () => {
    const dir = dataDir({ episodes: { text: `${columnsOf('episodes').join(',')}\nE1,"C1,P1,A1,opiates,2023-01-10\n` } });
    await expect(readDataset(dir)).rejects.toThrow(/episodes.csv: a quote \("\) opened in row 2 \(line 2\) is never closed/);
  });

  it('lists header problems of every file at once', async () => {
    const dir = dataDir({
      episodes: { text: 'episode_id,client_id\nE1,C1\n' },
      clients: { text: 'client_id,email\nC1,a@b\n' },
    });
    const err = await readDataset(dir).catch((e) => e);
    expect(err.message).toMatch(/the input files cannot be used:\n  - episodes.csv: required columns/);
    expect(err.message).toMatch(/\n  - clients.csv: column 'email' \(an email address\) identifies people directly/);
  });
});

describe('readDataset: the anonymisation guard stops the run before any row is read (R-VAL-3)', () => {
  it('on the fixture with Client Name and Post Code columns', async () => {
    const err = await readDataset(join(FIXTURES, 'identifier')).catch((e) => e);
    expect(err).toBeInstanceOf(RecoveryPbrError);
    expect(err.message).toMatch(/'Client Name' \(a name\), 'Post Code' \(a postcode\) identify people directly\. Remove them/);
  });

  it('before reading rows of any file: a broken episodes body is never reached when clients has an identifier', async () => {
    // If rows of episodes were read first, the unclosed quote would be the error reported.
    const dir = dataDir({
      episodes: { text: `${columnsOf('episodes').join(',')}\nE1,"C1\n` },
      clients: { text: 'client_id,date_of_birth\nC1,1980-01-01\n' },
    });
    await expect(readDataset(dir)).rejects.toThrow(/clients.csv: column 'date_of_birth' \(a date of birth\) identifies people directly/);
  });

  it('on NDJSON, at the first line with an identifying key', async () => {
    const dir = dataDir({ episodes: [episode()], reviews: { ndjson: [review(), { ...review(), nhs_number: '9434765919' }] } });
    await expect(readDataset(dir)).rejects.toThrow(/reviews.ndjson line 2: key 'nhs_number' \(an NHS number\) identifies people directly/);
  });

  it('unknown columns are ignored with a note and never reach the records', async () => {
    const dir = dataDir({
      episodes: { text: csvText([...columnsOf('episodes'), 'keyworker_notes'], [{ ...episode(), keyworker_notes: 'x' }]) },
      reviews: { ndjson: [{ ...review(), comment: 'y' }] },
    });
    const r = await readDataset(dir);
    expect(r.notes).toContain("episodes.csv: column 'keyworker_notes' is not used and ignored (never copied to outputs).");
    expect(r.notes).toContain("reviews.ndjson: key 'comment' is not used and ignored (never copied to outputs).");
    expect(Object.keys(r.data.episodes[0]!)).not.toContain('keyworker_notes');
    expect(Object.keys(r.data.reviews![0]!)).not.toContain('comment');
  });
});

describe('readDataset: row-level problems are rejections with file, row, field, value, code, reason (R-VAL-1, R-VAL-2)', () => {
  it('missing required field', async () => {
    expect(await rejectionsOf({ episodes: [episode({ provider_id: ' ' })] })).toEqual([
      { file: 'episodes', row: 2, field: 'provider_id', value: ' ', code: 'blank_required', reason: 'is required but blank' },
    ]);
  });

  it('unparseable or impossible date', async () => {
    const rej = await rejectionsOf({ episodes: [episode({ start_date: '2023-02-30' }), episode({ episode_id: 'E2', start_date: '10/01/2023' })] });
    expect(rej.map((r) => [r.row, r.field, r.value, r.reason])).toEqual([
      [2, 'start_date', '2023-02-30', 'is not a real calendar date'],
      [3, 'start_date', '10/01/2023', 'is not an ISO date; write it as YYYY-MM-DD (day/month order is ambiguous)'],
    ]);
    expect(rej.map((r) => r.code)).toEqual(['not_a_date', 'date_format']);
  });

  it('discharge before start', async () => {
    const rej = await rejectionsOf({ episodes: [closedEpisode({ start_date: '2023-05-01', discharge_date: '2023-04-30' })] });
    expect(rej).toMatchObject([{ field: 'discharge_date', value: '2023-04-30', code: 'date_order', reason: 'is before start_date 2023-05-01' }]);
  });

  it('exit reason given without a discharge date, and a discharge without exit reason', async () => {
    const rej = await rejectionsOf({
      episodes: [episode({ exit_reason: 'dropped_out' }), episode({ episode_id: 'E2', discharge_date: '2023-03-01' })],
    });
    expect(rej.map((r) => [r.row, r.field, r.code])).toEqual([
      [2, 'discharge_date', 'exit_reason_without_discharge'],
      [3, 'exit_reason', 'discharge_without_exit_reason'],
    ]);
  });

  it('a day count outside 0–28 and a score outside 0–20', async () => {
    const rej = await rejectionsOf({
      episodes: [episode()],
      reviews: [review({ days_opiates: '29' }), review({ quality_of_life: '21' }), review({ days_alcohol: '28', physical_health: '20' })],
    });
    expect(rej.map((r) => [r.row, r.field, r.code, r.reason])).toEqual([
      [2, 'days_opiates', 'out_of_range', 'is outside 0–28 days (of the previous 28)'],
      [3, 'quality_of_life', 'out_of_range', 'is outside 0–20 points'],
    ]);
  });

  it.each([
    ['substance', { episodes: [episode({ substances: 'opiates;heroin' })] }, 'episodes', 'substances'],
    ['stage', { episodes: [episode()], reviews: [review({ stage: 'halfway' })] }, 'reviews', 'stage'],
    ['test result', { episodes: [episode()], drug_tests: [drugTest({ result: 'unclear' })] }, 'drug_tests', 'result'],
    ['test substance', { episodes: [episode()], drug_tests: [drugTest({ substance: 'heroin' })] }, 'drug_tests', 'substance'],
    ['offence category', { episodes: [episode()], offences: [offence({ category: 'fraud' })] }, 'offences', 'category'],
    ['exit reason', { episodes: [closedEpisode({ exit_reason: 'pbr_drug_free' })] }, 'episodes', 'exit_reason'],
    ['exit reason named like an object property', { episodes: [closedEpisode({ exit_reason: 'constructor' })] }, 'episodes', 'exit_reason'],
  ] as const)('unknown code: %s', async (_what, files, file, field) => {
    const rej = await rejectionsOf(files as unknown as Parameters<typeof dataDir>[0]);
    expect(rej).toHaveLength(1);
    expect(rej[0]).toMatchObject({ file, field, code: 'unknown_code', reason: expect.stringMatching(/not a known (code|substance)/) });
  });

  it("a scheme's own exit codes are accepted through exitReasonMap (SPEC §2.1)", async () => {
    const files = { episodes: [closedEpisode({ exit_reason: 'pbr_drug_free' })] };
    expect(await rejectionsOf(files, { exitReasonMap: { pbr_drug_free: 'completed_drug_free' } })).toEqual([]);
  });

  it('duplicate episode_id: identical rows keep the first and reject the copies', async () => {
    const r = await readDataset(dataDir({ episodes: [episode(), episode({ episode_id: 'E2' }), episode(), episode()] }));
    expect(r.data.episodes.map((e) => [e.episode_id, e.row])).toEqual([['E1', 2], ['E2', 3]]);
    expect(r.rejections.map((x) => [x.row, x.field, x.code, x.reason])).toEqual([
      [4, 'episode_id', 'duplicate_row', 'duplicate: the same row already appears at row 2'],
      [5, 'episode_id', 'duplicate_row', 'duplicate: the same row already appears at row 2'],
    ]);
  });

  it('duplicate episode_id: differing rows are all rejected', async () => {
    const r = await readDataset(dataDir({ episodes: [episode(), episode({ provider_id: 'P2' })] }));
    expect(r.data.episodes).toEqual([]);
    expect(r.rejections.map((x) => [x.row, x.code, x.reason])).toEqual([
      [2, 'conflicting_rows', 'appears in rows 2, 3 with different values; keep one correct row'],
      [3, 'conflicting_rows', 'appears in rows 2, 3 with different values; keep one correct row'],
    ]);
  });

  it('cells differing only in blanks and letter case of codes are the same row', async () => {
    const r = await readDataset(dataDir({ episodes: [episode({ substances: 'opiates;alcohol' }), episode({ substances: ' Alcohol ; OPIATES ' })] }));
    expect(r.data.episodes).toHaveLength(1);
    expect(r.rejections[0]!.reason).toMatch(/duplicate: the same row/);
  });

  it('a second row for a client in clients', async () => {
    const r = await readDataset(dataDir({ episodes: [episode()], clients: [client(), client({ date_of_death: '2024-01-01' })] }));
    expect(r.data.clients).toEqual([]);
    expect(r.rejections.map((x) => [x.file, x.row, x.field, x.code])).toEqual([
      ['clients', 2, 'client_id', 'conflicting_rows'],
      ['clients', 3, 'client_id', 'conflicting_rows'],
    ]);
  });

  it('a review whose episode_id is unknown, or belongs to another client', async () => {
    const rej = await rejectionsOf({ episodes: [episode()], reviews: [review({ episode_id: 'E9' }), review({ client_id: 'C2' })] });
    expect(rej.map((r) => [r.row, r.field, r.code, r.reason])).toEqual([
      [2, 'episode_id', 'unknown_episode', 'no episode has this episode_id'],
      [3, 'client_id', 'episode_of_another_client', 'episode E1 belongs to another client'],
    ]);
  });

  it('a review dated before its episode start', async () => {
    const rej = await rejectionsOf({ episodes: [episode()], reviews: [review({ date: '2023-01-09' })] });
    expect(rej).toMatchObject([{ field: 'date', code: 'review_before_episode', reason: 'is before the start of episode E1 (2023-01-10)' }]);
  });

  it('a review 28 days after discharge is kept, 29 days after is rejected (reviewToleranceDays 28)', async () => {
    const r = await readDataset(
      dataDir({ episodes: [closedEpisode({ discharge_date: '2023-06-30' })], reviews: [review({ date: '2023-07-28', stage: 'exit' }), review({ date: '2023-07-29', stage: 'post_exit' })] }),
    );
    expect(r.data.reviews!.map((x) => x.date)).toEqual(['2023-07-28']);
    expect(r.rejections).toMatchObject([{ row: 3, field: 'date', code: 'review_after_discharge', reason: 'is more than 28 days after the discharge of episode E1 (2023-06-30)' }]);
  });

  it('the tolerance is a parameter', async () => {
    const files = { episodes: [closedEpisode({ discharge_date: '2023-06-30' })], reviews: [review({ date: '2023-07-10' })] };
    expect(await rejectionsOf(files, { reviewToleranceDays: 10 })).toEqual([]);
    expect(await rejectionsOf(files, { reviewToleranceDays: 9 })).toHaveLength(1);
  });

  it('a review of an episode that was itself rejected says so', async () => {
    const rej = await rejectionsOf({
      episodes: [episode({ start_date: '2023-02-30' }), closedEpisode({ episode_id: 'E2', exit_reason: 'pbr_code' }), episode({ episode_id: 'E3' }), episode({ episode_id: 'E3', area_code: 'A9' })],
      reviews: [review(), review({ episode_id: 'E2' }), review({ episode_id: 'E3' })],
    });
    expect(rej.filter((r) => r.file === 'reviews').map((r) => [r.row, r.code, r.reason])).toEqual([
      [2, 'episode_rejected', 'its episode was rejected (episodes row 2); fix that row first'],
      [3, 'episode_rejected', 'its episode was rejected (episodes row 3); fix that row first'],
      [4, 'episode_rejected', 'its episode was rejected (episodes row 4); fix that row first'],
    ]);
  });

  it('an NHS number as client_id (valid check digit) is rejected; an invalid check digit is not', async () => {
    const r = await readDataset(dataDir({ episodes: [episode({ client_id: '943 476 5919' }), episode({ episode_id: 'E2', client_id: '943 476 5918' })] }));
    expect(r.rejections).toMatchObject([{ row: 2, field: 'client_id', code: 'nhs_number', reason: expect.stringMatching(/NHS number/) }]);
    expect(r.data.episodes.map((e) => e.client_id)).toEqual(['943 476 5918']);
  });

  it('a 1 MB client_id is rejected with its length, and the report shows it cut short', async () => {
    const big = 'C'.repeat(1024 * 1024);
    const t0 = Date.now();
    const r = await readDataset(dataDir({ episodes: [episode({ client_id: big }), episode({ episode_id: 'E2' })] }));
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(r.counts.episodes).toEqual({ read: 2, used: 1, rejected: 1 });
    expect(r.rejections[0]!.reason).toBe('is 1048576 characters long; identifiers are at most 64');
    expect(r.rejections[0]!.code).toBe('too_long');
    expect(r.rejections[0]!.value).toBe(`${'C'.repeat(200)}… (1048576 characters)`);
  });

  it('non-UTF-8 bytes reject the row and leave a note to save the file as UTF-8', async () => {
    const head = csvText(columnsOf('episodes'), [episode()]);
    const bad = Buffer.concat([Buffer.from(head), Buffer.from('E2,C2,P1,Caf'), Buffer.from([0xe9]), Buffer.from(',opiates,2023-01-10,,,,,,\n')]);
    const r = await readDataset(dataDir({ episodes: { text: bad } }));
    expect(r.rejections).toMatchObject([{ row: 3, field: 'area_code', value: 'Caf\ufffd', code: 'not_utf8', reason: expect.stringMatching(/not UTF-8/) }]);
    expect(r.notes.some((n) => /episodes.csv: 1 row holds bytes that are not UTF-8/.test(n))).toBe(true);
  });

  it('a row with too many or too few cells, and an NDJSON line that is not an object', async () => {
    const cols = columnsOf('episodes').join(',');
    const r = await readDataset(
      dataDir({
        episodes: { text: `${cols}\nE1,C1,P1,A1,opiates,2023-01-10,,,,,,,extra\nE2,C2,P1,A1\n` },
        reviews: { text: '["C1","E1"]\n', ext: 'ndjson' },
      }),
    );
    expect(r.rejections.map((x) => [x.file, x.row, x.code, x.reason.slice(0, 40)])).toEqual([
      ['episodes', 2, 'wrong_width', 'has 13 cells but the header has 12 colum'],
      ['episodes', 3, 'wrong_width', 'has 4 cells but the header has 12 column'],
      ['reviews', 1, 'not_json_object', 'is a JSON array, not a JSON object; each'],
    ]);
  });

  it('rejections never show cells of unknown columns or whole raw lines (R-VAL-3)', async () => {
    const cols = [...columnsOf('episodes'), 'keyworker_notes'];
    const r = await readDataset(
      dataDir({
        episodes: { text: `${cols.join(',')}\nE1,C1,P1,A1,opiates,2023-01-10,,,,,,,seen by Secret Person,extra\n` },
        reviews: { text: '{"client_id": "C1", "note": "Secret Person", oops}\n', ext: 'ndjson' },
      }),
    );
    expect(r.rejections).toHaveLength(2);
    expect(JSON.stringify(r.rejections)).not.toContain('Secret');
  });

  it('rejections are sorted by file, then row; counts reconcile per file', async () => {
    const r = await readDataset(join(FIXTURES, 'mixed'));
    const keys = r.rejections.map((x) => `${x.file}:${String(x.row).padStart(4, '0')}:${x.field}`);
    const order = ['episodes', 'reviews', 'drug_tests', 'offences', 'employment', 'clients'];
    expect([...keys].sort((a, b) => order.indexOf(a.split(':')[0]!) - order.indexOf(b.split(':')[0]!) || (a < b ? -1 : a > b ? 1 : 0))).toEqual(keys);
    for (const [file, c] of Object.entries(r.counts)) {
      expect(c.used + c.rejected, file).toBe(c.read);
      expect(r.rejections.filter((x) => x.file === file)).toHaveLength(c.rejected);
    }
    expect(r.counts.episodes).toEqual({ read: 15, used: 2, rejected: 13 });
  });

  it('employment and offences rows pass through with their row numbers', async () => {
    const r = await readDataset(dataDir({ episodes: [episode()], employment: [employmentSpell(), employmentSpell({ end_date: '2023-07-01' })], offences: [offence()] }));
    expect(r.rejections).toMatchObject([{ file: 'employment', row: 3, field: 'end_date', reason: 'is before start_date 2023-08-01' }]);
    expect(r.data.offences).toEqual([{ client_id: 'C1', offence_date: '2022-06-01', category: 'acquisitive', row: 2 }]);
  });
});
