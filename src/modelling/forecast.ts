/**
 * Income forecast for one provider: the income still to come from outcomes pending at asOf (the
 * pipeline), plus that of projected new journeys per quarter and band, from the outcome rates and
 * delays observed in a run (or supplied), per quarter with a P10–P90 band.
 *
 * Model (documented so a provider can check it by hand; {@link FORECAST_CAVEATS} says it in the output):
 * - New journeys: each starts on a day drawn uniformly from its quarter and earns the attachment
 *   price of its band that day. For each priced outcome it meets the outcome with probability
 *   rate[outcome][band], independently of its other outcomes. Observed rate = met ÷ decided (met,
 *   not_met, not_eligible) among the provider's journeys of that band (journeys whose first episode
 *   is theirs, R-JNY-4); pending decisions are left out (censored). Without any decided journey of
 *   that band at the provider, all providers' journeys of the band are used; then 0.
 * - A met outcome is paid on start + lag, the lag drawn from the observed delays between journey
 *   start and achieved_on of that outcome (the provider's met decisions, else all providers').
 *   Sustainment payments (R-OUT-5) come with the same observed decision: each at its own observed
 *   delay after journey start. Supplied lags replace the observed ones (no sustainment then).
 * - The pipeline: every outcome pending at asOf that would be paid to the provider (the decision's
 *   provider, R-JNY-4), on journeys in treatment or in a follow-up window. Its journey started t
 *   days before asOf and its outcome was still undecided then, so its rate is met ÷ decided among
 *   the observed journeys of that outcome and band whose decision came more than t days after
 *   their start (the provider's, else all providers'; supplied rates replace it). It is counted on
 *   its due date when it has one (it is decided then at the latest, and paid then at the latest);
 *   otherwise (waiting on the end of treatment) on start + a delay drawn from the observed delays
 *   longer than t. With no observed journey that late, it is left out and counted in the notes.
 * - Items outside the contract (R-PAY-8) are not paid. Fixed instalments of the provider's contract
 *   are added as they fall. Caps (R-PAY-4) are applied per simulation and contract year at quarter
 *   level, starting from what the provider has already been paid in the current contract year in
 *   the observed run. Cohort payments are not forecast.
 * - Quarters shown: by default long enough for the slowest outcome to land — the last projected
 *   quarter plus the longest observed delay, and every pending outcome's due date or longest
 *   delay — up to the contract end, at most {@link MAX_DEFAULT_QUARTERS}.
 * - `simulations` seeded runs (default 2000, seed 1) give P10, P50 and P90 per quarter (nearest
 *   rank) and of the horizon total; `expected` is the exact expectation (gross of caps), `mean`
 *   the simulated mean (net of caps). Money is summed in whole pence (BigInt), never JS numbers.
 *
 * The inputs are compact summaries ({@link ObservedOutcomes}, {@link PayableSummary}) that can be
 * gathered client by client and merged ({@link forecastTally}); {@link forecastIncomeFrom} builds
 * them from the engine's results in one call.
 * @module
 */
import { addDays, addMonths, compareCodePoint, fromDayNumber, periodStart, toDayNumber, type IsoDate } from '../calendar/index.js';
import { RecoveryPbrError } from '../errors.js';
import { evaluateDataset } from '../engine/index.js';
import { Dec, ZERO, decimal, fromPence, money, roundToPenny, toPence, type Decimal, type DecimalInput } from '../money/amount.js';
import { contractCalendar, contractYearOf, fixedItems, termsFor } from '../payments/index.js';
import type { ClientOutcomes, PaymentInput } from '../payments/types.js';
import type { Dataset } from '../schema/dataset.js';
import type { Scheme } from '../schema/scheme/index.js';
import { observationTally, type DelayProfile, type ObservationJson, type ObservedOutcomes } from './observations.js';
import { payableSummaryTally, type PayableSummary, type PayableSummaryJson } from './payables.js';
import { seededRandom } from './random.js';

/** Projected new journeys: `count` starts of `band` in forecast quarter `quarter` (1 = the first). */
export interface ProjectedJourneys {
  quarter: number;
  band: string;
  count: number;
}

/** Forecast settings. */
export interface ForecastOptions {
  provider: string;
  asOf: IsoDate;
  /** Projected new journeys (none: the forecast is the pipeline and fixed instalments only). */
  journeys: readonly ProjectedJourneys[];
  /** First day of quarter 1 (default: the first contract quarter starting after asOf). */
  start?: IsoDate;
  /** Quarters shown (default: long enough for the slowest outcome to land; see the module notes). */
  quarters?: number;
  /** Simulated runs (default 2000). */
  simulations?: number;
  /** Seed of the simulation (default 1): the same seed gives the same forecast. */
  seed?: number;
  /** Supplied rates, outcome → band → rate (0–1); they replace the observed ones (pipeline included). */
  rates?: Readonly<Record<string, Readonly<Record<string, DecimalInput>>>>;
  /** Supplied delays in days from journey start to the outcome, outcome → list (drawn uniformly). */
  lags?: Readonly<Record<string, readonly number[]>>;
  /** Use all providers' observations, not the provider's own first. */
  pooled?: boolean;
}

/** Where an assumption came from. */
export type AssumptionSource = 'provider' | 'all providers' | 'supplied' | 'none';

/** A rate the forecast assumed for new journeys, and where it came from. */
export interface RateAssumption {
  outcome_id: string;
  band: string;
  rate: Decimal;
  source: AssumptionSource;
  met: number;
  decided: number;
}

/** The delays the forecast assumed for an outcome. */
export interface LagAssumption {
  outcome_id: string;
  source: AssumptionSource;
  observations: number;
  /** Median, P10 and P90 of the delay in days (nearest rank); undefined when none. */
  p10_days: number | undefined;
  median_days: number | undefined;
  p90_days: number | undefined;
}

/** The provider's outcomes pending at asOf, per outcome and band: what they are expected to bring. */
export interface PipelineRow {
  outcome_id: string;
  band: string;
  /** Outcomes pending at asOf. */
  pending: number;
  /** Of those, with a due date (in a follow-up window, or waiting on a gateway with a known date). */
  with_due_date: number;
  /** Earliest and latest due date. */
  first_due: IsoDate | undefined;
  last_due: IsoDate | undefined;
  /** Left out: no observed journey of that outcome and band was still undecided that long after its start. */
  left_out: number;
  /** Expected number met (Σ of each outcome's rate): expected_met ÷ (pending − left_out) is the average rate. */
  expected_met: Decimal;
  /** Where the rates came from (several when some pending outcomes fell back to all providers). */
  sources: AssumptionSource[];
  /** Expected income in the quarters shown (outcome and sustainment payments, gross of caps), to the penny. */
  expected: Decimal;
}

/** The pipeline: outcomes pending at asOf and their expected income. */
export interface Pipeline {
  rows: PipelineRow[];
  pending: number;
  left_out: number;
  /** Pending outcomes of the provider that cannot be paid: no band, or a band the tariff does not price. */
  unpriced: number;
  /** Expected income in the quarters shown, gross of caps. */
  expected: Decimal;
  /** Expected income landing after asOf but before quarter 1 (not in the quarters shown). */
  before_start: Decimal;
}

/** Income in one forecast quarter. */
export interface ForecastQuarter {
  quarter: number;
  start: IsoDate;
  end: IsoDate;
  /** Projected journey starts in the quarter. */
  journeys: number;
  /** Fixed instalments falling in the quarter. */
  fixed: Decimal;
  /** Exact expected income from outcomes pending at asOf (included in `expected`), gross of caps, to the penny. */
  pipeline: Decimal;
  /** Exact expected income (fixed and pipeline included), gross of caps, to the penny (half up). */
  expected: Decimal;
  /** Simulated mean, net of caps, to the penny. */
  mean: Decimal;
  p10: Decimal;
  p50: Decimal;
  p90: Decimal;
}

/** How many quarters are shown and why. */
export interface ForecastHorizon {
  quarters: number;
  /** `given` (the quarters option) or `default`. */
  chosen: 'given' | 'default';
  /** Why this many, in a sentence. */
  reason: string;
  /** Expected income (new journeys and pipeline, gross of caps) that lands after the last quarter shown. */
  beyond: Decimal;
}

/** An income forecast. */
export interface IncomeForecast {
  provider: string;
  asOf: IsoDate;
  seed: number;
  simulations: number;
  horizon: ForecastHorizon;
  quarters: ForecastQuarter[];
  /**
   * The horizon total: expected, pipeline and fixed are the sums of the quarters' figures (each
   * rounded to the penny); mean and percentiles are of the simulated totals (not sums of quarterly
   * percentiles).
   */
  total: { expected: Decimal; mean: Decimal; p10: Decimal; p50: Decimal; p90: Decimal; pipeline: Decimal; fixed: Decimal };
  pipeline: Pipeline;
  assumptions: { rates: RateAssumption[]; lags: LagAssumption[]; notes: string[] };
  /** What the model leaves out or simplifies (always the same list, see {@link FORECAST_CAVEATS}). */
  caveats: readonly string[];
}

/** The summaries a forecast reads: what the run observed, and its payable items (for the caps). */
export interface ForecastInput {
  observations: ObservedOutcomes;
  payables: PayableSummary;
}

/** Quarters shown at most by default (10 years). */
export const MAX_DEFAULT_QUARTERS = 40;

/** The model's caveats, printed with every forecast (text and JSON). */
export const FORECAST_CAVEATS: readonly string[] = [
  "Outcomes of a journey are drawn independently of each other, although gateways and shared causes make them go together: the P10–P90 band is probably too narrow.",
  'Rates and delays are those observed in the data up to asOf. Outcomes still pending are left out of them, so slow outcomes of recent journeys are under-represented (right-censoring), and the future is assumed to behave like the past.',
  "An outcome pending at asOf gets the rate of observed journeys whose decision came later than its own journey has run so far. That rate does not know what the journey has already achieved (an outcome waiting out a follow-up window after a successful completion is likelier to be met than the rate says), so the pipeline is probably understated. It is counted on its due date when it has one (its payments.csv period is that of achieved_on, which may be earlier), otherwise after a delay drawn from the observed delays longer than the time already run.",
  'New journeys start on days spread evenly over their quarter; the number of journeys projected is taken as certain.',
  'Cohort payments, and sustainment payments still to come on outcomes met by asOf, are not forecast; unbanded journeys are not paid.',
  'Caps are applied per contract year at quarter level in the simulation (mean and percentiles); the expected values are before caps.',
  "The scheme's prices and contract are assumed to hold for the whole horizon.",
];

/** A delay list with cumulative counts: sampling by index gives each observation equal weight. */
interface DelayList {
  profiles: DelayProfile[];
  /** cum[i] = observations before profile i; cum[n] = total. */
  cum: number[];
  total: number;
}

function delayList(profiles: DelayProfile[]): DelayList {
  const cum = [0];
  for (const p of profiles) cum.push(cum[cum.length - 1]! + p.count);
  return { profiles, cum, total: cum[cum.length - 1]! };
}

/** Index of the first profile whose lag is more than `t` days (profiles are sorted by lag). */
function firstLaterThan(list: DelayList, t: number): number {
  let lo = 0;
  let hi = list.profiles.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list.profiles[mid]!.lag > t) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** The profile of observation number `u` (0 ≤ u < total). */
function profileAt(list: DelayList, u: number): DelayProfile {
  let lo = 0;
  let hi = list.profiles.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (list.cum[mid]! <= u) lo = mid;
    else hi = mid - 1;
  }
  return list.profiles[lo]!;
}

/** Decisions by days from journey start, with the met and decided counts after each day. */
interface DecisionCurve {
  days: number[];
  /** metFrom[i] = met decisions on days[i] or later; metFrom[n] = 0. */
  metFrom: number[];
  decidedFrom: number[];
}

function decisionCurve(byDay: ReadonlyMap<number, readonly [number, number]> | undefined): DecisionCurve {
  const entries = [...(byDay ?? [])].sort((a, b) => a[0] - b[0]);
  const n = entries.length;
  const metFrom = new Array<number>(n + 1).fill(0);
  const decidedFrom = new Array<number>(n + 1).fill(0);
  for (let i = n - 1; i >= 0; i--) {
    metFrom[i] = metFrom[i + 1]! + entries[i]![1][0];
    decidedFrom[i] = decidedFrom[i + 1]! + entries[i]![1][1];
  }
  return { days: entries.map((e) => e[0]), metFrom, decidedFrom };
}

/** [met, decided] among decisions taken more than `t` days after journey start (all of them for t < 0). */
function decidedAfter(c: DecisionCurve, t: number): [number, number] {
  let lo = 0;
  let hi = c.days.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (c.days[mid]! > t) hi = mid;
    else lo = mid + 1;
  }
  return [c.metFrom[lo]!, c.decidedFrom[lo]!];
}

function nearestRank<T>(sorted: readonly T[], p: number): T {
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** Nearest-rank percentile of a counted, sorted list of values. */
function countedRank(values: readonly { v: number; n: number }[], total: number, p: number): number {
  const rank = Math.max(1, Math.ceil((p / 100) * total));
  let seen = 0;
  for (const x of values) {
    seen += x.n;
    if (seen >= rank) return x.v;
  }
  return values[values.length - 1]!.v;
}

const optionsError = (message: string) => new RecoveryPbrError('options', message);

/**
 * Parses projected journeys written `Q1:1=20,2=10;Q2:1=25` (quarter: band=count, …; quarters
 * separated by `;` or spaces).
 * @example parseProjectedJourneys('Q1:1=20,2=10;Q2:1=25') // [{ quarter: 1, band: '1', count: 20 }, …]
 */
export function parseProjectedJourneys(text: string): ProjectedJourneys[] {
  const out: ProjectedJourneys[] = [];
  for (const part of text.split(/[;\s]+/).filter(Boolean)) {
    const m = /^Q(\d+):(.+)$/i.exec(part);
    if (!m) throw optionsError(`'${part}' is not a quarter of projected journeys; write it like Q1:1=20,2=10`);
    for (const pair of m[2]!.split(',').filter(Boolean)) {
      const pm = /^([^=]+)=(\d+)$/.exec(pair.trim());
      if (!pm) throw optionsError(`'${pair}' in '${part}' is not band=count (e.g. 2=10)`);
      out.push({ quarter: Number(m[1]), band: pm[1]!.trim(), count: Number(pm[2]) });
    }
  }
  return out;
}

/** What a forecast reads, gathered client by client and mergeable (see {@link forecastTally}). */
export interface ForecastTally {
  addClient(client: ClientOutcomes): void;
  merge(other: ForecastTallyJson): void;
  toJSON(): ForecastTallyJson;
  result(): ForecastInput;
}

/** A {@link ForecastTally} as plain data. */
export interface ForecastTallyJson {
  observations: ObservationJson;
  payables: PayableSummaryJson;
}

/**
 * A tally of what a forecast reads (observations and payable items), to which clients are added
 * one at a time; tallies of parts of the clients merge to that of all of them.
 * @example
 * const t = forecastTally(scheme, '2015-03-31');
 * for (const c of clients) t.addClient(c);
 * forecastFromSummaries(t.result(), scheme, { provider: 'P1', asOf: '2015-03-31', journeys: [] });
 */
export function forecastTally(scheme: Scheme, asOf: IsoDate): ForecastTally {
  const observations = observationTally(scheme.tariff?.defaultBand, asOf);
  const payables = payableSummaryTally(scheme, asOf);
  return {
    addClient(c) {
      observations.addClient(c);
      payables.addClient(c);
    },
    merge(o) {
      observations.merge(o.observations);
      payables.merge(o.payables);
    },
    toJSON: () => ({ observations: observations.toJSON(), payables: payables.toJSON() }),
    result: () => ({ observations: observations.result(), payables: payables.result() }),
  };
}

/**
 * Forecasts a provider's income from the outcome engine's results of a run (pure; see the module
 * notes for the model).
 * @example forecastIncomeFrom({ clients }, scheme, { provider: 'P1', asOf: '2014-03-31', journeys: [{ quarter: 1, band: '2', count: 30 }] })
 */
export function forecastIncomeFrom(input: PaymentInput, scheme: Scheme, options: ForecastOptions): IncomeForecast {
  const t = forecastTally(scheme, options.asOf);
  for (const c of input.clients) t.addClient(c);
  return forecastFromSummaries(t.result(), scheme, options);
}

/**
 * Runs the scheme on a dataset and forecasts a provider's income.
 * @example forecastIncome(data, scheme, { provider: 'P1', asOf: '2014-03-31', journeys: parseProjectedJourneys('Q1:1=20,2=10') })
 */
export function forecastIncome(data: Dataset, scheme: Scheme, options: ForecastOptions): IncomeForecast {
  return forecastIncomeFrom(evaluateDataset(data, scheme, { asOf: options.asOf }), scheme, options);
}

/**
 * Forecasts a provider's income from summaries of a run (pure; see the module notes for the model).
 * @example forecastFromSummaries(forecastTally(scheme, asOf).result(), scheme, { provider: 'P1', asOf, journeys: [] })
 */
export function forecastFromSummaries(input: ForecastInput, scheme: Scheme, options: ForecastOptions): IncomeForecast {
  const tariff = scheme.tariff;
  if (!tariff) throw optionsError('the scheme has no tariff, so a forecast has no prices');
  const { provider, asOf } = options;
  const { observations: obs, payables } = input;
  if (obs.asOf !== asOf || payables.asOf !== asOf) throw optionsError(`the summaries are as of ${obs.asOf}, the forecast as of ${asOf}: they must be the same day`);
  const seed = options.seed ?? 1;
  const simulations = options.simulations ?? 2000;
  if (!Number.isInteger(simulations) || simulations < 1) throw optionsError('simulations must be a whole number ≥ 1');
  if (!Number.isInteger(seed) || seed < 0) throw optionsError('the seed must be a whole number ≥ 0');
  const notes: string[] = [];
  for (const p of options.journeys) {
    if (!Number.isInteger(p.quarter) || p.quarter < 1) throw optionsError(`quarter ${p.quarter} is not 1 or later`);
    if (!Number.isInteger(p.count) || p.count < 0) throw optionsError(`journey count ${p.count} is not a whole number ≥ 0`);
    if (!tariff.bands.includes(p.band)) throw optionsError(`band '${p.band}' is not one of the tariff's bands (${tariff.bands.join(', ')})`);
  }
  if (options.quarters !== undefined && (!Number.isInteger(options.quarters) || options.quarters < 1)) throw optionsError('quarters must be a whole number ≥ 1');
  const cal = contractCalendar(scheme.contract);
  const asOfDay = toDayNumber(asOf);
  const dayAfter = addDays(asOf, 1);
  let q1 = options.start ?? periodStart(dayAfter, cal.anchor, 3);
  if (options.start === undefined && q1 < dayAfter) q1 = addMonths(q1, 3);
  const q1Day = toDayNumber(q1);
  const lastProjected = Math.max(0, ...options.journeys.map((p) => p.quarter));
  const startDay = cal.start === undefined ? -Infinity : toDayNumber(cal.start);
  const endDay = cal.end === undefined ? Infinity : toDayNumber(cal.end);
  const paidOn = (d: number) => d >= startDay && d <= endDay;

  // Observations: all providers' as the sum of each provider's.
  const SEP = '\u0000';
  const allDecided = new Map<string, Map<number, [number, number]>>();
  for (const [k, byDay] of obs.decided) {
    const ob = k.slice(k.indexOf(SEP) + 1);
    let m = allDecided.get(ob);
    if (!m) allDecided.set(ob, (m = new Map()));
    for (const [d, [met, n]] of byDay) {
      const v = m.get(d);
      if (v) {
        v[0] += met;
        v[1] += n;
      } else m.set(d, [met, n]);
    }
  }
  const allDelays = new Map<string, Map<string, DelayProfile>>();
  for (const [k, list] of obs.delays) {
    const o = k.slice(k.indexOf(SEP) + 1);
    let m = allDelays.get(o);
    if (!m) allDelays.set(o, (m = new Map()));
    for (const p of list) {
      const pk = `${p.lag}:${p.sustainment.join(',')}`;
      const v = m.get(pk);
      if (v) v.count += p.count;
      else m.set(pk, { lag: p.lag, sustainment: p.sustainment, count: p.count });
    }
  }
  const sortProfiles = (list: DelayProfile[]) => list.sort((a, b) => a.lag - b.lag || compareCodePoint(a.sustainment.join(','), b.sustainment.join(',')));
  const curves = new Map<string, DecisionCurve>();
  const curveOf = (own: boolean, o: string, b: string): DecisionCurve => {
    const k = `${own ? provider : ''}${SEP}${o}${SEP}${b}`;
    let c = curves.get(k);
    if (!c) curves.set(k, (c = decisionCurve(own ? obs.decided.get(`${provider}${SEP}${o}${SEP}${b}`) : allDecided.get(`${o}${SEP}${b}`))));
    return c;
  };

  const outcomes = [...new Set([...Object.keys(tariff.outcomes), ...Object.keys(tariff.sustainment)])].sort(compareCodePoint);
  const bands = [...new Set(options.journeys.map((p) => p.band))].sort(compareCodePoint);
  const supplied = (o: string, b: string): Decimal | undefined => {
    const s = options.rates?.[o]?.[b];
    if (s === undefined) return undefined;
    const r = decimal(s);
    if (r.isNegative() || r.greaterThan(1)) throw optionsError(`rate for ${o} band ${b} must be between 0 and 1`);
    return r;
  };

  // Rates of new journeys.
  const rates: RateAssumption[] = [];
  const rateOf = new Map<string, Decimal>();
  for (const o of outcomes) {
    for (const b of bands) {
      const s = supplied(o, b);
      let a: RateAssumption;
      if (s !== undefined) a = { outcome_id: o, band: b, rate: s, source: 'supplied', met: 0, decided: 0 };
      else {
        const own: [number, number] = options.pooled ? [0, 0] : decidedAfter(curveOf(true, o, b), -Infinity);
        const all = decidedAfter(curveOf(false, o, b), -Infinity);
        const [src, v] = own[1] > 0 ? (['provider', own] as const) : all[1] > 0 ? (['all providers', all] as const) : (['none', [0, 0]] as const);
        a = { outcome_id: o, band: b, rate: v[1] === 0 ? ZERO : new Dec(v[0]).dividedBy(v[1]), source: src, met: v[0], decided: v[1] };
        if (src === 'none') notes.push(`No decided journeys of band ${b} for ${o}: its rate is taken as 0.`);
        else if (src === 'all providers' && !options.pooled) notes.push(`${provider} has no decided journeys of band ${b} for ${o}: all providers' rate is used.`);
      }
      rates.push(a);
      rateOf.set(`${o}${SEP}${b}`, a.rate);
    }
  }

  // Delays: supplied, the provider's, or all providers'.
  const lagLists = new Map<string, { own: DelayList; all: DelayList; supplied: DelayList | undefined }>();
  for (const o of outcomes) {
    const s = options.lags?.[o];
    let sup: DelayList | undefined;
    if (s !== undefined) {
      if (s.length === 0 || s.some((d) => !Number.isInteger(d) || d < 0)) throw optionsError(`lags for ${o} must be whole numbers of days ≥ 0`);
      const counts = new Map<number, number>();
      for (const d of s) counts.set(d, (counts.get(d) ?? 0) + 1);
      sup = delayList([...counts].sort((a, b) => a[0] - b[0]).map(([lag, count]) => ({ lag, sustainment: [], count })));
    }
    lagLists.set(o, {
      own: delayList(options.pooled ? [] : sortProfiles([...(obs.delays.get(`${provider}${SEP}${o}`) ?? [])])),
      all: delayList(sortProfiles([...(allDelays.get(o)?.values() ?? [])])),
      supplied: sup,
    });
  }
  const lags: LagAssumption[] = [];
  const newJourneyLags = new Map<string, DelayList>();
  for (const o of outcomes) {
    const l = lagLists.get(o)!;
    let [source, list]: [AssumptionSource, DelayList] = l.supplied ? ['supplied', l.supplied] : l.own.total > 0 ? ['provider', l.own] : l.all.total > 0 ? ['all providers', l.all] : ['none', l.all];
    if (list.total === 0 && bands.some((b) => rateOf.get(`${o}${SEP}${b}`)!.greaterThan(0))) {
      notes.push(`No observed delay for ${o}: new journeys are assumed paid on their start day.`);
      list = delayList([{ lag: 0, sustainment: [], count: 1 }]);
    }
    newJourneyLags.set(o, list);
    const values = list.profiles.map((p) => ({ v: p.lag, n: p.count }));
    lags.push({
      outcome_id: o,
      source,
      observations: source === 'none' ? 0 : list.total,
      p10_days: list.total ? countedRank(values, list.total, 10) : undefined,
      median_days: list.total ? countedRank(values, list.total, 50) : undefined,
      p90_days: list.total ? countedRank(values, list.total, 90) : undefined,
    });
  }

  // Prices in pence.
  const rounding = tariff.rounding;
  const pence = (table: Record<string, string> | undefined, b: string) => (table?.[b] === undefined ? 0n : toPence(roundToPenny(money(table[b]!), rounding)));
  const covers = new Set<string>(scheme.contract?.capCovers ?? []);

  // The pipeline: the provider's pending outcomes, each with its rate and how it lands.
  interface PipelinePlan {
    outcome: string;
    band: string;
    count: number;
    rate: Decimal;
    startDay: number;
    dueDay: number | undefined;
    /** Delays to draw from: list.profiles[from..] (undefined: paid on the due date, no sustainment). */
    list: DelayList | undefined;
    from: number;
  }
  const plans: PipelinePlan[] = [];
  const rows = new Map<string, PipelineRow>();
  let pendingTotal = 0;
  let leftOut = 0;
  let unpriced = 0;
  const bandSet = new Set(tariff.bands);
  const priced = new Set(outcomes);
  for (const g of obs.pending) {
    if (g.provider_id !== provider || !priced.has(g.outcome_id)) continue;
    const o = g.outcome_id;
    const b = g.tariff_band;
    if (!bandSet.has(b) || (tariff.outcomes[o]?.[b] === undefined && tariff.sustainment[o]?.[b] === undefined)) {
      unpriced += g.count;
      continue;
    }
    pendingTotal += g.count;
    const rk = `${o}${SEP}${b}`;
    let row = rows.get(rk);
    if (!row) {
      rows.set(rk, (row = { outcome_id: o, band: b, pending: 0, with_due_date: 0, first_due: undefined, last_due: undefined, left_out: 0, expected_met: ZERO, sources: [], expected: ZERO }));
    }
    row.pending += g.count;
    if (g.due_on !== undefined) {
      row.with_due_date += g.count;
      if (row.first_due === undefined || g.due_on < row.first_due) row.first_due = g.due_on;
      if (row.last_due === undefined || g.due_on > row.last_due) row.last_due = g.due_on;
    }
    const start = toDayNumber(g.start);
    const t = asOfDay - start;
    // Rate among journeys still undecided t days after their start.
    let rate: Decimal | undefined = supplied(o, b);
    let source: AssumptionSource = 'supplied';
    if (rate === undefined) {
      const own: [number, number] = options.pooled ? [0, 0] : decidedAfter(curveOf(true, o, b), t);
      const all = decidedAfter(curveOf(false, o, b), t);
      if (own[1] > 0) [rate, source] = [new Dec(own[0]).dividedBy(own[1]), 'provider'];
      else if (all[1] > 0) [rate, source] = [new Dec(all[0]).dividedBy(all[1]), 'all providers'];
    }
    // How it lands: on its due date, or after a delay longer than t.
    const l = lagLists.get(o)!;
    const candidates = l.supplied ? [l.supplied] : [l.own, l.all];
    let list: DelayList | undefined;
    let from = 0;
    for (const c of candidates) {
      const i = firstLaterThan(c, t);
      if (i < c.profiles.length) {
        [list, from] = [c, i];
        break;
      }
    }
    if (rate === undefined || (g.due_on === undefined && list === undefined && rate.greaterThan(0))) {
      row.left_out += g.count;
      leftOut += g.count;
      continue;
    }
    if (!row.sources.includes(source)) row.sources.push(source);
    row.expected_met = row.expected_met.plus(rate.times(g.count));
    const hasSustainment = tariff.sustainment[o]?.[b] !== undefined;
    plans.push({
      outcome: o,
      band: b,
      count: g.count,
      rate,
      startDay: start,
      dueDay: g.due_on === undefined ? undefined : toDayNumber(g.due_on),
      list: g.due_on === undefined || hasSustainment ? list : undefined,
      from,
    });
  }
  if (leftOut > 0) {
    notes.push(
      `${leftOut} pending outcome${leftOut === 1 ? '' : 's'} of ${provider} left out: no observed journey of that outcome and band was still undecided that long after its start, so neither a rate nor a delay can be drawn.`,
    );
  }
  if (unpriced > 0) notes.push(`${unpriced} pending outcome${unpriced === 1 ? '' : 's'} of ${provider} cannot be paid: no band, or a band the tariff does not price (R-PAY-2).`);

  // How many quarters: given, or long enough for the slowest outcome to land.
  const lastProjectedEnd = toDayNumber(addMonths(q1, 3 * lastProjected)) - 1;
  let latest = Math.max(lastProjectedEnd, q1Day);
  const maxOffset = (p: DelayProfile) => Math.max(p.lag, ...p.sustainment);
  let slowest: string | undefined;
  if (options.journeys.some((p) => p.count > 0)) {
    for (const o of outcomes) {
      if (!bands.some((b) => rateOf.get(`${o}${SEP}${b}`)!.greaterThan(0))) continue;
      for (const p of newJourneyLags.get(o)!.profiles) {
        if (lastProjectedEnd + maxOffset(p) > latest) [latest, slowest] = [lastProjectedEnd + maxOffset(p), `${o} after ${maxOffset(p)} days`];
      }
    }
  }
  for (const pl of plans) {
    if (pl.rate.isZero()) continue;
    let last = pl.dueDay ?? -Infinity;
    if (pl.list) {
      for (let i = pl.from; i < pl.list.profiles.length; i++) {
        const p = pl.list.profiles[i]!;
        last = Math.max(last, pl.dueDay === undefined ? pl.startDay + maxOffset(p) : pl.dueDay + maxOffset(p) - p.lag);
      }
    }
    if (last > latest) [latest, slowest] = [last, `a pending ${pl.outcome} (${pl.dueDay === undefined ? 'in treatment' : `due ${fromDayNumber(pl.dueDay)}`})`];
  }
  let nQ: number;
  let reason: string;
  if (options.quarters !== undefined) {
    nQ = options.quarters;
    reason = `${nQ} quarter${nQ === 1 ? '' : 's'}, as asked`;
  } else {
    const until = Math.min(latest, endDay);
    nQ = 1;
    while (toDayNumber(addMonths(q1, 3 * nQ)) <= until && nQ < MAX_DEFAULT_QUARTERS) nQ += 1;
    nQ = Math.max(nQ, Math.min(lastProjected, MAX_DEFAULT_QUARTERS));
    reason =
      latest > endDay
        ? `up to the contract end (${cal.end})`
        : slowest
          ? `until the slowest outcome lands: ${slowest}, on ${fromDayNumber(latest)}`
          : lastProjected > 0
            ? 'until the last projected quarter'
            : 'one quarter: nothing projected or pending lands later';
    if (toDayNumber(addMonths(q1, 3 * nQ)) <= until) reason += `; cut at ${MAX_DEFAULT_QUARTERS} quarters`;
  }
  if (lastProjected > nQ) throw optionsError(`journeys are projected in quarter ${lastProjected}, beyond the ${nQ} quarters shown`);
  const qStart = Array.from({ length: nQ + 1 }, (_, k) => addMonths(q1, 3 * k));
  const qDay = qStart.map(toDayNumber);
  const horizonEndDay = qDay[nQ]! - 1;
  const quarterOfDay = (d: number): number => {
    if (d < qDay[0]! || d > horizonEndDay) return -1;
    let lo = 0;
    let hi = nQ - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (qDay[mid]! <= d) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  };

  // Price slots: attachment[b], outcome[o][b], sustainment[o][b].
  interface Slot {
    pence: bigint;
    capped: boolean;
  }
  const slots: Slot[] = [];
  const slot = (p: bigint, type: string) => {
    slots.push({ pence: p, capped: covers.has(type) });
    return slots.length - 1;
  };
  const allBands = [...new Set([...bands, ...plans.map((p) => p.band)])].sort(compareCodePoint);
  const attSlot = new Map(allBands.map((b) => [b, slot(pence(tariff.attachment, b), 'attachment')]));
  const outSlot = new Map<string, number>();
  const susSlot = new Map<string, number>();
  for (const o of outcomes) {
    for (const b of allBands) {
      outSlot.set(`${o}${SEP}${b}`, slot(pence(tariff.outcomes[o], b), 'outcome'));
      susSlot.set(`${o}${SEP}${b}`, slot(pence(tariff.sustainment[o], b), 'sustainment'));
    }
  }

  // Fixed instalments and caps.
  const fixedPence = new Array<bigint>(nQ).fill(0n);
  for (const it of fixedItems(scheme.contract, [provider], fromDayNumber(horizonEndDay), rounding)) {
    if (it.provider_id !== provider) continue;
    const k = quarterOfDay(toDayNumber(it.payable_on));
    if (k >= 0) fixedPence[k]! += toPence(it.amount);
  }
  const capValue = termsFor(scheme.contract, provider)?.cap;
  const cap = capValue === undefined ? undefined : toPence(money(capValue));
  const yearOfQuarter = qStart.slice(0, nQ).map((d) => contractYearOf(cal, d));
  const usedBefore = new Map<string, bigint>();
  if (cap !== undefined) {
    // What the cap already paid in each contract year: min(cap, Σ items it covers), whatever their order.
    const sums = new Map<string, bigint>();
    for (const it of payables.capped) if (it.provider_id === provider) sums.set(it.contract_year, (sums.get(it.contract_year) ?? 0n) + toPence(it.amount));
    for (const [y, s] of sums) usedBefore.set(y, s < cap ? s : cap);
  }

  // Simulation.
  const rng = seededRandom(seed);
  const perQuarter: bigint[][] = Array.from({ length: nQ }, () => []);
  const totals: bigint[] = [];
  const width = slots.length;
  const counts = new Int32Array(nQ * width);
  const projected = [...options.journeys].sort((a, b) => a.quarter - b.quarter || compareCodePoint(a.band, b.band) || a.count - b.count);
  const newPlans = projected.map((p) => ({
    p,
    att: attSlot.get(p.band)!,
    outcomes: outcomes
      .map((o) => {
        const k = `${o}${SEP}${p.band}`;
        return { chance: rateOf.get(k)!.toNumber(), list: newJourneyLags.get(o)!, out: outSlot.get(k)!, sus: susSlot.get(k)! };
      })
      .filter((x) => x.chance > 0 && x.list.total > 0),
  }));
  const pipePlans = plans
    .filter((p) => p.rate.greaterThan(0))
    .map((p) => ({ ...p, chance: p.rate.toNumber(), out: outSlot.get(`${p.outcome}${SEP}${p.band}`)!, sus: susSlot.get(`${p.outcome}${SEP}${p.band}`)! }));
  const add = (day: number, s: number) => {
    const k = quarterOfDay(day);
    if (k >= 0 && paidOn(day)) counts[k * width + s]! += 1;
  };
  for (let sim = 0; sim < simulations; sim++) {
    counts.fill(0);
    for (const { p, att, outcomes: earn } of newPlans) {
      const k0 = p.quarter - 1;
      const from = qDay[k0]!;
      const days = qDay[k0 + 1]! - from;
      for (let i = 0; i < p.count; i++) {
        const start = from + Math.floor(rng() * days);
        if (paidOn(start)) counts[k0 * width + att]! += 1;
        for (const e of earn) {
          if (rng() >= e.chance) continue;
          const prof = profileAt(e.list, Math.floor(rng() * e.list.total));
          add(start + prof.lag, e.out);
          for (const off of prof.sustainment) add(start + off, e.sus);
        }
      }
    }
    for (const pl of pipePlans) {
      for (let i = 0; i < pl.count; i++) {
        if (rng() >= pl.chance) continue;
        if (!pl.list) {
          add(pl.dueDay!, pl.out);
          continue;
        }
        const base = pl.list.cum[pl.from]!;
        const prof = profileAt(pl.list, base + Math.floor(rng() * (pl.list.total - base)));
        const landing = pl.dueDay ?? pl.startDay + prof.lag;
        add(landing, pl.out);
        for (const off of prof.sustainment) add(landing + off - prof.lag, pl.sus);
      }
    }
    const used = new Map(usedBefore);
    let total = 0n;
    for (let k = 0; k < nQ; k++) {
      let capped = 0n;
      let free = fixedPence[k]!;
      for (let x = 0; x < width; x++) {
        const n = counts[k * width + x]!;
        if (n === 0) continue;
        const amount = BigInt(n) * slots[x]!.pence;
        if (slots[x]!.capped) capped += amount;
        else free += amount;
      }
      if (cap !== undefined) {
        const y = yearOfQuarter[k]!;
        const u = used.get(y) ?? 0n;
        const room = cap > u ? cap - u : 0n;
        const paid = capped < room ? capped : room;
        used.set(y, u + paid);
        capped = paid;
      }
      perQuarter[k]!.push(capped + free);
      total += capped + free;
    }
    totals.push(total);
  }

  // Exact expectation (gross of caps).
  const expected = fixedPence.map((f) => fromPence(f));
  const pipelineExpected = new Array<Decimal>(nQ).fill(ZERO);
  let beyond = ZERO;
  let beforeStart = ZERO;
  const overlap = (a0: number, a1: number, b0: number, b1: number) => Math.max(0, Math.min(a1, b1) - Math.max(a0, b0) + 1);
  for (const p of options.journeys) {
    if (p.count === 0) continue;
    const k0 = p.quarter - 1;
    const from = qDay[k0]!;
    const to = qDay[k0 + 1]! - 1;
    const days = to - from + 1;
    const n = new Dec(p.count);
    const attDays = overlap(from, to, startDay, endDay);
    expected[k0] = expected[k0]!.plus(n.times(fromPence(slots[attSlot.get(p.band)!]!.pence)).times(attDays).dividedBy(days));
    for (const o of outcomes) {
      const key = `${o}${SEP}${p.band}`;
      const r = rateOf.get(key)!;
      const list = newJourneyLags.get(o)!;
      if (r.isZero() || list.total === 0) continue;
      const weight = n.times(r).dividedBy(list.total).dividedBy(days);
      const outPrice = fromPence(slots[outSlot.get(key)!]!.pence);
      const susPrice = fromPence(slots[susSlot.get(key)!]!.pence);
      for (let k = 0; k < nQ; k++) {
        const k0d = Math.max(qDay[k]!, startDay);
        const k1d = Math.min(qDay[k + 1]! - 1, endDay);
        if (k1d < k0d) continue;
        let outDays = 0;
        let susDays = 0;
        for (const prof of list.profiles) {
          outDays += prof.count * overlap(from, to, k0d - prof.lag, k1d - prof.lag);
          for (const off of prof.sustainment) susDays += prof.count * overlap(from, to, k0d - off, k1d - off);
        }
        if (outDays > 0) expected[k] = expected[k]!.plus(weight.times(outPrice).times(outDays));
        if (susDays > 0) expected[k] = expected[k]!.plus(weight.times(susPrice).times(susDays));
      }
      // What lands after the last quarter shown (inside the contract).
      let lateOut = 0;
      let lateSus = 0;
      const a0 = horizonEndDay + 1;
      const a1 = endDay;
      if (a1 >= a0) {
        for (const prof of list.profiles) {
          lateOut += prof.count * overlap(from, to, a0 - prof.lag, a1 - prof.lag);
          for (const off of prof.sustainment) lateSus += prof.count * overlap(from, to, a0 - off, a1 - off);
        }
      }
      if (lateOut > 0) beyond = beyond.plus(weight.times(outPrice).times(lateOut));
      if (lateSus > 0) beyond = beyond.plus(weight.times(susPrice).times(lateSus));
    }
  }
  for (const pl of plans) {
    if (pl.rate.isZero()) continue;
    const key = `${pl.outcome}${SEP}${pl.band}`;
    const outPrice = fromPence(slots[outSlot.get(key)!]!.pence);
    const susPrice = fromPence(slots[susSlot.get(key)!]!.pence);
    const row = rows.get(key)!;
    const land = (day: number, amount: Decimal) => {
      if (amount.isZero() || !paidOn(day)) return;
      const k = quarterOfDay(day);
      if (k >= 0) {
        pipelineExpected[k] = pipelineExpected[k]!.plus(amount);
        row.expected = row.expected.plus(amount);
      } else if (day < q1Day) beforeStart = beforeStart.plus(amount);
      else beyond = beyond.plus(amount);
    };
    const n = pl.rate.times(pl.count);
    if (!pl.list) {
      land(pl.dueDay!, n.times(outPrice));
      continue;
    }
    const span = pl.list.total - pl.list.cum[pl.from]!;
    for (let i = pl.from; i < pl.list.profiles.length; i++) {
      const prof = pl.list.profiles[i]!;
      const w = n.times(prof.count).dividedBy(span);
      const landing = pl.dueDay ?? pl.startDay + prof.lag;
      land(landing, w.times(outPrice));
      for (const off of prof.sustainment) land(landing + off - prof.lag, w.times(susPrice));
    }
  }
  for (let k = 0; k < nQ; k++) expected[k] = expected[k]!.plus(pipelineExpected[k]!);

  const stats = (values: bigint[]) => {
    const sorted = [...values].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    const sum = values.reduce((s, v) => s + v, 0n);
    return {
      mean: roundToPenny(fromPence(sum).dividedBy(values.length), 'half_up'),
      p10: fromPence(nearestRank(sorted, 10)),
      p50: fromPence(nearestRank(sorted, 50)),
      p90: fromPence(nearestRank(sorted, 90)),
    };
  };
  const quarters: ForecastQuarter[] = [];
  for (let k = 0; k < nQ; k++) {
    quarters.push({
      quarter: k + 1,
      start: qStart[k]!,
      end: addDays(qStart[k + 1]!, -1),
      journeys: options.journeys.filter((p) => p.quarter === k + 1).reduce((s, p) => s + p.count, 0),
      fixed: fromPence(fixedPence[k]!),
      pipeline: roundToPenny(pipelineExpected[k]!, 'half_up'),
      expected: roundToPenny(expected[k]!, 'half_up'),
      ...stats(perQuarter[k]!),
    });
  }
  // Totals are the sums of the quarters as shown (each rounded to the penny), so the columns add up.
  const sum = (values: Decimal[]) => values.reduce((s, v) => s.plus(v), ZERO);
  const pipelineTotal = sum(quarters.map((q) => q.pipeline));
  if (cap !== undefined) notes.push(`Caps of ${fromPence(cap).toFixed(2)} per contract year are applied in the simulation (not in the expected values).`);
  if (beforeStart.greaterThan(0)) notes.push(`£${roundToPenny(beforeStart, 'half_up').toFixed(2)} expected from pending outcomes due before quarter 1 (${q1}) is not in the quarters shown.`);
  if (roundToPenny(beyond, 'half_up').greaterThan(0)) notes.push(`£${roundToPenny(beyond, 'half_up').toFixed(2)} expected after the last quarter shown is not in the total; show more quarters to include it.`);
  const sourceOrder: AssumptionSource[] = ['supplied', 'provider', 'all providers', 'none'];
  const pipelineRows = [...rows.values()]
    .map((r) => ({ ...r, sources: sourceOrder.filter((x) => r.sources.includes(x)), expected: roundToPenny(r.expected, 'half_up') }))
    .sort((a, b) => compareCodePoint(a.outcome_id, b.outcome_id) || compareCodePoint(a.band, b.band));
  return {
    provider,
    asOf,
    seed,
    simulations,
    horizon: { quarters: nQ, chosen: options.quarters === undefined ? 'default' : 'given', reason, beyond: roundToPenny(beyond, 'half_up') },
    quarters,
    total: {
      expected: sum(quarters.map((q) => q.expected)),
      ...stats(totals),
      pipeline: pipelineTotal,
      fixed: fromPence(fixedPence.reduce((s, v) => s + v, 0n)),
    },
    pipeline: {
      rows: pipelineRows,
      pending: pendingTotal,
      left_out: leftOut,
      unpriced,
      expected: pipelineTotal,
      before_start: roundToPenny(beforeStart, 'half_up'),
    },
    assumptions: { rates, lags, notes: [...new Set(notes)] },
    caveats: FORECAST_CAVEATS,
  };
}
