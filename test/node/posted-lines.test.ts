/**
 * outcomes.csv written as a run in worker threads goes (src/node/run-folder.ts, PostedOutcomesWriter):
 * the threads hand their lines over in slots of shared memory; the file is the in-memory run's,
 * whatever the number of partitions, and a failing write ends the run with that failure — the
 * threads, which may be waiting for a slot, are not left hanging.
 */
import { describe, expect, it } from 'vitest';
import { writeGeneratedDataset } from '../../src/io/generate.js';
import type { FileSink } from '../../src/io/write.js';
import { runFolder } from '../../src/node/run-folder.js';
import { presetScheme } from '../../src/presets/index.js';
import { tempDir } from '../io/helpers.js';
import { folderOutputs, inMemoryOutputs } from '../run/support.js';

const AS_OF = '2015-03-31';
const scheme = presetScheme('national-model-2012');

/** A sink that keeps what it is given, and fails its `failAt`-th write (1-based) with ENOSPC. */
function failingSink(failAt: number): FileSink & { writes: number } {
  let bytes = 0;
  const sink = {
    writes: 0,
    get bytes() {
      return bytes;
    },
    async write(data: string | Uint8Array) {
      sink.writes++;
      await new Promise((resolve) => setImmediate(resolve));
      if (sink.writes === failAt) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
      bytes += typeof data === 'string' ? Buffer.byteLength(data) : data.length;
    },
    async sync() {},
    async restart() {
      bytes = 0;
    },
    async close() {},
  };
  return sink;
}

describe('outcomes.csv from worker threads, in shared slots', () => {
  it('the bytes of the in-memory run, in 2 to 5 partitions on 2 threads (a later partition\'s lines held till its turn)', async () => {
    const dir = tempDir('rpbr-gen-');
    await writeGeneratedDataset({ clients: 400, seed: 41 }, dir);
    const expected = await inMemoryOutputs(dir, scheme, AS_OF);
    for (const partitions of [2, 3, 5]) {
      let workers = -1;
      const got = await folderOutputs(dir, scheme, { asOf: AS_OF, partitions, workers: 2 }, (run) => void (workers = run.workers));
      expect(workers).toBe(2);
      expect(got).toEqual(expected);
    }
  }, 60_000);

  it('a write that fails ends the run with that failure, whichever write it is (no thread left waiting)', async () => {
    const dir = tempDir('rpbr-gen-');
    await writeGeneratedDataset({ clients: 400, seed: 42 }, dir);
    for (const failAt of [1, 2, 3]) {
      const sink = failingSink(failAt);
      await expect(runFolder(dir, scheme, { asOf: AS_OF, partitions: 3, workers: 2, outcomesTo: sink })).rejects.toThrow(/ENOSPC/);
      expect(sink.writes).toBeGreaterThanOrEqual(failAt);
    }
  }, 60_000);
});
