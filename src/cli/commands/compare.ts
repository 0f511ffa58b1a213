/**
 * `recovery-pbr compare`: two schemes (or a scheme and parameter overrides) on the same data, and
 * the difference in payments per provider, payment type, outcome and band.
 *
 * This module also holds the small helpers the modelling commands share (compare, calibrate,
 * forecast): loading a scheme argument, reading the data folder, checking dates, writing outputs.
 * @module
 */
import { resolve } from 'node:path';
import { readSchemeDocument } from '../../io/scheme.js';
import type { OutputFolder } from '../../io/write.js';
import { modelFolder, type FolderModel } from '../../node/run-folder.js';
import type { ReadRules } from '../../node/partition-task.js';
import { compareGroups, comparisonCsv, withOverrides, type PaymentComparison, type SchemeOverride } from '../../modelling/compare.js';
import type { ModelJob, TallyOutput } from '../../modelling/tallies.js';
import { paymentsCsv } from '../../payments/table.js';
import { loadScheme, type Scheme } from '../../schema/scheme/index.js';
import { UsageError, type CliCommand, type CliIO, type CliValues } from '../command.js';
import { RecoveryPbrError, isRecoveryPbrError } from '../../errors.js';
import { dateOption, plural, requiredString, runProgressReporter, withOptionalOutputFolder } from '../shared.js';
import { comparisonText } from '../tables.js';

/** A scheme argument loaded: its raw document (for overrides) and the parsed scheme. */
export interface LoadedScheme {
  name: string;
  document: unknown;
  scheme: Scheme;
}

/**
 * Loads `--scheme`: a preset id (e.g. `national-model-2012`) or a JSON scheme file (which may
 * `extends` a preset or another file). A malformed scheme throws a `RecoveryPbrError` (`scheme`, exit 1).
 * @example await loadSchemeArgument('national-model-2012', io)
 */
export async function loadSchemeArgument(arg: string, io: Pick<CliIO, 'cwd'>): Promise<LoadedScheme> {
  const d = await readSchemeDocument(arg, io.cwd);
  return { name: arg, document: d.document, scheme: loadScheme(d.document, d.name) };
}

/**
 * Runs a modelling job on `--data` as `run` reads it (folders of parts, the same checks and
 * rejections), in partitions and worker threads, keeping only the job's tallies: national-scale
 * data need no more memory than a run. Row rejections are counted on stderr and the job goes on (as
 * `run` does, SPEC §5). `quiet`: no progress bar (--quiet).
 * @example const m = await modelDataArgument('examples/demo', scheme, { schemes: [scheme], asOf, tallies: [{ kind: 'payables', scheme: 0 }] }, io);
 */
export async function modelDataArgument(dir: string, rules: ReadRules, job: ModelJob, io: CliIO, quiet = false): Promise<FolderModel> {
  const progress = runProgressReporter(io, quiet);
  let m: FolderModel;
  try {
    m = await modelFolder(resolve(io.cwd, dir), rules, job, { onProgress: progress?.update });
  } finally {
    progress?.clear();
  }
  if (m.rejected > 0) io.stderr(`${plural(m.rejected, 'input row')} rejected (see recovery-pbr validate --data ${dir})\n`);
  for (const n of m.notes) io.stderr(`note: ${n}\n`);
  return m;
}

/** The result of tally `i` of a modelling job, of the kind asked for. */
export function tallyOf<K extends TallyOutput['kind']>(m: FolderModel, i: number, kind: K): Extract<TallyOutput, { kind: K }> {
  const t = m.tallies[i];
  if (t?.kind !== kind) throw new Error(`internal error: tally ${i} is ${t?.kind}, not ${kind}`);
  return t as Extract<TallyOutput, { kind: K }>;
}

/**
 * Writes output files into `--out` only after everything was computed, as the folder's whole
 * content, all or none (SPEC §5; src/io/write.ts).
 * @example await writeOutputs(out, { 'comparison.csv': text }, io)
 */
export async function writeOutputs(out: OutputFolder, files: Record<string, string>, io: CliIO): Promise<void> {
  await out.write(Object.entries(files).map(([name, content]) => ({ name, content })));
  io.stderr(`wrote ${Object.keys(files).join(', ')} to ${out.dir}\n`);
}

/** The `--out` option as an absolute path, or undefined when not given. */
export function outOption(values: CliValues, io: Pick<CliIO, 'cwd'>): string | undefined {
  const out = values['out'];
  if (out === undefined) return undefined;
  if (typeof out !== 'string' || out === '') throw new UsageError('--out takes a folder');
  return resolve(io.cwd, out);
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

const USAGE = `Usage: recovery-pbr compare --scheme A [--scheme B] --data DIR --as-of DATE [--set path=value ...] [--out DIR] [--all] [--quiet]

Runs two schemes on the same data and shows the difference in payments (B − A): first the total
paid under A and under B and the difference, then the lines (provider, payment type, outcome, band)
that changed, with their providers' totals. With one --scheme, B is A with the --set overrides;
with two, the overrides apply to B.

  --scheme  preset id (e.g. national-model-2012) or scheme file; once or twice
  --data    folder with episodes.csv (and the other input files)
  --as-of   the run's date, YYYY-MM-DD
  --set     override a parameter of B, e.g. --set tariff.outcomes.free-from-dependence.2=2000.00
  --out     folder for comparison.csv (every line), payments_a.csv and payments_b.csv (replaced as a whole)
  --all     print every line, the unchanged ones too
  --quiet   no progress bar (there is none when stderr is not a terminal)`;

/** `recovery-pbr compare`. */
export const command: CliCommand = {
  name: 'compare',
  summary: 'what-if: payments under two schemes (or with overrides) on the same data',
  usage: USAGE,
  options: {
    scheme: { type: 'string', multiple: true },
    data: { type: 'string' },
    'as-of': { type: 'string' },
    set: { type: 'string', multiple: true },
    out: { type: 'string' },
    all: { type: 'boolean' },
    quiet: { type: 'boolean' },
  },
  async run(values, io) {
    const schemes = (values['scheme'] as string[] | undefined) ?? [];
    const sets = ((values['set'] as string[] | undefined) ?? []).map(parseOverride);
    if (schemes.length === 0 || schemes.length > 2) throw new UsageError('give --scheme once (with --set) or twice');
    if (schemes.length === 1 && sets.length === 0) throw new UsageError('with one --scheme, give at least one --set path=value to compare against');
    const dataDir = requiredString(values, 'data', '<folder> (with episodes.csv)');
    const asOf = dateOption(values, 'as-of');
    return withOptionalOutputFolder(outOption(values, io), async (out) => {
      const a = await loadSchemeArgument(schemes[0]!, io);
      const bLoaded = schemes.length === 2 ? await loadSchemeArgument(schemes[1]!, io) : a;
      let b: Scheme;
      try {
        b = sets.length > 0 ? withOverrides(bLoaded.document, sets, `scheme '${bLoaded.name}' with --set overrides`) : bLoaded.scheme;
      } catch (e) {
        if (isRecoveryPbrError(e)) throw e;
        throw new RecoveryPbrError('scheme', `--set: ${(e as Error).message}`);
      }
      // Both schemes in one pass over the data; outcomes decided once when they decide alike.
      const m = await modelDataArgument(dataDir, a.scheme, { schemes: [a.scheme, b], asOf, tallies: [{ kind: 'payments', scheme: 0 }, { kind: 'payments', scheme: 1 }] }, io, values['quiet'] === true);
      const [pa, pb] = [tallyOf(m, 0, 'payments').result, tallyOf(m, 1, 'payments').result];
      const labelB = sets.length > 0 ? `${bLoaded.name} with ${sets.map((s) => `${s.path}=${typeof s.value === 'string' ? s.value : JSON.stringify(s.value)}`).join(', ')}` : bLoaded.name;
      if (JSON.stringify(a.scheme.exitReasons) !== JSON.stringify(b.exitReasons) || a.scheme.calendar.reviewToleranceDays !== b.calendar.reviewToleranceDays) {
        io.stderr('note: the data were read with scheme A\'s exit codes and review tolerance\n');
      }
      const c: PaymentComparison = {
        a: { id: a.scheme.id, version: a.scheme.version, label: a.name },
        b: { id: b.id, version: b.version, label: labelB },
        asOf,
        ...compareGroups(pa.groups, pb.groups),
      };
      io.stdout(comparisonText(c, { all: values['all'] === true }));
      if (out) {
        await writeOutputs(out, { 'comparison.csv': comparisonCsv(c), 'payments_a.csv': paymentsCsv(pa.rows), 'payments_b.csv': paymentsCsv(pb.rows) }, io);
      }
      return 0;
    });
  },
};
