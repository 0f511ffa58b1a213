/**
 * Worker thread entry of a run on a data folder: runs one partition (src/node/partition-task.ts)
 * for the main thread, which merges the partitions' results. Built as `dist/worker.js`; from the
 * sources it is started through tsx (see `pool.ts`).
 * @module
 */
import { parentPort, type MessagePort } from 'node:worker_threads';
import { isRecoveryPbrError } from '../errors.js';
import { runPartitionTask, type LinesOut, type PartitionTask } from './partition-task.js';

/** What a worker is started with (nothing: each task carries what it needs). */
export type WorkerSetup = Record<string, never>;

/** A task for a worker, without its id. */
export type WorkerTaskBody = { type: 'partition'; task: PartitionTask } | { type: 'close' };

/** A task for a worker. */
export type WorkerTask = WorkerTaskBody & { id: number };

/** A slot's state: free (this thread may fill it), or full (the main thread's until it frees it). */
const FULL = 1;

/** This thread's slots (made at its first partition that sends lines, kept for the next ones). */
let ring: { data: SharedArrayBuffer; state: Int32Array; next: number; slots: number; bytes: number } | undefined;

/**
 * A partition's `outcomes.csv` lines sent to the main thread through this thread's slots: each
 * message names a slot and its length (the first of a partition brings the slots' memory), the
 * main thread writes or copies it, then marks it free; a slot still full when it comes round
 * again is waited for.
 */
function linesOut(port: MessagePort, id: number, slots: number, bytes: number): LinesOut {
  if (ring?.slots !== slots || ring.bytes !== bytes) ring = { data: new SharedArrayBuffer(slots * bytes), state: new Int32Array(new SharedArrayBuffer(slots * 4)), next: 0, slots, bytes };
  const r = ring;
  let told = false;
  return {
    slotBytes: bytes,
    take() {
      // Looked at again after each wake: a wake meant for an earlier round of the slot may come late.
      while (Atomics.load(r.state, r.next) === FULL) Atomics.wait(r.state, r.next, FULL);
      return new Uint8Array(r.data, r.next * bytes, bytes);
    },
    give(length) {
      const slot = r.next;
      Atomics.store(r.state, slot, FULL);
      r.next = (slot + 1) % slots;
      port.postMessage({ id, type: 'lines', slot, length, ...(told ? {} : { slots: { data: r.data, state: r.state, bytes } }) });
      told = true;
    },
    giveCopy(bytes) {
      port.postMessage({ id, type: 'lines', piece: bytes });
    },
  };
}

if (parentPort) {
  const port = parentPort;
  port.on('message', (m: WorkerTask) => {
    void (async () => {
      try {
        if (m.type === 'partition') {
          const lines = m.task.postLines ? linesOut(port, m.id, m.task.postLines.slots, m.task.postLines.bytes) : undefined;
          let last = 0;
          let evaluating = false;
          const result = await runPartitionTask(m.task, (progress) => {
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
