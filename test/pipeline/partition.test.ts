/**
 * The partitioned pipeline (src/pipeline: read → check → clients → run → merge), driven as a run on a
 * data folder drives it (src/node/partition-task.ts): every partition reads every file, keeps its
 * clients' rows (passing over the others by the bytes of their client_id, and reading in a second
 * pass the other clients' episode rows its own rows name), checks them, evaluates its clients; the
 * main thread merges.
 * The laws, on generated cohorts with deliberate errors (src/generate, `errorRate`):
 * - partition invariance: P = 1 … 5 partitions, split at any client ids, give what one partition
 *   gives — the same rejections (R-VAL-1, R-VAL-2), counts, clients in client_id order (R-JNY-5),
 *   outcomes.csv lines and merged totals (outcome counts, payments);
 * - reconciliation (R-VAL-1): for every file, used + rejected = read = its rows;
 * - row order invariance: the rows of each file shuffled give the same results apart from row
 *   numbers (R-VAL-2 v3: no result depends on row order).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareCodePoint, type IsoDate } from '../../src/calendar/index.js';
import { clientIdOf, generateClients } from '../../src/generate/index.js';
import { csvLine } from '../../src/output/csv.js';
import { singleFileNames } from '../../src/pipeline/positions.js';
import { partitionClients } from '../../src/pipeline/partition.js';
import { RunMerger, runPartition } from '../../src/pipeline/run.js';
import { presenceOf } from '../../src/evidence/index.js';
import { ONE_PARTITION, rangeRouter } from '../../src/pipeline/read.js';
import { presetScheme } from '../../src/presets/index.js';
import { INPUT_FILES, type InputFile } from '../../src/schema/codes.js';
import { columnsOf } from '../../src/schema/records.js';
import type { Rejection } from '../../src/schema/dataset.js';
import type { ClientRecords } from '../../src/evidence/index.js';
import type { Scheme } from '../../src/schema/scheme/index.js';
import { answers, checkedPartition, runInPartitions, type Answers, type PartBytes } from './support.js';

const enc = new TextEncoder();
const ASOF: IsoDate = '2015-03-31';
const SCHEMES: Record<string, Scheme> = {
  'national-model-2012': presetScheme('national-model-2012'),
  'wigan-cohort-2012': presetScheme('wigan-cohort-2012'),
};

/** A generated cohort written as the six CSV files (header + one line per row), as `generate` writes them. */
interface Files {
  header: Record<InputFile, string>;
  lines: Record<InputFile, string[]>;
  clientIds: string[];
}

function cohortFiles(clients: number, seed: number, errorRate: number): Files {
  const header = {} as Record<InputFile, string>;
  const lines = {} as Record<InputFile, string[]>;
  for (const f of INPUT_FILES) {
    header[f] = csvLine(columnsOf(f));
    lines[f] = [];
  }
  const clientIds: string[] = [];
  for (const c of generateClients({ clients, seed, errorRate })) {
    clientIds.push(c.client_id);
    for (const f of INPUT_FILES) {
      const columns = columnsOf(f);
      for (const row of c.rows[f]) lines[f].push(csvLine(columns.map((k) => row[k])));
    }
  }
  return { header, lines, clientIds };
}

/** Partitions that read episode rows of other partitions in a second pass (src/pipeline/read.ts). */
let secondPasses = 0;

/**
 * Runs the pipeline on `files` with one partition per router range, each reading the files' bytes in
 * pieces cut at `cut`, and merges what the partitions hand back as the run on a folder does.
 */
function runPartitioned(files: Files, bounds: readonly string[] | undefined, scheme: Scheme, cut: (n: number) => number[] = () => []): Answers {
  const parts: PartBytes[] = INPUT_FILES.map((f, kind) => {
    const b = enc.encode(files.header[f] + files.lines[f].join(''));
    const at = [0, ...cut(b.length).filter((k) => k > 0 && k < b.length).sort((x, y) => x - y), b.length];
    return { kind, part: 0, name: `${f}.csv`, format: 'csv', pieces: at.slice(1).map((end, i) => b.subarray(at[i]!, end)) };
  });
  const m = runInPartitions(parts, singleFileNames(), bounds, scheme, ASOF);
  secondPasses += m.secondPasses;
  return answers(m);
}

/** Split points among the client ids (and now and then between them), in code point order: P = 1 … 5. */
function boundsArb(ids: readonly string[]): fc.Arbitrary<string[]> {
  const bound = fc.oneof({ arbitrary: fc.constantFrom(...ids), weight: 4 }, { arbitrary: fc.constantFrom(...ids).map((id) => `${id}~`), weight: 1 }, { arbitrary: fc.constantFrom('', 'A', 'C', 'D', 'C00000'), weight: 1 });
  return fc.array(bound, { minLength: 0, maxLength: 4 }).map((b) => [...new Set(b)].sort(compareCodePoint));
}

const cohortArb = fc.record({
  clients: fc.integer({ min: 8, max: 40 }),
  seed: fc.integer({ min: 0, max: 1_000_000 }),
  errorRate: fc.constantFrom(0, 0.05, 0.15),
  scheme: fc.constantFrom(...Object.keys(SCHEMES)),
});

/** R-VAL-1: every file reconciles, and every data row of it is read. */
function expectReconciled(m: Answers, files: Files): void {
  for (const f of INPUT_FILES) {
    const c = m.counts[f]!;
    expect(c.used + c.rejected, f).toBe(c.read);
    expect(c.read, f).toBe(files.lines[f].length);
    expect(m.rejections.filter((r) => r.file === f)).toHaveLength(c.rejected);
    const usedRecords = m.clients.reduce((n, cl) => n + (f === 'clients' ? (cl.client ? 1 : 0) : cl[f].length), 0);
    // The clients file: one usable row per client at most (a second is a duplicate, R-VAL-2).
    expect(usedRecords, f).toBe(c.used);
  }
}

describe('pipeline partition invariance (R-VAL-1, R-VAL-2, R-JNY-5)', () => {
  it('P = 1 … 5 partitions split at any client ids give the rejections, counts, clients, outcomes and totals of one', () => {
    let rejected = 0;
    let partitioned = 0;
    fc.assert(
      fc.property(
        cohortArb.chain((c) => {
          const files = cohortFiles(c.clients, c.seed, c.errorRate);
          return fc.tuple(fc.constant(c), fc.constant(files), boundsArb(files.clientIds), fc.array(fc.nat(), { maxLength: 3 }));
        }),
        ([c, files, bounds, cuts]) => {
          const scheme = SCHEMES[c.scheme]!;
          const one = runPartitioned(files, undefined, scheme);
          expectReconciled(one, files);
          // Clients in client_id order, each once.
          const ids = one.clients.map((r) => r.client_id);
          for (let i = 1; i < ids.length; i++) expect(compareCodePoint(ids[i - 1], ids[i])).toBeLessThan(0);
          const many = runPartitioned(files, bounds, scheme, (n) => cuts.map((k) => k % n));
          expect(many.rejections).toEqual(one.rejections);
          expect(many.counts).toEqual(one.counts);
          expect(many.clients).toEqual(one.clients);
          expect(many.outcomes).toBe(one.outcomes);
          expect(many.totals).toBe(one.totals);
          rejected += one.rejections.length;
          if (bounds.length > 0) partitioned++;
        },
      ),
      { numRuns: 12 },
    );
    // The law must have been tried on faulty rows and on real splits (the second pass over other
    // partitions' episode rows has its own worked example below).
    expect(rejected).toBeGreaterThan(10);
    expect(partitioned).toBeGreaterThan(3);
  });

  it("a run's merger adds partials one at a time and gives its result once (the payments' end adds the fixed payments)", () => {
    const files = cohortFiles(12, 5, 0);
    const scheme = SCHEMES['national-model-2012']!;
    const parts: PartBytes[] = INPUT_FILES.map((f, kind) => ({ kind, part: 0, name: `${f}.csv`, format: 'csv', pieces: [enc.encode(files.header[f] + files.lines[f].join(''))] }));
    const { checked } = checkedPartition(parts, singleFileNames(), ONE_PARTITION, 0, scheme);
    const merger = new RunMerger(scheme, ASOF);
    merger.add(runPartition(checked, { scheme, asOf: ASOF, present: presenceOf(Object.fromEntries(INPUT_FILES.map((f) => [f, true]))) }));
    expect(merger.added).toBe(1);
    expect(merger.result().outcomes.journeys).toBeGreaterThan(0);
    expect(() => merger.result()).toThrow(/asked for its result twice/);
  });

  it('a worked example: four partitions of a faulty cohort, each holding its range of clients', () => {
    const files = cohortFiles(30, 2012, 0.1);
    const scheme = SCHEMES['national-model-2012']!;
    const bounds = [clientIdOf(7), clientIdOf(15), clientIdOf(22)];
    const one = runPartitioned(files, undefined, scheme);
    const four = runPartitioned(files, bounds, scheme);
    expect(four).toEqual(one);
    expectReconciled(one, files);
    expect(one.rejections.length).toBeGreaterThan(5);
    expect(one.outcomes.length).toBeGreaterThan(0);
    // Partition k holds the ids from bounds[k − 1] (inclusive) to bounds[k].
    const router = rangeRouter(bounds);
    expect([clientIdOf(0), clientIdOf(6), clientIdOf(7), clientIdOf(14), clientIdOf(22), clientIdOf(29)].map((id) => router.partitionOf(id))).toEqual([0, 0, 1, 1, 3, 3]);
    // A row whose client_id cannot be read (blank, an NHS number) is partition 0's to reject.
    expect(rangeRouter(['C5']).partitionOf('')).toBe(0);
  });
});

/** `lines` in a random order (Fisher–Yates, from a seed: fast-check shrinks the seed). */
function shuffled<T>(lines: readonly T[], seed: number): T[] {
  const out = lines.slice();
  let x = seed >>> 0 || 1;
  for (let i = out.length - 1; i > 0; i--) {
    // xorshift32
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    const j = (x >>> 0) % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** A rejection apart from where it is: the text of its row, and its reason with row numbers masked. */
function placeless(r: Rejection, files: Files): string {
  const line = files.lines[r.file][r.row - 2]!;
  return JSON.stringify([r.file, line, r.field, r.value, r.reason.replace(/\b(rows?) [\d, ]+/g, '$1 #')]);
}

/** A client apart from row numbers: its records of each kind as a sorted list. */
function rowless(c: ClientRecords): string {
  const strip = (list: readonly object[]) =>
    list
      .map((r) => {
        const { row: _row, ...rest } = r as Record<string, unknown>;
        return JSON.stringify(rest);
      })
      .sort();
  return JSON.stringify([c.client_id, ...INPUT_FILES.filter((f) => f !== 'clients').map((f) => strip(c[f])), c.client ? strip([c.client]) : []]);
}

describe('a partition passes over other partitions\' rows by the bytes of their client_id (R-JNY-5 byte order, R-VAL-1, R-VAL-2)', () => {
  it('partitionOfBytes gives partitionOf\'s answer for any id, bounds and text around it', () => {
    const idArb = fc.string({ unit: fc.constantFrom('C', '0', '1', '9', 'a', '~', ' ', 'é', '中', '😀', '\uffff', '\ue000'), maxLength: 6 });
    fc.assert(
      fc.property(fc.array(idArb, { maxLength: 4 }), idArb, fc.string({ maxLength: 3 }), (raw, id, before) => {
        const router = rangeRouter([...new Set(raw)].sort(compareCodePoint));
        const bytes = enc.encode(before + id);
        const from = enc.encode(before).length;
        expect(router.partitionOfBytes!(bytes, from, bytes.length)).toBe(router.partitionOf(id));
      }),
      { numRuns: 500 },
    );
    // A bound with half a UTF-16 pair has no bytes of its own: such a router routes by the id alone.
    expect(rangeRouter(['\ud800']).partitionOfBytes).toBeUndefined();
    expect(rangeRouter(['C5']).partitionOfBytes).toBeDefined();
  });

  it('ids padded, quoted, non-ASCII, too long, reserved, NHS-shaped or blank: P partitions give what one gives', () => {
    const files = cohortFiles(24, 77, 0.05);
    // Client ids written in forms the byte route must see through or leave to the usual path.
    const forms: Record<string, string> = {
      [clientIdOf(1)]: '  C0000002\t',
      [clientIdOf(4)]: '"C000""0005"',
      [clientIdOf(6)]: 'Cé0000007',
      [clientIdOf(9)]: '__proto__',
      [clientIdOf(11)]: '9434765919',
      [clientIdOf(13)]: '1234567890',
      [clientIdOf(15)]: 'C'.repeat(65),
      [clientIdOf(17)]: '   ',
      [clientIdOf(19)]: '"C0000020"',
      [clientIdOf(21)]: 'C\u00a00000022',
    };
    const rewrite = (line: string) => line.replace(/C00000\d\d(?=,|\n)/g, (id) => forms[id] ?? id);
    const odd: Files = { ...files, lines: Object.fromEntries(INPUT_FILES.map((f) => [f, files.lines[f].map(rewrite)])) as Files['lines'] };
    const scheme = SCHEMES['national-model-2012']!;
    const one = runPartitioned(odd, undefined, scheme);
    expectReconciled(one, odd);
    for (const bounds of [[clientIdOf(5)], ['C0000002', 'C0000010', 'Cé', '_'], ['1', '9', 'C0000020', '__proto__'], [clientIdOf(3), clientIdOf(12), clientIdOf(18)]]) {
      expect(runPartitioned(odd, [...bounds].sort(compareCodePoint), scheme)).toEqual(one);
    }
    // The odd forms were read: the too-long, reserved, NHS-shaped and blank ids rejected, the others used.
    const reasons = one.rejections.filter((r) => r.field === 'client_id').map((r) => r.code);
    expect([...new Set(reasons)]).toEqual(expect.arrayContaining(['too_long', 'reserved_name', 'nhs_number', 'blank_required', 'bad_character']));
    expect(one.clients.map((c) => c.client_id)).toEqual(expect.arrayContaining(['C0000002', 'C000"0005', 'Cé0000007', '1234567890', 'C0000020']));
  });
});

describe('episode rows of other partitions, read in a second pass when needed (R-VAL-2 duplicates and reviews)', () => {
  it('an episode_id of two clients, a review of another client\'s or of a rejected episode: two and three partitions give what one gives', () => {
    const files = cohortFiles(12, 5, 0);
    const A = clientIdOf(1);
    const B = clientIdOf(8);
    const C = clientIdOf(10);
    const episode = (id: string, client: string, start = '2013-01-07', exit = 'completed_drug_free') =>
      csvLine([id, client, 'P901A', 'E08000901', 'opiates', start, '2013-06-03', exit, '2', 'false', '30', 'false']);
    const review = (client: string, id: string) => csvLine([client, id, '2013-03-04', 'review', ...Array(14).fill('')]);
    // Rows of B and C (other partitions than A's) before and after A's.
    const extraEpisodes = [
      episode('X1', B), episode('X1', A), // two clients: conflicting, both rejected
      episode('X2', B, 'not a date'), episode('X2', A), // B's refused: A's used
      episode('X3', A), episode('X3', B, '2013-01-07', 'zzz'), // B's exit code unknown: A's used
      episode('X4', B), episode('X4', B), // identical copies: the first used
      episode('X5', C, 'not a date'),
      episode('X6', B), episode('X6', B, '2013-01-08'), // differ: both rejected
      episode('X7', C, '2013-01-07', 'zzz'),
    ];
    const extraReviews = ['X1', 'X2', 'X3', 'X4', 'X5', 'X6', 'X7', 'X8'].map((id) => review(A, id));
    const odd: Files = { ...files, lines: { ...files.lines, episodes: [...files.lines.episodes, ...extraEpisodes], reviews: [...files.lines.reviews, ...extraReviews] } };
    const scheme = SCHEMES['national-model-2012']!;
    const one = runPartitioned(odd, undefined, scheme);
    expectReconciled(one, odd);
    const before = secondPasses;
    for (const bounds of [[clientIdOf(5)], [clientIdOf(2), clientIdOf(9)], [B, C]]) expect(runPartitioned(odd, bounds, scheme)).toEqual(one);
    expect(secondPasses - before).toBeGreaterThanOrEqual(3);
    // What one partition says of the rows added, row by row (0: the first added): [row, code].
    const codesFrom = (file: InputFile) => {
      const first = files.lines[file].length + 2;
      return one.rejections.filter((r) => r.file === file && r.row >= first).map((r) => [r.row - first, r.code]);
    };
    expect(codesFrom('reviews')).toEqual([
      [0, 'episode_rejected'],
      [3, 'episode_of_another_client'],
      [4, 'episode_rejected'],
      [5, 'episode_rejected'],
      [6, 'episode_rejected'],
      [7, 'unknown_episode'],
    ]);
    expect(codesFrom('episodes')).toEqual([
      [0, 'conflicting_rows'],
      [1, 'conflicting_rows'],
      [2, 'not_a_date'],
      [5, 'unknown_code'],
      [7, 'duplicate_row'],
      [8, 'not_a_date'],
      [9, 'conflicting_rows'],
      [10, 'conflicting_rows'],
      [11, 'unknown_code'],
    ]);
  });
});

describe('a client\'s drug tests made when first read (partitionClients, testsOnFirstRead)', () => {
  it('gives the plain records, each client\'s tests made once and only when read — by a run, for abstinence\'s confirmation (R-OUT-3) alone', () => {
    const files = cohortFiles(40, 11, 0.05);
    const parts: PartBytes[] = INPUT_FILES.map((f, kind) => ({ kind, part: 0, name: `${f}.csv`, format: 'csv', pieces: [enc.encode(files.header[f] + files.lines[f].join(''))] }));
    const scheme = SCHEMES['national-model-2012']!;
    const { checked } = checkedPartition(parts, singleFileNames(), ONE_PARTITION, 0, scheme);
    const plain = [...partitionClients(checked)];
    // Count the test records made, at the table that makes them.
    const tests = checked.reader.tables.drug_tests!;
    const make = tests.record.bind(tests);
    let made = 0;
    tests.record = (r, row, part) => (made++, make(r, row, part));
    const lazy = [...partitionClients(checked, undefined, { testsOnFirstRead: true })];
    expect(made).toBe(0);
    expect(lazy.map((r) => r.client_id)).toEqual(plain.map((r) => r.client_id));
    let total = 0;
    lazy.forEach((r, i) => {
      const p = plain[i]!;
      expect({ client_id: r.client_id, episodes: r.episodes, reviews: r.reviews, drug_tests: r.drug_tests, offences: r.offences, employment: r.employment, client: r.client }).toEqual(p);
      // The same list at every read, made once.
      expect(r.drug_tests).toBe(r.drug_tests);
      total += p.drug_tests.length;
    });
    expect(total).toBeGreaterThan(20);
    expect(made).toBe(total);
    // A run asks for it: it makes the tests of the clients whose abstinence needs confirming alone.
    made = 0;
    runPartition(checked, { scheme, asOf: ASOF, present: presenceOf(Object.fromEntries(INPUT_FILES.map((f) => [f, true]))) });
    expect(made).toBeGreaterThan(0);
    expect(made).toBeLessThan(total);
  });
});

describe('pipeline row order invariance (R-VAL-2: no result depends on row order)', () => {
  it('the rows of every file shuffled: the same rejections, counts, clients, outcomes and totals, apart from row numbers', () => {
    fc.assert(
      fc.property(cohortArb, fc.integer({ min: 1, max: 2 ** 31 }), (c, seed) => {
        const scheme = SCHEMES[c.scheme]!;
        const files = cohortFiles(c.clients, c.seed, c.errorRate);
        const moved: Files = { ...files, lines: { ...files.lines } };
        INPUT_FILES.forEach((f, kind) => (moved.lines[f] = shuffled(files.lines[f], seed + kind)));
        const a = runPartitioned(files, undefined, scheme);
        const b = runPartitioned(moved, undefined, scheme);
        expect(b.counts).toEqual(a.counts);
        expect(b.rejections.map((r) => placeless(r, moved)).sort()).toEqual(a.rejections.map((r) => placeless(r, files)).sort());
        expect(b.clients.map(rowless)).toEqual(a.clients.map(rowless));
        expect(b.outcomes).toBe(a.outcomes);
        expect(b.totals).toBe(a.totals);
      }),
      { numRuns: 10 },
    );
  });
});
