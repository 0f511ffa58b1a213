/**
 * `clientRecordsInFolder` (what `recovery-pbr explain` reads with): one client's records, checked
 * as a run checks them, give the same explanation as reading the whole data in memory, whatever the
 * number of buckets and threads; rows from a folder of parts are named by their part.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { evaluateClient } from '../../src/engine/index.js';
import { groupByClient, presenceOf } from '../../src/evidence/index.js';
import { explainClient, formatExplanation } from '../../src/explain/index.js';
import { readDataset } from '../../src/io/dataset.js';
import { clientRecordsInFolder } from '../../src/node/run-folder.js';
import { presetScheme } from '../../src/presets/index.js';
import { tempDir as temp } from '../io/helpers.js';
import { runCli as cli } from '../support/cli.js';
import { splitIntoParts } from './support.js';

const demo = 'examples/demo';
const asOf = '2015-03-31';
const scheme = presetScheme('national-model-2012');

describe('clientRecordsInFolder == the in-memory records (explain, R-VAL-2)', () => {
  it.each([
    [{ buckets: 1, workers: 0 }],
    [{ buckets: 6, workers: 0 }],
    [{ buckets: 3, workers: 2 }],
  ] as const)('%j: the same explanation for clients with and without rejected rows', async (opts) => {
    const read = await readDataset(demo, { exitReasonMap: scheme.exitReasons, reviewToleranceDays: scheme.calendar.reviewToleranceDays });
    const all = groupByClient(read.data);
    // Every 60th client, and clients named in rejections (their other rows must still be checked the same way).
    const named = new Set(read.rejections.map((r) => r.value).filter((v) => /^C\d{7}$/.test(v)));
    // Threads take about a second to start for each call: fewer clients there.
    const sample = all.filter((c, i) => i % 60 === 0 || named.has(c.client_id)).slice(0, opts.workers > 0 ? 4 : 45);
    expect(sample.length).toBeGreaterThan(opts.workers > 0 ? 3 : 30);
    if (opts.workers === 0) expect(sample.filter((c) => named.has(c.client_id)).length).toBeGreaterThan(5); // as the title says
    for (const records of sample) {
      const expected = formatExplanation(explainClient(evaluateClient(records, scheme, { asOf, present: presenceOf(read.data) }), scheme, asOf, { records }));
      const got = await clientRecordsInFolder(demo, scheme, records.client_id, { asOf, tempDir: temp('rpbr-pick-'), ...opts });
      expect(got.records, records.client_id).toBeDefined();
      const text = formatExplanation(explainClient(evaluateClient(got.records!, scheme, { asOf, present: got.present }), scheme, asOf, { records: got.records! }));
      expect(text, records.client_id).toBe(expected);
    }
  }, 120_000);

  it('a client with no usable record: undefined, with the count of rejected rows naming it', async () => {
    const got = await clientRecordsInFolder(demo, scheme, 'NOBODY', { asOf });
    expect(got.records).toBeUndefined();
    expect(got.rejectedWithId).toBe(0);
  });
});

describe('clientRecordsInFolder names the client\'s rejected rows (explain, issue #12)', () => {
  /** The reference: rejections.csv lines of rows whose client_id cell is the client, or reviews of its episodes. */
  async function expectedRejections(clientId: string): Promise<string[]> {
    const read = await readDataset(demo, { exitReasonMap: scheme.exitReasons, reviewToleranceDays: scheme.calendar.reviewToleranceDays });
    const cells = (file: string) => {
      const [header, ...rows] = readFileSync(join(demo, `${file}.csv`), 'utf8').trimEnd().split('\n');
      const cols = header!.split(',');
      // Row numbers as a spreadsheet shows them: the header is row 1.
      return new Map(rows.map((r, i) => [i + 2, Object.fromEntries(r.split(',').map((v, k) => [cols[k]!, v.trim()]))]));
    };
    const episodes = [...cells('episodes').values()].filter((r) => r['client_id'] === clientId).map((r) => r['episode_id']);
    const byFile = new Map<string, Map<number, Record<string, string>>>();
    return read.rejections
      .filter((r) => {
        const rows = byFile.get(r.file) ?? byFile.set(r.file, cells(r.file)).get(r.file)!;
        const row = rows.get(r.row)!;
        return row['client_id'] === clientId || (r.file === 'reviews' && episodes.includes(row['episode_id']));
      })
      .map((r) => [r.file, r.row, r.field, r.value, r.reason].join('|'));
  }

  it.each([[{ buckets: 1, workers: 0 }], [{ buckets: 6, workers: 0 }], [{ buckets: 3, workers: 2 }]] as const)(
    '%j: the same rows as the whole data\'s rejections attribute to the client',
    async (opts) => {
      // An episode rejected (and its reviews), a review with a bad value, a review of the client's
      // episode under another client_id (C0000181 / C0000182), a duplicated episode, a client with none.
      const clients = opts.workers > 0 ? ['C0000881', 'C0000181'] : ['C0000881', 'C0000004', 'C0000181', 'C0000182', 'C0000133', 'C0000007'];
      for (const c of clients) {
        const got = await clientRecordsInFolder(demo, scheme, c, { asOf, tempDir: temp('rpbr-pick-'), ...opts });
        const expected = await expectedRejections(c);
        expect(got.rejections.map((r) => [r.file, r.row, r.field, r.value, r.reason].join('|')), c).toEqual(expected);
        if (c !== 'C0000007') expect(expected.length, c).toBeGreaterThan(0);
      }
    },
    120_000,
  );
});

describe('recovery-pbr explain on a folder of parts', () => {
  it('names each row by its part and that part\'s row; otherwise the same explanation', async () => {
    const data = temp('rpbr-parts-');
    const half = Math.floor((readFileSync(join(demo, 'reviews.csv'), 'utf8').trimEnd().split('\n').length - 1) / 2);
    const { rows } = splitIntoParts(demo, data, 'reviews', ['1.csv', '2.csv'], (i) => (i < half ? 0 : 1));
    // A client with reviews in the second part.
    const client = rows[half + 10]!.split(',')[0]!;
    const whole = await cli(['explain', '--scheme', 'national-model-2012', '--data', demo, '--as-of', asOf, '--client', client]);
    const parts = await cli(['explain', '--scheme', 'national-model-2012', '--data', data, '--as-of', asOf, '--client', client]);
    expect(whole.code).toBe(0);
    expect(parts.code).toBe(0);
    expect(parts.stdout).toMatch(/evidence: reviews\/2\.csv row \d+/);
    expect(parts.stdout).not.toMatch(/evidence: reviews row/);
    // Renumber: a row of part 2 is row (n - half) there.
    const renumbered = whole.stdout.replace(/evidence: reviews row (\d+)/g, (_, n: string) => {
      const r = Number(n);
      return r - 1 <= half ? `evidence: reviews/1.csv row ${r}` : `evidence: reviews/2.csv row ${r - half}`;
    });
    expect(parts.stdout).toBe(renumbered);
    // A rejected row of a part is named by its part.
    const rejected = rows.findIndex((r) => r.split(',')[0] === 'C0000004' && r.includes(',21,'));
    const c4 = await cli(['explain', '--scheme', 'national-model-2012', '--data', data, '--as-of', asOf, '--client', 'C0000004']);
    expect(c4.stdout).toContain(`  - reviews/1.csv row ${rejected + 2}: physical_health '21'`);
  });
});
