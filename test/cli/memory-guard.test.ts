import { describe, expect, it } from 'vitest';
import { RecoveryPbrError } from '../../src/errors.js';
import { HEAP_PER_INPUT_BYTE, ensureFitsInMemory } from '../../src/cli/shared.js';

describe('commands that hold the data in memory refuse what cannot fit (no crash halfway)', () => {
  it('passes when the estimate fits the heap', async () => {
    await expect(ensureFitsInMemory('examples/demo', HEAP_PER_INPUT_BYTE.rules, 2 ** 30)).resolves.toBeUndefined();
  });

  it('refuses with the size, the estimate, the limit and what to do', async () => {
    // The demo is 1.55 MiB: 20 bytes of heap per byte is about 31 MiB, over a 16 MiB heap.
    const err = await ensureFitsInMemory('examples/demo', HEAP_PER_INPUT_BYTE.rules, 16 * 2 ** 20).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RecoveryPbrError);
    const m = (err as Error).message;
    expect(m).toMatch(/^this command holds every record of --data in memory: for these inputs \(2 MiB\) that is about 31 MiB, more than this Node process may use \(16 MiB\)/);
    expect(m).toMatch(/NODE_OPTIONS=--max-old-space-size=\d+/);
    expect(m).toContain('run, validate and explain work at any size');
  });

  it('a missing folder is still reported as such', async () => {
    await expect(ensureFitsInMemory('no-such-folder', 1)).rejects.toThrow(/data folder not found/);
  });
});
