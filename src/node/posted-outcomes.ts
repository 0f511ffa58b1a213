/**
 * `outcomes.csv` written as a run in worker threads goes (src/node/run-folder.ts, `outcomesTo`):
 * the threads hand their lines over in slots of memory shared with this thread
 * (src/node/line-slots.ts), which writes them into the file in partition order, holding a later
 * partition's lines till its turn.
 * @module
 */
import type { FileSink } from '../io/write.js';
import { outcomesHeader } from '../output/outcomes.js';
import { freeSlot, type LineRing, type LinesPiece } from './line-slots.js';
import { WriteQueue } from './write-queue.js';

/** A piece held till its partition's turn: a copy (`copy`, used again once written), or its slot itself (`free`, called once written). */
type HeldPiece = { bytes: Uint8Array; copy?: Uint8Array; free?: () => void };

/**
 * Writes `outcomes.csv` into a sink from the lines that partitions in worker threads send as they
 * make them (`RunFolderOptions.outcomesTo`): the header, then partition 0's pieces as they
 * come, then 1's, … — each partition synced once its last piece is written. The pieces of a
 * partition after the one being written are copied and held until their turn (on 2 threads, about
 * one partition's lines at a time); past `heldCap` bytes held, a piece's slot is held itself, not
 * copied, so that its thread waits once its slots are all held. That cannot stall the run: the
 * partition being written was handed out before any later one, so it is running (or done), and its
 * slots are freed as they are written. A part found out of client order starts the run again:
 * {@link restart} takes back what was written, and pieces of the first attempt that still come
 * are dropped. Every slot is freed, whatever becomes of its piece (its thread may be waiting).
 * @example
 * const w = new PostedOutcomesWriter(sink, 4, 256 * 2 ** 20);
 * // as a thread's messages come: w.piece(w.attempt, k, message); when its partition is done: w.ended(w.attempt, k)
 * await w.finish();
 */
export class PostedOutcomesWriter {
  /** The run's attempt (0, then 1 when it starts again). */
  attempt = 0;
  /** The partition whose pieces are written as they come. */
  private next = 0;
  /** Pieces of partitions after `next`, in order. */
  private held: (HeldPiece[] | undefined)[] = [];
  /** Bytes of the pieces held. */
  private heldBytes = 0;
  /**
   * Copies of slots written and free again, for the next pieces held: new memory costs a page fault
   * per 4 KiB on first touch, which was most of the copying (about 0.5 s of the main thread's CPU at
   * 1M, some 270 MB held over the run).
   */
  private spare: Uint8Array[] = [];
  private ends: boolean[] = [];
  /** The slots of each partition's thread, by attempt and partition (`1/3`). */
  private rings = new Map<string, LineRing>();
  private queue = new WriteQueue();

  constructor(
    private readonly sink: FileSink,
    private readonly partitions: number,
    private readonly heldCap: number,
  ) {
    this.queue.add(() => this.sink.write(outcomesHeader()));
  }

  /** Whether a write failed (or the run did): pieces still to come are dropped. */
  get failed(): boolean {
    return this.queue.failed;
  }

  /** A piece of partition `k`'s lines, of run attempt `attempt`. */
  piece(attempt: number, k: number, m: LinesPiece): void {
    const key = `${attempt}/${k}`;
    if (m.slot !== undefined && m.slots) this.rings.set(key, m.slots);
    const ring = m.slot !== undefined ? this.rings.get(key) : undefined;
    const free = () => {
      if (ring && m.slot !== undefined) freeSlot(ring, m.slot);
    };
    if (attempt !== this.attempt || this.failed || (m.slot !== undefined && !ring)) return free();
    const bytes = m.slot === undefined ? m.piece : new Uint8Array(ring!.data, m.slot * ring!.bytes, m.length);
    if (k === this.next) return this.queue.add(() => this.sink.write(bytes), free);
    const held = (this.held[k] ??= []);
    this.heldBytes += bytes.length;
    if (m.slot === undefined) held.push({ bytes });
    else if (this.heldBytes > this.heldCap) held.push({ bytes, free });
    else {
      // Copied, so that the thread goes on filling its slots meanwhile (into a copy written before:
      // every copy is a slot's size, and a piece is at most a slot).
      const copy = this.spare.pop() ?? new Uint8Array(ring!.bytes);
      copy.set(bytes);
      held.push({ bytes: copy.subarray(0, bytes.length), copy });
      free();
    }
  }

  /** Partition `k` of attempt `attempt` is done: all its pieces have come (they come before its end). */
  ended(attempt: number, k: number): void {
    if (attempt !== this.attempt) return;
    this.ends[k] = true;
    while (this.next < this.partitions && this.ends[this.next]) {
      this.queue.add(() => this.sink.sync());
      const n = ++this.next;
      for (const h of this.held[n] ?? []) this.queue.add(() => this.sink.write(h.bytes), () => this.written(h));
      this.held[n] = undefined;
    }
  }

  /**
   * The run starts again: the file is emptied (once the writes under way end) and its header
   * written again. A write that failed is thrown instead: the second attempt would fail the same way.
   */
  async restart(): Promise<void> {
    await this.queue.settled();
    if (this.queue.failure !== undefined) throw this.queue.failure;
    // Stopped (not by a write) for the attempt given up: the next one starts afresh.
    this.queue.resume();
    this.attempt++;
    this.next = 0;
    this.dropHeld();
    this.ends = [];
    // The first attempt's threads are gone, and every message they sent has been handed on.
    this.rings.clear();
    // A sink of the caller's own, written in plain JavaScript, may lack restart(): said, not a TypeError.
    this.queue.add(() => (typeof this.sink.restart === 'function' ? this.sink.restart() : Promise.reject(new Error('the run must start again (a part was not in client order), and outcomesTo has no restart() to take back what was written'))));
    this.queue.add(() => this.sink.write(outcomesHeader()));
    await this.queue.settled();
  }

  /** Waits for every write; throws the first write's failure, or when a partition's lines are missing. */
  async finish(): Promise<void> {
    try {
      await this.queue.finish();
    } finally {
      this.spare = [];
      this.rings.clear();
    }
    if (this.next !== this.partitions) throw new Error('internal error: outcomes.csv written without every partition');
  }

  /** The run failed: pieces held and pieces still to come are dropped, and their slots freed. */
  stop(): void {
    this.queue.stop();
    this.dropHeld();
  }

  /** Waits for writes under way (the run failed: what was written is of no use). */
  async settle(): Promise<void> {
    this.stop();
    await this.queue.settled();
    this.spare = [];
    this.rings.clear();
  }

  /** A held piece is written (or dropped): its slot freed, or its copy kept for the next. */
  private written(h: HeldPiece): void {
    this.heldBytes -= h.bytes.length;
    h.free?.();
    if (h.copy) this.spare.push(h.copy);
  }

  /** Every piece held is dropped, and its slot freed. */
  private dropHeld(): void {
    for (const pieces of this.held) for (const h of pieces ?? []) this.written(h);
    this.held = [];
  }
}
