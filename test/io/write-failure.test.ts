/**
 * Writes that fail or fall short (issue #13), injected under the output writer: short writes are
 * followed by the rest (the outputs are complete and identical), and a full disk is exit 1 with a
 * plain message that says the earlier outputs were left as they were — never a truncated file
 * and exit 0.
 */
import { readdirSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { runCli } from '../support/cli.js';
import { tempDir } from './helpers.js';

const fault = vi.hoisted(() => ({ mode: 'off' as 'off' | 'short' | 'enospc', writes: 0 }));

vi.mock('node:fs/promises', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs/promises')>();
  const open: typeof fs.open = async (path, flags, mode) => {
    const fh = await fs.open(path, flags, mode);
    // Only the files written into an output folder's staging folder are sabotaged.
    if (fault.mode === 'off' || !String(path).includes('.recovery-pbr-')) return fh;
    return new Proxy(fh, {
      get(target, prop) {
        if (prop === 'write') {
          return async (buf: Uint8Array, off = 0, len = buf.length - off, position?: number | null) => {
            fault.writes++;
            if (fault.mode === 'enospc' && fault.writes > 1) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', errno: -28, syscall: 'write' });
            // At most 7 bytes a call: every write falls short.
            return target.write(buf, off, Math.min(7, len), position);
          };
        }
        const v = Reflect.get(target, prop) as unknown;
        return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
      },
    });
  };
  return { ...fs, open, default: { ...fs, open } };
});

const GOOD = new URL('../fixtures/io/good', import.meta.url).pathname;
const args = (out: string) => ['run', '--scheme', 'national-model-2012', '--data', GOOD, '--as-of', '2023-12-31', '--out', out, '--quiet', '--workers', '0'];

beforeEach(() => {
  fault.mode = 'off';
  fault.writes = 0;
});

describe('short writes and a full disk under the output writer', () => {
  it('short writes: every byte still reaches the file (the same outputs as without them)', async () => {
    const plain = tempDir();
    expect((await runCli(args(plain))).code).toBe(0);
    fault.mode = 'short';
    const short = tempDir();
    const r = await runCli(args(short));
    expect(r.code, r.stderr).toBe(0);
    expect(fault.writes).toBeGreaterThan(100);
    for (const f of readdirSync(plain)) expect(readFileSync(join(short, f), 'utf8'), f).toBe(readFileSync(join(plain, f), 'utf8'));
  });

  it('a full disk: exit 1, "the disk is full", the earlier outputs untouched, no staging folder left', async () => {
    const base = tempDir();
    const out = join(base, 'out');
    mkdirSync(out);
    writeFileSync(join(out, 'summary.json'), '{"earlier":true}\n');
    fault.mode = 'enospc';
    const r = await runCli(args(out));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^recovery-pbr run: cannot write .*\/out\/outcomes\.csv: the disk is full\n.*\/out was left as it was \(the outputs of the earlier run are untouched\)\.\n$/);
    expect(r.stderr).not.toMatch(/internal error|at .*\.ts:\d+/);
    expect(readdirSync(base)).toEqual(['out']);
    expect(readdirSync(out)).toEqual(['summary.json']);
    expect(readFileSync(join(out, 'summary.json'), 'utf8')).toBe('{"earlier":true}\n');
  });

  it('a full disk on a new --out: exit 1 and "nothing was written"; the folder is not created', async () => {
    const base = tempDir();
    fault.mode = 'enospc';
    const r = await runCli(['validate', '--data', GOOD, '--out', join(base, 'checked'), '--quiet', '--workers', '0']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/cannot write .*\/checked\/rejections\.csv: the disk is full\nNothing was written \(.*\/checked was not created\)\./);
    expect(readdirSync(base)).toEqual([]);
  });
});
