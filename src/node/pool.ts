/**
 * A small pool of worker threads for a partitioned run (issue #6). Tasks go to the first idle
 * worker; a worker's failure fails its task (a `RecoveryPbrError` stays one, with its code and problems, so the command
 * line reports it as a problem with the input).
 * @module
 */
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { availableParallelism } from 'node:os';
import { setFlagsFromString } from 'node:v8';
import { Worker } from 'node:worker_threads';
import { RecoveryPbrError, type ErrorCode, type Problem } from '../errors.js';
import type { WorkerSetup, WorkerTaskBody } from './worker.js';

declare const __filename: string | undefined;

/** Where this module is (ESM, or the CommonJS build). */
function here(): string {
  try {
    const url = import.meta.url;
    if (url) return url;
  } catch {
    // CommonJS build: no import.meta
  }
  return pathToFileURL(typeof __filename === 'string' ? __filename : process.argv[1] ?? '.').href;
}

/**
 * How to start a worker: the built `worker.js` beside the bundle, or, from the TypeScript sources
 * (tests, `npm run cli`), `worker.ts` through tsx. `undefined` when neither is found.
 * @example workerEntry()?.eval // false when run from dist/
 */
export function workerEntry(): { file: URL | string; eval: boolean } | undefined {
  const base = here();
  const built = new URL('./worker.js', base);
  if (base.endsWith('.js') || base.endsWith('.cjs') || base.endsWith('.mjs')) {
    if (existsSync(fileURLToPath(built))) return { file: built, eval: false };
  }
  const source = new URL('./worker.ts', base);
  if (existsSync(fileURLToPath(source))) {
    const code = `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(source.href)}); })`;
    return { file: code, eval: true };
  }
  return undefined;
}

type Pending = {
  resolve: (v: unknown) => void;
  reject: (e: Error) => void;
  onMessage?: (m: { type: string; [k: string]: unknown }) => void;
};

/**
 * The old generation, in MiB, below which V8 starts no full collection in a worker thread (a floor
 * for the thread's whole life, not memory taken up front). A partition's evaluation keeps about
 * 60 MiB alive but makes about 10 GB of records and decisions that live as long as one client (1M
 * clients, a thread). Left to itself, V8 lowers its limit early from what survives, so full
 * collections ran during the evaluation, and in about four runs of five at 1M one of them tipped
 * the thread into a state where about a quarter of what each young collection met survived and was
 * promoted (1.9–2.5 GB a thread instead of 0.1 GB): young collections took 4–8 s a thread instead
 * of under 1 s and the run 1.6 times as long (bench/README.md, thirteenth session). Which runs fell
 * into it depended on what the heap held before (a 50 MiB map freed before the evaluation kept it
 * away). With this floor fewer full collections run during a partition's evaluation; one run of
 * about forty measured still fell into it on that session's machine, about one in eight on the next
 * session's (bench/README.md, fourteenth session). Peak memory at 1M did not grow (650–700 MiB).
 */
export const WORKER_INITIAL_OLD_SPACE_MIB = 256;

let flagsSet = false;
/** Pools alive whose threads fill the cores: while there is one, the flags of CORE_FILLING_FLAGS hold. */
let poolsFillingCores = 0;

/** Whether the process was started with a V8 flag matching `pattern` (which the pool then leaves as it is). */
function flagGiven(pattern: RegExp): boolean {
  const given = [...process.execArgv, ...(process.env['NODE_OPTIONS'] ?? '').split(/\s+/)];
  return given.some((a) => pattern.test(a));
}

/**
 * The V8 flags a pool whose threads fill the cores sets while it runs ({@link setWorkerFlags}): each
 * with the flags of the process's own that settle the same thing (the pool then leaves it as it
 * is), and the flag that puts V8's default back when the last such pool stops.
 */
const CORE_FILLING_FLAGS: readonly { given: RegExp; set: string; back: string }[] = [
  // V8 reads `--no-x`, `--no_x` and `--nox` alike; `--predictable` implies `--single-threaded`.
  { given: /^--(no[-_]?)?(parallel[-_]scavenge|single[-_]threaded([-_]gc)?|predictable)(=|$)/, set: '--no-parallel-scavenge', back: '--parallel-scavenge' },
  { given: /^--(no[-_]?)?(concurrent[-_]recompilation|single[-_]threaded|predictable)(=|$)/, set: '--no-concurrent-recompilation', back: '--concurrent-recompilation' },
];
/** The flags that put V8's defaults back, of those a pool filling the cores set (see CORE_FILLING_FLAGS). */
let flagsToPutBack: string[] = [];

/**
 * Sets V8's flags for worker threads, once per process, before the first is made. They are V8's,
 * so they hold for the whole process: threads a program makes later get them too. The last two
 * below are the exception, set and taken back with the pools that fill the cores ({@link WorkerPool}).
 * - {@link WORKER_INITIAL_OLD_SPACE_MIB} as the initial old generation (the main thread's heap, made
 *   before, keeps its own). A size given when the process started is kept.
 * - No allocation-site pretenuring. V8 notes which places in the code make objects that outlive a
 *   young collection and then makes that place's objects straight in the old generation. A
 *   partition's hot code is compiled once per thread and lasts (src/ingest/table.ts), so such
 *   notes add up over the thread's partitions. A client's records and decisions live as long as
 *   the client: some outlive a collection, none outlives the partition. Made in the old
 *   generation, they raised peak memory at 1M from about 630 to 870–910 MiB, with more full
 *   collections, and the run took 1.1–1.2 times as long (bench/README.md, seventeenth session).
 *   Alone, on the code before, the flag changed nothing.
 * - No parallel scavenging, while a pool whose threads are as many as the cores (or more) runs, unless
 *   the process was started with a flag of its own for it. V8 reads the flag at every young
 *   collection, in every thread (the calling one too), so it is taken back when the last such pool
 *   stops: a program's later work, with cores to spare, may share its collections again. A young
 *   collection is otherwise shared out to V8's helper threads,
 *   which then can only run on a core another worker thread needs: at 1M on 2 cores, some 990
 *   young collections, whose helpers took 0.63 s of CPU besides the threads' own 1.3–1.9 s of
 *   pauses; without them, the pauses took 1.2–1.4 s and the helpers nothing (`--trace-gc-nvp`).
 *   In pairs, 0.96× the CPU: inside that machine's noise (bench/README.md, eighteenth session).
 * - No concurrent recompilation, on the same terms: a thread whose function has grown hot compiles
 *   its optimised code itself, at once, rather than handing it to a V8 helper thread. A thread's
 *   warm-up (its first partition, some 1.5 s of compiling) is when it matters: with every core
 *   running a worker thread, the helper only takes a core from one of them, and the thread runs
 *   its slower code until the helper is done. Read when a thread starts (V8 makes the helper's
 *   queue then), so the threads of a pool made while it is set keep it for their lives. At 1M on
 *   2 cores, 8 pairs against the commit before: 0.965× wall (0.94–0.99), 0.97× CPU (bench/README.md,
 *   twentieth session).
 */
function setWorkerFlags(): void {
  if (flagsSet) return;
  flagsSet = true;
  setFlagsFromString('--no-allocation-site-pretenuring');
  if (flagGiven(/^--initial[-_](old[-_]space|heap)[-_]size(=|$)/)) return;
  setFlagsFromString(`--initial-old-space-size=${WORKER_INITIAL_OLD_SPACE_MIB}`);
}

/**
 * Worker threads that run tasks.
 * @example const pool = new WorkerPool(2, (i) => setup(i)); await pool.run({ type: 'part', task }); await pool.close();
 */
export class WorkerPool {
  private readonly workers: Worker[] = [];
  private readonly idle: Worker[] = [];
  private readonly queue: { task: WorkerTaskBody; pending: Pending; worker?: number }[] = [];
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private failed: Error | undefined;
  /** Whether this pool fills the cores, and counts among the pools that hold the flags of CORE_FILLING_FLAGS (see setWorkerFlags). */
  private fillsCores: boolean;

  /** `heapMiB`: the old-generation ceiling of each worker (default: V8's). */
  constructor(count: number, setup: (index: number) => WorkerSetup, heapMiB?: number) {
    const entry = workerEntry();
    if (!entry) throw new Error('internal error: the worker thread script (worker.js) was not found beside the library');
    setWorkerFlags();
    // The flags are set before the threads are made: V8 reads the recompilation one as each starts.
    this.fillsCores = count >= availableParallelism();
    if (this.fillsCores && poolsFillingCores++ === 0) {
      for (const f of CORE_FILLING_FLAGS) {
        if (flagGiven(f.given)) continue;
        setFlagsFromString(f.set);
        flagsToPutBack.push(f.back);
      }
    }
    try {
      this.start(entry, count, setup, heapMiB);
    } catch (e) {
      // A thread that cannot be made (or a setup that throws): the threads made so far are
      // stopped and the flags given back, since no one holds this pool to stop it.
      this.terminate().catch(() => undefined);
      throw e;
    }
  }

  private start(entry: { file: string | URL; eval: boolean }, count: number, setup: (index: number) => WorkerSetup, heapMiB: number | undefined): void {
    for (let i = 0; i < count; i++) {
      const w = new Worker(entry.file, {
        eval: entry.eval,
        workerData: setup(i),
        // A ceiling on the old generation makes V8 collect a finished bucket's records before the
        // heap grows into the next one: at 1M clients, peak RSS fell from 1.4 GB to about 1.0 GB.
        ...(heapMiB ? { resourceLimits: { maxOldGenerationSizeMb: heapMiB } } : {}),
      });
      w.on('message', (m: { id: number; type: string; result?: unknown; error?: { message: string; code?: ErrorCode; problems?: Problem[]; stack?: string } }) => {
        const p = this.pending.get(m.id);
        if (!p) return;
        if (m.type === 'done') {
          this.pending.delete(m.id);
          this.release(w);
          p.resolve(m.result);
        } else if (m.type === 'error') {
          this.pending.delete(m.id);
          this.release(w);
          const e = m.error!;
          const err = e.code ? new RecoveryPbrError(e.code, e.message, e.problems) : new Error(e.message);
          if (!e.code && e.stack) err.stack = e.stack;
          p.reject(err);
        } else p.onMessage?.(m);
      });
      w.on('error', (e) => this.fail(e));
      w.on('exit', (code) => {
        if (code !== 0 && !this.closing) this.fail(new Error(`internal error: a worker thread stopped (exit code ${code})`));
      });
      this.workers.push(w);
      this.idle.push(w);
    }
  }

  private closing = false;

  /** Number of workers. */
  get size(): number {
    return this.workers.length;
  }

  private fail(e: Error): void {
    this.failed ??= e;
    for (const p of this.pending.values()) p.reject(e);
    this.pending.clear();
    for (const q of this.queue.splice(0)) q.pending.reject(e);
  }

  private release(w: Worker): void {
    const next = this.queue.findIndex((q) => q.worker === undefined || this.workers[q.worker] === w);
    if (next !== -1) {
      const [q] = this.queue.splice(next, 1);
      this.send(w, q!.task, q!.pending);
    } else this.idle.push(w);
  }

  private send(w: Worker, task: WorkerTaskBody, pending: Pending): void {
    const id = this.nextId++;
    this.pending.set(id, pending);
    w.postMessage({ ...task, id });
  }

  /**
   * Runs a task on an idle worker (or the given worker), when one is free. `onMessage` receives the
   * task's progress and episode batches.
   */
  run<T>(task: WorkerTaskBody, onMessage?: Pending['onMessage'], worker?: number): Promise<T> {
    // A stopped pool would never answer: a task sent to one is an error, not a wait without end.
    if (this.closing) return Promise.reject(new Error('internal error: a task was sent to a worker pool already stopped'));
    if (this.failed) return Promise.reject(this.failed);
    return new Promise<T>((resolve, reject) => {
      const pending: Pending = { resolve: resolve as (v: unknown) => void, reject, onMessage };
      const i = worker === undefined ? 0 : this.idle.indexOf(this.workers[worker]!);
      const w = worker === undefined ? this.idle.shift() : i === -1 ? undefined : this.idle.splice(i, 1)[0];
      if (w) this.send(w, task, pending);
      else this.queue.push({ task, pending, worker });
    });
  }

  /** Asks every worker to close its files, then stops them. */
  async close(): Promise<void> {
    if (this.closing) return;
    if (!this.failed) {
      await Promise.all(this.workers.map((_w, i) => this.run({ type: 'close' }, undefined, i).catch(() => undefined)));
    }
    this.closing = true;
    await this.terminate();
  }

  /**
   * Stops every worker at once (after a failure). Tasks sent and not answered, or waiting for a
   * worker, fail: no worker is left to answer them.
   */
  async destroy(): Promise<void> {
    this.closing = true;
    this.fail(new Error('internal error: the worker pool was stopped before this task ended'));
    await this.terminate();
  }

  /**
   * Stops every thread, and gives the flags back at once (V8 reads the recompilation one as a
   * thread starts: threads on their way out change nothing).
   */
  private async terminate(): Promise<void> {
    const stopped = Promise.all(this.workers.map((w) => w.terminate()));
    this.releaseCores();
    await stopped;
  }

  /** This pool no longer counts among those filling the cores; the last one gives the flags back. */
  private releaseCores(): void {
    if (!this.fillsCores) return;
    this.fillsCores = false;
    if (--poolsFillingCores === 0) {
      for (const back of flagsToPutBack) setFlagsFromString(back);
      flagsToPutBack = [];
    }
  }
}
