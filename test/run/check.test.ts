/**
 * `checkFolder` (what `recovery-pbr validate` runs): the same rejections and counts as the in-memory
 * reader (readDataset, R-VAL-1..3) and the same journey counts as building every client's journeys,
 * whatever the number of buckets and threads, and on folders of parts.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fileNamesOf } from '../../src/cli/shared.js';
import { readDataset } from '../../src/node/run-folder.js';
import { buildJourneys } from '../../src/journeys/index.js';
import { checkFolder, type RunFolderOptions } from '../../src/node/run-folder.js';
import { csvLine } from '../../src/output/csv.js';
import { rejectionLines } from '../../src/output/rejections.js';
import { columnsOf } from '../../src/schema/records.js';
import { presetScheme } from '../../src/presets/index.js';
import { EXIT_CLASSES } from '../../src/schema/codes.js';
import type { Episode, Located } from '../../src/schema/records.js';
import { tempDir as temp } from '../io/helpers.js';
import { runCli as cli } from '../support/cli.js';
import { splitIntoParts } from './support.js';

const demo = 'examples/demo';
const scheme = presetScheme('national-model-2012');

/** The reference: read whole, journeys built client by client, counted by hand. */
async function reference(asOf?: string) {
  const read = await readDataset(demo, { exitReasonMap: scheme.exitReasons, reviewToleranceDays: scheme.calendar.reviewToleranceDays });
  let latest: string | undefined;
  for (const e of read.data.episodes) {
    for (const d of [e.start_date, e.discharge_date]) if (d !== undefined && (latest === undefined || d > latest)) latest = d;
  }
  const at = asOf ?? latest!;
  const byClient = new Map<string, Located<Episode>[]>();
  for (const e of read.data.episodes) byClient.set(e.client_id, [...(byClient.get(e.client_id) ?? []), e]);
  const groups: Record<string, number[]> = {};
  let clients = 0;
  for (const eps of byClient.values()) {
    const js = buildJourneys(eps, { asOf: at, journeyGapDays: scheme.calendar.journeyGapDays, exitReasonMap: scheme.exitReasons });
    if (js.length > 0) clients++;
    for (const j of js) {
      const c = (groups[j.substance_group] ??= [0, 0, 0, 0, 0, 0, 0, 0]);
      c[0]!++;
      if (j.end_date === undefined) c[1]!++;
      else {
        c[2]!++;
        c[j.exit_class ? 3 + EXIT_CLASSES.indexOf(j.exit_class) : 7]!++;
      }
    }
  }
  return {
    asOf: at,
    counts: read.counts,
    rejections: [...rejectionLines(read.rejections, fileNamesOf(read.files))].join(''),
    clients,
    groups,
    later: read.data.episodes.filter((e) => e.start_date > at).length,
  };
}

async function checked(options: Omit<RunFolderOptions, 'asOf' | 'purpose'> & { asOf?: string }) {
  const check = await checkFolder(demo, scheme, { tempDir: temp('rpbr-check-'), ...options });
  try {
    return {
      asOf: check.asOf,
      counts: check.counts,
      rejections: [...check.rejectionsCsv()].join(''),
      clients: check.journeys.clients,
      groups: check.journeys.groups,
      later: check.journeys.later,
    };
  } finally {
    await check.dispose();
  }
}

describe('checkFolder == reading whole (R-VAL-1..3, issue #6)', () => {
  it.each([
    [undefined, { partitions: 1, workers: 0 }],
    [undefined, { partitions: 4, workers: 0 }],
    ['2013-06-30', { partitions: 3, workers: 0 }],
    ['2013-06-30', { partitions: 5, workers: 2 }],
  ] as const)('demo data, as of %s, %j: same rejections, counts and journey counts', async (asOf, opts) => {
    const expected = await reference(asOf);
    expect(expected.rejections.split('\n').length).toBeGreaterThan(100); // the demo's deliberate faults
    const got = await checked({ ...opts, ...(asOf ? { asOf } : {}) });
    expect(got).toEqual(expected);
    if (asOf) expect(got.later).toBeGreaterThan(0);
  });
});

describe('recovery-pbr validate on folders of parts and in buckets', () => {
  it('episodes split into a folder of two parts: the same counts and journeys; rejections name the part', async () => {
    const data = temp('rpbr-parts-');
    const half = Math.floor((readFileSync(join(demo, 'episodes.csv'), 'utf8').trimEnd().split('\n').length - 1) / 2);
    splitIntoParts(demo, data, 'episodes', ['a.csv', 'b.csv'], (i) => (i < half ? 0 : 1));

    const whole = await cli(['validate', '--data', demo, '--out', temp('rpbr-out-')]);
    const outDir = temp('rpbr-out-');
    const parts = await cli(['validate', '--data', data, '--out', outDir, '--workers', '0']);
    expect(whole.code).toBe(1);
    expect(parts.code).toBe(1);
    const table = (s: string) => s.split('\n').filter((l) => /^(episodes|reviews|drug_tests|offences|employment|clients|total) /.test(l)).map((l) => l.split(/\s{2,}/));
    const a = table(whole.stdout);
    const b = table(parts.stdout);
    expect(b.map((r) => [r[0], ...r.slice(-3)])).toEqual(a.map((r) => [r[0], ...r.slice(-3)]));
    expect(b[0]![1]).toBe('csv, 2 parts');
    const journeys = (s: string) => s.slice(s.indexOf('Journeys as of'), s.indexOf('Wrote'));
    expect(journeys(parts.stdout)).toBe(journeys(whole.stdout));
    expect(journeys(whole.stdout)).toMatch(/1,?\d{3} clients/);
    const rejected = readFileSync(join(outDir, 'rejections.csv'), 'utf8');
    expect(rejected).toMatch(/\nepisodes\/a\.csv,\d+,/);
    expect(rejected).toMatch(/\nepisodes\/b\.csv,\d+,/);
    expect(rejected).not.toMatch(/\nepisodes\.csv,/);
  });
});

describe('checkFolder notes do not depend on the partitions (SPEC §2 UTF-8, R-VAL-1)', () => {
  it('a row with bytes that are not UTF-8 is counted once in the note, whatever the partitions', async () => {
    const dir = temp();
    const head = csvLine(columnsOf('episodes'));
    const rows = ['E1,C1,P1,A1,opiates,2013-01-07,,,2,false,30,false\n', 'E2,D1,P1,A1,opiates,2013-01-07,,,2,false,30,false\n'];
    const bad = Buffer.from('E3,C2,P1,A1,opiates,2013-01-07,,,2,false,30,fals\xff\n', 'latin1');
    writeFileSync(join(dir, 'episodes.csv'), Buffer.concat([Buffer.from(head + rows.join('')), bad]));
    // Reviews of clients in every partition with such bytes: each is rejected and counted by the
    // partition of its client_id (the others pass over it unsplit).
    const review = (client: string) => Buffer.from(`${client},E1,2013-03-04,review,fals\xff${','.repeat(13)}\n`, 'latin1');
    writeFileSync(join(dir, 'reviews.csv'), Buffer.concat([Buffer.from(csvLine(columnsOf('reviews'))), review('C1'), review('C2'), review('D1')]));
    const checked = (partitions: number) => checkFolder(dir, scheme, { partitions, workers: 0, asOf: '2015-03-31' });
    const notesOf = (c: Awaited<ReturnType<typeof checked>>) => c.notes.filter((n) => n.includes('UTF-8'));
    const one = notesOf(await checked(1));
    expect(one).toHaveLength(2);
    expect(one[0]).toMatch(/episodes.csv: 1 row\b/);
    expect(one[1]).toMatch(/reviews.csv: 3 rows\b/);
    const three = await checked(3);
    expect(notesOf(three)).toEqual(one);
    // R-VAL-1: each row is rejected once, whatever the partitions.
    expect(three.counts.episodes).toEqual({ read: 3, used: 2, rejected: 1 });
    expect(three.counts.reviews).toEqual({ read: 3, used: 0, rejected: 3 });
  });

  it('counts NDJSON and CSV parts of one kind together, with a second pass over the episodes', async () => {
    const dir = temp();
    mkdirSync(join(dir, 'episodes'));
    // a.ndjson (read first) holds a line that is not UTF-8; b.csv gives E1 to two clients, so
    // that with partitions one of them reads the other's episode rows again (a second pass).
    const line = Buffer.concat([Buffer.from('{"episode_id":"E9","client_id":"C9","provider_id":"P1","area_code":"A'), Buffer.from([0xff]), Buffer.from('1","substances":"opiates","start_date":"2013-01-07","tariff_band":"2"}\n')]);
    writeFileSync(join(dir, 'episodes', 'a.ndjson'), line);
    const rows = ['E1,C1,P1,A1,opiates,2013-01-07,,,2,false,30,false\n', 'E1,D1,P1,A1,opiates,2013-01-07,,,2,false,30,false\n', 'E2,E5,P1,A1,opiates,2013-01-07,,,2,false,30,false\n'];
    writeFileSync(join(dir, 'episodes', 'b.csv'), csvLine(columnsOf('episodes')) + rows.join(''));
    const notes = async (partitions: number) => (await checkFolder(dir, scheme, { partitions, workers: 0, asOf: '2015-03-31' })).notes.filter((n) => n.includes('UTF-8'));
    const one = await notes(1);
    expect(one).toHaveLength(1);
    expect(one[0]).toMatch(/\b1 row holds\b/);
    for (const p of [2, 3]) expect(await notes(p)).toEqual(one);
  });
});
