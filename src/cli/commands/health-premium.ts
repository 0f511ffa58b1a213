/**
 * `recovery-pbr health-premium`: the Health Premium Incentive Scheme (SPEC §3.5, R-HP-1..4) for a
 * baseline and a current 12-month period, from episode data (`--data`) or published counts
 * (`--counts`), with optional local indicators and weights. Writes `health_premium.csv` (SPEC §4),
 * `health_premium.json` (every row's reason), `summary.json` and, from episode data,
 * `health_premium_segments.csv` and `rejections.csv` (with `--report`, an HTML report too); prints
 * each area's verdict and reason.
 * @module
 */
import { basename } from 'node:path';
import { addMonths, type IsoDate } from '../../calendar/index.js';
import {
  followUpClosesOn,
  healthPremiumCsv,
  healthPremiumJson,
  healthPremiumSegmentsCsv,
  healthPremiumSummary,
  healthPremiumText,
  runHealthPremium,
  type HealthPremiumRunInput,
} from '../../health-premium/index.js';
import { sha256File, sha256Json } from '../../io/hash.js';
import { readAggregateCounts, readLocalIndicators, readWeights } from '../../io/health-premium.js';
import { readScheme } from '../../io/scheme.js';
import type { OutputFile } from '../../io/write.js';
import { folderInputsSummary, modelFolder, type FolderModel } from '../../node/run-folder.js';
import { rejectionTally, reportFromHealthPremium } from '../../report/index.js';
import { inputSummaries, summaryJson, type InputFileSummary, type RunSummary } from '../../output/summary.js';
import { UsageError, type CliCommand, type CliValues } from '../command.js';
import { RecoveryPbrError } from '../../errors.js';
import { dateOption, pathOption, plural, runProgressReporter, strictWords, withOutputFolder } from '../shared.js';
import { VERSION } from '../version.js';

const DEFAULT_SCHEME = 'health-premium-2015-16';

const usage = `Usage: recovery-pbr health-premium --baseline <YYYY-MM-DD> --current <YYYY-MM-DD> --out <folder>
         (--data <folder> | --counts <file>) [--scheme <preset id | file>] [--local <file>]
         [--weights <file>] [--as-of <YYYY-MM-DD>] [--report <file.html>] [--strict] [--quiet]

Judges each area's improvement on the successful completion of drug treatment (PHOF 2.15: left
treatment successfully and did not return within 6 months, counted in clients per 12-month
period) and on a local indicator, and shares the pot among the areas that improved enough
(Health Premium Incentive Scheme, SPEC §3.5).

Options:
  --baseline <date>   first day of the baseline 12-month period (required)
  --current <date>    first day of the current 12-month period (required)
  --out <folder>      folder for the output files (created if missing) (required)
  --data <folder>     episode data (episodes.csv, optionally clients.csv …): indicators are computed
  --counts <file>     published counts instead: area_code,indicator,period_start,numerator,
                      denominator[,status] with indicator opiate, non_opiate, alcohol or combined
  --scheme <id|file>  scheme with a healthPremium section (default ${DEFAULT_SCHEME})
  --local <file>      local indicators: area_code,indicator,period_start and numerator,denominator
                      or value, optional direction (higher|lower is better) and status
  --weights <file>    area_code,weight (for a scheme that shares the pot by supplied weights)
  --as-of <date>      the day the world is seen as it was (default: the day the current period's
                      follow-up closes, i.e. its last day + the follow-up months)
  --report <name>     also write an HTML report (a name ending in .html, e.g. health-premium.html)
                      into --out: each area's rates, the rate needed, what it earns and why, for
                      commissioners
  --strict            exit 1 if any episode data row is rejected (only rejections.csv is written)
  --quiet             no progress bar (there is none when stderr is not a terminal); the results
                      are still printed

Writes health_premium.csv (SPEC §4), health_premium.json (with the reason for every row),
summary.json (scheme and input hashes, the amount paid and unallocated, provisional flags), and
with --data health_premium_segments.csv (newer and longer-term opiate users, age bands, with 95%
Wilson intervals) and rejections.csv; with --report, a self-contained HTML report.

Exit codes: 0 success, 1 input or scheme that cannot be used, 2 usage error.`;

function stringOption(values: CliValues, name: string): string | undefined {
  const v = values[name];
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/** `recovery-pbr health-premium`. */
export const command: CliCommand = {
  name: 'health-premium',
  summary: 'Health Premium: PHOF 2.15 indicators, eligibility and the sharing of the pot',
  usage,
  options: {
    scheme: { type: 'string' },
    data: { type: 'string' },
    counts: { type: 'string' },
    local: { type: 'string' },
    weights: { type: 'string' },
    baseline: { type: 'string' },
    current: { type: 'string' },
    'as-of': { type: 'string' },
    out: { type: 'string' },
    report: { type: 'string' },
    strict: { type: 'boolean' },
    quiet: { type: 'boolean' },
  },
  async run(values, io) {
    const baselineStart = dateOption(values, 'baseline');
    const currentStart = dateOption(values, 'current');
    const asOfArg = dateOption(values, 'as-of', true);
    const out = stringOption(values, 'out');
    const dataArg = stringOption(values, 'data');
    const countsArg = stringOption(values, 'counts');
    const quiet = values['quiet'] === true;
    if (!out) throw new UsageError('--out <folder> is required');
    if (!dataArg && !countsArg) throw new UsageError('give --data <folder> (episode data) or --counts <file> (published counts)');
    if (dataArg && countsArg) throw new UsageError('give either --data or --counts, not both: the national indicator comes from one of them');
    if (currentStart <= baselineStart) throw new UsageError(`--current (${currentStart}) must be after --baseline (${baselineStart})`);
    const reportName = values['report'];
    if (reportName !== undefined && (typeof reportName !== 'string' || reportName !== basename(reportName) || reportName.startsWith('.') || !/^[^\\/]+\.html?$/i.test(reportName))) {
      throw new UsageError(`--report takes a file name ending in .html (e.g. health-premium.html), written into --out (got '${String(reportName)}')`);
    }

    const outDir = pathOption(io, out);
    return withOutputFolder(outDir, async (outFolder) => {
      const scheme = await readScheme(stringOption(values, 'scheme') ?? DEFAULT_SCHEME, io.cwd);
      const hp = scheme.healthPremium;
      if (!hp) {
        throw new RecoveryPbrError('scheme', `scheme '${scheme.id}' has no healthPremium section; use --scheme ${DEFAULT_SCHEME} or add the section to your scheme file`);
      }
      const asOf: IsoDate = asOfArg ?? followUpClosesOn(currentStart, hp.periodMonths, hp.followUpMonths);
      if (asOf < currentStart) throw new UsageError(`--as-of (${asOf}) is before the current period starts (${currentStart}): nothing of it is known yet`);
      const weightsArg = stringOption(values, 'weights');
      if (hp.weight === 'supplied' && !weightsArg) throw new UsageError(`scheme '${scheme.id}' shares the pot by supplied weights: give --weights <file> (area_code,weight)`);

      const warnings: string[] = [];
      if (addMonths(baselineStart, hp.periodMonths) > currentStart) {
        warnings.push(`the baseline and current periods overlap (each is ${hp.periodMonths} months), so the same clients may be counted in both`);
      }
      const input: HealthPremiumRunInput = { scheme, baselineStart, currentStart, asOf };
      const files: OutputFile[] = [];
      // Inputs for summary.json: the data files (as run lists them), then each supplied file by its option name.
      const counts: Record<string, { read: number; used: number; rejected: number }> = {};
      const fileInfo: Record<string, { file: string; hash: string; bytes?: number }> = {};
      let rejected = 0;
      let dataNotes: string[] = [];
      let dataInputs: Record<string, unknown> = {};
      const tally = rejectionTally();
      if (dataArg) {
        // Indicators are counted client by client over the run's partitions: national data fit.
        const progress = runProgressReporter(io, quiet);
        let read: FolderModel;
        const periods = { baseline: baselineStart, current: currentStart, asOf };
        try {
          read = await modelFolder(pathOption(io, dataArg), scheme, { schemes: [scheme], asOf, tallies: [{ kind: 'indicators', scheme: 0, periods }] }, { onProgress: progress?.update });
        } finally {
          progress?.clear();
        }
        const rejectionsCsv = [...read.rejectionsCsv((r) => void (reportName !== undefined && tally.add(r)))].join('');
        rejected = read.rejected;
        if (rejected > 0 && values['strict'] === true) {
          const [path] = await outFolder.write([{ name: 'rejections.csv', content: rejectionsCsv }]);
          io.stderr(`recovery-pbr health-premium: ${plural(rejected, 'row was', 'rows were')} rejected and --strict is set; see ${path}. ${strictWords(outFolder)}\n`);
          return 1;
        }
        const counted = read.tallies[0];
        if (counted?.kind !== 'indicators') throw new Error('internal error: the indicators tally is missing');
        input.indicators = counted.result;
        dataNotes = read.notes;
        for (const n of dataNotes) io.stderr(`recovery-pbr health-premium: note: ${n}\n`);
        dataInputs = folderInputsSummary(read);
        files.push({ name: 'rejections.csv', content: rejectionsCsv });
      }
      const supplied = async <T>(option: string, path: string, reader: (p: string) => Promise<{ value: T; rows: number }>): Promise<T> => {
        const full = pathOption(io, path);
        const r = await reader(full);
        counts[option] = { read: r.rows, used: r.rows, rejected: 0 };
        fileInfo[option] = { file: basename(full), hash: await sha256File(full) };
        return r.value;
      };
      if (countsArg) {
        input.counts = await supplied('counts', countsArg, async (p) => {
          const rows = await readAggregateCounts(p);
          return { value: rows, rows: rows.length };
        });
      }
      const localArg = stringOption(values, 'local');
      if (localArg) {
        input.local = await supplied('local', localArg, async (p) => {
          const local = await readLocalIndicators(p, baselineStart, currentStart);
          return { value: local.indicators, rows: local.rows };
        });
      }
      if (weightsArg) {
        input.weights = await supplied('weights', weightsArg, async (p) => {
          const w = await readWeights(p);
          return { value: w, rows: w.size };
        });
      }

      const run = runHealthPremium(input);
      const info = {
        scheme: { id: scheme.id, version: scheme.version },
        as_of: asOf,
        source: run.source,
        interval_level: hp.intervalLevel,
      };
      const { provenance: _provenance, ...rules } = scheme;
      const summary: RunSummary = {
        tool: { name: 'recovery-pbr', version: VERSION },
        scheme: { id: scheme.id, version: scheme.version, title: scheme.title, hash: sha256Json(rules) },
        asOf,
        inputs: { ...dataInputs, ...inputSummaries(counts, fileInfo) } as Record<string, InputFileSummary>,
        rejected_total: rejected,
        health_premium: healthPremiumSummary(run.result),
        ...(dataNotes.length || warnings.length ? { notes: [...dataNotes, ...warnings] } : {}),
      };
      files.unshift(
        { name: 'health_premium.csv', content: healthPremiumCsv(run.result) },
        { name: 'health_premium.json', content: healthPremiumJson(run.result, run.segments, info) },
        ...(run.source === 'episodes' ? [{ name: 'health_premium_segments.csv', content: healthPremiumSegmentsCsv(run.segments, hp.intervalLevel) }] : []),
      );
      files.push({ name: 'summary.json', content: summaryJson(summary) });
      if (typeof reportName === 'string') files.push({ name: reportName, content: reportFromHealthPremium({ summary, scheme, run, rejections: tally.result() }) });
      const written = await outFolder.write(files);

      // --quiet hides the progress bar only, as for every command.
      const report = [healthPremiumText(run.result, info).trimEnd()];
      report.push('', ...written.map((p) => `Wrote ${p}`));
      io.stdout(report.join('\n') + '\n');
      for (const w of warnings) io.stderr(`recovery-pbr health-premium: note: ${w}\n`);
      if (rejected > 0) {
        io.stderr(`recovery-pbr health-premium: ${plural(rejected, 'input row was', 'input rows were')} rejected and not counted; see rejections.csv\n`);
      }
      return 0;
    });
  },
};
