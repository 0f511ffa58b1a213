/**
 * The slots through which worker threads hand `outcomes.csv`'s lines to the main thread, both
 * sides of one protocol. Each thread has a ring of slots in a `SharedArrayBuffer` and a shared
 * `Int32Array` of their states: the thread fills a slot, marks it {@link FULL} and posts its
 * number ({@link LinesPiece}; the first of a partition brings the ring's memory); the main thread
 * writes or copies it and marks it {@link FREE} ({@link freeSlot}); a thread whose next slot is
 * still full waits for it. A line longer than a slot goes as a copy.
 *
 * Shared, not handed over: a worker thread that ever hands over (detaches) an ArrayBuffer makes
 * V8 check every typed array access of its optimised code from then on (3–9% more time for the
 * whole partition, measured; bench/README.md, fifteenth session).
 * @module
 */
import type { ByteSink } from '../output/outcomes.js';

/** A slot's state: the thread's to fill. */
export const FREE = 0;
/** A slot's state: filled, the main thread's until it frees it. */
export const FULL = 1;

/** A thread's slots: `state.length` slots of `bytes` bytes in `data`. */
export type LineRing = { data: SharedArrayBuffer; state: Int32Array; bytes: number };

/**
 * A piece of a partition's lines as its thread posts it: a slot (`slots`, the ring, with the
 * partition's first), to free once written or copied, or a line longer than a slot, copied.
 */
export type LinesPiece = { slot: number; length: number; slots?: LineRing } | { slot?: undefined; piece: Uint8Array };

/** Hands slot `slot` back to its thread (waking it if it waits for it). */
export function freeSlot(ring: LineRing, slot: number): void {
  Atomics.store(ring.state, slot, FREE);
  Atomics.notify(ring.state, slot);
}

/** A thread's side of its slots, as a partition's lines are written ({@link PostedLines}). */
export interface LinesOut {
  /** Bytes a slot holds. */
  readonly slotBytes: number;
  /** The next slot, once the main thread has freed it (it waits till then). */
  take(): Uint8Array;
  /** Hands the slot taken last, its first `length` bytes filled, to the main thread. */
  give(length: number): void;
  /** Hands a line longer than a slot to the main thread, copied. */
  giveCopy(bytes: Uint8Array): void;
}

/** This thread's ring (made at its first partition that sends lines, kept for the next ones). */
let ring: (LineRing & { next: number }) | undefined;

/**
 * This thread's slots for one partition's lines, each piece given to `post` (which sends it to the
 * main thread): `slots` slots of `bytes` bytes, the ring kept from the partition before when it is
 * the same size.
 * @example const lines = linesOut((piece) => port.postMessage({ id, type: 'lines', ...piece }), 8, 2 ** 21)
 */
export function linesOut(post: (piece: LinesPiece) => void, slots: number, bytes: number): LinesOut {
  if (ring?.state.length !== slots || ring.bytes !== bytes) ring = { data: new SharedArrayBuffer(slots * bytes), state: new Int32Array(new SharedArrayBuffer(slots * 4)), bytes, next: 0 };
  return new SlotsOut(ring, post);
}

/**
 * {@link linesOut}'s slots: a class, so that the code writing the lines, which V8 compiles once
 * per thread, calls the same methods in every partition (a closure made for each partition was
 * compiled into that code and threw it away when the partition ended).
 */
class SlotsOut implements LinesOut {
  readonly slotBytes: number;
  /** Whether the ring's memory went with a piece already (the partition's first brings it). */
  private told = false;
  constructor(
    private readonly r: LineRing & { next: number },
    private readonly post: (piece: LinesPiece) => void,
  ) {
    this.slotBytes = r.bytes;
  }

  take(): Uint8Array {
    const r = this.r;
    // Looked at again after each wake: a wake meant for an earlier round of the slot may come late.
    while (Atomics.load(r.state, r.next) === FULL) Atomics.wait(r.state, r.next, FULL);
    return new Uint8Array(r.data, r.next * r.bytes, r.bytes);
  }

  give(length: number): void {
    const r = this.r;
    const slot = r.next;
    Atomics.store(r.state, slot, FULL);
    r.next = (slot + 1) % r.state.length;
    this.post(this.told ? { slot, length } : { slot, length, slots: { data: r.data, state: r.state, bytes: r.bytes } });
    this.told = true;
  }

  giveCopy(piece: Uint8Array): void {
    this.post({ piece });
  }
}

/**
 * Lines written into the slots of {@link LinesOut}, each handed to the main thread as it fills.
 * Where the lines went to a temporary file first, and the main thread read them back to write them,
 * each byte was copied through the page cache three times; now once.
 */
export class PostedLines implements ByteSink {
  bytes: Uint8Array = new Uint8Array(0);
  length = 0;
  /** Lines are handed over at most a slot at a time (a longer line goes as a copy of its own). */
  readonly maxPiece: number;
  /** Whether `bytes` is a slot (else a line longer than a slot, or nothing yet). */
  private inSlot = false;
  constructor(private readonly out: LinesOut) {
    this.maxPiece = out.slotBytes;
  }
  room(n: number): void {
    if (this.length + n <= this.bytes.length) return;
    this.flush();
    this.inSlot = n <= this.out.slotBytes;
    this.bytes = this.inSlot ? this.out.take() : new Uint8Array(n);
  }
  private flush(): void {
    // A slot left empty is not handed on: it is the next one taken.
    if (this.length > 0) {
      if (this.inSlot) this.out.give(this.length);
      else this.out.giveCopy(this.bytes.subarray(0, this.length));
    }
    this.bytes = new Uint8Array(0);
    this.length = 0;
    this.inSlot = false;
  }
  close(): void {
    this.flush();
  }
}
