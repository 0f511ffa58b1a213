/**
 * A `FileSink` in memory (what `run` writes `outcomes.csv` into, src/io/write.ts), for tests of the
 * writers that feed one as a run goes.
 */
import type { FileSink } from '../../src/io/write.js';

/** A sink kept in memory: its text (UTF-8 decoded once, whole), its writes and syncs counted. */
export interface MemorySink extends FileSink {
  /** What is written, as text. */
  readonly text: string;
  /** Writes begun (failed ones included). */
  readonly writes: number;
  /** Syncs since the start (or the last restart). */
  readonly syncs: number;
}

/**
 * A sink in memory. Its bytes are read only after a turn of the event loop, as a file's write
 * reads them, so a writer that reused its buffer before the write ended would be caught. `fail`
 * (given the write's text and its number, from 1) makes that write fail with ENOSPC.
 * @example const out = memorySink((_, n) => n === 3); await runFolder(dir, scheme, { asOf, outcomesTo: out })
 */
export function memorySink(fail?: (text: string, n: number) => boolean): MemorySink {
  const chunks: Buffer[] = [];
  let writes = 0;
  let syncs = 0;
  return {
    get text() {
      return Buffer.concat(chunks).toString('utf8');
    },
    get writes() {
      return writes;
    },
    get syncs() {
      return syncs;
    },
    get bytes() {
      return chunks.reduce((a, b) => a + b.length, 0);
    },
    async write(data) {
      const n = ++writes;
      await new Promise((resolve) => setImmediate(resolve));
      const b = typeof data === 'string' ? Buffer.from(data, 'utf8') : Buffer.from(data);
      if (fail?.(b.toString('utf8'), n)) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
      chunks.push(b);
    },
    async sync() {
      syncs++;
    },
    async restart() {
      chunks.length = 0;
      syncs = 0;
    },
    async close() {},
  };
}
