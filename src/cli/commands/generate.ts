/**
 * `recovery-pbr generate`: writes a seeded synthetic cohort as the six input files of SPEC §2.
 * @module
 */
import { isAbsolute, resolve } from 'node:path';
import { isIsoDate } from '../../calendar/index.js';
import { isRecoveryPbrError } from '../../errors.js';
import { GENERATE_DEFAULTS, MAX_CLIENTS, resolveGenerateOptions, type GenerateOptions } from '../../generate/index.js';
import { writeGeneratedDataset, type GeneratedFormat } from '../../io/generate.js';
import { UsageError, type CliCommand, type CliValues } from '../command.js';

const USAGE = `Usage: recovery-pbr generate --clients N --seed S --out DIR [options]

Writes a synthetic, anonymised cohort (episodes, reviews, drug_tests, offences, employment,
clients) for trying the library. Same seed and options give the same bytes on any machine.

Options:
  --clients N       number of clients, 1 … ${MAX_CLIENTS} (required)
  --seed S          whole number 0 … 4294967295 (required)
  --out DIR         folder to write the six files into (created if needed; replaced as a whole)
  --format F        csv (default) or ndjson
  --error-rate R    share of rows corrupted on purpose so validation rejects them, 0 … 0.5 (default 0)
  --from DATE       first day an episode may start (default ${GENERATE_DEFAULTS.from})
  --to DATE         last day an episode may start (default ${GENERATE_DEFAULTS.to})
  --extract DATE    extract date: nothing is dated later, later discharges are blank (default ${GENERATE_DEFAULTS.extractDate})

Example:
  recovery-pbr generate --clients 2000 --seed 2012 --error-rate 0.003 --out examples/demo`;

function str(values: CliValues, name: string): string | undefined {
  const v = values[name];
  return typeof v === 'string' ? v : undefined;
}

function wholeNumber(values: CliValues, name: string, required: boolean): number | undefined {
  const v = str(values, name);
  if (v === undefined) {
    if (required) throw new UsageError(`--${name} is required`);
    return undefined;
  }
  if (!/^\d+$/.test(v.trim())) throw new UsageError(`--${name} must be a whole number, not '${v}'`);
  return Number(v.trim());
}

function date(values: CliValues, name: string): string | undefined {
  const v = str(values, name);
  if (v === undefined) return undefined;
  if (!isIsoDate(v)) throw new UsageError(`--${name} must be a real date written YYYY-MM-DD, not '${v}'`);
  return v;
}

function pad(s: string, n: number): string {
  return s.length >= n ? s : s + ' '.repeat(n - s.length);
}
function padLeft(s: string, n: number): string {
  return s.length >= n ? s : ' '.repeat(n - s.length) + s;
}

/** `recovery-pbr generate`. */
export const command: CliCommand = {
  name: 'generate',
  summary: 'write a seeded synthetic cohort (the six input files) for trying the library',
  usage: USAGE,
  options: {
    clients: { type: 'string' },
    seed: { type: 'string' },
    out: { type: 'string' },
    format: { type: 'string' },
    'error-rate': { type: 'string' },
    from: { type: 'string' },
    to: { type: 'string' },
    extract: { type: 'string' },
  },
  async run(values, io) {
    const clients = wholeNumber(values, 'clients', true)!;
    const seed = wholeNumber(values, 'seed', true)!;
    const out = str(values, 'out');
    if (out === undefined || out.trim() === '') throw new UsageError('--out is required');
    const format = (str(values, 'format') ?? 'csv') as GeneratedFormat;
    if (format !== 'csv' && format !== 'ndjson') throw new UsageError(`--format must be csv or ndjson, not '${format}'`);
    const rate = str(values, 'error-rate');
    if (rate !== undefined && !/^(\d+(\.\d*)?|\.\d+)$/.test(rate.trim())) {
      throw new UsageError(`--error-rate must be a number between 0 and 0.5, not '${rate}'`);
    }
    const options: GenerateOptions = { clients, seed };
    if (rate !== undefined) options.errorRate = Number(rate.trim());
    const from = date(values, 'from');
    const to = date(values, 'to');
    const extract = date(values, 'extract');
    if (from !== undefined) options.from = from;
    if (to !== undefined) options.to = to;
    if (extract !== undefined) options.extractDate = extract;
    try {
      resolveGenerateOptions(options);
    } catch (e) {
      if (isRecoveryPbrError(e) && e.code === 'generate_options') {
        const flag: Record<string, string> = { extractDate: 'extract', errorRate: 'error-rate' };
        throw new UsageError(e.problems.map((p) => `${(p.path ?? 'options').replace(/^(\w+)/, (k) => `--${flag[k] ?? k}`)} ${p.message}`).join('; '));
      }
      throw e;
    }

    const dir = isAbsolute(out) ? out : resolve(io.cwd, out);
    let shown = -1;
    const report = await writeGeneratedDataset(options, dir, {
      format,
      onProgress: io.isTTY
        ? (done, total) => {
            const pct = Math.floor((done * 100) / total);
            if (pct !== shown) {
              shown = pct;
              io.stderr(`\rgenerating: ${pct}% (${done} of ${total} clients)`);
            }
          }
        : undefined,
    });
    if (io.isTTY) io.stderr('\n');

    const name = (f: string) => `${f}.${format}`;
    const w = Math.max(...report.files.map((f) => name(f.file).length));
    const rw = Math.max(...report.files.map((f) => String(f.rows).length));
    const bw = Math.max(...report.files.map((f) => String(f.bytes).length));
    let text = `Wrote ${report.clients} synthetic clients (seed ${report.seed}, ${format}) to ${out}\n`;
    for (const f of report.files) {
      text += `  ${pad(name(f.file), w)}  ${padLeft(String(f.rows), rw)} rows  ${padLeft(String(f.bytes), bw)} bytes\n`;
    }
    const totalBytes = report.files.reduce((s, f) => s + f.bytes, 0);
    const totalRows = report.files.reduce((s, f) => s + f.rows, 0);
    text += `  ${pad('total', w)}  ${padLeft(String(totalRows), rw)} rows  ${padLeft(String(totalBytes), bw)} bytes\n`;
    if (report.errorRate > 0) {
      text += `${report.corruptions} rows corrupted on purpose (error rate ${report.errorRate}); 'recovery-pbr validate' lists them as rejections.\n`;
    }
    io.stdout(text);
    return 0;
  },
};
