/**
 * Issue #6: memory stays bounded. Each run is a child process with a small V8 heap ceiling
 * (--max-old-space-size=160): the national-scale runner holds one partition's rows at a time (as
 * typed columns), so 5k clients in one partition and 20k clients in four must both run under it,
 * with peak RSS growing well under linearly (criterion: RSS(20k) / RSS(5k) < 1.5 for 4× the data),
 * while the in-memory path, which holds every record as an object, cannot run 20k clients under the
 * same ceiling (a control: the ceiling binds).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeGeneratedDataset } from '../../src/io/generate.js';

const made: string[] = [];
afterAll(() => {
  for (const d of made) rmSync(d, { recursive: true, force: true });
});

const CHILD = join(__dirname, 'memory-child.ts');

function runChild(dir: string, mode: 'folder' | 'memory', partitions = 1): { ok: boolean; rssMiB: number; outcomes: number } {
  const r = spawnSync(process.execPath, ['--max-old-space-size=160', '--import', 'tsx', CHILD, dir, mode, String(partitions)], {
    encoding: 'utf8',
    timeout: 60_000,
  });
  if (r.status !== 0) return { ok: false, rssMiB: NaN, outcomes: 0 };
  const last = r.stdout.trim().split('\n').pop()!;
  return { ok: true, ...(JSON.parse(last) as { rssMiB: number; outcomes: number }) };
}

describe('memory does not grow with the whole history (issue #6)', () => {
  it('5k clients in one partition and 20k in four under a 160 MB heap: peak RSS grows well under linearly; the in-memory path cannot', async () => {
    const small = mkdtempSync(join(tmpdir(), 'rpbr-mem-'));
    const large = mkdtempSync(join(tmpdir(), 'rpbr-mem-'));
    made.push(small, large);
    await writeGeneratedDataset({ clients: 5_000, seed: 3 }, small);
    await writeGeneratedDataset({ clients: 20_000, seed: 3 }, large);
    const a = runChild(small, 'folder', 1);
    const b = runChild(large, 'folder', 4);
    expect(a.ok).toBe(true);
    expect(b.ok).toBe(true);
    expect(b.outcomes).toBeGreaterThan(3.5 * a.outcomes);
    expect(b.rssMiB / a.rssMiB).toBeLessThan(1.5);
    // Control: holding every record and result, 20k clients do not fit under the same ceiling.
    expect(runChild(large, 'memory').ok).toBe(false);
  }, 90_000);
});
