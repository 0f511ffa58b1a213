/**
 * Output folders (SPEC §5: no partial output files; issue #13): an output folder is replaced as a
 * whole. Every command that writes `--out` goes through {@link openOutputFolder}:
 *
 * 1. At once, before any work: `--out` is checked — not under /proc, /sys or /dev, not a file, and
 *    holding nothing recovery-pbr did not write (an earlier run's outputs, reports and leftovers
 *    are its own; hidden files such as `.gitattributes` are kept). Anything else is refused, so
 *    that replacing the folder never deletes a person's own files.
 * 2. The files are written into a sibling staging folder (`.<name>.recovery-pbr-<pid>-<random>.new`
 *    beside `--out`); every write is checked and complete (a short write is followed by the rest;
 *    a full disk is an error) and synced to disk.
 * 3. Only when all are complete is the staging folder swapped in: the earlier folder is renamed
 *    aside and the new one into its place (two renames that nothing in the process can come
 *    between), then the earlier one is removed. The new set appears at once or not at all: files of
 *    an earlier run never stand beside new ones.
 *
 * A failure leaves the earlier folder as it was (or no folder), and the error says which. The
 * staging folder is held (src/node/temp.ts), so Ctrl-C or a kill removes it; after a SIGKILL the
 * next run removes it (or, when it was caught between the two renames, puts the earlier folder
 * back). When `--out` cannot be renamed (a mount point, the working folder, a parent folder that
 * is not writable), the files are staged inside `--out` and moved into place in one synchronous
 * step instead.
 * @module
 */
import { randomBytes } from 'node:crypto';
import { closeSync, lstatSync, openSync, readFileSync, readSync, readdirSync, renameSync, rmSync, rmdirSync } from 'node:fs';
import { chmod, copyFile, lstat, mkdir, open, readdir, realpath, rm, rmdir, stat, access, type FileHandle } from 'node:fs/promises';
import { constants } from 'node:fs';
import { basename, dirname, join, resolve, sep } from 'node:path';
import { RecoveryPbrError, isRecoveryPbrError } from '../errors.js';
import { fileSystemReason, holdTemp, isStale, releaseTemp } from '../node/temp.js';

/** Content of one output file: text, bytes, or text (or bytes) produced in pieces (for large outputs). */
export type OutputContent = string | Uint8Array | Iterable<string | Uint8Array> | AsyncIterable<string | Uint8Array>;

/** One output file: its name inside the output folder and its content. */
export interface OutputFile {
  name: string;
  content: OutputContent;
}

/**
 * Every file name a command of recovery-pbr writes into `--out` (besides HTML reports, which are
 * recognised by their content). A folder holding only these (and hidden files) may be replaced.
 */
export const OUTPUT_NAMES: readonly string[] = [
  // run, validate, health-premium
  'outcomes.csv',
  'payments.csv',
  'rejections.csv',
  'summary.json',
  'health_premium.csv',
  'health_premium.json',
  'health_premium_segments.csv',
  // compare, calibrate, forecast
  'comparison.csv',
  'payments_a.csv',
  'payments_b.csv',
  'calibration.json',
  'prices.csv',
  'scheme.json',
  'scheme.schema.json',
  'forecast.csv',
  'forecast.json',
];

/** Options of {@link openOutputFolder}. */
export interface OutputFolderOptions {
  /** Names this command writes besides {@link OUTPUT_NAMES} (e.g. `generate`'s input files). */
  names?: readonly string[];
}

/** A file being written in pieces into a staging folder. */
export interface FileSink {
  /**
   * Appends text or bytes; resolves when every byte is written (bytes given must not change till
   * then; the caller may reuse them after). Writes begun before the one before ended land in the
   * order they were begun.
   */
  write(data: string | Uint8Array): Promise<void>;
  /**
   * Syncs what is written so far to disk (its data), so that {@link close} has less left to sync:
   * a file written in stages while other work goes on (`outcomes.csv`, partition by partition).
   */
  sync(): Promise<void>;
  /**
   * Takes back every byte written: the file is empty again and the next write is its first (a run
   * that starts over after writing part of a file). Not begun while a write is under way, nor a
   * write while it is.
   */
  restart(): Promise<void>;
  /** Syncs the file to disk and closes it. */
  close(): Promise<void>;
  /** Bytes written so far. */
  readonly bytes: number;
}

/** The staging folder a command writes its outputs into (see {@link OutputFolder.replace}). */
export interface StagingFolder {
  /** Writes one whole file (checked, complete, synced); returns its final path. */
  writeFile(name: string, content: OutputContent): Promise<string>;
  /** Opens one file to write in pieces (see {@link FileSink}); returns it with its final path. */
  openFile(name: string): Promise<{ sink: FileSink; path: string }>;
}

/** An output folder, checked and ready to be replaced as a whole (see the module notes). */
export interface OutputFolder {
  /** The folder as given (absolute). */
  readonly dir: string;
  /** Whether the folder held outputs of an earlier run when it was opened. */
  readonly hadOutputs: boolean;
  /**
   * Writes through `fill` into a staging folder, then swaps it in; returns what `fill` returned.
   * When `fill` throws, or any write fails, the folder is left as it was and the error (a
   * `RecoveryPbrError`) says so. When `fill` writes nothing, the folder is left as it was.
   */
  replace<T>(fill: (staging: StagingFolder) => Promise<T>): Promise<T>;
  /** Writes these files (all or none) as the folder's whole content; returns their paths. */
  write(files: readonly OutputFile[]): Promise<string[]>;
  /**
   * The same error with a sentence that says what became of the folder (left as it was, or
   * nothing written), for a command that fails before or while writing. Other errors pass.
   */
  failed(e: unknown): unknown;
}

// Pseudo file systems: a path there is never an output folder (mkdir -p on /proc/self/x never ends).
const PSEUDO_ROOTS = ['/proc', '/sys', '/dev'];
// Leftovers of earlier versions and of runs that were killed: removed with the folder.
const LEFTOVER = [/^\..+\.\d+-[0-9a-f]{8}\.tmp$/, /^\..+\.partial$/, /^\.recovery-pbr-\d+-[0-9a-f]{8}\.new$/];
const STAGING = /^\.(.+)\.recovery-pbr-(\d+)-([0-9a-f]{8})\.(new|old)$/;
const REPORT_MARK = '<meta name="generator" content="recovery-pbr';
const MAX_KEPT_BYTES = 1024 * 1024;

/** Errors this module has already worded (with what became of the folder). */
const worded = new WeakSet<object>();

function codeOf(e: unknown): string | undefined {
  const c = (e as NodeJS.ErrnoException)?.code;
  return typeof c === 'string' ? c : undefined;
}

function isFsError(e: unknown): boolean {
  const c = codeOf(e);
  return c !== undefined && /^E[A-Z]+$/.test(c) && !isRecoveryPbrError(e);
}

function outError(path: string, e: unknown): RecoveryPbrError {
  if (isRecoveryPbrError(e)) return e;
  return new RecoveryPbrError('output', `cannot write ${path}: ${fileSystemReason(e)}`);
}

/** Whether `path` is `root` or inside it. */
function within(path: string, root: string): boolean {
  return path === root || path.startsWith(root.endsWith(sep) ? root : root + sep);
}

/** The nearest part of `abs` that exists, and the names below it that do not. */
async function nearestExisting(abs: string, shown: string): Promise<{ existing: string; missing: string[] }> {
  let cur = abs;
  const missing: string[] = [];
  for (;;) {
    try {
      await lstat(cur);
      return { existing: cur, missing };
    } catch (e) {
      const code = codeOf(e);
      if (code === 'ENOTDIR') throw new RecoveryPbrError('output', `cannot write ${shown}: part of the path is a file, not a folder`);
      if (code !== 'ENOENT') throw outError(shown, e);
      const up = dirname(cur);
      if (up === cur) throw outError(shown, e);
      missing.unshift(basename(cur));
      cur = up;
    }
  }
}

/** Mount points, from /proc/self/mountinfo (Linux); undefined where it cannot be read. */
function mountPoints(): Set<string> | undefined {
  try {
    const text = readFileSync('/proc/self/mountinfo', 'utf8');
    const out = new Set<string>();
    for (const line of text.split('\n')) {
      const f = line.split(' ');
      if (f.length > 4) out.add(f[4]!.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8))));
    }
    return out;
  } catch {
    return undefined;
  }
}

async function isMountPoint(path: string): Promise<boolean> {
  const mounts = mountPoints();
  if (mounts) return mounts.has(path);
  try {
    return (await stat(path)).dev !== (await stat(dirname(path))).dev;
  } catch {
    return false;
  }
}

async function writable(path: string): Promise<boolean> {
  try {
    await access(path, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

type EntryKind = 'ours' | 'kept' | 'foreign';

/** What an entry of an existing output folder is: an output (replaced), a hidden file (kept), or someone else's. */
function entryKind(dir: string, name: string, ours: ReadonlySet<string>): EntryKind {
  if (LEFTOVER.some((re) => re.test(name))) return 'ours';
  let s;
  try {
    s = lstatSync(join(dir, name));
  } catch {
    return 'ours'; // gone meanwhile
  }
  if (!s.isFile()) return 'foreign';
  if (ours.has(name)) return 'ours';
  if (/\.html?$/i.test(name) && startsWithMark(join(dir, name))) return 'ours';
  if (name.startsWith('.') && s.size <= MAX_KEPT_BYTES) return 'kept';
  return 'foreign';
}

/** Whether a file's first 2 KiB hold the mark of a report written by recovery-pbr. */
function startsWithMark(path: string): boolean {
  let fd: number | undefined;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
    const buf = Buffer.alloc(2048);
    const n = readSync(fd, buf, 0, buf.length, 0);
    return buf.subarray(0, n).toString('utf8').includes(REPORT_MARK);
  } catch {
    return false;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

function listEntries(dir: string, ours: ReadonlySet<string>): Record<EntryKind, string[]> {
  const out: Record<EntryKind, string[]> = { ours: [], kept: [], foreign: [] };
  for (const name of readdirSync(dir).sort()) out[entryKind(dir, name, ours)].push(name);
  return out;
}

function foreignError(shown: string, foreign: readonly string[]): RecoveryPbrError {
  const list = foreign.slice(0, 5).map((n) => `'${printableName(n)}'`).join(', ') + (foreign.length > 5 ? `, … (${foreign.length} in all)` : '');
  return new RecoveryPbrError(
    'output',
    `--out ${shown} holds ${foreign.length === 1 ? 'something' : 'things'} recovery-pbr did not write: ${list}. ` +
      'recovery-pbr replaces its output folder as a whole (so that files of an earlier run never stand beside new ones), ' +
      'and would not delete your own files: give a new or empty folder, or move them away.',
  );
}

/** A file or folder name made safe to show on a terminal (controls escaped, long names cut). */
function printableName(name: string): string {
  // eslint-disable-next-line no-control-regex
  const s = name.replace(/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return s.length > 80 ? `${s.slice(0, 80)}…` : s;
}

/** Writes every byte of `data` through `write` (a short write is followed by the rest). */
export async function writeFully(
  handle: Pick<FileHandle, 'write'>,
  data: Uint8Array,
  position?: number,
): Promise<void> {
  let at = 0;
  while (at < data.length) {
    const { bytesWritten } = await handle.write(data, at, data.length - at, position === undefined ? undefined : position + at);
    if (!(bytesWritten > 0)) throw Object.assign(new Error('no bytes could be written'), { code: 'EIO' });
    at += bytesWritten;
  }
}

/** Removes the staging folders of `base` that runs killed with SIGKILL left beside it; puts a folder caught between the two renames back. */
async function sweepStaging(parent: string, base: string, real: string): Promise<void> {
  let names: string[];
  try {
    names = await readdir(parent);
  } catch {
    return;
  }
  for (const name of names) {
    const m = STAGING.exec(name);
    if (!m || m[1] !== base) continue;
    const path = join(parent, name);
    try {
      const s = await lstat(path);
      if (!s.isDirectory() || !isStale(Number(m[2]), s.mtimeMs)) continue;
      if (m[4] === 'old' && !(await lstat(real).then(() => true, () => false))) renameSync(path, real);
      else await rm(path, { recursive: true, force: true });
    } catch {
      // Not ours to remove, or removed meanwhile.
    }
  }
}

/**
 * Checks `dir` as an output folder, at once (see the module notes): not under /proc, /sys or
 * /dev; not a file; holding nothing but outputs of recovery-pbr (and hidden files, kept). Nothing
 * is created yet. Throws a `RecoveryPbrError` (`output`) saying what to do.
 * @example const out = await openOutputFolder('out'); await out.write([{ name: 'rejections.csv', content: csv }]);
 */
export async function openOutputFolder(dir: string, options: OutputFolderOptions = {}): Promise<OutputFolder> {
  const abs = resolve(dir);
  const shown = printableName(dir);
  for (const root of PSEUDO_ROOTS) {
    if (within(abs, root)) throw new RecoveryPbrError('output', `--out ${shown} is under ${root}, which holds no files: give a folder on a disk`);
  }
  const { existing, missing } = await nearestExisting(abs, shown);
  let realExisting: string;
  try {
    realExisting = await realpath(existing);
  } catch (e) {
    throw codeOf(e) === 'ENOENT' ? new RecoveryPbrError('output', `--out ${shown}: ${printableName(existing)} is a link to nothing`) : outError(shown, e);
  }
  const real = missing.length > 0 ? join(realExisting, ...missing) : realExisting;
  for (const root of PSEUDO_ROOTS) {
    if (within(real, root)) throw new RecoveryPbrError('output', `--out ${shown} leads to ${printableName(real)}, under ${root}, which holds no files: give a folder on a disk`);
  }
  const s = await stat(realExisting).catch((e: unknown) => {
    throw outError(shown, e);
  });
  if (!s.isDirectory()) {
    throw new RecoveryPbrError('output', missing.length === 0 ? `--out ${shown} is a file; give a folder for the output files` : `cannot write ${shown}: part of the path is a file, not a folder`);
  }
  const existed = missing.length === 0;
  const ours = new Set([...OUTPUT_NAMES, ...(options.names ?? [])]);
  let hadOutputs = false;
  if (existed) {
    let entries;
    try {
      entries = listEntries(real, ours);
    } catch (e) {
      throw outError(shown, e);
    }
    if (entries.foreign.length > 0) throw foreignError(shown, entries.foreign);
    hadOutputs = entries.ours.length > 0;
  }
  await sweepStaging(dirname(real), basename(real), real);
  return new Folder(abs, shown, real, existed, hadOutputs, ours);
}

class Folder implements OutputFolder {
  private used = false;

  constructor(
    readonly dir: string,
    private readonly shown: string,
    private readonly real: string,
    private readonly existed: boolean,
    readonly hadOutputs: boolean,
    private readonly ours: Set<string>,
  ) {}

  /** What a failure leaves, in words. */
  private leftAsItWas(): string {
    if (!this.existed) return `Nothing was written (${this.shown} was not created).`;
    return this.hadOutputs ? `${this.shown} was left as it was (the outputs of the earlier run are untouched).` : `${this.shown} was left as it was.`;
  }

  failed(e: unknown): unknown {
    if (!isRecoveryPbrError(e) || worded.has(e)) return e;
    const err = new RecoveryPbrError(e.code, `${e.message}\n${this.leftAsItWas()}`, e.problems);
    worded.add(err);
    return err;
  }

  async write(files: readonly OutputFile[]): Promise<string[]> {
    for (const f of files) this.ours.add(f.name);
    return this.replace(async (staging) => {
      const paths: string[] = [];
      for (const f of files) paths.push(await staging.writeFile(f.name, f.content));
      return paths;
    });
  }

  async replace<T>(fill: (staging: StagingFolder) => Promise<T>): Promise<T> {
    if (this.used) throw new Error('internal error: an output folder is replaced once');
    this.used = true;
    const real = this.real;
    const parent = dirname(real);
    const base = basename(real);
    const tag = `recovery-pbr-${process.pid}-${randomBytes(4).toString('hex')}`;
    // Missing folders above --out are made now (and removed again if nothing is written).
    const created: string[] = [];
    let staging: string | undefined;
    let inside = false;
    const names = new Set<string>();
    const cleanUp = async () => {
      if (staging) {
        await rm(staging, { recursive: true, force: true }).catch(() => undefined);
        releaseTemp(staging);
      }
      for (const d of created.reverse()) await rmdir(d).catch(() => undefined);
    };
    try {
      try {
        const missing: string[] = [];
        for (let p = parent; !(await lstat(p).then(() => true, () => false)); p = dirname(p)) missing.unshift(p);
        for (const p of missing) {
          await mkdir(p);
          created.push(p);
        }
        inside = this.existed && (process.cwd() === real || !(await writable(parent)) || (await isMountPoint(real)));
        staging = inside ? join(real, `.${tag}.new`) : join(parent, `.${base}.${tag}.new`);
        await mkdir(staging);
      } catch (e) {
        staging = undefined;
        throw outError(this.shown, e);
      }
      holdTemp(staging, { onSignal: () => this.leftAsItWas() });
      const dir = staging;
      const finalPath = (name: string) => join(this.dir, name);
      const claim = (name: string) => {
        if (name !== basename(name) || name === '' || name.startsWith('.') || name.includes('\0')) {
          throw new Error(`internal error: output file name '${name}' must be a plain file name`);
        }
        if (names.has(name)) throw new Error(`internal error: output file '${name}' is written twice`);
        names.add(name);
        this.ours.add(name);
      };
      const openSink = async (name: string): Promise<FileSink> => {
        const where = finalPath(name);
        let fh: FileHandle;
        try {
          fh = await open(join(dir, name), 'wx');
        } catch (e) {
          throw outError(where, e);
        }
        let bytes = 0;
        let closed = false;
        const fail = async (e: unknown): Promise<never> => {
          if (!closed) {
            closed = true;
            await fh.close().catch(() => undefined);
          }
          throw isFsError(e) ? outError(where, e) : e;
        };
        return {
          get bytes() {
            return bytes;
          },
          async write(data) {
            const b = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
            // At its place (not the file's own offset, which restart does not take back), taken
            // before the write, so that a write begun before the one before ended goes after it.
            const at = bytes;
            bytes += b.length;
            try {
              await writeFully(fh, b, at);
            } catch (e) {
              await fail(e);
            }
          },
          async restart() {
            if (closed) return;
            try {
              await fh.truncate(0);
            } catch (e) {
              await fail(e);
            }
            bytes = 0;
          },
          async sync() {
            if (closed) return;
            try {
              await fh.datasync();
            } catch (e) {
              await fail(e);
            }
          },
          async close() {
            if (closed) return;
            try {
              await fh.sync();
              closed = true;
              await fh.close();
            } catch (e) {
              await fail(e);
            }
          },
        };
      };
      const result = await fill({
        async openFile(name) {
          claim(name);
          return { sink: await openSink(name), path: finalPath(name) };
        },
        async writeFile(name, content) {
          claim(name);
          const sink = await openSink(name);
          try {
            if (typeof content === 'string' || content instanceof Uint8Array) await sink.write(content);
            else {
              // Small pieces of text are gathered into writes of about 1 MB; bytes are written as they are.
              let buf = '';
              for await (const piece of content as AsyncIterable<string | Uint8Array>) {
                if (typeof piece !== 'string') {
                  if (buf.length > 0) await sink.write(buf);
                  buf = '';
                  await sink.write(piece);
                  continue;
                }
                buf += piece;
                if (buf.length >= 1 << 20) {
                  await sink.write(buf);
                  buf = '';
                }
              }
              if (buf.length > 0) await sink.write(buf);
            }
            await sink.close();
          } catch (e) {
            await sink.close().catch(() => undefined);
            throw e;
          }
          return finalPath(name);
        },
      });
      if (names.size === 0) {
        await cleanUp();
        return result;
      }
      await this.commit(dir, inside, parent, base, tag);
      return result;
    } catch (e) {
      await cleanUp();
      throw this.failed(isFsError(e) ? outError(this.shown, e) : e);
    }
  }

  /** Puts the staging folder in place of the output folder (see the module notes). */
  private async commit(staging: string, inside: boolean, parent: string, base: string, tag: string): Promise<void> {
    const real = this.real;
    const exists = await lstat(real).then(() => true, () => false);
    let entries: Record<EntryKind, string[]> = { ours: [], kept: [], foreign: [] };
    if (exists) {
      try {
        entries = listEntries(real, this.ours);
      } catch (e) {
        throw outError(this.shown, e);
      }
      const foreign = entries.foreign.filter((n) => !(inside && join(real, n) === staging));
      if (foreign.length > 0) throw foreignError(this.shown, foreign);
    }
    if (inside) {
      // One synchronous step: nothing in this process can come between the removals and the moves.
      try {
        for (const n of entries.ours) if (join(real, n) !== staging) rmSync(join(real, n), { recursive: true, force: true });
        for (const n of readdirSync(staging)) renameSync(join(staging, n), join(real, n));
        rmdirSync(staging);
      } catch (e) {
        throw outError(this.shown, e);
      }
      releaseTemp(staging);
      return;
    }
    try {
      for (const n of entries.kept) await copyFile(join(real, n), join(staging, n));
      if (exists) await chmod(staging, (await stat(real)).mode & 0o7777);
    } catch (e) {
      throw outError(this.shown, e);
    }
    const old = join(parent, `.${base}.${tag}.old`);
    try {
      if (exists) {
        renameSync(real, old);
        try {
          renameSync(staging, real);
        } catch (e) {
          renameSync(old, real);
          throw e;
        }
      } else renameSync(staging, real);
    } catch (e) {
      throw outError(this.shown, e);
    }
    releaseTemp(staging);
    if (exists) {
      holdTemp(old);
      await rm(old, { recursive: true, force: true }).catch(() => undefined);
      releaseTemp(old);
    }
    // Make the renames durable (best effort: not every file system can sync a folder).
    try {
      const fh = await open(parent, 'r');
      await fh.sync().catch(() => undefined);
      await fh.close();
    } catch {
      // ignored
    }
  }
}

/**
 * Creates the output folder (and its parents) if missing, after the checks of
 * {@link openOutputFolder}; refuses a path that is a file or under /proc, /sys or /dev.
 * @example await ensureOutDir('out')
 */
export async function ensureOutDir(dir: string): Promise<void> {
  await openOutputFolder(dir);
  try {
    await mkdir(resolve(dir), { recursive: true });
  } catch (e) {
    throw outError(dir, e);
  }
}

/**
 * Writes `files` into `dir` as its whole content, all or none (see the module notes): the earlier
 * content (outputs of recovery-pbr) is replaced at once; on failure it is left as it was and a
 * `RecoveryPbrError` says so.
 * @example await writeOutputFiles('out', [{ name: 'rejections.csv', content: toCsv(cols, rows) }]);
 */
export async function writeOutputFiles(dir: string, files: readonly OutputFile[], options: OutputFolderOptions = {}): Promise<string[]> {
  const folder = await openOutputFolder(dir, { ...options, names: [...(options.names ?? []), ...files.map((f) => f.name)] });
  return folder.write(files);
}
