/**
 * Parts read in slices (src/node/slices.ts, issue #11): where the cuts fall, when a part is read
 * whole instead, counting the rows before a slice, and a run whose slices turn out to hold another
 * partition's row.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { writeGeneratedDataset } from '../../src/io/generate.js';
import { planSlices, RowCounter } from '../../src/node/slices.js';
import { sampleBounds } from '../../src/node/run-folder.js';
import { findInputParts } from '../../src/io/dataset.js';
import { rangeRouter, SliceMismatch } from '../../src/pipeline/read.js';
import { presetScheme } from '../../src/presets/index.js';
import { tempDir } from '../io/helpers.js';
import { folderOutputs, inMemoryOutputs, type OutputTexts } from '../run/support.js';

const AS_OF = '2015-03-31';
const enc = new TextEncoder();

/** A reviews-like file: a header, then `rows` lines of client ids (one line each, other cells fixed). */
function file(text: string): { path: string; size: number } {
  const path = join(tempDir('rpbr-slices-'), 'part.csv');
  writeFileSync(path, text);
  return { path, size: Buffer.byteLength(text) };
}
const lines = (ids: readonly string[], eol = '\n') => ['client_id,date', ...ids.map((id) => `${id},2013-01-0${(id.length % 9) + 1}`)].join(eol) + eol;
/** The lines of a file of a data folder (no last blank line). */
const fileLines = (dir: string, name: string) => readFileSync(join(dir, name), 'utf8').trimEnd().split('\n');
/** Writes lines (header first) as a file of a data folder, a line break after each. */
const writeLines = (dir: string, name: string, rows: readonly string[]) => writeFileSync(join(dir, name), rows.join('\n') + '\n');
/** Changes the lines of a file of a data folder (header at 0) and writes them back. */
const editLines = (dir: string, name: string, change: (lines: string[]) => void) => {
  const rows = fileLines(dir, name);
  change(rows);
  writeLines(dir, name, rows);
};
/** The episode_id of an episodes.csv or reviews.csv line. */
const idOf = (line: string) => line.split(',')[0]!;
/**
 * A generated cohort in client order (no faulty rows) with its episode and review lines to change:
 * `save` writes them back.
 */
async function episodesAndReviews(clients: number, seed: number) {
  const dir = tempDir('rpbr-gen-');
  await writeGeneratedDataset({ clients, seed, errorRate: 0 }, dir);
  const episodes = fileLines(dir, 'episodes.csv');
  const reviews = fileLines(dir, 'reviews.csv');
  const save = () => {
    writeLines(dir, 'episodes.csv', episodes);
    writeLines(dir, 'reviews.csv', reviews);
  };
  return { dir, episodes, reviews, save };
}
const ids = (n: number, per = 3) => Array.from({ length: n * per }, (_, i) => `C${String(Math.floor(i / per) + 1).padStart(4, '0')}`);

describe('planSlices', () => {
  const router = rangeRouter(['C0011', 'C0021', 'C0031']);
  const route = router.partitionOfBytes!;

  it("cuts a part in client order where each partition's clients begin; every line of a slice routes to it", () => {
    const text = lines(ids(40));
    const { path, size } = file(text);
    const slices = planSlices(path, size, 0, 4, route)!;
    expect(slices).toHaveLength(4);
    expect(slices[0]!.start).toBe(slices[0]!.headerEnd);
    expect(slices[3]!.end).toBe(size);
    for (const [k, s] of slices.entries()) {
      if (k > 0) expect(s.start).toBe(slices[k - 1]!.end);
      expect(text[s.start - 1]).toBe('\n');
      const own = text.slice(s.start, s.end).split('\n').filter((l) => l !== '');
      expect(own).toHaveLength(30);
      for (const l of own) expect(router.partitionOf(l.split(',')[0]!)).toBe(k);
    }
  });

  it('partitions with no client in the part get empty slices (at the end, or between others)', () => {
    const text = lines([...ids(5), 'C0035', 'C0036']);
    const { path, size } = file(text);
    const slices = planSlices(path, size, 0, 4, route)!;
    expect(slices.map((s) => s.end - s.start > 0)).toEqual([true, false, false, true]);
    expect(slices[1]!.start).toBe(slices[1]!.end);
  });

  it('CRLF line ends and blank lines are read; the client_id column may be any', () => {
    const text = ['episode_id,client_id', ...ids(40).map((id, i) => `E${i},${id}`)].join('\r\n').replace('\r\nE7,', '\r\n\r\nE7,') + '\r\n';
    const { path, size } = file(text);
    const slices = planSlices(path, size, 1, 4, route)!;
    expect(slices).toBeDefined();
    for (const [k, s] of slices.entries()) for (const l of text.slice(s.start, s.end).split('\r\n').filter((x) => x !== '')) expect(router.partitionOf(l.split(',')[1]!)).toBe(k);
  });

  it('a part not in client order, with quotes, in UTF-16 or with ids that are not plainly ids is read whole', () => {
    const shuffled = ids(40).map((id, i) => ids(40)[(i * 37) % 120]!);
    expect(planSlices(file(lines(shuffled)).path, file(lines(shuffled)).size, 0, 4, route)).toBeUndefined();
    const quoted = lines(ids(40)).replace('C0015,', '"C0015",');
    expect(planSlices(file(quoted).path, file(quoted).size, 0, 4, route)).toBeUndefined();
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(lines(ids(40)), 'utf16le')]);
    const p16 = join(tempDir('rpbr-slices-'), 'u16.csv');
    writeFileSync(p16, utf16);
    expect(planSlices(p16, utf16.length, 0, 4, route)).toBeUndefined();
    const nhs = lines(ids(40).map((id) => (id === 'C0015' ? '9434765919' : id)));
    expect(planSlices(file(nhs).path, file(nhs).size, 0, 4, route)).toBeUndefined();
    expect(planSlices(file(lines(ids(40))).path, file(lines(ids(40))).size, 0, 1, route)).toBeUndefined();
  });
});

describe('planSlices on odd bytes', () => {
  const route = rangeRouter(['C0011', 'C0021', 'C0031']).partitionOfBytes!;

  it('a header line with a \\r but before its \\n (\\r\\r\\n, \\r \\n) is read whole: the header would not be one row (R-VAL-1 row numbers)', () => {
    for (const eol of ['\r\r\n', '\r \n']) {
      const text = lines(ids(40)).replace('\n', eol);
      expect(planSlices(file(text).path, file(text).size, 0, 4, route)).toBeUndefined();
    }
    const crlf = lines(ids(40), '\r\n');
    expect(planSlices(file(crlf).path, file(crlf).size, 0, 4, route)).toBeDefined();
  });

  it('a run of 20,000 blank lines is passed over without running out of stack', () => {
    const rows = lines(ids(40)).split('\n');
    rows.splice(60, 0, ...Array.from({ length: 20_000 }, () => ''));
    const text = rows.join('\n');
    const slices = planSlices(file(text).path, file(text).size, 0, 4, route)!;
    expect(slices).toHaveLength(4);
    for (const [k, s] of slices.entries()) for (const l of text.slice(s.start, s.end).split('\n').filter((x) => x !== '')) expect(rangeRouter(['C0011', 'C0021', 'C0031']).partitionOf(l.split(',')[0]!)).toBe(k);
  });
});

describe('RowCounter', () => {
  it('counts rows by line breaks, in pieces cut anywhere; a quote or a lone \\r makes them uncountable', () => {
    fc.assert(
      fc.property(fc.array(fc.stringMatching(/^[a-z0-9,]{0,12}$/), { maxLength: 30 }), fc.boolean(), fc.nat(400), (rows, crlf, cut) => {
        const bytes = enc.encode(rows.map((r) => r + (crlf ? '\r\n' : '\n')).join(''));
        const c = new RowCounter();
        const at = Math.min(cut, bytes.length);
        c.add(bytes.subarray(0, at));
        c.add(bytes.subarray(at));
        expect(c.rows).toBe(rows.length);
      }),
    );
    const quoted = new RowCounter();
    quoted.add(enc.encode('a,"b\nc"\n'));
    expect(() => quoted.rows).toThrow(SliceMismatch);
    const lone = new RowCounter();
    lone.add(enc.encode('a\rb\n'));
    expect(() => lone.rows).toThrow(SliceMismatch);
    const split = new RowCounter();
    split.add(enc.encode('a\r'));
    split.add(enc.encode('b\n'));
    expect(() => split.rows).toThrow(SliceMismatch);
  });
});

describe('a run on parts read in slices (runFolder)', () => {
  const scheme = presetScheme('national-model-2012');
  /** A run's outputs (3 partitions unless said), and how many parts it read in slices. */
  const slicedRun = async (dir: string, workers: number, partitions = 3) => {
    let sliced = -1;
    let passes = -1;
    // In threads, slots so small that they wait for them, and none copied: a run that starts again stops threads that wait.
    const lineSlots = { slots: 2, bytes: 1024, held: 0 };
    const outputs = await folderOutputs(dir, scheme, { asOf: AS_OF, partitions, workers, tempDir: tempDir('rpbr-t-'), ...(workers > 0 ? { lineSlots } : {}) }, (run) => {
      sliced = run.slicedParts;
      passes = run.otherEpisodePasses;
    });
    return { outputs, sliced, passes };
  };
  /** Runs in 3 partitions on one thread and on two: each gives `expected`; `sliced` hears how many parts it read in slices. */
  const expectSlicedRuns = async (dir: string, expected: OutputTexts, sliced: (parts: number) => void) => {
    for (const workers of [0, 2]) {
      const run = await slicedRun(dir, workers);
      sliced(run.sliced);
      expect(run.outputs).toEqual(expected);
    }
  };

  it('generated data in client order is read in slices, with the bytes of the in-memory run (R-VAL-1: row numbers of rejections included)', async () => {
    const dir = tempDir('rpbr-gen-');
    await writeGeneratedDataset({ clients: 300, seed: 31, errorRate: 0 }, dir);
    // Rejected rows inside later slices: a review with an impossible date, a drug test of an unknown substance.
    editLines(dir, 'reviews.csv', (rows) => void (rows[1000] = rows[1000]!.replace(/,\d{4}-\d\d-\d\d,/, ',2013-02-30,')));
    editLines(dir, 'drug_tests.csv', (rows) => void (rows[1200] = rows[1200]!.replace(/,[a-z_]+,(positive|negative|refused)/, ',glue,$1')));
    const expected = await inMemoryOutputs(dir, scheme, AS_OF);
    expect(expected.rejections).toMatch(/reviews\.csv,1001,/);
    expect(expected.rejections).toMatch(/drug_tests\.csv,1201,/);
    const { outputs, sliced, passes } = await slicedRun(dir, 0);
    expect(sliced).toBe(6);
    // No episode id on two rows: no partition passes over the others' episode rows (src/node/repeated-ids.ts).
    expect(passes).toBe(0);
    expect(outputs).toEqual(expected);
  });

  it('an episode_id given to clients of the first and last partitions: those two pass over the others\' episode rows, the middle one need not, and the bytes are the in-memory run\'s (R-VAL-2)', async () => {
    const { dir, episodes, save } = await episodesAndReviews(300, 34);
    episodes[episodes.length - 5] = [idOf(episodes[5]!), ...episodes[episodes.length - 5]!.split(',').slice(1)].join(',');
    save();
    const expected = await inMemoryOutputs(dir, scheme, AS_OF);
    expect(expected.rejections).toMatch(/appears in rows/);
    for (const workers of [0, 2]) {
      const run = await slicedRun(dir, workers);
      expect(run.sliced).toBe(6);
      expect(run.passes).toBe(2);
      expect(run.outputs).toEqual(expected);
    }
  }, 120_000);

  it('episodes in slices: an episode_id given to clients of two partitions, reviews of other partitions\' episodes and of a rejected one (R-VAL-2): the bytes of the in-memory run', async () => {
    const { dir, episodes, reviews, save } = await episodesAndReviews(300, 33);
    const clientOf = (line: string) => line.split(',')[1]!;
    // Early, middle and late episodes (partitions 0, 1 and 2 of 3).
    const [early, middle, late] = [5, Math.floor(episodes.length / 2), episodes.length - 5].map((i) => episodes[i]!) as [string, string, string];
    // 1. The late client's episode takes the early one's id: both rows are rejected, in two partitions.
    episodes[episodes.length - 5] = [idOf(early), ...late.split(',').slice(1)].join(',');
    // 2. A middle episode with an impossible start date (rejected); a review of it by an early client.
    const broken = episodes.findIndex((l, i) => i > episodes.length / 2 + 10 && l.split(',')[5] !== '');
    episodes[broken] = episodes[broken]!.replace(/,\d{4}-\d\d-\d\d,/, ',2013-02-31,');
    const earlyReview = reviews.findIndex((l, i) => i > 3 && l.split(',')[0] !== clientOf(episodes[1]!));
    reviews[earlyReview] = reviews[earlyReview]!.replace(/^([^,]*),[^,]*,/, `$1,${idOf(episodes[broken]!)},`);
    // 3. A late client's review of the middle client's episode.
    const lateReview = reviews.length - 3;
    reviews[lateReview] = reviews[lateReview]!.replace(/^([^,]*),[^,]*,/, `$1,${idOf(middle)},`);
    save();
    const expected = await inMemoryOutputs(dir, scheme, AS_OF);
    expect(expected.rejections).toMatch(/another client/);
    expect(expected.rejections).toMatch(/its episode was rejected/);
    expect(expected.rejections).toMatch(/appears in rows/);
    await expectSlicedRuns(dir, expected, (sliced) => expect(sliced).toBe(6));
    // Every partition passes over the others' episode rows here: 0 and 2 hold the id on two rows
    // and a review of another's episode, 1 a rejected episode row (whose id it names, with no
    // usable row of its own to hold it). On clean data none does (the test above).
    for (const workers of [0, 2]) expect((await slicedRun(dir, workers)).passes).toBe(3);
  }, 120_000);

  it('rows whose client_id is blank or not an id, in later slices (R-VAL-2): rejected by the slice\'s partition, no rerun, the bytes of the in-memory run', async () => {
    const dir = tempDir('rpbr-gen-');
    await writeGeneratedDataset({ clients: 300, seed: 35, errorRate: 0 }, dir);
    // The row `share` of the way through the file (counted as the lines and the empty one after the last).
    const edit = (name: string, share: number, to: (line: string) => string) =>
      editLines(dir, name, (rows) => {
        const at = Math.floor((rows.length + 1) * share);
        rows[at] = to(rows[at]!);
      });
    edit('reviews.csv', 0.6, (l) => l.replace(/^[^,]*,/, ','));
    edit('reviews.csv', 0.9, (l) => l.replace(/^[^,]*,/, '9434765919,'));
    edit('drug_tests.csv', 0.8, (l) => l.replace(/^[^,]*,/, ' ,'));
    edit('episodes.csv', 0.7, (l) => l.replace(/^([^,]*),[^,]*,/, '$1,,'));
    edit('offences.csv', 0.5, (l) => l.replace(/^[^,]*,/, ',') + ',x');
    const expected = await inMemoryOutputs(dir, scheme, AS_OF);
    expect(expected.rejections.match(/client_id/g)?.length).toBeGreaterThanOrEqual(4);
    await expectSlicedRuns(dir, expected, (sliced) => expect(sliced).toBe(6));
  }, 120_000);

  it("another partition's episode rows whose client_id cannot be read, named by reviews (R-VAL-2): rejected once, by the slice's partition; the review says its episode was rejected", async () => {
    // Enough clients that the planning's sampled lines miss the faulty rows (else episodes are read whole).
    const { dir, episodes, reviews, save } = await episodesAndReviews(3000, 36);
    // Three late episodes (the last partition's slice): a blank client_id, an NHS number, a row one cell short.
    const late = [episodes.length - 300, episodes.length - 200, episodes.length - 100];
    episodes[late[0]!] = episodes[late[0]!]!.replace(/^([^,]*),[^,]*,/, '$1,,');
    episodes[late[1]!] = episodes[late[1]!]!.replace(/^([^,]*),[^,]*,/, '$1,9434765919,');
    episodes[late[2]!] = episodes[late[2]!]!.replace(/,[^,]*$/, '');
    // Early clients' reviews (the first partition's slice) name them.
    late.forEach((at, i) => {
      const r = 10 + 7 * i;
      reviews[r] = reviews[r]!.replace(/^([^,]*),[^,]*,/, `$1,${idOf(episodes[at]!)},`);
    });
    save();
    const expected = await inMemoryOutputs(dir, scheme, AS_OF);
    for (const row of [11, 18, 25]) expect(expected.rejections).toMatch(new RegExp(`reviews\\.csv,${row},.*its episode was rejected`));
    await expectSlicedRuns(dir, expected, (sliced) => expect(sliced).toBe(6));
  }, 120_000);

  it('odd bytes at the edges of slices (a header ending \\r\\r\\n, an episode part with no last line break and no row of a partition, 12,000 blank lines): the bytes, and row numbers, of a whole reading (R-VAL-1)', async () => {
    const dir = tempDir('rpbr-gen-');
    await writeGeneratedDataset({ clients: 300, seed: 34, errorRate: 0 }, dir);
    // reviews.csv: a header ending \r\r\n, and rejected rows in what would be later slices.
    const reviews = fileLines(dir, 'reviews.csv');
    for (const at of [300, 700, 1200]) reviews[at] = reviews[at]!.replace(/,\d{4}-\d\d-\d\d,/, ',2013-02-30,');
    writeFileSync(join(dir, 'reviews.csv'), reviews[0] + '\r\r\n' + reviews.slice(1).join('\n') + '\n');
    // drug_tests.csv: 12,000 blank lines in the middle, and a rejected row after them.
    const tests = fileLines(dir, 'drug_tests.csv');
    tests[tests.length - 20] = tests[tests.length - 20]!.replace(/,[a-z_]+,(positive|negative|refused)/, ',glue,$1');
    tests.splice(Math.floor(tests.length / 2), 0, ...Array.from({ length: 12_000 }, () => ''));
    writeLines(dir, 'drug_tests.csv', tests);
    // episodes in two parts by client: the first (early clients only) with no last line break.
    const [header, ...episodes] = fileLines(dir, 'episodes.csv');
    const half = Math.floor(episodes.length / 4);
    mkdirSync(join(dir, 'episodes'));
    writeFileSync(join(dir, 'episodes', '1.csv'), [header, ...episodes.slice(0, half)].join('\n'));
    writeLines(join(dir, 'episodes'), '2.csv', [header!, ...episodes.slice(half)]);
    rmSync(join(dir, 'episodes.csv'));
    // One partition reads every part whole: the reference (the in-memory reader takes no parts).
    const expected = await folderOutputs(dir, scheme, { asOf: AS_OF, partitions: 1, workers: 0 });
    // The header's lone \r ends a row: the blank row after it is row 2.
    expect(expected.rejections).toMatch(/reviews\.csv,1202,/);
    expect(expected.rejections).toMatch(/glue/);
    await expectSlicedRuns(dir, expected, (sliced) => expect(sliced).toBeGreaterThanOrEqual(5));
  }, 120_000);

  it('a quoted cell of many lines that look like rows, which a cut falls inside: the run reads every part whole and gives the bytes of the in-memory run (R-VAL-1)', async () => {
    const dir = tempDir('rpbr-gen-');
    await writeGeneratedDataset({ clients: 4000, seed: 31, errorRate: 0 }, dir);
    const [header, ...rows] = readFileSync(join(dir, 'reviews.csv'), 'utf8').trimEnd().split('\n');
    const at = rows.findIndex((l) => l.startsWith('C0002001,'));
    const note = [...Array.from({ length: 3000 }, () => 'C0000001'), ...Array.from({ length: 3000 }, () => 'C0003000')].join('\n');
    const out = rows.map((l, i) => `${l},${i === at ? `"${note}"` : ''}`);
    writeLines(dir, 'reviews.csv', [`${header},notes`, ...out]);
    // The planning cuts inside the quoted cell (its small reads do not meet a quote).
    const found = await findInputParts(dir);
    const episodes = found.inputs.episodes!;
    const bounds = sampleBounds(episodes, episodes.parts.map((p) => readFileSync(p.path, 'utf8').split('\n')[0]!.split(',')), 2);
    const part = found.inputs.reviews!.parts[0]!;
    const text = readFileSync(part.path, 'utf8');
    const open = text.indexOf('"');
    const slices = planSlices(part.path, part.bytes, 0, 2, rangeRouter(bounds).partitionOfBytes!)!;
    expect(slices).toBeDefined();
    expect(slices[1]!.start > open && slices[1]!.start < text.indexOf('"', open + 1)).toBe(true);
    const expected = await inMemoryOutputs(dir, scheme, AS_OF);
    const { outputs, sliced } = await slicedRun(dir, 0, 2);
    expect(sliced).toBe(0);
    expect(outputs).toEqual(expected);
  }, 120_000);

  it('a row out of client order that the planning did not see: the slice says so, and the run reads every part whole (same bytes)', async () => {
    const dir = tempDir('rpbr-gen-');
    await writeGeneratedDataset({ clients: 300, seed: 32, errorRate: 0 }, dir);
    // The last client's first review moved to the middle of the file.
    const [header, ...rows] = readFileSync(join(dir, 'reviews.csv'), 'utf8').trimEnd().split('\n');
    const last = rows.pop()!;
    rows.splice(Math.floor(rows.length / 2) + 3, 0, last);
    writeLines(dir, 'reviews.csv', [header!, ...rows]);
    // The planning's probes and sample do not meet the moved row: only the partition reading its slice does.
    const found = await findInputParts(dir);
    const episodes = found.inputs.episodes!;
    const bounds = sampleBounds(episodes, episodes.parts.map((p) => readFileSync(p.path, 'utf8').split('\n')[0]!.split(',')), 3);
    const reviews = found.inputs.reviews!.parts[0]!;
    expect(planSlices(reviews.path, reviews.bytes, 0, 3, rangeRouter(bounds).partitionOfBytes!)).toBeDefined();
    const expected = await inMemoryOutputs(dir, scheme, AS_OF);
    await expectSlicedRuns(dir, expected, (sliced) => expect(sliced).toBe(0));
  }, 120_000);

  it('a first partition\'s row in a later slice: the first partition ends without it, and none of its outcomes are written before the run starts again (outcomesTo)', async () => {
    const dir = tempDir('rpbr-gen-');
    await writeGeneratedDataset({ clients: 300, seed: 33, errorRate: 0 }, dir);
    // The first client's reviews moved well into the last partition's rows: on one thread the
    // first partition is read, decided (without them) and done before the last partition's slice
    // tells of them.
    const [header, ...rows] = readFileSync(join(dir, 'reviews.csv'), 'utf8').trimEnd().split('\n');
    const first = idOf(rows[0]!);
    const moved = rows.filter((r) => idOf(r) === first);
    const kept = rows.filter((r) => idOf(r) !== first);
    // Somewhere in the last partition's rows that the planning's probes do not meet.
    let blind = false;
    for (const share of [0.8, 0.75, 0.85, 0.7, 0.9, 0.72, 0.78, 0.82, 0.88]) {
      const placed = [...kept];
      placed.splice(Math.floor(kept.length * share) + 3, 0, ...moved);
      writeLines(dir, 'reviews.csv', [header!, ...placed]);
      const found = await findInputParts(dir);
      const episodes = found.inputs.episodes!;
      const bounds = sampleBounds(episodes, episodes.parts.map((p) => readFileSync(p.path, 'utf8').split('\n')[0]!.split(',')), 3);
      const reviews = found.inputs.reviews!.parts[0]!;
      blind = planSlices(reviews.path, reviews.bytes, 0, 3, rangeRouter(bounds).partitionOfBytes!) !== undefined;
      if (blind) break;
    }
    expect(blind).toBe(true);
    const expected = await inMemoryOutputs(dir, scheme, AS_OF);
    await expectSlicedRuns(dir, expected, (sliced) => expect(sliced).toBe(0));
  }, 120_000);
});
