/**
 * `recovery-pbr forecast`: a provider's expected income per quarter — from the outcomes pending at
 * asOf and from projected new journeys — with a P10–P90 band and the model's caveats (see
 * src/modelling/forecast.ts for the model).
 * @module
 */
import { readFile, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { CsvSyntaxError, csvRows } from '../../ingest/csv.js';
import { RecoveryPbrError, isRecoveryPbrError } from '../../errors.js';
import { forecastFromSummaries, parseProjectedJourneys, type IncomeForecast, type ProjectedJourneys } from '../../modelling/forecast.js';
import { formatMoney, formatPounds, type Decimal } from '../../money/amount.js';
import { csvLine } from '../../output/csv.js';
import { formatTextTable } from '../../payments/table.js';
import { UsageError, type CliCommand, type CliIO } from '../command.js';
import { dateOption, plural, requiredString, withOptionalOutputFolder } from '../shared.js';
import { loadSchemeArgument, modelDataArgument, outOption, tallyOf, writeOutputs } from './compare.js';

const USAGE = `Usage: recovery-pbr forecast --scheme S --data DIR --as-of DATE --provider P [--journeys FILE|SPEC]
         [--quarters N] [--start DATE] [--simulations N] [--seed N] [--pooled] [--out DIR]

Forecasts a provider's income per quarter: from the provider's outcomes still pending at --as-of
(journeys in treatment or in a follow-up window) and from projected new journeys, using the outcome
rates and the delays between journey start and outcome observed in the data (a seeded simulation;
expected values are exact). Quarter 1 is the first contract quarter after --as-of unless --start is
given. The model's caveats are printed with the forecast.

  --journeys   projected new journeys, e.g. "Q1:1=20,2=10;Q2:1=25" (quarter: band=count), or a CSV
               file with columns quarter,band,journeys (quarter written 1 or Q1); default: none
               (the pending outcomes and fixed instalments only)
  --quarters   quarters shown (default: until the slowest outcome lands, up to the contract end)
  --simulations  simulated runs (default 2000); --seed N (default 1) makes them reproducible
  --pooled     use every provider's observed rates, not this provider's first
  --out        folder for forecast.csv and forecast.json`;

/** Columns of the projected journeys table (`--journeys FILE`). */
const JOURNEY_COLUMNS = ['quarter', 'band', 'journeys'] as const;

/**
 * Reads a small CSV table of projected journeys (columns quarter, band, journeys; quarter written
 * 1 or Q1), checking every row; rows are numbered as a spreadsheet shows them (header = 1).
 * @example projectedJourneysFromCsv('quarter,band,journeys\nQ1,1,20\n', 'journeys.csv') // [{ quarter: 1, band: '1', count: 20 }]
 */
export function projectedJourneysFromCsv(text: string, name: string): ProjectedJourneys[] {
  const bad = (message: string, row?: number) =>
    new RecoveryPbrError('options', `${name}${row === undefined ? '' : ` row ${row}`}: ${message}`, [{ file: name, ...(row === undefined ? {} : { row }), message }]);
  // The tokenizer that reads every input file (one CSV reader in the project).
  let parsed: string[][];
  try {
    parsed = csvRows(text);
  } catch (e) {
    if (!(e instanceof CsvSyntaxError)) throw e;
    throw bad(e.code === 'unclosed_quote' ? 'a quote (") is never closed' : e.code === 'text_after_quote' ? 'text follows a closing quote (") in a cell' : 'a line is too long', e.row);
  }
  const [header, ...rows] = parsed;
  const columns = (header ?? []).map((h) => h.trim().toLowerCase());
  const missing = JOURNEY_COLUMNS.filter((c) => !columns.includes(c));
  const unknown = columns.filter((c) => !(JOURNEY_COLUMNS as readonly string[]).includes(c));
  if (missing.length > 0 || unknown.length > 0) {
    throw bad(
      `the header must name the columns ${JOURNEY_COLUMNS.join(', ')}` +
        (missing.length ? `; missing: ${missing.join(', ')}` : '') +
        (unknown.length ? `; not a column of this table: ${unknown.join(', ')} (check the spelling)` : ''),
    );
  }
  const at = (cells: string[], c: (typeof JOURNEY_COLUMNS)[number]) => (cells[columns.indexOf(c)] ?? '').trim();
  const out: ProjectedJourneys[] = [];
  rows.forEach((cells, i) => {
    const row = i + 2;
    if (cells.every((c) => c.trim() === '')) return; // a blank line carries no data
    if (cells.length !== columns.length) throw bad(`has ${cells.length} cells, the header ${columns.length}`, row);
    const q = /^Q?(\d+)$/i.exec(at(cells, 'quarter'));
    const n = /^\d+$/.exec(at(cells, 'journeys'));
    const band = at(cells, 'band');
    if (!q || !n || !band || Number(q[1]) < 1) throw bad('needs quarter (1 or Q1, from 1), band and journeys (a whole number)', row);
    out.push({ quarter: Number(q[1]), band, count: Number(n[0]) });
  });
  return out;
}

/** Largest `--journeys` file read (a table of quarters and bands is a few KiB). */
const MAX_JOURNEYS_BYTES = 1024 * 1024;

async function readJourneys(arg: string | undefined, io: CliIO): Promise<ProjectedJourneys[]> {
  if (arg === undefined) return [];
  if (/^Q\d+:/i.test(arg.trim())) {
    try {
      return parseProjectedJourneys(arg);
    } catch (e) {
      if (isRecoveryPbrError(e)) throw new UsageError(`--journeys: ${e.message}`);
      throw e;
    }
  }
  const file = resolve(io.cwd, arg);
  let text: string;
  try {
    // Only a small regular file is read (not a device or pipe that never ends).
    const s = await stat(file);
    if (s.isFile() && s.size > MAX_JOURNEYS_BYTES) throw new RecoveryPbrError('options', `--journeys ${arg} must be a CSV file of at most 1 MiB (quarter,band,journeys)`);
    if (!s.isFile() && !s.isDirectory()) throw new RecoveryPbrError('options', `--journeys ${arg} is not a regular file: give a CSV file of at most 1 MiB (quarter,band,journeys)`);
    text = await readFile(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException)?.code;
    if (code === 'ENOENT' || code === 'EISDIR') throw new UsageError(`--journeys '${arg}' is neither projected journeys (like "Q1:1=20,2=10") nor a CSV file (looked for ${file})`);
    throw e;
  }
  return projectedJourneysFromCsv(text, arg);
}

function positiveInt(v: unknown, name: string): number | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== 'string' || !/^\d+$/.test(v) || Number(v) < 1) throw new UsageError(`--${name} must be a whole number ≥ 1`);
  return Number(v);
}

/** Columns of `forecast.csv`. */
export const FORECAST_COLUMNS = ['provider_id', 'quarter', 'period_start', 'period_end', 'journeys', 'fixed', 'pipeline', 'expected', 'mean', 'p10', 'p50', 'p90'] as const;

/**
 * The forecast as CSV: one line per quarter, then the total.
 * @example writeFileSync('forecast.csv', forecastCsv(f))
 */
export function forecastCsv(f: IncomeForecast): string {
  const out = [csvLine(FORECAST_COLUMNS)];
  for (const q of f.quarters) {
    out.push(
      csvLine([f.provider, q.quarter, q.start, q.end, q.journeys, formatMoney(q.fixed), formatMoney(q.pipeline), formatMoney(q.expected), formatMoney(q.mean), formatMoney(q.p10), formatMoney(q.p50), formatMoney(q.p90)]),
    );
  }
  const t = f.total;
  out.push(
    csvLine([
      f.provider,
      'total',
      f.quarters[0]?.start,
      f.quarters.at(-1)?.end,
      f.quarters.reduce((s, q) => s + q.journeys, 0),
      formatMoney(t.fixed),
      formatMoney(t.pipeline),
      formatMoney(t.expected),
      formatMoney(t.mean),
      formatMoney(t.p10),
      formatMoney(t.p50),
      formatMoney(t.p90),
    ]),
  );
  return out.join('');
}

function percent(d: Decimal): string {
  return `${d.times(100).toDecimalPlaces(1).toString()}%`;
}

/**
 * The forecast as readable text: the answer first, then quarters, the pipeline, the assumptions
 * and the model's caveats.
 * @example io.stdout(forecastText(f))
 */
export function forecastText(f: IncomeForecast): string {
  const journeys = f.quarters.reduce((s, q) => s + q.journeys, 0);
  const fromNew = f.total.expected.minus(f.total.pipeline).minus(f.total.fixed);
  const first = f.quarters[0]!;
  const last = f.quarters.at(-1)!;
  const lead =
    `Expected income ${formatPounds(f.total.expected)} over ${plural(f.quarters.length, 'quarter')} (${first.start} to ${last.end}; P10 ${formatPounds(f.total.p10)}, P90 ${formatPounds(f.total.p90)}):\n` +
    `  ${formatPounds(f.total.pipeline)} from ${plural(f.pipeline.pending, 'outcome')} pending at ${f.asOf}\n` +
    `  ${formatPounds(fromNew)} from ${plural(journeys, 'projected new journey')}\n` +
    `  ${formatPounds(f.total.fixed)} fixed instalments\n` +
    `Quarters shown: ${f.horizon.reason}.\n`;
  const rows = f.quarters.map((q) => [`Q${q.quarter}`, q.start, String(q.journeys), formatPounds(q.pipeline), formatPounds(q.expected), formatPounds(q.p10), formatPounds(q.p50), formatPounds(q.p90)]);
  rows.push(['total', '', String(journeys), formatPounds(f.total.pipeline), formatPounds(f.total.expected), formatPounds(f.total.p10), formatPounds(f.total.p50), formatPounds(f.total.p90)]);
  const pipe = f.pipeline.rows.map((r) => {
    const counted = r.pending - r.left_out;
    return [
      r.outcome_id,
      r.band,
      String(r.pending),
      r.with_due_date === 0 ? 'none (in treatment)' : `${r.with_due_date} due ${r.first_due}${r.last_due !== r.first_due ? ` to ${r.last_due}` : ''}`,
      counted > 0 ? percent(r.expected_met.dividedBy(counted)) : '',
      r.expected_met.toDecimalPlaces(1).toString(),
      formatPounds(r.expected),
      r.sources.join(', ') + (r.left_out ? ` (${r.left_out} left out)` : ''),
    ];
  });
  const rates = f.assumptions.rates.map((r) => [r.outcome_id, r.band, percent(r.rate), r.decided ? `${r.met}/${r.decided}` : '', r.source]);
  const lags = f.assumptions.lags.map((l) => [l.outcome_id, String(l.observations), l.p10_days === undefined ? '' : `${l.p10_days} / ${l.median_days} / ${l.p90_days}`, l.source]);
  return (
    `Income forecast for ${f.provider} (as of ${f.asOf}; ${f.simulations} simulated runs, seed ${f.seed})\n\n` +
    lead +
    '\n' +
    formatTextTable(['quarter', 'start', 'journeys', 'pipeline', 'expected', 'P10', 'P50', 'P90'], rows, [false, false, true, true, true, true, true, true]) +
    `\nPipeline: ${f.provider}'s outcomes pending at ${f.asOf}\n` +
    (pipe.length
      ? formatTextTable(['outcome', 'band', 'pending', 'due dates', 'rate', 'expected met', 'expected', 'rates from'], pipe, [false, false, true, false, true, true, true, false])
      : '(none)\n') +
    '\nOutcome rates assumed for new journeys\n' +
    (rates.length ? formatTextTable(['outcome', 'band', 'rate', 'met/decided', 'from'], rates, [false, false, true, true, false]) : '(no new journeys projected)\n') +
    '\nDays from journey start to outcome\n' +
    formatTextTable(['outcome', 'observed', 'P10 / median / P90', 'from'], lags, [false, true, true, false]) +
    (f.assumptions.notes.length ? '\n' + f.assumptions.notes.map((n) => `note: ${n}`).join('\n') + '\n' : '') +
    '\nCaveats\n' +
    f.caveats.map((c) => `- ${c}`).join('\n') +
    '\n'
  );
}

/**
 * The forecast as plain JSON (money as strings).
 * @example JSON.stringify(forecastJson(f), null, 2)
 */
export function forecastJson(f: IncomeForecast) {
  const m = (d: Decimal) => formatMoney(d);
  return {
    provider: f.provider,
    asOf: f.asOf,
    seed: f.seed,
    simulations: f.simulations,
    horizon: { ...f.horizon, beyond: m(f.horizon.beyond) },
    quarters: f.quarters.map((q) => ({ ...q, fixed: m(q.fixed), pipeline: m(q.pipeline), expected: m(q.expected), mean: m(q.mean), p10: m(q.p10), p50: m(q.p50), p90: m(q.p90) })),
    total: {
      expected: m(f.total.expected),
      mean: m(f.total.mean),
      p10: m(f.total.p10),
      p50: m(f.total.p50),
      p90: m(f.total.p90),
      pipeline: m(f.total.pipeline),
      new_journeys: m(f.total.expected.minus(f.total.pipeline).minus(f.total.fixed)),
      fixed: m(f.total.fixed),
    },
    pipeline: {
      ...f.pipeline,
      expected: m(f.pipeline.expected),
      before_start: m(f.pipeline.before_start),
      rows: f.pipeline.rows.map((r) => ({ ...r, expected_met: r.expected_met.toDecimalPlaces(6).toString(), expected: m(r.expected) })),
    },
    assumptions: {
      rates: f.assumptions.rates.map((r) => ({ ...r, rate: r.rate.toDecimalPlaces(6).toString() })),
      lags: f.assumptions.lags,
      notes: f.assumptions.notes,
    },
    caveats: f.caveats,
  };
}

/** `recovery-pbr forecast`. */
export const command: CliCommand = {
  name: 'forecast',
  summary: "forecast a provider's income per quarter (P10–P90) from pending outcomes and projected new journeys",
  usage: USAGE,
  options: {
    scheme: { type: 'string' },
    data: { type: 'string' },
    'as-of': { type: 'string' },
    provider: { type: 'string' },
    journeys: { type: 'string' },
    quarters: { type: 'string' },
    start: { type: 'string' },
    simulations: { type: 'string' },
    seed: { type: 'string' },
    pooled: { type: 'boolean' },
    out: { type: 'string' },
  },
  async run(values, io) {
    const schemeArg = requiredString(values, 'scheme', '<preset id | file>');
    const dataDir = requiredString(values, 'data', '<folder> (with episodes.csv)');
    const asOf = dateOption(values, 'as-of');
    const provider = requiredString(values, 'provider', '<provider id>');
    const journeysArg = values['journeys'];
    if (journeysArg !== undefined && (typeof journeysArg !== 'string' || journeysArg.trim() === '')) throw new UsageError('--journeys needs projected journeys (e.g. "Q1:1=20,2=10;Q2:1=25") or a CSV file');
    const journeys = await readJourneys(journeysArg, io);
    const quarters = positiveInt(values['quarters'], 'quarters');
    const simulations = positiveInt(values['simulations'], 'simulations');
    const seedText = values['seed'];
    if (seedText !== undefined && (typeof seedText !== 'string' || !/^\d+$/.test(seedText))) throw new UsageError('--seed must be a whole number');
    const start = values['start'] === undefined ? undefined : dateOption(values, 'start');
    return withOptionalOutputFolder(outOption(values, io), async (out) => {
      const loaded = await loadSchemeArgument(schemeArg, io);
      // Outcomes are decided once; the forecast reads compact summaries gathered client by client.
      const m = await modelDataArgument(dataDir, loaded.scheme, { schemes: [loaded.scheme], asOf, tallies: [{ kind: 'forecast', scheme: 0 }] }, io);
      const summaries = tallyOf(m, 0, 'forecast').result;
      if (!summaries.observations.providers.includes(provider)) {
        io.stderr(`note: provider '${provider}' has no journeys in the data as of ${asOf}; all providers' rates are used\n`);
      }
      if (journeys.length === 0) io.stderr('note: no new journeys projected (--journeys): the forecast is the pending outcomes and fixed instalments only\n');
      const f = forecastFromSummaries(summaries, loaded.scheme, {
        provider,
        asOf,
        journeys,
        ...(quarters === undefined ? {} : { quarters }),
        ...(simulations === undefined ? {} : { simulations }),
        ...(seedText === undefined ? {} : { seed: Number(seedText) }),
        ...(start === undefined ? {} : { start }),
        ...(values['pooled'] ? { pooled: true } : {}),
      });
      io.stdout(forecastText(f));
      if (out) await writeOutputs(out, { 'forecast.csv': forecastCsv(f), 'forecast.json': JSON.stringify(forecastJson(f), null, 2) + '\n' }, io);
      return 0;
    });
  },
};

