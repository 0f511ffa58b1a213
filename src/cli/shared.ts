/**
 * Pieces the commands share: reading the common options, progress on a terminal, file names of the
 * inputs for reports.
 * @module
 */
import { basename, relative, resolve, isAbsolute } from 'node:path';
import { getHeapStatistics } from 'node:v8';
import { isIsoDate, type IsoDate } from '../calendar/index.js';
import { findInputParts, type InputFileInfo } from '../io/dataset.js';
import type { RunProgress } from '../node/run-folder.js';
import { openOutputFolder, type OutputFolder, type OutputFolderOptions } from '../io/write.js';
import type { InputFile } from '../schema/codes.js';
import { UsageError, type CliIO, type CliValues } from './command.js';
import { RecoveryPbrError } from '../errors.js';

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
      if (p.phase !== phase) {
        phase = p.phase;
        phaseStart = Date.now();
      }
      const now = Date.now();
      if (now - last < 200 && p.phase !== 'write') return;
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
 * Heap bytes the commands that hold a whole data folder in memory need per byte of input, measured
 * on generated cohorts (100k clients, 75 MiB: compare, calibrate and forecast peaked near 1.9 GB,
 * health-premium near 0.75 GB), rounded down so that only inputs that would surely not fit are refused.
 */
export const HEAP_PER_INPUT_BYTE = { rules: 20, healthPremium: 8 } as const;

/**
 * Refuses, with a message a person can act on, a data folder too large for this process to hold in
 * memory, rather than letting the process die of an exhausted heap halfway (a crash with no useful
 * message). `perByte` is the heap needed per input byte (see {@link HEAP_PER_INPUT_BYTE}).
 * @example await ensureFitsInMemory('data', HEAP_PER_INPUT_BYTE.rules)
 */
export async function ensureFitsInMemory(dataDir: string, perByte: number, heapLimit = getHeapStatistics().heap_size_limit): Promise<void> {
  const { inputs } = await findInputParts(dataDir);
  const bytes = Object.values(inputs).reduce((a, set) => a + set.bytes, 0);
  const need = bytes * perByte;
  if (need <= heapLimit) return;
  const gb = (n: number) => (n >= 2 ** 30 ? `${(n / 2 ** 30).toFixed(1)} GB` : `${Math.ceil(n / 2 ** 20)} MiB`);
  throw new RecoveryPbrError('input_size', 
    `this command holds every record of --data in memory: for these inputs (${gb(bytes)}) that is about ${gb(need)}, ` +
      `more than this Node process may use (${gb(heapLimit)}). If the machine has the memory, allow it with ` +
      `NODE_OPTIONS=--max-old-space-size=${Math.ceil((need * 1.25) / 2 ** 20)}; otherwise use part of the data (some areas or years). ` +
      `(run, validate and explain work at any size.)`,
  );
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
