/**
 * `recovery-pbr compare`: two schemes (or a scheme and parameter overrides) on the same data, and
 * the difference in payments per provider, payment type, outcome and band.
 *
 * This module also holds the small helpers the modelling commands share (compare, calibrate,
 * forecast): loading a scheme argument, reading the data folder, checking dates, writing outputs.
 * @module
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { isIsoDate } from '../../calendar/index.js';
import { compareSchemes, comparisonCsv, comparisonTable, withOverrides, type SchemeOverride } from '../../modelling/compare.js';
import { paymentsCsv } from '../../payments/table.js';
import { PRESET_IDS, presetDocument, resolveExtends } from '../../presets/index.js';
import type { Dataset, DatasetCounts, Rejection } from '../../schema/dataset.js';
import { loadScheme, type Scheme } from '../../schema/scheme/index.js';
import { InputError, UsageError, type CliCommand, type CliIO, type CliValues } from '../command.js';

/** A scheme argument loaded: its raw document (for overrides) and the parsed scheme. */
export interface LoadedScheme {
  name: string;
  document: unknown;
  scheme: Scheme;
}

/**
 * Loads `--scheme`: a preset id (e.g. `national-model-2012`) or a JSON scheme file (which may
 * `extends` a preset or another file). A malformed scheme throws a SchemeError (exit 1).
 * @example loadSchemeArgument('national-model-2012', io)
 */
export function loadSchemeArgument(arg: string, io: Pick<CliIO, 'cwd'>): LoadedScheme {
  const preset = presetDocument(arg);
  let raw: unknown;
  let base = io.cwd;
  if (preset !== undefined) raw = preset;
  else {
    const file = resolve(io.cwd, arg);
    if (!existsSync(file)) throw new InputError(`--scheme '${arg}' is neither a preset (${PRESET_IDS.join(', ')}) nor a file`);
    raw = readJson(file);
    base = dirname(file);
  }
  let document: unknown;
  try {
    document = resolveExtends(raw, (name) => {
      const f = resolve(base, name);
      return existsSync(f) ? readJson(f) : undefined;
    });
  } catch (e) {
    throw new InputError(`scheme '${arg}': ${(e as Error).message}`);
  }
  return { name: arg, document, scheme: loadScheme(document, `scheme '${arg}'`) };
}

function readJson(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as unknown;
  } catch (e) {
    throw new InputError(`${file} is not valid JSON: ${(e as Error).message}`);
  }
}

/** What the dataset reader returns (src/io/dataset.ts). */
interface DatasetRead {
  data: Dataset;
  rejections: Rejection[];
  counts: DatasetCounts;
  notes: string[];
}

/**
 * Reads `--data` with the project's dataset reader; row rejections are counted on stderr and the
 * run goes on (as `run` does, SPEC §5).
 * @example const data = await readDataArgument('examples/demo', io);
 */
export async function readDataArgument(dir: string, io: CliIO): Promise<Dataset> {
  const folder = resolve(io.cwd, dir);
  if (!existsSync(folder)) throw new InputError(`--data '${dir}': no such folder`);
  // The reader lives at the Node edge (src/io); it is loaded when a command needs data.
  // @ts-ignore -- src/io/dataset.ts is written on another branch; remove this line once it is on main.
  const mod = (await import('../../io/dataset.js')) as { readDataset(dir: string): DatasetRead | Promise<DatasetRead> };
  const read = await mod.readDataset(folder);
  if (read.rejections.length > 0) {
    io.stderr(`${read.rejections.length} input row${read.rejections.length === 1 ? ' was' : 's were'} rejected (see recovery-pbr validate --data ${dir})\n`);
  }
  for (const n of read.notes) io.stderr(`note: ${n}\n`);
  return read.data;
}

/**
 * A required date option, checked.
 * @example requireDate(values, 'as-of') // '2014-03-31'
 */
export function requireDate(values: CliValues, name: string): string {
  const v = values[name];
  if (typeof v !== 'string') throw new UsageError(`--${name} is required (a date written YYYY-MM-DD)`);
  if (!isIsoDate(v)) throw new UsageError(`--${name} '${v}' is not a real date written YYYY-MM-DD`);
  return v;
}

/**
 * A required string option.
 * @example requireString(values, 'data')
 */
export function requireString(values: CliValues, name: string, hint = ''): string {
  const v = values[name];
  if (typeof v !== 'string' || v === '') throw new UsageError(`--${name} is required${hint ? ` (${hint})` : ''}`);
  return v;
}

/**
 * Writes output files into `--out` (created if needed) only after everything was computed, so a
 * failed run leaves no partial outputs (SPEC §5).
 * @example writeOutputs('out', { 'comparison.csv': text }, io)
 */
export function writeOutputs(out: string, files: Record<string, string>, io: CliIO): void {
  const dir = resolve(io.cwd, out);
  mkdirSync(dir, { recursive: true });
  for (const [name, text] of Object.entries(files)) writeFileSync(resolve(dir, name), text, 'utf8');
  io.stderr(`wrote ${Object.keys(files).join(', ')} to ${out}\n`);
}

/**
 * Parses `--set path=value`: integers become numbers, decimals stay exact strings, JSON is parsed
 * (true, [..], {..}), anything else is a string.
 * @example parseOverride('tariff.outcomes.free-from-dependence.2=2000.00') // { path: '…', value: '2000.00' }
 */
export function parseOverride(text: string): SchemeOverride {
  const i = text.indexOf('=');
  if (i <= 0) throw new UsageError(`--set '${text}' must be path=value, e.g. tariff.outcomes.free-from-dependence.2=2000.00`);
  const path = text.slice(0, i).trim();
  const raw = text.slice(i + 1).trim();
  let value: unknown = raw;
  if (/^-?\d+$/.test(raw)) value = Number(raw);
  else if (/^-?(\d+\.\d*|\.\d+)$/.test(raw)) value = raw;
  else {
    try {
      value = JSON.parse(raw) as unknown;
    } catch {
      value = raw;
    }
  }
  return { path, value };
}

const USAGE = `Usage: recovery-pbr compare --scheme A [--scheme B] --data DIR --as-of DATE [--set path=value ...] [--out DIR]

Runs two schemes on the same data and shows the difference in payments (B − A) per provider,
payment type, outcome and band. With one --scheme, B is A with the --set overrides; with two,
the overrides apply to B.

  --scheme  preset id (e.g. national-model-2012) or scheme file; once or twice
  --data    folder with episodes.csv (and the other input files)
  --as-of   the run's date, YYYY-MM-DD
  --set     override a parameter of B, e.g. --set tariff.outcomes.free-from-dependence.2=2000.00
  --out     folder for comparison.csv, payments_a.csv and payments_b.csv`;

/** `recovery-pbr compare`. */
export const command: CliCommand = {
  name: 'compare',
  summary: 'What-if: payments under two schemes (or with overrides) on the same data',
  usage: USAGE,
  options: {
    scheme: { type: 'string', multiple: true },
    data: { type: 'string' },
    'as-of': { type: 'string' },
    set: { type: 'string', multiple: true },
    out: { type: 'string' },
  },
  async run(values, io) {
    const schemes = (values['scheme'] as string[] | undefined) ?? [];
    const sets = ((values['set'] as string[] | undefined) ?? []).map(parseOverride);
    if (schemes.length === 0 || schemes.length > 2) throw new UsageError('give --scheme once (with --set) or twice');
    if (schemes.length === 1 && sets.length === 0) throw new UsageError('with one --scheme, give at least one --set path=value to compare against');
    const dataDir = requireString(values, 'data', 'a folder with episodes.csv');
    const asOf = requireDate(values, 'as-of');
    const a = loadSchemeArgument(schemes[0]!, io);
    const bLoaded = schemes.length === 2 ? loadSchemeArgument(schemes[1]!, io) : a;
    let b: Scheme;
    try {
      b = sets.length > 0 ? withOverrides(bLoaded.document, sets, `scheme '${bLoaded.name}' with --set overrides`) : bLoaded.scheme;
    } catch (e) {
      if (e instanceof Error && e.name === 'SchemeError') throw e;
      throw new InputError(`--set: ${(e as Error).message}`);
    }
    const data = await readDataArgument(dataDir, io);
    const labelB = sets.length > 0 ? `${bLoaded.name} with ${sets.map((s) => `${s.path}=${typeof s.value === 'string' ? s.value : JSON.stringify(s.value)}`).join(', ')}` : bLoaded.name;
    const c = compareSchemes(data, a.scheme, b, { asOf, labels: [a.name, labelB] });
    io.stdout(comparisonTable(c));
    const out = values['out'];
    if (typeof out === 'string') {
      writeOutputs(out, { 'comparison.csv': comparisonCsv(c), 'payments_a.csv': paymentsCsv(c.runs[0].payments.rows), 'payments_b.csv': paymentsCsv(c.runs[1].payments.rows) }, io);
    }
    return 0;
  },
};
