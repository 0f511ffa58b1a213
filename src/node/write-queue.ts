/**
 * Steps that write into one sink, run one after another while other work goes on: the first that
 * fails is kept (to be thrown once, at the end), and no step runs after it — nor after the queue
 * is stopped (the run failed, and what is left to write is of no use). The two writers of
 * `outcomes.csv` as a run goes (src/node/run-folder.ts, src/node/posted-outcomes.ts) queue on it.
 * @module
 */

/**
 * A queue of writing steps that stops at the first failure.
 * @example
 * const q = new WriteQueue();
 * q.add(() => sink.write('header\n'));
 * await q.finish(); // throws the first step's failure
 */
export class WriteQueue {
  private chain: Promise<void> = Promise.resolve();
  /** The first step's failure (undefined while none failed). */
  failure: unknown;
  /** Whether a step failed or the queue was stopped: steps queued from then on do not run. */
  failed = false;

  /**
   * Runs `step` after the steps before it, unless the queue has failed; then `after`, whatever
   * happened. (Not `then`: a queue with a `then` method would pass for a promise, and `await q`
   * would call it.)
   */
  add(step: () => Promise<void>, after?: () => void): void {
    this.chain = this.chain
      .then(() => (this.failed ? undefined : step()))
      .catch((e: unknown) => {
        if (!this.failed) this.failure = e;
        this.failed = true;
      })
      .finally(after);
  }

  /** No step runs from now on (the run failed). */
  stop(): void {
    this.failed = true;
  }

  /** Steps run again after a {@link stop} (not after a step failed). */
  resume(): void {
    if (this.failure === undefined) this.failed = false;
  }

  /** Waits for the steps queued so far. */
  settled(): Promise<void> {
    return this.chain;
  }

  /** Waits for the steps queued so far; throws the first failure, or says the queue was stopped. */
  async finish(): Promise<void> {
    await this.chain;
    if (this.failed) throw this.failure ?? new Error('internal error: outcomes.csv was not written: the run was stopped without a reason');
  }
}
