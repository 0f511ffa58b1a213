/**
 * `recovery-pbr forecast`: a provider's expected income per quarter from projected new journeys,
 * with a P10–P90 band (see src/modelling/forecast.ts for the model).
 * @module
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import Papa from 'papaparse';
import { forecastIncomeFrom, parseProjectedJourneys, type IncomeForecast, type ProjectedJourneys } from '../../modelling/forecast.js';
import { paymentRun } from '../../modelling/run.js';
import { ZERO, formatMoney, formatPounds, type Decimal } from '../../money/amount.js';
import { csvLine } from '../../output/csv.js';
import { formatTextTable } from '../../payments/table.js';
import { UsageError, type CliCommand, type CliIO } from '../command.js';
import { RecoveryPbrError } from '../../errors.js';
import { dateOption, requiredString, withOptionalOutputFolder } from '../shared.js';
import { loadSchemeArgument, outOption, readDataArgument, writeOutputs } from './compare.js';

const USAGE = `Usage: recovery-pbr forecast --scheme S --data DIR --as-of DATE --provider P --journeys FILE|SPEC
         [--quarters N] [--start DATE] [--simulations N] [--seed N] [--pooled] [--out DIR]

Forecasts a provider's income per quarter from projected new journeys, using the outcome rates and
the delays between journey start and outcome observed in the data (a seeded simulation; expected
values are exact). Quarter 1 is the first contract quarter after --as-of unless --start is given.

  --journeys   projected starts, e.g. "Q1:1=20,2=10;Q2:1=25" (quarter: band=count), or a CSV file
               with columns quarter,band,journeys (quarter written 1 or Q1)
  --quarters   quarters shown (default: last projected quarter + 4)
  --simulations  simulated runs (default 2000); --seed N (default 1) makes them reproducible
  --pooled     use every provider's observed rates, not this provider's first
  --out        folder for forecast.csv and forecast.json`;

function readJourneys(arg: string, io: CliIO): ProjectedJourneys[] {
  const file = resolve(io.cwd, arg);
  try {
    if (!/^Q\d+:/i.test(arg.trim()) && existsSync(file)) {
      // Only a small regular file is read (not a device or pipe that never ends).
      const s = statSync(file);
      if (!s.isFile() || s.size > 1024 * 1024) throw new RecoveryPbrError('options', `--journeys ${arg} must be a CSV file of at most 1 MiB (quarter,band,journeys)`);
      const rows = Papa.parse<Record<string, string>>(readFileSync(file, 'utf8'), { header: true, skipEmptyLines: 'greedy', transformHeader: (h) => h.trim(), transform: (v) => v.trim() }).data;
      return rows.map((r, i) => {
        const q = /^Q?(\d+)$/i.exec(r['quarter'] ?? '');
        const n = /^\d+$/.exec(r['journeys'] ?? '');
        if (!q || !n || !r['band']) throw new RecoveryPbrError('options', `${arg} row ${i + 2}: needs quarter (1 or Q1), band and journeys (a whole number)`);
        return { quarter: Number(q[1]), band: r['band'], count: Number(n[0]) };
      });
    }
    return parseProjectedJourneys(arg);
  } catch (e) {
    if (e instanceof RangeError) throw new UsageError(`--journeys: ${e.message}`);
    throw e;
  }
}

function positiveInt(v: unknown, name: string): number | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== 'string' || !/^\d+$/.test(v) || Number(v) < 1) throw new UsageError(`--${name} must be a whole number ≥ 1`);
  return Number(v);
}

/**
 * The forecast as CSV: one line per quarter, then the total.
 * @example writeFileSync('forecast.csv', forecastCsv(f))
 */
export function forecastCsv(f: IncomeForecast): string {
  const out = [csvLine(['provider_id', 'quarter', 'period_start', 'period_end', 'journeys', 'fixed', 'expected', 'mean', 'p10', 'p50', 'p90'])];
  for (const q of f.quarters) {
    out.push(csvLine([f.provider, q.quarter, q.start, q.end, q.journeys, formatMoney(q.fixed), formatMoney(q.expected), formatMoney(q.mean), formatMoney(q.p10), formatMoney(q.p50), formatMoney(q.p90)]));
  }
  const t = f.total;
  out.push(csvLine([f.provider, 'total', f.quarters[0]?.start, f.quarters.at(-1)?.end, f.quarters.reduce((s, q) => s + q.journeys, 0), formatMoney(f.quarters.reduce((s, q) => s.plus(q.fixed), ZERO)), formatMoney(t.expected), formatMoney(t.mean), formatMoney(t.p10), formatMoney(t.p50), formatMoney(t.p90)]));
  return out.join('');
}

/**
 * The forecast as readable text: quarters, then the assumptions.
 * @example io.stdout(forecastText(f))
 */
export function forecastText(f: IncomeForecast): string {
  const rows = f.quarters.map((q) => [`Q${q.quarter}`, q.start, String(q.journeys), formatPounds(q.expected), formatPounds(q.p10), formatPounds(q.p50), formatPounds(q.p90)]);
  rows.push(['total', '', String(f.quarters.reduce((s, q) => s + q.journeys, 0)), formatPounds(f.total.expected), formatPounds(f.total.p10), formatPounds(f.total.p50), formatPounds(f.total.p90)]);
  const rates = f.assumptions.rates.map((r) => [r.outcome_id, r.band, `${r.rate.times(100).toDecimalPlaces(1).toString()}%`, r.decided ? `${r.met}/${r.decided}` : '', r.source]);
  const lags = f.assumptions.lags.map((l) => [l.outcome_id, String(l.observations), l.p10_days === undefined ? '' : `${l.p10_days} / ${l.median_days} / ${l.p90_days}`, l.source]);
  return (
    `Income forecast for ${f.provider} (as of ${f.asOf}; ${f.simulations} simulated runs, seed ${f.seed})\n\n` +
    formatTextTable(['quarter', 'start', 'journeys', 'expected', 'P10', 'P50', 'P90'], rows, [false, false, true, true, true, true, true]) +
    '\nOutcome rates assumed\n' +
    formatTextTable(['outcome', 'band', 'rate', 'met/decided', 'from'], rates, [false, false, true, true, false]) +
    '\nDays from journey start to outcome\n' +
    formatTextTable(['outcome', 'observed', 'P10 / median / P90', 'from'], lags, [false, true, true, false]) +
    (f.assumptions.notes.length ? '\n' + f.assumptions.notes.map((n) => `note: ${n}`).join('\n') + '\n' : '')
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
    quarters: f.quarters.map((q) => ({ ...q, fixed: m(q.fixed), expected: m(q.expected), mean: m(q.mean), p10: m(q.p10), p50: m(q.p50), p90: m(q.p90) })),
    total: { expected: m(f.total.expected), mean: m(f.total.mean), p10: m(f.total.p10), p50: m(f.total.p50), p90: m(f.total.p90) },
    assumptions: {
      rates: f.assumptions.rates.map((r) => ({ ...r, rate: r.rate.toDecimalPlaces(6).toString() })),
      lags: f.assumptions.lags,
      notes: f.assumptions.notes,
    },
  };
}

/** `recovery-pbr forecast`. */
export const command: CliCommand = {
  name: 'forecast',
  summary: "forecast a provider's income per quarter (P10–P90) from projected new journeys",
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
    const journeys = readJourneys(requiredString(values, 'journeys', '<file | spec> (e.g. "Q1:1=20,2=10;Q2:1=25")'), io);
    const quarters = positiveInt(values['quarters'], 'quarters');
    const simulations = positiveInt(values['simulations'], 'simulations');
    const seedText = values['seed'];
    if (seedText !== undefined && (typeof seedText !== 'string' || !/^\d+$/.test(seedText))) throw new UsageError('--seed must be a whole number');
    const start = values['start'] === undefined ? undefined : dateOption(values, 'start');
    return withOptionalOutputFolder(outOption(values, io), async (out) => {
      const loaded = await loadSchemeArgument(schemeArg, io);
      const data = await readDataArgument(dataDir, loaded.scheme, io);
      const run = paymentRun(data, loaded.scheme, { asOf });
      if (!run.clients.some((c) => c.journeys.some((j) => j.episodes.some((e) => e.provider_id === provider)))) {
        io.stderr(`note: provider '${provider}' has no journeys in the data; all providers' rates are used\n`);
      }
      let f: IncomeForecast;
      try {
        f = forecastIncomeFrom({ clients: run.clients }, loaded.scheme, {
          provider,
          asOf,
          journeys,
          ...(quarters === undefined ? {} : { quarters }),
          ...(simulations === undefined ? {} : { simulations }),
          ...(seedText === undefined ? {} : { seed: Number(seedText) }),
          ...(start === undefined ? {} : { start }),
          ...(values['pooled'] ? { pooled: true } : {}),
        });
      } catch (e) {
        if (e instanceof RangeError) throw new RecoveryPbrError('options', e.message);
        throw e;
      }
      io.stdout(forecastText(f));
      if (out) await writeOutputs(out, { 'forecast.csv': forecastCsv(f), 'forecast.json': JSON.stringify(forecastJson(f), null, 2) + '\n' }, io);
      return 0;
    });
  },
};
