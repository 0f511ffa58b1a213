/**
 * The queue both writers of `outcomes.csv` write through (src/node/write-queue.ts): steps in order,
 * none after the first failure (which is the one kept), `after` always, and a stop that may be
 * lifted where a failure may not.
 */
import { describe, expect, it } from 'vitest';
import { WriteQueue } from '../../src/node/write-queue.js';

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('WriteQueue', () => {
  it('runs the steps one after another, in the order queued', async () => {
    const q = new WriteQueue();
    const seen: string[] = [];
    for (const s of ['a', 'b', 'c']) q.add(async () => (await tick(), void seen.push(s)));
    await q.finish();
    expect(seen).toEqual(['a', 'b', 'c']);
  });

  it('keeps the first failure, runs no step after it, and runs every `after`', async () => {
    const q = new WriteQueue();
    const seen: string[] = [];
    const afters: string[] = [];
    q.add(async () => void seen.push('a'), () => afters.push('a'));
    q.add(async () => Promise.reject(new Error('ENOSPC first')), () => afters.push('b'));
    q.add(async () => Promise.reject(new Error('second')), () => afters.push('c'));
    q.add(async () => void seen.push('d'), () => afters.push('d'));
    await expect(q.finish()).rejects.toThrow('ENOSPC first');
    expect(seen).toEqual(['a']);
    expect(afters).toEqual(['a', 'b', 'c', 'd']);
    q.resume();
    expect(q.failed).toBe(true);
  });

  it('a stop runs no step not yet begun (queued before it or after), and can be lifted', async () => {
    const q = new WriteQueue();
    const seen: string[] = [];
    q.add(async () => void seen.push('a'));
    q.stop();
    q.add(async () => void seen.push('b'));
    await q.settled();
    expect(seen).toEqual([]);
    await expect(q.finish()).rejects.toThrow(/internal error: .*stopped without a reason/);
    q.resume();
    q.add(async () => void seen.push('c'));
    await q.finish();
    expect(seen).toEqual(['c']);
  });
});
