/**
 * How many partitions a run on a data folder uses by default (src/node/run-folder.ts): one per
 * thread, or more to keep each near PARTITION_BYTES of input — always a multiple of the threads.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PARTITION_BYTES, defaultPartitions } from '../../src/node/run-folder.js';

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
