/**
 * Writes output files so that a failing command leaves no partial output (SPEC §5): every file is
 * first written to a temporary name in the output folder, and only when all of them are complete
 * are they renamed into place. The output folder is created when missing.
 * @module
 */
import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, stat, unlink } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { RecoveryPbrError, isRecoveryPbrError } from '../errors.js';

/** Content of one output file: text, bytes, or text produced in pieces (for large outputs). */
export type OutputContent = string | Uint8Array | Iterable<string> | AsyncIterable<string>;

/** One output file: its name inside the output folder and its content. */
export interface OutputFile {
  name: string;
  content: OutputContent;
}

/**
 * Creates the output folder (and its parents) if missing; refuses a path that is a file.
 * @example await ensureOutDir('out')
 */
export async function ensureOutDir(dir: string): Promise<void> {
  try {
    const s = await stat(dir);
    if (!s.isDirectory()) throw new RecoveryPbrError('output', `--out ${dir} is a file; give a folder for the output files`);
    return;
  } catch (e) {
    if (isRecoveryPbrError(e)) throw e;
    if ((e as NodeJS.ErrnoException)?.code !== 'ENOENT') throw outError(dir, e);
  }
  try {
    await mkdir(dir, { recursive: true });
  } catch (e) {
    throw outError(dir, e);
  }
}

function outError(path: string, e: unknown): RecoveryPbrError {
  const err = e as NodeJS.ErrnoException;
  if (err?.code === 'EACCES' || err?.code === 'EPERM') return new RecoveryPbrError('output', `cannot write ${path}: permission denied`);
  if (err?.code === 'ENOSPC') return new RecoveryPbrError('output', `cannot write ${path}: the disk is full`);
  if (err?.code === 'ENOTDIR') return new RecoveryPbrError('output', `cannot write ${path}: part of the path is a file, not a folder`);
  return new RecoveryPbrError('output', `cannot write ${path}: ${err?.message ?? String(e)}`);
}

async function writeContent(path: string, content: OutputContent): Promise<void> {
  const fh = await open(path, 'wx');
  try {
    if (typeof content === 'string' || content instanceof Uint8Array) {
      await fh.writeFile(content);
    } else {
      // Collect small pieces into ~1 MB writes.
      let buf = '';
      const flush = async () => {
        if (buf.length > 0) {
          await fh.write(buf);
          buf = '';
        }
      };
      for await (const piece of content as AsyncIterable<string>) {
        buf += piece;
        if (buf.length >= 1 << 20) await flush();
      }
      await flush();
    }
  } finally {
    await fh.close();
  }
}

/**
 * Writes all `files` into `dir` or none of them: each is written to a temporary name beside its
 * final name, then all are renamed into place. On failure the temporary files are removed and an
 * `InputError` is thrown; files already in `dir` are left as they were.
 * @example await writeOutputFiles('out', [{ name: 'rejections.csv', content: toCsv(cols, rows) }]);
 */
export async function writeOutputFiles(dir: string, files: readonly OutputFile[]): Promise<string[]> {
  for (const f of files) {
    if (f.name !== basename(f.name) || f.name === '' || f.name.startsWith('.')) {
      throw new Error(`internal error: output file name '${f.name}' must be a plain file name`);
    }
  }
  await ensureOutDir(dir);
  const tag = `${process.pid}-${randomBytes(4).toString('hex')}`;
  const temps: { temp: string; final: string }[] = files.map((f) => ({
    temp: join(dir, `.${f.name}.${tag}.tmp`),
    final: resolve(dir, f.name),
  }));
  try {
    for (let i = 0; i < files.length; i++) {
      try {
        await writeContent(temps[i]!.temp, files[i]!.content);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException)?.code;
        throw typeof code === 'string' && code.startsWith('E') ? outError(temps[i]!.final, e) : e;
      }
    }
    for (const t of temps) {
      try {
        await rename(t.temp, t.final);
      } catch (e) {
        throw outError(t.final, e);
      }
    }
  } catch (e) {
    await Promise.all(temps.map((t) => unlink(t.temp).catch(() => undefined)));
    throw e;
  }
  return temps.map((t) => t.final);
}
