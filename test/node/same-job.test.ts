/**
 * A run job reused from one partition to the next (src/node/worker.ts, sameRunAsBefore) is reused
 * only where each task's job is a copy: in a worker thread. On the calling thread a partition is
 * given the caller's own scheme, which the caller may change in place between runs.
 */
import { describe, expect, it } from 'vitest';
import { writeGeneratedDataset } from '../../src/io/generate.js';
import { presetScheme } from '../../src/presets/index.js';
import { tempDir } from '../io/helpers.js';
import { folderOutputs, inMemoryOutputs } from '../run/support.js';

const AS_OF = '2015-03-31';

describe('a scheme changed in place between runs on the calling thread', () => {
  it('a later run of an equal scheme object is answered from that object, not from the one changed since', async () => {
    const dir = tempDir('rpbr-same-');
    await writeGeneratedDataset({ clients: 300, seed: 43, errorRate: 0 }, dir);
    const options = { asOf: AS_OF, partitions: 2, workers: 0 };
    // The outputs of the preset, by the in-memory run (no partition task, no job reused).
    const expected = await inMemoryOutputs(dir, presetScheme('national-model-2012'), AS_OF);
    // Run with one object, then change that object's prices in place.
    const changed = presetScheme('national-model-2012');
    expect(await folderOutputs(dir, changed, options)).toEqual(expected);
    const prices = changed.tariff!.outcomes['free-from-dependence']!;
    for (const band of Object.keys(prices)) prices[band] = '1.00' as never;
    // A fresh object equal to the scheme as it was: the run follows it, not the object changed since.
    expect(await folderOutputs(dir, presetScheme('national-model-2012'), options)).toEqual(expected);
    // And the changed object's run shows its own prices.
    expect((await folderOutputs(dir, changed, options)).payments).not.toEqual(expected.payments);
  }, 60_000);
});
