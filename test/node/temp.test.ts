/**
 * Temporary folders (issue #13): named with the pid, removed on every exit the process can see,
 * and swept by a later run when a SIGKILL left them; temporary writes are complete or a 'temp'
 * error a person can act on.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, utimesSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isRecoveryPbrError } from '../../src/errors.js';
import { ABANDONED_AFTER_MS, STALE_AFTER_MS, TEMP_NAME, heldTemps, isProcessAlive, isStale, makeTempDir, removeStaleTemps, removeTempDir, writeAllSync } from '../../src/node/temp.js';
import { tempDir } from '../io/helpers.js';

const CHILD = new URL('./signal-child.ts', import.meta.url).pathname;
// Never a live process: above the largest pid Linux hands out (2^22).
const DEAD_PID = 99_999_999;

/** Starts the child, resolves with it and the first line it prints. */
function child(args: string[]): Promise<{ proc: ReturnType<typeof spawn>; line: string; stderr: () => string; exited: Promise<number | null> }> {
  const proc = spawn(process.execPath, ['--import', 'tsx', CHILD, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  proc.stderr!.on('data', (d) => (err += String(d)));
  const exited = new Promise<number | null>((resolve) => proc.on('exit', (code, signal) => resolve(code ?? (signal ? -1 : null))));
  return new Promise((resolve, reject) => {
    let out = '';
    proc.stdout!.on('data', (d) => {
      out += String(d);
      const nl = out.indexOf('\n');
      if (nl >= 0) resolve({ proc, line: out.slice(0, nl), stderr: () => err, exited });
    });
    proc.on('exit', (code) => reject(new Error(`child exited (${code}) before it was ready: ${err}`)));
  });
}

describe('makeTempDir / removeTempDir', () => {
  it('makes recovery-pbr-<pid>-<random> in the folder given, holds it until removed', async () => {
    const parent = tempDir();
    const dir = await makeTempDir(parent);
    expect(dir.startsWith(parent)).toBe(true);
    const name = dir.slice(parent.length + 1);
    expect(name).toMatch(TEMP_NAME);
    expect(name).toContain(`-${process.pid}-`);
    expect(heldTemps()).toContain(dir);
    await removeTempDir(dir);
    expect(existsSync(dir)).toBe(false);
    expect(heldTemps()).not.toContain(dir);
  });

  it('a folder that cannot be made is a temp error naming it and --temp-dir, not an internal error', async () => {
    const file = join(tempDir(), 'a-file');
    (await import('node:fs')).writeFileSync(file, '');
    const e = await makeTempDir(join(file, 'sub')).catch((x: unknown) => x);
    expect(isRecoveryPbrError(e) && e.code).toBe('temp');
    expect((e as Error).message).toMatch(/cannot make a temporary folder in .*a-file.*--temp-dir/);
  });

  it('missing folders are made above it; one that cannot be made under /proc is a temp error, not a wait without end', async () => {
    const deep = join(tempDir(), 'a', 'b', 'c');
    const dir = await makeTempDir(deep);
    expect(dirname(dir)).toBe(deep);
    await removeTempDir(dir);
    // Node 20's mkdir(…, { recursive: true }) never returns for this path.
    const e = await makeTempDir('/proc/recovery-pbr-no-such-folder/x').catch((x: unknown) => x);
    expect(isRecoveryPbrError(e) && e.code).toBe('temp');
    expect((e as Error).message).toMatch(/cannot make a temporary folder in \/proc\/recovery-pbr-no-such-folder\/x: a folder on that path cannot be made .*--temp-dir/);
  }, 10_000);
});

describe('stale temporary folders (a SIGKILL cannot be seen)', () => {
  it('isStale: a dead pid and 10 minutes untouched; anything untouched for 2 days; never a live process recently touched', () => {
    const now = Date.now();
    expect(isProcessAlive(process.pid)).toBe(true);
    expect(isProcessAlive(DEAD_PID)).toBe(false);
    expect(isStale(DEAD_PID, now - STALE_AFTER_MS - 1000, now)).toBe(true);
    expect(isStale(DEAD_PID, now - 60_000, now)).toBe(false);
    expect(isStale(process.pid, now - STALE_AFTER_MS - 1000, now)).toBe(false);
    expect(isStale(process.pid, now - ABANDONED_AFTER_MS - 1000, now)).toBe(true);
  });

  it('removeStaleTemps removes only stale folders named like ours', async () => {
    const parent = tempDir();
    const old = Date.now() / 1000 - 3600;
    const stale = join(parent, `recovery-pbr-${DEAD_PID}-0123abcd`);
    const recent = join(parent, `recovery-pbr-${DEAD_PID}-89abcdef`);
    const live = join(parent, `recovery-pbr-${process.pid}-00000000`);
    const other = join(parent, 'recovery-pbr-notes');
    for (const d of [stale, recent, live, other]) mkdirSync(join(d, 'inner'), { recursive: true });
    for (const d of [stale, live, other]) utimesSync(d, old, old);
    expect(await removeStaleTemps(parent)).toEqual([stale]);
    expect(readdirSync(parent).sort()).toEqual([recent, live, other].map((d) => d.slice(parent.length + 1)).sort());
  });

  it('a run killed with SIGKILL leaves its folder; the next makeTempDir in that folder removes it once stale', async () => {
    const parent = tempDir();
    const c = await child(['temp', parent]);
    expect(existsSync(c.line)).toBe(true);
    c.proc.kill('SIGKILL');
    await c.exited;
    expect(existsSync(c.line)).toBe(true); // what SIGKILL leaves
    const t = Date.now() / 1000 - STALE_AFTER_MS / 1000 - 60;
    utimesSync(c.line, t, t); // as if the next run came 11 minutes later
    const mine = await makeTempDir(parent);
    expect(existsSync(c.line)).toBe(false);
    await removeTempDir(mine);
  });
});

describe('every exit the process can see removes what it holds', () => {
  it.each(['SIGTERM', 'SIGINT', 'SIGHUP'] as const)('%s: the temporary folder is gone and the exit code is 128 + the signal', async (signal) => {
    const parent = tempDir();
    const c = await child(['temp', parent]);
    expect(existsSync(c.line)).toBe(true);
    c.proc.kill(signal);
    const code = await c.exited;
    expect(code).toBe(128 + { SIGHUP: 1, SIGINT: 2, SIGTERM: 15 }[signal]);
    expect(readdirSync(parent)).toEqual([]);
  });
});

describe('writeAllSync: every byte or a temp error', () => {
  it('follows a short write with the rest', () => {
    const written: number[] = [];
    const fake = ((_fd: number, data: Uint8Array | string, off = 0, len?: number) => {
      const buf = typeof data === 'string' ? Buffer.from(data) : data;
      const n = Math.min(3, len ?? buf.length - off); // at most 3 bytes a call
      written.push(...buf.subarray(off, off + n));
      return n;
    }) as unknown as typeof import('node:fs').writeSync;
    writeAllSync(7, 'hello, wörld', '/tmp/x', fake);
    expect(Buffer.from(written).toString()).toBe('hello, wörld');
    written.length = 0;
    writeAllSync(7, Buffer.from('bytes too'), '/tmp/x', fake);
    expect(Buffer.from(written).toString()).toBe('bytes too');
  });

  it('a full disk (ENOSPC) after a short write is a temp error that says so and names --temp-dir', () => {
    let calls = 0;
    const fake = ((_fd: number, data: Uint8Array | string, _off?: number, len?: number) => {
      if (calls++ === 0) return Math.floor((len ?? data.length) / 2);
      throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    }) as unknown as typeof import('node:fs').writeSync;
    let e: unknown;
    try {
      writeAllSync(7, 'x'.repeat(100), '/tmp/recovery-pbr-1-00000000/b0', fake);
    } catch (x) {
      e = x;
    }
    expect(isRecoveryPbrError(e) && e.code).toBe('temp');
    expect((e as Error).message).toBe(
      'cannot write temporary files in /tmp/recovery-pbr-1-00000000/b0: the disk is full. Free some space there, or choose another folder with --temp-dir.',
    );
  });

  it('a write that makes no progress is an error, never a loop', () => {
    const fake = (() => 0) as unknown as typeof import('node:fs').writeSync;
    expect(() => writeAllSync(7, 'abc', '/tmp/x', fake)).toThrow(/cannot write temporary files/);
  });
});
