/**
 * Worker thread entry of a run on a data folder: runs one partition (src/node/partition-task.ts)
 * for the main thread, which merges the partitions' results. Built as `dist/worker.js`; from the
 * sources it is started through tsx (see `pool.ts`).
 * @module
 */
import { parentPort } from 'node:worker_threads';
import { isRecoveryPbrError } from '../errors.js';
import { linesOut } from './line-slots.js';
import { runPartitionTask, type JobSpec, type PartitionTask } from './partition-task.js';

/** What a worker is started with (nothing: each task carries what it needs). */
export type WorkerSetup = Record<string, never>;

/** A task for a worker, without its id. */
export type WorkerTaskBody = { type: 'partition'; task: PartitionTask } | { type: 'close' };

/** A task for a worker. */
export type WorkerTask = WorkerTaskBody & { id: number };

/** The run job of this thread's partition before (its JSON and the objects it came as). */
let runBefore: { json: string; job: JobSpec } | undefined;

/**
 * A run's job, as the objects it came as for the thread's partition before when it is the same
 * (each partition's task brings its own copy of the scheme, made by the message's structured
 * clone: a copy no one else holds, so reusing the earlier one changes nothing the caller sees). The
 * rules' code is compiled once per thread and lasts only if it meets the same objects, of the same
 * shapes, in every partition: a new copy's objects made V8 throw it away and compile it again
 * (bench/README.md, seventeenth session). A run job is plain data (a scheme is parsed JSON), so
 * equal JSON is the same job. Here, where tasks arrive as copies, not in runPartitionTask: a
 * partition run on the calling thread is given the caller's own scheme, which the caller may
 * change in place between runs.
 */
function sameRunAsBefore(job: JobSpec): JobSpec {
  if (job.kind !== 'run') return job;
  const json = JSON.stringify(job);
  if (runBefore?.json === json) return runBefore.job;
  runBefore = { json, job };
  return job;
}

if (parentPort) {
  const port = parentPort;
  port.on('message', (m: WorkerTask) => {
    void (async () => {
      try {
        if (m.type === 'partition') {
          const posted = m.task.postLines;
          const lines = posted ? linesOut((piece) => port.postMessage({ id: m.id, type: 'lines', ...piece }), posted.slots, posted.bytes) : undefined;
          let last = 0;
          let evaluating = false;
          const result = await runPartitionTask({ ...m.task, job: sameRunAsBefore(m.task.job) }, (progress) => {
            const now = Date.now();
            // Always told: a slice read (the main thread hands its row count to later partitions),
            // and the end of reading (after it, the main thread may write this run's outcomes).
            const always = (progress.phase === 'read' && progress.partDone?.rowsThrough !== undefined) || (progress.phase === 'evaluate' && !evaluating);
            if (progress.phase === 'evaluate') evaluating = true;
            if (now - last < 100 && !always) return;
            last = now;
            port.postMessage({ id: m.id, type: 'progress', progress });
          }, lines);
          port.postMessage({ id: m.id, type: 'done', result });
        } else {
          port.postMessage({ id: m.id, type: 'done', result: null });
        }
      } catch (e) {
        const err = e as Error;
        port.postMessage({ id: m.id, type: 'error', error: { message: err?.message ?? String(e), code: isRecoveryPbrError(e) ? e.code : undefined, problems: isRecoveryPbrError(e) ? e.problems : undefined, stack: err?.stack } });
      }
    })();
  });
}
