/**
 * Pieces the commands share: reading the common options, progress on a terminal, file names of the
 * inputs for reports.
 * @module
 */
import { basename, relative, resolve, isAbsolute } from 'node:path';
import { isIsoDate, type IsoDate } from '../calendar/index.js';
import type { InputFileInfo } from '../io/dataset.js';
import type { RunProgress } from '../node/run-folder.js';
import { openOutputFolder, type OutputFolder, type OutputFolderOptions } from '../io/write.js';
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

/** A whole-number option (≥ 0), or `undefined` when not given. */
export function countOption(values: CliValues, name: string): number | undefined {
  const v = values[name];
  if (v === undefined) return undefined;
  if (typeof v !== 'string' || !/^\d+$/.test(v)) throw new UsageError(`--${name} must be a whole number (got '${String(v)}')`);
  return Number(v);
}

/** Seconds as a short duration: `45 s`, `3 min 20 s`. */
function duration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  return s < 60 ? `${s} s` : `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
}

/**
 * The progress bar of a long run (issue #6) on an interactive terminal (stderr): one updating line
 * with rows read (and the share of the input bytes), then journeys decided (or, with another
 * `verb`, checked or gathered) and clients, each with an estimate of the time left.
 * `undefined` (nothing shown) when stderr is not a terminal or with --quiet. Every command that
 * reads a data folder uses it.
 */
export function runProgressReporter(io: CliIO, quiet = false, verb = 'deciding'): { update: (p: RunProgress) => void; clear: () => void } | undefined {
  if (!io.isTTY || quiet) return undefined;
  const started = Date.now();
  let phaseStart = started;
  let phase = '';
  let last = 0;
  let shown = false;
  const bar = (share: number) => {
    const width = 20;
    const full = Math.max(0, Math.min(width, Math.round(share * width)));
    return `[${'#'.repeat(full)}${'.'.repeat(width - full)}]`;
  };
  const eta = (share: number) => {
    const elapsed = (Date.now() - phaseStart) / 1000;
    return share > 0.02 && share < 1 ? ` · about ${duration((elapsed * (1 - share)) / share)} left` : '';
  };
  return {
    update(p) {
      const begins = p.phase !== phase;
      if (begins) {
        phase = p.phase;
        phaseStart = Date.now();
      }
      const now = Date.now();
      // At most five lines a second, but a phase is shown as soon as it begins (a short one would
      // otherwise never show).
      if (now - last < 200 && !begins && p.phase !== 'write') return;
      last = now;
      let line: string;
      if (p.phase === 'read') {
        const share = p.bytesTotal > 0 ? Math.min(1, p.bytesRead / p.bytesTotal) : 1;
        line = `reading ${bar(share)} ${Math.floor(share * 100)}% · ${p.rowsRead.toLocaleString('en-GB')} rows${p.file ? ` (${p.file})` : ''}${eta(share)}`;
      } else if (p.phase === 'evaluate') {
        const share = p.clients > 0 ? p.clientsDone / p.clients : 1;
        line = `${verb} ${bar(share)} ${p.journeys.toLocaleString('en-GB')} journeys of ${p.clientsDone.toLocaleString('en-GB')} clients${eta(share)}`;
      } else line = `writing outputs (${duration((Date.now() - started) / 1000)} so far)`;
      io.stderr(`\r\x1b[2K${line}`);
      shown = true;
    },
    clear() {
      if (shown) io.stderr('\r\x1b[2K');
      shown = false;
    },
  };
}

/** Plural helper: `1 row`, `2 rows`. */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString('en-GB')} ${n === 1 ? one : many}`;
}

/**
 * Checks `--out` at once, before any work (not under /proc, /sys or /dev, not a file, holding
 * nothing recovery-pbr did not write), then runs `work` with it. Every command that writes `--out`
 * goes through here: the folder is replaced as a whole by `out.write`, and when `work` fails the
 * error says what became of the folder (left as it was, or nothing written).
 * @example return withOutputFolder(outDir, async (out) => { …; await out.write(files); return 0; });
 */
export async function withOutputFolder<T>(dir: string, work: (out: OutputFolder) => Promise<T>, options?: OutputFolderOptions): Promise<T> {
  const out = await openOutputFolder(dir, options);
  try {
    return await work(out);
  } catch (e) {
    throw out.failed(e);
  }
}

/** {@link withOutputFolder} for a command whose `--out` is optional (compare, calibrate, forecast). */
export async function withOptionalOutputFolder<T>(dir: string | undefined, work: (out: OutputFolder | undefined) => Promise<T>): Promise<T> {
  return dir === undefined ? work(undefined) : withOutputFolder(dir, work);
}

/**
 * Refuses a `--temp-dir` inside `--out`: the output folder is replaced as a whole when the outputs
 * are written, and the temporary files must not be in it.
 */
export function checkTempDirOutside(tempDir: string | undefined, outDir: string): void {
  if (tempDir === undefined) return;
  const r = relative(outDir, tempDir);
  if (r === '' || (!r.startsWith('..') && !isAbsolute(r))) {
    throw new UsageError('--temp-dir must not be inside --out: the output folder is replaced as a whole when the outputs are written');
  }
}

/** What a command says when a --strict failure replaced the output folder with rejections.csv alone. */
export function strictWords(out: OutputFolder): string {
  return out.hadOutputs
    ? `${out.dir} now holds rejections.csv only: the outputs of the earlier run were removed, as they would not match this data.`
    : 'No other output was written.';
}
