/**
 * Reads a scheme (SPEC §6, R-VAL-4) from a preset id or a JSON file. `extends` may name a preset or
 * another scheme file, relative to the file that names it. JSON syntax errors give the line and
 * column; a scheme that does not validate throws a `RecoveryPbrError` (`scheme`) listing every problem by path.
 * @module
 */
import { closeSync, constants, existsSync, fstatSync, openSync, readSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { RecoveryPbrError, isRecoveryPbrError, schemeError } from '../errors.js';
import { PRESET_IDS, presetDocument, resolveExtends } from '../presets/index.js';
import { loadScheme, type Scheme } from '../schema/scheme/index.js';
import { MAX_SCHEME_DEPTH, documentProblems } from '../schema/scheme/common.js';
import { jsonErrorOffset, jsonErrorWhat } from './json.js';
import { fileSystemError } from './source.js';

/** A scheme document as read: `extends` resolved, not yet validated. */
export interface SchemeDocument {
  /** The merged JSON document (preset and files of the `extends` chain applied). */
  document: unknown;
  /** The preset id, or the absolute path of the scheme file. */
  source: string;
  /** `preset` for a preset id, `file` for a scheme file. */
  kind: 'preset' | 'file';
  /** Name used in messages: `preset national-model-2012` or `scheme file my.json`. */
  name: string;
}

/**
 * Line and column (1-based) of a character offset in a text.
 * @example lineColumn('{\n  "a": }', 9) // { line: 2, column: 8 }
 */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let last = -1;
  const end = Math.min(Math.max(offset, 0), text.length);
  for (let i = 0; i < end; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      last = i;
    }
  }
  return { line, column: end - last };
}

/**
 * Parses JSON text, throwing a `RecoveryPbrError` (`scheme_file`) that names the line and column of a syntax error.
 * @example parseJsonText('{"a": 1,}', 'scheme.json') // throws "scheme.json line 1, column 9: …"
 */
export function parseJsonText(text: string, name: string): unknown {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  let doc: unknown;
  try {
    doc = JSON.parse(body);
  } catch (e) {
    if (e instanceof RangeError) throw tooDeep(name);
    const msg = (e as Error).message;
    let at: { line: number; column: number } | undefined;
    const lc = /line (\d+) column (\d+)/.exec(msg);
    if (lc) at = { line: Number(lc[1]), column: Number(lc[2]) };
    else at = lineColumn(body, jsonErrorOffset(body, msg));
    const what = jsonErrorWhat(msg);
    throw new RecoveryPbrError('scheme_file', `${name} line ${at.line}, column ${at.column}: not valid JSON (${what}). Fix the JSON syntax there (a missing comma or quote, or a trailing comma, is the usual cause).`);
  }
  // Everything that reads a scheme walks it; a document nested thousands deep is refused here, at once.
  if (documentProblems(doc).some((p) => p.message.startsWith('nests more than'))) throw tooDeep(name);
  return doc;
}

function tooDeep(name: string): RecoveryPbrError {
  return new RecoveryPbrError('scheme_file', `${name}: the JSON nests more than ${MAX_SCHEME_DEPTH} levels deep; a scheme is never that deep (is this the right file?)`);
}

/** Largest scheme file read (the presets are under 40 KB). */
export const MAX_SCHEME_BYTES = 1024 * 1024;

/**
 * The text of a scheme file, read only if it is a regular file of at most {@link MAX_SCHEME_BYTES}
 * (not a folder, a device such as /dev/zero, a pipe or a socket, which could hang or never end).
 * The file is opened without blocking and checked on the open handle, then read to the limit.
 */
function readSchemeFileText(path: string, shown: string): string {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    throw fileSystemError(path, e, 'scheme file');
  }
  try {
    const s = fstatSync(fd);
    if (s.isDirectory()) throw new RecoveryPbrError('scheme_file', `${shown} is a folder, not a scheme file`);
    if (!s.isFile()) throw new RecoveryPbrError('scheme_file', `${shown} is not a regular file (a device, pipe or socket); give a scheme file (JSON)`);
    if (s.size > MAX_SCHEME_BYTES) throw tooLarge(shown, s.size);
    const buf = Buffer.allocUnsafe(MAX_SCHEME_BYTES + 1);
    let n = 0;
    for (;;) {
      const r = readSync(fd, buf, n, buf.length - n, null);
      if (r === 0) break;
      n += r;
      if (n > MAX_SCHEME_BYTES) throw tooLarge(shown, n);
    }
    return buf.subarray(0, n).toString('utf8');
  } catch (e) {
    throw isRecoveryPbrError(e) ? e : fileSystemError(path, e, 'scheme file');
  } finally {
    closeSync(fd);
  }
}

function tooLarge(shown: string, _bytes: number): RecoveryPbrError {
  return new RecoveryPbrError('scheme_file', `${shown} is larger than ${MAX_SCHEME_BYTES / 1024 / 1024} MiB; a scheme file is far smaller (is this the right file?)`);
}

function readJsonFileSync(path: string): unknown {
  return parseJsonText(readSchemeFileText(path, path), path);
}

/** Rewrites a file `extends` to an absolute path, so a chain of files resolves relative to each file. */
function anchorExtends(doc: unknown, dir: string): unknown {
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) return doc;
  const base = (doc as { extends?: unknown }).extends;
  if (typeof base !== 'string' || presetDocument(base) !== undefined || isAbsolute(base)) return doc;
  return { ...doc, extends: resolve(dir, base) };
}

/**
 * Reads a scheme document from a preset id or a JSON file path (relative to `cwd`), with its
 * `extends` chain merged in, but not validated (so a caller can apply overrides first).
 * @example const { document } = await readSchemeDocument('my-scheme.json', process.cwd());
 */
export async function readSchemeDocument(idOrPath: string, cwd: string): Promise<SchemeDocument> {
  const preset = presetDocument(idOrPath);
  if (preset !== undefined) {
    return { document: resolveExtends(preset), source: idOrPath, kind: 'preset', name: `preset ${idOrPath}` };
  }
  const path = resolve(cwd, idOrPath);
  if (!existsSync(path)) {
    throw new RecoveryPbrError('scheme_file', `--scheme '${idOrPath}' is neither a preset nor an existing file (looked for ${path}). Presets: ${PRESET_IDS.join(', ')}.`);
  }
  const text = readSchemeFileText(path, `--scheme ${idOrPath}`);
  const name = `scheme file ${idOrPath}`;
  const raw = anchorExtends(parseJsonText(text, idOrPath), dirname(path));
  let document: unknown;
  try {
    document = resolveExtends(
      raw,
      (base) => {
        const p = resolve(dirname(path), base);
        return anchorExtends(readJsonFileSync(p), dirname(p));
      },
      0,
      [path],
    );
  } catch (e) {
    if (isRecoveryPbrError(e)) throw new RecoveryPbrError(e.code, `${name}: 'extends': ${e.message}`);
    throw schemeError([{ path: 'extends', message: (e as Error).message }], name);
  }
  return { document, source: path, kind: 'file', name };
}

/**
 * Reads and validates a scheme: a preset id (e.g. `national-model-2012`) or a JSON scheme file
 * (relative to `cwd`). Throws a `RecoveryPbrError`: `scheme_file` for a file that cannot be read or is not JSON (with line
 * and column), and a `RecoveryPbrError` (`scheme`) listing every problem by path for an invalid scheme (R-VAL-4).
 * @example const scheme = await readScheme('national-model-2012', process.cwd());
 */
export async function readScheme(idOrPath: string, cwd: string): Promise<Scheme> {
  const d = await readSchemeDocument(idOrPath, cwd);
  return loadScheme(d.document, d.name);
}
