/**
 * Income forecast for one provider: from projected new journeys per quarter and band, the outcome
 * rates and delays observed in a run (or supplied), the expected income per quarter with a
 * P10–P90 band.
 *
 * Model (documented so a provider can check it by hand):
 * - Each projected journey starts on a day drawn uniformly from its quarter and earns the
 *   attachment price of its band that day.
 * - For each priced outcome, the journey meets it with probability rate[outcome][band],
 *   independently of its other outcomes (gateways and shared causes make real outcomes correlate,
 *   so the band is, if anything, too narrow). Observed rate = met ÷ decided (met, not_met,
 *   not_eligible) among the provider's journeys of that band (journeys whose first episode is
 *   theirs, R-JNY-4); pending decisions are left out (censored). Without any decided journey of
 *   that band at the provider, all providers' journeys of the band are used; then 0.
 * - A met outcome is paid on start + lag, the lag drawn from the observed delays between journey
 *   start and achieved_on of that outcome (the provider's met decisions, else all providers').
 *   Sustainment payments (R-OUT-5) come with the same observed decision: each at its own observed
 *   delay after journey start. Supplied lags replace the observed ones (no sustainment then).
 * - Items after the contract end are not paid (R-PAY-8). Fixed instalments of the provider's
 *   contract are added as they fall. Caps (R-PAY-4) are applied per simulation and contract year at
 *   quarter level, starting from what the provider has already been paid in the current contract
 *   year in the observed run. Cohort payments are not forecast.
 * - `simulations` seeded runs (default 2000, seed 1) give P10, P50 and P90 per quarter (nearest
 *   rank) and of the horizon total; `expected` is the exact expectation (gross of caps), `mean`
 *   the simulated mean (net of caps). Money is summed in whole pence (BigInt), never JS numbers.
 * Income from journeys already in treatment at asOf is not part of this forecast.
 * @module
 */
import { addDays, addMonths, compareCodePoint, fromDayNumber, periodStart, toDayNumber, type IsoDate } from '../calendar/index.js';
import { Dec, ZERO, decimal, fromPence, money, roundToPenny, toPence, type Decimal, type DecimalInput } from '../money/amount.js';
import { calculatePayments, contractCalendar, contractYearOf, fixedItems, termsFor } from '../payments/index.js';
import type { PaymentInput } from '../payments/types.js';
import type { Dataset } from '../schema/dataset.js';
import type { Scheme } from '../schema/scheme/index.js';
import { seededRandom } from './random.js';
import { paymentRun } from './run.js';

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
  journeys: readonly ProjectedJourneys[];
  /** First day of quarter 1 (default: the first contract quarter starting after asOf). */
  start?: IsoDate;
  /** Quarters shown (default: the last projected quarter + 4, so late outcomes show). */
  quarters?: number;
  /** Simulated runs (default 2000). */
  simulations?: number;
  /** Seed of the simulation (default 1): the same seed gives the same forecast. */
  seed?: number;
  /** Supplied rates, outcome → band → rate (0–1); they replace the observed ones. */
  rates?: Readonly<Record<string, Readonly<Record<string, DecimalInput>>>>;
  /** Supplied delays in days from journey start to the outcome, outcome → list (drawn uniformly). */
  lags?: Readonly<Record<string, readonly number[]>>;
  /** Use all providers' observations, not the provider's own first. */
  pooled?: boolean;
}

/** A rate the forecast assumed, and where it came from. */
export interface RateAssumption {
  outcome_id: string;
  band: string;
  rate: Decimal;
  source: 'provider' | 'all providers' | 'supplied' | 'none';
  met: number;
  decided: number;
}

/** The delays the forecast assumed for an outcome. */
export interface LagAssumption {
  outcome_id: string;
  source: 'provider' | 'all providers' | 'supplied' | 'none';
  observations: number;
  /** Median, P10 and P90 of the delay in days (nearest rank); undefined when none. */
  p10_days: number | undefined;
  median_days: number | undefined;
  p90_days: number | undefined;
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
  /** Exact expected income (fixed included), gross of caps, to the penny. */
  expected: Decimal;
  /** Simulated mean, net of caps, to the penny. */
  mean: Decimal;
  p10: Decimal;
  p50: Decimal;
  p90: Decimal;
}

/** An income forecast. */
export interface IncomeForecast {
  provider: string;
  asOf: IsoDate;
  seed: number;
  simulations: number;
  quarters: ForecastQuarter[];
  /** The horizon total (its percentiles are of the total, not sums of quarterly percentiles). */
  total: { expected: Decimal; mean: Decimal; p10: Decimal; p50: Decimal; p90: Decimal };
  assumptions: { rates: RateAssumption[]; lags: LagAssumption[]; notes: string[] };
}

/** One observed met decision: delay to achieved_on and to each sustainment payment, in days. */
interface Profile {
  lag: number;
  sustainment: number[];
}

interface Observed {
  /** outcome|band → [met, decided] for the provider and for all. */
  own: Map<string, [number, number]>;
  all: Map<string, [number, number]>;
  ownProfiles: Map<string, Profile[]>;
  allProfiles: Map<string, Profile[]>;
}

function observe(input: PaymentInput, provider: string, defaultBand: string | undefined): Observed {
  const obs: Observed = { own: new Map(), all: new Map(), ownProfiles: new Map(), allProfiles: new Map() };
  const bump = (m: Map<string, [number, number]>, k: string, isMet: boolean) => {
    const v = m.get(k) ?? [0, 0];
    v[0] += isMet ? 1 : 0;
    v[1] += 1;
    m.set(k, v);
  };
  for (const c of input.clients) {
    const journeys = new Map(c.journeys.map((j) => [j.journey_id, j]));
    for (const d of c.decisions) {
      if (d.status === 'pending') continue;
      const j = journeys.get(d.journey_id);
      if (!j) continue;
      const band = j.tariff_band ?? defaultBand;
      const mine = j.first_episode.provider_id === provider;
      const isMet = d.status === 'met' && d.achieved_on !== undefined;
      if (band !== undefined) {
        const k = `${d.outcome_id}\u0000${band}`;
        bump(obs.all, k, isMet);
        if (mine) bump(obs.own, k, isMet);
      }
      if (isMet) {
        const start = toDayNumber(j.start_date);
        const p: Profile = { lag: toDayNumber(d.achieved_on!) - start, sustainment: d.sustainment.map((s) => toDayNumber(s) - start).sort((a, b) => a - b) };
        for (const [m, use] of [[obs.allProfiles, true], [obs.ownProfiles, mine]] as const) {
          if (!use) continue;
          const list = m.get(d.outcome_id) ?? [];
          list.push(p);
          m.set(d.outcome_id, list);
        }
      }
    }
  }
  // Sort profiles so that sampling by index does not depend on input order (R-PAY-7).
  const byValue = (a: Profile, b: Profile) => a.lag - b.lag || compareCodePoint(a.sustainment.join(','), b.sustainment.join(','));
  for (const m of [obs.ownProfiles, obs.allProfiles]) for (const list of m.values()) list.sort(byValue);
  return obs;
}

function nearestRank<T>(sorted: readonly T[], p: number): T {
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/**
 * Parses projected journeys written `Q1:1=20,2=10;Q2:1=25` (quarter: band=count, …; quarters
 * separated by `;` or spaces).
 * @example parseProjectedJourneys('Q1:1=20,2=10;Q2:1=25') // [{ quarter: 1, band: '1', count: 20 }, …]
 */
export function parseProjectedJourneys(text: string): ProjectedJourneys[] {
  const out: ProjectedJourneys[] = [];
  for (const part of text.split(/[;\s]+/).filter(Boolean)) {
    const m = /^Q(\d+):(.+)$/i.exec(part);
    if (!m) throw new RangeError(`'${part}' is not a quarter of projected journeys; write it like Q1:1=20,2=10`);
    for (const pair of m[2]!.split(',').filter(Boolean)) {
      const pm = /^([^=]+)=(\d+)$/.exec(pair.trim());
      if (!pm) throw new RangeError(`'${pair}' in '${part}' is not band=count (e.g. 2=10)`);
      out.push({ quarter: Number(m[1]), band: pm[1]!.trim(), count: Number(pm[2]) });
    }
  }
  return out;
}

/**
 * Forecasts a provider's income from projected new journeys, using the outcome engine's results of
 * a run for rates and delays (pure; see the module notes for the model).
 * @example forecastIncomeFrom({ clients }, scheme, { provider: 'P1', asOf: '2014-03-31', journeys: [{ quarter: 1, band: '2', count: 30 }] })
 */
export function forecastIncomeFrom(input: PaymentInput, scheme: Scheme, options: ForecastOptions): IncomeForecast {
  const tariff = scheme.tariff;
  if (!tariff) throw new RangeError('the scheme has no tariff, so a forecast has no prices');
  const { provider, asOf } = options;
  const seed = options.seed ?? 1;
  const simulations = options.simulations ?? 2000;
  if (!Number.isInteger(simulations) || simulations < 1) throw new RangeError('simulations must be a whole number ≥ 1');
  const notes: string[] = [];
  for (const p of options.journeys) {
    if (!Number.isInteger(p.quarter) || p.quarter < 1) throw new RangeError(`quarter ${p.quarter} is not 1 or later`);
    if (!Number.isInteger(p.count) || p.count < 0) throw new RangeError(`journey count ${p.count} is not a whole number ≥ 0`);
    if (!tariff.bands.includes(p.band)) throw new RangeError(`band '${p.band}' is not one of the tariff's bands (${tariff.bands.join(', ')})`);
  }
  const cal = contractCalendar(scheme.contract);
  const dayAfter = addDays(asOf, 1);
  let q1 = options.start ?? periodStart(dayAfter, cal.anchor, 3);
  if (options.start === undefined && q1 < dayAfter) q1 = addMonths(q1, 3);
  const lastProjected = Math.max(0, ...options.journeys.map((p) => p.quarter));
  const nQ = options.quarters ?? lastProjected + 4;
  if (!Number.isInteger(nQ) || nQ < 1) throw new RangeError('quarters must be a whole number ≥ 1');
  if (lastProjected > nQ) throw new RangeError(`journeys are projected in quarter ${lastProjected}, beyond the ${nQ} quarters shown`);
  const qStart = Array.from({ length: nQ + 1 }, (_, k) => addMonths(q1, 3 * k));
  const qDay = qStart.map(toDayNumber);
  const horizonEndDay = qDay[nQ]! - 1;
  const endDay = cal.end === undefined ? Infinity : toDayNumber(cal.end);
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

  // Observations, rates and delays.
  const obs = observe(input, provider, tariff.defaultBand);
  const outcomes = [...new Set([...Object.keys(tariff.outcomes), ...Object.keys(tariff.sustainment)])].sort(compareCodePoint);
  const bands = [...new Set(options.journeys.map((p) => p.band))].sort(compareCodePoint);
  const rates: RateAssumption[] = [];
  const rateOf = new Map<string, Decimal>();
  for (const o of outcomes) {
    for (const b of bands) {
      const k = `${o}\u0000${b}`;
      const supplied = options.rates?.[o]?.[b];
      let a: RateAssumption;
      if (supplied !== undefined) {
        const r = decimal(supplied);
        if (r.isNegative() || r.greaterThan(1)) throw new RangeError(`rate for ${o} band ${b} must be between 0 and 1`);
        a = { outcome_id: o, band: b, rate: r, source: 'supplied', met: 0, decided: 0 };
      } else {
        const own = options.pooled ? undefined : obs.own.get(k);
        const all = obs.all.get(k);
        const [src, v] = own && own[1] > 0 ? (['provider', own] as const) : all && all[1] > 0 ? (['all providers', all] as const) : (['none', [0, 0]] as const);
        a = { outcome_id: o, band: b, rate: v[1] === 0 ? ZERO : new Dec(v[0]).dividedBy(v[1]), source: src, met: v[0], decided: v[1] };
        if (src === 'none') notes.push(`No decided journeys of band ${b} for ${o}: its rate is taken as 0.`);
        else if (src === 'all providers' && !options.pooled) notes.push(`${provider} has no decided journeys of band ${b} for ${o}: all providers' rate is used.`);
      }
      rates.push(a);
      rateOf.set(k, a.rate);
    }
  }
  const lags: LagAssumption[] = [];
  const profilesOf = new Map<string, Profile[]>();
  for (const o of outcomes) {
    const supplied = options.lags?.[o];
    let list: Profile[];
    let source: LagAssumption['source'];
    if (supplied !== undefined) {
      if (supplied.length === 0 || supplied.some((d) => !Number.isInteger(d) || d < 0)) throw new RangeError(`lags for ${o} must be whole numbers of days ≥ 0`);
      list = [...supplied].sort((a, b) => a - b).map((lag) => ({ lag, sustainment: [] }));
      source = 'supplied';
    } else {
      const own = options.pooled ? undefined : obs.ownProfiles.get(o);
      const all = obs.allProfiles.get(o);
      [source, list] = own && own.length > 0 ? ['provider', own] : all && all.length > 0 ? ['all providers', all] : ['none', []];
    }
    if (list.length === 0 && bands.some((b) => rateOf.get(`${o}\u0000${b}`)!.greaterThan(0))) {
      notes.push(`No observed delay for ${o}: it is assumed paid on the journey's start day.`);
      list = [{ lag: 0, sustainment: [] }];
    }
    profilesOf.set(o, list);
    const sorted = list.map((p) => p.lag);
    lags.push({
      outcome_id: o,
      source,
      observations: source === 'none' ? 0 : list.length,
      p10_days: sorted.length ? nearestRank(sorted, 10) : undefined,
      median_days: sorted.length ? nearestRank(sorted, 50) : undefined,
      p90_days: sorted.length ? nearestRank(sorted, 90) : undefined,
    });
  }

  // Prices in pence, per price slot: attachment[b], outcome[o][b], sustainment[o][b].
  const rounding = tariff.rounding;
  const pence = (table: Record<string, string> | undefined, b: string) => (table?.[b] === undefined ? 0n : toPence(roundToPenny(money(table[b]!), rounding)));
  const covers = new Set<string>(scheme.contract?.capCovers ?? []);
  interface Slot {
    pence: bigint;
    capped: boolean;
  }
  const slots: Slot[] = [];
  const slot = (p: bigint, type: string) => {
    slots.push({ pence: p, capped: covers.has(type) });
    return slots.length - 1;
  };
  const attSlot = new Map(bands.map((b) => [b, slot(pence(tariff.attachment, b), 'attachment')]));
  const outSlot = new Map<string, number>();
  const susSlot = new Map<string, number>();
  for (const o of outcomes) {
    for (const b of bands) {
      outSlot.set(`${o}\u0000${b}`, slot(pence(tariff.outcomes[o], b), 'outcome'));
      susSlot.set(`${o}\u0000${b}`, slot(pence(tariff.sustainment[o], b), 'sustainment'));
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
    const run = calculatePayments(input, scheme, { asOf });
    for (const l of run.lines) {
      if (l.provider_id !== provider || l.status !== 'payable' || !covers.has(l.payment_type)) continue;
      usedBefore.set(l.contract_year, (usedBefore.get(l.contract_year) ?? 0n) + toPence(l.paid));
    }
  }

  // Simulation.
  const rng = seededRandom(seed);
  const perQuarter: bigint[][] = Array.from({ length: nQ }, () => []);
  const totals: bigint[] = [];
  const counts = new Int32Array(nQ * slots.length);
  const outcomePlans = outcomes.map((o) => ({ o, profiles: profilesOf.get(o)! }));
  // Per projected entry, what each journey may earn (rates as probabilities, not money).
  const projected = [...options.journeys].sort((a, b) => a.quarter - b.quarter || compareCodePoint(a.band, b.band) || a.count - b.count);
  const plans = projected.map((p) => ({
    p,
    att: attSlot.get(p.band)!,
    outcomes: outcomePlans
      .map(({ o, profiles }) => {
        const key = `${o}\u0000${p.band}`;
        return { chance: rateOf.get(key)!.toNumber(), profiles, out: outSlot.get(key)!, sus: susSlot.get(key)! };
      })
      .filter((x) => x.chance > 0 && x.profiles.length > 0),
  }));
  const width = slots.length;
  for (let s = 0; s < simulations; s++) {
    counts.fill(0);
    for (const { p, att, outcomes: earn } of plans) {
      const k0 = p.quarter - 1;
      const from = qDay[k0]!;
      const days = qDay[k0 + 1]! - from;
      for (let i = 0; i < p.count; i++) {
        const start = from + Math.floor(rng() * days);
        if (start <= endDay) counts[k0 * width + att]! += 1;
        for (const e of earn) {
          if (rng() >= e.chance) continue;
          const prof = e.profiles[Math.floor(rng() * e.profiles.length)]!;
          const day = start + prof.lag;
          const k = quarterOfDay(day);
          if (k >= 0 && day <= endDay) counts[k * width + e.out]! += 1;
          for (const off of prof.sustainment) {
            const sd = start + off;
            const ks = quarterOfDay(sd);
            if (ks >= 0 && sd <= endDay) counts[ks * width + e.sus]! += 1;
          }
        }
      }
    }
    const used = new Map(usedBefore);
    let total = 0n;
    for (let k = 0; k < nQ; k++) {
      let capped = 0n;
      let free = fixedPence[k]!;
      for (let x = 0; x < slots.length; x++) {
        const n = counts[k * slots.length + x]!;
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
  const overlap = (a0: number, a1: number, b0: number, b1: number) => Math.max(0, Math.min(a1, b1) - Math.max(a0, b0) + 1);
  for (const p of options.journeys) {
    if (p.count === 0) continue;
    const k0 = p.quarter - 1;
    const from = qDay[k0]!;
    const to = qDay[k0 + 1]! - 1;
    const days = to - from + 1;
    const n = new Dec(p.count);
    const attDays = overlap(from, to, -Infinity, endDay);
    expected[k0] = expected[k0]!.plus(n.times(fromPence(slots[attSlot.get(p.band)!]!.pence)).times(attDays).dividedBy(days));
    for (const { o, profiles } of outcomePlans) {
      const key = `${o}\u0000${p.band}`;
      const r = rateOf.get(key)!;
      if (r.isZero() || profiles.length === 0) continue;
      const weight = n.times(r).dividedBy(profiles.length).dividedBy(days);
      const outPrice = fromPence(slots[outSlot.get(key)!]!.pence);
      const susPrice = fromPence(slots[susSlot.get(key)!]!.pence);
      for (let k = 0; k < nQ; k++) {
        const k0d = qDay[k]!;
        const k1d = Math.min(qDay[k + 1]! - 1, endDay);
        if (k1d < k0d) continue;
        let outDays = 0;
        let susDays = 0;
        for (const prof of profiles) {
          outDays += overlap(from, to, k0d - prof.lag, k1d - prof.lag);
          for (const off of prof.sustainment) susDays += overlap(from, to, k0d - off, k1d - off);
        }
        if (outDays > 0) expected[k] = expected[k]!.plus(weight.times(outPrice).times(outDays));
        if (susDays > 0) expected[k] = expected[k]!.plus(weight.times(susPrice).times(susDays));
      }
    }
  }

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
      expected: roundToPenny(expected[k]!, 'half_up'),
      ...stats(perQuarter[k]!),
    });
  }
  const totalExpected = roundToPenny(
    expected.reduce((s, v) => s.plus(v), ZERO),
    'half_up',
  );
  if (cap !== undefined) notes.push(`Caps of ${fromPence(cap).toFixed(2)} per contract year are applied in the simulation (not in the expected values).`);
  return {
    provider,
    asOf,
    seed,
    simulations,
    quarters,
    total: { expected: totalExpected, ...stats(totals) },
    assumptions: { rates, lags, notes: [...new Set(notes)] },
  };
}

/**
 * Runs the scheme on a dataset and forecasts a provider's income from projected new journeys.
 * @example forecastIncome(data, scheme, { provider: 'P1', asOf: '2014-03-31', journeys: parseProjectedJourneys('Q1:1=20,2=10') })
 */
export function forecastIncome(data: Dataset, scheme: Scheme, options: ForecastOptions): IncomeForecast {
  const run = paymentRun(data, scheme, { asOf: options.asOf });
  return forecastIncomeFrom({ clients: run.clients }, scheme, options);
}
