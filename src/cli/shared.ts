/**
 * Pieces the commands share: reading the common options, progress on a terminal, file names of the
 * inputs for reports.
 * @module
 */
import { basename, resolve } from 'node:path';
import { isIsoDate, type IsoDate } from '../calendar/index.js';
import type { InputFileInfo, ReadProgress } from '../io/dataset.js';
import type { InputFile } from '../schema/codes.js';
import { UsageError, type CliIO, type CliValues } from './command.js';

/** The file name each input kind was read from (for `rejections.csv` and `summary.json`). */
export function fileNamesOf(files: Partial<Record<InputFile, InputFileInfo>>): Partial<Record<InputFile, string>> {
  const out: Partial<Record<InputFile, string>> = {};
  for (const [k, f] of Object.entries(files)) out[k as InputFile] = basename(f!.path);
  return out;
}

/** A required string option, or a usage error naming it. */
export function requiredString(values: CliValues, name: string, what: string): string {
  const v = values[name];
  if (typeof v !== 'string' || v === '') throw new UsageError(`--${name} ${what} is required`);
  return v;
}

/** A date option (YYYY-MM-DD), required unless `optional`. */
export function dateOption(values: CliValues, name: string, optional: true): IsoDate | undefined;
export function dateOption(values: CliValues, name: string, optional?: false): IsoDate;
export function dateOption(values: CliValues, name: string, optional = false): IsoDate | undefined {
  const v = values[name];
  if (v === undefined && optional) return undefined;
  if (typeof v !== 'string' || !isIsoDate(v)) {
    throw new UsageError(v === undefined ? `--${name} <YYYY-MM-DD> is required` : `--${name} must be a real date written YYYY-MM-DD (got '${String(v)}')`);
  }
  return v;
}

/** An absolute path from an option relative to the working directory. */
export function pathOption(io: CliIO, p: string): string {
  return resolve(io.cwd, p);
}

/**
 * A progress line on an interactive terminal (stderr), quiet otherwise (issue #6): rows read per
 * file, then a caller-supplied stage.
 */
export function progressReporter(io: CliIO, quiet = false): ((p: ReadProgress) => void) | undefined {
  if (!io.isTTY || quiet) return undefined;
  let last = 0;
  return (p) => {
    const now = Date.now();
    if (!p.done && now - last < 200) return;
    last = now;
    const pct = p.bytesTotal > 0 ? Math.min(100, Math.floor((100 * p.bytesRead) / p.bytesTotal)) : 100;
    const name = p.path.split(/[\\/]/).pop();
    io.stderr(`\r\x1b[2Kreading ${name}: ${p.rowsRead.toLocaleString('en-GB')} rows (${pct}%)${p.done ? '\r\x1b[2K' : ''}`);
  };
}

/** Plural helper: `1 row`, `2 rows`. */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString('en-GB')} ${n === 1 ? one : many}`;
}
