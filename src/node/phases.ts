/**
 * The work of one thread in a partitioned run (issue #6): phase 1 reads parts into buckets, phase 2
 * checks and evaluates buckets. The same code runs on the main thread (small inputs, or
 * `workers: 0`) and in worker threads. With a temporary folder, buckets and results are files; with
 * none (a single bucket, small input), they stay in memory.
 * @module
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { shownValue } from '../io/source.js';
import { processBucket, type BucketContext, type BucketResult } from '../run/bucket.js';
import { SpillWriter } from './spill.js';
import { readPart, type PartResult, type PartTask } from './read-part.js';

/** Names of the temporary files of a run. */
export const spillFiles = {
  /** Records of one bucket written by one thread. */
  records: (dir: string, bucket: number, writer: number) => join(dir, `records-b${bucket}-w${writer}.jsonl`),
  /** Rejections of one part (phase 1), in row order. */
  partRejections: (dir: string, kind: number, part: number) => join(dir, `rejected-k${kind}-p${part}.jsonl`),
  /** `outcomes.csv` lines of one bucket, client blocks in client_id order. */
  outcomes: (dir: string, bucket: number) => join(dir, `outcomes-b${bucket}.txt`),
  /** Cross-row rejections of one bucket (phase 2), sorted. */
  bucketRejections: (dir: string, bucket: number) => join(dir, `rejected-b${bucket}.jsonl`),
};

/** A part read: what phase 1 learned, and the SHA-256 of its bytes. */
export interface PartDone extends PartResult {
  hash: string;
}

/** A bucket done: its result without the rejections (those are in a file, or in memory). */
export type BucketDone = Omit<BucketResult, 'rejections'> & { rejected: number[] };

/** Episode index rows gathered by a reader, sent in batches. */
export interface EpisodeBatch {
  flags: number[];
  ids: string[];
  positions: number[];
  buckets: number[];
}

/** Where results live when the run has no temporary folder. */
export interface MemoryParts {
  records: string[][];
  partRejections: Map<string, string[]>;
  outcomes: { id: string; text: string }[][];
  bucketRejections: string[][];
}

/**
 * One thread's share of a run.
 * @example const w = new PhaseWorker(undefined, 0, 1); await w.readPart(task, () => {}); w.runBucket(0, [0], new Map(), ctx)
 */
export class PhaseWorker {
  private readonly writer: SpillWriter | undefined;
  readonly memory: MemoryParts | undefined;

  constructor(
    private readonly tempDir: string | undefined,
    private readonly writerId: number,
    private readonly buckets: number,
  ) {
    if (tempDir !== undefined) {
      this.writer = new SpillWriter((b) => spillFiles.records(tempDir, b, writerId), buckets);
    } else {
      this.memory = { records: Array.from({ length: buckets }, () => []), partRejections: new Map(), outcomes: [], bucketRejections: [] };
    }
  }

  /**
   * Phase 1: reads one part into the buckets. `onEpisodes` receives episode index rows in batches;
   * `onProgress` rows and bytes read so far in the part.
   */
  async readPart(task: PartTask, onEpisodes: (b: EpisodeBatch) => void, onProgress?: (rows: number, bytes: number) => void): Promise<PartDone> {
    const hash = createHash('sha256');
    let batch: EpisodeBatch = { flags: [], ids: [], positions: [], buckets: [] };
    const rejections = new SpillWriter(() => spillFiles.partRejections(this.tempDir ?? '', task.kind, task.part), 1, 1 << 20);
    const inMemory: string[] = [];
    const mem = this.memory;
    const result = await readPart(
      { ...task },
      {
        record: mem ? (b, line) => mem.records[b]!.push(line) : (b, line) => this.writer!.add(b, line),
        rejection: mem ? (line) => inMemory.push(line) : (line) => rejections.add(0, line),
        episode: (flag, id, pos, bucket) => {
          batch.flags.push(flag);
          batch.ids.push(id);
          batch.positions.push(pos);
          batch.buckets.push(bucket);
          if (batch.ids.length >= 65536) {
            onEpisodes(batch);
            batch = { flags: [], ids: [], positions: [], buckets: [] };
          }
        },
        progress: onProgress,
      },
      (chunk) => hash.update(chunk),
    );
    if (batch.ids.length > 0) onEpisodes(batch);
    if (mem) mem.partRejections.set(`${task.kind}/${task.part}`, inMemory);
    else {
      rejections.close();
      this.writer!.flush();
    }
    return { ...result, hash: `sha256:${hash.digest('hex')}` };
  }

  /**
   * Phase 2: checks and evaluates one bucket, from the record files every reader wrote for it (or
   * from memory). `writers` is the number of reader threads of phase 1.
   */
  runBucket(bucket: number, writers: number[], spanning: ReadonlyMap<string, readonly number[]>, ctx: BucketContext): BucketDone {
    const texts: string[] = [];
    if (this.memory) {
      texts.push(this.memory.records[bucket]!.join('\n'));
      this.memory.records[bucket] = [];
    } else {
      for (const w of writers) {
        try {
          texts.push(readFileSync(spillFiles.records(this.tempDir!, bucket, w), 'utf8'));
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code === 'ENOENT') continue;
          throw e;
        }
      }
    }
    const blocks: { id: string; text: string }[] = [];
    const out = this.memory ? undefined : new SpillWriter(() => spillFiles.outcomes(this.tempDir!, bucket), 1, 4 << 20);
    const result = processBucket(bucket, texts, spanning, ctx, (id, text) => {
      if (text.length === 0) return;
      if (out) {
        let n = 0;
        for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) n++;
        out.add(0, `${id}\t${n}\n${text.slice(0, -1)}`);
      } else blocks.push({ id, text });
    });
    texts.length = 0;
    const rejected = result.rejections.reduce((acc, r) => {
      acc[r.kind] = (acc[r.kind] ?? 0) + 1;
      return acc;
    }, [0, 0, 0, 0, 0, 0]);
    const encoded = result.rejections.map((r) => JSON.stringify([r.kind, r.pos, r.field, shownValue(r.value), r.reason]));
    if (this.memory) {
      this.memory.outcomes[bucket] = blocks;
      this.memory.bucketRejections[bucket] = encoded;
    } else {
      out!.close();
      if (encoded.length > 0) {
        const w = new SpillWriter(() => spillFiles.bucketRejections(this.tempDir!, bucket), 1, 4 << 20);
        for (const l of encoded) w.add(0, l);
        w.close();
      }
    }
    const { rejections: _r, ...rest } = result;
    return { ...rest, rejected };
  }

  /** Flushes and closes this thread's files. */
  close(): void {
    this.writer?.close();
  }
}
