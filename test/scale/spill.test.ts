import fc from 'fast-check';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LineReader, SpillWriter, mergeSorted } from '../../src/node/spill.js';

const dir = mkdtempSync(join(tmpdir(), 'rpbr-spill-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('temporary files of a partitioned run (issue #6)', () => {
  it('mergeSorted merges sorted sources into one sorted sequence, ties to the first source', () => {
    fc.assert(
      fc.property(fc.array(fc.array(fc.integer({ min: 0, max: 50 }), { maxLength: 20 }), { maxLength: 6 }), (lists) => {
        const sorted = lists.map((l) => [...l].sort((a, b) => a - b));
        const tagged = sorted.map((l, src) => l.map((v) => ({ v, src }))[Symbol.iterator]());
        const merged = [...mergeSorted(tagged, (a, b) => a.v - b.v)];
        expect(merged.map((x) => x.v)).toEqual(sorted.flat().sort((a, b) => a - b));
        for (let i = 1; i < merged.length; i++) if (merged[i]!.v === merged[i - 1]!.v) expect(merged[i]!.src).toBeGreaterThanOrEqual(merged[i - 1]!.src);
      }),
    );
  });

  it('SpillWriter appends lines per bucket; LineReader reads them back, one by one or n at a time, across chunk ends', () => {
    const w = new SpillWriter((b) => join(dir, `b${b}.txt`), 2, 64);
    const lines = Array.from({ length: 300 }, (_, i) => `line ${i} ${'é'.repeat(i % 7)}`);
    lines.forEach((l, i) => w.add(i % 2, l));
    w.close();
    const even = lines.filter((_, i) => i % 2 === 0);
    const r = new LineReader(join(dir, 'b0.txt'), 37);
    const got: string[] = [];
    for (let l = r.next(); l !== undefined; l = r.next()) got.push(l);
    expect(got).toEqual(even);
    const r2 = new LineReader(join(dir, 'b0.txt'), 41);
    let text = r2.next()! + '\n';
    text += r2.nextLines(10) + r2.nextLines(1000);
    expect(text).toBe(even.map((l) => l + '\n').join(''));
    writeFileSync(join(dir, 'tail.txt'), 'a\nb');
    expect(new LineReader(join(dir, 'tail.txt')).nextLines(5)).toBe('a\nb\n');
    expect(new LineReader(join(dir, 'missing.txt')).next()).toBeUndefined();
  });
});
