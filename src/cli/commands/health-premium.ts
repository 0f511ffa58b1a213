/**
 * `recovery-pbr health-premium`: the Health Premium Incentive Scheme (SPEC §3.5, R-HP-1..4) for a
 * baseline and a current 12-month period, from episode data (`--data`) or published counts
 * (`--counts`), with optional local indicators and weights. Writes `health_premium.csv` (SPEC §4),
 * `health_premium.json` (every row's reason) and, from episode data, `health_premium_segments.csv`
 * and `rejections.csv`; prints each area's verdict and reason.
 * @module
 */
import { resolve } from 'node:path';
import { addMonths, isIsoDate, type IsoDate } from '../../calendar/index.js';
import {
  HealthPremiumInputError,
  followUpClosesOn,
  healthPremiumCsv,
  healthPremiumJson,
  healthPremiumSegmentsCsv,
  healthPremiumText,
  runHealthPremium,
  type HealthPremiumRunInput,
} from '../../health-premium/index.js';
import { readDataset } from '../../io/dataset.js';
import { readAggregateCounts, readLocalIndicators, readWeights } from '../../io/health-premium.js';
import { readScheme } from '../../io/scheme.js';
import { writeOutputFiles, type OutputFile } from '../../io/write.js';
import { csvLine } from '../../output/csv.js';
import type { Rejection } from '../../schema/dataset.js';
import { InputError, UsageError, type CliCommand } from '../command.js';

const DEFAULT_SCHEME = 'health-premium-2015-16';

const usage = `Usage: recovery-pbr health-premium --baseline <YYYY-MM-DD> --current <YYYY-MM-DD> --out <folder>
         (--data <folder> | --counts <file>) [--scheme <preset id | file>] [--local <file>]
         [--weights <file>] [--as-of <YYYY-MM-DD>] [--strict]

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
  --strict            exit 1 if any episode data row is rejected

Writes health_premium.csv (SPEC §4), health_premium.json (with the reason for every row, the
unallocated amount and provisional flags), and with --data health_premium_segments.csv (newer
and longer-term opiate users, age bands) and rejections.csv.

Exit codes: 0 success, 1 input or scheme that cannot be used, 2 usage error.`;

function dateOption(values: Record<string, unknown>, name: string, required: boolean): IsoDate | undefined {
  const v = values[name];
  if (v === undefined || v === '') {
    if (required) throw new UsageError(`--${name} <YYYY-MM-DD> is required`);
    return undefined;
  }
  if (typeof v !== 'string' || !isIsoDate(v)) throw new UsageError(`--${name} must be a real date written YYYY-MM-DD (got '${String(v)}')`);
  return v;
}

function stringOption(values: Record<string, unknown>, name: string): string | undefined {
  const v = values[name];
  return typeof v === 'string' && v !== '' ? v : undefined;
}

function* rejectionLines(rejections: readonly Rejection[]): Generator<string> {
  yield csvLine(['file', 'row', 'field', 'value', 'reason']);
  for (const r of rejections) yield csvLine([r.file, r.row, r.field, r.value, r.reason]);
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
    strict: { type: 'boolean' },
  },
  async run(values, io) {
    const baselineStart = dateOption(values, 'baseline', true)!;
    const currentStart = dateOption(values, 'current', true)!;
    const asOfArg = dateOption(values, 'as-of', false);
    const out = stringOption(values, 'out');
    const dataArg = stringOption(values, 'data');
    const countsArg = stringOption(values, 'counts');
    if (!out) throw new UsageError('--out <folder> is required');
    if (!dataArg && !countsArg) throw new UsageError('give --data <folder> (episode data) or --counts <file> (published counts)');
    if (dataArg && countsArg) throw new UsageError('give either --data or --counts, not both: the national indicator comes from one of them');
    if (currentStart <= baselineStart) throw new UsageError(`--current (${currentStart}) must be after --baseline (${baselineStart})`);

    const scheme = await readScheme(stringOption(values, 'scheme') ?? DEFAULT_SCHEME, io.cwd);
    const hp = scheme.healthPremium;
    if (!hp) {
      throw new InputError(`scheme '${scheme.id}' has no healthPremium section; use --scheme ${DEFAULT_SCHEME} or add the section to your scheme file`);
    }
    const asOf = asOfArg ?? followUpClosesOn(currentStart, hp.periodMonths, hp.followUpMonths);
    if (asOf < currentStart) throw new UsageError(`--as-of (${asOf}) is before the current period starts (${currentStart}): nothing of it is known yet`);
    const weightsArg = stringOption(values, 'weights');
    if (hp.weight === 'supplied' && !weightsArg) throw new UsageError(`scheme '${scheme.id}' shares the pot by supplied weights: give --weights <file> (area_code,weight)`);

    const warnings: string[] = [];
    if (addMonths(baselineStart, hp.periodMonths) > currentStart) {
      warnings.push(`the baseline and current periods overlap (each is ${hp.periodMonths} months), so the same clients may be counted in both`);
    }
    const input: HealthPremiumRunInput = { scheme, baselineStart, currentStart, asOf };
    const files: OutputFile[] = [];
    let rejected = 0;
    let dataNotes: string[] = [];
    if (dataArg) {
      const read = await readDataset(resolve(io.cwd, dataArg), {
        exitReasonMap: scheme.exitReasons,
        reviewToleranceDays: scheme.calendar.reviewToleranceDays,
      });
      input.data = read.data;
      rejected = read.rejections.length;
      dataNotes = read.notes;
      if (rejected > 0 && values['strict'] === true) {
        throw new InputError(`${rejected} ${rejected === 1 ? 'row was' : 'rows were'} rejected and --strict is set; run 'recovery-pbr validate' to see them. No output was written.`);
      }
      files.push({ name: 'rejections.csv', content: [...rejectionLines(read.rejections)].join('') });
    } else {
      input.counts = await readAggregateCounts(resolve(io.cwd, countsArg!));
    }
    const localArg = stringOption(values, 'local');
    if (localArg) input.local = await readLocalIndicators(resolve(io.cwd, localArg), baselineStart, currentStart);
    if (weightsArg) input.weights = await readWeights(resolve(io.cwd, weightsArg));

    let run;
    try {
      run = runHealthPremium(input);
    } catch (e) {
      if (e instanceof HealthPremiumInputError) throw new InputError(e.message);
      throw e;
    }
    const info = {
      scheme: { id: scheme.id, version: scheme.version },
      as_of: asOf,
      source: run.source,
      interval_level: hp.intervalLevel,
    };
    files.unshift(
      { name: 'health_premium.csv', content: healthPremiumCsv(run.result) },
      { name: 'health_premium.json', content: healthPremiumJson(run.result, run.segments, info) },
    );
    if (run.source === 'episodes') files.splice(2, 0, { name: 'health_premium_segments.csv', content: healthPremiumSegmentsCsv(run.segments, hp.intervalLevel) });
    const written = await writeOutputFiles(resolve(io.cwd, out), files);

    const report = [healthPremiumText(run.result, info).trimEnd()];
    if (dataNotes.length > 0) report.push('', 'Notes on the data:', ...dataNotes.map((n) => `  - ${n}`));
    report.push('', ...written.map((p) => `Wrote ${p}`));
    io.stdout(report.join('\n') + '\n');
    for (const w of warnings) io.stderr(`recovery-pbr health-premium: note: ${w}\n`);
    if (rejected > 0) {
      io.stderr(`recovery-pbr health-premium: ${rejected} ${rejected === 1 ? 'row was' : 'rows were'} rejected and not counted; see rejections.csv\n`);
    }
    return 0;
  },
};
