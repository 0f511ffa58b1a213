/**
 * A provider's question, answered on the demo data: what income can we expect from the outcomes
 * still pending today and from next year's new journeys, if they keep coming as they did in the
 * last year of the data? (income forecast with a P10–P90 band)
 *
 * Run: npx tsx examples/provider.ts [data folder] [as-of date] [provider id]
 */
import { pathToFileURL } from 'node:url';
import { addMonths, formatPounds, presetScheme } from 'recovery-pbr';
import { forecastIncomeFrom, paymentRun, type IncomeForecast, type ProjectedJourneys } from 'recovery-pbr/modelling';
import { readDataset } from 'recovery-pbr/node';

/** Plain string order (ids and band labels here are ASCII, so this is code point order). */
const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** What the provider example computes. */
export interface ProviderReport {
  provider: string;
  projected: ProjectedJourneys[];
  forecast: IncomeForecast;
  text: string;
}

/**
 * Forecasts next year's income for a provider (default: the one with most journeys), projecting
 * each quarter's new journeys per band as the quarterly average of the last year of starts in the data.
 * @example const report = await providerExample('examples/demo', '2015-03-31');
 */
export async function providerExample(dir = 'examples/demo', asOf = '2015-03-31', providerId?: string): Promise<ProviderReport> {
  const { data } = await readDataset(dir);
  const scheme = presetScheme('national-model-2012');
  const run = paymentRun(data, scheme, { asOf });

  // The last year of starts in the data (the year to the latest journey start), per provider and
  // band; a journey is the provider's when its first episode is.
  let latest = '';
  for (const c of run.clients) for (const j of c.journeys) if (j.start_date > latest) latest = j.start_date;
  const yearAgo = addMonths(latest, -12);
  const starts = new Map<string, Map<string, number>>();
  for (const c of run.clients) {
    for (const j of c.journeys) {
      if (j.start_date <= yearAgo || j.tariff_band === undefined) continue;
      const p = j.first_episode.provider_id;
      const byBand = starts.get(p) ?? new Map<string, number>();
      byBand.set(j.tariff_band, (byBand.get(j.tariff_band) ?? 0) + 1);
      starts.set(p, byBand);
    }
  }
  const total = (p: string) => [...(starts.get(p)?.values() ?? [])].reduce((s, n) => s + n, 0);
  const provider = providerId ?? [...starts.keys()].sort((a, b) => total(b) - total(a) || byText(a, b))[0];
  if (provider === undefined) throw new Error(`no banded journeys in the data as of ${asOf}`);

  // Next year: four quarters, each with a quarter of last year's starts per band (rounded down).
  const projected: ProjectedJourneys[] = [];
  for (const [band, n] of [...(starts.get(provider) ?? new Map<string, number>())].sort((a, b) => byText(a[0], b[0]))) {
    for (let q = 1; q <= 4; q++) projected.push({ quarter: q, band, count: Math.floor(n / 4) });
  }
  const forecast = forecastIncomeFrom({ clients: run.clients }, scheme, { provider, asOf, journeys: projected, seed: 2014 });

  const lines = forecast.quarters.map((q) => `  Q${q.quarter} from ${q.start}: expected ${formatPounds(q.expected)} (P10 ${formatPounds(q.p10)}, P90 ${formatPounds(q.p90)})`);
  const text =
    `Income forecast for ${provider}: ${forecast.pipeline.pending} outcomes pending at ${asOf} and ${projected.reduce((s, p) => s + p.count, 0)} new journeys starting in the next four quarters (shown until the slowest outcome lands)\n` +
    lines.join('\n') +
    `\n  total: expected ${formatPounds(forecast.total.expected)} (P10 ${formatPounds(forecast.total.p10)}, P90 ${formatPounds(forecast.total.p90)}), of which ${formatPounds(forecast.total.pipeline)} from the pending outcomes\n` +
    forecast.assumptions.notes.map((n) => `  note: ${n}\n`).join('') +
    forecast.caveats.map((c) => `  caveat: ${c}\n`).join('');
  return { provider, projected, forecast, text };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [dir, asOf, provider] = process.argv.slice(2);
  providerExample(dir, asOf, provider).then((r) => process.stdout.write(r.text));
}
