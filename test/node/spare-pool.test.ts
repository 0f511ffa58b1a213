/**
 * The worker threads a pass over a data folder starts before it plans its partitions
 * (src/node/run-folder.ts): taken by the run's first attempt, or stopped when the run needs none
 * or fails before it takes them — never left running.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { writeGeneratedDataset } from '../../src/io/generate.js';
import { findInputParts } from '../../src/io/dataset.js';
import { runFolder, sampleBounds } from '../../src/node/run-folder.js';
import { presetScheme } from '../../src/presets/index.js';
import { tempDir } from '../io/helpers.js';

/** Every pool made, with its number of threads and whether it was stopped; the bounds of each partition task sent. */
const pools = vi.hoisted(() => ({ made: [] as { size: number; stopped: boolean }[], bounds: [] as (readonly string[])[], flags: [] as string[] }));

// V8's flags as the pool sets them (and set all the same).
vi.mock('node:v8', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:v8')>();
  return {
    ...real,
    setFlagsFromString: (flags: string) => {
      pools.flags.push(flags);
      real.setFlagsFromString(flags);
    },
  };
});

// Two cores, whatever the machine: the flag tests make pools of as many threads as the cores, each
// thread loading the sources through tsx, and on a machine of many cores that would be hundreds.
vi.mock('node:os', async (importOriginal) => ({ ...(await importOriginal<typeof import('node:os')>()), availableParallelism: () => 2 }));

vi.mock('../../src/node/pool.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/node/pool.js')>();
  class CountedPool extends real.WorkerPool {
    private readonly seen: { size: number; stopped: boolean };
    constructor(...args: ConstructorParameters<typeof real.WorkerPool>) {
      super(...args);
      this.seen = { size: this.size, stopped: false };
      pools.made.push(this.seen);
    }
    override async close(): Promise<void> {
      await super.close();
      this.seen.stopped = true;
    }
    override async destroy(): Promise<void> {
      await super.destroy();
      this.seen.stopped = true;
    }
    override run<T>(...args: Parameters<InstanceType<typeof real.WorkerPool>['run']>): Promise<T> {
      const body = args[0] as { type: string; task?: { bounds: readonly string[] } };
      if (body.type === 'partition' && body.task) pools.bounds.push(body.task.bounds);
      return super.run<T>(...args);
    }
  }
  return { ...real, WorkerPool: CountedPool };
});

const scheme = presetScheme('national-model-2012');
const AS_OF = '2015-03-31';

async function dataset(clients: number, seed = 41): Promise<string> {
  const dir = tempDir('rpbr-spare-');
  await writeGeneratedDataset({ clients, seed, errorRate: 0 }, dir);
  return dir;
}

/** A run on two threads asking for `partitions`, its figures, and the pools it made (every one stopped by then). */
async function pooledRun(dir: string, partitions: number) {
  pools.made.length = 0;
  const run = await runFolder(dir, scheme, { asOf: AS_OF, workers: 2, partitions, tempDir: tempDir('rpbr-t-') });
  await run.dispose();
  return { workers: run.workers, partitions: run.partitions, pools: pools.made };
}

describe('threads started before the partitions are planned', () => {
  it('a run on two threads takes them (one pool of two, the run reports two threads) and stops them at its end', async () => {
    expect(await pooledRun(await dataset(200), 4)).toEqual({ workers: 2, partitions: 4, pools: [{ size: 2, stopped: true }] });
  }, 60_000);

  it('partitions asked for, but the sample of client ids makes one (no episode row): the run needs no thread, and the ones started are stopped', async () => {
    const dir = await dataset(5);
    const episodes = join(dir, 'episodes.csv');
    writeFileSync(episodes, readFileSync(episodes, 'utf8').split('\n')[0] + '\n');
    expect(await pooledRun(dir, 3)).toEqual({ workers: 0, partitions: 1, pools: [{ size: 2, stopped: true }] });
  }, 60_000);

  it('a run started again (a row out of client order that only its slice meets) stops the first threads and takes new ones, which it stops too', async () => {
    const dir = await dataset(300, 32);
    // The last client's first review moved to the middle of the file (as in test/node/slices.test.ts).
    const path = join(dir, 'reviews.csv');
    const [header, ...rows] = readFileSync(path, 'utf8').trimEnd().split('\n');
    const last = rows.pop()!;
    rows.splice(Math.floor(rows.length / 2) + 3, 0, last);
    writeFileSync(path, [header!, ...rows].join('\n') + '\n');
    expect(await pooledRun(dir, 3)).toEqual({
      workers: 2,
      partitions: 3,
      pools: [
        { size: 2, stopped: true },
        { size: 2, stopped: true },
      ],
    });
  }, 120_000);

  it('the partitions a run hands its threads are drawn with the thread count: 8 on 2 threads, the last two half shares', async () => {
    const dir = await dataset(2000);
    const episodes = (await findInputParts(dir)).inputs.episodes!;
    const header = [readFileSync(join(dir, 'episodes.csv'), 'utf8').split('\n')[0]!.split(',')];
    pools.bounds.length = 0;
    expect(await pooledRun(dir, 8)).toMatchObject({ workers: 2, partitions: 8 });
    expect(pools.bounds).toHaveLength(8);
    const tapered = sampleBounds(episodes, header, 8, 2);
    expect(tapered).not.toEqual(sampleBounds(episodes, header, 8));
    for (const b of pools.bounds) expect(b).toEqual(tapered);
  }, 60_000);

  it('tasks sent and not answered, or waiting for a worker, fail when the pool is stopped at once (destroy)', async () => {
    const { WorkerPool } = await import('../../src/node/pool.js');
    const pool = new WorkerPool(1, () => ({}));
    // One sent to the worker, one waiting for it; stopped before either is answered.
    const tasks = [pool.run({ type: 'close' }), pool.run({ type: 'close' })];
    const stopped = pool.destroy();
    const outcomes = await Promise.race([Promise.allSettled(tasks), new Promise<'still waiting'>((r) => setTimeout(() => r('still waiting'), 5_000))]);
    await stopped;
    expect(outcomes).not.toBe('still waiting');
    for (const o of outcomes as PromiseSettledResult<unknown>[]) {
      expect(o.status).toBe('rejected');
      expect(String((o as PromiseRejectedResult).reason)).toMatch(/stopped before this task ended/);
    }
  }, 60_000);

  /** The flags a pool fills the cores with, as set and put back in this test's process. */
  const held = () => pools.flags.filter((f) => /parallel-scavenge|concurrent-recompilation/.test(f));

  /** Runs `body` with the process taken to have been started with `given` (execArgv; NODE_OPTIONS empty), the flags seen from then on. */
  async function startedWith(given: string[], body: () => Promise<void>): Promise<void> {
    const before = process.execArgv;
    process.execArgv = [...before.filter((a) => !/scavenge|recompilation|single[-_]threaded|predictable/.test(a)), ...given];
    vi.stubEnv('NODE_OPTIONS', '');
    pools.flags.length = 0;
    try {
      await body();
    } finally {
      process.execArgv = before;
      vi.unstubAllEnvs();
    }
  }

  it('young collections are not shared out, nor optimising compiles handed to a helper thread, while a pool that fills the cores runs; both are again once the last one stops', async () => {
    const { WorkerPool } = await import('../../src/node/pool.js');
    const cores = availableParallelism();
    await startedWith([], async () => {
      const a = new WorkerPool(cores, () => ({}));
      const b = new WorkerPool(cores, () => ({}));
      try {
        expect(held()).toEqual(['--no-parallel-scavenge', '--no-concurrent-recompilation']);
        await a.destroy();
        expect(held()).toEqual(['--no-parallel-scavenge', '--no-concurrent-recompilation']);
      } finally {
        await a.destroy();
        await b.close();
      }
      expect(held()).toEqual(['--no-parallel-scavenge', '--no-concurrent-recompilation', '--parallel-scavenge', '--concurrent-recompilation']);
      // A pool of fewer threads than the cores leaves the helpers alone.
      if (cores > 1) {
        const small = new WorkerPool(cores - 1, () => ({}));
        await small.close();
        expect(held()).toHaveLength(4);
      }
    });
  }, 60_000);

  it('a flag the process was started with is left as it is, each on its own: the pool sets and puts back only the others', async () => {
    const { WorkerPool } = await import('../../src/node/pool.js');
    const cases: [string[], string[]][] = [
      [['--single-threaded-gc'], ['--no-concurrent-recompilation', '--concurrent-recompilation']],
      [['--noparallel-scavenge'], ['--no-concurrent-recompilation', '--concurrent-recompilation']],
      [['--concurrent-recompilation'], ['--no-parallel-scavenge', '--parallel-scavenge']],
      [['--no_concurrent_recompilation'], ['--no-parallel-scavenge', '--parallel-scavenge']],
      [['--single-threaded'], []],
      [['--predictable'], []],
    ];
    for (const [given, expected] of cases) {
      await startedWith(given, async () => {
        const pool = new WorkerPool(availableParallelism(), () => ({}));
        await pool.close();
        expect({ given, flags: held() }).toEqual({ given, flags: expected });
      });
    }
  }, 60_000);

  it('a pool whose setup throws stops the threads it made and gives the flags back', async () => {
    const { WorkerPool } = await import('../../src/node/pool.js');
    const cores = availableParallelism();
    await startedWith([], async () => {
      expect(
        () =>
          new WorkerPool(cores, (i) => {
            if (i === cores - 1) throw new Error('setup failed');
            return {};
          }),
      ).toThrow('setup failed');
      expect(held()).toEqual(['--no-parallel-scavenge', '--no-concurrent-recompilation', '--parallel-scavenge', '--concurrent-recompilation']);
      // The count is back to none: the next pool sets the flags again.
      const pool = new WorkerPool(cores, () => ({}));
      await pool.close();
      expect(held()).toHaveLength(8);
    });
  }, 60_000);

  it('a task sent to a pool already stopped is refused at once rather than left waiting', async () => {
    const { WorkerPool } = await import('../../src/node/pool.js');
    const pool = new WorkerPool(1, () => ({}));
    await pool.destroy();
    await expect(pool.run({ type: 'close' })).rejects.toThrow(/already stopped/);
  }, 60_000);

  it('a pass that fails after starting them (its temporary folder cannot be made) stops them', async () => {
    const dir = await dataset(50);
    const notAFolder = join(tempDir('rpbr-t-'), 'file');
    writeFileSync(notAFolder, 'x');
    pools.made.length = 0;
    await expect(runFolder(dir, scheme, { asOf: AS_OF, workers: 2, partitions: 2, tempDir: notAFolder })).rejects.toThrow(/ENOTDIR|not a (directory|folder)/i);
    expect(pools.made).toEqual([{ size: 2, stopped: true }]);
  }, 60_000);
});
