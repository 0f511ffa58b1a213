/**
 * Issue #6: the national-scale runner (partitioned by client, buckets on disk, worker threads)
 * gives byte-identical outputs to the in-memory path (readDataset → runScheme), whatever the
 * number of buckets and threads.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeGeneratedDataset } from '../../src/io/generate.js';
import { presetScheme } from '../../src/presets/index.js';
import type { Scheme } from '../../src/schema/scheme/index.js';
import { tempDir as temp } from '../io/helpers.js';
import { folderOutputs, inMemoryOutputs } from './support.js';

const AS_OF = '2015-03-31';
const demo = 'examples/demo';

/** The national model with caps on results payments and a yearly limit per client (R-PAY-4, R-OUT-10). */
function cappedScheme(): Scheme {
  const s = presetScheme('national-model-2012');
  return {
    ...s,
    contract: {
      ...s.contract!,
      defaultTerms: { annualValue: '200000', pbrShare: '0.25', cap: '9000' },
      capCovers: ['attachment', 'outcome'],
    },
    tariff: { ...s.tariff!, maxPerClientPerYear: { 'free-from-dependence': 1 } },
  };
}

describe('runFolder == in-memory run (issue #6, R-PAY-7)', () => {
  it.each([
    ['national-model-2012', { partitions: 1, workers: 0 }],
    ['national-model-2012', { partitions: 4, workers: 0 }],
    ['wigan-cohort-2012', { partitions: 3, workers: 0 }],
    ['employment-outcome', { partitions: 2, workers: 0 }],
  ] as const)('demo data, %s, %j: outcomes, payments, rejections and summary byte-identical', async (id, opts) => {
    const scheme = presetScheme(id);
    const expected = await inMemoryOutputs(demo, scheme, AS_OF);
    const got = await folderOutputs(demo, scheme, { asOf: AS_OF, tempDir: temp('rpbr-t-'), ...opts });
    expect(got).toEqual(expected);
  });

  it.each([true, false])('caps (with per-client limits: %s): the chronological cap cut is the same across buckets', async (limits) => {
    const capped = cappedScheme();
    const scheme = limits ? capped : { ...capped, tariff: { ...capped.tariff!, maxPerClientPerYear: {} } };
    const expected = await inMemoryOutputs(demo, scheme, AS_OF);
    expect(expected.payments).toMatch(/,[1-9]\d*\.\d\d\n/); // some amount was cut by the cap
    const got = await folderOutputs(demo, scheme, { asOf: AS_OF, partitions: 5, workers: 0 });
    expect(got).toEqual(expected);
  });

  it('random cohorts with faulty rows (duplicates, foreign and rejected episodes, bad codes): any K gives the in-memory bytes', async () => {
    for (const [seed, buckets] of [
      [101, 2],
      [202, 3],
      [303, 7],
    ] as const) {
      const dir = temp('rpbr-gen-');
      await writeGeneratedDataset({ clients: 150, seed, errorRate: 0.15 }, dir);
      const scheme = presetScheme('national-model-2012');
      const expected = await inMemoryOutputs(dir, scheme, AS_OF);
      expect(expected.rejections.split('\n').length).toBeGreaterThan(20);
      expect(await folderOutputs(dir, scheme, { asOf: AS_OF, partitions: buckets, workers: 0 })).toEqual(expected);
    }
  });

  it('quoted cells, CRLF line ends, a BOM, blank lines, an extra column and NDJSON files: the same bytes as in memory', async () => {
    const dir = temp('rpbr-shapes-');
    const src = temp('rpbr-gen-');
    await writeGeneratedDataset({ clients: 200, seed: 9, errorRate: 0.1 }, src);
    const quote = (c: string) => `"${c.replace(/"/g, '""')}"`;
    for (const file of ['episodes', 'reviews', 'drug_tests', 'offences', 'employment', 'clients']) {
      const [header, ...rows] = readFileSync(join(src, `${file}.csv`), 'utf8').trimEnd().split('\n');
      if (file === 'offences') {
        // NDJSON, values as strings (blank = empty string).
        const cols = header!.split(',');
        writeFileSync(join(dir, 'offences.ndjson'), rows.map((r) => JSON.stringify(Object.fromEntries(r.split(',').map((v, i) => [cols[i], v])))).join('\n') + '\n');
        continue;
      }
      const out = [`${header},note`, ...rows.map((r, i) => (i % 5 === 0 ? r.split(',').map(quote).join(',') + ',"a, b"' : `${r},x`))];
      if (file === 'episodes') out.splice(3, 0, '', '   ');
      writeFileSync(join(dir, `${file}.csv`), '\ufeff' + out.join('\r\n') + '\r\n');
    }
    const scheme = presetScheme('national-model-2012');
    const expected = await inMemoryOutputs(dir, scheme, AS_OF);
    expect(await folderOutputs(dir, scheme, { asOf: AS_OF, partitions: 3, workers: 0 })).toEqual(expected);
  });

  it('worker threads (2) give the same bytes as one thread, and as the in-memory run', async () => {
    const dir = temp('rpbr-gen-');
    await writeGeneratedDataset({ clients: 400, seed: 7, errorRate: 0.05 }, dir);
    const scheme = presetScheme('national-model-2012');
    const expected = await inMemoryOutputs(dir, scheme, AS_OF);
    const tempDir = temp('rpbr-t-');
    expect(await folderOutputs(dir, scheme, { asOf: AS_OF, partitions: 3, workers: 2, tempDir })).toEqual(expected);
    expect(await folderOutputs(dir, scheme, { asOf: AS_OF, partitions: 3, workers: 1, tempDir })).toEqual(expected);
    // Four partitions a thread: the last two half as large (partitionShares), the same bytes.
    expect(await folderOutputs(dir, scheme, { asOf: AS_OF, partitions: 8, workers: 2, tempDir })).toEqual(expected);
    expect(readdirSync(tempDir)).toEqual([]);
    // Worker threads started from the TypeScript sources load tsx first: slow on a busy machine.
  }, 120_000);
});
