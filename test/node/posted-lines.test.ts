/**
 * outcomes.csv written as a run in worker threads goes (src/node/run-folder.ts, PostedOutcomesWriter):
 * the threads hand their lines over in slots of shared memory; the file is the in-memory run's,
 * whatever the number of partitions, and a failing write ends the run with that failure — the
 * threads, which may be waiting for a slot, are not left hanging.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeGeneratedDataset } from '../../src/io/generate.js';
import { runFolder } from '../../src/node/run-folder.js';
import { presetScheme } from '../../src/presets/index.js';
import { tempDir } from '../io/helpers.js';
import { folderOutputs, inMemoryOutputs } from '../run/support.js';
import { memorySink } from '../support/sinks.js';

const AS_OF = '2015-03-31';
const scheme = presetScheme('national-model-2012');
/**
 * Slots so few that threads wait for them (a partition's lines here are some 100 KB), a few of a
 * later partition's copied and the rest held in their slots; slots shorter than most clients'
 * lines (sent as copies); none copied (every later piece keeps its slot).
 */
const TINY = { slots: 2, bytes: 4096, held: 16384 };
const SHORT = { slots: 2, bytes: 256, held: 1024 };
const NONE_COPIED = { slots: 2, bytes: 4096, held: 0 };

/** A sink in memory whose `failAt`-th write (1-based) fails with ENOSPC. */
const failingSink = (failAt: number) => memorySink((_, n) => n === failAt);

describe('outcomes.csv from worker threads, in shared slots', () => {
  it('the bytes of the in-memory run, in 2 and 5 partitions on 2 threads (a later partition\'s lines held till its turn; R-PAY-7)', async () => {
    const dir = tempDir('rpbr-gen-');
    await writeGeneratedDataset({ clients: 400, seed: 41 }, dir);
    const expected = await inMemoryOutputs(dir, scheme, AS_OF);
    for (const partitions of [2, 5]) {
      let workers = -1;
      const got = await folderOutputs(dir, scheme, { asOf: AS_OF, partitions, workers: 2 }, (run) => void (workers = run.workers));
      expect(workers).toBe(2);
      expect(got).toEqual(expected);
    }
  }, 60_000);

  it('slots so small that the threads wait for them, on 2 and 4 threads, copied or held as they are: the same bytes (R-PAY-7)', async () => {
    const dir = tempDir('rpbr-gen-');
    await writeGeneratedDataset({ clients: 400, seed: 43 }, dir);
    const expected = await inMemoryOutputs(dir, scheme, AS_OF);
    for (const [workers, partitions, lineSlots] of [
      [2, 3, TINY],
      [4, 5, TINY],
      [2, 3, SHORT],
      [2, 4, NONE_COPIED],
      [4, 4, NONE_COPIED],
    ] as const) {
      expect(await folderOutputs(dir, scheme, { asOf: AS_OF, partitions, workers, lineSlots })).toEqual(expected);
    }
  }, 60_000);

  it('slots of no size are refused plainly, before anything is read or written', async () => {
    const dir = tempDir('rpbr-gen-');
    await writeGeneratedDataset({ clients: 20, seed: 44 }, dir);
    for (const lineSlots of [
      { slots: 0, bytes: 256, held: 0 },
      { slots: 2, bytes: 0, held: 0 },
      { slots: 1.5, bytes: 256, held: 0 },
      { slots: 2, bytes: 256, held: -1 },
    ]) {
      await expect(runFolder(dir, scheme, { asOf: AS_OF, workers: 2, partitions: 2, outcomesTo: failingSink(99), lineSlots })).rejects.toThrow(/lineSlots must be at least 1 slot of at least 64 bytes/);
    }
  });

  it('a broken input while a later partition\'s lines wait in their slots till their turn: the run ends with the input\'s error, not a hang', async () => {
    const dir = tempDir('rpbr-gen-');
    await writeGeneratedDataset({ clients: 400, seed: 45, errorRate: 0 }, dir);
    // Text after a closing quote on the 5th review (the first partition's): a syntax error that stops the reading.
    const path = join(dir, 'reviews.csv');
    const lines = readFileSync(path, 'utf8').split('\n');
    lines[5] = lines[5]!.replace(/,([^,]*)$/, ',"$1"x');
    writeFileSync(path, lines.join('\n'));
    const run = runFolder(dir, scheme, { asOf: AS_OF, partitions: 2, workers: 2, outcomesTo: failingSink(0), lineSlots: NONE_COPIED });
    await expect(run).rejects.toThrow(/reviews\.csv: in row 6 .*text after its closing quote/);
  }, 30_000);

  it('a row out of client order in one partition\'s slice and a syntax error in the other\'s: the run reports the input\'s own error, whichever comes first', async () => {
    const dir = tempDir('rpbr-gen-');
    await writeGeneratedDataset({ clients: 300, seed: 46, errorRate: 0 }, dir);
    // The last client's reviews in the first partition's rows (its slice finds a row that is not its
    // own: the run starts again), and a syntax error late in drug_tests.csv (the second partition's).
    const edit = (name: string, change: (rows: string[]) => string[]) => {
      const [header, ...rows] = readFileSync(join(dir, name), 'utf8').trimEnd().split('\n');
      writeFileSync(join(dir, name), [header!, ...change(rows)].join('\n') + '\n');
    };
    edit('reviews.csv', (rows) => {
      const last = rows[rows.length - 1]!.split(',')[0];
      const moved = rows.filter((r) => r.split(',')[0] === last);
      const kept = rows.filter((r) => r.split(',')[0] !== last);
      kept.splice(Math.floor(kept.length * 0.3), 0, ...moved);
      return kept;
    });
    edit('drug_tests.csv', (rows) => {
      const at = Math.floor(rows.length * 0.9);
      rows[at] = rows[at]!.replace(/,([^,]*)$/, ',"$1"x');
      return rows;
    });
    // The main thread busy at the start, so that both threads' news waits in the queue together.
    let busy = true;
    const onProgress = () => {
      if (!busy) return;
      busy = false;
      const until = Date.now() + 1500;
      while (Date.now() < until);
    };
    const run = runFolder(dir, scheme, { asOf: AS_OF, partitions: 2, workers: 2, outcomesTo: failingSink(0), lineSlots: NONE_COPIED, onProgress });
    await expect(run).rejects.toThrow(/drug_tests\.csv: in row \d+ .*text after its closing quote/);
  }, 30_000);

  it('a write that fails ends the run with that failure, whichever write it is (no thread left waiting)', async () => {
    const dir = tempDir('rpbr-gen-');
    await writeGeneratedDataset({ clients: 400, seed: 42 }, dir);
    for (const lineSlots of [undefined, TINY, SHORT, NONE_COPIED]) {
      // Small slots make many writes: the 40th is well into the run.
      for (const failAt of lineSlots ? [2, 40] : [1, 3]) {
        const sink = failingSink(failAt);
        await expect(runFolder(dir, scheme, { asOf: AS_OF, partitions: 3, workers: 2, outcomesTo: sink, ...(lineSlots ? { lineSlots } : {}) })).rejects.toThrow(/ENOSPC/);
        expect(sink.writes).toBeGreaterThanOrEqual(failAt);
      }
    }
  }, 60_000);
});
