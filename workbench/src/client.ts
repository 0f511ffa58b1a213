/**
 * The page's side of the worker: sends a request, passes its progress on, and resolves with its
 * answer (or rejects with a {@link WorkError} holding the message and the scheme's problems).
 * @module
 */
import type { Reply, Request } from './protocol.js';

/** What the worker could not do, in words for the person. */
export class WorkError extends Error {
  constructor(
    message: string,
    readonly problems: { path: string; message: string }[] = [],
  ) {
    super(message);
  }
}

type Answer<T extends Request['type']> = Extract<Reply, { type: T extends 'load' ? 'loaded' : T; data: unknown }> extends { data: infer D } ? D : never;

/** Distributes a request without its id. */
type Omit2<T> = T extends unknown ? Omit<T, 'id'> : never;

/** A running worker and the requests waiting for it. */
export class WorkerClient {
  private next = 1;
  private waiting = new Map<number, { resolve: (r: Reply) => void; progress?: (p: Extract<Reply, { type: 'progress' }>) => void }>();
  private dead: string | undefined;

  constructor(private readonly worker: Worker) {
    // A worker that dies (most often: out of memory on very large inputs) answers nothing more:
    // every waiting request gets an error a person can act on, instead of waiting for ever.
    worker.addEventListener('error', (e: ErrorEvent) => {
      e.preventDefault();
      this.dead =
        `the page's worker stopped${e.message ? ` (${e.message})` : ''}. Reload the page to start again. ` +
        'Very large inputs may need more memory than a browser tab has: use recovery-pbr run on them.';
      for (const [id, w] of this.waiting) w.resolve({ id, type: 'error', message: this.dead });
      this.waiting.clear();
    });
    worker.addEventListener('message', (e: MessageEvent<Reply>) => {
      const m = e.data;
      const w = this.waiting.get(m.id);
      if (!w) return;
      if (m.type === 'progress') {
        w.progress?.(m);
        return;
      }
      this.waiting.delete(m.id);
      w.resolve(m);
    });
  }

  /** Sends a request; resolves with its answer's data. */
  async ask<R extends Omit2<Request>>(request: R, progress?: (p: Extract<Reply, { type: 'progress' }>) => void): Promise<Answer<R['type']>> {
    if (this.dead) throw new WorkError(this.dead);
    const id = this.next++;
    const reply = await new Promise<Reply>((resolve) => {
      this.waiting.set(id, { resolve, ...(progress ? { progress } : {}) });
      this.worker.postMessage({ ...request, id } as Request);
    });
    if (reply.type === 'error') throw new WorkError(reply.message, reply.problems);
    return (reply as Extract<Reply, { data: unknown }>).data as Answer<R['type']>;
  }
}
