/**
 * Temporary folders of recovery-pbr, and the one place that makes sure they go (issue #13).
 *
 * - {@link makeTempDir} makes `recovery-pbr-<pid>-<random>` in the temporary folder (or the one
 *   given) and holds it; {@link removeTempDir} removes and releases it.
 * - Whatever is held ({@link holdTemp}: temporary folders, the staging folder of an output folder)
 *   is removed on every exit the process can see: a normal exit, an uncaught error, and Ctrl-C, a
 *   kill or a closed terminal (SIGINT, SIGTERM, SIGHUP), which are turned into an exit (128 +
 *   signal number) when nothing else in the process listens for them, as they would have ended it
 *   anyway.
 * - A SIGKILL (as the out-of-memory killer sends) cannot be seen: what that process held stays. So
 *   the next run sweeps first ({@link removeStaleTemps}): a folder named with the pid of a process
 *   that is no longer alive, and untouched for {@link STALE_AFTER_MS}, is removed. A live process
 *   touches what it holds every minute, so its folders never look stale, even on a shared disk.
 * - {@link writeAllSync} writes every byte or throws a `RecoveryPbrError` (`temp`) a person can act
 *   on (a full disk, no permission), for the temporary files written synchronously.
 * @module
 */
import { randomBytes } from 'node:crypto';
import { rmSync, utimesSync, writeSync } from 'node:fs';
import { mkdir, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { RecoveryPbrError, isRecoveryPbrError } from '../errors.js';

/** How long a dead process's folder must have been untouched before another run removes it. */
export const STALE_AFTER_MS = 10 * 60 * 1000;
/** A folder untouched this long is removed whoever made it (a live holder touches it every minute). */
export const ABANDONED_AFTER_MS = 48 * 60 * 60 * 1000;
const HEARTBEAT_MS = 60 * 1000;

/** The name of a temporary folder: `recovery-pbr-<pid>-<8 hex>`. */
export const TEMP_NAME = /^recovery-pbr-(\d+)-[0-9a-f]{8}$/;

interface Held {
  /** Said on stderr when a signal ends the process while this is held (e.g. what became of --out). */
  onSignal?: () => string | undefined;
  /** Undo instead of plain removal (e.g. put a moved output folder back); runs synchronously. */
  undo?: () => void;
}

const held = new Map<string, Held>();
const SIGNALS = { SIGINT: 2, SIGTERM: 15, SIGHUP: 1 } as const;
type Signal = keyof typeof SIGNALS;
let signalsTaken: Signal[] = [];
let heartbeat: ReturnType<typeof setInterval> | undefined;
const swept = new Set<string>();

/** Removes (or undoes) everything held, synchronously: what an exiting process can still do. */
function removeAllSync(): void {
  for (const [path, h] of [...held].reverse()) {
    try {
      if (h.undo) h.undo();
      else rmSync(path, { recursive: true, force: true });
    } catch {
      // Nothing more can be done on the way out; the next run's sweep removes what is left.
    }
    held.delete(path);
  }
}

function onExit(): void {
  removeAllSync();
}

function onSignal(signal: Signal): void {
  const notes = [...held.values()].map((h) => h.onSignal?.()).filter((n): n is string => typeof n === 'string' && n !== '');
  removeAllSync();
  if (notes.length > 0) {
    try {
      process.stderr.write(`\nrecovery-pbr: stopped by ${signal}. ${notes.join(' ')}\n`);
    } catch {
      // stderr may be gone (a closed terminal).
    }
  }
  process.exit(128 + SIGNALS[signal]);
}
const signalHandlers: Record<Signal, () => void> = {
  SIGINT: () => onSignal('SIGINT'),
  SIGTERM: () => onSignal('SIGTERM'),
  SIGHUP: () => onSignal('SIGHUP'),
};

function touchHeld(): void {
  const now = new Date();
  for (const path of held.keys()) {
    try {
      utimesSync(path, now, now);
    } catch {
      // Gone already, or not ours to touch: nothing to keep alive.
    }
  }
}

/**
 * Holds `path` (a file or folder) so that it is removed on any exit the process can see, until
 * {@link releaseTemp}. `onSignal` may say, when a signal ends the process, what became of it;
 * `undo` replaces plain removal (it must be synchronous).
 * @example holdTemp('/tmp/recovery-pbr-123-0a1b2c3d')
 */
export function holdTemp(path: string, options: Held = {}): void {
  if (held.size === 0) {
    process.on('exit', onExit);
    signalsTaken = (Object.keys(SIGNALS) as Signal[]).filter((s) => process.listenerCount(s) === 0);
    for (const s of signalsTaken) process.on(s, signalHandlers[s]);
    heartbeat = setInterval(touchHeld, HEARTBEAT_MS);
    heartbeat.unref();
  }
  held.set(path, options);
}

/**
 * Stops holding `path` (it was removed, or is kept on purpose). The exit and signal handlers go
 * when nothing is held.
 * @example releaseTemp('/tmp/recovery-pbr-123-0a1b2c3d')
 */
export function releaseTemp(path: string): void {
  if (!held.delete(path) || held.size > 0) return;
  process.removeListener('exit', onExit);
  for (const s of signalsTaken) process.removeListener(s, signalHandlers[s]);
  signalsTaken = [];
  if (heartbeat) clearInterval(heartbeat);
  heartbeat = undefined;
}

/** Paths held now (for tests and diagnostics). */
export function heldTemps(): string[] {
  return [...held.keys()];
}

/**
 * Whether a process with this id is alive (on this machine, as this process sees it).
 * @example isProcessAlive(process.pid) // true
 */
export function isProcessAlive(pid: number): boolean {
  if (!Number.isSafeInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: it exists, owned by someone else.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Whether an entry named with a process id is stale: that process is not alive (or is this very
 * process, but the entry is not held) and the entry was untouched for {@link STALE_AFTER_MS}; or
 * it was untouched for {@link ABANDONED_AFTER_MS} whoever made it.
 */
export function isStale(pid: number, mtimeMs: number, now = Date.now()): boolean {
  const idle = now - mtimeMs;
  if (idle >= ABANDONED_AFTER_MS) return true;
  if (idle < STALE_AFTER_MS) return false;
  return !isProcessAlive(pid);
}

/**
 * Removes the temporary folders that runs of recovery-pbr left in `parent` (named
 * `recovery-pbr-<pid>-<random>`) when they are stale (see {@link isStale}): what a process killed
 * with SIGKILL could not remove. Returns the paths removed. Never fails: a folder that cannot be
 * removed is left.
 * @example await removeStaleTemps(os.tmpdir())
 */
export async function removeStaleTemps(parent: string, now = Date.now()): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(parent);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    const m = TEMP_NAME.exec(name);
    if (!m) continue;
    const path = join(parent, name);
    if (held.has(path)) continue;
    try {
      const s = await stat(path);
      if (!s.isDirectory() || !isStale(Number(m[1]), s.mtimeMs, now)) continue;
      await rm(path, { recursive: true, force: true });
      removed.push(path);
    } catch {
      // Removed by someone else meanwhile, or not ours to remove.
    }
  }
  return removed;
}

/**
 * A new temporary folder `recovery-pbr-<pid>-<random>` in `parent` (default: the system's
 * temporary folder; created if missing), held until {@link removeTempDir}. Stale folders of earlier
 * runs in `parent` are removed first (once per process). Throws a `RecoveryPbrError` (`temp`) when
 * the folder cannot be made.
 * @example const dir = await makeTempDir(); try { … } finally { await removeTempDir(dir); }
 */
export async function makeTempDir(parent: string = tmpdir()): Promise<string> {
  if (!swept.has(parent)) {
    swept.add(parent);
    await removeStaleTemps(parent);
  }
  for (let attempt = 0; ; attempt++) {
    const dir = join(parent, `recovery-pbr-${process.pid}-${randomBytes(4).toString('hex')}`);
    try {
      await makeFolders(parent);
      await mkdir(dir, { mode: 0o700 }); // outcome lines hold client ids: for this user only
      holdTemp(dir);
      return dir;
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EEXIST' && attempt < 5) continue;
      // A folder on the path that is missing yet cannot be made: a system folder such as /proc, a
      // link to nothing, or one removed meanwhile.
      if (code === 'ENOENT') {
        throw new RecoveryPbrError(
          'temp',
          `cannot make a temporary folder in ${parent}: a folder on that path cannot be made (a link to nothing, a system folder such as /proc, or a folder removed meanwhile). Choose another folder with --temp-dir.`,
        );
      }
      throw tempError(parent, e, 'cannot make a temporary folder in');
    }
  }
}

/**
 * Makes a folder and the folders above it that are missing. Not `mkdir(dir, { recursive: true })`:
 * in Node 20 that never returns for a path under `/proc` (e.g. `/proc/x/y`), where making a missing
 * folder fails with ENOENT although the folder above it exists; here that second ENOENT is the error.
 */
async function makeFolders(dir: string): Promise<void> {
  try {
    await mkdir(dir);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    // EISDIR: a root, on some systems.
    if (code === 'EEXIST' || code === 'EISDIR') return;
    const up = dirname(dir);
    if (code !== 'ENOENT' || up === dir) throw e;
    await makeFolders(up);
    await mkdir(dir).catch((again: unknown) => {
      if ((again as NodeJS.ErrnoException).code !== 'EEXIST') throw again;
    });
  }
}

/**
 * Removes a folder made by {@link makeTempDir} and stops holding it.
 * @example await removeTempDir(dir)
 */
export async function removeTempDir(dir: string): Promise<void> {
  try {
    await rm(dir, { recursive: true, force: true });
  } finally {
    releaseTemp(dir);
  }
}

/** What a file-system error code means, for a person. */
export function fileSystemReason(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  switch (err?.code) {
    case 'ENOSPC':
      return 'the disk is full';
    case 'EDQUOT':
      return 'the disk quota is used up';
    case 'EFBIG':
      return 'the file is larger than this file system allows';
    case 'EROFS':
      return 'the file system is read-only';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EIO':
      return 'an input/output error (a failing disk or a lost network share)';
    case 'ENOENT':
      return 'the folder was removed while in use';
    case 'ENOTDIR':
      return 'part of the path is a file, not a folder';
    default:
      return err?.message ?? String(e);
  }
}

/**
 * A `RecoveryPbrError` (`temp`) for temporary files that cannot be written, naming where and why,
 * and what to do (`--temp-dir`). A `RecoveryPbrError` passes through.
 * @example tempError('/tmp/recovery-pbr-1-00000000', { code: 'ENOSPC' }).message
 */
export function tempError(path: string, e: unknown, what = 'cannot write temporary files in'): RecoveryPbrError {
  if (isRecoveryPbrError(e)) return e;
  return new RecoveryPbrError('temp', `${what} ${path}: ${fileSystemReason(e)}. Free some space there, or choose another folder with --temp-dir.`);
}

/**
 * Writes all of `data` to the open file `fd` (a short write is followed by the rest), or throws a
 * `RecoveryPbrError` (`temp`) naming `path` (a full disk, a quota, an I/O error).
 * @example writeAllSync(fd, 'line\n', '/tmp/recovery-pbr-1-00000000/b0')
 */
export function writeAllSync(fd: number, data: string | Uint8Array, path: string, write: typeof writeSync = writeSync): void {
  let bytes: Uint8Array;
  let at = 0;
  try {
    if (typeof data === 'string') {
      // Usually one call writes it all, without copying the text into a buffer first.
      const total = Buffer.byteLength(data, 'utf8');
      at = write(fd, data);
      if (at === total) return;
      bytes = Buffer.from(data, 'utf8');
    } else bytes = data;
    while (at < bytes.length) {
      const n = write(fd, bytes, at, bytes.length - at);
      if (!(n > 0)) throw Object.assign(new Error('no bytes could be written'), { code: 'EIO' });
      at += n;
    }
  } catch (e) {
    throw tempError(path, e);
  }
}
