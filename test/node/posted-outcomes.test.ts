/**
 * The main thread's side of the shared slots (src/node/posted-outcomes.ts), without threads: pieces
 * written in partition order, slots freed once written or copied, the cap on lines held, a run
 * that starts again, and failures.
 */
import { describe, expect, it } from 'vitest';
import { outcomesHeader } from '../../src/output/outcomes.js';
import { FULL, type LineRing, type LinesPiece } from '../../src/node/line-slots.js';
import { PostedOutcomesWriter } from '../../src/node/posted-outcomes.js';
import { memorySink } from '../support/sinks.js';

const HEADER = outcomesHeader();

/** A thread's ring of `slots` slots of `bytes` bytes, as src/node/worker.ts makes it. */
function ring(slots = 2, bytes = 64): LineRing & { next: number; told: boolean } {
  return { data: new SharedArrayBuffer(slots * bytes), state: new Int32Array(new SharedArrayBuffer(slots * 4)), bytes, next: 0, told: false };
}
/** What the thread does with a slot: fills the next, marks it full, and sends its message (the ring with its first). */
function fill(r: ReturnType<typeof ring>, text: string): LinesPiece {
  const slot = r.next;
  expect(r.state[slot], `slot ${slot} is free before it is filled`).toBe(0);
  const b = Buffer.from(text, 'utf8');
  new Uint8Array(r.data, slot * r.bytes, r.bytes).set(b);
  Atomics.store(r.state, slot, FULL);
  r.next = (slot + 1) % r.state.length;
  const m: LinesPiece = { slot, length: b.length, ...(r.told ? {} : { slots: { data: r.data, state: r.state, bytes: r.bytes } }) };
  r.told = true;
  return m;
}
/**
 * Turns of the event loop enough for the writes queued so far to end (a memory sink's write takes
 * one): counted in turns, not milliseconds, so that a loaded machine cannot make a test fail.
 */
const settled = async () => {
  for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
};

describe('PostedOutcomesWriter', () => {
  it('writes partition 0 as it comes, holds a copy of 1 till 0 ends, syncs each partition, and frees every slot', async () => {
    const out = memorySink();
    const w = new PostedOutcomesWriter(out, 2, 1 << 20);
    const r0 = ring();
    const r1 = ring();
    w.piece(0, 1, fill(r1, 'b1\n'));
    // Copied and freed at once: the thread goes on.
    expect([...r1.state]).toEqual([0, 0]);
    w.piece(0, 0, fill(r0, 'a1\n'));
    w.piece(0, 1, fill(r1, 'b2\n'));
    w.piece(0, 0, { piece: Buffer.from('a long line, sent as a copy\n') });
    await settled();
    expect(out.text).toBe(`${HEADER}a1\na long line, sent as a copy\n`);
    expect([...r0.state]).toEqual([0, 0]);
    w.ended(0, 1);
    expect(out.syncs).toBe(0);
    w.ended(0, 0);
    await w.finish();
    expect(out.text).toBe(`${HEADER}a1\na long line, sent as a copy\nb1\nb2\n`);
    expect(out.syncs).toBe(2);
  });

  it('past the cap a later partition\'s slots are held themselves (its thread waits) and freed once written', async () => {
    const out = memorySink();
    const w = new PostedOutcomesWriter(out, 2, 4);
    const r0 = ring();
    const r1 = ring();
    w.piece(0, 1, fill(r1, 'b1\n')); // 3 bytes: copied
    w.piece(0, 1, fill(r1, 'b2\n')); // 6 bytes held: past the cap, the slot is kept
    expect([...r1.state]).toEqual([0, FULL]);
    w.piece(0, 0, fill(r0, 'a1\n'));
    w.ended(0, 0);
    await settled();
    expect([...r1.state]).toEqual([0, 0]);
    w.piece(0, 1, fill(r1, 'b3\n'));
    w.ended(0, 1);
    await w.finish();
    expect(out.text).toBe(`${HEADER}a1\nb1\nb2\nb3\n`);
  });

  it('a run that starts again: the file is emptied, the first attempt\'s late pieces write nothing and touch no slot of the second', async () => {
    const out = memorySink();
    const w = new PostedOutcomesWriter(out, 2, 0);
    const old0 = ring();
    const old1 = ring();
    w.piece(0, 0, fill(old0, 'old a\n'));
    w.piece(0, 1, fill(old1, 'old b\n'));
    expect(old1.state[0]).toBe(FULL);
    // A partition of the attempt given up failed meanwhile (its error came while the pool stopped).
    w.stop();
    expect([...old1.state]).toEqual([0, 0]);
    await w.restart();
    expect(w.attempt).toBe(1);
    const new0 = ring();
    const new1 = ring();
    w.piece(1, 0, fill(new0, 'a\n'));
    w.piece(1, 1, fill(new1, 'b\n'));
    // Late, of attempt 0, with a ring of its own and without: nothing written, the new rings untouched.
    w.piece(0, 1, fill(old1, 'late\n'));
    w.piece(0, 0, { slot: 0, length: 3 });
    expect(new1.state[0]).toBe(FULL);
    w.ended(0, 0);
    w.ended(1, 0);
    w.ended(1, 1);
    await w.finish();
    expect(out.text).toBe(`${HEADER}a\nb\n`);
    // (The first attempt's threads are gone by then: its rings are forgotten, not freed.)
    expect([...new0.state, ...new1.state]).toEqual([0, 0, 0, 0]);
  });

  it('a sink of the caller\'s own without restart(): a run that must start again fails saying so, not with a TypeError', async () => {
    const out = memorySink();
    const { restart: _restart, ...withoutRestart } = Object.getOwnPropertyDescriptors(out);
    const sink = Object.defineProperties({}, withoutRestart) as typeof out;
    const w = new PostedOutcomesWriter(sink, 1, 0);
    await w.restart();
    w.ended(1, 0);
    await expect(w.finish()).rejects.toThrow(/outcomesTo has no restart\(\)/);
  });

  it('a write that failed is the run\'s error: at the end, and instead of starting again; the slots are freed all the same', async () => {
    const out = memorySink((t) => t.startsWith('a2'));
    const w = new PostedOutcomesWriter(out, 2, 0);
    const r0 = ring();
    const r1 = ring();
    w.piece(0, 1, fill(r1, 'b1\n'));
    w.piece(0, 0, fill(r0, 'a1\n'));
    w.piece(0, 0, fill(r0, 'a2\n'));
    await settled();
    expect(w.failed).toBe(true);
    w.piece(0, 0, fill(r0, 'a3\n'));
    expect(r0.state[0]).toBe(0);
    await expect(w.restart()).rejects.toThrow(/ENOSPC/);
    w.ended(0, 0);
    await settled();
    expect([...r0.state, ...r1.state]).toEqual([0, 0, 0, 0]);
    await expect(w.finish()).rejects.toThrow(/ENOSPC/);
  });

  it('stopped without a failed write, or short of a partition: a plain internal error, never undefined', async () => {
    const stopped = new PostedOutcomesWriter(memorySink(), 1, 0);
    stopped.stop();
    await expect(stopped.finish()).rejects.toThrow(/internal error: outcomes\.csv was not written/);
    const short = new PostedOutcomesWriter(memorySink(), 2, 0);
    short.ended(0, 0);
    await expect(short.finish()).rejects.toThrow(/internal error: outcomes\.csv written without every partition/);
  });
});
