/**
 * How many partitions a run on a data folder uses by default (src/node/run-folder.ts): one per
 * thread, or more to keep each near PARTITION_BYTES of input — always a multiple of the threads;
 * and each partition's share of the clients (the last ones shorter, so threads end together).
 */
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findInputParts } from '../../src/io/dataset.js';
import { writeGeneratedDataset } from '../../src/io/generate.js';
import { rangeRouter } from '../../src/pipeline/read.js';
import { PARTITION_BYTES, defaultPartitions, partitionShares, sampleBounds } from '../../src/node/run-folder.js';
import { tempDir } from '../io/helpers.js';

const MiB = 2 ** 20;

describe('defaultPartitions', () => {
  it('worked cases: the bench cohorts on 2 threads, and no threads', () => {
    expect(defaultPartitions(75 * MiB, 2)).toBe(2); // 100k clients
    expect(defaultPartitions(756 * MiB, 2)).toBe(8); // 1M
    expect(defaultPartitions(1512 * MiB, 2)).toBe(16); // 2M
    expect(defaultPartitions(756 * MiB, 0)).toBe(8);
    expect(defaultPartitions(10 * MiB, 0)).toBe(1);
  });

  it('at least one per thread, a multiple of the threads, none much over PARTITION_BYTES', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 20_000 * MiB }), fc.integer({ min: 0, max: 4 }), (bytes, workers) => {
        const n = defaultPartitions(bytes, workers);
        expect(n).toBeGreaterThanOrEqual(Math.max(1, workers));
        if (workers > 1) expect(n % workers).toBe(0);
        expect(bytes / n).toBeLessThanOrEqual(PARTITION_BYTES);
        // Not needlessly many: one fewer round of threads would be over the size.
        if (n > Math.max(1, workers)) expect(bytes / (n - Math.max(1, workers))).toBeGreaterThan(PARTITION_BYTES);
      }),
    );
  });
});

describe('partitionShares', () => {
  it('worked cases: the 1M bench on 2 threads, the same on 4 (two rounds: too few to taper), one thread', () => {
    expect(partitionShares(8, 2)).toEqual([1, 1, 1, 1, 1, 1, 0.5, 0.5]);
    expect(partitionShares(16, 4)).toEqual([...Array<number>(12).fill(1), 0.5, 0.5, 0.5, 0.5]);
    expect(partitionShares(8, 4)).toEqual([1, 1, 1, 1, 1, 1, 1, 1]);
    expect(partitionShares(4, 2)).toEqual([1, 1, 1, 1]);
    expect(partitionShares(4, 1)).toEqual([1, 1, 1, 1]);
  });

  it('whole shares then, at the end, one half share per thread or none; halves only with threads, at most a quarter of the partitions, always with four rounds; no partition over 8/7 of an even share', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 64 }), fc.integer({ min: 0, max: 8 }), (partitions, threads) => {
        const shares = partitionShares(partitions, threads);
        expect(shares).toHaveLength(partitions);
        for (const s of shares) expect([1, 0.5]).toContain(s);
        // Never a whole share after a half one: the short partitions are the last handed out.
        shares.forEach((s, k) => k > 0 && expect(s).toBeLessThanOrEqual(shares[k - 1]!));
        const halves = shares.filter((s) => s === 0.5).length;
        if (threads <= 1) expect(halves).toBe(0);
        else expect([0, threads]).toContain(halves);
        expect(halves * 4).toBeLessThanOrEqual(partitions);
        if (threads > 1 && partitions >= 4 * threads) expect(halves).toBe(threads);
        // The largest partition's part of the whole, against an even share (1 / partitions).
        const total = shares.reduce((a, s) => a + s, 0);
        expect((Math.max(...shares) / total) * partitions).toBeLessThanOrEqual(8 / 7 + 1e-12);
      }),
    );
  });
});

describe('sampleBounds', () => {
  it('shares the clients out as partitionShares says: eight partitions on 2 threads hold about 1/7 each, the last two 1/14', async () => {
    const dir = tempDir('rpbr-gen-');
    await writeGeneratedDataset({ clients: 6000, seed: 41, errorRate: 0 }, dir);
    const episodes = (await findInputParts(dir)).inputs.episodes!;
    const header = episodes.parts.map((p) => readFileSync(p.path, 'utf8').split('\n')[0]!.split(','));
    const lines = readFileSync(join(dir, 'episodes.csv'), 'utf8').trimEnd().split('\n');
    const at = header[0]!.indexOf('client_id');
    const ids = [...new Set(lines.slice(1).map((l) => l.split(',')[at]!))];
    const share = (bounds: string[]) => {
      const { partitionOf } = rangeRouter(bounds);
      const counts = new Array<number>(bounds.length + 1).fill(0);
      for (const id of ids) counts[partitionOf(id)]!++;
      return counts.map((c) => c / ids.length);
    };
    const tapered = share(sampleBounds(episodes, header, 8, 2));
    expect(tapered).toHaveLength(8);
    tapered.forEach((got, k) => expect(Math.abs(got - (k < 6 ? 1 / 7 : 1 / 14))).toBeLessThan(0.015));
    // One thread (or too few partitions for the threads): like shares, as before.
    const even = share(sampleBounds(episodes, header, 8));
    even.forEach((got) => expect(Math.abs(got - 1 / 8)).toBeLessThan(0.015));
    expect(share(sampleBounds(episodes, header, 8, 4))).toEqual(even);
  }, 60_000);

  it('bounds in code point order (R-JNY-5), with ids beyond U+FFFF and in U+E000–U+FFFF, where UTF-16 order differs', () => {
    const dir = tempDir('rpbr-ids-');
    // Ids a client per line, sorted by code point: the private-use ones (U+E000…) before the emoji (U+1F600…).
    const ids = [...Array.from({ length: 40 }, (_, i) => `C${String.fromCodePoint(0xe000 + i)}`), ...Array.from({ length: 40 }, (_, i) => `C${String.fromCodePoint(0x1f600 + i)}`)];
    const path = join(dir, 'episodes.csv');
    writeFileSync(path, ['episode_id,client_id', ...ids.map((id, i) => `E${i},${id}`)].join('\n') + '\n');
    const set = { name: 'episodes.csv', bytes: statSync(path).size, parts: [{ kind: 0, part: 0, path, name: 'episodes.csv', format: 'csv' as const, bytes: statSync(path).size }] };
    const bounds = sampleBounds(set as never, [['episode_id', 'client_id']], 2);
    // The median id: the first emoji (UTF-16 order would put every emoji first).
    expect(bounds).toEqual([ids[40]]);
  });
});
