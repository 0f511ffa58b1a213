/**
 * Worker thread entry of a partitioned run (issue #6): reads input parts (phase 1) and checks and
 * evaluates buckets (phase 2) for the main thread, which hands out the tasks and merges results.
 * Built as `dist/worker.js`; from the sources it is started through tsx (see `pool.ts`).
 * @module
 */
import { parentPort, workerData } from 'node:worker_threads';
import { isRecoveryPbrError } from '../errors.js';
import type { BucketContext } from '../run/bucket.js';
import { PhaseWorker } from './phases.js';
import type { PartTask } from './read-part.js';

/** What a worker is started with. */
export interface WorkerSetup {
  tempDir: string;
  writerId: number;
  buckets: number;
  ctx: BucketContext;
}

/** A task for a worker, without its id. */
export type WorkerTaskBody =
  | { type: 'part'; task: PartTask }
  | { type: 'bucket'; bucket: number; writers: number[]; spanning: [string, number[]][] }
  | { type: 'close' };

/** A task for a worker. */
export type WorkerTask = WorkerTaskBody & { id: number };

if (parentPort) {
  const port = parentPort;
  const setup = workerData as WorkerSetup;
  const worker = new PhaseWorker(setup.tempDir, setup.writerId, setup.buckets);
  port.on('message', (m: WorkerTask) => {
    void (async () => {
      try {
        if (m.type === 'part') {
          let last = 0;
          const result = await worker.readPart(
            m.task,
            (batch) => port.postMessage({ id: m.id, type: 'episodes', batch }),
            (rows, bytes) => {
              const now = Date.now();
              if (now - last < 100) return;
              last = now;
              port.postMessage({ id: m.id, type: 'progress', rows, bytes });
            },
          );
          port.postMessage({ id: m.id, type: 'done', result });
        } else if (m.type === 'bucket') {
          const result = worker.runBucket(m.bucket, m.writers, new Map(m.spanning), setup.ctx);
          port.postMessage({ id: m.id, type: 'done', result });
        } else {
          worker.close();
          port.postMessage({ id: m.id, type: 'done', result: null });
        }
      } catch (e) {
        const err = e as Error;
        port.postMessage({ id: m.id, type: 'error', error: { message: err?.message ?? String(e), code: isRecoveryPbrError(e) ? e.code : undefined, problems: isRecoveryPbrError(e) ? e.problems : undefined, stack: err?.stack } });
      }
    })();
  });
}
